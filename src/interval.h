/*
 * interval.h: closed/open real intervals for the range and sign analysis.
 *
 * An ival is the set {x : lo <(=) x <(=) hi}, each end open or closed;
 * -HUGE_VAL / HUGE_VAL stand for an unbounded end (always open).  The
 * `nonzero` flag records that 0 is excluded even when lo <= 0 <= hi (a
 * `sign` label is -1 or +1, never 0), so division by it is safe.  An
 * interval is always a sound over-approximation: the true value set lies
 * inside it, never the other way round.  An empty interval never arises
 * (every operation here maps non-empty inputs to non-empty outputs).
 *
 * Owned by the math module.  Plain values, no allocation.
 */
#ifndef LOSSC_INTERVAL_H
#define LOSSC_INTERVAL_H

typedef struct ival {
	double lo, hi;
	unsigned char lo_open, hi_open;   /* 1: the end itself is excluded */
	unsigned char nonzero;            /* 1: 0 is not in the set */
} ival;

ival iv_make(double lo, double hi);                 /* [lo, hi] */
ival iv_open(double lo, int lo_open, double hi, int hi_open);
ival iv_all(void);                                  /* (-inf, inf) */
ival iv_point(double v);                            /* [v, v] */

int iv_is_bounded(ival a);                          /* both ends finite */
int iv_contains(ival a, double v);                  /* v in the set */
int iv_may_be_zero(ival a);
int iv_nonneg(ival a);                              /* every x >= 0 */
int iv_nonpos(ival a);
int iv_positive(ival a);                            /* every x > 0 */
int iv_negative(ival a);

ival iv_hull(ival a, ival b);                       /* smallest interval holding both */
ival iv_meet(ival a, ival b);                       /* both at once (a when they are disjoint) */
ival iv_neg(ival a);
ival iv_add(ival a, ival b);
ival iv_sub(ival a, ival b);
ival iv_mul(ival a, ival b);
ival iv_div(ival a, ival b);                        /* (-inf, inf) when b may be 0 */
ival iv_scale(ival a, double k);                    /* a * k for a constant k */
ival iv_min(ival a, ival b);                        /* elementwise min of members */
ival iv_max(ival a, ival b);
/* The image of a under a monotone function f (inc: nondecreasing). */
ival iv_mono(ival a, double (*f)(double), int inc);
/* a^p for a constant exponent p (integer or not; the part of a outside
   the real domain of x^p is ignored). */
ival iv_pow_const(ival a, double p);

/* "[0, 1]", "(0, inf)", "(-inf, 0]" into buf; returns buf. */
char *iv_str(ival a, char *buf, unsigned long size);

#endif
