/*
 * witness.c: counterexamples to claims, checked by evaluation (witness.h).
 *
 * A point gives every element of every output, input and label a value
 * inside its declared range and type; every use of a name (its own IR
 * node) gets the same values.  Points are drawn from simple values (range
 * ends, quarters, 0, +-0.5, +-1, +-2, +-10), so a witness reads well.
 * Each search is bounded by a number of evaluations of the value and by
 * the work per evaluation.
 */
#include "witness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcp.h"
#include "ireval.h"
#include "ops.h"
#include "xalloc.h"

enum { W_MAXITEMS = 64, W_MAXLEN = 4096, W_PRINT = 6 };
#define W_WORK 2e7              /* element operations per search */
/* rounding allowance: relative to the largest term, far above long
   double's 1e-19 */
#define W_ROUND 1e-15L

typedef struct witem {
	const ast_item *item;
	ir_op op;               /* IR_OUTPUT, IR_INPUT or IR_LABEL */
	const ir_node *node;    /* one use */
	long len;               /* elements (1 for a scalar or a class label) */
	long double *val;
} witem;

typedef struct wctx {
	const ir_loss *l;
	ir_values x;
	witem it[W_MAXITEMS];
	int nit;
	long evals, max_evals;
	unsigned long seed;
	long double scale;      /* largest finite |value| of any node at the last eval */
	int level;              /* how simple drawn values are: 0 (zeros, a range's
	                           middle), 1 (0, +-1, a range's ends), 2 (more) */
} wctx;

static unsigned long next_rand(wctx *w)
{
	w->seed = w->seed * 6364136223846793005UL + 1442695040888963407UL;
	return w->seed >> 33;
}

/* A value the evaluator sees at one batch size only: a matrix, a named
   size, or a vector function of a per-example scalar (it runs along the
   batch); or a row across the batch (a @ transpose(b)), which one row
   alone does not give: the searches evaluate one row. */
static int v2_shape(const ir_node *n)
{
	op_kind k = ops_row(n->op)->kind;
	if (n->shape.rank > 1 || k == OK_CROSS)
		return 1;
	for (unsigned i = 0; i < n->shape.rank; i++)
		if (n->shape.size[i].n <= 0)
			return 1;
	return (k == OK_REDUCE || k == OK_VECTOR) && n->nargs > 0 && n->args[0]->type == IRT_REAL
	       && ir_len(n->args[0]) == 0;
}

/* Collect the names; 0 when the loss is out of the searches' reach. */
static int wctx_init(wctx *w, const ir_loss *l)
{
	double work = 0;
	memset(w, 0, sizeof *w);
	w->l = l;
	w->seed = 0x9e3779b97f4a7c15UL;
	if (!l->root)
		return 0;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		long len = ireval_len(n);
		if (len > W_MAXLEN || v2_shape(n))
			return 0;
		work += (double)len;
		if (n->op != IR_OUTPUT && n->op != IR_INPUT && n->op != IR_LABEL)
			continue;
		if (!n->item)
			return 0;
		int seen = 0;
		for (int k = 0; k < w->nit; k++)
			seen |= w->it[k].item == n->item;
		if (seen)
			continue;
		if (w->nit == W_MAXITEMS)
			return 0;
		witem *t = &w->it[w->nit++];
		t->item = n->item;
		t->op = n->op;
		t->node = n;
		t->len = len;
	}
	w->max_evals = (long)(W_WORK / (work + 1));
	if (w->max_evals < 50)
		return 0;
	if (w->max_evals > 40000)
		w->max_evals = 40000;
	if (ireval_init(&w->x, l) < 0)
		return 0;
	for (int k = 0; k < w->nit; k++)
		w->it[k].val = xcalloc((size_t)w->it[k].len, sizeof(long double));
	return 1;
}

static void wctx_free(wctx *w)
{
	for (int k = 0; k < w->nit; k++)
		free(w->it[k].val);
	ireval_free(&w->x);
}

/* The value at the current point (NaN when the budget is spent). */
static long double eval(wctx *w)
{
	const ir_loss *l = w->l;
	if (w->evals >= w->max_evals)
		return NAN;
	w->evals++;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		if (n->op != IR_OUTPUT && n->op != IR_INPUT && n->op != IR_LABEL)
			continue;
		for (int k = 0; k < w->nit; k++)
			if (w->it[k].item == n->item)
				memcpy(w->x.v[i], w->it[k].val, (size_t)w->it[k].len * sizeof(long double));
	}
	ireval_forward(&w->x);
	w->scale = 0;
	for (size_t i = 0; i < l->nnodes; i++)
		for (long j = 0; j < ireval_len(l->nodes[i]); j++)
			if (isfinite(w->x.v[i][j]))
				w->scale = fmaxl(w->scale, fabsl(w->x.v[i][j]));
	return w->x.v[l->root->id][0];
}

