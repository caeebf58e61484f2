/*
 * ops_proofs.c: hand-proven bounds (ops.h `op_proof`), the facts interval
 * arithmetic cannot see because it lets every operand vary on its own:
 * in x * x both factors are one value; in logsumexp(z) - z[c] the two
 * terms move together.  Each rule says which rows carry it, the identity
 * it rests on, and why that identity holds; tests/unit/test_proofs.c
 * checks each one applies where it should, stays out where it must (the
 * near misses of tests/claims/), and holds on sampled values.
 *
 * A rule only ever narrows an interval (the analyzer intersects), so a
 * rule that does not apply answers 0 and changes nothing.  Where a rule
 * compares coefficients it asks for the same real number up to a few
 * units in the last place: 0.5 / T and 0.5 * (1 / T) are one coefficient
 * the user wrote in decimal, while a coefficient off by more (2u where
 * the identity needs u) is a different claim, and false.
 */
#include "ops_impl.h"

#include <float.h>
#include <math.h>

#include "dcp.h"
#include "losses.h"

static int const_scalar(const ir_node *n, double *v)
{
	if (n->op != IR_CONST || n->vals)
		return 0;
	*v = n->num;
	return 1;
}

static int same_coef(double a, double b)
{
	return a == b || fabs(a - b) <= 8 * DBL_EPSILON * fmax(fabs(a), fabs(b));
}

/* The number of elements, for a bound that scales with it (a named size
   counts as unknown: infinite, which only widens the bound). */
static double len_of(const ir_node *v)
{
	if (!v->shape.rank)
		return 1.0;
	long n = ir_len(v);
	return n > 0 ? (double)n : HUGE_VAL;
}

static ival nonneg(void) { return iv_make(0, HUGE_VAL); }

/* c * [0, inf): a group's contribution when the group itself is >= 0. */
static ival times_nonneg(double c) { return c >= 0 ? iv_make(0, HUGE_VAL) : iv_make(-HUGE_VAL, 0); }

/* n = k * base for a constant k, through unary minus and products and
   quotients by constant scalars (z / T is z times 1 / T). */
static const ir_node *scaled_base(const ir_node *n, double *k)
{
	double c = 1, v;
	for (;;) {
		if (n->op == IR_NEG) {
			c = -c;
			n = n->args[0];
		} else if (n->op == IR_MUL && const_scalar(n->args[0], &v)) {
			c *= v;
			n = n->args[1];
		} else if (n->op == IR_MUL && const_scalar(n->args[1], &v)) {
			c *= v;
			n = n->args[0];
		} else if (n->op == IR_DIV && const_scalar(n->args[1], &v) && v != 0) {
			c /= v;
			n = n->args[0];
		} else {
			*k = c;
			return n;
		}
	}
}

/* ---- a product of equal factors (IR_MUL) ----
   x * x = x^2 >= 0 for every real x; its interval is that of the square,
   not [lo*hi, ...] as if the factors were two values. */
static int b_equal_factors(const ir_node *n, ival *out)
{
	if (!dcp_same_value(n->args[0], n->args[1]))
		return 0;
	*out = iv_pow_const(n->args[0]->iv, 2);
	return 1;
}
const op_proof pf_equal_factors = { "a product of equal factors", "x * x = x^2 >= 0", b_equal_factors };

/* ---- a self-dot product (IR_DOT) ----
   dot(v, v) = sum_i v_i^2 = |v|^2 >= 0. */
static int b_self_dot(const ir_node *n, ival *out)
{
	if (!dcp_same_value(n->args[0], n->args[1]))
		return 0;
	double len = len_of(n->args[0]);
	*out = isinf(len) ? nonneg() : iv_scale(iv_pow_const(n->args[0]->iv, 2), len);
	return 1;
}
const op_proof pf_self_dot = { "a self-dot product", "dot(v, v) = |v|^2 >= 0", b_self_dot };

/* ---- opposite branches (IR_MAX, IR_MIN) ----
   max(a e, b e) with a b <= 0: one of a e, b e is >= 0, so the max is
   (the pinball loss max(tau (t - u), (tau - 1) (t - u)), tau in [0, 1]);
   min(a e, b e) is <= 0 for the same reason. */
static int opposite(const ir_node *n)
{
	double ka, kb;
	const ir_node *a = scaled_base(n->args[0], &ka), *b = scaled_base(n->args[1], &kb);
	return ka * kb <= 0 && dcp_same_value(a, b);
}
static int b_max_opposite(const ir_node *n, ival *out)
{
	if (!opposite(n))
		return 0;
	*out = nonneg();
	return 1;
}
static int b_min_opposite(const ir_node *n, ival *out)
{
	if (!opposite(n))
		return 0;
	*out = iv_make(-HUGE_VAL, 0);
	return 1;
}
const op_proof pf_max_opposite = { "a maximum of opposite multiples",
	"max(a e, b e) >= 0 when a b <= 0: one of the two is >= 0", b_max_opposite };
