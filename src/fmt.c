/*
 * fmt.c: the canonical layout of a .loss file (fmt.h).
 *
 * The file is printed as a sequence of atoms: a declaration's header
 * (`loss ce on mnist {`), each item, and its closing brace.  Each atom
 * becomes a pretty-printing document (pp.h) built from the tree, never
 * from the input's layout: one item a line, operators spaced by their
 * precedence, only the parentheses the tree needs, long prose split into
 * adjacent strings at the width.  Comments are interleaved by source
 * position between atoms: a comment that followed code on its line still
 * follows it, one on a line of its own keeps a line of its own.
 *
 * Two things would break if an atom were re-laid out freely:
 *   - a comment inside an atom (between two tokens of an expression or
 *     two pieces of a text) has no canonical place;
 *   - an `allow` directive covers the findings that start on its target
 *     line, so the tokens on that line must stay together, alone.
 * Such atoms are printed "kept": their tokens, with canonical spacing,
 * break lines exactly where the input did, and atoms sharing a directive's
 * target line stay on one line.  Every token of a kept atom carries its
 * source offset (found by the small scanner below), which is how line
 * breaks and comments are put back in place.
 */
#include "fmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "pp.h"
#include "xalloc.h"

enum fmt_atom_kind { ATOM_HEADER, ATOM_ITEM, ATOM_CLOSE };

typedef struct fmt_atom {
	enum fmt_atom_kind kind;
	const ast_decl *d;
	const ast_item *it;     /* ATOM_ITEM */
	uint32_t start, end;    /* source extent: first byte of its first token, end of its last */
} fmt_atom;

/* One word of a text being filled: raw (escaped) bytes up to a break point. */
typedef struct fmt_word {
	size_t end;             /* raw stream offset one past the word */
	size_t width;
	int forced;             /* a "\n" ends it: the next word starts a new piece */
} fmt_word;

typedef struct fmt_piece {
	uint32_t start, len;    /* a string piece's contents in the source (inside the quotes) */
	size_t cum;             /* raw stream offset of its first byte */
} fmt_piece;

typedef struct fmt {
	const source *src;
	const char *text;
	uint32_t len;
	unsigned width;
	pp_out out;
	pp_doc doc;

	const ast_comment *com; /* next comment to print */
	uint32_t last_end;      /* source end of the last token or comment printed */
	int emitted;            /* something is printed */
	int need_nl;            /* a line comment ended the output line */
	int last_kind;          /* kind of the last atom printed, -1 at the start */
	int comments_since;     /* comments printed since that atom */
	int fresh_header;       /* a header is the last line printed: no blank line may follow */
	int after_close;        /* a declaration ended and no line has started since */

	unsigned long *ann;     /* target lines of allow directives, sorted */
	size_t nann, ann_i;

	int keep;               /* building a kept atom: find every token's offset */
	unsigned indent;        /* indentation of the atom being built */

	fmt_word *words;
	size_t nwords, words_cap;
	fmt_piece *pieces;
	size_t npieces, pieces_cap;
} fmt;

/* ---- the source, token by token ------------------------------------ */

static unsigned long fmt_line(const fmt *m, size_t off)
{
	return source_line_of(m->src, off);
}

static int fmt_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* The first offset at or after off that is neither blank nor inside a comment. */
static uint32_t fmt_skip(const fmt *m, uint32_t off)
{
	const char *t = m->text;
	while (off < m->len) {
		if (fmt_is_blank(t[off])) {
			off++;
		} else if (t[off] == '/' && off + 1 < m->len && t[off + 1] == '/') {
			/* as the lexer: a line comment ends at CR or LF */
			while (off < m->len && t[off] != '\n' && t[off] != '\r')
				off++;
		} else if (t[off] == '/' && off + 1 < m->len && t[off + 1] == '*') {
			off += 2;
			while (off < m->len && !(t[off] == '*' && off + 1 < m->len && t[off + 1] == '/'))
				off++;
			off = off + 2 < m->len ? off + 2 : m->len;
		} else {
			break;
		}
	}
	return off;
}

/* Offset of the token `ch` expected next after from, or PP_NOPOS when not keeping positions. */
static uint32_t fmt_at(const fmt *m, uint32_t from, char ch)
{
	if (!m->keep)
		return PP_NOPOS;
	uint32_t p = fmt_skip(m, from);
	return p < m->len && m->text[p] == ch ? p : PP_NOPOS;
}

/* Past any '(' (and blanks, comments) at off: where an expression's own first token is. */
static uint32_t fmt_skip_parens(const fmt *m, uint32_t off)
{
	for (;;) {
		off = fmt_skip(m, off);
		if (off < m->len && m->text[off] == '(')
			off++;
		else
			return off;
	}
}

/* Length of the number literal at off (lossspec(5): digits, fraction, exponent). */
static uint32_t fmt_number_len(const fmt *m, uint32_t off)
{
	const char *t = m->text;
	uint32_t i = off;
	while (i < m->len && t[i] >= '0' && t[i] <= '9')
		i++;
	if (i + 1 < m->len && t[i] == '.' && t[i + 1] >= '0' && t[i + 1] <= '9') {
		i++;
		while (i < m->len && t[i] >= '0' && t[i] <= '9')
			i++;
	}
	if (i < m->len && (t[i] == 'e' || t[i] == 'E')) {
		uint32_t j = i + 1;
		if (j < m->len && (t[j] == '+' || t[j] == '-'))
			j++;
		if (j < m->len && t[j] >= '0' && t[j] <= '9') {
			while (j < m->len && t[j] >= '0' && t[j] <= '9')
				j++;
			i = j;
		}
	}
	return i - off;
}

/* ---- building documents ---------------------------------------------- */

static void fmt_tok(fmt *m, uint32_t pos, uint32_t len)
{
	pp_text(&m->doc, m->text + pos, len, pos, len);
}

/* Punctuation or a keyword: its own spelling, at pos when known. */
static void fmt_lit(fmt *m, const char *s, uint32_t pos)
{
	size_t n = strlen(s);
	pp_text(&m->doc, s, n, pos, (uint32_t)n);
}

