/*
 * interval.c: interval arithmetic for the range analysis (see interval.h).
 *
 * Soundness first: every result contains every value the operation can
 * produce from members of its operands.  Open ends are tracked so that
 * "exp(x) > 0" and "softmax in (0, 1)" survive into log's domain check;
 * where tracking an end exactly would cost much, the end is closed
 * (closed is the safe direction: it only adds a point).
 */
#include "interval.h"

#include <math.h>
#include <stdio.h>

ival iv_open(double lo, int lo_open, double hi, int hi_open)
{
	ival r;
	r.lo = lo == 0 ? 0.0 : lo;      /* no -0 in messages */
	r.hi = hi == 0 ? 0.0 : hi;
	r.lo_open = (unsigned char)(lo_open || isinf(lo));
	r.hi_open = (unsigned char)(hi_open || isinf(hi));
	r.nonzero = 0;
	if (lo > 0 || (lo == 0 && r.lo_open) || hi < 0 || (hi == 0 && r.hi_open))
		r.nonzero = 1;
	return r;
}

ival iv_make(double lo, double hi) { return iv_open(lo, 0, hi, 0); }
ival iv_all(void) { return iv_open(-HUGE_VAL, 1, HUGE_VAL, 1); }
ival iv_point(double v) { return iv_make(v, v); }

int iv_is_bounded(ival a) { return isfinite(a.lo) && isfinite(a.hi); }

int iv_contains(ival a, double v)
{
	if (v == 0 && a.nonzero)
		return 0;
	if (v < a.lo || (v == a.lo && a.lo_open))
		return 0;
	if (v > a.hi || (v == a.hi && a.hi_open))
		return 0;
	return 1;
}

int iv_may_be_zero(ival a) { return iv_contains(a, 0); }
int iv_nonneg(ival a) { return a.lo >= 0; }
int iv_nonpos(ival a) { return a.hi <= 0; }
int iv_positive(ival a) { return a.lo > 0 || (a.lo == 0 && a.lo_open); }
int iv_negative(ival a) { return a.hi < 0 || (a.hi == 0 && a.hi_open); }

ival iv_hull(ival a, ival b)
{
	ival r;
	if (a.lo < b.lo) { r.lo = a.lo; r.lo_open = a.lo_open; }
	else if (b.lo < a.lo) { r.lo = b.lo; r.lo_open = b.lo_open; }
	else { r.lo = a.lo; r.lo_open = a.lo_open && b.lo_open; }
	if (a.hi > b.hi) { r.hi = a.hi; r.hi_open = a.hi_open; }
	else if (b.hi > a.hi) { r.hi = b.hi; r.hi_open = b.hi_open; }
	else { r.hi = a.hi; r.hi_open = a.hi_open && b.hi_open; }
	r.nonzero = a.nonzero && b.nonzero;
	if (!r.nonzero) {
		ival t = iv_open(r.lo, r.lo_open, r.hi, r.hi_open);
		r.nonzero = t.nonzero;
	}
	return r;
}

ival iv_neg(ival a)
{
	ival r = iv_open(-a.hi, a.hi_open, -a.lo, a.lo_open);
	r.nonzero |= a.nonzero;
	return r;
}

/* x + y where either may be infinite; inf + -inf cannot occur between a
   lower end and a lower end. */
ival iv_add(ival a, ival b)
{
	return iv_open(a.lo + b.lo, a.lo_open || b.lo_open, a.hi + b.hi, a.hi_open || b.hi_open);
}

ival iv_sub(ival a, ival b) { return iv_add(a, iv_neg(b)); }

/* One corner product of interval multiplication.  0 * inf is 0 here: the
   infinite end is never attained, and values near it times 0 are 0. */
typedef struct corner {
	double v;
	int open;
} corner;

