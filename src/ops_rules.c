/*
 * ops_rules.c: the analysis rules of the ops whose curvature, kinks or
 * domain depend on their operands, not on the op alone (ops.h
 * `curv_rule`, `kink_rule`, `check`), and the domain check every row
 * shares (ops_check).
 *
 * A curvature rule returns the node's curvature from its analyzed
 * operands and, when that is CURV_UNKNOWN, says why and which operand the
 * blame passes to (the LS503 note follows it down).
 */
#include "ops_impl.h"

#include <float.h>
#include <math.h>
#include <stdio.h>

#include "dcp.h"

static const ir_node *A(const ir_node *n) { return n->args[0]; }
static const ir_node *B(const ir_node *n) { return n->args[1]; }

static int const_scalar(const ir_node *n, double *v)
{
	if (n->op != IR_CONST || n->vals)
		return 0;
	*v = n->num;
	return 1;
}

/* ---- curvature ---- */

/* Products: x * x is a square; a constant factor scales by its sign. */
static ir_curv product(const ir_node *n, int may_square, const char **why, const ir_node **blame)
{
	const ir_node *a = A(n), *b = B(n);
	if (may_square && dcp_same_value(a, b)) {
		const ir_node *one[1] = { a };
		fn_mono m = dcp_mono_at(&ops[IR_SQUARE], 0, a);
		ir_curv c = dcp_compose(CURV_CONVEX, one, &m, 1);
		if (c == CURV_UNKNOWN) {
			if (a->curv != CURV_UNKNOWN)
				*why = a->curv == CURV_CONVEX ? "squares a convex expression that can be negative"
					: "squares a concave expression that can be positive";
			else
				*blame = a;
		}
		return c;
	}
	if (dcp_is_variable(a) && dcp_is_variable(b)) {
		*why = "multiplies two expressions that depend on the outputs";
		return CURV_UNKNOWN;
	}
	const ir_node *v = dcp_is_variable(a) ? a : b, *k = v == a ? b : a;
	ir_curv c = dcp_scale(v->curv, k->iv);
	if (c == CURV_UNKNOWN) {
		if (v->curv != CURV_UNKNOWN)
			*why = "multiplies a curved expression by a constant of unknown sign";
		else
			*blame = v;
	}
	return c;
}

ir_curv cr_mul(const ir_node *n, const char **why, const ir_node **blame) { return product(n, 1, why, blame); }
/* dot(v, v) is a sum of squares: convex where v is affine */
ir_curv cr_dot(const ir_node *n, const char **why, const ir_node **blame) { return product(n, 1, why, blame); }
/* a @ transpose(b): element j of row i is a_i . b_j, a product of two rows;
   a @ transpose(a) is a square only on the diagonal (u_i . u_j is
   indefinite), so it is affine when one side is data, else unknown */
ir_curv cr_gram(const ir_node *n, const char **why, const ir_node **blame) { return product(n, 0, why, blame); }

/* sqrt is concave increasing, but the root of a sum of squares of an
   affine v (plus a constant c >= 0) is a norm, |(v, sqrt c)|, and convex:
   sqrt(sum(square(z - t))) is norm2(z - t). */
static int affine_sum_of_squares(const ir_node *s)
{
	if (s->op == IR_SUM && s->args[0]->op == IR_SQUARE)
		return s->args[0]->args[0]->curv <= CURV_AFFINE;
	if (s->op == IR_DOT)
		return dcp_same_value(s->args[0], s->args[1]) && s->args[0]->curv <= CURV_AFFINE;
	if (s->op == IR_ADD)
		return (!dcp_is_variable(s->args[1]) && iv_nonneg(s->args[1]->iv) && affine_sum_of_squares(s->args[0]))
		       || (!dcp_is_variable(s->args[0]) && iv_nonneg(s->args[0]->iv) && affine_sum_of_squares(s->args[1]));
	return 0;
}
ir_curv cr_sqrt(const ir_node *n, const char **why, const ir_node **blame)
{
	(void)why;
	(void)blame;
	if (affine_sum_of_squares(A(n)))
		return CURV_CONVEX;
	fn_mono m = MONO_INC;
	return dcp_compose(CURV_CONCAVE, (const ir_node *const *)n->args, &m, 1);
}

