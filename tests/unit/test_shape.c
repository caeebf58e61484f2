/*
 * test_shape.c: the shape rules of lossspec(5) BATCHES on the ten
 * reference cases' operations, each error with the sizes it names, and
 * the batch opt-in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "shape.h"

static ast_item size_item(ast_item_kind kind, const char *name)
{
	ast_item it;
	memset(&it, 0, sizeof it);
	it.kind = kind;
	it.name.s = name;
	it.name.len = strlen(name);
	return it;
}

static ast_item B_, D_, V_, K_;
static shp_ctx with_batch, no_batch;
static shp_size B, D, V, K;

static int setup(void **state)
{
	(void)state;
	B_ = size_item(IT_BATCH, "B");
	D_ = size_item(IT_SIZE, "D");
	V_ = size_item(IT_SIZE, "V");
	K_ = size_item(IT_SIZE, "K");
	B = shp_named(&B_);
	D = shp_named(&D_);
	V = shp_named(&V_);
	K = shp_named(&K_);
	with_batch.batch = &B_;
	no_batch.batch = NULL;
	return 0;
}

static const char *str(const shp *s)
{
	static char buf[4][64];
	static int k;
	return shp_str(s, "real", buf[k++ % 4], sizeof buf[0]);
}

static shp row(shp_size n)          /* per example real[n] */
{
	return shp_make(&with_batch, 1, 1, n, shp_num(0));
}

static shp pb1(shp_size n)          /* per batch real[n] */
{
	return shp_make(&with_batch, 0, 1, n, shp_num(0));
}

static shp pb2(shp_size n, shp_size m)
{
	return shp_make(&with_batch, 0, 2, n, m);
}

static void expect_mismatch(shp_err e, shp_size ma, shp_size mb, const char *a, const char *b)
{
	char x[48], y[48];
	assert_int_equal(e, SHP_MISMATCH);
	assert_string_equal(shp_size_str(ma, x, sizeof x), a);
	assert_string_equal(shp_size_str(mb, y, sizeof y), b);
}

static void test_sizes_and_strings(void **state)
{
	(void)state;
	char buf[64];
	assert_true(shp_size_eq(V, V));
	assert_false(shp_size_eq(V, D));
	assert_false(shp_size_eq(V, shp_num(11)));
	assert_true(shp_size_eq(shp_num(3), shp_num(3)));
	shp s = row(V);
	assert_string_equal(str(&s), "real[V]");
	s = shp_scalar(1);
	assert_string_equal(str(&s), "real");
	s = shp_scalar(0);
	assert_string_equal(str(&s), "real per batch");
	s = pb2(D, B);
	assert_string_equal(str(&s), "real[D, B] per batch");
	assert_string_equal(shp_str(&s, "class", buf, sizeof buf), "class[D, B] per batch");
	/* Normalized: a per-batch value whose first size is the batch is per example. */
	s = pb2(B, B);
	assert_string_equal(str(&s), "real[B]");
	assert_true(s.batched);
	s = pb1(B);
	assert_string_equal(str(&s), "real");
	assert_true(s.batched);
	/* A loss without a batch item has an unnamed batch. */
	s = shp_make(&no_batch, 1, 1, V, shp_num(0));
	assert_string_equal(str(&s), "real[V]");
	assert_string_equal(shp_size_str(shp_num(-1), buf, sizeof buf), "the batch");
}

static void test_broadcast(void **state)
{
	(void)state;
	shp out, a = row(V), b = row(V), s = shp_scalar(1), g = shp_scalar(0);
	shp_size ma, mb;
	assert_int_equal(shp_broadcast(&with_batch, &a, &b, &out, &ma, &mb), SHP_OK);
	assert_string_equal(str(&out), "real[V]");
	/* A per-example scalar over the row's vector (v1), a per-batch scalar over the rows. */
	assert_int_equal(shp_broadcast(&no_batch, &s, &a, &out, &ma, &mb), SHP_OK);
	assert_string_equal(str(&out), "real[V]");
	assert_int_equal(shp_broadcast(&no_batch, &a, &g, &out, &ma, &mb), SHP_OK);
	assert_string_equal(str(&out), "real[V]");
	assert_int_equal(shp_broadcast(&no_batch, &g, &s, &out, &ma, &mb), SHP_OK);
	assert_string_equal(str(&out), "real");
	/* A per-batch vector over the rows: u - mean(transpose(u)). */
	shp colmeans = pb1(D), u = row(D);
	assert_int_equal(shp_broadcast(&with_batch, &u, &colmeans, &out, &ma, &mb), SHP_OK);
	assert_string_equal(str(&out), "real[D]");
	/* Mismatches name both sizes. */
	shp d = row(D), ten = row(shp_num(10));
	expect_mismatch(shp_broadcast(&with_batch, &a, &d, &out, &ma, &mb), ma, mb, "V", "D");
	expect_mismatch(shp_broadcast(&with_batch, &ten, &a, &out, &ma, &mb), ma, mb, "10", "V");
	shp m = pb2(D, V), k = pb1(K), last = pb1(V);
	expect_mismatch(shp_broadcast(&with_batch, &m, &k, &out, &ma, &mb), ma, mb, "V", "K");
	/* A per-batch matrix and a per-batch vector: PyTorch's broadcasting. */
	assert_int_equal(shp_broadcast(&with_batch, &m, &last, &out, &ma, &mb), SHP_OK);
	assert_string_equal(str(&out), "real[D, V] per batch");
}

