/*
 * ir.h: a loss's per-example `value`, type-checked and lowered into a
 * small typed expression DAG.  This is what the analyzer proves things
 * about, what the in-process evaluator (ireval.h) computes and what
 * `lossc gen` compiles to C.
 *
 * Lowering (ir_lower):
 *   - checks types and shapes and queues LS301 (type), LS302 (shape),
 *     LS306 (unknown function, wrong number or kind of arguments) and
 *     LS307 (value not a scalar), each at the smallest sub-expression;
 *   - inlines `let`s: a let used twice is ONE shared node (a let means
 *     its expression, evaluated once), so the IR is a DAG, not a tree;
 *   - folds `param`s (and any node whose operands are all constants) to
 *     IR_CONST, with the in-process evaluator;
 *   - expands the composite losses (cross_entropy, mse, huber, bce, ...)
 *     into primitive ops, following their definitions in losses.c.
 *
 * Ops.  The meaning of every op (its operands, shape rule, domain,
 * interval, curvature, derivatives, C text) is one row of ops.c's table,
 * indexed by the op: ops.h says what a row holds.  Shapes: every node
 * carries its shape (shape.h): per example or per batch, and its axes
 * with their sizes, whole numbers or named sizes.  A class node is one
 * integer label per row (a scalar shape) in [0, K), K its `classes`.
 * Elementwise ops take operands of one shape or scalars (broadcast).
 * ir_len() gives the one number v1 code reasons with: 0 for a scalar, N
 * for a vector real[N], K for a class label.  The operands are args[0..nargs), in the order of
 * the row's parameters; IR_VEC has any number of scalar operands.
 *
 * Each use of an output, input or label is its own leaf node (same
 * ->item); a let is ONE node shared by every use.  A node used by several
 * parents gets its gradient accumulated over all of them.
 *
 * Every node keeps the span of the source sub-expression it came from; a
 * node made by expanding a call spans the call (so a finding about the
 * `log` inside kl_div(p, t) points at `kl_div(p, t)`), and `from` names
 * the composite loss whose expansion made it.  The node an expansion
 * returns also records the call itself (`call`): the analyzer applies the
 * loss's hand-proven properties and argument domains there.
 *
 * Ownership: nodes and arrays are allocated in the arena passed to
 * ir_lower and die with it; the IR points into the AST, so that arena must
 * not outlive the file.  The pipeline (pipeline.h) lowers each loss into
 * an arena of its own, freed before the next loss, so a file's IR is
 * never all in memory at once.  The analysis fields of the nodes are
 * written by analyze_loss() (analyze.h); ir_lower leaves them zero.
 */
#ifndef LOSSC_IR_H
#define LOSSC_IR_H

#include <stdio.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "interval.h"
#include "shape.h"

struct loss_info;

/* Nested where() branches whose conditions narrow a value, at most. */
#define IR_MAX_ASSUME 16

/* The ops; ops.c has one row for each (a unit test checks that). */
typedef enum ir_op {
	/* leaves; IR_SIZE is a named size's value (its ->item), bound when the
	   generated functions are called: len(v) of a real[V] */
	IR_CONST, IR_OUTPUT, IR_INPUT, IR_LABEL, IR_SIZE,
	/* arange(B): the row's own index in the batch, a class label of B
	   classes (PyTorch's torch.arange(B) as a target) */
	IR_ARANGE,
	/* structure: a vector literal of scalars, indexing by a class label */
	IR_VEC, IR_INDEX,
	/* operators */
	IR_ADD, IR_SUB, IR_MUL, IR_DIV, IR_POW, IR_NEG,
	/* elementwise functions */
	IR_EXP, IR_LOG, IR_LOG1P, IR_EXPM1, IR_SQRT, IR_ABS, IR_SQUARE,
	IR_SIGMOID, IR_LOG_SIGMOID, IR_SOFTPLUS, IR_TANH, IR_RELU, IR_LOG_COSH, IR_MIN, IR_MAX,
	IR_CLAMP,
	/* comparisons (a condition) and the choice by one */
	IR_LT, IR_LE, IR_GT, IR_GE, IR_EQ, IR_NE, IR_WHERE,
	/* elementwise, produced by expansions only */
	IR_HUBER, IR_XLOGX, IR_BCE,
	/* vector to scalar */
	IR_SUM, IR_MEAN, IR_VMAX, IR_VMIN, IR_LOGSUMEXP, IR_NORM1, IR_NORM2, IR_DOT,
	/* vector to vector */
	IR_SOFTMAX, IR_LOG_SOFTMAX, IR_ONEHOT,
	/* over the batch: a per-example scalar -> one per-batch scalar (lossspec(5) BATCHES) */
	IR_BSUM, IR_BMEAN, IR_BVAR, IR_BSTD,
	/* across the rows: a row of the result reads every row of an operand
	   (a @ transpose(b), transpose of a B x B matrix; lossspec(5) BATCHES) */
	IR_GRAM, IR_TRANSPOSE, IR_CDIST,
	IR_NOPS
} ir_op;

