/*
 * funcs.c: the built-in function table (see funcs.h) and the interval
 * transfer rule of each primitive.
 *
 * Each range rule is a sound enclosure of the function's image: for an
 * argument anywhere in its interval, the result lies in the returned
 * interval.  Vector rules work on the hull of the elements (the analysis
 * keeps one interval per vector), with n the vector's length.
 */
#include "funcs.h"

#include <math.h>
#include <string.h>

#include "suggest.h"

/* ---- range rules ------------------------------------------------------ */

static ival clamp_lo(ival a, double lo, int open)
{
	if (a.lo < lo || (a.lo == lo && open)) {
		a.lo = lo;
		a.lo_open = (unsigned char)open;
	}
	if (a.hi < a.lo) {      /* entirely outside the domain: keep it non-empty */
		a.hi = a.lo;
		a.hi_open = a.lo_open;
	}
	return a;
}

static ival r_exp(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; ival r = iv_mono(x[0], exp, 1); r.nonzero = 1; return r; }

static ival r_log(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; return iv_mono(clamp_lo(x[0], 0, 1), log, 1); }

static ival r_log1p(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; return iv_mono(clamp_lo(x[0], -1, 1), log1p, 1); }

static ival r_expm1(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; return iv_mono(x[0], expm1, 1); }

static ival r_sqrt(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; return iv_mono(clamp_lo(x[0], 0, 0), sqrt, 1); }

/* |a|: the even-power machinery with p = 1 would not do, so directly. */
static ival absval(ival a)
{
	if (a.lo >= 0)
		return a;
	if (a.hi <= 0)
		return iv_neg(a);
	double top = fmax(-a.lo, a.hi);
	int top_open = (-a.lo > a.hi) ? a.lo_open : (a.hi > -a.lo) ? a.hi_open : (a.lo_open && a.hi_open);
	ival r = iv_open(0, a.nonzero, top, top_open);
	return r;
}

static ival r_abs(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; return absval(x[0]); }

static ival r_square(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; return iv_pow_const(x[0], 2); }

static double sigmoid(double v) { return v >= 0 ? 1 / (1 + exp(-v)) : exp(v) / (1 + exp(v)); }
static double softplus(double v) { return v > 0 ? v + log1p(exp(-v)) : log1p(exp(v)); }
static double log_sigmoid(double v) { return -softplus(-v); }

static ival r_sigmoid(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; ival r = iv_mono(x[0], sigmoid, 1); r.nonzero = 1;
  /* exact 0 and 1 are never reached, even if the float rounds there */
  if (r.lo <= 0) { r.lo = 0; r.lo_open = 1; } if (r.hi >= 1) { r.hi = 1; r.hi_open = 1; } return r; }

static ival r_log_sigmoid(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; ival r = iv_mono(x[0], log_sigmoid, 1);
  if (r.hi >= 0) { r.hi = 0; r.hi_open = 1; } r.nonzero = 1; return r; }

static ival r_softplus(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; ival r = iv_mono(x[0], softplus, 1);
  if (r.lo <= 0) { r.lo = 0; r.lo_open = 1; } r.nonzero = 1; return r; }

static ival r_tanh(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; ival r = iv_mono(x[0], tanh, 1);
  if (r.lo <= -1) { r.lo = -1; r.lo_open = 1; } if (r.hi >= 1) { r.hi = 1; r.hi_open = 1; } return r; }

static ival r_relu(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; return iv_max(x[0], iv_point(0)); }

/* Huber of a nonnegative magnitude v with threshold k: nondecreasing in v. */
static double huber_pos(double v, double k)
{
	return v <= k ? 0.5 * v * v : k * (v - 0.5 * k);
}

static ival r_huber(const ival *x, int na, long n, double k)
{
	(void)na; (void)n;
	if (!(k > 0))
		k = 1;
	ival m = absval(x[0]);
	return iv_open(huber_pos(m.lo, k), m.lo_open, isinf(m.hi) ? HUGE_VAL : huber_pos(m.hi, k), m.hi_open);
}

static double xlogx(double v) { return v == 0 ? 0 : v * log(v); }

