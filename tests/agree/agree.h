/*
 * agree.h: the agreement tests.  Random well-typed LossSpec programs over
 * random declared ranges, run through the real front end and analyzer,
 * then evaluated by the rows' long double evaluator (ireval.h) at random
 * and edge points (range ends, 0, +-tiny, +-1, +-huge, each op's kink and
 * branch points), to check that the phases agree:
 *
 *   (a) every node's value lies in the analyzer's interval; a value the
 *       evaluator cannot give (NaN, a pole) comes only from an operand the
 *       analyzer said may leave the op's domain;
 *   (b) the curvature and smoothness the analyzer proves for every node
 *       hold: second differences along random directions and midpoints of
 *       random segments (convex, concave, affine), one-sided slopes at
 *       two step sizes (smooth), each against a margin scaled to the
 *       magnitude of the terms (a sum of terms of size S that is exactly 0
 *       may evaluate to 1e-19 S);
 *   (c) constant folding equals the evaluator: the same program with an
 *       input pinned to a point, and with that input written as a literal
 *       (which folds), gives the same value;
 *   (e) the chain rule over the rows' partials (ireval_backward) equals
 *       central differences of the evaluator, away from kinks and the
 *       rows' gradient conventions.
 *
 * Check (d), the generated kernels against the evaluator, is in
 * agree_compile.c, which compiles many programs' kernels per C file.
 *
 * The choices come from bytes (a fuzzer's input) and, once those run
 * out, from a PRNG seeded by them, so every input is a full program.
 */
#ifndef LOSSC_AGREE_H
#define LOSSC_AGREE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ir.h"

typedef struct ag_src {
	const uint8_t *data;
	size_t size, pos;
	uint64_t state;
} ag_src;

void ag_src_init(ag_src *s, const uint8_t *data, size_t size, uint64_t seed);
unsigned ag_pick(ag_src *s, unsigned n);        /* 0 .. n-1 */
double ag_unif(ag_src *s);                      /* [0, 1) */

/* What a name of the program is. */
enum { AG_OUTPUT, AG_INPUT, AG_LABEL };
enum { AG_REAL, AG_CLASS, AG_SIGN, AG_BINARY, AG_PROB };

typedef struct ag_leaf {
	char name[16];
	int kind, type, vec;    /* vec: real[N] */
	int ranged;
	double lo, hi;
} ag_leaf;

#define AG_MAXLEAVES 16
#define AG_TEXT 16384

typedef struct ag_prog {
	char text[AG_TEXT];     /* the story: one dataset, one loss */
	char folded[AG_TEXT];   /* the same with the pinned input k as a literal */
	int n;                  /* vector length N (and classes K) */
	int f64;
	ag_leaf leaves[AG_MAXLEAVES];
	int nleaves;
	double pinned;          /* k's value */
	double edges[64];       /* points worth sampling, from the rows used */
	int nedges;
} ag_prog;

/* A random program; 0, or -1 when it came out too large (try again). */
int ag_generate(ag_src *s, ag_prog *p);
/* A program from its text (a regression case: the generator's shape of
   story, names o ov x xv k y s b p); -1 if it declares nothing. */
int ag_parse(const char *text, ag_prog *p);

/* Counts, for the summary and the closing note. */
typedef struct ag_stats {
	long programs, rejected, points, nodes_checked;
	long interval_checks, domain_points, beyond_ld, ill_conditioned, curv_checks, smooth_checks;
	long fold_checks, grad_checks, grad_skipped_kink, grad_skipped_ill;
	long branch_untaken;    /* values in a where() branch its condition does not take here */
	long fold_skipped_tie;  /* fold checks off by more than rounding at a condition's near tie */
	long failures;
} ag_stats;

/* Runs checks (a), (b), (c), (e) on p at `points` points drawn from s
   (edge points after the first third; gradients at every other one) and
   along `shapes` random directions and segments.  Each failure is printed
   to log (program, check, numbers) and counted; returns the number of
   failures. */
int ag_check(const ag_prog *p, ag_src *s, ag_stats *st, FILE *log, int points, int shapes);

/* Parse, resolve and lower p's text (or its folded text): the IR in its
   own arena (free it with ag_lowered_free), NULL after printing why. */
typedef struct ag_lowered {
	void *file;             /* ast_file */
	void *src;              /* source */
	void *ar;               /* arena */
	ir_loss *l;
	char why[512];
} ag_lowered;
int ag_lower(const char *text, ag_lowered *out);
void ag_lowered_free(ag_lowered *x);

/* The value of every leaf node of l at a point: leaf values by name,
   vals[leaf][element].  Set into x (ireval.h). */
struct ir_values;
void ag_set_leaves(const ag_prog *p, const ir_loss *l, struct ir_values *x, long double (*vals)[64]);

/* A bound on the rounding of the chain rule (ireval_backward) at x, per
   node and element, absolute: eg[id][j]. */
void ag_adjoint_error(const ir_loss *l, const struct ir_values *x, long double **eg);

/* Draw a point: vals[leaf][0..N) for each of p's leaves; edge: how hard. */
void ag_draw_point(const ag_prog *p, ag_src *s, int edge, long double (*vals)[64]);

#endif
