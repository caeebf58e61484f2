/*
 * gen_cross.c: kernels whose rows interact through rows across the batch
 * (OK_CROSS: a @ transpose(b), transpose of a B x B matrix), where row
 * i's value reads other rows' computed vectors and its gradient reaches
 * other rows' outputs.
 *
 * The row kernels fuse each row's element expressions into loops and
 * store no vector (gen_sched.c).  Here the few values that cross rows are
 * *kept*: every OK_CROSS node and each vector it reads ("kept" nodes,
 * gen_kernel.mat) is computed for the whole batch into `work`, in node
 * order, before the row pass:
 *   - a kept per-row vector (u / norm2(u)) in a stage over the rows: the
 *     fused forward row of its own graph, ending at kept nodes it reads,
 *     then its elements stored;
 *   - a kept OK_CROSS node by its row's C text (op_cross) from its
 *     operands' kept rows.
 * The row pass then reads a kept node's row (lc_mK) as it reads an
 * output's.  The gradient runs the other way: the row pass and every
 * stage add the adjoint rows of the kept nodes they read into buffers
 * beside them (lc_dmK); then, in reverse node order, an OK_CROSS node
 * sends its B x B adjoint to its operands' rows (a pass over the rows of
 * each operand: the sums run over the other index, so each row is
 * written by its own part), and a kept per-row vector runs a stage that
 * recomputes its row and walks its graph backward from its adjoint row,
 * into the outputs' gradient rows and further kept rows.
 *
 * Every pass splits the rows in the same GEN_PARTS parts and sums in a
 * fixed order, so the results are bit-identical whatever the OpenMP
 * threads; no atomics.  The output gradients add up over the passes
 * (zeroed first), so these kernels write no vector stores.
 */
#include "gen_impl.h"

#include <string.h>

int gk_is_mat_leaf(const gen_kernel *g, const ir_node *nd)
{
	return g->mat && g->mat[nd->id] && (long)nd->id != g->target;
}

/* A kept node's row length in C. */
static const char *mat_len(gen_kernel *g, const ir_node *nd)
{
	return gk_dim(g, nd);
}

void gk_cross_init(gen_kernel *g)
{
	const ir_loss *l = g->loss;
	size_t nn = l->nnodes ? l->nnodes : 1;
	if (g->mat)
		return;
	g->mat = arena_alloc(g->arena, nn);
	g->mbuf = arena_alloc(g->arena, nn * sizeof *g->mbuf);
	g->mdbuf = arena_alloc(g->arena, nn * sizeof *g->mdbuf);
	memset(g->mat, 0, nn);
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		if (ops[nd->op].kind != OK_CROSS)
			continue;
		g->mat[i] = 1;
		for (unsigned k = 0; k < nd->nargs; k++)
			g->mat[nd->args[k]->id] = 1;
	}
	/* the buffers, n rows each, registered once for both functions */
	for (size_t i = 0; i < l->nnodes; i++) {
		if (!g->mat[i])
			continue;
		const char *len = mat_len(g, l->nodes[i]);
		g->mbuf[i] = gk_work_buffer2(g, g->T, "n", len);
		g->mdbuf[i] = g->dep[i] ? gk_work_buffer2(g, g->T, "n", len) : NULL;
	}
}

void gk_cross_row_head(gen_kernel *g, FILE *o, int grad)
{
	const ir_loss *l = g->loss;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		int read = g->only[i] && gk_is_mat_leaf(g, nd), mine = (long)i == g->target;
		if (!read && !mine)
			continue;
		const char *len = mat_len(g, nd);
		if (read)
			fprintf(o, "\t\tconst %s *lc_m%zu = %s + lc_r * (size_t)%s;\n", g->T, i, g->mbuf[i], len);
		if (grad && g->mdbuf[i])
			fprintf(o, "\t\t%s%s *lc_dm%zu = %s + lc_r * (size_t)%s;\n", mine ? "const " : "", g->T, i,
				g->mdbuf[i], len);
	}
}

void gk_cross_mat_rows(gen_kernel *g, FILE *o, const char *ind, const char *(*expr)(gen_kernel *, const gk_term *))
{
	const ir_loss *l = g->loss;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		if (!g->only[i] || !gk_is_mat_leaf(g, nd) || !g->mdbuf[i] || !g->adj[i])
			continue;
		fprintf(o, "%s/* this row's part of the adjoint of %s (line %lu), kept for the batch */\n", ind,
			ir_op_name(nd->op), gk_line(g, nd));
		fprintf(o, "%sfor (size_t lc_j = 0; lc_j < %s; lc_j++) {\n", ind, mat_len(g, nd));
		for (const gk_term *t = g->adj[i]; t; t = t->next)
			if (t->kind != GT_ONEHOT) {
				gk_term one = *t;
				one.next = NULL;
				fprintf(o, "%s\tlc_dm%zu[lc_j] += %s;\n", ind, i, expr(g, &one));
			}
		fprintf(o, "%s}\n", ind);
		for (const gk_term *t = g->adj[i]; t; t = t->next)
			if (t->kind == GT_ONEHOT)
				fprintf(o, "%slc_dm%zu[%s] += %s;\n", ind, i, t->at, t->coef);
	}
}

