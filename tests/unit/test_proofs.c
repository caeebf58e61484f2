/*
 * test_proofs.c: the hand-proven bounds of ops_proofs.c.  Each rule is
 * tried where it applies (the value's interval is the proven one and the
 * rule is named on a node) and on its near misses (a coefficient off, a
 * different factor, the wrong argument: the rule stays out).  Every case,
 * applied or not, is then evaluated at random points by the long double
 * evaluator: the value must lie in the interval the analyzer gave, so a
 * rule that proves something false fails here.
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

#include "analyze.h"
#include "ir.h"
#include "ireval.h"
#include "losses.h"
#include "ops.h"
#include "parse.h"
#include "resolve.h"
#include "witness.h"

static const char header[] =
	"dataset d {\n"
	"    input x: real[4] in [0, 1];\n"
	"    input w: real[5];\n"
	"    label t: real[4];\n"
	"    label ts: real;\n"
	"    label c: class[5];\n"
	"    label p: prob[5];\n"
	"    label b: binary;\n"
	"    label q: real in [0, 1];\n"
	"    label g: sign;\n"
	"}\n";

typedef struct fx {
	source src;
	diag_list diags;
	ast_file *file;
	ir_loss *l;
	char text[4096];
} fx;

/* Lower and analyze `value = EXPR;` with outputs z: real[5], v, e: real[4], u, r: real. */
static ir_loss *analyzed(fx *f, const char *value)
{
	snprintf(f->text, sizeof f->text,
		 "%sloss l on d {\n    output z: real[5];\n    output y: real[5];\n    output v: real[4];\n"
		 "    output e: real[4];\n    output u: real;\n    output r: real;\n    value = %s;\n}\n",
		 header, value);
	source_from_buffer(&f->src, "proofs.loss", f->text, strlen(f->text));
	diag_list_init(&f->diags);
	f->file = parse_source(&f->src, &f->diags, PARSE_DEFAULT_MAX_ERRORS);
	assert_int_equal(f->file->syntax_errors, 0);
	resolve_file(f->file, &f->diags);
	f->l = ir_lower(f->file, f->file->decls->next, f->file->arena, &f->diags);
	if (!f->l->root)
		fail_msg("%s: did not lower", value);
	analyze_loss(f->l);
	return f->l;
}

static void done(fx *f)
{
	ast_file_free(f->file);
	diag_list_free(&f->diags);
	source_free(&f->src);
}

static unsigned long rng = 88172645463325252UL;
static double uniform(double lo, double hi)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return lo + (hi - lo) * (double)(rng >> 11) / 9007199254740992.0;
}

/* The value at 2000 random points lies in the root's interval (within
   rounding); leaves take values their declared types allow. */
static void sound(const ir_loss *l, const char *value)
{
	ir_values x;
	assert_int_equal(ireval_init(&x, l), 0);
	for (int trial = 0; trial < 2000; trial++) {
		double scale = trial % 3 == 0 ? 30 : trial % 3 == 1 ? 3 : 0.3;
		for (size_t i = 0; i < l->nnodes; i++) {
			const ir_node *n = l->nodes[i];
			const ast_item *it = n->item;
			long len = ireval_len(n);
			if (!it || n->op == IR_CONST)
				continue;
			/* one draw per name and element: every use of a name is one value */
			unsigned long keep = rng;
			rng = 1469598103934665603UL ^ (unsigned long)(uintptr_t)it ^ ((unsigned long)trial << 32);
			for (int warm = 0; warm < 4; warm++)
				(void)uniform(0, 1);
			double sum = 0;
			for (long j = 0; j < len; j++) {
				double v;
				if (n->type == IRT_CLASS)
					v = floor(uniform(0, (double)ir_len(n)));
				else if (it->type.kind == TY_PROB)
					sum += v = uniform(0, 1);
				else if (it->type.kind == TY_BINARY)
					v = uniform(0, 1) < 0.5 ? 0 : 1;
				else if (it->type.kind == TY_SIGN)
					v = uniform(0, 1) < 0.5 ? -1 : 1;
				else if (it->range.present)
					v = uniform(it->range.lo, it->range.hi);
				else
					v = uniform(-scale, scale);
				x.v[i][j] = v;
			}
			if (it->type.kind == TY_PROB)
				for (long j = 0; j < len; j++)
					x.v[i][j] /= sum;
			rng = keep ^ (unsigned long)trial;
		}
		ireval_forward(&x);
		long double v = x.v[l->root->id][0];
		ival iv = l->root->iv;
		long double tol = 1e-12L * (1 + fabsl(v));
		if (isfinite((double)v) && (v < iv.lo - tol || v > iv.hi + tol))
			fail_msg("%s = %Lg at trial %d, outside [%g, %g]", value, v, trial, iv.lo, iv.hi);
	}
	ireval_free(&x);
}

