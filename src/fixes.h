/*
 * fixes.h: applying findings' fixes to a source text (`lossc lint --fix`,
 * `--unsafe-fixes`, `--diff`).  Which fixes are safe is decided where each
 * finding is made (diag.h); this module only applies them.
 *
 * One pass applies every allowed fix that does not overlap one already
 * taken, in source order; identical fixes carried by several findings
 * are one edit that fixes them all.  The caller lints the new text and
 * runs another pass for what was left (nested or neighbouring fixes), up
 * to FIX_MAX_PASSES, and keeps a pass only when the new text still
 * parses: a fix never leaves a file with syntax errors.
 */
#ifndef LOSSC_FIXES_H
#define LOSSC_FIXES_H

#include <stddef.h>

#include "diag.h"

#define FIX_MAX_PASSES 10

enum {
	FIX_SAFE = 1u << 0,
	FIX_UNSAFE = 1u << 1
};

/* Does d carry a fix that mode (FIX_ bits) allows? */
int fix_allowed(const diag *d, unsigned mode);

/*
 * One pass over the findings l->items[from..n) about src.  Returns the
 * new text (malloc'd, *newlen bytes, followed by a NUL) and sets *nfixed
 * to the number of findings fixed; NULL and 0 when no fix applied.
 */
char *fix_apply(const source *src, const diag_list *l, size_t from, unsigned mode,
		size_t *newlen, size_t *nfixed);

#endif
