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

#endif
