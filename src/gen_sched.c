/*
 * gen_sched.c: the forward row of a kernel, and where each value is
 * computed.
 *
 *   - every scalar node becomes one local (`lc_tK`, K = the node's id);
 *   - vector nodes are never stored: each is an element expression
 *     (`gk_elem`) inlined into the loops that read it, so an elementwise
 *     chain costs no memory traffic;
 *   - reductions (sum, max, norm2, ...) and the scaled sums hidden in
 *     softmax and log_softmax are loops; loops of the same length whose
 *     element expressions depend only on already-known scalars share ONE
 *     pass ("level" scheduling), so cross-entropy's forward reads the
 *     logits once;
 *   - a scaled sum (a log-sum-exp, norm2's sum of squares) runs a chunk at
 *     a time: the chunk's max, one rescale of the running sum if the max
 *     grew, then the chunk's terms, in GEN_LANES independent lanes.
 *
 * What each loop accumulates, and how it finishes, is the op row's
 * (op_loop, op_scale, op_vector); nothing here names an op.
 */
#include "gen_impl.h"

#include <ctype.h>
#include <string.h>

int gk_is_vec(const ir_node *nd)
{
	return ir_is_vec(nd);
}

/* The scaled sum a loop node reads (of its operand 0), or NULL. */
static const op_scale *node_scale(const ir_node *nd)
{
	const op_info *row = &ops[nd->op];
	return row->loop ? row->loop->scale : row->vec ? row->vec->scale : NULL;
}

const op_scale *gk_node_scale(const ir_node *nd)
{
	return node_scale(nd);
}

gk_scale *gk_scale_of(gen_kernel *g, const ir_node *operand, const op_scale *s)
{
	for (gk_scale *S = g->scales[operand->id]; S; S = S->next)
		if (S->s == s)
			return S;
	gk_scale *S = arena_alloc(g->arena, sizeof *S);
	S->s = s;
	S->operand = operand->id;
	S->next = g->scales[operand->id];
	g->scales[operand->id] = S;
	return S;
}

void gk_scale_env(gen_kernel *g, const gk_scale *S, gt_env *e)
{
	e->max = gk_fmt(g, "lc_m%zu", S->id);
	e->der[0] = S->s->derived[0] ? gk_fmt(g, "lc_ls%zu", S->id) : NULL;
	e->der[1] = S->s->derived[1] ? gk_fmt(g, "lc_is%zu", S->id) : NULL;
}

/* Ops that own a loop over their (vector) operand. */
static int gk_is_loop(const ir_node *nd)
{
	return ops[nd->op].kind == OK_REDUCE || (ops[nd->op].kind == OK_VECTOR && node_scale(nd));
}

/*
 * The C expression for element `idx` of node nd (idx: a C expression of
 * type size_t or int32_t).  Scalars ignore idx (broadcast).
 */
const char *gk_elem(gen_kernel *g, const ir_node *nd, const char *idx)
{
	if (!gk_is_vec(nd))
		return g->var[nd->id];
	if (gk_is_mat_leaf(g, nd))      /* kept for the batch: this row of it (gen_cross.c) */
		return gk_fmt(g, "lc_m%zu[%s]", nd->id, idx);
	const op_info *row = &ops[nd->op];
	const char *a[OP_MAX_ARGS] = { NULL, NULL, NULL };
	switch (row->kind) {
	case OK_LEAF:
		if (g->vmode)   /* 8 elements from idx on (gen_vec.c) */
			return nd->op == IR_CONST ? gk_fmt(g, "LC_VLD(lc_c%d_%zu, %s)", g->index, nd->id, idx)
				: gk_fmt(g, "LC_VLD(lc_row_%s, %s)", gk_item_name(g, nd->item), idx);
		if (nd->op == IR_CONST)
			return gk_fmt(g, "lc_c%d_%zu[%s]", g->index, nd->id, idx);
		return gk_fmt(g, "lc_row_%s[%s]", gk_item_name(g, nd->item), idx);
	case OK_VEC:
		if (g->vmode)
			return gk_fmt(g, "LC_VLD(lc_v%zu, %s)", nd->id, idx);
		return gk_fmt(g, "lc_v%zu[%s]", nd->id, idx);
	case OK_VECTOR: {
		gt_env e;
		memset(&e, 0, sizeof e);
		e.arg[0] = gk_elem(g, nd->args[0], idx);
		e.idx = idx;
		if (row->vec->scale)
			gk_scale_env(g, gk_scale_of(g, nd->args[0], row->vec->scale), &e);
		return gt_expand(g, g->prec, row->vec->elem, &e);
	}
	case OK_ELEM:
		for (unsigned k = 0; k < nd->nargs && k < OP_MAX_ARGS; k++)
			a[k] = gk_elem(g, nd->args[k], idx);
		return gk_apply(g, nd, a);
	case OK_INDEX: case OK_REDUCE: case OK_BATCH:
		break;  /* scalars: not reached */
	case OK_CROSS:
		break;  /* kept for the batch: read as a leaf above (gen_cross.c) */
	}
	g->unsupported = nd;
	return "0";
}

