/*
 * gen_harness.c: `lossc gen --harness`, a cmocka program that checks each
 * generated kernel against the mathematics it came from.
 *
 * For every loss it emits a reference evaluator: the same IR evaluated
 * the straightforward way in long double (every vector materialized, the
 * textbook two-pass scaled sums, no fusion), from the op rows' templates
 * written out in long double.  Then, on random and adversarial inputs
 * inside the declared ranges (magnitudes up to 1e4, endpoints, tiny
 * values, 0 and 1 in probability vectors), it checks:
 *
 *   (a) each row's kernel value against the reference:
 *       |k - r| <= TOL * (|r| + M) + S, M = 1 + the row's largest
 *       |argument|, TOL = 16 * FLT_EPSILON (float32) or 16 * DBL_EPSILON
 *       (float64), S what the kernel's sums may round, which grows with
 *       the row length: gamma_k sum |t_j| per sum (gh_scale_chain);
 *   (b) the gradient against central differences of the reference in
 *       long double, normwise per row: |g - fd| <= GTOL * (|fd| + G),
 *       G = the row's largest |fd| (plus a floor of 1e-6 (1 + |value|)
 *       per unit of batch weight), GTOL = max(TOL * M, 1e-9), plus
 *       TOL * M * |w| for the row's weight share w (an element that
 *       cancels to 0 keeps the rounding of terms of size w); elements
 *       where the one-sided differences disagree (kinks) are skipped, and
 *       the rounding noise of the difference quotient, 8 eps_ld (|f| + M) / h,
 *       is added to the bound;
 *   (c) pointwise claims: nonnegative (value >= -TOL * M), bounded
 *       (finite);
 *   (d) no NaN or Inf where the reference is finite and representable;
 *       where it is finite but beyond the precision's range, the kernel
 *       overflows to the same infinity; where the reference itself is
 *       infinite (the mathematics is) or NaN (undefined), the test says
 *       so in its output for that row, and an infinite value must come
 *       out as the same infinity;
 *   (e) the batch value is the mean / sum of the one-row values, the
 *       gradient function returns the forward value, and `none` writes
 *       the one-row values;
 *   (f) a class label of -1 or K makes that row NaN and its gradient
 *       rows zero, without touching memory out of bounds.
 */
#include "gen_impl.h"

#include <math.h>
#include <string.h>

/* The harness's rows per batch (LC_ROWS), which a row as long as the
   batch is also tested at (gh_sized). */
#define GH_ROWS 5
#define GH_ROWS_TEXT "5"

/* ---- the long double reference ---------------------------------------- */

/* The reference value of a node's element: a materialized array or scalar. */
static const char *gh_ref(gen_kernel *g, const ir_node *nd, const char *idx)
{
	if (nd->type == IRT_CLASS)      /* a label, or a constant index (z[3]) */
		return nd->op == IR_CONST ? gk_fmt(g, "%ld", (long)nd->num) : gk_fmt(g, "lc_ry%zu", nd->id);
	if (ir_len(nd) == 0) {
		if (nd->op == IR_CONST)
			return gt_num(g, GP_LD, nd->num);
		return gk_fmt(g, "lc_rt%zu", nd->id);
	}
	return gk_fmt(g, "lc_rv%zu[%s]", nd->id, idx);
}

static size_t gh_param_index(gen_kernel *g, const ast_item *item)
{
	for (size_t i = 0; i < g->nparams; i++)
		if (g->params[i].item == item)
			return i;
	return 0;
}

/* A template of node nd in long double: %0.. its operands at idx, %v
   its own value, %M %L %I its scaled sum's state. */
static const char *gh_tpl_acc(gen_kernel *g, const ir_node *nd, const char *tpl, const char *idx, const char *acc);

static const char *gh_tpl(gen_kernel *g, const ir_node *nd, const char *tpl, const char *idx)
{
	return gh_tpl_acc(g, nd, tpl, idx, NULL);
}

/* gh_tpl with %s (the accumulator) read as acc when not NULL */
static const char *gh_tpl_acc(gen_kernel *g, const ir_node *nd, const char *tpl, const char *idx, const char *acc)
{
	gt_env e;
	memset(&e, 0, sizeof e);
	for (unsigned k = 0; k < nd->nargs && k < OP_MAX_ARGS; k++)
		e.arg[k] = gh_ref(g, nd->args[k], idx);
	e.idx = idx;
	e.max = gk_fmt(g, "lc_rm%zu", nd->id);
	e.acc = acc ? acc : gk_fmt(g, "lc_rs%zu", nd->id);
	e.der[0] = gk_fmt(g, "lc_rl%zu", nd->id);
	e.der[1] = gk_fmt(g, "lc_ri%zu", nd->id);
	e.len = gt_num(g, GP_LD, (double)(nd->nargs ? ir_len(nd->args[0]) : 0));
	return gt_expand(g, GP_LD, tpl, &e);
}

/*
 * The rounding a kernel's sum of M terms may add, as a bound the value
 * check adds to its tolerance (gh_test): the float summation bound
 * gamma_k * sum |t_j|, gamma_k = k u / (1 - k u), u = eps / 2, k the
 * longest chain of roundings a term goes through.  For a plain sum k is
 * M + 2 (every term added in turn, after at most two roundings of its
 * own): whatever order the kernel adds in.  A scaled sum (gen_sched.c)
 * always runs in GEN_LANES lanes a chunk of GEN_CHUNK at a time: a term
 * meets at most ceil(chunk / lanes) additions in its lane, the fold of
 * the lanes, and per chunk a rescale and the fold into the running sum,
 * after its own exp (2 u); its relative error (sum |t| / |s|) reaches the
 * value through log s or t / s, with a factor of at most 1.
 */
static long gh_scale_chain(long M)
{
	long chunk = M < GEN_CHUNK ? M : GEN_CHUNK, chunks = (M + GEN_CHUNK - 1) / GEN_CHUNK;
	return (chunk + GEN_LANES - 1) / GEN_LANES + (GEN_LANES + 2) * chunks + 4;
}

/* The reference's sum lc_rsID of M terms (and lc_raID of their
   magnitudes), compensated (lc_sum2): a plain long double sum of
   thousands of terms of 1e4 rounds at every step by more than a central
   difference of the row can tolerate (label smoothing's sum of
   log-probabilities at C = 2000). */
static void gh_sum_loop(FILE *o, size_t id, long M, const char *term)
{
	fprintf(o, "\tlong double lc_rc%zu = 0;\n\tfor (long j = 0; j < %ld; j++) {\n\t\tconst long double t = %s;\n"
		"\t\tlc_sum2(&lc_rs%zu, &lc_rc%zu, t);\n\t\tlc_ra%zu += fabsl(t);\n\t}\n\tlc_rs%zu += lc_rc%zu;\n",
		id, M, term, id, id, id, id, id);
}

/* A scaled sum over operand 0 of nd, the textbook way: the max of the
   keys, then the sum of the terms (and of their magnitudes), then the
   derived values. */
static void gh_scale(gen_kernel *g, FILE *o, const ir_node *nd, const op_scale *s, const char *err)
{
	long M = ir_len(nd->args[0]);
	fprintf(o, "\tlong double lc_rm%zu = %s, lc_rs%zu = 0, lc_ra%zu = 0;\n", nd->id,
		gt_expand(g, GP_LD, s->max0, NULL), nd->id, nd->id);
	fprintf(o, "\tfor (long j = 0; j < %ld; j++)\n\t\tlc_rm%zu = fmaxl(lc_rm%zu, %s);\n", M, nd->id, nd->id,
		gh_tpl(g, nd, s->key, "j"));
	gh_sum_loop(o, nd->id, M, gh_tpl(g, nd, s->term, "j"));
	fprintf(o, "\tif (lc_rs%zu != 0)\n\t\t%s += lc_gamma(%ld, lc_eps) * lc_ra%zu / fabsl(lc_rs%zu);\n", nd->id,
		err, gh_scale_chain(M), nd->id, nd->id);
	for (int k = 0; k < 2; k++)
		if (s->derived[k])
			fprintf(o, "\tconst long double lc_r%c%zu = %s;\n", k ? 'i' : 'l', nd->id, gh_tpl(g, nd, s->derived[k], "0"));
	if (s->derived[0] && s->derived[1])
		fprintf(o, "\t(void)lc_rl%zu, (void)lc_ri%zu;\n", nd->id, nd->id);
}

/* A value kept for the whole batch (gen_cross.c): the harness computes it
   for every row first (lc_cross_K), and a row's reference reads it. */
static int gh_kept(const gen_kernel *g, const ir_node *nd)
{
	return g->mat && g->mat[nd->id];
}

