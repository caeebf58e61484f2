/*
 * gen.h: `lossc gen`, C99 code for each loss of a .loss file: a forward
 * kernel, its gradient, and (optionally) a cmocka harness that checks
 * them against a long double evaluation of the same mathematics.
 *
 * Owner: gen.  Reads the math analyzer's IR (ir.h) and function table
 * (funcs.h); never prints findings itself (cmd_gen renders them).
 *
 * Ownership: gen_names owns every string it hands out until
 * gen_names_free().  Nothing else here allocates across the interface.
 */
#ifndef LOSSC_GEN_H
#define LOSSC_GEN_H

#include <stddef.h>
#include <stdio.h>

/* ---- names and prose in generated C (gen_text.c) ---- */

/* 1 when s is a well-formed C identifier ([A-Za-z_][A-Za-z0-9_]*). */
int gen_ident_valid(const char *s);

/*
 * 1 when s must not appear as an identifier in generated code: a C
 * keyword, a name the standard headers or cmocka use, a reserved
 * identifier (leading underscore, `_t` suffix), a name that may be a
 * macro (all capitals), or one of the generated code's own names
 * (`n`, `each`, `upstream`, `lc_*`, `test_*`).
 */
int gen_ident_reserved(const char *s);

/* A set of identifiers already used in one C scope. */
typedef struct gen_names {
	char **v;
	size_t n, cap;
} gen_names;

void gen_names_init(gen_names *t);
void gen_names_free(gen_names *t);
/* A safe, unique identifier derived from name (see gen_text.c); owned by t. */
const char *gen_names_claim(gen_names *t, const char *name);

/*
 * Writes text[0..len) as the body lines of a block comment: each line
 * "<indent> * ...", wrapped near `width` columns.  The output cannot end
 * the comment, nest one, form a trigraph or end a line in a backslash;
 * it is printable ASCII only.  The caller writes the opening and the
 * closing of the comment.
 */
void gen_comment_text(FILE *out, const char *indent, const char *text, size_t len, int width);

/* A C floating literal for v in float (is_float) or double; returns buf. */
const char *gen_c_number(double v, int is_float, char *buf, size_t size);

#endif
