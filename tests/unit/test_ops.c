/*
 * test_ops.c: the op table against the mathematics.
 *
 * Every op has a complete row (the table is indexed by the op, so a
 * missing row is a zero row, caught here).  For every row: the recorded
 * curvature, monotonicity and smoothness equal the textbook's, restated
 * here row by row, so a wrong entry fails; the interval rule is sound
 * (sampled arguments map inside the computed interval, over many
 * argument intervals); the curvature and monotonicity hold numerically;
 * the analytic partials (and a vector op's adjoint) equal central
 * differences of the evaluator away from kinks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

typedef long double ld;

/* ---- every op has a complete row ---------------------------------------- */

static void test_every_op_has_a_complete_row(void **state)
{
	(void)state;
	for (int op = 0; op < IR_NOPS; op++) {
		const op_info *r = &ops[op];
		if (!r->sig.name)
			fail_msg("op %d has no row", op);
		assert_ptr_equal(ops_row((ir_op)op), r);
		switch (r->kind) {
		case OK_LEAF:
			/* a callable leaf takes only sizes' names (arange(B)) */
			for (int k = 0; k < r->sig.max_args; k++)
				assert_int_equal(r->sig.params[k].kind, AK_SIZE);
			continue;
		case OK_ELEM:
			if (!r->eval || !r->partial || !(r->c_value || r->c_pick))
				fail_msg("elementwise row '%s' lacks its evaluator, partials or C text", r->sig.name);
			for (int k = 0; k < r->sig.max_args && !r->c_pick; k++)
				if (!r->c_partial[k])
					fail_msg("row '%s' has no C partial in operand %d", r->sig.name, k);
			break;
		case OK_REDUCE:
			if (!r->veval || !r->vgrad || !r->loop || !r->loop->finish)
				fail_msg("reduction '%s' lacks its evaluator, adjoint or loop", r->sig.name);
			if (!r->loop->scale && !r->loop->term)
				fail_msg("reduction '%s' accumulates nothing", r->sig.name);
			for (int k = 0; k < r->sig.max_args; k++)
				if (r->loop->adj[k].kind == ADJ_NONE)
					fail_msg("reduction '%s' has no adjoint in operand %d", r->sig.name, k);
			break;
		case OK_VECTOR:
			if (!r->veval || !r->vgrad || !r->vec || !r->vec->elem)
				fail_msg("vector op '%s' lacks its evaluator, adjoint or element", r->sig.name);
			break;
		case OK_VEC: case OK_INDEX:
			if (!r->veval || !r->vgrad)
				fail_msg("'%s' lacks its evaluator or adjoint", r->sig.name);
			break;
		case OK_CROSS:
			if (!r->veval || !r->vgrad || !r->cross
			    || (!r->cross->swap && (!r->cross->term || !r->cross->finish || !r->cross->partial[0]
						    || !r->cross->partial[1]))
			    || (r->cross->swap && r->sig.max_args != 1))
				fail_msg("row across the batch '%s' lacks its evaluator, adjoint or C text", r->sig.name);
			for (int k = 0; k < r->sig.max_args; k++)
				if (r->sig.params[k].kind != AK_VECTOR)
					fail_msg("row across the batch '%s' takes per-example vectors", r->sig.name);
			break;
		case OK_BATCH:
			if (!r->veval || !r->vgrad || !r->batch || !r->batch->term[0] || !r->batch->finish[0]
			    || !r->batch->finish[1] != !r->batch->term[1])
				fail_msg("statistic over the batch '%s' lacks its evaluator, adjoint or passes", r->sig.name);
			if (r->sig.max_args != 1 || r->sig.params[0].kind != AK_REAL)
				fail_msg("statistic over the batch '%s' takes one per-example scalar", r->sig.name);
			break;
		}
		/* a rule, or the image of a monotone unary function without a domain */
		if (!r->range && !r->range_rule
		    && !(r->kind == OK_ELEM && r->sig.max_args == 1 && !r->domain.code && r->mono[0] != MONO_NONE))
			fail_msg("row '%s' has no interval rule", r->sig.name);
		if ((r->smooth == SM_KINKS || r->smooth == SM_EDGE || r->smooth == SM_KINK_AT_ZERO) && !r->kinks)
			fail_msg("row '%s' kinks but lists no kink points", r->sig.name);
		if (r->sig.max_args > OP_MAX_ARGS && r->kind != OK_VEC)
			fail_msg("row '%s' has more operands than OP_MAX_ARGS", r->sig.name);
	}
}

/* ---- expectations, restated from the definitions ----------------------- */

typedef struct expect {
	ir_op op;
	ir_curv curv;
	fn_mono mono0;
	fn_smooth smooth;
} expect;

