/*
 * prefilter.c: one pass over a text, one hash probe per word (see
 * prefilter.h).  The scan is the part of linting every byte of prose
 * pays for, so it is one table-driven loop: no allocation per word, no
 * call per byte, and clauses without a key word cost nothing more.
 */
#include "prefilter.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#define PF_MAXW 48              /* longer words are never keys (see pf_new) */

struct pf_word {
	uint64_t hash;
	char *w;
	size_t len;
	size_t set;             /* index of its key set in sets */
};

/* A key word of the prefilter's table: its bytes are pool[off..off+len). */
struct pf_entry {
	uint64_t hash;
	uint32_t len, off;
};

struct prefilter {
	/*
	 * Open addressing over the distinct key words, kept small: a slot is
	 * the word's index + 1 (0: empty) under the top half of its hash, so
	 * most probes for a word that is no key end in the slot array, and
	 * the array stays in cache (one probe per word of every text).
	 */
	uint64_t *slot;
	size_t mask;            /* table size - 1 */
	struct pf_entry *ent;   /* word i; its key set is sets[i * nwords ...] */
	size_t nent;
	char *pool;
	size_t poolsize;
	uint64_t *sets;         /* one key set per distinct word */
	size_t nwords;          /* uint64_t per key set */
	uint64_t *always;       /* keys whose words are too long to probe: always held */
	int has_always;
	const uint64_t *capnum; /* key set of LANG_SHAPE_CAPNUM, or NULL */
	/* bit (length % 32, first, last byte % 64) set: some key word has that shape */
	uint64_t shape[32][64];
	uint64_t *all;          /* every key (a clause with a folding character) */
	/* scratch of pf_scan */
	pf_clause *cl;
	uint64_t *clsets;
	size_t cap;
	pf_hit *hits;
	size_t nhits, hcap;
};

/* 0: separator; '.': clause end; else the lower-cased word byte. */
static unsigned char pf_class[256];

static void pf_init_class(void)
{
	int c;
	if (pf_class['a'])
		return;
	for (c = 0; c < 256; c++)
		pf_class[c] = 0;
	for (c = 'a'; c <= 'z'; c++)
		pf_class[c] = (unsigned char)c;
	for (c = 'A'; c <= 'Z'; c++)
		pf_class[c] = (unsigned char)(c - 'A' + 'a');
	for (c = '0'; c <= '9'; c++)
		pf_class[c] = (unsigned char)c;
	pf_class['.'] = pf_class['!'] = pf_class['?'] = pf_class[';'] = 1;
}

#define PF_HASH_INIT 1469598103934665603ULL
#define PF_HASH_STEP(h, c) (((h) ^ (uint64_t)(c)) * 1099511628211ULL)

static uint64_t pf_hash(const char *w, size_t n)
{
	uint64_t h = PF_HASH_INIT;
	size_t i;
	for (i = 0; i < n; i++)
		h = PF_HASH_STEP(h, (unsigned char)w[i]);
	return h;
}

static int pf_shape_has(const prefilter *pf, unsigned char first, unsigned char last, size_t n)
{
	return (int)((pf->shape[n & 31][first & 63u] >> (last & 63u)) & 1u);
}

/* t[w0..w1) is a word: does it hold a digit, or is one right after a '-' or a blank? */
static int pf_capnum(const unsigned char *t, size_t len, size_t w0, size_t w1)
{
	size_t j;
	for (j = w0; j < w1; j++)
		if (t[j] >= '0' && t[j] <= '9')
			return 1;
	return w1 + 1 < len && (t[w1] == '-' || t[w1] == ' ') && t[w1 + 1] >= '0' && t[w1 + 1] <= '9';
}

/* t[i..len) starts with U+017F or U+212A (see pf_clause.fold). */
static int pf_folds(const unsigned char *t, size_t len, size_t i)
{
	return (t[i] == 0xc5 && i + 1 < len && t[i + 1] == 0xbf) ||
	       (t[i] == 0xe2 && i + 2 < len && t[i + 1] == 0x84 && t[i + 2] == 0xaa);
}

/*
 * The index of word w[0..n) (hash h) in the table, or -1.  fold: w is
 * a word of a text, h its lower-cased hash, and an equal 64-bit hash and
 * length are taken for the word itself: the byte compare was a tenth of
 * the scan, and a collision (about one word in 2^64) can only let one
 * more clause through or add one anchored try, never hide a match.
 */