static void gh_reference(gen_kernel *g, FILE *o, const char *fn, const char *what, const ir_node *target)
{
	const ir_loss *l = g->loss;
	const char *err = gk_fmt(g, "%s_err_%d", fn, g->index);
	/* a vector (a value kept for the batch, gen_cross.c) is written to lc_out */
	int vec = ir_is_vec(target);
	fprintf(o, "/* What the kernel's sums may round (gh_scale_chain), set by %s_%d. */\n"
		"static long double %s;\n\n", fn, g->index, err);
	fprintf(o, "/* %s, the straightforward way in long double (one row%s%s%s). */\n"
		"static long double %s_%d(const long double *const *lc_in%s%s%s)\n{\n", what,
		g->has_batch ? "; the statistics over the batch given in lc_bt, by node" : "",
		g->rows ? "; lc_row is the row's index in the batch" : "",
		g->cross ? "; the values kept for the batch read from lc_cross's arrays" : "", fn, g->index,
		g->has_batch ? ", const long double *lc_bt" : "", g->rows ? ", size_t lc_row" : "",
		vec ? ", long double *lc_out" : "");
	if (g->has_batch)
		fprintf(o, "\t(void)lc_bt;\n");
	if (g->rows)
		fprintf(o, "\t(void)lc_row;\n");
	if (g->cross)
		fprintf(o, "\t(void)lc_in;\n");
	fprintf(o, "\tconst long double lc_eps = (long double)%s / 2;\n\t(void)lc_eps;\n\t%s = 0;\n",
		g->prec == GP_F32 ? "FLT_EPSILON" : "DBL_EPSILON", err);
	/* only what target reads: the value and a reduction's weight share the DAG */
	unsigned char *need = arena_alloc(g->arena, l->nnodes ? l->nnodes : 1);
	memset(need, 0, l->nnodes);
	need[target->id] = 1;
	for (size_t i = target->id + 1; i-- > 0;)
		if (need[i] && ops[l->nodes[i]->op].kind != OK_BATCH      /* a statistic: given */
		    && !(gh_kept(g, l->nodes[i]) && l->nodes[i] != target))     /* kept: given */
			for (unsigned k = 0; k < l->nodes[i]->nargs; k++)
				need[l->nodes[i]->args[k]->id] = 1;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		if (!need[i])
			continue;
		const op_info *row = &ops[nd->op];
		long N = ir_len(nd);
		if (gh_kept(g, nd) && nd != target) {
			fprintf(o, "\tstatic long double lc_rv%zu[%ld];\n\tfor (long j = 0; j < %ld; j++)\n"
				"\t\tlc_rv%zu[j] = lc_bx%d_%zu[lc_row * %ld + j];\n", nd->id, N, N, nd->id, g->index, nd->id, N);
			continue;
		}
		if (nd->type == IRT_CLASS) {
			if (nd->op == IR_LABEL)
				fprintf(o, "\tconst long lc_ry%zu = (long)lc_in[%zu][0];\n", nd->id, gh_param_index(g, nd->item));
			else if (nd->op == IR_ARANGE)   /* the row's own index */
				fprintf(o, "\tconst long lc_ry%zu = (long)lc_row;\n", nd->id);
			else if (nd->op != IR_CONST)    /* a constant index is its literal (gh_ref) */
				g->unsupported = nd;
			continue;
		}
		if (N > 0)
			fprintf(o, "\tstatic long double lc_rv%zu[%ld];\n", nd->id, N);
		switch (row->kind) {
		case OK_LEAF:
			if (nd->op == IR_CONST) {
				for (long k = 0; k < N; k++)
					fprintf(o, "\tlc_rv%zu[%ld] = %s;\n", nd->id, k, gt_num(g, GP_LD, nd->vals[k]));
			} else if (N > 0) {
				fprintf(o, "\tfor (long j = 0; j < %ld; j++)\n\t\tlc_rv%zu[j] = lc_in[%zu][j];\n", N, nd->id,
					gh_param_index(g, nd->item));
			} else {
				fprintf(o, "\tconst long double lc_rt%zu = lc_in[%zu][0];\n", nd->id, gh_param_index(g, nd->item));
			}
			break;
		case OK_VEC:
			for (unsigned k = 0; k < nd->nargs; k++)
				fprintf(o, "\tlc_rv%zu[%u] = %s;\n", nd->id, k, gh_ref(g, nd->args[k], "0"));
			break;
		case OK_INDEX:
			fprintf(o, "\tconst long double lc_rt%zu = %s;\n", nd->id,
				gh_ref(g, nd->args[0], gh_ref(g, nd->args[1], "0")));
			break;
		case OK_ELEM: {
			const char *tpl = row->c_pick ? row->c_pick(nd, -1) : row->c_value;
			if (N > 0)
				fprintf(o, "\tfor (long j = 0; j < %ld; j++)\n\t\tlc_rv%zu[j] = %s;\n", N, nd->id,
					gh_tpl(g, nd, tpl, "j"));
			else
				fprintf(o, "\tconst long double lc_rt%zu = %s;\n", nd->id, gh_tpl(g, nd, tpl, "0"));
			break;
		}
		case OK_REDUCE: {
			const op_loop *L = row->loop;
			long M = ir_len(nd->args[0]);
			if (L->scale) {
				gh_scale(g, o, nd, L->scale, err);
			} else if (L->acc == ACC_SUM) {
				fprintf(o, "\tlong double lc_rs%zu = 0, lc_ra%zu = 0;\n", nd->id, nd->id);
				gh_sum_loop(o, nd->id, M, gh_tpl(g, nd, L->term, "j"));
			} else {
				/* !(x <= t) also takes a NaN, as the kernels do */
				fprintf(o, "\tlong double lc_rs%zu = %sHUGE_VALL;\n\tfor (long j = 0; j < %ld; j++)\n"
					"\t\tif (!(%s %s lc_rs%zu))\n\t\t\tlc_rs%zu = %s;\n", nd->id,
					L->acc == ACC_ARGMAX ? "-" : "", M, gh_tpl(g, nd, L->term, "j"),
					L->acc == ACC_ARGMAX ? "<=" : ">=", nd->id, nd->id, gh_tpl(g, nd, L->term, "j"));
			}
			fprintf(o, "\tconst long double lc_rt%zu = %s;\n", nd->id, gh_tpl(g, nd, L->finish, "0"));
			if (!L->scale && L->acc == ACC_SUM) {
				/* the sum's bound, carried through the finish (a mean divides
				   it, a norm's root shrinks it) by evaluating it at both ends */
				const char *e = gk_fmt(g, "lc_gamma(%ld, lc_eps) * lc_ra%zu", M + 2, nd->id);
				fprintf(o, "\t%s += lc_dev(%s, %s, lc_rt%zu);\n", err,
					gh_tpl_acc(g, nd, L->finish, "0", gk_fmt(g, "(lc_rs%zu + %s)", nd->id, e)),
					gh_tpl_acc(g, nd, L->finish, "0", gk_fmt(g, "(lc_rs%zu - %s)", nd->id, e)), nd->id);
			}
			break;
		}
		case OK_BATCH:
			fprintf(o, "\tconst long double lc_rt%zu = lc_bt[%zu];\n", nd->id, nd->id);
			break;
		case OK_CROSS:          /* kept: read from lc_cross_K's arrays above */
			g->unsupported = nd;
			break;
		case OK_VECTOR:
			if (row->vec->scale)
				gh_scale(g, o, nd, row->vec->scale, err);
			fprintf(o, "\tfor (long j = 0; j < %ld; j++)\n\t\tlc_rv%zu[j] = %s;\n", N, nd->id,
				gh_tpl(g, nd, row->vec->elem, "j"));
			break;
		}
	}
	if (vec)
		fprintf(o, "\tfor (long j = 0; j < %ld; j++)\n\t\tlc_out[j] = lc_rv%zu[j];\n\treturn 0;\n}\n\n",
			ir_len(target), target->id);
	else
		fprintf(o, "\treturn %s;\n}\n\n", gh_ref(g, target, "0"));
}

/* ---- data and checks ------------------------------------------------- */

/* What the generator draws for a parameter: its kind and declared range. */
/* A parameter's values a row: the harness runs at whole-number sizes
   (a loss with named sizes, on a bound copy: gh_loss). */
static long gh_plen(const gen_kernel *g, size_t p)
{
	const gk_param *P = &g->params[p];
	return gk_param_vec(P) ? P->len.n : 1;
}

/* Has the loss statistics over the batch (lc_batch_K computes them)? */
static int gh_has_stats(const gen_kernel *g)
{
	for (size_t i = 0; i < g->loss->nnodes; i++)
		if (ops[g->loss->nodes[i]->op].kind == OK_BATCH)
			return 1;
	return 0;
}

/* A parameter's values per row in the test buffers: 0 for a per-batch
   value (one for the whole batch, at index 0), else its row's length. */
static long gh_stride(const gen_kernel *g, size_t p)
{
	return g->params[p].per_batch ? 0 : gh_plen(g, p);
}

/* The test buffers' rows: one value for a per-batch one. */
static const char *gh_rows(const gen_kernel *g, size_t p)
{
	return g->params[p].per_batch ? "1" : "LC_ROWS";
}

static void gh_fill(gen_kernel *g, FILE *o, size_t p)
{
	const gk_param *P = &g->params[p];
	const ast_item *it = P->item;
	long len = gh_plen(g, p);
	fprintf(o, "\t/* %s */\n", P->name);
	if (P->is_class) {
		fprintf(o, "\tfor (size_t i = 0; i < LC_ROWS; i++)\n\t\tlc_%d_%zu[i] = (int32_t)(lc_rand() %% %ld);\n",
			g->index, p, P->classes.n);
		return;
	}
	const char *kind = "lc_draw_real";
	if (it->type.kind == TY_BINARY)
		kind = "lc_draw_binary";
	else if (it->type.kind == TY_SIGN)
		kind = "lc_draw_sign";
	double lo = -HUGE_VAL, hi = HUGE_VAL;
	if (it->range.present) {
		lo = it->range.lo;
		hi = it->range.hi;
	}
	if (it->type.kind == TY_PROB)
		fprintf(o, "\tfor (size_t i = 0; i < LC_ROWS; i++)\n\t\tlc_draw_prob(lc_%d_%zu + i * %ld, %ld, lc_case);\n",
			g->index, p, len, len);
	else {
		fprintf(o, "\tfor (size_t i = 0; i < %s * %ld; i++)\n\t\tlc_%d_%zu[i] = (%s)%s(", gh_rows(g, p), len, g->index, p,
			g->T, kind);
		fputs(gt_num(g, GP_LD, lo), o);
		fputs(", ", o);
		fputs(gt_num(g, GP_LD, hi), o);
		fputs(", lc_case);\n", o);
	}
}

/* grad: 0 loss_NAME, 1 loss_NAME_grad, 2 loss_NAME_check (with &lc_at). */
static void gh_call(gen_kernel *g, FILE *o, int grad, const char *n, const char *row, const char *each)
{
	const ir_loss *l = g->loss;
	int check = grad == 2;
	if (check)
		grad = 0;
	fprintf(o, "%s(%s", check ? g->cname : grad ? g->gname : g->fname, n);
	for (size_t i = 0; i < g->nbound; i++)
		fprintf(o, ", %ld", g->bound[i]);
	for (size_t p = 0; p < g->nparams; p++)
		fprintf(o, ", lc_%d_%zu + (%s) * %ld", g->index, p, row, gh_stride(g, p));
	if (!grad && l->reduce == RED_NONE)
		fprintf(o, ", %s", each);
	if (grad) {
		if (l->reduce == RED_NONE)
			fprintf(o, ", lc_up + (%s)", row);
		for (size_t p = 0; p < g->nouts; p++)
			fprintf(o, ", lc_d%d_%zu + (%s) * %ld", g->index, p, row, gh_stride(g, p));
	}
	if (g->wname)
		fprintf(o, ", lc_work");
	if (check)
		fprintf(o, ", &lc_at");
	fputc(')', o);
}

static int gh_claims(const ast_decl *d, const char *name)
{
	for (const ast_item *it = d->items; it; it = it->next)
		if (it->kind == IT_CLAIM)
			for (size_t k = 0; k < it->nnames; k++)
				if (it->names[k].s && strcmp(it->names[k].s, name) == 0)
					return 1;
	return 0;
}

/*
 * The gradient check of output p in row r, linear in the row's length:
 * central differences at a sample of coordinates (every coordinate of a
 * row of at most LC_ALL; else LC_COORDS of them, always the row's class
 * labels, the ends, and the largest |gradient| the kernel wrote), then
 * LC_DIRS directional derivatives along random +-1 directions, each
 * compared with the kernel gradient's dot product with the step actually
 * taken.  A wrong element outside the sample still moves every
 * directional derivative by its error.
 */
static void gh_grad_check(gen_kernel *g, FILE *o, size_t p)
{
	int k = g->index;
	long len = gh_plen(g, p);
	fprintf(o, "\t\t\t{\n\t\t\t\tlong double *lc_x = &lc_L%d_%zu[r * %ld];\n", k, p, len);
	fprintf(o, "\t\t\t\tconst %s *lc_g = &lc_d%d_%zu[r * %ld];\n", g->T, k, p, len);
	fprintf(o, "\t\t\t\tlong lc_must[%zu];\n\t\t\t\tint lc_nmust = 0;\n", g->nparams + 2);
	for (size_t q = g->nouts; q < g->nparams; q++)
		if (g->params[q].is_class)
			fprintf(o, "\t\t\t\tlc_must[lc_nmust++] = lc_%d_%zu[r];\n", k, q);
	if (g->rows && len == g->rows)       /* arange(B)'s column: the row's own */
		fprintf(o, "\t\t\t\tlc_must[lc_nmust++] = (long)r;\n");
	fprintf(o, "\t\t\t\tlc_must[lc_nmust++] = lc_argmax_abs(lc_g, %ld);\n", len);
	fprintf(o, "\t\t\t\tconst long ns = lc_pick(lc_idx, %ld, lc_must, lc_nmust);\n", len);
	fprintf(o, "\t\t\t\tlong double G = 0;\n");
	fprintf(o, "\t\t\t\tfor (long s = 0; s < ns; s++) {\n");
	fprintf(o, "\t\t\t\t\tlc_ok[s] = lc_central(&lc_x[lc_idx[s]], lc_row_ref_%d, r, ref, M, &lc_fd[s], &lc_fe[s]);\n", k);
	fprintf(o, "\t\t\t\t\tlc_fd[s] *= w;\n\t\t\t\t\tlc_fe[s] *= fabsl(w);\n"
		"\t\t\t\t\tif (lc_ok[s])\n\t\t\t\t\t\tG = fmaxl(G, fabsl(lc_fd[s]));\n\t\t\t\t}\n");
	/* a gradient element the mathematics makes 0 by cancellation (label
	   smoothing at one class: w (1 - eps) + w eps - w eps - w (1 - eps))
	   keeps what the kernel's precision rounds of terms of the row's
	   weight share w: 16 eps M |w|, the bound a row whose largest element
	   is |w| gets; floor alone (1e-6 gtol) is below float32's rounding */
	fprintf(o, "\t\t\t\tconst long double floor = fabsl(w) * (1 + fabsl(ref)) * 1e-6L;\n"
		"\t\t\t\tconst long double wround = tol * M * fabsl(w);\n");
	fprintf(o, "\t\t\t\tfor (long s = 0; s < ns; s++) {\n");
	fprintf(o, "\t\t\t\t\tconst long double d = lc_g[lc_idx[s]];\n");
	fprintf(o, "\t\t\t\t\tif (!lc_ok[s])\n\t\t\t\t\t\tcontinue;\n");
	fprintf(o, "\t\t\t\t\tlc_check(isfinite(d), \"%s_grad: NaN or Inf where the gradient is finite\", lc_case, r, d, lc_fd[s]);\n", g->fname);
	fprintf(o, "\t\t\t\t\tlc_check(fabsl(d - lc_fd[s]) <= gtol * (fabsl(lc_fd[s]) + G + floor) + wround + lc_fe[s], "
		"\"%s_grad: d/d %s differs from central differences\", lc_case, r, d, lc_fd[s]);\n", g->fname, g->params[p].name);
	fprintf(o, "\t\t\t\t}\n");
	if (len > 1) {
		fprintf(o, "\t\t\t\tfor (int t = 0; %ld > LC_ALL && t < LC_DIRS; t++) {\n", len);
		fprintf(o, "\t\t\t\t\tlong double fdv, fev, dot = 0, S = 0;\n");
		fprintf(o, "\t\t\t\t\tif (!lc_central_dir(lc_x, %ld, lc_row_ref_%d, r, ref, M, lc_u, &fdv, &fev))\n"
			"\t\t\t\t\t\tcontinue;\n", len, k);
		fprintf(o, "\t\t\t\t\tfor (long j = 0; j < %ld; j++) {\n"
			"\t\t\t\t\t\tdot += lc_g[j] * lc_u[j];\n\t\t\t\t\t\tS += fabsl(lc_g[j] * lc_u[j]);\n\t\t\t\t\t}\n", len);
		fprintf(o, "\t\t\t\t\tfdv *= w;\n\t\t\t\t\tfev *= fabsl(w);\n");
		fprintf(o, "\t\t\t\t\tlc_check(fabsl(dot - fdv) <= gtol * (fabsl(fdv) + S + floor) + wround + fev, "
			"\"%s_grad: the directional derivative along d %s differs from central differences\", "
			"lc_case, r, dot, fdv);\n", g->fname, g->params[p].name);
		fprintf(o, "\t\t\t\t}\n");
	}
	fprintf(o, "\t\t\t}\n");
}

