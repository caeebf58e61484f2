/*
 * udiff.h: unified diffs (`diff -u` layout) of two texts in memory, for
 * `lossc lint --diff` and `lossc fmt --diff`: what a fix or a reformat
 * would change, as a patch that `patch -p1` or `git apply` accepts.
 *
 *   --- a/specs/x.loss
 *   +++ b/specs/x.loss
 *   @@ -3,7 +3,7 @@
 *    context
 *   -old line
 *   +new line
 *
 * Lines end at LF, CRLF or a lone CR (source.h's rule) and keep their
 * terminators, so a CRLF file diffs as CRLF.  A last line without a
 * terminator is followed by "\ No newline at end of file".  The edit
 * script is a shortest one (Myers) after the common head and tail are
 * set aside; when the changed middle is too large to search cheaply it
 * is shown as one deletion and one insertion, still a correct patch.
 */
#ifndef LOSSC_UDIFF_H
#define LOSSC_UDIFF_H

#include <stddef.h>
#include <stdio.h>

#define UDIFF_CONTEXT 3

/*
 * Write the diff from a[0..alen) to b[0..blen) under the two header
 * names, with `context` lines of context.  Writes nothing when the texts
 * are equal.  Returns 1 when they differ, 0 when equal, -1 on a write
 * error.
 */
int udiff_write(FILE *out, const char *name_a, const char *name_b, const char *a, size_t alen,
		const char *b, size_t blen, int context);

#endif