static ival r_xlogx(const ival *x, int na, long n, double k)
{
	(void)na; (void)n; (void)k;
	ival a = clamp_lo(x[0], 0, 0);
	double m = exp(-1.0);
	double flo = xlogx(a.lo), fhi = isinf(a.hi) ? HUGE_VAL : xlogx(a.hi);
	double lo = fmin(flo, fhi), hi = fmax(flo, fhi);
	if (iv_contains(a, m))
		lo = -m;
	return iv_make(lo, hi);
}

static ival r_neg(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; return iv_neg(x[0]); }
static ival r_add(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; return iv_add(x[0], x[1]); }
static ival r_sub(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; return iv_sub(x[0], x[1]); }
static ival r_mul(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; return iv_mul(x[0], x[1]); }
static ival r_div(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; return iv_div(x[0], x[1]); }

static ival r_pow(const ival *x, int na, long n, double k)
{
	(void)na; (void)n; (void)k;
	if (x[1].lo == x[1].hi && isfinite(x[1].lo))
		return iv_pow_const(x[0], x[1].lo);
	/* a^b = exp(b * log a), defined for a > 0 */
	ival one = r_log(&x[0], 1, 0, 0);
	ival prod = iv_mul(x[1], one);
	return r_exp(&prod, 1, 0, 0);
}

static ival r_min(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; return iv_min(x[0], x[1]); }
static ival r_max(const ival *x, int na, long n, double k)
{ (void)na; (void)n; (void)k; return iv_max(x[0], x[1]); }

static double count(long n) { return n > 0 ? (double)n : 1.0; }

static ival r_sum(const ival *x, int na, long n, double k)
{ (void)na; (void)k; return iv_scale(x[0], count(n)); }
static ival r_same(const ival *x, int na, long n, double k)   /* mean, max(v), min(v), v[y] */
{ (void)na; (void)n; (void)k; return x[0]; }

static ival r_logsumexp(const ival *x, int na, long n, double k)
{
	(void)na; (void)k;
	/* every element in [lo, hi]  =>  lse in [lo + log n, hi + log n] */
	double l = log(count(n));
	ival r = x[0];
	r.lo += l;
	r.hi += l;
	return iv_open(r.lo, r.lo_open, r.hi, r.hi_open);
}

static ival r_norm1(const ival *x, int na, long n, double k)
{ (void)na; (void)k; return iv_scale(absval(x[0]), count(n)); }
static ival r_norm2(const ival *x, int na, long n, double k)
{ (void)na; (void)k; return iv_scale(absval(x[0]), sqrt(count(n))); }
static ival r_dot(const ival *x, int na, long n, double k)
{ (void)na; (void)k; return iv_scale(iv_mul(x[0], x[1]), count(n)); }

/*
 * softmax over N elements that all lie in [lo, hi]: element i is smallest
 * when it sits at lo and all others at hi, so it lies in
 * [1/(1+(N-1)e^w), 1/(1+(N-1)e^-w)] with w = hi - lo.
 */
static ival r_softmax(const ival *x, int na, long n, double k)
{
	(void)na; (void)k;
	double m = count(n) - 1;
	if (m == 0)
		return iv_point(1);
	double w = x[0].hi - x[0].lo;
	int unb = !isfinite(w);
	double lo = unb ? 0 : 1 / (1 + m * exp(w));
	double hi = unb ? 1 : 1 / (1 + m * exp(-w));
	ival r = iv_open(lo, unb || lo == 0, hi, unb || hi == 1);
	if (lo == 0) r.lo_open = 1;     /* underflowed, still > 0 */
	r.nonzero = 1;
	return r;
}

static ival r_log_softmax(const ival *x, int na, long n, double k)
{
	(void)na; (void)k;
	double m = count(n) - 1;
	if (m == 0)
		return iv_point(0);
	double w = x[0].hi - x[0].lo;
	int unb = !isfinite(w);
	double lo = unb ? -HUGE_VAL : -(w + log(m) + log1p(exp(-w) / m));
	double hi = unb ? 0 : -log1p(m * exp(-w));
	ival r = iv_open(lo, unb, hi, 1);
	if (hi < 0) r.hi_open = 0;
	r.nonzero = 1;
	return r;
}