static corner mul_corner(double x, int xo, double y, int yo)
{
	corner c;
	if (x == 0 || y == 0) {
		c.v = 0;
		c.open = (x == 0 && xo) || (y == 0 && yo);
		/* a closed zero end times anything is attained */
		if ((x == 0 && !xo) || (y == 0 && !yo))
			c.open = 0;
		return c;
	}
	c.v = x * y;
	c.open = xo || yo || isinf(c.v);
	return c;
}

static ival from_corners(const corner *c, int nc)
{
	double lo = c[0].v, hi = c[0].v;
	int lo_open = c[0].open, hi_open = c[0].open;
	for (int i = 1; i < nc; i++) {
		if (c[i].v < lo || (c[i].v == lo && !c[i].open)) {
			lo_open = (c[i].v == lo) ? (lo_open && c[i].open) : c[i].open;
			lo = c[i].v;
		}
		if (c[i].v > hi || (c[i].v == hi && !c[i].open)) {
			hi_open = (c[i].v == hi) ? (hi_open && c[i].open) : c[i].open;
			hi = c[i].v;
		}
	}
	return iv_open(lo, lo_open, hi, hi_open);
}

ival iv_mul(ival a, ival b)
{
	corner c[4];
	c[0] = mul_corner(a.lo, a.lo_open, b.lo, b.lo_open);
	c[1] = mul_corner(a.lo, a.lo_open, b.hi, b.hi_open);
	c[2] = mul_corner(a.hi, a.hi_open, b.lo, b.lo_open);
	c[3] = mul_corner(a.hi, a.hi_open, b.hi, b.hi_open);
	ival r = from_corners(c, 4);
	/* A zero end that is open in a factor can still be reached through
	   interior zeros of the other: only trust nonzero from the factors. */
	if (a.nonzero && b.nonzero)
		r.nonzero = 1;
	else if (iv_may_be_zero(a) || iv_may_be_zero(b)) {
		r.nonzero = 0;
		if (r.lo > 0) { r.lo = 0; r.lo_open = 0; }
		if (r.hi < 0) { r.hi = 0; r.hi_open = 0; }
		if (r.lo == 0) r.lo_open = 0;
		if (r.hi == 0) r.hi_open = 0;
	}
	return r;
}

/* 1/b for b that excludes 0. */
static ival iv_recip(ival b)
{
	if (iv_positive(b) || iv_negative(b)) {
		/* b inside (0, inf) or (-inf, 0): reciprocal is decreasing */
		double lo = (b.hi == 0) ? -HUGE_VAL : 1.0 / b.hi;
		double hi = (b.lo == 0) ? HUGE_VAL : 1.0 / b.lo;
		int lo_open = b.hi_open || b.hi == 0 || isinf(b.hi);
		int hi_open = b.lo_open || b.lo == 0 || isinf(b.lo);
		if (isinf(b.hi)) lo = 0;
		if (isinf(b.lo)) hi = 0;
		if (iv_positive(b) && isinf(b.hi)) { lo = 0; lo_open = 1; }
		if (iv_negative(b) && isinf(b.lo)) { hi = 0; hi_open = 1; }
		ival r = iv_open(lo, lo_open, hi, hi_open);
		r.nonzero = 1;
		return r;
	}
	/* b straddles 0 but excludes it (a sign label): 1/b lies in
	   (-inf, 1/lo] u [1/hi, inf); the hull is everything, minus 0. */
	ival r = iv_all();
	r.nonzero = 1;
	return r;
}

ival iv_div(ival a, ival b)
{
	if (iv_may_be_zero(b))
		return iv_all();
	ival r = iv_mul(a, iv_recip(b));
	if (a.nonzero)
		r.nonzero = 1;
	return r;
}

ival iv_scale(ival a, double k) { return iv_mul(a, iv_point(k)); }

ival iv_min(ival a, ival b)
{
	ival r;
	if (a.lo < b.lo || (a.lo == b.lo && !a.lo_open)) { r.lo = a.lo; r.lo_open = a.lo_open; }
	else { r.lo = b.lo; r.lo_open = b.lo_open; }
	if (a.hi < b.hi || (a.hi == b.hi && a.hi_open)) { r.hi = a.hi; r.hi_open = a.hi_open; }
	else { r.hi = b.hi; r.hi_open = b.hi_open; }
	ival t = iv_open(r.lo, r.lo_open, r.hi, r.hi_open);
	t.nonzero |= a.nonzero && b.nonzero;
	return t;
}

