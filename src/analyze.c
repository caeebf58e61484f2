/*
 * analyze.c: the math analyzer (see analyze.h).
 *
 * Three passes per loss:
 *   1. ir_lower type-checks and lowers the value (LS301/302/306/307);
 *   2. on the IR: intervals, curvature and kinks for every node
 *      (analyze_loss), then the domain and overflow checks (LS303-305,
 *      LS405) and the claims (LS501-504);
 *   3. on the AST: the unstable spellings (LS401-404), because a fix must
 *      rewrite the text the user wrote, not our expansion of it.
 */
#include "analyze.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "funcs.h"

/* ---- per-node analysis ------------------------------------------------- */

static ival leaf_interval(const ir_node *n)
{
	const ast_item *it = n->item;
	if (n->op == IR_CONST) {
		if (!n->vals)
			return iv_point(n->num);
		ival r = iv_point(n->vals[0]);
		for (long i = 1; i < n->n; i++)
			r = iv_hull(r, iv_point(n->vals[i]));
		return r;
	}
	if (it && it->range.present)
		return iv_make(it->range.lo, it->range.hi);
	if (it) {
		switch (it->type.kind) {
		case TY_CLASS: return iv_make(0, (double)(it->type.dim > 0 ? it->type.dim - 1 : 0));
		case TY_PROB: return iv_make(0, 1);
		case TY_BINARY: return iv_make(0, 1);
		case TY_SIGN: { ival r = iv_make(-1, 1); r.nonzero = 1; return r; }
		case TY_REAL: break;
		}
	}
	return iv_all();
}

static int is_variable(const ir_node *n) { return n && n->curv != CURV_CONST; }

/* Monotonicity of a table row in argument i, with the sign-dependent
   case settled by the argument's interval. */
static fn_mono mono_at(const fn_info *fi, int i, const ir_node *arg)
{
	fn_mono m = fi->mono[i];
	if (m == MONO_SIGN)
		return iv_nonneg(arg->iv) ? MONO_INC : iv_nonpos(arg->iv) ? MONO_DEC : MONO_NONE;
	return m;
}

static int curv_is_convex(ir_curv c) { return c == CURV_CONST || c == CURV_AFFINE || c == CURV_CONVEX; }

/* The disciplined-convex composition rule for f(args). */
static ir_curv dcp(ir_curv f, const ir_node **args, const fn_mono *mono, int nargs)
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

/* c times a constant whose interval is k. */
static ir_curv scale_curv(ir_curv c, ival k)
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

static int is_int(double p) { return isfinite(p) && p == floor(p) && fabs(p) < 1e15; }

/* Curvature and monotonicity of x^p as a function of x over the interval a
   (CVXPY's power atom, extended to odd integer powers by sign). */
