/*
 * gen_impl.h: the gen module's internals, shared by gen.c (files and the
 * command), gen_template.c (the rows' C text, instantiated), gen_sched.c
 * (the forward row: element expressions, fused loops), gen_adjoint.c
 * (the reverse row), gen_kernel.c (the C API and functions) and
 * gen_harness.c.  Not for other modules: use gen.h.
 *
 * Ownership: a gen_kernel's strings and tables live in the arena passed
 * to gk_init() and die with it.  It reads the IR, never changes it, and
 * is used only while the IR lives (the pipeline's per-loss callback).
 */
#ifndef LOSSC_GEN_IMPL_H
#define LOSSC_GEN_IMPL_H

#include <stdio.h>

#include "arena.h"
#include "ast.h"
#include "gen.h"
#include "ir.h"
#include "ops.h"

/* Longest single generated expression; beyond it gen refuses the loss
   (deeply shared lets can otherwise blow up when inlined). */
#define GEN_MAX_EXPR ((size_t)1 << 20)

/* Elements per chunk of a scaled sum (log-sum-exp, norm2): small enough
   to stay in L1 between its max and its sum. */
#define GEN_CHUNK 2048

/* Independent accumulators (and elements a step) of the scaled sums and
   the gradient rows: lanes without a loop-carried dependence, so the
   compiler can use vector instructions at -O2 without reassociating. */
#define GEN_LANES 4

/* The precision a template is written out in. */
typedef enum gen_prec { GP_F32, GP_F64, GP_LD } gen_prec;

/* What a template's escapes stand for (ops.h); NULL: not available. */
typedef struct gt_env {
	const char *arg[OP_MAX_ARGS];   /* %0 %1 %2 */
	const char *value;              /* %v */
	const char *adj;                /* %g */
	const char *acc;                /* %a */
	const char *len;                /* %n */
	const char *idx;                /* %j */
	const char *max, *next;         /* %M %N */
	const char *der[2];             /* %L %I */
} gt_env;

/* A scaled sum (op_scale) over one operand, shared by the ops that read it. */
typedef struct gk_scale {
	const op_scale *s;
	size_t operand;         /* the operand's node id */
	size_t id;              /* names lc_m<id>, lc_s<id>, lc_ls<id>, lc_is<id> */
	int level;
	int declared, emitted, finished, chunked;
	/* kept terms (gradient functions, rows of one chunk): the sum pass
	   stores each term in lc_e<id>[klen], and the gradient row loads it
	   where its element text has the same term (gk_kept_terms) */
	const char *kept;       /* "lc_e<id>", or NULL */
	long klen;
	const char *kterm, *kvterm;   /* the term's text, scalar and vector */
	struct gk_scale *next;
} gk_scale;

/* One term of a vector's adjoint: coef * factor(j). */
enum { GT_ONE, GT_ONEHOT, GT_ELEM };
typedef struct gk_term {
	int kind;
	const char *coef;       /* a scalar C expression (usually a local) */
	const char *at;         /* GT_ONEHOT: the label index expression */
	const char *elem;       /* GT_ELEM: an expression of lc_j */
	const char *velem;      /* the same in vector mode (gen_vec.c), or NULL */
	int partial;            /* elem holds an elementwise op's partial, which may be
	                           infinite or NaN where the values are finite (sqrt at
	                           0): a coefficient of 0 must still give 0 (gk_mul0) */
	struct gk_term *next;
} gk_term;

/* A parameter of the generated functions. */
typedef struct gk_param {
	const ast_item *item;
	const char *name;       /* C identifier */
	const char *dname;      /* outputs: the gradient buffer's name */
	shp_size len;           /* a row's values: a whole number or a named size;
	                           {0, NULL}: one value a row */
	shp_size classes;       /* class labels: K */
	int per_batch;          /* `per batch`: one value for the whole batch, NAME[0]; an
	                           output's gradient is the sum of the rows' contributions */
	int is_class;           /* int32_t labels */
} gk_param;