ir_curv cr_div(const ir_node *n, const char **why, const ir_node **blame)
{
	const ir_node *a = A(n), *b = B(n);
	if (!dcp_is_variable(b)) {
		ir_curv c = iv_may_be_zero(b->iv) ? CURV_UNKNOWN : dcp_scale(a->curv, b->iv);
		if (c == CURV_UNKNOWN)
			*blame = a;
		return c;
	}
	*why = "divides by an expression that depends on the outputs";
	if (dcp_is_variable(a))
		return CURV_UNKNOWN;
	ir_curv f;
	fn_mono m;
	dcp_pow_rule(-1, b->iv, &f, &m);
	if (f == CURV_UNKNOWN)
		return CURV_UNKNOWN;
	/* 1/b, then times the constant a */
	const ir_node *one[1] = { b };
	return dcp_scale(dcp_compose(f, one, &m, 1), a->iv);
}

ir_curv cr_pow(const ir_node *n, const char **why, const ir_node **blame)
{
	double p;
	ir_curv c = CURV_UNKNOWN;
	if (const_scalar(B(n), &p)) {
		ir_curv f;
		fn_mono m;
		dcp_pow_rule(p, A(n)->iv, &f, &m);
		const ir_node *one[1] = { A(n) };
		if (f != CURV_UNKNOWN)
			c = dcp_compose(f, one, &m, 1);
	}
	if (c == CURV_UNKNOWN) {
		*why = "is a power whose curvature the rules cannot decide here";
		if (A(n)->curv == CURV_UNKNOWN)
			*blame = A(n);
	}
	return c;
}

/*
 * bce_elem(q, t) = -(t log q + (1 - t) log(1 - q)) is convex in q only for
 * a constant target in [0, 1] (a nonnegative combination of -log q and
 * -log(1 - q)), and affine in t for a constant q.  (The row said CONVEX
 * outright; the agreement tests found a target of 1e100 where it is not.)
 */
ir_curv cr_bce(const ir_node *n, const char **why, const ir_node **blame)
{
	const ir_node *q = A(n), *t = B(n);
	if (dcp_is_variable(t)) {
		if (!dcp_is_variable(q) && t->curv == CURV_AFFINE)
			return CURV_AFFINE;
		*why = "is a binary cross-entropy whose target depends on the outputs";
		return CURV_UNKNOWN;
	}
	if (t->iv.lo < 0 || t->iv.hi > 1) {
		*why = "is a binary cross-entropy with a target that may lie outside [0, 1]";
		return CURV_UNKNOWN;
	}
	const ir_node *one[1] = { q };
	fn_mono m = MONO_NONE;
	ir_curv c = dcp_compose(CURV_CONVEX, one, &m, 1);
	if (c == CURV_UNKNOWN)
		*blame = q;
	return c;
}

/* A vector is convex (concave) when every element is. */
ir_curv cr_vec(const ir_node *n, const char **why, const ir_node **blame)
{
	int vex = 1, cave = 1, allc = 1;
	(void)why;
	for (unsigned i = 0; i < n->nargs; i++) {
		ir_curv c = n->args[i]->curv;
		if (c == CURV_CONST)
			continue;
		allc = 0;
		vex &= c == CURV_AFFINE || c == CURV_CONVEX;
		cave &= c == CURV_AFFINE || c == CURV_CONCAVE;
		if (c == CURV_UNKNOWN && !*blame)
			*blame = n->args[i];
	}
	return allc ? CURV_CONST : vex && cave ? CURV_AFFINE : vex ? CURV_CONVEX : cave ? CURV_CONCAVE : CURV_UNKNOWN;
}

/* Indexing by a label picks an element: affine. */
ir_curv cr_index(const ir_node *n, const char **why, const ir_node **blame)
{
	(void)why;
	*blame = A(n);
	return A(n)->curv;
}

/*
 * clamp(x, lo, hi) with constant bounds is neither convex nor concave in
 * general, but it is x itself where x never reaches a bound, max(x, lo)
 * where it never passes hi, and min(x, hi) where it never passes lo.
 */
