/*
 * agree_compile.c: check (d) of the agreement tests (agree.h): the
 * generated kernels of random programs against the long double evaluator.
 *
 *   agree_compile OUT.c PROGRAMS SEED
 *
 * writes one C file holding, for each random program, its float64 and
 * float32 kernels (`reduce none`, as `lossc gen` writes them) and the
 * points to run them at, with the evaluator's value, its rounding bound
 * and its gradient at each; the file's main() calls every kernel and
 * compares.  agree-compile.sh compiles and runs such files: many
 * programs per compile keeps the run fast.
 *
 * The comparison, per point:
 *   - a value the mathematics gives finitely, whose every intermediate
 *     is well inside the precision's range and which the evaluation's
 *     error bound (errbound: cancellation and conditioning widen it)
 *     determines to within half of itself, must come out finite and
 *     within 8 rounding units of the precision times that bound; the
 *     other points (LS405 territory, underflow, ill-conditioned) are
 *     skipped and counted;
 *   - the gradient, where the rows define it (no kink, no convention)
 *     and the value is well-conditioned (the bound within 1e-3 of it),
 *     within 1e-9 (float64) or 1e-3 (float32) of the largest element,
 *     plus the chain rule's own rounding.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agree.h"
#include "gen_impl.h"
#include "ireval.h"

typedef long double ld;

#define POINTS 6

/* The part of agree.c's per-point work that this needs: the error bound
   and the skips, on a lowered, analyzed loss. */
typedef struct pt {
	int ok;                 /* the value is to be compared */
	int grad_ok;
	ld value, err;
	ld grad[64];            /* d value / d output element, in params order */
	ld gmax, adj;
} pt;

/* a and b (forward error bounds ea and eb, in units u) may be equal in the
   kernel's precision: within their errors, or within the rounding of a
   constant to the precision (gaussian_nll's eps = 1e-6 is 9.99999997e-07
   in float32, equal to an input of 1e-6 there and not in long double) */
static int near(ld a, ld b, ld ea, ld eb, ld u)
{
	return fabsl(a - b) <= u * (ea + eb) + 2 * u * (fabsl(a) + fabsl(b));
}

static int at_kink(const ir_values *x, const ir_loss *l, ld **e, ld u)
{
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		const op_info *r = &ops[n->op];
		if (!x->dep[i] || n->nargs == 0)
			continue;
		const ld *x0 = x->v[n->args[0]->id], *e0 = e[n->args[0]->id];
		long m = ireval_len(n->args[0]);
		for (long j = 0; j < ireval_len(n); j++) {
			if (r->kind == OK_ELEM) {
				long j0 = m > 1 ? j : 0, j1 = n->nargs > 1 && ireval_len(n->args[1]) > 1 ? j : 0;
				ld a = x0[j0], ea = e0[j0];
				ld w = n->nargs > 1 ? x->v[n->args[1]->id][j1] : 1;
				ld ew = n->nargs > 1 ? e[n->args[1]->id][j1] : 0;
				ld xs[2] = { a, w };
				for (const double *p = r->kinks; p && !isnan(*p); p++)
					if (near(a, *p, ea, 0, u))
						return 1;
				if ((r->smooth == SM_KINK_AT_TIE && near(a, w, ea, ew, u)) || (r->smooth == SM_SPECIAL && near(a, 0, ea, 0, u))
				    || (r->kink_rule && near(w, 0, ew, 0, u)) || (r->convention && r->convention(xs)))
					return 1;
			}
		}
		if (r->kind == OK_REDUCE)
			for (long j = 0; j < m; j++) {
				for (const double *p = r->kinks; p && !isnan(*p); p++)
					if (near(x0[j], *p, e0[j], 0, u))
						return 1;
				if (r->smooth == SM_KINK_AT_TIE)
					for (long k = j + 1; k < m; k++)
						if (near(x0[k], x0[j], e0[k], e0[j], u) && near(x0[j], x->v[i][0], e0[j], e0[j], u))
							return 1;
			}
	}
	return 0;
}

/* Forward error bound in rounding units (as agree.c's errbound, on the
   root only). */