static ival r_onehot(const ival *x, int na, long n, double k)
{ (void)x; (void)na; (void)n; (void)k; return iv_make(0, 1); }

/* ---- the table -------------------------------------------------------- */

#define NODOM { NULL, 0, 0, 0, 0 }
#define P1(a) { a, { NULL, 0, 0, 0 }, { NULL, 0, 0, 0 } }
#define ARG(nm, k) { nm, k, 0, 0 }
#define OPT(nm, k, d) { nm, k, 1, d }
#define NOARG { NULL, 0, 0, 0 }
#define M2(a, b) { a, b }

const fn_info funcs_table[] = {
	/* elementwise */
	{ "exp", FG_ELEMWISE, 1, 1, { ARG("x", AK_REAL), NOARG, NOARG }, SH_ELEMWISE, IR_EXP,
	  NODOM, r_exp, CURV_CONVEX, M2(MONO_INC, MONO_NONE), SM_SMOOTH, NULL,
	  "e^x; range (0, inf); overflows float32 above ~88.7, float64 above ~709.8" },
	{ "log", FG_ELEMWISE, 1, 1, { ARG("x", AK_REAL), NOARG, NOARG }, SH_ELEMWISE, IR_LOG,
	  { "LS303", 0, HUGE_VAL, 1, 1 }, r_log, CURV_CONCAVE, M2(MONO_INC, MONO_NONE), SM_SMOOTH, NULL,
	  "natural logarithm; domain x > 0" },
	{ "log1p", FG_ELEMWISE, 1, 1, { ARG("x", AK_REAL), NOARG, NOARG }, SH_ELEMWISE, IR_LOG1P,
	  { "LS303", -1, HUGE_VAL, 1, 1 }, r_log1p, CURV_CONCAVE, M2(MONO_INC, MONO_NONE), SM_SMOOTH, NULL,
	  "log(1 + x), accurate for small x; domain x > -1" },
	{ "expm1", FG_ELEMWISE, 1, 1, { ARG("x", AK_REAL), NOARG, NOARG }, SH_ELEMWISE, IR_EXPM1,
	  NODOM, r_expm1, CURV_CONVEX, M2(MONO_INC, MONO_NONE), SM_SMOOTH, NULL,
	  "exp(x) - 1, accurate for small x; range (-1, inf)" },
	{ "sqrt", FG_ELEMWISE, 1, 1, { ARG("x", AK_REAL), NOARG, NOARG }, SH_ELEMWISE, IR_SQRT,
	  { "LS304", 0, HUGE_VAL, 0, 1 }, r_sqrt, CURV_CONCAVE, M2(MONO_INC, MONO_NONE), SM_EDGE, NULL,
	  "square root; domain x >= 0; infinite slope at 0" },
	{ "abs", FG_ELEMWISE, 1, 1, { ARG("x", AK_REAL), NOARG, NOARG }, SH_ELEMWISE, IR_ABS,
	  NODOM, r_abs, CURV_CONVEX, M2(MONO_SIGN, MONO_NONE), SM_KINK_AT_ZERO, NULL,
	  "absolute value; kink at 0" },
	{ "square", FG_ELEMWISE, 1, 1, { ARG("x", AK_REAL), NOARG, NOARG }, SH_ELEMWISE, IR_SQUARE,
	  NODOM, r_square, CURV_CONVEX, M2(MONO_SIGN, MONO_NONE), SM_SMOOTH, NULL,
	  "x * x; range [0, inf)" },
	{ "sigmoid", FG_ELEMWISE, 1, 1, { ARG("x", AK_REAL), NOARG, NOARG }, SH_ELEMWISE, IR_SIGMOID,
	  NODOM, r_sigmoid, CURV_UNKNOWN, M2(MONO_INC, MONO_NONE), SM_SMOOTH, NULL,
	  "1 / (1 + exp(-x)); range (0, 1); neither convex nor concave" },
	{ "log_sigmoid", FG_ELEMWISE, 1, 1, { ARG("x", AK_REAL), NOARG, NOARG }, SH_ELEMWISE, IR_LOG_SIGMOID,
	  NODOM, r_log_sigmoid, CURV_CONCAVE, M2(MONO_INC, MONO_NONE), SM_SMOOTH, NULL,
	  "log(sigmoid(x)) = -softplus(-x), stable; range (-inf, 0)" },
	{ "softplus", FG_ELEMWISE, 1, 1, { ARG("x", AK_REAL), NOARG, NOARG }, SH_ELEMWISE, IR_SOFTPLUS,
	  NODOM, r_softplus, CURV_CONVEX, M2(MONO_INC, MONO_NONE), SM_SMOOTH, NULL,
	  "log(1 + exp(x)), stable; range (0, inf)" },
	{ "tanh", FG_ELEMWISE, 1, 1, { ARG("x", AK_REAL), NOARG, NOARG }, SH_ELEMWISE, IR_TANH,
	  NODOM, r_tanh, CURV_UNKNOWN, M2(MONO_INC, MONO_NONE), SM_SMOOTH, NULL,
	  "hyperbolic tangent; range (-1, 1); neither convex nor concave" },
	{ "relu", FG_ELEMWISE, 1, 1, { ARG("x", AK_REAL), NOARG, NOARG }, SH_ELEMWISE, IR_RELU,
	  NODOM, r_relu, CURV_CONVEX, M2(MONO_INC, MONO_NONE), SM_KINK_AT_ZERO, NULL,
	  "max(x, 0); kink at 0" },
	{ "min", FG_ELEMWISE, 2, 2, { ARG("a", AK_REAL), ARG("b", AK_REAL), NOARG }, SH_ELEMWISE, IR_MIN,
	  NODOM, r_min, CURV_CONCAVE, M2(MONO_INC, MONO_INC), SM_KINK_AT_TIE, NULL,
	  "elementwise minimum; kink where a = b" },
	{ "max", FG_ELEMWISE, 2, 2, { ARG("a", AK_REAL), ARG("b", AK_REAL), NOARG }, SH_ELEMWISE, IR_MAX,
	  NODOM, r_max, CURV_CONVEX, M2(MONO_INC, MONO_INC), SM_KINK_AT_TIE, NULL,
	  "elementwise maximum; kink where a = b" },

	/* vector to scalar */
	{ "sum", FG_REDUCE, 1, 1, { ARG("v", AK_VECTOR), NOARG, NOARG }, SH_SCALAR, IR_SUM,
	  NODOM, r_sum, CURV_AFFINE, M2(MONO_INC, MONO_NONE), SM_SMOOTH, NULL,
	  "sum of the elements" },
	{ "mean", FG_REDUCE, 1, 1, { ARG("v", AK_VECTOR), NOARG, NOARG }, SH_SCALAR, IR_MEAN,
	  NODOM, r_same, CURV_AFFINE, M2(MONO_INC, MONO_NONE), SM_SMOOTH, NULL,
	  "mean of the elements" },
	{ "max", FG_REDUCE, 1, 1, { ARG("v", AK_VECTOR), NOARG, NOARG }, SH_SCALAR, IR_VMAX,
	  NODOM, r_same, CURV_CONVEX, M2(MONO_INC, MONO_NONE), SM_KINK_AT_TIE, NULL,
	  "largest element; kink where two elements tie" },
	{ "min", FG_REDUCE, 1, 1, { ARG("v", AK_VECTOR), NOARG, NOARG }, SH_SCALAR, IR_VMIN,
	  NODOM, r_same, CURV_CONCAVE, M2(MONO_INC, MONO_NONE), SM_KINK_AT_TIE, NULL,
	  "smallest element; kink where two elements tie" },
	{ "logsumexp", FG_REDUCE, 1, 1, { ARG("v", AK_VECTOR), NOARG, NOARG }, SH_SCALAR, IR_LOGSUMEXP,
	  NODOM, r_logsumexp, CURV_CONVEX, M2(MONO_INC, MONO_NONE), SM_SMOOTH, NULL,
	  "log(sum(exp(v))), computed stably; in [max(v), max(v) + log N]" },
	{ "norm1", FG_REDUCE, 1, 1, { ARG("v", AK_VECTOR), NOARG, NOARG }, SH_SCALAR, IR_NORM1,
	  NODOM, r_norm1, CURV_CONVEX, M2(MONO_SIGN, MONO_NONE), SM_KINK_AT_ZERO, NULL,
	  "sum(abs(v)); kink where an element is 0" },
	{ "norm2", FG_REDUCE, 1, 1, { ARG("v", AK_VECTOR), NOARG, NOARG }, SH_SCALAR, IR_NORM2,
	  NODOM, r_norm2, CURV_CONVEX, M2(MONO_SIGN, MONO_NONE), SM_KINK_AT_ZERO, NULL,
	  "sqrt(sum(square(v))); kink at the zero vector" },
	{ "dot", FG_REDUCE, 2, 2, { ARG("a", AK_VECTOR), ARG("b", AK_VECTOR), NOARG }, SH_SCALAR, IR_DOT,
	  NODOM, r_dot, CURV_UNKNOWN, M2(MONO_NONE, MONO_NONE), SM_SMOOTH, NULL,
	  "sum(a * b); affine when one side is constant" },

	/* vector to vector */
	{ "softmax", FG_VECTOR, 1, 1, { ARG("v", AK_VECTOR), NOARG, NOARG }, SH_LIKE_ARG0, IR_SOFTMAX,
	  NODOM, r_softmax, CURV_UNKNOWN, M2(MONO_NONE, MONO_NONE), SM_SMOOTH, NULL,
	  "exp(v) / sum(exp(v)); elements in (0, 1)" },
	{ "log_softmax", FG_VECTOR, 1, 1, { ARG("v", AK_VECTOR), NOARG, NOARG }, SH_LIKE_ARG0, IR_LOG_SOFTMAX,
	  NODOM, r_log_softmax, CURV_CONCAVE, M2(MONO_NONE, MONO_NONE), SM_SMOOTH, NULL,
	  "v - logsumexp(v), stable; elements <= 0; concave" },
	{ "onehot", FG_VECTOR, 1, 1, { ARG("y", AK_CLASS), NOARG, NOARG }, SH_ONEHOT, IR_ONEHOT,
	  NODOM, r_onehot, CURV_AFFINE, M2(MONO_NONE, MONO_NONE), SM_SMOOTH, NULL,
	  "class[K] label -> real[K] with 1 at the label, 0 elsewhere" },

	/* per-example losses: expanded into the primitives above */
	{ "cross_entropy", FG_LOSS, 2, 3,
	  { ARG("logits", AK_VECTOR), ARG("y", AK_CLASS_OR_PROB), OPT("label_smoothing", AK_CONST, 0) },
	  SH_SCALAR, IR_NOPS, NODOM, NULL, CURV_UNKNOWN, M2(MONO_NONE, MONO_NONE), SM_SMOOTH,
	  "-log_softmax(logits)[y]",
	  "class labels: -log_softmax(logits)[y]; with label_smoothing e: "
	  "(1 - e) * -log_softmax(logits)[y] - e / K * sum(log_softmax(logits)); "
	  "prob labels: -sum(((1 - e) * y + e / K) * log_softmax(logits))" },
	{ "nll", FG_LOSS, 2, 2, { ARG("logp", AK_VECTOR), ARG("y", AK_CLASS), NOARG },
	  SH_SCALAR, IR_NOPS, NODOM, NULL, CURV_UNKNOWN, M2(MONO_NONE, MONO_NONE), SM_SMOOTH,
	  "-logp[y]", "negative log-likelihood of log-probabilities: -logp[y]" },
	{ "mse", FG_LOSS, 2, 2, { ARG("p", AK_REAL), ARG("t", AK_REAL), NOARG },
	  SH_SCALAR, IR_NOPS, NODOM, NULL, CURV_UNKNOWN, M2(MONO_NONE, MONO_NONE), SM_SMOOTH,
	  "mean(square(p - t))", "mean squared error: mean(square(p - t)) (square(p - t) on scalars)" },
	{ "l1", FG_LOSS, 2, 2, { ARG("p", AK_REAL), ARG("t", AK_REAL), NOARG },
	  SH_SCALAR, IR_NOPS, NODOM, NULL, CURV_UNKNOWN, M2(MONO_NONE, MONO_NONE), SM_SMOOTH,
	  "mean(abs(p - t))", "mean absolute error: mean(abs(p - t)); kink where p = t" },
	{ "huber", FG_LOSS, 2, 3, { ARG("p", AK_REAL), ARG("t", AK_REAL), OPT("delta", AK_CONST, 1) },
	  SH_SCALAR, IR_NOPS, NODOM, NULL, CURV_UNKNOWN, M2(MONO_NONE, MONO_NONE), SM_SMOOTH,
	  "mean(huber_elem(p - t, 1))",
	  "mean Huber error: 0.5*d^2 where |d| <= delta, else delta*(|d| - 0.5*delta), "
	  "d = p - t; delta > 0; C1 (no kink)" },
	{ "smooth_l1", FG_LOSS, 2, 3, { ARG("p", AK_REAL), ARG("t", AK_REAL), OPT("beta", AK_CONST, 1) },
	  SH_SCALAR, IR_NOPS, NODOM, NULL, CURV_UNKNOWN, M2(MONO_NONE, MONO_NONE), SM_SMOOTH,
	  "mean(huber_elem(p - t, 1)) / 1",
	  "huber(p, t, delta=beta) / beta; beta = 0 is l1(p, t); C1 for beta > 0" },
	{ "bce", FG_LOSS, 2, 2, { ARG("p", AK_REAL), ARG("t", AK_REAL), NOARG },
	  SH_SCALAR, IR_NOPS, NODOM, NULL, CURV_UNKNOWN, M2(MONO_NONE, MONO_NONE), SM_SMOOTH,
	  "-(t * log(p) + (1 - t) * log(1 - p))",
	  "binary cross-entropy of a probability p in [0, 1]: -(t*log(p) + (1 - t)*log(1 - p)), "
	  "each log clamped at -100 as in PyTorch; mean over a vector" },
	{ "bce_with_logits", FG_LOSS, 2, 3, { ARG("x", AK_REAL), ARG("t", AK_REAL), OPT("pos_weight", AK_CONST, 1) },
	  SH_SCALAR, IR_NOPS, NODOM, NULL, CURV_UNKNOWN, M2(MONO_NONE, MONO_NONE), SM_SMOOTH,
	  "t * softplus(-x) + (1 - t) * softplus(x)",
	  "binary cross-entropy of a logit x: pos_weight*t*softplus(-x) + (1 - t)*softplus(x); "
	  "mean over a vector" },
	{ "hinge", FG_LOSS, 2, 2, { ARG("x", AK_REAL), ARG("t", AK_BINARY_OR_SIGN), NOARG },
	  SH_SCALAR, IR_NOPS, NODOM, NULL, CURV_UNKNOWN, M2(MONO_NONE, MONO_NONE), SM_SMOOTH,
	  "relu(1 - t * x)",
	  "max(0, 1 - t*x) with t in {-1, +1}; a binary t means 2t - 1; kink at t*x = 1" },
	{ "kl_div", FG_LOSS, 2, 2, { ARG("logq", AK_VECTOR), ARG("p", AK_VECTOR), NOARG },
	  SH_SCALAR, IR_NOPS, NODOM, NULL, CURV_UNKNOWN, M2(MONO_NONE, MONO_NONE), SM_SMOOTH,
	  "sum(xlogx(p) - p * logq)",
	  "Kullback-Leibler divergence of log-probabilities logq from p: sum(p * (log(p) - logq)), "
	  "with 0 * log(0) = 0" },

	/* operators */
	{ "-", FG_OPERATOR, 1, 1, { ARG("a", AK_REAL), NOARG, NOARG }, SH_ELEMWISE, IR_NEG,
	  NODOM, r_neg, CURV_AFFINE, M2(MONO_DEC, MONO_NONE), SM_SMOOTH, NULL, "negation" },
	{ "+", FG_OPERATOR, 2, 2, { ARG("a", AK_REAL), ARG("b", AK_REAL), NOARG }, SH_ELEMWISE, IR_ADD,
	  NODOM, r_add, CURV_AFFINE, M2(MONO_INC, MONO_INC), SM_SMOOTH, NULL, "addition" },
	{ "-", FG_OPERATOR, 2, 2, { ARG("a", AK_REAL), ARG("b", AK_REAL), NOARG }, SH_ELEMWISE, IR_SUB,
	  NODOM, r_sub, CURV_AFFINE, M2(MONO_INC, MONO_DEC), SM_SMOOTH, NULL, "subtraction" },
	{ "*", FG_OPERATOR, 2, 2, { ARG("a", AK_REAL), ARG("b", AK_REAL), NOARG }, SH_ELEMWISE, IR_MUL,
	  NODOM, r_mul, CURV_UNKNOWN, M2(MONO_NONE, MONO_NONE), SM_SMOOTH, NULL,
	  "product; affine/convex/concave only when one side is constant (sign decides)" },
	{ "/", FG_OPERATOR, 2, 2, { ARG("a", AK_REAL), ARG("b", AK_REAL), NOARG }, SH_ELEMWISE, IR_DIV,
	  { "LS305", 0, 0, 0, 0 }, r_div, CURV_UNKNOWN, M2(MONO_NONE, MONO_NONE), SM_SMOOTH, NULL,
	  "quotient; the divisor must not be 0" },
	{ "^", FG_OPERATOR, 2, 2, { ARG("a", AK_REAL), ARG("b", AK_REAL), NOARG }, SH_ELEMWISE, IR_POW,
	  NODOM, r_pow, CURV_UNKNOWN, M2(MONO_NONE, MONO_NONE), SM_SPECIAL, NULL,
	  "power; with a constant exponent p, curvature follows CVXPY's power atom" },

	/* internal primitives of expansions */
	{ "huber_elem", FG_INTERNAL, 2, 2, { ARG("d", AK_REAL), ARG("delta", AK_CONST), NOARG }, SH_ELEMWISE, IR_HUBER,
	  NODOM, r_huber, CURV_CONVEX, M2(MONO_SIGN, MONO_NONE), SM_C1, NULL,
	  "elementwise Huber function of d" },
	{ "xlogx", FG_INTERNAL, 1, 1, { ARG("p", AK_REAL), NOARG, NOARG }, SH_ELEMWISE, IR_XLOGX,
	  { "LS303", 0, HUGE_VAL, 0, 1 }, r_xlogx, CURV_CONVEX, M2(MONO_NONE, MONO_NONE), SM_EDGE, NULL,
	  "p * log(p) with 0 * log(0) = 0" },
};

