/*
 * codes.h: the catalogue of built-in finding codes.  Each phase owns a
 * table of the codes it emits (code, default severity, title, long
 * explanation), kept as data in a file of its own that includes nothing
 * but this header (codes.c, storycodes.c, mathcodes.c, prosecodes.c,
 * suppresscodes.c); codes.c chains the tables so `lossc explain`, `lossc
 * rules`, the SARIF rule list and the severity lookup all read one place,
 * and depends on no pass.  Prose codes (LS2xx) come from rule files, not
 * from here.
 *
 * Tables are static data terminated by an entry whose code is NULL.
 */
#ifndef LOSSC_CODES_H
#define LOSSC_CODES_H

#include "diag.h"

typedef struct code_info {
	const char *code;       /* "LS010" */
	diag_severity sev;      /* default severity */
	const char *title;      /* one line, lower case, no final period */
	const char *explain;    /* paragraphs for `lossc explain`: why it matters, how to fix */
} code_info;

extern const code_info core_codes[];      /* LS00x, LS01x: codes.c */
extern const code_info story_codes[];     /* LS1xx: storycodes.c */
extern const code_info prose_codes[];     /* LS200, the engine's own: prosecodes.c */
extern const code_info math_codes[];      /* LS3xx-LS5xx: mathcodes.c */
extern const code_info suppress_codes[];  /* LS008, LS009: suppresscodes.c */
extern const code_info baseline_codes[];  /* LS020: baselinecodes.c */
extern const code_info doc_codes[];       /* LS030: doccodes.c */

/* The entry for a code, or NULL. */
const code_info *codes_find(const char *code);
/* Calls fn for every built-in code in code order. */
void codes_foreach(void (*fn)(const code_info *ci, void *ctx), void *ctx);

/* Queue a finding with the code's catalogue severity. */
diag *diag_code(diag_list *l, const source *src, span sp, const char *code,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