ir_curv cr_clamp(const ir_node *n, const char **why, const ir_node **blame)
{
	const ir_node *x = A(n), *lo = B(n), *hi = n->args[2];
	if (dcp_is_variable(lo) || dcp_is_variable(hi)) {
		*why = "is a clamp whose bounds depend on the outputs";
		return CURV_UNKNOWN;
	}
	int below = !(x->iv.lo >= lo->iv.hi), above = !(x->iv.hi <= hi->iv.lo);
	*blame = x;
	if (!below && !above)
		return x->curv;
	const ir_node *one[1] = { x };
	fn_mono m = MONO_INC;
	if (!above)
		return dcp_compose(CURV_CONVEX, one, &m, 1);
	if (!below)
		return dcp_compose(CURV_CONCAVE, one, &m, 1);
	*why = "is a clamp that may cut at both bounds (neither convex nor concave)";
	*blame = NULL;
	return CURV_UNKNOWN;
}

/* A comparison of the outputs is a step: no curvature. */
ir_curv cr_cmp(const ir_node *n, const char **why, const ir_node **blame)
{
	(void)n;
	(void)blame;
	*why = "is a comparison of values that depend on the outputs (a step)";
	return CURV_UNKNOWN;
}

/*
 * where(c, a, b) with a condition that does not depend on the outputs is,
 * for each example, a or b: convex when both are, concave when both are.
 */
ir_curv cr_where(const ir_node *n, const char **why, const ir_node **blame)
{
	const ir_node *c = A(n), *a = B(n), *b = n->args[2];
	if (dcp_is_variable(c)) {
		*why = "chooses by a condition on the outputs";
		*blame = c;
		return CURV_UNKNOWN;
	}
	ir_curv x = a->curv, y = b->curv;
	if (x == CURV_CONST) x = y == CURV_CONST ? CURV_CONST : CURV_AFFINE;
	if (y == CURV_CONST) y = CURV_AFFINE;
	if (x == y)
		return x;
	if (x == CURV_AFFINE && (y == CURV_CONVEX || y == CURV_CONCAVE))
		return y;
	if (y == CURV_AFFINE && (x == CURV_CONVEX || x == CURV_CONCAVE))
		return x;
	*blame = x == CURV_UNKNOWN ? a : y == CURV_UNKNOWN ? b : NULL;
	if (!*blame)
		*why = "chooses between a convex and a concave expression";
	return CURV_UNKNOWN;
}

/* ---- kinks ---- */

/* clamp kinks where x may meet a bound */
int kr_clamp(const ir_node *n)
{
	const ir_node *x = A(n), *lo = B(n), *hi = n->args[2];
	if (!dcp_is_variable(x) && !dcp_is_variable(lo) && !dcp_is_variable(hi))
		return 0;
	return !(x->iv.hi < lo->iv.lo || lo->iv.hi < x->iv.lo) || !(x->iv.hi < hi->iv.lo || hi->iv.hi < x->iv.lo);
}

/* std over the batch: the slope of sqrt at 0, where every row is equal */
int kr_bstd(const ir_node *n)
{
	return dcp_is_variable(A(n));
}

int kr_div(const ir_node *n)
{
	return dcp_is_variable(B(n)) && iv_may_be_zero(B(n)->iv);
}

/* x^p has an infinite slope at 0 for a fractional p < 1, and a pole
   there for any p < 0 (x^-1 is 1/x: kr_div says the same of it; found
   by fuzz_agree, which saw x^-1 called smooth across 0) */
int kr_pow(const ir_node *n)
{
	double p;
	if (!const_scalar(B(n), &p))
		return 0;
	return (p < 0 || (!dcp_is_int(p) && p < 1)) && dcp_is_variable(A(n)) && iv_contains(A(n)->iv, 0);
}

/* ---- infinite slopes (LS410) ---- */

int is_always(const ir_node *n)
{
	(void)n;
	return 1;
}

/* x^p for a constant 0 < p < 1: p x^(p - 1) is infinite at x = 0 (a
   negative p is a pole, kr_pow's and the division's business) */
int is_pow_root(const ir_node *n)
{
	double p;
	return const_scalar(B(n), &p) && p > 0 && p < 1;
}

/* ---- where the derivative jumps, and where a kink is smoothed out ---- */

/* Some kink point of the row inside operand 0's interval (or NaN). */
double ops_kink_inside(const op_info *row, const ir_node *x)
{
	for (const double *p = row->kinks; p && !isnan(*p); p++)
		if (iv_contains(x->iv, *p))
			return *p;
	return NAN;
}

