/*
 * suppress.h: `// lossc: allow CODES -- reason` and
 * `// lossc: allow-file CODES -- reason` comments (RULES.md
 * "Suppressions").  Owned by the linter.
 *
 * A trailing allow silences CODES on its own line; a standalone one on the
 * next line that holds code or text (ast_directive.target_line), and when
 * that line opens a declaration, on every line of the declaration; in a
 * document, on the lines of the block it governs, up to target_end_line;
 * allow-file anywhere in the file.  CODES are codes or families (select.h).  An allow
 * entry that silences nothing is reported as LS009 (info) at the comment,
 * so stale allows are found; a directive lossc cannot read is LS008.
 */
#ifndef LOSSC_SUPPRESS_H
#define LOSSC_SUPPRESS_H

#include "ast.h"
#include "codes.h"
#include "diag.h"


/*
 * Apply f's directives to the findings diags->items[first..n) about f's
 * source: remove the silenced ones, then queue LS008/LS009.  enabled
 * (may be NULL) tells whether a code is reported at all in this run; an
 * allow for a code that is not is never called stale.
 */
void suppress_apply(const ast_file *f, diag_list *diags, size_t first,
		    int (*enabled)(const char *code, void *ctx), void *ctx);

#endif
