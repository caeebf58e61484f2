/*
 * fmt.h: LossSpec's canonical layout (`lossc fmt`; the layout itself is
 * documented in lossc(1), FORMATTING).
 *
 * fmt_file() prints a parsed file from its tree and its comments: the
 * layout comes from the tree alone, so two files with the same tree and
 * the same comments format to the same text, except that an item which
 * holds a comment, or shares a line with a `// lossc:` directive's target,
 * keeps its line breaks (so the directive still covers exactly the
 * findings it covered).  fmt_source() is what the command uses: parse,
 * format, then parse the result again and refuse it unless it is the same
 * tree with the same comments.
 *
 * Ownership: both return a malloc'd, NUL-terminated buffer the caller frees.
 */
#ifndef LOSSC_FMT_H
#define LOSSC_FMT_H

#include <stddef.h>

#include "ast.h"
#include "diag.h"
#include "source.h"

#define FMT_DEFAULT_WIDTH 88
#define FMT_MIN_WIDTH 40
#define FMT_MAX_WIDTH 1000

/* f must come from parse_source_opts(..., PARSE_KEEP_COMMENTS) with no syntax error. */
char *fmt_file(const ast_file *f, unsigned width, size_t *len);

/*
 * e (from a file parsed from src) as fmt writes it, on one line, into
 * buf (NUL-terminated, cut to size).  Returns the full length.  For
 * messages that quote an expression: they read the same whatever the
 * input's layout.
 */
size_t fmt_expr_text(const source *src, const ast_expr *e, char *buf, size_t size);
/*
 * The sub-expression of declaration d that spans exactly sp, as
 * fmt_expr_text writes it, in a malloc'd string.  A span no expression of
 * d has (one the IR made up) gives its source text with each run of
 * blanks, line breaks and comments made one space.  For findings that
 * quote what the IR saw: lint says the same before and after `lossc fmt`.
 */
char *fmt_span_text(const source *src, const ast_decl *d, span sp);
/* The same for a message: into buf, cut at a character boundary and
   ended with "..." when longer than size - 1 bytes (size >= 8). */
const char *fmt_span_quote(const source *src, const ast_decl *d, span sp, char *buf, size_t size);

/*
 * Formats src.  Returns 0 and the text in *out / *outlen; 1 when src
 * cannot be formatted because it is not UTF-8 or has syntax errors (the
 * findings are queued in diags, as lint would report them); -1 when the
 * formatted text failed its own check (why says how: a bug in fmt, and
 * nothing may be written).
 */
int fmt_source(const source *src, unsigned width, diag_list *diags, char **out, size_t *outlen,
	       char *why, size_t whylen);

#endif
