/*
 * test_funcs.c: the built-in function table against the mathematics.
 *
 * For every primitive row: the interval rule is sound (sampled arguments
 * map inside the computed interval, over many argument intervals), and
 * the recorded curvature and monotonicity hold numerically (midpoint
 * convexity/concavity and ordered samples).  The expectations of
 * curvature, monotonicity and smoothness are restated here, row by row,
 * from the textbook definitions, so a wrong table entry fails a test.
 * Finally lossspec(5)'s generated function section must equal what the
 * table prints, so the page and the table cannot drift.
 *
 * `test_funcs --print-man` prints that section (to paste into the page).
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

#include "funcs.h"

/* ---- an independent evaluator (scalar elementwise ops) ---------------- */

static double ev(ir_op op, double x, double y, double k)
{
	switch (op) {
	case IR_EXP: return exp(x);
	case IR_LOG: return log(x);
	case IR_LOG1P: return log1p(x);
	case IR_EXPM1: return expm1(x);
	case IR_SQRT: return sqrt(x);
	case IR_ABS: return fabs(x);
	case IR_SQUARE: return x * x;
	case IR_SIGMOID: return 1.0 / (1.0 + exp(-x));
	case IR_LOG_SIGMOID: return -log1p(exp(-x));
	case IR_SOFTPLUS: return log1p(exp(x));
	case IR_TANH: return tanh(x);
	case IR_RELU: return x > 0 ? x : 0;
	case IR_HUBER: return fabs(x) <= k ? 0.5 * x * x : k * (fabs(x) - 0.5 * k);
	case IR_XLOGX: return x == 0 ? 0 : x * log(x);
	case IR_NEG: return -x;
	case IR_ADD: return x + y;
	case IR_SUB: return x - y;
	case IR_MUL: return x * y;
	case IR_DIV: return x / y;
	case IR_POW: return pow(x, y);
	case IR_MIN: return x < y ? x : y;
	case IR_MAX: return x > y ? x : y;
	default: return NAN;
	}
}

/* vector ops on v[0..n) (and w) */
static double ev_vec(ir_op op, const double *v, const double *w, int n, int i)
{
	double s = 0, m = -HUGE_VAL;
	for (int j = 0; j < n; j++) m = fmax(m, v[j]);
	switch (op) {
	case IR_SUM: for (int j = 0; j < n; j++) s += v[j]; return s;
	case IR_MEAN: for (int j = 0; j < n; j++) s += v[j]; return s / n;
	case IR_VMAX: return m;
	case IR_VMIN: s = v[0]; for (int j = 1; j < n; j++) s = fmin(s, v[j]); return s;
	case IR_LOGSUMEXP: for (int j = 0; j < n; j++) s += exp(v[j] - m); return m + log(s);
	case IR_NORM1: for (int j = 0; j < n; j++) s += fabs(v[j]); return s;
	case IR_NORM2: for (int j = 0; j < n; j++) s += v[j] * v[j]; return sqrt(s);
	case IR_DOT: for (int j = 0; j < n; j++) s += v[j] * w[j]; return s;
	case IR_SOFTMAX: for (int j = 0; j < n; j++) s += exp(v[j] - m); return exp(v[i] - m) / s;
	case IR_LOG_SOFTMAX: for (int j = 0; j < n; j++) s += exp(v[j] - m); return v[i] - m - log(s);
	case IR_ONEHOT: return i == 0 ? 1 : 0;
	default: return NAN;
	}
}

static int is_vector_op(ir_op op)
{
	return op == IR_SUM || op == IR_MEAN || op == IR_VMAX || op == IR_VMIN || op == IR_LOGSUMEXP
	       || op == IR_NORM1 || op == IR_NORM2 || op == IR_DOT || op == IR_SOFTMAX
	       || op == IR_LOG_SOFTMAX || op == IR_ONEHOT;
}

/* ---- expectations, restated from the definitions ----------------------- */

typedef struct expect {
	const char *name;
	int nargs;              /* distinguishes max(v) from max(a, b) */
	ir_curv curv;
	fn_mono mono0;
	fn_smooth smooth;
} expect;

