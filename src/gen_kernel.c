/*
 * gen_kernel.c: one loss's forward kernel and its gradient, as C99.
 *
 * The per-example value is the math module's IR (ir.h), a DAG of typed
 * primitive ops.  Code shape, per row of the batch:
 *
 *   - every scalar node becomes one local (`lc_tK`, K = the node's id);
 *   - vector nodes are never stored: each is an element expression
 *     (`gk_elem`) inlined into the loops that read it, so an elementwise
 *     chain costs no memory traffic;
 *   - reductions (sum, max, logsumexp, ...) and the log-sum-exp hidden in
 *     softmax/log_softmax are loops; reductions of the same length whose
 *     element expressions depend only on already-known scalars share ONE
 *     loop ("level" scheduling), so cross-entropy's forward reads the
 *     logits once (an online, max-rescaling log-sum-exp);
 *   - the gradient is reverse mode over the DAG.  A vector's adjoint is
 *     kept symbolic, as a sum of terms coef * factor, where the factor is
 *     1, a one-hot at a label, or an element expression.  Sums over one-hot
 *     and constant terms are folded, so cross-entropy's gradient comes out
 *     as softmax - onehot in one more pass: two in all.
 *
 * Numerics: log-sum-exp subtracts the running max; x - logsumexp(v) is
 * computed as (x - max) - log(sum) so equal large logits cancel exactly;
 * softplus, log_sigmoid and sigmoid use the overflow-free forms;
 * log1p/expm1 as the IR says.
 */
#include "gen_impl.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funcs.h"

/* ---- strings ----------------------------------------------------------- */

