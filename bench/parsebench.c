/*
 * parsebench.c: time parse_source() alone on each file named.
 *
 *     parsebench FILE...
 *
 * Reads each file once, parses it REPEAT times, reports the best time as
 * MB/s.  Times are CPU time of the process (user + system), so a busy
 * shared machine does not distort the ratio; wall time is shown too.  With two or more files, also prints time ratio against size
 * ratio (last file vs first): for a linear parser the two are close.
 * Exits 1 if a file does not parse cleanly (the benchmark would measure
 * error recovery, not parsing).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "parse.h"

#define REPEAT 3

static double now(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: parsebench FILE...\n");
		return 2;
	}
	double first_t = 0, first_mb = 0, last_t = 0, last_mb = 0;
	int status = 0;
	for (int i = 1; i < argc; i++) {
		source src;
		char why[256];
		if (source_read(&src, argv[i], why, sizeof why) != 0) {
			fprintf(stderr, "parsebench: %s: %s\n", argv[i], why);
			return 2;
		}
		double best = -1, best_wall = -1;
		size_t ndecls = 0, nfind = 0;
		for (int r = 0; r < REPEAT; r++) {
			diag_list dl;
			diag_list_init(&dl);
			double w0 = now(CLOCK_MONOTONIC);
			double t0 = now(CLOCK_PROCESS_CPUTIME_ID);
			ast_file *f = parse_source(&src, &dl, PARSE_DEFAULT_MAX_ERRORS);
			double t = now(CLOCK_PROCESS_CPUTIME_ID) - t0;
			double w = now(CLOCK_MONOTONIC) - w0;
			if (best < 0 || t < best)
				best = t;
			if (best_wall < 0 || w < best_wall)
				best_wall = w;
			ndecls = 0;
			for (ast_decl *d = f->decls; d; d = d->next)
				ndecls++;
			nfind = dl.n;
			ast_file_free(f);
			diag_list_free(&dl);
		}
		double mb = (double)src.len / 1e6;
		printf("%s: %.1f MB, %zu declarations, parsed in %.3f s CPU (%.3f s wall): %.1f MB/s\n",
		       argv[i], mb, ndecls, best, best_wall, best > 0 ? mb / best : 0.0);
		if (nfind) {
			fprintf(stderr, "parsebench: %s: %zu findings; expected a clean file\n",
				argv[i], nfind);
			status = 1;
		}
		if (i == 1) {
			first_t = best;
			first_mb = mb;
		}
		last_t = best;
		last_mb = mb;
		source_free(&src);
	}
	if (argc > 2 && first_t > 0 && first_mb > 0)
		printf("size ratio %.2f, time ratio %.2f (linear: about equal)\n",
		       last_mb / first_mb, last_t / first_t);
	return status;
}