static void pow_rule(double p, ival a, ir_curv *f, fn_mono *m)
{
	*f = CURV_UNKNOWN;
	*m = MONO_NONE;
	if (p == 1) { *f = CURV_AFFINE; *m = MONO_INC; return; }
	if (is_int(p) && p > 0) {
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
	if (is_int(p) && iv_negative(a)) {
		long k = (long)-p;
		*f = k % 2 == 0 ? CURV_CONVEX : CURV_CONCAVE;
		*m = k % 2 == 0 ? MONO_INC : MONO_DEC;
	}
}

/* Does this node itself (not its operands) break continuous
   differentiability in the outputs?  Only non-constant operands count. */
static int own_kink(const ir_node *n)
{
	if (n->curv == CURV_CONST)
		return 0;
	const fn_info *fi = funcs_for_op(n->op);
	if (n->op == IR_DIV)
		return is_variable(n->b) && iv_may_be_zero(n->b->iv);
	if (n->op == IR_POW) {
		if (n->b->op != IR_CONST || n->b->vals)
			return 0;
		double p = n->b->num;
		return !is_int(p) && p < 1 && is_variable(n->a) && iv_contains(n->a->iv, 0);
	}
	if (!fi)
		return 0;
	switch (fi->smooth) {
	case SM_KINK_AT_ZERO:
		return is_variable(n->a) && iv_contains(n->a->iv, 0);
	case SM_EDGE:
		return is_variable(n->a) && fi->domain.code && iv_contains(n->a->iv, fi->domain.lo);
	case SM_KINK_AT_TIE:
		if (n->b) {
			ival x = n->a->iv, y = n->b->iv;
			return (is_variable(n->a) || is_variable(n->b)) && !(x.hi < y.lo || y.hi < x.lo);
		}
		return is_variable(n->a) && n->a->n > 1;
	default:
		return 0;
	}
}

/* The same value: one node, or two uses of the same output/input/label. */
static int same_value(const ir_node *a, const ir_node *b)
{
	if (a == b)
		return 1;
	return a->op == b->op && a->item && a->item == b->item
	       && (a->op == IR_OUTPUT || a->op == IR_INPUT || a->op == IR_LABEL);
}

static void analyze_node(ir_node *n)
{
	const fn_info *fi = funcs_for_op(n->op);
	n->kink = 0;
	switch (n->op) {
	case IR_CONST: case IR_INPUT: case IR_LABEL:
		n->iv = leaf_interval(n);
		n->curv = CURV_CONST;
		return;
	case IR_OUTPUT:
		n->iv = leaf_interval(n);
		n->curv = CURV_AFFINE;
		return;
	case IR_VEC: {
		ir_curv c = CURV_CONST;
		fn_mono inc = MONO_INC;
		n->iv = n->elems[0]->iv;
		for (size_t i = 0; i < n->nelems; i++) {
			const ir_node *e = n->elems[i];
			if (i) n->iv = iv_hull(n->iv, e->iv);
			/* a vector is convex (concave) when every element is */
			const ir_node *pair[2];
			fn_mono m[2] = { inc, inc };
			ir_node acc;
			memset(&acc, 0, sizeof acc);
			acc.curv = c;
			pair[0] = &acc;
			pair[1] = e;
			c = dcp(CURV_AFFINE, pair, m, 2);
			n->kink |= e->kink;
		}
		n->curv = c;
		return;
	}
	case IR_INDEX:
		n->iv = n->a->iv;
		n->curv = n->a->curv;
		n->kink = n->a->kink;
		return;
	case IR_ONEHOT:
		n->iv = iv_make(0, 1);
		n->curv = CURV_CONST;
		return;
	default:
		break;
	}

	/* interval from the table */
	ival args[2];
	int nargs = n->b ? 2 : 1;
	args[0] = n->a->iv;
	if (n->b) args[1] = n->b->iv;
	n->iv = fi && fi->range ? fi->range(args, nargs, n->a->n, n->num) : iv_all();
	/* x * x is a square: interval arithmetic alone would let the two
	   factors vary independently ([-1, 1] * [-1, 1] = [-1, 1]) */
	int self_square = n->op == IR_MUL && same_value(n->a, n->b);
	if (self_square)
		n->iv = iv_pow_const(n->a->iv, 2);
	/* a log that bce expanded is PyTorch's clamped log: >= -100 */
	if (n->op == IR_LOG && n->fn && !strcmp(n->fn->name, "bce") && n->iv.lo < -100) {
		n->iv.lo = -100;
		n->iv.lo_open = 0;
		if (n->iv.hi < -100) n->iv.hi = -100;
	}

	/* curvature */
	const ir_node *ops[2] = { n->a, n->b };
	fn_mono m[2] = { MONO_NONE, MONO_NONE };
	if (!is_variable(n->a) && (!n->b || !is_variable(n->b))) {
		n->curv = CURV_CONST;
	} else if (self_square) {
		const fn_info *sq = funcs_for_op(IR_SQUARE);
		m[0] = mono_at(sq, 0, n->a);
		n->curv = dcp(sq->curv, ops, m, 1);
	} else if (n->op == IR_MUL || n->op == IR_DOT) {
		if (!is_variable(n->a))
			n->curv = scale_curv(n->b->curv, n->a->iv);
		else if (!is_variable(n->b))
			n->curv = scale_curv(n->a->curv, n->b->iv);
		else
			n->curv = CURV_UNKNOWN;
	} else if (n->op == IR_DIV) {
		if (!is_variable(n->b)) {
			n->curv = iv_may_be_zero(n->b->iv) ? CURV_UNKNOWN : scale_curv(n->a->curv, n->b->iv);
		} else if (!is_variable(n->a)) {
			ir_curv f;
			fn_mono mm;
			pow_rule(-1, n->b->iv, &f, &mm);
			ir_node inv;
			memset(&inv, 0, sizeof inv);
			const ir_node *one[1] = { n->b };
			inv.curv = f == CURV_UNKNOWN ? CURV_UNKNOWN : dcp(f, one, &mm, 1);
			n->curv = scale_curv(inv.curv, n->a->iv);
		} else {
			n->curv = CURV_UNKNOWN;
		}
	} else if (n->op == IR_POW) {
		if (n->b->op == IR_CONST && !n->b->vals) {
			ir_curv f;
			fn_mono mm;
			pow_rule(n->b->num, n->a->iv, &f, &mm);
			n->curv = f == CURV_UNKNOWN ? CURV_UNKNOWN : dcp(f, ops, &mm, 1);
		} else {
			n->curv = CURV_UNKNOWN;
		}
	} else if (fi) {
		for (int i = 0; i < nargs; i++)
			m[i] = mono_at(fi, i, ops[i]);
		n->curv = dcp(fi->curv, ops, m, nargs);
	} else {
		n->curv = CURV_UNKNOWN;
	}

	n->kink = n->a->kink || (n->b && n->b->kink);
	if (n->curv != CURV_CONST && own_kink(n))
		n->kink = 1;
	if (n->curv == CURV_CONST)
		n->kink = 0;
}

void analyze_loss(ir_loss *l)
{
	if (!l->root)
		return;
	for (size_t i = 0; i < l->nnodes; i++) {
		analyze_node(l->nodes[i]);
		l->nodes[i]->analyzed = 1;
	}
}

/* ---- findings on the IR ------------------------------------------------ */

typedef struct actx {
	ast_file *f;
	diag_list *diags;
	ir_loss *l;
	/* (span, code) already reported: an expansion can hold two logs at one span */
	struct { span sp; const char *code; } seen[64];
	int nseen;
} actx;

static int once(actx *a, span sp, const char *code)
{
	for (int i = 0; i < a->nseen; i++)
		if (a->seen[i].sp.start == sp.start && a->seen[i].sp.end == sp.end && !strcmp(a->seen[i].code, code))
			return 0;
	if (a->nseen < 64) {
		a->seen[a->nseen].sp = sp;
		a->seen[a->nseen].code = code;
		a->nseen++;
	}
	return 1;
}

/* An expression for a message: long ones (a DAG of lets printed as a
   tree can be huge) are cut to 80 bytes, ending in "...". */
static char *expr_str(const ir_node *n, char *buf, size_t size)
{
	return ir_to_string(n, buf, size < 81 ? size : 81);
}

static void domain_checks(actx *a)
{
	char e[256], iv[64];
	double lim = a->l->precision == PREC_FLOAT64 ? log(DBL_MAX) : log(FLT_MAX);
	for (size_t i = 0; i < a->l->nnodes; i++) {
		ir_node *n = a->l->nodes[i];
		const ir_node *x = n->a;
		switch (n->op) {
		case IR_LOG: {
			int bce = n->fn && !strcmp(n->fn->name, "bce");
			int bad = bce ? x->iv.lo < 0 : !iv_positive(x->iv);
			if (bad && once(a, n->span, "LS303"))
				diag_code(a->diags, a->f->src, n->span, "LS303",
					  "log of a value that may be %s%s: %s is in %s", bce ? "negative" : "zero or negative",
					  bce ? " (inside bce, which takes log(p) and log(1 - p))" : "",
					  expr_str(x, e, sizeof e), iv_str(x->iv, iv, sizeof iv));
			break;
		}
		case IR_LOG1P:
			if (iv_contains(x->iv, -1) || x->iv.lo < -1)
				if (once(a, n->span, "LS303"))
					diag_code(a->diags, a->f->src, n->span, "LS303",
						  "log1p of a value that may be <= -1: %s is in %s",
						  expr_str(x, e, sizeof e), iv_str(x->iv, iv, sizeof iv));
			break;
		case IR_XLOGX:
			if (x->iv.lo < 0 && once(a, n->span, "LS303"))
				diag_code(a->diags, a->f->src, n->span, "LS303",
					  "log of a value that may be negative (inside kl_div, which takes p * log(p)): %s is in %s",
					  expr_str(x, e, sizeof e), iv_str(x->iv, iv, sizeof iv));
			break;
		case IR_SQRT:
			if (x->iv.lo < 0 && once(a, n->span, "LS304"))
				diag_code(a->diags, a->f->src, n->span, "LS304",
					  "sqrt of a value that may be negative: %s is in %s",
					  expr_str(x, e, sizeof e), iv_str(x->iv, iv, sizeof iv));
			break;
		case IR_DIV:
			if (iv_may_be_zero(n->b->iv) && once(a, n->span, "LS305"))
				diag_code(a->diags, a->f->src, n->span, "LS305",
					  "division by a value that may be zero: %s is in %s",
					  expr_str(n->b, e, sizeof e), iv_str(n->b->iv, iv, sizeof iv));
			break;
		case IR_POW:
			if (n->b->op == IR_CONST && !n->b->vals) {
				double p = n->b->num;
				if (!is_int(p) && x->iv.lo < 0 && once(a, n->span, "LS304"))
					diag_code(a->diags, a->f->src, n->span, "LS304",
						  "fractional power of a value that may be negative: %s is in %s",
						  expr_str(x, e, sizeof e), iv_str(x->iv, iv, sizeof iv));
				else if (p < 0 && iv_may_be_zero(x->iv) && once(a, n->span, "LS305"))
					diag_code(a->diags, a->f->src, n->span, "LS305",
						  "negative power of a value that may be zero (a division by zero): %s is in %s",
						  expr_str(x, e, sizeof e), iv_str(x->iv, iv, sizeof iv));
			}
			break;
		case IR_EXP: case IR_EXPM1:
			if (x->iv.hi > lim && once(a, n->span, "LS405"))
				diag_code(a->diags, a->f->src, n->span, "LS405",
					  "exp overflows %s above %.1f, and %s %s", ast_precision_name(a->l->precision), lim,
					  expr_str(x, e, sizeof e),
					  isinf(x->iv.hi) ? "has no upper bound" : (snprintf(iv, sizeof iv, "can reach %g", x->iv.hi), iv));
			break;
		default:
			break;
		}
	}
}

/* ---- claims ------------------------------------------------------------ */

/* The smallest sub-expression that carries a negative part: go down
   through operations that keep nonnegative operands nonnegative. */
static const ir_node *neg_culprit(const ir_node *n)
{
	for (;;) {
		const ir_node *next = NULL;
		switch (n->op) {
		case IR_ADD: case IR_SUM: case IR_MEAN: case IR_INDEX: case IR_VMAX: case IR_VMIN:
		case IR_MAX: case IR_MIN: case IR_EXPM1: case IR_TANH:
			if (n->a->iv.lo < 0) next = n->a;
			else if (n->b && n->op != IR_INDEX && n->b->iv.lo < 0) next = n->b;
			break;
		case IR_MUL: case IR_DIV:
			/* both factors of one sign or the other: blame the mixed one */
			if (n->a->iv.lo < 0 && n->a->iv.hi > 0) next = n->a;
			else if (n->b->iv.lo < 0 && n->b->iv.hi > 0) next = n->b;
			break;
		default:
			break;
		}
		if (!next || next->op == IR_CONST)
			return n;
		n = next;
	}
}

static const ir_node *unbounded_culprit(const ir_node *n)
{
	for (;;) {
		const ir_node *next = NULL;
		if (n->a && n->a->op != IR_LABEL && !iv_is_bounded(n->a->iv)) next = n->a;
		else if (n->b && !iv_is_bounded(n->b->iv)) next = n->b;
		else
			for (size_t i = 0; i < n->nelems && !next; i++)
				if (!iv_is_bounded(n->elems[i]->iv)) next = n->elems[i];
		if (!next)
			return n;
		n = next;
	}
}

static const ir_node *kink_culprit(const ir_loss *l)
{
	for (size_t i = 0; i < l->nnodes; i++)
		if (l->nodes[i]->curv != CURV_CONST && own_kink(l->nodes[i]))
			return l->nodes[i];
	return NULL;
}

/*
 * Why is n not `want` (CURV_CONVEX or CURV_CONCAVE)?  A node whose own
 * curvature is the opposite one is the answer ("-sum(square(s)) is
 * concave"); a node of unknown curvature passes the blame to an operand
 * that broke the composition rule, or keeps it when the rule itself
 * fails (a product of two outputs, sigmoid of an output).
 */
static const ir_node *curv_culprit(const ir_node *n, ir_curv want, const char **why)
{
	for (int guard = 0; guard < 10000; guard++) {
		if (n->curv != CURV_UNKNOWN) {
			*why = n->curv == CURV_CONVEX ? "is convex" : n->curv == CURV_CONCAVE ? "is concave" : "is affine";
			return n;
		}
		const fn_info *fi = funcs_for_op(n->op);
		const ir_node *next = NULL;
		ir_curv next_want = want;
		*why = "is neither convex nor concave by the composition rules";
		switch (n->op) {
		case IR_MUL: case IR_DOT:
			if (n->op == IR_MUL && same_value(n->a, n->b)) {      /* a square */
				if (n->a->curv != CURV_UNKNOWN) {
					*why = n->a->curv == CURV_CONVEX ? "squares a convex expression that can be negative"
						: "squares a concave expression that can be positive";
					return n;
				}
				next = n->a;
				break;
			}
			if (is_variable(n->a) && is_variable(n->b)) {
				*why = "multiplies two expressions that depend on the outputs";
				return n;
			}
			next = is_variable(n->a) ? n->a : n->b;
			if (next->curv != CURV_UNKNOWN) {
				*why = "multiplies a curved expression by a constant of unknown sign";
				return n;
			}
			break;
		case IR_DIV:
			if (is_variable(n->b)) {
				*why = "divides by an expression that depends on the outputs";
				return n;
			}
			next = n->a;
			break;
		case IR_POW:
			*why = "is a power whose curvature the rules cannot decide here";
			if (n->a->curv == CURV_UNKNOWN)
				next = n->a;
			else
				return n;
			break;
		case IR_VEC:
			for (size_t i = 0; i < n->nelems && !next; i++)
				if (n->elems[i]->curv == CURV_UNKNOWN) next = n->elems[i];
			break;
		case IR_INDEX:
			next = n->a;
			break;
		default:
			if (!fi)
				return n;
			if (fi->curv == CURV_UNKNOWN) {
				*why = "is neither convex nor concave";
				return n;
			}
			/* the operand that violates the rule for f */
			for (int i = 0; i < 2 && !next; i++) {
				const ir_node *o = i ? n->b : n->a;
				if (!o || !is_variable(o) || o->curv == CURV_AFFINE)
					continue;
				fn_mono m = mono_at(fi, i, o);
				ir_curv need = fi->curv == CURV_CONCAVE ? CURV_CONCAVE : want;
				if (fi->curv == CURV_AFFINE)
					need = want;
				if (m == MONO_DEC)
					need = need == CURV_CONVEX ? CURV_CONCAVE : CURV_CONVEX;
				if (m == MONO_NONE) {
					*why = fi->group == FG_OPERATOR ? "is not convex by the composition rules"
						: "applies a function that is not monotone to a curved argument";
					next = o;
					if (o->curv != CURV_UNKNOWN)
						return n;
					break;
				}
				if (o->curv != need) {
					next = o;
					next_want = need;
				}
			}
			break;
		}
		if (!next)
			return n;
		n = next;
		want = next_want;
	}
	return n;
}

/* "abs(z - t) has a kink where z - t = 0", saying which loss it came from. */
static char *kink_text(const ir_node *n, char *buf, size_t size)
{
	char e[160], x[100], y[100], where[240];
	const fn_info *fi = funcs_for_op(n->op);
	expr_str(n, e, sizeof e);
	expr_str(n->a, x, sizeof x);
	if (n->b)
		expr_str(n->b, y, sizeof y);
	if (n->op == IR_DIV)
		snprintf(where, sizeof where, "has a pole where %s = 0", y);
	else if (n->op == IR_POW || (fi && fi->smooth == SM_EDGE))
		snprintf(where, sizeof where, "has an infinite slope where %s = 0", x);
	else if (fi && fi->smooth == SM_KINK_AT_TIE)
		snprintf(where, sizeof where, n->b ? "has a kink where %s = %s" : "has a kink where two elements of %s tie",
			 x, y);
	else
		snprintf(where, sizeof where, "has a kink where %s = 0", x);
	if (n->fn && n->fn->group == FG_LOSS)
		snprintf(buf, size, "%s expands to %s, which %s", n->fn->name, e, where);
	else
		snprintf(buf, size, "%s %s", e, where);
	return buf;
}

static void note_at(diag *d, const ir_node *n, const char *fmt_what, const char *extra)
{
	char e[256];
	if (d)
		diag_note(d, n->span, "%s %s%s", expr_str(n, e, sizeof e), fmt_what, extra ? extra : "");
}

/* ---- witnesses: evaluate the value at concrete points ------------------ */

/*
 * A claim the intervals cannot prove may still be true (intervals forget
 * that x - x is 0), so before calling it false we look for a witness: a
 * concrete assignment of the outputs, inputs and labels, inside their
 * declared ranges, where the value really is negative.  Each leaf takes
 * one value for all its elements, from a few candidates (range ends and
 * middle; 0, +-1, +-10, +-1000 when unbounded; each end of a class;
 * 1/K for a prob).  Small searches are exhaustive, large ones sample.
 */
#define WIT_MAXCAND 7

typedef struct wleaf {
	const ir_node *n;
	double cand[WIT_MAXCAND];
	int ncand;
	double val;
} wleaf;

static double sigm_d(double v) { return v >= 0 ? 1 / (1 + exp(-v)) : exp(v) / (1 + exp(v)); }
static double splus_d(double v) { return v > 0 ? v + log1p(exp(-v)) : log1p(exp(v)); }

/* Value of node n (element i) under the leaves' values; vals caches each
   node's elements (filled in id order, children first). */
static double elem_at(double *const *vals, const ir_node *n, long i)
{
	long len = n->n > 0 && n->type == IRT_REAL ? n->n : 1;
	return vals[n->id][len == 1 ? 0 : i % len];
}

static void eval_node(const ir_node *n, double *const *vals, const wleaf *lv, int nl)
{
	long len = n->n > 0 && n->type == IRT_REAL ? n->n : 1;
	double *out = vals[n->id];
	const ir_node *x = n->a, *y = n->b;
	long m = x && x->n > 0 && x->type == IRT_REAL ? x->n : 1;
	switch (n->op) {
	case IR_CONST:
		for (long i = 0; i < len; i++) out[i] = n->vals ? n->vals[i] : n->num;
		return;
	case IR_OUTPUT: case IR_INPUT: case IR_LABEL:
		for (int k = 0; k < nl; k++)
			if (same_value(lv[k].n, n))     /* every use of a name: one value */
				for (long i = 0; i < len; i++) out[i] = lv[k].val;
		return;
	case IR_VEC:
		for (size_t i = 0; i < n->nelems; i++) out[i] = vals[n->elems[i]->id][0];
		return;
	case IR_INDEX: {
		long c = (long)vals[y->id][0];
		out[0] = c >= 0 && c < m ? vals[x->id][c] : NAN;
		return;
	}
	case IR_ONEHOT:
		for (long i = 0; i < len; i++) out[i] = i == (long)vals[x->id][0];
		return;
	case IR_SUM: case IR_MEAN: case IR_NORM1: case IR_NORM2: case IR_DOT: case IR_VMAX: case IR_VMIN:
	case IR_LOGSUMEXP: case IR_SOFTMAX: case IR_LOG_SOFTMAX: {
		double s = 0, mx = -HUGE_VAL, mn = HUGE_VAL;
		for (long i = 0; i < m; i++) {
			double v = elem_at(vals, x, i);
			mx = fmax(mx, v);
			mn = fmin(mn, v);
		}
		for (long i = 0; i < m; i++) {
			double v = elem_at(vals, x, i);
			switch (n->op) {
			case IR_NORM1: s += fabs(v); break;
			case IR_NORM2: s += v * v; break;
			case IR_DOT: s += v * elem_at(vals, y, i); break;
			case IR_LOGSUMEXP: case IR_SOFTMAX: case IR_LOG_SOFTMAX: s += exp(v - mx); break;
			default: s += v; break;
			}
		}
		double lse = mx + log(s);
		switch (n->op) {
		case IR_MEAN: out[0] = s / (double)m; break;
		case IR_NORM2: out[0] = sqrt(s); break;
		case IR_VMAX: out[0] = mx; break;
		case IR_VMIN: out[0] = mn; break;
		case IR_LOGSUMEXP: out[0] = lse; break;
		case IR_SOFTMAX: for (long i = 0; i < len; i++) out[i] = exp(elem_at(vals, x, i) - lse); break;
		case IR_LOG_SOFTMAX: for (long i = 0; i < len; i++) out[i] = elem_at(vals, x, i) - lse; break;
		default: out[0] = s; break;
		}
		return;
	}
	default:
		break;
	}
	int bce = n->op == IR_LOG && n->fn && !strcmp(n->fn->name, "bce");
	for (long i = 0; i < len; i++) {
		double u = elem_at(vals, x, i), v = y ? elem_at(vals, y, i) : 0, r;
		switch (n->op) {
		case IR_ADD: r = u + v; break;
		case IR_SUB: r = u - v; break;
		case IR_MUL: r = u * v; break;
		case IR_DIV: r = u / v; break;
		case IR_POW: r = pow(u, v); break;
		case IR_MIN: r = fmin(u, v); break;
		case IR_MAX: r = fmax(u, v); break;
		case IR_NEG: r = -u; break;
		case IR_EXP: r = exp(u); break;
		case IR_LOG: r = bce ? fmax(log(u), -100) : log(u); break;
		case IR_LOG1P: r = log1p(u); break;
		case IR_EXPM1: r = expm1(u); break;
		case IR_SQRT: r = sqrt(u); break;
		case IR_ABS: r = fabs(u); break;
		case IR_SQUARE: r = u * u; break;
		case IR_SIGMOID: r = sigm_d(u); break;
		case IR_LOG_SIGMOID: r = -splus_d(-u); break;
		case IR_SOFTPLUS: r = splus_d(u); break;
		case IR_TANH: r = tanh(u); break;
		case IR_RELU: r = u > 0 ? u : 0; break;
		case IR_HUBER: r = fabs(u) <= n->num ? 0.5 * u * u : n->num * (fabs(u) - 0.5 * n->num); break;
		case IR_XLOGX: r = u == 0 ? 0 : u * log(u); break;
		default: r = NAN; break;
		}
		out[i] = r;
	}
}

static void leaf_candidates(wleaf *w)
{
	const ir_node *n = w->n;
	const ast_item *it = n->item;
	ast_type_kind k = it ? it->type.kind : TY_REAL;
	w->ncand = 0;
	if (n->type == IRT_CLASS) {
		w->cand[w->ncand++] = 0;
		if (n->n > 1) w->cand[w->ncand++] = (double)(n->n - 1);
	} else if (k == TY_BINARY) {
		w->cand[w->ncand++] = 0;
		w->cand[w->ncand++] = 1;
	} else if (k == TY_SIGN) {
		w->cand[w->ncand++] = -1;
		w->cand[w->ncand++] = 1;
	} else if (k == TY_PROB) {
		w->cand[w->ncand++] = 1.0 / (double)(n->n > 0 ? n->n : 1);
	} else if (it && it->range.present) {
		w->cand[w->ncand++] = it->range.lo;
		w->cand[w->ncand++] = it->range.hi;
		w->cand[w->ncand++] = (it->range.lo + it->range.hi) / 2;
	} else {
		static const double c[] = { 0, 1, -1, 10, -10, 1000, -1000 };
		for (int i = 0; i < 7; i++) w->cand[w->ncand++] = c[i];
	}
}

/* Look for leaf values where the value is below zero; on success write a
   description ("z = -10, t = 0 gives -40") into buf and return 1. */
static int find_negative_witness(const ir_loss *l, char *buf, size_t size)
{
	int nl = 0, found = 0;
	wleaf *lv = calloc(l->nnodes, sizeof *lv);
	double **vals = calloc(l->nnodes, sizeof *vals);
	double best = 0, best_score = 0;
	double bestval[64];
	int vec = 0;
	long work = 0;
	if (!lv || !vals)
		goto out;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		long len = n->n > 0 && n->type == IRT_REAL ? n->n : 1;
		if (len > 4096)
			goto out;       /* huge vectors: not worth evaluating here */
		work += len;
		vals[i] = calloc((size_t)len, sizeof **vals);
		if (!vals[i])
			goto out;
		int seen = 0;
		for (int k = 0; k < nl; k++)
			seen |= same_value(lv[k].n, n);
		if ((n->op == IR_OUTPUT || n->op == IR_INPUT || n->op == IR_LABEL) && !seen) {
			if (nl == 64)
				goto out;       /* too many names to search over */
			lv[nl].n = n;
			vec |= n->type == IRT_REAL && n->n > 0;
			leaf_candidates(&lv[nl]);
			nl++;
		}
	}
	if (nl > 64)
		goto out;
	double combos = 1;
	for (int k = 0; k < nl; k++)
		combos *= lv[k].ncand;
	long tries = combos <= 4096 ? (long)combos : 4096;
	/* keep the search to about 2e7 element operations, whatever the shapes */
	if ((double)tries * (double)work > 2e7)
		tries = (long)(2e7 / (double)work);
	if (tries < 1)
		goto out;
	if (tries < combos && combos <= 4096)
		combos = 4097;          /* cannot be exhaustive: sample instead */
	unsigned long seed = 12345;
	for (long t = 0; t < tries; t++) {
		long rest = t;
		for (int k = 0; k < nl; k++) {
			int pick;
			if (combos <= 4096) {
				pick = (int)(rest % lv[k].ncand);
				rest /= lv[k].ncand;
			} else {
				seed = seed * 6364136223846793005UL + 1442695040888963407UL;
				pick = (int)((seed >> 33) % (unsigned long)lv[k].ncand);
			}
			lv[k].val = lv[k].cand[pick];
		}
		for (size_t i = 0; i < l->nnodes; i++)
			eval_node(l->nodes[i], vals, lv, nl);
		double v = vals[l->root->id][0];
		/* prefer the simplest witness (smallest leaf values), then the most negative */
		double score = 0;
		for (int k = 0; k < nl; k++)
			score = fmax(score, fabs(lv[k].val));
		if (isfinite(v) && v < 0 && (!found || score < best_score || (score == best_score && v < best))) {
			best = v;
			best_score = score;
			found = 1;
			for (int k = 0; k < nl; k++)
				bestval[k] = lv[k].val;
		}
	}
	if (found) {
		size_t off = 0;
		buf[0] = '\0';
		for (int k = 0; k < nl && off + 1 < size; k++) {
			const ast_item *it = lv[k].n->item;
			int w = snprintf(buf + off, size - off, "%s%s = %.6g", k ? ", " : "",
					 it && it->name.s ? it->name.s : "?", bestval[k]);
			if (w < 0)
				break;
			off += (size_t)w;
		}
		if (off + 1 < size)
			snprintf(buf + off, size - off, "%s gives %.6g", vec ? " (every element)" : "", best);
	}
out:
	for (size_t i = 0; vals && i < l->nnodes; i++)
		free(vals[i]);
	free(vals);
	free(lv);
	return found;
}

