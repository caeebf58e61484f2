/*
 * ir.h: a loss's per-example `value`, type-checked and lowered into a
 * small typed expression DAG.  This is what the analyzer proves things
 * about and what `lossc gen` compiles to C.
 *
 * Lowering (ir_lower):
 *   - checks types and shapes and queues LS301 (type), LS302 (shape),
 *     LS306 (unknown function, wrong number or kind of arguments) and
 *     LS307 (value not a scalar), each at the smallest sub-expression;
 *   - inlines `let`s: a let used twice is ONE shared node (a let means
 *     its expression, evaluated once), so the IR is a DAG, not a tree;
 *   - folds `param`s (and any sub-expression without outputs, inputs or
 *     labels) to IR_CONST;
 *   - expands the composite losses (cross_entropy, mse, huber, bce, ...)
 *     into the primitive ops below, following funcs.h's table.
 *
 * Op set.  Shapes: every real node is a scalar (n == 0) or a vector of
 * n >= 1 reals; a class node is one integer label in [0, n).  Binary
 * elementwise ops take two operands of the same shape or one scalar and
 * one vector (the scalar is broadcast); the result has the vector's
 * shape.  Unary elementwise ops keep the shape.
 *
 *   leaves
 *     IR_CONST    constant: scalar `num`, or vector `vals[0..n)`
 *     IR_OUTPUT   the loss's `output` item `item` (the variable; gradients
 *                 are taken with respect to these only)
 *     IR_INPUT    a dataset `input` item
 *     IR_LABEL    a dataset `label` item.  class[K]: type IRT_CLASS, n = K;
 *                 prob[K]: real[K] in [0,1]; binary: real scalar in {0,1};
 *                 sign: real scalar in {-1,1}
 *     IR_VEC      vector literal [elems...] with non-constant elements;
 *                 every elem is a real scalar; n == nelems
 *   elementwise binary (a, b)
 *     IR_ADD a+b   IR_SUB a-b   IR_MUL a*b   IR_DIV a/b
 *     IR_POW a^b   (b is usually IR_CONST; a non-constant b means exp(b*log a))
 *     IR_MIN min(a,b)   IR_MAX max(a,b)
 *   elementwise unary (a)
 *     IR_NEG -a   IR_EXP   IR_LOG   IR_LOG1P log(1+a)   IR_EXPM1 exp(a)-1
 *     IR_SQRT   IR_ABS   IR_SQUARE a*a   IR_SIGMOID 1/(1+exp(-a))
 *     IR_LOG_SIGMOID log(sigmoid(a)) = -softplus(-a)
 *     IR_SOFTPLUS log(1+exp(a))   IR_TANH   IR_RELU max(a,0)
 *     IR_HUBER    PyTorch's elementwise Huber of a with delta = num (> 0):
 *                 0.5*a^2 where |a| <= delta, else delta*(|a| - 0.5*delta)
 *     IR_XLOGX    a*log(a), with 0*log(0) = 0 (PyTorch's xlogy(a, a));
 *                 a >= 0
 *   vector -> scalar (a is real[N]; IR_DOT also b, same N)
 *     IR_SUM   IR_MEAN   IR_VMAX max_i a_i   IR_VMIN min_i a_i
 *     IR_LOGSUMEXP log(sum_i exp(a_i))   IR_NORM1 sum_i |a_i|
 *     IR_NORM2 sqrt(sum_i a_i^2)   IR_DOT sum_i a_i*b_i
 *   vector -> vector
 *     IR_SOFTMAX (a real[N])   IR_LOG_SOFTMAX a_i - logsumexp(a)
 *     IR_ONEHOT  (a class[K]) real[K], 1 at a, 0 elsewhere
 *   indexing
 *     IR_INDEX   a[b]: a real[K], b class[K] -> real scalar
 *
 * Two notes for code generation:
 *   - IR_LOG nodes whose fn is the `bce` row are PyTorch's clamped log,
 *     max(log(a), -100), as torch.nn.functional.binary_cross_entropy
 *     computes it; the analyzer gives them the interval [-100, ...].
 *   - Each use of an output, input or label is its own leaf node (same
 *     ->item); a let is ONE node shared by every use.  A node used by
 *     several parents gets its gradient accumulated over all of them, in
 *     reverse id order.
 *
 * Every node keeps the span of the source sub-expression it came from; a
 * node made by expanding a call spans the call (so a finding about the
 * `log` inside bce(p, t) points at `bce(p, t)`), and `fn` names the
 * built-in whose call produced it (gen may fuse by it: a
 * -IR_INDEX(IR_LOG_SOFTMAX(z), y) from cross_entropy has the
 * softmax-minus-onehot gradient).
 *
 * Ownership: nodes and arrays are allocated in the arena passed to
 * ir_lower and die with it (pass the file's arena: the IR then lives as
 * long as the AST it points into).  The analysis fields of the nodes are
 * written by analyze_loss() (analyze.h); ir_lower leaves them zero.
 */