const op_proof pf_min_opposite = { "a minimum of opposite multiples",
	"min(a e, b e) <= 0 when a b <= 0: one of the two is <= 0", b_min_opposite };

/* ---- Cauchy-Schwarz (IR_DIV) ----
   |dot(a, b)| <= |a| |b|, so dot(a, b) / D lies in [-1, 1] when D >= |a| |b|
   (a cosine similarity, with or without an epsilon in the denominator). */

/* n >= |v|: norm2(v), sqrt(S) with S >= |v|^2, or such a value plus
   something >= 0. */
static int sum_of_squares_of(const ir_node *s, const ir_node *v)
{
	if (s->op == IR_SUM && s->args[0]->op == IR_SQUARE)
		return dcp_same_value(s->args[0]->args[0], v);
	if (s->op == IR_DOT)
		return dcp_same_value(s->args[0], v) && dcp_same_value(s->args[1], v);
	if (s->op == IR_ADD)
		return (iv_nonneg(s->args[1]->iv) && sum_of_squares_of(s->args[0], v))
		       || (iv_nonneg(s->args[0]->iv) && sum_of_squares_of(s->args[1], v));
	return 0;
}
static int dominates_norm(const ir_node *d, const ir_node *v)
{
	if (d->op == IR_NORM2)
		return dcp_same_value(d->args[0], v);
	if (d->op == IR_SQRT)
		return sum_of_squares_of(d->args[0], v);
	if (d->op == IR_ADD)
		return (iv_nonneg(d->args[1]->iv) && dominates_norm(d->args[0], v))
		       || (iv_nonneg(d->args[0]->iv) && dominates_norm(d->args[1], v));
	return 0;
}
/* d >= |a| |b|: a product of two such bounds, the root of a product of two
   sums of squares, or such a value plus something >= 0. */
static int dominates_product(const ir_node *d, const ir_node *a, const ir_node *b)
{
	if (d->op == IR_MUL)
		return (dominates_norm(d->args[0], a) && dominates_norm(d->args[1], b))
		       || (dominates_norm(d->args[0], b) && dominates_norm(d->args[1], a));
	if (d->op == IR_SQRT && d->args[0]->op == IR_MUL) {
		const ir_node *p = d->args[0];
		return (sum_of_squares_of(p->args[0], a) && sum_of_squares_of(p->args[1], b))
		       || (sum_of_squares_of(p->args[0], b) && sum_of_squares_of(p->args[1], a));
	}
	if (d->op == IR_ADD)
		return (iv_nonneg(d->args[1]->iv) && dominates_product(d->args[0], a, b))
		       || (iv_nonneg(d->args[0]->iv) && dominates_product(d->args[1], a, b));
	return 0;
}
static int b_cauchy_schwarz(const ir_node *n, ival *out)
{
	const ir_node *num = n->args[0], *den = n->args[1];
	int ok = 0;
	if (num->op == IR_DOT)          /* dot(a, b) / (|a| |b| + eps) */
		ok = dominates_product(den, num->args[0], num->args[1]);
	else if (num->op == IR_DIV && num->args[0]->op == IR_DOT) {   /* dot(a, b) / |a| / |b| */
		const ir_node *a = num->args[0]->args[0], *b = num->args[0]->args[1];
		ok = (dominates_norm(num->args[1], a) && dominates_norm(den, b))
		     || (dominates_norm(num->args[1], b) && dominates_norm(den, a));
	}
	if (!ok)
		return 0;
	*out = iv_make(-1, 1);
	return 1;
}
const op_proof pf_cauchy_schwarz = { "the Cauchy-Schwarz inequality",
	"|dot(a, b)| <= |a| |b|, so a cosine similarity lies in [-1, 1]", b_cauchy_schwarz };

/* ---- linear combinations (IR_ADD, IR_SUB) ----
 *
 * The value is written as a sum of terms c_i t_i plus a constant (through
 * +, -, unary minus and constant factors), and groups of terms that obey
 * a known inequality are bounded together; the other terms keep their
 * intervals.  The groups:
 *
 *   c e^x - c x      >= c          e^x >= 1 + x (the tangent at 0 of a
 *                                  convex function lies below it): the
 *                                  VAE's KL term e^l - 1 - l + mu^2 >= 0
 *   c expm1(x) - c x >= 0          the same inequality
 *   c logsumexp(w) - c w[y]  >= 0  logsumexp(w) >= max(w) >= w[y]:
 *                                  cross-entropy written by hand
 *   c logsumexp(w) - c max(w) in [0, c log n]   max <= logsumexp <= max + log n
 *   c max(w) - c w[y]  >= 0        the largest element is at least each one
 *   c softplus(x) - c b x >= 0     softplus(x) >= max(0, x) >= b x for b in
 *                                  [0, 1]: binary cross-entropy by hand
 *
 * (c may be negative: the group is then <= 0; w may be k v for a constant
 * k, with the element written k v[y], as in logsumexp(s / tau) - s[y] / tau.)
 */