static void check_claims(actx *a, const ast_item *claim)
{
	char iv[64], iv2[64], wit[512];
	static const char *const known[] = { "nonnegative", "bounded", "smooth", "convex" };
	for (size_t k = 0; k < claim->nnames; k++) {
		const ast_name *nm = &claim->names[k];
		int which = -1;
		for (int j = 0; j < 4; j++)
			if (nm->s && strlen(known[j]) == nm->len && !memcmp(known[j], nm->s, nm->len))
				which = j;
		if (which < 0) {
			const char *sug = NULL;
			for (int j = 0; j < 4 && nm->s; j++)
				if (nm->len >= 3 && !strncmp(known[j], nm->s, 3))
					sug = known[j];
			if (sug)
				diag_code(a->diags, a->f->src, nm->span, "LS505",
					  "unknown claim '%s'; did you mean '%s'? (the claims are nonnegative, bounded, smooth "
					  "and convex)", nm->s, sug);
			else
				diag_code(a->diags, a->f->src, nm->span, "LS505",
					  "unknown claim '%s'; the claims are nonnegative, bounded, smooth and convex",
					  nm->s ? nm->s : "");
			continue;
		}
		const ir_node *r = a->l ? a->l->root : NULL;
		if (!r)
			continue;       /* the value did not lower: its errors are already reported */
		diag *d;
		switch (which) {
		case 0:
			if (iv_nonneg(r->iv))
				break;
			if (iv_negative(r->iv)) {
				d = diag_code(a->diags, a->f->src, nm->span, "LS501",
					      "claim nonnegative is provably false: the value is always negative, in %s",
					      iv_str(r->iv, iv, sizeof iv));
			} else if (find_negative_witness(a->l, wit, sizeof wit)) {
				d = diag_code(a->diags, a->f->src, nm->span, "LS501",
					      "claim nonnegative is false: for example %s", wit);
			} else {
				d = diag_code(a->diags, a->f->src, nm->span, "LS501",
					      "cannot prove claim nonnegative: over the declared ranges the value lies in %s",
					      iv_str(r->iv, iv, sizeof iv));
			}
			{
				const ir_node *c = neg_culprit(r);
				snprintf(iv2, sizeof iv2, " (in %s)", iv_str(c->iv, iv, sizeof iv));
				note_at(d, c, iv_negative(c->iv) ? "is always negative" : "can be negative", iv2);
			}
			break;
		case 1:
			if (iv_is_bounded(r->iv))
				break;
			d = diag_code(a->diags, a->f->src, nm->span, "LS504",
				      "cannot prove claim bounded: over the declared ranges the value lies in %s",
				      iv_str(r->iv, iv, sizeof iv));
			{
				const ir_node *c = unbounded_culprit(r);
				if (c->op == IR_OUTPUT)
					note_at(d, c, "is an output with no declared range", NULL);
				else {
					snprintf(iv2, sizeof iv2, " (in %s)", iv_str(c->iv, iv, sizeof iv));
					note_at(d, c, "is unbounded", iv2);
				}
			}
			break;
		case 2:
			if (!r->kink)
				break;
			d = diag_code(a->diags, a->f->src, nm->span, "LS502",
				      "claim smooth is false: the value has a kink where its derivative jumps");
			{
				const ir_node *c = kink_culprit(a->l);
				char why[512];
				if (c && d)
					diag_note(d, c->span, "%s", kink_text(c, why, sizeof why));
			}
			break;
		case 3:
			if (curv_is_convex(r->curv))
				break;
			d = diag_code(a->diags, a->f->src, nm->span, "LS503",
				      r->curv == CURV_CONCAVE
				      ? "cannot prove claim convex: by the composition rules the value is concave"
				      : "cannot prove claim convex by the composition rules");
			{
				const char *why = "";
				const ir_node *c = curv_culprit(r, CURV_CONVEX, &why);
				note_at(d, c, why, NULL);
			}
			break;
		}
	}
}