static void test_broadcast_axes(void **state)
{
	(void)state;
	shp out, m = pb2(D, V), a = row(V), e = shp_scalar(1);
	shp_size ma, mb;
	/* A per-batch matrix over the rows would make three axes. */
	assert_int_equal(shp_broadcast(&with_batch, &m, &a, &out, &ma, &mb), SHP_TOO_MANY_AXES);
	assert_int_equal(shp_broadcast(&with_batch, &m, &e, &out, &ma, &mb), SHP_TOO_MANY_AXES);
	assert_int_equal(shp_broadcast(&with_batch, &m, &m, &out, &ma, &mb), SHP_OK);
	assert_string_equal(str(&out), "real[D, V] per batch");
}

static void test_reductions(void **state)
{
	(void)state;
	shp out, logits = row(V), adv = shp_scalar(1), g = shp_scalar(0);
	int spans = -1;
	/* A row's own elements: v1. */
	assert_int_equal(shp_reduce(&no_batch, &logits, &out, &spans), SHP_OK);
	assert_string_equal(str(&out), "real");
	assert_int_equal(spans, 0);
	/* mean(adv): the batch statistic, with the batch named. */
	assert_int_equal(shp_reduce(&with_batch, &adv, &out, &spans), SHP_OK);
	assert_string_equal(str(&out), "real per batch");
	assert_int_equal(spans, 1);
	assert_int_equal(shp_reduce(&no_batch, &adv, &out, &spans), SHP_NEEDS_BATCH);
	assert_int_equal(shp_reduce(&with_batch, &g, &out, &spans), SHP_NO_AXIS);
	shp m = pb2(D, V);
	assert_int_equal(shp_reduce(&with_batch, &m, &out, &spans), SHP_OK);
	assert_string_equal(str(&out), "real[D] per batch");
	/* softmax keeps the shape; over the batch for a per-example scalar. */
	assert_int_equal(shp_along(&no_batch, &logits, &out, &spans), SHP_OK);
	assert_string_equal(str(&out), "real[V]");
	assert_int_equal(spans, 0);
	assert_int_equal(shp_along(&with_batch, &adv, &out, &spans), SHP_OK);
	assert_string_equal(str(&out), "real");
	assert_int_equal(spans, 1);
	assert_int_equal(shp_along(&no_batch, &adv, &out, &spans), SHP_NEEDS_BATCH);
}

/* clip: un @ transpose(vn) and transpose(logits). */
static void test_clip(void **state)
{
	(void)state;
	shp un = row(D), vn = row(D), vt, logits, lt;
	shp_size ma, mb;
	int spans = -1;
	assert_int_equal(shp_transpose(&with_batch, &vn, &vt, &spans), SHP_OK);
	assert_string_equal(str(&vt), "real[D, B] per batch");
	assert_int_equal(spans, 1);
	assert_int_equal(shp_matmul(&with_batch, &un, &vt, &logits, &spans, &ma, &mb), SHP_OK);
	assert_string_equal(str(&logits), "real[B]");
	assert_int_equal(spans, 0);     /* the spanning was the transpose's */
	assert_int_equal(shp_transpose(&with_batch, &logits, &lt, &spans), SHP_OK);
	assert_string_equal(str(&lt), "real[B]");
	assert_int_equal(spans, 1);
	/* Without a batch item, transpose would read other rows. */
	shp vn0 = shp_make(&no_batch, 1, 1, D, shp_num(0));
	assert_int_equal(shp_transpose(&no_batch, &vn0, &vt, &spans), SHP_NEEDS_BATCH);
	/* un @ vn: [B, D] @ [B, D] do not multiply, and the message names D and B. */
	expect_mismatch(shp_matmul(&with_batch, &un, &vn, &logits, &spans, &ma, &mb), ma, mb, "D", "B");
	/* transpose of a vector has nothing to swap. */
	shp s = shp_scalar(1);
	assert_int_equal(shp_transpose(&with_batch, &s, &vt, &spans), SHP_NO_AXIS);
	shp m = pb2(D, V);
	assert_int_equal(shp_transpose(&with_batch, &m, &vt, &spans), SHP_OK);
	assert_string_equal(str(&vt), "real[V, D] per batch");
	assert_int_equal(spans, 0);
}