/* ---- drawing points ---- */

static int is_range(const witem *t) { return t->item->range.present; }

static double pick(wctx *w, const double *c, int n) { return c[next_rand(w) % (unsigned long)n]; }

/* A simple value for a real element of t. */
static double real_value(wctx *w, const witem *t)
{
	static const double free_vals[] = { 0, 1, -1, 0.5, -0.5, 2, -2, 10, -10 };
	static const int nfree[] = { 1, 3, 9 };
	if (is_range(t)) {
		double lo = t->item->range.lo, hi = t->item->range.hi;
		double c[5] = { (lo + hi) / 2, lo, hi, lo + (hi - lo) / 4, hi - (hi - lo) / 4 };
		return w->level == 0 ? c[0] : pick(w, c, w->level == 1 ? 3 : 5);
	}
	return pick(w, free_vals, nfree[w->level]);
}

static void draw_item(wctx *w, witem *t)
{
	ast_type_kind k = t->item->type.kind;
	if (t->node->type == IRT_CLASS) {
		long K = ir_len(t->node) > 0 ? ir_len(t->node) : 1;
		t->val[0] = w->level == 0 ? 0 : (long double)(next_rand(w) % (unsigned long)K);
		return;
	}
	if (k == TY_PROB && t->len > 1) {
		/* a distribution: uniform, one-hot, or simple weights */
		long double sum = 0;
		unsigned long how = w->level == 0 ? 0 : next_rand(w) % 3;
		long hot = (long)(next_rand(w) % (unsigned long)t->len);
		for (long j = 0; j < t->len; j++) {
			t->val[j] = how == 0 ? 1 : how == 1 ? (j == hot) : (long double)(1 + next_rand(w) % 4);
			sum += t->val[j];
		}
		for (long j = 0; j < t->len; j++)
			t->val[j] /= sum;
		return;
	}
	for (long j = 0; j < t->len; j++) {
		static const double prob[] = { 0, 0.25, 0.5, 0.75, 1 };
		switch (k) {
		case TY_BINARY: t->val[j] = (long double)(next_rand(w) % 2); break;
		case TY_SIGN: t->val[j] = next_rand(w) % 2 ? 1 : -1; break;
		case TY_PROB: t->val[j] = w->level == 0 ? 0.5 : pick(w, prob, 5); break;
		case TY_CLASS: case TY_REAL: t->val[j] = real_value(w, t); break;
		}
	}
}

static void draw_point(wctx *w)
{
	for (int k = 0; k < w->nit; k++)
		draw_item(w, &w->it[k]);
}

/* An output element that may move freely: real, not a distribution. */
static int movable(const witem *t)
{
	ast_type_kind k = t->item->type.kind;
	return t->op == IR_OUTPUT && t->node->type != IRT_CLASS && (k == TY_REAL || (k == TY_PROB && t->len == 1));
}

/* Can element j of t move to v and stay in range? */
static int in_range(const witem *t, long double v)
{
	if (t->item->type.kind == TY_PROB)
		return v >= 0 && v <= 1;
	return !is_range(t) || (v >= t->item->range.lo && v <= t->item->range.hi);
}

/* How simple a witness reads (smaller is simpler): its largest |value|,
   plus a little for each nonzero value. */
static double score_add(double score, long double mag, int nonzero)
{
	return fmax(score, (double)mag) + nonzero * 0.01;
}

/* The score of the current point: every item, or (fixed_only) the items
   a search does not move, whose values it scores itself. */
static double point_score(const wctx *w, int fixed_only)
{
	double score = 0;
	for (int k = 0; k < w->nit; k++)
		for (long j = 0; j < w->it[k].len && !(fixed_only && movable(&w->it[k])); j++)
			score = score_add(score, fabsl(w->it[k].val[j]), w->it[k].val[j] != 0);
	return score;
}