const size_t funcs_count = sizeof funcs_table / sizeof funcs_table[0];

static int callable(const fn_info *fi)
{
	return fi->group != FG_OPERATOR && fi->group != FG_INTERNAL;
}

static int name_is(const fn_info *fi, const char *name, size_t len)
{
	return strlen(fi->name) == len && memcmp(fi->name, name, len) == 0;
}

const fn_info *funcs_lookup(const char *name, size_t len, int nargs)
{
	for (size_t i = 0; i < funcs_count; i++) {
		const fn_info *fi = &funcs_table[i];
		if (callable(fi) && name_is(fi, name, len) && nargs >= fi->min_args && nargs <= fi->max_args)
			return fi;
	}
	return NULL;
}

const fn_info *funcs_lookup_name(const char *name, size_t len)
{
	for (size_t i = 0; i < funcs_count; i++)
		if (callable(&funcs_table[i]) && name_is(&funcs_table[i], name, len))
			return &funcs_table[i];
	return NULL;
}

const char *funcs_suggest(const char *name, size_t len)
{
	const char *best = NULL;
	size_t bestd = len <= 3 ? 1 : 2;     /* a close name, not any name */
	for (size_t i = 0; i < funcs_count; i++) {
		const fn_info *fi = &funcs_table[i];
		if (!callable(fi))
			continue;
		size_t d = suggest_distance(name, len, fi->name, strlen(fi->name));
		if (d <= bestd && (best == NULL || d < bestd)) {
			best = fi->name;
			bestd = d;
		}
	}
	return best;
}