typedef struct gen_kernel {
	const ir_loss *loss;
	int index;              /* the loss's position in the file (names static data) */
	arena *arena;
	gen_prec prec;          /* GP_F32 or GP_F64 */
	const char *T;          /* "float" / "double" */
	const char **var;       /* per node: the C name of a scalar's value */
	int *level;
	int *dep;               /* per node: depends on an output */
	int *looped;
	gk_scale **scales;      /* per operand id: the scaled sums over it */
	int maxlevel;
	/* per node: emit it in the forward row; NULL: every node.  The row
	   pass leaves out what only statistics over the batch read, and each
	   batch stage computes only its statistic's operand. */
	unsigned char *only;
	int has_batch;          /* the rows interact: statistics over the batch (OK_BATCH)
	                           or a value declared `per batch` */
	gk_term **adj;          /* per vector node: its adjoint's terms */
	int ntemps;
	unsigned long helpers[3];   /* per gen_prec: bit i = op_helpers[i] is used */
	const ir_node *unsupported;   /* a node this generator cannot emit */
	int too_big;
	/* the C API */
	gk_param *params;       /* outputs, then used inputs/labels */
	size_t nparams, nouts;
	const char *fname, *gname;    /* loss_NAME, loss_NAME_grad */
	const char *cname;            /* loss_NAME_check */
	const char *loss_name;        /* as in the spec (for comments; escaped when printed) */
	/* named sizes (LossSpec v2): per l->sizes, its size_t parameter */
	const char **size_names;
	const char *wname;            /* loss_NAME_work_size, or NULL (no named size) */
	struct gk_work *work;         /* the buffers carved from `work`, in order */
	/* the harness at bound sizes (gen_harness.c): the values its calls pass
	   for the kernel's named sizes (nbound of them), on a bound copy of the IR */
	const long *bound;
	size_t nbound;
	/* ... and the batch size the copy binds, when a row is as long as the
	   batch (l->rows, arange): its test runs at that many rows; else 0 */
	long rows;
	/* vector mode (gen_vec.c): element expressions are 8-lane vectors */
	int vmode;
	int vfail;                    /* something met in vector mode has no vector form */
	struct gv_acc *vacc;          /* the vector accumulators a vector loop body used */
	int vloops;                   /* vector loops emitted (the dispatch clones them) */
	const char *vsfx;             /* the suffix of the vector accumulators' second set */
	long vlen;                    /* the length of the lanes loop being written (0: unknown) */
	int grad;                     /* the function being written is the gradient's */
	int vstream;                  /* the body's row stores are streaming stores (LC_VSTNT) */
	int vstreams;                 /* streamed rows emitted (each needs a fence per part) */
	/* rows across the batch (gen_cross.c): the loss has an OK_CROSS node.
	   Per node, mat: its rows are kept in `work` for the whole batch (an
	   OK_CROSS node, or an operand of one): every pass but the stage that
	   computes it (target) reads it there like an output's row, and its
	   adjoint rows are kept beside them.  Output gradients then add up
	   over the passes (+=, after zeroing): no vector mode, no streaming. */
	int cross;
	unsigned char *mat;
	long target;                  /* the node the current stage computes, or -1 */
	const char **mbuf, **mdbuf;   /* per node: its rows' and adjoint rows' buffers */
} gen_kernel;

/* A buffer of scratch memory carved from the caller's `work` (lossspec(5)
   GENERATED CODE): count elements of type T (a C expression of n and the
   named sizes), at a 64-byte aligned offset.  loss_NAME_work_size sums
   them; a loss that registers none has a work size of 0. */
typedef struct gk_work {
	const char *name;       /* the pointer the functions declare */
	const char *type;       /* its element type */
	const char *count;      /* elements, a size_t expression */
	const char *factor[2];  /* count's two factors (overflow-checked apart), or NULL */
	struct gk_work *next;
} gk_work;

/* 1: a parameter holds a vector a row (of a whole-number or named length). */
static inline int gk_param_vec(const gk_param *P)
{
	return P->len.item || P->len.n > 0;
}

