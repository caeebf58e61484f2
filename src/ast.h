/*
 * ast.h: the syntax tree of one .loss file.
 *
 * Every node carries the span of source text it came from, so any phase
 * can point a finding at the exact declaration, item, name or
 * sub-expression.  Lists keep source order.
 *
 * Ownership: all nodes, names and joined texts of a file live in the
 * file's arena and die with ast_file_free().  The source is owned by the
 * caller and must outlive the tree.  The parser builds the tree; the
 * resolver fills the `decl`/`item` back-links in ast_name; later phases
 * only read (they may keep their own side tables keyed by node pointer).
 */
#ifndef LOSSC_AST_H
#define LOSSC_AST_H

#include <stddef.h>

#include "arena.h"
#include "source.h"

typedef struct ast_decl ast_decl;
typedef struct ast_item ast_item;
typedef struct ast_expr ast_expr;

/* An identifier as written, plus what the resolver found it names. */
typedef struct ast_name {
	const char *s;          /* NUL-terminated copy; NULL when absent */
	size_t len;
	span span;
	ast_decl *decl;         /* resolver: the declaration named (on/for/uses/trained_by/goal) */
	ast_item *item;         /* resolver: the input/label/output/param/let named in an expression */
} ast_name;

/*
 * Adjacent string pieces ("a" "b") joined into one text with escapes
 * decoded.  segs map text bytes back to source bytes: text byte k lies in
 * the last segment with text_off <= k and came from source byte
 * src_off + (k - text_off).  A new segment starts at each piece and after
 * each escape, so the map stays exact even across lines.
 */
typedef struct ast_text_seg {
	uint32_t text_off;      /* 32 bits, as spans: files are at most 2 GiB */
	uint32_t src_off;
} ast_text_seg;

typedef struct ast_text {
	const char *bytes;      /* joined, NUL-terminated (no NUL can occur inside) */
	size_t len;
	const ast_text_seg *segs;
	size_t nsegs;
	span span;              /* from the first opening quote to the last closing quote */
} ast_text;

/* Source offset of byte k of a joined text (k == len maps past the last byte). */
size_t ast_text_src_off(const ast_text *t, size_t k);
/* Source span of text bytes [k0, k1). */
span ast_text_src_span(const ast_text *t, size_t k0, size_t k1);

typedef enum ast_type_kind {
	TY_REAL,                /* dim 0: scalar; else real[dim] */
	TY_CLASS,               /* class[dim] */
	TY_PROB,                /* prob[dim] */
	TY_BINARY,
	TY_SIGN
} ast_type_kind;

/* Largest accepted vector length / class count (see lossspec(5)). */
#define AST_MAX_DIM 16777216L

/* ast_type.dim of a type whose sizes are in ast_type.sizes (v2 forms). */
#define AST_DIM_SIZES (-1L)

/* One size of a type: a whole number, or a named size (lossspec(5) TYPES). */
typedef struct ast_size {
	long n;                 /* 1..AST_MAX_DIM; 0 for a named size */
	ast_name name;          /* a named size (name.s != NULL); the resolver points
	                           name.item at its `size` or `batch` item */
} ast_size;

/*
 * A type in one of two forms.  The v1 form (no size, or one whole-number
 * size) keeps the size in dim: 0 for scalars, N for real[N] / class[N] /
 * prob[N], and sizes == NULL.  A type with a named size or with two sizes
 * (real[V], real[N, M]) has dim == AST_DIM_SIZES and its nsizes sizes in
 * sizes[], outermost first.
 */
typedef struct ast_type {
	ast_type_kind kind;
	span span;
	int nsizes;             /* v2 form: 1 or 2; else 0 */
	long dim;
	ast_size *sizes;
} ast_type;

typedef struct ast_range {
	int present;
	span span;              /* "in [lo, hi]" */
	double lo, hi;
} ast_range;

typedef enum ast_expr_kind {
	EX_NUM,                 /* num */
	EX_NAME,                /* name */
	EX_NEG,                 /* -a */
	EX_ADD, EX_SUB, EX_MUL, EX_DIV, EX_POW,   /* a op b */
	EX_INDEX,               /* a[name] (name set, b NULL), or a[b] for any other index */
	EX_CALL,                /* name(args) */
	EX_VEC,                 /* [elems] */
	EX_MATMUL,              /* a @ b */
	EX_LT, EX_LE, EX_GT, EX_GE, EX_EQ, EX_NE, /* a cmp b: a condition */
	EX_STR                  /* a string argument, name="none": span has the quotes,
	                           name.s the text without them */
} ast_expr_kind;

typedef struct ast_arg {
	ast_name name;          /* name.s == NULL: positional */
	ast_expr *value;
	span span;              /* whole argument, "delta=1" */
} ast_arg;

struct ast_expr {
	ast_expr_kind kind;
	span span;              /* the whole sub-expression, parentheses included */
	double num;             /* EX_NUM */
	ast_name name;          /* EX_NAME: the name; EX_CALL: the function; EX_INDEX: the index */
	ast_expr *a, *b;        /* EX_NEG: a; binary: a, b; EX_INDEX: a is the vector,
	                           b the index unless it is a bare name */
	ast_arg *args;          /* EX_CALL */
	size_t nargs;
	ast_expr **elems;       /* EX_VEC */
	size_t nelems;
};