static ld error_bound(const ir_values *x, const ir_loss *l, ld **e, ld u)
{
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		const op_info *r = &ops[n->op];
		ld *v = x->v[i];
		long len = ireval_len(n);
		switch (r->kind) {
		case OK_LEAF:
			for (long j = 0; j < len; j++)
				e[i][j] = 0;
			break;
		case OK_ELEM:
			for (long j = 0; j < len; j++) {
				ld xs[OP_MAX_ARGS], b = 8 * fabsl(v[j]);
				for (unsigned k = 0; k < n->nargs; k++)
					xs[k] = x->v[n->args[k]->id][ireval_len(n->args[k]) > 1 ? j : 0];
				/* each operand off by its own bound; an op of several
				   operands is computed in steps (bce: t log q + (1 - t)
				   log(1 - q), whose terms cancel for a large t and q near
				   1/2), so its result is the exact one at operands a few
				   units off too.  The op's move over that interval, not its
				   slope at the point: a slope is 0 at relu's kink and at
				   square's minimum, and bce's row gives PyTorch's capped
				   backward instead of its derivative (each found by the
				   long run) */
				for (unsigned k = 0; k < n->nargs; k++) {
					ld ek = e[n->args[k]->id][ireval_len(n->args[k]) > 1 ? j : 0];
					ld d = u * (ek + (n->nargs > 1 ? 4 * fabsl(xs[k]) : 0));
					if (!(d > 0))
						continue;
					/* a divisor within its error of 0: 0 / 5e-13 in long
					   double, 0 / 0 in float32 (found by the long run) */
					if (r->domain.nonzero && r->domain.arg == k && fabsl(xs[k]) <= d) {
						b = HUGE_VALL;
						break;
					}
					ld moved = 0;
					for (int sgn = -1; sgn <= 1; sgn += 2) {
						ld ys[OP_MAX_ARGS];
						memcpy(ys, xs, sizeof ys);
						ys[k] += sgn * d;
						ld f = r->eval(ys);
						moved = isnan(f) ? HUGE_VALL : fmaxl(moved, fabsl(f - v[j]));
					}
					b += moved / u;
				}
				e[i][j] = isnan(b) ? HUGE_VALL : b;
			}
			break;
		case OK_VEC:
			for (unsigned k = 0; k < n->nargs; k++)
				e[i][k] = e[n->args[k]->id][0];
			break;
		case OK_INDEX: {
			ld c = x->v[n->args[1]->id][0];
			e[i][0] = c >= 0 && c < ireval_len(n->args[0]) ? e[n->args[0]->id][(long)c] : 0;
			break;
		}
		case OK_CROSS:
			abort();        /* the random programs are row-wise: never made */
		case OK_REDUCE: case OK_VECTOR: case OK_BATCH: {   /* OK_BATCH: a batch of this one row */
			long m = ireval_len(n->args[0]);
			ld terms = 0, emax = 0;
			for (unsigned k = 0; k < n->nargs && k < 2; k++)
				for (long j = 0; j < ireval_len(n->args[k]); j++) {
					terms += fabsl(x->v[n->args[k]->id][j]);
					emax = fmaxl(emax, e[n->args[k]->id][j]);
				}
			/* the kernels sum in lanes and scale: a few more units a term */
			for (long j = 0; j < len; j++)
				e[i][j] = (m + 16) * (fabsl(v[j]) + terms) + 2 * m * emax;
			break;
		}
		}
	}
	return e[l->root->id][0];
}

/* Some node's value here is undefined, or beyond the precision's range,
   or so close to its ends (within 1e6 of them, or nonzero below 1e6 times
   its smallest normal) that over- or underflow inside an op can decide
   the result: the points where the mathematics is finite but the
   precision is not enough (LS405 territory), skipped and counted. */
static int beyond(const ir_values *x, const ir_loss *l, ld max, ld min)
{
	for (size_t i = 0; i < l->nnodes; i++)
		for (long j = 0; j < ireval_len(l->nodes[i]); j++) {
			ld v = fabsl(x->v[i][j]);
			if (isfinite(v) && (v > max / 1e6L || (v != 0 && v < min * 1e6L)))
				return 1;
			/* undefined inside, the value finite only because max() drops
			   the NaN: bce of a sum of probabilities that is 1 + 3e-8 in
			   long double and 1 in float32 (found by the long run) */
			if (isnan(v))
				return 1;
		}
	return 0;
}