const fn_info *funcs_for_op(ir_op op)
{
	for (size_t i = 0; i < funcs_count; i++)
		if (funcs_table[i].op == op && funcs_table[i].group != FG_LOSS)
			return &funcs_table[i];
	return NULL;
}

static void fmt_num(char *buf, size_t size, double v)
{
	snprintf(buf, size, "%.6g", v);
}

char *funcs_signature(const fn_info *fi, char *buf, size_t size)
{
	size_t off = 0;
	int w = snprintf(buf, size, "%s(", fi->name);
	off = (w > 0 && (size_t)w < size) ? (size_t)w : size ? size - 1 : 0;
	for (int i = 0; i < FN_MAX_PARAMS && fi->params[i].name; i++) {
		char d[32] = "";
		if (fi->params[i].has_default) {
			d[0] = '=';
			fmt_num(d + 1, sizeof d - 1, fi->params[i].def);
		}
		w = snprintf(buf + off, size - off, "%s%s%s", i ? ", " : "", fi->params[i].name, d);
		off = (w > 0 && off + (size_t)w < size) ? off + (size_t)w : size ? size - 1 : 0;
	}
	snprintf(buf + off, size - off, ")");
	return buf;
}

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

static const char *group_name(fn_group g)
{
	switch (g) {
	case FG_ELEMWISE: return "elementwise";
	case FG_REDUCE: return "vector to scalar";
	case FG_VECTOR: return "vector to vector";
	case FG_LOSS: return "loss";
	case FG_OPERATOR: return "operator";
	case FG_INTERNAL: break;
	}
	return "internal";
}