static void test_matmul(void **state)
{
	(void)state;
	shp out, x = row(D), w = pb2(D, K), xt;
	shp_size ma, mb;
	int spans = -1;
	/* A row times a per-batch matrix: row-wise, no batch needed. */
	shp x0 = shp_make(&no_batch, 1, 1, D, shp_num(0));
	assert_int_equal(shp_matmul(&no_batch, &x0, &w, &out, &spans, &ma, &mb), SHP_OK);
	assert_string_equal(str(&out), "real[K]");
	assert_int_equal(spans, 0);
	/* transpose(x) @ x: the Gram matrix over the batch. */
	assert_int_equal(shp_transpose(&with_batch, &x, &xt, &spans), SHP_OK);
	assert_int_equal(shp_matmul(&with_batch, &xt, &x, &out, &spans, &ma, &mb), SHP_OK);
	assert_string_equal(str(&out), "real[D, D] per batch");
	assert_int_equal(spans, 1);
	/* Two vectors: a dot product. */
	shp p = pb1(D), q = pb1(D);
	assert_int_equal(shp_matmul(&with_batch, &p, &q, &out, &spans, &ma, &mb), SHP_OK);
	assert_string_equal(str(&out), "real per batch");
	/* W @ x for a per-batch W [D, K]: contracts K with the batch. */
	expect_mismatch(shp_matmul(&with_batch, &w, &x, &out, &spans, &ma, &mb), ma, mb, "K", "B");
	/* A per-example scalar @ itself contracts the batch. */
	shp s = shp_scalar(1);
	assert_int_equal(shp_matmul(&with_batch, &s, &s, &out, &spans, &ma, &mb), SHP_OK);
	assert_string_equal(str(&out), "real per batch");
	assert_int_equal(spans, 1);
}

/* triplet_hardest: cdist, diagonal, eye; infonce: arange. */
static void test_triplet_and_infonce(void **state)
{
	(void)state;
	shp a = row(D), p = row(D), d, pos, eye;
	shp_size ma, mb;
	int spans = -1;
	assert_int_equal(shp_cdist(&with_batch, &a, &p, &d, &spans, &ma, &mb), SHP_OK);
	assert_string_equal(str(&d), "real[B]");
	assert_int_equal(spans, 1);
	assert_int_equal(shp_diagonal(&with_batch, &d, &pos, &ma, &mb), SHP_OK);
	assert_string_equal(str(&pos), "real");
	assert_true(pos.batched);
	assert_int_equal(shp_eye(&with_batch, B, &eye), SHP_OK);
	assert_string_equal(str(&eye), "real[B]");
	assert_int_equal(shp_eye(&with_batch, shp_num(3), &eye), SHP_OK);
	assert_string_equal(str(&eye), "real[3, 3] per batch");
	/* Errors naming both sizes. */
	shp e = row(K);
	expect_mismatch(shp_cdist(&with_batch, &a, &e, &d, &spans, &ma, &mb), ma, mb, "D", "K");
	assert_int_equal(shp_diagonal(&with_batch, &a, &pos, &ma, &mb), SHP_NOT_SQUARE);
	char x[16], y[16];
	assert_string_equal(shp_size_str(ma, x, sizeof x), "B");
	assert_string_equal(shp_size_str(mb, y, sizeof y), "D");
	shp a0 = shp_make(&no_batch, 1, 1, D, shp_num(0));
	assert_int_equal(shp_cdist(&no_batch, &a0, &a0, &d, &spans, &ma, &mb), SHP_NEEDS_BATCH);
	shp lab;
	assert_int_equal(shp_arange(&with_batch, B, &lab), SHP_OK);
	assert_true(lab.batched);
	assert_int_equal(lab.rank, 0);
	assert_int_equal(shp_arange(&with_batch, V, &lab), SHP_NOT_BATCH);
	assert_int_equal(shp_arange(&no_batch, V, &lab), SHP_NEEDS_BATCH);
}

