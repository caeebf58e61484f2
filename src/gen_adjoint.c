/*
 * gen_adjoint.c: the gradient row of a kernel, reverse mode over the IR
 * DAG, after the forward row (gen_sched.c).
 *
 * A scalar's adjoint is a local (lc_gK).  A vector's adjoint is kept
 * symbolic, as a sum of terms coef * factor, where the factor is 1, a
 * one-hot at a label, or an element expression; sums over one-hot and
 * constant terms are folded, so cross-entropy's gradient comes out as
 * softmax - onehot in one more pass: two in all.  Each op's part is its
 * row's: the partials of an elementwise op, the adjoint of a reduction
 * (op_loop.adj), the pass-through and weighted sum of a vector op
 * (op_vector).
 */
#include "gen_impl.h"

#include <stdlib.h>
#include <string.h>

static const char *gk_temp(gen_kernel *g, FILE *o, const char *ind, const char *expr)
{
	const char *name = gk_fmt(g, "lc_h%d", g->ntemps++);
	fprintf(o, "%sconst %s %s = %s;\n", ind, g->T, name, expr);
	return name;
}

static gk_term *gk_add_term(gen_kernel *g, size_t id, int kind, const char *coef, const char *at, const char *elem)
{
	gk_term *t = arena_alloc(g->arena, sizeof *t);
	t->kind = kind;
	t->coef = coef;
	t->at = at;
	t->elem = elem;
	t->velem = NULL;
	t->partial = 0;
	t->next = g->adj[id];
	g->adj[id] = t;
	return t;
}

/* A number, such as "(-1.0f)": a finite constant. */
static int gk_literal(const char *s)
{
	while (*s == '(' || *s == '-')
		s++;
	char *end;
	strtod(s, &end);
	if (end == s)
		return 0;
	while (*end == 'f' || *end == 'L' || *end == ')')
		end++;
	return *end == '\0';
}

/*
 * a * b where an adjoint a of exactly 0 stays 0 even if the partial b is
 * infinite or NaN: the branch min(u, a / u) does not take has adjoint 0, and
 * d(a/u)/du overflowing double there must not turn it into NaN (found by
 * the agreement tests; PyTorch gives NaN, the torch.where trap).
 * lossspec(5), GRADIENTS.
 */
static const char *gk_mul0(gen_kernel *g, const char *a, const char *b)
{
	if (gk_literal(b))      /* a finite constant partial: 0 * it is 0 */
		return gk_fmt(g, "%s * %s", a, b);
	gt_env e;
	memset(&e, 0, sizeof e);
	e.arg[0] = a;
	e.arg[1] = b;
	return gt_expand(g, g->prec, "%{mul0}(%0, %1)", &e);
}

/* A GT_ELEM term's value at lc_j.  A vector row's adjoint (softmax's) is
   finite where the values are: no branch in the cross-entropy kernel's
   hot loop. */
static const char *gk_elem_term(gen_kernel *g, const gk_term *t)
{
	const char *elem = g->vmode ? t->velem : t->elem;
	if (!elem) {
		g->vfail = 1;
		return "0";
	}
	return t->partial ? gk_mul0(g, t->coef, elem) : gk_fmt(g, "%s * %s", t->coef, elem);
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
			x = gk_elem_term(g, t);
		else
			x = gk_fmt(g, "((int64_t)lc_j == (int64_t)%s ? %s : %s)", t->at, t->coef, gk_num(g, 0));
		s = s ? gk_fmt(g, "%s + %s", s, x) : x;
	}
	return s ? s : gk_num(g, 0);
}

/* A template of node c at element idx: %v its element, %0 %1 its
   operands' elements, %M %L %I the scaled sum over operand 0. */
static const char *gk_at(gen_kernel *g, const ir_node *c, const char *tpl, const char *idx)
{
	gt_env e;
	memset(&e, 0, sizeof e);
	e.value = gk_is_vec(c) ? gk_elem(g, c, idx) : g->var[c->id];
	for (unsigned k = 0; k < c->nargs && k < OP_MAX_ARGS; k++)
		e.arg[k] = gk_elem(g, c->args[k], idx);
	const op_info *row = &ops[c->op];
	const op_scale *s = row->loop ? row->loop->scale : row->vec ? row->vec->scale : NULL;
	if (s)
		gk_scale_env(g, gk_scale_of(g, c->args[0], s), &e);
	return gt_expand(g, g->prec, tpl, &e);
}