static const expect expectations[] = {
	{ IR_EXP, CURV_CONVEX, MONO_INC, SM_SMOOTH },
	{ IR_LOG, CURV_CONCAVE, MONO_INC, SM_SMOOTH },
	{ IR_LOG1P, CURV_CONCAVE, MONO_INC, SM_SMOOTH },
	{ IR_EXPM1, CURV_CONVEX, MONO_INC, SM_SMOOTH },
	{ IR_SQRT, CURV_CONCAVE, MONO_INC, SM_EDGE },
	{ IR_ABS, CURV_CONVEX, MONO_SIGN, SM_KINKS },
	{ IR_SQUARE, CURV_CONVEX, MONO_SIGN, SM_SMOOTH },
	{ IR_SIGMOID, CURV_UNKNOWN, MONO_INC, SM_SMOOTH },
	{ IR_LOG_SIGMOID, CURV_CONCAVE, MONO_INC, SM_SMOOTH },
	{ IR_SOFTPLUS, CURV_CONVEX, MONO_INC, SM_SMOOTH },
	{ IR_TANH, CURV_UNKNOWN, MONO_INC, SM_SMOOTH },
	{ IR_RELU, CURV_CONVEX, MONO_INC, SM_KINKS },
	{ IR_LOG_COSH, CURV_CONVEX, MONO_SIGN, SM_SMOOTH },
	{ IR_MIN, CURV_CONCAVE, MONO_INC, SM_KINK_AT_TIE },
	{ IR_MAX, CURV_CONVEX, MONO_INC, SM_KINK_AT_TIE },
	{ IR_CLAMP, CURV_UNKNOWN, MONO_INC, SM_KINK_AT_TIE },
	{ IR_LT, CURV_UNKNOWN, MONO_NONE, SM_KINK_AT_TIE },
	{ IR_LE, CURV_UNKNOWN, MONO_NONE, SM_KINK_AT_TIE },
	{ IR_GT, CURV_UNKNOWN, MONO_NONE, SM_KINK_AT_TIE },
	{ IR_GE, CURV_UNKNOWN, MONO_NONE, SM_KINK_AT_TIE },
	{ IR_EQ, CURV_UNKNOWN, MONO_NONE, SM_KINK_AT_TIE },
	{ IR_NE, CURV_UNKNOWN, MONO_NONE, SM_KINK_AT_TIE },
	{ IR_WHERE, CURV_UNKNOWN, MONO_NONE, SM_SMOOTH },
	{ IR_SUM, CURV_AFFINE, MONO_INC, SM_SMOOTH },
	{ IR_MEAN, CURV_AFFINE, MONO_INC, SM_SMOOTH },
	{ IR_VMAX, CURV_CONVEX, MONO_INC, SM_KINK_AT_TIE },
	{ IR_VMIN, CURV_CONCAVE, MONO_INC, SM_KINK_AT_TIE },
	{ IR_LOGSUMEXP, CURV_CONVEX, MONO_INC, SM_SMOOTH },
	{ IR_NORM1, CURV_CONVEX, MONO_SIGN, SM_KINKS },
	{ IR_NORM2, CURV_CONVEX, MONO_SIGN, SM_KINK_AT_ZERO },     /* only at the zero vector */
	{ IR_DOT, CURV_UNKNOWN, MONO_NONE, SM_SMOOTH },
	{ IR_SOFTMAX, CURV_UNKNOWN, MONO_NONE, SM_SMOOTH },
	{ IR_LOG_SOFTMAX, CURV_CONCAVE, MONO_NONE, SM_SMOOTH },
	{ IR_ONEHOT, CURV_AFFINE, MONO_NONE, SM_SMOOTH },
	{ IR_NEG, CURV_AFFINE, MONO_DEC, SM_SMOOTH },
	{ IR_ADD, CURV_AFFINE, MONO_INC, SM_SMOOTH },
	{ IR_SUB, CURV_AFFINE, MONO_INC, SM_SMOOTH },
	{ IR_MUL, CURV_UNKNOWN, MONO_NONE, SM_SMOOTH },
	{ IR_DIV, CURV_UNKNOWN, MONO_NONE, SM_SMOOTH },
	{ IR_POW, CURV_UNKNOWN, MONO_NONE, SM_SPECIAL },
	{ IR_HUBER, CURV_CONVEX, MONO_SIGN, SM_C1 },
	{ IR_XLOGX, CURV_CONVEX, MONO_NONE, SM_EDGE },
	{ IR_BCE, CURV_CONVEX, MONO_NONE, SM_EDGE },
	/* over the batch: sums are linear; var is a sum of squares of centred
	   rows; std is a norm of them, kinked where every row is equal */
	{ IR_BSUM, CURV_AFFINE, MONO_INC, SM_SMOOTH },
	{ IR_BMEAN, CURV_AFFINE, MONO_INC, SM_SMOOTH },
	{ IR_BVAR, CURV_CONVEX, MONO_NONE, SM_SMOOTH },
	{ IR_BSTD, CURV_CONVEX, MONO_NONE, SM_SPECIAL },
	/* across the rows: each element a dot product (bilinear); a transpose
	   moves elements, linear and increasing */
	{ IR_GRAM, CURV_UNKNOWN, MONO_NONE, SM_SMOOTH },
	{ IR_TRANSPOSE, CURV_AFFINE, MONO_INC, SM_SMOOTH },
	/* a norm of a difference of rows: convex in both, kinked where they meet */
	{ IR_CDIST, CURV_UNKNOWN, MONO_NONE, SM_SPECIAL },
};

static void test_every_row_has_the_textbook_properties(void **state)
{
	(void)state;
	int checked = 0;
	for (int op = 0; op < IR_NOPS; op++) {
		const op_info *r = &ops[op];
		if (r->kind == OK_LEAF || r->kind == OK_VEC || r->kind == OK_INDEX)
			continue;
		const expect *e = NULL;
		for (size_t i = 0; i < sizeof expectations / sizeof expectations[0]; i++)
			if (expectations[i].op == (ir_op)op)
				e = &expectations[i];
		if (!e)
			fail_msg("row '%s' has no expectation in this test", r->sig.name);
		if (r->curv != e->curv || r->mono[0] != e->mono0 || r->smooth != e->smooth)
			fail_msg("row '%s': curv %d mono %d smooth %d, want %d %d %d", r->sig.name, r->curv,
				 r->mono[0], r->smooth, e->curv, e->mono0, e->smooth);
		checked++;
	}
	assert_int_equal(checked, (int)(sizeof expectations / sizeof expectations[0]));
}

