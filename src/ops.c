/*
 * ops.c: the op table, one row per IR op (see ops.h for what a row
 * holds), and the helper functions the rows' C text calls.
 *
 * To add an elementwise function: a new ir_op, its row here (name and
 * parameters, domain, range rule, curvature and monotonicity, smoothness,
 * evaluator and partials in ops_eval.c, C templates), a line in
 * tests/unit/test_ops.c's expectations, and tests.  Nothing else changes:
 * lookup, lowering, analysis, folding, kernels, harness, lossspec(5)'s
 * function table and the agreement tests all read the row.
 */
#include "ops_impl.h"

#include <math.h>

/* ---- row shorthands ---- */

#define P(nm, k) { .name = nm, .kind = k }
#define SIG(nm, grp, lo, hi, dc, ...) \
	{ .name = nm, .group = grp, .min_args = lo, .max_args = hi, .doc = dc, .params = { __VA_ARGS__ } }
#define NOPARAMS { .name = NULL }
#define M2(a, b) { a, b, MONO_NONE }
#define M3(a, b, c) { a, b, c }
#define POINTS(...) ((const double[]){ __VA_ARGS__, NAN })
#define DOMAIN(c, l, lopen, h, hopen, m) \
	{ .code = c, .lo = l, .lo_open = lopen, .hi = h, .hi_open = hopen, .msg = m }
#define ELEM_EVAL(nm) .eval = e_##nm, .partial = d_##nm
#define VEC_EVAL(nm) .veval = v_##nm, .vgrad = g_##nm
#define PROOFS(...) .proofs = (const op_proof *const[]){ __VA_ARGS__, NULL }

/* x^2 and x^1 are spelled without pow() */
static const char *pick_pow(const ir_node *n, int which)
{
	const ir_node *e = n->args[1];
	double p = e->op == IR_CONST && !e->vals ? e->num : NAN;
	if (which < 0)
		return p == 2 ? "(%0 * %0)" : p == 1 ? "%0" : "pow%f(%0, %1)";
	if (which == 0)
		return p == 2 ? "(%k(2) * %0)" : "(%1 * pow%f(%0, %1 - %k(1)))";
	return "(pow%f(%0, %1) * log%f(%0))";
}

/* ---- loops ---- */

/* log(sum(exp(x))) as max + log(sum(exp(x - max))): shared by softmax,
   log_softmax and logsumexp of one operand */
static const op_scale lse = {
	.key = "%0", .max0 = "-%H", .term = "%E(%0 - %M)", .rescale = "exp%f(%M - %N)",
	.derived = { "log%f(%a)", "%k(1) / %a" },
};

/* sum(x^2) as max^2 * sum((x / max)^2): overflows only when the norm
   does, and keeps tiny values (the max starts at the smallest normal
   number, so an all-zero vector divides by that, not by 0) */
static const op_scale ssq = {
	.key = "fabs%f(%0)", .max0 = "%Q", .term = "%{sq}(%0 / %M)", .rescale = "%{sq}(%M / %N)",
};

/* the statistics over the batch: var and std centre on the mean first */
static const op_batch batch_sum = { { "%0", NULL }, { "%a", NULL } };
static const op_batch batch_mean = { { "%0", NULL }, { "%a / %n", NULL } };
static const op_batch batch_var = { { "%0", "(%0 - %M) * (%0 - %M)" }, { "%a / %n", "%a / (%n - %k(1))" } };
static const op_batch batch_std = { { "%0", "(%0 - %M) * (%0 - %M)" }, { "%a / %n", "sqrt%f(%a / (%n - %k(1)))" } };

/* across the rows: a @ transpose(b) sums a_i[k] b_j[k]; a transpose moves elements */
static const op_cross cross_gram = { 0, "%0 * %1", "%a", { "%1", "%0" } };
static const op_cross cross_transpose = { 1, NULL, NULL, { NULL, NULL } };
/* cdist: the root of a sum of squared differences; its partial is 0 where
   the distance %v is exactly 0 (PyTorch's zero gradient there), NaN where
   it is NaN (as PyTorch's) */
static const op_cross cross_cdist = { 0, "(%0 - %1) * (%0 - %1)", "sqrt%f(%a)",
	{ "(%v == %k(0) ? %k(0) : (%0 - %1) / %v)", "(%v == %k(0) ? %k(0) : (%1 - %0) / %v)" } };

static const op_loop loop_sum = { ACC_SUM, NULL, "%0", "%a", { { ADJ_ONE, "%g", NULL } } };
static const op_loop loop_mean = { ACC_SUM, NULL, "%0", "%a / %n", { { ADJ_ONE, "%g / %n", NULL } } };
static const op_loop loop_vmax = { ACC_ARGMAX, NULL, "%0", "%a", { { ADJ_ONEHOT, "%g", NULL } } };
static const op_loop loop_vmin = { ACC_ARGMIN, NULL, "%0", "%a", { { ADJ_ONEHOT, "%g", NULL } } };
static const op_loop loop_logsumexp = { ACC_SUM, &lse, NULL, "%M + %L",
	{ { ADJ_ELEM, "%g", "(%E(%0 - %M) * %I)" } } };
static const op_loop loop_norm1 = { ACC_SUM, NULL, "fabs%f(%0)", "%a",
	{ { ADJ_ELEM, "%g", "%{sign}(%0)" } } };
