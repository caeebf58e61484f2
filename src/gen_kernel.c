/*
 * gen_kernel.c: one loss's kernels as C99: the C API (names, parameters,
 * prototypes, the forward and gradient functions around the per-row code
 * of gen_sched.c and gen_adjoint.c), constants, and each op's value and
 * partials from its row's templates (gen_template.c).
 *
 * Numerics come from the rows: log-sum-exp and norm2 keep a running max
 * (op_scale); softplus, log_sigmoid and sigmoid use the overflow-free
 * forms; bce clamps its logs at -100 as PyTorch does.
 */
#include "gen_impl.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *gk_num(gen_kernel *g, double v)
{
	return gt_num(g, g->prec, v);
}

unsigned long gk_line(const gen_kernel *g, const ir_node *nd)
{
	return source_pos(g->loss->file->src, nd->span.start).line;
}

/* An elementwise op applied to operand expressions args[]. */
const char *gk_apply(gen_kernel *g, const ir_node *nd, const char *const *args)
{
	const op_info *row = &ops[nd->op];
	const char *tpl = row->c_pick ? row->c_pick(nd, -1) : row->c_value;
	gt_env e;
	memset(&e, 0, sizeof e);
	for (unsigned k = 0; k < OP_MAX_ARGS; k++)
		e.arg[k] = args[k];
	if (!tpl) {
		g->unsupported = nd;
		return "0";
	}
	return gt_expand(g, g->prec, tpl, &e);
}

/* d(op)/d(operand k) at one element, given the operand expressions and
   the op's own value there. */
const char *gk_partial(gen_kernel *g, const ir_node *nd, int k, const char *const *args, const char *value)
{
	const op_info *row = &ops[nd->op];
	const char *tpl = row->c_pick ? row->c_pick(nd, k) : k < OP_MAX_ARGS ? row->c_partial[k] : NULL;
	gt_env e;
	memset(&e, 0, sizeof e);
	for (unsigned j = 0; j < OP_MAX_ARGS; j++)
		e.arg[j] = args[j];
	e.value = value;
	if (!tpl) {
		g->unsupported = nd;
		return gk_num(g, 0);
	}
	return gt_expand(g, g->prec, tpl, &e);
}

/* ---- setup ------------------------------------------------------------- */

void gk_init(gen_kernel *g, const ir_loss *l, int index, arena *a)
{
	memset(g, 0, sizeof *g);
	g->loss = l;
	g->index = index;
	g->arena = a;
	g->prec = l->precision == PREC_FLOAT32 ? GP_F32 : GP_F64;
	g->T = g->prec == GP_F32 ? "float" : "double";
	g->vsfx = "";
	size_t n = l->nnodes ? l->nnodes : 1;
	g->var = arena_alloc(a, n * sizeof *g->var);
	g->level = arena_alloc(a, n * sizeof *g->level);
	g->dep = arena_alloc(a, n * sizeof *g->dep);
	g->looped = arena_alloc(a, n * sizeof *g->looped);
	g->scales = arena_alloc(a, n * sizeof *g->scales);
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		if (nd->op == IR_CONST && nd->type == IRT_CLASS)   /* a constant index (z[3]) */
			g->var[i] = gk_fmt(g, "%ld", (long)nd->num);
		else if (nd->op == IR_CONST && !nd->vals)
			g->var[i] = gk_num(g, nd->num);
		else if (nd->type == IRT_CLASS)
			g->var[i] = gk_fmt(g, "lc_y%zu", nd->id);
		else
			g->var[i] = gk_fmt(g, "lc_t%zu", nd->id);
	}
	gk_levels(g);
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
	g->cname = gk_fmt(g, "%s", gen_names_claim(names, gk_fmt(g, "%s_check", g->fname)));
}

/*
 * Every pointer is restrict (C99): the buffers written (each, d_*) must
 * not overlap any other argument.  It lets the compiler vectorize the
 * gradient rows without run-time overlap checks.  The definitions say
 * `restrict`; the header's prototypes say LOSSC_RESTRICT (q), which the
 * header defines as `restrict` in C and as the compiler's extension, or
 * nothing, in C++ (where `restrict` is no keyword).
 */
static void gk_param_list(gen_kernel *g, FILE *o, int grad, const char *q)
{
	const ir_loss *l = g->loss;
	fprintf(o, "size_t n");
	for (size_t i = 0; i < g->nparams; i++)
		fprintf(o, ", const %s *%s %s", g->params[i].is_class ? "int32_t" : g->T, q, g->params[i].name);
	if (!grad && l->reduce == RED_NONE)
		fprintf(o, ", %s *%s each", g->T, q);
	if (grad) {
		if (l->reduce == RED_NONE)
			fprintf(o, ", const %s *%s upstream", g->T, q);
		for (size_t i = 0; i < g->nouts; i++)
			fprintf(o, ", %s *%s %s", g->T, q, g->params[i].dname);
	}
}