const char *gk_fmt(gen_kernel *g, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		len = 0;
	char *s = arena_alloc(g->arena, (size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	if ((size_t)len > GEN_MAX_EXPR)
		g->too_big = 1;
	return s;
}

/* The math function `name` in the kernel's precision: exp -> expf. */
static const char *gk_fn(gen_kernel *g, const char *name)
{
	return g->f32 ? gk_fmt(g, "%sf", name) : name;
}

static const char *gk_num(gen_kernel *g, double v)
{
	char buf[64];
	gen_c_number(v, g->f32, buf, sizeof buf);
	return gk_fmt(g, v < 0 || isinf(v) ? "(%s)" : "%s", buf);
}

/* A helper from the preamble (gen_kernel_helpers), marked used. */
static const char *gk_helper(gen_kernel *g, int which)
{
	g->helpers[which] = 1;
	static const char *const names[GH_COUNT] = {
		"lc_softplus", "lc_log_sigmoid", "lc_sigmoid", "lc_huber",
		"lc_huber_d", "lc_xlogx", "lc_sign", "lc_exp_shifted",
	};
	return gk_fmt(g, "%s_%s", names[which], g->f32 ? "f" : "d");
}

/*
 * exp of a logit minus its row's max (an argument <= 0, or NaN): in
 * float32 the inline, branch-free lc_exp_shifted_f (it vectorizes, where
 * a call to expf cannot); in float64 libm's exp.
 */
static const char *gk_exp_shifted(gen_kernel *g)
{
	return g->f32 ? gk_helper(g, GH_EXP_SHIFTED) : "exp";
}

/* ---- element expressions ----------------------------------------------- */

static int gk_is_vec(const ir_node *nd)
{
	return nd->type == IRT_REAL && nd->n > 0;
}

/*
 * The C expression for element `idx` of node nd (idx: a C expression of
 * type size_t or int32_t).  Scalars ignore idx (broadcast).
 */
const char *gk_elem(gen_kernel *g, const ir_node *nd, const char *idx)
{
	if (!gk_is_vec(nd))
		return g->var[nd->id];
	const char *a = nd->a ? gk_elem(g, nd->a, idx) : NULL;
	const char *b = nd->b ? gk_elem(g, nd->b, idx) : NULL;
	switch (nd->op) {
	case IR_CONST:
		return gk_fmt(g, "lc_c%d_%zu[%s]", g->index, nd->id, idx);
	case IR_OUTPUT:
	case IR_INPUT:
	case IR_LABEL:
		return gk_fmt(g, "lc_row_%s[%s]", gk_item_name(g, nd->item), idx);
	case IR_VEC:
		return gk_fmt(g, "lc_v%zu[%s]", nd->id, idx);
	case IR_SOFTMAX: {
		const gk_lse *L = &g->lse[nd->a->id];
		/* exp(x - max) / sum: the textbook softmax, one multiply an element */
		return gk_fmt(g, "(%s(%s - lc_m%zu) * lc_is%zu)", gk_exp_shifted(g), a, L->id, L->id);
	}
	case IR_LOG_SOFTMAX: {
		const gk_lse *L = &g->lse[nd->a->id];
		return gk_fmt(g, "((%s - lc_m%zu) - lc_ls%zu)", a, L->id, L->id);
	}
	case IR_ONEHOT:
		return gk_fmt(g, "((int64_t)(%s) == (int64_t)%s ? %s : %s)", idx, g->var[nd->a->id],
			      gk_num(g, 1), gk_num(g, 0));
	default:
		return gk_apply(g, nd, a, b);
	}
}

/* An elementwise op applied to operand expressions a, b. */
const char *gk_apply(gen_kernel *g, const ir_node *nd, const char *a, const char *b)
{
	switch (nd->op) {
	case IR_ADD: return gk_fmt(g, "(%s + %s)", a, b);
	case IR_SUB: return gk_fmt(g, "(%s - %s)", a, b);
	case IR_MUL: return gk_fmt(g, "(%s * %s)", a, b);
	case IR_DIV: return gk_fmt(g, "(%s / %s)", a, b);
	case IR_POW:
		if (nd->b->op == IR_CONST && !nd->b->vals && nd->b->num == 2)
			return gk_fmt(g, "(%s * %s)", a, a);
		if (nd->b->op == IR_CONST && !nd->b->vals && nd->b->num == 1)
			return a;
		return gk_fmt(g, "%s(%s, %s)", gk_fn(g, "pow"), a, b);
	case IR_MIN: return gk_fmt(g, "(%s < %s ? %s : %s)", a, b, a, b);
	case IR_MAX: return gk_fmt(g, "(%s > %s ? %s : %s)", a, b, a, b);
	case IR_NEG: return gk_fmt(g, "(-%s)", a);
	case IR_EXP: return gk_fmt(g, "%s(%s)", gk_fn(g, "exp"), a);
	case IR_LOG: return gk_fmt(g, "%s(%s)", gk_fn(g, "log"), a);
	case IR_LOG1P: return gk_fmt(g, "%s(%s)", gk_fn(g, "log1p"), a);
	case IR_EXPM1: return gk_fmt(g, "%s(%s)", gk_fn(g, "expm1"), a);
	case IR_SQRT: return gk_fmt(g, "%s(%s)", gk_fn(g, "sqrt"), a);
	case IR_ABS: return gk_fmt(g, "%s(%s)", gk_fn(g, "fabs"), a);
	case IR_SQUARE: return gk_fmt(g, "(%s * %s)", a, a);
	case IR_SIGMOID: return gk_fmt(g, "%s(%s)", gk_helper(g, GH_SIGMOID), a);
	case IR_LOG_SIGMOID: return gk_fmt(g, "%s(%s)", gk_helper(g, GH_LOG_SIGMOID), a);
	case IR_SOFTPLUS: return gk_fmt(g, "%s(%s)", gk_helper(g, GH_SOFTPLUS), a);
	case IR_TANH: return gk_fmt(g, "%s(%s)", gk_fn(g, "tanh"), a);
	case IR_RELU: return gk_fmt(g, "(%s > %s ? %s : %s)", a, gk_num(g, 0), a, gk_num(g, 0));
	case IR_HUBER: return gk_fmt(g, "%s(%s, %s)", gk_helper(g, GH_HUBER), a, gk_num(g, nd->num));
	case IR_XLOGX: return gk_fmt(g, "%s(%s)", gk_helper(g, GH_XLOGX), a);
	default:
		g->unsupported = nd;
		return "0";
	}
}

/*
 * d(op)/d(operand k) at one element, given the operand expressions a, b
 * (and the op's own value expression where that is cheaper).
 */
const char *gk_partial(gen_kernel *g, const ir_node *nd, int k, const char *a, const char *b)
{
	const char *one = gk_num(g, 1), *zero = gk_num(g, 0);
	switch (nd->op) {
	case IR_ADD: return one;
	case IR_SUB: return k == 0 ? one : gk_num(g, -1);
	case IR_MUL: return k == 0 ? b : a;
	case IR_DIV:
		return k == 0 ? gk_fmt(g, "(%s / %s)", one, b) : gk_fmt(g, "(-%s / (%s * %s))", a, b, b);
	case IR_POW:
		if (k == 0) {
			if (nd->b->op == IR_CONST && !nd->b->vals && nd->b->num == 2)
				return gk_fmt(g, "(%s * %s)", gk_num(g, 2), a);
			return gk_fmt(g, "(%s * %s(%s, %s - %s))", b, gk_fn(g, "pow"), a, b, one);
		}
		return gk_fmt(g, "(%s(%s, %s) * %s(%s))", gk_fn(g, "pow"), a, b, gk_fn(g, "log"), a);
	/* ties send the whole gradient to the first operand */
	case IR_MIN: return k == 0 ? gk_fmt(g, "(%s <= %s ? %s : %s)", a, b, one, zero)
		: gk_fmt(g, "(%s <= %s ? %s : %s)", a, b, zero, one);
	case IR_MAX: return k == 0 ? gk_fmt(g, "(%s >= %s ? %s : %s)", a, b, one, zero)
		: gk_fmt(g, "(%s >= %s ? %s : %s)", a, b, zero, one);
	case IR_NEG: return gk_num(g, -1);
	case IR_EXP: return gk_fmt(g, "%s(%s)", gk_fn(g, "exp"), a);
	case IR_LOG: return gk_fmt(g, "(%s / %s)", one, a);
	case IR_LOG1P: return gk_fmt(g, "(%s / (%s + %s))", one, one, a);
	case IR_EXPM1: return gk_fmt(g, "%s(%s)", gk_fn(g, "exp"), a);
	case IR_SQRT: return gk_fmt(g, "(%s / (%s * %s(%s)))", one, gk_num(g, 2), gk_fn(g, "sqrt"), a);
	case IR_ABS: return gk_fmt(g, "%s(%s)", gk_helper(g, GH_SIGN), a);
	case IR_SQUARE: return gk_fmt(g, "(%s * %s)", gk_num(g, 2), a);
	case IR_SIGMOID: {
		const char *s = gk_fmt(g, "%s(%s)", gk_helper(g, GH_SIGMOID), a);
		return gk_fmt(g, "(%s * %s(-%s))", s, gk_helper(g, GH_SIGMOID), a);
	}
	case IR_LOG_SIGMOID: return gk_fmt(g, "%s(-%s)", gk_helper(g, GH_SIGMOID), a);
	case IR_SOFTPLUS: return gk_fmt(g, "%s(%s)", gk_helper(g, GH_SIGMOID), a);
	case IR_TANH: {
		const char *t = gk_fmt(g, "%s(%s)", gk_fn(g, "tanh"), a);
		return gk_fmt(g, "(%s - %s * %s)", one, t, t);
	}
	case IR_RELU: return gk_fmt(g, "(%s > %s ? %s : %s)", a, zero, one, zero);
	case IR_HUBER: return gk_fmt(g, "%s(%s, %s)", gk_helper(g, GH_HUBER_D), a, gk_num(g, nd->num));
	case IR_XLOGX: return gk_fmt(g, "(%s(%s) + %s)", gk_fn(g, "log"), a, one);
	default:
		g->unsupported = nd;
		return zero;
	}
}

int gk_is_elementwise(ir_op op)
{
	switch (op) {
	case IR_ADD: case IR_SUB: case IR_MUL: case IR_DIV: case IR_POW:
	case IR_MIN: case IR_MAX: case IR_NEG: case IR_EXP: case IR_LOG:
	case IR_LOG1P: case IR_EXPM1: case IR_SQRT: case IR_ABS: case IR_SQUARE:
	case IR_SIGMOID: case IR_LOG_SIGMOID: case IR_SOFTPLUS: case IR_TANH:
	case IR_RELU: case IR_HUBER: case IR_XLOGX:
		return 1;
	default:
		return 0;
	}
}

/* Ops that own a loop over their (vector) operand. */
static int gk_is_loop(const ir_node *nd)
{
	switch (nd->op) {
	case IR_SUM: case IR_MEAN: case IR_VMAX: case IR_VMIN: case IR_LOGSUMEXP:
	case IR_NORM1: case IR_NORM2: case IR_DOT:
		return 1;
	case IR_SOFTMAX: case IR_LOG_SOFTMAX:
		return 1;   /* their log-sum-exp */
	default:
		return 0;
	}
}

/* ---- forward ------------------------------------------------------------- */

/*
 * Levels: a leaf is level 0; an elementwise node has its operands' level;
 * a loop node is one more than its operand (its loop can run once every
 * scalar of that level is known).  Loops of equal level and length fuse.
 */
static void gk_levels(gen_kernel *g)
{
	const ir_loss *l = g->loss;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		int lv = 0;
		if (nd->a && g->level[nd->a->id] > lv)
			lv = g->level[nd->a->id];
		if (nd->b && g->level[nd->b->id] > lv)
			lv = g->level[nd->b->id];
		for (size_t k = 0; k < nd->nelems; k++)
			if (g->level[nd->elems[k]->id] > lv)
				lv = g->level[nd->elems[k]->id];
		if (gk_is_loop(nd)) {
			/* softmax / log_softmax / logsumexp of the same operand share one lse */
			if (nd->op == IR_SOFTMAX || nd->op == IR_LOG_SOFTMAX || nd->op == IR_LOGSUMEXP) {
				gk_lse *L = &g->lse[nd->a->id];
				if (!L->used) {
					L->used = 1;
					L->id = nd->id;
					L->level = lv + 1;
				}
				lv = L->level;
			} else {
				lv++;
			}
		}
		g->level[nd->id] = lv;
		if (lv > g->maxlevel)
			g->maxlevel = lv;
		/* dependence on the outputs, for the gradient */
		g->dep[nd->id] = nd->op == IR_OUTPUT ||
			(nd->a && g->dep[nd->a->id]) || (nd->b && g->dep[nd->b->id]);
		for (size_t k = 0; k < nd->nelems; k++)
			if (g->dep[nd->elems[k]->id])
				g->dep[nd->id] = 1;
	}
}

/* Declarations and the per-element update of one loop node inside a fused loop. */
static void gk_loop_init(gen_kernel *g, FILE *o, const ir_node *nd, const char *ind, int lanes)
{
	const char *T = g->T;
	switch (nd->op) {
	case IR_SOFTMAX: case IR_LOG_SOFTMAX: case IR_LOGSUMEXP: {
		gk_lse *L = &g->lse[nd->a->id];
		if (L->declared)
			return;
		L->declared = 1;
		fprintf(o, "%s%s lc_m%zu = -%s, lc_s%zu = %s;\n", ind, T, L->id,
			g->f32 ? "HUGE_VALF" : "HUGE_VAL", L->id, gk_num(g, 0));
		return;
	}
	case IR_VMAX: case IR_VMIN:
		fprintf(o, "%s%s lc_t%zu = %s%s;\n%ssize_t lc_at%zu = 0;\n", ind, T, nd->id,
			nd->op == IR_VMAX ? "-" : "", g->f32 ? "HUGE_VALF" : "HUGE_VAL", ind, nd->id);
		return;
	default:
		if (lanes)
			fprintf(o, "%s%s lc_a%zu[%d];\n%sfor (size_t lc_k = 0; lc_k < %d; lc_k++)\n%s\tlc_a%zu[lc_k] = %s;\n",
				ind, T, nd->id, GEN_LANES, ind, GEN_LANES, ind, nd->id, gk_num(g, 0));
		else
			fprintf(o, "%s%s lc_a%zu = %s;\n", ind, T, nd->id, gk_num(g, 0));
		return;
	}
}

/* lanes: the accumulators are arrays of GEN_LANES, indexed by lc_k */
static void gk_loop_body(gen_kernel *g, FILE *o, const ir_node *nd, const char *ind, int lanes)
{
	const char *x = gk_elem(g, nd->a, "lc_j");
	switch (nd->op) {
	case IR_SOFTMAX: case IR_LOG_SOFTMAX: case IR_LOGSUMEXP: {
		gk_lse *L = &g->lse[nd->a->id];
		if (L->emitted)
			return;
		L->emitted = 1;
		/* the chunk's maximum is known (gk_forward_row): no branch here */
		fprintf(o, "%slc_cs%zu[lc_k] += %s(%s - lc_m%zu);\n", ind, L->id, gk_exp_shifted(g), x, L->id);
		return;
	}
	case IR_SUM: case IR_MEAN:
		fprintf(o, "%slc_a%zu%s += %s;\n", ind, nd->id, lanes ? "[lc_k]" : "", x);
		return;
	case IR_NORM1:
		fprintf(o, "%slc_a%zu%s += %s(%s);\n", ind, nd->id, lanes ? "[lc_k]" : "", gk_fn(g, "fabs"), x);
		return;
	case IR_NORM2:
		fprintf(o, "%s{\n%s\tconst %s lc_x = %s;\n%s\tlc_a%zu%s += lc_x * lc_x;\n%s}\n",
			ind, ind, g->T, x, ind, nd->id, lanes ? "[lc_k]" : "", ind);
		return;
	case IR_DOT:
		fprintf(o, "%slc_a%zu%s += %s * %s;\n", ind, nd->id, lanes ? "[lc_k]" : "", x, gk_elem(g, nd->b, "lc_j"));
		return;
	case IR_VMAX: case IR_VMIN:
		/* !(x <= m) also takes a NaN, so NaN propagates as in PyTorch */
		fprintf(o, "%s{\n%s\tconst %s lc_x = %s;\n%s\tif (!(lc_x %s lc_t%zu)) {\n"
			"%s\t\tlc_t%zu = lc_x;\n%s\t\tlc_at%zu = lc_j;\n%s\t}\n%s}\n",
			ind, ind, g->T, x, ind, nd->op == IR_VMAX ? "<=" : ">=", nd->id,
			ind, nd->id, ind, nd->id, ind, ind);
		return;
	default:
		return;
	}
}

static void gk_loop_finish(gen_kernel *g, FILE *o, const ir_node *nd, const char *ind, int lanes)
{
	const char *T = g->T;
	const char *A = gk_fmt(g, "lc_a%zu", nd->id);
	if (lanes && nd->op != IR_VMAX && nd->op != IR_VMIN && nd->op != IR_SOFTMAX &&
	    nd->op != IR_LOG_SOFTMAX && nd->op != IR_LOGSUMEXP) {
		/* the lanes' sum */
		A = gk_fmt(g, "lc_u%zu", nd->id);
		fprintf(o, "%s%s %s = %s;\n%sfor (size_t lc_k = 0; lc_k < %d; lc_k++)\n%s\t%s += lc_a%zu[lc_k];\n",
			ind, T, A, gk_num(g, 0), ind, GEN_LANES, ind, A, nd->id);
	}
	switch (nd->op) {
	case IR_SOFTMAX: case IR_LOG_SOFTMAX: case IR_LOGSUMEXP: {
		gk_lse *L = &g->lse[nd->a->id];
		if (!L->finished) {
			L->finished = 1;
			fprintf(o, "%sconst %s lc_ls%zu = %s(lc_s%zu);\n", ind, T, L->id, gk_fn(g, "log"), L->id);
			fprintf(o, "%sconst %s lc_is%zu = %s / lc_s%zu;\n%s(void)lc_is%zu, (void)lc_ls%zu;  /* whichever the elements use */\n",
				ind, T, L->id, gk_num(g, 1), L->id, ind, L->id, L->id);
		}
		if (nd->op == IR_LOGSUMEXP)
			fprintf(o, "%sconst %s lc_t%zu = lc_m%zu + lc_ls%zu;\n", ind, T, nd->id, L->id, L->id);
		return;
	}
	case IR_SUM: case IR_DOT: case IR_NORM1:
		fprintf(o, "%sconst %s lc_t%zu = %s;\n", ind, T, nd->id, A);
		return;
	case IR_MEAN:
		fprintf(o, "%sconst %s lc_t%zu = %s / %s;\n", ind, T, nd->id, A, gk_num(g, (double)nd->a->n));
		return;
	case IR_NORM2:
		fprintf(o, "%sconst %s lc_t%zu = %s(%s);\n", ind, T, nd->id, gk_fn(g, "sqrt"), A);
		return;
	case IR_VMAX: case IR_VMIN:
		fprintf(o, "%s(void)lc_at%zu;  /* the argmax is for the gradient */\n", ind, nd->id);
		return;
	default:
		return;
	}
}

/* The spec's source line of a node, for the comments. */
static unsigned long gk_line(const gen_kernel *g, const ir_node *nd)
{
	return source_pos(g->loss->file->src, nd->span.start).line;
}

/* The value of a scalar, non-loop node (after its operands). */
static void gk_scalar(gen_kernel *g, FILE *o, const ir_node *nd, const char *ind)
{
	const char *T = g->T;
	switch (nd->op) {
	case IR_CONST:
		return;         /* inlined as a literal (g->var) */
	case IR_OUTPUT: case IR_INPUT: case IR_LABEL:
		if (nd->type == IRT_CLASS || gk_is_vec(nd))
			return; /* loaded and checked at the top of the row */
		fprintf(o, "%sconst %s lc_t%zu = %s[lc_r];\n", ind, T, nd->id, gk_item_name(g, nd->item));
		return;
	case IR_VEC: {
		fprintf(o, "%s%s lc_v%zu[%zu];\n", ind, T, nd->id, nd->nelems);
		for (size_t k = 0; k < nd->nelems; k++)
			fprintf(o, "%slc_v%zu[%zu] = %s;\n", ind, nd->id, k, g->var[nd->elems[k]->id]);
		return;
	}
	case IR_INDEX:
		fprintf(o, "%sconst %s lc_t%zu = %s;\n", ind, T, nd->id,
			gk_elem(g, nd->a, g->var[nd->b->id]));
		return;
	case IR_ONEHOT: case IR_SOFTMAX: case IR_LOG_SOFTMAX:
		return;         /* vectors: inlined where read */
	default:
		if (gk_is_vec(nd))
			return;
		if (gk_is_elementwise(nd->op)) {
			const char *a = g->var[nd->a->id];
			const char *b = nd->b ? g->var[nd->b->id] : NULL;
			fprintf(o, "%sconst %s lc_t%zu = %s;\n", ind, T, nd->id, gk_apply(g, nd, a, b));
			return;
		}
		g->unsupported = nd;
	}
}

/* Is nd a member of the fused pass of level lv over len elements? */
static int gk_in_pass(const gen_kernel *g, const ir_node *nd, int lv, long len)
{
	return gk_is_loop(nd) && g->level[nd->id] == lv && !g->looped[nd->id] && nd->a->n == len;
}

static int gk_is_lse(const ir_node *nd)
{
	return nd->op == IR_SOFTMAX || nd->op == IR_LOG_SOFTMAX || nd->op == IR_LOGSUMEXP;
}

/*
 * A loop over elements [from, to) in GEN_LANES lanes: the main loop takes
 * GEN_LANES elements a step, element lc_j = lc_j0 + lc_k in lane lc_k, and
 * the tail puts the last (to - from) % GEN_LANES elements in lanes 0, 1...
 * Elements are visited in increasing order.  body(ctx, ind) emits the
 * statements of one element; it is emitted twice.
 */
typedef void gk_body_fn(gen_kernel *g, FILE *o, const char *ind, const void *ctx);

static void gk_lanes_loop(gen_kernel *g, FILE *o, const char *ind, const char *from, const char *to,
			  gk_body_fn *body, const void *ctx)
{
	char in1[80], in2[80], in3[80];
	snprintf(in1, sizeof in1, "%.70s\t", ind);
	snprintf(in2, sizeof in2, "%.70s\t\t", ind);
	snprintf(in3, sizeof in3, "%.70s\t\t\t", ind);
	fprintf(o, "%s{\n%ssize_t lc_j0 = %s;\n", ind, in1, from);
	fprintf(o, "%sfor (; lc_j0 + %d <= %s; lc_j0 += %d)\n", in1, GEN_LANES, to, GEN_LANES);
	fprintf(o, "%s\tfor (size_t lc_k = 0; lc_k < %d; lc_k++) {\n%sconst size_t lc_j = lc_j0 + lc_k;\n",
		in1, GEN_LANES, in3);
	body(g, o, in3, ctx);
	fprintf(o, "%s\t}\n", in1);
	fprintf(o, "%sfor (size_t lc_j = lc_j0; lc_j < %s; lc_j++) {\n%s\tconst size_t lc_k = lc_j - lc_j0;\n",
		in1, to, in1);
	fprintf(o, "%s\t(void)lc_k;\n", in1);
	body(g, o, in2, ctx);
	fprintf(o, "%s}\n%s}\n", in1, ind);
}

/* The chunk max of one log-sum-exp (ctx: its node) */
static void gk_body_max(gen_kernel *g, FILE *o, const char *ind, const void *ctx)
{
	const ir_node *nd = ctx;
	const gk_lse *L = &g->lse[nd->a->id];
	fprintf(o, "%sconst %s lc_x = %s;\n%slc_cm%zu[lc_k] = lc_x > lc_cm%zu[lc_k] ? lc_x : lc_cm%zu[lc_k];\n",
		ind, g->T, gk_elem(g, nd->a, "lc_j"), ind, L->id, L->id, L->id);
}

/* Every accumulation of one fused pass (ctx: the pass) */
typedef struct gk_pass { size_t first; int lv; long len; } gk_pass;

static void gk_body_pass(gen_kernel *g, FILE *o, const char *ind, const void *ctx)
{
	const gk_pass *P = ctx;
	const ir_loss *l = g->loss;
	for (size_t k = P->first; k < l->nnodes; k++) {
		const ir_node *nd = l->nodes[k];
		if (gk_in_pass(g, nd, P->lv, P->len) && gk_is_lse(nd))
			g->lse[nd->a->id].emitted = 0;
	}
	for (size_t k = P->first; k < l->nnodes; k++) {
		const ir_node *nd = l->nodes[k];
		if (gk_in_pass(g, nd, P->lv, P->len))
			gk_loop_body(g, o, nd, ind, 1);
	}
}

/*
 * The per-row forward code: computes the value into lc_t<root> (and the
 * scalars the gradient reuses).  Class labels were loaded and checked by
 * the caller.
 */
void gk_forward_row(gen_kernel *g, FILE *o, const char *ind)
{
	const ir_loss *l = g->loss;
	char ind2[64];
	snprintf(ind2, sizeof ind2, "%.60s\t", ind);
	for (int lv = 0; lv <= g->maxlevel; lv++) {
		/* fused loops of this level, one per vector length */
		for (size_t i = 0; i < l->nnodes; i++) {
			const ir_node *first = l->nodes[i];
			if (!gk_is_loop(first) || g->level[first->id] != lv || g->looped[first->id])
				continue;
			long len = first->a->n;
			gk_pass pass = { i, lv, len };
			fprintf(o, "%s/* one pass over %ld elements:", ind, len);
			int has_lse = 0;
			for (size_t k = i; k < l->nnodes; k++) {
				const ir_node *nd = l->nodes[k];
				if (gk_in_pass(g, nd, lv, len)) {
					fprintf(o, " %s (line %lu)", ir_op_name(nd->op), gk_line(g, nd));
					has_lse |= gk_is_lse(nd);
				}
			}
			fprintf(o, " */\n");
			for (size_t k = i; k < l->nnodes; k++)
				if (gk_in_pass(g, l->nodes[k], lv, len))
					gk_loop_init(g, o, l->nodes[k], ind, has_lse);
			if (!has_lse) {
				fprintf(o, "%sfor (size_t lc_j = 0; lc_j < %ld; lc_j++) {\n", ind, len);
				for (size_t k = i; k < l->nnodes; k++)
					if (gk_in_pass(g, l->nodes[k], lv, len))
						gk_loop_body(g, o, l->nodes[k], ind2, 0);
				fprintf(o, "%s}\n", ind);
			} else {
				/*
				 * Log-sum-exp a chunk at a time: the chunk's max (its
				 * elements then sit in L1), one rescale of the running sum
				 * if the max grew, then the exp-sum and every other
				 * accumulation of this pass.  Memory sees one pass; the
				 * inner loops have no data-dependent branch, and run in
				 * GEN_LANES independent lanes so that they vectorize.
				 */
				if (len <= GEN_CHUNK)
					fprintf(o, "%s{\n%sconst size_t lc_b = 0, lc_e = %ld;\n", ind, ind2, len);
				else {
					fprintf(o, "%sfor (size_t lc_b = 0; lc_b < %ld; lc_b += %d) {\n", ind, len, GEN_CHUNK);
					fprintf(o, "%sconst size_t lc_e = lc_b + %d < %ld ? lc_b + %d : %ld;\n", ind2, GEN_CHUNK, len, GEN_CHUNK, len);
				}
				for (size_t k = i; k < l->nnodes; k++) {
					const ir_node *nd = l->nodes[k];
					if (!gk_in_pass(g, nd, lv, len) || !gk_is_lse(nd))
						continue;
					gk_lse *L = &g->lse[nd->a->id];
					if (L->chunked)
						continue;
					L->chunked = 1;
					const char *inf = g->f32 ? "HUGE_VALF" : "HUGE_VAL";
					fprintf(o, "%s/* the chunk's max, then its exp-sum, lane by lane */\n", ind2);
					fprintf(o, "%s%s lc_cm%zu[%d], lc_cs%zu[%d];\n", ind2, g->T, L->id, GEN_LANES, L->id, GEN_LANES);
					fprintf(o, "%sfor (size_t lc_k = 0; lc_k < %d; lc_k++)\n%s\tlc_cm%zu[lc_k] = -%s, lc_cs%zu[lc_k] = %s;\n",
						ind2, GEN_LANES, ind2, L->id, inf, L->id, gk_num(g, 0));
					gk_lanes_loop(g, o, ind2, "lc_b", "lc_e", gk_body_max, nd);
					fprintf(o, "%s%s lc_mx%zu = -%s;\n%sfor (size_t lc_k = 0; lc_k < %d; lc_k++)\n"
						"%s\tlc_mx%zu = lc_cm%zu[lc_k] > lc_mx%zu ? lc_cm%zu[lc_k] : lc_mx%zu;\n",
						ind2, g->T, L->id, inf, ind2, GEN_LANES, ind2, L->id, L->id, L->id, L->id, L->id);
					if (len <= GEN_CHUNK)
						fprintf(o, "%slc_m%zu = lc_mx%zu;\n", ind2, L->id, L->id);
					else
						fprintf(o, "%sif (lc_mx%zu > lc_m%zu) {\n%s\tif (lc_s%zu > 0)\n%s\t\tlc_s%zu *= %s(lc_m%zu - lc_mx%zu);\n"
							"%s\tlc_m%zu = lc_mx%zu;\n%s}\n", ind2, L->id, L->id, ind2, L->id, ind2, L->id,
							gk_fn(g, "exp"), L->id, L->id, ind2, L->id, L->id, ind2);
				}
				gk_lanes_loop(g, o, ind2, "lc_b", "lc_e", gk_body_pass, &pass);
				for (size_t k = i; k < l->nnodes; k++) {
					const ir_node *nd = l->nodes[k];
					if (!gk_in_pass(g, nd, lv, len) || !gk_is_lse(nd))
						continue;
					gk_lse *L = &g->lse[nd->a->id];
					if (L->chunked != 1)
						continue;
					L->chunked = 2;
					fprintf(o, "%sfor (size_t lc_k = 0; lc_k < %d; lc_k++)\n%s\tlc_s%zu += lc_cs%zu[lc_k];\n",
						ind2, GEN_LANES, ind2, L->id, L->id);
				}
				fprintf(o, "%s}\n", ind);
			}
			for (size_t k = i; k < l->nnodes; k++) {
				const ir_node *nd = l->nodes[k];
				if (gk_in_pass(g, nd, lv, len)) {
					gk_loop_finish(g, o, nd, ind, has_lse);
					g->looped[nd->id] = 1;
				}
			}
		}
		/* scalars of this level, operands first */
		for (size_t i = 0; i < l->nnodes; i++) {
			const ir_node *nd = l->nodes[i];
			if (g->level[nd->id] == lv && !gk_is_loop(nd))
				gk_scalar(g, o, nd, ind);
		}
	}
	/* reset for the next caller (forward and gradient both emit the row) */
	for (size_t i = 0; i < l->nnodes; i++)
		g->looped[i] = 0;
	for (size_t i = 0; i < l->nnodes; i++) {
		g->lse[i].emitted = 0;
		g->lse[i].finished = 0;
		g->lse[i].chunked = 0;
		g->lse[i].declared = 0;
	}
}

/* ---- setup ------------------------------------------------------------- */

void gk_init(gen_kernel *g, const ir_loss *l, int index, arena *a)
{
	memset(g, 0, sizeof *g);
	g->loss = l;
	g->index = index;
	g->arena = a;
	g->f32 = l->precision == PREC_FLOAT32;
	g->T = g->f32 ? "float" : "double";
	size_t n = l->nnodes ? l->nnodes : 1;
	g->var = arena_alloc(a, n * sizeof *g->var);
	g->level = arena_alloc(a, n * sizeof *g->level);
	g->dep = arena_alloc(a, n * sizeof *g->dep);
	g->looped = arena_alloc(a, n * sizeof *g->looped);
	g->lse = arena_alloc(a, n * sizeof *g->lse);
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		if (nd->op == IR_CONST && !nd->vals)
			g->var[i] = gk_num(g, nd->num);
		else if (nd->type == IRT_CLASS)
			g->var[i] = gk_fmt(g, "lc_y%zu", nd->id);
		else
			g->var[i] = gk_fmt(g, "lc_t%zu", nd->id);
	}
	gk_levels(g);
}

