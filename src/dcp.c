/*
 * dcp.c: the curvature algebra (see dcp.h).
 */
#include "dcp.h"

#include <math.h>

int dcp_is_variable(const ir_node *n) { return n && n->curv != CURV_CONST; }

/* Structural equality, with a budget of nodes to visit: a DAG of shared
   lets printed as a tree can be exponential, and "not the same" is always
   a safe answer. */
static int same_within(const ir_node *a, const ir_node *b, long *budget)
{
	if (a == b)
		return 1;
	if (--*budget < 0 || a->op != b->op || a->type != b->type || a->nargs != b->nargs
	    || !shp_eq(&a->shape, &b->shape) || (a->type == IRT_CLASS && !shp_size_eq(a->classes, b->classes)))
		return 0;
	if (a->item || b->item)         /* an output, input or label: one name, one value */
		return a->item == b->item;
	if (a->op == IR_CONST) {
		if (!a->vals != !b->vals)
			return 0;
		if (!a->vals)
			return a->num == b->num;
		for (long i = 0; i < ir_len(a); i++)
			if (a->vals[i] != b->vals[i])
				return 0;
		return 1;
	}
	for (unsigned k = 0; k < a->nargs; k++)
		if (!same_within(a->args[k], b->args[k], budget))
			return 0;
	return 1;
}

int dcp_same_value(const ir_node *a, const ir_node *b)
{
	long budget = 4096;
	return same_within(a, b, &budget);
}

int dcp_is_int(double p) { return isfinite(p) && p == floor(p) && fabs(p) < 1e15; }

int dcp_is_convex(ir_curv c) { return c == CURV_CONST || c == CURV_AFFINE || c == CURV_CONVEX; }

fn_mono dcp_mono_at(const op_info *row, int i, const ir_node *arg)
{
	fn_mono m = i < OP_MAX_ARGS ? row->mono[i] : MONO_NONE;
	if (m == MONO_SIGN)
		return iv_nonneg(arg->iv) ? MONO_INC : iv_nonpos(arg->iv) ? MONO_DEC : MONO_NONE;
	return m;
}

ir_curv dcp_compose(ir_curv f, const ir_node *const *args, const fn_mono *mono, int nargs)
{
	int allc = 1, vex = (f == CURV_AFFINE || f == CURV_CONVEX), cave = (f == CURV_AFFINE || f == CURV_CONCAVE);
	for (int i = 0; i < nargs; i++) {
		ir_curv c = args[i]->curv;
		if (c == CURV_CONST)
			continue;
		allc = 0;
		int aff = c == CURV_AFFINE;
		if (!(aff || (mono[i] == MONO_INC && c == CURV_CONVEX) || (mono[i] == MONO_DEC && c == CURV_CONCAVE)))
			vex = 0;
		if (!(aff || (mono[i] == MONO_INC && c == CURV_CONCAVE) || (mono[i] == MONO_DEC && c == CURV_CONVEX)))
			cave = 0;
	}
	if (allc)
		return CURV_CONST;
	if (vex && cave)
		return CURV_AFFINE;
	return vex ? CURV_CONVEX : cave ? CURV_CONCAVE : CURV_UNKNOWN;
}

ir_curv dcp_scale(ir_curv c, ival k)
{
	if (c == CURV_CONST || c == CURV_AFFINE || c == CURV_UNKNOWN)
		return c;
	if (k.lo == 0 && k.hi == 0)
		return CURV_CONST;
	if (iv_nonneg(k))
		return c;
	if (iv_nonpos(k))
		return c == CURV_CONVEX ? CURV_CONCAVE : CURV_CONVEX;
	return CURV_UNKNOWN;
}

void dcp_pow_rule(double p, ival a, ir_curv *f, fn_mono *m)
{
	*f = CURV_UNKNOWN;
	*m = MONO_NONE;
	if (p == 1) { *f = CURV_AFFINE; *m = MONO_INC; return; }
	if (dcp_is_int(p) && p > 0) {
		long k = (long)p;
		if (k % 2 == 0) {
			*f = CURV_CONVEX;
			*m = iv_nonneg(a) ? MONO_INC : iv_nonpos(a) ? MONO_DEC : MONO_NONE;
		} else {
			*m = MONO_INC;
			*f = iv_nonneg(a) ? CURV_CONVEX : iv_nonpos(a) ? CURV_CONCAVE : CURV_UNKNOWN;
		}
		return;
	}
	if (p > 1) { *f = CURV_CONVEX; *m = MONO_INC; return; }       /* on x >= 0 */
	if (p > 0) { *f = CURV_CONCAVE; *m = MONO_INC; return; }      /* on x >= 0 */
	if (iv_positive(a)) { *f = CURV_CONVEX; *m = MONO_DEC; return; }
	if (dcp_is_int(p) && iv_negative(a)) {
		long k = (long)-p;
		*f = k % 2 == 0 ? CURV_CONVEX : CURV_CONCAVE;
		*m = k % 2 == 0 ? MONO_INC : MONO_DEC;
	}
}