/* The rule named `rule` narrowed some node, and the value lies in [lo, hi]. */
static void proves(const char *value, const char *rule, double lo, double hi)
{
	fx f;
	ir_loss *l = analyzed(&f, value);
	int named = 0;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		for (unsigned bit = 0; bit < 16; bit++) {
			const op_proof *const *list = bit < 8 ? ops[n->op].proofs : n->call ? n->call->loss->proofs : NULL;
			if ((n->proved & (1u << bit)) && list)
				named |= !strcmp(list[bit % 8]->name, rule);
		}
	}
	if (!named)
		fail_msg("%s: the rule '%s' did not apply", value, rule);
	if (l->root->iv.lo < lo || l->root->iv.hi > hi)
		fail_msg("%s: in [%g, %g], not within [%g, %g]", value, l->root->iv.lo, l->root->iv.hi, lo, hi);
	sound(l, value);
	done(&f);
}

/* No rule narrows the value's lower bound to 0 or above (a near miss). */
static void stays_out(const char *value)
{
	fx f;
	ir_loss *l = analyzed(&f, value);
	if (l->root->iv.lo >= 0)
		fail_msg("%s: proven >= %g, but it is not nonnegative", value, l->root->iv.lo);
	sound(l, value);
	done(&f);
}

static void test_equal_factors(void **state)
{
	(void)state;
	proves("(u - ts) * (u - ts)", "a product of equal factors", 0, INFINITY);
	proves("sum((v - t) * (v - t))", "a product of equal factors", 0, INFINITY);
	proves("(u - 1) * (u - 1)", "a product of equal factors", 0, INFINITY);
	stays_out("(u - ts) * (u + ts)");
	stays_out("(u - 1) * (u - 1.5)");
	stays_out("(u - ts) * (r - ts)");
}

static void test_self_dot(void **state)
{
	(void)state;
	proves("dot(v - t, v - t)", "a self-dot product", 0, INFINITY);
	stays_out("dot(v - t, v + t)");
	stays_out("dot(v, v) - dot(e, e)");
}

static void test_opposite_branches(void **state)
{
	(void)state;
	proves("max(0.9 * (ts - u), (0.9 - 1) * (ts - u))", "a maximum of opposite multiples", 0, INFINITY);
	proves("max((ts - u) / 4, -(ts - u))", "a maximum of opposite multiples", 0, INFINITY);
	stays_out("max(1.5 * (ts - u), 0.5 * (ts - u))");
	stays_out("max(0.9 * (ts - u), -0.1 * (ts - r))");
	stays_out("-min(0.9 * (ts - u), 1.2 * (ts - u))");
}

