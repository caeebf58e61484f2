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
	g->only = NULL;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		g->has_batch |= ops[nd->op].kind == OK_BATCH
				|| ((nd->op == IR_OUTPUT || nd->op == IR_INPUT) && !nd->shape.batched);
	}
	for (const ast_item *it = l->loss->items; it; it = it->next)
		g->has_batch |= it->kind == IT_OUTPUT && it->choice == LEVEL_BATCH;   /* even unused */
	g->target = -1;
	for (size_t i = 0; i < l->nnodes; i++)
		g->cross |= ops[l->nodes[i]->op].kind == OK_CROSS;
	if (g->has_batch || g->cross)
		g->only = arena_alloc(a, n);
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		if (nd->op == IR_CONST && nd->type == IRT_CLASS)   /* a constant index (z[3]) */
			g->var[i] = gk_fmt(g, "%ld", (long)nd->num);
		else if (nd->op == IR_ARANGE)   /* the row's index: the rows' loop variable */
			g->var[i] = "lc_r";
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

/* A declared type's row length as a shape size (lossspec(5) TYPES). */
static shp_size gk_type_len(const ast_type *t)
{
	if (t->dim != AST_DIM_SIZES)
		return shp_num(t->dim);
	return t->sizes[0].name.s ? shp_named(t->sizes[0].name.item) : shp_num(t->sizes[0].n);
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
			P->len = gk_type_len(&it->type);
			P->per_batch = it->choice == LEVEL_BATCH;
		}
	g->nouts = g->nparams;
	if (l->dataset)
		for (const ast_item *it = l->dataset->items; it; it = it->next)
			if ((it->kind == IT_INPUT || it->kind == IT_LABEL) && ir_uses_item(l, it)) {
				gk_param *P = &g->params[g->nparams++];
				P->item = it;
				P->is_class = it->type.kind == TY_CLASS;
				P->len = P->is_class ? shp_num(0) : gk_type_len(&it->type);
				P->classes = P->is_class ? gk_type_len(&it->type) : shp_num(0);
				P->per_batch = it->choice == LEVEL_BATCH && !P->is_class;
			}
	/* the sizes first: their names are the spec's, like the arguments' */
	g->size_names = arena_alloc(g->arena, (l->nsizes ? l->nsizes : 1) * sizeof *g->size_names);
	for (size_t i = 0; i < l->nsizes; i++)
		g->size_names[i] = gk_fmt(g, "%s", gen_names_claim(&local, l->sizes[i]->name.s));
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
	/* a v2 loss (a named size or a batch) takes `work` (lossspec(5)): its
	   signature need not change when a term comes to need scratch memory */
	if (l->nsizes || ast_find_item(l->loss, IT_BATCH))
		g->wname = gk_fmt(g, "%s", gen_names_claim(names, gk_fmt(g, "%s_work_size", g->fname)));
	/* a named size's value (len(v) of real[V]), and a constant index
	   into a named size from its end (z[-1] of real[V]) */
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		if (nd->op == IR_SIZE)
			g->var[i] = gk_lenf(g, shp_named(nd->item));
		if (nd->op == IR_CONST && nd->type == IRT_CLASS && nd->classes.item && nd->num < 0)
			g->var[i] = gk_fmt(g, "(%s - %ld)", gk_len(g, nd->classes), (long)-nd->num);
	}
}

const char *gk_len(gen_kernel *g, shp_size z)
{
	if (!z.item)
		return gk_fmt(g, "%ld", z.n);
	if (z.item == g->loss->rows)    /* a row as long as the batch: n */
		return "n";
	int i = ir_size_index(g->loss, z.item);
	if (i < 0 || !g->size_names) {
		g->unsupported = g->loss->root;
		return "lc_missing";
	}
	return g->size_names[i];
}

const char *gk_lenf(gen_kernel *g, shp_size z)
{
	return z.item ? gk_fmt(g, "(%s)%s", g->T, gk_len(g, z)) : gk_num(g, (double)z.n);
}

const char *gk_dim(gen_kernel *g, const ir_node *nd)
{
	return ir_is_vec(nd) || nd->type == IRT_CLASS ? gk_len(g, ir_dim(nd)) : "1";
}

const char *gk_work_buffer(gen_kernel *g, const char *type, const char *count)
{
	gk_work **at = &g->work;
	int k = 0;
	for (; *at; at = &(*at)->next)
		k++;
	gk_work *w = arena_alloc(g->arena, sizeof *w);
	w->name = gk_fmt(g, "lc_work%d", k);
	w->type = type;
	w->count = count;
	w->factor[0] = w->factor[1] = NULL;
	w->next = NULL;
	*at = w;
	return w->name;
}