static void fmt_name(fmt *m, const ast_name *n)
{
	if (n->s)
		pp_text(&m->doc, n->s, n->len, n->span.start, (uint32_t)n->len);
}

/* A number as written, at off (a '-' before it is printed by the caller). */
static uint32_t fmt_number(fmt *m, uint32_t off)
{
	uint32_t n = fmt_number_len(m, off);
	fmt_tok(m, off, n);
	return off + n;
}

/* `-` and a number, or a number, at off (ranges and dimensions). */
static uint32_t fmt_signed(fmt *m, uint32_t off)
{
	off = fmt_skip(m, off);
	if (off < m->len && m->text[off] == '-') {
		fmt_lit(m, "-", m->keep ? off : PP_NOPOS);
		off = fmt_skip(m, off + 1);
	}
	return fmt_number(m, off);
}

static void fmt_type(fmt *m, const ast_type *t)
{
	static const char *const names[] = { "real", "class", "prob", "binary", "sign" };
	const char *kw = (unsigned)t->kind < 5 ? names[t->kind] : "real";
	fmt_lit(m, kw, t->span.start);
	uint32_t p = fmt_skip(m, t->span.start + (uint32_t)strlen(kw));
	if (p >= t->span.end || m->text[p] != '[')
		return;
	fmt_lit(m, "[", m->keep ? p : PP_NOPOS);
	p++;
	/* v1: one number; v2: one or two sizes, each a number or a name */
	int n = t->dim == AST_DIM_SIZES ? t->nsizes : 1;
	for (int i = 0; i < n; i++) {
		if (i) {
			p = fmt_skip(m, p);
			fmt_lit(m, ",", m->keep ? p : PP_NOPOS);
			pp_add(&m->doc, PP_SPACE);
			p++;
		}
		if (t->dim == AST_DIM_SIZES && t->sizes[i].name.s) {
			fmt_name(m, &t->sizes[i].name);
			p = t->sizes[i].name.span.end;
		} else {
			p = fmt_signed(m, p);
		}
	}
	fmt_lit(m, "]", fmt_at(m, p, ']'));
}

static void fmt_range(fmt *m, const ast_range *r)
{
	fmt_lit(m, "in", r->span.start);
	pp_add(&m->doc, PP_SPACE);
	uint32_t p = fmt_skip(m, r->span.start + 2);
	fmt_lit(m, "[", m->keep ? p : PP_NOPOS);
	p = fmt_signed(m, p + 1);
	uint32_t comma = fmt_skip(m, p);
	fmt_lit(m, ",", m->keep ? comma : PP_NOPOS);
	pp_add(&m->doc, PP_SPACE);
	p = fmt_signed(m, comma + 1);
	fmt_lit(m, "]", fmt_at(m, p, ']'));
}

/* ---- expressions ---- */

/* Binding strength, loosest first, as in lossspec(5): comparisons, + -, * / @, unary -, ^, postfix. */
static int fmt_prec(const ast_expr *e)
{
	switch (e->kind) {
	case EX_LT: case EX_LE: case EX_GT: case EX_GE: case EX_EQ: case EX_NE: return 0;
	case EX_ADD: case EX_SUB: return 1;
	case EX_MUL: case EX_DIV: case EX_MATMUL: return 2;
	case EX_NEG: return 3;
	case EX_POW: return 4;
	case EX_INDEX: case EX_CALL: return 5;
	default: return 6;
	}
}

static const char *fmt_op(ast_expr_kind k)
{
	switch (k) {
	case EX_ADD: return "+";
	case EX_SUB: return "-";
	case EX_MUL: return "*";
	case EX_DIV: return "/";
	case EX_MATMUL: return "@";
	case EX_LT: return "<";
	case EX_LE: return "<=";
	case EX_GT: return ">";
	case EX_GE: return ">=";
	case EX_EQ: return "==";
	case EX_NE: return "!=";
	default: return "^";
	}
}

static void fmt_expr(fmt *m, const ast_expr *e);

/* A sub-expression, in parentheses when the tree needs them there. */
static void fmt_operand(fmt *m, const ast_expr *e, int paren)
{
	if (!paren) {
		fmt_expr(m, e);
		return;
	}
	/* The tree can only need parentheses the input wrote: e's span starts and ends with them. */
	int written = m->text[e->span.start] == '(' && e->span.end > 0 && m->text[e->span.end - 1] == ')';
	fmt_lit(m, "(", written ? e->span.start : PP_NOPOS);
	pp_add(&m->doc, PP_GROUP);
	pp_nest(&m->doc, 4);
	pp_add(&m->doc, PP_SOFTLINE);
	fmt_expr(m, e);
	pp_add(&m->doc, PP_END);
	pp_add(&m->doc, PP_SOFTLINE);
	pp_add(&m->doc, PP_END);
	fmt_lit(m, ")", written ? e->span.end - 1 : PP_NOPOS);
}

/*
 * A run of one precedence level, a - b + c, is one group: flat when it
 * fits, else one operand a line with its operator in front.  The left
 * spine is walked, not recursed into, and its length is bounded by the
 * parser's depth limit.
 */
#define FMT_MAX_CHAIN (PARSE_MAX_DEPTH + 8)

static void fmt_chain(fmt *m, const ast_expr *e)
{
	const ast_expr *spine[FMT_MAX_CHAIN];
	size_t n = 0;
	int p = fmt_prec(e);
	const ast_expr *x = e;
	while (n < FMT_MAX_CHAIN && fmt_prec(x) == p && x->a && x->b) {
		spine[n++] = x;
		x = x->a;
	}
	pp_add(&m->doc, PP_GROUP);
	fmt_operand(m, x, fmt_prec(x) < p);
	pp_nest(&m->doc, 4);
	while (n-- > 0) {
		const ast_expr *op = spine[n];
		pp_add(&m->doc, PP_LINE);
		fmt_lit(m, fmt_op(op->kind), fmt_at(m, op->a->span.end, fmt_op(op->kind)[0]));
		pp_add(&m->doc, PP_SPACE);
		fmt_operand(m, op->b, fmt_prec(op->b) <= p);
	}
	pp_add(&m->doc, PP_END);
	pp_add(&m->doc, PP_END);
}

