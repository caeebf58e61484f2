/*
 * ireval.c: evaluate the IR in long double (see ireval.h).
 */
#include "ireval.h"

#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "xalloc.h"

typedef long double ld;

long ireval_len(const ir_node *n)
{
	return n->type != IRT_CLASS && ir_len(n) > 0 ? ir_len(n) : 1;
}

/* Operand lengths as op_vargs wants them: 0 for a scalar or a label. */
static long *arg_lens(const ir_node *n, long *small)
{
	long *len = n->nargs <= OP_MAX_ARGS ? small : xmalloc(n->nargs * sizeof *len);
	for (unsigned k = 0; k < n->nargs; k++)
		len[k] = n->args[k]->type != IRT_CLASS ? ir_len(n->args[k]) : 0;
	return len;
}

void ireval_node(const ir_node *n, const ld *const *a, ld *out)
{
	const op_info *row = &ops[n->op];
	long small[OP_MAX_ARGS];
	switch (row->kind) {
	case OK_LEAF:
		return;
	case OK_ELEM: {
		ld x[OP_MAX_ARGS];
		for (long i = 0; i < ireval_len(n); i++) {
			for (unsigned k = 0; k < n->nargs; k++)
				x[k] = a[k][ireval_len(n->args[k]) > 1 ? i : 0];
			out[i] = row->eval(x);
		}
		return;
	}
	case OK_VEC: case OK_INDEX: case OK_REDUCE: case OK_VECTOR: case OK_BATCH: case OK_CROSS: {
		/* OK_BATCH, OK_CROSS: over a batch of this one row
		   (ireval_forward_batch for more) */
		long *len = arg_lens(n, small);
		op_vargs va = { n->nargs, len, a, n->type != IRT_CLASS ? ir_len(n) : 0, 1 };
		row->veval(&va, out);
		if (len != small)
			free(len);
		return;
	}
	}
}

int ireval_init(ir_values *x, const ir_loss *l)
{
	memset(x, 0, sizeof *x);
	x->l = l;
	x->v = xcalloc(l->nnodes ? l->nnodes : 1, sizeof *x->v);
	x->g = xcalloc(l->nnodes ? l->nnodes : 1, sizeof *x->g);
	x->dep = xcalloc(l->nnodes ? l->nnodes : 1, 1);
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		long len = ireval_len(n);
		x->v[i] = xcalloc((size_t)len, sizeof **x->v);
		x->g[i] = xcalloc((size_t)len, sizeof **x->g);
		if (n->op == IR_CONST)
			for (long j = 0; j < len; j++)
				x->v[i][j] = n->vals ? n->vals[j] : n->num;
		x->dep[i] = n->op == IR_OUTPUT;
		for (unsigned k = 0; k < n->nargs; k++)
			x->dep[i] |= x->dep[n->args[k]->id];
		/* what the analyzer proved constant (0 * f(o)) has no gradient,
		   even where a partial inside it is infinite (sqrt at 0) */
		if (n->analyzed && n->curv == CURV_CONST)
			x->dep[i] = 0;
	}
	return 0;
}

void ireval_free(ir_values *x)
{
	for (size_t i = 0; x->l && i < x->l->nnodes; i++) {
		if (x->v)
			free(x->v[i]);
		if (x->g)
			free(x->g[i]);
	}
	free(x->v);
	free(x->g);
	free(x->dep);
	memset(x, 0, sizeof *x);
}

/* The operands' value (or adjoint) arrays of n, in small or malloc'ed. */
static ld **operands(ld **all, const ir_node *n, ld **small)
{
	ld **a = n->nargs <= OP_MAX_ARGS ? small : xmalloc(n->nargs * sizeof *a);
	for (unsigned k = 0; k < n->nargs; k++)
		a[k] = all[n->args[k]->id];
	return a;
}

void ireval_forward(ir_values *x)
{
	ireval_forward_batch(x, 1);
}

/* Node i's adjoint into its operands' (one row). */
static void back_node(ir_values *x, size_t i)
{
	const ir_node *n = x->l->nodes[i];
	const op_info *row = &ops[n->op];
	if (!x->dep[i])
		return;
	ld *small[OP_MAX_ARGS], *gsmall[OP_MAX_ARGS];
	ld **a = operands(x->v, n, small);
	ld **ga = operands(x->g, n, gsmall);
	for (unsigned k = 0; k < n->nargs; k++)
		if (!x->dep[n->args[k]->id])
			ga[k] = NULL;   /* constants: never asked (their partials may be NaN) */
	switch (row->kind) {
	case OK_LEAF:
		break;
	case OK_ELEM: {
		ld xs[OP_MAX_ARGS];
		for (long j = 0; j < ireval_len(n); j++) {
			ld gj = x->g[i][j];
			if (gj == 0)
				continue;
			for (unsigned k = 0; k < n->nargs; k++)
				xs[k] = a[k][ireval_len(n->args[k]) > 1 ? j : 0];
			for (unsigned k = 0; k < n->nargs; k++)
				if (ga[k])
					ga[k][ireval_len(n->args[k]) > 1 ? j : 0] += gj * row->partial((int)k, xs, x->v[i][j]);
		}
		break;
	}
	case OK_VEC: case OK_INDEX: case OK_REDUCE: case OK_VECTOR: case OK_BATCH: case OK_CROSS: {
		long lsmall[OP_MAX_ARGS];
		long *len = arg_lens(n, lsmall);
		op_vargs va = { n->nargs, len, (const ld *const *)a, n->type != IRT_CLASS ? ir_len(n) : 0, 1 };
		row->vgrad(&va, x->v[i], x->g[i], ga);
		if (len != lsmall)
			free(len);
		break;
	}
	}
	if (a != small)
		free(a);
	if (ga != gsmall)
		free(ga);
}