const char *gk_work_buffer2(gen_kernel *g, const char *type, const char *a, const char *b)
{
	const char *name = gk_work_buffer(g, type, gk_fmt(g, "(size_t)(%s) * (size_t)(%s)", a, b));
	gk_work *w = g->work;
	while (w->next)
		w = w->next;
	w->factor[0] = a;
	w->factor[1] = b;
	return name;
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
	for (size_t i = 0; i < l->nsizes; i++)
		fprintf(o, ", size_t %s", g->size_names[i]);
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
	if (g->wname)
		fprintf(o, ", void *%s work", q);
}

/* n and the named sizes, as the work size function takes them. */
static void gk_size_params(gen_kernel *g, FILE *o)
{
	fprintf(o, "size_t n");
	for (size_t i = 0; i < g->loss->nsizes; i++)
		fprintf(o, ", size_t %s", g->size_names[i]);
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
	if (g->wname) {
		fprintf(o, "size_t %s(", g->wname);
		gk_size_params(g, o);
		fprintf(o, ");\n");
	}
}

/* "y is a class in 0..K-1" in C; a named K is a size_t. */
static const char *gk_label_ok(gen_kernel *g, const char *y, shp_size k)
{
	if (k.item)
		return gk_fmt(g, "%s >= 0 && (size_t)%s < %s", y, y, gk_len(g, k));
	return gk_fmt(g, "%s >= 0 && %s < %ld", y, y, k.n);
}

/* The smallest value of each named size (1; more for a constant index). */
static long gk_min_size(gen_kernel *g, size_t i)
{
	return ir_min_size(g->loss, g->loss->sizes[i]);
}

/* NAME_check on the named sizes: ZERO_SIZE, then BAD_INDEX, row 0. */
static void gk_check_sizes(gen_kernel *g, FILE *o)
{
	for (size_t i = 0; i < g->loss->nsizes; i++) {
		const char *v = g->size_names[i];
		fprintf(o, "\tif (%s == 0) {\n\t\tif (row)\n\t\t\t*row = 0;\n\t\treturn 1;     /* LOSSC_ZERO_SIZE */\n\t}\n", v);
		if (gk_min_size(g, i) > 1)
			fprintf(o, "\tif (%s < %ld) {     /* a constant index needs %s > %ld */\n\t\tif (row)\n\t\t\t*row = 0;\n"
				"\t\treturn 3;     /* LOSSC_BAD_INDEX */\n\t}\n", v, gk_min_size(g, i), v, gk_min_size(g, i) - 1);
	}
}

/*
 * The end of a call that cannot be computed, inside an open `if (...) {`:
 * every gradient buffer 0, `each` NaN, the loss NaN (lossspec(5)
 * GENERATED CODE, run-time errors); closes the brace.
 */
static void gk_fail_all(gen_kernel *g, FILE *o, int grad)
{
	const ir_loss *l = g->loss;
	if (grad)
		for (size_t p = 0; p < g->nouts; p++) {
			const gk_param *P = &g->params[p];
			const char *len = gk_param_vec(P) ? gk_len(g, P->len) : "1";
			fprintf(o, "\t\tfor (size_t lc_j = 0; lc_j < %s * (size_t)%s; lc_j++)\n\t\t\t%s[lc_j] = %s;\n",
				P->per_batch ? "1" : "n", len, P->dname, gk_num(g, 0));
		}
	if (l->reduce == RED_NONE)
		fprintf(o, "%s\t\treturn;\n\t}\n", grad ? "" : "\t\tfor (size_t lc_r = 0; lc_r < n; lc_r++)\n\t\t\teach[lc_r] = NAN;\n");
	else
		fprintf(o, "\t\treturn (%s)NAN;\n\t}\n", g->T);
}

/*
 * A named size of 0, or one too small for a constant index, makes the
 * whole call NaN (lossspec(5) GENERATED CODE): every row would read
 * outside its vectors.  The gradient buffers are set to 0 and nothing
 * else is read.
 */