/* NAME_k(r): the reference function REF_k at row r of the test data. */
static void gh_row_fn(gen_kernel *g, FILE *o, const char *name, const char *ref)
{
	int k = g->index;
	fprintf(o, "static long double %s_%d(size_t r)\n{\n\tconst long double *lc_in[%zu];\n", name, k,
		g->nparams ? g->nparams : 1);
	for (size_t p = 0; p < g->nparams; p++)
		fprintf(o, "\tlc_in[%zu] = lc_L%d_%zu + r * %ld;\n", p, k, p, gh_stride(g, p));
	fprintf(o, "\treturn %s_%d(lc_in%s%s);\n}\n\n", ref, k, g->has_batch ? gk_fmt(g, ", lc_bt_%d", k) : "",
		g->rows ? ", r" : "");
}

/*
 * lc_batch_K(B): the statistics over rows [0, B) of the test data into
 * lc_bt_K, in node order (one may read another), each from its
 * argument's long double reference at every row and its row's passes
 * (op_batch) written out in long double.
 */
static void gh_batch_fn(gen_kernel *g, FILE *o)
{
	const ir_loss *l = g->loss;
	int k = g->index;
	for (size_t i = 0; i < l->nnodes; i++)
		if (ops[l->nodes[i]->op].kind == OK_BATCH)
			gh_row_fn(g, o, gk_fmt(g, "lc_row_bop%zu", i), gk_fmt(g, "lc_bop%zu", i));
	fprintf(o, "/* lc_cond_%d: the rows' common offset over their spread, the largest over the\n"
		"   statistics: x - mean(x) cancels that much in the kernel's precision */\n"
		"static long double lc_cond_%d = 1;\n\n", k, k);
	fprintf(o, "static void lc_batch_%d(size_t B)\n{\n\tlong double lc_a, lc_m, lc_lo, lc_hi, lc_big;\n"
		"\tlc_cond_%d = 1;\n", k, k);
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		const op_batch *Bt = ops[nd->op].batch;
		if (ops[nd->op].kind != OK_BATCH)
			continue;
		fprintf(o, "\t/* %s(...) (line %lu) */\n\tlc_m = 0;\n", ir_op_name(nd->op), gk_line(g, nd));
		for (int pass = 0; pass < 2 && Bt->term[pass]; pass++) {
			gt_env e;
			memset(&e, 0, sizeof e);
			e.arg[0] = "lc_x";
			e.max = "lc_m";
			e.acc = "lc_a";
			e.len = "(long double)B";
			fprintf(o, "\tlc_a = 0;\n\tfor (size_t r = 0; r < B; r++) {\n"
				"\t\tconst long double lc_x = lc_row_bop%zu_%d(r);\n\t\tlc_a += %s;\n\t}\n",
				i, k, gt_expand(g, GP_LD, Bt->term[pass], &e));
			fprintf(o, "\tlc_m = %s;\n", gt_expand(g, GP_LD, Bt->finish[pass], &e));
		}
		fprintf(o, "\tlc_bt_%d[%zu] = lc_m;\n", k, i);
		fprintf(o, "\tlc_lo = HUGE_VALL, lc_hi = -HUGE_VALL, lc_big = 0;\n\tfor (size_t r = 0; r < B; r++) {\n"
			"\t\tconst long double lc_x = lc_row_bop%zu_%d(r);\n\t\tlc_lo = fminl(lc_lo, lc_x);\n"
			"\t\tlc_hi = fmaxl(lc_hi, lc_x);\n\t\tlc_big = fmaxl(lc_big, fabsl(lc_x));\n\t}\n"
			"\tif (lc_hi > lc_lo && isfinite(lc_big / (lc_hi - lc_lo)))\n"
			"\t\tlc_cond_%d = fmaxl(lc_cond_%d, lc_big / (lc_hi - lc_lo));\n", i, k, k, k);
	}
	fprintf(o, "}\n\n");
}

/*
 * lc_cross_K(B): the values kept for the batch (gen_cross.c) over rows
 * [0, B) of the test data into lc_bxK_ID, in node order: a row's vector
 * from its own long double reference (lc_xrefID_K), a row across the
 * batch from its operands' rows by its row's C text (op_cross) written
 * out in long double.  They read outputs: a difference quotient of the
 * batch loss calls it again (lc_total_ref_K).
 */
static void gh_cross_fn(gen_kernel *g, FILE *o)
{
	const ir_loss *l = g->loss;
	int k = g->index;
	fprintf(o, "static void lc_cross_%d(size_t B)\n{\n\tconst long double *lc_in[%zu];\n\t(void)lc_in;\n", k,
		g->nparams ? g->nparams : 1);
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		if (!gh_kept(g, nd))
			continue;
		const op_cross *C = ops[nd->op].cross;
		fprintf(o, "\t/* %s (line %lu) */\n", ir_op_name(nd->op), gk_line(g, nd));
		if (ops[nd->op].kind != OK_CROSS) {
			fprintf(o, "\tfor (size_t r = 0; r < B; r++) {\n");
			for (size_t p = 0; p < g->nparams; p++)
				fprintf(o, "\t\tlc_in[%zu] = lc_L%d_%zu + r * %ld;\n", p, k, p, gh_stride(g, p));
			fprintf(o, "\t\t(void)lc_xref%zu_%d(lc_in%s, r, &lc_bx%d_%zu[r * %ld]);\n\t}\n", i, k,
				g->has_batch ? gk_fmt(g, ", lc_bt_%d", k) : "", k, i, ir_len(nd));
		} else if (C->swap) {
			fprintf(o, "\tfor (size_t r = 0; r < B; r++)\n\t\tfor (size_t j = 0; j < B; j++)\n"
				"\t\t\tlc_bx%d_%zu[r * B + j] = lc_bx%d_%zu[j * B + r];\n", k, i, k, nd->args[0]->id);
		} else {
			long D = ir_len(nd->args[0]);
			gt_env e;
			memset(&e, 0, sizeof e);
			e.arg[0] = gk_fmt(g, "lc_bx%d_%zu[r * %ld + c]", k, nd->args[0]->id, D);
			e.arg[1] = gk_fmt(g, "lc_bx%d_%zu[j * %ld + c]", k, nd->args[1]->id, D);
			e.acc = "lc_a";
			fprintf(o, "\tfor (size_t r = 0; r < B; r++)\n\t\tfor (size_t j = 0; j < B; j++) {\n"
				"\t\t\tlong double lc_a = 0;\n\t\t\tfor (long c = 0; c < %ld; c++)\n\t\t\t\tlc_a += %s;\n"
				"\t\t\tlc_bx%d_%zu[r * B + j] = %s;\n\t\t}\n", D, gt_expand(g, GP_LD, C->term, &e), k, i,
				gt_expand(g, GP_LD, C->finish, &e));
		}
	}
	fprintf(o, "}\n\n");
}

/* The test data: buffers, their fill, the row references and scales;
   returns the longest output row. */
static long gh_test_data(gen_kernel *g, FILE *o)
{
	const char *T = g->T;
	int k = g->index;
	const ir_node *W = g->loss->weight;

	/* buffers */
	for (size_t p = 0; p < g->nparams; p++) {
		long len = gh_plen(g, p);
		fprintf(o, "static %s lc_%d_%zu[%s * %ld];\n", g->params[p].is_class ? "int32_t" : T, k, p, gh_rows(g, p), len);
		fprintf(o, "static long double lc_L%d_%zu[%s * %ld];\n", k, p, gh_rows(g, p), len);
	}
	for (size_t p = 0; p < g->nouts; p++) {
		long len = gh_plen(g, p);
		fprintf(o, "static %s lc_d%d_%zu[%s * %ld];\n", T, k, p, gh_rows(g, p), len);
	}
	fprintf(o, "\nstatic void lc_fill_%d(int lc_case)\n{\n", k);
	for (size_t p = 0; p < g->nparams; p++)
		gh_fill(g, o, p);
	for (size_t p = 0; p < g->nparams; p++) {
		long len = gh_plen(g, p);
		fprintf(o, "\tfor (size_t i = 0; i < %s * %ld; i++)\n\t\tlc_L%d_%zu[i] = (long double)lc_%d_%zu[i];\n",
			gh_rows(g, p), len, k, p, k, p);
	}
	fprintf(o, "}\n\n");

	/* one row's reference (and weight), with the row pointers */
	if (g->has_batch)
		fprintf(o, "/* the statistics over the batch, by node (lc_batch_%d) */\n"
			"static long double lc_bt_%d[%zu];\n\n", k, k, g->loss->nnodes);
	gh_row_fn(g, o, "lc_row_ref", "lc_ref");
	if (W)
		gh_row_fn(g, o, "lc_row_wref", "lc_wref");
	if (gh_has_stats(g))
		gh_batch_fn(g, o);
	if (g->cross)
		gh_cross_fn(g, o);

	/* the row's scale M */
	fprintf(o, "static long double lc_scale_%d(size_t r)\n{\n\tlong double m = 1;\n", k);
	for (size_t p = 0; p < g->nparams; p++) {
		if (g->params[p].is_class)
			continue;
		long len = gh_plen(g, p);
		fprintf(o, "\tfor (long j = 0; j < %ld; j++)\n\t\tm = fmaxl(m, 1 + fabsl(lc_L%d_%zu[r * %ld + j]));\n",
			len, k, p, gh_stride(g, p));
	}
	fprintf(o, "\treturn m;\n}\n\n");

	long maxlen = 1;
	for (size_t p = 0; p < g->nouts; p++)
		if (gh_plen(g, p) > maxlen)
			maxlen = gh_plen(g, p);
	return maxlen;
}

/* The C condition "row r is left out" (ignore_index), or "0". */
static const char *gh_ignored(gen_kernel *g)
{
	const ir_loss *l = g->loss;
	if (!l->mask)
		return "0";
	size_t mp = 0;
	while (g->params[mp].item != l->mask)
		mp++;
	return gk_fmt(g, "lc_%d_%zu[r] == %ld", g->index, mp, l->mask_k);
}

/* NAME over the n rows: into lc_each after drawing the upstream
   gradients lc_up (none), or into lc_batch. */
