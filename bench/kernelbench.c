/*
 * kernelbench.c: times the generated cross-entropy kernels (forward, and
 * forward + gradient) against a plain hand-written C loop in the same
 * run, at (n, C) = (65536, 10), (4096, 1000), (256, 50257), float32.
 * Reports GB/s of logits read (n * C * 4 bytes per call, whatever the
 * number of passes) and the reference/generated time ratio (> 1: the
 * generated kernel is faster).
 *
 * Built by `make bench-kernel` with the same compiler and flags for both
 * (-O2 by default: BENCH_CFLAGS overrides).  Times are process CPU time
 * (a loaded machine perturbs them less than wall time); after a warm-up
 * call, reference and generated calls alternate and each reports its
 * median (argv[1] calls each, default 15).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cedata.h"
#include "kernel_loss.h"

/* The plain reference: the textbook two passes (max, then sum of exp)
   for the forward; a third pass writes softmax - onehot. */
static float ref_ce(size_t n, size_t C, const float *x, const int32_t *y)
{
	double acc = 0;
	for (size_t r = 0; r < n; r++) {
		const float *row = x + r * C;
		float m = row[0];
		for (size_t j = 1; j < C; j++)
			if (row[j] > m)
				m = row[j];
		float s = 0;
		for (size_t j = 0; j < C; j++)
			s += expf(row[j] - m);
		acc += (double)(m + logf(s) - row[y[r]]);
	}
	return (float)(acc / (double)n);
}