/* d|v|/dv = v/|v| (never above 1: no overflow); at the zero vector, 0 */
static const op_loop loop_norm2 = { ACC_SUM, &ssq, NULL, "isinf(%M) ? %M : %M * sqrt%f(%a)",
	{ { ADJ_ELEM, "%g", "(%v > %k(0) ? %0 / %v : %k(0))" } } };
static const op_loop loop_dot = { ACC_SUM, NULL, "%0 * %1", "%a",
	{ { ADJ_ELEM, "%g", "%1" }, { ADJ_ELEM, "%g", "%0" } } };

/* softmax: da_j = s_j (g_j - sum_k g_k s_k) */
static const op_vector vec_softmax = { &lse, "(%E(%0 - %M) * %I)", "%v", "%v", 1, "%v" };
/* log_softmax: da_j = g_j - softmax_j sum_k g_k (the fused softmax - onehot) */
static const op_vector vec_log_softmax = { &lse, "((%0 - %M) - %L)", NULL, NULL, 0, "(%E(%0 - %M) * %I)" };
static const op_vector vec_onehot = { NULL, "((int64_t)(%j) == (int64_t)%0 ? %k(1) : %k(0))", NULL, NULL, 0, NULL };

/* ---- the table ---- */

const op_info ops[IR_NOPS] = {
	/* leaves: the analyzer, evaluator and generators handle them by kind */
	[IR_CONST] = { .sig = SIG("const", FG_LEAF, 0, 0, "a constant", NOPARAMS), .kind = OK_LEAF },
	[IR_OUTPUT] = { .sig = SIG("output", FG_LEAF, 0, 0, "an output of the loss", NOPARAMS), .kind = OK_LEAF },
	[IR_INPUT] = { .sig = SIG("input", FG_LEAF, 0, 0, "an input of the dataset", NOPARAMS), .kind = OK_LEAF },
	[IR_LABEL] = { .sig = SIG("label", FG_LEAF, 0, 0, "a label of the dataset", NOPARAMS), .kind = OK_LEAF },
	[IR_SIZE] = { .sig = SIG("size", FG_LEAF, 0, 0, "a named size's value, bound at the call", NOPARAMS),
		.kind = OK_LEAF },
	/* a leaf whose value is the row's index: the evaluator's batch (ireval_forward_batch),
	   the kernels' row loop (lc_r) and the harness's row r give it; the analyzer sees a
	   label of B classes */
	[IR_ARANGE] = { .sig = SIG("arange", FG_BATCH, 1, 1, "the row's index in the batch, a class label of B "
			"classes (torch.arange(B) as a target)", P("B", AK_SIZE)), .kind = OK_LEAF },

	[IR_VEC] = { .sig = SIG("[]", FG_LEAF, 1, -1, "a vector of scalars", P("e", AK_REAL)),
		.kind = OK_VEC, .range = r_vec, .curv = CURV_UNKNOWN, .curv_rule = cr_vec, VEC_EVAL(vec) },
	[IR_INDEX] = { .sig = SIG("[]", FG_LEAF, 2, 2, "the element of v at the label y", P("v", AK_VECTOR), P("y", AK_CLASS)),
		.kind = OK_INDEX, .range = r_same, .curv = CURV_UNKNOWN, .curv_rule = cr_index, .sign = SIGN_KEEPS,
		VEC_EVAL(index) },

	/* operators */
	[IR_ADD] = { .sig = SIG("+", FG_OPERATOR, 2, 2, "addition", P("a", AK_REAL), P("b", AK_REAL)),
		.kind = OK_ELEM, .range = r_add, .curv = CURV_AFFINE, .mono = M2(MONO_INC, MONO_INC),
		.sign = SIGN_KEEPS, PROOFS(&pf_exp_tangent, &pf_logsumexp, &pf_softplus_line), ELEM_EVAL(add),
		.c_value = "(%0 + %1)", .c_partial = { "%k(1)", "%k(1)" } },
	[IR_SUB] = { .sig = SIG("-", FG_OPERATOR, 2, 2, "subtraction", P("a", AK_REAL), P("b", AK_REAL)),
		.kind = OK_ELEM, .range = r_sub, .curv = CURV_AFFINE, .mono = M2(MONO_INC, MONO_DEC),
		PROOFS(&pf_exp_tangent, &pf_logsumexp, &pf_softplus_line), ELEM_EVAL(sub),
		.c_value = "(%0 - %1)", .c_partial = { "%k(1)", "%k(-1)" } },
	[IR_MUL] = { .sig = SIG("*", FG_OPERATOR, 2, 2,
			"product; affine/convex/concave only when one side is constant (sign decides)",
			P("a", AK_REAL), P("b", AK_REAL)),
		.kind = OK_ELEM, .range = r_mul, .curv = CURV_UNKNOWN, .curv_rule = cr_mul,
		.sign = SIGN_PRODUCT, PROOFS(&pf_equal_factors), ELEM_EVAL(mul),
		.c_value = "(%0 * %1)", .c_partial = { "%1", "%0" } },
	/* d(a/b)/db as -(a/b)/b, not -a/(b*b): b*b underflows below 1e-154 and
	   gave 0/0 = NaN where the derivative is 0 (found by the agreement
	   tests: 0 / 1e-300 in float64) */
	[IR_DIV] = { .sig = SIG("/", FG_OPERATOR, 2, 2, "quotient; the divisor must not be 0",
			P("a", AK_REAL), P("b", AK_REAL)),
		.kind = OK_ELEM, .range = r_div, .curv = CURV_UNKNOWN, .curv_rule = cr_div, .kink_rule = kr_div,
		.kink_what = "has a pole where %1 = 0",
		.domain = { .code = "LS305", .nonzero = 1, .arg = 1, .msg = "division by a value that may be zero" },
		.sign = SIGN_PRODUCT, PROOFS(&pf_cauchy_schwarz), ELEM_EVAL(div),
		.c_value = "(%0 / %1)", .c_partial = { "(%k(1) / %1)", "(-(%0 / %1) / %1)" } },
	[IR_POW] = { .sig = SIG("^", FG_OPERATOR, 2, 2,
			"power; with a constant exponent p, curvature follows CVXPY's power atom",
			P("a", AK_REAL), P("b", AK_REAL)),
		.kind = OK_ELEM, .range = r_pow, .curv = CURV_UNKNOWN, .curv_rule = cr_pow, .smooth = SM_SPECIAL,
		.kink_rule = kr_pow, .kink_what = "has an infinite slope where %0 = 0", .check = ck_pow,
		.inf_slope = is_pow_root, .inf_slope_what = "x ^ p with 0 < p < 1 is infinite where x is 0",
		.edges = POINTS(0), ELEM_EVAL(pow), .c_pick = pick_pow },
	[IR_NEG] = { .sig = SIG("-", FG_OPERATOR, 1, 1, "negation", P("a", AK_REAL)),
		.kind = OK_ELEM, .range = r_neg, .curv = CURV_AFFINE, .mono = M2(MONO_DEC, MONO_NONE), ELEM_EVAL(neg),
		.c_value = "(-%0)", .c_partial = { "%k(-1)" } },

	/* elementwise functions */
	[IR_MIN] = { .sig = SIG("min", FG_ELEMWISE, 2, 2, "elementwise minimum; kink where a = b",
			P("a", AK_REAL), P("b", AK_REAL)),
		.kind = OK_ELEM, .range = r_min, .curv = CURV_CONCAVE, .mono = M2(MONO_INC, MONO_INC),
		.smooth = SM_KINK_AT_TIE, .sign = SIGN_KEEPS, PROOFS(&pf_min_opposite), ELEM_EVAL(min),
		.c_value = "(%0 < %1 ? %0 : %1)",
		.c_partial = { "(%0 <= %1 ? %k(1) : %k(0))", "(%0 <= %1 ? %k(0) : %k(1))" } },
	[IR_MAX] = { .sig = SIG("max", FG_ELEMWISE, 2, 2, "elementwise maximum; kink where a = b",
			P("a", AK_REAL), P("b", AK_REAL)),
		.kind = OK_ELEM, .range = r_max, .curv = CURV_CONVEX, .mono = M2(MONO_INC, MONO_INC),
		.smooth = SM_KINK_AT_TIE, .sign = SIGN_KEEPS, PROOFS(&pf_max_opposite), ELEM_EVAL(max),
		.c_value = "(%0 > %1 ? %0 : %1)",
		.c_partial = { "(%0 >= %1 ? %k(1) : %k(0))", "(%0 >= %1 ? %k(0) : %k(1))" } },
	[IR_CLAMP] = { .sig = SIG("clamp", FG_ELEMWISE, 3, 3,
			"min(max(x, lo), hi), as torch.clamp (hi where lo > hi); gradient 1 in x where "
			"lo <= x <= hi, both ends included, else to the bound that is the result",
			P("x", AK_REAL), P("lo", AK_REAL), P("hi", AK_REAL)),
		.kind = OK_ELEM, .range = r_clamp, .curv = CURV_UNKNOWN, .curv_rule = cr_clamp,
		.mono = M3(MONO_INC, MONO_INC, MONO_INC), .smooth = SM_KINK_AT_TIE, .kink_rule = kr_clamp,
		.kink_what = "has kinks where %0 meets a bound", .sign = SIGN_OPAQUE, ELEM_EVAL(clamp),
		.c_value = "((%0 < %1 ? %1 : %0) > %2 ? %2 : (%0 < %1 ? %1 : %0))",
		.c_partial = { "(%0 >= %1 && %0 <= %2 ? %k(1) : %k(0))",
			       "(%0 < %1 && !(%1 > %2) ? %k(1) : %k(0))",
			       "((%0 < %1 ? %1 : %0) > %2 ? %k(1) : %k(0))" } },

	/* comparisons: a condition, 1 where it holds, 0 where not; a step, so
	   no gradient passes (PyTorch's comparisons have none either) */
#define COMPARISON(op, nm, fn) \
	[op] = { .sig = SIG(nm, FG_OPERATOR, 2, 2, "a condition for where(): 1 where a " nm " b, else 0", \
			P("a", AK_REAL), P("b", AK_REAL)), \
		.kind = OK_ELEM, .gives_cond = 1, .range = r_cmp, .curv = CURV_UNKNOWN, .curv_rule = cr_cmp, \
		.mono = M2(MONO_NONE, MONO_NONE), .smooth = SM_KINK_AT_TIE, \
		.kink_what = "jumps where %0 = %1", ELEM_EVAL(fn), \
		.c_value = "(%0 " nm " %1 ? %k(1) : %k(0))", .c_partial = { "%k(0)", "%k(0)" } }
	COMPARISON(IR_LT, "<", lt),
	COMPARISON(IR_LE, "<=", le),
	COMPARISON(IR_GT, ">", gt),
	COMPARISON(IR_GE, ">=", ge),
	COMPARISON(IR_EQ, "==", eq),
	COMPARISON(IR_NE, "!=", ne),
#undef COMPARISON
	[IR_WHERE] = { .sig = SIG("where", FG_ELEMWISE, 3, 3,
			"a where the condition c holds, else b, as torch.where; only the chosen side "
			"counts: the other's value and gradient are never used, even where NaN or infinite",
			P("c", AK_COND), P("a", AK_REAL), P("b", AK_REAL)),
		.kind = OK_ELEM, .range = r_where, .curv = CURV_UNKNOWN, .curv_rule = cr_where,
		.mono = M3(MONO_NONE, MONO_INC, MONO_INC), .sign = SIGN_OPAQUE, ELEM_EVAL(where),
		.c_value = "(%0 != %k(0) ? %1 : %2)",
		.c_partial = { "%k(0)", "(%0 != %k(0) ? %k(1) : %k(0))", "(%0 != %k(0) ? %k(0) : %k(1))" } },
	[IR_EXP] = { .sig = SIG("exp", FG_ELEMWISE, 1, 1,
			"e^x; range (0, inf); overflows float32 above ~88.7, float64 above ~709.8", P("x", AK_REAL)),
		.kind = OK_ELEM, .range = r_exp, .curv = CURV_CONVEX, .mono = M2(MONO_INC, MONO_NONE),
		.check = ck_exp, .edges = POINTS(88.72, 709.78), ELEM_EVAL(exp),
		.c_value = "exp%f(%0)", .c_partial = { "%v" } },
	[IR_LOG] = { .sig = SIG("log", FG_ELEMWISE, 1, 1, "natural logarithm; domain x > 0", P("x", AK_REAL)),
		.kind = OK_ELEM, .range = r_log, .curv = CURV_CONCAVE, .mono = M2(MONO_INC, MONO_NONE),
		.domain = DOMAIN("LS303", 0, 1, HUGE_VAL, 1, "log of a value that may be zero or negative"),
		.edges = POINTS(0, 1), ELEM_EVAL(log),
		.c_value = "log%f(%0)", .c_partial = { "(%k(1) / %0)" } },
	[IR_LOG1P] = { .sig = SIG("log1p", FG_ELEMWISE, 1, 1, "log(1 + x), accurate for small x; domain x > -1",
			P("x", AK_REAL)),
		.kind = OK_ELEM, .range = r_log1p, .curv = CURV_CONCAVE, .mono = M2(MONO_INC, MONO_NONE),
		.domain = DOMAIN("LS303", -1, 1, HUGE_VAL, 1, "log1p of a value that may be <= -1"),
		.edges = POINTS(-1, 0), ELEM_EVAL(log1p),
		.c_value = "log1p%f(%0)", .c_partial = { "(%k(1) / (%k(1) + %0))" } },
	[IR_EXPM1] = { .sig = SIG("expm1", FG_ELEMWISE, 1, 1, "exp(x) - 1, accurate for small x; range (-1, inf)",
			P("x", AK_REAL)),
		.kind = OK_ELEM, .range = r_expm1, .curv = CURV_CONVEX, .mono = M2(MONO_INC, MONO_NONE),
		.check = ck_exp, .sign = SIGN_KEEPS, .edges = POINTS(0, 88.72, 709.78), ELEM_EVAL(expm1),
		.c_value = "expm1%f(%0)", .c_partial = { "exp%f(%0)" } },
	[IR_SQRT] = { .sig = SIG("sqrt", FG_ELEMWISE, 1, 1, "square root; domain x >= 0; infinite slope at 0",
			P("x", AK_REAL)),
		.kind = OK_ELEM, .range = r_sqrt, .curv = CURV_CONCAVE, .curv_rule = cr_sqrt, .mono = M2(MONO_INC, MONO_NONE),
		.domain = DOMAIN("LS304", 0, 0, HUGE_VAL, 1, "sqrt of a value that may be negative"),
		.smooth = SM_EDGE, .kinks = POINTS(0), .inf_slope = is_always,
		.inf_slope_what = "sqrt is infinite where its argument is 0", ELEM_EVAL(sqrt),
		.c_value = "sqrt%f(%0)", .c_partial = { "(%k(1) / (%k(2) * %v))" } },
	[IR_ABS] = { .sig = SIG("abs", FG_ELEMWISE, 1, 1, "absolute value; kink at 0", P("x", AK_REAL)),
		.kind = OK_ELEM, .range = r_abs, .curv = CURV_CONVEX, .mono = M2(MONO_SIGN, MONO_NONE),
		.smooth = SM_KINKS, .kinks = POINTS(0), ELEM_EVAL(abs),
		.c_value = "fabs%f(%0)", .c_partial = { "%{sign}(%0)" } },
	[IR_SQUARE] = { .sig = SIG("square", FG_ELEMWISE, 1, 1, "x * x; range [0, inf)", P("x", AK_REAL)),
		.kind = OK_ELEM, .range = r_square, .curv = CURV_CONVEX, .mono = M2(MONO_SIGN, MONO_NONE),
		ELEM_EVAL(square), .c_value = "(%0 * %0)", .c_partial = { "(%k(2) * %0)" } },
	[IR_SIGMOID] = { .sig = SIG("sigmoid", FG_ELEMWISE, 1, 1,
			"1 / (1 + exp(-x)); range (0, 1); neither convex nor concave", P("x", AK_REAL)),
		.kind = OK_ELEM, .range = r_sigmoid, .curv = CURV_UNKNOWN, .mono = M2(MONO_INC, MONO_NONE),
		.edges = POINTS(0, -100, 100), ELEM_EVAL(sigmoid),
		.c_value = "%{sigmoid}(%0)", .c_partial = { "(%v * %{sigmoid}(-%0))" } },
	[IR_LOG_SIGMOID] = { .sig = SIG("log_sigmoid", FG_ELEMWISE, 1, 1,
			"log(sigmoid(x)) = -softplus(-x), stable; range (-inf, 0)", P("x", AK_REAL)),
		.kind = OK_ELEM, .range = r_log_sigmoid, .curv = CURV_CONCAVE, .mono = M2(MONO_INC, MONO_NONE),
		.edges = POINTS(0, -800, 40), ELEM_EVAL(log_sigmoid),
		.c_value = "%{log_sigmoid}(%0)", .c_partial = { "%{sigmoid}(-%0)" } },
	[IR_SOFTPLUS] = { .sig = SIG("softplus", FG_ELEMWISE, 1, 1, "log(1 + exp(x)), stable; range (0, inf)",
			P("x", AK_REAL)),
		.kind = OK_ELEM, .range = r_softplus, .curv = CURV_CONVEX, .mono = M2(MONO_INC, MONO_NONE),
		.edges = POINTS(0, 800, -40), ELEM_EVAL(softplus),
		.c_value = "%{softplus}(%0)", .c_partial = { "%{sigmoid}(%0)" } },
	[IR_TANH] = { .sig = SIG("tanh", FG_ELEMWISE, 1, 1, "hyperbolic tangent; range (-1, 1); neither convex nor concave",
			P("x", AK_REAL)),
		.kind = OK_ELEM, .range = r_tanh, .curv = CURV_UNKNOWN, .mono = M2(MONO_INC, MONO_NONE),
		.sign = SIGN_KEEPS, .edges = POINTS(0, 20), ELEM_EVAL(tanh),
		.c_value = "tanh%f(%0)", .c_partial = { "(%k(1) - %v * %v)" } },
	[IR_RELU] = { .sig = SIG("relu", FG_ELEMWISE, 1, 1, "max(x, 0); kink at 0", P("x", AK_REAL)),
		.kind = OK_ELEM, .range = r_relu, .curv = CURV_CONVEX, .mono = M2(MONO_INC, MONO_NONE),
		.smooth = SM_KINKS, .kinks = POINTS(0), ELEM_EVAL(relu),
		.c_value = "(%0 > %k(0) ? %0 : %k(0))", .c_partial = { "(%0 > %k(0) ? %k(1) : %k(0))" } },
	[IR_LOG_COSH] = { .sig = SIG("log_cosh", FG_ELEMWISE, 1, 1,
			"log(cosh(x)), computed without overflow and exactly near 0; ~x^2/2 near 0, ~|x| - log 2 "
			"far out; gradient tanh(x)", P("x", AK_REAL)),
		.kind = OK_ELEM, .curv = CURV_CONVEX, .mono = M2(MONO_SIGN, MONO_NONE),
		.edges = POINTS(0, 1, -1, 1e-9, 800), ELEM_EVAL(log_cosh),
		.c_value = "%{log_cosh}(%0)", .c_partial = { "tanh%f(%0)" } },

	/* elementwise, produced by expansions only */
	[IR_HUBER] = { .sig = SIG("huber_elem", FG_INTERNAL, 2, 2,
			"PyTorch's elementwise Huber of d: 0.5*d^2 where |d| <= delta, else delta*(|d| - 0.5*delta)",
			P("d", AK_REAL), P("delta", AK_CONST)),
		.kind = OK_ELEM, .range = r_huber, .curv = CURV_CONVEX, .mono = M2(MONO_SIGN, MONO_NONE),
		.smooth = SM_C1, ELEM_EVAL(huber),
		.c_value = "%{huber}(%0, %1)",
		.c_partial = { "%{huber_d}(%0, %1)", "(fabs%f(%0) <= %1 ? %k(0) : fabs%f(%0) - %1)" } },
	[IR_XLOGX] = { .sig = SIG("xlogx", FG_INTERNAL, 1, 1, "p * log(p) with 0 * log(0) = 0 (PyTorch's xlogy(p, p))",
			P("p", AK_REAL)),
		.kind = OK_ELEM, .range = r_xlogx, .curv = CURV_CONVEX, .mono = M2(MONO_NONE, MONO_NONE),
		.domain = DOMAIN("LS303", 0, 0, HUGE_VAL, 1,
				 "log of a value that may be negative (inside kl_div, which takes p * log(p))"),
		.smooth = SM_EDGE, .kinks = POINTS(0), ELEM_EVAL(xlogx),
		.c_value = "%{xlogx}(%0)", .c_partial = { "(log%f(%0) + %k(1))" } },
	/* convex in q for a constant t in [0, 1] (a nonnegative combination of
	   -log q and -log(1 - q)), affine in t: cr_bce decides */
	[IR_BCE] = { .sig = SIG("bce_elem", FG_INTERNAL, 2, 2,
			"PyTorch's binary cross-entropy of a probability q: (t - 1) * max(log(1 - q), -100) "
			"- t * max(log(q), -100); gradient in q (q - t) / max(q (1 - q), 1e-12)",
			P("q", AK_REAL), P("t", AK_REAL)),
		.kind = OK_ELEM, .range = r_bce, .curv = CURV_CONVEX, .curv_rule = cr_bce, .mono = M2(MONO_NONE, MONO_NONE),
		.domain = DOMAIN("LS303", 0, 0, 1, 0,
				 "bce of a probability that may be outside [0, 1] (it takes log(p) and log(1 - p))"),
		.smooth = SM_EDGE, .kinks = POINTS(0, 3.720075976020836e-44, 1),
		.edges = POINTS(1e-12, 1e-30, 0.5), ELEM_EVAL(bce), .convention = c_bce,
		.c_value = "%{bce}(%0, %1)", .c_partial = { "%{bce_dq}(%0, %1)", "%{bce_dt}(%0)" } },

	/* vector to scalar */
	[IR_SUM] = { .sig = SIG("sum", FG_REDUCE, 1, 1, "sum of the elements", P("v", AK_VECTOR)),
		.kind = OK_REDUCE, .range = r_sum, .curv = CURV_AFFINE, .mono = M2(MONO_INC, MONO_NONE),
		.sign = SIGN_KEEPS, VEC_EVAL(sum), .loop = &loop_sum, .over_batch = IR_BSUM },
	[IR_MEAN] = { .sig = SIG("mean", FG_REDUCE, 1, 1, "mean of the elements", P("v", AK_VECTOR)),
		.kind = OK_REDUCE, .range = r_same, .curv = CURV_AFFINE, .mono = M2(MONO_INC, MONO_NONE),
		.sign = SIGN_KEEPS, VEC_EVAL(mean), .loop = &loop_mean, .over_batch = IR_BMEAN },
	[IR_VMAX] = { .sig = SIG("max", FG_REDUCE, 1, 1, "largest element; kink where two elements tie",
			P("v", AK_VECTOR)),
		.kind = OK_REDUCE, .range = r_same, .curv = CURV_CONVEX, .mono = M2(MONO_INC, MONO_NONE),
		.smooth = SM_KINK_AT_TIE, .sign = SIGN_KEEPS, VEC_EVAL(vmax), .loop = &loop_vmax },
	[IR_VMIN] = { .sig = SIG("min", FG_REDUCE, 1, 1, "smallest element; kink where two elements tie",
			P("v", AK_VECTOR)),
		.kind = OK_REDUCE, .range = r_same, .curv = CURV_CONCAVE, .mono = M2(MONO_INC, MONO_NONE),
		.smooth = SM_KINK_AT_TIE, .sign = SIGN_KEEPS, VEC_EVAL(vmin), .loop = &loop_vmin },
	[IR_LOGSUMEXP] = { .sig = SIG("logsumexp", FG_REDUCE, 1, 1,
			"log(sum(exp(v))), computed stably; in [max(v), max(v) + log N]", P("v", AK_VECTOR)),
		.kind = OK_REDUCE, .range = r_logsumexp, .curv = CURV_CONVEX, .mono = M2(MONO_INC, MONO_NONE),
		VEC_EVAL(logsumexp), .loop = &loop_logsumexp },
	[IR_NORM1] = { .sig = SIG("norm1", FG_REDUCE, 1, 1, "sum(abs(v)); kink where an element is 0",
			P("v", AK_VECTOR)),
		.kind = OK_REDUCE, .range = r_norm1, .curv = CURV_CONVEX, .mono = M2(MONO_SIGN, MONO_NONE),
		.smooth = SM_KINKS, .kinks = POINTS(0), VEC_EVAL(norm1), .loop = &loop_norm1 },
	[IR_NORM2] = { .sig = SIG("norm2", FG_REDUCE, 1, 1,
			"sqrt(sum(square(v))), scaled: overflows only when the norm does; kink at the zero vector",
			P("v", AK_VECTOR)),
		.kind = OK_REDUCE, .range = r_norm2, .curv = CURV_CONVEX, .mono = M2(MONO_SIGN, MONO_NONE),
		.smooth = SM_KINK_AT_ZERO, .kinks = POINTS(0), .edges = POINTS(1e200, 3e-200, 1e-310),
		VEC_EVAL(norm2), .loop = &loop_norm2 },
	[IR_DOT] = { .sig = SIG("dot", FG_REDUCE, 2, 2, "sum(a * b); affine when one side is constant",
			P("a", AK_VECTOR), P("b", AK_VECTOR)),
		.kind = OK_REDUCE, .range = r_dot, .curv = CURV_UNKNOWN, .curv_rule = cr_dot,
		.mono = M2(MONO_NONE, MONO_NONE), PROOFS(&pf_self_dot), VEC_EVAL(dot), .loop = &loop_dot },

	/* vector to vector */
	[IR_SOFTMAX] = { .sig = SIG("softmax", FG_VECTOR, 1, 1, "exp(v) / sum(exp(v)); elements in (0, 1)",
			P("v", AK_VECTOR)),
		.kind = OK_VECTOR, .range = r_softmax, .curv = CURV_UNKNOWN, .mono = M2(MONO_NONE, MONO_NONE),
		VEC_EVAL(softmax), .vec = &vec_softmax },
	[IR_LOG_SOFTMAX] = { .sig = SIG("log_softmax", FG_VECTOR, 1, 1,
			"v - logsumexp(v), stable; elements <= 0; concave", P("v", AK_VECTOR)),
		.kind = OK_VECTOR, .range = r_log_softmax, .curv = CURV_CONCAVE, .mono = M2(MONO_NONE, MONO_NONE),
		VEC_EVAL(log_softmax), .vec = &vec_log_softmax },
	[IR_ONEHOT] = { .sig = SIG("onehot", FG_VECTOR, 1, 1, "class[K] label -> real[K] with 1 at the label, 0 elsewhere",
			P("y", AK_CLASS)),
		.kind = OK_VECTOR, .range = r_onehot, .curv = CURV_AFFINE, .mono = M2(MONO_NONE, MONO_NONE),
		.veval = v_onehot, .vgrad = g_none, .vec = &vec_onehot },

	/* over the batch: the rows of a per-example scalar, one statistic for
	   the batch (lossspec(5) BATCHES); sum and mean are what sum(x) and
	   mean(x) become when x is a per-example scalar (`over_batch`) */
	[IR_BSUM] = { .sig = SIG("sum", FG_BATCH, 1, 1, "a per-example scalar's sum over the rows of the batch",
			P("x", AK_REAL)),
		.kind = OK_BATCH, .range = r_bsum, .curv = CURV_AFFINE, .mono = M2(MONO_INC, MONO_NONE),
		.sign = SIGN_KEEPS, VEC_EVAL(sum), .batch = &batch_sum },
	[IR_BMEAN] = { .sig = SIG("mean", FG_BATCH, 1, 1, "a per-example scalar's mean over the rows of the batch",
			P("x", AK_REAL)),
		.kind = OK_BATCH, .range = r_same, .curv = CURV_AFFINE, .mono = M2(MONO_INC, MONO_NONE),
		.sign = SIGN_KEEPS, VEC_EVAL(mean), .batch = &batch_mean },
	[IR_BVAR] = { .sig = SIG("var", FG_BATCH, 1, 1,
			"unbiased variance of a per-example scalar over the batch (divides by B - 1: NaN at B = 1)",
			P("x", AK_REAL)),
		.kind = OK_BATCH, .range = r_bvar, .curv = CURV_CONVEX, .mono = M2(MONO_NONE, MONO_NONE),
		VEC_EVAL(bvar), .batch = &batch_var },
	[IR_BSTD] = { .sig = SIG("std", FG_BATCH, 1, 1,
			"unbiased standard deviation of a per-example scalar over the batch (NaN at B = 1); "
			"kink where every row is equal", P("x", AK_REAL)),
		.kind = OK_BATCH, .range = r_bstd, .curv = CURV_CONVEX, .mono = M2(MONO_NONE, MONO_NONE),
		.smooth = SM_SPECIAL, .kink_rule = kr_bstd, .kink_what = "has a kink where every row's %0 is equal",
		VEC_EVAL(bstd), .batch = &batch_std },

	/* across the rows: row i of the result reads every row of its operands,
	   so its gradient reaches other rows (lossspec(5) BATCHES); the
	   evaluator sees the whole batch (OK_CROSS).  `a @ transpose(b)` is
	   written with the operator; an element is a dot product, so it has
	   dot's range; its curvature: affine when one side is data, else not
	   known (a @ transpose(a) is no square: u_i . u_j is indefinite) */
	[IR_GRAM] = { .sig = SIG("@", FG_OPERATOR, 2, 2, "a @ transpose(b) of per-example vectors: row i holds "
			"a_i . b_j for every row j (B x B)", P("a", AK_VECTOR), P("b", AK_VECTOR)),
		.kind = OK_CROSS, .range = r_dot, .curv = CURV_UNKNOWN, .curv_rule = cr_gram,
		.mono = M2(MONO_NONE, MONO_NONE), VEC_EVAL(gram), .cross = &cross_gram },
	[IR_TRANSPOSE] = { .sig = SIG("transpose", FG_BATCH, 1, 1, "transpose(x) of a B x B matrix (a real[B] "
			"row per example): row i is column i of x", P("x", AK_VECTOR)),
		.kind = OK_CROSS, .range = r_same, .curv = CURV_AFFINE, .mono = M2(MONO_INC, MONO_NONE),
		.sign = SIGN_KEEPS, VEC_EVAL(transpose), .cross = &cross_transpose },
	[IR_CDIST] = { .sig = SIG("cdist", FG_BATCH, 2, 2, "cdist(a, b) of per-example vectors: row i holds "
			"||a_i - b_j|| for every row j (B x B), as torch.cdist computes it directly "
			"(compute_mode='donot_use_mm_for_euclid_dist'); gradient 0 at distance 0",
			P("a", AK_VECTOR), P("b", AK_VECTOR)),
		.kind = OK_CROSS, .range = r_cdist, .curv = CURV_UNKNOWN, .curv_rule = cr_cdist,
		.mono = M2(MONO_NONE, MONO_NONE), .smooth = SM_SPECIAL, .kink_rule = kr_cdist,
		.kink_what = "has a kink where a row of %0 equals a row of %1",
		VEC_EVAL(cdist), .cross = &cross_cdist },
};