/* ---- reverse mode ------------------------------------------------------ */

static const char *gk_temp(gen_kernel *g, FILE *o, const char *ind, const char *expr)
{
	const char *name = gk_fmt(g, "lc_h%d", g->ntemps++);
	fprintf(o, "%sconst %s %s = %s;\n", ind, g->T, name, expr);
	return name;
}

static void gk_add_term(gen_kernel *g, size_t id, int kind, const char *coef, const char *at, const char *elem)
{
	gk_term *t = arena_alloc(g->arena, sizeof *t);
	t->kind = kind;
	t->coef = coef;
	t->at = at;
	t->elem = elem;
	t->next = g->adj[id];
	g->adj[id] = t;
}

/* The whole adjoint of a vector node at element lc_j, as one expression. */
static const char *gk_adj_expr(gen_kernel *g, const gk_term *t)
{
	const char *s = NULL;
	for (; t; t = t->next) {
		const char *x;
		if (t->kind == GT_ONE)
			x = t->coef;
		else if (t->kind == GT_ELEM)
			x = gk_fmt(g, "%s * %s", t->coef, t->elem);
		else
			x = gk_fmt(g, "((int64_t)lc_j == (int64_t)%s ? %s : %s)", t->at, t->coef, gk_num(g, 0));
		s = s ? gk_fmt(g, "%s + %s", s, x) : x;
	}
	return s ? s : gk_num(g, 0);
}