/* "(a, b)" or "[a, b]": flat, or one element a line indented under the opener. */
static void fmt_list_open(fmt *m)
{
	pp_add(&m->doc, PP_GROUP);
	pp_nest(&m->doc, 4);
	pp_add(&m->doc, PP_SOFTLINE);
}

static void fmt_list_close(fmt *m)
{
	pp_add(&m->doc, PP_END);
	pp_add(&m->doc, PP_SOFTLINE);
	pp_add(&m->doc, PP_END);
}

static void fmt_list_sep(fmt *m, uint32_t after)
{
	fmt_lit(m, ",", fmt_at(m, after, ','));
	pp_add(&m->doc, PP_LINE);
}

/*
 * A list filled like prose: each separator and the element after it form
 * a group of their own, so an element goes on the current line when it
 * fits there and starts a new line otherwise.
 */
static void fmt_fill_sep(fmt *m, uint32_t after)
{
	fmt_lit(m, ",", fmt_at(m, after, ','));
	pp_add(&m->doc, PP_GROUP);
	pp_add(&m->doc, PP_LINE);
}

static void fmt_expr(fmt *m, const ast_expr *e)
{
	uint32_t p;
	switch (e->kind) {
	case EX_NUM:
		fmt_number(m, fmt_skip_parens(m, e->span.start));
		break;
	case EX_NAME:
		fmt_name(m, &e->name);
		break;
	case EX_NEG:
		/* -(-x) prints as --x, -x^2 as itself: both mean what the tree says. */
		fmt_lit(m, "-", m->keep ? fmt_skip_parens(m, e->span.start) : PP_NOPOS);
		fmt_operand(m, e->a, fmt_prec(e->a) < 3);
		break;
	case EX_POW:
		/* right-associative: (a^b)^c needs them, a^b^c and a^-b do not */
		fmt_operand(m, e->a, fmt_prec(e->a) <= 4);
		fmt_lit(m, "^", fmt_at(m, e->a->span.end, '^'));
		fmt_operand(m, e->b, fmt_prec(e->b) < 3);
		break;
	case EX_ADD: case EX_SUB: case EX_MUL: case EX_DIV: case EX_MATMUL:
		fmt_chain(m, e);
		break;
	case EX_LT: case EX_LE: case EX_GT: case EX_GE: case EX_EQ: case EX_NE:
		/* non-associative: a comparison operand keeps its parentheses */
		fmt_operand(m, e->a, fmt_prec(e->a) <= 0);
		pp_add(&m->doc, PP_SPACE);
		fmt_lit(m, fmt_op(e->kind), fmt_at(m, e->a->span.end, fmt_op(e->kind)[0]));
		pp_add(&m->doc, PP_SPACE);
		fmt_operand(m, e->b, fmt_prec(e->b) <= 0);
		break;
	case EX_INDEX:
		fmt_operand(m, e->a, fmt_prec(e->a) < 5);
		fmt_lit(m, "[", fmt_at(m, e->a->span.end, '['));
		if (e->b) {
			fmt_expr(m, e->b);
			fmt_lit(m, "]", fmt_at(m, e->b->span.end, ']'));
		} else {
			fmt_name(m, &e->name);
			fmt_lit(m, "]", fmt_at(m, e->name.span.end, ']'));
		}
		break;
	case EX_STR:
		/* as written, quotes and escapes included */
		fmt_tok(m, e->span.start, e->span.end - e->span.start);
		break;
	case EX_CALL:
		fmt_name(m, &e->name);
		p = fmt_at(m, e->name.span.end, '(');
		fmt_lit(m, "(", p);
		if (e->nargs) {
			fmt_list_open(m);
			for (size_t i = 0; i < e->nargs; i++) {
				const ast_arg *a = &e->args[i];
				if (i)
					fmt_list_sep(m, e->args[i - 1].span.end);
				if (a->name.s) {
					fmt_name(m, &a->name);
					fmt_lit(m, "=", fmt_at(m, a->name.span.end, '='));
				}
				fmt_expr(m, a->value);
			}
			fmt_list_close(m);
			p = e->args[e->nargs - 1].span.end;
		} else {
			p = p == PP_NOPOS ? e->name.span.end : p + 1;
		}
		fmt_lit(m, ")", fmt_at(m, p, ')'));
		break;
	case EX_VEC:
		/* filled: a long vector of weights takes a few lines, not one a number */
		fmt_lit(m, "[", m->keep ? fmt_skip_parens(m, e->span.start) : PP_NOPOS);
		pp_nest(&m->doc, 4);
		for (size_t i = 0; i < e->nelems; i++) {
			if (i)
				fmt_fill_sep(m, e->elems[i - 1]->span.end);
			fmt_expr(m, e->elems[i]);
			if (i)
				pp_add(&m->doc, PP_END);
		}
		pp_add(&m->doc, PP_END);
		fmt_lit(m, "]", e->nelems ? fmt_at(m, e->elems[e->nelems - 1]->span.end, ']') : PP_NOPOS);
		break;
	}
}

/* ---- texts ---- */

/* The string pieces of t, as written (their contents, inside the quotes). */
static void fmt_text_pieces(fmt *m, const ast_text *t)
{
	m->npieces = 0;
	size_t cum = 0;
	uint32_t off = t->span.start;
	while (off < t->span.end && off < m->len && m->text[off] == '"') {
		uint32_t i = off + 1;
		while (i < m->len && m->text[i] != '"')
			i += m->text[i] == '\\' ? 2 : 1;
		m->pieces = pp_grow(m->pieces, &m->pieces_cap, m->npieces + 1, sizeof *m->pieces);
		m->pieces[m->npieces++] = (fmt_piece){ off + 1, i - off - 1, cum };
		cum += i - off - 1;
		off = fmt_skip(m, i + 1);
	}
}