static void gh_value_call(gen_kernel *g, FILE *o, const char *n)
{
	if (g->loss->reduce == RED_NONE) {
		fprintf(o, "\t\tfor (size_t r = 0; r < %s; r++)\n\t\t\tlc_up[r] = (%s)(lc_unif() * 4 - 2);\n", n, g->T);
		fprintf(o, "\t\t");
		gh_call(g, o, 0, n, "0", "lc_each");
	} else {
		fprintf(o, "\t\tconst %s lc_batch = ", g->T);
		gh_call(g, o, 0, n, "0", NULL);
	}
	fprintf(o, ";\n");
}

/* NAME_grad over the n rows; it returns NAME's value (within the scale,
   under guard, or also when `same`), named in a failure as row `row`. */
static void gh_grad_call(gen_kernel *g, FILE *o, const char *n, const char *guard, const char *same,
			 const char *scale, const char *row)
{
	if (g->loss->reduce == RED_NONE) {
		fprintf(o, "\t\t");
		gh_call(g, o, 1, n, "0", NULL);
		fprintf(o, ";\n");
		return;
	}
	fprintf(o, "\t\tconst %s lc_gbatch = ", g->T);
	gh_call(g, o, 1, n, "0", NULL);
	fprintf(o, ";\n\t\t%slc_check(%sfabsl(lc_gbatch - lc_batch) <= tol * (fabsl(lc_batch) + %s), "
		"\"%s_grad returns another value than %s\", lc_case, %s, lc_gbatch, lc_batch);\n", guard, same, scale,
		g->fname, g->fname, row);
}

/* Inside the rows' gradient loop: a row ignore_index leaves out has a zero
   gradient in every per-example output, and is skipped. */
static void gh_ignored_rows(gen_kernel *g, FILE *o, const char *ignored)
{
	int k = g->index;
	fprintf(o, "\t\t\tif (%s) {     /* left out: a zero gradient */\n", ignored);
	for (size_t p = 0; p < g->nouts; p++) {
		long len = gh_plen(g, p);
		if (g->params[p].per_batch)
			continue;       /* the batch's: the other rows' sum */
		fprintf(o, "\t\t\t\tfor (long j = 0; j < %ld; j++)\n\t\t\t\t\tlc_check(lc_d%d_%zu[r * %ld + j] == 0, "
			"\"%s_grad: an ignored row has a gradient\", lc_case, r, lc_d%d_%zu[r * %ld + j], 0);\n",
			len, k, p, len, g->fname, k, p, len);
	}
	fprintf(o, "\t\t\t\tcontinue;\n\t\t\t}\n");
}

/* The test function's head: its name (one binding's when the sizes are
   bound) and the caller's scratch memory, as loss_NAME_work_size asks. */
/* A test function's head: its scratch (the sampled coordinates and
   their differences, a step direction of maxlen elements), the
   tolerance tol of the loss's precision, and the caller's work memory. */
static void gh_test_head(gen_kernel *g, FILE *o, long maxlen)
{
	fprintf(o, "static void test_%s%s(void **state)\n{\n\t(void)state;\n", g->fname, g->bound ? gk_fmt(g, "_at_%d", g->index) : "");
	fprintf(o, "\t/* the sampled coordinates and their differences; a step direction */\n"
		"\tstatic long lc_idx[LC_ALL + LC_COORDS];\n\tstatic long double lc_fd[LC_ALL + LC_COORDS], lc_fe[LC_ALL + LC_COORDS];\n"
		"\tstatic int lc_ok[LC_ALL + LC_COORDS];\n\tstatic long double lc_u[%ld];\n"
		"\t(void)lc_u, (void)lc_idx, (void)lc_fd, (void)lc_fe, (void)lc_ok;  /* unused without per-example outputs */\n",
		maxlen);
	fprintf(o, "\tconst long double tol = 16 * (long double)%s;\n", g->prec == GP_F32 ? "FLT_EPSILON" : "DBL_EPSILON");
	if (g->wname) {
		/* the caller's scratch memory, as loss_NAME_work_size asks */
		fprintf(o, "\tconst size_t lc_wsz = %s(LC_ROWS", g->wname);
		for (size_t i = 0; i < g->nbound; i++)
			fprintf(o, ", %ld", g->bound[i]);
		fprintf(o, ");\n\tassert_true(lc_wsz != SIZE_MAX);\n\tvoid *lc_work = lc_wsz ? malloc(lc_wsz) : NULL;\n"
			"\tassert_true(lc_wsz == 0 || lc_work != NULL);\n");
	}
}

static void gh_test(gen_kernel *g, FILE *o)
{
	const ir_loss *l = g->loss;
	const char *T = g->T;
	int k = g->index;
	int none = l->reduce == RED_NONE;
	/* a weighted reduction: a mean checks each row's own value and sum(w v) / sum(w);
	   a sum or none checks w times the row's value */
	const ir_node *W = l->weight;
	int wmean = W && l->reduce == RED_MEAN, wtimes = W && !wmean;
	const char *tmax = g->prec == GP_F32 ? "FLT_MAX" : "DBL_MAX";
	long maxlen = gh_test_data(g, o);
	gh_test_head(g, o, maxlen);
	if (none)
		fprintf(o, "\tstatic %s lc_each[LC_ROWS], lc_one[1], lc_up[LC_ROWS];\n", T);
	fprintf(o, "\tfor (int lc_case = 0; lc_case < LC_CASES; lc_case++) {\n");
	fprintf(o, "\t\tlc_fill_%d(lc_case);\n", k);
	/* the data drawn is a valid call */
	fprintf(o, "\t\t{\n\t\t\tsize_t lc_at = 0;\n\t\t\tassert_int_equal(");
	gh_call(g, o, 2, "LC_ROWS", "0", none ? "lc_each" : NULL);
	fprintf(o, ", LOSSC_OK);\n\t\t}\n");
	gh_value_call(g, o, "LC_ROWS");
	fprintf(o, "\t\tlong double lc_total = 0, lc_abs = 0, lc_m = 1;\n\t\tint lc_all_finite = 1;\n");
	/* ignore_index: the rows left out, and the count a mean divides by */
	const char *ignored = gh_ignored(g);
	fprintf(o, "\t\tlong double lc_cnt = 0;\n\t\tfor (size_t r = 0; r < LC_ROWS; r++)\n\t\t\tlc_cnt += !(%s);\n"
		"\t\t(void)lc_cnt;\n", ignored);
	if (wmean)
		fprintf(o, "\t\tlong double lc_wt = 0;\n\t\tfor (size_t r = 0; r < LC_ROWS; r++)\n"
			"\t\t\tif (!(%s))\n\t\t\t\tlc_wt += lc_row_wref_%d(r);\n", ignored, k);
	fprintf(o, "\t\tfor (size_t r = 0; r < LC_ROWS; r++) {\n");
	if (none) {
		fprintf(o, "\t\t\t");
		gh_call(g, o, 0, "1", "r", "lc_one");
		fprintf(o, ";\n\t\t\tconst long double v = lc_one[0];\n");
		fprintf(o, "\t\t\tassert_true(lc_same(lc_each[r], lc_one[0]));\n");
	} else {
		fprintf(o, "\t\t\tconst long double v = ");
		gh_call(g, o, 0, "1", "r", NULL);
		fprintf(o, ";\n");
	}
	if (l->mask)
		fprintf(o, "\t\t\tif (%s) {     /* left out: alone, a mean of nothing */\n"
			"\t\t\t\tlc_check(%s, \"%s: an ignored row takes part\", lc_case, r, v, 0);\n"
			"\t\t\t\tcontinue;\n\t\t\t}\n", ignored,
			l->reduce == RED_MEAN ? "isnan(v)" : "v == 0", g->fname);
	if (wtimes)
		fprintf(o, "\t\t\tconst long double wr = lc_row_wref_%d(r);\n"
			"\t\t\tconst long double ref = wr * lc_row_ref_%d(r);\n"
			"\t\t\tconst long double M = fmaxl(1, fabsl(wr)) * lc_scale_%d(r);\n", k, k, k);
	else
		fprintf(o, "\t\t\tconst long double ref = lc_row_ref_%d(r);\n\t\t\tconst long double M = lc_scale_%d(r);\n", k, k);
	if (wmean)
		fprintf(o, "\t\t\tconst long double wr = lc_row_wref_%d(r);\n"
			"\t\t\tif (wr == 0) {     /* one row of weight 0: 0 / 0 */\n"
			"\t\t\t\tlc_check(isnan(v), \"%s: a row of weight 0 alone is not NaN\", lc_case, r, v, ref);\n"
			"\t\t\t\tcontinue;\n\t\t\t}\n", k, g->fname);
	/* what the kernel's sums may round, beyond the 16 eps of the rest (gh_scale_chain) */
	fprintf(o, "\t\t\tconst long double sumerr = %slc_ref_err_%d;\n", wtimes ? "fabsl(wr) * " : "", k);
	fprintf(o, "\t\t\tlc_m = fmaxl(lc_m, M);\n");
	/* point (d): never skip a row silently */
	fprintf(o, "\t\t\tif (!isfinite(ref) || fabsl(ref) > %s) {\n"
		"\t\t\t\tlc_all_finite = 0;\n"
		"\t\t\t\tlc_beyond(\"%s\", lc_case, r, v, ref, %s);\n"
		"\t\t\t\tcontinue;\n\t\t\t}\n", tmax, g->fname, tmax);
	fprintf(o, "\t\t\tlc_check(isfinite(v), \"%s: NaN or Inf where the math is finite\", lc_case, r, v, ref);\n", g->fname);
	fprintf(o, "\t\t\tlc_check(fabsl(v - ref) <= tol * (fabsl(ref) + M) + sumerr, \"%s: value differs from the long double reference\", lc_case, r, v, ref);\n", g->fname);
	if (gh_claims(l->loss, "nonnegative") && !wtimes)
		fprintf(o, "\t\t\tlc_check(v >= -tol * M - sumerr && ref >= -tol * M, \"%s: claim nonnegative\", lc_case, r, v, ref);\n", g->fname);
	if (gh_claims(l->loss, "bounded") && !wtimes)
		fprintf(o, "\t\t\tlc_check(isfinite(v), \"%s: claim bounded\", lc_case, r, v, ref);\n", g->fname);
	if (wmean)
		fprintf(o, "\t\t\tlc_total += wr * v;\n\t\t\tlc_abs += fabsl(wr * v);\n\t\t}\n");
	else
		fprintf(o, "\t\t\tlc_total += v;\n\t\t\tlc_abs += fabsl(v);\n\t\t}\n");
	if (none)
		fprintf(o, "\t\t(void)lc_total, (void)lc_abs, (void)lc_all_finite;  /* no batch value to compare */\n");
	if (!none) {
		const char *expect = wmean ? "lc_total / lc_wt" : l->reduce == RED_MEAN ? "lc_total / lc_cnt" : "lc_total";
		const char *scale = wmean ? "(lc_abs / fabsl(lc_wt) + lc_m)"
				    : l->reduce == RED_MEAN ? "(lc_abs / lc_cnt + lc_m)" : "(lc_abs + LC_ROWS * lc_m)";
		fprintf(o, "\t\tif (lc_all_finite)\n\t\t\tlc_check(fabsl(lc_batch - %s) <= tol * %s, "
			"\"%s: batch %s is not the %s of the rows\", lc_case, 0, lc_batch, %s);\n",
			expect, scale, g->fname, ast_reduce_name(l->reduce), ast_reduce_name(l->reduce), expect);
	}

	/* the gradient */
	gh_grad_call(g, o, "LC_ROWS", "if (lc_all_finite)\n\t\t\t", "", "lc_m", "0");
	fprintf(o, "\t\tfor (size_t r = 0; r < LC_ROWS; r++) {\n");
	if (l->mask)
		gh_ignored_rows(g, o, ignored);
	fprintf(o, "\t\t\tconst long double ref = lc_row_ref_%d(r);\n", k);
	fprintf(o, "\t\t\tif (!isfinite(ref) || fabsl(ref) > %s)\n\t\t\t\tcontinue;\n", tmax);
	fprintf(o, "\t\t\tconst long double M = lc_scale_%d(r);\n", k);
	if (W)
		fprintf(o, "\t\t\tconst long double w = %slc_row_wref_%d(r)%s;\n", none ? "(long double)lc_up[r] * " : "",
			k, wmean ? " / lc_wt" : "");
	else
		fprintf(o, "\t\t\tconst long double w = %s;\n",
			l->reduce == RED_MEAN ? "1.0L / lc_cnt" : l->reduce == RED_SUM ? "1.0L" : "(long double)lc_up[r]");
	fprintf(o, "\t\t\tconst long double gtol = fmaxl(tol * M, 1e-9L);\n");
	for (size_t p = 0; p < g->nouts; p++)
		gh_grad_check(g, o, p);
	fprintf(o, "\t\t}\n");

	/* out-of-range class labels */
	for (size_t p = g->nouts; p < g->nparams; p++) {
		if (!g->params[p].is_class)
			continue;
		long K = g->params[p].classes.n;
		/* out of range, and not the ignore_index (that row is left out) */
		long below = -1, above = K;
		if (l->mask == g->params[p].item) {
			below -= l->mask_k == below;
			above += l->mask_k == above;
		}
		fprintf(o, "\t\tfor (int lc_bad = 0; lc_bad < 2; lc_bad++) {\n");
		fprintf(o, "\t\t\tconst int32_t lc_keep = lc_%d_%zu[0];\n", k, p);
		fprintf(o, "\t\t\tlc_%d_%zu[0] = lc_bad ? %ld : %ld;\n", k, p, below, above);
		/* loss_NAME_check names the error and the row */
		fprintf(o, "\t\t\tsize_t lc_at = 7;\n\t\t\tassert_int_equal(");
		gh_call(g, o, 2, "LC_ROWS", "0", none ? "lc_each" : NULL);
		fprintf(o, ", LOSSC_BAD_LABEL);\n\t\t\tassert_int_equal(lc_at, 0);\n");
		if (none) {
			fprintf(o, "\t\t\t");
			gh_call(g, o, 0, "LC_ROWS", "0", "lc_each");
			fprintf(o, ";\n\t\t\tassert_true(isnan(lc_each[0]));\n");
		} else {
			fprintf(o, "\t\t\tassert_true(isnan(");
			gh_call(g, o, 0, "LC_ROWS", "0", NULL);
			fprintf(o, "));\n");
		}
		for (size_t q = 0; q < g->nouts; q++) {
			long len = gh_plen(g, q);
			fprintf(o, "\t\t\tfor (long j = 0; j < %ld; j++)\n\t\t\t\tlc_d%d_%zu[j] = 7;\n", len, k, q);
		}
		fprintf(o, "\t\t\t");
		gh_call(g, o, 1, "LC_ROWS", "0", NULL);
		fprintf(o, ";\n");
		for (size_t q = 0; q < g->nouts; q++) {
			long len = gh_plen(g, q);
			fprintf(o, "\t\t\tfor (long j = 0; j < %ld; j++)\n\t\t\t\tassert_true(lc_d%d_%zu[j] == 0);\n", len, k, q);
		}
		fprintf(o, "\t\t\tlc_%d_%zu[0] = lc_keep;\n\t\t}\n", k, p);
	}
	fprintf(o, "\t}\n%s}\n\n", g->wname ? "\tfree(lc_work);\n" : "");
}