/* "z = [0, 0.5, -1], t = 2" into buf, from the current point. */
static void describe(const wctx *w, char *buf, size_t size)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int k = 0; k < w->nit && off + 1 < size; k++) {
		const witem *t = &w->it[k];
		int n = snprintf(buf + off, size - off, "%s%s = %s", k ? ", " : "", t->item->name.s ? t->item->name.s : "?",
				 t->len > 1 ? "[" : "");
		for (long j = 0; n >= 0 && j < t->len && j < W_PRINT && off + (size_t)n + 1 < size; j++)
			n += snprintf(buf + off + n, size - off - (size_t)n, "%s%.6Lg", j ? ", " : "", t->val[j]);
		if (n >= 0 && t->len > 1 && off + (size_t)n + 1 < size)
			n += snprintf(buf + off + n, size - off - (size_t)n, "%s]", t->len > W_PRINT ? ", ..." : "");
		if (n < 0)
			break;
		off += (size_t)n;
		if (off >= size)
			off = size - 1;
	}
}

static void coord_name(const witem *t, long j, char *buf, size_t size)
{
	if (t->len > 1)
		snprintf(buf, size, "%s[%ld]", t->item->name.s, j);
	else
		snprintf(buf, size, "%s", t->item->name.s);
}

/* ---- smooth: where the slope jumps ---- */

/* One scalar equation that puts a kink at the point: element i of node a
   minus element j of node b (b NULL: minus p).  `touch`: a's values lie
   on one side of p, so the equation is solved by minimizing. */
typedef struct weq {
	const ir_node *a, *b;
	long i, j;
	long double p;
	int touch;
} weq;

static long double eq_val(const wctx *w, const weq *e)
{
	long double a = w->x.v[e->a->id][e->i];
	return a - (e->b ? w->x.v[e->b->id][e->j] : e->p);
}

/* How much element (k, j) moves e: |dg/dx| by a difference (NaN: no value). */
static long double sensitivity(wctx *w, const weq *e, int k, long j, long double g0)
{
	witem *t = &w->it[k];
	long double old = t->val[j], h = 1e-4L * (1 + fabsl(old));
	if (!in_range(t, old + h))
		h = -h;
	t->val[j] = old + h;
	long double g1 = isnan(eval(w)) ? NAN : eq_val(w, e);
	t->val[j] = old;
	return fabsl((g1 - g0) / h);
}

/* The output element (item, index) that moves e most, or 0: first the
   elements at e's own index (z - t moves with z's element i), then a few
   others drawn at random. */
static int steer(wctx *w, const weq *e, int *ki, long *kj)
{
	long double best = 0, g0;
	int found = 0;
	if (isnan(eval(w)))
		return 0;
	g0 = eq_val(w, e);
	for (int pass = 0; pass < 2 && !found; pass++)
		for (int m = 0; m < (pass ? 32 : w->nit); m++) {
			int k = pass ? (int)(next_rand(w) % (unsigned long)w->nit) : m;
			witem *t = &w->it[k];
			long j = pass ? (long)(next_rand(w) % (unsigned long)t->len) : t->len == 1 ? 0 : e->i;
			if (!movable(t) || j >= t->len)
				continue;
			long double s = sensitivity(w, e, k, j, g0);
			if (isfinite(s) && s > best) {
				best = s;
				*ki = k;
				*kj = j;
				found = 1;
			}
		}
	return found;
}

/* g along element (k, j) at offset d from x0 */
static long double g_at(wctx *w, const weq *e, witem *t, long j, long double x0, long double d)
{
	t->val[j] = x0 + d;
	if (!in_range(t, t->val[j]) || isnan(eval(w)))
		return NAN;
	return eq_val(w, e);
}

/* Solve e along one output element: a sign change found, then bisection;
   or (touch) the minimum of |g| by parabola steps. */
