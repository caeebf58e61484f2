/*
 * threadbench.c: thread scaling of the generated float32 cross-entropy
 * gradient (bench/kernel.loss) built with -fopenmp, at the three shapes
 * of issue 14, by `make bench-threads`.  Wall time (CLOCK_MONOTONIC),
 * medians of REPS interleaved runs, in one process:
 *
 *   1 thread     the OpenMP kernel on 1 thread
 *   2 threads    the OpenMP kernel on 2 threads
 *   pair         the control: two threads, each running the serial build
 *                of the same kernel (no OpenMP inside) on its own half
 *                of the rows.  It has no chunking, no shared partial
 *                sums and no reduction: what it gains over 1 thread is
 *                what the machine itself gives two threads now.
 *
 * 2/1 is the kernel's scaling; pair/1 the machine's; kernel/pair (the
 * kernel's 2-thread time over the pair's) above 1 is what the kernel's
 * own threading costs; CPU 2/1 (CPU time of all threads, 2 threads over
 * 1) above 1 is work that threading adds (false sharing, a serial
 * reduction, spinning at the join), which a loaded machine does not
 * hide.  The load average is printed before and after:
 * on a shared machine a second thread may wait for a core.
 */
#define _DEFAULT_SOURCE
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cedata.h"
#include "kernel_loss.h"

/* The serial build of the same spec (lossc gen --prefix serial_, compiled
   without -fopenmp): its header has the same include guard, so the
   prototypes are written here. */
float serial_ce10_grad(size_t n, const float *logits, const int32_t *y, float *d_logits);
float serial_ce1000_grad(size_t n, const float *logits, const int32_t *y, float *d_logits);
float serial_ce50257_grad(size_t n, const float *logits, const int32_t *y, float *d_logits);

typedef float (*grad_fn)(size_t, const float *, const int32_t *, float *);

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* CPU time of every thread of the process */
static double cpu(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static volatile float sink;

static void print_load(const char *when)
{
	double l[3];
	if (getloadavg(l, 3) == 3)
		printf("load average %s: %.2f %.2f %.2f (%d cores)\n", when, l[0], l[1], l[2], omp_get_num_procs());
}

int main(int argc, char **argv)
{
#define CE_CASE(n, C) { n, C, loss_ce##C##_grad, serial_ce##C##_grad },
	const struct { size_t n, C; grad_fn omp, serial; } cases[] = { CE_SHAPES(CE_CASE) };
	const int reps = ce_reps(argc, argv, 21);
	print_load("before");
	printf("cross-entropy float32 forward + gradient, -fopenmp build, wall time, median of %d interleaved runs\n", reps);
	printf("%-13s %10s %10s %10s %8s %8s %12s %9s %10s\n", "shape", "1 thr ms", "2 thr ms", "pair ms", "2/1",
	       "pair/1", "kernel/pair", "CPU 2/1", "identical");
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		size_t n = cases[c].n, C = cases[c].C, h = n / 2;
		float *x = malloc(n * C * sizeof *x), *d = malloc(n * C * sizeof *d), *d1 = malloc(n * C * sizeof *d1);
		int32_t *y = malloc(n * sizeof *y);
		double *t = malloc(5 * (size_t)reps * sizeof *t);
		if (!x || !d || !d1 || !y || !t)
			return 2;
		ce_fill(n, C, x, y);
		/* bit-identity of 1 and 2 threads, on the data timed */
		omp_set_num_threads(1);
		float v1 = cases[c].omp(n, x, y, d1);
		omp_set_num_threads(2);
		float v2 = cases[c].omp(n, x, y, d);
		int same = memcmp(&v1, &v2, sizeof v1) == 0 && memcmp(d, d1, n * C * sizeof *d) == 0;
		for (int k = -1; k < reps; k++) {
			double c0 = cpu(), t0 = now();
			omp_set_num_threads(1);
			sink = cases[c].omp(n, x, y, d);
			double c1 = cpu(), t1 = now();
			omp_set_num_threads(2);
			sink = cases[c].omp(n, x, y, d);
			double c2 = cpu(), t2 = now();
#pragma omp parallel num_threads(2)
			{
				size_t me = (size_t)omp_get_thread_num(), r0 = me ? h : 0, r1 = me ? n : h;
				if (omp_get_num_threads() == 2 || me == 0) {
					sink = cases[c].serial(r1 - r0, x + r0 * C, y + r0, d + r0 * C);
					if (omp_get_num_threads() == 1)
						sink = cases[c].serial(n - h, x + h * C, y + h, d + h * C);
				}
			}
			double t3 = now();
			if (k >= 0) {       /* the first round warms up */
				t[k] = t1 - t0;
				t[reps + k] = t2 - t1;
				t[2 * reps + k] = t3 - t2;
				t[3 * reps + k] = c1 - c0;
				t[4 * reps + k] = c2 - c1;
			}
		}
		for (int i = 0; i < 5; i++)
			qsort(t + i * reps, (size_t)reps, sizeof *t, cmp_double);
		double m1 = t[reps / 2], m2 = t[reps + reps / 2], mp = t[2 * reps + reps / 2];
		double cpu1 = t[3 * reps + reps / 2], cpu2 = t[4 * reps + reps / 2];
		char shape[32];
		snprintf(shape, sizeof shape, "(%zu,%zu)", n, C);
		printf("%-13s %10.3f %10.3f %10.3f %7.2fx %7.2fx %11.2fx %8.2fx %10s\n", shape, 1e3 * m1, 1e3 * m2,
		       1e3 * mp, m1 / m2, m1 / mp, m2 / mp, cpu2 / cpu1, same ? "yes" : "NO");
		free(x), free(d), free(d1), free(y), free(t);
	}
	print_load("after");
	printf("2/1: the kernel's scaling (1-thread time over 2-thread time); pair/1: the machine's, two\n"
	       "independent half-batches of the serial kernel at once; kernel/pair > 1: the kernel's own\n"
	       "threading costs that much; CPU 2/1: CPU time of all threads on 2 threads over 1 thread (the\n"
	       "work threading adds, waiting spins included).  Load above the core count makes every 2-thread\n"
	       "wall figure a floor.\n");
	return 0;
}
