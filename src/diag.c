/*
 * diag.c: the finding queue, its order, and the GCC-style text renderer.
 *
 * Findings are records until a renderer prints them; this file owns the
 * records (messages are heap copies) and the one text layout every
 * golden test pins down:
 *
 *   file:line:col: severity: message [CODE]
 *      12 | the source line
 *         | ^~~~ under the span
 *
 * The caret line is built from byte offsets, not from the column
 * numbers, so it lines up with the printed source text even when that
 * text holds tabs, multi-byte characters or bytes we print as '?'.
 */
#include "diag.h"
#include "utf8.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A source line longer than this many characters is shown as a window. */
#define DIAG_WINDOW 200
/* Characters of context kept before the caret inside a window. */
#define DIAG_WINDOW_BEFORE 60

static char *diag_vfmt(const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	/* vsnprintf fails only on an encoding error in a %ls argument; lossc passes none */
	if (n < 0)
		n = 0;          /* GCOVR_EXCL_LINE: see above */
	char *s = xmalloc((size_t)n + 1);
	if (vsnprintf(s, (size_t)n + 1, fmt, ap) < 0)
		s[0] = '\0';   /* GCOVR_EXCL_LINE: see above */
	return s;
}

void diag_list_init(diag_list *l)
{
	l->items = NULL;
	l->n = l->cap = 0;
	l->next_seq = 0;
}

static void diag_free_one(diag *d)
{
	free(d->message);
	for (int i = 0; i < d->nnotes; i++)
		free(d->notes[i].message);
	free(d->fix_text);
}

void diag_list_free(diag_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		diag_free_one(&l->items[i]);
	free(l->items);
	diag_list_init(l);
}

static void diag_reserve(diag_list *l, size_t more)
{
	if (more > SIZE_MAX / sizeof *l->items - l->n)
		xalloc_die();   /* GCOVR_EXCL_LINE: more findings than the address space holds */
	if (l->n + more <= l->cap)
		return;
	size_t cap = l->cap ? l->cap : 16;
	while (cap < l->n + more) {
		if (cap > SIZE_MAX / sizeof *l->items / 2)
			xalloc_die();   /* GCOVR_EXCL_LINE: as above */
		cap *= 2;
	}
	l->items = xrealloc(l->items, cap * sizeof *l->items);
	l->cap = cap;
}

void diag_list_move(diag_list *to, diag_list *from)
{
	if (from->n == 0)
		return;
	diag_reserve(to, from->n);
	for (size_t i = 0; i < from->n; i++) {
		diag *d = &to->items[to->n++];
		*d = from->items[i];
		d->seq = to->next_seq++;
	}
	free(from->items);
	diag_list_init(from);
}

static diag *diag_push(diag_list *l, const source *src, int located, span sp,
		       diag_severity sev, const char *code)
{
	diag_reserve(l, 1);
	size_t seq = l->next_seq++;
	diag *d = &l->items[l->n++];
	memset(d, 0, sizeof *d);
	d->src = src;
	d->located = located;
	if (src && sp.start > src->len)
		sp.start = src->len;
	if (src && sp.end > src->len)
		sp.end = src->len;
	if (sp.end < sp.start)
		sp.end = sp.start;
	d->span = sp;
	d->sev = sev;
	snprintf(d->code, sizeof d->code, "%s", code ? code : "");
	d->seq = seq;
	return d;
}

diag *diag_addv(diag_list *l, const source *src, span sp, diag_severity sev,
		const char *code, const char *fmt, va_list ap)
{
	diag *d = diag_push(l, src, 1, sp, sev, code);
	d->message = diag_vfmt(fmt, ap);
	return d;
}

diag *diag_add(diag_list *l, const source *src, span sp, diag_severity sev,
	       const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag *d = diag_addv(l, src, sp, sev, code, fmt, ap);
	va_end(ap);
	return d;
}

diag *diag_add_file(diag_list *l, const source *src, diag_severity sev,
		    const char *code, const char *fmt, ...)
{
	span none = { 0, 0 };
	diag *d = diag_push(l, src, 0, none, sev, code);
	va_list ap;
	va_start(ap, fmt);
	d->message = diag_vfmt(fmt, ap);
	va_end(ap);
	return d;
}

