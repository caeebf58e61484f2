/*
 * agree.c: checks (a), (b), (c) and (e) of the agreement tests on one
 * random program (see agree.h).
 */
#include "agree.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "arena.h"
#include "ireval.h"
#include "ops.h"
#include "parse.h"
#include "resolve.h"

typedef long double ld;

/* ---- lowering ------------------------------------------------------------ */

int ag_lower(const char *text, ag_lowered *out)
{
	memset(out, 0, sizeof *out);
	source *src = calloc(1, sizeof *src);
	diag_list diags;
	if (!src)
		abort();
	source_from_buffer(src, "agree.loss", text, strlen(text));
	diag_list_init(&diags);
	ast_file *f = parse_source(src, &diags, 5);
	out->src = src;
	out->file = f;
	if (f->syntax_errors == 0)
		resolve_file(f, &diags);
	arena *ar = arena_new();
	out->ar = ar;
	if (f->syntax_errors == 0 && f->decls && f->decls->next)
		out->l = ir_lower(f, f->decls->next, ar, &diags);
	for (size_t i = 0; i < diags.n; i++)
		if (diags.items[i].sev == SEV_ERROR && !out->why[0])
			snprintf(out->why, sizeof out->why, "%s: %s", diags.items[i].code, diags.items[i].message);
	diag_list_free(&diags);
	if (out->why[0] || !out->l || !out->l->root) {
		if (!out->why[0])
			snprintf(out->why, sizeof out->why, "no value");
		return -1;
	}
	analyze_loss(out->l);
	return 0;
}

void ag_lowered_free(ag_lowered *x)
{
	if (x->ar)
		arena_free(x->ar);
	if (x->file)
		ast_file_free(x->file);
	if (x->src) {
		source_free(x->src);
		free(x->src);
	}
	memset(x, 0, sizeof *x);
}

/* ---- points ---------------------------------------------------------------- */

static int leaf_index(const ag_prog *p, const char *name)
{
	for (int i = 0; i < p->nleaves; i++)
		if (!strcmp(p->leaves[i].name, name))
			return i;
	return -1;
}

void ag_set_leaves(const ag_prog *p, const ir_loss *l, ir_values *x, ld (*vals)[64])
{
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		if (!n->item || n->op == IR_CONST)
			continue;
		int k = leaf_index(p, n->item->name.s);
		if (k < 0)
			continue;
		for (long j = 0; j < ireval_len(n); j++)
			x->v[i][j] = vals[k][j];
	}
}

/* Magnitudes worth trying at an edge. */
static const double edge_values[] = { 0, 1e-300, -1e-300, 1e-30, -1e-30, 1, -1, 1e3, -1e3, 1e10, -1e10,
				      1e200, -1e200, 0.5, -0.5, 2 };

static double clampd(double v, const ag_leaf *l)
{
	if (!l->ranged)
		return v;
	return v < l->lo ? l->lo : v > l->hi ? l->hi : v;
}

static double real_value(const ag_prog *p, ag_src *s, const ag_leaf *l, int edge)
{
	if (!edge) {
		if (l->ranged)
			return l->lo + (l->hi - l->lo) * ag_unif(s);
		double u = ag_unif(s);
		return ag_pick(s, 3) ? 6 * u - 3 : (ag_pick(s, 2) ? 1 : -1) * pow(10, 6 * u - 3);
	}
	unsigned k = ag_pick(s, 4);
	if (l->ranged && k == 0)
		return ag_pick(s, 2) ? l->lo : l->hi;
	if (p->nedges && k == 1)
		return clampd(p->edges[ag_pick(s, (unsigned)p->nedges)], l);
	return clampd(edge_values[ag_pick(s, sizeof edge_values / sizeof edge_values[0])], l);
}

void ag_draw_point(const ag_prog *p, ag_src *s, int edge, ld (*vals)[64])
{
	for (int i = 0; i < p->nleaves; i++) {
		const ag_leaf *l = &p->leaves[i];
		int len = l->vec || l->type == AG_PROB ? p->n : 1;
		/* the rest 0: a longer leaf of an earlier program left there
		   (1e400, beyond double) made agree_compile drop every point */
		for (int j = len; j < 64; j++)
			vals[i][j] = 0;
		switch (l->type) {
		case AG_CLASS: vals[i][0] = ag_pick(s, (unsigned)p->n); break;
		case AG_SIGN: vals[i][0] = ag_pick(s, 2) ? 1 : -1; break;
		case AG_BINARY: vals[i][0] = ag_pick(s, 2); break;
		case AG_PROB: {
			ld sum = 0;
			for (int j = 0; j < len; j++) {
				vals[i][j] = edge && ag_pick(s, 3) == 0 ? 0 : ag_unif(s);
				sum += vals[i][j];
			}
			if (sum == 0) {
				vals[i][0] = 1;
				sum = 1;
			}
			for (int j = 0; j < len; j++)
				vals[i][j] /= sum;
			break;
		}
		default:
			for (int j = 0; j < len; j++)
				vals[i][j] = j && edge && ag_pick(s, 3) == 0 ? vals[i][j - 1]    /* a tie */
					: real_value(p, s, l, edge);
		}
	}
}

/* ---- the checks -------------------------------------------------------------- */

typedef struct actx {
	const ag_prog *p;
	ag_src *s;
	ag_stats *st;
	FILE *log;
	int printed;            /* the program was printed */
	int failures;
	const ir_loss *l;
	ir_values x;
	unsigned char *domain;  /* per node: the analyzer says an operand may leave its domain */
	unsigned char *bad;     /* per node: this point's value is not to be trusted */
	ld *mag;                /* per node: the largest |value| in its sub-DAG here */
	ld **err;               /* per node and element: a bound on the evaluation's
	                           rounding error here, in units of the precision's
	                           rounding unit (errbound) */
} actx;

