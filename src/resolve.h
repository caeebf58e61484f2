/*
 * resolve.h: name resolution (LS010 undefined, LS011 duplicate,
 * LS012 wrong kind).  Fills ast_name.decl / ast_name.item across the
 * tree; a name that cannot be resolved is left NULL, and later phases
 * skip what they cannot see rather than report it twice.
 */
#ifndef LOSSC_RESOLVE_H
#define LOSSC_RESOLVE_H

#include "ast.h"
#include "diag.h"

void resolve_file(ast_file *f, diag_list *diags);

#endif