/*
 * Levels: a leaf is level 0; an elementwise node has its operands' level;
 * a loop node is one more than its operand (its loop can run once every
 * scalar of that level is known).  Loops of equal level and length fuse;
 * the ops over one scaled sum share its level.
 */
void gk_levels(gen_kernel *g)
{
	const ir_loss *l = g->loss;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		int lv = 0;
		for (unsigned k = 0; k < nd->nargs; k++)
			if (g->level[nd->args[k]->id] > lv)
				lv = g->level[nd->args[k]->id];
		if (gk_is_loop(nd)) {
			const op_scale *s = node_scale(nd);
			if (s) {
				gk_scale *S = gk_scale_of(g, nd->args[0], s);
				if (!S->level) {
					S->id = nd->id;
					S->level = lv + 1;
				}
				lv = S->level;
			} else {
				lv++;
			}
		}
		g->level[nd->id] = lv;
		if (lv > g->maxlevel)
			g->maxlevel = lv;
		/* dependence on the outputs, for the gradient */
		g->dep[nd->id] = nd->op == IR_OUTPUT;
		for (unsigned k = 0; k < nd->nargs; k++)
			if (g->dep[nd->args[k]->id])
				g->dep[nd->id] = 1;
		/* what the analyzer proved constant (0 * f(o)) has no gradient,
		   even where a partial inside it is infinite (sqrt at 0; found by
		   the agreement tests, where the chain rule gave NaN) */
		if (nd->analyzed && nd->curv == CURV_CONST)
			g->dep[nd->id] = 0;
		/* a condition is a step: no gradient passes through it */
		if (ops[nd->op].gives_cond)
			g->dep[nd->id] = 0;
	}
}

/* A scaled sum is shared by the ops that read it: each of its steps is
   written once (the first caller's), and 1 says it is this one. */
static int once(int *done)
{
	if (*done)
		return 0;
	*done = 1;
	return 1;
}

/* Declarations of one loop node inside a fused pass. */
static void gk_loop_init(gen_kernel *g, FILE *o, const ir_node *nd, const char *ind, int lanes)
{
	const char *T = g->T;
	const op_scale *s = node_scale(nd);
	if (s) {
		gk_scale *S = gk_scale_of(g, nd->args[0], s);
		if (once(&S->declared))
			fprintf(o, "%s%s lc_m%zu = %s, lc_s%zu = %s;\n", ind, T, S->id,
				gt_expand(g, g->prec, s->max0, NULL), S->id, gk_num(g, 0));
		return;
	}
	const op_loop *L = ops[nd->op].loop;
	if (L->acc != ACC_SUM)
		fprintf(o, "%s%s lc_t%zu = %s%s;\n%ssize_t lc_at%zu = 0;\n", ind, T, nd->id,
			L->acc == ACC_ARGMAX ? "-" : "", g->prec == GP_F32 ? "HUGE_VALF" : "HUGE_VAL", ind, nd->id);
	else if (lanes)
		fprintf(o, "%s%s lc_a%zu[%d];\n%sfor (size_t lc_k = 0; lc_k < %d; lc_k++)\n%s\tlc_a%zu[lc_k] = %s;\n",
			ind, T, nd->id, GEN_LANES, ind, GEN_LANES, ind, nd->id, gk_num(g, 0));
	else
		fprintf(o, "%s%s lc_a%zu = %s;\n", ind, T, nd->id, gk_num(g, 0));
}