static void fail(actx *a, const char *what, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(actx *a, const char *what, const char *fmt, ...)
{
	va_list ap;
	a->failures++;
	a->st->failures++;
	if (!a->log)
		return;
	if (!a->printed) {
		fprintf(a->log, "---- program\n%s", a->p->text);
		a->printed = 1;
	}
	fprintf(a->log, "FAIL (%s) ", what);
	va_start(ap, fmt);
	vfprintf(a->log, fmt, ap);
	va_end(ap);
	fputc('\n', a->log);
	/* the point: every node's value (and adjoint, when computed) */
	for (size_t i = 0; a->l && i < a->l->nnodes; i++) {
		char b[100];
		ir_to_string(a->l->nodes[i], b, sizeof b);
		fprintf(a->log, "    n%zu %s =", i, b);
		for (long j = 0; j < ireval_len(a->l->nodes[i]); j++)
			fprintf(a->log, " %.6Lg", a->x.v[i][j]);
		if (a->x.g && a->x.dep[i]) {
			fprintf(a->log, "  (adjoint");
			for (long j = 0; j < ireval_len(a->l->nodes[i]); j++)
				fprintf(a->log, " %.6Lg", a->x.g[i][j]);
			fprintf(a->log, ")");
		}
		fputc('\n', a->log);
	}
}

static void node_str(const ir_node *n, char *buf, size_t size)
{
	ir_to_string(n, buf, size < 100 ? size : 100);
}

/* How far v lies outside iv (0: inside). */
static ld outside_by(ival iv, ld v)
{
	return v < (ld)iv.lo ? (ld)iv.lo - v : v > (ld)iv.hi ? v - (ld)iv.hi : 0;
}

/* What rounding can account for: the interval's own double arithmetic
   (relative to the sizes involved), the evaluator's rounding of terms as
   large as mag (log_softmax of a dominant element is -2e-22 but computes
   as 0 next to logits of 50), and double's underflow. */
static ld rounding(ival iv, ld v, ld err)
{
	ld end = v < (ld)iv.lo ? fabsl((ld)iv.lo) : fabsl((ld)iv.hi);
	return 1e-10L * (end + fabsl(v)) + 4 * LDBL_EPSILON * err + 1e-290L;
}

/* v sits on an end the interval excludes (or is 0 where it excludes 0):
   rounding in long double (an underflow to 0) reached a value the
   mathematics never takes */
static int excluded_end(ival iv, ld v)
{
	return (v == (ld)iv.lo && iv.lo_open) || (v == (ld)iv.hi && iv.hi_open) || (v == 0 && iv.nonzero);
}

/* Within 1e-11 of each other (of 1 near 0): a kink or tie that close is
   narrower than the smallest difference step (1e-13 of the variable),
   which would step over it: max(min(1e-30, o), -1e-30) has slope 1 in o
   only for |o| < 1e-30 (found by the long run). */
static int close_to(ld u, ld w)
{
	return fabsl(u - w) <= 1e-11L * fmaxl(1, fmaxl(fabsl(u), fabsl(w)));
}

/*
 * How much an error in operand k can move an elementwise op here: the
 * largest slope within that error, not only the slope at the point.
 * log_cosh at 0 has slope 0, but its operand computed 2.3e-17 off (a
 * constant folded to double: logsumexp of [-log 2, -log 2]) gives 2.7e-34,
 * and relu at -1e-17 has slope 0 while 2e-16 higher it has slope 1 (both
 * found by fuzz_agree, the folded and the computed program disagreeing).
 * The error is taken in double's unit (folding's; the larger), the slope
 * at both ends of it; at a kink of operand 0 both one-sided slopes; at a
 * tie of min, max or clamp, whose slopes are 0 or 1, at least 1.
 */
static ld elem_slope(const op_info *r, unsigned nargs, unsigned k, const ld *xs, ld ek, ld v)
{
	ld d = fabsl(r->partial((int)k, xs, v)), side[OP_MAX_ARGS];
	ld h = DBL_EPSILON * ek;
	for (unsigned q = 0; q < nargs; q++)
		side[q] = xs[q];
	if (h > 0 && isfinite(h))
		for (int sgn = -1; sgn <= 1; sgn += 2) {
			side[k] = xs[k] + sgn * h;
			ld ds = fabsl(r->partial((int)k, side, r->eval(side)));
			if (isfinite(ds))
				d = fmaxl(d, ds);
		}
	side[k] = xs[k];
	if (k == 0)
		for (const double *p = r->kinks; p && !isnan(*p); p++)
			if (close_to(xs[0], *p)) {
				ld hk = 1e-9L * fmaxl(1, fabsl((ld)*p));
				for (int sgn = -1; sgn <= 1; sgn += 2) {
					side[0] = (ld)*p + sgn * hk;
					ld ds = fabsl(r->partial(0, side, r->eval(side)));
					if (isfinite(ds))
						d = fmaxl(d, ds);
				}
			}
	if (r->smooth == SM_KINK_AT_TIE)
		for (unsigned q = 0; q < nargs; q++)
			if (q != k && close_to(xs[k], xs[q]))
				d = fmaxl(d, 1);
	return d;
}

/*
 * A forward bound on the rounding error of every node at this point, in
 * units of the rounding unit u of whatever precision computes it: an op
 * adds a few units of its own value (a reduction, its length times its
 * terms' size) and passes its operands' errors on through its partials.
 * A value whose bound is large next to it is ill-conditioned here
 * (cancellation, log1p(-1 + tiny)); the checks widen their margins by it
 * (u * err), and where it is infinite (an infinite slope) they skip.
 */
static void errbound(actx *a)
{
	const ir_loss *l = a->l;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		const op_info *r = &ops[n->op];
		ld *e = a->err[i], *v = a->x.v[i];
		long len = ireval_len(n);
		switch (r->kind) {
		case OK_LEAF:
			for (long j = 0; j < len; j++)
				e[j] = 0;       /* inputs and constants are exact */
			break;
		case OK_ELEM:
			for (long j = 0; j < len; j++) {
				ld xs[OP_MAX_ARGS], b = 8 * fabsl(v[j]);
				for (unsigned k = 0; k < n->nargs; k++)
					xs[k] = a->x.v[n->args[k]->id][ireval_len(n->args[k]) > 1 ? j : 0];
				for (unsigned k = 0; k < n->nargs; k++) {
					ld ek = a->err[n->args[k]->id][ireval_len(n->args[k]) > 1 ? j : 0];
					ld dk = elem_slope(r, n->nargs, k, xs, ek, v[j]);
					if (ek != 0)
						b += dk * ek;
					/* an op of several operands is computed in steps
					   (bce_elem(0.5, t) = t log 0.5 + (1 - t) log 0.5
					   cancels to log 2 for t = 200, 1e-17 off in long
					   double): its result is the exact one at operands a
					   few units off (found by the long run) */
					if (n->nargs > 1 && isfinite(dk))
						b += 4 * dk * fabsl(xs[k]);
				}
				e[j] = isnan(b) ? HUGE_VALL : b;
			}
			break;
		case OK_VEC:
			for (unsigned k = 0; k < n->nargs; k++)
				e[k] = a->err[n->args[k]->id][0];
			break;
		case OK_INDEX: {
			ld c = a->x.v[n->args[1]->id][0];
			e[0] = c >= 0 && c < ireval_len(n->args[0]) ? a->err[n->args[0]->id][(long)c] : 0;
			break;
		}
		case OK_CROSS:
			abort();        /* the random programs are row-wise: never made */
		case OK_REDUCE: case OK_VECTOR: case OK_BATCH: {   /* OK_BATCH: a batch of this one row */
			/* |d out / d x_j| from the adjoint of a unit upstream (a scalar
			   result); vector results: twice the largest operand error */
			long m = ireval_len(n->args[0]);
			ld terms = 0, prop = 0, emax = 0;
			for (unsigned k = 0; k < n->nargs && k < 2; k++)
				for (long j = 0; j < ireval_len(n->args[k]); j++) {
					terms += fabsl(a->x.v[n->args[k]->id][j]);
					emax = fmaxl(emax, a->err[n->args[k]->id][j]);
				}
			if (r->kind == OK_REDUCE && n->args[0]->type == IRT_REAL) {
				ld g0[64] = { 0 }, g1[64] = { 0 }, one = 1;
				ld *gx[2] = { g0, n->nargs > 1 ? g1 : NULL };
				long lens[2] = { ir_len(n->args[0]), n->nargs > 1 ? ir_len(n->args[1]) : 0 };
				const ld *xs[2] = { a->x.v[n->args[0]->id], n->nargs > 1 ? a->x.v[n->args[1]->id] : NULL };
				op_vargs va = { n->nargs, lens, xs, 0, 0 };
				if (m <= 64) {
					r->vgrad(&va, v, &one, gx);
					for (long j = 0; j < m; j++) {
						prop += fabsl(g0[j]) * a->err[n->args[0]->id][j];
						if (n->nargs > 1)
							prop += fabsl(g1[j]) * a->err[n->args[1]->id][j];
					}
				} else {
					prop = 2 * emax * m;
				}
				e[0] = (m + 8) * (fabsl(v[0]) + terms) + prop;
			} else {
				for (long j = 0; j < len; j++)
					e[j] = (m + 8) * (fabsl(v[j]) + terms) + 2 * emax;
			}
			break;
		}
		}
	}
}

