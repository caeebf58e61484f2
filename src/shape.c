/*
 * shape.c: shapes as batch tensors (see shape.h).
 *
 * Every rule but the elementwise ones works on the batch tensor: the
 * value's axes with the batch axis first when it is per example.  The
 * rule computes the result's axes and normalizes them back (a result
 * whose first axis is the batch is per example), so transpose, matmul,
 * cdist and diagonal are each written once, for per-example and
 * per-batch operands alike.
 */
#include "shape.h"

#include <stdio.h>

/* The batch axis of a loss with no `batch` item. */
#define SHP_UNNAMED_BATCH (-1L)

typedef struct shp_axes {
	int n;
	shp_size d[SHP_MAX_AXES + 1];   /* one spare: a rule may build three, then refuse */
} shp_axes;

shp_size shp_num(long n)
{
	shp_size z = {n, NULL};
	return z;
}

shp_size shp_named(const ast_item *item)
{
	shp_size z = {0, item};
	return z;
}

int shp_size_eq(shp_size a, shp_size b)
{
	if (a.item || b.item)
		return a.item == b.item;
	return a.n == b.n;
}

static shp_size shp_batch_size(const shp_ctx *c)
{
	return c->batch ? shp_named(c->batch) : shp_num(SHP_UNNAMED_BATCH);
}

static int shp_is_batch(const shp_ctx *c, shp_size z)
{
	return shp_size_eq(z, shp_batch_size(c));
}

const char *shp_size_str(shp_size z, char *buf, size_t size)
{
	if (z.item && z.item->name.s) {
		if (z.item->name.len > 32)
			snprintf(buf, size, "%.32s...", z.item->name.s);
		else
			snprintf(buf, size, "%s", z.item->name.s);
	} else if (z.n == SHP_UNNAMED_BATCH) {
		snprintf(buf, size, "the batch");
	} else {
		snprintf(buf, size, "%ld", z.n);
	}
	return buf;
}

shp shp_scalar(int batched)
{
	shp s = {0};
	s.batched = (unsigned char)(batched != 0);
	return s;
}

static shp_axes shp_axes_of(const shp_ctx *c, const shp *s)
{
	shp_axes t = {0};
	if (s->batched)
		t.d[t.n++] = shp_batch_size(c);
	for (int i = 0; i < s->rank; i++)
		t.d[t.n++] = s->size[i];
	return t;
}

/* Axes back to a shape: a first axis of the batch's size is the batch axis. */
static shp_err shp_from_axes(const shp_ctx *c, const shp_axes *t, shp *out)
{
	shp s = {0};
	int k = 0;
	if (t->n > 0 && shp_is_batch(c, t->d[0])) {
		s.batched = 1;
		k = 1;
	}
	if (t->n > SHP_MAX_AXES)
		return SHP_TOO_MANY_AXES;
	for (; k < t->n; k++)
		s.size[s.rank++] = t->d[k];
	*out = s;
	return SHP_OK;
}

shp shp_make(const shp_ctx *c, int batched, int rank, shp_size s0, shp_size s1)
{
	shp_axes t = {0};
	if (batched)
		t.d[t.n++] = shp_batch_size(c);
	if (rank > 0)
		t.d[t.n++] = s0;
	if (rank > 1)
		t.d[t.n++] = s1;
	shp s = shp_scalar(batched);
	if (shp_from_axes(c, &t, &s) != SHP_OK) {
		/* three axes: keep what was asked; the type check reports it */
		s.batched = (unsigned char)(batched != 0);
		s.rank = (unsigned char)rank;
		s.size[0] = s0;
		s.size[1] = s1;
	}
	return s;
}

int shp_eq(const shp *a, const shp *b)
{
	if (a->batched != b->batched || a->rank != b->rank)
		return 0;
	for (int i = 0; i < a->rank; i++)
		if (!shp_size_eq(a->size[i], b->size[i]))
			return 0;
	return 1;
}

char *shp_str(const shp *s, const char *elem, char *buf, size_t size)
{
	char a[48], b[48];
	if (s->rank == 0)
		snprintf(buf, size, "%s%s", elem, s->batched ? "" : " per batch");
	else if (s->rank == 1)
		snprintf(buf, size, "%s[%s]%s", elem, shp_size_str(s->size[0], a, sizeof a),
			 s->batched ? "" : " per batch");
	else
		snprintf(buf, size, "%s[%s, %s]%s", elem, shp_size_str(s->size[0], a, sizeof a),
			 shp_size_str(s->size[1], b, sizeof b), s->batched ? "" : " per batch");
	return buf;
}

static void shp_set(int *p, int v)
{
	if (p)
		*p = v;
}

static shp_err shp_mismatch(shp_size x, shp_size y, shp_size *ma, shp_size *mb)
{
	if (ma)
		*ma = x;
	if (mb)
		*mb = y;
	return SHP_MISMATCH;
}

/* Spanning the batch needs its name: a loss says so with `batch`. */
static shp_err shp_spanning(const shp_ctx *c, int *spans)
{
	shp_set(spans, 1);
	return c->batch ? SHP_OK : SHP_NEEDS_BATCH;
}