/* ---- evaluation helpers ------------------------------------------------ */

/* An elementwise row at x (the other operand y; huber's delta and the
   exponent of ^ come as y; a third operand z). */
static double ev3(const op_info *r, double x, double y, double z)
{
	ld a[OP_MAX_ARGS] = { x, y, z };
	return (double)r->eval(a);
}

static double ev(const op_info *r, double x, double y) { return ev3(r, x, y, 0); }

static double ev_vec(const op_info *r, const double *v, const double *w, int n, int i)
{
	ld a[5], b[5], out[5];
	long len[2] = { n, n };
	for (int j = 0; j < n; j++) {
		a[j] = v[j];
		b[j] = w[j];
	}
	const ld *x[2] = { a, b };
	if (r == &ops[IR_ONEHOT]) {
		a[0] = 0;
		len[0] = 0;
	}
	op_vargs va = { (unsigned)r->sig.max_args, len, x, r->kind == OK_VECTOR ? n : 0, 0 };
	r->veval(&va, out);
	return (double)out[r->kind == OK_VECTOR ? i : 0];
}

/* ---- interval soundness by sampling ----------------------------------- */

static const ival *test_intervals(int *n)
{
	static ival iv[16];
	int k = 0;
	iv[k++] = iv_make(0, 1);
	iv[k++] = iv_make(-1, 1);
	iv[k++] = iv_make(-3, -0.5);
	iv[k++] = iv_make(0.5, 4);
	iv[k++] = iv_make(-10, 10);
	iv[k++] = iv_open(0, 1, 1, 1);
	iv[k++] = iv_make(2, 2);
	iv[k++] = iv_make(-100, 50);
	iv[k++] = iv_make(1e-6, 1e-3);
	iv[k++] = iv_make(1e-50, 1e-40);
	*n = k;
	return iv;
}

static double sample(ival a, int j, int m)
{
	double t = (double)j / (m - 1);
	double x = a.lo + t * (a.hi - a.lo);
	if (j == 0 && a.lo_open) x = a.lo + 1e-9 * (a.hi - a.lo);
	if (j == m - 1 && a.hi_open) x = a.hi - 1e-9 * (a.hi - a.lo);
	return x;
}

/* v inside r, allowing float rounding at the ends */
static int inside(ival r, double v)
{
	if (isnan(v))
		return 1;       /* outside the domain: the domain check's business */
	double tol = 1e-9 * (1 + fabs(v));
	return v >= r.lo - tol && v <= r.hi + tol;
}

static void check_scalar_row(const op_info *r)
{
	int ni;
	const ival *ivs = test_intervals(&ni);
	int two = r->sig.max_args >= 2, three = r->sig.max_args == 3;
	int konst = two && r->sig.params[1].kind == AK_CONST;
	for (int a = 0; a < ni; a++)
		for (int b = 0; b < (two ? ni : 1); b++)
			for (int c = 0; c < (three ? ni : 1); c++) {
				ival args[OP_MAX_ARGS] = { ivs[a], ivs[b], ivs[c] };
				if (konst)
					args[1] = iv_point(0.7);
				ival res = ops_range(r, args, r->sig.max_args, 0);
				int m = three ? 7 : 25;
				for (int i = 0; i < m; i++)
					for (int j = 0; j < (two ? m : 1); j++)
						for (int k = 0; k < (three ? m : 1); k++) {
							double x = sample(args[0], i, m), y = konst ? 0.7 : sample(args[1], j, m);
							double z = three ? sample(args[2], k, m) : 0;
							if (r == &ops[IR_DIV] && y == 0)
								continue;
							double v = ev3(r, x, y, z);
							if (!inside(res, v))
								fail_msg("%s(%g, %g, %g) = %g outside [%g, %g]", r->sig.name, x, y,
									 z, v, res.lo, res.hi);
						}
			}
}

static void check_vector_row(const op_info *r)
{
	int ni;
	const ival *ivs = test_intervals(&ni);
	srand(7);
	for (int a = 0; a < ni; a++)
		for (int n = 1; n <= 5; n += 2) {
			ival args[2] = { ivs[a], ivs[a] };
			ival res = ops_range(r, args, r->sig.max_args, n);
			for (int trial = 0; trial < 200; trial++) {
				double v[5], w[5];
				for (int j = 0; j < n; j++) {
					/* corners and interior points */
					int c = rand() % 3;
					v[j] = sample(ivs[a], c == 0 ? 0 : c == 1 ? 24 : rand() % 25, 25);
					w[j] = sample(ivs[a], rand() % 25, 25);
				}
				for (int i = 0; i < n; i++) {
					double y = ev_vec(r, v, w, n, i);
					if (!inside(res, y))
						fail_msg("%s over %d elements in [%g, %g] gave %g outside [%g, %g]", r->sig.name, n,
							 ivs[a].lo, ivs[a].hi, y, res.lo, res.hi);
				}
			}
		}
}

/*
 * A row across the batch (OK_CROSS) over batches of B rows: every
 * element of the result inside the range of operands drawn from the
 * intervals.  Its operands are rows of n elements (gram) or, for a
 * transpose, B x B matrices (n == B).
 */
