/*
 * ops_range.c: the interval transfer of each op (ops.h `range`).
 *
 * Each rule is a sound enclosure of the op's image: for operands anywhere
 * in their intervals, the result lies in the returned interval.  Vector
 * rules work on the hull of the elements (the analysis keeps one interval
 * per vector), with n the vector's length.  The part of an operand
 * outside the op's domain is ignored: the domain check reports it.
 * tests/unit/test_ops.c samples every rule, and the agreement tests check
 * them on random expressions.
 */
#include "ops_impl.h"

#include <math.h>

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

ival r_exp(const ival *x, int na, long n)
{ (void)na; (void)n; ival r = iv_mono(x[0], exp, 1); r.nonzero = 1; return r; }

ival r_log(const ival *x, int na, long n)
{ (void)na; (void)n; return iv_mono(clamp_lo(x[0], 0, 1), log, 1); }

ival r_log1p(const ival *x, int na, long n)
{ (void)na; (void)n; return iv_mono(clamp_lo(x[0], -1, 1), log1p, 1); }

ival r_expm1(const ival *x, int na, long n)
{ (void)na; (void)n; return iv_mono(x[0], expm1, 1); }

ival r_sqrt(const ival *x, int na, long n)
{ (void)na; (void)n; return iv_mono(clamp_lo(x[0], 0, 0), sqrt, 1); }

/* |a|: the even-power machinery with p = 1 would not do, so directly. */
ival iv_abs(ival a)
{
	if (a.lo >= 0)
		return a;
	if (a.hi <= 0)
		return iv_neg(a);
	double top = fmax(-a.lo, a.hi);
	int top_open = (-a.lo > a.hi) ? a.lo_open : (a.hi > -a.lo) ? a.hi_open : (a.lo_open && a.hi_open);
	return iv_open(0, a.nonzero, top, top_open);
}

ival r_abs(const ival *x, int na, long n)
{ (void)na; (void)n; return iv_abs(x[0]); }

ival r_square(const ival *x, int na, long n)
{ (void)na; (void)n; return iv_pow_const(x[0], 2); }

static double sigmoid(double v) { return v >= 0 ? 1 / (1 + exp(-v)) : exp(v) / (1 + exp(v)); }
static double softplus(double v) { return v > 0 ? v + log1p(exp(-v)) : log1p(exp(v)); }
static double log_sigmoid(double v) { return -softplus(-v); }

ival r_sigmoid(const ival *x, int na, long n)
{
	(void)na; (void)n;
	ival r = iv_mono(x[0], sigmoid, 1);
	r.nonzero = 1;
	/* exact 0 and 1 are never reached, even if the float rounds there */
	if (r.lo <= 0) { r.lo = 0; r.lo_open = 1; }
	if (r.hi >= 1) { r.hi = 1; r.hi_open = 1; }
	return r;
}

ival r_log_sigmoid(const ival *x, int na, long n)
{
	(void)na; (void)n;
	ival r = iv_mono(x[0], log_sigmoid, 1);
	if (r.hi >= 0) { r.hi = 0; r.hi_open = 1; }
	r.nonzero = 1;
	return r;
}

ival r_softplus(const ival *x, int na, long n)
{
	(void)na; (void)n;
	ival r = iv_mono(x[0], softplus, 1);
	if (r.lo <= 0) { r.lo = 0; r.lo_open = 1; }
	r.nonzero = 1;
	return r;
}

ival r_tanh(const ival *x, int na, long n)
{
	(void)na; (void)n;
	ival r = iv_mono(x[0], tanh, 1);
	if (r.lo <= -1) { r.lo = -1; r.lo_open = 1; }
	if (r.hi >= 1) { r.hi = 1; r.hi_open = 1; }
	return r;
}

ival r_relu(const ival *x, int na, long n)
{ (void)na; (void)n; return iv_max(x[0], iv_point(0)); }

/* Huber of a nonnegative magnitude v with threshold k: nondecreasing in v. */
static double huber_pos(double v, double k)
{
	return v <= k ? 0.5 * v * v : k * (v - 0.5 * k);
}

/* huber_elem(d, delta): delta is a constant (a point interval), > 0. */
ival r_huber(const ival *x, int na, long n)
{
	(void)na; (void)n;
	double k = x[1].lo;
	if (!(k > 0))
		k = 1;
	ival m = iv_abs(x[0]);
	return iv_open(huber_pos(m.lo, k), m.lo_open, isinf(m.hi) ? HUGE_VAL : huber_pos(m.hi, k), m.hi_open);
}

static double xlogx(double v) { return v == 0 ? 0 : v * log(v); }

ival r_xlogx(const ival *x, int na, long n)
{
	(void)na; (void)n;
	ival a = clamp_lo(x[0], 0, 0);
	double m = exp(-1.0);
	double flo = xlogx(a.lo), fhi = isinf(a.hi) ? HUGE_VAL : xlogx(a.hi);
	double lo = fmin(flo, fhi), hi = fmax(flo, fhi);
	if (iv_contains(a, m))
		lo = -m;
	return iv_make(lo, hi);
}

