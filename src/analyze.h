/*
 * analyze.h: the math analyzer, LS3xx-LS5xx.
 *
 * For each loss of a file: lower its value (ir.h; LS301/302/306/307),
 * run interval arithmetic over the declared ranges (LS303 log of a
 * possibly non-positive value, LS304 sqrt of a possibly negative value,
 * LS305 division by a possibly zero value, LS405 exp overflow), match the
 * numerically unstable spellings on the syntax tree (LS401-LS404, each
 * with a machine-applicable fix), and try to prove each `claim`
 * (LS501-LS505).
 *
 * Owned by the math module.  Reads the AST (after resolve_file, though it
 * copes without it), queues findings.  Each loss's IR lives in an arena of
 * its own, freed before the next loss: the IR of a whole file is never
 * held at once (it was a third of peak memory on a 20 MB spec).
 */
#ifndef LOSSC_ANALYZE_H
#define LOSSC_ANALYZE_H

#include <stdio.h>

#include "ast.h"
#include "codes.h"
#include "diag.h"
#include "ir.h"

extern const code_info math_codes[];    /* LS3xx, LS4xx, LS5xx */

/* Every check on every loss of f. */
void analyze_file(ast_file *f, diag_list *diags);

/* Fill the analysis fields (iv, curv, kink) of every node of l.  Needs no
   diagnostics; safe to call twice.  Does nothing when l->root is NULL. */
void analyze_loss(ir_loss *l);

/* `lossc lint --explain-value`: for each loss, the expanded expression,
   its shape, interval, curvature and smoothness.  -1 on write error. */
int analyze_explain_value(FILE *out, ast_file *f, diag_list *diags);

#endif