void gk_prototypes(gen_kernel *g, FILE *o)
{
	const char *ret = g->loss->reduce == RED_NONE ? "void" : g->T;
	fprintf(o, "%s %s(", ret, g->fname);
	gk_param_list(g, o, 0, "LOSSC_RESTRICT");
	fprintf(o, ");\n%s %s(", ret, g->gname);
	gk_param_list(g, o, 1, "LOSSC_RESTRICT");
	fprintf(o, ");\nint %s(", g->cname);
	gk_param_list(g, o, 0, "LOSSC_RESTRICT");
	fprintf(o, ", size_t *row);\n");
}

/*
 * loss_NAME_check: what would make loss_NAME's result NaN by a bad call
 * rather than by the data (lossspec(5) GENERATED CODE): a class label out
 * of range that is not the ignore_index.  LOSSC_OK, or the error and the
 * first bad row in *row (row may be NULL).  It returns the macros' values
 * (LOSSC_OK is 0, ...): the kernels also compile without their header, as
 * the agreement tests build them.
 */
static void gk_check_function(gen_kernel *g, FILE *o)
{
	const ir_loss *l = g->loss;
	fprintf(o, "int %s(", g->cname);
	gk_param_list(g, o, 0, "restrict");
	fprintf(o, ", size_t *row)\n{\n");
	for (size_t p = 0; p < g->nparams; p++)
		fprintf(o, "\t(void)%s;\n", g->params[p].name);
	if (l->reduce == RED_NONE)
		fprintf(o, "\t(void)each;\n");
	int any = 0;
	for (size_t i = 0; i < l->nnodes; i++)
		any |= l->nodes[i]->op == IR_LABEL && l->nodes[i]->type == IRT_CLASS;
	if (any) {
		fprintf(o, "\tfor (size_t lc_r = 0; lc_r < n; lc_r++) {\n");
		if (l->mask)
			fprintf(o, "\t\tif (%s[lc_r] == %ld)\n\t\t\tcontinue;     /* ignored, not an error */\n",
				gk_item_name(g, l->mask), l->mask_k);
		for (size_t i = 0; i < l->nnodes; i++) {
			const ir_node *nd = l->nodes[i];
			if (nd->op != IR_LABEL || nd->type != IRT_CLASS)
				continue;
			const char *y = gk_item_name(g, nd->item);
			fprintf(o, "\t\tif (!(%s[lc_r] >= 0 && %s[lc_r] < %ld)) {\n\t\t\tif (row)\n\t\t\t\t*row = lc_r;\n"
				"\t\t\treturn 2;     /* LOSSC_BAD_LABEL */\n\t\t}\n", y, y, ir_len(nd));
		}
		fprintf(o, "\t}\n");
	} else {
		fprintf(o, "\t(void)n;\n");
	}
	fprintf(o, "\t(void)row;\n\treturn 0;     /* LOSSC_OK */\n}\n\n");
}

void gk_constants(gen_kernel *g, FILE *o)
{
	for (size_t i = 0; i < g->loss->nnodes; i++) {
		const ir_node *nd = g->loss->nodes[i];
		if (nd->op != IR_CONST || !nd->vals)
			continue;
		fprintf(o, "/* a constant vector of loss %d, from spec line %lu */\n"
			"static const %s lc_c%d_%zu[%ld] = {", g->index, gk_line(g, nd),
			g->T, g->index, nd->id, ir_len(nd));
		for (long k = 0; k < ir_len(nd); k++) {
			char buf[64];
			fprintf(o, "%s%s", k % 4 ? " " : "\n\t", gen_c_number(nd->vals[k], (g->prec == GP_F32), buf, sizeof buf));
			if (k + 1 < ir_len(nd))
				fputc(',', o);
		}
		fprintf(o, "\n};\n\n");
	}
}

/* This row's gradient rows, all zero (a row left out, or a bad label). */
static void gk_zero_row(gen_kernel *g, FILE *o)
{
	for (size_t p = 0; p < g->nouts; p++) {
		const gk_param *P = &g->params[p];
		if (P->dim == 0)
			fprintf(o, "\t\t\t%s[lc_r] = %s;\n", P->dname, gk_num(g, 0));
		else
			fprintf(o, "\t\t\tfor (size_t lc_j = 0; lc_j < %ld; lc_j++)\n"
				"\t\t\t\t%s[lc_r * (size_t)%ld + lc_j] = %s;\n", P->dim, P->dname, P->dim, gk_num(g, 0));
	}
}

