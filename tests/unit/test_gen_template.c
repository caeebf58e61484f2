/*
 * test_gen_template.c: the op rows' C template language (gt_expand,
 * ops.h): each escape, numbers in each precision, helpers and what a
 * template a row got wrong turns into (a name that cannot compile, and
 * the kernel marked as not generated), never a silent wrong text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "gen_impl.h"

static gen_kernel g;

static int setup(void **state)
{
	(void)state;
	memset(&g, 0, sizeof g);
	g.arena = arena_new();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(g.arena);
	return 0;
}

static int helper_used(gen_prec p, const char *name)
{
	for (size_t i = 0; i < op_nhelpers; i++)
		if (!strcmp(op_helpers[i].name, name))
			return (int)(g.helpers[p] >> i & 1);
	fail();
	return 0;
}

static void test_escapes(void **state)
{
	(void)state;
	gt_env e;
	memset(&e, 0, sizeof e);
	e.arg[0] = "a";
	e.arg[1] = "b";
	e.arg[2] = "c";
	e.value = "v";
	e.adj = "g";
	e.acc = "acc";
	e.len = "n";
	e.idx = "j";
	e.max = "mx";
	e.next = "nx";
	e.der[0] = "dl";
	e.der[1] = "di";
	assert_string_equal(gt_expand(&g, GP_F64, "%0+%1+%2 %v %g %a %n %j %M %N %L %I", &e),
			    "a+b+c v g acc n j mx nx dl di");
	assert_string_equal(gt_expand(&g, GP_F32, "%T %f %S %H %Q", NULL), "float f f HUGE_VALF FLT_MIN");
	assert_string_equal(gt_expand(&g, GP_F64, "%T %f %S %H %Q", NULL), "double  d HUGE_VAL DBL_MIN");
	assert_string_equal(gt_expand(&g, GP_LD, "%T %f %S %H %Q", NULL),
			    "long double l l HUGE_VALL LDBL_MIN");
	/* "%%" is a percent sign; a '%' before anything else, or at the end, is kept */
	assert_string_equal(gt_expand(&g, GP_F64, "100%% %z 5%", NULL), "100% %z 5%");
	assert_null(g.unsupported);
	assert_int_equal(g.too_big, 0);
}

static void test_numbers(void **state)
{
	(void)state;
	assert_string_equal(gt_expand(&g, GP_F64, "%k(2.5)*x", NULL), "2.5*x");
	assert_string_equal(gt_expand(&g, GP_F64, "%k(-1)", NULL), "(-1.0)");
	assert_string_equal(gt_expand(&g, GP_F32, "%k(0.1)", NULL), "0.100000001f");
	assert_string_equal(gt_expand(&g, GP_F32, "%k(1e300)", NULL), "HUGE_VALF");  /* finite in double */
	assert_string_equal(gt_expand(&g, GP_LD, "%k(3)", NULL), "3.0L");
	assert_string_equal(gt_expand(&g, GP_LD, "%k(-0.5)", NULL), "(-0.5L)");
	assert_string_equal(gt_num(&g, GP_LD, NAN), "NAN");
	assert_string_equal(gt_num(&g, GP_LD, INFINITY), "HUGE_VALL");
	assert_string_equal(gt_num(&g, GP_LD, -INFINITY), "(-HUGE_VALL)");
	assert_string_equal(gt_num(&g, GP_F64, -INFINITY), "(-HUGE_VAL)");
}

static void test_helpers(void **state)
{
	(void)state;
	assert_string_equal(gt_expand(&g, GP_F64, "%{sigmoid}(x)", NULL), "lc_sigmoid_d(x)");
	assert_true(helper_used(GP_F64, "sigmoid"));
	assert_false(helper_used(GP_F32, "sigmoid"));
	assert_string_equal(gt_expand(&g, GP_F32, "%E(x)", NULL), "lc_exp_shifted_f(x)");
	assert_true(helper_used(GP_F32, "exp_shifted"));
	g.vmode = 1;
	assert_string_equal(gt_expand(&g, GP_F32, "%E(x)", NULL), "LC_VEXP_F(x)");
	g.vmode = 0;
	assert_string_equal(gt_expand(&g, GP_F64, "%E(x)", NULL), "exp(x)");
	assert_string_equal(gt_expand(&g, GP_LD, "%E(x)", NULL), "expl(x)");
	assert_null(g.unsupported);
}

/* A row's mistake: an escape with nothing bound, a helper that does not
   exist or exists only in float.  The text cannot compile and the kernel
   is refused (with no loss to blame, as too big). */
static void test_a_row_gone_wrong(void **state)
{
	(void)state;
	assert_string_equal(gt_expand(&g, GP_F64, "%v+1", NULL), "lc_no_value_for_%v+1");
	assert_int_equal(g.too_big, 1);
	g.too_big = 0;
	assert_string_equal(gt_expand(&g, GP_F64, "%{no_such}(x)", NULL), "lc_no_value_for_%{(x)");
	assert_int_equal(g.too_big, 1);
	g.too_big = 0;
	assert_string_equal(gt_expand(&g, GP_F64, "%{exp_shifted}(x)", NULL), "lc_no_value_for_%{(x)");
	assert_int_equal(g.too_big, 1);
	assert_false(helper_used(GP_F64, "exp_shifted"));
	g.too_big = 0;
	/* an expression past GEN_MAX_EXPR marks the kernel too big */
	static char big[GEN_MAX_EXPR + 2];
	memset(big, 'x', sizeof big - 1);
	assert_int_equal(strlen(gk_fmt(&g, "%s", big)), GEN_MAX_EXPR + 1);
	assert_int_equal(g.too_big, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_helpers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_row_gone_wrong, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