/* (a) at the current point: fills bad[] and mag[]. */
static void check_intervals(actx *a)
{
	char e[128], iv[64];
	const ir_loss *l = a->l;
	errbound(a);
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		const ld *v = a->x.v[i];
		long len = ireval_len(n);
		int opbad = 0;
		a->bad[i] = 0;
		a->mag[i] = 0;
		for (unsigned k = 0; k < n->nargs; k++) {
			opbad |= a->bad[n->args[k]->id];
			a->mag[i] = fmaxl(a->mag[i], a->mag[n->args[k]->id]);
		}
		for (long j = 0; j < len; j++)
			if (isfinite(v[j]))
				a->mag[i] = fmaxl(a->mag[i], fabsl(v[j]));
		if (opbad) {
			a->bad[i] = 1;
			continue;
		}
		if (n->assumed) {
			/*
			 * Lowered inside a where() branch that assumes what its
			 * condition says of this value (ir.c, branch_enter): where
			 * the value breaks the assumption, the condition does not
			 * take this branch, and the branch's intervals (narrowed by
			 * it) say nothing here.  Its nodes are not checked here.
			 */
			for (long j = 0; j < len && !a->bad[i]; j++)
				if (outside_by(n->assume, v[j]) > 0 || excluded_end(n->assume, v[j]))
					a->bad[i] = 1;
			if (a->bad[i]) {
				a->st->branch_untaken++;
				continue;
			}
		}
		if (n->type == IRT_CLASS || ops[n->op].kind == OK_LEAF)
			continue;
		a->st->nodes_checked++;
		for (long j = 0; j < len && !a->bad[i]; j++) {
			a->st->interval_checks++;
			if (!isfinite(a->err[i][j]) && isfinite(v[j])) {
				a->bad[i] = 1;          /* an infinite slope upstream: nothing to trust */
				a->st->ill_conditioned++;
				break;
			}
			if (isnan(v[j])) {
				/* NaN from operands the evaluator trusts: only where the
				   analyzer said the operands may leave the op's domain */
				if (a->domain[i])
					a->st->domain_points++;
				else {
					node_str(n, e, sizeof e);
					fail(a, "a", "%s is NaN here, but the analyzer saw no domain issue (interval %s)", e,
					     iv_str(n->iv, iv, sizeof iv));
				}
				a->bad[i] = 1;
			} else if (isinf(v[j])) {
				if (a->domain[i])
					a->st->domain_points++;
				else if (v[j] > 0 ? isinf(n->iv.hi) : isinf(n->iv.lo))
					a->st->beyond_ld++;     /* beyond long double, and the interval is unbounded */
				else {
					node_str(n, e, sizeof e);
					fail(a, "a", "%s is %Lg here, outside its interval %s", e, v[j], iv_str(n->iv, iv, sizeof iv));
				}
				a->bad[i] = 1;
			} else if (outside_by(n->iv, v[j]) > 0 && outside_by(n->iv, v[j]) <= rounding(n->iv, v[j], a->err[i][j])) {
				a->st->ill_conditioned++;       /* rounding at an end: trust no further */
				a->bad[i] = 1;
			} else if (outside_by(n->iv, v[j]) > 0 && a->domain[i]) {
				/* the interval covers the op's domain; the analyzer warned
				   that the operands may leave it, and here they do */
				a->st->domain_points++;
				a->bad[i] = 1;
			} else if (outside_by(n->iv, v[j]) > 0) {
				node_str(n, e, sizeof e);
				fail(a, "a", "%s is %.17Lg here (element %ld), outside its interval %s", e, v[j], j,
				     iv_str(n->iv, iv, sizeof iv));
				a->bad[i] = 1;
			} else if (excluded_end(n->iv, v[j])) {
				a->st->ill_conditioned++;       /* an underflow to an end the math never reaches */
				a->bad[i] = 1;
			} else if (fabsl(v[j]) > DBL_MAX) {
				a->bad[i] = 1;                  /* finite, beyond double: trust no further */
				a->st->beyond_ld++;
			}
		}
	}
}

/* The outputs' elements: (node id, element) of every use, grouped by name. */
typedef struct ovar {
	int leaf, elem;
	ld lo, hi;              /* its declared range (or none: infinite) */
} ovar;