static void fmt_add_word(fmt *m, size_t end, size_t width, int forced)
{
	m->words = pp_grow(m->words, &m->words_cap, m->nwords + 1, sizeof *m->words);
	m->words[m->nwords++] = (fmt_word){ end, width, forced };
}

/*
 * Words of the raw stream (the pieces' contents joined, escapes as
 * written): a word ends after a run of blanks that a non-blank follows,
 * or after a "\n" escape, which also forces the next piece.
 */
static void fmt_text_words(fmt *m)
{
	size_t start = 0, width = 0;
	int prev_space = 0;
	m->nwords = 0;
	for (size_t k = 0; k < m->npieces; k++) {
		const char *s = m->text + m->pieces[k].start;
		size_t n = m->pieces[k].len, base = m->pieces[k].cum;
		for (size_t i = 0; i < n;) {
			int sp = s[i] == ' ';
			if (!sp && prev_space && base + i > start) {
				fmt_add_word(m, base + i, width, 0);
				start = base + i;
				width = 0;
			}
			prev_space = sp;
			if (s[i] == '\\' && i + 1 < n) {
				int newline = s[i + 1] == 'n';
				i += 2;
				width += 2;
				if (newline) {
					fmt_add_word(m, base + i, width, 1);
					start = base + i;
					width = 0;
				}
				continue;
			}
			if (((unsigned char)s[i] & 0xC0) != 0x80)
				width++;
			i++;
		}
	}
	size_t total = m->npieces ? m->pieces[m->npieces - 1].cum + m->pieces[m->npieces - 1].len : 0;
	if (total > start || m->nwords == 0)
		fmt_add_word(m, total, width, 0);
}

/* Raw stream bytes [a, b) as texts, one per source piece they come from. */
static void fmt_raw(fmt *m, size_t a, size_t b, size_t *k)
{
	while (a < b) {
		while (*k + 1 < m->npieces && m->pieces[*k + 1].cum <= a)
			(*k)++;
		const fmt_piece *p = &m->pieces[*k];
		size_t end = p->cum + p->len < b ? p->cum + p->len : b;
		if (end <= a)
			break;
		pp_text(&m->doc, m->text + p->start + (a - p->cum), end - a, PP_NOPOS, 0);
		a = end;
	}
}

/*
 * A text: kept, its pieces as written; else its words filled greedily
 * into pieces that end within the width (at least one word a piece),
 * continuation pieces aligned under the first quote.  col is the column
 * of that quote, known because nothing before it on the line can break.
 */
static void fmt_text(fmt *m, const ast_text *t, unsigned col)
{
	fmt_text_pieces(m, t);
	pp_add(&m->doc, PP_ALIGN);
	if (m->keep) {
		for (size_t k = 0; k < m->npieces; k++) {
			if (k)
				pp_add(&m->doc, PP_LINE);
			fmt_tok(m, m->pieces[k].start - 1, m->pieces[k].len + 2);
		}
		pp_add(&m->doc, PP_END);
		return;
	}
	fmt_text_words(m);
	size_t w = 0, from = 0, k = 0;
	int open = 0;
	for (size_t i = 0; i < m->nwords; i++) {
		const fmt_word *wd = &m->words[i];
		int last = i + 1 == m->nwords;
		if (open && col + 2 + w + wd->width + (last ? 1 : 0) > m->width) {
			fmt_raw(m, from, m->words[i - 1].end, &k);
			pp_lit(&m->doc, "\"");
			pp_add(&m->doc, PP_HARDLINE);
			from = m->words[i - 1].end;
			open = 0;
		}
		if (!open) {
			pp_lit(&m->doc, "\"");
			open = 1;
			w = 0;
		}
		w += wd->width;
		if (wd->forced && !last) {
			fmt_raw(m, from, wd->end, &k);
			pp_lit(&m->doc, "\"");
			pp_add(&m->doc, PP_HARDLINE);
			from = wd->end;
			open = 0;
		}
	}
	if (open) {
		fmt_raw(m, from, m->words[m->nwords - 1].end, &k);
		pp_lit(&m->doc, "\"");
	}
	pp_add(&m->doc, PP_END);
}

/* ---- atoms ---- */

/* `claim a, b;` and `uses a, b;`: filled, continuation lines aligned under the first name. */
static void fmt_names(fmt *m, const ast_item *it)
{
	pp_add(&m->doc, PP_ALIGN);
	for (size_t i = 0; i < it->nnames; i++) {
		if (i)
			fmt_fill_sep(m, it->names[i - 1].span.end);
		fmt_name(m, &it->names[i]);
		if (i)
			pp_add(&m->doc, PP_END);
	}
	pp_add(&m->doc, PP_END);
}

/* `x: real[4]` */
static void fmt_name_type(fmt *m, const ast_item *it)
{
	fmt_name(m, &it->name);
	fmt_lit(m, ":", fmt_at(m, it->name.span.end, ':'));
	pp_add(&m->doc, PP_SPACE);
	fmt_type(m, &it->type);
}

