/*
 * doc_txt.c: the prose of a plain-text document (doc_impl.h).
 *
 * A paragraph is a run of non-blank lines; its lines are joined by a
 * blank, so a sentence may run over line breaks.  Bare URLs are skipped.
 * A line holding nothing but a `<!-- lossc ... -->` comment is a
 * directive, as in Markdown: an allow there governs the next paragraph.
 * There is no markup, math or front matter in plain text.
 */
#include "doc_impl.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct txt {
	const source *src;
	doc_sink *sink;
	doc_text tb, tmp;
	doc_math math;          /* off: a dollar in plain text is money */
	doc_directive *pending; /* directives waiting for the paragraph they govern */
	size_t npending, cap;
};

static int txt_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int txt_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The end of the line starting at p, without its "\n", "\r\n" or "\r"; *next is the next line's start. */
static size_t txt_line_end(const source *src, size_t p, size_t *next)
{
	size_t e = p;
	while (e < src->len && src->text[e] != '\n' && src->text[e] != '\r')
		e++;
	*next = e;
	if (e < src->len)
		*next += src->text[e] == '\r' && e + 1 < src->len && src->text[e + 1] == '\n' ? 2 : 1;
	return e;
}

static int txt_is_blank(const source *src, size_t p, size_t e)
{
	for (; p < e; p++)
		if (!txt_blank(src->text[p]))
			return 0;
	return 1;
}

/* A line holding only a lossc comment: its directive, else 0. */
static int txt_directive_line(const source *src, size_t p, size_t e, doc_directive *d)
{
	size_t len;
	while (p < e && txt_blank(src->text[p]))
		p++;
	len = doc_comment_directive(src->text + p, e - p, &d->body, &d->body_len);
	if (len == 0 || !txt_is_blank(src, p + len, e))
		return 0;
	d->span.start = (uint32_t)p;
	d->span.end = (uint32_t)(p + len);
	return 1;
}

/* One line of a paragraph into the text, bare URLs left out. */
static void txt_put_line(struct txt *t, size_t p, size_t e)
{
	const char *s = t->src->text;
	size_t run = p, i = p;
	while (i < e) {
		size_t u = 0;
		if ((i == p || !txt_alnum(s[i - 1])) && (s[i] == 'h' || s[i] == 'H' || s[i] == 'f' ||
							  s[i] == 'F' || s[i] == 'w' || s[i] == 'W'))
			u = doc_url_len(s + i, e - i);
		if (u) {
			dtext_put(&t->tb, s + run, i - run, run);
			dtext_gap(&t->tb, i);
			i += u;
			run = i;
		} else
			i++;
	}
	dtext_put(&t->tb, s + run, e - run, run);
}

static void txt_flush_pending(struct txt *t, unsigned long first, unsigned long last)
{
	for (size_t i = 0; i < t->npending; i++) {
		t->pending[i].first_line = first;
		t->pending[i].last_line = last;
		t->sink->directive(t->sink, &t->pending[i]);
	}
	t->npending = 0;
}

void doc_txt_read(const source *src, doc_sink *sink, doc_stats *stats)
{
	struct txt t;
	size_t p = src->body <= src->len ? src->body : src->len, next;

	memset(&t, 0, sizeof t);
	t.src = src;
	t.sink = sink;
	(void)stats;            /* nothing to misalign: every byte is where it was */
	t.math.close_at = SIZE_MAX;
	dtext_init(&t.tb, src);
	dtext_init(&t.tmp, src);
	while (p < src->len) {
		size_t e = txt_line_end(src, p, &next);
		doc_directive d;
		size_t q, prev_eol, start = p;
		if (txt_is_blank(src, p, e)) {
			p = next;
			continue;
		}
		if (txt_directive_line(src, p, e, &d)) {
			if (t.npending == t.cap) {
				t.cap = t.cap ? 2 * t.cap : 8;
				t.pending = xrealloc(t.pending, t.cap * sizeof *t.pending);
			}
			t.pending[t.npending++] = d;
			p = next;
			continue;
		}
		/* a paragraph: up to a blank line, a directive line or the end */
		dtext_reset(&t.tb);
		for (;;) {
			q = p;
			while (q < e && txt_blank(src->text[q]))
				q++;
			txt_put_line(&t, q, e);
			prev_eol = e;
			p = next;
			if (p >= src->len)
				break;
			e = txt_line_end(src, p, &next);
			if (txt_is_blank(src, p, e) || txt_directive_line(src, p, e, &d))
				break;
			dtext_put(&t.tb, " ", 1, prev_eol);
		}
		{
			/* lines as lossc numbers them (source_pos), whatever ends them */
			unsigned long first = source_pos(src, start).line;
			unsigned long last = source_pos(src, prev_eol > start ? prev_eol - 1 : start).line;
			txt_flush_pending(&t, first, last);
			dtext_finish(&t.tb, &t.tmp, &t.math, sink, first, last);
		}
	}
	txt_flush_pending(&t, 0, 0);
	free(t.pending);
	dtext_free(&t.tb);
	dtext_free(&t.tmp);
}