static int output_vars(actx *a, ovar *v, int max)
{
	int n = 0;
	for (int i = 0; i < a->p->nleaves; i++) {
		const ag_leaf *L = &a->p->leaves[i];
		if (L->kind != AG_OUTPUT)
			continue;
		for (int j = 0; j < (L->vec ? a->p->n : 1) && n < max; j++) {
			v[n].leaf = i;
			v[n].elem = j;
			v[n].lo = L->ranged ? L->lo : -HUGE_VALL;
			v[n].hi = L->ranged ? L->hi : HUGE_VALL;
			n++;
		}
	}
	return n;
}

static void eval_at(actx *a, ld (*vals)[64])
{
	ag_set_leaves(a->p, a->l, &a->x, vals);
	ireval_forward(&a->x);
}

/* The root's value, or NaN when this point is not to be trusted. */
static ld root_at(actx *a, ld (*vals)[64])
{
	eval_at(a, vals);
	check_intervals(a);
	return a->bad[a->l->root->id] ? NAN : a->x.v[a->l->root->id][0];
}

/* A row's gradient convention (a clamp) is in force somewhere here. */
static int convention_here(actx *a)
{
	for (size_t i = 0; i < a->l->nnodes; i++) {
		const ir_node *n = a->l->nodes[i];
		const op_info *r = &ops[n->op];
		if (!r->convention)
			continue;
		for (long j = 0; j < ireval_len(n); j++) {
			ld xs[OP_MAX_ARGS];
			for (unsigned k = 0; k < n->nargs; k++)
				xs[k] = a->x.v[n->args[k]->id][ireval_len(n->args[k]) > 1 ? j : 0];
			if (r->convention(xs))
				return 1;
		}
	}
	return 0;
}

/* Some op sits at one of its kinks here: an operand at a kink point of
   its row, two operands or two extreme elements tied, a zero divisor or
   power base.  The gradient there is a convention (lossspec(5),
   GRADIENTS), and a composition of conventions need not be the
   derivative of a composition that happens to be smooth:
   min(relu(x), x) is x, but at x = 0 the conventions give 0. */
static int kink_here(actx *a)
{
	for (size_t i = 0; i < a->l->nnodes; i++) {
		const ir_node *n = a->l->nodes[i];
		const op_info *r = &ops[n->op];
		if (!a->x.dep[i] || n->nargs == 0)
			continue;
		const ld *x0 = a->x.v[n->args[0]->id];
		long m = ireval_len(n->args[0]);
		if (r->kind == OK_ELEM) {
			for (long j = 0; j < ireval_len(n); j++) {
				ld u = x0[m > 1 ? j : 0];
				ld w = n->nargs > 1 ? a->x.v[n->args[1]->id][ireval_len(n->args[1]) > 1 ? j : 0] : 1;
				for (const double *p = r->kinks; p && !isnan(*p); p++)
					if (close_to(u, *p))
						return 1;
				/* any two operands tied: clamp(x, lo, hi) has kinks at
				   x = lo and at x = hi (found by fuzz_agree: x = hi =
				   1e200 gave slope 1 by the row's convention, 0 by
				   differences), and between lo and hi where they cross */
				if (r->smooth == SM_KINK_AT_TIE)
					for (unsigned p = 0; p < n->nargs; p++)
						for (unsigned q = p + 1; q < n->nargs; q++) {
							const ir_node *np = n->args[p], *nq = n->args[q];
							ld vp = a->x.v[np->id][ireval_len(np) > 1 ? j : 0];
							ld vq = a->x.v[nq->id][ireval_len(nq) > 1 ? j : 0];
							if (close_to(vp, vq))
								return 1;
						}
				if ((r->smooth == SM_SPECIAL && close_to(u, 0)) || (r->kink_rule && close_to(w, 0)))
					return 1;
				/* off the domain the analyzer warned of, the op is not
				   differentiable even where its value is finite: (-1)^o at
				   o = -1e10 is 1, and its slope in o, log(-1), NaN (found
				   by fuzz_agree) */
				if (a->domain[i]) {
					ld xs[OP_MAX_ARGS];
					for (unsigned k = 0; k < n->nargs; k++)
						xs[k] = a->x.v[n->args[k]->id][ireval_len(n->args[k]) > 1 ? j : 0];
					for (unsigned k = 0; k < n->nargs; k++)
						if (a->x.dep[n->args[k]->id] && isnan(r->partial((int)k, xs, a->x.v[i][j])))
							return 1;
				}
			}
		} else if (r->kind == OK_REDUCE) {
			for (long j = 0; j < m; j++) {
				for (const double *p = r->kinks; p && !isnan(*p); p++)
					if (close_to(x0[j], *p))
						return 1;
				if (r->smooth == SM_KINK_AT_TIE && close_to(x0[j], a->x.v[i][0]))
					for (long k = j + 1; k < m; k++)
						if (close_to(x0[k], x0[j]))
							return 1;
			}
		}
	}
	return 0;
}

/*
 * A bound on the chain rule's own rounding, per node and element (after
 * ireval_backward): every adjoint is a sum of products g_parent * partial
 * whose terms may cancel (log_softmax's adjoint sums to 0 under a shift,
 * and a partial of 1e100 after it makes 1e-21 of rounding into 1e79), so
 * the bound adds each term's own rounding and passes the parents' bounds
 * on through |partial|.  Vector ops' Jacobians have entries of at most 1
 * in size (softmax, log_softmax) or are the reduction's own partials.
 */
