/*
 * agree_check.c: the agreement tests in `make check` (agree.h): a seeded
 * run over random programs, a few seconds, failing on any disagreement
 * and printing the program and the check.
 *
 *   agree_check [-n PROGRAMS] [-s SEED] [-v] [CASE...]
 *
 * With CASE files (regression cases: a program's text, as the generator
 * writes it and a failure prints it), each is checked at points drawn
 * from the seed instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agree.h"

int main(int argc, char **argv)
{
	long n = 3000;
	unsigned long long seed = 20261201;
	int verbose = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			n = atol(argv[++i]);
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (argv[i][0] != '-')
			break;
		else {
			fprintf(stderr, "usage: agree_check [-n PROGRAMS] [-s SEED] [-v]\n");
			return 2;
		}
	}
	ag_stats st;
	memset(&st, 0, sizeof st);
	static ag_prog p;
	int files = 0;
	for (int i = 1; i < argc; i++) {
		static char text[AG_TEXT];
		if (argv[i][0] == '-') {
			i += strcmp(argv[i], "-v") != 0;
			continue;
		}
		FILE *f = fopen(argv[i], "r");
		size_t len = f ? fread(text, 1, sizeof text - 1, f) : 0;
		if (!f) {
			perror(argv[i]);
			return 2;
		}
		fclose(f);
		text[len] = '\0';
		if (ag_parse(text, &p) < 0) {
			fprintf(stderr, "%s: not a case\n", argv[i]);
			return 2;
		}
		for (unsigned long long r = 0; r < 20; r++) {
			ag_src s;
			ag_src_init(&s, NULL, 0, seed + r);
			ag_check(&p, &s, &st, stdout, 12, 3);
		}
		files++;
	}
	if (files)
		n = 0;
	long made = 0;
	for (long i = 0; made < n; i++) {
		ag_src s;
		ag_src_init(&s, NULL, 0, seed + (unsigned long long)i);
		if (ag_generate(&s, &p) < 0)
			continue;
		made++;
		if (verbose)
			printf("---- %ld\n%s", i, p.text);
		if (ag_check(&p, &s, &st, stdout, 12, 3))
			printf("(the program of seed %llu: agree_check -s %llu -n 1)\n", seed + (unsigned long long)i,
			       seed + (unsigned long long)i);
	}
	printf("agree: %ld programs (%ld rejected), %ld points, %ld node values: %ld interval checks "
	       "(%ld values outside a domain the analyzer warned of, %ld beyond double, %ld within rounding "
	       "of an end or ill-conditioned, not trusted further), %ld curvature and %ld smoothness checks, "
	       "%ld fold checks (%ld off at a condition's near tie, not held), %ld gradient checks (%ld points skipped at kinks and steep spots, %ld where the "
	       "value is ill-conditioned), %ld values in where() branches not taken: "
	       "%ld disagreements\n",
	       st.programs, st.rejected, st.points, st.nodes_checked, st.interval_checks, st.domain_points,
	       st.beyond_ld, st.ill_conditioned, st.curv_checks, st.smooth_checks, st.fold_checks, st.fold_skipped_tie, st.grad_checks,
	       st.grad_skipped_kink, st.grad_skipped_ill, st.branch_untaken, st.failures);
	return st.failures ? 1 : 0;
}