static void test_cauchy_schwarz(void **state)
{
	(void)state;
	proves("1 - dot(v, e) / (norm2(v) * norm2(e) + 1e-8)", "the Cauchy-Schwarz inequality", 0, 2);
	proves("1 - dot(v, e) / norm2(v) / norm2(e)", "the Cauchy-Schwarz inequality", 0, 2);
	proves("1 - dot(v, e) / sqrt((sum(square(v)) + 1e-12) * (sum(square(e)) + 1e-12))",
	       "the Cauchy-Schwarz inequality", 0, 2);
	/* the same bound written the other ways people write a cosine */
	proves("1 - dot(v, e) / (norm2(e) * norm2(v))", "the Cauchy-Schwarz inequality", 0, 2);
	proves("1 - dot(v, e) / (1e-8 + norm2(v) * norm2(e))", "the Cauchy-Schwarz inequality", 0, 2);
	proves("1 - dot(v, e) / norm2(e) / norm2(v)", "the Cauchy-Schwarz inequality", 0, 2);
	proves("1 - dot(v, e) / (norm2(v) + 1e-6) / (1e-6 + norm2(e))", "the Cauchy-Schwarz inequality", 0, 2);
	proves("1 - dot(v, e) / (sqrt(dot(v, v)) * sqrt(sum(square(e))))", "the Cauchy-Schwarz inequality", 0, 2);
	proves("1 - dot(v, e) / sqrt(dot(e, e) * (1e-12 + dot(v, v)))", "the Cauchy-Schwarz inequality", 0, 2);
	proves("1 - dot(v, e) / (sqrt(sum(square(e))) * (norm2(v) + 1e-6) + 1e-8)", "the Cauchy-Schwarz inequality",
	       0, 2);
	stays_out("1 - dot(v, e) / (norm2(v) * norm2(t) + 1e-8)");
	stays_out("1 - dot(v, e) / (norm2(v) * norm2(e) - 1e-8)");
	stays_out("1 - 2 * dot(v, e) / (norm2(v) * norm2(e) + 1)");
	/* near misses: one factor is not the norm of the right vector */
	stays_out("1 - dot(v, e) / sqrt(dot(v, t) * dot(e, e))");
	stays_out("1 - dot(v, e) / (sqrt(sum(square(v))) * sqrt(sum(e)))");
	stays_out("1 - dot(v, e) / (sqrt(dot(v, v) - 1e-8) * norm2(e))");
	stays_out("1 - dot(v, e) / norm2(v) / (norm2(e) - 1e-6)");
	stays_out("1 - dot(v, e) / exp(norm2(v)) / norm2(e)");
}

static void test_exp_tangent(void **state)
{
	(void)state;
	proves("exp(u) - 1 - u", "the tangent of exp at 0", 0, INFINITY);
	proves("-0.5 * sum(1 + e - square(v) - exp(e))", "the tangent of exp at 0", 0, INFINITY);
	proves("0.5 * (exp(r) - 1 - r + square(u))", "the tangent of exp at 0", 0, INFINITY);
	proves("exp(u - ts) - (u - ts)", "the tangent of exp at 0", 1, INFINITY);
	proves("expm1(u) - u", "the tangent of exp at 0", 0, INFINITY);
	stays_out("exp(u) - 1 - 2 * u");
	stays_out("exp(u) - 1.5 - u");
	stays_out("exp(u) - 1 - r");
	stays_out("0.5 * sum(1 + e - square(v) - exp(e))");
}

static void test_logsumexp(void **state)
{
	(void)state;
	proves("logsumexp(z) - z[c]", "logsumexp against its elements", 0, INFINITY);
	proves("logsumexp(z / 0.07) - z[c] / 0.07", "logsumexp against its elements", 0, INFINITY);
	proves("0.5 * logsumexp(z / 0.07) - 0.5 * z[c] / 0.07", "logsumexp against its elements", 0, INFINITY);
	proves("logsumexp(z) - max(z)", "logsumexp against its elements", 0, log(5) + 1e-12);
	proves("max(z) - z[c]", "logsumexp against its elements", 0, INFINITY);
	stays_out("logsumexp(z) - y[c]");
	stays_out("logsumexp(z) - 2 * z[c]");
	stays_out("logsumexp(z / 0.07) - z[c]");
	stays_out("logsumexp(z) - z[c] - 2");
	stays_out("z[c] - logsumexp(z)");
	stays_out("max(-z) - (-2 * z)[c]");
}