void ag_adjoint_error(const ir_loss *l, const ir_values *x, ld **eg)
{
	const ld u = LDBL_EPSILON;
	for (size_t i = 0; i < l->nnodes; i++)
		memset(eg[i], 0, (size_t)ireval_len(l->nodes[i]) * sizeof **eg);
	for (size_t i = l->nnodes; i-- > 0;) {
		const ir_node *n = l->nodes[i];
		const op_info *r = &ops[n->op];
		const ld *g = x->g[i], *e = eg[i];
		if (!x->dep[i] || n->nargs == 0)
			continue;
		switch (r->kind) {
		case OK_LEAF:
			break;
		case OK_ELEM:
			for (long j = 0; j < ireval_len(n); j++) {
				ld xs[OP_MAX_ARGS];
				for (unsigned k = 0; k < n->nargs; k++)
					xs[k] = x->v[n->args[k]->id][ireval_len(n->args[k]) > 1 ? j : 0];
				for (unsigned k = 0; k < n->nargs; k++) {
					if (!x->dep[n->args[k]->id] || (g[j] == 0 && e[j] == 0))
						continue;
					ld d = fabsl(r->partial((int)k, xs, x->v[i][j]));
					eg[n->args[k]->id][ireval_len(n->args[k]) > 1 ? j : 0] += d * (e[j] + 4 * u * fabsl(g[j]));
				}
			}
			break;
		case OK_VEC:
			for (unsigned k = 0; k < n->nargs; k++)
				eg[n->args[k]->id][0] += e[k];
			break;
		case OK_INDEX: {
			ld c = x->v[n->args[1]->id][0];
			if (c >= 0 && c < ireval_len(n->args[0]))
				eg[n->args[0]->id][(long)c] += e[0];
			break;
		}
		case OK_CROSS:
			abort();        /* the random programs are row-wise: never made */
		case OK_REDUCE: case OK_VECTOR: case OK_BATCH: {   /* OK_BATCH: a batch of this one row */
			long m = ireval_len(n->args[0]), len = ireval_len(n);
			ld sum = 0;
			for (long j = 0; j < len; j++)
				sum += e[j] + (m + 4) * u * fabsl(g[j]);
			if (r->kind == OK_REDUCE && m <= 64) {
				ld g0[64] = { 0 }, g1[64] = { 0 }, one = 1;
				ld *gx[2] = { g0, n->nargs > 1 ? g1 : NULL };
				long lens[2] = { ir_len(n->args[0]), n->nargs > 1 ? ir_len(n->args[1]) : 0 };
				const ld *xs[2] = { x->v[n->args[0]->id], n->nargs > 1 ? x->v[n->args[1]->id] : NULL };
				op_vargs va = { n->nargs, lens, xs, 0, 0 };
				r->vgrad(&va, x->v[i], &one, gx);
				for (unsigned k = 0; k < n->nargs && k < 2; k++)
					if (x->dep[n->args[k]->id])
						for (long j = 0; j < ireval_len(n->args[k]); j++)
							eg[n->args[k]->id][j] += fabsl(gx[k][j]) * sum + 4 * u * fabsl(x->g[n->args[k]->id][j]);
			} else {
				for (unsigned k = 0; k < n->nargs && k < 2; k++)
					if (x->dep[n->args[k]->id])
						for (long j = 0; j < ireval_len(n->args[k]); j++)
							eg[n->args[k]->id][j] += sum + 4 * u * fabsl(x->g[n->args[k]->id][j]);
			}
			break;
		}
		}
	}
}

/*
 * The rows' partials are not determined here: moving some node's operands
 * within their rounding (u err each) moves that node's contribution to
 * the chain rule by more than 1e-7 of the largest adjoint.  logsumexp of
 * elements near -1e200 that differ by 1.4 computes its softmax from
 * elements rounded to one value (1/3 each where the mathematics has 2/3
 * and 1/6), and no difference step can see a slope whose window (about
 * 1) is below the value's resolution (1e181): found by fuzz_agree.
 * Reductions are moved in an alternating pattern and its opposite;
 * elementwise ops one operand at a time, each way.
 */
static int partials_unsettled(const actx *a, ld adj)
{
	const ld u = LDBL_EPSILON, tol = 1e-7L * adj + 1e-290L;
	for (size_t i = 0; i < a->l->nnodes; i++) {
		const ir_node *n = a->l->nodes[i];
		const op_info *r = &ops[n->op];
		const ld *g = a->x.g[i];
		if (!a->x.dep[i] || n->nargs == 0)
			continue;
		if (r->kind == OK_ELEM) {
			for (long j = 0; j < ireval_len(n); j++) {
				ld xs[OP_MAX_ARGS], ys[OP_MAX_ARGS], dx[OP_MAX_ARGS];
				if (!isfinite(g[j]) || g[j] == 0)
					continue;
				for (unsigned k = 0; k < n->nargs; k++) {
					long at = ireval_len(n->args[k]) > 1 ? j : 0;
					xs[k] = a->x.v[n->args[k]->id][at];
					dx[k] = u * a->err[n->args[k]->id][at];
				}
				for (unsigned q = 0; q < n->nargs; q++)
					for (int sgn = -1; sgn <= 1 && dx[q] != 0; sgn += 2) {
						memcpy(ys, xs, sizeof xs);
						ys[q] += sgn * dx[q];
						ld v1 = r->eval(ys);
						for (unsigned k = 0; k < n->nargs; k++) {
							if (!a->x.dep[n->args[k]->id])
								continue;
							ld d0 = r->partial((int)k, xs, a->x.v[i][j]), d1 = r->partial((int)k, ys, v1);
							if (isfinite(d0) && isfinite(d1) && fabsl(g[j]) * fabsl(d1 - d0) > tol)
								return 1;
						}
					}
			}
		} else if ((r->kind == OK_REDUCE || r->kind == OK_VECTOR) && n->nargs <= 2
			   && n->args[0]->type == IRT_REAL && ireval_len(n->args[0]) <= 64 && ireval_len(n) <= 64) {
			long lens[2] = { ir_len(n->args[0]), n->nargs > 1 ? ir_len(n->args[1]) : 0 };
			ld ys[2][64], out[64], g0[2][64] = { { 0 } }, g1[2][64] = { { 0 } };
			const ld *xs[2] = { a->x.v[n->args[0]->id], n->nargs > 1 ? a->x.v[n->args[1]->id] : NULL };
			const ld *ps[2];
			ld *gx0[2] = { g0[0], n->nargs > 1 ? g0[1] : NULL }, *gx1[2] = { g1[0], n->nargs > 1 ? g1[1] : NULL };
			op_vargs va = { n->nargs, lens, xs, 0, 0 };
			for (long j = 0; j < ireval_len(n); j++)
				if (!isfinite(g[j]))
					goto next;
			r->vgrad(&va, a->x.v[i], g, gx0);
			for (int sgn = -1; sgn <= 1; sgn += 2) {
				for (unsigned k = 0; k < n->nargs; k++) {
					for (long j = 0; j < ireval_len(n->args[k]); j++) {
						ld e = u * a->err[n->args[k]->id][j];
						ys[k][j] = xs[k][j] + ((j + (long)k) % 2 ? sgn : -sgn) * (isfinite(e) ? e : 0);
					}
					ps[k] = ys[k];
				}
				op_vargs vp = { n->nargs, lens, ps, 0, 0 };
				memset(g1, 0, sizeof g1);
				r->veval(&vp, out);
				r->vgrad(&vp, out, g, gx1);
				for (unsigned k = 0; k < n->nargs; k++)
					if (a->x.dep[n->args[k]->id])
						for (long j = 0; j < ireval_len(n->args[k]); j++)
							if (isfinite(g0[k][j]) && isfinite(g1[k][j]) && fabsl(g1[k][j] - g0[k][j]) > tol)
								return 1;
			}
		}
next:		;
	}
	return 0;
}

