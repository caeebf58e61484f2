/*
 * baseline.h: `lossc lint --write-baseline FILE` and `--baseline FILE`.
 *
 * A baseline records the findings a team accepts for now, so CI fails
 * only on new ones.  Each finding is keyed on its SARIF fingerprint
 * (report_fingerprint: code, path, the line's text and the span's text,
 * so a finding still matches after lines move) computed with the path
 * relative to the baseline file's directory, plus its occurrence number
 * among findings with the same fingerprint.  The file is text, one
 * finding a line, sorted, so it diffs and merges well:
 *
 *   # lossc baseline 1
 *   3f2a9c0d1e4b5a67:1<TAB>LS201<TAB>specs/novel.loss<TAB>12<TAB>message
 *
 * (fingerprint:occurrence, code, path, then the line and message as
 * written, for readers; matching uses the first three.)  An entry about a
 * file linted in this run that matches no finding is stale: LS020 at its
 * line, so the file can be pruned by writing it again.
 *
 * Ownership: a baseline owns its text as a source, which the LS020
 * findings point into: free it after the findings.
 */
#ifndef LOSSC_BASELINE_H
#define LOSSC_BASELINE_H

#include <stddef.h>

#include "codes.h"
#include "diag.h"

typedef struct baseline baseline;

/* Read a baseline.  NULL with err ("FILE:LINE: error: ...") when it cannot be read or is not one. */
baseline *baseline_load(const char *path, char *err, size_t errlen);
void baseline_free(baseline *b);
const source *baseline_source(const baseline *b);

/* Would a finding be recorded?  Not syntax or read errors (their file was not analyzed), nor LS020. */
int baseline_eligible(const diag *d);

/*
 * Remove from l->items[from..n) the findings b holds (l sorted:
 * occurrence numbers follow its order); returns how many were removed.
 */
size_t baseline_hide(baseline *b, diag_list *l, size_t from);

/*
 * Queue LS020 for each entry that hid nothing and is about a file for
 * which linted(abspath, ctx) says 1 (a file this run analyzed).
 */
void baseline_stale(const baseline *b, diag_list *l, int (*linted)(const char *abspath, void *ctx), void *ctx);

/*
 * Write every eligible finding of l (sorted) to path, atomically.
 * Returns the number written, or -1 with err set.
 */
long baseline_write(const char *path, const diag_list *l, char *err, size_t errlen);

#endif