/*
 * sum_j adj(j) * w(j) for a vector node's adjoint terms, into a new
 * local.  w_at(j) is given as an expression of lc_j (w_j) and as a
 * function of an index for the one-hot terms (w_y); NULL w means 1.
 * Constant and one-hot terms fold; element terms need one loop.
 */
static const char *gk_adj_sum(gen_kernel *g, FILE *o, const char *ind, const gk_term *terms,
			      long len, const char *w_j, const ir_node *w_node, int w_kind,
			      int ones_sum_to_one)
{
	/* w_kind: 0 = weight 1; 1 = weight elem(w_node, idx); 2 = weight exp(elem(w_node, idx)) */
	const char *acc = gk_fmt(g, "lc_h%d", g->ntemps++);
	fprintf(o, "%s%s %s = %s;\n", ind, g->T, acc, gk_num(g, 0));
	int need_loop = 0;
	for (const gk_term *t = terms; t; t = t->next) {
		if (t->kind == GT_ONEHOT) {
			const char *w = w_kind == 0 ? NULL : gk_elem(g, w_node, t->at);
			if (w && w_kind == 2)
				w = gk_fmt(g, "%s(%s)", g->f32 ? "expf" : "exp", w);
			fprintf(o, "%s%s += %s%s%s;\n", ind, acc, t->coef, w ? " * " : "", w ? w : "");
		} else if (t->kind == GT_ONE && (w_kind == 0 || ones_sum_to_one)) {
			if (w_kind == 0)
				fprintf(o, "%s%s += %s * %s;\n", ind, acc, gk_num(g, (double)len), t->coef);
			else
				fprintf(o, "%s%s += %s;  /* a softmax sums to 1 */\n", ind, acc, t->coef);
		} else {
			need_loop = 1;
		}
	}
	if (need_loop) {
		fprintf(o, "%sfor (size_t lc_j = 0; lc_j < %ld; lc_j++) {\n", ind, len);
		for (const gk_term *t = terms; t; t = t->next) {
			if (t->kind == GT_ONEHOT || (t->kind == GT_ONE && (w_kind == 0 || ones_sum_to_one)))
				continue;
			const char *x = t->kind == GT_ONE ? t->coef : gk_fmt(g, "%s * %s", t->coef, t->elem);
			fprintf(o, "%s\t%s += %s%s%s;\n", ind, acc, x, w_j ? " * " : "", w_j ? w_j : "");
		}
		fprintf(o, "%s}\n", ind);
	}
	return acc;
}