/* Zero a buffer of count elements. */
static void zero(gen_kernel *g, FILE *o, const char *buf, const char *count)
{
	fprintf(o, "\tfor (size_t lc_i = 0; lc_i < (size_t)(%s); lc_i++)\n\t\t%s[lc_i] = %s;\n", count, buf,
		gk_num(g, 0));
}

/* Opens a stage over the rows (parts, the per-part accumulators of the
   per-batch outputs' gradients when acc, the row loop); the caller
   closes it with "\t\t}\n\t}\n". */
static void stage_open(gen_kernel *g, FILE *o, int acc)
{
	gk_parts_open(o);
	fprintf(o, "\t\tdouble lc_bacc = 0.0;   /* a bad label (the check comes first) */\n\t\t(void)lc_bacc;\n");
	for (size_t p = 0; acc && p < g->nouts; p++)
		if (g->params[p].per_batch)
			fprintf(o, "\t\tdouble lc_gacc%zu = 0.0;\n", p);
	fprintf(o, "\t\tfor (size_t lc_r = lc_r0; lc_r < lc_r1; lc_r++) {\n");
}

/* Kept OK_CROSS node nd over the batch, from its operands' kept rows. */
static void cross_forward(gen_kernel *g, FILE *o, const ir_node *nd)
{
	const op_cross *C = ops[nd->op].cross;
	const char *out = g->mbuf[nd->id];
	stage_open(g, o, 0);
	if (C->swap) {          /* row r is column r */
		fprintf(o, "\t\tfor (size_t lc_j = 0; lc_j < n; lc_j++)\n\t\t\t%s[lc_r * n + lc_j] = %s[lc_j * n + lc_r];\n",
			out, g->mbuf[nd->args[0]->id]);
	} else {                /* a contraction, summed in double and rounded once */
		const char *D = mat_len(g, nd->args[0]);
		gt_env e;
		memset(&e, 0, sizeof e);
		e.arg[0] = gk_fmt(g, "(double)%s[lc_r * (size_t)%s + lc_k]", g->mbuf[nd->args[0]->id], D);
		e.arg[1] = gk_fmt(g, "(double)%s[lc_j * (size_t)%s + lc_k]", g->mbuf[nd->args[1]->id], D);
		fprintf(o, "\t\tfor (size_t lc_j = 0; lc_j < n; lc_j++) {\n\t\t\tdouble lc_a = 0.0;\n"
			"\t\t\tfor (size_t lc_k = 0; lc_k < (size_t)%s; lc_k++)\n\t\t\t\tlc_a += %s;\n",
			D, gt_expand(g, GP_F64, C->term, &e));
		e.acc = "lc_a";
		fprintf(o, "\t\t\t%s[lc_r * n + lc_j] = (%s)(%s);\n\t\t}\n", out, g->T,
			gt_expand(g, GP_F64, C->finish, &e));
	}
	fprintf(o, "\t\t}\n\t}\n");
}

/* Kept OK_CROSS node nd's adjoint (B x B) into its operands' adjoint rows. */
static void cross_backward(gen_kernel *g, FILE *o, const ir_node *nd)
{
	const op_cross *C = ops[nd->op].cross;
	const char *G = g->mdbuf[nd->id];
	for (unsigned k = 0; k < nd->nargs; k++) {
		const ir_node *x = nd->args[k];
		if (!g->dep[x->id] || !g->mdbuf[x->id])
			continue;
		fprintf(o, "\t/* d %s (line %lu) into operand %u's rows */\n", ir_op_name(nd->op), gk_line(g, nd), k);
		stage_open(g, o, 0);
		if (C->swap) {
			fprintf(o, "\t\tfor (size_t lc_i = 0; lc_i < n; lc_i++)\n\t\t\t%s[lc_r * n + lc_i] += %s[lc_i * n + lc_r];\n",
				g->mdbuf[x->id], G);
		} else {
			/* row r of operand k: the sum over the other operand's rows i,
			   in double, rounded once */
			const char *D = mat_len(g, nd->args[0]);
			const char *gij = k == 0 ? gk_fmt(g, "(double)%s[lc_r * n + lc_i]", G)
				: gk_fmt(g, "(double)%s[lc_i * n + lc_r]", G);
			gt_env e;
			memset(&e, 0, sizeof e);
			e.arg[0] = gk_fmt(g, "(double)%s[%s * (size_t)%s + lc_k]", g->mbuf[nd->args[0]->id], k == 0 ? "lc_r" : "lc_i", D);
			e.arg[1] = gk_fmt(g, "(double)%s[%s * (size_t)%s + lc_k]", g->mbuf[nd->args[1]->id], k == 0 ? "lc_i" : "lc_r", D);
			e.value = k == 0 ? gk_fmt(g, "(double)%s[lc_r * n + lc_i]", g->mbuf[nd->id])
				: gk_fmt(g, "(double)%s[lc_i * n + lc_r]", g->mbuf[nd->id]);
			fprintf(o, "\t\tfor (size_t lc_k = 0; lc_k < (size_t)%s; lc_k++) {\n\t\t\tdouble lc_a = 0.0;\n"
				"\t\t\tfor (size_t lc_i = 0; lc_i < n; lc_i++)\n\t\t\t\tlc_a += %s * %s;\n"
				"\t\t\t%s[lc_r * (size_t)%s + lc_k] += (%s)lc_a;\n\t\t}\n",
				D, gij, gt_expand(g, GP_F64, C->partial[k], &e), g->mdbuf[x->id], D, g->T);
		}
		fprintf(o, "\t\t}\n\t}\n");
	}
}

