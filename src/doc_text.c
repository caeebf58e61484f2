/*
 * doc_text.c: building the prose texts of a document (doc_impl.h): the
 * bytes and their segment map, the lossc comments written inside a text,
 * $ math, and bare URLs.
 *
 * Math follows pandoc's tex_math_dollars, which is what readers' renderers
 * (pandoc, MathJax and KaTeX setups, GitHub) agree on in practice: `$$`
 * opens display math closed by the next `$$`; a single `$` opens inline
 * math when a non-blank follows it and closes at a `$` that follows a
 * non-blank and is not followed by a digit, so "$5 and $10" stays prose.
 * A dollar that came from an escape (`\$`) or an entity is never a
 * delimiter: the map says whether the source byte is a real '$'.
 */
#include "doc_impl.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *dtext_grow(void *p, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : 64;
	if (need <= *cap)
		return p;
	while (c < need)
		c *= 2;
	p = xrealloc(p, c * elem);
	*cap = c;
	return p;
}

void dtext_init(doc_text *t, const source *src)
{
	memset(t, 0, sizeof *t);
	t->src = src;
}

void dtext_free(doc_text *t)
{
	free(t->b);
	free(t->segs);
	memset(t, 0, sizeof *t);
}

void dtext_reset(doc_text *t)
{
	t->n = 0;
	t->nsegs = 0;
	if (t->b)
		t->b[0] = '\0';
}

void dtext_put(doc_text *t, const char *bytes, size_t n, size_t src_off)
{
	if (n == 0)
		return;
	t->b = dtext_grow(t->b, &t->cap, t->n + n + 1, 1);
	if (t->nsegs == 0 || t->segs[t->nsegs - 1].src_off + (t->n - t->segs[t->nsegs - 1].text_off) != src_off) {
		t->segs = dtext_grow(t->segs, &t->scap, t->nsegs + 1, sizeof *t->segs);
		t->segs[t->nsegs].text_off = (uint32_t)t->n;
		t->segs[t->nsegs].src_off = (uint32_t)src_off;
		t->nsegs++;
	}
	memcpy(t->b + t->n, bytes, n);
	t->n += n;
	t->b[t->n] = '\0';
}

void dtext_gap(doc_text *t, size_t src_off)
{
	dtext_put(t, DOC_GAP, DOC_GAP_LEN, src_off);
}

ast_text dtext_view(const doc_text *t)
{
	ast_text v;
	v.bytes = t->b ? t->b : "";
	v.len = t->n;
	v.segs = t->segs;
	v.nsegs = t->nsegs;
	v.span.start = t->nsegs ? t->segs[0].src_off : 0;
	v.span.end = (uint32_t)(t->n ? dtext_src(t, t->n - 1) + 1 : v.span.start);
	return v;
}

size_t dtext_src(const doc_text *t, size_t k)
{
	ast_text v;
	v.bytes = t->b;
	v.len = t->n;
	v.segs = t->segs;
	v.nsegs = t->nsegs;
	v.span.start = v.span.end = 0;
	return ast_text_src_off(&v, k);
}

/* ---- rewriting a text: drop ranges, or put a gap in their place ------------ */

struct dtext_cut {
	size_t a, b;            /* text bytes [a, b) */
	int gap;                /* 1: DOC_GAP stands in their place */
};

/* Copy t into out without the cuts (sorted, disjoint), keeping the map exact. */
static void dtext_apply(const doc_text *t, doc_text *out, const struct dtext_cut *cuts, size_t ncuts)
{
	size_t k = 0, seg = 0, c = 0;
	dtext_reset(out);
	while (k < t->n) {
		size_t stop = c < ncuts ? cuts[c].a : t->n;
		while (k < stop) {
			/* the run of byte k's segment, up to stop */
			size_t segend;
			while (seg + 1 < t->nsegs && t->segs[seg + 1].text_off <= k)
				seg++;
			segend = seg + 1 < t->nsegs ? t->segs[seg + 1].text_off : t->n;
			if (segend > stop)
				segend = stop;
			dtext_put(out, t->b + k, segend - k,
				  t->segs[seg].src_off + (k - t->segs[seg].text_off));
			k = segend;
		}
		if (c < ncuts) {
			if (cuts[c].gap)
				dtext_gap(out, dtext_src(t, cuts[c].a));
			k = cuts[c].b;
			c++;
		}
	}
}

const char *doc_find(const char *hay, size_t n, const char *needle, size_t m)
{
	const char *end = hay + n, *p = hay;
	if (m == 0)
		return hay;
	while ((size_t)(end - p) >= m) {
		p = memchr(p, needle[0], (size_t)(end - p) - m + 1);
		if (!p)
			return NULL;
		if (memcmp(p, needle, m) == 0)
			return p;
		p++;
	}
	return NULL;
}

static int dtext_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