static void fmt_item(fmt *m, const ast_item *it)
{
	const char *kw = ast_item_kind_name(it->kind);
	unsigned col = m->indent + (unsigned)strlen(kw) + 1;
	fmt_lit(m, kw, it->kw.start);
	pp_add(&m->doc, PP_SPACE);
	switch (it->kind) {
	case IT_ABOUT: case IT_SOURCE: case IT_SETUP: case IT_BECAUSE:
		fmt_text(m, &it->text, col);
		break;
	case IT_INPUT: case IT_LABEL: case IT_OUTPUT:
		fmt_name_type(m, it);
		if (it->range.present) {
			pp_add(&m->doc, PP_SPACE);
			fmt_range(m, &it->range);
		}
		if (it->kind != IT_LABEL && it->choice == LEVEL_BATCH) {
			pp_add(&m->doc, PP_SPACE);
			fmt_lit(m, "per", it->choice_span.start);
			pp_add(&m->doc, PP_SPACE);
			fmt_lit(m, "batch", PP_NOPOS);
		}
		break;
	case IT_SIZE: case IT_BATCH:
		fmt_name(m, &it->name);
		break;
	case IT_PARAM:
		fmt_name_type(m, it);
		pp_add(&m->doc, PP_SPACE);
		fmt_lit(m, "=", fmt_at(m, it->type.span.end, '='));
		pp_add(&m->doc, PP_SPACE);
		fmt_expr(m, it->expr);
		break;
	case IT_LET:
		fmt_name(m, &it->name);
		pp_add(&m->doc, PP_SPACE);
		fmt_lit(m, "=", fmt_at(m, it->name.span.end, '='));
		pp_add(&m->doc, PP_SPACE);
		fmt_expr(m, it->expr);
		break;
	case IT_VALUE:
		fmt_lit(m, "=", fmt_at(m, it->kw.end, '='));
		pp_add(&m->doc, PP_SPACE);
		fmt_expr(m, it->expr);
		break;
	case IT_REDUCE: case IT_PRECISION:
		fmt_tok(m, it->choice_span.start, it->choice_span.end - it->choice_span.start);
		if (it->kind == IT_REDUCE && it->expr) {
			pp_add(&m->doc, PP_SPACE);
			fmt_lit(m, "weight", fmt_skip(m, it->choice_span.end));
			pp_add(&m->doc, PP_SPACE);
			fmt_expr(m, it->expr);
		}
		break;
	case IT_CLAIM: case IT_USES:
		fmt_names(m, it);
		break;
	case IT_TRAINED_BY:
		fmt_name(m, &it->name);
		break;
	case IT_CARES_ABOUT:
		fmt_tok(m, it->choice_span.start, it->choice_span.end - it->choice_span.start);
		if (it->choice == CARE_GOAL) {
			pp_add(&m->doc, PP_SPACE);
			fmt_name(m, &it->name);
		} else if (it->choice == CARE_OTHER) {
			pp_add(&m->doc, PP_SPACE);
			fmt_text(m, &it->text, col + (unsigned)strlen("other "));
		}
		break;
	}
	fmt_lit(m, ";", it->span.end - 1);
}

/* Where the '{' after a declaration's header is. */
static uint32_t fmt_brace(const fmt *m, const ast_decl *d)
{
	uint32_t from = d->target.s ? d->target.span.end : d->name.s ? d->name.span.end : d->kw.end;
	return fmt_skip(m, from);
}

static void fmt_header(fmt *m, const ast_decl *d)
{
	fmt_lit(m, ast_decl_kind_name(d->kind), d->kw.start);
	pp_add(&m->doc, PP_SPACE);
	fmt_name(m, &d->name);
	if (d->target.s) {
		pp_add(&m->doc, PP_SPACE);
		fmt_lit(m, d->kind == DECL_LOSS ? "on" : "for", m->keep ? fmt_skip(m, d->name.span.end) : PP_NOPOS);
		pp_add(&m->doc, PP_SPACE);
		fmt_name(m, &d->target);
	}
	pp_add(&m->doc, PP_SPACE);
	fmt_lit(m, "{", fmt_brace(m, d));
}

static void fmt_atom_doc(fmt *m, const fmt_atom *a)
{
	switch (a->kind) {
	case ATOM_HEADER:
		fmt_header(m, a->d);
		break;
	case ATOM_ITEM:
		fmt_item(m, a->it);
		break;
	case ATOM_CLOSE:
		fmt_lit(m, "}", a->start);
		break;
	}
}

static unsigned fmt_atom_indent(const fmt_atom *a)
{
	return a->kind == ATOM_ITEM ? 4 : 0;
}

static void fmt_atom_set(fmt *m, fmt_atom *a, enum fmt_atom_kind k, const ast_decl *d, const ast_item *it)
{
	a->kind = k;
	a->d = d;
	a->it = it;
	switch (k) {
	case ATOM_HEADER:
		a->start = d->kw.start;
		a->end = fmt_brace(m, d) + 1;
		break;
	case ATOM_ITEM:
		a->start = it->span.start;
		a->end = it->span.end;
		break;
	case ATOM_CLOSE:
		a->start = d->span.end - 1;
		a->end = d->span.end;
		break;
	}
}

/* The atom after a; 0 at the end of the file. */
static int fmt_atom_next(fmt *m, const fmt_atom *a, fmt_atom *next)
{
	const ast_item *it;
	switch (a->kind) {
	case ATOM_HEADER: case ATOM_ITEM:
		it = a->kind == ATOM_HEADER ? a->d->items : a->it->next;
		fmt_atom_set(m, next, it ? ATOM_ITEM : ATOM_CLOSE, a->d, it);
		return 1;
	case ATOM_CLOSE:
		if (!a->d->next)
			return 0;
		fmt_atom_set(m, next, ATOM_HEADER, a->d->next, NULL);
		return 1;
	}
	return 0;
}

/* ---- directives ------------------------------------------------------- */

static int fmt_ulong_cmp(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
	return x < y ? -1 : x > y;
}

/* The lines allow directives point at (an allow-file points at no line). */
static void fmt_directive_lines(fmt *m, const ast_file *f)
{
	size_t n = 0, cap = 0;
	for (const ast_directive *d = f->directives; d; d = d->next) {
		if (d->body_len >= 10 && memcmp(d->body, "allow-file", 10) == 0)
			continue;
		unsigned long line = d->standalone ? d->target_line : d->line;
		if (line == 0)
			continue;
		m->ann = pp_grow(m->ann, &cap, n + 1, sizeof *m->ann);
		m->ann[n++] = line;
	}
	if (n)
		qsort(m->ann, n, sizeof *m->ann, fmt_ulong_cmp);
	m->nann = n;
	m->ann_i = 0;
}

static int fmt_annotated(const fmt *m, unsigned long line)
{
	size_t lo = 0, hi = m->nann;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->ann[mid] < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nann && m->ann[lo] == line;
}

