/*
 * parse.h: the front end.  Scans and parses one source into an ast_file,
 * queuing LS001 findings for syntax errors (parsing recovers at ';' and
 * '}' and goes on, up to max_errors) and LS002 for bytes that are not
 * valid UTF-8 or are NUL (then nothing is parsed).
 *
 * Ownership: the returned file belongs to the caller (ast_file_free());
 * it points at src, which must outlive it.  Never returns NULL.
 */
#ifndef LOSSC_PARSE_H
#define LOSSC_PARSE_H

#include "ast.h"
#include "diag.h"

/* Deepest expression nesting accepted; deeper input is an LS001 finding. */
#define PARSE_MAX_DEPTH 256
#define PARSE_DEFAULT_MAX_ERRORS 20

/*
 * The checks every input passes before it is read: valid UTF-8, no NUL
 * byte, small enough for 32-bit offsets.  Returns 0, or -1 with LS002
 * queued ("... what must be UTF-8 text"; what names the kind of file).
 */
int parse_check_bytes(const source *src, diag_list *diags, const char *what);

ast_file *parse_source(const source *src, diag_list *diags, int max_errors);

/* Flags for parse_source_opts. */
#define PARSE_KEEP_COMMENTS 1u  /* record every comment in ast_file.comments */

ast_file *parse_source_opts(const source *src, diag_list *diags, int max_errors, unsigned flags);

/*
 * Streaming (the pipeline's lint and gen): on_decl sees each declaration
 * as soon as its closing '}' is parsed, already linked into f->decls,
 * while the rest of the file is still unread.  own is the arena that
 * holds the declaration's expression nodes and joined texts (and nothing
 * else's) and belongs to the callback from then on: freeing it once the
 * declaration is analyzed is what keeps a large file's expressions and
 * prose from all being in memory at once.  The declaration, its items
 * and names stay in the file's arena; clearing the item fields that point
 * into own (expr, text) is the callback's job.  A declaration the parser
 * recovered inside is passed too (f->syntax_errors tells); one lost to an
 * error is not.
 */
typedef void (*parse_decl_fn)(void *ctx, ast_file *f, ast_decl *d, arena *own);

ast_file *parse_source_stream(const source *src, diag_list *diags, int max_errors,
			      parse_decl_fn on_decl, void *ctx);

#endif