static const char *smooth_name(fn_smooth s)
{
	switch (s) {
	case SM_SMOOTH: return "smooth";
	case SM_C1: return "C1";
	case SM_KINK_AT_ZERO: return "kink at 0";
	case SM_KINK_AT_TIE: return "kink at ties";
	case SM_EDGE: return "smooth inside its domain";
	case SM_SPECIAL: break;
	}
	return "depends on the exponent";
}

/* troff needs a backslash doubled and a leading dot or quote escaped. */
static int troff_str(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		if (fputs("\\&", out) < 0)
			return -1;
	for (; *s; s++) {
		if (*s == '\\' ? fputs("\\e", out) < 0 : *s == '-' ? fputs("\\-", out) < 0 : putc(*s, out) == EOF)
			return -1;
	}
	return 0;
}

int funcs_print_table(FILE *out, int troff)
{
	if (troff && fputs(".Bl -tag -width Ds\n", out) < 0)
		return -1;
	for (size_t i = 0; i < funcs_count; i++) {
		const fn_info *fi = &funcs_table[i];
		char sig[128];
		if (!callable(fi))
			continue;
		funcs_signature(fi, sig, sizeof sig);
		if (troff) {
			/* mdoc: the signature as a literal tag, then one text line */
			if (fputs(".It Li \"", out) < 0 || troff_str(out, sig) < 0 || fputs("\"\n", out) < 0)
				return -1;
			if (fprintf(out, "(%s) ", group_name(fi->group)) < 0 || troff_str(out, fi->doc) < 0)
				return -1;
			if (fi->group != FG_LOSS && fprintf(out, "; %s, %s", fn_curv_name(fi->curv), smooth_name(fi->smooth)) < 0)
				return -1;
			if (fputs(".\n", out) < 0)
				return -1;
		} else if (fprintf(out, "%-44s %-17s %s\n", sig, group_name(fi->group), fi->doc) < 0) {
			return -1;
		}
	}
	if (troff && fputs(".El\n", out) < 0)
		return -1;
	return 0;
}