typedef enum ast_item_kind {
	IT_ABOUT, IT_SOURCE, IT_SETUP, IT_BECAUSE,          /* text */
	IT_INPUT, IT_LABEL, IT_OUTPUT,                      /* name, type, range */
	IT_PARAM,                                           /* name, type, expr */
	IT_LET,                                             /* name, expr */
	IT_VALUE,                                           /* expr */
	IT_REDUCE,                                          /* choice: ast_reduce */
	IT_PRECISION,                                       /* choice: ast_precision */
	IT_CLAIM, IT_USES,                                  /* names */
	IT_TRAINED_BY,                                      /* name */
	IT_CARES_ABOUT,                                     /* choice: ast_care; name (goal) or text (other) */
	IT_SIZE,                                            /* name: a named size */
	IT_BATCH                                            /* name: the loss's batch size */
} ast_item_kind;

typedef enum ast_reduce { RED_MEAN, RED_SUM, RED_NONE } ast_reduce;
/* An input's or output's level (lossspec(5) BATCHES). */
typedef enum ast_level { LEVEL_EXAMPLE, LEVEL_BATCH } ast_level;
typedef enum ast_precision { PREC_FLOAT32, PREC_FLOAT64 } ast_precision;
typedef enum ast_care { CARE_REGISTER, CARE_PREDICTIONS, CARE_GOAL, CARE_OTHER } ast_care;

/* Fields ordered so no padding falls between them (the AST dominates
   peak memory on large specs; one item per ~30 bytes of source). */
struct ast_item {
	ast_item_kind kind;
	span span;              /* the whole item, keyword to ';' */
	span kw;                /* the leading keyword */
	int choice;             /* ast_reduce / ast_precision / ast_care; input and
	                           output: ast_level */
	span choice_span;       /* the word "mean", "float32", "register", ...;
	                           input and output: "per batch" */
	ast_text text;          /* text items; cares_about other */
	ast_name name;
	ast_type type;
	ast_range range;
	ast_expr *expr;         /* param, let, value; reduce: the weight, or NULL */
	ast_name *names;        /* claim, uses */
	size_t nnames;
	ast_item *next;
};

typedef enum ast_decl_kind { DECL_DATASET, DECL_LOSS, DECL_GOAL, DECL_RATIONALE, DECL_AGENT } ast_decl_kind;

struct ast_decl {
	ast_decl_kind kind;
	span span;              /* keyword to closing brace */
	span kw;
	ast_name name;
	ast_name target;        /* loss ... on DATASET; rationale ... for GOAL; else s == NULL */
	ast_item *items;
	ast_decl *next;
};

/*
 * A `// lossc: ...` comment, recorded by the scanner for the suppression
 * pass.  body is the text after "lossc:" (trimmed).  A standalone
 * directive (alone on its line) applies to target_line: the line of the
 * next token after it (0 if none); a trailing one applies to its own line.
 */
typedef struct ast_directive {
	span span;              /* the whole comment */
	const char *body;
	size_t body_len;
	unsigned long line;
	unsigned long target_line;
	unsigned long target_end_line;  /* documents: an allow governs target_line..this (0: one line) */
	int document;                   /* an HTML comment in a document (doc.h): no fix rewrites it */
	struct ast_directive *next;
	int standalone;
} ast_directive;

/*
 * Any comment, line or block, directives included: recorded only when
 * the file was parsed with PARSE_KEEP_COMMENTS (the formatter needs them;
 * the linter does not pay for them).  span covers the whole comment; a
 * line comment's span stops before its newline.
 */
typedef struct ast_comment {
	span span;
	struct ast_comment *next;
} ast_comment;

typedef struct ast_file {
	const source *src;
	arena *arena;
	ast_decl *decls;
	ast_directive *directives;
	ast_comment *comments;  /* in source order; NULL unless PARSE_KEEP_COMMENTS */
	int syntax_errors;      /* LS001 findings queued while parsing */
} ast_file;

const char *ast_decl_kind_name(ast_decl_kind k);     /* "dataset", "loss", ... */
const char *ast_item_kind_name(ast_item_kind k);     /* "about", "input", ... */
const char *ast_reduce_name(ast_reduce r);
const char *ast_precision_name(ast_precision p);
/* Write "real[4]", "class[V]", "real[N, 3]", "binary" ... into buf; returns buf. */
char *ast_type_str(const ast_type *t, char *buf, size_t size);

/* First item of a kind in a declaration, or NULL. */
ast_item *ast_find_item(const ast_decl *d, ast_item_kind kind);

/*
 * 1 when a and b are the same tree modulo layout: spans, resolver links,
 * comments and directives are ignored (ast_equal.c).  Otherwise 0, and
 * why (when not NULL) names the first difference.
 */
int ast_equal(const ast_file *a, const ast_file *b, char *why, size_t whylen);

/*
 * A 64-bit digest of what ast_equal compares: trees ast_equal calls equal
 * have equal digests (and different ones, different digests but for a
 * 2^-64 chance), so a tree can be freed and compared later.
 */
uint64_t ast_digest(const ast_file *f);

void ast_file_free(ast_file *f);

#endif