static void check_cross_row(const op_info *r)
{
	int ni;
	const ival *ivs = test_intervals(&ni);
	srand(11);
	for (int a = 0; a < ni; a++)
		for (long B = 1; B <= 3; B++)
			for (long n = 1; n <= 4; n++) {
				if (r == &ops[IR_TRANSPOSE] && n != B)
					continue;
				ival args[2] = { ivs[a], ivs[a] };
				ival res = ops_range(r, args, r->sig.max_args, n);
				for (int trial = 0; trial < 60; trial++) {
					ld v[16], w[16], out[9];
					for (long j = 0; j < B * n; j++) {
						int c = rand() % 3;
						v[j] = sample(ivs[a], c == 0 ? 0 : c == 1 ? 24 : rand() % 25, 25);
						w[j] = sample(ivs[a], rand() % 25, 25);
					}
					long len[2] = { n, n };
					const ld *x[2] = { v, w };
					op_vargs va = { (unsigned)r->sig.max_args, len, x, B, B };
					r->veval(&va, out);
					for (long i = 0; i < B * B; i++)
						if (!inside(res, (double)out[i]))
							fail_msg("%s over %ld rows of %ld in [%g, %g] gave %Lg outside [%g, %g]",
								 r->sig.name, B, n, ivs[a].lo, ivs[a].hi, out[i], res.lo, res.hi);
				}
			}
}

static void test_every_range_rule_is_sound(void **state)
{
	(void)state;
	for (int op = 0; op < IR_NOPS; op++) {
		const op_info *r = &ops[op];
		if (r->kind == OK_LEAF || r->kind == OK_VEC || r->kind == OK_INDEX)
			continue;
		if (op == IR_POW) {
			/* constant exponents, as the analyzer uses them */
			static const double ps[] = { 2, 3, 0.5, -1, -2, 1.5, 0 };
			int ni;
			const ival *ivs = test_intervals(&ni);
			for (size_t p = 0; p < sizeof ps / sizeof ps[0]; p++)
				for (int a = 0; a < ni; a++) {
					ival args[2] = { ivs[a], iv_point(ps[p]) };
					ival res = r->range(args, 2, 0);
					for (int j = 0; j < 25; j++) {
						double x = sample(ivs[a], j, 25);
						if (x == 0 && ps[p] < 0) continue;
						if (!inside(res, ev(r, x, ps[p])))
							fail_msg("%g^%g = %g outside [%g, %g]", x, ps[p], ev(r, x, ps[p]), res.lo, res.hi);
					}
				}
		} else if (r->kind == OK_ELEM) {
			check_scalar_row(r);
		} else if (r->kind == OK_CROSS) {
			check_cross_row(r);
		} else {
			check_vector_row(r);
		}
	}
}

/* Specific ranges the analysis depends on. */
static void test_key_ranges(void **state)
{
	(void)state;
	ival all = iv_all(), x[2];
	x[0] = all;
	ival r = ops[IR_EXP].range(x, 1, 0);
	assert_true(iv_positive(r));
	r = ops[IR_SOFTMAX].range(x, 1, 4);
	assert_true(iv_positive(r) && r.hi == 1 && r.hi_open);
	r = ops[IR_LOG_SOFTMAX].range(x, 1, 4);
	assert_true(iv_negative(r));
	r = ops[IR_SQUARE].range(x, 1, 0);
	assert_true(iv_nonneg(r) && !iv_positive(r));
	r = ops[IR_SIGMOID].range(x, 1, 0);
	assert_true(iv_positive(r) && r.hi == 1 && r.hi_open);
	x[0] = iv_make(-10, 10);
	r = ops[IR_EXP].range(x, 1, 0);
	assert_true(fabs(r.hi - exp(10)) < 1e-6 && fabs(r.lo - exp(-10)) < 1e-12);
	/* softmax of 3 elements in [0, 1]: each in [1/(1+2e), 1/(1+2/e)] */
	x[0] = iv_make(0, 1);
	r = ops[IR_SOFTMAX].range(x, 1, 3);
	assert_true(fabs(r.lo - 1 / (1 + 2 * exp(1))) < 1e-12 && fabs(r.hi - 1 / (1 + 2 * exp(-1))) < 1e-12);
	r = ops[IR_LOGSUMEXP].range(x, 1, 3);
	assert_true(fabs(r.lo - log(3)) < 1e-12 && fabs(r.hi - (1 + log(3))) < 1e-12);
	/* two elements at most -log 2 (as a double): the true end,
	   -log 2 rounded + log 2 exactly, is 2.3e-17 above 0, and
	   log(2) rounded to nearest would have cancelled it to 0 */
	x[0] = iv_make(-1, -log(2));
	r = ops[IR_LOGSUMEXP].range(x, 1, 2);
	assert_true(r.hi > 0 && r.hi < 1e-15);
	assert_true((long double)r.hi >= (long double)-log(2) + logl(2));
	assert_true(r.lo < -1 + log(2) && r.lo > -1 + log(2) - 1e-15);
	/* one element: lse is the element, no step outward */
	r = ops[IR_LOGSUMEXP].range(x, 1, 1);
	assert_true(r.lo == -1 && r.hi == -log(2));
	/* bce of a probability and a [0, 1] target: PyTorch's clamp bounds it by 100 */
	x[0] = iv_make(0, 1);
	x[1] = iv_make(0, 1);
	r = ops[IR_BCE].range(x, 2, 0);
	assert_true(r.lo == 0 && r.hi == 100);
}

/* ---- curvature and monotonicity, numerically -------------------------- */

