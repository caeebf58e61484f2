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
 * A loss with named sizes (`size D;`, `real[D]`) is searched at bound
 * sizes (witness_sized): a claim is meant for every binding, so a witness
 * at one binding refutes it, and the finding names the sizes.  Values with
 * per-batch shapes (matrices, batch statistics) get no witness: the
 * evaluator would see them at one batch size only.
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

/* One of the searches above (or the analyzer's own sampler). */
typedef int witness_search(const ir_loss *l, char *buf, size_t size);

/* Runs search on l; for a loss with named sizes, on copies of it at bound
   sizes (ir_bind), in this order until one finds a witness: every size at
   its smallest (1, or what a constant index needs: max(z) - z[0] is 0 at
   D = 1), each one more, each different in both orders (D < L, D > L: a
   value may compare two sizes), each 3 more, each 8 more (a sum of D
   bounded terms may pass a constant only at larger D).  The searches
   check their witness at the bound sizes, by evaluation.  On success
   writes the witness into buf, the binding into sizes ("D = 2, L = 3";
   "" without sizes) and returns 1. */
int witness_sized(const ir_loss *l, witness_search *search, char *buf, size_t size, char *sizes, size_t ssize);

#endif