/* Some elementwise op's partial on the gradient's path is beyond the
   precision's range (within 1e6 of it). */
static int partial_beyond(const ir_values *x, const ir_loss *l, ld max)
{
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		const op_info *r = &ops[n->op];
		if (r->kind != OK_ELEM || !x->dep[i])
			continue;
		for (long j = 0; j < ireval_len(n); j++) {
			ld xs[OP_MAX_ARGS];
			for (unsigned k = 0; k < n->nargs; k++)
				xs[k] = x->v[n->args[k]->id][ireval_len(n->args[k]) > 1 ? j : 0];
			for (unsigned k = 0; k < n->nargs; k++) {
				if (!x->dep[n->args[k]->id])
					continue;
				ld d = fabsl(r->partial((int)k, xs, x->v[i][j]));
				if (isfinite(d) && d > max / 1e6L)
					return 1;
			}
		}
	}
	return 0;
}

/* Some elementwise op's partial on the gradient's path moves by more than
   1e-3 of itself when an operand moves by its forward error bound e (in
   units u): the gradient is ill-conditioned there, whatever the value is. */
static int partial_unstable(const ir_values *x, const ir_loss *l, ld **e, ld u)
{
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		const op_info *r = &ops[n->op];
		if (r->kind != OK_ELEM || !x->dep[i])
			continue;
		for (long j = 0; j < ireval_len(n); j++) {
			ld xs[OP_MAX_ARGS], ys[OP_MAX_ARGS];
			for (unsigned k = 0; k < n->nargs; k++)
				xs[k] = x->v[n->args[k]->id][ireval_len(n->args[k]) > 1 ? j : 0];
			for (unsigned k = 0; k < n->nargs; k++) {
				if (!x->dep[n->args[k]->id])
					continue;
				ld p0 = r->partial((int)k, xs, x->v[i][j]);
				if (!isfinite(p0))
					continue;       /* infinite slopes: the strong zero's business */
				for (unsigned m = 0; m < n->nargs; m++) {
					ld d = u * e[n->args[m]->id][ireval_len(n->args[m]) > 1 ? j : 0];
					if (!(d > 0))
						continue;
					for (int sgn = -1; sgn <= 1; sgn += 2) {
						memcpy(ys, xs, sizeof ys);
						ys[m] += sgn * d;
						ld p1 = r->partial((int)k, ys, r->eval(ys));
						if (!(fabsl(p1 - p0) <= 1e-3L * fabsl(p0)))
							return 1;
					}
				}
			}
		}
	}
	return 0;
}

typedef struct emitter {
	FILE *body;             /* kernels and data */
	FILE *calls;            /* main()'s calls */
	unsigned long helpers[3];
	gen_names names;
	arena *ar;
	long programs, kernels, points;
} emitter;