static void test_scalar_rows_curvature_and_monotonicity_hold(void **state)
{
	(void)state;
	for (int op = 0; op < IR_NOPS; op++) {
		const op_info *r = &ops[op];
		if (r->kind != OK_ELEM || op == IR_NEG || (r->sig.max_args != 1 && r->sig.params[1].kind != AK_CONST))
			continue;
		double lo = -6, hi = 6;
		if (r->domain.code) lo = r->domain.lo + 1e-3;
		for (int a = 0; a < 40; a++)
			for (int b = 0; b < 40; b++) {
				double x = lo + (hi - lo) * a / 39, y = lo + (hi - lo) * b / 39, m = (x + y) / 2;
				double fx = ev(r, x, 0.7), fy = ev(r, y, 0.7), fm = ev(r, m, 0.7);
				double tol = 1e-9 * (1 + fabs(fx) + fabs(fy));
				if (r->curv == CURV_CONVEX && fm > (fx + fy) / 2 + tol)
					fail_msg("%s is not convex at %g, %g", r->sig.name, x, y);
				if (r->curv == CURV_CONCAVE && fm < (fx + fy) / 2 - tol)
					fail_msg("%s is not concave at %g, %g", r->sig.name, x, y);
				if (x < y) {
					fn_mono mo = r->mono[0];
					if (mo == MONO_SIGN) mo = x >= 0 ? MONO_INC : y <= 0 ? MONO_DEC : MONO_NONE;
					if (mo == MONO_INC && fx > fy + tol)
						fail_msg("%s is not nondecreasing at %g < %g", r->sig.name, x, y);
					if (mo == MONO_DEC && fx < fy - tol)
						fail_msg("%s is not nonincreasing at %g < %g", r->sig.name, x, y);
				}
			}
	}
	/* bce in q, for targets in [0, 1] */
	for (int t = 0; t <= 4; t++)
		for (int a = 1; a < 40; a++)
			for (int b = 1; b < 40; b++) {
				double x = a / 40.0, y = b / 40.0, tt = t / 4.0;
				assert_true(ev(&ops[IR_BCE], (x + y) / 2, tt)
					    <= (ev(&ops[IR_BCE], x, tt) + ev(&ops[IR_BCE], y, tt)) / 2 + 1e-12);
			}
}

/* ---- partials against central differences ------------------------------ */

/* Points away from each row's kinks and inside its domain. */
static const double points[] = { -3.7, -1.3, -0.4, 0.25, 0.6, 1.9, 4.1 };

static void test_elementwise_partials_match_differences(void **state)
{
	(void)state;
	for (int op = 0; op < IR_NOPS; op++) {
		const op_info *r = &ops[op];
		if (r->kind != OK_ELEM)
			continue;
		int na = r->sig.max_args;
		size_t np = sizeof points / sizeof points[0];
		for (size_t i = 0; i < np; i++)
			for (size_t j = 0; j < (na > 1 ? np : 1); j++) {
				ld x[OP_MAX_ARGS] = { points[i], na > 1 ? points[j] : 0, na > 2 ? points[(i + 2 * j + 3) % np] : 0 };
				if (r->sig.params[1].kind == AK_CONST || op == IR_POW)
					x[1] = fabsl(x[1]) + 0.5L;      /* delta > 0; a positive exponent */
				if (r->domain.code && (x[0] < r->domain.lo || x[0] > r->domain.hi))
					x[0] = r->domain.hi < 2 ? 0.37L : fabsl(x[0]) + 0.1L;
				if (op == IR_POW || op == IR_LOG || op == IR_XLOGX)
					x[0] = fabsl(x[0]) + 0.1L;
				if (op == IR_BCE)
					x[1] = 0.3L;
				ld v = r->eval(x);
				if (!isfinite((double)v))
					continue;
				/* at a tie (min(a, a), clamp at a bound, a comparison) the differences straddle it */
				int tie = 0;
				for (int a = 0; a < na; a++)
					for (int b = a + 1; b < na; b++)
						tie |= r->smooth == SM_KINK_AT_TIE && fabsl(x[a] - x[b]) < 1e-5L;
				for (int k = 0; k < na && !tie; k++) {
					ld h = 1e-6L * (1 + fabsl(x[k])), keep = x[k];
					x[k] = keep + h;
					ld fp = r->eval(x);
					x[k] = keep - h;
					ld fm = r->eval(x);
					x[k] = keep;
					ld fd = (fp - fm) / (2 * h), d = r->partial(k, x, v);
					/* at huber's kink |d| = delta the differences straddle it */
					if (fabsl(fd - d) > 1e-6L * (1 + fabsl(d))
					    && !(op == IR_HUBER && fabsl(fabsl(x[0]) - x[1]) < 1e-5L))
						fail_msg("%s: d/d operand %d at (%Lg, %Lg) is %Lg, differences give %Lg",
							 r->sig.name, k, x[0], x[1], d, fd);
				}
			}
	}
}

/* The statistics over the batch, restated: unbiased, NaN for one row
   (torch.std and torch.var of one element), and their intervals hold
   the extreme spreads. */
static void test_batch_statistics(void **state)
{
	(void)state;
	ld v[4] = { 0.3L, -1.2L, 2.5L, 0.7L };
	long len = 4, one = 1;
	const ld *x[1] = { v };
	op_vargs va = { 1, &len, x, 0, 0 }, v1 = { 1, &one, x, 0, 0 };
	ld out;
	ops[IR_BSUM].veval(&va, &out);
	assert_true(fabsl(out - 2.3L) < 1e-15L);
	ops[IR_BMEAN].veval(&va, &out);
	assert_true(fabsl(out - 0.575L) < 1e-15L);
	/* squared deviations 0.075625 + 3.150625 + 3.705625 + 0.015625, over B - 1 */
	ops[IR_BVAR].veval(&va, &out);
	assert_true(fabsl(out - 6.9475L / 3) < 1e-15L);
	ops[IR_BSTD].veval(&va, &out);
	assert_true(fabsl(out - sqrtl(6.9475L / 3)) < 1e-15L);
	ops[IR_BSTD].veval(&v1, &out);
	assert_true(isnan(out));
	ops[IR_BVAR].veval(&v1, &out);
	assert_true(isnan(out));
	/* rows in [0, 1]: the widest spread is B = 2 at both ends: var 1/2 */
	ival a = iv_make(0, 1);
	ival r = ops[IR_BVAR].range(&a, 1, 0);
	ld two[2] = { 0, 1 };
	const ld *x2[1] = { two };
	long len2 = 2;
	op_vargs vb = { 1, &len2, x2, 0, 0 };
	ops[IR_BVAR].veval(&vb, &out);
	assert_true(r.lo == 0 && r.hi >= (double)out && out == 0.5L);
	r = ops[IR_BSTD].range(&a, 1, 0);
	ops[IR_BSTD].veval(&vb, &out);
	assert_true(r.lo == 0 && r.hi >= (double)out);
	/* a sum of rows in [1, 2] is at least 1, unbounded above */
	a = iv_make(1, 2);
	r = ops[IR_BSUM].range(&a, 1, 0);
	assert_true(r.lo == 1 && isinf(r.hi));
}