/* gen_template.c */
const char *gk_fmt(gen_kernel *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* tpl with the escapes of e, in precision p; marks the helpers it calls. */
const char *gt_expand(gen_kernel *g, gen_prec p, const char *tpl, const gt_env *e);
/* v as a literal of precision p (parenthesized when negative). */
const char *gt_num(gen_kernel *g, gen_prec p, double v);
/* The definitions of the helpers `used` names (and those they call), in
   precision p, in table order. */
void gt_helpers(FILE *o, gen_prec p, unsigned long used);

/* gen_kernel.c */
const char *gk_num(gen_kernel *g, double v);
const char *gk_apply(gen_kernel *g, const ir_node *nd, const char *const *args);
const char *gk_partial(gen_kernel *g, const ir_node *nd, int k, const char *const *args, const char *value);
const char *gk_item_name(gen_kernel *g, const ast_item *item);
/* A length in C: the number, or the named size's size_t parameter. */
const char *gk_len(gen_kernel *g, shp_size z);
/* The same as a number of the kernel's type T (for a mean's divisor). */
const char *gk_lenf(gen_kernel *g, shp_size z);
/* A node's length (ir_dim) in C; "1" for a scalar. */
const char *gk_dim(gen_kernel *g, const ir_node *nd);
/* Registers a work buffer (see gk_work) and returns its pointer's name. */
const char *gk_work_buffer(gen_kernel *g, const char *type, const char *count);
/* The same for a count a * b (size_t expressions): NAME_work_size checks
   the product for overflow before it forms it. */
const char *gk_work_buffer2(gen_kernel *g, const char *type, const char *a, const char *b);
unsigned long gk_line(const gen_kernel *g, const ir_node *nd);
void gk_init(gen_kernel *g, const ir_loss *l, int index, arena *a);
/* Names and parameters of the API (claims identifiers in names). */
void gk_api(gen_kernel *g, gen_names *names, const char *prefix);
/* Prototypes (for the header; with a trailing ";\n"). */
void gk_prototypes(gen_kernel *g, FILE *o);
/* The definitions of the forward and gradient functions. */
void gk_functions(gen_kernel *g, FILE *o);
/* File-scope constants (vector params). */
void gk_constants(gen_kernel *g, FILE *o);

/* gen_sched.c */
int gk_is_vec(const ir_node *nd);
const char *gk_elem(gen_kernel *g, const ir_node *nd, const char *idx);
/* The scaled sum (log-sum-exp, softmax) node nd computes over its
   operand 0, or NULL. */
const op_scale *gk_node_scale(const ir_node *nd);
gk_scale *gk_scale_of(gen_kernel *g, const ir_node *operand, const op_scale *s);
/* The escapes of a scaled sum's state (%M %L %I) into e. */
void gk_scale_env(gen_kernel *g, const gk_scale *S, gt_env *e);
void gk_levels(gen_kernel *g);
void gk_forward_row(gen_kernel *g, FILE *o, const char *ind);
/* A loop over elements [from, to) in GEN_LANES lanes; body emits one
   element's statements (lc_j its index, lc_k its lane). */
typedef void gk_body_fn(gen_kernel *g, FILE *o, const char *ind, const void *ctx);
void gk_lanes_loop(gen_kernel *g, FILE *o, const char *ind, const char *from, const char *to,
		   gk_body_fn *body, const void *ctx);
/* x with each kept term (gk_scale.kept) of a row of klen == g->vlen
   elements replaced by its load from the kept array. */
const char *gk_kept_terms(gen_kernel *g, const char *x);

/* gen_adjoint.c */
void gk_backward_row(gen_kernel *g, FILE *o, const char *ind);

/* gen_kernel.c, for gen_cross.c */
void gk_parts_open(FILE *o);
void gk_mark(gen_kernel *g, const ir_node *a, const ir_node *b);
void gk_row_head(gen_kernel *g, FILE *o, int grad, int stage);
#define GEN_PARTS 64

/* gen_cross.c: the stages of a loss whose rows interact through OK_CROSS
   nodes (see gen_kernel.cross) */
void gk_cross_init(gen_kernel *g);
int gk_is_mat_leaf(const gen_kernel *g, const ir_node *nd);
/* in the row loop: the row pointers of the kept rows the pass reads */
void gk_cross_row_head(gen_kernel *g, FILE *o, int grad);
/* before the row pass: zero what the gradient adds into, then compute
   every kept node over the batch, in node order */
void gk_cross_forward(gen_kernel *g, FILE *o, int grad);
/* after the row pass: the kept nodes' adjoints in reverse node order,
   each sent on to its operands' rows and through its own row's graph */
void gk_cross_backward(gen_kernel *g, FILE *o);
/* in the backward row: the adjoint rows of the kept rows read, added into
   their buffers */
void gk_cross_mat_rows(gen_kernel *g, FILE *o, const char *ind, const char *(*expr)(gen_kernel *, const gk_term *));

/* gen_harness.c: per loss, the long double reference and the test; then
   the program around them. */
void gh_loss(gen_kernel *g, FILE *o);
void gh_program(FILE *o, const char *stem, const source *src, const char *body, const char *const *tests,
		size_t ntests, unsigned long ld_helpers);

/* ---- gen_vec.c: explicit vector loops (GCC/Clang vector extensions) ---- */

/* A vector accumulator of a loop body: lc_v<name> folds into the scalar
   lanes array lc_<name>[GEN_LANES] after the vector loop. */
typedef struct gv_acc {
	const char *name;       /* e.g. "cs3" */
	int is_max;             /* else a sum */
	const char *init;       /* the lanes' initial value */
	struct gv_acc *next;
} gv_acc;

/* The vector form of a scalar element expression text: e, or "0" with
   g->vfail set when e is not plain arithmetic on vectors and scalars. */
const char *gv_check(gen_kernel *g, const char *e);
/* Registers accumulator lc_v<name> of the current vector body. */
void gv_acc_use(gen_kernel *g, const char *name, int is_max, const char *init);
/* The macros and types of the vector path, once per file. */
void gv_prelude(FILE *o);
/* Writes the vector main loop of gk_lanes_loop over [lc_j0, to), or
   nothing when the body has no vector form (or the kernel is float64). */
void gv_loop(gen_kernel *g, FILE *o, const char *ind, const char *to, gk_body_fn *body, const void *ctx);
/* Opens `#ifdef LC_VSTREAM if (large) {` with the streamed vector loops
   of one gradient row of dim elements and returns 1, or writes nothing
   and returns 0; gv_stream_end() closes it with `} else #endif`. */
int gv_stream_begin(gen_kernel *g, FILE *o, const char *ind, long dim, gk_body_fn *body, const void *ctx);
void gv_stream_end(FILE *o, const char *ind);

/* ---- gen_python.c: DIR/STEM_loss.py (--python) ---- */

/* One loss's entry in the Python module (its argument table), appended to o. */
void gp_loss(gen_kernel *g, FILE *o);
/* The module: the loader, the checks, the NumPy and torch wrappers, then body. */
void gp_program(FILE *o, const char *stem, const source *src, const char *body);

#endif