int ops_own_kink(const ir_node *n)
{
	const op_info *row = &ops[n->op];
	if (n->curv == CURV_CONST)
		return 0;
	if (row->kink_rule)
		return row->kink_rule(n);
	switch (row->smooth) {
	case SM_KINKS: case SM_EDGE: case SM_KINK_AT_ZERO:
		return dcp_is_variable(A(n)) && !isnan(ops_kink_inside(row, A(n)));
	case SM_KINK_AT_TIE:
		if (row->kind == OK_ELEM) {
			ival x = A(n)->iv, y = B(n)->iv;
			return (dcp_is_variable(A(n)) || dcp_is_variable(B(n))) && !(x.hi < y.lo || y.hi < x.lo);
		}
		return dcp_is_variable(A(n)) && (ir_dim_named(A(n)) || ir_len(A(n)) > 1);
	case SM_SMOOTH: case SM_C1: case SM_SPECIAL:
		return 0;
	}
	return 0;
}

/*
 * Smoothing a kink.  Let x be continuous with bounded one-sided
 * derivatives, and let all its kinks lie on one set K = {a = p} (every
 * element of a at once for norm2's zero vector), where x takes the value
 * v.  If n(x, y...) is an elementwise op whose partial in x is 0 at the
 * values its operands take on K, then n(x, y...) is continuously
 * differentiable across K: the jump of x's slope is multiplied by a
 * factor that tends to 0 there.  So max(0, u)^2, relu(u) * u, |u| u,
 * square(norm2(v)) and norm2(v) * norm2(v) are C1 (LOSSSPEC's smooth),
 * and so is relu(|u| - 1)^2: abs kinks where |u| - 1 = -1, where relu is
 * flat.  Not sqrt's or x^p's infinite slopes (SM_EDGE, kr_pow: the slope
 * is unbounded), not poles, not the jumps of comparisons.
 *
 * The site is found from the rows: their kink kind and points, their
 * evaluators for the values on K; a node that does not kink itself
 * inherits the one site of its kinked operands.  The search is bounded
 * (depth and visits); past the bound no site is found, so the kink stays:
 * never a false "smooth".
 */
typedef struct kink_site {
	const ir_node *a;       /* the kinks are where a = p */
	long double p;
	int whole;              /* every element of a at once (norm2) */
	long double v;          /* n's value on the site (NaN: not known) */
} kink_site;

enum { SITE_DEPTH = 12, SITE_VISITS = 200 };

static int site_of(const ir_node *n, kink_site *s, int depth, int *visits);
static int smoothed_at(const ir_node *n, const ir_node *x, int depth, int *visits);

static int site_same(const kink_site *s, const kink_site *t)
{
	return s->p == t->p && s->whole == t->whole && dcp_same_value(s->a, t->a);
}

/* The value y takes on site s, or NaN. */
static long double value_on(const ir_node *y, const kink_site *s, int depth, int *visits)
{
	double c;
	kink_site t;
	const op_info *row = &ops[y->op];
	if (const_scalar(y, &c))
		return c;
	if (dcp_same_value(y, s->a))
		return s->p;
	if (depth <= 0 || ++*visits > SITE_VISITS)
		return NAN;
	if (y->kink && site_of(y, &t, depth - 1, visits) && site_same(&t, s))
		return t.v;
	if (y->kink || row->kind != OK_ELEM || !row->eval || row->gives_cond || y->nargs > OP_MAX_ARGS)
		return NAN;
	long double at[OP_MAX_ARGS];
	for (unsigned k = 0; k < y->nargs; k++)
		if (isnan(at[k] = value_on(y->args[k], s, depth - 1, visits)))
			return NAN;
	return row->eval(at);
}

/* The one site where n's own kink lies (only the bounded-slope kinds). */
static int own_site(const ir_node *n, kink_site *s)
{
	const op_info *row = &ops[n->op];
	double c;
	if (row->kink_rule || row->gives_cond)
		return 0;
	switch (row->smooth) {
	case SM_KINKS:
		if (!row->kinks || isnan(row->kinks[0]) || !isnan(row->kinks[1]))
			return 0;
		s->a = A(n);
		s->p = row->kinks[0];
		s->whole = 0;
		/* the value on the site: an elementwise op's at the point; a
		   reduction's (norm1 where one element is 0) depends on the rest */
		s->v = row->kind == OK_ELEM && n->nargs == 1 ? row->eval(&s->p) : NAN;
		return 1;
	case SM_KINK_AT_ZERO:
		s->a = A(n);
		s->p = 0;
		s->whole = 1;
		s->v = 0;               /* the row's promise (ops.h) */
		return 1;
	case SM_KINK_AT_TIE:
		if (row->kind != OK_ELEM || n->nargs != 2)
			return 0;
		for (int k = 0; k < 2; k++)
			if (const_scalar(n->args[k], &c) && dcp_is_variable(n->args[1 - k])) {
				long double at[2] = { c, c };
				s->a = n->args[1 - k];
				s->p = c;
				s->whole = 0;
				s->v = row->eval(at);
				return 1;
			}
		return 0;
	case SM_SMOOTH: case SM_C1: case SM_EDGE: case SM_SPECIAL:
		return 0;
	}
	return 0;
}