/* Push a vector adjoint through an elementwise op to a vector operand k. */
static void gk_push_elementwise(gen_kernel *g, FILE *o, const char *ind, const ir_node *c, int k)
{
	const ir_node *x = k == 0 ? c->a : c->b;
	const char *pj = gk_partial(g, c, k, gk_elem(g, c->a, "lc_j"),
				    c->b ? gk_elem(g, c->b, "lc_j") : NULL);
	if (gk_is_vec(x)) {
		for (const gk_term *t = g->adj[c->id]; t; t = t->next) {
			if (t->kind == GT_ONE)
				gk_add_term(g, x->id, GT_ELEM, t->coef, NULL, pj);
			else if (t->kind == GT_ELEM)
				gk_add_term(g, x->id, GT_ELEM, t->coef, NULL, gk_fmt(g, "(%s * %s)", t->elem, pj));
			else {
				const char *py = gk_partial(g, c, k, gk_elem(g, c->a, t->at),
							    c->b ? gk_elem(g, c->b, t->at) : NULL);
				const char *h = gk_temp(g, o, ind, gk_fmt(g, "%s * %s", t->coef, py));
				gk_add_term(g, x->id, GT_ONEHOT, h, t->at, NULL);
			}
		}
		return;
	}
	/* a broadcast scalar: its adjoint sums over the vector */
	const char *acc = gk_fmt(g, "lc_h%d", g->ntemps++);
	fprintf(o, "%s%s %s = %s;\n", ind, g->T, acc, gk_num(g, 0));
	int need_loop = 0;
	for (const gk_term *t = g->adj[c->id]; t; t = t->next) {
		if (t->kind == GT_ONEHOT) {
			const char *py = gk_partial(g, c, k, gk_elem(g, c->a, t->at),
						    c->b ? gk_elem(g, c->b, t->at) : NULL);
			fprintf(o, "%s%s += %s * %s;\n", ind, acc, t->coef, py);
		} else if (t->kind == GT_ONE && !strstr(pj, "lc_j")) {
			fprintf(o, "%s%s += %s * %s * %s;\n", ind, acc, gk_num(g, (double)c->n), t->coef, pj);
		} else {
			need_loop = 1;
		}
	}
	if (need_loop) {
		fprintf(o, "%sfor (size_t lc_j = 0; lc_j < %ld; lc_j++) {\n", ind, c->n);
		for (const gk_term *t = g->adj[c->id]; t; t = t->next) {
			if (t->kind == GT_ONEHOT || (t->kind == GT_ONE && !strstr(pj, "lc_j")))
				continue;
			if (t->kind == GT_ONE)
				fprintf(o, "%s\t%s += %s * %s;\n", ind, acc, t->coef, pj);
			else
				fprintf(o, "%s\t%s += %s * %s * %s;\n", ind, acc, t->coef, t->elem, pj);
		}
		fprintf(o, "%s}\n", ind);
	}
	fprintf(o, "%slc_g%zu += %s;\n", ind, x->id, acc);
}