static void test_vector_adjoints_match_differences(void **state)
{
	(void)state;
	ld v[4] = { 0.3L, -1.2L, 2.5L, 0.7L }, w[4] = { 1.1L, 0.4L, -0.9L, 2.0L };
	long len[2] = { 4, 4 };
	for (int op = 0; op < IR_NOPS; op++) {
		const op_info *r = &ops[op];
		if ((r->kind != OK_REDUCE && r->kind != OK_VECTOR && r->kind != OK_BATCH) || op == IR_ONEHOT)
			continue;       /* OK_BATCH: a batch of four rows */
		long n = r->kind == OK_VECTOR ? 4 : 0, m = n ? n : 1;
		const ld *x[2] = { v, w };
		op_vargs va = { (unsigned)r->sig.max_args, len, x, n, 0 };
		/* a fixed upstream adjoint, so the test covers every output element */
		ld out[4], gout[4] = { 0.5L, -1.5L, 2.0L, 0.25L }, g0[4] = { 0 }, g1[4] = { 0 };
		ld *gx[2] = { g0, g1 };
		r->veval(&va, out);
		r->vgrad(&va, out, gout, gx);
		for (int k = 0; k < r->sig.max_args; k++)
			for (int j = 0; j < 4; j++) {
				ld *a = k ? w : v, keep = a[j], h = 1e-6L, fp = 0, fm = 0, o2[4];
				a[j] = keep + h;
				r->veval(&va, o2);
				for (long i = 0; i < m; i++) fp += gout[i] * o2[i];
				a[j] = keep - h;
				r->veval(&va, o2);
				for (long i = 0; i < m; i++) fm += gout[i] * o2[i];
				a[j] = keep;
				ld fd = (fp - fm) / (2 * h), d = gx[k][j];
				if (fabsl(fd - d) > 1e-6L * (1 + fabsl(d)))
					fail_msg("%s: adjoint of operand %d element %d is %Lg, differences give %Lg",
						 r->sig.name, k, j, d, fd);
			}
	}
}

/*
 * The vector rows on scalar operands (length 0: one value, broadcast),
 * where each adjoint must still match differences (a reduction of a
 * scalar is the scalar; the statistics of one row are NaN and skipped),
 * and asked for no gradient at all (every operand's gx NULL: nothing is
 * written, nothing read).  An index out of range, or not whole, is NaN
 * with no gradient.
 */
static void test_vector_rows_on_scalars_and_without_gradients(void **state)
{
	(void)state;
	ld v[1] = { 0.7L }, w[1] = { -0.4L };
	long len[2] = { 0, 0 };
	int checked = 0;
	for (int op = 0; op < IR_NOPS; op++) {
		const op_info *r = &ops[op];
		if ((r->kind != OK_REDUCE && r->kind != OK_VECTOR && r->kind != OK_BATCH) || op == IR_ONEHOT)
			continue;
		const ld *x[2] = { v, w };
		op_vargs va = { (unsigned)r->sig.max_args, len, x, 0, 0 };
		ld out[1], gout[1] = { 1.5L }, g0[1] = { 0 }, g1[1] = { 0 };
		ld *gx[2] = { g0, g1 }, *none[2] = { NULL, NULL };
		r->veval(&va, out);
		r->vgrad(&va, out, gout, none);
		if (isnan(out[0]))
			continue;
		r->vgrad(&va, out, gout, gx);
		checked++;
		for (int k = 0; k < r->sig.max_args; k++) {
			ld *a = k ? w : v, keep = a[0], h = 1e-6L, fp, fm, o2[1];
			a[0] = keep + h;
			r->veval(&va, o2);
			fp = o2[0];
			a[0] = keep - h;
			r->veval(&va, o2);
			fm = o2[0];
			a[0] = keep;
			ld fd = gout[0] * (fp - fm) / (2 * h), d = gx[k][0];
			if (fabsl(fd - d) > 1e-6L * (1 + fabsl(d)))
				fail_msg("%s on scalars: adjoint of operand %d is %Lg, differences give %Lg",
					 r->sig.name, k, d, fd);
		}
	}
	assert_true(checked >= 10);
	/* v[c] with c outside 0..3 or not whole */
	ld vec[4] = { 1, 2, 3, 4 }, lab[1], out[1], g[4] = { 0 }, gout[1] = { 1 };
	long l2[2] = { 4, 0 };
	const ld *x[2] = { vec, lab };
	ld *gx[2] = { g, NULL }, *none[2] = { NULL, NULL };
	op_vargs va = { 2, l2, x, 0, 0 };
	static const ld bad[] = { -1, 4, 1.5L };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		lab[0] = bad[i];
		ops[IR_INDEX].veval(&va, out);
		assert_true(isnan(out[0]));
		if (bad[i] != 1.5L) {
			ops[IR_INDEX].vgrad(&va, out, gout, gx);
			for (int j = 0; j < 4; j++)
				assert_true(g[j] == 0);
		}
	}
	lab[0] = 2;
	ops[IR_INDEX].veval(&va, out);
	assert_true(out[0] == 3);
	ops[IR_INDEX].vgrad(&va, out, gout, none);
	ops[IR_INDEX].vgrad(&va, out, gout, gx);
	assert_true(g[2] == 1 && g[0] == 0 && g[1] == 0 && g[3] == 0);
}

