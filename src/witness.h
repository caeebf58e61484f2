/*
 * witness.h: counterexamples to claims, found by search and checked by
 * evaluation (the in-process evaluator, ireval.h, in long double).
 *
 * The analyzer proves claims from the rows; where it cannot, a claim may
 * still be true, so a finding says "false" only with a witness that a
 * reader can check: a point where the slope really jumps (smooth), two
 * points whose midpoint lies above their chord (convex), a ray along which
 * a convex value really grows (bounded).  Every witness is verified with
 * a margin far above rounding in the terms (long double has about 19
 * digits; the margins allow for 13 of them to be lost), so a true claim is
 * never called false.  The searches are bounded; finding nothing proves
 * nothing, and the finding then says it cannot prove the claim.
 *
 * Values with per-batch shapes or named sizes (v2) get no witness: the
 * evaluator would see them at one size only.
 */
#ifndef LOSSC_WITNESS_H
#define LOSSC_WITNESS_H

#include <stddef.h>

#include "ir.h"

/* A point where l's value (analyzed) is not continuously differentiable
   in the outputs: its slope along one output element jumps, grows without
   bound, or the value itself jumps.  On success writes "at u = 0, ts = 0
   the slope in u jumps from 1 to 2" into buf and returns 1. */
int witness_kink(const ir_loss *l, char *buf, size_t size);

/* A point where l's value is below 0 by more than rounding, each element
   drawn on its own (analyze.c's first search gives each name one value
   for all its elements). */
int witness_negative(const ir_loss *l, char *buf, size_t size);

/* Two points x, y of the outputs (the data fixed) with
   f((x + y) / 2) > (f(x) + f(y)) / 2: the value is not convex. */
int witness_nonconvex(const ir_loss *l, char *buf, size_t size);

/* For a value the composition rules prove convex (or concave): a ray of
   the outputs inside the declared ranges along which the value strictly
   increases (decreases) between two points, so it grows without bound. */
int witness_unbounded(const ir_loss *l, char *buf, size_t size);

#endif