static float ref_ce_grad(size_t n, size_t C, const float *x, const int32_t *y, float *d)
{
	double acc = 0;
	const float w = 1.0f / (float)n;
	for (size_t r = 0; r < n; r++) {
		const float *row = x + r * C;
		float *dr = d + r * C;
		float m = row[0];
		for (size_t j = 1; j < C; j++)
			if (row[j] > m)
				m = row[j];
		float s = 0;
		for (size_t j = 0; j < C; j++)
			s += expf(row[j] - m);
		const float ls = logf(s), inv = w / s;
		acc += (double)(m + ls - row[y[r]]);
		for (size_t j = 0; j < C; j++)
			dr[j] = expf(row[j] - m) * inv;
		dr[y[r]] -= w;
	}
	return (float)(acc / (double)n);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef float (*gen_fwd)(size_t, const float *, const int32_t *);
typedef float (*gen_grad)(size_t, const float *, const int32_t *, float *);

static volatile float sink;
static int cmp_double(const void *a, const void *b);

/* One timed call of a kernel variant (0 ref fwd, 1 gen fwd, 2 ref grad, 3 gen grad). */
static double run(int which, size_t n, size_t C, const float *x, const int32_t *y, float *d,
		  gen_fwd gf, gen_grad gg)
{
	double t0 = now();
	switch (which) {
	case 0: sink = ref_ce(n, C, x, y); break;
	case 1: sink = gf(n, x, y); break;
	case 2: sink = ref_ce_grad(n, C, x, y, d); break;
	default: sink = gg(n, x, y, d); break;
	}
	return now() - t0;
}

/*
 * The machine's read rate over the same buffer: XOR of its 64-bit words,
 * four lanes, no arithmetic to wait on.  It is the ceiling a single pass
 * over the logits can approach.
 */
static uint64_t read_pass(const float *x, size_t count)
{
	const unsigned char *p = (const unsigned char *)x;
	size_t words = count * sizeof *x / 8, i = 0;
	uint64_t a = 0, b = 0, c = 0, e = 0, w[4];
	for (; i + 4 <= words; i += 4) {
		memcpy(w, p + 8 * i, sizeof w);
		a ^= w[0], b ^= w[1], c ^= w[2], e ^= w[3];
	}
	for (; i < words; i++) {
		memcpy(w, p + 8 * i, 8);
		a ^= w[0];
	}
	return a ^ b ^ c ^ e;
}

static volatile uint64_t read_sink;

/* Median time of `reps` read passes. */
static double read_median(int reps, const float *x, size_t count)
{
	double *t = malloc((size_t)reps * sizeof *t);
	if (!t)
		exit(2);
	read_sink = read_pass(x, count);
	for (int k = 0; k < reps; k++) {
		double t0 = now();
		read_sink = read_pass(x, count);
		t[k] = now() - t0;
	}
	qsort(t, (size_t)reps, sizeof *t, cmp_double);
	double m = t[reps / 2];
	free(t);
	return m;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/*
 * The median times of the reference (which) and the generated kernel
 * (which + 1), timed alternately after one warm-up call each, so a burst
 * of load on the shared machine hits both alike.
 */
static void medians(int which, int reps, size_t n, size_t C, const float *x, const int32_t *y, float *d,
		    gen_fwd gf, gen_grad gg, double *tr, double *tg)
{
	double *a = malloc((size_t)reps * sizeof *a), *b = malloc((size_t)reps * sizeof *b);
	if (!a || !b)
		exit(2);
	run(which, n, C, x, y, d, gf, gg);
	run(which + 1, n, C, x, y, d, gf, gg);
	for (int k = 0; k < reps; k++) {
		a[k] = run(which, n, C, x, y, d, gf, gg);
		b[k] = run(which + 1, n, C, x, y, d, gf, gg);
	}
	qsort(a, (size_t)reps, sizeof *a, cmp_double);
	qsort(b, (size_t)reps, sizeof *b, cmp_double);
	*tr = a[reps / 2];
	*tg = b[reps / 2];
	free(a), free(b);
}

int main(int argc, char **argv)
{
#define CE_CASE(n, C) { n, C, loss_ce##C, loss_ce##C##_grad },
	const struct { size_t n, C; gen_fwd f; gen_grad g; } cases[] = { CE_SHAPES(CE_CASE) };
	const int reps = ce_reps(argc, argv, 15);
	int slower = 0;
	printf("cross-entropy, float32, median of %d alternating runs; GB/s of logits read; ratio = ref time / gen time\n", reps);
	printf("read GB/s: one plain pass over the same logits (XOR of 64-bit words), the ceiling for a single pass\n");
	printf("%-14s %-12s %10s %10s %8s %10s   %s\n", "shape", "kernel", "ref GB/s", "gen GB/s", "ratio", "read GB/s", "check");
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		size_t n = cases[c].n, C = cases[c].C;
		float *x = malloc(n * C * sizeof *x), *d = malloc(n * C * sizeof *d), *d2 = malloc(n * C * sizeof *d2);
		int32_t *y = malloc(n * sizeof *y);
		if (!x || !d || !d2 || !y)
			return 2;
		ce_fill(n, C, x, y);
		/* the two agree before they are timed */
		float vr = ref_ce(n, C, x, y), vg = cases[c].f(n, x, y);
		ref_ce_grad(n, C, x, y, d);
		cases[c].g(n, x, y, d2);
		double gerr = 0;
		for (size_t i = 0; i < n * C; i++)
			if (fabs((double)d[i] - (double)d2[i]) > gerr)
				gerr = fabs((double)d[i] - (double)d2[i]);
		const char *ok = fabsf(vr - vg) <= 1e-5f * fabsf(vr) && gerr <= 1e-6 / (double)n ? "agree" : "DISAGREE";
		double bytes = (double)n * (double)C * 4.0;
		char shape[32];
		snprintf(shape, sizeof shape, "(%zu,%zu)", n, C);
		double read_gbs = bytes / read_median(reps, x, n * C) / 1e9;
		for (int g = 0; g < 2; g++) {
			double tr, tg;
			medians(2 * g, reps, n, C, x, y, d, cases[c].f, cases[c].g, &tr, &tg);
			printf("%-14s %-12s %10.2f %10.2f %8.2f %10.2f   %s\n", shape, g ? "fwd+grad" : "forward",
			       bytes / tr / 1e9, bytes / tg / 1e9, tr / tg, read_gbs, ok);
			if (tr / tg < 0.95)
				slower = 1;
		}
		free(x), free(d), free(d2), free(y);
	}
	if (slower)
		printf("note: the generated kernel was more than 5%% slower than the reference somewhere\n");
	return 0;
}