/*
 * Domains as intervals, at their ends: an interval may touch a closed end
 * but not an open one (unless it is open there too, or the end is 0 and
 * the interval is known nonzero); "never inside" needs every value out.
 * Their text for messages, for each shape of domain.
 */
static void test_domains_at_their_ends(void **state)
{
	(void)state;
	const double inf = HUGE_VAL;
	const fn_domain pos = { "LS303", 0, inf, 1, 1, 0, 0, "m" };     /* x > 0 */
	const fn_domain nonneg = { "LS304", 0, inf, 0, 1, 0, 0, "m" };  /* x >= 0 */
	const fn_domain below1 = { "LS303", -inf, 1, 1, 1, 0, 0, "m" }; /* x < 1 */
	const fn_domain upto1 = { "LS303", -inf, 1, 1, 0, 0, 0, "m" };  /* x <= 1 */
	const fn_domain neg = { "LS303", -inf, 0, 1, 1, 0, 0, "m" };    /* x < 0 */
	const fn_domain unit = { "LS303", 0, 1, 0, 0, 0, 0, "m" };      /* 0 <= x <= 1 */
	const fn_domain open = { "LS303", -1, 1, 1, 1, 0, 0, "m" };     /* -1 < x < 1 */
	const fn_domain nz = { "LS305", 0, 0, 0, 0, 1, 0, "m" };        /* x != 0 */
	ival nzpos = iv_make(0, 2), nzneg = iv_make(-2, 0);
	nzpos.nonzero = nzneg.nonzero = 1;
	static const char *const text[] = { "x > 0", "x >= 0", "x < 1", "x <= 1", "x < 0", "0 <= x <= 1",
					    "-1 < x < 1", "x != 0" };
	const fn_domain *d[] = { &pos, &nonneg, &below1, &upto1, &neg, &unit, &open, &nz };
	char buf[64];
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
		assert_string_equal(ops_domain_str(d[i], buf, sizeof buf), text[i]);
	/* lower ends */
	assert_true(ops_outside(iv_make(0, 1), &pos));
	assert_false(ops_outside(iv_open(0, 1, 1, 0), &pos));     /* (0, 1] */
	assert_false(ops_outside(nzpos, &pos));                 /* [0, 2] but never 0 */
	assert_false(ops_outside(iv_make(0, 1), &nonneg));
	assert_true(ops_outside(iv_make(-1e-9, 1), &nonneg));
	/* upper ends */
	assert_true(ops_outside(iv_make(0, 1), &below1));
	assert_false(ops_outside(iv_open(0, 0, 1, 1), &below1));  /* [0, 1) */
	assert_false(ops_outside(iv_make(0, 1), &upto1));
	assert_true(ops_outside(iv_make(0, 1.5), &upto1));
	assert_false(ops_outside(nzneg, &neg));                 /* [-2, 0] but never 0 */
	assert_true(ops_outside(iv_make(-2, 0), &neg));
	assert_false(ops_outside(iv_make(0.25, 0.75), &unit));
	assert_true(ops_outside(iv_make(-1, 0.5), &open));
	/* never inside */
	assert_true(ops_never_inside(iv_make(-3, -1), &pos));
	assert_true(ops_never_inside(iv_make(-3, 0), &pos));    /* touches the open end */
	assert_false(ops_never_inside(iv_make(-3, 0), &nonneg));
	assert_true(ops_never_inside(iv_open(-3, 0, 0, 1), &nonneg)); /* [-3, 0) */
	assert_true(ops_never_inside(iv_make(1, 3), &below1));
	assert_false(ops_never_inside(iv_make(1, 3), &upto1));
	assert_true(ops_never_inside(iv_open(1, 1, 3, 0), &upto1));     /* (1, 3] */
	assert_true(ops_never_inside(iv_make(2, 3), &unit));
	assert_false(ops_never_inside(iv_make(0.5, 3), &unit));
	assert_true(ops_never_inside(iv_make(0, 0), &nz));
	assert_false(ops_never_inside(iv_make(0, 1), &nz));
	assert_true(ops_outside(iv_make(0, 1), &nz));
	assert_false(ops_outside(nzpos, &nz));
}

/*
 * The adjoint gx of row op over the batch va (operands x, m elements each)
 * against central differences of sum(up[i] * out[i]) over the result's
 * elements i >= from (a kink left out), in every element of every operand.
 */
static void cross_adjoint_matches(ir_op op, const op_vargs *va, ld *const *x, int m, const ld *up, int from,
				  ld *const *gx)
{
	long n = va->rows * va->rows;
	for (unsigned k = 0; k < va->nargs; k++)
		for (int j = 0; j < m; j++) {
			ld keep = x[k][j], h = 1e-7L, fp = 0, fm = 0, o[9];
			x[k][j] = keep + h;
			ops[op].veval(va, o);
			for (long i = from; i < n; i++) fp += up[i] * o[i];
			x[k][j] = keep - h;
			ops[op].veval(va, o);
			for (long i = from; i < n; i++) fm += up[i] * o[i];
			x[k][j] = keep;
			ld fd = (fp - fm) / (2 * h);
			if (fabsl(fd - gx[k][j]) > 1e-6L * (1 + fabsl(fd)))
				fail_msg("%s: adjoint of operand %u element %d is %Lg, differences give %Lg", ops[op].sig.name,
					 k, j, gx[k][j], fd);
		}
}

