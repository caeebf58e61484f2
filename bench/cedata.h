/*
 * cedata.h: the cross-entropy benchmarks' data (kernelbench.c,
 * threadbench.c): logits uniform in [-4, 4) from a fixed xorshift stream,
 * and labels i * 7919 mod C, so every run times the same numbers.
 */
#ifndef LOSSC_BENCH_CEDATA_H
#define LOSSC_BENCH_CEDATA_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* The benchmarks' shapes (rows n, classes C), one X(n, C) each; the
   kernels of bench/kernel.loss are named by C (loss_ce1000). */
#define CE_SHAPES(X) X(65536, 10) X(4096, 1000) X(256, 50257)

/* The repetitions: argv[1] if given (at least 1), else dflt. */
static int ce_reps(int argc, char **argv, int dflt)
{
	int reps = argc > 1 ? atoi(argv[1]) : dflt;
	return reps < 1 ? 1 : reps;
}

static void ce_fill(size_t n, size_t C, float *x, int32_t *y)
{
	uint64_t s = 88172645463325252u;
	for (size_t i = 0; i < n * C; i++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		x[i] = (float)((double)(s >> 11) / 9007199254740992.0 * 8.0 - 4.0);
	}
	for (size_t i = 0; i < n; i++)
		y[i] = (int32_t)(i * 7919 % C);
}

#endif
