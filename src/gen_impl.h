/*
 * gen_impl.h: the gen module's internals, shared by gen.c (files and the
 * command), gen_kernel.c (kernels and gradients) and gen_harness.c.
 * Not for other modules: use gen.h.
 *
 * Ownership: a gen_kernel's strings and tables live in the arena passed
 * to gk_init() and die with it.  It reads the IR, never changes it.
 */
#ifndef LOSSC_GEN_IMPL_H
#define LOSSC_GEN_IMPL_H

#include <stdio.h>

#include "arena.h"
#include "ast.h"
#include "gen.h"
#include "ir.h"

/* Longest single generated expression; beyond it gen refuses the loss
   (deeply shared lets can otherwise blow up when inlined). */
#define GEN_MAX_EXPR ((size_t)1 << 20)

/* Elements per chunk of the chunked log-sum-exp: small enough to stay in
   L1 between its max and its exp-sum. */
#define GEN_CHUNK 512

/* Helpers the kernel file defines when used (gen_kernel_helpers). */
enum { GH_SOFTPLUS, GH_LOG_SIGMOID, GH_SIGMOID, GH_HUBER, GH_HUBER_D, GH_XLOGX, GH_SIGN, GH_EXP_SHIFTED, GH_COUNT };

/* Independent accumulators (and elements a step) of the log-sum-exp passes
   and the gradient rows: lanes without a loop-carried dependence, so the
   compiler can use vector instructions at -O2 without reassociating. */
#define GEN_LANES 4

/* The log-sum-exp of one vector node, shared by the softmax,
   log_softmax and logsumexp nodes over it. */
typedef struct gk_lse {
	int used, declared, emitted, finished, chunked;
	size_t id;              /* names lc_m<id>, lc_s<id>, lc_ls<id> */
	int level;
} gk_lse;

/* One term of a vector's adjoint: coef * factor(j). */
enum { GT_ONE, GT_ONEHOT, GT_ELEM };
typedef struct gk_term {
	int kind;
	const char *coef;       /* a scalar C expression (usually a local) */
	const char *at;         /* GT_ONEHOT: the label index expression */
	const char *elem;       /* GT_ELEM: an expression of lc_j */
	struct gk_term *next;
} gk_term;

/* A parameter of the generated functions. */
typedef struct gk_param {
	const ast_item *item;
	const char *name;       /* C identifier */
	const char *dname;      /* outputs: the gradient buffer's name */
	long dim;               /* 0: one value a row */
	int is_class;           /* int32_t labels */
} gk_param;

typedef struct gen_kernel {
	const ir_loss *loss;
	int index;              /* the loss's position in the file (names static data) */
	arena *arena;
	int f32;
	const char *T;          /* "float" / "double" */
	const char **var;       /* per node: the C name of a scalar's value */
	int *level;
	int *dep;               /* per node: depends on an output */
	int *looped;
	gk_lse *lse;            /* indexed by the operand's id */
	int maxlevel;
	gk_term **adj;          /* per vector node: its adjoint's terms */
	int ntemps;
	int helpers[GH_COUNT];
	const ir_node *unsupported;   /* an op this generator cannot emit */
	int too_big;
	/* the C API */
	gk_param *params;       /* outputs, then used inputs/labels */
	size_t nparams, nouts;
	const char *fname, *gname;    /* loss_NAME, loss_NAME_grad */
	const char *loss_name;        /* as in the spec (for comments; escaped when printed) */
} gen_kernel;

const char *gk_fmt(gen_kernel *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *gk_elem(gen_kernel *g, const ir_node *nd, const char *idx);
const char *gk_apply(gen_kernel *g, const ir_node *nd, const char *a, const char *b);
const char *gk_partial(gen_kernel *g, const ir_node *nd, int k, const char *a, const char *b);
int gk_is_elementwise(ir_op op);
const char *gk_item_name(gen_kernel *g, const ast_item *item);

void gk_init(gen_kernel *g, const ir_loss *l, int index, arena *a);
void gk_forward_row(gen_kernel *g, FILE *o, const char *ind);
void gk_backward_row(gen_kernel *g, FILE *o, const char *ind);
/* Names and parameters of the API (claims identifiers in names). */
void gk_api(gen_kernel *g, gen_names *names, const char *prefix);
/* Prototypes (for the header; with a trailing ";\n"). */
void gk_prototypes(gen_kernel *g, FILE *o);
/* The definitions of the forward and gradient functions. */
void gk_functions(gen_kernel *g, FILE *o);
/* File-scope constants (vector params). */
void gk_constants(gen_kernel *g, FILE *o);
/* The used helpers' definitions, in both precisions as used. */
void gk_helpers(FILE *o, const int *used_f32, const int *used_f64);

/* The cmocka harness for the kernels of one file (gen_harness.c). */
void gen_harness(FILE *o, const char *stem, const source *src, gen_kernel *ks, size_t nk);

#endif
