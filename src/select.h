/*
 * select.h: which finding codes a run reports (--select, --ignore, and a
 * config file's enable/disable).  Owned by the linter.
 *
 * A code pattern is a full code ("LS201") or a family: a prefix such as
 * "LS2" or "LS20", optionally written with trailing x's ("LS2xx").  When
 * several patterns match a code, the longest (most specific) decides, so
 * "--ignore LS2 --select LS201" reports LS201 alone of the LS2 family.
 *
 * Ownership: a sel_list owns its pattern strings; sel_list_free().
 */
#ifndef LOSSC_SELECT_H
#define LOSSC_SELECT_H

#include <stddef.h>

typedef struct sel_list {
	char **pats;            /* normalized: upper case, x's dropped */
	size_t n;
} sel_list;

/* Is s a valid pattern?  (letters, then digits, then x's; at most 7 characters.) */
int sel_pattern_ok(const char *s, size_t len);
/* Does pattern p match code?  Returns the pattern's length (its specificity) or 0. */
size_t sel_match(const char *p, const char *code);

/*
 * Append a comma- or blank-separated list of patterns.  Returns 0, or -1
 * with the bad word copied into bad[0..badlen).
 */
int sel_list_add(sel_list *l, const char *text, char *bad, size_t badlen);
void sel_list_free(sel_list *l);
/* Longest pattern of l that matches code (0: none). */
size_t sel_list_match(const sel_list *l, const char *code);
/* Append one normalized pattern (a copy); remove every copy of one. */
void sel_list_push(sel_list *l, const char *pat);
void sel_list_remove(sel_list *l, const char *pat);

typedef struct selection {
	sel_list select, ignore;        /* command line */
	sel_list enable, disable;       /* config file */
	sel_list per_file;              /* config's per-file-ignores for the file at hand */
} selection;

/*
 * Is code reported?  A per-file ignore always wins (as in Ruff).  Then
 * the command line decides when one of its patterns matches (longest
 * wins, ignore beats select on a tie) or when --select was given at all
 * (then unmatched codes are off); otherwise the config's enable/disable
 * decide the same way (enable wins a tie); otherwise on.
 */
int sel_enabled(const selection *s, const char *code);

/*
 * The codes a run knows: the built-in catalogue plus every loaded rule.
 * A pattern is only accepted (--select, --ignore, the config's codes)
 * when it matches one of them, so a typo fails loudly instead of
 * selecting nothing.  Codes are borrowed, not copied.
 */
typedef struct sel_known {
	const char **codes;
	size_t n, cap;
} sel_known;

void sel_known_add(sel_known *k, const char *code);     /* duplicates are ignored */
void sel_known_free(sel_known *k);
/* Does the normalized pattern pat match at least one known code? */
int sel_known_has(const sel_known *k, const char *pat);
/*
 * Why pat matches nothing, in one line without a final period:
 * "no finding code LS216 (did you mean LS215?)" for a code, "no finding
 * code starts with LS9 (families: LS0, LS1, ...)" for a family.
 */
void sel_known_why(const sel_known *k, const char *pat, char *buf, size_t n);

#endif
