/*
 * funcs.h: the functions a LossSpec call can name, looked up over the op
 * table (ops.h: exp, max, sum, softmax, ...) and the composite losses
 * (losses.h: cross_entropy, mse, ...).  Both kinds of row begin with a
 * fn_sig, the callable face: name, parameters, documentation.
 *
 * Also: the closest name to a misspelling, signatures for messages, and
 * the table as lossspec(5) shows it.
 *
 * Ownership: the rows are static, read-only data.
 */
#ifndef LOSSC_FUNCS_H
#define LOSSC_FUNCS_H

#include <stdio.h>

#include "losses.h"
#include "ops.h"

/* The row called `name` that accepts nargs arguments (max(v) and
   max(a, b) are two rows); NULL if none.  Operators, leaves and (unless
   internal is set: inside a loss's definition) FG_INTERNAL rows are not
   callable and never returned. */
const fn_sig *funcs_lookup(const char *name, size_t len, int nargs, int internal);
/* Any callable row with this name (for "wrong number of arguments"). */
const fn_sig *funcs_lookup_name(const char *name, size_t len);
/* The closest callable name to a misspelling, or NULL if none is close. */
const char *funcs_suggest(const char *name, size_t len);

/* The op row a signature belongs to, or NULL for a composite loss. */
const op_info *funcs_op(const fn_sig *s);
/* The composite loss a signature belongs to, or NULL for an op. */
const loss_info *funcs_loss(const fn_sig *s);

/* "huber(p, t, delta=1)" into buf; returns buf. */
char *funcs_signature(const fn_sig *s, char *buf, size_t size);

/* Print the callable table as mdoc (`.It` entries) for lossspec(5), or as
   plain text (one function a line) when troff == 0.  -1 on write error. */
int funcs_print_table(FILE *out, int troff);

#endif