/* ---- stability patterns on the AST ------------------------------------- */

typedef struct pctx {
	ast_file *f;
	diag_list *diags;
	const ast_decl *loss;
} pctx;

/*
 * An expression as lossc fmt writes it, on one line: a message or a fix
 * that quotes it then reads the same however the input was laid out (and
 * never spans lines).
 */
#define EXPR_TEXT_MAX 256
static const char *expr_text(const pctx *p, const ast_expr *e, char *buf, size_t *len)
{
	size_t n = fmt_expr_text(p->f->src, e, buf, EXPR_TEXT_MAX);
	*len = n < EXPR_TEXT_MAX ? n : EXPR_TEXT_MAX - 1;
	return buf;
}

/* The expression a name stands for when it names a let (lets mean their
   expression); *through is set when a let was followed. */
static const ast_expr *see(const pctx *p, const ast_expr *e, int *through)
{
	for (int guard = 0; e && e->kind == EX_NAME && guard < 32; guard++) {
		const ast_item *it = e->name.item;    /* the resolver's link, as in ir.c */
		(void)p;
		if (!it || it->kind != IT_LET || !it->expr)
			return e;
		e = it->expr;
		*through = 1;
	}
	return e;
}

static int is_call(const ast_expr *e, const char *name, size_t nargs)
{
	return e && e->kind == EX_CALL && e->name.s && !strcmp(e->name.s, name) && e->nargs == nargs
	       && !e->args[0].name.s;
}