/* Each row's gradient against central differences of its reference, the
   statistics held: they read data only (ir.c refuses a statistic of an
   output).  wr: the row's weight. */
static void gh_row_grad_checks(gen_kernel *g, FILE *o, const char *ignored, const char *wr)
{
	const ir_loss *l = g->loss;
	int k = g->index;
	int none = l->reduce == RED_NONE, mean = l->reduce == RED_MEAN;
	const char *tmax = g->prec == GP_F32 ? "FLT_MAX" : "DBL_MAX";
	fprintf(o, "\t\tfor (size_t r = 0; r < B; r++) {\n");
	if (l->mask)
		gh_ignored_rows(g, o, ignored);
	fprintf(o, "\t\t\tconst long double ref = lc_row_ref_%d(r);\n", k);
	fprintf(o, "\t\t\tif (!isfinite(ref) || fabsl(ref) > %s)\n\t\t\t\tcontinue;\n", tmax);
	fprintf(o, "\t\t\tconst long double w = %s%s%s;\n", none ? "(long double)lc_up[r] * " : "", wr,
		mean ? " / lc_wt" : "");
	/* a weight of the statistics at one row (std: NaN) makes the gradient NaN, as torch's */
	fprintf(o, "\t\t\tif (isnan(w)) {\n");
	for (size_t p = 0; p < g->nouts; p++) {
		long len = gh_plen(g, p);
		if (g->params[p].per_batch)
			continue;
		fprintf(o, "\t\t\t\tfor (long j = 0; j < %ld; j++)\n\t\t\t\t\tlc_check(isnan(lc_d%d_%zu[r * %ld + j]), "
			"\"%s_grad: a number where the weight is NaN\", lc_case, r, lc_d%d_%zu[r * %ld + j], NAN);\n",
			len, k, p, len, g->fname, k, p, len);
	}
	fprintf(o, "\t\t\t\tcontinue;\n\t\t\t}\n");
	fprintf(o, "\t\t\tconst long double gtol = fmaxl(tol * M, 1e-9L);\n\t\t\t(void)gtol;\n");
	for (size_t p = 0; p < g->nouts; p++)
		if (!g->params[p].per_batch)
			gh_grad_check(g, o, p);
	fprintf(o, "\t\t}\n");
}

/*
 * Rows across the batch: row r's outputs move every row's value, so each
 * output element's gradient is checked against central differences of
 * the whole batch loss (lc_total_ref_K, which computes the kept values
 * again), at every element of every row up to LC_ALL long, else at
 * LC_COORDS sampled ones (the row's own column of a row as long as the
 * batch, the largest |gradient|) and along LC_DIRS random directions.
 */
static void gh_cross_grad_checks(gen_kernel *g, FILE *o)
{
	int k = g->index;
	fprintf(o, "\t\tif (!lc_nan && lc_all_finite) {\n\t\t\tconst long double lc_t0 = lc_total_ref_%d(B);\n"
		"\t\t\tconst long double gtol = fmaxl(tol * M, 1e-9L);\n"
		"\t\t\tconst long double floor = (1 + fabsl(lc_t0)) * 1e-6L;\n", k);
	for (size_t p = 0; p < g->nouts; p++) {
		if (g->params[p].per_batch)
			continue;
		long len = gh_plen(g, p);
		fprintf(o, "\t\t\tfor (size_t r = 0; r < B; r++) {\n");
		fprintf(o, "\t\t\t\tlong double *lc_x = &lc_L%d_%zu[r * %ld];\n", k, p, len);
		fprintf(o, "\t\t\t\tconst %s *lc_g = &lc_d%d_%zu[r * %ld];\n", g->T, k, p, len);
		fprintf(o, "\t\t\t\tlong lc_must[2];\n\t\t\t\tint lc_nmust = 0;\n");
		if (g->rows && len == g->rows)
			fprintf(o, "\t\t\t\tlc_must[lc_nmust++] = (long)r;\n");
		fprintf(o, "\t\t\t\tlc_must[lc_nmust++] = lc_argmax_abs(lc_g, %ld);\n", len);
		fprintf(o, "\t\t\t\tconst long ns = lc_pick(lc_idx, %ld, lc_must, lc_nmust);\n", len);
		fprintf(o, "\t\t\t\tlong double G = 0;\n\t\t\t\tfor (long s = 0; s < ns; s++) {\n"
			"\t\t\t\t\tlc_ok[s] = lc_central(&lc_x[lc_idx[s]], lc_total_ref_%d, B, lc_t0, M, &lc_fd[s], &lc_fe[s]);\n"
			"\t\t\t\t\tif (lc_ok[s])\n\t\t\t\t\t\tG = fmaxl(G, fabsl(lc_fd[s]));\n\t\t\t\t}\n", k);
		fprintf(o, "\t\t\t\tfor (long s = 0; s < ns; s++) {\n\t\t\t\t\tconst long double d = lc_g[lc_idx[s]];\n"
			"\t\t\t\t\tif (!lc_ok[s])\n\t\t\t\t\t\tcontinue;\n");
		fprintf(o, "\t\t\t\t\tlc_check(isfinite(d), \"%s_grad: NaN or Inf where the gradient is finite\", lc_case, r, d, lc_fd[s]);\n", g->fname);
		fprintf(o, "\t\t\t\t\tlc_check(fabsl(d - lc_fd[s]) <= gtol * (fabsl(lc_fd[s]) + G + floor) + lc_fe[s], "
			"\"%s_grad: d/d %s differs from central differences of the batch loss\", lc_case, r, d, lc_fd[s]);\n"
			"\t\t\t\t}\n", g->fname, g->params[p].name);
		if (len > 1) {
			fprintf(o, "\t\t\t\tfor (int t = 0; %ld > LC_ALL && t < LC_DIRS; t++) {\n"
				"\t\t\t\t\tlong double fdv, fev, dot = 0, S = 0;\n", len);
			fprintf(o, "\t\t\t\t\tif (!lc_central_dir(lc_x, %ld, lc_total_ref_%d, B, lc_t0, M, lc_u, &fdv, &fev))\n"
				"\t\t\t\t\t\tcontinue;\n", len, k);
			fprintf(o, "\t\t\t\t\tfor (long j = 0; j < %ld; j++) {\n"
				"\t\t\t\t\t\tdot += lc_g[j] * lc_u[j];\n\t\t\t\t\t\tS += fabsl(lc_g[j] * lc_u[j]);\n\t\t\t\t\t}\n", len);
			fprintf(o, "\t\t\t\t\tlc_check(fabsl(dot - fdv) <= gtol * (fabsl(fdv) + S + floor) + fev, "
				"\"%s_grad: the directional derivative along d %s differs from central differences of the "
				"batch loss\", lc_case, r, dot, fdv);\n\t\t\t\t}\n", g->fname, g->params[p].name);
		}
		fprintf(o, "\t\t\t}\n");
	}
	fprintf(o, "\t\t}\n");
}

/*
 * The test of a loss with statistics over the batch.  A row's value
 * depends on the other rows, so the one-row calls of gh_test prove
 * nothing here: at each batch size B of 1, 2, 5 and LC_ROWS the kernel
 * runs over rows [0, B), the reference computes the statistics over the
 * same rows (lc_batch_K) and each row's value from them, and
 *   (a, e) the batch value is the reduction of the rows' references (for
 *       none, each row's value is its reference); where a reference is NaN
 *       (std or var of one row: lossspec(5) "Batch size 1") the kernel's
 *       value must be NaN too;
 *   (b) each row's gradient matches central differences of its reference
 *       with the statistics held: they read data only (ir.c refuses a
 *       statistic of an output), so they do not move with an output;
 *   (c) claims nonnegative and bounded hold at every row;
 *   ignored rows (ignore_index) take no part and get a zero gradient.
 * The scale M is the largest over the batch's rows: a row's value reads
 * them all.  Labels out of range are not drawn here (they make the
 * statistic NaN, a different contract from gh_test's row check).
 */