static inline long pf_lookup(const prefilter *pf, uint64_t h, const unsigned char *w, size_t n, int fold)
{
	size_t i = (size_t)h & pf->mask;
	uint32_t tag = (uint32_t)(h >> 32);
	for (; pf->slot[i]; i = (i + 1) & pf->mask) {
		const struct pf_entry *e;
		const unsigned char *k;
		if ((uint32_t)(pf->slot[i] >> 32) != tag)
			continue;
		e = &pf->ent[(uint32_t)pf->slot[i] - 1];
		if (e->hash != h || e->len != n)
			continue;
		k = (const unsigned char *)pf->pool + e->off;
		if (fold || memcmp(k, w, n) == 0)
			return (long)((uint32_t)pf->slot[i] - 1);
	}
	return -1;
}

static void pf_slot_put(prefilter *pf, size_t idx)
{
	uint64_t h = pf->ent[idx].hash;
	size_t i = (size_t)h & pf->mask;
	while (pf->slot[i])
		i = (i + 1) & pf->mask;
	pf->slot[i] = (h >> 32 << 32) | (uint64_t)(idx + 1);
}

/* A table of size slots (a power of two) holding every word so far. */
static void pf_slots(prefilter *pf, size_t size)
{
	size_t i;
	free(pf->slot);
	pf->slot = xmalloc(size * sizeof *pf->slot);
	memset(pf->slot, 0, size * sizeof *pf->slot);
	pf->mask = size - 1;
	for (i = 0; i < pf->nent; i++)
		pf_slot_put(pf, i);
}

prefilter *pf_new(const lang *L)
{
	prefilter *pf = xcalloc(1, sizeof *pf);
	size_t nkeys = lang_key_count(L), k, total = 0, size = 64, i, bytes = 0;
	pf_init_class();
	pf->nwords = (nkeys + 63) / 64;
	if (pf->nwords == 0)
		pf->nwords = 1;
	for (k = 0; k < nkeys; k++) {
		const char *const *w;
		size_t n = lang_key_words(L, k, &w);
		total += n;
		for (i = 0; i < n; i++)
			bytes += strlen(w[i]);
	}
	while (size < 2 * total)
		size *= 2;
	pf_slots(pf, size);
	pf->ent = xmalloc((total + 1) * sizeof *pf->ent);
	pf->pool = xmalloc(bytes + 1);
	pf->sets = xmalloc((total + 1) * pf->nwords * sizeof *pf->sets);
	pf->always = xmalloc(pf->nwords * sizeof *pf->always);
	memset(pf->always, 0, pf->nwords * sizeof *pf->always);
	pf->all = xmalloc(pf->nwords * sizeof *pf->all);
	memset(pf->all, 0, pf->nwords * sizeof *pf->all);
	for (k = 0; k < nkeys; k++)
		pf->all[k / 64] |= (uint64_t)1 << (k % 64);
	for (k = 0; k < nkeys; k++) {
		const char *const *w;
		size_t n = lang_key_words(L, k, &w);
		for (i = 0; i < n; i++) {
			size_t len = strlen(w[i]);
			uint64_t h;
			long s;
			if (len > PF_MAXW) {
				/* never probed: the prefilter must not rule a clause out on it */
				pf->always[k / 64] |= (uint64_t)1 << (k % 64);
				pf->has_always = 1;
				continue;
			}
			h = pf_hash(w[i], len);
			pf->shape[len & 31][(unsigned char)w[i][0] & 63u] |= (uint64_t)1 << ((unsigned char)w[i][len - 1] & 63u);
			s = pf_lookup(pf, h, (const unsigned char *)w[i], len, 0);
			if (s < 0) {
				struct pf_entry *e = &pf->ent[pf->nent];
				e->hash = h;
				e->len = (uint32_t)len;
				e->off = (uint32_t)pf->poolsize;
				memcpy(pf->pool + pf->poolsize, w[i], len);
				pf->poolsize += len;
				s = (long)pf->nent++;
				memset(pf->sets + (size_t)s * pf->nwords, 0, pf->nwords * sizeof *pf->sets);
				pf_slot_put(pf, (size_t)s);
			}
			pf->sets[(size_t)s * pf->nwords + k / 64] |= (uint64_t)1 << (k % 64);
		}
	}
	/* a word is often in several keys: size the table by the distinct ones */
	for (size = 64; size < 2 * pf->nent; size *= 2)
		;
	pf_slots(pf, size);
	{
		long s = pf_lookup(pf, pf_hash(LANG_SHAPE_CAPNUM, strlen(LANG_SHAPE_CAPNUM)),
				   (const unsigned char *)LANG_SHAPE_CAPNUM, strlen(LANG_SHAPE_CAPNUM), 0);
		pf->capnum = s >= 0 ? pf->sets + (size_t)s * pf->nwords : NULL;
	}
	return pf;
}

