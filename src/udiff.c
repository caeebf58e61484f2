/*
 * udiff.c: unified diffs (udiff.h).
 *
 * Lines are compared by length and bytes.  Myers' greedy O((N+M)D)
 * search runs on what remains after the common head and tail; its trace
 * (one diagonal vector per edit distance d) is kept to recover the
 * script, and is bounded by UDIFF_MAX_TRACE cells: past it the middle is
 * reported as replaced whole.
 */
#include "udiff.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#define UDIFF_MAX_TRACE ((size_t)4 << 20)      /* cells of the Myers trace (32 MiB of longs) */

typedef struct udiff_line {
	const char *s;
	size_t len;             /* with the terminator */
	size_t body;            /* without it (for comparison) */
} udiff_line;

static udiff_line *udiff_split(const char *t, size_t n, size_t *count)
{
	udiff_line *v = NULL;
	size_t k = 0, cap = 0, i = 0;
	while (i < n) {
		size_t s = i, body;
		while (i < n && t[i] != '\n' && t[i] != '\r')
			i++;
		body = i - s;
		if (i < n && t[i] == '\r')
			i++;
		if (i < n && t[i] == '\n' && (i == s + body || t[i - 1] == '\r'))
			i++;
		if (k == cap) {
			cap = cap ? cap * 2 : 64;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[k].s = t + s;
		v[k].len = i - s;
		v[k].body = body;
		k++;
	}
	*count = k;
	return v;
}

/* Equal lines: same text and same terminator (a changed line end is a change). */
static int udiff_eq(const udiff_line *x, const udiff_line *y)
{
	return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
}

/* One operation of the edit script: ' ' keep, '-' delete from a, '+' insert from b. */
typedef struct udiff_op {
	char kind;
	size_t ai, bi;          /* line indexes the op refers to */
} udiff_op;

struct udiff_script {
	udiff_op *v;
	size_t n, cap;
};

static void udiff_push(struct udiff_script *s, char kind, size_t ai, size_t bi)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 128;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n].kind = kind;
	s->v[s->n].ai = ai;
	s->v[s->n].bi = bi;
	s->n++;
}

/*
 * Myers over a[a0..a1) and b[b0..b1): appends the ops in order.  Returns
 * 0, or -1 when the trace would pass UDIFF_MAX_TRACE (nothing appended).
 */
static int udiff_myers(const udiff_line *a, size_t a0, size_t a1, const udiff_line *b, size_t b0, size_t b1,
		       struct udiff_script *out)
{
	long n = (long)(a1 - a0), m = (long)(b1 - b0), max = n + m, d, k;
	long width = 2 * max + 1;
	long *v, **trace = NULL;
	size_t cells = 0;
	int rc = -1;
	if (max == 0)
		return 0;
	/* V(k) for the diagonals -max-1 .. max+1: the trace copies one beyond each end */
#define V(kk) v[(kk) + max + 1]
	v = xrealloc(NULL, (size_t)(width + 4) * sizeof *v);
	for (k = 0; k < width + 4; k++)
		v[k] = -1;
	V(1) = 0;
	trace = xrealloc(NULL, (size_t)(max + 1) * sizeof *trace);
	for (d = 0; d <= max; d++) {
		/* keep the vector of this d (the diagonals -d-1..d+1) for the backtrack */
		size_t need = (size_t)(2 * d + 3);
		if (cells + need > UDIFF_MAX_TRACE)
			goto out;
		cells += need;
		for (k = -d; k <= d; k += 2) {
			long x, y;
			if (k == -d || (k != d && V(k - 1) < V(k + 1)))
				x = V(k + 1);
			else
				x = V(k - 1) + 1;
			y = x - k;
			while (x < n && y < m && udiff_eq(&a[a0 + (size_t)x], &b[b0 + (size_t)y])) {
				x++;
				y++;
			}
			V(k) = x;
			if (x >= n && y >= m) {
				trace[d] = xrealloc(NULL, need * sizeof **trace);
				memcpy(trace[d], &V(-d - 1), need * sizeof **trace);
				goto found;
			}
		}
		trace[d] = xrealloc(NULL, need * sizeof **trace);
		memcpy(trace[d], &V(-d - 1), need * sizeof **trace);
	}
#undef V
found:
	{
		/* backtrack from (n, m) to (0, 0), collecting ops in reverse */
		size_t first = out->n;
		long x = n, y = m;
		for (long dd = d; dd > 0; dd--) {
			long *pv = trace[dd - 1];               /* diagonals -(dd-1)-1 .. (dd-1)+1 */
#define PV(kk) pv[(kk) + (dd - 1) + 1]
			long kk = x - y, pk, px, py;
			if (kk == -dd || (kk != dd && PV(kk - 1) < PV(kk + 1)))
				pk = kk + 1;
			else
				pk = kk - 1;
#undef PV
			px = pv[pk + (dd - 1) + 1];
			py = px - pk;
			while (x > px && y > py) {
				x--;
				y--;
				udiff_push(out, ' ', a0 + (size_t)x, b0 + (size_t)y);
			}
			if (pk == kk + 1)
				udiff_push(out, '+', a0 + (size_t)x, b0 + (size_t)(--y));
			else
				udiff_push(out, '-', a0 + (size_t)(--x), b0 + (size_t)y);
		}
		while (x > 0 && y > 0) {
			x--;
			y--;
			udiff_push(out, ' ', a0 + (size_t)x, b0 + (size_t)y);
		}
		/* reverse what was appended */
		for (size_t i = first, j = out->n - 1; i < j; i++, j--) {
			udiff_op t = out->v[i];
			out->v[i] = out->v[j];
			out->v[j] = t;
		}
		rc = 0;
	}
out:
	for (long i = 0; i <= d && i <= max; i++)
		if (rc == 0 || i < d)
			free(trace[i]);
	free(trace);
	free(v);
	return rc;
}

