/*
 * builtin_rules.h: the source tree's built-in prose rules for a fuzz target
 * (owner: reliability), loaded on first use and kept, read-only, for the
 * whole run.  A target that cannot load them aborts: a broken setup must
 * not pass as a fuzz run without prose rules.
 */
#ifndef LOSSC_FUZZ_BUILTIN_RULES_H
#define LOSSC_FUZZ_BUILTIN_RULES_H

#include <stdio.h>
#include <stdlib.h>

#include "prose.h"

static prose_set *fuzz_builtin_rules(const char *target)
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