/* (e) the chain rule over the rows' partials against central differences. */
static void check_gradient(actx *a, ld (*vals)[64])
{
	ovar v[64];
	int nv = output_vars(a, v, 64);
	ld f0 = root_at(a, vals);
	if (!isfinite((double)f0) || convention_here(a))
		return;
	ld err0 = a->err[a->l->root->id][0];
	if (!isfinite(err0) || LDBL_EPSILON * err0 > 1e-6L * (fabsl(f0) + a->mag[a->l->root->id])) {
		/* the value itself is not determined here (a divisor below its
		   own rounding, a pole): differences of it mean nothing */
		a->st->grad_skipped_ill++;
		return;
	}
	if (kink_here(a)) {
		/* sqrt at 0 gives inf or NaN (inf * 0), as PyTorch does; abs, relu,
		   max... their conventional slopes */
		a->st->grad_skipped_kink++;
		return;
	}
	ireval_backward(&a->x);
	ld **eg = calloc(a->l->nnodes, sizeof *eg);
	if (!eg)
		abort();
	for (size_t i = 0; i < a->l->nnodes; i++) {
		eg[i] = calloc((size_t)ireval_len(a->l->nodes[i]), sizeof **eg);
		if (!eg[i])
			abort();
	}
	ag_adjoint_error(a->l, &a->x, eg);
	ld g[64], ge[64], fd[64];
	int ok[64];
	ld G = 0, adj = 0;
	/* the chain rule's own rounding: terms as large as the largest
	   adjoint can cancel (x / x: 1/x - x/x^2) */
	for (size_t i = 0; i < a->l->nnodes; i++)
		for (long j = 0; j < ireval_len(a->l->nodes[i]); j++)
			if (isfinite(a->x.g[i][j]))
				adj = fmaxl(adj, fabsl(a->x.g[i][j]));
	if (partials_unsettled(a, adj)) {
		a->st->grad_skipped_ill++;
		goto done;
	}
	for (int k = 0; k < nv; k++) {
		/* every use of the name is its own node: their adjoints add */
		g[k] = ge[k] = 0;
		for (size_t i = 0; i < a->l->nnodes; i++) {
			const ir_node *n = a->l->nodes[i];
			if (n->op == IR_OUTPUT && !strcmp(n->item->name.s, a->p->leaves[v[k].leaf].name)) {
				g[k] += a->x.g[i][ireval_len(n) > 1 ? v[k].elem : 0];
				ge[k] += eg[i][ireval_len(n) > 1 ? v[k].elem : 0];
			}
		}
	}
	/* differences at steps h, h/1e3, h/1e6, h/1e9: a function steep
	   against a step (d/d ov of exp(ov) at ov = 180, under a tanh that
	   saturates within 1e-4) needs a smaller one; each settled estimate
	   is kept, and one that agrees with the chain rule is enough */
	ld fds[64][4], fes[64][4];
	int nfd[64];
	for (int k = 0; k < nv; k++) {
		ld x0 = vals[v[k].leaf][v[k].elem];
		/* steps of 1e-4: with Richardson's extrapolation the truncation is
		   O(h^4), and rounding noise (eps / h) stays near 1e-15 even where
		   the value cancels (1 / log_softmax of a dominant element) */
		ld h0 = 1e-4L * (x0 != 0 && fabsl(x0) < 1 ? fabsl(x0) : fmaxl(1, fabsl(x0))), f[4];
		static const ld at[4] = { 1, -1, 0.5L, -0.5L };
		ok[k] = 0;
		nfd[k] = 0;
		for (int level = 0; level < 4; level++) {
			ld h = h0 * powl(1e-3L, level);
			int finite = 1;
			if (x0 - h < v[k].lo || x0 + h > v[k].hi)
				break;          /* a step would leave the declared range */
			/* a step over which the chain rule's own slope would move the
			   value by more than 1e-3 of it is beyond its linear region:
			   d/d ov[0] of dot(xv, ov)^-2 at ov[0] = -1e200 is 7e-9 over
			   a window of 400, and the steps (1e187 and up) see 0 (found
			   by the long run) */
			if (fabsl(g[k]) * h > 1e-3L * (fabsl(f0) + 1))
				continue;
			for (int t = 0; t < 4 && finite; t++) {
				vals[v[k].leaf][v[k].elem] = x0 + at[t] * h;
				f[t] = root_at(a, vals);
				finite = isfinite(f[t]);
			}
			vals[v[k].leaf][v[k].elem] = x0;
			if (!finite)
				break;
			/* central differences at h and h/2: their difference
			   estimates the truncation error (Richardson) */
			ld d1 = (f[0] - f[1]) / (2 * h), d2 = (f[2] - f[3]) / h;
			ld fr = 8 * LDBL_EPSILON * (err0 + fabsl(f0)) / h;
			ld est = (4 * d2 - d1) / 3;
			/* a kink within the steps (the one-sided slopes differ,
			   relative to their size), or differences that have not
			   settled: no derivative at this step */
			ld fwd = (f[0] - f0) / h, bwd = (f0 - f[1]) / h;
			if (fabsl(fwd - bwd) > 1e-3L * fmaxl(fabsl(fwd), fabsl(bwd)) + 4 * fr
			    || fabsl(d1 - d2) > 1e-3L * fabsl(est) + 4 * fr)
				continue;
			fds[k][nfd[k]] = est;
			/* rounding, truncation, a second derivative that jumps (huber) */
			fes[k][nfd[k]] = fr + fabsl(d1 - d2) + fabsl(fwd - bwd);
			nfd[k]++;
		}
		if (!nfd[k]) {
			a->st->grad_skipped_kink++;
			continue;
		}
		ok[k] = 1;
		fd[k] = fds[k][0];
		G = fmaxl(G, fabsl(fd[k]));
	}
	root_at(a, vals);
	for (int k = 0; k < nv; k++) {
		if (!ok[k])
			continue;
		a->st->grad_checks++;
		int agrees = 0;
		for (int e = 0; e < nfd[k] && !agrees; e++)
			agrees = fabsl(g[k] - fds[k][e]) <= 1e-6L * (fabsl(fds[k][e]) + G) + fes[k][e] + 64 * LDBL_EPSILON * adj
				 + 4 * ge[k];
		if (!agrees)
			fail(a, "e", "d value / d %s[%d] is %.12Lg by the rows' partials, %.12Lg by differences "
			     "(margin %.3Lg, %d step sizes)", a->p->leaves[v[k].leaf].name, v[k].elem, g[k], fd[k],
			     fes[k][0] + 1e-6L * (fabsl(fd[k]) + G) + 64 * LDBL_EPSILON * adj + 4 * ge[k], nfd[k]);
	}
done:
	for (size_t i = 0; i < a->l->nnodes; i++)
		free(eg[i]);
	free(eg);
}