static int is_num(const ast_expr *e, double v) { return e && e->kind == EX_NUM && e->num == v; }

/* Replacement text: pre, the text of x, mid, the text of y, post. */
static void fix_text(const pctx *p, char *buf, size_t size, const char *pre, const ast_expr *x,
		     const char *mid, const ast_expr *y, const char *post)
{
	size_t lx = 0, ly = 0;
	char bx[EXPR_TEXT_MAX], by[EXPR_TEXT_MAX];
	const char *tx = x ? expr_text(p, x, bx, &lx) : "";
	const char *ty = y ? expr_text(p, y, by, &ly) : "";
	snprintf(buf, size, "%s%.*s%s%.*s%s", pre, (int)lx, tx, mid, (int)ly, ty, post);
}

static void pattern(pctx *p, const ast_expr *e, int via_let)
{
	char fix[1024];
	const char *code = NULL, *gen_pat = "", *why = "", *gen_use = "";
	int th = via_let;
	if (!e)
		return;
	if (is_call(e, "log", 1)) {
		const ast_expr *a = see(p, e->args[0].value, &th);
		const ast_expr *s = NULL, *x = NULL, *y = NULL;
		if (is_call(a, "softmax", 1)) {
			x = a->args[0].value;
			code = "LS401";
			gen_pat = "log(softmax(x))";
			why = "loses precision and can give log(0)";
			gen_use = "log_softmax(x)";
			fix_text(p, fix, sizeof fix, "log_softmax(", x, "", NULL, ")");
		} else if (a && a->kind == EX_INDEX && is_call(s = see(p, a->a, &th), "softmax", 1)) {
			x = s->args[0].value;
			code = "LS401";
			gen_pat = "log(softmax(x)[c])";
			why = "loses precision and can give log(0)";
			gen_use = "log_softmax(x)[c]";
			fix_text(p, fix, sizeof fix, "log_softmax(", x, ")[", NULL, "");
			snprintf(fix + strlen(fix), sizeof fix - strlen(fix), "%.*s]", (int)a->name.len, a->name.s);
		} else if (is_call(a, "sigmoid", 1)) {
			x = a->args[0].value;
			code = "LS402";
			gen_pat = "log(sigmoid(x))";
			why = "underflows to log(0) when its argument is very negative";
			gen_use = "log_sigmoid(x)";
			fix_text(p, fix, sizeof fix, "log_sigmoid(", x, "", NULL, ")");
		} else if (a && a->kind == EX_SUB && is_num(a->a, 1) && is_call(see(p, a->b, &th), "sigmoid", 1)) {
			x = see(p, a->b, &th)->args[0].value;
			code = "LS402";
			gen_pat = "log(1 - sigmoid(x))";
			why = "underflows to log(0) when the argument is large";
			gen_use = "log_sigmoid(-x)";
			{
				int simple = x->kind == EX_NAME || x->kind == EX_CALL || x->kind == EX_NUM || x->kind == EX_INDEX;
				fix_text(p, fix, sizeof fix, simple ? "log_sigmoid(-" : "log_sigmoid(-(", x, "", NULL,
					 simple ? ")" : "))");
			}
		} else if (a && a->kind == EX_ADD && (is_num(a->a, 1) || is_num(a->b, 1))) {
			x = is_num(a->a, 1) ? a->b : a->a;
			code = "LS403";
			gen_pat = "log(1 + x)";
			why = "loses the digits of a small argument";
			gen_use = "log1p(x)";
			fix_text(p, fix, sizeof fix, "log1p(", x, "", NULL, ")");
		} else if (is_call(a, "sum", 1) && is_call(see(p, a->args[0].value, &th), "exp", 1)) {
			x = see(p, a->args[0].value, &th)->args[0].value;
			code = "LS404";
			gen_pat = "log(sum(exp(x)))";
			why = "overflows when an element is large";
			gen_use = "logsumexp(x)";
			fix_text(p, fix, sizeof fix, "logsumexp(", x, "", NULL, ")");
		} else if (a && a->kind == EX_ADD && is_call(see(p, a->a, &th), "exp", 1) && is_call(see(p, a->b, &th), "exp", 1)) {
			x = see(p, a->a, &th)->args[0].value;
			y = see(p, a->b, &th)->args[0].value;
			code = "LS404";
			gen_pat = "log(exp(a) + exp(b))";
			why = "overflows when an argument is large";
			gen_use = "logsumexp([a, b])";
			fix_text(p, fix, sizeof fix, "logsumexp([", x, ", ", y, "])");
		}
	} else if (e->kind == EX_SUB && is_num(e->b, 1) && is_call(see(p, e->a, &th), "exp", 1)) {
		const ast_expr *x = see(p, e->a, &th)->args[0].value;
		code = "LS403";
			gen_pat = "exp(x) - 1";
			why = "loses the digits of a small argument";
			gen_use = "expm1(x)";
		fix_text(p, fix, sizeof fix, "expm1(", x, "", NULL, ")");
	} else if (e->kind == EX_CALL && e->name.s && !strcmp(e->name.s, "bce") && e->nargs >= 1 && !e->args[0].name.s
		   && is_call(see(p, e->args[0].value, &th), "sigmoid", 1)) {
		const ast_expr *x = see(p, e->args[0].value, &th)->args[0].value;
		code = "LS402";
			gen_pat = "bce(sigmoid(x), t)";
			why = "loses precision when the logit is large";
			gen_use = "bce_with_logits(x, t)";
		/* the other arguments as they are */
		fix_text(p, fix, sizeof fix, "bce_with_logits(", x, "", NULL, "");
		for (size_t i = 1; i < e->nargs; i++) {
			size_t k = strlen(fix), la;
			char ba[EXPR_TEXT_MAX];
			const char *ta = expr_text(p, e->args[i].value, ba, &la);
			snprintf(fix + k, sizeof fix - k, ", %s%s%.*s", e->args[i].name.s ? e->args[i].name.s : "",
				 e->args[i].name.s ? "=" : "", (int)la, ta);
		}
		snprintf(fix + strlen(fix), sizeof fix - strlen(fix), ")");
	}
	if (code) {
		/* Name the user's own text and its rewrite when they are short
		   and the pattern was written in place (not through a let). */
		size_t n;
		char bt[EXPR_TEXT_MAX];
		const char *txt = expr_text(p, e, bt, &n);
		diag *d;
		if (!th && n <= 60 && strlen(fix) <= 60)
			d = diag_code(p->diags, p->f->src, e->span, code, "%.*s %s; use %s", (int)n, txt, why, fix);
		else
			d = diag_code(p->diags, p->f->src, e->span, code, "%s %s; use %s", gen_pat, why, gen_use);
		if (d && !th)
			diag_set_fix(d, e->span, fix);
	}

	/* recurse into the written sub-expressions (not through lets: each let
	   is visited once on its own) */
	pattern(p, e->a, via_let);
	pattern(p, e->b, via_let);
	for (size_t i = 0; i < e->nargs; i++)
		pattern(p, e->args[i].value, via_let);
	for (size_t i = 0; i < e->nelems; i++)
		pattern(p, e->elems[i], via_let);
}