static void test_softplus(void **state)
{
	(void)state;
	proves("softplus(u) - b * u", "softplus above a line", 0, INFINITY);
	proves("softplus(u) - u * q", "softplus above a line", 0, INFINITY);
	proves("softplus(u) - u", "softplus above a line", 0, INFINITY);
	proves("logsumexp(z) - z[c] + softplus(u) - b * u", "softplus above a line", 0, INFINITY);
	proves("logsumexp(z) - z[c] + softplus(u) - b * u", "logsumexp against its elements", 0, INFINITY);
	stays_out("softplus(u) - 2 * b * u");
	stays_out("softplus(u) - g * u");
	stays_out("softplus(u) - ts * u");
}

static void test_gibbs(void **state)
{
	(void)state;
	proves("kl_div(log_softmax(z), p)", "Gibbs' inequality", 0, INFINITY);
	proves("kl_div(log_softmax(z / 4), softmax(w / 4))", "Gibbs' inequality", 0, INFINITY);
	proves("kl_div(log_softmax(z), softmax(y))", "Gibbs' inequality", 0, INFINITY);
	proves("kl_div(log_softmax(z), log_softmax(y), log_target=1)", "Gibbs' inequality", 0, INFINITY);
	stays_out("kl_div(z, p)");
	stays_out("kl_div(log_softmax(z), p) - 0.01");
	stays_out("kl_div(log_softmax(z), sigmoid(y))");
	stays_out("kl_div(log_softmax(z), y, log_target=1)");
	/* log_target given as 0 is the default: p must then be a probability vector */
	proves("kl_div(log_softmax(z), softmax(y), log_target=0)", "Gibbs' inequality", 0, INFINITY);
	stays_out("kl_div(log_softmax(z), log_softmax(y), log_target=0)");
	stays_out("kl_div(log_softmax(z), y)");
	stays_out("kl_div(log_softmax(z), w)");
}

static void test_sqrt_norm_convex(void **state)
{
	(void)state;
	fx f;
	ir_loss *l = analyzed(&f, "sqrt(sum(square(v - t)))");
	assert_int_equal(l->root->curv, CURV_CONVEX);
	done(&f);
	l = analyzed(&f, "sqrt(dot(v - t, v - t) + 1e-8)");
	assert_int_equal(l->root->curv, CURV_CONVEX);
	done(&f);
	l = analyzed(&f, "sqrt(sum(square(exp(v))))");     /* the root of squares of a convex v: no rule */
	assert_int_not_equal(l->root->curv, CURV_CONVEX);
	done(&f);
	l = analyzed(&f, "sqrt(sum(square(v - t)) - 1)");
	assert_int_not_equal(l->root->curv, CURV_CONVEX);
	done(&f);
}

