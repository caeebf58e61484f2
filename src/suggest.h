/*
 * suggest.h: "did you mean" for misspelt names (functions, finding codes,
 * config keys, options).  One edit distance for every user of it.
 *
 * suggest_distance is the optimal string alignment distance (insert,
 * delete, substitute, swap two neighbours: one edit each).  It is meant
 * for short names: either string longer than SUGGEST_MAX_LEN counts as
 * SUGGEST_FAR.
 *
 * A suggest picks the closest of a stream of candidates:
 *     suggest s;
 *     suggest_init(&s, word, strlen(word), 2);
 *     for (...) suggest_offer(&s, candidate);
 *     if (s.best) ... "did you mean '%s'?", s.best
 * The first candidate at the smallest distance wins a tie.  The
 * candidates are borrowed: s.best points at one of them.
 */
#ifndef LOSSC_SUGGEST_H
#define LOSSC_SUGGEST_H

#include <stddef.h>

#define SUGGEST_MAX_LEN 22
#define SUGGEST_FAR 99

size_t suggest_distance(const char *a, size_t la, const char *b, size_t lb);

typedef struct suggest {
	const char *word;
	size_t len;
	size_t maxd;            /* farther candidates are never suggested */
	const char *best;       /* NULL: none close enough yet */
	size_t bestd;
} suggest;

void suggest_init(suggest *s, const char *word, size_t len, size_t maxd);
void suggest_offer(suggest *s, const char *candidate);

#endif