/* All of n's kinks on one site s (n->kink set). */
static int site_of(const ir_node *n, kink_site *s, int depth, int *visits)
{
	const op_info *row = &ops[n->op];
	int have = 0;
	if (depth <= 0 || ++*visits > SITE_VISITS)
		return 0;
	if (ops_own_kink(n)) {
		if (!own_site(n, s))
			return 0;
		have = 1;
	}
	for (unsigned k = 0; k < n->nargs; k++) {
		const ir_node *x = n->args[k];
		kink_site t;
		if (!x->kink || smoothed_at(n, x, depth - 1, visits))
			continue;
		if (!site_of(x, &t, depth - 1, visits))
			return 0;
		if (have && !site_same(&t, s)) {
			/* an own kink at a = p covers the operand's kinks when the
			   operand is a itself and kinks only where it is p */
			if (!(dcp_same_value(x, s->a) && t.v == s->p))
				return 0;
			continue;
		}
		if (!have) {
			*s = t;
			have = 1;
		}
	}
	if (!have)
		return 0;
	if (!ops_own_kink(n)) {
		/* inherited: n's value there, where every operand's is known */
		s->v = NAN;
		if (row->kind == OK_ELEM && row->eval && !row->gives_cond && n->nargs <= OP_MAX_ARGS) {
			long double at[OP_MAX_ARGS];
			unsigned k;
			for (k = 0; k < n->nargs; k++)
				if (isnan(at[k] = value_on(n->args[k], s, depth - 1, visits)))
					break;
			if (k == n->nargs)
				s->v = row->eval(at);
		}
	}
	return 1;
}

static int smoothed_at(const ir_node *n, const ir_node *x, int depth, int *visits)
{
	const op_info *row = &ops[n->op];
	kink_site s, t;
	long double at[OP_MAX_ARGS];
	if (row->kind != OK_ELEM || !row->partial || row->gives_cond || n->nargs > OP_MAX_ARGS
	    || !site_of(x, &s, depth, visits) || isnan(s.v))
		return 0;
	for (unsigned k = 0; k < n->nargs; k++)
		if (isnan(at[k] = value_on(n->args[k], &s, depth, visits)))
			return 0;
	if (row->convention && row->convention(at))
		return 0;
	long double v = row->eval(at);
	/* every operand whose kinks lie on s must have a zero partial there */
	for (unsigned k = 0; k < n->nargs; k++) {
		const ir_node *y = n->args[k];
		if (!y->kink)
			continue;
		if (y != x && !dcp_same_value(y, x) && !(site_of(y, &t, depth, visits) && site_same(&t, &s)))
			continue;       /* its own kinks: judged by its own call */
		long double d = row->partial((int)k, at, v);
		if (!(d == 0))
			return 0;
	}
	return 1;
}

int ops_smoothed_kink(const ir_node *n, const ir_node *x)
{
	int visits = 0;
	return smoothed_at(n, x, SITE_DEPTH, &visits);
}

/* ---- intervals that depend on the node ---- */

/* ---- domains ---- */

/* An expression for a message: long ones (a DAG of lets printed as a
   tree can be huge) are cut to 80 bytes, ending in "...". */
static char *expr_str(const ir_node *n, char *buf, size_t size)
{
	return ir_to_string(n, buf, size < 81 ? size : 81);
}

static void say(op_finding *f, const char *code, const char *msg, const ir_node *x)
{
	char e[128], iv[64];
	f->code = code;
	snprintf(f->msg, sizeof f->msg, "%s: %s is in %s", msg, expr_str(x, e, sizeof e), iv_str(x->iv, iv, sizeof iv));
}