shp_err shp_broadcast(const shp_ctx *c, const shp *a, const shp *b, shp *out,
		      shp_size *ma, shp_size *mb)
{
	(void)c;
	/* Row shapes aligned at their last axes, as PyTorch broadcasts; no
	   size-1 stretching (v1: equal lengths or a scalar). */
	const shp *hi = a->rank >= b->rank ? a : b, *lo = hi == a ? b : a;
	for (int i = 1; i <= lo->rank; i++) {
		shp_size x = a->size[a->rank - i], y = b->size[b->rank - i];
		if (!shp_size_eq(x, y))
			return shp_mismatch(x, y, ma, mb);
	}
	shp r = *hi;
	r.batched = (unsigned char)(a->batched || b->batched);
	if (r.batched + r.rank > SHP_MAX_AXES)
		return SHP_TOO_MANY_AXES;
	*out = r;
	return SHP_OK;
}

/* The axis a vector function acts on: the row's last, or for a
   per-example scalar the batch itself. */
static shp_err shp_last_axis(const shp_ctx *c, const shp *a, int *spans)
{
	shp_set(spans, 0);
	if (a->rank > 0)
		return SHP_OK;
	if (!a->batched)
		return SHP_NO_AXIS;
	return shp_spanning(c, spans);
}

shp_err shp_reduce(const shp_ctx *c, const shp *a, shp *out, int *spans)
{
	shp_err e = shp_last_axis(c, a, spans);
	if (e != SHP_OK)
		return e;
	if (a->rank > 0) {
		*out = *a;
		out->rank--;
	} else {
		*out = shp_scalar(0);   /* a batch statistic */
	}
	return SHP_OK;
}

shp_err shp_along(const shp_ctx *c, const shp *a, shp *out, int *spans)
{
	shp_err e = shp_last_axis(c, a, spans);
	if (e == SHP_OK)
		*out = *a;
	return e;
}

shp_err shp_transpose(const shp_ctx *c, const shp *a, shp *out, int *spans)
{
	shp_set(spans, 0);
	shp_axes t = shp_axes_of(c, a);
	if (t.n != 2)
		return SHP_NO_AXIS;
	if (a->batched) {
		/* The batch axis moves: row i of the result is column i. */
		shp_err e = shp_spanning(c, spans);
		if (e != SHP_OK)
			return e;
	}
	shp_axes r = {2, {t.d[1], t.d[0]}};
	return shp_from_axes(c, &r, out);
}

shp_err shp_matmul(const shp_ctx *c, const shp *a, const shp *b, shp *out, int *spans,
		   shp_size *ma, shp_size *mb)
{
	shp_set(spans, 0);
	shp_axes x = shp_axes_of(c, a), y = shp_axes_of(c, b);
	if (x.n == 0 || y.n == 0)
		return SHP_NO_AXIS;
	/* The contracted axes: x's last, y's first (its only one for a vector). */
	shp_size kx = x.d[x.n - 1], ky = y.d[0];
	if (!shp_size_eq(kx, ky))
		return shp_mismatch(kx, ky, ma, mb);
	/* A row depends on other rows when the batch axis is contracted. */
	if (b->batched || (a->batched && a->rank == 0)) {
		shp_err e = shp_spanning(c, spans);
		if (e != SHP_OK)
			return e;
	}
	shp_axes r = {0};
	for (int i = 0; i + 1 < x.n; i++)
		r.d[r.n++] = x.d[i];
	for (int i = 1; i < y.n; i++)
		r.d[r.n++] = y.d[i];
	return shp_from_axes(c, &r, out);
}

shp_err shp_cdist(const shp_ctx *c, const shp *a, const shp *b, shp *out, int *spans,
		  shp_size *ma, shp_size *mb)
{
	shp_set(spans, 0);
	shp_axes x = shp_axes_of(c, a), y = shp_axes_of(c, b);
	if (x.n != 2 || y.n != 2)
		return SHP_NO_AXIS;
	if (!shp_size_eq(x.d[1], y.d[1]))
		return shp_mismatch(x.d[1], y.d[1], ma, mb);
	if (b->batched) {
		shp_err e = shp_spanning(c, spans);
		if (e != SHP_OK)
			return e;
	}
	shp_axes r = {2, {x.d[0], y.d[0]}};
	return shp_from_axes(c, &r, out);
}

shp_err shp_diagonal(const shp_ctx *c, const shp *a, shp *out, shp_size *ma, shp_size *mb)
{
	shp_axes t = shp_axes_of(c, a);
	if (t.n != 2)
		return SHP_NO_AXIS;
	if (!shp_size_eq(t.d[0], t.d[1])) {
		shp_mismatch(t.d[0], t.d[1], ma, mb);
		return SHP_NOT_SQUARE;
	}
	shp_axes r = {1, {t.d[0]}};
	return shp_from_axes(c, &r, out);
}

shp_err shp_eye(const shp_ctx *c, shp_size n, shp *out)
{
	shp_axes r = {2, {n, n}};
	return shp_from_axes(c, &r, out);
}

shp_err shp_arange(const shp_ctx *c, shp_size n, shp *out)
{
	if (!c->batch || !shp_is_batch(c, n))
		return c->batch ? SHP_NOT_BATCH : SHP_NEEDS_BATCH;
	*out = shp_scalar(1);
	return SHP_OK;
}

shp_err shp_index(const shp_ctx *c, const shp *a, const shp *label, shp_size k, shp *out,
		  shp_size *ma, shp_size *mb)
{
	(void)c;
	if (a->rank == 0)
		return SHP_NO_AXIS;
	shp_size last = a->size[a->rank - 1];
	if ((k.item || k.n > 0) && !shp_size_eq(last, k))
		return shp_mismatch(last, k, ma, mb);
	shp r = *a;
	r.rank--;
	r.batched = (unsigned char)(a->batched || (label && label->batched));
	*out = r;
	return SHP_OK;
}