size_t doc_comment_directive(const char *s, size_t n, const char **body, size_t *body_len)
{
	size_t i = 4, b, e, close;
	if (n < 7 || memcmp(s, "<!--", 4) != 0)
		return 0;
	while (i < n && dtext_blank(s[i]))
		i++;
	if (n - i < 5 || memcmp(s + i, "lossc", 5) != 0)
		return 0;
	i += 5;
	if (i < n && !dtext_blank(s[i]) && s[i] != ':' && !(n - i >= 3 && memcmp(s + i, "-->", 3) == 0))
		return 0;
	for (close = i; close + 3 <= n && memcmp(s + close, "-->", 3) != 0; close++)
		;
	if (close + 3 > n)
		return 0;       /* an unfinished comment is not a directive */
	for (b = i; b < close && dtext_blank(s[b]); b++)
		;
	for (e = close; e > b && dtext_blank(s[e - 1]); e--)
		;
	*body = s + b;
	*body_len = e - b;
	return close + 3;
}

/* Is text byte k a '$' in the source too (not an escape or an entity)? */
static int dtext_real_dollar(const doc_text *t, size_t k)
{
	size_t off;
	if (k >= t->n || t->b[k] != '$')
		return 0;
	off = dtext_src(t, k);
	return off < t->src->len && t->src->text[off] == '$';
}

static int dtext_real_double(const doc_text *t, size_t k)
{
	return dtext_real_dollar(t, k) && dtext_real_dollar(t, k + 1);
}

struct dtext_cuts {
	struct dtext_cut *v;
	size_t n, cap;
};

static void dtext_cut_add(struct dtext_cuts *c, size_t a, size_t b, int gap)
{
	c->v = dtext_grow(c->v, &c->cap, c->n + 1, sizeof *c->v);
	c->v[c->n].a = a;
	c->v[c->n].b = b;
	c->v[c->n].gap = gap;
	c->n++;
}

/* Find the math of t (see the top of the file); appends cuts in order. */
static void dtext_math(const doc_text *t, doc_math *math, struct dtext_cuts *cuts)
{
	size_t k = 0, first;
	int singles = 1;        /* 0 once a single '$' found no closer: none later can */
	if (math->close_at != SIZE_MAX) {
		while (k < t->n && dtext_src(t, k) < math->close_at)
			k++;
		if (k == t->n) {
			dtext_cut_add(cuts, 0, t->n, 0);
			return;
		}
		if (dtext_src(t, k) == math->close_at && dtext_real_double(t, k))
			k += 2;
		math->close_at = SIZE_MAX;
		dtext_cut_add(cuts, 0, k, 0);
	}
	first = k;
	while (first < t->n && dtext_blank(t->b[first]))
		first++;
	while (k < t->n) {
		size_t j, c;
		if (t->b[k] != '$' || !dtext_real_dollar(t, k)) {
			k++;
			continue;
		}
		if (dtext_real_double(t, k)) {
			for (j = k + 2; j + 1 < t->n && !dtext_real_double(t, j); j++)
				;
			if (j + 1 < t->n) {
				dtext_cut_add(cuts, k, j + 2, 1);
				k = j + 2;
				continue;
			}
			if (k == first) {
				/* a display block the parser may have split: runs to the next "$$" */
				size_t from = dtext_src(t, t->n - 1) + 1;
				const char *p = from < t->src->len ?
					doc_find(t->src->text + from, t->src->len - from, "$$", 2) : NULL;
				if (p) {
					dtext_cut_add(cuts, k, t->n, 0);
					math->close_at = (size_t)(p - t->src->text);
					return;
				}
			}
			k += 2;
			continue;
		}
		if (!singles || k + 1 >= t->n || dtext_blank(t->b[k + 1])) {
			k++;
			continue;
		}
		for (c = k + 2; c < t->n; c++)
			if (dtext_real_dollar(t, c) && !dtext_blank(t->b[c - 1]) &&
			    !(c + 1 < t->n && t->b[c + 1] >= '0' && t->b[c + 1] <= '9'))
				break;
		if (c >= t->n) {
			singles = 0;
			k++;
			continue;
		}
		dtext_cut_add(cuts, k, c + 1, 1);
		k = c + 1;
	}
}

static int dtext_has_prose(const doc_text *t)
{
	for (size_t k = 0; k < t->n; k++) {
		if (dtext_blank(t->b[k]))
			continue;
		if (t->n - k >= DOC_GAP_LEN && memcmp(t->b + k, DOC_GAP, DOC_GAP_LEN) == 0) {
			k += DOC_GAP_LEN - 1;
			continue;
		}
		return 1;
	}
	return 0;
}

static void dtext_swap(doc_text *a, doc_text *b)
{
	doc_text x = *a;
	*a = *b;
	*b = x;
}

/*
 * Is text[at, at + len) in the source as it is: the same bytes, one after
 * the other (no byte from an escape or an entity, nothing left out between
 * them), except that a line break joined by a blank may skip the next
 * line's prefix?
 */