#define LIN_MAX 32

typedef struct lin_term {
	double c;
	const ir_node *n;
	int used;
} lin_term;

typedef struct lin {
	lin_term t[LIN_MAX];
	int n;
	double k;       /* the constant */
} lin;

/* Add c * n to l; 0 when there are too many terms. */
static int flatten(const ir_node *n, double c, lin *l)
{
	double v;
	if (const_scalar(n, &v)) {
		l->k += c * v;
		return 1;
	}
	if (n->op == IR_ADD)
		return flatten(n->args[0], c, l) && flatten(n->args[1], c, l);
	if (n->op == IR_SUB)
		return flatten(n->args[0], c, l) && flatten(n->args[1], -c, l);
	if (n->op == IR_NEG)
		return flatten(n->args[0], -c, l);
	if (n->op == IR_MUL && const_scalar(n->args[0], &v))
		return flatten(n->args[1], c * v, l);
	if (n->op == IR_MUL && const_scalar(n->args[1], &v))
		return flatten(n->args[0], c * v, l);
	if (n->op == IR_DIV && const_scalar(n->args[1], &v) && v != 0)
		return flatten(n->args[0], c / v, l);
	if (l->n == LIN_MAX)
		return 0;
	l->t[l->n].c = c;
	l->t[l->n].n = n;
	l->t[l->n].used = 0;
	l->n++;
	return 1;
}

/* An unused term c * m with m the same value as want; -1 if none. */
static int find_term(const lin *l, const ir_node *want, double c)
{
	for (int j = 0; j < l->n; j++)
		if (!l->t[j].used && same_coef(l->t[j].c, c) && dcp_same_value(l->t[j].n, want))
			return j;
	return -1;
}

/* The terms of c * x (x's non-constant part) all present and unused: mark
   them and return 1, with *x0 the constant part of x. */
static int take_all(lin *l, const ir_node *x, double c, double *x0)
{
	lin xs = { .n = 0, .k = 0 };
	int marks[LIN_MAX], nm = 0;
	if (!flatten(x, 1, &xs) || xs.n == 0)
		return 0;
	for (int i = 0; i < xs.n; i++) {
		int j = find_term(l, xs.t[i].n, c * xs.t[i].c);
		if (j < 0) {
			for (int m = 0; m < nm; m++)
				l->t[marks[m]].used = 0;
			return 0;
		}
		l->t[j].used = 1;
		marks[nm++] = j;
	}
	*x0 = xs.k;
	return 1;
}

/* An unused term -c k' w'[y] (elem_op IR_INDEX) or -c k' max(w') (IR_VMAX)
   where w' is w (k' = 1) or the base of w = k v (k' = k; for max, k > 0);
   marks it. */
static int take_element(lin *l, const ir_node *w, double c, ir_op elem_op)
{
	double k;
	const ir_node *base = scaled_base(w, &k);
	for (int j = 0; j < l->n; j++) {
		const lin_term *t = &l->t[j];
		if (t->used || t->n->op != elem_op)
			continue;
		const ir_node *v = t->n->args[0];
		if ((dcp_same_value(v, w) && same_coef(t->c, -c))
		    || ((elem_op == IR_INDEX || k > 0) && dcp_same_value(v, base) && same_coef(t->c, -c * k))) {
			l->t[j].used = 1;
			return 1;
		}
	}
	return 0;
}

/* An unused term -c b x with b in [0, 1] (b x a product, or b = 1); marks it. */
static int take_scaled(lin *l, const ir_node *x, double c)
{
	for (int j = 0; j < l->n; j++) {
		lin_term *u = &l->t[j];
		int ok = 0;
		if (u->used || !same_coef(u->c, -c))
			continue;
		if (dcp_same_value(u->n, x))
			ok = 1;
		else if (u->n->op == IR_MUL)
			for (int s = 0; s < 2 && !ok; s++) {
				ival b = u->n->args[s]->iv;
				ok = b.lo >= 0 && b.hi <= 1 && dcp_same_value(u->n->args[1 - s], x);
			}
		if (ok) {
			u->used = 1;
			return 1;
		}
	}
	return 0;
}

enum { G_EXP = 1, G_LSE = 2, G_SOFTPLUS = 4 };

/* One group starting at term i: its contribution, or 0 if none; adds its
   kind to *fired. */
