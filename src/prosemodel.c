/*
 * prosemodel.c: clause models over word classes (prosemodel.h).
 *
 * A model file is a rule-file-like list of entries:
 *
 *     model:     4                  starts a model (its concept)
 *     code:      LS211              the rule it reports under
 *     require:   signal             a clause is scored only when it holds a word
 *     require:   agent, name          of one class of each require line
 *     threshold: 1.5                fire when the score exceeds this
 *     bias:      -4.2
 *     weight:    agent<want 1.37    a feature and its weight
 *
 * The word table maps every form of every named class (its phrases word
 * by word, "cross-entropy" as "cross entropy") to the classes it is a word
 * of, so one pass over a clause's words finds all its classed words.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prosemodel.h"
#include "rulefile.h"
#include "xalloc.h"

#define PM_PHRASE_MAX 5         /* words in the longest phrase looked up */

struct pm_entry {
	char *key;              /* lower-case words joined by one space */
	size_t len;
	uint64_t hash;          /* pm_hash(key, len) */
	uint64_t classes;       /* 0: only the start of longer phrases */
	int prefix;             /* some longer phrase starts with key + " " */
};

struct pm_pending {             /* a class name waiting for pm_bind */
	char *name;
	size_t model;
	int kind;               /* 0 present, 1 before (with second), 2 require, 3 report */
	size_t group;           /* require: its line in the model */
	char *second;
	double w;
	char *path;
	unsigned long line, col;
};

struct pm_set {
	pm_model *m;
	size_t n, cap;
	char *cls[PM_MAX_CLASSES];      /* the classes named, in order of first use */
	size_t ncls;
	struct pm_pending *pend;
	size_t npend, pcap;
	struct pm_entry *tab;   /* open addressing, size a power of two */
	size_t tabsize, tabn;
	int bound;
};

static const char *const pm_key_names[] = {"model", "code", "require", "threshold", "bias", "weight", "report"};
enum { PK_MODEL, PK_CODE, PK_REQUIRE, PK_THRESHOLD, PK_BIAS, PK_WEIGHT, PK_REPORT };
static const rf_keys pm_keys = {pm_key_names, 7, (1u << PK_MODEL) | (1u << PK_CODE) | (1u << PK_REQUIRE) |
	(1u << PK_THRESHOLD) | (1u << PK_BIAS) | (1u << PK_WEIGHT) | (1u << PK_REPORT), 0, 0, "model entries"};

pm_set *pm_new(void)
{
	pm_set *s = xmalloc(sizeof *s);
	memset(s, 0, sizeof *s);
	return s;
}

/* Forgets the models from the n-th on and the pending names from the np-th on. */
static void pm_drop_from(pm_set *s, size_t n, size_t np)
{
	while (s->n > n) {
		s->n--;
		free(s->m[s->n].code);
		free(s->m[s->n].path);
	}
	while (s->npend > np) {
		s->npend--;
		free(s->pend[s->npend].name);
		free(s->pend[s->npend].second);
		free(s->pend[s->npend].path);
	}
}

void pm_free(pm_set *s)
{
	size_t i;
	if (!s)
		return;
	pm_drop_from(s, 0, 0);
	free(s->m);
	for (i = 0; i < s->ncls; i++)
		free(s->cls[i]);
	free(s->pend);
	for (i = 0; i < s->tabsize; i++)
		free(s->tab[i].key);
	free(s->tab);
	free(s);
}

size_t pm_count(const pm_set *s)
{
	return s ? s->n : 0;
}

const pm_model *pm_at(const pm_set *s, size_t i)
{
	return &s->m[i];
}

size_t pm_class_count(const pm_set *s)
{
	return s->ncls;
}

const char *pm_class_name(const pm_set *s, size_t i)
{
	return s->cls[i];
}

static void pm_pend(pm_set *s, const char *name, size_t nlen, int kind, const char *second, size_t slen, double w,
		    const char *path, unsigned long line, unsigned long col)
{
	struct pm_pending *p;
	if (s->npend == s->pcap) {
		s->pcap = s->pcap ? 2 * s->pcap : 64;
		s->pend = xrealloc(s->pend, s->pcap * sizeof *s->pend);
	}
	p = &s->pend[s->npend++];
	p->name = rf_strndup(name, nlen);
	p->second = second ? rf_strndup(second, slen) : NULL;
	p->kind = kind;
	p->w = w;
	p->model = s->n - 1;
	p->path = rf_strndup(path, strlen(path));
	p->line = line;
	p->col = col;
}

