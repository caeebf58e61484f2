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
		if (nd->op == IR_CONST && !nd->vals)
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
			fprintf(o, "%s!(lc_y%zu >= 0 && lc_y%zu < %ld)", first ? "" : " || ", nd->id, nd->id, ir_len(nd));
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
		fprintf(o, "\t\t\tlc_bacc += NAN;\n");
	}
	fprintf(o, "\t\t\tcontinue;\n\t\t}\n");
}

/*
 * The rows run in GEN_PARTS contiguous parts whose bounds depend on n
 * alone: each part sums its rows' values in order into its own slot, and
 * the slots add into the batch value in order afterwards.  So the value is
 * bit-identical whether OpenMP (-fopenmp) runs the parts on one thread or
 * many, and without OpenMP; and no thread waits on another's turn.
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
	if (l->reduce != RED_NONE)
		fprintf(o, "\t/* the batch %s, accumulated in double */\n\tdouble lc_acc = 0.0;\n",
			l->reduce == RED_MEAN ? "mean" : "sum");
	if (grad && l->reduce == RED_MEAN)
		fprintf(o, "\tconst %s lc_w = (%s)(1.0 / (double)n);\n", g->T, g->T);
	else if (grad && l->reduce == RED_SUM)
		fprintf(o, "\tconst %s lc_w = %s;\n", g->T, gk_num(g, 1));
	int red = l->reduce != RED_NONE;
	if (red)
		fprintf(o, "\tdouble lc_part[%d] = { 0 };\n", GEN_PARTS);
	fprintf(o, "\t/* %d parts of the rows, in parallel under OpenMP, summed in order */\n", GEN_PARTS);
	fprintf(o, "#ifdef _OPENMP\n#pragma omp parallel for schedule(static) if (n >= %d)\n#endif\n", 2 * GEN_PARTS);
	fprintf(o, "\tfor (int lc_p = 0; lc_p < %d; lc_p++) {\n", GEN_PARTS);
	fprintf(o, "\t\tconst size_t lc_q = n / %d, lc_u = n %% %d, lc_pp = (size_t)lc_p;\n", GEN_PARTS, GEN_PARTS);
	fprintf(o, "\t\tconst size_t lc_r0 = lc_q * lc_pp + (lc_pp < lc_u ? lc_pp : lc_u);\n");
	fprintf(o, "\t\tconst size_t lc_r1 = lc_r0 + lc_q + (lc_pp < lc_u);\n");
	if (red)
		fprintf(o, "\t\tdouble lc_bacc = 0.0;\n");
	fprintf(o, "\t\tfor (size_t lc_r = lc_r0; lc_r < lc_r1; lc_r++) {\n");
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
		fprintf(o, "\t\tlc_bacc += (double)%s;\n", g->var[l->root->id]);
	}
	if (grad) {
		fprintf(o, "\t\t/* the gradient of this row, reverse mode */\n");
		g->ntemps = 0;
		gk_backward_row(g, o, "\t\t");
	}
	fprintf(o, "\t\t}\n");
	if (red)
		fprintf(o, "\t\tlc_part[lc_p] = lc_bacc;\n");
	fprintf(o, "\t}\n");
	if (red)
		fprintf(o, "\tfor (int lc_p = 0; lc_p < %d; lc_p++)\n\t\tlc_acc += lc_part[lc_p];\n", GEN_PARTS);
	if (l->reduce == RED_MEAN)
		fprintf(o, "\treturn (%s)(lc_acc / (double)n);\n", g->T);
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
 * NAME and NAME_grad.  A body with vector loops is written twice: once
 * compiled for AVX2+FMA (LC_AVX2), which NAME calls when the CPU has
 * them (LC_DISPATCH, gen_vec.c), and once for the compiler's target.
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
		if (m) {
			gk_body(g, m, grad);
			if (fclose(m) != 0) {
				free(body);
				body = NULL;
			}
		}
		if (!body) {
			g->too_big = 1;         /* out of memory: gen reports it, writes nothing */
			return;
		}
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
			fprintf(o, "#ifdef LC_DISPATCH\n\tif (lc_have_avx2())\n\t\t%slc_avx2_%s(", l->reduce == RED_NONE ? "{\n\t\t\t" : "return ", name);
			gk_arg_names(g, o, grad);
			fprintf(o, ");%s\n#endif\n", l->reduce == RED_NONE ? "\n\t\t\treturn;\n\t\t}" : "");
		}
		fwrite(body, 1, len, o);
		fprintf(o, "}\n\n");
		free(body);
	}
}