static void gh_test_batch(gen_kernel *g, FILE *o)
{
	const ir_loss *l = g->loss;
	const char *T = g->T;
	int k = g->index;
	int none = l->reduce == RED_NONE, mean = l->reduce == RED_MEAN;
	const ir_node *W = l->weight;
	const char *tmax = g->prec == GP_F32 ? "FLT_MAX" : "DBL_MAX";
	long maxlen = gh_test_data(g, o);
	const char *ignored = gh_ignored(g);
	const char *wr = W ? gk_fmt(g, "lc_row_wref_%d(r)", k) : "1.0L";
	/* the batch loss over rows [0, B) from the references (a function of the
	   test data, for the differences of a per-batch output) */
	if (none)
		fprintf(o, "static %s lc_each_%d[LC_ROWS], lc_up_%d[LC_ROWS];\n\n", T, k, k);
	int any_pb = 0;
	for (size_t p = 0; p < g->nouts; p++)
		any_pb |= g->params[p].per_batch;
	/* rows across the batch: the kept values read the outputs, so the batch
	   loss computes them again at the point it is asked at */
	if (any_pb || g->cross)
		fprintf(o, "static long double lc_total_ref_%d(size_t B)\n{\n\tlong double t = 0, wt = 0;\n%s"
		"\tfor (size_t r = 0; r < B; r++) {\n\t\tif (%s)\n\t\t\tcontinue;\n"
		"\t\twt += %s;\n\t\tt += %s%s * lc_row_ref_%d(r);\n\t}\n\t(void)wt;\n\treturn t%s;\n}\n\n",
		k, g->cross ? gk_fmt(g, "\tlc_cross_%d(B);\n", k) : "", ignored, wr,
		none ? gk_fmt(g, "(long double)lc_up_%d[r] * ", k) : "", wr, k, mean ? " / wt" : "");
	gh_test_head(g, o, maxlen);
	if (none)
		fprintf(o, "\t%s *const lc_each = lc_each_%d, *const lc_up = lc_up_%d;\n", T, k, k);
	if (g->rows)    /* the rows are the binding's: the data's row length */
		fprintf(o, "\tstatic const size_t lc_sizes[] = { %ld };\n", g->rows);
	else
		fprintf(o, "\tstatic const size_t lc_sizes[] = { 1, 2, 5, LC_ROWS };\n");
	fprintf(o, "\tfor (int lc_case = 0; lc_case < LC_CASES; lc_case++)\n"
		"\tfor (size_t lc_s = 0; lc_s < sizeof lc_sizes / sizeof lc_sizes[0]; lc_s++) {\n"
		"\t\tconst size_t B = lc_sizes[lc_s];\n");
	fprintf(o, "\t\tlc_fill_%d(lc_case);\n", k);
	if (gh_has_stats(g))
		fprintf(o, "\t\tlc_batch_%d(B);\n", k);
	if (g->cross)
		fprintf(o, "\t\tlc_cross_%d(B);\n", k);
	fprintf(o, "\t\t{\n\t\t\tsize_t lc_at = 0;\n\t\t\tassert_int_equal(");
	gh_call(g, o, 2, "B", "0", none ? "lc_each" : NULL);
	fprintf(o, ", LOSSC_OK);\n\t\t}\n");
	/* the scale of the batch, the count and weight a mean divides by */
	fprintf(o, "\t\tlong double lc_m = 1, lc_wt = 0;\n\t\tfor (size_t r = 0; r < B; r++) {\n"
		"\t\t\tlc_m = fmaxl(lc_m, lc_scale_%d(r));\n\t\t\tif (!(%s))\n\t\t\t\tlc_wt += %s;\n\t\t}\n", k, ignored, wr);
	if (gh_has_stats(g)) {
		/* rows that a statistic makes cancel widen the bounds, and say so */
		fprintf(o, "\t\tconst long double M = lc_m * lc_cond_%d;\n", k);
		fprintf(o, "\t\tif (tol * lc_cond_%d > 1e-3L)\n\t\t\tprint_message(\"%s (case %%d, batch of %%d rows): the "
			"statistics' rows cancel (their offset is %%Lg times their spread): the bounds widen as much\\n\", "
			"lc_case, (int)B, lc_cond_%d);\n", k, g->fname, k);
	} else {
		fprintf(o, "\t\tconst long double M = lc_m;\n");
	}
	fprintf(o, "\t\t(void)lc_wt;     /* a mean's divisor only */\n");
	gh_value_call(g, o, "B");
	fprintf(o, "\t\tlong double lc_total = 0, lc_abs = 0;\n\t\tint lc_all_finite = 1, lc_nan = 0;\n");
	fprintf(o, "\t\tfor (size_t r = 0; r < B; r++) {\n");
	fprintf(o, "\t\t\tif (%s) {\n", ignored);
	if (none)
		fprintf(o, "\t\t\t\tlc_check(lc_each[r] == 0, \"%s: an ignored row takes part\", lc_case, r, lc_each[r], 0);\n",
			g->fname);
	fprintf(o, "\t\t\t\tcontinue;\n\t\t\t}\n");
	fprintf(o, "\t\t\tconst long double wr = %s;\n\t\t\tconst long double ref = wr * lc_row_ref_%d(r);\n", wr, k);
	fprintf(o, "\t\t\tif (isnan(ref)) {\n\t\t\t\tlc_nan = 1;\n");
	if (none)
		fprintf(o, "\t\t\t\tlc_check(isnan(lc_each[r]), \"%s: a number where the mathematics is NaN\", "
			"lc_case, r, lc_each[r], ref);\n", g->fname);
	fprintf(o, "\t\t\t\tcontinue;\n\t\t\t}\n");
	fprintf(o, "\t\t\tif (!isfinite(ref) || fabsl(ref) > %s) {\n\t\t\t\tlc_all_finite = 0;\n"
		"\t\t\t\tlc_beyond(\"%s\", lc_case, r, %s, ref, %s);\n\t\t\t\tcontinue;\n\t\t\t}\n",
		tmax, g->fname, none ? "lc_each[r]" : "lc_batch", tmax);
	if (none)
		fprintf(o, "\t\t\tlc_check(fabsl(lc_each[r] - ref) <= tol * (fabsl(ref) + M), "
			"\"%s: value differs from the long double reference\", lc_case, r, lc_each[r], ref);\n", g->fname);
	if (gh_claims(l->loss, "nonnegative") && !W)
		fprintf(o, "\t\t\tlc_check(ref >= -tol * M, \"%s: claim nonnegative\", lc_case, r, ref, 0);\n", g->fname);
	fprintf(o, "\t\t\tlc_total += ref;\n\t\t\tlc_abs += fabsl(ref);\n\t\t}\n");
	if (none) {
		fprintf(o, "\t\t(void)lc_total, (void)lc_abs, (void)lc_all_finite, (void)lc_nan, (void)lc_wt;\n");
	} else {
		const char *expect = mean ? "lc_total / lc_wt" : "lc_total";
		const char *scale = mean ? "(lc_abs / fabsl(lc_wt) + M)" : "(lc_abs + B * M)";
		/* NaN: a row's (std at one row), or a mean of no rows (all ignored) */
		fprintf(o, "\t\tif (lc_nan || isnan(%s))\n\t\t\tlc_check(isnan(lc_batch), \"%s: a number where the mathematics is NaN "
			"(batch of B rows)\", lc_case, B, lc_batch, NAN);\n", expect, g->fname);
		fprintf(o, "\t\telse if (lc_all_finite)\n\t\t\tlc_check(fabsl(lc_batch - %s) <= tol * %s, "
			"\"%s: the batch value is not the %s of the rows' references (batch of B rows)\", lc_case, B, lc_batch, %s);\n",
			expect, scale, g->fname, ast_reduce_name(l->reduce), expect);
	}
	/* the gradient (NaN where the value is: lc_same) */
	gh_grad_call(g, o, "B", "", "lc_same(lc_gbatch, lc_batch) || ", "M", "B");
	if (g->cross)
		gh_cross_grad_checks(g, o);
	else
		gh_row_grad_checks(g, o, ignored, wr);
	/* a per-batch output: every row's value reads it, so its gradient is
	   the derivative of the whole batch loss (lc_total_ref) */
	for (size_t p = 0; p < g->nouts; p++) {
		if (!g->params[p].per_batch)
			continue;
		fprintf(o, "\t\tif (!lc_nan && lc_all_finite) {\n\t\t\tlong double lc_fdv, lc_fev;\n"
			"\t\t\tconst long double lc_t0 = lc_total_ref_%d(B);\n", k);
		fprintf(o, "\t\t\tif (lc_central(&lc_L%d_%zu[0], lc_total_ref_%d, B, lc_t0, M, &lc_fdv, &lc_fev))\n"
			"\t\t\t\tlc_check(fabsl(lc_d%d_%zu[0] - lc_fdv) <= fmaxl(tol * M, 1e-9L) * (fabsl(lc_fdv) + M) + lc_fev "
			"+ 1e-6L * (1 + fabsl(lc_t0)), \"%s_grad: d/d %s (per batch) differs from central differences of the "
			"batch loss\", lc_case, B, lc_d%d_%zu[0], lc_fdv);\n\t\t}\n",
			k, p, k, k, p, g->fname, g->params[p].name, k, p);
	}
	fprintf(o, "\t}\n%s}\n\n", g->wname ? "\tfree(lc_work);\n" : "");
}