static void test_index(void **state)
{
	(void)state;
	shp logits = row(V), y = shp_scalar(1), out, g = shp_scalar(0);
	shp_size ma, mb;
	assert_int_equal(shp_index(&no_batch, &logits, &y, V, &out, &ma, &mb), SHP_OK);
	assert_string_equal(str(&out), "real");
	assert_true(out.batched);
	expect_mismatch(shp_index(&no_batch, &logits, &y, D, &out, &ma, &mb), ma, mb, "V", "D");
	/* A constant index: no label. */
	assert_int_equal(shp_index(&no_batch, &logits, NULL, shp_num(0), &out, &ma, &mb), SHP_OK);
	/* A per-batch vector gathered by a per-example label. */
	shp table = pb1(V);
	assert_int_equal(shp_index(&with_batch, &table, &y, V, &out, &ma, &mb), SHP_OK);
	assert_string_equal(str(&out), "real");
	assert_true(out.batched);
	assert_int_equal(shp_index(&with_batch, &g, &y, V, &out, &ma, &mb), SHP_NO_AXIS);
}

/* The rarer outcomes: a name too long to quote whole, three axes kept as
   asked (for the type check to report), operations on the wrong number of
   axes, the batch spanned where the loss has none, no out-parameters. */
static void test_edges(void **state)
{
	(void)state;
	char buf[64];
	ast_item long_ = size_item(IT_SIZE, "a_size_name_of_forty_characters_in_all__");
	assert_string_equal(shp_size_str(shp_named(&long_), buf, sizeof buf),
			    "a_size_name_of_forty_characters_...");
	/* per example real[D, K]: three axes with the batch */
	shp three = shp_make(&with_batch, 1, 2, D, K);
	assert_true(three.batched);
	assert_int_equal(three.rank, 2);
	assert_string_equal(str(&three), "real[D, K]");
	shp dk = pb2(D, K), dv = pb2(D, V), dk2 = pb2(D, K);
	assert_true(shp_eq(&dk, &dk2));
	assert_false(shp_eq(&dk, &dv));
	assert_false(shp_eq(&dk, &three));
	shp out, g = shp_scalar(0), v = pb1(D), s1 = shp_scalar(1);
	shp_size ma, mb;
	int spans = -1;
	assert_int_equal(shp_matmul(&with_batch, &g, &v, &out, &spans, &ma, &mb), SHP_NO_AXIS);
	assert_int_equal(shp_matmul(&with_batch, &v, &g, &out, &spans, &ma, &mb), SHP_NO_AXIS);
	/* a per-example scalar @ itself spans the batch: not without one */
	assert_int_equal(shp_matmul(&no_batch, &s1, &s1, &out, &spans, &ma, &mb), SHP_NEEDS_BATCH);
	/* cdist of two per-batch matrices: no row spans another; a vector is refused */
	shp kd = pb2(K, D), vd = pb2(V, D);
	assert_int_equal(shp_cdist(&with_batch, &kd, &vd, &out, &spans, &ma, &mb), SHP_OK);
	assert_string_equal(str(&out), "real[K, V] per batch");
	assert_int_equal(spans, 0);
	assert_int_equal(shp_cdist(&with_batch, &v, &kd, &out, &spans, &ma, &mb), SHP_NO_AXIS);
	shp r = row(D);
	assert_int_equal(shp_cdist(&no_batch, &kd, &r, &out, &spans, &ma, &mb), SHP_NEEDS_BATCH);
	assert_int_equal(shp_diagonal(&with_batch, &v, &out, &ma, &mb), SHP_NO_AXIS);
	/* the mismatch's sizes are optional */
	assert_int_equal(shp_cdist(&with_batch, &kd, &dk, &out, &spans, NULL, NULL), SHP_MISMATCH);
	assert_int_equal(shp_matmul(&with_batch, &kd, &kd, &out, NULL, NULL, NULL), SHP_MISMATCH);
	/* an index by a per-batch label on a per-batch table stays per batch */
	shp table = pb1(V);
	assert_int_equal(shp_index(&with_batch, &table, &g, V, &out, &ma, &mb), SHP_OK);
	assert_false(out.batched);
	assert_int_equal(shp_index(&with_batch, &table, &g, shp_num(0), &out, &ma, &mb), SHP_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes_and_strings),
		cmocka_unit_test(test_broadcast),
		cmocka_unit_test(test_broadcast_axes),
		cmocka_unit_test(test_reductions),
		cmocka_unit_test(test_clip),
		cmocka_unit_test(test_matmul),
		cmocka_unit_test(test_triplet_and_infonce),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_edges),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