const op_info *ops_row(ir_op op)
{
	return &ops[op];
}

/* ---- helpers ---- */

const op_helper op_helpers[] = {
	/* sign, 0 at 0: the subgradient PyTorch uses for |x| */
	{ "sign", "static %T lc_sign_%S(%T x)\n{\n\treturn (%T)((x > 0) - (x < 0));\n}\n", 0 },
	/* sigmoid without overflow: exp of a non-positive number only */
	{ "sigmoid", "static %T lc_sigmoid_%S(%T x)\n{\n\tif (x >= 0)\n\t\treturn 1 / (1 + exp%f(-x));\n"
	  "\telse {\n\t\tconst %T e = exp%f(x);\n\t\treturn e / (1 + e);\n\t}\n}\n", 0 },
	/* softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|): never overflows */
	{ "softplus", "static %T lc_softplus_%S(%T x)\n{\n\treturn (x > 0 ? x : 0) + log1p%f(exp%f(-fabs%f(x)));\n}\n", 0 },
	/* log_sigmoid(x) = -softplus(-x) */
	{ "log_sigmoid", "static %T lc_log_sigmoid_%S(%T x)\n{\n\treturn (x < 0 ? x : 0) - log1p%f(exp%f(-fabs%f(x)));\n}\n", 0 },
	/* PyTorch's elementwise Huber, and its derivative in d */
	{ "huber", "static %T lc_huber_%S(%T a, %T delta)\n{\n\tconst %T m = fabs%f(a);\n"
	  "\treturn m <= delta ? %k(0.5) * a * a : delta * (m - %k(0.5) * delta);\n}\n", 0 },
	{ "huber_d", "static %T lc_huber_d_%S(%T a, %T delta)\n{\n\treturn a > delta ? delta : a < -delta ? -delta : a;\n}\n", 0 },
	/* x log x with 0 log 0 = 0 (PyTorch's xlogy(x, x)) */
	{ "xlogx", "static %T lc_xlogx_%S(%T x)\n{\n\treturn x == 0 ? 0 : x * log%f(x);\n}\n", 0 },
	/* PyTorch's clamp of bce's logs: -inf (log 0) becomes -100, NaN stays NaN */
	{ "clog", "static %T lc_clog_%S(%T l)\n{\n\treturn l < %k(-100) ? %k(-100) : l;\n}\n", 0 },
	/* torch.nn.functional.binary_cross_entropy, its gradient in q (PyTorch's
	   backward formula, so a confident wrong prediction keeps a large
	   gradient) and in t */
	{ "bce", "static %T lc_bce_%S(%T q, %T t)\n{\n"
	  "\treturn (t - 1) * %{clog}(log1p%f(-q)) - t * %{clog}(log%f(q));\n}\n", 0 },
	{ "bce_dq", "static %T lc_bce_dq_%S(%T q, %T t)\n{\n\tconst %T w = q * (1 - q);\n"
	  "\treturn (q - t) / (w > %k(1e-12) ? w : %k(1e-12));\n}\n", 0 },
	{ "bce_dt", "static %T lc_bce_dt_%S(%T q)\n{\n\treturn %{clog}(log1p%f(-q)) - %{clog}(log%f(q));\n}\n", 0 },
	{ "sq", "static %T lc_sq_%S(%T x)\n{\n\treturn x * x;\n}\n", 0 },
	/* an adjoint times a partial, 0 when the adjoint is 0 even if the partial
	   is infinite (gen_adjoint.c) */
	{ "mul0", "static %T lc_mul0_%S(%T a, %T b)\n{\n\treturn a == 0 ? a : a * b;\n}\n", 0 },
	/* log(cosh(x)): cosh overflows (710 in float64), and log(cosh(x)) loses
	   every digit near 0 where it is x^2 / 2; cosh(x) - 1 = 2 sinh(x/2)^2
	   keeps them, and far out it is |x| + log1p(e^-2|x|) - log 2 */
	{ "log_cosh", "static %T lc_log_cosh_%S(%T x)\n{\n\tconst %T a = fabs%f(x);\n\tif (a < 1) {\n"
	  "\t\tconst %T s = sinh%f(a / 2);\n\t\treturn log1p%f(2 * s * s);\n\t}\n"
	  "\treturn a + log1p%f(exp%f(-2 * a)) - %k(0.69314718055994531);\n}\n", 0 },
	/*
	 * e^x for float32, x <= 0 (a logit minus its row's max) or NaN; also
	 * right up to x = 88.  Inline and without a branch, so loops over it
	 * vectorize (a call to expf stops that).  e^x = 2^k e^r with
	 * k = round(x / ln 2) and |r| <= ln(2) / 2; e^r by its Taylor series to
	 * r^7 (truncation < 6e-9 relative; about 1 ulp of rounding in all).
	 * Adding 1.5 * 2^23 rounds x / ln 2 to an integer held in the low bits
	 * (no float-to-int conversion); ln 2 is split in two so k * ln2_hi is
	 * exact.  Below ln(FLT_MIN) = -87.33 the result is 0 (no subnormals).
	 * Only the float32 kernels use it; float64 calls exp.
	 */
	{ "exp_shifted", "static inline float lc_exp_shifted_f(float x)\n{\n"
	  "\tunion { uint32_t u; float f; } kb, s, e;\n"
	  "\tkb.f = x * 1.44269504f + 12582912.0f;                        /* 1.5 * 2^23 + k */\n"
	  "\tconst float kf = (float)(int32_t)(kb.u & 0x7FFFFFu) - 4194304.0f; /* k */\n"
	  "\tconst float r = (x - kf * 0.693359375f) - kf * -2.12194440e-4f;\n"
	  "\tconst float p = 1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24\n"
	  "\t\t+ r * (1.0f / 120 + r * (1.0f / 720 + r * (1.0f / 5040)))))));\n"
	  "\ts.u = (kb.u - 0x4B400000u + 127u) << 23;                      /* 2^k */\n"
	  "\te.f = p * s.f;\n"
	  "\t/* a mask, not a branch: 0 below -87.33; NaN passes */\n"
	  "\te.u &= (uint32_t)(x < -87.33f) - 1u;\n"
	  "\treturn e.f;\n}\n", 1 },
};

const size_t op_nhelpers = sizeof op_helpers / sizeof op_helpers[0];

const char *fn_curv_name(ir_curv c)
{
	switch (c) {
	case CURV_CONST: return "constant";
	case CURV_AFFINE: return "affine";
	case CURV_CONVEX: return "convex";
	case CURV_CONCAVE: return "concave";
	case CURV_UNKNOWN: break;
	}
	return "unknown";
}