/* The operands' elements at lc_j. */
static void elem_args(gen_kernel *g, const ir_node *nd, gt_env *e)
{
	for (unsigned k = 0; k < nd->nargs && k < OP_MAX_ARGS; k++)
		e->arg[k] = gk_elem(g, nd->args[k], "lc_j");
}

/* The per-element update of one loop node (lanes: the accumulators are
   arrays of GEN_LANES, indexed by lc_k). */
static void gk_loop_body(gen_kernel *g, FILE *o, const ir_node *nd, const char *ind, int lanes)
{
	gt_env e;
	memset(&e, 0, sizeof e);
	elem_args(g, nd, &e);
	const op_scale *s = node_scale(nd);
	if (s) {
		gk_scale *S = gk_scale_of(g, nd->args[0], s);
		if (once(&S->emitted)) {
			/* the chunk's maximum is known (gk_forward_row): no branch here */
			e.max = gk_fmt(g, "lc_m%zu", S->id);
			const char *term = gt_expand(g, g->prec, s->term, &e);
			if (g->vmode) {
				gv_acc_use(g, gk_fmt(g, "cs%zu", S->id), 0, gk_num(g, 0));
				term = gv_check(g, term);
				if (S->kept) {
					S->kvterm = term;
					fprintf(o, "%s{\n%s\tconst lc_vf lc_tv = %s;\n%s\tLC_VST(%s, lc_j, lc_tv);\n"
						"%s\tlc_vcs%zu%s += lc_tv;\n%s}\n", ind, ind, term, ind, S->kept, ind, S->id,
						g->vsfx, ind);
				} else {
					fprintf(o, "%slc_vcs%zu%s += %s;\n", ind, S->id, g->vsfx, term);
				}
			} else if (S->kept) {
				S->kterm = term;
				fprintf(o, "%s{\n%s\tconst %s lc_tk = %s;\n%s\t%s[lc_j] = lc_tk;\n%s\tlc_cs%zu[lc_k] += lc_tk;\n%s}\n",
					ind, ind, g->T, term, ind, S->kept, ind, S->id, ind);
			} else {
				fprintf(o, "%slc_cs%zu[lc_k] += %s;\n", ind, S->id, term);
			}
		}
		return;
	}
	const op_loop *L = ops[nd->op].loop;
	const char *term = gt_expand(g, g->prec, L->term, &e);
	if (g->vmode) {         /* only sums have a vector form here */
		if (L->acc != ACC_SUM || !lanes)
			g->vfail = 1;
		gv_acc_use(g, gk_fmt(g, "a%zu", nd->id), 0, gk_num(g, 0));
		fprintf(o, "%slc_va%zu%s += %s;\n", ind, nd->id, g->vsfx, gv_check(g, term));
		return;
	}
	if (L->acc == ACC_SUM) {
		fprintf(o, "%slc_a%zu%s += %s;\n", ind, nd->id, lanes ? "[lc_k]" : "", term);
		return;
	}
	/* !(x <= m) also takes a NaN, so NaN propagates as in PyTorch */
	fprintf(o, "%s{\n%s\tconst %s lc_x = %s;\n%s\tif (!(lc_x %s lc_t%zu)) {\n"
		"%s\t\tlc_t%zu = lc_x;\n%s\t\tlc_at%zu = lc_j;\n%s\t}\n%s}\n",
		ind, ind, g->T, term, ind, L->acc == ACC_ARGMAX ? "<=" : ">=", nd->id,
		ind, nd->id, ind, nd->id, ind, ind);
}