static int dtext_verbatim(const doc_text *t, size_t at, size_t len)
{
	const char *src = t->src->text;
	size_t prev = 0;
	for (size_t k = at; k < at + len; k++) {
		size_t off = dtext_src(t, k);
		char c = off < t->src->len ? src[off] : '\0';
		int joined = t->b[k] == ' ' && (c == '\n' || c == '\r');
		if (c != t->b[k] && !joined)
			return 0;
		if (k > at && off != prev + 1) {
			/* only a joined line break may skip: the line ending and the next line's prefix */
			if (!(t->b[k - 1] == ' ' && (src[prev] == '\n' || src[prev] == '\r')) || off <= prev)
				return 0;
			for (size_t q = prev + 1; q < off; q++)
				if (src[q] != '\n' && src[q] != '\r' && src[q] != ' ' && src[q] != '\t' && src[q] != '>')
					return 0;
		}
		prev = off;
	}
	return 1;
}

void dtext_finish(doc_text *t, doc_text *tmp, doc_math *math, doc_sink *sink,
		  unsigned long first, unsigned long last)
{
	struct dtext_cuts cuts = { NULL, 0, 0 };
	const char *hit;
	size_t k = 0;

	/*
	 * lossc comments inside the text: report, then drop.  None can end
	 * after the last "-->", so the search stops there (linear time on a
	 * text full of unclosed comments).
	 */
	size_t stop = t->n;
	while (stop >= 3 && memcmp(t->b + stop - 3, "-->", 3) != 0)
		stop--;
	while (stop >= 3 && k < stop && (hit = doc_find(t->b + k, stop - k, "<!--", 4)) != NULL) {
		doc_directive d;
		size_t at = (size_t)(hit - t->b);
		size_t len = doc_comment_directive(hit, stop - at, &d.body, &d.body_len);
		/*
		 * Only a comment written as such in the source is a directive:
		 * "\<!-- lossc ... -->", "<\!--" or "&lt;!--" show the comment as text.
		 */
		if (len && !dtext_verbatim(t, at, len))
			len = 0;
		if (len == 0) {
			k = at + 4;
			continue;
		}
		d.span.start = (uint32_t)dtext_src(t, at);
		d.span.end = (uint32_t)(dtext_src(t, at + len - 1) + 1);
		d.first_line = first;
		d.last_line = last;
		sink->directive(sink, &d);
		dtext_cut_add(&cuts, at, at + len, 0);
		k = at + len;
	}
	if (cuts.n) {
		dtext_apply(t, tmp, cuts.v, cuts.n);
		dtext_swap(t, tmp);
		cuts.n = 0;
	}
	if (math->enabled) {
		dtext_math(t, math, &cuts);
		if (cuts.n) {
			dtext_apply(t, tmp, cuts.v, cuts.n);
			dtext_swap(t, tmp);
		}
	}
	free(cuts.v);
	if (dtext_has_prose(t)) {
		ast_text v = dtext_view(t);
		sink->text(sink, &v);
	}
}

/* ---- bare URLs ------------------------------------------------------------ */

static int dtext_prefix_ci(const char *s, size_t n, const char *p)
{
	size_t i, m = strlen(p);
	if (n < m)
		return 0;
	for (i = 0; i < m; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != p[i])
			return 0;
	}
	return 1;
}

size_t doc_url_len(const char *s, size_t n)
{
	static const char *const starts[] = { "https://", "http://", "ftp://", "www." };
	size_t i, e = 0, open = 0, close = 0;
	for (i = 0; i < sizeof starts / sizeof starts[0]; i++)
		if (dtext_prefix_ci(s, n, starts[i])) {
			e = strlen(starts[i]);
			break;
		}
	if (e == 0)
		return 0;
	while (e < n && !dtext_blank(s[e]) && s[e] != '<' && s[e] != '>' && s[e] != '"')
		e++;
	/* trailing punctuation is the sentence's, and a ')' the URL did not open */
	for (;;) {
		char c;
		if (e == 0)
			break;
		c = s[e - 1];
		if (c == '?' || c == '!' || c == '.' || c == ',' || c == ':' || c == '*' || c == '_' ||
		    c == '~' || c == ';' || c == '\'') {
			e--;
			continue;
		}
		if (c == ')') {
			open = close = 0;
			for (i = 0; i < e; i++) {
				if (s[i] == '(')
					open++;
				else if (s[i] == ')')
					close++;
			}
			if (close > open) {
				e--;
				continue;
			}
		}
		break;
	}
	/* a scheme or "www." with nothing after it is a word, not a link */
	for (i = 0; i < sizeof starts / sizeof starts[0]; i++)
		if (e <= strlen(starts[i]) && dtext_prefix_ci(s, n, starts[i]))
			return 0;
	return e;
}
