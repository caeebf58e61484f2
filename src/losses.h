/*
 * losses.h: the composite losses (cross_entropy, mse, bce, ...), each
 * defined in LossSpec itself, by cases.
 *
 * A row gives the call's signature (parameter kinds, defaults, limits on
 * constants, which arguments must have the same shape), then its
 * definition: cases tried in order, each a guard ("y is class,
 * label_smoothing = 0") and a LossSpec body (`let`s, then the value) over
 * the parameter names.  ir.c lowers a call by lowering the first case
 * whose guard holds, with the parameters bound to the lowered arguments;
 * a body may call other losses and the internal ops (huber_elem, xlogx,
 * bce_elem), and `len(v)`, the length of a vector argument.  With
 * `average` set, a vector result is averaged over its elements, as
 * PyTorch's losses are over a row.
 *
 * The definitions are parsed once, on first use, by the ordinary parser;
 * a definition that does not parse is a programming error (abort), and
 * tests/unit/test_losses.c lowers every case.
 *
 * Hand-proven properties of the value live in the row too: `range` (an
 * interval the analyzer intersects with what the composition rules give,
 * such as cosine_embedding's [0, 2]) and `convex_in` (the arguments the
 * loss is convex in when the others are constant; test_losses.c checks
 * the analyzer proves each from the definition).
 *
 * Ownership: static data; the parsed definitions live until exit.
 */
#ifndef LOSSC_LOSSES_H
#define LOSSC_LOSSES_H

#include "ast.h"
#include "ops.h"

#define LOSS_MAX_CASES 4
#define LOSS_MAX_GUARDS 3

typedef struct loss_case {
	const char *when;       /* the guard: conditions joined by ", "; NULL: always */
	const char *body;       /* "let lp = log_softmax(logits); -lp[y]" */
} loss_case;

typedef struct loss_info {
	fn_sig sig;
	int average;
	loss_case cases[LOSS_MAX_CASES];
	/* hand-proven: the value lies in range(argument intervals, constants) */
	ival (*range)(const ival *args, const double *k);
	unsigned convex_in;     /* bit i: convex in argument i, the others constant */
	/* hand-proven bounds that hold for some arguments only (kl_div: Gibbs'
	   inequality when logq is a log-softmax and p a probability vector);
	   the bound is called with the node the call expanded to
	   (n->call: the arguments).  NULL-terminated; NULL: none */
	const op_proof *const *proofs;
	/* takes PyTorch's ignore_index=k: 1 + the parameter holding the class
	   label it compares (a row whose label is k is left out); 0: none */
	int mask_label;
} loss_info;

extern const loss_info losses[];
extern const size_t losses_count;

/* One condition of a guard. */
enum { LG_CLASS, LG_BINARY, LG_EQ };
typedef struct loss_guard {
	int param;              /* the argument tested */
	int what;               /* LG_CLASS: is a class label; LG_BINARY: a binary label;
	                           LG_EQ: the constant equals v */
	double v;
} loss_guard;

/* A case, parsed. */
typedef struct loss_def {
	loss_guard guards[LOSS_MAX_GUARDS];
	int nguards;
	const ast_decl *decl;   /* a loss declaration: the body's lets, then `value = ...` */
	const ast_expr *value;
} loss_def;

/* The number of cases of l, and case c parsed (never NULL for c < count). */
int losses_ncases(const loss_info *l);
const loss_def *losses_def(const loss_info *l, int c);

#endif