/* ---- driver ------------------------------------------------------------ */

void analyze_file(ast_file *f, diag_list *diags)
{
	for (ast_decl *d = f->decls; d; d = d->next) {
		if (d->kind != DECL_LOSS)
			continue;
		pctx p = { f, diags, d };
		for (const ast_item *it = d->items; it; it = it->next)
			if (it->kind == IT_VALUE || it->kind == IT_LET || it->kind == IT_PARAM)
				pattern(&p, it->expr, 0);

		actx *a = calloc(1, sizeof *a);
		if (!a)
			return;
		a->f = f;
		a->diags = diags;
		/* Findings copy their text, so nothing outlives this arena. */
		arena *ir = arena_new();
		a->l = ir_lower(f, d, ir, diags);
		if (a->l->root) {
			analyze_loss(a->l);
			domain_checks(a);
		}
		for (const ast_item *it = d->items; it; it = it->next)
			if (it->kind == IT_CLAIM)
				check_claims(a, it);
		free(a);
		arena_free(ir);
	}
}

static const char *smooth_desc(const ir_loss *l, char *buf, size_t size)
{
	char e[200];
	const ir_node *c = kink_culprit(l);
	if (!l->root->kink || !c) {
		snprintf(buf, size, "smooth (continuously differentiable in the outputs)");
		return buf;
	}
	char why[512];
	(void)e;
	snprintf(buf, size, "not smooth: %s", kink_text(c, why, sizeof why));
	return buf;
}