static int solve_along(wctx *w, const weq *e, int k, long j)
{
	witem *t = &w->it[k];
	long double x0 = t->val[j], g0 = g_at(w, e, t, j, x0, 0);
	if (!isfinite(g0))
		return 0;
	if (e->touch) {
		for (int it = 0; it < 8; it++) {
			long double h = 1e-3L * (1 + fabsl(x0));
			long double gm = g_at(w, e, t, j, x0, -h), gp = g_at(w, e, t, j, x0, h);
			g0 = g_at(w, e, t, j, x0, 0);
			long double c = gm - 2 * g0 + gp;
			if (!isfinite(c) || !(fabsl(c) > 0))
				break;
			long double step = h * (gm - gp) / (2 * c);
			long double g1 = g_at(w, e, t, j, x0, step);
			if (!(fabsl(g1) < fabsl(g0)))
				break;
			x0 += step;
		}
		t->val[j] = x0;
		return isfinite(g_at(w, e, t, j, x0, 0));
	}
	/* a bracket: the secant's guess, then growing steps both ways */
	long double h = 1e-4L * (1 + fabsl(x0));
	long double gh = g_at(w, e, t, j, x0, h);
	long double lo = 0, hi = NAN, glo = g0;
	long double guess = isfinite(gh) && gh != g0 ? -g0 * h / (gh - g0) : h;
	long double tries[24];
	int nt = 0;
	for (int m = 0; m < 8; m++) {
		tries[nt++] = guess * (1 + 0.5L * m);
		tries[nt++] = ldexpl(1, m) * (guess >= 0 ? 1 : -1) * (1 + fabsl(x0));
		tries[nt++] = -ldexpl(1, m) * (guess >= 0 ? 1 : -1) * (1 + fabsl(x0));
	}
	long double ghi = NAN;
	if (g0 == 0) {
		t->val[j] = x0;
		return 1;
	}
	for (int m = 0; m < nt && isnan(hi); m++) {
		long double g = g_at(w, e, t, j, x0, tries[m]);
		if (g == 0)             /* the secant's guess is exact where e is affine */
			return 1;
		if (isfinite(g) && (g < 0) != (g0 < 0)) {
			hi = tries[m];
			ghi = g;
		}
	}
	if (isnan(hi)) {
		t->val[j] = x0;
		return 0;
	}
	/* false position (Illinois), falling back to halving */
	for (int it = 0, side = 0; it < 120; it++) {
		long double mid = lo - glo * (hi - lo) / (ghi - glo);
		if (!(mid > fminl(lo, hi) && mid < fmaxl(lo, hi)) || it % 4 == 3)
			mid = (lo + hi) / 2;
		if (mid == lo || mid == hi)
			break;
		long double g = g_at(w, e, t, j, x0, mid);
		if (!isfinite(g))
			break;
		if (g == 0) {
			lo = hi = mid;
			break;
		}
		if ((g < 0) == (glo < 0)) {
			lo = mid;
			glo = g;
			if (side == -1)
				ghi /= 2;
			side = -1;
		} else {
			hi = mid;
			ghi = g;
			if (side == 1)
				glo /= 2;
			side = 1;
		}
	}
	t->val[j] = x0 + (fabsl(g_at(w, e, t, j, x0, lo)) <= fabsl(g_at(w, e, t, j, x0, hi)) ? lo : hi);
	return isfinite(g_at(w, e, t, j, t->val[j], 0));
}

/* The equations that put node c's own kink at the current point. */
static int kink_equations(wctx *w, const ir_node *c, weq *eq, int max, int trial)
{
	const op_info *row = ops_row(c->op);
	const ir_node *a = c->args[0];
	long la = ireval_len(a);
	int n = 0;
	memset(eq, 0, (size_t)max * sizeof *eq);
	switch (row->smooth) {
	case SM_KINKS: case SM_EDGE: case SM_SPECIAL: {
		double p = ops_kink_inside(row, a);
		if (isnan(p))
			return 0;
		eq[0].a = a;
		eq[0].i = (long)(next_rand(w) % (unsigned long)la);
		eq[0].p = p;
		eq[0].touch = a->iv.lo == p || a->iv.hi == p;
		return 1;
	}
	case SM_KINK_AT_ZERO:
		for (long i = 0; i < la && n < max; i++) {
			eq[n].a = a;
			eq[n].i = i;
			eq[n].touch = a->iv.lo == 0 || a->iv.hi == 0;
			n++;
		}
		return n == la ? n : 0;
	case SM_KINK_AT_TIE:
		if (row->kind == OK_ELEM) {
			const ir_node *b = c->args[1 + next_rand(w) % (c->nargs - 1)];
			eq[0].a = a;
			eq[0].b = b;
			eq[0].i = (long)(next_rand(w) % (unsigned long)la);
			eq[0].j = ireval_len(b) > 1 ? eq[0].i : 0;
			return 1;
		}
		if (la < 2)
			return 0;
		/* two elements of a reduction tie: the two largest, or the two
		   smallest, at the current point */
		if (isnan(eval(w)))
			return 0;
		{
			const long double *v = w->x.v[a->id];
			long i1 = -1, i2 = -1;
			int top = trial % 2 == 0;
			for (long i = 0; i < la; i++) {
				if (i1 < 0 || (top ? v[i] > v[i1] : v[i] < v[i1])) {
					i2 = i1;
					i1 = i;
				} else if (i2 < 0 || (top ? v[i] > v[i2] : v[i] < v[i2])) {
					i2 = i;
				}
			}
			eq[0].a = eq[0].b = a;
			eq[0].i = i1;
			eq[0].j = i2;
			return 1;
		}
	case SM_SMOOTH: case SM_C1:
		return 0;
	}
	return 0;
}

