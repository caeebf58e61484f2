/*
 * analyze.h: the math analyzer, LS303-LS308 and LS405, LS501-LS505.
 *
 * On one lowered loss (ir.h): interval arithmetic over the declared
 * ranges, curvature by the composition rules and smoothness, for every
 * node (analyze_loss), each from the op's row (ops.h); then the findings
 * (analyze_findings): values that may leave an op's domain (LS303 log of
 * a value that may be non-positive, LS304 sqrt of a negative value, LS305
 * division by zero, LS308 an argument outside a loss's domain, LS405 exp
 * overflow) and the `claim`s it cannot prove (LS501-LS505, with notes
 * naming the culprit and, where it finds one, a counterexample).
 *
 * The pipeline (pipeline.h) lowers and analyzes each loss once, in an
 * arena of its own.  Owned by the math module.
 */
#ifndef LOSSC_ANALYZE_H
#define LOSSC_ANALYZE_H

#include <stdio.h>

#include "diag.h"
#include "ir.h"

/* Fill the analysis fields (iv, curv, kink) of every node of l.  Needs no
   diagnostics; safe to call twice.  Does nothing when l->root is NULL. */
void analyze_loss(ir_loss *l);

/* The domain, overflow and claim findings of an analyzed loss (the claim
   names are checked even when its value did not lower). */
void analyze_findings(const ir_loss *l, diag_list *diags);

/* `lossc lint --explain-value` for one loss: the expanded expression, its
   shape, interval, curvature and smoothness.  -1 on write error. */
int analyze_explain(FILE *out, const ir_loss *l);

#endif