/*
 * The rows across the batch against PyTorch's definitions: a @ b.T of
 * two 3 x 2 tensors, its transpose, and their adjoints against central
 * differences of sum(G * upstream) in every element of every row.
 */
static void test_cross_rows(void **state)
{
	(void)state;
	ld a[6] = { 1, 2, -1, 0.5L, 3, -2 }, b[6] = { 0.5L, -1, 2, 1, -0.25L, 4 };
	long len[2] = { 2, 2 };
	const ld *x[2] = { a, b };
	op_vargs va = { 2, len, x, 3, 3 };
	ld G[9], T[9];
	ops[IR_GRAM].veval(&va, G);
	/* G[i][j] = a_i . b_j */
	assert_true(G[0] == 1 * 0.5L + 2 * -1 && G[1] == 1 * 2 + 2 * 1 && G[5] == -1 * -0.25L + 0.5L * 4);
	assert_true(G[7] == 3 * 2 + -2 * 1);
	long lt = 3;
	const ld *xt[1] = { G };
	op_vargs vt = { 1, &lt, xt, 3, 3 };
	ops[IR_TRANSPOSE].veval(&vt, T);
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			assert_true(T[i * 3 + j] == G[j * 3 + i]);
	/* adjoints */
	const ld up[9] = { 0.5L, -1.5L, 2, 0.25L, 1, -0.75L, 3, -2, 1.25L };
	ld ga[6] = { 0 }, gb[6] = { 0 }, gm[9] = { 0 };
	ld *gx[2] = { ga, gb }, *gt[1] = { gm };
	ops[IR_GRAM].vgrad(&va, G, up, gx);
	ops[IR_TRANSPOSE].vgrad(&vt, T, up, gt);
	cross_adjoint_matches(IR_GRAM, &va, (ld *const[]){ a, b }, 6, up, 0, gx);
	cross_adjoint_matches(IR_TRANSPOSE, &vt, (ld *const[]){ G }, 9, up, 0, gt);
}

/* cdist against torch.cdist: values, adjoints against differences, and
   PyTorch's zero gradient where two rows coincide (distance 0). */
static void test_cdist_rows(void **state)
{
	(void)state;
	ld a[6] = { 1, 2, -1, 0.5L, 3, -2 }, b[6] = { 1, 2, 0.25L, 4, -3, 1 };
	long len[2] = { 2, 2 };
	const ld *x[2] = { a, b };
	op_vargs va = { 2, len, x, 3, 3 };
	ld d[9];
	ops[IR_CDIST].veval(&va, d);
	assert_true(d[0] == 0);                         /* a_0 == b_0 */
	assert_true(fabsl(d[1] - sqrtl(0.75L * 0.75L + 2 * 2)) < 1e-18L);
	assert_true(fabsl(d[8] - sqrtl(36 + 9)) < 1e-18L);     /* (3, -2) - (-3, 1) */
	const ld up[9] = { 0.5L, -1.5L, 2, 0.25L, 1, -0.75L, 3, -2, 1.25L };
	ld ga[6] = { 0 }, gb[6] = { 0 };
	ld *gx[2] = { ga, gb };
	ops[IR_CDIST].vgrad(&va, d, up, gx);
	/* with the pair at distance 0 left out, every element against differences */
	cross_adjoint_matches(IR_CDIST, &va, (ld *const[]){ a, b }, 6, up, 1, gx);
}

/* The edges of bce: PyTorch's values and gradient convention. */
static void test_bce_edges_follow_pytorch(void **state)
{
	(void)state;
	ld a[2];
	a[0] = 0; a[1] = 1;
	assert_true(ops[IR_BCE].eval(a) == 100);             /* -max(log 0, -100) */
	a[0] = 0; a[1] = 0;
	assert_true(ops[IR_BCE].eval(a) == 0);
	a[0] = 1; a[1] = 0;
	assert_true(ops[IR_BCE].eval(a) == 100);
	a[0] = 0; a[1] = 1;
	/* (q - t) / max(q (1 - q), 1e-12): a confident wrong prediction keeps a large gradient */
	assert_true(fabsl(ops[IR_BCE].partial(0, a, 100) + 1e12L) < 1);
	a[0] = 1e-13L; a[1] = 0;
	assert_true(fabsl(ops[IR_BCE].partial(0, a, 0) - 0.1L) < 1e-6L);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_op_has_a_complete_row),
		cmocka_unit_test(test_every_row_has_the_textbook_properties),
		cmocka_unit_test(test_every_range_rule_is_sound),
		cmocka_unit_test(test_key_ranges),
		cmocka_unit_test(test_scalar_rows_curvature_and_monotonicity_hold),
		cmocka_unit_test(test_elementwise_partials_match_differences),
		cmocka_unit_test(test_vector_adjoints_match_differences),
		cmocka_unit_test(test_vector_rows_on_scalars_and_without_gradients),
		cmocka_unit_test(test_domains_at_their_ends),
		cmocka_unit_test(test_batch_statistics),
		cmocka_unit_test(test_bce_edges_follow_pytorch),
		cmocka_unit_test(test_cross_rows),
		cmocka_unit_test(test_cdist_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