static int group_at(lin *l, int i, int *fired, ival *out)
{
	lin_term *t = &l->t[i];
	const ir_node *x = t->n->nargs ? t->n->args[0] : NULL;
	double c = t->c, x0;
	t->used = 1;
	if (t->n->op == IR_EXP && take_all(l, x, -c, &x0)) {
		/* c e^x - c (x - x0) = c (e^x - 1 - x) + c + c x0 */
		*fired |= G_EXP;
		*out = iv_add(times_nonneg(c), iv_point(c + c * x0));
		return 1;
	}
	if (t->n->op == IR_EXPM1 && take_all(l, x, -c, &x0)) {
		/* c expm1(x) - c (x - x0) = c (e^x - 1 - x) + c x0 */
		*fired |= G_EXP;
		*out = iv_add(times_nonneg(c), iv_point(c * x0));
		return 1;
	}
	if (t->n->op == IR_LOGSUMEXP && take_element(l, x, c, IR_INDEX)) {
		*fired |= G_LSE;
		*out = times_nonneg(c);
		return 1;
	}
	if (t->n->op == IR_LOGSUMEXP && take_element(l, x, c, IR_VMAX)) {
		*fired |= G_LSE;
		*out = iv_scale(iv_make(0, log(len_of(x))), c);
		return 1;
	}
	if (t->n->op == IR_VMAX && take_element(l, x, c, IR_INDEX)) {
		*fired |= G_LSE;
		*out = times_nonneg(c);
		return 1;
	}
	if (t->n->op == IR_SOFTPLUS && take_scaled(l, x, c)) {
		/* c softplus(x) - c b x, b in [0, 1] */
		*fired |= G_SOFTPLUS;
		*out = times_nonneg(c);
		return 1;
	}
	t->used = 0;
	return 0;
}

/* Every group at once (a value may hold several: logsumexp(z) - z[c] +
   softplus(u) - b u); applies when a group of a kind in mask was found. */
static int b_linear(const ir_node *n, int mask, ival *out)
{
	int fired = 0;
	lin l = { .n = 0, .k = 0 };
	if (!flatten(n, 1, &l))
		return 0;
	ival total = iv_point(l.k), g;
	for (int i = 0; i < l.n; i++)
		if (!l.t[i].used && group_at(&l, i, &fired, &g))
			total = iv_add(total, g);
	if (!(fired & mask))
		return 0;
	for (int i = 0; i < l.n; i++)
		if (!l.t[i].used)
			total = iv_add(total, iv_scale(l.t[i].n->iv, l.t[i].c));
	*out = total;
	return 1;
}
static int b_exp_tangent(const ir_node *n, ival *out) { return b_linear(n, G_EXP, out); }
static int b_logsumexp(const ir_node *n, ival *out) { return b_linear(n, G_LSE, out); }
static int b_softplus_line(const ir_node *n, ival *out) { return b_linear(n, G_SOFTPLUS, out); }
const op_proof pf_exp_tangent = { "the tangent of exp at 0", "e^x >= 1 + x, so c e^x - c x >= c for c > 0",
	b_exp_tangent };
const op_proof pf_logsumexp = { "logsumexp against its elements",
	"max(w) <= logsumexp(w) <= max(w) + log n, and max(w) >= w[y]", b_logsumexp };
const op_proof pf_softplus_line = { "softplus above a line",
	"softplus(x) >= max(0, x) >= b x for b in [0, 1]", b_softplus_line };

/* ---- Gibbs' inequality (the kl_div row) ----
   kl_div(logq, p) = sum_i p_i (log p_i - logq_i) = KL(p || q) >= 0 when p
   and q = exp(logq) are probability vectors (each sums to 1): by Jensen,
   -KL = sum p log(q / p) <= log sum q = 0.  q is one when logq is a
   log_softmax; p when it is a softmax or a `prob[K]` value (with
   log_target=1, when p is a log_softmax). */
static int is_probability(const ir_node *p)
{
	if (p->op == IR_SOFTMAX)
		return 1;
	return p->item && p->item->type.kind == TY_PROB && !p->item->range.present;
}
static int b_gibbs(const ir_node *n, ival *out)
{
	const ir_call *call = n->call;
	if (!call || call->nargs < 2 || !call->args[0] || !call->args[1])
		return 0;
	const ir_node *logq = call->args[0], *p = call->args[1];
	int log_target = call->nargs > 2 && call->k[2] != 0;
	if (logq->op != IR_LOG_SOFTMAX)
		return 0;
	if (log_target ? p->op != IR_LOG_SOFTMAX : !is_probability(p))
		return 0;
	*out = nonneg();
	return 1;
}
const op_proof pf_gibbs = { "Gibbs' inequality",
	"KL(p || q) >= 0 when p and q are probability vectors (here q = softmax, p a softmax or prob[K])",
	b_gibbs };