static void gk_loop_finish(gen_kernel *g, FILE *o, const ir_node *nd, const char *ind, int lanes)
{
	const char *T = g->T;
	const op_info *row = &ops[nd->op];
	const op_scale *s = node_scale(nd);
	gt_env e;
	memset(&e, 0, sizeof e);
	if (s) {
		gk_scale *S = gk_scale_of(g, nd->args[0], s);
		gk_scale_env(g, S, &e);
		e.acc = gk_fmt(g, "lc_s%zu", S->id);
		if (once(&S->finished)) {
			for (int k = 0; k < 2; k++)
				if (s->derived[k])
					fprintf(o, "%sconst %s %s = %s;\n", ind, T, e.der[k], gt_expand(g, g->prec, s->derived[k], &e));
			if (s->derived[0] && s->derived[1])
				fprintf(o, "%s(void)%s, (void)%s;  /* whichever the elements use */\n", ind, e.der[1], e.der[0]);
		}
		if (row->kind == OK_REDUCE) {
			e.len = gk_lenf(g, ir_dim(nd->args[0]));
			fprintf(o, "%sconst %s lc_t%zu = %s;\n", ind, T, nd->id, gt_expand(g, g->prec, row->loop->finish, &e));
		}
		return;
	}
	const op_loop *L = row->loop;
	if (L->acc != ACC_SUM) {
		fprintf(o, "%s(void)lc_at%zu;  /* the argmax is for the gradient */\n", ind, nd->id);
		return;
	}
	e.acc = gk_fmt(g, "lc_a%zu", nd->id);
	if (lanes) {
		/* the lanes' sum */
		e.acc = gk_fmt(g, "lc_u%zu", nd->id);
		fprintf(o, "%s%s %s = %s;\n%sfor (size_t lc_k = 0; lc_k < %d; lc_k++)\n%s\t%s += lc_a%zu[lc_k];\n",
			ind, T, e.acc, gk_num(g, 0), ind, GEN_LANES, ind, e.acc, nd->id);
	}
	e.len = gk_lenf(g, ir_dim(nd->args[0]));
	fprintf(o, "%sconst %s lc_t%zu = %s;\n", ind, T, nd->id, gt_expand(g, g->prec, L->finish, &e));
}

/* The value of a scalar, non-loop node (after its operands). */
static void gk_scalar(gen_kernel *g, FILE *o, const ir_node *nd, const char *ind)
{
	const char *T = g->T;
	const op_info *row = &ops[nd->op];
	if (gk_is_vec(nd) && row->kind != OK_VEC)
		return;         /* vectors: inlined where read */
	switch (row->kind) {
	case OK_LEAF:
		/* constants are literals (g->var); class labels and vector rows
		   were loaded and checked at the top of the row */
		if (nd->op != IR_CONST && nd->op != IR_SIZE && nd->type != IRT_CLASS)
			fprintf(o, "%sconst %s lc_t%zu = %s[%s];\n", ind, T, nd->id, gk_item_name(g, nd->item),
				nd->shape.batched ? "lc_r" : "0");     /* `per batch`: one value */
		return;
	case OK_VEC:
		fprintf(o, "%s%s lc_v%zu[%u];\n", ind, T, nd->id, nd->nargs);
		for (unsigned k = 0; k < nd->nargs; k++)
			fprintf(o, "%slc_v%zu[%u] = %s;\n", ind, nd->id, k, g->var[nd->args[k]->id]);
		return;
	case OK_INDEX:
		fprintf(o, "%sconst %s lc_t%zu = %s;\n", ind, T, nd->id, gk_elem(g, nd->args[0], g->var[nd->args[1]->id]));
		return;
	case OK_ELEM: {
		const char *a[OP_MAX_ARGS] = { NULL, NULL, NULL };
		for (unsigned k = 0; k < nd->nargs && k < OP_MAX_ARGS; k++)
			a[k] = g->var[nd->args[k]->id];
		fprintf(o, "%sconst %s lc_t%zu = %s;\n", ind, T, nd->id, gk_apply(g, nd, a));
		return;
	}
	case OK_VECTOR: case OK_REDUCE:
		return;         /* inlined, or a loop */
	case OK_BATCH:
		return;         /* computed before the rows (gen_kernel.c's batch stage) */
	case OK_CROSS:
		return;         /* a vector: not reached */
	}
}

/* Is nd a member of the fused pass of level lv over len elements? */
static int gk_in_pass(const gen_kernel *g, const ir_node *nd, int lv, shp_size len)
{
	return gk_is_loop(nd) && g->level[nd->id] == lv && !g->looped[nd->id] && shp_size_eq(ir_dim(nd->args[0]), len)
	       && (!g->only || g->only[nd->id]);
}

/*
 * A loop over elements [from, to) in GEN_LANES lanes: the main loop takes
 * GEN_LANES elements a step, element lc_j = lc_j0 + lc_k in lane lc_k, and
 * the tail puts the last (to - from) % GEN_LANES elements in lanes 0, 1...
 * Elements are visited in increasing order.  body(ctx, ind) emits the
 * statements of one element; it is emitted twice.
 */
