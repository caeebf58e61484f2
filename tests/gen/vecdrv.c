/*
 * vecdrv.c: checks generated kernels against one reference-vector file
 * (tests/vectors/*.vec, PyTorch's definitions in float64).
 *
 * Built by vectors.sh once per .vec file, with the generated header of a
 * .loss written from that file: losses m64 (mean), s64 (sum), n64 (none)
 * in float64 and m32, n32 in float32, each taking (output, labels...).
 * Macros: OUT_DIM (1 for a scalar), NLAB (1 to 3 labels: the call's
 * later arguments in order, one `data` line each after the output's),
 * LABk_DIM (1 for a scalar) and LABk_CLASS (1: int32_t) for each.
 *
 * Tolerances: relative 1e-6 in float64 and 1e-5 in float32.  For vectors
 * (per-row values, gradients), each element is measured relative to
 * max(|ref|, 1e-3 * the vector's largest |ref|) (float32 gradients: a
 * tenth of the largest): a float32 gradient entry of 4e-19 next to
 * entries of 0.17 is exp(-40) of logits of 1e4, which float32 inputs
 * (rounded from the float64 data) cannot pin down to 1e-5 of itself.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vec_loss.h"

#define MAXN 64

static int failures;

static void check(const char *what, int idx, double got, double want, double tol, double floor_)
{
	double scale = fabs(want) > floor_ ? fabs(want) : floor_;
	if (!(fabs(got - want) <= tol * scale) && !(got == want)) {
		printf("FAIL %s[%d]: got %.17g, want %.17g (tolerance %.1e relative to %.3g)\n",
		       what, idx, got, want, tol, scale);
		failures++;
	}
}

static double vmax(const double *v, int n)
{
	double m = 0;
	for (int i = 0; i < n; i++)
		if (fabs(v[i]) > m)
			m = fabs(v[i]);
	return m;
}

/* Reads the numbers after `key name` (or `key`) on the line starting with key. */
static int read_line(FILE *f, const char *key, int skip_name, double *v, int max)
{
	char line[65536];
	rewind(f);
	while (fgets(line, sizeof line, f)) {
		size_t kl = strlen(key);
		if (strncmp(line, key, kl) != 0 || line[kl] != ' ')
			continue;
		char *p = line + kl;
		if (skip_name) {
			while (*p == ' ')
				p++;
			while (*p && *p != ' ')
				p++;
		}
		int n = 0;
		char *end;
		for (;;) {
			double x = strtod(p, &end);
			if (end == p || n >= max)
				break;
			v[n++] = x;
			p = end;
		}
		return n;
	}
	fprintf(stderr, "vecdrv: no '%s' line\n", key);
	exit(2);
}

#define MAXD 64

/* The labels' arguments, by precision. */
#if LAB0_CLASS
#define A64_0 , ylab[0]
#define A32_0 , ylab[0]
#else
#define A64_0 , lab[0]
#define A32_0 , lab32[0]
#endif
#if NLAB > 1 && LAB1_CLASS
#define A64_1 , ylab[1]
#define A32_1 , ylab[1]
#elif NLAB > 1
#define A64_1 , lab[1]
#define A32_1 , lab32[1]
#else
#define A64_1
#define A32_1
#endif
#if NLAB > 2 && LAB2_CLASS
#define A64_2 , ylab[2]
#define A32_2 , ylab[2]
#elif NLAB > 2
#define A64_2 , lab[2]
#define A32_2 , lab32[2]
#else
#define A64_2
#define A32_2
#endif
#define LABS64 A64_0 A64_1 A64_2
#define LABS32 A32_0 A32_1 A32_2

static const int lab_dim[3] = { LAB0_DIM, LAB1_DIM, LAB2_DIM };

/* The k-th `data` line after the output's (a label, in call order). */
static void read_label(FILE *f, int k, double *v, int want)
{
	char line[65536];
	int seen = 0;
	rewind(f);
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "data ", 5) != 0 || seen++ != k + 1)
			continue;
		char *p = line + 5;
		while (*p && *p != ' ')
			p++;
		int n = 0;
		char *end;
		for (;;) {
			double x = strtod(p, &end);
			if (end == p || n >= MAXN * MAXD)
				break;
			v[n++] = x;
			p = end;
		}
		if (n != want) {
			fprintf(stderr, "vecdrv: label %d has %d values, want %d\n", k, n, want);
			exit(2);
		}
		return;
	}
	fprintf(stderr, "vecdrv: no data line for label %d\n", k);
	exit(2);
}