static const expect expectations[] = {
	{ "exp", 1, CURV_CONVEX, MONO_INC, SM_SMOOTH },
	{ "log", 1, CURV_CONCAVE, MONO_INC, SM_SMOOTH },
	{ "log1p", 1, CURV_CONCAVE, MONO_INC, SM_SMOOTH },
	{ "expm1", 1, CURV_CONVEX, MONO_INC, SM_SMOOTH },
	{ "sqrt", 1, CURV_CONCAVE, MONO_INC, SM_EDGE },
	{ "abs", 1, CURV_CONVEX, MONO_SIGN, SM_KINK_AT_ZERO },
	{ "square", 1, CURV_CONVEX, MONO_SIGN, SM_SMOOTH },
	{ "sigmoid", 1, CURV_UNKNOWN, MONO_INC, SM_SMOOTH },
	{ "log_sigmoid", 1, CURV_CONCAVE, MONO_INC, SM_SMOOTH },
	{ "softplus", 1, CURV_CONVEX, MONO_INC, SM_SMOOTH },
	{ "tanh", 1, CURV_UNKNOWN, MONO_INC, SM_SMOOTH },
	{ "relu", 1, CURV_CONVEX, MONO_INC, SM_KINK_AT_ZERO },
	{ "min", 2, CURV_CONCAVE, MONO_INC, SM_KINK_AT_TIE },
	{ "max", 2, CURV_CONVEX, MONO_INC, SM_KINK_AT_TIE },
	{ "sum", 1, CURV_AFFINE, MONO_INC, SM_SMOOTH },
	{ "mean", 1, CURV_AFFINE, MONO_INC, SM_SMOOTH },
	{ "max", 1, CURV_CONVEX, MONO_INC, SM_KINK_AT_TIE },
	{ "min", 1, CURV_CONCAVE, MONO_INC, SM_KINK_AT_TIE },
	{ "logsumexp", 1, CURV_CONVEX, MONO_INC, SM_SMOOTH },
	{ "norm1", 1, CURV_CONVEX, MONO_SIGN, SM_KINK_AT_ZERO },
	{ "norm2", 1, CURV_CONVEX, MONO_SIGN, SM_KINK_AT_ZERO },
	{ "dot", 2, CURV_UNKNOWN, MONO_NONE, SM_SMOOTH },
	{ "softmax", 1, CURV_UNKNOWN, MONO_NONE, SM_SMOOTH },
	{ "log_softmax", 1, CURV_CONCAVE, MONO_NONE, SM_SMOOTH },
	{ "onehot", 1, CURV_AFFINE, MONO_NONE, SM_SMOOTH },
	{ "-", 1, CURV_AFFINE, MONO_DEC, SM_SMOOTH },
	{ "+", 2, CURV_AFFINE, MONO_INC, SM_SMOOTH },
	{ "-", 2, CURV_AFFINE, MONO_INC, SM_SMOOTH },
	{ "*", 2, CURV_UNKNOWN, MONO_NONE, SM_SMOOTH },
	{ "/", 2, CURV_UNKNOWN, MONO_NONE, SM_SMOOTH },
	{ "^", 2, CURV_UNKNOWN, MONO_NONE, SM_SPECIAL },
	{ "huber_elem", 2, CURV_CONVEX, MONO_SIGN, SM_C1 },
	{ "xlogx", 1, CURV_CONVEX, MONO_NONE, SM_EDGE },
};

static const expect *find_expect(const fn_info *fi)
{
	for (size_t i = 0; i < sizeof expectations / sizeof expectations[0]; i++)
		if (!strcmp(expectations[i].name, fi->name) && expectations[i].nargs == fi->max_args)
			return &expectations[i];
	return NULL;
}