void gk_lanes_loop(gen_kernel *g, FILE *o, const char *ind, const char *from, const char *to,
		   gk_body_fn *body, const void *ctx)
{
	char in1[80], in2[80], in3[80];
	snprintf(in1, sizeof in1, "%.70s\t", ind);
	snprintf(in2, sizeof in2, "%.70s\t\t", ind);
	snprintf(in3, sizeof in3, "%.70s\t\t\t", ind);
	fprintf(o, "%s{\n%ssize_t lc_j0 = %s;\n", ind, in1, from);
	gv_loop(g, o, in1, to, body, ctx);      /* 8 lanes a step where it can */
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

/*
 * The kept terms in x: each occurrence of a kept term's text (a call,
 * `f(...)`, so that an occurrence is a whole operand and never part of
 * a longer expression) not preceded by a name character.  Only in a row
 * loop of the kept array's length: the same text then reads the same
 * elements with the same final max, so the load has the same bits.
 */
static int is_call(const char *t)
{
	size_t n = strlen(t);
	const char *p = t;
	if (!(isalpha((unsigned char)*p) || *p == '_'))
		return 0;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	if (*p != '(')
		return 0;
	int depth = 0;
	for (; *p; p++) {
		depth += *p == '(';
		depth -= *p == ')';
		if (depth == 0)
			return p == t + n - 1;
	}
	return 0;
}

const char *gk_kept_terms(gen_kernel *g, const char *x)
{
	for (size_t i = 0; i < g->loss->nnodes; i++)
		for (gk_scale *S = g->scales[i]; S; S = S->next) {
			const char *t = g->vmode ? S->kvterm : S->kterm;
			if (!S->kept || !t || S->klen != g->vlen || !is_call(t))
				continue;
			const char *load = g->vmode ? gk_fmt(g, "LC_VLD(%s, lc_j)", S->kept)
						    : gk_fmt(g, "%s[lc_j]", S->kept);
			size_t tn = strlen(t);
			for (const char *hit = strstr(x, t); hit; hit = strstr(x, t)) {
				if (hit > x && (isalnum((unsigned char)hit[-1]) || hit[-1] == '_'))
					break;  /* a longer name: leave the text as it is */
				x = gk_fmt(g, "%.*s%s%s", (int)(hit - x), x, load, hit + tn);
			}
		}
	return x;
}

/* The chunk max of one scaled sum (ctx: a node reading it) */
static void gk_body_max(gen_kernel *g, FILE *o, const char *ind, const void *ctx)
{
	const ir_node *nd = ctx;
	const op_scale *s = node_scale(nd);
	const gk_scale *S = gk_scale_of(g, nd->args[0], s);
	gt_env e;
	memset(&e, 0, sizeof e);
	e.arg[0] = gk_elem(g, nd->args[0], "lc_j");
	const char *key = gt_expand(g, g->prec, s->key, &e);
	if (g->vmode) {
		gv_acc_use(g, gk_fmt(g, "cm%zu", S->id), 1, gt_expand(g, g->prec, s->max0, NULL));
		fprintf(o, "%slc_vcm%zu%s = LC_VMAX(lc_vcm%zu%s, %s);\n", ind, S->id, g->vsfx, S->id, g->vsfx,
			gv_check(g, key));
		return;
	}
	fprintf(o, "%sconst %s lc_x = %s;\n%slc_cm%zu[lc_k] = lc_x > lc_cm%zu[lc_k] ? lc_x : lc_cm%zu[lc_k];\n",
		ind, g->T, key, ind, S->id, S->id, S->id);
}

/* Every accumulation of one fused pass (ctx: the pass) */
typedef struct gk_pass { size_t first; int lv; shp_size len; } gk_pass;

static void gk_body_pass(gen_kernel *g, FILE *o, const char *ind, const void *ctx)
{
	const gk_pass *P = ctx;
	const ir_loss *l = g->loss;
	for (size_t k = P->first; k < l->nnodes; k++) {
		const ir_node *nd = l->nodes[k];
		if (gk_in_pass(g, nd, P->lv, P->len) && node_scale(nd))
			gk_scale_of(g, nd->args[0], node_scale(nd))->emitted = 0;
	}
	for (size_t k = P->first; k < l->nnodes; k++) {
		const ir_node *nd = l->nodes[k];
		if (gk_in_pass(g, nd, P->lv, P->len))
			gk_loop_body(g, o, nd, ind, 1);
	}
}

/*
 * A pass with scaled sums, a chunk at a time: the chunk's max (its
 * elements then sit in L1), one rescale of the running sum if the max
 * grew, then the terms and every other accumulation of this pass.
 * Memory sees one pass; the inner loops have no data-dependent branch,
 * and run in GEN_LANES independent lanes so that they vectorize.
 */
/* The scaled sum node nd of the pass reads, or NULL. */
static gk_scale *pass_scale(gen_kernel *g, const gk_pass *pass, const ir_node *nd)
{
	const op_scale *s = node_scale(nd);
	return s && gk_in_pass(g, nd, pass->lv, pass->len) ? gk_scale_of(g, nd->args[0], s) : NULL;
}

static void gk_scaled_pass(gen_kernel *g, FILE *o, const char *ind, const char *ind2, gk_pass *pass)
{
	const ir_loss *l = g->loss;
	/* a named size may be any length: chunked, as a long one */
	int one_chunk = !pass->len.item && pass->len.n <= GEN_CHUNK;
	const char *len = gk_len(g, pass->len);
	g->vlen = one_chunk ? pass->len.n : GEN_CHUNK;
	/* A gradient whose row is one chunk keeps the terms of its scaled
	   sums: they are final (the chunk's max is the row's), and the
	   gradient row reads them instead of computing each exp again. */
	for (size_t k = pass->first; k < l->nnodes; k++) {
		gk_scale *S = pass_scale(g, pass, l->nodes[k]);
		if (!S || S->chunked)
			continue;
		S->kept = NULL;
		S->kterm = S->kvterm = NULL;
		if (g->grad && one_chunk) {
			S->kept = gk_fmt(g, "lc_e%zu", S->id);
			S->klen = pass->len.n;
			/* through a pointer: GCC's loop analysis would otherwise warn
			   of the lanes loops' dead tails (-Waggressive-loop-optimizations) */
			fprintf(o, "%s%s %s_[%ld], *const %s = %s_;  /* the terms of the sum below, for the gradient */\n",
				ind, g->T, S->kept, pass->len.n, S->kept, S->kept);
		}
	}
	if (one_chunk)
		fprintf(o, "%s{\n%sconst size_t lc_b = 0, lc_e = %s;\n", ind, ind2, len);
	else {
		fprintf(o, "%sfor (size_t lc_b = 0; lc_b < %s; lc_b += %d) {\n", ind, len, GEN_CHUNK);
		fprintf(o, "%sconst size_t lc_e = lc_b + %d < %s ? lc_b + %d : %s;\n", ind2, GEN_CHUNK, len, GEN_CHUNK, len);
	}
	for (size_t k = pass->first; k < l->nnodes; k++) {
		const ir_node *nd = l->nodes[k];
		gk_scale *S = pass_scale(g, pass, nd);
		if (!S || !once(&S->chunked))
			continue;
		const op_scale *s = S->s;
		const char *max0 = gt_expand(g, g->prec, s->max0, NULL);
		gt_env e;
		memset(&e, 0, sizeof e);
		e.max = gk_fmt(g, "lc_m%zu", S->id);
		e.next = gk_fmt(g, "lc_mx%zu", S->id);
		fprintf(o, "%s/* the chunk's max, then its sum, lane by lane */\n", ind2);
		fprintf(o, "%s%s lc_cm%zu[%d], lc_cs%zu[%d];\n", ind2, g->T, S->id, GEN_LANES, S->id, GEN_LANES);
		fprintf(o, "%sfor (size_t lc_k = 0; lc_k < %d; lc_k++)\n%s\tlc_cm%zu[lc_k] = %s, lc_cs%zu[lc_k] = %s;\n",
			ind2, GEN_LANES, ind2, S->id, max0, S->id, gk_num(g, 0));
		gk_lanes_loop(g, o, ind2, "lc_b", "lc_e", gk_body_max, nd);
		fprintf(o, "%s%s lc_mx%zu = %s;\n%sfor (size_t lc_k = 0; lc_k < %d; lc_k++)\n"
			"%s\tlc_mx%zu = lc_cm%zu[lc_k] > lc_mx%zu ? lc_cm%zu[lc_k] : lc_mx%zu;\n",
			ind2, g->T, S->id, max0, ind2, GEN_LANES, ind2, S->id, S->id, S->id, S->id, S->id);
		if (one_chunk)
			fprintf(o, "%slc_m%zu = lc_mx%zu;\n", ind2, S->id, S->id);
		else
			fprintf(o, "%sif (lc_mx%zu > lc_m%zu) {\n%s\tif (lc_s%zu > 0)\n%s\t\tlc_s%zu *= %s;\n"
				"%s\tlc_m%zu = lc_mx%zu;\n%s}\n", ind2, S->id, S->id, ind2, S->id, ind2, S->id,
				gt_expand(g, g->prec, s->rescale, &e), ind2, S->id, S->id, ind2);
	}
	gk_lanes_loop(g, o, ind2, "lc_b", "lc_e", gk_body_pass, pass);
	for (size_t k = pass->first; k < l->nnodes; k++) {
		gk_scale *S = pass_scale(g, pass, l->nodes[k]);
		if (!S || S->chunked != 1)
			continue;
		S->chunked = 2;
		fprintf(o, "%sfor (size_t lc_k = 0; lc_k < %d; lc_k++)\n%s\tlc_s%zu += lc_cs%zu[lc_k];\n",
			ind2, GEN_LANES, ind2, S->id, S->id);
	}
	fprintf(o, "%s}\n", ind);
}

/*
 * The per-row forward code: computes the value into lc_t<root> (and the
 * scalars the gradient reuses).  Class labels were loaded and checked by
 * the caller.  With g->only set, only the nodes it marks.
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
			if (!gk_is_loop(first) || g->level[first->id] != lv || g->looped[first->id]
			    || (g->only && !g->only[first->id]))
				continue;
			shp_size len = ir_dim(first->args[0]);
			gk_pass pass = { i, lv, len };
			fprintf(o, "%s/* one pass over %s elements:", ind, gk_len(g, len));
			int scaled = 0;
			for (size_t k = i; k < l->nnodes; k++) {
				const ir_node *nd = l->nodes[k];
				if (gk_in_pass(g, nd, lv, len)) {
					fprintf(o, " %s (line %lu)", ir_op_name(nd->op), gk_line(g, nd));
					scaled |= node_scale(nd) != NULL;
				}
			}
			fprintf(o, " */\n");
			for (size_t k = i; k < l->nnodes; k++)
				if (gk_in_pass(g, l->nodes[k], lv, len))
					gk_loop_init(g, o, l->nodes[k], ind, scaled);
			if (!scaled) {
				fprintf(o, "%sfor (size_t lc_j = 0; lc_j < %s; lc_j++) {\n", ind, gk_len(g, len));
				for (size_t k = i; k < l->nnodes; k++)
					if (gk_in_pass(g, l->nodes[k], lv, len))
						gk_loop_body(g, o, l->nodes[k], ind2, 0);
				fprintf(o, "%s}\n", ind);
			} else {
				gk_scaled_pass(g, o, ind, ind2, &pass);
			}
			for (size_t k = i; k < l->nnodes; k++) {
				const ir_node *nd = l->nodes[k];
				if (gk_in_pass(g, nd, lv, len)) {
					gk_loop_finish(g, o, nd, ind, scaled);
					g->looped[nd->id] = 1;
				}
			}
		}
		/* scalars of this level, operands first */
		for (size_t i = 0; i < l->nnodes; i++) {
			const ir_node *nd = l->nodes[i];
			if (g->level[nd->id] == lv && !gk_is_loop(nd) && (!g->only || g->only[nd->id]))
				gk_scalar(g, o, nd, ind);
		}
	}
	/* reset for the next caller (forward and gradient both emit the row) */
	for (size_t i = 0; i < l->nnodes; i++) {
		g->looped[i] = 0;
		for (gk_scale *S = g->scales[i]; S; S = S->next)
			S->emitted = S->finished = S->chunked = S->declared = 0;
	}
}
