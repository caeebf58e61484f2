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

/* Every declaration of f: all names declared first, then each resolved. */
void resolve_file(ast_file *f, diag_list *diags);

/*
 * The same, a declaration at a time, for a pipeline that analyzes each
 * loss while the rest of the file is still being parsed.  Declarations
 * are declared in source order; the first one with a name keeps it, so
 * a name that resolver_lookup finds among those declared so far names
 * the same declaration once the whole file is declared.  resolver_decl
 * of a declaration whose references are not all declared yet would
 * report them as undefined: wait for the end of the file.  hint is the
 * expected number of declarations (0 when unknown).
 */
typedef struct resolver resolver;

resolver *resolver_new(ast_file *f, size_t hint);
/* Enter d's name (LS011 when the name is taken). */
void resolver_declare(resolver *r, ast_decl *d, diag_list *diags);
/* The declaration named n among those declared so far, or NULL. */
const ast_decl *resolver_lookup(const resolver *r, const ast_name *n);
/* Resolve d's references and the names inside it (LS010, LS012, LS310, ...). */
void resolver_decl(resolver *r, ast_decl *d, diag_list *diags);
void resolver_free(resolver *r);

#endif
