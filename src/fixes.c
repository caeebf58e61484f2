/*
 * fixes.c: one pass of fixes over a text (fixes.h).
 */
#include "fixes.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

int fix_allowed(const diag *d, unsigned mode)
{
	if (!d->has_fix)
		return 0;
	return (mode & (d->fix_unsafe ? FIX_UNSAFE : FIX_SAFE)) != 0;
}

struct fix_edit {
	const diag *d;
};

static int fix_cmp(const void *pa, const void *pb)
{
	const diag *a = ((const struct fix_edit *)pa)->d, *b = ((const struct fix_edit *)pb)->d;
	if (a->fix_span.start != b->fix_span.start)
		return a->fix_span.start < b->fix_span.start ? -1 : 1;
	if (a->fix_span.end != b->fix_span.end)
		return a->fix_span.end < b->fix_span.end ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int fix_same(const diag *a, const diag *b)
{
	return a->fix_span.start == b->fix_span.start && a->fix_span.end == b->fix_span.end &&
	       strcmp(a->fix_text ? a->fix_text : "", b->fix_text ? b->fix_text : "") == 0;
}

char *fix_apply(const source *src, const diag_list *l, size_t from, unsigned mode,
		size_t *newlen, size_t *nfixed)
{
	struct fix_edit *e;
	size_t n = 0, out_len = 0, cap, pos = 0, fixed = 0;
	const diag *last = NULL;
	char *out;

	*newlen = 0;
	*nfixed = 0;
	e = xmalloc((l->n > from ? l->n - from : 1) * sizeof *e);
	for (size_t i = from; i < l->n; i++) {
		const diag *d = &l->items[i];
		if (d->src == src && d->located && fix_allowed(d, mode) && d->fix_span.end <= src->len &&
		    d->fix_span.start <= d->fix_span.end)
			e[n++].d = d;
	}
	if (n == 0) {
		free(e);
		return NULL;
	}
	qsort(e, n, sizeof *e, fix_cmp);
	cap = src->len + 2;
	for (size_t i = 0; i < n; i++)
		cap += strlen(e[i].d->fix_text ? e[i].d->fix_text : "");
	out = xmalloc(cap);
	for (size_t i = 0; i < n; i++) {
		const diag *d = e[i].d;
		const char *t = d->fix_text ? d->fix_text : "";
		size_t tl = strlen(t);
		if (last && fix_same(last, d)) {
			fixed++;                /* the edit already made fixes this finding too */
			continue;
		}
		/* overlapping, or a second different edit at the same place: next pass */
		if (last && (d->fix_span.start < last->fix_span.end ||
			     (d->fix_span.start == last->fix_span.start && d->fix_span.end == last->fix_span.end)))
			continue;
		memcpy(out + out_len, src->text + pos, d->fix_span.start - pos);
		out_len += d->fix_span.start - pos;
		memcpy(out + out_len, t, tl);
		out_len += tl;
		pos = d->fix_span.end;
		last = d;
		fixed++;
	}
	memcpy(out + out_len, src->text + pos, src->len - pos);
	out_len += src->len - pos;
	out[out_len] = '\0';
	free(e);
	*newlen = out_len;
	*nfixed = fixed;
	return out;
}