static void gk_size_guard(gen_kernel *g, FILE *o, int grad)
{
	const ir_loss *l = g->loss;
	if (!l->nsizes)
		return;
	fprintf(o, "\t/* a named size of 0 (or too small for a constant index): NaN, see %s */\n\tif (", g->cname);
	for (size_t i = 0; i < l->nsizes; i++)
		fprintf(o, "%s%s < %ld", i ? " || " : "", g->size_names[i], gk_min_size(g, i));
	fprintf(o, ") {\n");
	gk_fail_all(g, o, grad);
}
/*
 * The work buffers (gk_work) at the top of a function: each at a 64-byte
 * aligned offset of `work`, in registration order, as NAME_work_size
 * counts them.
 */
static void gk_work_carve(gen_kernel *g, FILE *o)
{
	if (!g->wname)
		return;
	if (!g->work) {
		fprintf(o, "\t(void)work;     /* no scratch memory: every vector loop is fused */\n");
		return;
	}
	fprintf(o, "\tunsigned char *lc_wp = (unsigned char *)work;\n");
	for (const gk_work *w = g->work; w; w = w->next)
		fprintf(o, "\t%s *const %s = (%s *)(void *)lc_wp;\n\t(void)%s;      /* a gradient's only, maybe */\n"
			"\tlc_wp += ((size_t)(%s) * sizeof(%s) + 63) / 64 * 64;\n",
			w->type, w->name, w->type, w->name, w->count, w->type);
	fprintf(o, "\t(void)lc_wp;\n");
}

/*
 * NAME_work_size(n, sizes...): the bytes of `work` the functions use, the
 * buffers' 64-byte rounded sizes summed; SIZE_MAX when that overflows a
 * size_t.
 */