/* Must a be kept as written: a comment inside it, or a directive's target line on it? */
static int fmt_keep_atom(fmt *m, const fmt_atom *a)
{
	if (m->com && m->com->span.start < a->end)
		return 1;
	unsigned long l0 = fmt_line(m, a->start), l1 = fmt_line(m, a->end ? a->end - 1 : 0);
	while (m->ann_i < m->nann && m->ann[m->ann_i] < l0)
		m->ann_i++;
	return m->ann_i < m->nann && m->ann[m->ann_i] <= l1;
}

/* Do a and b share a line that a directive points at (so they must stay on it)? */
static int fmt_join(const fmt *m, const fmt_atom *a, const fmt_atom *b)
{
	unsigned long la = fmt_line(m, a->end - 1);
	return la == fmt_line(m, b->start) && fmt_annotated(m, la);
}

/* ---- comments and separation --------------------------------------- */

static int fmt_is_line_comment(const fmt *m, const ast_comment *c)
{
	return m->text[c->span.start + 1] == '/';
}

/*
 * A comment: after the code on its line when it followed code there,
 * else on a line of its own (after one blank line when `blank` says so),
 * at `indent`.
 */
static void fmt_comment(fmt *m, const ast_comment *c, unsigned indent, int blank)
{
	const char *s = m->text + c->span.start;
	size_t n = c->span.end - c->span.start;
	int line_comment = fmt_is_line_comment(m, c);
	if (m->emitted && !m->need_nl && fmt_line(m, c->span.start) == fmt_line(m, m->last_end)) {
		if (line_comment) {
			pp_out_trim(&m->out);
			pp_out_text(&m->out, "  ", 2);
		} else {
			pp_out_space(&m->out);
		}
	} else if (m->emitted) {
		if (blank)
			pp_out_newline(&m->out, 0);
		pp_out_newline(&m->out, indent);
	}
	pp_out_text(&m->out, s, n);
	if (line_comment)
		pp_out_trim(&m->out);
	else
		pp_out_space(&m->out);  /* before code that follows on the line (dropped at its end) */
	m->last_end = c->span.end;
	m->emitted = 1;
	m->need_nl = line_comment;
	m->comments_since++;
}

/* Comments before offset `before`, between atoms. */
static void fmt_comments_between(fmt *m, uint32_t before)
{
	while (m->com && m->com->span.start < before) {
		const ast_comment *c = m->com;
		int own_line = !m->emitted || m->need_nl || fmt_line(m, c->span.start) != fmt_line(m, m->last_end);
		int inside = m->last_kind == ATOM_HEADER || m->last_kind == ATOM_ITEM;
		int blank = 0;
		if (own_line && m->emitted) {
			if (m->after_close)
				blank = 1;
			else if (!m->fresh_header)
				blank = fmt_line(m, c->span.start) >= fmt_line(m, m->last_end) + 2;
		}
		fmt_comment(m, c, inside ? 4 : 0, blank);
		if (own_line) {
			m->after_close = 0;
			m->fresh_header = 0;
		}
		m->com = c->next;
	}
}

/* Comments inside a kept atom, before the token at pos. */
static void fmt_comments_inside(fmt *m, uint32_t pos, unsigned indent)
{
	while (m->com && m->com->span.start < pos) {
		fmt_comment(m, m->com, indent, 0);
		m->com = m->com->next;
	}
}

/*
 * The line break (and blank line) before atom a starts.  An empty body
 * closes on its header's line (`goal g {}`), unless the brace is kept on
 * a directive's line of its own: joining the header to that line would
 * put the header's findings under the directive.
 */
static void fmt_separate(fmt *m, const fmt_atom *a, int keep)
{
	if (!m->emitted)
		return;
	if (a->kind == ATOM_CLOSE && m->last_kind == ATOM_HEADER && m->comments_since == 0 && !keep)
		return;
	int blank = 0;
	if (a->kind == ATOM_HEADER && m->after_close)
		blank = 1;
	else if (a->kind != ATOM_CLOSE && !m->fresh_header)
		blank = fmt_line(m, a->start) >= fmt_line(m, m->last_end) + 2;
	if (blank)
		pp_out_newline(&m->out, 0);
	pp_out_newline(&m->out, fmt_atom_indent(a));
	m->need_nl = 0;
	m->after_close = 0;
}

/*
 * A kept group of atoms: the document flat, except that a token starts a
 * new line where the source started one before it, and comments come
 * back between the tokens they sat between.
 */
static void fmt_render_kept(fmt *m, unsigned indent, uint32_t end)
{
	pp_doc *d = &m->doc;
	unsigned least = indent + 4;    /* a line that continues an atom is indented past it */
	unsigned *stack = xmalloc((d->n + 1) * sizeof *stack);
	size_t top = 0;
	for (size_t i = 0; i < d->n; i++) {
		const pp_el *e = &d->v[i];
		switch (e->kind) {
		case PP_TEXT:
			if (e->pos != PP_NOPOS) {
				fmt_comments_inside(m, e->pos, indent > least ? indent : least);
				if (m->need_nl || fmt_line(m, e->pos) > fmt_line(m, m->last_end)) {
					pp_out_newline(&m->out, indent > least ? indent : least);
					m->need_nl = 0;
				}
				m->last_end = e->pos + e->srclen;
			} else if (m->need_nl) {
				pp_out_newline(&m->out, indent > least ? indent : least);
				m->need_nl = 0;
			}
			pp_out_text(&m->out, e->s, e->len);
			break;
		case PP_SPACE: case PP_LINE:
			pp_out_space(&m->out);
			break;
		case PP_HARDLINE:
			pp_out_newline(&m->out, indent);
			break;
		case PP_GROUP: case PP_NEST: case PP_ALIGN:
			stack[top++] = indent;
			if (e->kind == PP_NEST)
				indent += (unsigned)e->n;
			else if (e->kind == PP_ALIGN)
				indent = (unsigned)m->out.col;
			break;
		case PP_END:
			if (top)
				indent = stack[--top];
			break;
		default:
			break;
		}
	}
	free(stack);
	fmt_comments_inside(m, end, indent > least ? indent : least);
}