/* One precision of one program: its kernels, its points' data, the calls. */
static void emit(emitter *E, const ag_prog *p, const char *text, int index, int f32, ag_src *s)
{
	ag_lowered L;
	if (ag_lower(text, &L) < 0) {
		ag_lowered_free(&L);
		return;
	}
	const ir_loss *l = L.l;
	gen_kernel g;
	gk_init(&g, l, index, E->ar);
	char prefix[32];
	snprintf(prefix, sizeof prefix, "p%d_", index);
	gk_api(&g, &E->names, prefix);
	if (g.unsupported || g.too_big) {
		ag_lowered_free(&L);
		return;
	}
	gk_constants(&g, E->body);
	gk_functions(&g, E->body);
	for (int k = 0; k < 3; k++)
		E->helpers[k] |= g.helpers[k];
	E->kernels++;
	const char *T = f32 ? "float" : "double";
	ld umax = f32 ? FLT_MAX : DBL_MAX;

	ir_values x;
	if (ireval_init(&x, l) < 0)
		abort();
	ld **e = calloc(l->nnodes, sizeof *e), **eg = calloc(l->nnodes, sizeof *eg);
	for (size_t i = 0; i < l->nnodes; i++) {
		e[i] = calloc((size_t)ireval_len(l->nodes[i]), sizeof **e);
		eg[i] = calloc((size_t)ireval_len(l->nodes[i]), sizeof **eg);
	}
	static ld vals[AG_MAXLEAVES][64];
	for (int t = 0; t < POINTS; t++) {
		ag_draw_point(p, s, t >= 2, vals);
		/* the kernels' inputs are of their precision: evaluate at exactly those */
		int representable = 1;
		for (int i = 0; i < p->nleaves; i++)
			for (int j = 0; j < 64; j++) {
				vals[i][j] = f32 ? (ld)(float)vals[i][j] : (ld)(double)vals[i][j];
				representable &= isfinite(vals[i][j]);
			}
		if (!representable)
			continue;       /* 1e200 is no float: no input to pass */
		ag_set_leaves(p, l, &x, vals);
		ireval_forward(&x);
		ld v = x.v[l->root->id][0];
		ld u = f32 ? FLT_EPSILON / 2 : DBL_EPSILON / 2;
		ld err = error_bound(&x, l, e, u);
		/* compared where the value is finite, every intermediate well
		   inside the precision, and the value determined to within half
		   of itself (else ill-conditioned: anything may come out) */
		int ok = isfinite(v) && isfinite(err) && !beyond(&x, l, umax, f32 ? FLT_MIN : DBL_MIN)
			 && u * err <= 0.5L * fabsl(v);
		int grad_ok = ok && !at_kink(&x, l, e, u) && u * err <= 1e-3L * fabsl(v);
		ld grad[64], adj = 0, gmax = 0;
		int ng = 0;
		ld ge[64];
		if (grad_ok) {
			ireval_backward(&x);
			ag_adjoint_error(l, &x, eg);
			/* adjoints, like values, well inside the precision's range */
			for (size_t i = 0; i < l->nnodes; i++)
				for (long j = 0; j < ireval_len(l->nodes[i]); j++) {
					ld gi = fabsl(x.g[i][j]);
					if (isfinite(gi))
						adj = fmaxl(adj, gi);
					if (!isfinite(gi) || gi > umax / 1e6L || !isfinite(eg[i][j]))
						grad_ok = 0;
				}
			/* and so are the partials the chain rule multiplies: d(x^-1)/dx
			   at x = -1e-30 is 1e60, beyond float32, where the math of
			   expm1(x) * x^-1 cancels it (found by the agreement tests) */
			if (partial_beyond(&x, l, umax))
				grad_ok = 0;
			/* and the partials are determined by the values the kernel
			   has: smooth_l1's slope at d = sqrt(1e-30) - (1 - 1e-30) + 1
			   is d / beta, 4e-16 in long double and 0 in float32, where d
			   cancels to 0 (found by the agreement tests) */
			if (partial_unstable(&x, l, e, u))
				grad_ok = 0;
			for (size_t q = 0; q < g.nouts; q++) {
				long dim = g.params[q].len.n ? g.params[q].len.n : 1;
				for (long j = 0; j < dim; j++) {
					ld s2 = 0, se = 0;
					for (size_t i = 0; i < l->nnodes; i++)
						if (l->nodes[i]->op == IR_OUTPUT && l->nodes[i]->item == g.params[q].item) {
							s2 += x.g[i][ireval_len(l->nodes[i]) > 1 ? j : 0];
							se += eg[i][ireval_len(l->nodes[i]) > 1 ? j : 0];
						}
					ge[ng] = se;
					grad[ng++] = s2;
					gmax = fmaxl(gmax, fabsl(s2));
					grad_ok &= isfinite(s2) && fabsl(s2) <= umax;
				}
			}
		}
		/* the data */
		fprintf(E->calls, "\t{\n");
		for (size_t q = 0; q < g.nparams; q++) {
			const gk_param *P = &g.params[q];
			long dim = P->len.n ? P->len.n : 1;
			int leaf = -1;
			for (int i = 0; i < p->nleaves; i++)
				if (!strcmp(p->leaves[i].name, P->item->name.s))
					leaf = i;
			fprintf(E->calls, "\t\tstatic const %s a%zu[%ld] = {", P->is_class ? "int32_t" : T, q, dim);
			for (long j = 0; j < dim; j++)
				fprintf(E->calls, P->is_class ? "%s%.0Lf" : "%s%.21Le", j ? ", " : "", leaf >= 0 ? vals[leaf][j] : 0.0L);
			fprintf(E->calls, " };\n");
		}
		fprintf(E->calls, "\t\t%s each, up = 1", T);
		for (size_t q = 0; q < g.nouts; q++)
			fprintf(E->calls, ", d%zu[%ld]", q, g.params[q].len.n ? g.params[q].len.n : 1);
		fprintf(E->calls, ";\n\t\t%s(1", g.fname);
		for (size_t q = 0; q < g.nparams; q++)
			fprintf(E->calls, ", a%zu", q);
		fprintf(E->calls, ", &each);\n");
		fprintf(E->calls, "\t\tvalue(%d, %d, %d, %d, each, %.21LeL, %.21LeL, %d);\n", index, t, f32, ok,
			ok ? v : 0.0L, ok ? err : 0.0L, isfinite(v) ? 0 : isnan(v) ? 1 : 2);
		if (grad_ok) {
			fprintf(E->calls, "\t\t%s(1", g.gname);
			for (size_t q = 0; q < g.nparams; q++)
				fprintf(E->calls, ", a%zu", q);
			fprintf(E->calls, ", &up");
			for (size_t q = 0; q < g.nouts; q++)
				fprintf(E->calls, ", d%zu", q);
			fprintf(E->calls, ");\n");
			int k = 0;
			for (size_t q = 0; q < g.nouts; q++)
				for (long j = 0; j < (g.params[q].len.n ? g.params[q].len.n : 1); j++, k++)
					fprintf(E->calls, "\t\tgradient(%d, %d, %d, \"%s\", %ld, d%zu[%ld], %.21LeL, %.21LeL, %.21LeL, %.21LeL);\n",
						index, t, f32, g.params[q].item->name.s, j, q, j, grad[k], gmax, adj, ge[k]);
		} else {
			fprintf(E->calls, "\t\tskipped_gradient();\n");
		}
		fprintf(E->calls, "\t}\n");
		E->points++;
	}
	for (size_t i = 0; i < l->nnodes; i++) {
		free(e[i]);
		free(eg[i]);
	}
	free(e);
	free(eg);
	ireval_free(&x);
	ag_lowered_free(&L);
}