static const char gh_prelude[] =
	"#include <stdarg.h>\n"
	"#include <stddef.h>\n"
	"#include <setjmp.h>\n"
	"#include <stdint.h>\n"
	"#include <cmocka.h>\n"
	"\n"
	"#include <float.h>\n"
	"#include <math.h>\n"
	"#include <stdio.h>\n"
	"#include <stdlib.h>\n"
	"\n"
	"/* rows per batch; cases 0-3 draw at random, 4-7 adversarially */\n"
	"#define LC_ROWS " GH_ROWS_TEXT "\n"
	"#define LC_CASES 8\n"
	"/* gradient rows up to LC_ALL long are checked at every coordinate; longer\n"
	"   ones at LC_COORDS sampled coordinates and along LC_DIRS directions */\n"
	"#define LC_ALL 64\n"
	"#define LC_COORDS 16\n"
	"#define LC_DIRS 3\n"
	"\n"
	"static uint64_t lc_state = 0x9e3779b97f4a7c15u;\n"
	"\n"
	"static uint64_t lc_rand(void)\n"
	"{\n"
	"\tlc_state ^= lc_state << 13;\n"
	"\tlc_state ^= lc_state >> 7;\n"
	"\tlc_state ^= lc_state << 17;\n"
	"\treturn lc_state >> 11;\n"
	"}\n"
	"\n"
	"static double lc_unif(void)\n"
	"{\n"
	"\treturn (double)lc_rand() / 9007199254740992.0;\n"
	"}\n"
	"\n"
	"/*\n"
	" * A real in [lo, hi] (infinite ends stand for 'undeclared').  Random\n"
	" * cases: uniform over the range, or over [-3, 3] where it is open.\n"
	" * Adversarial cases: the ends, points next to them, tiny values, 0,\n"
	" * and magnitudes up to 1e4 (the range clipped to [-1e4, 1e4]).\n"
	" */\n"
	"static double lc_draw_real(double lo, double hi, int c)\n"
	"{\n"
	"\tconst double big = 1e4;\n"
	"\tdouble a = lo < -big ? -big : lo, b = hi > big ? big : hi;\n"
	"\tif (c < 4) {\n"
	"\t\tdouble ra = lo < -3 ? (hi < -3 ? a : -3) : lo, rb = hi > 3 ? (lo > 3 ? b : 3) : hi;\n"
	"\t\treturn ra + (rb - ra) * lc_unif();\n"
	"\t}\n"
	"\tswitch (lc_rand() % 8) {\n"
	"\tcase 0: return a;\n"
	"\tcase 1: return b;\n"
	"\tcase 2: return a + (b - a) * 1e-7;\n"
	"\tcase 3: return b - (b - a) * 1e-7;\n"
	"\tcase 4: return (a <= 0 && 0 <= b) ? 0.0 : a;\n"
	"\tcase 5: return (a <= 1e-30 && 1e-30 <= b) ? 1e-30 : b;\n"
	"\tdefault: return a + (b - a) * lc_unif();\n"
	"\t}\n"
	"}\n"
	"\n"
	"static double lc_draw_binary(double lo, double hi, int c)\n"
	"{\n"
	"\t(void)lo, (void)hi, (void)c;\n"
	"\treturn (double)(lc_rand() % 2);\n"
	"}\n"
	"\n"
	"static double lc_draw_sign(double lo, double hi, int c)\n"
	"{\n"
	"\t(void)lo, (void)hi, (void)c;\n"
	"\treturn lc_rand() % 2 ? 1.0 : -1.0;\n"
	"}\n"
	"\n"
	"/* A probability vector; adversarial cases put exact zeros and a near-one-hot mass in it. */\n"
	"#define LC_DRAW_PROB(T) \\\n"
	"\tdouble s = 0; \\\n"
	"\tfor (long j = 0; j < len; j++) { \\\n"
	"\t\tdouble u = lc_unif(); \\\n"
	"\t\tif (c >= 4) \\\n"
	"\t\t\tu = lc_rand() % 3 == 0 ? 0.0 : u * u * u * u; \\\n"
	"\t\tv[j] = (T)u; \\\n"
	"\t\ts += u; \\\n"
	"\t} \\\n"
	"\tif (s == 0) { \\\n"
	"\t\tv[0] = 1; \\\n"
	"\t\ts = 1; \\\n"
	"\t} \\\n"
	"\tfor (long j = 0; j < len; j++) \\\n"
	"\t\tv[j] = (T)(v[j] / s);\n"
	"\n"
	"/*\n"
	" * Central difference of f (one row r, long double) in *x; 0 when it\n"
	" * cannot be trusted: the function is not finite nearby, the two\n"
	" * one-sided differences disagree (a kink, e.g. abs or max), or the\n"
	" * quotient changes with the step (a pole, where(s != 0, 1 / s, 0) at\n"
	" * s = 0, whose one-sided quotients agree).\n"
	" */\n"
	"static int lc_central(long double *x, long double (*f)(size_t), size_t r, long double f0, long double M, long double *out, long double *err)\n"
	"{\n"
	"\tconst long double x0 = *x;\n"
	"\t/* steps of about 5e-7: losses vary on the scale of 1 even for large\n"
	"\t   arguments (a softmax is shift-invariant), and long double still\n"
	"\t   resolves such steps next to 1e4 */\n"
	"\tconst long double h = cbrtl(LDBL_EPSILON) * fmaxl(1.0L, fabsl(x0) * 1e-4L);\n"
	"\t/* the steps actually taken: x0 + h rounds */\n"
	"\tconst long double xp = x0 + h, xm = x0 - h;\n"
	"\t*x = xp;\n"
	"\tconst long double fp = f(r);\n"
	"\t*x = xm;\n"
	"\tconst long double fm = f(r);\n"
	"\t*x = x0;\n"
	"\t*out = (fp - fm) / (xp - xm);\n"
	"\t/* what rounding in f can make of the difference quotient: f, or\n"
	"\t   terms as large as the arguments (M) that cancel inside it */\n"
	"\t*err = 8 * LDBL_EPSILON * (fabsl(fp) + fabsl(fm) + fabsl(f0) + M) / h;\n"
	"\tif (!isfinite(fp) || !isfinite(fm) || !isfinite(*out))\n"
	"\t\treturn 0;\n"
	"\tconst long double fwd = (fp - f0) / (xp - x0), bwd = (f0 - fm) / (x0 - xm);\n"
	"\tif (!(fabsl(fwd - bwd) <= 1e-4L * (1 + fabsl(*out)) + 4 * *err))\n"
	"\t\treturn 0;\n"
	"\tconst long double xp2 = x0 + 2 * h, xm2 = x0 - 2 * h;\n"
	"\t*x = xp2;\n"
	"\tconst long double fp2 = f(r);\n"
	"\t*x = xm2;\n"
	"\tconst long double fm2 = f(r);\n"
	"\t*x = x0;\n"
	"\tconst long double wide = (fp2 - fm2) / (xp2 - xm2);\n"
	"\treturn isfinite(wide) && fabsl(wide - *out) <= 1e-4L * (1 + fabsl(*out)) + 4 * *err;\n"
	"}\n"
	"\n"
	"/* Adds j to idx[0..n) unless it is there; the new count. */\n"
	"static long lc_add(long *idx, long n, long j)\n"
	"{\n"
	"\tfor (long s = 0; s < n; s++)\n"
	"\t\tif (idx[s] == j)\n"
	"\t\t\treturn n;\n"
	"\tidx[n] = j;\n"
	"\treturn n + 1;\n"
	"}\n"
	"\n"
	"/*\n"
	" * The coordinates of a row of len whose partial derivatives are checked\n"
	" * one by one: all of them up to LC_ALL; else both ends, must[0..nmust)\n"
	" * (the row's class labels, the kernel's largest element), and random\n"
	" * others up to LC_COORDS.  Their count.\n"
	" */\n"
	"static long lc_pick(long *idx, long len, const long *must, int nmust)\n"
	"{\n"
	"\tlong n = 0;\n"
	"\tif (len <= LC_ALL) {\n"
	"\t\tfor (long j = 0; j < len; j++)\n"
	"\t\t\tidx[j] = j;\n"
	"\t\treturn len;\n"
	"\t}\n"
	"\tn = lc_add(idx, n, 0);\n"
	"\tn = lc_add(idx, n, len - 1);\n"
	"\tfor (int m = 0; m < nmust; m++)\n"
	"\t\tif (must[m] >= 0 && must[m] < len)\n"
	"\t\t\tn = lc_add(idx, n, must[m]);\n"
	"\twhile (n < LC_COORDS)\n"
	"\t\tn = lc_add(idx, n, (long)(lc_rand() % (uint64_t)len));\n"
	"\treturn n;\n"
	"}\n"
	"\n"
	"#define LC_ARGMAX_ABS(T) \\\n"
	"\tlong best = 0; \\\n"
	"\tfor (long j = 1; j < len; j++) \\\n"
	"\t\tif (fabs((double)g[j]) > fabs((double)g[best])) \\\n"
	"\t\t\tbest = j; \\\n"
	"\treturn best;\n"
	"\n"
	"/*\n"
	" * The derivative of f (one row r) along a random +-1 direction over the\n"
	" * row x[0..len), by central differences in long double: *out, with\n"
	" * u[j] the step each element actually took per unit of h (x + h u\n"
	" * rounds), so the kernel's gradient dotted with u is its prediction.\n"
	" * 0 when it cannot be trusted (not finite nearby; one-sided\n"
	" * differences disagree: a kink).  *err: rounding in f, whose sums run\n"
	" * over the row (random walk: sqrt(len)).\n"
	" */\n"
	"static int lc_central_dir(long double *x, long len, long double (*f)(size_t), size_t r, long double f0, long double M,\n"
	"\t\t\t  long double *u, long double *out, long double *err)\n"
	"{\n"
	"\tlong double *x0 = malloc((size_t)len * sizeof *x0), amax = 0;\n"
	"\tassert_non_null(x0);\n"
	"\tfor (long j = 0; j < len; j++) {\n"
	"\t\tx0[j] = x[j];\n"
	"\t\tamax = fmaxl(amax, fabsl(x[j]));\n"
	"\t\tu[j] = lc_rand() % 2 ? 1 : -1;\n"
	"\t}\n"
	"\tconst long double h = cbrtl(LDBL_EPSILON) * fmaxl(1.0L, amax * 1e-4L);\n"
	"\tfor (long j = 0; j < len; j++)\n"
	"\t\tx[j] = x0[j] + h * u[j];\n"
	"\tconst long double fp = f(r);\n"
	"\tfor (long j = 0; j < len; j++) {\n"
	"\t\tconst long double xp = x[j];\n"
	"\t\tx[j] = x0[j] - h * u[j];\n"
	"\t\tu[j] = (xp - x[j]) / (2 * h);\n"
	"\t}\n"
	"\tconst long double fm = f(r);\n"
	"\tfor (long j = 0; j < len; j++)\n"
	"\t\tx[j] = x0[j];\n"
	"\tfree(x0);\n"
	"\t*out = (fp - fm) / (2 * h);\n"
	"\t*err = 8 * LDBL_EPSILON * sqrtl((long double)len) * (fabsl(fp) + fabsl(fm) + fabsl(f0) + M) / h;\n"
	"\tif (!isfinite(fp) || !isfinite(fm) || !isfinite(*out))\n"
	"\t\treturn 0;\n"
	"\tconst long double fwd = (fp - f0) / h, bwd = (f0 - fm) / h;\n"
	"\treturn fabsl(fwd - bwd) <= 1e-4L * (1 + fabsl(*out)) + 4 * *err;\n"
	"}\n"
	"\n"
	"/*\n"
	" * Neumaier's compensated sum: *s += t, with the rounding of each step\n"
	" * kept in *c (added once, at the end).  The reference's sums are then\n"
	" * as exact as its terms whatever the row's length, so a central\n"
	" * difference over them sees the loss, not the sum's rounding noise.\n"
	" */\n"
	"static void lc_sum2(long double *s, long double *c, long double t)\n"
	"{\n"
	"\tconst long double u = *s + t;\n"
	"\tif (isfinite(u))\n"
	"\t\t*c += fabsl(*s) >= fabsl(t) ? (*s - u) + t : (t - u) + *s;\n"
	"\t*s = u;\n"
	"}\n"
	"\n"
	"/* gamma_k = k u / (1 - k u): k roundings of relative size u at most */\n"
	"static long double lc_gamma(long k, long double u)\n"
	"{\n"
	"\treturn k * u < 1 ? k * u / (1 - k * u) : HUGE_VALL;\n"
	"}\n"
	"\n"
	"/* How far f(s + e) or f(s - e) (a or b) is from f(s) = v; an end where f\n"
	"   is undefined (a root below 0) does not count */\n"
	"static long double lc_dev(long double a, long double b, long double v)\n"
	"{\n"
	"\tlong double d = 0;\n"
	"\tif (isfinite(a))\n\t\td = fmaxl(d, fabsl(a - v));\n"
	"\tif (isfinite(b))\n\t\td = fmaxl(d, fabsl(b - v));\n"
	"\treturn d;\n"
	"}\n"
	"\n"
	"static int lc_same(double a, double b)\n"
	"{\n"
	"\treturn a == b || (isnan(a) && isnan(b));\n"
	"}\n"
	"\n"
	"/*\n"
	" * A row whose reference is not a finite number of the kernel's\n"
	" * precision.  Beyond the precision's range, the kernel must overflow to\n"
	" * the same infinity; where the reference is infinite the mathematics is\n"
	" * (or exceeds long double), and the kernel must give that infinity; a NaN\n"
	" * reference means the mathematics is undefined there (outside a domain\n"
	" * the analyzer warns of).  Each is said in the output, never skipped\n"
	" * silently.\n"
	" */\n"
	"static void lc_beyond(const char *name, int c, size_t r, long double v, long double ref, long double max)\n"
	"{\n"
	"\tif (isnan(ref)) {\n"
	"\t\tprint_message(\"%s (case %d, row %d): the mathematics is undefined here (reference NaN); the kernel gives %Lg\\n\",\n"
	"\t\t\t      name, c, (int)r, v);\n"
	"\t\treturn;\n"
	"\t}\n"
	"\tprint_message(\"%s (case %d, row %d): %s (reference %Lg); the kernel gives %Lg\\n\", name, c, (int)r,\n"
	"\t\t      isinf(ref) ? \"the mathematics is infinite here\" : \"the value is beyond the precision's range\",\n"
	"\t\t      ref, v);\n"
	"\tif (!(isinf(v) && (v > 0) == (ref > 0)))\n"
	"\t\tfail_msg(\"%s (case %d, row %d): the value is %Lg, beyond %Lg: the kernel must give that infinity, not %Lg\",\n"
	"\t\t\t name, c, (int)r, ref, max, v);\n"
	"}\n"
	"\n"
	"/* A failed check names the loss, the case, the row and both numbers. */\n"
	"#define lc_check(cond, what, c, r, got, want) do { \\\n"
	"\t\tif (!(cond)) \\\n"
	"\t\t\tfail_msg(\"%s (case %d, row %d): got %.9Lg, expected %.9Lg\", what, (int)(c), (int)(r), \\\n"
	"\t\t\t\t (long double)(got), (long double)(want)); \\\n"
	"\t} while (0)\n"
	"\n"
	"\n";

/* ---- the program ----------------------------------------------------- */

/*
 * A loss with named sizes is tested at several bindings of them (the
 * harness says which above each one): each binding is a copy of the IR at
 * those sizes (ir_bind), tested as a v1 loss whose calls pass the sizes;
 * then the run-time errors loss_NAME_check reports for the sizes
 * themselves (ZERO_SIZE, BAD_INDEX) and the NaN the functions return.
 * The bindings: every size at its smallest (1, or what a constant index
 * needs), every size small and different, every size past a few rounds
 * of the lanes with a tail (4 GEN_LANES + 1 more), and, where a scaled
 * sum (log-sum-exp, softmax) runs over a named size, every size one and
 * a half chunks long (3 GEN_CHUNK / 2 + 4 GEN_LANES + 1 more): the second
 * chunk is long enough to hold a row's largest element often (one row in
 * three), so the running sum's rescaling is exercised, not only the
 * chunk loop; the reference's compensated sums keep the central
 * differences sound at that length.  A loss with a row as long as the
 * batch (real[B], arange(B)) binds B too, at 1, 2 and LC_ROWS rows (the
 * last bindings at LC_ROWS): its test data's rows are that long, so each
 * binding tests that one batch.
 */