/* Copies of every node's values (for three-point comparisons), and of
   their error bounds after them (s[i][len + j]). */
static ld **snapshot(actx *a)
{
	ld **s = calloc(a->l->nnodes, sizeof *s);
	if (!s)
		abort();
	for (size_t i = 0; i < a->l->nnodes; i++) {
		long len = ireval_len(a->l->nodes[i]);
		s[i] = malloc(2 * (size_t)len * sizeof **s);
		if (!s[i])
			abort();
		for (long j = 0; j < len; j++) {
			s[i][j] = a->bad[i] ? NAN : a->x.v[i][j];
			s[i][len + j] = a->err[i][j];
		}
	}
	return s;
}

static void free_snapshot(actx *a, ld **s)
{
	for (size_t i = 0; i < a->l->nnodes; i++)
		free(s[i]);
	free(s);
}

/* An interior point of the outputs (room for steps of h * range), the
   other names as drawn. */
static void interior(actx *a, ld (*vals)[64], const ovar *v, int nv)
{
	for (int k = 0; k < nv; k++) {
		ld lo = v[k].lo, hi = v[k].hi;
		if (isinf(lo) || isinf(hi))
			vals[v[k].leaf][v[k].elem] = 6 * ag_unif(a->s) - 3;
		else
			vals[v[k].leaf][v[k].elem] = lo + (hi - lo) * (0.1L + 0.8L * ag_unif(a->s));
	}
}

static const char *curv_word(ir_curv c)
{
	return c == CURV_CONVEX ? "convex" : c == CURV_CONCAVE ? "concave" : "affine";
}

/* Does the second difference d2 (margin m) contradict curvature c? */
static int contradicts(ir_curv c, ld d2, ld m)
{
	switch (c) {
	case CURV_CONVEX: return d2 < -m;
	case CURV_CONCAVE: return d2 > m;
	case CURV_AFFINE: return fabsl(d2) > m;
	case CURV_CONST: case CURV_UNKNOWN: break;
	}
	return 0;
}

/* (b) curvature and smoothness of every node, along a random direction. */
static void check_shape(actx *a, ld (*vals)[64])
{
	char e[128];
	ovar v[64];
	int nv = output_vars(a, v, 64);
	ld dir[64], step[64];
	const ir_loss *l = a->l;
	if (nv == 0)
		return;
	interior(a, vals, v, nv);
	for (int k = 0; k < nv; k++) {
		dir[k] = 2 * ag_unif(a->s) - 1;
		/* small against the range and the value: local enough for the
		   slope test (a step of 2 would see sigmoid bend) */
		ld x0 = vals[v[k].leaf][v[k].elem];
		ld width = isinf(v[k].lo) || isinf(v[k].hi) ? 1 + fabsl(x0) : fminl(v[k].hi - v[k].lo, 1 + fabsl(x0));
		step[k] = 1e-4L * width * dir[k];
	}
	/* f at x - 2h, x - h, x, x + h, x + 2h along dir */
	ld **at[5];
	for (int t = 0; t < 5; t++) {
		for (int k = 0; k < nv; k++)
			vals[v[k].leaf][v[k].elem] += (t - 2) * step[k];
		eval_at(a, vals);
		check_intervals(a);
		at[t] = snapshot(a);
		for (int k = 0; k < nv; k++)
			vals[v[k].leaf][v[k].elem] -= (t - 2) * step[k];
	}
	eval_at(a, vals);
	check_intervals(a);
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		if (n->curv == CURV_CONST || n->type == IRT_CLASS)
			continue;
		for (long j = 0; j < ireval_len(n); j++) {
			ld f[5], err = 0;
			long len = ireval_len(n);
			int finite = 1;
			for (int t = 0; t < 5; t++) {
				f[t] = at[t][i][j];
				err = fmaxl(err, at[t][i][len + j]);
				finite &= isfinite(f[t]);
			}
			if (!finite || !isfinite(err))
				continue;
			/* the points themselves are rounded (x + t h): an affine
			   function's second difference is that rounding, of the
			   size of the operands (mag) */
			ld noise = 16 * LDBL_EPSILON * (err + fabsl(f[2]) + a->mag[i]) + 1e-290L;
			if (n->curv != CURV_UNKNOWN) {
				a->st->curv_checks++;
				ld d2 = f[3] - 2 * f[2] + f[1];
				if (contradicts(n->curv, d2, noise)) {
					node_str(n, e, sizeof e);
					fail(a, "b", "%s is proved %s, but its second difference is %.6Lg (margin %.3Lg)", e,
					     curv_word(n->curv), d2, noise);
				}
			}
			if (!n->kink) {
				/* one-sided slopes at steps 2h and h: at a kink their gap
				   stays, on a C1 function it shrinks with the step */
				ld gap2 = fabsl((f[4] - f[2]) - (f[2] - f[0])) / 2, gap1 = fabsl((f[3] - f[2]) - (f[2] - f[1]));
				ld slope = fabsl(f[3] - f[1]) / 2;
				a->st->smooth_checks++;
				if (gap1 > 0.75L * gap2 && gap1 > 1e-3L * slope + 8 * noise && gap1 > 0) {
					node_str(n, e, sizeof e);
					fail(a, "b", "%s is proved smooth, but its slope jumps here by %.6Lg (slope %.6Lg)", e,
					     gap1, slope);
				}
			}
		}
	}
	for (int t = 0; t < 5; t++)
		free_snapshot(a, at[t]);

	/* midpoints of a random segment: f((u + w) / 2) against (f(u) + f(w)) / 2 */
	ld u[64], w[64];
	interior(a, vals, v, nv);
	for (int k = 0; k < nv; k++)
		u[k] = vals[v[k].leaf][v[k].elem];
	interior(a, vals, v, nv);
	for (int k = 0; k < nv; k++)
		w[k] = vals[v[k].leaf][v[k].elem];
	ld **pts[3];
	for (int t = 0; t < 3; t++) {
		for (int k = 0; k < nv; k++)
			vals[v[k].leaf][v[k].elem] = t == 0 ? u[k] : t == 1 ? w[k] : (u[k] + w[k]) / 2;
		eval_at(a, vals);
		check_intervals(a);
		pts[t] = snapshot(a);
	}
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		if (n->curv == CURV_CONST || n->curv == CURV_UNKNOWN || n->type == IRT_CLASS)
			continue;
		long len = ireval_len(n);
		for (long j = 0; j < len; j++) {
			ld fu = pts[0][i][j], fw = pts[1][i][j], fm = pts[2][i][j];
			ld err = fmaxl(pts[0][i][len + j], fmaxl(pts[1][i][len + j], pts[2][i][len + j]));
			if (!isfinite(fu) || !isfinite(fw) || !isfinite(fm) || !isfinite(err))
				continue;
			ld gap = (fu + fw) / 2 - fm;    /* >= 0 for convex */
			ld noise = 16 * LDBL_EPSILON * (err + fabsl(fu) + fabsl(fw)) + 1e-290L;
			a->st->curv_checks++;
			if (contradicts(n->curv, gap, noise)) {
				node_str(n, e, sizeof e);
				fail(a, "b", "%s is proved %s, but at a midpoint it is off the chord by %.6Lg", e,
				     curv_word(n->curv), gap);
			}
		}
	}
	for (int t = 0; t < 3; t++)
		free_snapshot(a, pts[t]);
}