/* ignore_index: a row whose label is the mask's index takes no part. */
static void gk_mask_row(gen_kernel *g, FILE *o, int grad)
{
	const ir_loss *l = g->loss;
	fprintf(o, "\t\tif (%s[lc_r] == %ld) {\n\t\t\t/* ignored (ignore_index): no value, no gradient, "
		"not counted */\n", gk_item_name(g, l->mask), l->mask_k);
	if (grad)
		gk_zero_row(g, o);
	else if (l->reduce == RED_NONE)
		fprintf(o, "\t\t\teach[lc_r] = %s;\n", gk_num(g, 0));
	fprintf(o, "\t\t\tcontinue;\n\t\t}\n");
}

/* Row setup shared by both functions: row pointers and class labels. */
static void gk_row_head(gen_kernel *g, FILE *o, int grad)
{
	const ir_loss *l = g->loss;
	if (l->mask)
		gk_mask_row(g, o, grad);
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
			fprintf(o, "%s!(lc_y%zu >= 0 && lc_y%zu < %ld)", first ? "" : " || ", nd->id, nd->id, ir_len(nd));
			first = 0;
		}
	}
	fprintf(o, ") {\n\t\t\t/* a class label out of range: this row's value is NaN%s */\n",
		grad ? " and its gradient rows are zero" : "");
	if (grad)
		gk_zero_row(g, o);
	if (l->reduce == RED_NONE) {
		if (!grad)
			fprintf(o, "\t\t\teach[lc_r] = NAN;\n");
	} else {
		fprintf(o, "\t\t\tlc_bacc += NAN;\n");
	}
	fprintf(o, "\t\t\tcontinue;\n\t\t}\n");
}

/*
 * `reduce ... weight w`: the row's value counts w times.  A mean is
 * sum(w v) / sum(w) (PyTorch's (w * l).sum() / w.sum()): each row's
 * gradient is written scaled by its w, and the buffers are divided by
 * sum(w) once it is known (gk_weighted_rescale).
 */
static void gk_weighted_row(gen_kernel *g, FILE *o, int grad)
{
	const ir_loss *l = g->loss;
	const char *v = g->var[l->root->id], *w = g->var[l->weight->id];
	switch (l->reduce) {
	case RED_MEAN:
		fprintf(o, "\t\tlc_bacc += (double)%s * (double)%s;\n\t\tlc_bwsum += (double)%s;\n", w, v, w);
		if (grad)
			fprintf(o, "\t\tconst %s lc_w = %s;\n", g->T, w);
		break;
	case RED_SUM:
		fprintf(o, "\t\tlc_bacc += (double)%s * (double)%s;\n", w, v);
		if (grad)
			fprintf(o, "\t\tconst %s lc_w = %s;\n", g->T, w);
		break;
	case RED_NONE:
		if (!grad)
			fprintf(o, "\t\teach[lc_r] = %s * %s;\n", w, v);
		else
			fprintf(o, "\t\t(void)%s;  /* the value is the caller's; only its gradient is needed */\n"
				"\t\tconst %s lc_w = upstream[lc_r] * %s;\n", v, g->T, w);
		break;
	}
}

/*
 * The weighted mean's gradient rows, each written times its w, over
 * sum(w).  The rows left out (ignore_index, a bad label) keep their zero
 * gradient even when sum(w) is 0; the others are NaN then, as PyTorch's.
 */
static void gk_weighted_rescale(gen_kernel *g, FILE *o)
{
	const ir_loss *l = g->loss;
	fprintf(o, "\t/* the rows' gradients carry their weights: divide by sum(w) */\n"
		"\tconst %s lc_inv = (%s)(1.0 / lc_wsum);\n\tfor (size_t lc_r = 0; lc_r < n; lc_r++) {\n", g->T, g->T);
	if (l->mask)
		fprintf(o, "\t\tif (%s[lc_r] == %ld)\n\t\t\tcontinue;\n", gk_item_name(g, l->mask), l->mask_k);
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		if (nd->op == IR_LABEL && nd->type == IRT_CLASS)
			fprintf(o, "\t\tif (!(%s[lc_r] >= 0 && %s[lc_r] < %ld))\n\t\t\tcontinue;\n",
				gk_item_name(g, nd->item), gk_item_name(g, nd->item), ir_len(nd));
	}
	for (size_t p = 0; p < g->nouts; p++) {
		const gk_param *P = &g->params[p];
		long len = P->dim ? P->dim : 1;
		fprintf(o, "\t\tfor (size_t lc_j = 0; lc_j < %ld; lc_j++)\n\t\t\t%s[lc_r * (size_t)%ld + lc_j] *= lc_inv;\n",
			len, P->dname, len);
	}
	fprintf(o, "\t}\n");
}