static int pm_is_name_byte(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* A number filling all of v (after blanks). */
static int pm_number(const char *v, double *out)
{
	char *end;
	errno = 0;
	*out = strtod(v, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	return end != v && *end == '\0' && errno == 0 && isfinite(*out);
}

int pm_load(pm_set *s, const char *path, const char *bytes, size_t len, char *err, size_t errlen)
{
	rf_file f;
	size_t i, n0 = s->n, npend0 = s->npend;
	int rc = 0;
	if (rf_parse(&f, path, bytes, len, &pm_keys, err, errlen) != 0) {
		rf_free(&f);    /* rf_parse leaves what it read so far for the caller to free */
		return -1;
	}
	s->bound = 0;
	for (i = 0; i < f.n && rc == 0; i++) {
		const rf_entry *e = &f.e[i];
		const char *v = e->value;
		unsigned long line, col;
		pm_model *m = s->n ? &s->m[s->n - 1] : NULL;
		rf_where(&f, e, 0, &line, &col);
		if (e->key != PK_MODEL && !m) {
			rf_err(err, errlen, path, line, col, "'%s:' before the first 'model:'", pm_key_names[e->key]);
			rc = -1;
			break;
		}
		switch (e->key) {
		case PK_MODEL: {
			double c;
			if (!pm_number(v, &c) || (c != 3 && c != 4)) {
				rf_err(err, errlen, path, line, col, "model: expected a concept, 3 or 4");
				rc = -1;
				break;
			}
			if (s->n == s->cap) {
				s->cap = s->cap ? 2 * s->cap : 4;
				s->m = xrealloc(s->m, s->cap * sizeof *s->m);
			}
			m = &s->m[s->n++];
			memset(m, 0, sizeof *m);
			m->concept = (int)c;
			m->threshold = 0;
			m->path = rf_strndup(path, strlen(path));
			m->line = line;
			m->col = col;
			break;
		}
		case PK_CODE:
			free(m->code);
			m->code = rf_strndup(v, strlen(v));
			m->line = line;
			m->col = col;
			break;
		case PK_THRESHOLD:
		case PK_BIAS: {
			double x;
			if (!pm_number(v, &x)) {
				rf_err(err, errlen, path, line, col, "%s: expected a number", pm_key_names[e->key]);
				rc = -1;
				break;
			}
			*(e->key == PK_BIAS ? &m->bias : &m->threshold) = x;
			break;
		}
		case PK_REQUIRE:
		case PK_REPORT: {
			const char *p = v;
			size_t names = 0;
			while (*p && rc == 0) {
				const char *a;
				while (*p == ' ' || *p == ',' || *p == '\t')
					p++;
				if (!*p)
					break;
				a = p;
				while (pm_is_name_byte(*p))
					p++;
				if (p == a) {
					rf_where(&f, e, (size_t)(p - v), &line, &col);
					rf_err(err, errlen, path, line, col, "%s: expected class names",
					       pm_key_names[e->key]);
					rc = -1;
					break;
				}
				rf_where(&f, e, (size_t)(a - v), &line, &col);
				pm_pend(s, a, (size_t)(p - a), e->key == PK_REQUIRE ? 2 : 3, NULL, 0, 0, path, line, col);
				s->pend[s->npend - 1].group = m->nrequire;
				names++;
			}
			if (rc == 0 && names == 0) {
				rf_where(&f, e, 0, &line, &col);
				rf_err(err, errlen, path, line, col, "%s: expected class names", pm_key_names[e->key]);
				rc = -1;
			}
			if (rc == 0 && e->key == PK_REQUIRE && ++m->nrequire > PM_MAX_REQUIRE) {
				rf_where(&f, e, 0, &line, &col);
				rf_err(err, errlen, path, line, col, "more than %d 'require:' lines in one model",
				       PM_MAX_REQUIRE);
				rc = -1;
			}
			break;
		}
		case PK_WEIGHT: {
			const char *a = v, *p = v, *b = NULL;
			size_t alen, blen = 0;
			double w;
			while (pm_is_name_byte(*p))
				p++;
			alen = (size_t)(p - a);
			if (*p == '<') {
				b = ++p;
				while (pm_is_name_byte(*p))
					p++;
				blen = (size_t)(p - b);
			}
			if (alen == 0 || (b && blen == 0) || (*p != ' ' && *p != '\t') || !pm_number(p, &w)) {
				rf_where(&f, e, (size_t)(p - v), &line, &col);
				rf_err(err, errlen, path, line, col,
				       "weight: expected 'CLASS NUMBER' or 'CLASS<CLASS NUMBER'");
				rc = -1;
				break;
			}
			pm_pend(s, a, alen, b ? 1 : 0, b, blen, w, path, line, col);
			break;
		}
		}
	}
	/* this file's models only (the set may hold earlier files'), each at its 'model:' line */
	for (i = n0; rc == 0 && i < s->n; i++)
		if (!s->m[i].code) {
			rf_err(err, errlen, path, s->m[i].line, s->m[i].col, "the model has no 'code:'");
			rc = -1;
		}
	rf_free(&f);
	if (rc != 0)            /* the file fails as a whole: none of its models stays */
		pm_drop_from(s, n0, npend0);
	return rc;
}

/* ---- the word table ---------------------------------------------------- */

/* FNV-1a, one byte at a time, so a phrase's hash continues its first word's. */
#define PM_HASH_INIT 1469598103934665603ull
#define PM_HASH_STEP(h, c) (((h) ^ (unsigned char)(c)) * 1099511628211ull)

static uint64_t pm_hash(const char *k, size_t n)
{
	uint64_t h = PM_HASH_INIT;
	size_t i;
	for (i = 0; i < n; i++)
		h = PM_HASH_STEP(h, k[i]);
	return h;
}

static struct pm_entry *pm_slot_h(const pm_set *s, const char *k, size_t n, uint64_t h)
{
	size_t i = (size_t)h & (s->tabsize - 1);
	while (s->tab[i].key &&
	       !(s->tab[i].hash == h && s->tab[i].len == n && memcmp(s->tab[i].key, k, n) == 0))
		i = (i + 1) & (s->tabsize - 1);
	return &s->tab[i];
}

static struct pm_entry *pm_slot(const pm_set *s, const char *k, size_t n)
{
	return pm_slot_h(s, k, n, pm_hash(k, n));
}

static void pm_grow(pm_set *s)
{
	struct pm_entry *old = s->tab;
	size_t oldsize = s->tabsize, i;
	s->tabsize = oldsize ? 2 * oldsize : 1024;
	s->tab = xmalloc(s->tabsize * sizeof *s->tab);
	memset(s->tab, 0, s->tabsize * sizeof *s->tab);
	for (i = 0; i < oldsize; i++)
		if (old[i].key)
			*pm_slot_h(s, old[i].key, old[i].len, old[i].hash) = old[i];
	free(old);
}

/* Lower-case words of form joined by one space, into buf; 0 when it has none or too many. */
static size_t pm_normalize(const char *form, char *buf, size_t size)
{
	size_t n = 0, words = 0;
	const char *p = form;
	while (*p) {
		if (!lang_is_word_byte((unsigned char)*p)) {
			p++;
			continue;
		}
		if (n && n + 1 < size)
			buf[n++] = ' ';
		words++;
		while (lang_is_word_byte((unsigned char)*p)) {
			if (n + 1 < size)
				buf[n++] = (char)tolower((unsigned char)*p);
			p++;
		}
	}
	if (words == 0 || words > PM_PHRASE_MAX || n + 1 >= size)
		return 0;
	buf[n] = '\0';
	return n;
}

static struct pm_entry *pm_enter(pm_set *s, const char *k, size_t n)
{
	struct pm_entry *e;
	if (2 * (s->tabn + 1) > s->tabsize)
		pm_grow(s);
	e = pm_slot(s, k, n);
	if (!e->key) {
		e->key = rf_strndup(k, n);
		e->len = n;
		e->hash = pm_hash(k, n);
		s->tabn++;
	}
	return e;
}

/* The form's words, and each of its shorter starts marked as a prefix (so a lookup stops early). */
static void pm_add_form(pm_set *s, const char *form, unsigned bit)
{
	char buf[256];
	size_t n = pm_normalize(form, buf, sizeof buf), i;
	if (!n)
		return;
	pm_enter(s, buf, n)->classes |= (uint64_t)1 << bit;
	for (i = 0; i < n; i++)
		if (buf[i] == ' ')
			pm_enter(s, buf, i)->prefix = 1;
}

static int pm_class_index(pm_set *s, const lang *L, const struct pm_pending *p, const char *name, char *err,
			  size_t errlen)
{
	size_t i;
	for (i = 0; i < s->ncls; i++)
		if (strcmp(s->cls[i], name) == 0)
			return (int)i;
	if (lang_class_find(L, name) == LANG_NONE) {
		rf_err(err, errlen, p->path, p->line, p->col, "unknown word class '%s'", name);
		return -1;
	}
	if (s->ncls == PM_MAX_CLASSES) {
		rf_err(err, errlen, p->path, p->line, p->col, "more than %d classes in the models", PM_MAX_CLASSES);
		return -1;
	}
	s->cls[s->ncls] = rf_strndup(name, strlen(name));
	return (int)s->ncls++;
}

int pm_bind(pm_set *s, const lang *L, char *err, size_t errlen)
{
	size_t i, j;
	if (s->bound)
		return 0;
	for (i = 0; i < s->npend; i++) {
		const struct pm_pending *p = &s->pend[i];
		pm_model *m = &s->m[p->model];
		int a = pm_class_index(s, L, p, p->name, err, errlen), b = 0;
		if (a < 0 || (p->kind == 1 && (b = pm_class_index(s, L, p, p->second, err, errlen)) < 0))
			return -1;
		if (p->kind == 0)
			m->present[a] = p->w;
		else if (p->kind == 1)
			m->before[a][b] = p->w;
		else if (p->kind == 2)
			m->require[p->group] |= (uint64_t)1 << a;
		else
			m->report |= (uint64_t)1 << a;
	}
	for (i = 0; i < s->tabsize; i++)
		free(s->tab[i].key);
	free(s->tab);
	s->tab = NULL;
	s->tabsize = s->tabn = 0;
	for (i = 0; i < s->ncls; i++) {
		size_t c = lang_class_find(L, s->cls[i]);
		const char *const *v;
		size_t n = lang_class_forms(L, c, &v);
		for (j = 0; j < n; j++)
			pm_add_form(s, v[j], (unsigned)i);
		/* a phrase written as a pattern ("(big | high) number", "care* about")
		   is no words to look up: only plain phrases are */
		n = lang_class_phrases(L, c, &v);
		for (j = 0; j < n; j++)
			if (!strpbrk(v[j], "(){}|/*.[]?+\\"))
				pm_add_form(s, v[j], (unsigned)i);
	}
	if (!s->tabsize)
		pm_grow(s);
	s->bound = 1;
	return 0;
}

/* ---- scoring ----------------------------------------------------------- */

/*
 * A word of the text: as lang.c's words, and the underscore too, so an
 * identifier ("reward_is_the_target") is one word no class holds, as a
 * frame's \b sees it, not a clause of English.
 */
static int pm_word_byte(unsigned char c)
{
	return lang_is_word_byte(c) || c == '_';
}

/*
 * The entry of the longest phrase starting at the word that starts at i
 * (its words one space or hyphen apart): the classes of every entry met
 * on the way, *end the end of the longest that has classes; 0 when none.
 */
static uint64_t pm_lookup(const pm_set *s, const char *t, size_t i, size_t to, size_t *end)
{
	char buf[256];
	size_t len = 0, k;
	uint64_t classes = 0, h = PM_HASH_INIT;
	for (k = 0; k < PM_PHRASE_MAX; k++) {
		const struct pm_entry *e;
		size_t we = i;
		while (we < to && pm_word_byte((unsigned char)t[we]))
			we++;
		if (we == i || len + (we - i) + 1 >= sizeof buf)
			break;
		if (k > 0) {
			buf[len++] = ' ';
			h = PM_HASH_STEP(h, ' ');
		}
		for (; i < we; i++) {
			char c = (char)tolower((unsigned char)t[i]);
			buf[len++] = c;
			h = PM_HASH_STEP(h, c);
		}
		e = pm_slot_h(s, buf, len, h);
		if (!e->key)
			break;
		if (e->classes) {
			classes |= e->classes;
			*end = we;
		}
		if (!e->prefix || we + 1 >= to || (t[we] != ' ' && t[we] != '-'))
			break;
		i = we + 1;
	}
	return classes;
}

static void pm_push(pm_token **out, size_t *cap, size_t n, size_t start, size_t end, uint64_t classes)
{
	if (n == *cap) {
		*cap = *cap ? 2 * *cap : 32;
		*out = xrealloc(*out, *cap * sizeof **out);
	}
	(*out)[n].start = start;
	(*out)[n].end = end;
	(*out)[n].classes = classes;
}

size_t pm_tokens(const pm_set *s, const char *t, size_t from, size_t to, pm_token **out, size_t *cap)
{
	size_t n = 0, i = from, end;
	while (i < to) {
		uint64_t c;
		if (!pm_word_byte((unsigned char)t[i]) || (i > from && pm_word_byte((unsigned char)t[i - 1]))) {
			i++;
			continue;
		}
		c = pm_lookup(s, t, i, to, &end);
		if (c) {
			pm_push(out, cap, n++, i, end, c);
			i = end;
		} else {
			while (i < to && pm_word_byte((unsigned char)t[i]))
				i++;
		}
	}
	return n;
}

uint64_t pm_word_info(const pm_set *s, const char *word, size_t len, int *prefix)
{
	char buf[256];
	size_t i;
	const struct pm_entry *e;
	*prefix = 0;
	if (len == 0 || len >= sizeof buf || !s->tabsize)
		return 0;
	for (i = 0; i < len; i++)
		buf[i] = (char)tolower((unsigned char)word[i]);
	e = pm_slot(s, buf, len);
	if (!e->key)
		return 0;
	*prefix = e->prefix;
	return e->classes;
}

size_t pm_token_at(const pm_set *s, const char *t, size_t at, size_t to, pm_token *tok)
{
	size_t end = at;
	uint64_t c = pm_lookup(s, t, at, to, &end);
	if (!c)
		return 0;
	tok->start = at;
	tok->end = end;
	tok->classes = c;
	return 1;
}

int pm_gate(const pm_model *m, const pm_token *tok, size_t n)
{
	uint64_t have = 0;
	size_t i;
	for (i = 0; i < n; i++)
		have |= tok[i].classes;
	for (i = 0; i < m->nrequire; i++)
		if (!(have & m->require[i]))
			return 0;
	return 1;
}

/* The features present: classes held, and pairs in order (before[a] bit b: an a before a b). */
static uint64_t pm_features(const pm_token *tok, size_t n, uint64_t *before)
{
	uint64_t seen = 0, as;
	size_t i;
	memset(before, 0, PM_MAX_CLASSES * sizeof *before);
	for (i = 0; i < n; i++) {
		for (as = seen; as; as &= as - 1)
			before[__builtin_ctzll(as)] |= tok[i].classes;
		seen |= tok[i].classes;
	}
	return seen;
}

double pm_score(const pm_model *m, const pm_token *tok, size_t n)
{
	uint64_t before[PM_MAX_CLASSES];
	uint64_t seen = pm_features(tok, n, before), as, bs;
	double z = m->bias;
	for (as = seen; as; as &= as - 1) {
		int a = __builtin_ctzll(as);
		z += m->present[a];
		for (bs = before[a]; bs; bs &= bs - 1)
			z += m->before[a][__builtin_ctzll(bs)];
	}
	return z;
}

void pm_triggers(const pm_model *m, const pm_token *tok, size_t n, unsigned char *keep, size_t *cls)
{
	uint64_t before[PM_MAX_CLASSES], good = 0;
	uint64_t seen = pm_features(tok, n, before);
	double best[PM_MAX_CLASSES];
	size_t i;
	int a, b;
	/* each class's strongest positive feature present */
	for (a = 0; a < PM_MAX_CLASSES; a++)
		best[a] = 0;
	for (a = 0; a < PM_MAX_CLASSES; a++) {
		if (!((seen >> a) & 1u))
			continue;
		if (m->present[a] > best[a])
			best[a] = m->present[a];
		for (b = 0; b < PM_MAX_CLASSES; b++)
			if (((before[a] >> b) & 1u) && m->before[a][b] > 0) {
				if (m->before[a][b] > best[a])
					best[a] = m->before[a][b];
				if (m->before[a][b] > best[b])
					best[b] = m->before[a][b];
			}
	}
	for (a = 0; a < PM_MAX_CLASSES; a++)
		if (best[a] > 0)
			good |= (uint64_t)1 << a;
	if (m->report)
		good &= m->report;
	for (i = 0; i < n; i++) {
		uint64_t c = tok[i].classes & good;
		double w = 0;
		keep[i] = c != 0;
		cls[i] = 0;
		for (a = 0; c && a < PM_MAX_CLASSES; a++)
			if (((c >> a) & 1u) && best[a] > w) {
				w = best[a];
				cls[i] = (size_t)a;
			}
	}
}