void pf_free(prefilter *pf)
{
	if (!pf)
		return;
	free(pf->slot);
	free(pf->ent);
	free(pf->pool);
	free(pf->sets);
	free(pf->always);
	free(pf->all);
	free(pf->hits);
	free(pf->cl);
	free(pf->clsets);
	free(pf);
}

struct pf_words {
	struct pf_word *slot;
	size_t mask;
};

pf_words *pf_words_new(char *const *words, size_t n)
{
	pf_words *s = xmalloc(sizeof *s);
	size_t size = 16, i;
	pf_init_class();
	while (size < 4 * n)
		size *= 2;
	s->slot = xmalloc(size * sizeof *s->slot);
	memset(s->slot, 0, size * sizeof *s->slot);
	s->mask = size - 1;
	for (i = 0; i < n; i++) {
		size_t len = strlen(words[i]), j;
		uint64_t h = pf_hash(words[i], len);
		if (len > PF_MAXW)
			continue;
		for (j = (size_t)h & s->mask; s->slot[j].w; j = (j + 1) & s->mask)
			if (s->slot[j].hash == h && s->slot[j].len == len && memcmp(s->slot[j].w, words[i], len) == 0)
				break;
		if (!s->slot[j].w) {
			s->slot[j].hash = h;
			s->slot[j].w = rf_strndup(words[i], len);
			s->slot[j].len = len;
		}
	}
	return s;
}

void pf_words_free(pf_words *s)
{
	size_t i;
	if (!s)
		return;
	for (i = 0; i <= s->mask; i++)
		free(s->slot[i].w);
	free(s->slot);
	free(s);
}

int pf_words_any(const pf_words *s, const char *text, size_t from, size_t to)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = from;
	while (i < to) {
		unsigned char c = pf_class[t[i]];
		char w[PF_MAXW];
		size_t n0 = 0, j;
		uint64_t h = PF_HASH_INIT;
		if (c <= 1) {
			i++;
			continue;
		}
		do {
			if (n0 < PF_MAXW)
				w[n0] = (char)c;
			n0++;
			h = PF_HASH_STEP(h, c);
			i++;
		} while (i < to && (c = pf_class[t[i]]) > 1);
		if (n0 > PF_MAXW)
			continue;
		for (j = (size_t)h & s->mask; s->slot[j].w; j = (j + 1) & s->mask)
			if (s->slot[j].hash == h && s->slot[j].len == n0 && memcmp(s->slot[j].w, w, n0) == 0)
				return 1;
	}
	return 0;
}

size_t pf_words_at(const pf_words *s, const char *text, size_t from, size_t to, size_t **out, size_t *cap,
		   int *fold)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = from, n = 0, j;
	*fold = 0;
	while (i < to) {
		unsigned char c = pf_class[t[i]];
		size_t w0 = i, n0;
		uint64_t h = PF_HASH_INIT;
		if (c <= 1) {
			if (t[i] >= 0xc5 && pf_folds(t, to, i))
				*fold = 1;
			i++;
			continue;
		}
		do {
			h = PF_HASH_STEP(h, c);
			i++;
		} while (i < to && (c = pf_class[t[i]]) > 1);
		n0 = i - w0;
		if (n0 > PF_MAXW)
			continue;
		for (j = (size_t)h & s->mask; s->slot[j].w; j = (j + 1) & s->mask)
			if (s->slot[j].hash == h && s->slot[j].len == n0) {
				if (n == *cap) {
					*cap = *cap ? 2 * *cap : 64;
					*out = xrealloc(*out, *cap * sizeof **out);
				}
				(*out)[n++] = w0;
				break;
			}
	}
	return n;
}

size_t pf_word_count(const prefilter *pf)
{
	return pf->nent;
}

const char *pf_word_text(const prefilter *pf, size_t i, size_t *len)
{
	*len = pf->ent[i].len;
	return pf->pool + pf->ent[i].off;
}

size_t pf_hit_word(const prefilter *pf, const pf_hit *h)
{
	return (size_t)(h->keys - pf->sets) / pf->nwords;
}

size_t pf_set_words(const prefilter *pf)
{
	return pf->nwords;
}