/* PyTorch's clamped logs, max(log(q), -100) and max(log1p(-q), -100), of
   q in [0, 1].  The second through log1p, as the evaluator and kernels
   compute it: log(1 - q) rounds 1 - 1e-30 to 1 and claims 0 where the
   value is -1e-30 (found by the agreement tests: bce(1e-30, 0) = 1e-30
   lay outside the interval [-3000, 0]). */
static ival clamped_log(ival q)
{
	ival l = iv_mono(clamp_lo(q, 0, 0), log, 1);
	return iv_max(l, iv_point(-100));
}

static ival clamped_log1m(ival q)
{
	ival m = clamp_lo(iv_neg(q), -1, 0);
	return iv_max(iv_mono(m, log1p, 1), iv_point(-100));
}

/*
 * bce_elem(q, t) = -(t log q + (1 - t) log(1 - q)), each log clamped at
 * -100.  For t in [0, 1] the value is a convex combination of the two
 * negated logs, so it lies between their extremes (in [0, 100] for q in
 * [0, 1]); otherwise interval arithmetic on the formula.
 */
ival r_bce(const ival *x, int na, long n)
{
	(void)na; (void)n;
	ival l1 = clamped_log(x[0]);
	ival l2 = clamped_log1m(x[0]);
	if (x[1].lo >= 0 && x[1].hi <= 1)
		return iv_make(fmin(-l1.hi, -l2.hi), fmax(-l1.lo, -l2.lo));
	return iv_neg(iv_add(iv_mul(x[1], l1), iv_mul(iv_sub(iv_point(1), x[1]), l2)));
}

ival r_neg(const ival *x, int na, long n) { (void)na; (void)n; return iv_neg(x[0]); }
ival r_add(const ival *x, int na, long n) { (void)na; (void)n; return iv_add(x[0], x[1]); }
ival r_sub(const ival *x, int na, long n) { (void)na; (void)n; return iv_sub(x[0], x[1]); }
ival r_mul(const ival *x, int na, long n) { (void)na; (void)n; return iv_mul(x[0], x[1]); }
ival r_div(const ival *x, int na, long n) { (void)na; (void)n; return iv_div(x[0], x[1]); }

ival r_pow(const ival *x, int na, long n)
{
	(void)na; (void)n;
	if (x[1].lo == x[1].hi && isfinite(x[1].lo))
		return iv_pow_const(x[0], x[1].lo);
	/* a^b = exp(b * log a), defined for a > 0 */
	ival one = r_log(&x[0], 1, 0);
	ival prod = iv_mul(x[1], one);
	return r_exp(&prod, 1, 0);
}

ival r_min(const ival *x, int na, long n) { (void)na; (void)n; return iv_min(x[0], x[1]); }
ival r_max(const ival *x, int na, long n) { (void)na; (void)n; return iv_max(x[0], x[1]); }

static double count(long n) { return n > 0 ? (double)n : 1.0; }
/* n times x for every n the length may be: OP_LEN_NAMED is [1, inf). */
static ival times_count(ival x, long n)
{
	return n == OP_LEN_NAMED ? iv_mul(x, iv_open(1, 0, HUGE_VAL, 1)) : iv_scale(x, count(n));
}
ival r_sum(const ival *x, int na, long n) { (void)na; return times_count(x[0], n); }
/* mean, max(v), min(v), v[y]: within the hull of the elements */
ival r_same(const ival *x, int na, long n) { (void)na; (void)n; return x[0]; }

ival r_vec(const ival *x, int na, long n)
{
	(void)n;
	ival r = x[0];
	for (int i = 1; i < na; i++)
		r = iv_hull(r, x[i]);
	return r;
}

ival r_logsumexp(const ival *x, int na, long n)
{
	(void)na;
	/* every element in [lo, hi]  =>  lse in [lo + log n, hi + log n] */
	ival r = x[0];
	if (n == OP_LEN_NAMED)          /* log n in [0, inf) */
		return iv_open(r.lo, r.lo_open, r.hi < HUGE_VAL ? HUGE_VAL : r.hi, 1);
	if (count(n) == 1)
		return r;
	/*
	 * log n is irrational and log() rounds it to nearest, so hi + log n
	 * may land an ulp below the true end; where the two cancel (elements
	 * at most -log 2, two of them) the end is 0 and no relative margin
	 * covers the 2e-17 the evaluator finds above it.  Each end steps one
	 * ulp outward, for log n and for the sum.
	 */
	double l = log(count(n));
	double lo = nextafter(r.lo + nextafter(l, -HUGE_VAL), -HUGE_VAL);
	double hi = nextafter(r.hi + nextafter(l, HUGE_VAL), HUGE_VAL);
	return iv_open(lo, r.lo_open, hi, r.hi_open);
}