char *fmt_file(const ast_file *f, unsigned width, size_t *len)
{
	fmt m;
	memset(&m, 0, sizeof m);
	m.src = f->src;
	m.text = f->src->text;
	m.len = (uint32_t)f->src->len;
	m.width = width;
	m.com = f->comments;
	m.last_kind = -1;
	pp_out_init(&m.out);
	pp_doc_init(&m.doc);
	fmt_directive_lines(&m, f);

	fmt_atom a, next;
	int have = 0;
	if (f->decls) {
		fmt_atom_set(&m, &a, ATOM_HEADER, f->decls, NULL);
		have = 1;
	}
	while (have) {
		fmt_comments_between(&m, a.start);
		int keep = fmt_keep_atom(&m, &a);
		fmt_separate(&m, &a, keep);
		int more = fmt_atom_next(&m, &a, &next);
		if (more && fmt_join(&m, &a, &next))
			keep = 1;
		m.keep = keep;
		m.indent = fmt_atom_indent(&a);
		pp_doc_clear(&m.doc);
		fmt_atom_doc(&m, &a);
		unsigned indent = m.indent;
		uint32_t first_start = a.start;
		if (!keep) {
			pp_render(&m.doc, &m.out, indent, m.width);
			m.last_end = a.end;
		} else {
			/* The group: a and every atom that shares a directive's line with the one before. */
			while (more && fmt_join(&m, &a, &next)) {
				/* `goal g {}` as in the canonical layout, else one blank between atoms */
				if (!(a.kind == ATOM_HEADER && next.kind == ATOM_CLOSE))
					pp_add(&m.doc, PP_SPACE);
				a = next;
				m.indent = fmt_atom_indent(&a);
				fmt_atom_doc(&m, &a);
				more = fmt_atom_next(&m, &a, &next);
			}
			m.last_end = first_start;
			fmt_render_kept(&m, indent, a.end);
			if (m.last_end < a.end)
				m.last_end = a.end;
		}
		m.emitted = 1;
		m.last_kind = (int)a.kind;
		m.comments_since = 0;
		m.after_close = a.kind == ATOM_CLOSE;
		m.fresh_header = a.kind == ATOM_HEADER;
		have = more;
		if (more)
			a = next;
	}
	fmt_comments_between(&m, UINT32_MAX);
	pp_out_trim(&m.out);
	if (m.out.len)
		pp_out_text(&m.out, "\n", 1);
	free(m.ann);
	free(m.words);
	free(m.pieces);
	pp_doc_free(&m.doc);
	return pp_out_take(&m.out, len);
}

size_t fmt_expr_text(const source *src, const ast_expr *e, char *buf, size_t size)
{
	fmt m;
	memset(&m, 0, sizeof m);
	m.src = src;
	m.text = src->text;
	m.len = (uint32_t)src->len;
	pp_out_init(&m.out);
	pp_doc_init(&m.doc);
	fmt_expr(&m, e);
	pp_render(&m.doc, &m.out, 0, UINT32_MAX / 2);
	size_t n;
	char *t = pp_out_take(&m.out, &n);
	if (size) {
		size_t k = n < size ? n : size - 1;
		memcpy(buf, t, k);
		buf[k] = '\0';
	}
	free(t);
	free(m.words);
	free(m.pieces);
	pp_doc_free(&m.doc);
	return n;
}

/* The expression under e (e included) whose span is exactly sp, or NULL. */
static const ast_expr *fmt_expr_at(const ast_expr *e, span sp)
{
	if (!e || sp.start < e->span.start || sp.end > e->span.end)
		return NULL;
	if (e->span.start == sp.start && e->span.end == sp.end)
		return e;
	const ast_expr *r = fmt_expr_at(e->a, sp);
	if (!r)
		r = fmt_expr_at(e->b, sp);
	for (size_t i = 0; !r && i < e->nargs; i++)
		r = fmt_expr_at(e->args[i].value, sp);
	for (size_t i = 0; !r && i < e->nelems; i++)
		r = fmt_expr_at(e->elems[i], sp);
	return r;
}

/* src's bytes in sp with each run of blanks and comments made one space
   (strings copied as they are). */
static char *fmt_squeezed(const source *src, span sp)
{
	const char *t = src->text;
	char *out = xmalloc(sp.end - sp.start + 1);
	size_t n = 0;
	int gap = 0;
	for (size_t i = sp.start; i < sp.end; i++) {
		if (t[i] == '/' && i + 1 < sp.end && t[i + 1] == '/') {
			/* as the lexer: a line comment ends at CR or LF */
			while (i < sp.end && t[i] != '\n' && t[i] != '\r')
				i++;
			gap = 1;
			continue;
		}
		if (t[i] == '/' && i + 1 < sp.end && t[i + 1] == '*') {
			/* a block comment ends at its first star-slash, as in the lexer */
			i += 2;
			while (i < sp.end && !(t[i] == '*' && i + 1 < sp.end && t[i + 1] == '/'))
				i++;
			i++;    /* onto the closing '/': the loop steps past it */
			gap = 1;
			continue;
		}
		if (fmt_is_blank(t[i]) || t[i] == '\n' || t[i] == '\r') {
			gap = 1;
			continue;
		}
		if (gap && n > 0)
			out[n++] = ' ';
		gap = 0;
		if (t[i] == '"') {      /* a string's blanks and slashes are its own */
			size_t j = i + 1;
			while (j < sp.end && t[j] != '"' && t[j] != '\n')
				j += t[j] == '\\' && j + 1 < sp.end ? 2 : 1;
			if (j >= sp.end)
				j = sp.end - 1;
			memcpy(out + n, t + i, j - i + 1);
			n += j - i + 1;
			i = j;
			continue;
		}
		out[n++] = t[i];
	}
	out[n] = '\0';
	return out;
}

