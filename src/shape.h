/*
 * shape.h: the shapes of LossSpec values and the rules that combine them
 * (lossspec(5) TYPES and BATCHES).
 *
 * A value is per example (one value for each row of the batch) or per
 * batch (one for the whole batch).  A per-example value of shape [s] is
 * row i of a batch tensor [B, s], and the rules here are PyTorch's on
 * those tensors: elementwise operations act row by row and broadcast a
 * per-batch value over the rows; vector functions act on the last axis
 * (for a per-example scalar that axis is the batch); transpose, matmul,
 * cdist and diagonal act on the batch tensor.  A value has at most two
 * axes counting the batch's, and a per-batch value whose first size is
 * the batch size is per example (normalized when it is made).
 *
 * Sizes are whole numbers or named sizes, a named size being the `size`
 * or `batch` item that declares it: two sizes are equal only when they are
 * the same number or the same item, so real[V] and real[D] never combine,
 * and a mismatch names both.  The batch axis's size is the loss's `batch`
 * item; a loss without one has an unnamed batch, and a rule that would
 * make a row depend on other rows fails with SHP_NEEDS_BATCH (LS313).
 * Whether a result spans the batch (a row of it depends on other rows) is
 * reported by every rule, so the analyzer can tell batch-level terms from
 * row-wise ones.
 *
 * Ownership: plain values, no allocation; a shape borrows the AST items
 * that declare its named sizes (they live in the file's arena).
 */
#ifndef LOSSC_SHAPE_H
#define LOSSC_SHAPE_H

#include <stddef.h>

#include "ast.h"

typedef struct shp_size {
	long n;                 /* > 0: a whole number; 0: named by item */
	const ast_item *item;   /* IT_SIZE or IT_BATCH when named */
} shp_size;

#define SHP_MAX_AXES 2

typedef struct shp {
	unsigned char batched;  /* 1: per example (a leading batch axis) */
	unsigned char rank;     /* axes after the batch's; batched + rank <= SHP_MAX_AXES */
	shp_size size[SHP_MAX_AXES];    /* outermost first; size[0..rank) are used */
} shp;

typedef enum shp_err {
	SHP_OK,
	SHP_MISMATCH,           /* two sizes differ: the out-parameters say which */
	SHP_NEEDS_BATCH,        /* a row would depend on other rows, and the loss
	                           names no batch (it has no `batch` item) */
	SHP_TOO_MANY_AXES,      /* the result would have more than two axes */
	SHP_NOT_SQUARE,         /* diagonal of a matrix that is not square */
	SHP_NO_AXIS,            /* a reduction of a per-batch scalar, a transpose or
	                           cdist of fewer than two axes */
	SHP_NOT_BATCH           /* arange() of a size that is not the batch's */
} shp_err;

/* The context of one loss: its `batch` item, or NULL. */
typedef struct shp_ctx {
	const ast_item *batch;
} shp_ctx;

shp_size shp_num(long n);
shp_size shp_named(const ast_item *item);
int shp_size_eq(shp_size a, shp_size b);
/* "V", "10", or "B" for the batch ("the batch" when it has no name). */
const char *shp_size_str(shp_size z, char *buf, size_t size);

shp shp_scalar(int batched);
/* A row of one axis / a per-batch vector or matrix, normalized. */
shp shp_make(const shp_ctx *c, int batched, int rank, shp_size s0, shp_size s1);
int shp_eq(const shp *a, const shp *b);
/* "real[V]", "real", "real[D, B] per batch", "real per batch"; elem is
   the element word ("real", "class"); returns buf. */
char *shp_str(const shp *s, const char *elem, char *buf, size_t size);

/*
 * Each rule writes the result into *out and returns SHP_OK, or returns why
 * not; on SHP_MISMATCH, *ma and *mb (either may be NULL) are the two
 * sizes that differ.  *spans (may be NULL) is set to 1 when a row of the
 * result depends on other rows of an operand (a batch-level term).
 */

/* a op b elementwise: the same row shapes, or one of them a scalar. */
shp_err shp_broadcast(const shp_ctx *c, const shp *a, const shp *b, shp *out,
		      shp_size *ma, shp_size *mb);
/* sum, mean, max(v), logsumexp, norm2, std, ...: the last axis goes. */
shp_err shp_reduce(const shp_ctx *c, const shp *a, shp *out, int *spans);
/* softmax, log_softmax: along the last axis, same shape. */
shp_err shp_along(const shp_ctx *c, const shp *a, shp *out, int *spans);
/* transpose(a): the two axes swapped. */
shp_err shp_transpose(const shp_ctx *c, const shp *a, shp *out, int *spans);
/* a @ b, with PyTorch's matmul rules for one and two axes. */
shp_err shp_matmul(const shp_ctx *c, const shp *a, const shp *b, shp *out, int *spans,
		   shp_size *ma, shp_size *mb);
/* cdist(a, b): [P, D] and [R, D] give [P, R]. */
shp_err shp_cdist(const shp_ctx *c, const shp *a, const shp *b, shp *out, int *spans,
		  shp_size *ma, shp_size *mb);
/* diagonal(a) of a square matrix. */
shp_err shp_diagonal(const shp_ctx *c, const shp *a, shp *out, shp_size *ma, shp_size *mb);
/* eye(n): the identity [n, n]; per example for the batch size. */
shp_err shp_eye(const shp_ctx *c, shp_size n, shp *out);
/* arange(n): the row's index, per example; n must be the batch. */
shp_err shp_arange(const shp_ctx *c, shp_size n, shp *out);
/* a[k] for a label of k classes (or a whole-number index when k.n == 0
   and k.item == NULL): the last axis of a goes. */
shp_err shp_index(const shp_ctx *c, const shp *a, const shp *label, shp_size k, shp *out,
		  shp_size *ma, shp_size *mb);

#endif