/*
 * Close the clause text[start..end) with key set cur and its key words
 * from hits[h0..]: kept when it holds a key.
 */
static size_t pf_close(prefilter *pf, size_t n, size_t start, size_t end, uint64_t *cur, int any, int fold,
		       size_t h0)
{
	size_t k;
	if (!any && !pf->has_always && !fold) {
		pf->nhits = h0;
		return n;
	}
	if (n == pf->cap) {
		pf->cap = pf->cap ? 2 * pf->cap : 64;
		pf->cl = xrealloc(pf->cl, pf->cap * sizeof *pf->cl);
		pf->clsets = xrealloc(pf->clsets, pf->cap * pf->nwords * sizeof *pf->clsets);
	}
	pf->cl[n].start = start;
	pf->cl[n].end = end;
	pf->cl[n].fold = fold;
	if (fold)
		pf->nhits = h0;
	pf->cl[n].nhits = pf->nhits - h0;
	pf->cl[n].hits = NULL;          /* pointed into pf->hits once the scan is done */
	for (k = 0; k < pf->nwords; k++)
		pf->clsets[n * pf->nwords + k] = cur[k] | pf->always[k] | (fold ? pf->all[k] : 0);
	memset(cur, 0, pf->nwords * sizeof *cur);
	return n + 1;
}


/* A period followed by a digit or a lower-case letter ("Eq. 3", "e.g. the", "0.3") ends no clause. */
static int pf_dot_inside(const unsigned char *t, size_t len, size_t i)
{
	for (i++; i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n'); i++)
		;
	return i < len && ((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'z'));
}

size_t pf_scan(prefilter *pf, const char *text, size_t len, const pf_clause **out)
{
	const unsigned char *t = (const unsigned char *)text;
	uint64_t cur[8], *curp = pf->nwords <= 8 ? cur : xmalloc(pf->nwords * sizeof *curp);
	size_t i = 0, n = 0, start = 0, k, h0 = 0;
	int any = 0, fold = 0;
	memset(curp, 0, pf->nwords * sizeof *curp);
	pf->nhits = 0;
	while (i < len) {
		unsigned char c = pf_class[t[i]];
		if (c > 1) {
			/* a word, lower-cased and hashed as it is read; probed only
			   when some key word has its length, first and last letter */
			size_t n0, w0 = i;
			uint64_t h = PF_HASH_INIT;
			do {
				h = PF_HASH_STEP(h, c);
				i++;
			} while (i < len && (c = pf_class[t[i]]) > 1);
			n0 = i - w0;
			/* "GPT-4", "Atlas 2", "Llama3": a capitalized word with a digit */
			if (pf->capnum && t[w0] >= 'A' && t[w0] <= 'Z' && pf_capnum(t, len, w0, i)) {
				for (k = 0; k < pf->nwords; k++)
					curp[k] |= pf->capnum[k];
				any = 1;
			}
			if (n0 <= PF_MAXW && pf_shape_has(pf, pf_class[t[w0]], pf_class[t[i - 1]], n0)) {
				long s = pf_lookup(pf, h, t + w0, n0, 1);
				if (s >= 0) {
					const uint64_t *set = pf->sets + (size_t)s * pf->nwords;
					for (k = 0; k < pf->nwords; k++)
						curp[k] |= set[k];
					any = 1;
					if (pf->nhits == pf->hcap) {
						pf->hcap = pf->hcap ? 2 * pf->hcap : 256;
						pf->hits = xrealloc(pf->hits, pf->hcap * sizeof *pf->hits);
					}
					pf->hits[pf->nhits].at = w0;
					pf->hits[pf->nhits++].keys = set;
				}
			}
			continue;
		}
		if (c == 1 && !(t[i] == '.' && pf_dot_inside(t, len, i))) {
			n = pf_close(pf, n, start, i, curp, any, fold, h0);
			any = fold = 0;
			start = i + 1;
			h0 = pf->nhits;
		} else if (t[i] >= 0xc5 && !fold) {
			fold = pf_folds(t, len, i);
		}
		i++;
	}
	n = pf_close(pf, n, start, len, curp, any, fold, h0);
	for (k = 0, h0 = 0; k < n; k++) {
		pf->cl[k].keys = pf->clsets + k * pf->nwords;
		pf->cl[k].hits = pf->cl[k].nhits ? pf->hits + h0 : NULL;
		h0 += pf->cl[k].nhits;
	}
	if (curp != cur)
		free(curp);
	*out = pf->cl;
	return n;
}