/* The value along element (k, j) is not C1 at the current point: its
   slope jumps, grows without bound, or the value jumps.  Writes what. */
static int jump_along(wctx *w, int k, long j, char *what, size_t size)
{
	enum { NS = 7 };        /* steps from 1e-3 to 1e-9 of the element's size */
	witem *t = &w->it[k];
	long double x0 = t->val[j], f0 = eval(w), S = w->scale;
	long double H = 1e-3L * (1 + fabsl(x0));
	long double fp[NS], fm[NS], h[NS];
	int okp = 1, okm = 1;
	char name[96];
	if (!isfinite(f0))
		return 0;
	for (int s = 0; s < NS; s++) {
		h[s] = H * powl(10, -s);
		t->val[j] = x0 + h[s];
		fp[s] = in_range(t, t->val[j]) ? eval(w) : NAN;
		S = fmaxl(S, w->scale);
		t->val[j] = x0 - h[s];
		fm[s] = in_range(t, t->val[j]) ? eval(w) : NAN;
		S = fmaxl(S, w->scale);
		okp &= isfinite(fp[s]);
		okm &= isfinite(fm[s]);
	}
	t->val[j] = x0;
	if (isnan(eval(w)))
		return 0;
	coord_name(t, j, name, sizeof name);
	/* rounding in a value: long double's 1e-19 per operation, allowed
	   1e-17 (relative to the largest term) and 16 terms of it */
	long double noise = 1e-17L * 16 * (S + 1e-300L);
	if (okp && okm) {
		long double J[NS], D[NS];
		int kink = 1, step = 1;
		for (int s = 0; s < NS; s++) {
			J[s] = (fp[s] - 2 * f0 + fm[s]) / h[s];
			D[s] = fp[s] - fm[s];
			kink &= fabsl(J[s]) > 100 * noise / h[s] && (J[s] > 0) == (J[0] > 0)
				&& fabsl(J[s] - J[0]) <= 0.01L * fabsl(J[0]);
			step &= fabsl(D[s]) > 100 * noise && (D[s] > 0) == (D[0] > 0)
				&& fabsl(D[s] - D[0]) <= 0.01L * fabsl(D[0]);
		}
		if (step) {
			snprintf(what, size, "the value jumps by %.6Lg across %s", D[NS - 1], name);
			return 1;
		}
		if (kink) {
			int s = NS - 1;
			snprintf(what, size, "the slope in %s jumps from %.4Lg to %.4Lg", name,
				 (f0 - fm[s]) / h[s], (fp[s] - f0) / h[s]);
			return 1;
		}
	}
	/* an infinite slope: one-sided difference quotients that grow by more
	   than twice per decade, six decades running */
	for (int side = 0; side < 2; side++) {
		const long double *f = side ? fm : fp;
		if (!(side ? okm : okp))
			continue;
		int grows = 1;
		long double q[NS];
		for (int s = 0; s < NS; s++) {
			q[s] = (f[s] - f0) / h[s];
			grows &= fabsl(f[s] - f0) > 100 * noise && (q[s] > 0) == (q[0] > 0)
				&& (s == 0 || fabsl(q[s]) > 2 * fabsl(q[s - 1]));
		}
		if (grows) {
			snprintf(what, size, "the slope in %s grows without bound (%.6Lg at a step of %.0Le)",
				 name, q[NS - 1], h[NS - 1]);
			return 1;
		}
	}
	return 0;
}

