/*
 * common.h: what the lint-like fuzz targets share (fuzz_lint,
 * fuzz_doc): a sink for rendered findings and the source tree's built-in
 * prose rules, loaded once per process and kept read-only.  Static
 * inline functions in a header, so each target still builds as one file with
 * scripts/fuzz.
 */
#ifndef LOSSC_FUZZ_COMMON_H
#define LOSSC_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>

#include "prose.h"

/* Rendered findings go nowhere; only crashes and sanitizer reports matter. */
static inline FILE *fuzz_sink(void)
{
	static FILE *sink;
	if (!sink)
		sink = fopen("/dev/null", "w");
	return sink;
}

/* The built-in rules; a broken setup must not pass as a fuzz run without them. */
static inline prose_set *fuzz_rules(const char *target)
{
	static prose_set *set;
	char err[1024];
	if (set)
		return set;
	set = prose_set_new();
	if (prose_load_dir(set, LOSSC_SRCDIR "/rules", 1, err, sizeof err) != 0) {
		fprintf(stderr, "%s: cannot load the built-in rules: %s\n", target, err);
		abort();
	}
	return set;
}

#endif