ival r_norm1(const ival *x, int na, long n) { (void)na; return times_count(iv_abs(x[0]), n); }
ival r_norm2(const ival *x, int na, long n)
{
	(void)na;
	return n == OP_LEN_NAMED ? times_count(iv_abs(x[0]), n) : iv_scale(iv_abs(x[0]), sqrt(count(n)));
}
ival r_dot(const ival *x, int na, long n) { (void)na; return times_count(iv_mul(x[0], x[1]), n); }

/*
 * softmax over N elements that all lie in [lo, hi]: element i is smallest
 * when it sits at lo and all others at hi, so it lies in
 * [1/(1+(N-1)e^w), 1/(1+(N-1)e^-w)] with w = hi - lo.
 */
ival r_softmax(const ival *x, int na, long n)
{
	(void)na;
	if (n == OP_LEN_NAMED) {        /* 1 for one element, else anywhere in (0, 1) */
		ival r = iv_open(0, 1, 1, 0);
		r.nonzero = 1;
		return r;
	}
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

ival r_log_softmax(const ival *x, int na, long n)
{
	(void)na;
	if (n == OP_LEN_NAMED) {        /* 0 for one element, else anywhere below */
		ival r = iv_open(-HUGE_VAL, 1, 0, 0);
		return r;
	}
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

/* clamp is nondecreasing in each operand: the image of the corners */
ival r_clamp(const ival *x, int na, long n)
{
	(void)na;
	(void)n;
	ival r = iv_min(iv_max(x[0], x[1]), x[2]);
	return r;
}

ival r_cmp(const ival *x, int na, long n) { (void)x; (void)na; (void)n; return iv_make(0, 1); }

/* either side; only one when the condition is known */
ival r_where(const ival *x, int na, long n)
{
	(void)na;
	(void)n;
	if (x[0].lo > 0 || x[0].nonzero)
		return x[1];
	if (x[0].hi <= 0 && x[0].lo >= 0)
		return x[2];
	return iv_hull(x[1], x[2]);
}

ival r_onehot(const ival *x, int na, long n) { (void)x; (void)na; (void)n; return iv_make(0, 1); }

/* A double at or below (dir -1) / above (dir 1) the long double v. */
static double outward(long double v, int dir)
{
	double d = (double)v;
	if ((long double)d == v || isnan(d))
		return d;
	return nextafter(d, dir < 0 ? -HUGE_VAL : HUGE_VAL);
}

/*
 * The image of x under a monotone unary row, from its evaluator: the
 * ends map to the ends (MONO_SIGN: through |x|, the minimum at 0),
 * rounded outward unless exact, so the interval stays sound (a function
 * that is flat somewhere could reach an open end, so the ends are
 * closed).
 */
static ival monotone_image(const op_info *row, ival x)
{
	fn_mono m = row->mono[0];
	ival a = m == MONO_SIGN ? iv_abs(x) : x;
	long double lo = a.lo, hi = a.hi;
	long double flo = row->eval(&lo), fhi = row->eval(&hi);
	if (m == MONO_DEC) {
		long double t = flo;
		flo = fhi;
		fhi = t;
	}
	return iv_make(outward(flo, -1), outward(fhi, 1));     /* closed ends: the safe side */
}

ival ops_range(const op_info *row, const ival *args, int nargs, long n)
{
	if (row->range)
		return row->range(args, nargs, n);
	return monotone_image(row, args[0]);
}

/* ---- statistics over the batch (B >= 1 rows, B unknown) ---- */

/* a sum of any number of rows: bounded only on the side where every row is */
ival r_bsum(const ival *x, int na, long n)
{
	(void)na, (void)n;
	ival r = iv_all();
	if (x[0].lo >= 0) {
		r.lo = x[0].lo;
		r.lo_open = x[0].lo_open;
	}
	if (x[0].hi <= 0) {
		r.hi = x[0].hi;
		r.hi_open = x[0].hi_open;
	}
	return r;
}

/*
 * Rows in [lo, hi] have an unbiased variance of at most (hi - lo)^2 / 2:
 * the largest spread puts half the rows at each end, giving
 * (hi - lo)^2 / 4 * B / (B - 1), which is largest at B = 2.
 */
ival r_bvar(const ival *x, int na, long n)
{
	(void)na, (void)n;
	double w = x[0].hi - x[0].lo;
	return iv_make(0, isfinite(w) ? nextafter(w * w / 2, HUGE_VAL) : HUGE_VAL);
}

ival r_bstd(const ival *x, int na, long n)
{
	(void)na, (void)n;
	double w = x[0].hi - x[0].lo;
	return iv_make(0, isfinite(w) ? nextafter(w / sqrt(2.0), HUGE_VAL) : HUGE_VAL);
}

/* cdist: each element the norm of a difference of rows of n elements */
ival r_cdist(const ival *x, int na, long n)
{
	(void)na;
	ival d = r_sub(x, 2, n);
	return r_norm2(&d, 1, n);
}
