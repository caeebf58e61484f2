/*
 * pctx.h: state shared by the scanner (lexer.l) and the parser (parser.y)
 * while one source is parsed.  Private to the front end: only parse.c,
 * lexer.l and parser.y include it.
 *
 * Ownership: the context borrows the source, the finding list and the
 * file's arena; everything it allocates lives in that arena, except the
 * flex scanner state, which lex_close() releases, the name table, which
 * parse.c frees, and when streaming, the expression arenas (pctx.xar).
 */
#ifndef LOSSC_PCTX_H
#define LOSSC_PCTX_H

#include <stddef.h>

#include "ast.h"
#include "diag.h"
#include "parse.h"

/* A string piece as scanned: the span of the token, quotes included. */
typedef struct pc_piece {
	span span;
	struct pc_piece *next;
} pc_piece;

/* A run of adjacent string pieces, joined when the run ends. */
typedef struct pc_pieces {
	pc_piece *head, *tail;
} pc_pieces;

typedef struct pc_items {
	ast_item *head, *tail;
} pc_items;

/* Temporary singly linked lists, turned into arrays when complete. */
typedef struct pc_arg_node {
	ast_arg arg;
	int height;
	struct pc_arg_node *next;
} pc_arg_node;

typedef struct pc_args {
	pc_arg_node *head, *tail;
	size_t n;
} pc_args;

typedef struct pc_expr_node {
	ast_expr *e;
	int height;
	struct pc_expr_node *next;
} pc_expr_node;

typedef struct pc_exprs {
	pc_expr_node *head, *tail;
	size_t n;
} pc_exprs;

typedef struct pc_name_node {
	ast_name name;
	struct pc_name_node *next;
} pc_name_node;

typedef struct pc_names {
	pc_name_node *head, *tail;
	size_t n;
} pc_names;

/* A slot of the name table (parser.y's pc_name). */
typedef struct pc_intern {
	const char *s;
	size_t len;
} pc_intern;

typedef struct pctx {
	const source *src;
	diag_list *diags;
	arena *ar;
	/*
	 * Expression nodes, their argument and element arrays, and joined
	 * texts.  The same arena as ar, unless the caller streams
	 * (parse_source_stream): then one arena per declaration, handed over
	 * with it.
	 */
	arena *xar;
	parse_decl_fn on_decl;
	void *on_decl_ctx;
	pc_intern *names;       /* interned names, open addressing */
	size_t names_n, names_cap;
	ast_file *file;
	ast_decl *decl_tail;
	ast_directive *dir_tail;
	ast_comment *com_tail;
	int max_errors;
	int keep_comments;      /* PARSE_KEEP_COMMENTS: record every comment */

	/*
	 * Nodes of the temporary lists, handed back once a list became an
	 * array, so the next list reuses them instead of growing the arena
	 * (they were ~6% of the AST of a large spec, all garbage).
	 */
	pc_arg_node *spare_args;
	pc_expr_node *spare_exprs;
	pc_name_node *spare_names;
	pc_piece *spare_pieces;

	/* Parser state. */
	int stop;               /* max_errors reached or input too deep: feed EOF */
	int lex_reported;       /* the lookahead's error was already reported by the scanner */
	int eof_reported;       /* an unterminated comment ate the rest of the file */

	/* Scanner state. */
	void *scanner;          /* yyscan_t */
	size_t pos;             /* absolute byte offset of the next unscanned byte */
	int prev_operand;       /* previous token ends an operand: a following '-' is binary */
	ast_directive *pending; /* first standalone directive still waiting for its target line */

	/*
	 * Expression nesting, tracked by the scanner so that neither the
	 * parser's stack nor any later recursive pass sees more than
	 * PARSE_MAX_DEPTH levels.  One level per open '(' or '[', plus one
	 * per pending prefix '-' or right-associative '^' at that level.
	 */
	int nlev;
	int lev_pending[PARSE_MAX_DEPTH + 2];
	int depth;
	int skipping;           /* after a too-deep report: drop tokens up to ';' or '}' */
	size_t bad_end;         /* end of the last stray character, to merge runs */
} pctx;

/* Queue an LS001 at sp, counting it toward max_errors. */
void pc_syntax_error(pctx *c, span sp, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The scanner (lexer.l). */
/* bytes[len] and bytes[len + 1] must be NUL; the scanner works in place
   and puts back every byte it borrowed before lex_close() returns. */
void lex_open(pctx *c, char *bytes, size_t len, size_t base);
void lex_close(pctx *c);

#endif
