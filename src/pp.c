/*
 * pp.c: the pretty-printing engine (pp.h).
 *
 * pp_render makes one pass over the document.  Before it, pp_match pairs
 * each opening element with its PP_END and gives each group its flat
 * width (infinite when a hard break is inside), and a backward pass gives
 * every element the width of the text that follows it up to the next
 * break point.  A group is then flat when
 *
 *     column + flat width of the group + text after it up to a break <= width,
 *
 * the test of Oppen's algorithm; it costs O(1) per group, so a document
 * renders in time linear in its size whatever its nesting.
 */
#include "pp.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PP_INF UINT32_MAX

void *pp_grow(void *p, size_t *cap, size_t need, size_t elsize)
{
	if (need <= *cap)
		return p;
	size_t c = *cap ? *cap : 64;
	while (c < need)
		c *= 2;
	p = xrealloc(p, c * elsize);
	*cap = c;
	return p;
}

/* ---- output ----------------------------------------------------------- */

void pp_out_init(pp_out *o)
{
	memset(o, 0, sizeof *o);
}

void pp_out_free(pp_out *o)
{
	free(o->s);
	memset(o, 0, sizeof *o);
}

char *pp_out_take(pp_out *o, size_t *len)
{
	o->s = pp_grow(o->s, &o->cap, o->len + 1, 1);
	o->s[o->len] = '\0';
	char *s = o->s;
	if (len)
		*len = o->len;
	memset(o, 0, sizeof *o);
	return s;
}

unsigned long pp_width(const char *s, size_t len)
{
	unsigned long w = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			w++;
	return w;
}

static void pp_out_put(pp_out *o, const char *s, size_t len)
{
	o->s = pp_grow(o->s, &o->cap, o->len + len + 1, 1);
	memcpy(o->s + o->len, s, len);
	o->len += len;
}

void pp_out_trim(pp_out *o)
{
	if (!o->s)
		return;         /* nothing written yet */
	while (o->len > o->line_start && (o->s[o->len - 1] == ' ' || o->s[o->len - 1] == '\t'
					   || o->s[o->len - 1] == '\r'))
		o->len--;
	o->col = pp_width(o->s + o->line_start, o->len - o->line_start);
}

void pp_out_text(pp_out *o, const char *s, size_t len)
{
	for (;;) {
		const char *nl = memchr(s, '\n', len);
		size_t k = nl ? (size_t)(nl - s) : len;
		pp_out_put(o, s, k);
		o->col += pp_width(s, k);
		if (!nl)
			return;
		pp_out_trim(o);
		pp_out_put(o, "\n", 1);
		o->line_start = o->len;
		o->col = 0;
		s += k + 1;
		len -= k + 1;
	}
}

int pp_out_line_empty(const pp_out *o)
{
	for (size_t i = o->line_start; i < o->len; i++)
		if (o->s[i] != ' ')
			return 0;
	return 1;
}

void pp_out_space(pp_out *o)
{
	if (o->len == o->line_start || o->s[o->len - 1] == ' ')
		return;
	pp_out_put(o, " ", 1);
	o->col++;
}

void pp_out_newline(pp_out *o, unsigned indent)
{
	static const char blanks[] = "                                ";
	pp_out_trim(o);
	pp_out_put(o, "\n", 1);
	o->line_start = o->len;
	o->col = indent;
	while (indent > 0) {
		unsigned k = indent < sizeof blanks - 1 ? indent : (unsigned)(sizeof blanks - 1);
		pp_out_put(o, blanks, k);
		indent -= k;
	}
}

/* ---- documents -------------------------------------------------------- */

void pp_doc_init(pp_doc *d)
{
	memset(d, 0, sizeof *d);
}

void pp_doc_free(pp_doc *d)
{
	free(d->v);
	free(d->stack);
	free(d->rest);
	memset(d, 0, sizeof *d);
}

void pp_doc_clear(pp_doc *d)
{
	d->n = 0;
}

static pp_el *pp_push(pp_doc *d, pp_kind k)
{
	d->v = pp_grow(d->v, &d->cap, d->n + 1, sizeof *d->v);
	pp_el *e = &d->v[d->n++];
	memset(e, 0, sizeof *e);
	e->kind = (uint8_t)k;
	e->pos = PP_NOPOS;
	return e;
}

void pp_text(pp_doc *d, const char *s, size_t len, uint32_t pos, uint32_t srclen)
{
	pp_el *e = pp_push(d, PP_TEXT);
	e->s = s;
	e->len = (uint32_t)len;
	unsigned long w = pp_width(s, len);
	e->width = w >= PP_INF ? PP_INF - 1 : (uint32_t)w;
	e->pos = pos;
	e->srclen = srclen;
}

