/*
 * hazards.h: findings about a loss that is defined everywhere but will
 * not train as its writer meant: an output the value never uses (LS331),
 * kl_div's first argument provably not a log-probability (LS332), and a
 * sqrt whose argument reaches 0, where the gradient is infinite (LS410,
 * with the norm2 rewrite as its fix where it applies).  Run by the
 * pipeline on each analyzed loss, after analyze_findings.  Owned by the
 * math module.
 */
#ifndef LOSSC_HAZARDS_H
#define LOSSC_HAZARDS_H

#include "diag.h"
#include "ir.h"

/* The findings of one analyzed loss (analyze_loss done); nothing when the
   value did not lower. */
void hazards_check(const ir_loss *l, diag_list *diags);

#endif