/* One element of a gradient row (ctx: its expression) */
static void gk_body_drow(gen_kernel *g, FILE *o, const char *ind, const void *ctx)
{
	(void)g;
	fprintf(o, "%slc_d[lc_j] = %s;\n", ind, (const char *)ctx);
}

/*
 * The per-row gradient, after gk_forward_row(): scalar adjoints lc_gK,
 * then the rows of the output gradients, scaled by lc_w (the batch
 * weight of this row).
 */
void gk_backward_row(gen_kernel *g, FILE *o, const char *ind)
{
	const ir_loss *l = g->loss;
	size_t nn = l->nnodes;
	g->adj = arena_alloc(g->arena, (nn ? nn : 1) * sizeof *g->adj);
	for (size_t i = 0; i < nn; i++) {
		const ir_node *nd = l->nodes[i];
		if (g->dep[i] && !gk_is_vec(nd) && nd->type == IRT_REAL)
			fprintf(o, "%s%s lc_g%zu = %s;\n", ind, g->T, nd->id, gk_num(g, 0));
	}
	fprintf(o, "%slc_g%zu = lc_w;\n", ind, l->root->id);
	for (size_t i = nn; i-- > 0;) {
		const ir_node *c = l->nodes[i];
		if (!g->dep[i] || c->op == IR_OUTPUT)
			continue;
		if (!gk_is_vec(c)) {
			const char *gc = gk_fmt(g, "lc_g%zu", c->id);
			if (gk_is_elementwise(c->op)) {
				const char *a = g->var[c->a->id];
				const char *b = c->b ? g->var[c->b->id] : NULL;
				if (g->dep[c->a->id])
					fprintf(o, "%slc_g%zu += %s * %s;\n", ind, c->a->id, gc, gk_partial(g, c, 0, a, b));
				if (c->b && g->dep[c->b->id])
					fprintf(o, "%slc_g%zu += %s * %s;\n", ind, c->b->id, gc, gk_partial(g, c, 1, a, b));
				continue;
			}
			const ir_node *v = c->a;
			switch (c->op) {
			case IR_INDEX:
				gk_add_term(g, v->id, GT_ONEHOT, gc, g->var[c->b->id], NULL);
				break;
			case IR_SUM:
				gk_add_term(g, v->id, GT_ONE, gc, NULL, NULL);
				break;
			case IR_MEAN:
				gk_add_term(g, v->id, GT_ONE, gk_temp(g, o, ind, gk_fmt(g, "%s / %s", gc, gk_num(g, (double)v->n))), NULL, NULL);
				break;
			case IR_VMAX: case IR_VMIN:
				gk_add_term(g, v->id, GT_ONEHOT, gc, gk_fmt(g, "lc_at%zu", c->id), NULL);
				break;
			case IR_LOGSUMEXP: {
				const gk_lse *L = &g->lse[v->id];
				gk_add_term(g, v->id, GT_ELEM, gc, NULL,
					    gk_fmt(g, "(%s(%s - lc_m%zu) * lc_is%zu)", gk_exp_shifted(g),
						   gk_elem(g, v, "lc_j"), L->id, L->id));
				break;
			}
			case IR_NORM1:
				gk_add_term(g, v->id, GT_ELEM, gc, NULL,
					    gk_fmt(g, "lc_sign_%s(%s)", g->f32 ? "f" : "d", gk_elem(g, v, "lc_j")));
				g->helpers[GH_SIGN] = 1;
				break;
			case IR_NORM2:
				/* d|v|/dv = v/|v|; at the zero vector, 0 (a subgradient) */
				gk_add_term(g, v->id, GT_ELEM,
					    gk_temp(g, o, ind, gk_fmt(g, "lc_t%zu > %s ? %s / lc_t%zu : %s", c->id,
								   gk_num(g, 0), gc, c->id, gk_num(g, 0))),
					    NULL, gk_elem(g, v, "lc_j"));
				break;
			case IR_DOT:
				if (g->dep[c->a->id])
					gk_add_term(g, c->a->id, GT_ELEM, gc, NULL, gk_elem(g, c->b, "lc_j"));
				if (g->dep[c->b->id])
					gk_add_term(g, c->b->id, GT_ELEM, gc, NULL, gk_elem(g, c->a, "lc_j"));
				break;
			default:
				g->unsupported = c;
			}
			continue;
		}
		/* vectors */
		if (!g->adj[c->id])
			continue;
		if (gk_is_elementwise(c->op)) {
			if (g->dep[c->a->id])
				gk_push_elementwise(g, o, ind, c, 0);
			if (c->b && g->dep[c->b->id])
				gk_push_elementwise(g, o, ind, c, 1);
			continue;
		}
		switch (c->op) {
		case IR_SOFTMAX: {
			/* da_j = s_j * (g_j - sum_k g_k s_k) */
			const char *sj = gk_elem(g, c, "lc_j");
			const char *rho = gk_adj_sum(g, o, ind, g->adj[c->id], c->n, sj, c, 1, 1);
			for (const gk_term *t = g->adj[c->id]; t; t = t->next) {
				if (t->kind == GT_ONE)
					gk_add_term(g, c->a->id, GT_ELEM, t->coef, NULL, sj);
				else if (t->kind == GT_ELEM)
					gk_add_term(g, c->a->id, GT_ELEM, t->coef, NULL, gk_fmt(g, "(%s * %s)", t->elem, sj));
				else
					gk_add_term(g, c->a->id, GT_ONEHOT,
						    gk_temp(g, o, ind, gk_fmt(g, "%s * %s", t->coef, gk_elem(g, c, t->at))),
						    t->at, NULL);
			}
			gk_add_term(g, c->a->id, GT_ELEM, gk_temp(g, o, ind, gk_fmt(g, "-%s", rho)), NULL, sj);
			break;
		}
		case IR_LOG_SOFTMAX: {
			/* da_j = g_j - softmax_j * sum_k g_k: the fused softmax - onehot */
			const char *sigma = gk_adj_sum(g, o, ind, g->adj[c->id], c->n, NULL, NULL, 0, 0);
			for (const gk_term *t = g->adj[c->id]; t; t = t->next)
				gk_add_term(g, c->a->id, t->kind, t->coef, t->at, t->elem);
			gk_add_term(g, c->a->id, GT_ELEM, gk_temp(g, o, ind, gk_fmt(g, "-%s", sigma)), NULL,
				    gk_fmt(g, "(%s(%s - lc_m%zu) * lc_is%zu)", gk_exp_shifted(g),
					   gk_elem(g, c->a, "lc_j"), g->lse[c->a->id].id, g->lse[c->a->id].id));
			break;
		}
		case IR_VEC: {
			fprintf(o, "%s%s lc_dv%zu[%zu];\n", ind, g->T, c->id, c->nelems);
			fprintf(o, "%sfor (size_t lc_j = 0; lc_j < %zu; lc_j++)\n%s\tlc_dv%zu[lc_j] = %s;\n",
				ind, c->nelems, ind, c->id, gk_adj_expr(g, g->adj[c->id]));
			for (size_t k = 0; k < c->nelems; k++)
				if (g->dep[c->elems[k]->id])
					fprintf(o, "%slc_g%zu += lc_dv%zu[%zu];\n", ind, c->elems[k]->id, c->id, k);
			break;
		}
		default:
			g->unsupported = c;
		}
	}

	/* the output rows */
	for (size_t p = 0; p < g->nouts; p++) {
		const gk_param *P = &g->params[p];
		if (P->dim == 0) {
			fprintf(o, "%s%s[lc_r] = %s", ind, P->dname, gk_num(g, 0));
			for (size_t i = 0; i < nn; i++)
				if (l->nodes[i]->op == IR_OUTPUT && l->nodes[i]->item == P->item)
					fprintf(o, " + lc_g%zu", l->nodes[i]->id);
			fprintf(o, ";\n");
			continue;
		}
		gk_term *all = NULL;
		for (size_t i = 0; i < nn; i++) {
			if (l->nodes[i]->op != IR_OUTPUT || l->nodes[i]->item != P->item)
				continue;
			for (const gk_term *t = g->adj[i]; t; t = t->next) {
				gk_term *c = arena_alloc(g->arena, sizeof *c);
				*c = *t;
				c->next = all;
				all = c;
			}
		}
		gk_term *dense = NULL, *hot = NULL;
		for (gk_term *t = all, *nx; t; t = nx) {
			nx = t->next;
			if (t->kind == GT_ONEHOT) {
				t->next = hot;
				hot = t;
			} else {
				t->next = dense;
				dense = t;
			}
		}
		fprintf(o, "%s/* this row of d(batch loss)/d %s (output, spec line %lu) */\n", ind, P->name,
			source_pos(l->file->src, P->item->span.start).line);
		fprintf(o, "%s{\n%s\t%s *lc_d = %s + lc_r * (size_t)%ld;\n", ind, ind, g->T, P->dname, P->dim);
		char in1[80];
		snprintf(in1, sizeof in1, "%.70s\t", ind);
		gk_lanes_loop(g, o, in1, "0", gk_fmt(g, "%ld", P->dim), gk_body_drow, gk_adj_expr(g, dense));
		for (gk_term *t = hot; t; t = t->next)
			fprintf(o, "%s\tlc_d[%s] += %s;\n", ind, t->at, t->coef);
		fprintf(o, "%s}\n", ind);
	}
}