void gk_cross_forward(gen_kernel *g, FILE *o, int grad)
{
	const ir_loss *l = g->loss;
	if (grad) {
		fprintf(o, "\t/* the gradients add up over the passes below: from 0 */\n");
		for (size_t p = 0; p < g->nouts; p++) {
			const gk_param *P = &g->params[p];
			zero(g, o, P->dname, P->per_batch ? "1" : gk_param_vec(P) ? gk_fmt(g, "n * (size_t)%s", gk_len(g, P->len)) : "n");
		}
		for (size_t i = 0; i < l->nnodes; i++)
			if (g->mat[i] && g->mdbuf[i])
				zero(g, o, g->mdbuf[i], gk_fmt(g, "n * (size_t)%s", mat_len(g, l->nodes[i])));
	}
	int was = g->grad;
	g->grad = 0;            /* the stages keep no terms for a backward */
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		if (!g->mat[i])
			continue;
		g->target = (long)i;
		gk_mark(g, nd, NULL);
		fprintf(o, "\t/* %s (line %lu) for every row of the batch, kept in work */\n", ir_op_name(nd->op),
			gk_line(g, nd));
		if (ops[nd->op].kind == OK_CROSS) {
			cross_forward(g, o, nd);
			continue;
		}
		stage_open(g, o, 0);
		gk_row_head(g, o, 0, 1);
		gk_forward_row(g, o, "\t\t");
		fprintf(o, "\t\tfor (size_t lc_j = 0; lc_j < (size_t)%s; lc_j++)\n\t\t\t%s[lc_r * (size_t)%s + lc_j] = %s;\n",
			mat_len(g, nd), g->mbuf[i], mat_len(g, nd), gk_elem(g, nd, "lc_j"));
		fprintf(o, "\t\t}\n\t}\n");
	}
	g->grad = was;
	g->target = -1;
	gk_mark(g, l->root, l->weight);
}

void gk_cross_backward(gen_kernel *g, FILE *o)
{
	const ir_loss *l = g->loss;
	for (size_t i = l->nnodes; i-- > 0;) {
		const ir_node *nd = l->nodes[i];
		if (!g->mat[i] || !g->mdbuf[i])
			continue;
		if (ops[nd->op].kind == OK_CROSS) {
			cross_backward(g, o, nd);
			continue;
		}
		g->target = (long)i;
		gk_mark(g, nd, NULL);
		fprintf(o, "\t/* back through %s (line %lu), row by row, from its kept adjoint */\n",
			ir_op_name(nd->op), gk_line(g, nd));
		fprintf(o, "\t{\n");
		for (size_t p = 0; p < g->nouts; p++)
			if (g->params[p].per_batch)
				fprintf(o, "\tdouble lc_gpart%zu[%d] = { 0 };\n", p, GEN_PARTS);
		stage_open(g, o, 1);
		gk_row_head(g, o, 1, 1);
		gk_forward_row(g, o, "\t\t");
		g->ntemps = 0;
		gk_backward_row(g, o, "\t\t");
		fprintf(o, "\t\t}\n");
		for (size_t p = 0; p < g->nouts; p++)
			if (g->params[p].per_batch)
				fprintf(o, "\t\tlc_gpart%zu[lc_p] = lc_gacc%zu;\n", p, p);
		fprintf(o, "\t}\n");
		for (size_t p = 0; p < g->nouts; p++)
			if (g->params[p].per_batch)
				fprintf(o, "\t{\n\t\tdouble lc_gsum = 0.0;\n\t\tfor (int lc_p = 0; lc_p < %d; lc_p++)\n"
					"\t\t\tlc_gsum += lc_gpart%zu[lc_p];\n\t\t%s[0] += (%s)lc_gsum;\n\t}\n",
					GEN_PARTS, p, g->params[p].dname, g->T);
		fprintf(o, "\t}\n");
	}
	g->target = -1;
	gk_mark(g, l->root, l->weight);
}
