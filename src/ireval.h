/*
 * ireval.h: the in-process evaluator of the IR, in long double, from
 * the op rows' evaluators and derivatives (ops.h).
 *
 * It is the reference the rest is checked against: constant folding
 * (ir.c) computes with it, the analyzer searches witnesses with it, and
 * the agreement tests (tests/agree/) compare the analyzer's intervals and
 * claims, the generated kernels and their gradients with it.
 *
 * Ownership: an ir_values owns its arrays (malloc) until ireval_free();
 * it reads the IR, which must outlive it.
 */
#ifndef LOSSC_IREVAL_H
#define LOSSC_IREVAL_H

#include "ir.h"

/* Elements of a node's value: n for a real vector, else 1 (a scalar, or
   a class label holding its index). */
long ireval_len(const ir_node *n);

/* Node n's elements into out, from its operands' elements a[k]
   (ireval_len(args[k]) each).  Leaves are not computed here. */
void ireval_node(const ir_node *n, const long double *const *a, long double *out);

typedef struct ir_values {
	const ir_loss *l;
	long double **v;        /* per node id: its elements */
	long double **g;        /* per node id: d(root)/d(node), after ireval_backward */
	unsigned char *dep;     /* per node id: depends on an output */
} ir_values;

/* Allocate for l's nodes and fill the constants; -1 when out of memory.
   Lengths are whole numbers here: a loss with named sizes is evaluated
   on a copy at bound sizes (ir_bind). */
int ireval_init(ir_values *x, const ir_loss *l);
void ireval_free(ir_values *x);
/* Every node from the leaves: the caller sets v[id] of each output,
   input and label node (every use of an item its own node: set them all). */
void ireval_forward(ir_values *x);
/* Reverse mode: g[id] = d(root)/d(node) for the nodes that depend on an
   output (others 0), following each row's partials; after forward. */
void ireval_backward(ir_values *x);

/*
 * A batch of n rows (lossspec(5) BATCHES): rows[0..n) each initialized
 * for the same loss, leaves set per row.  A statistic over the batch
 * (OK_BATCH) reads its operand in every row and gives every row the one
 * result; arange(B) is row r's index r; the rest is row by row.
 * ireval_forward and ireval_backward are the batch of one row (std and
 * var NaN; arange 0).  The backward pass seeds
 * row r's value with seed[r] (the reduction's weight of that row: 1 / n
 * for a mean): g[id] of each row is then d(sum_r seed[r] value_r)/d(node
 * in that row), and a batch statistic's adjoint is the sum over the rows.
 */
void ireval_forward_batch(ir_values *rows, size_t n);
void ireval_backward_batch(ir_values *rows, size_t n, const long double *seed);

#endif