/*
 * The rows run in GEN_PARTS contiguous parts whose bounds depend on n
 * alone: each part sums its rows' values (and weights) in order into its
 * own slot, and the slots add into the batch value in order afterwards.
 * So the value is bit-identical whether OpenMP (-fopenmp) runs the parts
 * on one thread or many, and without OpenMP; and no thread waits on
 * another's turn.
 */
#define GEN_PARTS 64

/* The body of NAME or NAME_grad, between its braces. */
static void gk_body(gen_kernel *g, FILE *o, int grad)
{
	const ir_loss *l = g->loss;
	/* An output the value does not read is still a parameter: keep
	   -Wunused-parameter quiet about it in the caller's build. */
	for (size_t p = 0; p < g->nouts; p++)
		fprintf(o, "\t(void)%s;\n", g->params[p].name);
	const ir_node *W = l->weight;
	int red = l->reduce != RED_NONE, wmean = W && l->reduce == RED_MEAN;
	if (red)
		fprintf(o, "\t/* the batch %s%s, accumulated in double */\n\tdouble lc_acc = 0.0;\n",
			W ? "weighted " : "", l->reduce == RED_MEAN ? "mean" : "sum");
	if (wmean)
		fprintf(o, "\tdouble lc_wsum = 0.0;\n");
	/* a mean over the rows not ignored divides by their count */
	const char *count = "n";
	if (l->mask && l->reduce == RED_MEAN && !W) {
		fprintf(o, "\t/* the rows whose %s is %ld are left out (ignore_index): the mean is over the others */\n"
			"\tsize_t lc_cnt = 0;\n\tfor (size_t lc_r = 0; lc_r < n; lc_r++)\n\t\tlc_cnt += %s[lc_r] != %ld;\n",
			gk_item_name(g, l->mask), l->mask_k, gk_item_name(g, l->mask), l->mask_k);
		count = "lc_cnt";
	}
	if (grad && l->reduce == RED_MEAN && !W)
		fprintf(o, "\tconst %s lc_w = (%s)(1.0 / (double)%s);\n", g->T, g->T, count);
	else if (grad && l->reduce == RED_SUM && !W)
		fprintf(o, "\tconst %s lc_w = %s;\n", g->T, gk_num(g, 1));
	if (red)
		fprintf(o, "\tdouble lc_part[%d] = { 0 };\n", GEN_PARTS);
	if (wmean)
		fprintf(o, "\tdouble lc_wpart[%d] = { 0 };\n", GEN_PARTS);
	fprintf(o, "\t/* %d parts of the rows, in parallel under OpenMP, summed in order */\n", GEN_PARTS);
	fprintf(o, "#ifdef _OPENMP\n#pragma omp parallel for schedule(static) if (n >= %d)\n#endif\n", 2 * GEN_PARTS);
	fprintf(o, "\tfor (int lc_p = 0; lc_p < %d; lc_p++) {\n", GEN_PARTS);
	fprintf(o, "\t\tconst size_t lc_q = n / %d, lc_u = n %% %d, lc_pp = (size_t)lc_p;\n", GEN_PARTS, GEN_PARTS);
	fprintf(o, "\t\tconst size_t lc_r0 = lc_q * lc_pp + (lc_pp < lc_u ? lc_pp : lc_u);\n");
	fprintf(o, "\t\tconst size_t lc_r1 = lc_r0 + lc_q + (lc_pp < lc_u);\n");
	if (red)
		fprintf(o, "\t\tdouble lc_bacc = 0.0;\n");
	if (wmean)
		fprintf(o, "\t\tdouble lc_bwsum = 0.0;\n");
	fprintf(o, "\t\tfor (size_t lc_r = lc_r0; lc_r < lc_r1; lc_r++) {\n");
	if (grad && l->reduce == RED_NONE && !W)
		fprintf(o, "\t\tconst %s lc_w = upstream[lc_r];\n", g->T);
	gk_row_head(g, o, grad);
	g->grad = grad;
	gk_forward_row(g, o, "\t\t");
	if (W)
		gk_weighted_row(g, o, grad);
	else if (l->reduce == RED_NONE) {
		if (!grad)
			fprintf(o, "\t\teach[lc_r] = %s;\n", g->var[l->root->id]);
		else
			fprintf(o, "\t\t(void)%s;  /* the value is the caller's; only its gradient is needed */\n", g->var[l->root->id]);
	} else {
		fprintf(o, "\t\tlc_bacc += (double)%s;\n", g->var[l->root->id]);
	}
	int streams = g->vstreams;
	if (grad) {
		fprintf(o, "\t\t/* the gradient of this row, reverse mode */\n");
		g->ntemps = 0;
		gk_backward_row(g, o, "\t\t");
	}
	fprintf(o, "\t\t}\n");
	if (g->vstreams > streams)
		fprintf(o, "#ifdef LC_VSTREAM\n\t\tLC_VSFENCE();  /* this part's streamed rows, before the join */\n#endif\n");
	if (red)
		fprintf(o, "\t\tlc_part[lc_p] = lc_bacc;\n");
	if (wmean)
		fprintf(o, "\t\tlc_wpart[lc_p] = lc_bwsum;\n");
	fprintf(o, "\t}\n");
	if (red)
		fprintf(o, "\tfor (int lc_p = 0; lc_p < %d; lc_p++)\n\t\tlc_acc += lc_part[lc_p];\n", GEN_PARTS);
	if (wmean)
		fprintf(o, "\tfor (int lc_p = 0; lc_p < %d; lc_p++)\n\t\tlc_wsum += lc_wpart[lc_p];\n", GEN_PARTS);
	if (wmean && grad)
		gk_weighted_rescale(g, o);
	if (wmean)
		fprintf(o, "\treturn (%s)(lc_acc / lc_wsum);\n", g->T);
	else if (l->reduce == RED_MEAN)
		fprintf(o, "\treturn (%s)(lc_acc / (double)%s);\n", g->T, count);
	else if (l->reduce == RED_SUM)
		fprintf(o, "\treturn (%s)lc_acc;\n", g->T);
}