static const char driver[] =
	"static long values, value_skips, gradients, gradient_skips, failures;\n"
	"\n"
	"/* status 0: finite (ok: within the precision, compare); 1: NaN, 2: infinite */\n"
	"static void value(int prog, int pt, int f32, int ok, long double got, long double want,\n"
	"\t\t  long double err, int status)\n"
	"{\n"
	"\tconst long double u = f32 ? FLT_EPSILON / 2 : DBL_EPSILON / 2;\n"
	"\tif (!ok) {\n"
	"\t\tvalue_skips++;\n"
	"\t\t(void)status;\n"
	"\t\treturn;\n"
	"\t}\n"
	"\tvalues++;\n"
	"\tif (!isfinite(got) || !(fabsl(got - want) <= 8 * u * (err + fabsl(want)) + (f32 ? FLT_MIN : DBL_MIN))) {\n"
	"\t\tprintf(\"FAIL (d) program %d point %d %s: the kernel gives %.17Lg, the evaluator %.17Lg (bound %.3Lg)\\n\",\n"
	"\t\t       prog, pt, f32 ? \"float32\" : \"float64\", got, want, 8 * u * (err + fabsl(want)));\n"
	"\t\tfailures++;\n"
	"\t}\n"
	"}\n"
	"\n"
	"/* eg: the long double chain rule's rounding bound; the kernel's own is\n"
	"   that times the precision's unit over long double's */\n"
	"static void gradient(int prog, int pt, int f32, const char *name, long j, long double got, long double want,\n"
	"\t\t     long double gmax, long double adj, long double eg)\n"
	"{\n"
	"\tconst long double u = f32 ? FLT_EPSILON / 2 : DBL_EPSILON / 2;\n"
	"\tconst long double rel = f32 ? 1e-3L : 1e-9L;\n"
	"\tgradients++;\n"
	"\tif (!isfinite(got) || !(fabsl(got - want) <= rel * (fabsl(want) + gmax) + 64 * u * adj\n"
	"\t\t\t\t + 8 * eg * (u / LDBL_EPSILON) + (f32 ? FLT_MIN : DBL_MIN))) {\n"
	"\t\tprintf(\"FAIL (e) program %d point %d %s: d/d %s[%ld] is %.17Lg in the kernel, %.17Lg by the rows\\n\",\n"
	"\t\t       prog, pt, f32 ? \"float32\" : \"float64\", name, j, got, want);\n"
	"\t\tfailures++;\n"
	"\t}\n"
	"}\n"
	"\n"
	"static void skipped_gradient(void)\n"
	"{\n"
	"\tgradient_skips++;\n"
	"}\n"
	"\n";