void diag_note(diag *d, span sp, const char *fmt, ...)
{
	if (d->nnotes >= DIAG_MAX_NOTES)
		return;
	if (d->src && sp.start > d->src->len)
		sp.start = d->src->len;
	if (d->src && sp.end > d->src->len)
		sp.end = d->src->len;
	if (sp.end < sp.start)
		sp.end = sp.start;
	struct diag_note *n = &d->notes[d->nnotes++];
	n->span = sp;
	va_list ap;
	va_start(ap, fmt);
	n->message = diag_vfmt(fmt, ap);
	va_end(ap);
}

void diag_set_fix(diag *d, span sp, const char *replacement)
{
	size_t n = strlen(replacement) + 1;
	char *s = xmalloc(n);
	memcpy(s, replacement, n);
	free(d->fix_text);
	d->fix_text = s;
	d->fix_span = sp;
	d->has_fix = 1;
	d->fix_unsafe = 0;
}

void diag_set_unsafe_fix(diag *d, span sp, const char *replacement)
{
	diag_set_fix(d, sp, replacement);
	d->fix_unsafe = 1;
}

void diag_remove(diag_list *l, size_t i)
{
	if (i >= l->n)
		return;
	diag_free_one(&l->items[i]);
	memmove(&l->items[i], &l->items[i + 1], (l->n - i - 1) * sizeof *l->items);
	l->n--;
}

void diag_remove_if(diag_list *l, size_t from, int (*drop)(const diag *d, void *ctx), void *ctx)
{
	size_t k = from;
	for (size_t i = from; i < l->n; i++) {
		if (drop(&l->items[i], ctx)) {
			diag_free_one(&l->items[i]);
			continue;
		}
		if (k != i)
			l->items[k] = l->items[i];
		k++;
	}
	l->n = k;
}

struct diag_marks {
	const diag *base;
	const char *marked;
};

static int diag_is_marked(const diag *d, void *ctx)
{
	const struct diag_marks *m = ctx;
	return m->marked[d - m->base];
}

void diag_remove_marked(diag_list *l, size_t from, const char *marked)
{
	struct diag_marks m = { l->items, marked };
	diag_remove_if(l, from, diag_is_marked, &m);
}

/*
 * Sorting.  Within one source, byte order is line/column order (both grow
 * with the offset), so we sort by offset and never compute a column here.
 * Sources rank by the first finding queued for them.  A finding about a
 * whole file comes before the located ones of that file.
 */
typedef struct diag_key {
	size_t rank;
	int located;
	size_t start;
	size_t seq;
	size_t idx;
} diag_key;

static int diag_key_cmp(const void *pa, const void *pb)
{
	const diag_key *a = pa, *b = pb;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->located != b->located)
		return a->located < b->located ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	return 0;
}

void diag_sort(diag_list *l)
{
	if (l->n < 2)
		return;
	diag_key *keys = xmalloc(l->n * sizeof *keys);
	diag *sorted = xmalloc(l->n * sizeof *sorted);

	/*
	 * Rank of a source = smallest seq among its findings.  Runs usually
	 * hold one source per list, so remembering the last one seen keeps
	 * this linear in practice.
	 */
	const source **srcs = NULL;
	size_t *first = NULL, nsrc = 0, last = 0;
	for (size_t i = 0; i < l->n; i++) {
		const source *s = l->items[i].src;
		size_t k;
		if (nsrc && srcs[last] == s)
			k = last;
		else {
			for (k = 0; k < nsrc && srcs[k] != s; k++)
				;
			if (k == nsrc) {
				srcs = xrealloc(srcs, (nsrc + 1) * sizeof *srcs);
				first = xrealloc(first, (nsrc + 1) * sizeof *first);
				srcs[nsrc] = s;
				first[nsrc] = l->items[i].seq;
				nsrc++;
			}
			last = k;
		}
		if (l->items[i].seq < first[k])
			first[k] = l->items[i].seq;
		keys[i].idx = i;
		keys[i].rank = k;       /* replaced by first[k] below */
		keys[i].located = l->items[i].located;
		keys[i].start = l->items[i].span.start;
		keys[i].seq = l->items[i].seq;
	}
	for (size_t i = 0; i < l->n; i++)
		keys[i].rank = first[keys[i].rank];
	qsort(keys, l->n, sizeof *keys, diag_key_cmp);
	for (size_t i = 0; i < l->n; i++)
		sorted[i] = l->items[keys[i].idx];
	memcpy(l->items, sorted, l->n * sizeof *sorted);
	free(sorted);
	free(keys);
	free(srcs);
	free(first);
}