int ck_pow(const ir_node *n, ast_precision prec, op_finding *f)
{
	double p;
	(void)prec;
	if (!const_scalar(B(n), &p)) {
		/* a^b = exp(b log a): a real power only for a >= 0, and a pole at
		   a = 0 for b < 0 (found by the agreement tests: ov[y] ^ p) */
		if (A(n)->iv.lo < 0) {
			say(f, "LS304", "power with a variable exponent of a value that may be negative", A(n));
			return 1;
		}
		if (iv_may_be_zero(A(n)->iv) && B(n)->iv.lo < 0) {
			say(f, "LS305", "negative power of a value that may be zero (a division by zero)", A(n));
			return 1;
		}
		return 0;
	}
	if (!dcp_is_int(p) && A(n)->iv.lo < 0) {
		say(f, "LS304", "fractional power of a value that may be negative", A(n));
		return 1;
	}
	if (p < 0 && iv_may_be_zero(A(n)->iv)) {
		say(f, "LS305", "negative power of a value that may be zero (a division by zero)", A(n));
		return 1;
	}
	return 0;
}

/* exp and expm1 overflow the precision above log(MAX) */
int ck_exp(const ir_node *n, ast_precision prec, op_finding *f)
{
	char e[128], iv[64];
	const ir_node *x = A(n);
	double lim = prec == PREC_FLOAT64 ? log(DBL_MAX) : log(FLT_MAX);
	if (!(x->iv.hi > lim))
		return 0;
	f->code = "LS405";
	if (isinf(x->iv.hi))
		snprintf(iv, sizeof iv, "has no upper bound");
	else
		snprintf(iv, sizeof iv, "can reach %g", x->iv.hi);
	snprintf(f->msg, sizeof f->msg, "exp overflows %s above %.1f, and %s %s", ast_precision_name(prec), lim,
		 expr_str(x, e, sizeof e), iv);
	return 1;
}

/* Is some value of the interval outside the domain? */
int ops_outside(ival x, const fn_domain *d)
{
	if (d->nonzero)
		return iv_may_be_zero(x);
	if (x.lo < d->lo || (x.lo == d->lo && d->lo_open && !x.lo_open && !(d->lo == 0 && x.nonzero)))
		return 1;
	if (x.hi > d->hi || (x.hi == d->hi && d->hi_open && !x.hi_open && !(d->hi == 0 && x.nonzero)))
		return 1;
	return 0;
}

/* Is every value of the interval outside the domain? */
int ops_never_inside(ival x, const fn_domain *d)
{
	if (d->nonzero)
		return x.lo == 0 && x.hi == 0;
	if (x.hi < d->lo || (x.hi == d->lo && (d->lo_open || x.hi_open)))
		return 1;
	if (x.lo > d->hi || (x.lo == d->hi && (d->hi_open || x.lo_open)))
		return 1;
	return 0;
}

char *ops_domain_str(const fn_domain *d, char *buf, size_t size)
{
	if (d->nonzero)
		snprintf(buf, size, "x != 0");
	else if (isinf(d->hi))
		snprintf(buf, size, "x %s %g", d->lo_open ? ">" : ">=", d->lo);
	else if (isinf(d->lo))
		snprintf(buf, size, "x %s %g", d->hi_open ? "<" : "<=", d->hi);
	else
		snprintf(buf, size, "%g %s x %s %g", d->lo, d->lo_open ? "<" : "<=", d->hi_open ? "<" : "<=", d->hi);
	return buf;
}

int ops_check(const ir_node *n, ast_precision prec, op_finding *f)
{
	const op_info *row = &ops[n->op];
	if (row->domain.code && row->domain.arg < n->nargs && ops_outside(n->args[row->domain.arg]->iv, &row->domain)) {
		say(f, row->domain.code, row->domain.msg, n->args[row->domain.arg]);
		return 1;
	}
	return row->check ? row->check(n, prec, f) : 0;
}

/* cdist(a, b): ||a_i - b_j|| is a norm of an affine function of both rows,
   so convex where both operands are affine */
ir_curv cr_cdist(const ir_node *n, const char **why, const ir_node **blame)
{
	(void)why;
	(void)blame;
	static const fn_mono none[2] = { MONO_NONE, MONO_NONE };
	return dcp_compose(CURV_CONVEX, (const ir_node *const *)n->args, none, 2);
}

/* cdist kinks where a row of a equals a row of b (the norm at 0): wherever
   an operand moves */
int kr_cdist(const ir_node *n)
{
	return dcp_is_variable(n->args[0]) || dcp_is_variable(n->args[1]);
}