/* A condition (a comparison) holds 1 where true and 0 where false, but is
   not a number: only where() takes one. */
typedef enum ir_type { IRT_REAL, IRT_CLASS, IRT_COND } ir_type;

/* Curvature in the outputs, ordered so that "at least as good as" makes sense:
   a constant is affine, an affine expression is both convex and concave. */
typedef enum ir_curv {
	CURV_CONST,             /* does not depend on any output */
	CURV_AFFINE,
	CURV_CONVEX,
	CURV_CONCAVE,
	CURV_UNKNOWN            /* not provable by the composition rules */
} ir_curv;

typedef struct ir_node ir_node;

/* A composite loss call, recorded on the node its expansion returned. */
typedef struct ir_call {
	const struct loss_info *loss;
	unsigned nargs;
	ir_node *const *args;   /* the lowered arguments (NULL for a defaulted constant) */
	const double *k;        /* the constant arguments' values (defaults filled in) */
} ir_call;

struct ir_node {
	ir_op op;
	ir_type type;
	unsigned nargs;
	shp shape;              /* the value's shape; IRT_CLASS: a scalar (one label) */
	shp_size classes;       /* IRT_CLASS: K, the number of classes */
	size_t id;              /* index in ir_loss.nodes; operands have smaller ids */
	ir_node **args;         /* operands args[0..nargs) */
	double num;             /* IR_CONST scalar value */
	const double *vals;     /* IR_CONST vector: n values; NULL for a scalar */
	const ast_item *item;   /* IR_OUTPUT / IR_INPUT / IR_LABEL; IR_SIZE: the size item */
	span span;              /* source sub-expression (see above) */
	const struct loss_info *from;   /* composite loss whose expansion made it, or NULL */
	const ir_call *call;    /* the node an expansion returned: that call; else NULL */
	/* Inside a branch of where(x > k, ...): what the condition says of this
	   value (x's node in that branch), met with its interval by the analyzer. */
	ival assume;
	int assumed;

	/* Filled by analyze_loss(); zero after ir_lower(). */
	int analyzed;
	ival iv;                /* hull of every element's possible values */
	ir_curv curv;
	int kink;               /* 1: not continuously differentiable in the outputs here */
	unsigned proved;        /* the hand-proven bounds that narrowed iv: bit k for the
	                           op row's proofs[k], bit 8 + k for the loss row's (ops.h) */
};

typedef struct ir_loss {
	const ast_file *file;
	const ast_decl *loss;
	const ast_decl *dataset;   /* the dataset after `on`, NULL if unresolved */
	ir_node *root;             /* the per-example value; NULL when lowering failed */
	ir_node *weight;           /* `reduce ... weight w`: the row's weight (a real
	                              scalar of data only), or NULL; in nodes too */
	const ast_item *mask;      /* ignore_index=k on this class label: a row whose
	                              label is mask_k is left out (lossspec(5) MASKS
	                              AND WEIGHTS); NULL: no row is */
	long mask_k;
	ir_node **nodes;           /* every node of root's and weight's DAG, operands first */
	size_t nnodes;
	int errors;                /* LS301/302/306/307 findings queued by ir_lower */
	/* The named sizes the generated functions take, in the documented
	   order (lossspec(5) GENERATED CODE): the dataset's `size` items
	   first, then the loss's, each in declaration order, those the loss
	   uses (in a node's shape or class count, or an argument's type). */
	const ast_item **sizes;
	size_t nsizes;
	/* The loss's `batch` item when the batch size is a length in it (a
	   row as long as the batch, real[B]; arange(B)'s class count), else
	   NULL.  It is no parameter: the generated code spells it n, and
	   ir_bind() reads its value after the sizes' (bound[nsizes]). */
	const ast_item *rows;
	ast_reduce reduce;         /* RED_MEAN when the loss has no reduce item */
	ast_precision precision;   /* PREC_FLOAT32 when the loss has no precision item */
} ir_loss;