ival iv_max(ival a, ival b) { return iv_neg(iv_min(iv_neg(a), iv_neg(b))); }

ival iv_mono(ival a, double (*f)(double), int inc)
{
	double x = f(a.lo), y = f(a.hi);
	if (inc)
		return iv_open(x, a.lo_open, y, a.hi_open);
	return iv_open(y, a.hi_open, x, a.lo_open);
}

static int is_int(double p) { return isfinite(p) && p == floor(p) && fabs(p) < 1e15; }

ival iv_pow_const(ival a, double p)
{
	if (p == 0)
		return iv_point(1);
	if (p == 1)
		return a;
	if (is_int(p)) {
		long k = (long)p;
		if (k > 0 && k % 2 == 0) {
			/* even power: like square, via |a| */
			ival m;
			if (a.lo >= 0) m = a;
			else if (a.hi <= 0) m = iv_neg(a);
			else {
				double top = fmax(-a.lo, a.hi);
				int top_open = (-a.lo > a.hi) ? a.lo_open : (a.hi > -a.lo) ? a.hi_open
					: (a.lo_open && a.hi_open);
				m = iv_open(0, a.nonzero, top, top_open);
			}
			return iv_open(pow(m.lo, p), m.lo_open, pow(m.hi, p), m.hi_open);
		}
		if (k > 0)      /* odd: increasing everywhere */
			return iv_open(pow(a.lo, p), a.lo_open, pow(a.hi, p), a.hi_open);
		/* negative integer power: 1 / a^|k| */
		ival d = iv_pow_const(a, -p);
		ival one = iv_point(1);
		return iv_div(one, d);
	}
	/* non-integer exponent: defined for a >= 0 (a > 0 when p < 0) */
	ival b = a;
	if (b.lo < 0) { b.lo = 0; b.lo_open = 0; }
	if (b.hi < 0) return iv_make(0, 0);
	if (p > 0)
		return iv_open(pow(b.lo, p), b.lo_open, pow(b.hi, p), b.hi_open);
	if (b.lo == 0)
		return iv_open(pow(b.hi, p), b.hi_open, HUGE_VAL, 1);
	return iv_open(pow(b.hi, p), b.hi_open, pow(b.lo, p), b.lo_open);
}

static int num_str(double v, char *buf, unsigned long size)
{
	if (isinf(v))
		return snprintf(buf, size, "%sinf", v < 0 ? "-" : "");
	return snprintf(buf, size, "%.6g", v);
}

char *iv_str(ival a, char *buf, unsigned long size)
{
	char lo[32], hi[32];
	num_str(a.lo, lo, sizeof lo);
	num_str(a.hi, hi, sizeof hi);
	if (a.lo == a.hi && !a.lo_open)
		snprintf(buf, size, "[%s, %s]", lo, hi);
	else
		snprintf(buf, size, "%c%s, %s%c", a.lo_open ? '(' : '[', lo, hi, a.hi_open ? ')' : ']');
	return buf;
}

ival iv_meet(ival a, ival b)
{
	ival r = a;
	if (b.lo > r.lo || (b.lo == r.lo && b.lo_open)) {
		r.lo = b.lo;
		r.lo_open = b.lo_open;
	}
	if (b.hi < r.hi || (b.hi == r.hi && b.hi_open)) {
		r.hi = b.hi;
		r.hi_open = b.hi_open;
	}
	if (r.hi < r.lo)        /* cannot happen for sound inputs; stay non-empty */
		return a;
	r.nonzero = a.nonzero || b.nonzero || iv_open(r.lo, r.lo_open, r.hi, r.hi_open).nonzero;
	return r;
}