/* A condition (a == b, a < b...) whose operands lie within double's
   rounding of each other: folding rounds each folded constant to double,
   so the folded and the computed program may see the two sides on
   opposite sides of the tie and take different where() branches, both
   rightly.  log_cosh(max(k, k)) == log_cosh(max(ov[y], k)) at k = 3 is
   true computed in long double and false with its left side folded to
   double (found by fuzz_agree). */
static int cond_near_tie(const actx *a)
{
	for (size_t i = 0; i < a->l->nnodes; i++) {
		const ir_node *n = a->l->nodes[i];
		if (!ops[n->op].gives_cond || n->nargs != 2)
			continue;
		const ir_node *x = n->args[0], *y = n->args[1];
		long lx = ireval_len(x), ly = ireval_len(y);
		for (long j = 0; j < ireval_len(n); j++) {
			ld u = a->x.v[x->id][lx > 1 ? j : 0], w = a->x.v[y->id][ly > 1 ? j : 0];
			ld eu = a->err[x->id][lx > 1 ? j : 0], ew = a->err[y->id][ly > 1 ? j : 0];
			if (fabsl(u - w) <= DBL_EPSILON * (eu + ew + fabsl(u) + fabsl(w)) + 1e-290L)
				return 1;
		}
	}
	return 0;
}

/* (c) the folded program against the pinned one, at the same point. */
static void check_fold(actx *a, const ag_lowered *folded, ld (*vals)[64])
{
	ir_values y;
	if (ireval_init(&y, folded->l) < 0)
		abort();
	ag_set_leaves(a->p, folded->l, &y, vals);
	ireval_forward(&y);
	ld vf = y.v[folded->l->root->id][0];
	ld vp = root_at(a, vals);
	ld err = a->err[a->l->root->id][0];
	a->st->fold_checks++;
	/* folding rounds each folded constant to double: its error (in double's
	   unit) passes through the rest like any rounding */
	if (isfinite(vp) && isfinite(err) && !(fabsl(vf - vp) <= DBL_EPSILON * (err + fabsl(vp)) + 1e-290L)) {
		if (cond_near_tie(a))
			a->st->fold_skipped_tie++;
		else
			fail(a, "c", "with k = %.17g folded the value is %.17Lg; computed, %.17Lg", a->p->pinned, vf, vp);
	}
	ireval_free(&y);
}

int ag_check(const ag_prog *p, ag_src *s, ag_stats *st, FILE *log, int points, int shapes)
{
	actx A;
	ag_lowered L, F;
	ld (*vals)[64] = calloc(AG_MAXLEAVES, sizeof *vals);
	memset(&A, 0, sizeof A);
	A.p = p;
	A.s = s;
	A.st = st;
	A.log = log;
	st->programs++;
	if (!vals)
		abort();
	if (ag_lower(p->text, &L) < 0) {
		/* the generator writes well-typed programs: a refusal is its bug
		   or the front end's */
		st->rejected++;
		fail(&A, "lower", "the program does not lower: %s", L.why);
		ag_lowered_free(&L);
		free(vals);
		return A.failures;
	}
	A.l = L.l;
	if (ireval_init(&A.x, L.l) < 0)
		abort();
	A.domain = calloc(L.l->nnodes, 1);
	A.bad = calloc(L.l->nnodes, 1);
	A.mag = calloc(L.l->nnodes, sizeof *A.mag);
	A.err = calloc(L.l->nnodes, sizeof *A.err);
	if (!A.domain || !A.bad || !A.mag || !A.err)
		abort();
	for (size_t i = 0; i < L.l->nnodes; i++) {
		A.err[i] = calloc((size_t)ireval_len(L.l->nodes[i]), sizeof **A.err);
		if (!A.err[i])
			abort();
	}
	for (size_t i = 0; i < L.l->nnodes; i++) {
		op_finding f;
		const ir_node *n = L.l->nodes[i];
		A.domain[i] = (unsigned char)ops_check(n, PREC_FLOAT64, &f);
	}
	int folded = ag_lower(p->folded, &F) == 0;
	if (!folded) {
		fail(&A, "lower", "the folded program does not lower: %s", F.why);
		ag_lowered_free(&F);
	}
	for (int pt = 0; pt < points; pt++) {
		ag_draw_point(p, s, pt >= points / 3, vals);
		st->points++;
		root_at(&A, vals);
		if (pt % 2 == 0)
			check_gradient(&A, vals);
		if (folded && pt % 3 == 0)
			check_fold(&A, &F, vals);
	}
	for (int t = 0; t < shapes; t++) {
		ag_draw_point(p, s, 0, vals);
		check_shape(&A, vals);
	}
	if (folded)
		ag_lowered_free(&F);
	ireval_free(&A.x);
	for (size_t i = 0; i < L.l->nnodes; i++)
		free(A.err[i]);
	free(A.err);
	free(A.domain);
	free(A.bad);
	free(A.mag);
	ag_lowered_free(&L);
	free(vals);
	return A.failures;
}