/*
 * Lower `loss` (a DECL_LOSS of f).  Findings go to diags; lowering goes on
 * after an error to find more, but then root is NULL and errors > 0.  A
 * loss without a value gives root == NULL and errors == 0 (LS108 is the
 * story checks').  Names are taken from ast_name.item (the resolver's
 * answer); a name it left NULL was reported there (LS010) and is not
 * reported again.  Never NULL.
 */
ir_loss *ir_lower(const ast_file *f, const ast_decl *loss, arena *a, diag_list *diags);

/*
 * Lengths.  A vector's length (its last axis) or a label's class count is
 * a shp_size: a whole number, or a named size bound when the generated
 * functions are called (`size V;`, lossspec(5) TYPES).  Code that reasons
 * about lengths takes a shp_size:
 *   - ir_dim(n): the length itself; {0, NULL} for a real scalar;
 *   - ir_is_vec(n): a real vector, of either kind of length;
 *   - shp_size_eq(ir_dim(a), ir_dim(b)): two lengths are equal only when
 *     the same number or the same size item (shape.h);
 *   - gen spells a length in C with gk_len() (gen_impl.h): the number, or
 *     the size's size_t parameter;
 *   - the analyzer reasons over an unknown length as any whole number >= 1
 *     (ops_range's n = 0); what needs numbers (the evaluator, witnesses,
 *     the harness's reference) runs on ir_bind()'s copy at bound sizes.
 */
static inline shp_size ir_dim(const ir_node *n)
{
	if (n->type == IRT_CLASS)
		return n->classes;
	return n->shape.rank ? n->shape.size[n->shape.rank - 1] : shp_num(0);
}

static inline int ir_is_vec(const ir_node *n)
{
	return n->type != IRT_CLASS && n->shape.rank > 0;
}

/* 1: the length is a named size, unknown until the functions are called. */
static inline int ir_dim_named(const ir_node *n)
{
	return ir_dim(n).item != NULL;
}

/*
 * A node's length as v1 reasons about it: 0 for a real scalar, N for a
 * real vector whose one axis is the whole number N, K for a class label
 * of K classes.  Only for whole-number lengths: a named size gives 0, so
 * code that may meet one asks ir_dim() / ir_is_vec() first.
 */
static inline long ir_len(const ir_node *n)
{
	return ir_dim(n).n;
}

/* Position of a named size in l->sizes, or -1 when the loss does not take it. */
int ir_size_index(const ir_loss *l, const ast_item *size);

/* A length at bound sizes: z.n, or bound[ir_size_index(l, z.item)]; the
   batch size (l->rows) is bound[l->nsizes]. */
long ir_size_at(const ir_loss *l, shp_size z, const long *bound);

/*
 * A copy of l's nodes with every named size replaced by its bound value
 * (bound[i] for l->sizes[i], each >= 1, then bound[nsizes] for the
 * batch size when l->rows: the rows the copy is evaluated at), in arena a: the evaluator
 * (ireval.h), the witness search and the harness's reference compute on
 * it as on a v1 loss.  Node ids, items and spans are kept; a constant
 * index from the end (z[-1] of real[V]) becomes its element.  Returns l
 * itself when it has no named size and no row as long as the batch.  The smallest sizes a binding may
 * use: ir_min_size() (a constant index k needs V > k).
 */
const ir_loss *ir_bind(const ir_loss *l, const long *bound, arena *a);
long ir_min_size(const ir_loss *l, const ast_item *size);

/* Set a node's shape from a length (see ir_dim; ir_len for a whole
   number), keeping its level. */
void ir_set_dim(ir_node *n, shp_size len);
void ir_set_len(ir_node *n, long len);

/* 1 if the value uses item (an input, label or output) anywhere. */
int ir_uses_item(const ir_loss *l, const ast_item *item);

/* "real", "real[4]", "class[10]" for a node's type; returns buf. */
char *ir_type_str(const ir_node *n, char *buf, size_t size);

/* LossSpec spelling of an op ("log_softmax", "+", "huber_elem", ...). */
const char *ir_op_name(ir_op op);

/* Print an expression in LossSpec syntax, fully expanded, with the
   fewest parentheses that keep its meaning ("-log_softmax(z)[c]").
   Returns -1 on a write error. */
int ir_print(FILE *out, const ir_node *n);
/* The same into a buffer (truncated, always NUL-terminated); returns buf. */
char *ir_to_string(const ir_node *n, char *buf, size_t size);

#endif
