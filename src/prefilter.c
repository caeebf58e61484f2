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

struct prefilter {
	struct pf_word *slot;   /* open addressing; w == NULL: empty */
	size_t mask;            /* table size - 1 */
	uint64_t *sets;         /* one key set per distinct word */
	size_t nwords;          /* uint64_t per key set */
	uint64_t *always;       /* keys whose words are too long to probe: always held */
	int has_always;
	const uint64_t *capnum; /* key set of LANG_SHAPE_CAPNUM, or NULL */
	/* bit (length % 32, first, last byte % 64) set: some key word has that shape */
	uint64_t shape[32][64];
	/* scratch of pf_scan */
	pf_clause *cl;
	uint64_t *clsets;
	size_t cap;
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

static struct pf_word *pf_find(const prefilter *pf, uint64_t h, const char *w, size_t n)
{
	size_t i = (size_t)h & pf->mask;
	while (pf->slot[i].w) {
		if (pf->slot[i].hash == h && pf->slot[i].len == n && memcmp(pf->slot[i].w, w, n) == 0)
			return &pf->slot[i];
		i = (i + 1) & pf->mask;
	}
	return NULL;
}

prefilter *pf_new(const lang *L)
{
	prefilter *pf = xcalloc(1, sizeof *pf);
	size_t nkeys = lang_key_count(L), k, total = 0, size = 64, nsets = 0, i;
	pf_init_class();
	pf->nwords = (nkeys + 63) / 64;
	if (pf->nwords == 0)
		pf->nwords = 1;
	for (k = 0; k < nkeys; k++) {
		const char *const *w;
		total += lang_key_words(L, k, &w);
	}
	while (size < 4 * total)
		size *= 2;
	pf->slot = xmalloc(size * sizeof *pf->slot);
	memset(pf->slot, 0, size * sizeof *pf->slot);
	pf->mask = size - 1;
	pf->sets = xmalloc((total + 1) * pf->nwords * sizeof *pf->sets);
	pf->always = xmalloc(pf->nwords * sizeof *pf->always);
	memset(pf->always, 0, pf->nwords * sizeof *pf->always);
	for (k = 0; k < nkeys; k++) {
		const char *const *w;
		size_t n = lang_key_words(L, k, &w);
		for (i = 0; i < n; i++) {
			size_t len = strlen(w[i]);
			uint64_t h;
			struct pf_word *s;
			if (len > PF_MAXW) {
				/* never probed: the prefilter must not rule a clause out on it */
				pf->always[k / 64] |= (uint64_t)1 << (k % 64);
				pf->has_always = 1;
				continue;
			}
			h = pf_hash(w[i], len);
			pf->shape[len & 31][(unsigned char)w[i][0] & 63u] |= (uint64_t)1 << ((unsigned char)w[i][len - 1] & 63u);
			s = pf_find(pf, h, w[i], len);
			if (!s) {
				size_t j = (size_t)h & pf->mask;
				while (pf->slot[j].w)
					j = (j + 1) & pf->mask;
				s = &pf->slot[j];
				s->hash = h;
				s->w = rf_strndup(w[i], len);
				s->len = len;
				s->set = nsets++;
				memset(pf->sets + s->set * pf->nwords, 0, pf->nwords * sizeof *pf->sets);
			}
			pf->sets[s->set * pf->nwords + k / 64] |= (uint64_t)1 << (k % 64);
		}
	}
	{
		const struct pf_word *s = pf_find(pf, pf_hash(LANG_SHAPE_CAPNUM, strlen(LANG_SHAPE_CAPNUM)),
						  LANG_SHAPE_CAPNUM, strlen(LANG_SHAPE_CAPNUM));
		pf->capnum = s ? pf->sets + s->set * pf->nwords : NULL;
	}
	return pf;
}

void pf_free(prefilter *pf)
{
	size_t i;
	if (!pf)
		return;
	for (i = 0; i <= pf->mask; i++)
		free(pf->slot[i].w);
	free(pf->slot);
	free(pf->sets);
	free(pf->always);
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

size_t pf_set_words(const prefilter *pf)
{
	return pf->nwords;
}

/* Close the clause text[start..end) with key set cur: kept when it holds a key. */
static size_t pf_close(prefilter *pf, size_t n, size_t start, size_t end, uint64_t *cur, int any)
{
	size_t k;
	if (!any && !pf->has_always)
		return n;
	if (n == pf->cap) {
		pf->cap = pf->cap ? 2 * pf->cap : 64;
		pf->cl = xrealloc(pf->cl, pf->cap * sizeof *pf->cl);
		pf->clsets = xrealloc(pf->clsets, pf->cap * pf->nwords * sizeof *pf->clsets);
	}
	pf->cl[n].start = start;
	pf->cl[n].end = end;
	for (k = 0; k < pf->nwords; k++)
		pf->clsets[n * pf->nwords + k] = cur[k] | pf->always[k];
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
	size_t i = 0, n = 0, start = 0, k;
	int any = 0;
	memset(curp, 0, pf->nwords * sizeof *curp);
	while (i < len) {
		unsigned char c = pf_class[t[i]];
		if (c > 1) {
			/* a word: looked at only when some key word has its length,
			   first and last letter; then lower-cased, hashed, probed */
			char w[PF_MAXW];
			size_t n0, w0 = i, j;
			do
				i++;
			while (i < len && pf_class[t[i]] > 1);
			n0 = i - w0;
			/* "GPT-4", "Atlas 2", "Llama3": a capitalized word with a digit */
			if (pf->capnum && t[w0] >= 'A' && t[w0] <= 'Z' && pf_capnum(t, len, w0, i)) {
				for (k = 0; k < pf->nwords; k++)
					curp[k] |= pf->capnum[k];
				any = 1;
			}
			if (n0 <= PF_MAXW && pf_shape_has(pf, pf_class[t[w0]], pf_class[t[i - 1]], n0)) {
				const struct pf_word *s;
				for (j = 0; j < n0; j++)
					w[j] = (char)pf_class[t[w0 + j]];
				s = pf_find(pf, pf_hash(w, n0), w, n0);
				if (s) {
					const uint64_t *set = pf->sets + s->set * pf->nwords;
					for (k = 0; k < pf->nwords; k++)
						curp[k] |= set[k];
					any = 1;
				}
			}
			continue;
		}
		if (c == 1 && !(t[i] == '.' && pf_dot_inside(t, len, i))) {
			n = pf_close(pf, n, start, i, curp, any);
			any = 0;
			start = i + 1;
		}
		i++;
	}
	n = pf_close(pf, n, start, len, curp, any);
	for (k = 0; k < n; k++)
		pf->cl[k].keys = pf->clsets + k * pf->nwords;
	if (curp != cur)
		free(curp);
	*out = pf->cl;
	return n;
}