void ireval_backward(ir_values *x)
{
	ld seed = 1;
	ireval_backward_batch(x, 1, &seed);
}

/* ---- a batch of rows ---------------------------------------------------- */

/* Node i over the batch: its operand's rows as one vector (op_vargs with
   len n), the result given to every row. */
static void batch_node(ir_values *rows, size_t n, size_t i, int grad)
{
	const ir_node *nd = rows[0].l->nodes[i];
	size_t a = nd->args[0]->id;
	ld *col = xcalloc(n, sizeof *col), *gcol = grad ? xcalloc(n, sizeof *gcol) : NULL;
	for (size_t r = 0; r < n; r++)
		col[r] = rows[r].v[a][0];
	long len = (long)n;
	const ld *x[1] = { col };
	op_vargs va = { 1, &len, x, 0, 0 };
	if (!grad) {
		ld out;
		ops[nd->op].veval(&va, &out);
		for (size_t r = 0; r < n; r++)
			rows[r].v[i][0] = out;
	} else if (rows[0].dep[i]) {
		/* one node shared by every row: its adjoint is the sum of theirs */
		ld gout = 0;
		for (size_t r = 0; r < n; r++)
			gout += rows[r].g[i][0];
		ld *gx[1] = { rows[0].dep[a] ? gcol : NULL };
		ops[nd->op].vgrad(&va, rows[0].v[i], &gout, gx);
		for (size_t r = 0; gx[0] && r < n; r++)
			rows[r].g[a][0] += gcol[r];
	}
	free(col);
	free(gcol);
}

/*
 * Node i across the rows (OK_CROSS): its operands' rows gathered into one
 * array each, row after row, and the result's rows given back to each
 * row; backward, the adjoints of every row go in together and each
 * operand row gets its share.
 */
static void cross_node(ir_values *rows, size_t n, size_t i, int grad)
{
	const ir_node *nd = rows[0].l->nodes[i];
	long len[OP_MAX_ARGS];
	ld *x[OP_MAX_ARGS], *gx[OP_MAX_ARGS];
	long out = ireval_len(nd);
	for (unsigned k = 0; k < nd->nargs; k++) {
		size_t a = nd->args[k]->id;
		len[k] = ireval_len(nd->args[k]);
		x[k] = xcalloc(n * (size_t)len[k], sizeof **x);
		gx[k] = grad && rows[0].dep[a] ? xcalloc(n * (size_t)len[k], sizeof **gx) : NULL;
		for (size_t r = 0; r < n; r++)
			memcpy(x[k] + r * (size_t)len[k], rows[r].v[a], (size_t)len[k] * sizeof **x);
	}
	ld *v = xcalloc(n * (size_t)out, sizeof *v), *g = xcalloc(n * (size_t)out, sizeof *g);
	op_vargs va = { nd->nargs, len, (const ld *const *)x, out, (long)n };
	if (!grad) {
		ops[nd->op].veval(&va, v);
		for (size_t r = 0; r < n; r++)
			memcpy(rows[r].v[i], v + r * (size_t)out, (size_t)out * sizeof *v);
	} else if (rows[0].dep[i]) {
		for (size_t r = 0; r < n; r++) {
			memcpy(v + r * (size_t)out, rows[r].v[i], (size_t)out * sizeof *v);
			memcpy(g + r * (size_t)out, rows[r].g[i], (size_t)out * sizeof *g);
		}
		ops[nd->op].vgrad(&va, v, g, gx);
		for (unsigned k = 0; k < nd->nargs; k++)
			for (size_t r = 0; gx[k] && r < n; r++)
				for (long j = 0; j < len[k]; j++)
					rows[r].g[nd->args[k]->id][j] += gx[k][r * (size_t)len[k] + (size_t)j];
	}
	for (unsigned k = 0; k < nd->nargs; k++) {
		free(x[k]);
		free(gx[k]);
	}
	free(v);
	free(g);
}

void ireval_forward_batch(ir_values *rows, size_t n)
{
	const ir_loss *l = rows[0].l;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		if (ops[nd->op].kind == OK_BATCH) {
			batch_node(rows, n, i, 0);
			continue;
		}
		if (ops[nd->op].kind == OK_CROSS) {
			cross_node(rows, n, i, 0);
			continue;
		}
		if (nd->op == IR_ARANGE) {      /* the row's index (one row: row 0 of its batch) */
			for (size_t r = 0; r < n; r++)
				rows[r].v[i][0] = (ld)r;
			continue;
		}
		for (size_t r = 0; r < n; r++) {
			ld *small[OP_MAX_ARGS];
			ld **a = operands(rows[r].v, nd, small);
			ireval_node(nd, (const ld *const *)a, rows[r].v[i]);
			if (a != small)
				free(a);
		}
	}
}

void ireval_backward_batch(ir_values *rows, size_t n, const long double *seed)
{
	const ir_loss *l = rows[0].l;
	for (size_t r = 0; r < n; r++)
		for (size_t i = 0; i < l->nnodes; i++)
			memset(rows[r].g[i], 0, (size_t)ireval_len(l->nodes[i]) * sizeof **rows[r].g);
	if (!l->root)
		return;
	for (size_t r = 0; r < n; r++)
		rows[r].g[l->root->id][0] = seed[r];
	for (size_t i = l->nnodes; i-- > 0;) {
		if (ops[l->nodes[i]->op].kind == OK_BATCH) {
			batch_node(rows, n, i, 1);
			continue;
		}
		if (ops[l->nodes[i]->op].kind == OK_CROSS) {
			cross_node(rows, n, i, 1);
			continue;
		}
		for (size_t r = 0; r < n; r++)
			back_node(&rows[r], i);
	}
}