char *fmt_span_text(const source *src, const ast_decl *d, span sp)
{
	const ast_expr *e = NULL;
	for (const ast_item *it = d ? d->items : NULL; !e && it; it = it->next)
		e = fmt_expr_at(it->expr, sp);
	if (!e)
		return fmt_squeezed(src, sp);
	size_t n = fmt_expr_text(src, e, NULL, 0);
	char *out = xmalloc(n + 1);
	fmt_expr_text(src, e, out, n + 1);
	return out;
}

const char *fmt_span_quote(const source *src, const ast_decl *d, span sp, char *buf, size_t size)
{
	char *t = fmt_span_text(src, d, sp);
	size_t n = strlen(t);
	if (n < size) {
		memcpy(buf, t, n + 1);
	} else {
		size_t k = size - 4;
		while (k > 0 && ((unsigned char)t[k] & 0xc0) == 0x80)
			k--;    /* never cut a character */
		memcpy(buf, t, k);
		memcpy(buf + k, "...", 4);
	}
	free(t);
	return buf;
}

/* ---- checked formatting ----------------------------------------------- */

/*
 * A digest of a file's comments as fmt writes them: blanks that end a line
 * (or the comment) are not part of a comment.
 */
static uint64_t fmt_comments_digest(const ast_file *f)
{
	uint64_t h = 14695981039346656037ULL;
	for (const ast_comment *c = f->comments; c; c = c->next) {
		const char *s = f->src->text + c->span.start;
		size_t n = c->span.end - c->span.start;
		for (size_t i = 0; i < n; i++) {
			size_t j = i;
			while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
				j++;
			if (j > i && (j == n || s[j] == '\n')) {
				i = j - 1;      /* blanks before a line end: skipped */
				continue;
			}
			h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
		}
		h = (h ^ 0x100) * 1099511628211ULL;     /* between comments: no byte value */
	}
	return h;
}

/* Did parsing fail (LS001, LS002)?  Other findings of the front end (LS301 on a dimension) do not stop fmt. */
static int fmt_unparsed(const ast_file *f, const diag_list *diags, size_t from)
{
	if (f->syntax_errors > 0)
		return 1;
	for (size_t i = from; i < diags->n; i++)
		if (!strcmp(diags->items[i].code, "LS001") || !strcmp(diags->items[i].code, "LS002"))
			return 1;
	return 0;
}

/*
 * The layout is LF-only and has no byte order mark; the file keeps its
 * own: CRLF line ends when its first line ends in CRLF, and a BOM when it
 * had one.  Editors on Windows write both, and fighting them is not
 * layout.
 */
static char *fmt_file_encoding(const source *src, char *text, size_t *n)
{
	const char *nl = memchr(src->text + src->body, '\n', src->len - src->body);
	int crlf = nl && nl > src->text + src->body && nl[-1] == '\r';
	int bom = src->body == 3;
	if (!crlf && !bom)
		return text;
	size_t lines = 0;
	for (size_t i = 0; crlf && i < *n; i++)
		lines += text[i] == '\n';
	char *t = xmalloc(*n + lines + (bom ? 3 : 0) + 1);
	size_t k = 0;
	if (bom) {
		memcpy(t, "\xEF\xBB\xBF", 3);
		k = 3;
	}
	for (size_t i = 0; i < *n; i++) {
		if (crlf && text[i] == '\n')
			t[k++] = '\r';
		t[k++] = text[i];
	}
	t[k] = '\0';
	free(text);
	*n = k;
	return t;
}

int fmt_source(const source *src, unsigned width, diag_list *diags, char **out, size_t *outlen,
	       char *why, size_t whylen)
{
	*out = NULL;
	*outlen = 0;
	size_t before = diags->n;
	ast_file *f = parse_source_opts(src, diags, PARSE_DEFAULT_MAX_ERRORS, PARSE_KEEP_COMMENTS);
	if (fmt_unparsed(f, diags, before)) {
		ast_file_free(f);
		return 1;
	}
	size_t n;
	char *text = fmt_file(f, width, &n);

	/*
	 * The result must parse to the same tree, with the same comments.
	 * The input's tree goes before the output is parsed (one tree at a
	 * time: half the memory); digests stand in for it, and only when they
	 * differ is it parsed again, to say where.
	 */
	uint64_t tree = ast_digest(f), notes = fmt_comments_digest(f);
	ast_file_free(f);
	source again;
	diag_list d2;
	diag_list_init(&d2);
	source_from_buffer(&again, src->path, text, n);
	ast_file *g = parse_source_opts(&again, &d2, 1, PARSE_KEEP_COMMENTS);
	int rc = 0;
	if (fmt_unparsed(g, &d2, 0)) {
		/* GCOVR_EXCL_START: the self-check failing is a fmt bug (fuzz_fmt and tests/fmt/props.sh hunt for one) */
		snprintf(why, whylen, "the formatted text does not parse: %s",
			 d2.n ? d2.items[0].message : "syntax error");
		rc = -1;
	} else if (ast_digest(g) != tree) {
		char diff[256];
		diag_list d3;
		diag_list_init(&d3);
		ast_file *f2 = parse_source_opts(src, &d3, 0, 0);
		if (ast_equal(f2, g, diff, sizeof diff))
			snprintf(diff, sizeof diff, "the trees' digests differ");
		snprintf(why, whylen, "the formatted text means something else: %s", diff);
		ast_file_free(f2);
		diag_list_free(&d3);
		rc = -1;
	} else if (fmt_comments_digest(g) != notes) {
		snprintf(why, whylen, "the formatted text lost or changed a comment");
		rc = -1;
		/* GCOVR_EXCL_STOP */
	}
	ast_file_free(g);
	source_free(&again);
	diag_list_free(&d2);
	if (rc) {
		free(text);     /* GCOVR_EXCL_LINE: the self-check failed (above) */
		return rc;      /* GCOVR_EXCL_LINE */
	}
	*out = fmt_file_encoding(src, text, &n);
	*outlen = n;
	return 0;
}