/* ---- the API ------------------------------------------------------------ */

const char *gk_item_name(gen_kernel *g, const ast_item *item)
{
	for (size_t i = 0; i < g->nparams; i++)
		if (g->params[i].item == item)
			return g->params[i].name;
	g->unsupported = g->loss->root;
	return "lc_missing";
}

void gk_api(gen_kernel *g, gen_names *names, const char *prefix)
{
	const ir_loss *l = g->loss;
	size_t cap = 0;
	for (const ast_item *it = l->loss->items; it; it = it->next)
		cap++;
	if (l->dataset)
		for (const ast_item *it = l->dataset->items; it; it = it->next)
			cap++;
	g->params = arena_alloc(g->arena, (cap ? cap : 1) * sizeof *g->params);
	gen_names local;
	gen_names_init(&local);
	for (const ast_item *it = l->loss->items; it; it = it->next)
		if (it->kind == IT_OUTPUT) {
			gk_param *P = &g->params[g->nparams++];
			P->item = it;
			P->dim = it->type.dim;
		}
	g->nouts = g->nparams;
	if (l->dataset)
		for (const ast_item *it = l->dataset->items; it; it = it->next)
			if ((it->kind == IT_INPUT || it->kind == IT_LABEL) && ir_uses_item(l, it)) {
				gk_param *P = &g->params[g->nparams++];
				P->item = it;
				P->is_class = it->type.kind == TY_CLASS;
				P->dim = P->is_class ? 0 : it->type.dim;
			}
	for (size_t i = 0; i < g->nparams; i++)
		g->params[i].name = gk_fmt(g, "%s", gen_names_claim(&local, g->params[i].item->name.s));
	for (size_t i = 0; i < g->nouts; i++)
		g->params[i].dname = gk_fmt(g, "%s", gen_names_claim(&local,
			gk_fmt(g, "d_%s", g->params[i].item->name.s)));
	gen_names_free(&local);
	g->loss_name = l->loss->name.s;
	g->fname = gk_fmt(g, "%s", gen_names_claim(names, gk_fmt(g, "%s%s", prefix, l->loss->name.s)));
	g->gname = gk_fmt(g, "%s", gen_names_claim(names, gk_fmt(g, "%s_grad", g->fname)));
}

/*
 * Every pointer is restrict (C99): the buffers written (each, d_*) must
 * not overlap any other argument.  It lets the compiler vectorize the
 * gradient rows without run-time overlap checks.
 */
static void gk_param_list(gen_kernel *g, FILE *o, int grad)
{
	const ir_loss *l = g->loss;
	fprintf(o, "size_t n");
	for (size_t i = 0; i < g->nparams; i++)
		fprintf(o, ", const %s *restrict %s", g->params[i].is_class ? "int32_t" : g->T, g->params[i].name);
	if (!grad && l->reduce == RED_NONE)
		fprintf(o, ", %s *restrict each", g->T);
	if (grad) {
		if (l->reduce == RED_NONE)
			fprintf(o, ", const %s *restrict upstream", g->T);
		for (size_t i = 0; i < g->nouts; i++)
			fprintf(o, ", %s *restrict %s", g->T, g->params[i].dname);
	}
}

void gk_prototypes(gen_kernel *g, FILE *o)
{
	const char *ret = g->loss->reduce == RED_NONE ? "void" : g->T;
	fprintf(o, "%s %s(", ret, g->fname);
	gk_param_list(g, o, 0);
	fprintf(o, ");\n%s %s(", ret, g->gname);
	gk_param_list(g, o, 1);
	fprintf(o, ");\n");
}

void gk_constants(gen_kernel *g, FILE *o)
{
	for (size_t i = 0; i < g->loss->nnodes; i++) {
		const ir_node *nd = g->loss->nodes[i];
		if (nd->op != IR_CONST || !nd->vals)
			continue;
		fprintf(o, "/* a constant vector of loss %d, from spec line %lu */\n"
			"static const %s lc_c%d_%zu[%ld] = {", g->index, gk_line(g, nd),
			g->T, g->index, nd->id, nd->n);
		for (long k = 0; k < nd->n; k++) {
			char buf[64];
			fprintf(o, "%s%s", k % 4 ? " " : "\n\t", gen_c_number(nd->vals[k], g->f32, buf, sizeof buf));
			if (k + 1 < nd->n)
				fputc(',', o);
		}
		fprintf(o, "\n};\n\n");
	}
}

/* Row setup shared by both functions: row pointers and class labels. */
static void gk_row_head(gen_kernel *g, FILE *o, int grad)
{
	const ir_loss *l = g->loss;
	for (size_t i = 0; i < g->nparams; i++) {
		const gk_param *P = &g->params[i];
		if (P->dim > 0 && ir_uses_item(l, P->item))
			fprintf(o, "\t\tconst %s *lc_row_%s = %s + lc_r * (size_t)%ld;\n", g->T, P->name, P->name, P->dim);
	}
	int any = 0;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		if (nd->op == IR_LABEL && nd->type == IRT_CLASS) {
			fprintf(o, "\t\tconst int32_t lc_y%zu = %s[lc_r];\n", nd->id, gk_item_name(g, nd->item));
			any = 1;
		}
	}
	if (!any)
		return;
	fprintf(o, "\t\tif (");
	int first = 1;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		if (nd->op == IR_LABEL && nd->type == IRT_CLASS) {
			fprintf(o, "%s!(lc_y%zu >= 0 && lc_y%zu < %ld)", first ? "" : " || ", nd->id, nd->id, nd->n);
			first = 0;
		}
	}
	fprintf(o, ") {\n\t\t\t/* a class label out of range: this row's value is NaN%s */\n",
		grad ? " and its gradient rows are zero" : "");
	if (grad) {
		for (size_t p = 0; p < g->nouts; p++) {
			const gk_param *P = &g->params[p];
			if (P->dim == 0)
				fprintf(o, "\t\t\t%s[lc_r] = %s;\n", P->dname, gk_num(g, 0));
			else
				fprintf(o, "\t\t\tfor (size_t lc_j = 0; lc_j < %ld; lc_j++)\n"
					"\t\t\t\t%s[lc_r * (size_t)%ld + lc_j] = %s;\n", P->dim, P->dname, P->dim, gk_num(g, 0));
		}
	}
	if (l->reduce == RED_NONE) {
		if (!grad)
			fprintf(o, "\t\t\teach[lc_r] = NAN;\n");
	} else {
		fprintf(o, "\t\t\tlc_acc += NAN;\n");
	}
	fprintf(o, "\t\t\tcontinue;\n\t\t}\n");
}