const char *diag_severity_name(diag_severity sev)
{
	switch (sev) {
	case SEV_NOTE: return "note";
	case SEV_INFO: return "info";
	case SEV_WARNING: return "warning";
	case SEV_ERROR: return "error";
	}
	return "error";
}

int diag_severity_parse(const char *s)
{
	if (strcmp(s, "error") == 0)
		return SEV_ERROR;
	if (strcmp(s, "warning") == 0)
		return SEV_WARNING;
	if (strcmp(s, "info") == 0)
		return SEV_INFO;
	return -1;
}

/* ---- text rendering ------------------------------------------------ */

#define C_BOLD "\033[1m"
#define C_RESET "\033[0m"
#define C_RED "\033[1;31m"
#define C_MAGENTA "\033[1;35m"
#define C_CYAN "\033[1;36m"
#define C_BLUE "\033[1;34m"
#define C_GREEN "\033[1;32m"

static const char *diag_sev_color(diag_severity sev)
{
	switch (sev) {
	case SEV_ERROR: return C_RED;
	case SEV_WARNING: return C_MAGENTA;
	case SEV_INFO: return C_BLUE;
	case SEV_NOTE: return C_CYAN;
	}
	return C_RED;
}

/*
 * Length of the printable unit at p (at most n bytes): a whole well-formed
 * UTF-8 character, or one byte that is not part of one.  *ok says whether
 * the unit may be printed as is; control bytes and broken UTF-8 print as
 * '?' so a hostile file cannot send raw escapes or invalid text to the
 * terminal.  A tab is kept: the caret line mirrors it.
 */
static size_t diag_unit(const unsigned char *p, size_t n, int *ok)
{
	unsigned long cp;
	size_t len = utf8_decode(p, n, &cp, NULL);
	if (len == 0) {
		*ok = 0;
		return 1;
	}
	/* C0 and C1 controls and DEL are terminal escapes; a tab is kept. */
	*ok = cp == '\t' || (cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0));
	return len;
}

/* Step back `count` characters (UTF-8 lead bytes) from byte `from`. */
static size_t diag_units_back(const unsigned char *line, size_t from, size_t count)
{
	while (count > 0 && from > 0) {
		from--;
		while (from > 0 && (line[from] & 0xC0) == 0x80)
			from--;
		count--;
	}
	return from;
}

/* Advance `count` units from byte `from`, not past len. */
static size_t diag_units_fwd(const unsigned char *line, size_t len, size_t from, size_t count)
{
	int ok;
	while (count > 0 && from < len) {
		from += diag_unit(line + from, len - from, &ok);
		count--;
	}
	return from;
}

static int diag_emit(FILE *out, const char *s, size_t n)
{
	return n == 0 || fwrite(s, 1, n, out) == n ? 0 : -1;
}

/* Print line bytes [a, b) unit by unit (see diag_unit). */
static void diag_print_units(FILE *out, const unsigned char *line, size_t len, size_t a, size_t b)
{
	size_t i = a;
	while (i < b) {
		int ok;
		size_t u = diag_unit(line + i, len - i, &ok);
		if (i + u > b)
			u = b - i;
		if (ok)
			diag_emit(out, (const char *)line + i, u);
		else
			fputc('?', out);
		i += u;
	}
}

/*
 * The source line of a span and the caret/tilde line under it.  The span
 * is clipped to its first line.  Lines longer than DIAG_WINDOW characters
 * are shown as a window around the caret, with "..." where text was cut.
 */