int main(int argc, char **argv)
{
	static double out[MAXN * OUT_DIM], lab[3][MAXN * MAXD], each[MAXN], grad[MAXN * OUT_DIM];
	static double d64[MAXN * OUT_DIM], e64[MAXN];
	static float out32[MAXN * OUT_DIM], d32[MAXN * OUT_DIM], e32[MAXN], lab32[3][MAXN * MAXD];
	static int32_t ylab[3][MAXN * MAXD];
	double nv, mean, sum;
	if (argc != 2) {
		fprintf(stderr, "usage: vecdrv FILE.vec\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	read_line(f, "n", 0, &nv, 1);
	int n = (int)nv;
	if (n < 1 || n > MAXN)
		return 2;
	int no = read_line(f, "data", 1, out, MAXN * OUT_DIM);
	if (no != n * OUT_DIM)
		return fprintf(stderr, "vecdrv: output has %d values\n", no), 2;
	for (int k = 0; k < NLAB; k++) {
		read_label(f, k, lab[k], n * lab_dim[k]);
		for (int i = 0; i < n * lab_dim[k]; i++) {
			lab32[k][i] = (float)lab[k][i];
			ylab[k][i] = (int32_t)lab[k][i];
		}
	}
	read_line(f, "each", 0, each, MAXN);
	read_line(f, "mean", 0, &mean, 1);
	read_line(f, "sum", 0, &sum, 1);
	read_line(f, "grad_mean", 1, grad, MAXN * OUT_DIM);
	fclose(f);
	for (int i = 0; i < n * OUT_DIM; i++)
		out32[i] = (float)out[i];
	double gmax = vmax(grad, n * OUT_DIM), emax = vmax(each, n);

	/* float64: 1e-6 relative */
	check("mean64", 0, loss_m64(n, out LABS64), mean, 1e-6, 0);
	check("sum64", 0, loss_s64(n, out LABS64), sum, 1e-6, 0);
	loss_n64(n, out LABS64, e64);
	for (int i = 0; i < n; i++)
		check("each64", i, e64[i], each[i], 1e-6, 1e-3 * emax);
	check("grad64 value", 0, loss_m64_grad(n, out LABS64, d64), mean, 1e-6, 0);
	for (int i = 0; i < n * OUT_DIM; i++)
		check("grad64", i, d64[i], grad[i], 1e-6, 1e-3 * gmax);
	/* the sum's gradient is n times the mean's */
	loss_s64_grad(n, out LABS64, d64);
	for (int i = 0; i < n * OUT_DIM; i++)
		check("grad64 sum", i, d64[i], grad[i] * n, 1e-6, 1e-3 * gmax * n);
	/* none with upstream 1/n is the mean's gradient */
	{
		double up[MAXN];
		for (int i = 0; i < n; i++)
			up[i] = 1.0 / n;
		loss_n64_grad(n, out LABS64, up, d64);
		for (int i = 0; i < n * OUT_DIM; i++)
			check("grad64 none", i, d64[i], grad[i], 1e-6, 1e-3 * gmax);
	}

	/* float32: 1e-5 relative */
	check("mean32", 0, loss_m32(n, out32 LABS32), mean, 1e-5, 0);
	loss_n32(n, out32 LABS32, e32);
	for (int i = 0; i < n; i++)
		check("each32", i, e32[i], each[i], 1e-5, 1e-3 * emax);
	/* float32 gradients normwise, to 1e-5 of a tenth of the largest: an
	   element a hundred times smaller than the terms it is the difference
	   of (cosine_embedding's dcos/da = b/|a||b| - cos a/|a|^2) carries
	   float32's rounding times that factor, as PyTorch's float32 does */
	loss_m32_grad(n, out32 LABS32, d32);
	for (int i = 0; i < n * OUT_DIM; i++)
		check("grad32", i, d32[i], grad[i], 1e-5, 0.1 * gmax);

	if (failures) {
		printf("%s: %d mismatches\n", argv[1], failures);
		return 1;
	}
	printf("ok %s: value, each, sum and gradient match (float64 1e-6, float32 1e-5)\n", argv[1]);
	return 0;
}