/* Every primitive row has an expectation and matches it. */
static void test_every_row_has_the_textbook_properties(void **state)
{
	(void)state;
	int checked = 0;
	for (size_t i = 0; i < funcs_count; i++) {
		const fn_info *fi = &funcs_table[i];
		if (fi->group == FG_LOSS)
			continue;
		const expect *e = find_expect(fi);
		if (!e)
			fail_msg("row '%s' (%d args) has no expectation in this test", fi->name, fi->max_args);
		if (fi->curv != e->curv || fi->mono[0] != e->mono0 || fi->smooth != e->smooth)
			fail_msg("row '%s': curv %d mono %d smooth %d, want %d %d %d", fi->name, fi->curv,
				 fi->mono[0], fi->smooth, e->curv, e->mono0, e->smooth);
		assert_non_null(fi->range);
		assert_ptr_equal(funcs_for_op(fi->op), fi);
		checked++;
	}
	assert_int_equal(checked, (int)(sizeof expectations / sizeof expectations[0]));
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

static void check_scalar_row(const fn_info *fi)
{
	int ni;
	const ival *ivs = test_intervals(&ni);
	double k = 0.7;     /* huber's delta */
	for (int a = 0; a < ni; a++)
		for (int b = 0; b < (fi->max_args == 2 ? ni : 1); b++) {
			ival args[2] = { ivs[a], ivs[b] };
			if (fi->op == IR_HUBER) args[1] = iv_point(k);
			ival r = fi->range(args, fi->max_args, 0, k);
			for (int i = 0; i < 25; i++)
				for (int j = 0; j < (fi->max_args == 2 ? 25 : 1); j++) {
					double x = sample(args[0], i, 25), y = sample(args[1], j, 25);
					if (fi->op == IR_DIV && y == 0) continue;
					double v = ev(fi->op, x, fi->op == IR_HUBER ? k : y, k);
					if (!inside(r, v))
						fail_msg("%s(%g, %g) = %g outside [%g, %g]", fi->name, x, y, v, r.lo, r.hi);
				}
		}
}

static void check_vector_row(const fn_info *fi)
{
	int ni;
	const ival *ivs = test_intervals(&ni);
	srand(7);
	for (int a = 0; a < ni; a++)
		for (int n = 1; n <= 5; n += 2) {
			ival args[2] = { ivs[a], ivs[a] };
			ival r = fi->range(args, fi->max_args, n, 0);
			for (int trial = 0; trial < 200; trial++) {
				double v[5], w[5];
				for (int j = 0; j < n; j++) {
					/* corners and interior points */
					int c = rand() % 3;
					v[j] = sample(ivs[a], c == 0 ? 0 : c == 1 ? 24 : rand() % 25, 25);
					w[j] = sample(ivs[a], rand() % 25, 25);
				}
				for (int i = 0; i < n; i++) {
					double y = ev_vec(fi->op, v, w, n, i);
					if (!inside(r, y))
						fail_msg("%s over %d elements in [%g, %g] gave %g outside [%g, %g]", fi->name, n,
							 ivs[a].lo, ivs[a].hi, y, r.lo, r.hi);
				}
			}
		}
}

static void test_every_range_rule_is_sound(void **state)
{
	(void)state;
	for (size_t i = 0; i < funcs_count; i++) {
		const fn_info *fi = &funcs_table[i];
		if (fi->group == FG_LOSS)
			continue;
		if (fi->op == IR_POW) {
			/* constant exponents, as the analyzer uses them */
			static const double ps[] = { 2, 3, 0.5, -1, -2, 1.5, 0 };
			int ni;
			const ival *ivs = test_intervals(&ni);
			for (size_t p = 0; p < sizeof ps / sizeof ps[0]; p++)
				for (int a = 0; a < ni; a++) {
					ival args[2] = { ivs[a], iv_point(ps[p]) };
					ival r = fi->range(args, 2, 0, 0);
					for (int j = 0; j < 25; j++) {
						double x = sample(ivs[a], j, 25);
						if (x == 0 && ps[p] < 0) continue;
						if (!inside(r, pow(x, ps[p])))
							fail_msg("%g^%g = %g outside [%g, %g]", x, ps[p], pow(x, ps[p]), r.lo, r.hi);
					}
				}
		} else if (is_vector_op(fi->op)) {
			check_vector_row(fi);
		} else {
			check_scalar_row(fi);
		}
	}
}

/* Specific ranges the analysis depends on. */
static void test_key_ranges(void **state)
{
	(void)state;
	ival all = iv_all(), x[2];
	x[0] = all;
	ival r = funcs_lookup("exp", 3, 1)->range(x, 1, 0, 0);
	assert_true(iv_positive(r));
	r = funcs_lookup("softmax", 7, 1)->range(x, 1, 4, 0);
	assert_true(iv_positive(r) && r.hi == 1 && r.hi_open);
	r = funcs_lookup("log_softmax", 11, 1)->range(x, 1, 4, 0);
	assert_true(iv_negative(r));
	r = funcs_lookup("square", 6, 1)->range(x, 1, 0, 0);
	assert_true(iv_nonneg(r) && !iv_positive(r));
	r = funcs_lookup("sigmoid", 7, 1)->range(x, 1, 0, 0);
	assert_true(iv_positive(r) && r.hi == 1 && r.hi_open);
	x[0] = iv_make(-10, 10);
	r = funcs_lookup("exp", 3, 1)->range(x, 1, 0, 0);
	assert_true(fabs(r.hi - exp(10)) < 1e-6 && fabs(r.lo - exp(-10)) < 1e-12);
	/* softmax of 3 elements in [0, 1]: each in [1/(1+2e), 1/(1+2/e)] */
	x[0] = iv_make(0, 1);
	r = funcs_lookup("softmax", 7, 1)->range(x, 1, 3, 0);
	assert_true(fabs(r.lo - 1 / (1 + 2 * exp(1))) < 1e-12 && fabs(r.hi - 1 / (1 + 2 * exp(-1))) < 1e-12);
	r = funcs_lookup("logsumexp", 9, 1)->range(x, 1, 3, 0);
	assert_true(fabs(r.lo - log(3)) < 1e-12 && fabs(r.hi - (1 + log(3))) < 1e-12);
}

/* ---- curvature and monotonicity, numerically -------------------------- */

static void test_scalar_rows_curvature_and_monotonicity_hold(void **state)
{
	(void)state;
	for (size_t i = 0; i < funcs_count; i++) {
		const fn_info *fi = &funcs_table[i];
		if (fi->group == FG_LOSS || is_vector_op(fi->op) || fi->max_args != 1 || fi->op == IR_NEG)
			continue;
		double lo = -6, hi = 6;
		if (fi->domain.code) lo = fi->domain.lo + 1e-3;
		for (int a = 0; a < 40; a++)
			for (int b = 0; b < 40; b++) {
				double x = lo + (hi - lo) * a / 39, y = lo + (hi - lo) * b / 39, m = (x + y) / 2;
				double fx = ev(fi->op, x, 0, 0.7), fy = ev(fi->op, y, 0, 0.7), fm = ev(fi->op, m, 0, 0.7);
				double tol = 1e-9 * (1 + fabs(fx) + fabs(fy));
				if (fi->curv == CURV_CONVEX && fm > (fx + fy) / 2 + tol)
					fail_msg("%s is not convex at %g, %g", fi->name, x, y);
				if (fi->curv == CURV_CONCAVE && fm < (fx + fy) / 2 - tol)
					fail_msg("%s is not concave at %g, %g", fi->name, x, y);
				if (x < y) {
					fn_mono mo = fi->mono[0];
					if (mo == MONO_SIGN) mo = x >= 0 ? MONO_INC : y <= 0 ? MONO_DEC : MONO_NONE;
					if (mo == MONO_INC && fx > fy + tol)
						fail_msg("%s is not nondecreasing at %g < %g", fi->name, x, y);
					if (mo == MONO_DEC && fx < fy - tol)
						fail_msg("%s is not nonincreasing at %g < %g", fi->name, x, y);
				}
			}
	}
	/* huber (an internal 2-argument row) in its first argument */
	for (int a = 0; a < 40; a++)
		for (int b = 0; b < 40; b++) {
			double x = -3 + 6.0 * a / 39, y = -3 + 6.0 * b / 39;
			double fm = ev(IR_HUBER, (x + y) / 2, 0, 0.7);
			assert_true(fm <= (ev(IR_HUBER, x, 0, 0.7) + ev(IR_HUBER, y, 0, 0.7)) / 2 + 1e-12);
		}
}

/* ---- lookup, suggestions, signatures ----------------------------------- */

static void test_lookup_by_arity_and_suggestions(void **state)
{
	(void)state;
	assert_int_equal(funcs_lookup("max", 3, 1)->op, IR_VMAX);
	assert_int_equal(funcs_lookup("max", 3, 2)->op, IR_MAX);
	assert_null(funcs_lookup("max", 3, 3));
	assert_null(funcs_lookup("+", 1, 2));           /* operators are not callable */
	assert_null(funcs_lookup("huber_elem", 10, 2));  /* internal rows neither */
	assert_non_null(funcs_lookup("huber", 5, 2));
	assert_non_null(funcs_lookup("huber", 5, 3));
	assert_string_equal(funcs_suggest("logg", 4), "log");
	assert_string_equal(funcs_suggest("sofmax", 6), "softmax");
	assert_string_equal(funcs_suggest("crossentropy", 12), "cross_entropy");
	assert_null(funcs_suggest("banana", 6));
	char buf[128];
	assert_string_equal(funcs_signature(funcs_lookup_name("huber", 5), buf, sizeof buf), "huber(p, t, delta=1)");
	assert_string_equal(funcs_signature(funcs_lookup_name("cross_entropy", 13), buf, sizeof buf),
			    "cross_entropy(logits, y, label_smoothing=0)");
}

/* Every function LOSSSPEC.md lists is in the table. */
static void test_table_covers_the_language(void **state)
{
	(void)state;
	static const char *const names[] = {
		"exp", "log", "log1p", "expm1", "sqrt", "abs", "square", "sigmoid", "log_sigmoid", "softplus",
		"tanh", "relu", "min", "max", "sum", "mean", "logsumexp", "norm1", "norm2", "dot", "softmax",
		"log_softmax", "onehot", "cross_entropy", "nll", "mse", "l1", "huber", "smooth_l1", "bce",
		"bce_with_logits", "hinge", "kl_div"
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!funcs_lookup_name(names[i], strlen(names[i])))
			fail_msg("'%s' is missing from the table", names[i]);
}

/* ---- lossspec(5) agrees with the table --------------------------------- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) return NULL;
	size_t cap = 1 << 20, n;
	char *b = malloc(cap + 1);
	n = fread(b, 1, cap, f);
	b[n] = '\0';
	fclose(f);
	return b;
}

#define BEGIN_MARK ".\\\" BEGIN FUNCTION TABLE (generated: tests/unit/test_funcs --print-man)\n"
#define END_MARK ".\\\" END FUNCTION TABLE\n"

static void test_man_page_function_table_matches(void **state)
{
	(void)state;
	char path[4096];
	snprintf(path, sizeof path, "%s/man/lossspec.5", LOSSC_SRCDIR);
	char *page = slurp(path);
	assert_non_null(page);
	char *b = strstr(page, BEGIN_MARK), *e = strstr(page, END_MARK);
	if (!b || !e || e < b)
		fail_msg("man/lossspec.5 lacks the generated function table markers");
	b += strlen(BEGIN_MARK);
	char *gen = NULL;
	size_t glen = 0;
	FILE *m = open_memstream(&gen, &glen);
	assert_int_equal(funcs_print_table(m, 1), 0);
	fclose(m);
	if (glen != (size_t)(e - b) || memcmp(gen, b, glen) != 0)
		fail_msg("man/lossspec.5's function table differs from src/funcs.c; "
			 "regenerate it with tests/unit/test_funcs --print-man");
	free(gen);
	free(page);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--print-man")) {
		fputs(BEGIN_MARK, stdout);
		funcs_print_table(stdout, 1);
		fputs(END_MARK, stdout);
		return 0;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row_has_the_textbook_properties),
		cmocka_unit_test(test_every_range_rule_is_sound),
		cmocka_unit_test(test_key_ranges),
		cmocka_unit_test(test_scalar_rows_curvature_and_monotonicity_hold),
		cmocka_unit_test(test_lookup_by_arity_and_suggestions),
		cmocka_unit_test(test_table_covers_the_language),
		cmocka_unit_test(test_man_page_function_table_matches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