static void diag_render_snippet(FILE *out, const source *src, span sp, int color)
{
	src_pos pos = source_pos(src, sp.start);
	size_t len;
	const unsigned char *line = (const unsigned char *)source_line(src, pos.line, &len);
	size_t lstart = (size_t)((const char *)line - src->text);

	size_t cb = sp.start > lstart ? sp.start - lstart : 0;      /* caret byte in line */
	if (cb > len)
		cb = len;
	size_t eb = sp.end > lstart ? sp.end - lstart : 0;          /* end byte, clipped */
	if (eb > len)
		eb = len;
	if (eb < cb)
		eb = cb;

	/* Window: only when the line has more than DIAG_WINDOW characters. */
	size_t wa = 0, wb = len;
	if (diag_units_fwd(line, len, 0, DIAG_WINDOW + 1) < len) {
		wa = diag_units_back(line, cb, DIAG_WINDOW_BEFORE);
		wb = diag_units_fwd(line, len, wa, DIAG_WINDOW);
		if (wb < cb) {
			/* Cannot happen with BEFORE < WINDOW; keep the caret visible anyway. */
			wb = diag_units_fwd(line, len, cb, 1);
		}
	}
	if (eb > wb)
		eb = wb;

	/* The gutter widens past 99999 lines so the caret stays under its character. */
	char num[32];
	int width = snprintf(num, sizeof num, "%5lu", pos.line);
	fprintf(out, "%s | ", num);
	if (wa > 0)
		fputs("...", out);
	diag_print_units(out, line, len, wa, wb);
	if (wb < len)
		fputs("...", out);
	fputc('\n', out);

	fprintf(out, "%*s | ", width, "");
	if (wa > 0)
		fputs("   ", out);
	for (size_t i = wa; i < cb;) {
		int ok;
		size_t u = diag_unit(line + i, len - i, &ok);
		fputc(line[i] == '\t' ? '\t' : ' ', out);
		i += u;
	}
	if (color)
		fputs(C_GREEN, out);
	fputc('^', out);
	if (cb < eb) {
		int ok;
		size_t i = cb + diag_unit(line + cb, len - cb, &ok);
		while (i < eb) {
			fputc('~', out);
			i += diag_unit(line + i, len - i, &ok);
		}
	}
	if (color)
		fputs(C_RESET, out);
	fputc('\n', out);
}

static void diag_render_head(FILE *out, const source *src, int located, span sp,
			     diag_severity sev, const char *msg, const char *code, int color)
{
	const char *path = src && src->path ? src->path : "<unknown>";
	if (color)
		fputs(C_BOLD, out);
	if (located) {
		src_pos p = source_pos(src, sp.start);
		fprintf(out, "%s:%lu:%lu:", path, p.line, p.col);
	} else
		fprintf(out, "%s:", path);
	if (color)
		fputs(C_RESET, out);
	fputc(' ', out);
	if (color)
		fputs(diag_sev_color(sev), out);
	fputs(diag_severity_name(sev), out);
	fputc(':', out);
	if (color)
		fputs(C_RESET, out);
	fputc(' ', out);
	fputs(msg, out);
	if (code && code[0])
		fprintf(out, " [%s]", code);
	fputc('\n', out);
}

/*
 * The finding's fix under its snippet, as clang shows a fix-it:
 *     12 |     value = log(1 + exp(s));
 *        |             ^~~~~~~~~~~~~~~
 *        | fix: softplus(s)
 * A replacement of several lines shows its first, then "..."; an insertion
 * says so, without the new line's indentation.  An unsafe fix (it changes
 * the loss) says so.
 */
static void diag_render_fix(FILE *out, const diag *d, int color)
{
	src_pos pos = source_pos(d->src, d->fix_span.start);
	char num[32];
	int width = snprintf(num, sizeof num, "%5lu", pos.line);
	const char *t = d->fix_text ? d->fix_text : "";
	t += strspn(t, " \t\r\n");           /* an inserted line's indentation */
	size_t len = strcspn(t, "\r\n");
	int more = t[len + strspn(t + len, " \t\r\n")] != '\0';
	while (len > 0 && (t[len - 1] == ' ' || t[len - 1] == '\t'))
		len--;
	fprintf(out, "%*s | %sfix:%s ", width, "", color ? C_GREEN : "", color ? C_RESET : "");
	if (!*t)
		fputs("remove it", out);
	else
		fprintf(out, "%s%.*s%s", d->fix_span.start == d->fix_span.end ? "insert " : "", (int)len, t,
			more ? " ..." : "");
	fputs(d->fix_unsafe ? " (unsafe: it changes the loss)\n" : "\n", out);
}

int diag_render_text(FILE *out, const diag_list *l, int color)
{
	for (size_t i = 0; i < l->n; i++) {
		const diag *d = &l->items[i];
		int located = d->located && d->src;
		diag_render_head(out, d->src, located, d->span, d->sev, d->message, d->code, color);
		if (located)
			diag_render_snippet(out, d->src, d->span, color);
		if (located && d->has_fix)
			diag_render_fix(out, d, color);
		for (int k = 0; k < d->nnotes; k++) {
			diag_render_head(out, d->src, d->src != NULL, d->notes[k].span, SEV_NOTE,
					 d->notes[k].message, NULL, color);
			if (d->src)
				diag_render_snippet(out, d->src, d->notes[k].span, color);
		}
		if (ferror(out))
			return -1;
	}
	if (fflush(out) != 0 || ferror(out))
		return -1;
	return 0;
}
