/*
 * vecdrv.c: checks generated kernels against one reference-vector file
 * (tests/vectors/*.vec, PyTorch's definitions in float64).
 *
 * Built by vectors.sh once per .vec file, with the generated header of a
 * .loss written from that file: losses m64 (mean), s64 (sum), n64 (none)
 * in float64 and m32, n32 in float32, each taking (output, label).
 * Macros: OUT_DIM and LAB_DIM (1 for a scalar), LAB_CLASS (1: int32_t).
 *
 * Tolerances: relative 1e-6 in float64 and 1e-5 in float32.  For vectors
 * (per-row values, gradients), each element is measured relative to
 * max(|ref|, 1e-3 * the vector's largest |ref|): a float32 gradient
 * entry of 4e-19 next to entries of 0.17 is exp(-40) of logits of 1e4,
 * which float32 inputs (rounded from the float64 data) cannot pin down
 * to 1e-5 of itself.
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

int main(int argc, char **argv)
{
	static double out[MAXN * OUT_DIM], lab[MAXN * LAB_DIM], each[MAXN], grad[MAXN * OUT_DIM];
	static double d64[MAXN * OUT_DIM], e64[MAXN];
	static float out32[MAXN * OUT_DIM], d32[MAXN * OUT_DIM], e32[MAXN];
#if LAB_CLASS
	static int32_t y[MAXN];
#define L64 y
#define L32 y
#else
	static float lab32[MAXN * LAB_DIM];
#define L64 lab
#define L32 lab32
#endif
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
	/* the second data line is the label */
	{
		char line[65536];
		int seen = 0;
		rewind(f);
		while (fgets(line, sizeof line, f)) {
			if (strncmp(line, "data ", 5) != 0 || seen++ == 0)
				continue;
			char *p = line + 5;
			while (*p && *p != ' ')
				p++;
			int k = 0;
			char *end;
			for (;;) {
				double x = strtod(p, &end);
				if (end == p || k >= MAXN * LAB_DIM)
					break;
				lab[k++] = x;
				p = end;
			}
			if (k != n * LAB_DIM)
				return fprintf(stderr, "vecdrv: label has %d values\n", k), 2;
		}
	}
	if (no != n * OUT_DIM)
		return fprintf(stderr, "vecdrv: output has %d values\n", no), 2;
	read_line(f, "each", 0, each, MAXN);
	read_line(f, "mean", 0, &mean, 1);
	read_line(f, "sum", 0, &sum, 1);
	read_line(f, "grad_mean", 1, grad, MAXN * OUT_DIM);
	fclose(f);
	for (int i = 0; i < n * OUT_DIM; i++)
		out32[i] = (float)out[i];
#if LAB_CLASS
	for (int i = 0; i < n; i++)
		y[i] = (int32_t)lab[i];
#else
	for (int i = 0; i < n * LAB_DIM; i++)
		lab32[i] = (float)lab[i];
#endif
	double gmax = vmax(grad, n * OUT_DIM), emax = vmax(each, n);

	/* float64: 1e-6 relative */
	check("mean64", 0, loss_m64(n, out, L64), mean, 1e-6, 0);
	check("sum64", 0, loss_s64(n, out, L64), sum, 1e-6, 0);
	loss_n64(n, out, L64, e64);
	for (int i = 0; i < n; i++)
		check("each64", i, e64[i], each[i], 1e-6, 1e-3 * emax);
	check("grad64 value", 0, loss_m64_grad(n, out, L64, d64), mean, 1e-6, 0);
	for (int i = 0; i < n * OUT_DIM; i++)
		check("grad64", i, d64[i], grad[i], 1e-6, 1e-3 * gmax);
	/* the sum's gradient is n times the mean's */
	loss_s64_grad(n, out, L64, d64);
	for (int i = 0; i < n * OUT_DIM; i++)
		check("grad64 sum", i, d64[i], grad[i] * n, 1e-6, 1e-3 * gmax * n);
	/* none with upstream 1/n is the mean's gradient */
	{
		double up[MAXN];
		for (int i = 0; i < n; i++)
			up[i] = 1.0 / n;
		loss_n64_grad(n, out, L64, up, d64);
		for (int i = 0; i < n * OUT_DIM; i++)
			check("grad64 none", i, d64[i], grad[i], 1e-6, 1e-3 * gmax);
	}

	/* float32: 1e-5 relative */
	check("mean32", 0, loss_m32(n, out32, L32), mean, 1e-5, 0);
	loss_n32(n, out32, L32, e32);
	for (int i = 0; i < n; i++)
		check("each32", i, e32[i], each[i], 1e-5, 1e-3 * emax);
	loss_m32_grad(n, out32, L32, d32);
	for (int i = 0; i < n * OUT_DIM; i++)
		check("grad32", i, d32[i], grad[i], 1e-5, 1e-3 * gmax);

	if (failures) {
		printf("%s: %d mismatches\n", argv[1], failures);
		return 1;
	}
	printf("ok %s: value, each, sum and gradient match (float64 1e-6, float32 1e-5)\n", argv[1]);
	return 0;
}
