/*
 * stability.h: LS401-LS404, the numerically unstable spellings of a
 * loss's value (log(softmax(x)), log(1 + x), ...), each with its fix.
 * A pass over the syntax tree; run by the pipeline once per loss.
 */
#ifndef LOSSC_STABILITY_H
#define LOSSC_STABILITY_H

#include "ast.h"
#include "diag.h"

void stability_check(const ast_file *f, const ast_decl *loss, diag_list *diags);

#endif