int witness_kink(const ir_loss *l, char *buf, size_t size)
{
	wctx w;
	weq eq[64];
	const ir_node *cul[16];
	int ncul = 0, found = 0;
	if (!wctx_init(&w, l))
		return 0;
	for (size_t i = 0; i < l->nnodes && ncul < 16; i++) {
		const ir_node *n = l->nodes[i];
		if (n->curv != CURV_CONST && ops_own_kink(n))
			cul[ncul++] = n;
	}
	for (int trial = 0; trial < 24 && !found && ncul > 0 && w.evals < w.max_evals; trial++) {
		const ir_node *c = cul[trial % ncul];
		int ki[64];
		long kj[64];
		int used = 0;
		w.level = trial < 2 * ncul ? trial / ncul : 2;
		draw_point(&w);
		int ne = kink_equations(&w, c, eq, 64, trial / ncul);
		if (ne == 0)
			continue;
		/* an equation whose side cannot cross p (a sum of squares at
		   0) is met by minimizing over every free element */
		for (int e = 0; e < ne; e++)
			for (int sweep = 0; eq[e].touch && sweep < 3; sweep++)
				for (int k = 0; k < w.nit; k++)
					for (long j = 0; movable(&w.it[k]) && j < w.it[k].len && j < 256; j++)
						if (solve_along(&w, &eq[e], k, j) && sweep == 0 && used < 64) {
							ki[used] = k;
							kj[used++] = j;
						}
		for (int sweep = 0; sweep < 2; sweep++)
			for (int e = 0; e < ne; e++) {
				if (eq[e].touch)
					continue;
				if (isnan(eval(&w)) || (sweep > 0 && eq_val(&w, &eq[e]) == 0))
					continue;
				if (!steer(&w, &eq[e], &ki[used < 64 ? used : 63], &kj[used < 64 ? used : 63]))
					continue;
				if (solve_along(&w, &eq[e], ki[used < 64 ? used : 63], kj[used < 64 ? used : 63])
				    && used < 64)
					used++;
			}
		/* the point must be on c's kink site (every equation met), and
		   the jump is looked for only along the elements that moved onto
		   it: a witness is a kink of c, not a steep but smooth stretch
		   elsewhere */
		char what[256], at[512];
		int on_site = !isnan(eval(&w));
		for (int e = 0; e < ne && on_site; e++) {
			long double a = w.x.v[eq[e].a->id][eq[e].i];
			long double rhs = eq[e].b ? w.x.v[eq[e].b->id][eq[e].j] : eq[e].p;
			on_site = fabsl(a - rhs) <= 1e-12L * (1 + fabsl(a) + fabsl(rhs));
		}
		for (int u = used - 1; on_site && u >= 0 && !found; u--)
			found = jump_along(&w, ki[u], kj[u], what, sizeof what);
		if (found) {
			describe(&w, at, sizeof at);
			snprintf(buf, size, "at %s %s", at, what);
		}
	}
	wctx_free(&w);
	return found;
}

/* ---- nonnegative: a point below 0 ---- */

int witness_negative(const ir_loss *l, char *buf, size_t size)
{
	wctx w;
	int found = 0;
	double best = HUGE_VAL;
	if (!wctx_init(&w, l))
		return 0;
	for (int trial = 0, until = 2000; trial < until && w.evals < w.max_evals; trial++) {
		w.level = trial < 200 ? trial * 3 / 200 : 2;
		draw_point(&w);
		long double v = eval(&w);
		if (!isfinite(v) || !(v < -W_ROUND * 1e3L * (1 + w.scale)))
			continue;
		double score = point_score(&w, 0);
		if (score >= best)
			continue;
		if (!found)
			until = trial + 300 < until ? trial + 300 : until;
		best = score;
		found = 1;
		char at[800];
		describe(&w, at, sizeof at);
		snprintf(buf, size, "at %s the value is %.6Lg", at, v);
	}
	wctx_free(&w);
	return found;
}

/* ---- convex: a midpoint above the chord ---- */