void gk_functions(gen_kernel *g, FILE *o)
{
	const ir_loss *l = g->loss;
	const char *ret = l->reduce == RED_NONE ? "void" : g->T;
	for (int grad = 0; grad <= 1; grad++) {
		fprintf(o, "%s %s(", ret, grad ? g->gname : g->fname);
		gk_param_list(g, o, grad);
		fprintf(o, ")\n{\n");
		/* An output the value does not read is still a parameter: keep
		   -Wunused-parameter quiet about it in the caller's build. */
		for (size_t p = 0; p < g->nouts; p++)
			fprintf(o, "\t(void)%s;\n", g->params[p].name);
		if (l->reduce != RED_NONE)
			fprintf(o, "\t/* the batch %s, accumulated in double */\n\tdouble lc_acc = 0.0;\n",
				l->reduce == RED_MEAN ? "mean" : "sum");
		if (grad && l->reduce == RED_MEAN)
			fprintf(o, "\tconst %s lc_w = (%s)(1.0 / (double)n);\n", g->T, g->T);
		else if (grad && l->reduce == RED_SUM)
			fprintf(o, "\tconst %s lc_w = %s;\n", g->T, gk_num(g, 1));
		fprintf(o, "\tfor (size_t lc_r = 0; lc_r < n; lc_r++) {\n");
		if (grad && l->reduce == RED_NONE)
			fprintf(o, "\t\tconst %s lc_w = upstream[lc_r];\n", g->T);
		gk_row_head(g, o, grad);
		gk_forward_row(g, o, "\t\t");
		if (l->reduce == RED_NONE) {
			if (!grad)
				fprintf(o, "\t\teach[lc_r] = %s;\n", g->var[l->root->id]);
			else
				fprintf(o, "\t\t(void)%s;  /* the value is the caller's; only its gradient is needed */\n", g->var[l->root->id]);
		} else {
			fprintf(o, "\t\tlc_acc += (double)%s;\n", g->var[l->root->id]);
		}
		if (grad) {
			fprintf(o, "\t\t/* the gradient of this row, reverse mode */\n");
			g->ntemps = 0;
			gk_backward_row(g, o, "\t\t");
		}
		fprintf(o, "\t}\n");
		if (l->reduce == RED_MEAN)
			fprintf(o, "\treturn (%s)(lc_acc / (double)n);\n", g->T);
		else if (l->reduce == RED_SUM)
			fprintf(o, "\treturn (%s)lc_acc;\n", g->T);
		fprintf(o, "}\n\n");
	}
}

/* ---- helpers ------------------------------------------------------------ */

static const char *const gk_helper_src[GH_COUNT] = {
	/* softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|): never overflows */
	"static T lc_softplus_S(T x)\n{\n\treturn (x > 0 ? x : 0) + log1pF(expF(-fabsF(x)));\n}\n",
	/* log_sigmoid(x) = -softplus(-x) */
	"static T lc_log_sigmoid_S(T x)\n{\n\treturn (x < 0 ? x : 0) - log1pF(expF(-fabsF(x)));\n}\n",
	/* sigmoid without overflow: exp of a non-positive number only */
	"static T lc_sigmoid_S(T x)\n{\n\tif (x >= 0)\n\t\treturn 1 / (1 + expF(-x));\n"
	"\telse {\n\t\tconst T e = expF(x);\n\t\treturn e / (1 + e);\n\t}\n}\n",
	/* PyTorch's elementwise Huber */
	"static T lc_huber_S(T a, T delta)\n{\n\tconst T m = fabsF(a);\n"
	"\treturn m <= delta ? (T)0.5 * a * a : delta * (m - (T)0.5 * delta);\n}\n",
	"static T lc_huber_d_S(T a, T delta)\n{\n\treturn a > delta ? delta : a < -delta ? -delta : a;\n}\n",
	/* x log x with 0 log 0 = 0 (PyTorch's xlogy(x, x)) */
	"static T lc_xlogx_S(T x)\n{\n\treturn x == 0 ? 0 : x * logF(x);\n}\n",
	/* sign, 0 at 0: the subgradient PyTorch uses for |x| */
	"static T lc_sign_S(T x)\n{\n\treturn (T)((x > 0) - (x < 0));\n}\n",
	/*
	 * e^x for float32, x <= 0 (a logit minus its row's max) or NaN; also
	 * right up to x = 88.  Inline and without a branch, so loops over it
	 * vectorize (a call to expf stops that).  e^x = 2^k e^r with
	 * k = round(x / ln 2) and |r| <= ln(2) / 2; e^r by its Taylor series to
	 * r^7 (truncation < 6e-9 relative; about 1 ulp of rounding in all).
	 * Adding 1.5 * 2^23 rounds x / ln 2 to an integer held in the low bits
	 * (no float-to-int conversion); ln 2 is split in two so k * ln2_hi is
	 * exact.  Below ln(FLT_MIN) = -87.33 the result is 0 (no subnormals).
	 * Only the float32 kernels use it; float64 calls exp.
	 */
	"static inline float lc_exp_shifted_S(float x)\n{\n"
	"\tunion { uint32_t u; float f; } kb, s, e;\n"
	"\tkb.f = x * 1.44269504f + 12582912.0f;                        /* 1.5 * 2^23 + k */\n"
	"\tconst float kf = (float)(int32_t)(kb.u & 0x7FFFFFu) - 4194304.0f; /* k */\n"
	"\tconst float r = (x - kf * 0.693359375f) - kf * -2.12194440e-4f;\n"
	"\tconst float p = 1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24\n"
	"\t\t+ r * (1.0f / 120 + r * (1.0f / 720 + r * (1.0f / 5040)))))));\n"
	"\ts.u = (kb.u - 0x4B400000u + 127u) << 23;                      /* 2^k */\n"
	"\te.f = p * s.f;\n"
	"\t/* a mask, not a branch: 0 below -87.33; NaN passes */\n"
	"\te.u &= (uint32_t)(x < -87.33f) - 1u;\n"
	"\treturn e.f;\n}\n",
};

void gk_helpers(FILE *o, const int *used_f32, const int *used_f64)
{
	for (int prec = 0; prec < 2; prec++) {
		const int *used = prec == 0 ? used_f32 : used_f64;
		for (int h = 0; h < GH_COUNT; h++) {
			if (!used[h])
				continue;
			for (const char *p = gk_helper_src[h]; *p; p++) {
				if (*p == 'T' && (p == gk_helper_src[h] || !(p[-1] >= 'a' && p[-1] <= 'z'))
				    && !(p[1] >= 'a' && p[1] <= 'z'))
					fputs(prec == 0 ? "float" : "double", o);
				else if (*p == 'S' && p[-1] == '_')
					fputs(prec == 0 ? "f" : "d", o);
				else if (*p == 'F' && p[-1] >= 'a' && p[-1] <= 'z') {
					if (prec == 0)
						fputc('f', o);
				} else
					fputc(*p, o);
			}
			fputc('\n', o);
		}
	}
}