/* A kink where the value is 0, under an op flat at 0, is no kink: C1. */
static void test_smoothed_kinks(void **state)
{
	(void)state;
	static const struct { const char *value; int kink; } cases[] = {
		{ "max(0, 1 - g * u) ^ 2", 0 },
		{ "relu(1 - g * u) * relu(1 - g * u)", 0 },
		{ "square(abs(u - ts))", 0 },
		{ "abs(u) ^ 3", 0 },
		{ "relu(u) ^ 1", 1 },                  /* not flat: the kink stays */
		{ "max(u, 1) ^ 2", 1 },                /* the tie is at 1, not 0 */
		{ "square(relu(u) + 1)", 1 },
		/* relu(u) - 1 is -1 where relu(u) kinks, and the outer relu is
		   flat there: the value is relu(u - 1)^2, C1 (session 1 wanted a
		   kink here; the flat-site rule of session 3 proves it smooth) */
		{ "square(relu(relu(u) - 1))", 0 },
		{ "square(norm1(v))", 1 },             /* norm1 kinks where one element is 0 */
		/* the other factor vanishes where the kink is: d relu(d), d |d| */
		{ "relu(u - ts) * (u - ts)", 0 },
		{ "abs(u) * u", 0 },
		{ "max(u, 1) * (u - 1)", 0 },          /* the tie at 1, where u - 1 is 0 */
		/* norm2 kinks only at the zero vector, where it is 0 */
		{ "square(norm2(v - t))", 0 },
		{ "norm2(v) * norm2(v)", 0 },
		{ "log1p(square(norm2(v)))", 0 },
		{ "norm2(v) ^ 3", 0 },
		/* a kink where the op above is flat away from 0: |u| - 1 = -1 */
		{ "square(relu(abs(u) - 1))", 0 },
		{ "relu(u) ^ 1.5", 0 },
		/* near misses: the kink stays */
		{ "relu(u) * relu(r)", 1 },            /* different sites */
		{ "abs(u) * (u + 1)", 1 },             /* u + 1 is 1 at the kink */
		{ "square(norm2(v) - 1)", 1 },         /* the square's slope at -1 is not 0 */
		{ "norm2(v) ^ 0.5", 1 },
		{ "norm2(v) * norm1(v)", 1 },
		{ "relu(u) + u", 1 },
		{ "where(u > 0, 1, 0) * u", 1 },       /* a comparison jumps: no site */
		{ "sqrt(abs(u)) ^ 3", 1 },             /* C1, but sqrt's slope is unbounded: not smoothed */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fx f;
		ir_loss *l = analyzed(&f, cases[i].value);
		if (l->root->kink != cases[i].kink)
			fail_msg("%s: kink %d, want %d", cases[i].value, l->root->kink, cases[i].kink);
		done(&f);
	}
}

/*
 * LS502 says "false" only with a witness (witness.c): a point where the
 * slope really jumps.  False claims get one; C1 values the rules cannot
 * prove (their kink flag stays) never do.
 */
