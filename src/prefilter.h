/*
 * prefilter.h: the literal prefilter of the prose rules.
 *
 * When the rules load, every frame names the keys it needs (lang.h): for
 * `{agent} ... {want} ... {signal}`, one word of each class.  pf_scan()
 * reads a text once, splits it into clauses (at ! ? ; and at a period
 * that no digit or lower-case letter follows: no frame can cross one),
 * looks every word up in one hash table, and returns
 * only the clauses that hold at least one key word, each with the set
 * of keys it holds.  A frame runs on a clause only when the clause holds
 * all its keys, so most prose is never regex-scanned.
 *
 * Words are maximal runs of ASCII letters and digits, ASCII lower-cased,
 * exactly as lang.c derives the keys from the forms it generates, so the
 * prefilter can let through a clause no frame matches, never the reverse.
 */
#ifndef LOSSC_PREFILTER_H
#define LOSSC_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

#include "lang.h"

typedef struct prefilter prefilter;

/* A key word in a clause: where it starts, and the keys it is a word of. */
typedef struct pf_hit {
	size_t at;
	const uint64_t *keys;
} pf_hit;

typedef struct pf_clause {
	size_t start, end;              /* byte offsets in the text */
	const uint64_t *keys;           /* bit k set: the clause holds a word of key k */
	const pf_hit *hits;             /* its key words in text order (none when fold) */
	size_t nhits;
	/*
	 * The clause holds U+017F or U+212A, which match 's' and 'k' under
	 * PCRE2's caseless UTF matching but are no ASCII letters: its words
	 * are not what the patterns see, so it holds every key and no word
	 * position can be trusted.
	 */
	int fold;
} pf_clause;

/* The table of every key's words (lang_key_*), built once. */
prefilter *pf_new(const lang *L);
void pf_free(prefilter *pf);

/*
 * A plain set of words, for the same test on a stretch of text: does it
 * hold any of them (a context pattern cannot match a sentence that holds
 * none of its words)?
 */
typedef struct pf_words pf_words;
pf_words *pf_words_new(char *const *words, size_t n);
void pf_words_free(pf_words *s);
int pf_words_any(const pf_words *s, const char *text, size_t from, size_t to);
/*
 * Where the words of s start in text[from..to), appended to *out (grown
 * as needed, *cap its size); returns how many.  *fold is set when the
 * stretch holds a character that folds to an ASCII letter (pf_clause.fold):
 * its word positions cannot be trusted.
 */
size_t pf_words_at(const pf_words *s, const char *text, size_t from, size_t to, size_t **out, size_t *cap,
		   int *fold);

/*
 * The distinct key words of the table (lower-case, not NUL-terminated),
 * and which of them a hit is: a caller can keep facts about each key word
 * in an array and read them for a hit without hashing the word again.
 */
size_t pf_word_count(const prefilter *pf);
const char *pf_word_text(const prefilter *pf, size_t i, size_t *len);
size_t pf_hit_word(const prefilter *pf, const pf_hit *h);

/* uint64_t words in one key set. */
size_t pf_set_words(const prefilter *pf);

/*
 * The clauses of text[0..len) that hold a key word, each with the
 * positions of its key words.  The arrays (and the key sets they point
 * to) are the prefilter's and live until the next call.
 */
size_t pf_scan(prefilter *pf, const char *text, size_t len, const pf_clause **out);

#endif