#define GH_BINDINGS 4

/* Does a scaled sum of l run over a named size (the chunked path)? */
static int gh_chunked(const ir_loss *l)
{
	/* not over the batch's rows (real[B]): those are bound to LC_ROWS at most */
	for (size_t i = 0; i < l->nnodes; i++)
		if (gk_node_scale(l->nodes[i]) && ir_dim_named(l->nodes[i]->args[0])
		    && ir_dim(l->nodes[i]->args[0]).item != l->rows)
			return 1;
	return 0;
}

static void gh_one(gen_kernel *g, FILE *o);

/* A copy of g on its IR at bound sizes, numbered j: the same functions,
   its own test data. */
static gen_kernel *gh_bound(gen_kernel *g, const long *bound, int j)
{
	const ir_loss *l = g->loss;
	gen_kernel *b = arena_alloc(g->arena, sizeof *b);
	gk_init(b, ir_bind(l, bound, g->arena), 1000 * (g->index + 1) + j, g->arena);
	b->params = arena_alloc(g->arena, (g->nparams ? g->nparams : 1) * sizeof *b->params);
	for (size_t p = 0; p < g->nparams; p++) {
		b->params[p] = g->params[p];
		b->params[p].len = shp_num(ir_size_at(l, g->params[p].len, bound));
		b->params[p].classes = shp_num(ir_size_at(l, g->params[p].classes, bound));
	}
	b->nparams = g->nparams;
	b->nouts = g->nouts;
	b->fname = g->fname;
	b->gname = g->gname;
	b->cname = g->cname;
	b->wname = g->wname;
	b->loss_name = g->loss_name;
	b->size_names = g->size_names;
	b->bound = bound;
	b->nbound = l->nsizes;
	b->rows = l->rows ? bound[l->nsizes] : 0;
	return b;
}

/* "V = 3, L = 2" (and "B = 5 rows" for a row as long as the batch) */
static const char *gh_sizes_str(gen_kernel *g, const long *bound)
{
	const char *s = "";
	for (size_t i = 0; i < g->loss->nsizes; i++)
		s = gk_fmt(g, "%s%s%s = %ld", s, i ? ", " : "", g->size_names[i], bound[i]);
	if (g->loss->rows)
		s = gk_fmt(g, "%s%s%s = %ld rows", s, g->loss->nsizes ? ", " : "", g->loss->rows->name.s,
			   bound[g->loss->nsizes]);
	return s;
}

/* NAME_check and NAME at the sizes `bad`, on the first binding's data
   (which a bad size keeps them from reading). */
static void gh_bad_sizes(gen_kernel *g, FILE *o, gen_kernel *b0, const long *bad, const char *expect)
{
	const ir_loss *l = g->loss;
	gen_kernel t = *b0;
	t.bound = bad;
	fprintf(o, "\t{\n\t\t/* %s: %s */\n\t\tsize_t lc_at = 7;\n\t\tassert_int_equal(", gh_sizes_str(g, bad), expect);
	gh_call(&t, o, 2, "LC_ROWS", "0", l->reduce == RED_NONE ? "lc_each" : NULL);
	fprintf(o, ", %s);\n\t\tassert_int_equal(lc_at, 0);\n", expect);
	if (l->reduce == RED_NONE) {
		fprintf(o, "\t\t");
		gh_call(&t, o, 0, "LC_ROWS", "0", "lc_each");
		fprintf(o, ";\n\t\tfor (size_t r = 0; r < LC_ROWS; r++)\n\t\t\tassert_true(isnan(lc_each[r]));\n");
	} else {
		fprintf(o, "\t\tassert_true(isnan(");
		gh_call(&t, o, 0, "LC_ROWS", "0", NULL);
		fprintf(o, "));\n");
	}
	fprintf(o, "\t}\n");
}

static void gh_sized(gen_kernel *g, FILE *o)
{
	const ir_loss *l = g->loss;
	size_t ns = l->nsizes;
	gen_kernel *b[GH_BINDINGS];
	long *bound[GH_BINDINGS];
	/* a row as long as the batch: the rows a binding runs at, after its sizes */
	static const long rows[GH_BINDINGS] = { 1, 2, GH_ROWS, GH_ROWS };
	const int nb = gh_chunked(l) ? GH_BINDINGS : GH_BINDINGS - 1;
	for (int j = 0; j < nb; j++) {
		bound[j] = arena_alloc(g->arena, (ns + 1) * sizeof *bound[j]);
		for (size_t i = 0; i < ns; i++) {
			long lo = ir_min_size(l, l->sizes[i]);
			bound[j][i] = lo + (long)i + (j == 0 ? -(long)i : j == 1 ? 1 : j == 2 ? 4 * GEN_LANES + 1
						    : 3 * GEN_CHUNK / 2 + 4 * GEN_LANES + 1);
		}
		bound[j][ns] = rows[j];
		b[j] = gh_bound(g, bound[j], j);
		fprintf(o, "/* %s at %s */\n", g->fname, gh_sizes_str(g, bound[j]));
		gh_one(b[j], o);
		for (int p = 0; p < 3; p++)     /* the reference's helpers go in the program */
			g->helpers[p] |= b[j]->helpers[p];
	}
	/* every binding, then the sizes' own errors */
	fprintf(o, "static void test_%s(void **state)\n{\n", g->fname);
	for (int j = 0; j < nb; j++)
		fprintf(o, "\ttest_%s_at_%d(state);\n", g->fname, b[j]->index);
	if (g->wname && ns)
		fprintf(o, "\tvoid *lc_work = NULL;     /* not read when a size is bad */\n");
	if (l->reduce == RED_NONE && ns)
		fprintf(o, "\tstatic %s lc_each[LC_ROWS];\n", g->T);
	for (size_t i = 0; i < ns; i++) {
		long *bad = arena_alloc(g->arena, (ns + 1) * sizeof *bad);
		memcpy(bad, bound[1], (ns + 1) * sizeof *bad);
		bad[i] = 0;
		gh_bad_sizes(g, o, b[1], bad, "LOSSC_ZERO_SIZE");
		long lo = ir_min_size(l, l->sizes[i]);
		if (lo > 1) {
			long *few = arena_alloc(g->arena, (ns + 1) * sizeof *few);
			memcpy(few, bound[1], (ns + 1) * sizeof *few);
			few[i] = lo - 1;
			gh_bad_sizes(g, o, b[1], few, "LOSSC_BAD_INDEX");
		}
	}
	fprintf(o, "}\n\n");
}

void gh_loss(gen_kernel *g, FILE *o)
{
	if (g->loss->nsizes || g->loss->rows)
		gh_sized(g, o);
	else
		gh_one(g, o);
}

static void gh_one(gen_kernel *g, FILE *o)
{
	const char *sfx = g->prec == GP_F32 ? "f" : "d";
	fprintf(o, "#define lc_draw_prob lc_draw_prob_%s\n#define lc_argmax_abs lc_argmax_abs_%s\n", sfx, sfx);
	if (g->cross) {         /* the values kept for the batch, by lc_cross_K */
		gk_cross_init(g);
		for (size_t i = 0; i < g->loss->nnodes; i++)
			if (gh_kept(g, g->loss->nodes[i]))
				fprintf(o, "static long double lc_bx%d_%zu[%ld];\n", g->index, i,
					g->rows * ir_len(g->loss->nodes[i]));
	}
	gh_reference(g, o, "lc_ref", g->fname, g->loss->root);
	if (g->loss->weight)
		gh_reference(g, o, "lc_wref", "The row's weight", g->loss->weight);
	for (size_t i = 0; i < g->loss->nnodes; i++)
		if (ops[g->loss->nodes[i]->op].kind == OK_BATCH)
			gh_reference(g, o, gk_fmt(g, "lc_bop%zu", i), "The argument of a statistic over the batch",
				     g->loss->nodes[i]->args[0]);
	for (size_t i = 0; g->cross && i < g->loss->nnodes; i++)
		if (gh_kept(g, g->loss->nodes[i]) && ops[g->loss->nodes[i]->op].kind != OK_CROSS)
			gh_reference(g, o, gk_fmt(g, "lc_xref%zu", i), "A row's value kept for the batch",
				     g->loss->nodes[i]);
	if (g->has_batch || g->rows)
		gh_test_batch(g, o);
	else
		gh_test(g, o);
	fprintf(o, "#undef lc_draw_prob\n#undef lc_argmax_abs\n\n");
}

void gh_program(FILE *o, const char *stem, const source *src, const char *body, const char *const *tests,
		size_t ntests, unsigned long ld_helpers)
{
	fprintf(o, "/*\n * test_%s_loss.c: generated by lossc from\n", stem);
	gen_comment_text(o, "", src->path, strlen(src->path), 72);
	fprintf(o, " *\n * Checks every kernel of %s_loss.c against a long double evaluation\n"
		" * of the same expression.  Build and run:\n *\n"
		" *   cc -std=c99 -O2 test_%s_loss.c %s_loss.c -lcmocka -lm && ./a.out\n *\n"
		" * (./a.out 'test_NAME' runs one loss's test; * and ? match any text.)\n *\n",
		stem, stem, stem);
	fprintf(o, " * Tolerances: a value within 16 eps (|ref| + M), M = 1 + the row's\n"
		" * largest |argument|, eps of the loss's precision, plus what its sums\n"
		" * may round: gamma_k sum |t| per sum of terms t (gamma_k = k u / (1 - k u),\n"
		" * u = eps / 2, k the additions a term meets), carried through the\n"
		" * sum's finish, relative for the scaled sums (log-sum-exp); a gradient within\n"
		" * max(16 eps M, 1e-9) (|fd| + G) of central differences, G = the row's\n"
		" * largest |fd|, plus a floor of 1e-6 (1 + |value|) per unit of batch\n"
		" * weight for gradients that are zero to working precision, plus\n"
		" * 16 eps M |w| for the row's weight share w (an element that cancels\n"
		" * to 0 keeps the rounding of terms of size w), plus the\n"
		" * rounding noise of the difference quotient.  Kinks are skipped.  A row\n"
		" * whose value is infinite, undefined or beyond the precision's range is\n"
		" * named in the output.\n */\n");
	fputs(gh_prelude, o);
	gt_helpers(o, GP_LD, ld_helpers);
	fprintf(o, "static void lc_draw_prob_f(float *v, long len, int c)\n{\n\tLC_DRAW_PROB(float)\n}\n\n");
	fprintf(o, "static void lc_draw_prob_d(double *v, long len, int c)\n{\n\tLC_DRAW_PROB(double)\n}\n\n");
	fprintf(o, "static long lc_argmax_abs_f(const float *g, long len)\n{\n\tLC_ARGMAX_ABS(float)\n}\n\n");
	fprintf(o, "static long lc_argmax_abs_d(const double *g, long len)\n{\n\tLC_ARGMAX_ABS(double)\n}\n\n");
	fprintf(o, "#include \"%s_loss.h\"\n\n", stem);
	fputs(body, o);
	fprintf(o, "/* ./a.out [PATTERN]: only the tests whose names match PATTERN (* and ?) */\n"
		"int main(int argc, char **argv)\n{\n\tif (argc > 1)\n\t\tcmocka_set_test_filter(argv[1]);\n"
		"\t/* every helper counts as used, whichever losses need it */\n"
		"\t(void)lc_draw_prob_f;\n\t(void)lc_draw_prob_d;\n\t(void)lc_draw_binary;\n\t(void)lc_draw_sign;\n"
		"\t(void)lc_draw_real;\n\t(void)lc_same;\n\t(void)lc_gamma;\n\t(void)lc_dev;\n\t(void)lc_sum2;\n\t(void)lc_central;\n\t(void)lc_beyond;\n"
		"\t(void)lc_argmax_abs_f;\n\t(void)lc_argmax_abs_d;\n\t(void)lc_central_dir;\n\t(void)lc_pick;\n"
		"\tconst struct CMUnitTest tests[] = {\n");
	for (size_t i = 0; i < ntests; i++)
		fprintf(o, "\t\tcmocka_unit_test(%s),\n", tests[i]);
	fprintf(o, "\t};\n\treturn cmocka_run_group_tests(tests, NULL, NULL);\n}\n");
}