/* gk_at at lc_j in vector mode (float32 kernels only: gen_vec.c), or NULL. */
static const char *gk_vat(gen_kernel *g, const ir_node *c, const char *tpl)
{
	if (g->prec != GP_F32)
		return NULL;
	g->vmode = 1;
	const char *r = gk_at(g, c, tpl, "lc_j");
	g->vmode = 0;
	return r;
}

/*
 * sum_j adj(j) * w(j) for the adjoint terms of vector node c, into a new
 * local; w is the template `weight` of c at j (NULL: 1).  Constant and
 * one-hot terms fold; element terms need one loop.
 */
static const char *gk_adj_sum(gen_kernel *g, FILE *o, const char *ind, const ir_node *c, const char *weight,
			      int weights_sum_to_one)
{
	const gk_term *terms = g->adj[c->id];
	const char *acc = gk_fmt(g, "lc_h%d", g->ntemps++);
	const char *w_j = weight ? gk_at(g, c, weight, "lc_j") : NULL;
	fprintf(o, "%s%s %s = %s;\n", ind, g->T, acc, gk_num(g, 0));
	int need_loop = 0;
	for (const gk_term *t = terms; t; t = t->next) {
		if (t->kind == GT_ONEHOT) {
			const char *w = weight ? gk_at(g, c, weight, t->at) : NULL;
			fprintf(o, "%s%s += %s%s%s;\n", ind, acc, t->coef, w ? " * " : "", w ? w : "");
		} else if (t->kind == GT_ONE && (!weight || weights_sum_to_one)) {
			if (!weight)
				fprintf(o, "%s%s += %s * %s;\n", ind, acc, gk_lenf(g, ir_dim(c)), t->coef);
			else
				fprintf(o, "%s%s += %s;  /* the weights sum to 1 */\n", ind, acc, t->coef);
		} else {
			need_loop = 1;
		}
	}
	if (need_loop) {
		fprintf(o, "%sfor (size_t lc_j = 0; lc_j < %s; lc_j++) {\n", ind, gk_len(g, ir_dim(c)));
		for (const gk_term *t = terms; t; t = t->next) {
			if (t->kind == GT_ONEHOT || (t->kind == GT_ONE && (!weight || weights_sum_to_one)))
				continue;
			const char *x = t->kind == GT_ONE ? t->coef : gk_elem_term(g, t);
			fprintf(o, "%s\t%s += %s%s%s;\n", ind, acc, x, w_j ? " * " : "", w_j ? w_j : "");
		}
		fprintf(o, "%s}\n", ind);
	}
	return acc;
}

/* The operands' expressions of an elementwise node at element idx. */
static void elem_operands(gen_kernel *g, const ir_node *c, const char *idx, const char **a)
{
	for (unsigned k = 0; k < OP_MAX_ARGS; k++)
		a[k] = k < c->nargs ? gk_elem(g, c->args[k], idx) : NULL;
}