int witness_nonconvex(const ir_loss *l, char *buf, size_t size)
{
	wctx w;
	int found = 0;
	if (!wctx_init(&w, l))
		return 0;
	long nout = 0;
	for (int k = 0; k < w.nit; k++)
		if (movable(&w.it[k]))
			nout += w.it[k].len;
	long double *xa = xmalloc((size_t)(nout ? nout : 1) * sizeof *xa);
	long double *xb = xmalloc((size_t)(nout ? nout : 1) * sizeof *xb);
	/* draw from simple values first; once a witness is found, search a
	   while longer for a simpler one (smaller values, fewer nonzero) */
	double best = HUGE_VAL;
	int until = 3000;
	for (int trial = 0; trial < until && nout > 0 && w.evals + 3 <= w.max_evals; trial++) {
		long m = 0;
		w.level = trial < 400 ? 1 : 2;
		draw_point(&w);
		for (int k = 0; k < w.nit; k++)
			for (long j = 0; movable(&w.it[k]) && j < w.it[k].len; j++)
				xa[m++] = w.it[k].val[j];
		/* the second point: one element changed, or all drawn anew */
		m = 0;
		long one = trial % 2 ? (long)(next_rand(&w) % (unsigned long)nout) : -1;
		w.level = 2;
		for (int k = 0; k < w.nit; k++)
			for (long j = 0; movable(&w.it[k]) && j < w.it[k].len; j++, m++)
				xb[m] = one < 0 || one == m ? real_value(&w, &w.it[k]) : xa[m];
		long double f[3], S = 0;
		for (int p = 0; p < 3; p++) {
			m = 0;
			for (int k = 0; k < w.nit; k++)
				for (long j = 0; movable(&w.it[k]) && j < w.it[k].len; j++, m++)
					w.it[k].val[j] = p == 0 ? xa[m] : p == 1 ? xb[m] : (xa[m] + xb[m]) / 2;
			f[p] = eval(&w);
			S = fmaxl(S, w.scale);
		}
		long double chord = (f[0] + f[1]) / 2;
		if (!isfinite(f[0]) || !isfinite(f[1]) || !isfinite(f[2])
		    || !(f[2] - chord > W_ROUND * 1e3L * (1 + S)))
			continue;
		double score = point_score(&w, 1);
		for (long j = 0; j < nout; j++)
			score = score_add(score, fmaxl(fabsl(xa[j]), fabsl(xb[j])), (xa[j] != 0) + (xb[j] != 0));
		if (score >= best)
			continue;
		best = score;
		if (!found)
			until = trial + 400 < until ? trial + 400 : until;
		char pa[400], pb[400];
		for (int p = 0; p < 2; p++) {
			m = 0;
			for (int k = 0; k < w.nit; k++)
				for (long j = 0; movable(&w.it[k]) && j < w.it[k].len; j++, m++)
					w.it[k].val[j] = p == 0 ? xa[m] : xb[m];
			describe(&w, p ? pb : pa, sizeof pa);
		}
		/* + 0: a value of -0 reads "0" */
		snprintf(buf, size, "at %s the value is %.6Lg, at %s it is %.6Lg, and halfway between it is %.6Lg, "
			 "above their mean %.6Lg", pa, f[0] + 0, pb, f[1] + 0, f[2] + 0, chord + 0);
		found = 1;
	}
	free(xa);
	free(xb);
	wctx_free(&w);
	return found;
}

/* ---- bounded: a convex value that grows along a ray ---- */

