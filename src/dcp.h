/*
 * dcp.h: the curvature algebra of disciplined convex programming (as
 * CVXPY does it), over analyzed IR nodes.  The analyzer applies the
 * generic composition rule to every op; the few ops whose curvature
 * depends on their operands (x * y, x / y, x ^ p, dot) have rules in
 * ops_rules.c built from the same pieces.
 *
 * Pure functions; nothing allocated.
 */
#ifndef LOSSC_DCP_H
#define LOSSC_DCP_H

#include "ir.h"
#include "ops.h"

/* Does n depend on an output? (its curvature is not CURV_CONST) */
int dcp_is_variable(const ir_node *n);
/* The same value: one node, two uses of the same output/input/label, or
   two nodes that compute the same expression of them ((u - t) * (u - t)). */
int dcp_same_value(const ir_node *a, const ir_node *b);
/* p is an integer (and small enough to be one in a double). */
int dcp_is_int(double p);
/* c is convex or better (constant, affine). */
int dcp_is_convex(ir_curv c);

/* Monotonicity of a row in operand i, the sign-dependent case settled
   by the operand's interval. */
fn_mono dcp_mono_at(const op_info *row, int i, const ir_node *arg);

/* The composition rule for f(args): f convex and each argument affine,
   or convex where f is nondecreasing in it, or concave where f is
   nonincreasing in it (and the mirror image for concave f). */
ir_curv dcp_compose(ir_curv f, const ir_node *const *args, const fn_mono *mono, int nargs);

/* c times a constant whose interval is k. */
ir_curv dcp_scale(ir_curv c, ival k);

/* Curvature and monotonicity of x^p as a function of x over the interval
   a (CVXPY's power atom, extended to odd integer powers by sign). */
void dcp_pow_rule(double p, ival a, ir_curv *f, fn_mono *m);

#endif