int analyze_explain_value(FILE *out, ast_file *f, diag_list *diags)
{
	diag_list scratch;
	(void)diags;
	diag_list_init(&scratch);
	int rc = 0;
	for (ast_decl *d = f->decls; d; d = d->next) {
		if (d->kind != DECL_LOSS)
			continue;
		char t[64], iv[64], sm[320];
		src_pos pos = source_pos(f->src, d->name.span.start);
		arena *ir = arena_new();
		ir_loss *l = ir_lower(f, d, ir, &scratch);
		if (fprintf(out, "%s:%lu:%lu: loss %s\n", f->src->path, pos.line, pos.col, d->name.s ? d->name.s : "?") < 0)
			rc = -1;
		if (!l->root) {
			if (fprintf(out, "  value:      (not analyzed: %s)\n",
				    l->errors ? "the value has type errors" : "no value") < 0)
				rc = -1;
			arena_free(ir);
			continue;
		}
		analyze_loss(l);
		if (fputs("  value:      ", out) < 0 || ir_print(out, l->root) < 0 || fputs("\n", out) < 0)
			rc = -1;
		if (fprintf(out, "  shape:      %s\n  interval:   %s\n  curvature:  %s\n  smoothness: %s\n",
			    ir_type_str(l->root, t, sizeof t), iv_str(l->root->iv, iv, sizeof iv),
			    fn_curv_name(l->root->curv), smooth_desc(l, sm, sizeof sm)) < 0)
			rc = -1;
		arena_free(ir);
	}
	diag_list_free(&scratch);
	return rc;
}