static void udiff_print_line(FILE *out, char kind, const udiff_line *l)
{
	fputc(kind, out);
	fwrite(l->s, 1, l->len, out);
	if (l->len == l->body)
		fputs("\n\\ No newline at end of file\n", out);
	else if (l->s[l->body] == '\r' && l->len == l->body + 1)
		fputc('\n', out);       /* a lone CR: end the diff line too */
}

/* "start,count" of a hunk side; GNU diff writes "start" alone for a count of 1, and start-1 for 0. */
static void udiff_range(FILE *out, size_t start, size_t count)
{
	if (count == 1)
		fprintf(out, "%zu", start + 1);
	else
		fprintf(out, "%zu,%zu", count ? start + 1 : start, count);
}

int udiff_write(FILE *out, const char *name_a, const char *name_b, const char *a, size_t alen,
		const char *b, size_t blen, int context)
{
	size_t na, nb, head = 0, tail = 0, i;
	udiff_line *la, *lb;
	struct udiff_script s = { NULL, 0, 0 };
	if (alen == blen && memcmp(a, b, alen) == 0)
		return 0;
	la = udiff_split(a, alen, &na);
	lb = udiff_split(b, blen, &nb);
	while (head < na && head < nb && udiff_eq(&la[head], &lb[head]))
		head++;
	while (tail < na - head && tail < nb - head && udiff_eq(&la[na - 1 - tail], &lb[nb - 1 - tail]))
		tail++;
	for (i = 0; i < head; i++)
		udiff_push(&s, ' ', i, i);
	if (udiff_myers(la, head, na - tail, lb, head, nb - tail, &s) != 0) {
		for (i = head; i < na - tail; i++)
			udiff_push(&s, '-', i, head);
		for (i = head; i < nb - tail; i++)
			udiff_push(&s, '+', na - tail, i);
	}
	for (i = 0; i < tail; i++)
		udiff_push(&s, ' ', na - tail + i, nb - tail + i);

	fprintf(out, "--- %s\n+++ %s\n", name_a, name_b);
	/* hunks: runs of changes with up to `context` kept lines around, merged when close */
	size_t k = 0, ctx = context < 0 ? 0 : (size_t)context;
	while (k < s.n) {
		size_t first, last, j, a0, b0, ac = 0, bc = 0;
		while (k < s.n && s.v[k].kind == ' ')
			k++;
		if (k == s.n)
			break;
		first = k >= ctx ? k - ctx : 0;
		/* extend while the next change is within 2*ctx kept lines */
		last = k;
		for (j = k; j < s.n; j++) {
			if (s.v[j].kind != ' ') {
				last = j;
				continue;
			}
			if (j - last > 2 * ctx)
				break;
		}
		j = last + 1 + ctx < s.n ? last + 1 + ctx : s.n;
		a0 = s.v[first].ai;
		b0 = s.v[first].bi;
		for (size_t q = first; q < j; q++) {
			if (s.v[q].kind != '+')
				ac++;
			if (s.v[q].kind != '-')
				bc++;
		}
		fputs("@@ -", out);
		udiff_range(out, a0, ac);
		fputs(" +", out);
		udiff_range(out, b0, bc);
		fputs(" @@\n", out);
		for (size_t q = first; q < j; q++) {
			const udiff_op *op = &s.v[q];
			udiff_print_line(out, op->kind, op->kind == '+' ? &lb[op->bi] : &la[op->ai]);
		}
		k = j;
	}
	free(s.v);
	free(la);
	free(lb);
	return ferror(out) ? -1 : 1;
}