/* The arguments of a call forwarding every parameter. */
static void gk_arg_names(gen_kernel *g, FILE *o, int grad)
{
	const ir_loss *l = g->loss;
	fprintf(o, "n");
	for (size_t i = 0; i < g->nparams; i++)
		fprintf(o, ", %s", g->params[i].name);
	if (!grad && l->reduce == RED_NONE)
		fprintf(o, ", each");
	if (grad) {
		if (l->reduce == RED_NONE)
			fprintf(o, ", upstream");
		for (size_t i = 0; i < g->nouts; i++)
			fprintf(o, ", %s", g->params[i].dname);
	}
}

/*
 * NAME and NAME_grad, then NAME_check.  A body with vector loops is
 * written twice: once compiled for AVX2+FMA (LC_AVX2), which NAME calls
 * when the CPU has them (LC_DISPATCH, gen_vec.c), and once for the
 * compiler's target.
 */
void gk_functions(gen_kernel *g, FILE *o)
{
	const ir_loss *l = g->loss;
	const char *ret = l->reduce == RED_NONE ? "void" : g->T;
	for (int grad = 0; grad <= 1; grad++) {
		const char *name = grad ? g->gname : g->fname;
		char *body = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&body, &len);
		int before = g->vloops;
		/* A memory stream fails only when it cannot grow its buffer. */
		if (!m)
			xalloc_die();
		gk_body(g, m, grad);
		if (fclose(m) != 0)
			xalloc_die();
		int dispatch = g->vloops > before;
		if (dispatch) {
			fprintf(o, "#ifdef LC_DISPATCH\nLC_AVX2 static %s lc_avx2_%s(", ret, name);
			gk_param_list(g, o, grad, "restrict");
			fprintf(o, ")\n{\n");
			fwrite(body, 1, len, o);
			fprintf(o, "}\n#endif\n\n");
		}
		fprintf(o, "%s %s(", ret, name);
		gk_param_list(g, o, grad, "restrict");
		fprintf(o, ")\n{\n");
		if (dispatch) {
			fprintf(o, "#ifdef LC_DISPATCH\n\tif (lc_have_avx2())\n\t\t%slc_avx2_%s(",
				l->reduce == RED_NONE ? "{\n\t\t\t" : "return ", name);
			gk_arg_names(g, o, grad);
			fprintf(o, ");%s\n#endif\n", l->reduce == RED_NONE ? "\n\t\t\treturn;\n\t\t}" : "");
		}
		fwrite(body, 1, len, o);
		fprintf(o, "}\n\n");
		free(body);
	}
	gk_check_function(g, o);
}
