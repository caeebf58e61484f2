/*
 * pp.h: a small pretty-printing engine (after Oppen and Wadler), used by
 * `lossc fmt`.
 *
 * A document is a flat list of elements: texts, break points, groups and
 * indentation changes.  pp_render() lays a document out at a width: a
 * group is printed on one line when all of it fits, otherwise each of its
 * own LINE and SOFTLINE breaks starts a new line, indented by the NEST
 * and ALIGN levels around it; groups inside decide for themselves.  The
 * layout depends only on the document and the width, never on how the
 * input was laid out, which is what makes a formatter canonical.
 *
 * Output goes to a pp_out: a growing buffer that knows its column
 * (counted in characters, as lossc counts columns), never leaves blanks
 * at the end of a line, and is what fmt hands back to its callers.
 *
 * Ownership: a pp_doc owns its element array; texts are borrowed (they
 * point into the source or the AST, which outlive the document).  A
 * pp_out owns its buffer until pp_out_take().  Out of memory aborts, as
 * everywhere in lossc.
 */
#ifndef LOSSC_PP_H
#define LOSSC_PP_H

#include <stddef.h>
#include <stdint.h>

/* Grows array p (of *cap elements of elsize bytes) to hold need; aborts when out of memory. */
void *pp_grow(void *p, size_t *cap, size_t need, size_t elsize);

/* ---- output ----------------------------------------------------------- */

typedef struct pp_out {
	char *s;
	size_t len, cap;
	size_t line_start;      /* offset of the current line's first byte */
	unsigned long col;      /* characters on the current line */
} pp_out;

void pp_out_init(pp_out *o);
void pp_out_free(pp_out *o);
/* Hands the buffer (NUL-terminated) to the caller; o is empty afterwards. */
char *pp_out_take(pp_out *o, size_t *len);

/* Appends text; a '\n' inside it ends the line (blanks before it are dropped). */
void pp_out_text(pp_out *o, const char *s, size_t len);
/* One blank before the next text, unless the line is empty or already ends in one. */
void pp_out_space(pp_out *o);
/* Ends the line (dropping trailing blanks) and indents the next one. */
void pp_out_newline(pp_out *o, unsigned indent);
/* Drops blanks at the end of the current line. */
void pp_out_trim(pp_out *o);
/* 1 when nothing but indentation is on the current line. */
int pp_out_line_empty(const pp_out *o);

/* Width in characters of UTF-8 text (continuation bytes do not count). */
unsigned long pp_width(const char *s, size_t len);

/* ---- documents -------------------------------------------------------- */

typedef enum pp_kind {
	PP_TEXT,        /* s[0..len), width columns */
	PP_SPACE,       /* always one blank */
	PP_LINE,        /* a blank when its group is flat, else a line break */
	PP_SOFTLINE,    /* nothing when its group is flat, else a line break */
	PP_HARDLINE,    /* always a line break; its groups cannot be flat */
	PP_GROUP,       /* ... PP_END: flat if it fits */
	PP_NEST,        /* ... PP_END: indent n more after breaks */
	PP_ALIGN,       /* ... PP_END: indent to the column where it starts */
	PP_END
} pp_kind;

#define PP_NOPOS UINT32_MAX

typedef struct pp_el {
	const char *s;
	uint32_t len;
	uint32_t width;         /* PP_TEXT: columns; PP_GROUP: flat width (set by pp_render) */
	uint32_t pos;           /* PP_TEXT: source offset of the token, or PP_NOPOS */
	uint32_t srclen;        /* PP_TEXT: length of the token in the source */
	uint32_t match;         /* PP_GROUP/PP_NEST/PP_ALIGN: index of the PP_END (set by pp_render) */
	int16_t n;              /* PP_NEST: indentation added */
	uint8_t kind;
} pp_el;

typedef struct pp_doc {
	pp_el *v;
	size_t n, cap;
	uint32_t *stack;        /* open groups while rendering */
	size_t stack_cap;
	uint32_t *rest;         /* per element: text width up to the next break */
	size_t rest_cap;
} pp_doc;

void pp_doc_init(pp_doc *d);
void pp_doc_free(pp_doc *d);
void pp_doc_clear(pp_doc *d);   /* empties it, keeping the memory */

/* A text; pos is its source offset (PP_NOPOS when it has none), srclen its length there. */
void pp_text(pp_doc *d, const char *s, size_t len, uint32_t pos, uint32_t srclen);
/* A text written by fmt itself (punctuation, keywords): no source position. */
void pp_lit(pp_doc *d, const char *s);
void pp_add(pp_doc *d, pp_kind k);      /* SPACE, LINE, SOFTLINE, HARDLINE, GROUP, ALIGN, END */
void pp_nest(pp_doc *d, int n);

/*
 * Lays d out at `width` columns, starting at o's current column with
 * `indent` as the indentation after a break.  Every group must be closed.
 */
void pp_render(pp_doc *d, pp_out *o, unsigned indent, unsigned width);

/*
 * Matches every PP_GROUP/PP_NEST/PP_ALIGN with its PP_END (el.match);
 * pp_render does this itself, callers that walk a document do it first.
 */
void pp_match(pp_doc *d);

#endif