#ifndef LOSSC_IR_H
#define LOSSC_IR_H

#include <stdio.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "interval.h"

struct fn_info;

typedef enum ir_op {
	IR_CONST, IR_OUTPUT, IR_INPUT, IR_LABEL, IR_VEC,
	IR_ADD, IR_SUB, IR_MUL, IR_DIV, IR_POW, IR_MIN, IR_MAX,
	IR_NEG, IR_EXP, IR_LOG, IR_LOG1P, IR_EXPM1, IR_SQRT, IR_ABS, IR_SQUARE,
	IR_SIGMOID, IR_LOG_SIGMOID, IR_SOFTPLUS, IR_TANH, IR_RELU, IR_HUBER,
	IR_XLOGX,
	IR_SUM, IR_MEAN, IR_VMAX, IR_VMIN, IR_LOGSUMEXP, IR_NORM1, IR_NORM2,
	IR_DOT,
	IR_SOFTMAX, IR_LOG_SOFTMAX, IR_ONEHOT,
	IR_INDEX,
	IR_NOPS
} ir_op;

typedef enum ir_type { IRT_REAL, IRT_CLASS } ir_type;

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

struct ir_node {
	ir_op op;
	size_t id;              /* index in ir_loss.nodes; children have smaller ids */
	ir_type type;
	long n;                 /* IRT_REAL: 0 scalar, else length; IRT_CLASS: K */
	ir_node *a, *b;         /* operands as listed in the op table above */
	ir_node **elems;        /* IR_VEC */
	size_t nelems;
	double num;             /* IR_CONST scalar value; IR_HUBER delta */
	const double *vals;     /* IR_CONST vector: n values; NULL for a scalar */
	const ast_item *item;   /* IR_OUTPUT / IR_INPUT / IR_LABEL */
	span span;              /* source sub-expression (see above) */
	const struct fn_info *fn;   /* built-in call this node came from, or NULL */

	/* Filled by analyze_loss(); zero after ir_lower(). */
	int analyzed;
	ival iv;                /* hull of every element's possible values */
	ir_curv curv;
	int kink;               /* 1: not continuously differentiable in the outputs here */
};

typedef struct ir_loss {
	const ast_file *file;
	const ast_decl *loss;
	const ast_decl *dataset;   /* the dataset after `on`, NULL if unresolved */
	ir_node *root;             /* the per-example value; NULL when lowering failed */
	ir_node **nodes;           /* every node of root's DAG, children first */
	size_t nnodes;
	int errors;                /* LS301/302/306/307 findings queued by ir_lower */
	ast_reduce reduce;         /* RED_MEAN when the loss has no reduce item */
	ast_precision precision;   /* PREC_FLOAT32 when the loss has no precision item */
} ir_loss;

/*
 * Lower `loss` (a DECL_LOSS of f).  Findings go to diags; lowering goes on
 * after an error to find more, but then root is NULL and errors > 0.  A
 * loss without a value gives root == NULL and errors == 0 (LS108 is the
 * story checks').  Names are taken from ast_name.item when the resolver
 * filled it, else looked up in the loss's scope; a name found nowhere is
 * left to the resolver's LS010 and not reported again.  Never NULL.
 */
ir_loss *ir_lower(const ast_file *f, const ast_decl *loss, arena *a, diag_list *diags);

/* 1 if the value uses item (an input, label or output) anywhere. */
int ir_uses_item(const ir_loss *l, const ast_item *item);

/* "real", "real[4]", "class[10]" for a node's type; returns buf. */
char *ir_type_str(const ir_node *n, char *buf, size_t size);

/* LossSpec spelling of an op ("log_softmax", "+", "huber", ...). */
const char *ir_op_name(ir_op op);

/* Print an expression in LossSpec syntax, fully expanded, with the
   fewest parentheses that keep its meaning ("-log_softmax(z)[c]").
   Returns -1 on a write error. */
int ir_print(FILE *out, const ir_node *n);
/* The same into a buffer (truncated, always NUL-terminated); returns buf. */
char *ir_to_string(const ir_node *n, char *buf, size_t size);

#endif