/* Push a vector adjoint through an elementwise op to its operand k. */
static void gk_push_elementwise(gen_kernel *g, FILE *o, const char *ind, const ir_node *c, unsigned k)
{
	const ir_node *x = c->args[k];
	const char *a[OP_MAX_ARGS];
	elem_operands(g, c, "lc_j", a);
	const char *pj = gk_partial(g, c, (int)k, a, gk_elem(g, c, "lc_j"));
	const char *pjv = NULL;         /* the same in vector mode */
	if (g->prec == GP_F32) {
		const char *av[OP_MAX_ARGS];
		g->vmode = 1;
		elem_operands(g, c, "lc_j", av);
		pjv = gk_partial(g, c, (int)k, av, gk_elem(g, c, "lc_j"));
		g->vmode = 0;
	}
	if (gk_is_vec(x)) {
		for (const gk_term *t = g->adj[c->id]; t; t = t->next) {
			gk_term *n = NULL;
			if (t->kind == GT_ONE) {
				n = gk_add_term(g, x->id, GT_ELEM, t->coef, NULL, pj);
				n->velem = pjv;
			} else if (t->kind == GT_ELEM) {
				n = gk_add_term(g, x->id, GT_ELEM, t->coef, NULL, gk_mul0(g, t->elem, pj));
				n->velem = t->velem && pjv ? gk_mul0(g, t->velem, pjv) : NULL;
			}
			if (n) {
				n->partial = 1;
			} else {
				const char *b[OP_MAX_ARGS];
				elem_operands(g, c, t->at, b);
				const char *py = gk_partial(g, c, (int)k, b, gk_elem(g, c, t->at));
				const char *h = gk_temp(g, o, ind, gk_mul0(g, t->coef, py));
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
			const char *b[OP_MAX_ARGS];
			elem_operands(g, c, t->at, b);
			const char *py = gk_partial(g, c, (int)k, b, gk_elem(g, c, t->at));
			fprintf(o, "%s%s += %s;\n", ind, acc, gk_mul0(g, t->coef, py));
		} else if (t->kind == GT_ONE && !strstr(pj, "lc_j")) {
			fprintf(o, "%s%s += %s * %s;\n", ind, acc, gk_lenf(g, ir_dim(c)), gk_mul0(g, t->coef, pj));
		} else {
			need_loop = 1;
		}
	}
	if (need_loop) {
		fprintf(o, "%sfor (size_t lc_j = 0; lc_j < %s; lc_j++) {\n", ind, gk_len(g, ir_dim(c)));
		for (const gk_term *t = g->adj[c->id]; t; t = t->next) {
			if (t->kind == GT_ONEHOT || (t->kind == GT_ONE && !strstr(pj, "lc_j")))
				continue;
			if (t->kind == GT_ONE)
				fprintf(o, "%s\t%s += %s;\n", ind, acc, gk_mul0(g, t->coef, pj));
			else
				fprintf(o, "%s\t%s += %s;\n", ind, acc, gk_mul0(g, t->coef, gk_mul0(g, t->elem, pj)));
		}
		fprintf(o, "%s}\n", ind);
	}
	fprintf(o, "%slc_g%zu += %s;\n", ind, x->id, acc);
}

/* A scalar node's adjoint gc, pushed to its operands. */
static void gk_back_scalar(gen_kernel *g, FILE *o, const char *ind, const ir_node *c)
{
	const op_info *row = &ops[c->op];
	const char *gc = gk_fmt(g, "lc_g%zu", c->id);
	switch (row->kind) {
	case OK_ELEM: {
		const char *a[OP_MAX_ARGS];
		for (unsigned k = 0; k < OP_MAX_ARGS; k++)
			a[k] = k < c->nargs ? g->var[c->args[k]->id] : NULL;
		for (unsigned k = 0; k < c->nargs; k++)
			if (g->dep[c->args[k]->id])
				fprintf(o, "%slc_g%zu += %s;\n", ind, c->args[k]->id,
					gk_mul0(g, gc, gk_partial(g, c, (int)k, a, g->var[c->id])));
		return;
	}
	case OK_INDEX:
		gk_add_term(g, c->args[0]->id, GT_ONEHOT, gc, g->var[c->args[1]->id], NULL);
		return;
	case OK_REDUCE:
		for (unsigned k = 0; k < c->nargs && k < OP_MAX_ARGS; k++) {
			const op_adjoint *A = &row->loop->adj[k];
			if (!g->dep[c->args[k]->id])
				continue;
			gt_env e;
			memset(&e, 0, sizeof e);
			e.adj = gc;
			e.value = g->var[c->id];
			e.len = gk_lenf(g, ir_dim(c->args[0]));
			const char *coef = gt_expand(g, g->prec, A->coef, &e);
			if (strcmp(coef, gc) != 0)
				coef = gk_temp(g, o, ind, coef);
			switch (A->kind) {
			case ADJ_ONE:
				gk_add_term(g, c->args[k]->id, GT_ONE, coef, NULL, NULL);
				break;
			case ADJ_ONEHOT:
				gk_add_term(g, c->args[k]->id, GT_ONEHOT, coef, gk_fmt(g, "lc_at%zu", c->id), NULL);
				break;
			case ADJ_ELEM:
				gk_add_term(g, c->args[k]->id, GT_ELEM, coef, NULL, gk_at(g, c, A->elem, "lc_j"))->velem =
					gk_vat(g, c, A->elem);
				break;
			default:
				g->unsupported = c;
			}
		}
		return;
	case OK_LEAF: case OK_VEC: case OK_VECTOR:
		break;  /* leaves end the walk; the others are vectors */
	case OK_BATCH:
		break;  /* its gradient would reach other rows: ir.c lets only data in */
	case OK_CROSS:
		break;  /* a vector, kept for the batch: never walked here (gen_cross.c) */
	}
	g->unsupported = c;
}

/* A vector node's symbolic adjoint, pushed to its operands. */
static void gk_back_vector(gen_kernel *g, FILE *o, const char *ind, const ir_node *c)
{
	const op_info *row = &ops[c->op];
	switch (row->kind) {
	case OK_ELEM:
		for (unsigned k = 0; k < c->nargs; k++)
			if (g->dep[c->args[k]->id])
				gk_push_elementwise(g, o, ind, c, k);
		return;
	case OK_VECTOR: {
		/* da_j = pass(g)_j - (sum_k g_k w_k) * minus_j */
		const op_vector *V = row->vec;
		const ir_node *x = c->args[0];
		if (!V->minus) {
			g->unsupported = c;
			return;
		}
		const char *sigma = gk_adj_sum(g, o, ind, c, V->weight, V->weights_sum_to_one);
		for (const gk_term *t = g->adj[c->id]; t; t = t->next) {
			gk_term *n = NULL;
			const char *pv = V->pass ? gk_vat(g, c, V->pass) : NULL;
			if (!V->pass) {
				n = gk_add_term(g, x->id, t->kind, t->coef, t->at, t->elem);
				n->partial = t->partial;
				n->velem = t->velem;
			} else if (t->kind == GT_ONE) {
				n = gk_add_term(g, x->id, GT_ELEM, t->coef, NULL, gk_at(g, c, V->pass, "lc_j"));
				n->velem = pv;
			} else if (t->kind == GT_ELEM) {
				n = gk_add_term(g, x->id, GT_ELEM, t->coef, NULL,
						gk_fmt(g, "(%s * %s)", t->elem, gk_at(g, c, V->pass, "lc_j")));
				n->partial = t->partial;
				n->velem = t->velem && pv ? gk_fmt(g, "(%s * %s)", t->velem, pv) : NULL;
			} else
				gk_add_term(g, x->id, GT_ONEHOT,
					    gk_temp(g, o, ind, gk_fmt(g, "%s * %s", t->coef, gk_at(g, c, V->pass, t->at))),
					    t->at, NULL);
		}
		gk_add_term(g, x->id, GT_ELEM, gk_temp(g, o, ind, gk_fmt(g, "-%s", sigma)), NULL,
			    gk_at(g, c, V->minus, "lc_j"))->velem = gk_vat(g, c, V->minus);
		return;
	}
	case OK_VEC:
		fprintf(o, "%s%s lc_dv%zu[%u];\n", ind, g->T, c->id, c->nargs);
		fprintf(o, "%sfor (size_t lc_j = 0; lc_j < %u; lc_j++)\n%s\tlc_dv%zu[lc_j] = %s;\n",
			ind, c->nargs, ind, c->id, gk_adj_expr(g, g->adj[c->id]));
		for (unsigned k = 0; k < c->nargs; k++)
			if (g->dep[c->args[k]->id])
				fprintf(o, "%slc_g%zu += lc_dv%zu[%u];\n", ind, c->args[k]->id, c->id, k);
		return;
	case OK_LEAF: case OK_INDEX: case OK_REDUCE: case OK_BATCH:
		break;  /* not vectors */
	case OK_CROSS:
		break;  /* kept for the batch: its adjoint row goes to work (gen_cross.c) */
	}
	g->unsupported = c;
}

/* One element of a gradient row (ctx: its dense terms) */
static void gk_body_drow(gen_kernel *g, FILE *o, const char *ind, const void *ctx)
{
	const char *x = gk_kept_terms(g, gk_adj_expr(g, ctx));
	if (g->vmode)
		fprintf(o, "%s%s(lc_d, lc_j, %s);\n", ind, g->vstream ? "LC_VSTNT" : "LC_VST", gv_check(g, x));
	else    /* rows across the batch: each pass adds its part (gen_cross.c) */
		fprintf(o, "%slc_d[lc_j] %s= %s;\n", ind, g->cross ? "+" : "", x);
}

/* An output node the pass being written reads (all of them but in
   the stages of rows across the batch). */
static int gk_read_output(const gen_kernel *g, const ir_node *nd, const gk_param *P)
{
	return nd->op == IR_OUTPUT && nd->item == P->item && (!g->cross || g->only[nd->id]);
}

/* The rows of the output gradients, from the outputs' adjoints. */
static void gk_output_rows(gen_kernel *g, FILE *o, const char *ind)
{
	const ir_loss *l = g->loss;
	size_t nn = l->nnodes;
	for (size_t p = 0; p < g->nouts; p++) {
		const gk_param *P = &g->params[p];
		int read = 0;
		for (size_t i = 0; i < nn; i++)
			read |= gk_read_output(g, l->nodes[i], P);
		if (g->cross && !read)
			continue;       /* another pass's: its buffer was zeroed */
		if (P->per_batch) {     /* one variable: the rows' contributions add up */
			fprintf(o, "%slc_gacc%zu += (double)(%s", ind, p, gk_num(g, 0));
			for (size_t i = 0; i < nn; i++)
				if (gk_read_output(g, l->nodes[i], P))
					fprintf(o, " + lc_g%zu", l->nodes[i]->id);
			fprintf(o, ");\n");
			continue;
		}
		if (!gk_param_vec(P)) {
			fprintf(o, "%s%s[lc_r] %s= %s", ind, P->dname, g->cross ? "+" : "", gk_num(g, 0));
			for (size_t i = 0; i < nn; i++)
				if (gk_read_output(g, l->nodes[i], P))
					fprintf(o, " + lc_g%zu", l->nodes[i]->id);
			fprintf(o, ";\n");
			continue;
		}
		gk_term *all = NULL;
		for (size_t i = 0; i < nn; i++) {
			if (!gk_read_output(g, l->nodes[i], P))
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
		fprintf(o, "%s{\n%s\t%s *lc_d = %s + lc_r * (size_t)%s;\n", ind, ind, g->T, P->dname, gk_len(g, P->len));
		char in1[80];
		snprintf(in1, sizeof in1, "%.70s\t", ind);
		/* a named size may be long: chunked lanes, and no streaming (its
		   row length is not known when the code is written) */
		g->vlen = P->len.item ? GEN_CHUNK : P->len.n;
		if (gv_stream_begin(g, o, in1, P->len.item ? 0 : P->len.n, gk_body_drow, dense)) {
			/* The one-hot terms: reading lc_d[at] back would wait for
			   the streamed line to reach memory, so the element is
			   computed again (an ordinary store), then the terms added. */
			for (gk_term *t = hot; t; t = t->next) {
				fprintf(o, "%s\t{\n%s\t\tconst size_t lc_j = (size_t)(%s);\n", in1, in1, t->at);
				char in3[80];
				snprintf(in3, sizeof in3, "%.70s\t\t", in1);
				gk_body_drow(g, o, in3, dense);
				fprintf(o, "%s\t}\n", in1);
			}
			for (gk_term *t = hot; t; t = t->next)
				fprintf(o, "%s\tlc_d[%s] += %s;\n", in1, t->at, t->coef);
			gv_stream_end(o, in1);
		}
		char in2[80];
		snprintf(in2, sizeof in2, "%.70s\t", in1);
		fprintf(o, "%s{\n", in1);
		gk_lanes_loop(g, o, in2, "0", gk_len(g, P->len), gk_body_drow, dense);
		for (gk_term *t = hot; t; t = t->next)
			fprintf(o, "%slc_d[%s] += %s;\n", in2, t->at, t->coef);
		fprintf(o, "%s}\n%s}\n", in1, ind);
	}
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
	/* rows across the batch: only what the pass computes (g->only), from
	   the root, or in a stage from the adjoint row of its target */
	const unsigned char *in = g->cross ? g->only : NULL;
	for (size_t i = 0; i < nn; i++) {
		const ir_node *nd = l->nodes[i];
		if (g->dep[i] && !gk_is_vec(nd) && nd->type == IRT_REAL && (!in || in[i]))
			fprintf(o, "%s%s lc_g%zu = %s;\n", ind, g->T, nd->id, gk_num(g, 0));
	}
	/* a value the outputs do not move (0 * f(o), or no output at all) has
	   a zero gradient: nothing flows (the agreement tests found the
	   adjoint of such a root assigned but never declared) */
	if (g->target >= 0)
		gk_add_term(g, (size_t)g->target, GT_ELEM, gk_num(g, 1), NULL, gk_fmt(g, "lc_dm%ld[lc_j]", g->target));
	else if (g->dep[l->root->id])
		fprintf(o, "%slc_g%zu = lc_w;\n", ind, l->root->id);
	for (size_t i = nn; i-- > 0;) {
		const ir_node *c = l->nodes[i];
		if (!g->dep[i] || c->op == IR_OUTPUT || (in && !in[i]) || gk_is_mat_leaf(g, c))
			continue;
		if (!gk_is_vec(c))
			gk_back_scalar(g, o, ind, c);
		else if (g->adj[c->id])
			gk_back_vector(g, o, ind, c);
	}
	if (g->cross)
		gk_cross_mat_rows(g, o, ind, gk_adj_expr);
	gk_output_rows(g, o, ind);
}