static void test_kink_witness(void **state)
{
	(void)state;
	static const struct { const char *value; int c1; } cases[] = {
		{ "relu(u) + u", 0 },
		{ "norm2(v - t)", 0 },
		{ "sqrt(sum(square(v - t)))", 0 },
		{ "logsumexp(z) - max(z)", 0 },
		{ "abs(u) * (u + 1)", 0 },
		{ "relu(u) * relu(r)", 0 },
		{ "min(u, 1) * u", 0 },
		{ "where(u > 0, 1, 0) + u", 0 },       /* the value jumps */
		{ "sqrt(abs(u))", 0 },                 /* the slope grows without bound */
		{ "norm1(v - t) + square(u)", 0 },
		{ "sqrt(abs(u)) ^ 3", 1 },             /* |u|^1.5 */
		{ "relu(abs(u)) * u", 1 },             /* |u| u */
		{ "where(abs(u) < 1, 0.5 * u * u, abs(u) - 0.5)", 1 },     /* huber by hand */
		{ "where(u > 0, u * u, 0)", 1 },       /* relu(u)^2 through a comparison */
		/* steep but smooth: |u| down to steps of 1e-7, then a parabola;
		   the steps go to 1e-9, and only along the kink's own site */
		{ "log_cosh(1e7 * u) / 1e7 + where(r > 1, square(r - 1), 0)", 1 },
		{ "log_cosh(1e7 * u) / 1e7 + 0 * relu(u) + where(r > 1, square(r - 1), 0)", 1 },
		{ "sqrt(square(u) * square(u) + 0) * relu(abs(u))", 1 },   /* u^2 |u| */
		{ "relu(u) - relu(u) + where(r > 1, square(r - 1), 0)", 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fx f;
		char wit[1200];
		ir_loss *l = analyzed(&f, cases[i].value);
		if (!l->root->kink)
			fail_msg("%s: proven smooth; the case wants the witness search", cases[i].value);
		int found = witness_kink(l, wit, sizeof wit);
		if (found == cases[i].c1)
			fail_msg("%s: witness %s (%s)", cases[i].value, found ? "found on a C1 value" : "not found",
				 found ? wit : "");
		done(&f);
	}
}

/* The search finds a witness on value exactly when want says so (a false
   claim gets one, a true one never). */
static void expect_witness(int (*search)(const ir_loss *, char *, size_t), const char *claim,
			   const char *value, int want)
{
	fx f;
	char wit[1200];
	ir_loss *l = analyzed(&f, value);
	int found = search(l, wit, sizeof wit);
	if (found != want)
		fail_msg("claim %s of %s: %s (%s)", claim, value,
			 found ? "a witness against a true claim" : "no witness against a false one", found ? wit : "");
	done(&f);
}

/* LS503: a midpoint above the chord, only where the value is not convex;
   LS504: a ray along which a convex value grows, only where it does;
   LS501: a point below 0, each element drawn on its own. */
static void test_convex_bounded_witness(void **state)
{
	(void)state;
	static const struct { const char *value; int convex; } conv[] = {
		{ "-square(u)", 0 },
		{ "abs(u) * u", 0 },
		{ "log1p(square(u))", 0 },
		{ "sigmoid(u)", 0 },
		{ "square(u) - 2 * square(r)", 0 },
		{ "-sum(softmax(z) * log_softmax(z))", 0 },
		/* convex, but not by the composition rules */
		{ "log(exp(u) + exp(-u))", 1 },
		{ "relu(u) * u", 1 },
		{ "u * u * u * u", 1 },
		{ "norm2(v) * norm2(v)", 1 },
		{ "sqrt(1 + square(u))", 1 },
		{ "logsumexp(z) - mean(z)", 1 },
	};
	static const struct { const char *value; int bounded; } bnd[] = {
		{ "square(u - ts)", 0 },
		{ "softplus(u) - u", 0 },
		{ "log_cosh(u)", 0 },
		{ "logsumexp(z) - z[c]", 0 },
		{ "-log_sigmoid(u)", 0 },
		{ "0 * square(u)", 1 },                /* convex and constant */
		{ "sigmoid(u)", 1 },                   /* not convex: no ray proof */
		{ "logsumexp(z) - max(z)", 1 },
		/* convex where defined, |u| <= sqrt(20): the ray leaves the domain */
		{ "square(u) + 0 * sqrt(20 - square(u))", 1 },
	};
	static const struct { const char *value; int nonneg; } neg[] = {
		{ "square(u) - u", 0 },                /* -0.25 at u = 0.5 */
		{ "square(u - r) - 0.01 * square(u + r) + 1", 0 },
		{ "sum(square(v - t)) - v[0] * v[1]", 0 },
		{ "square(u) - u + 0.25", 1 },         /* (u - 1/2)^2: 0, never below */
		{ "logsumexp(z) - mean(z)", 1 },
		{ "u * u * r * r", 1 },
	};
	for (size_t i = 0; i < sizeof conv / sizeof conv[0]; i++)
		expect_witness(witness_nonconvex, "convex", conv[i].value, !conv[i].convex);
	for (size_t i = 0; i < sizeof bnd / sizeof bnd[0]; i++)
		expect_witness(witness_unbounded, "bounded", bnd[i].value, !bnd[i].bounded);
	for (size_t i = 0; i < sizeof neg / sizeof neg[0]; i++)
		expect_witness(witness_negative, "nonnegative", neg[i].value, !neg[i].nonneg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal_factors),
		cmocka_unit_test(test_self_dot),
		cmocka_unit_test(test_opposite_branches),
		cmocka_unit_test(test_cauchy_schwarz),
		cmocka_unit_test(test_exp_tangent),
		cmocka_unit_test(test_logsumexp),
		cmocka_unit_test(test_softplus),
		cmocka_unit_test(test_gibbs),
		cmocka_unit_test(test_sqrt_norm_convex),
		cmocka_unit_test(test_smoothed_kinks),
		cmocka_unit_test(test_kink_witness),
		cmocka_unit_test(test_convex_bounded_witness),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