int witness_unbounded(const ir_loss *l, char *buf, size_t size)
{
	wctx w;
	int found = 0, sign;
	ir_curv c = l->root ? l->root->curv : CURV_UNKNOWN;
	if (dcp_is_convex(c) && c != CURV_AFFINE && c != CURV_CONST)
		sign = 1;
	else if (c == CURV_CONCAVE)
		sign = -1;
	else if (c == CURV_AFFINE)
		sign = 0;       /* either way */
	else
		return 0;
	if (!wctx_init(&w, l))
		return 0;
	/* the ray: from a drawn point, every free element moved by s d_j, where
	   d_j is +1, -1 or 0 and the range lets the element go that way */
	for (int trial = 0; trial < 64 && !found && w.evals < w.max_evals; trial++) {
		w.level = trial < 6 ? trial / 3 : 2;
		draw_point(&w);
		long double *base[W_MAXITEMS], *dir[W_MAXITEMS];
		int any = 0;
		for (int k = 0; k < w.nit; k++) {
			witem *t = &w.it[k];
			base[k] = dir[k] = NULL;
			if (!movable(t) || is_range(t) || t->item->type.kind != TY_REAL)
				continue;
			base[k] = xmalloc((size_t)t->len * sizeof **base);
			dir[k] = xmalloc((size_t)t->len * sizeof **dir);
			long one = trial % 3 == 0 ? (long)(next_rand(&w) % (unsigned long)t->len) : -1;
			for (long j = 0; j < t->len; j++) {
				base[k][j] = t->val[j];
				dir[k][j] = one >= 0 && one != j ? 0 : next_rand(&w) % 2 ? 1 : -1;
				any |= dir[k][j] != 0;
			}
		}
		long double f1 = NAN, s1 = 0;
		for (int e = 0; any && e <= 40 && !found; e += 4) {
			long double s = ldexpl(1, e);
			for (int k = 0; k < w.nit; k++)
				for (long j = 0; base[k] && j < w.it[k].len; j++)
					w.it[k].val[j] = base[k][j] + s * dir[k][j];
			long double f = eval(&w), S = w.scale;
			if (!isfinite(f))
				break;
			if (e == 0) {
				f1 = f;
				s1 = s;
				continue;
			}
			long double rise = f - f1;
			int up = sign >= 0 && rise > W_ROUND * 1e3L * (1 + S);
			int down = sign <= 0 && -rise > W_ROUND * 1e3L * (1 + S);
			if (!up && !down)
				continue;
			/* the ray must stay where the value is defined: a domain
			   that ends further out (sqrt(20 - u)) would bound it */
			long double last = f;
			int defined = 1;
			for (int e2 = e + 4; e2 <= 40 && defined; e2 += 4) {
				for (int k = 0; k < w.nit; k++)
					for (long j = 0; base[k] && j < w.it[k].len; j++)
						w.it[k].val[j] = base[k][j] + ldexpl(1, e2) * dir[k][j];
				long double g = eval(&w);
				defined = isfinite(g) && (up ? g >= last : g <= last);
				last = g;
			}
			if (!defined)
				break;
			for (int k = 0; k < w.nit; k++)
				for (long j = 0; base[k] && j < w.it[k].len; j++)
					w.it[k].val[j] = base[k][j] + s * dir[k][j];
			char p1[400], p2[400];
			describe(&w, p2, sizeof p2);
			for (int k = 0; k < w.nit; k++)
				for (long j = 0; base[k] && j < w.it[k].len; j++)
					w.it[k].val[j] = base[k][j] + s1 * dir[k][j];
			describe(&w, p1, sizeof p1);
			snprintf(buf, size, "at %s the value is %.6Lg, at %s it is %.6Lg; the value is %s in the outputs, "
				 "so it %s without bound along the ray from the first point through the second",
				 p1, f1, p2, f, sign > 0 ? "convex" : sign < 0 ? "concave" : "affine", up ? "grows" : "falls");
			found = 1;
		}
		for (int k = 0; k < w.nit; k++) {
			free(base[k]);
			free(dir[k]);
		}
	}
	wctx_free(&w);
	return found;
}

/* ---- named sizes: the searches at bound sizes ---- */

enum { W_BINDINGS = 6 };

/* The sizes a binding sets: l->sizes, then the batch when a row is as
   long as the batch (l->rows, bound after the sizes: ir_bind). */
static size_t nsized(const ir_loss *l)
{
	return l->nsizes + (l->rows != NULL);
}

static const ast_item *sized(const ir_loss *l, size_t i)
{
	return i < l->nsizes ? l->sizes[i] : l->rows;
}

/* Binding number `which` of the schedule in witness.h into bound; 0 when
   it repeats an earlier one (one size: "each different" is "each one
   more"). */
static int binding(const ir_loss *l, int which, long *bound)
{
	size_t k = nsized(l);
	static const long add[W_BINDINGS] = { 0, 1, 1, 1, 3, 8 };
	if (k < 2 && (which == 2 || which == 3))
		return 0;
	for (size_t i = 0; i < k; i++) {
		long lo = ir_min_size(l, sized(l, i));
		bound[i] = lo + add[which] + (which == 2 ? (long)i : which == 3 ? (long)(k - 1 - i) : 0);
	}
	return 1;
}

int witness_sized(const ir_loss *l, witness_search *search, char *buf, size_t size, char *sizes, size_t ssize)
{
	sizes[0] = '\0';
	if (!nsized(l))
		return search(l, buf, size);
	int found = 0;
	long *bound = xmalloc(nsized(l) * sizeof *bound);
	for (int which = 0; which < W_BINDINGS && !found; which++) {
		if (!binding(l, which, bound))
			continue;
		arena *ar = arena_new();
		found = search(ir_bind(l, bound, ar), buf, size);
		arena_free(ar);
	}
	if (found) {
		size_t off = 0;
		for (size_t i = 0; i < nsized(l) && off < ssize; i++) {
			int w = snprintf(sizes + off, ssize - off, "%s%s = %ld", i ? ", " : "", sized(l, i)->name.s, bound[i]);
			if (w < 0)
				break;
			off += (size_t)w;
		}
	}
	free(bound);
	return found;
}