/* The program's text with another reduce and precision. */
static void variant(const char *text, int f32, char *out, size_t size)
{
	snprintf(out, size, "%s", text);
	char *r = strstr(out, "reduce mean");
	if (r)
		memcpy(r, "reduce none", 11);
	char *pr = strstr(out, "precision float64");
	if (pr && f32)
		memcpy(pr + 10, "float32", 7);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: agree_compile OUT.c PROGRAMS SEED [CASE.loss...]\n");
		return 2;
	}
	long n = atol(argv[2]);
	unsigned long long seed = strtoull(argv[3], NULL, 0);
	emitter E;
	char *body = NULL, *calls = NULL;
	size_t blen = 0, clen = 0;
	memset(&E, 0, sizeof E);
	E.body = open_memstream(&body, &blen);
	E.calls = open_memstream(&calls, &clen);
	E.ar = arena_new();
	gen_names_init(&E.names);
	static ag_prog p;
	static char text[AG_TEXT];
	/* the regression cases first, each at the points of 5 seeds */
	for (int c = 4; c < argc; c++) {
		FILE *f = fopen(argv[c], "r");
		if (!f) {
			perror(argv[c]);
			return 2;
		}
		size_t len = fread(text, 1, sizeof text - 1, f);
		fclose(f);
		text[len] = '\0';
		if (ag_parse(text, &p) < 0) {
			fprintf(stderr, "%s: not a case\n", argv[c]);
			return 2;
		}
		for (unsigned long long r = 0; r < 5; r++) {
			for (int f32 = 0; f32 <= 1; f32++) {
				ag_src s;
				ag_src_init(&s, NULL, 0, seed + r);
				variant(p.text, f32, text, sizeof text);
				fprintf(E.calls, "\t/* program %ld (%s, seed %llu), %s */\n", E.programs, argv[c],
					seed + r, f32 ? "float32" : "float64");
				emit(&E, &p, text, (int)(2 * E.programs + f32), f32, &s);
			}
			E.programs++;
		}
	}
	n += E.programs;
	for (long i = 0; E.programs < n; i++) {
		ag_src s;
		ag_src_init(&s, NULL, 0, seed + (unsigned long long)i);
		if (ag_generate(&s, &p) < 0)
			continue;
		for (int f32 = 0; f32 <= 1; f32++) {
			variant(p.text, f32, text, sizeof text);
			fprintf(E.calls, "\t/* program %ld (seed %llu), %s */\n", E.programs, seed + (unsigned long long)i,
				f32 ? "float32" : "float64");
			emit(&E, &p, text, (int)(2 * E.programs + f32), f32, &s);
		}
		E.programs++;
	}
	fclose(E.body);
	fclose(E.calls);
	FILE *o = fopen(argv[1], "w");
	if (!o) {
		perror(argv[1]);
		return 2;
	}
	fprintf(o, "/* generated by agree_compile: %ld programs from seed %llu */\n"
		"#include <float.h>\n#include <math.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\n\n",
		E.programs, seed);
	gt_helpers(o, GP_F32, E.helpers[GP_F32]);
	gt_helpers(o, GP_F64, E.helpers[GP_F64]);
	fwrite(body, 1, blen, o);
	fputs(driver, o);
	fprintf(o, "int main(void)\n{\n");
	fwrite(calls, 1, clen, o);
	fprintf(o, "\tprintf(\"agree-compile: %%ld kernels of %ld programs, %%ld values compared (%%ld skipped: not finite "
		"or beyond the precision), %%ld gradient elements (%%ld points' gradients skipped: at kinks, ill-conditioned or beyond the precision): %%ld disagreements\\n\",\n"
		"\t       %ldL, values, value_skips, gradients, gradient_skips, failures);\n"
		"\treturn failures ? 1 : 0;\n}\n", E.programs, E.kernels);
	fclose(o);
	free(body);
	free(calls);
	gen_names_free(&E.names);
	arena_free(E.ar);
	return 0;
}