static void gk_work_size_function(gen_kernel *g, FILE *o)
{
	if (!g->wname)
		return;
	fprintf(o, "size_t %s(", g->wname);
	gk_size_params(g, o);
	fprintf(o, ")\n{\n\t(void)n;\n");
	for (size_t i = 0; i < g->loss->nsizes; i++)
		fprintf(o, "\t(void)%s;\n", g->size_names[i]);
	if (!g->work) {
		fprintf(o, "\treturn 0;     /* every vector loop is fused: nothing to keep */\n}\n\n");
		return;
	}
	fprintf(o, "\tsize_t lc_total = 0;\n");
	for (const gk_work *w = g->work; w; w = w->next) {
		if (w->factor[0])       /* a product: checked before it is formed */
			fprintf(o, "\tif ((size_t)(%s) != 0 && (size_t)(%s) > SIZE_MAX / (size_t)(%s))\n\t\treturn SIZE_MAX;\n",
				w->factor[1], w->factor[0], w->factor[1]);
		fprintf(o, "\t{\n\t\t/* %s */\n\t\tconst size_t lc_c = (size_t)(%s);\n"
			"\t\tif (lc_c > (SIZE_MAX - 63) / sizeof(%s))\n\t\t\treturn SIZE_MAX;\n"
			"\t\tconst size_t lc_b = (lc_c * sizeof(%s) + 63) / 64 * 64;\n"
			"\t\tif (lc_b > SIZE_MAX - lc_total)\n\t\t\treturn SIZE_MAX;\n\t\tlc_total += lc_b;\n\t}\n",
			w->name, w->count, w->type, w->type);
	}
	fprintf(o, "\treturn lc_total;\n}\n\n");
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
	if (g->wname)
		fprintf(o, "\t(void)work;\n");
	gk_check_sizes(g, o);
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
			fprintf(o, "\t\tif (!(%s)) {\n\t\t\tif (row)\n\t\t\t\t*row = lc_r;\n"
				"\t\t\treturn 2;     /* LOSSC_BAD_LABEL */\n\t\t}\n",
				gk_label_ok(g, gk_fmt(g, "%s[lc_r]", y), nd->classes));
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
		if (P->per_batch)
			continue;       /* the row adds nothing to the batch's sum */
		if (!gk_param_vec(P))
			fprintf(o, "\t\t\t%s[lc_r] = %s;\n", P->dname, gk_num(g, 0));
		else
			fprintf(o, "\t\t\tfor (size_t lc_j = 0; lc_j < %s; lc_j++)\n"
				"\t\t\t\t%s[lc_r * (size_t)%s + lc_j] = %s;\n", gk_len(g, P->len), P->dname,
				gk_len(g, P->len), gk_num(g, 0));
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

/* Does the forward code being written (g->only) read item? */
static int gk_reads(const gen_kernel *g, const ast_item *item)
{
	const ir_loss *l = g->loss;
	for (size_t i = 0; i < l->nnodes; i++)
		if (l->nodes[i]->item == item && (!g->only || g->only[i]))
			return 1;
	return 0;
}

/* A class label node the forward code being written reads. */
static int gk_label_read(const gen_kernel *g, const ir_node *nd)
{
	return nd->op == IR_LABEL && nd->type == IRT_CLASS && (!g->only || g->only[nd->id]);
}

/*
 * Row setup shared by both functions: row pointers and class labels.  In
 * a batch stage (stage set) no row is left out and nothing is written: a
 * bad label makes the statistic NaN.
 */
void gk_row_head(gen_kernel *g, FILE *o, int grad, int stage)
{
	const ir_loss *l = g->loss;
	if (l->mask && !stage)
		gk_mask_row(g, o, grad);
	for (size_t i = 0; i < g->nparams; i++) {
		const gk_param *P = &g->params[i];
		if (gk_param_vec(P) && gk_reads(g, P->item)) {
			fprintf(o, "\t\tconst %s *lc_row_%s = %s + lc_r * (size_t)%s;\n", g->T, P->name, P->name,
				gk_len(g, P->len));
			if (g->cross)   /* a kept output's backward stage reads only its adjoint */
				fprintf(o, "\t\t(void)lc_row_%s;\n", P->name);
		}
	}
	if (g->cross)
		gk_cross_row_head(g, o, grad);
	int any = 0;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		if (gk_label_read(g, nd)) {
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
		if (gk_label_read(g, nd)) {
			fprintf(o, "%s!(%s)", first ? "" : " || ", gk_label_ok(g, g->var[nd->id], nd->classes));
			first = 0;
		}
	}
	if (stage) {
		fprintf(o, ") {\n\t\t\t/* a class label out of range: the statistic is NaN */\n"
			"\t\t\tlc_bacc += NAN;\n\t\t\tcontinue;\n\t\t}\n");
		return;
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
	/* where rows interact through values kept for the batch (gen_cross.c), a
	   row left out still moves the others' values: every row is divided (a
	   bad label made the whole call NaN before any row ran) */
	if (l->mask && !g->cross)
		fprintf(o, "\t\tif (%s[lc_r] == %ld)\n\t\t\tcontinue;\n", gk_item_name(g, l->mask), l->mask_k);
	for (size_t i = 0; i < l->nnodes && !g->cross; i++) {
		const ir_node *nd = l->nodes[i];
		if (nd->op == IR_LABEL && nd->type == IRT_CLASS)
			fprintf(o, "\t\tif (!(%s))\n\t\t\tcontinue;\n",
				gk_label_ok(g, gk_fmt(g, "%s[lc_r]", gk_item_name(g, nd->item)), nd->classes));
	}
	for (size_t p = 0; p < g->nouts; p++) {
		const gk_param *P = &g->params[p];
		const char *len = gk_param_vec(P) ? gk_len(g, P->len) : "1";
		if (!P->per_batch)
			fprintf(o, "\t\tfor (size_t lc_j = 0; lc_j < %s; lc_j++)\n\t\t\t%s[lc_r * (size_t)%s + lc_j] *= lc_inv;\n",
				len, P->dname, len);
	}
	fprintf(o, "\t}\n");
	for (size_t p = 0; p < g->nouts; p++)
		if (g->params[p].per_batch)
			fprintf(o, "\t%s[0] *= lc_inv;\n", g->params[p].dname);
}

/*
 * The rows run in GEN_PARTS contiguous parts whose bounds depend on n
 * alone: each part sums its rows' values (and weights) in order into its
 * own slot, and the slots add into the batch value in order afterwards.
 * So the value is bit-identical whether OpenMP (-fopenmp) runs the parts
 * on one thread or many, and without OpenMP; and no thread waits on
 * another's turn.
 */
/* The loop over the GEN_PARTS parts, open: rows [lc_r0, lc_r1) are the part's. */
void gk_parts_open(FILE *o)
{
	fprintf(o, "\t/* %d parts of the rows, in parallel under OpenMP, summed in order */\n", GEN_PARTS);
	fprintf(o, "#ifdef _OPENMP\n#pragma omp parallel for schedule(static) if (n >= %d)\n#endif\n", 2 * GEN_PARTS);
	fprintf(o, "\tfor (int lc_p = 0; lc_p < %d; lc_p++) {\n", GEN_PARTS);
	fprintf(o, "\t\tconst size_t lc_q = n / %d, lc_u = n %% %d, lc_pp = (size_t)lc_p;\n", GEN_PARTS, GEN_PARTS);
	fprintf(o, "\t\tconst size_t lc_r0 = lc_q * lc_pp + (lc_pp < lc_u ? lc_pp : lc_u);\n");
	fprintf(o, "\t\tconst size_t lc_r1 = lc_r0 + lc_q + (lc_pp < lc_u);\n");
}

/* g->only: what targets read, not looking past a statistic over the batch
   (computed before the rows, so the row reads its result only). */
void gk_mark(gen_kernel *g, const ir_node *a, const ir_node *b)
{
	const ir_loss *l = g->loss;
	memset(g->only, 0, l->nnodes ? l->nnodes : 1);
	if (a)
		g->only[a->id] = 1;
	if (b)
		g->only[b->id] = 1;
	for (size_t i = l->nnodes; i-- > 0;) {
		const ir_node *nd = l->nodes[i];
		if (g->only[i] && ops[nd->op].kind != OK_BATCH && !gk_is_mat_leaf(g, nd))
			for (unsigned k = 0; k < nd->nargs; k++)
				g->only[nd->args[k]->id] = 1;
	}
}

/*
 * The batch stage: each statistic over the batch (OK_BATCH), in id order
 * (one may read another), before the rows: its row's passes (op_batch),
 * each a sum over every row of the operand's term, kept in double in the
 * same GEN_PARTS parts as the rows and added in order, so the statistic
 * is bit-identical with and without OpenMP.  No row is left out
 * (ignore_index masks the loss, not the data a statistic reads: PyTorch's
 * adv.mean() sees every row).  The result is lc_t<id>, which the rows
 * read like any scalar.
 */
static void gk_batch_stage(gen_kernel *g, FILE *o)
{
	const ir_loss *l = g->loss;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		const op_batch *B = ops[nd->op].batch;
		if (ops[nd->op].kind != OK_BATCH)
			continue;
		fprintf(o, "\t/* %s(...) over the batch (line %lu), before the rows */\n\tdouble lc_bm%zu = 0.0;\n",
			ir_op_name(nd->op), gk_line(g, nd), nd->id);
		gk_mark(g, nd->args[0], NULL);
		int grad = g->grad;
		g->grad = 0;    /* a stage has no backward: keep no terms for one */
		for (int pass = 0; pass < 2 && B->term[pass]; pass++) {
			gt_env e;
			memset(&e, 0, sizeof e);
			e.arg[0] = g->var[nd->args[0]->id];
			e.max = gk_fmt(g, "lc_bm%zu", nd->id);
			fprintf(o, "\t{\n\tdouble lc_part[%d] = { 0 };\n", GEN_PARTS);
			gk_parts_open(o);
			fprintf(o, "\t\tdouble lc_bacc = 0.0;\n\t\tfor (size_t lc_r = lc_r0; lc_r < lc_r1; lc_r++) {\n");
			gk_row_head(g, o, 0, 1);
			gk_forward_row(g, o, "\t\t");
			fprintf(o, "\t\tlc_bacc += %s;\n\t\t}\n\t\tlc_part[lc_p] = lc_bacc;\n\t}\n",
				gt_expand(g, GP_F64, B->term[pass], &e));
			fprintf(o, "\tdouble lc_bsum = 0.0;\n\tfor (int lc_p = 0; lc_p < %d; lc_p++)\n"
				"\t\tlc_bsum += lc_part[lc_p];\n", GEN_PARTS);
			e.acc = "lc_bsum";
			e.len = "(double)n";
			fprintf(o, "\tlc_bm%zu = %s;\n\t}\n", nd->id, gt_expand(g, GP_F64, B->finish[pass], &e));
		}
		g->grad = grad;
		fprintf(o, "\tconst %s %s = (%s)lc_bm%zu;\n", g->T, g->var[nd->id], g->T, nd->id);
	}
	gk_mark(g, l->root, l->weight);
}

/*
 * In a loss whose rows interact, one bad row spoils them all: a class
 * label out of range makes the loss NaN and every gradient buffer 0
 * (lossspec(5) GENERATED CODE), found by loss_NAME_check before any row
 * runs.
 */
static void gk_batch_bad_call(gen_kernel *g, FILE *o, int grad)
{
	const ir_loss *l = g->loss;
	int any = 0;
	for (size_t i = 0; i < l->nnodes; i++)
		any |= l->nodes[i]->op == IR_LABEL && l->nodes[i]->type == IRT_CLASS;
	if (!any)
		return;
	fprintf(o, "\t/* a class label out of range: the rows interact, so the loss is NaN%s */\n\tif (%s(n",
		grad ? " and every gradient 0" : "", g->cname);
	for (size_t i = 0; i < l->nsizes; i++)
		fprintf(o, ", %s", g->size_names[i]);
	for (size_t i = 0; i < g->nparams; i++)
		fprintf(o, ", %s", g->params[i].name);
	fprintf(o, "%s%s, NULL) != 0) {\n", l->reduce == RED_NONE ? ", NULL" : "", g->wname ? ", work" : "");
	gk_fail_all(g, o, grad);
}
/* The body of NAME or NAME_grad, between its braces. */
static void gk_body(gen_kernel *g, FILE *o, int grad)
{
	const ir_loss *l = g->loss;
	/* An output the value does not read is still a parameter: keep
	   -Wunused-parameter quiet about it in the caller's build. */
	for (size_t p = 0; p < g->nouts; p++)
		fprintf(o, "\t(void)%s;\n", g->params[p].name);
	gk_size_guard(g, o, grad);
	if (g->has_batch) {
		gk_batch_bad_call(g, o, grad);
		gk_batch_stage(g, o);
	}
	if (g->cross)
		gk_cross_forward(g, o, grad);
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
	/* a per-batch output's gradient: each part sums its rows' contributions */
	for (size_t p = 0; grad && p < g->nouts; p++)
		if (g->params[p].per_batch)
			fprintf(o, "\tdouble lc_gpart%zu[%d] = { 0 };\n", p, GEN_PARTS);
	if (wmean)
		fprintf(o, "\tdouble lc_wpart[%d] = { 0 };\n", GEN_PARTS);
	gk_parts_open(o);
	if (red)
		fprintf(o, "\t\tdouble lc_bacc = 0.0;\n");
	if (wmean)
		fprintf(o, "\t\tdouble lc_bwsum = 0.0;\n");
	for (size_t p = 0; grad && p < g->nouts; p++)
		if (g->params[p].per_batch)
			fprintf(o, "\t\tdouble lc_gacc%zu = 0.0;\n", p);
	fprintf(o, "\t\tfor (size_t lc_r = lc_r0; lc_r < lc_r1; lc_r++) {\n");
	if (grad && l->reduce == RED_NONE && !W)
		fprintf(o, "\t\tconst %s lc_w = upstream[lc_r];\n", g->T);
	gk_row_head(g, o, grad, 0);
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
	for (size_t p = 0; grad && p < g->nouts; p++)
		if (g->params[p].per_batch)
			fprintf(o, "\t\tlc_gpart%zu[lc_p] = lc_gacc%zu;\n", p, p);
	if (wmean)
		fprintf(o, "\t\tlc_wpart[lc_p] = lc_bwsum;\n");
	fprintf(o, "\t}\n");
	if (red)
		fprintf(o, "\tfor (int lc_p = 0; lc_p < %d; lc_p++)\n\t\tlc_acc += lc_part[lc_p];\n", GEN_PARTS);
	if (wmean)
		fprintf(o, "\tfor (int lc_p = 0; lc_p < %d; lc_p++)\n\t\tlc_wsum += lc_wpart[lc_p];\n", GEN_PARTS);
	for (size_t p = 0; grad && p < g->nouts; p++)
		if (g->params[p].per_batch)
			fprintf(o, "\t{\n\t\tdouble lc_gsum = 0.0;\n\t\tfor (int lc_p = 0; lc_p < %d; lc_p++)\n"
				"\t\t\tlc_gsum += lc_gpart%zu[lc_p];\n\t\t%s[0] %s= (%s)lc_gsum;\n\t}\n",
				GEN_PARTS, p, g->params[p].dname, g->cross ? "+" : "", g->T);
	if (grad && g->cross)
		gk_cross_backward(g, o);
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
	for (size_t i = 0; i < l->nsizes; i++)
		fprintf(o, ", %s", g->size_names[i]);
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
	if (g->wname)
		fprintf(o, ", work");
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
	if (g->cross)
		gk_cross_init(g);
	const char *ret = l->reduce == RED_NONE ? "void" : g->T;
	if (g->has_batch)       /* called first thing (gk_batch_bad_call) */
		gk_check_function(g, o);
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
			gk_work_carve(g, o);
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
		gk_work_carve(g, o);
		fwrite(body, 1, len, o);
		fprintf(o, "}\n\n");
		free(body);
	}
	if (!g->has_batch)
		gk_check_function(g, o);
	gk_work_size_function(g, o);
}