void pp_lit(pp_doc *d, const char *s)
{
	pp_text(d, s, strlen(s), PP_NOPOS, 0);
}

void pp_add(pp_doc *d, pp_kind k)
{
	pp_push(d, k);
}

void pp_nest(pp_doc *d, int n)
{
	pp_push(d, PP_NEST)->n = (int16_t)n;
}

static uint32_t pp_sat_add(uint32_t a, uint32_t b)
{
	return a >= PP_INF - b ? PP_INF : a + b;
}

void pp_match(pp_doc *d)
{
	/*
	 * Flat widths by prefix sums: wsum is the flat width before element
	 * i, hard the number of hard breaks before it; a group spans the
	 * difference at its two ends.  The stack holds open elements.
	 */
	size_t top = 0;
	uint64_t wsum = 0;
	uint32_t hard = 0;
	d->stack = pp_grow(d->stack, &d->stack_cap, 3 * d->n + 3, sizeof *d->stack);
	for (size_t i = 0; i < d->n; i++) {
		pp_el *e = &d->v[i];
		switch (e->kind) {
		case PP_GROUP: case PP_NEST: case PP_ALIGN:
			d->stack[top++] = (uint32_t)i;
			d->stack[top++] = (uint32_t)(wsum > PP_INF ? PP_INF : wsum);
			d->stack[top++] = hard;
			break;
		case PP_END:
			if (top < 3)
				break;  /* unbalanced: a caller bug; ignore the extra end */
			top -= 3;
			{
				pp_el *open = &d->v[d->stack[top]];
				open->match = (uint32_t)i;
				uint64_t w = wsum - d->stack[top + 1];
				open->width = hard != d->stack[top + 2] || w >= PP_INF ? PP_INF : (uint32_t)w;
			}
			break;
		case PP_TEXT:
			wsum += e->width;
			break;
		case PP_SPACE: case PP_LINE:
			wsum += 1;
			break;
		case PP_HARDLINE:
			hard++;
			break;
		default:
			break;
		}
	}
	/* Any element left open closes at the end of the document. */
	while (top >= 3) {
		top -= 3;
		d->v[d->stack[top]].match = (uint32_t)d->n;
		d->v[d->stack[top]].width = PP_INF;
	}
}

/* rest[i]: columns of text from element i up to the next break point. */
static void pp_rest(pp_doc *d)
{
	d->rest = pp_grow(d->rest, &d->rest_cap, d->n + 1, sizeof *d->rest);
	d->rest[d->n] = 0;
	for (size_t i = d->n; i-- > 0;) {
		const pp_el *e = &d->v[i];
		switch (e->kind) {
		case PP_TEXT:
			d->rest[i] = pp_sat_add(d->rest[i + 1], e->width);
			break;
		case PP_SPACE:
			d->rest[i] = pp_sat_add(d->rest[i + 1], 1);
			break;
		case PP_LINE: case PP_SOFTLINE: case PP_HARDLINE:
			d->rest[i] = 0;
			break;
		default:
			d->rest[i] = d->rest[i + 1];
			break;
		}
	}
}

void pp_render(pp_doc *d, pp_out *o, unsigned indent, unsigned width)
{
	pp_match(d);
	pp_rest(d);
	/* Open elements with the indentation to restore at their end (pp_match is done with the stack). */
	size_t top = 0;
	size_t flat_end = (size_t)-1;   /* index of the PP_END of the flat group we are in */
	for (size_t i = 0; i < d->n; i++) {
		pp_el *e = &d->v[i];
		switch (e->kind) {
		case PP_TEXT:
			pp_out_text(o, e->s, e->len);
			break;
		case PP_SPACE:
			pp_out_space(o);
			break;
		case PP_LINE:
			if (flat_end != (size_t)-1)
				pp_out_space(o);
			else
				pp_out_newline(o, indent);
			break;
		case PP_SOFTLINE:
			if (flat_end == (size_t)-1)
				pp_out_newline(o, indent);
			break;
		case PP_HARDLINE:
			pp_out_newline(o, indent);
			break;
		case PP_GROUP: case PP_NEST: case PP_ALIGN:
			d->stack[top++] = indent;
			if (e->kind == PP_NEST)
				indent = e->n < 0 && (unsigned)-e->n > indent ? 0 : (unsigned)((int)indent + e->n);
			else if (e->kind == PP_ALIGN)
				indent = (unsigned)o->col;
			else if (flat_end == (size_t)-1 && e->width != PP_INF) {
				size_t after = e->match < d->n ? e->match + 1 : d->n;
				if ((uint64_t)o->col + e->width + d->rest[after] <= width)
					flat_end = e->match;
			}
			break;
		case PP_END:
			if (top > 0)
				indent = d->stack[--top];
			if (flat_end == i)
				flat_end = (size_t)-1;
			break;
		}
	}
}
