/*
 * gen_log_cosh.c: writes log_cosh.vec, the reference values of
 * mean(log_cosh(p - t)) (PyTorch has no log_cosh, so lossc computes its
 * own reference).  Long double, with closed forms independent of the
 * kernel's formula (log1p(2 sinh(x/2)^2) near 0, |x| + log1p(e^-2|x|) -
 * log 2 beyond):
 *
 *   |d| < 1e-3:  the series d^2/2 - d^4/12 + d^6/45 - 17 d^8/2520
 *                (its next term is below 1e-28 relative);
 *   otherwise:   logl(coshl(d)), exact to long double for |d| < 11000.
 *
 * The gradient of the batch mean is tanhl(d) / (4 * 6).  Rebuild with
 *   cc -O2 -o g tests/vectors/gen_log_cosh.c -lm && ./g > tests/vectors/log_cosh.vec
 */
#include <math.h>
#include <stdio.h>

#define N 6
#define K 4

static long double log_cosh(long double d)
{
	long double x2 = d * d;
	if (fabsl(d) < 1e-3L)
		return x2 / 2 - x2 * x2 / 12 + x2 * x2 * x2 / 45 - 17 * x2 * x2 * x2 * x2 / 2520;
	return logl(coshl(d));
}

int main(void)
{
	/* differences p - t across the regimes: tiny, small, around the
	   kernel's branch at |d| = 1, large, and where cosh overflows double */
	static const double p[N][K] = {
		{ 1e-9, 0.25, -3e-5, 2.0 },
		{ 0.999, 1.001, -1.0, 0.0 },
		{ 40.0, -2.5, 0.125, 1e-3 },
		{ 800.0, -750.0, 3.0, -0.5 },
		{ 0.6, 12.0, -7.0, 5e-4 },
		{ -1e-7, 1.5, 0.75, -30.0 },
	};
	static const double t[N][K] = {
		{ 0.0, 0.5, 0.0, -1.0 },
		{ 0.0, 0.0, 0.0, 0.0 },
		{ 0.0, 0.5, -0.125, 0.0 },
		{ 0.0, 0.0, 1.0, 0.25 },
		{ 0.1, 2.0, 0.0, 0.0 },
		{ 0.0, -1.5, 0.25, 0.0 },
	};
	long double each[N], mean = 0, sum = 0;
	printf("# log_cosh: reference values computed by lossc (tests/vectors/gen_log_cosh.c), long double\n");
	printf("expr mean(log_cosh(p - t))\nn %d\noutput p real[%d]\nlabel t real[%d]\n", N, K, K);
	printf("data p");
	for (int i = 0; i < N; i++)
		for (int j = 0; j < K; j++)
			printf(" %.17g", p[i][j]);
	printf("\ndata t");
	for (int i = 0; i < N; i++)
		for (int j = 0; j < K; j++)
			printf(" %.17g", t[i][j]);
	printf("\neach");
	for (int i = 0; i < N; i++) {
		each[i] = 0;
		for (int j = 0; j < K; j++)
			each[i] += log_cosh((long double)p[i][j] - t[i][j]);
		each[i] /= K;
		sum += each[i];
		printf(" %.17Lg", each[i]);
	}
	mean = sum / N;
	printf("\nmean %.17Lg\nsum %.17Lg\ngrad_mean p", mean, sum);
	for (int i = 0; i < N; i++)
		for (int j = 0; j < K; j++)
			printf(" %.17Lg", tanhl((long double)p[i][j] - t[i][j]) / (K * N));
	printf("\n");
	return 0;
}
