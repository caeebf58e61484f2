/*
 * lang.c: word classes, inflection, spelling variants and frames (see
 * lang.h and lossc-rules(5)).
 *
 * Everything here produces text: a frame becomes one PCRE2 pattern in
 * which every class is a prefix-factored alternation of its forms
 * ("model(?:s)?|net(?:work(?:s)?|s)?"), words are fenced by (?<!\w) and
 * (?!\w), and the blanks between words are a separator that may hold
 * quotes, brackets and dashes but never a clause mark, so no frame can
 * match across a sentence or a clause.  A gap is a bounded, lazy run of
 * words; nothing is nested under an unbounded repeat, so the generated
 * patterns backtrack boundedly (and the caller's match limits still
 * apply to every one).
 */
#include "lang.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A period ends a clause unless a digit or a lower-case letter follows it
 * ("Eq. 3", "e.g. the", "0.3"); prefilter.c splits clauses by the same
 * rule, so a frame never matches across a clause the prefilter closed.
 */
#define DOT "\\.(?=[ \\t\\r\\n]*(?-i:[0-9a-z]))"
/*
 * Every pattern ends with a (?(DEFINE)...) block that defines these once
 * (and each class it uses, as (?<cN>...)); the pattern calls them.  PCRE2
 * limits a compiled pattern's size, and a class written out at every use
 * would pass it.
 */
/*
 * Between two words: blanks, quotes, brackets, dashes, slashes; never
 * , ! ? ; : or a clause's period.  A run of such characters is taken
 * whole (possessive): one backtracking frame per run, not per character,
 * so 90,000 brackets after a claim cannot exhaust PCRE2's JIT stack.
 * Apostrophes and '+' stay single steps, which can be given back: a
 * class entry may start with one ("+1", "'d rather").
 */
#define SEP_DEF "(?:[^\\w.!?;:,'+\\x{2019}]++|['+\\x{2019}]|" DOT ")+"
#define SEP "(?&s)"
/* Before each word of a gap: the same, commas allowed. */
#define GAP_SEP_DEF "(?:[^\\w.!?;:'+\\x{2019}]++|['+\\x{2019}]|" DOT ")+"
#define GAP_SEP "(?&g)"
#define PUNCT_SP "[ \\t]*"
#define GAP_WORD "\\w[\\w'\\x{2019}-]*"
/* A hyphen inside a written word ("stand-in") also matches blanks ("stand in"). */
#define HYPHEN_DEF "(?:\\s*[-\\x{2010}\\x{2011}\\x{2013}\\x{2014}]\\s*|\\s+)"
#define HYPHEN "(?&h)"
#define APOS "['\\x{2019}]"
#define POSSESSIVE "(?:['\\x{2019}]s|(?<=s)['\\x{2019}])(?!\\w)"

#define LANG_MAX_PRODUCT 512    /* forms of a multi-word entry spelled out one by one */
#define LANG_MAX_SPELLINGS 64   /* forms of one word: inflections times spellings (8 at most in rules/) */
#define LANG_MAX_DEPTH 8        /* nested groups */
#define LANG_MAX_REGEX (4u << 20)

enum { LN_WORD, LN_CLASS, LN_GROUP, LN_GAP, LN_PUNCT, LN_RAW };
enum { POS_WORD, POS_VERB, POS_NOUN, POS_ADJ };

typedef struct strs {
	char **v;
	size_t n, cap;
} strs;

struct lang_node {
	int kind;
	unsigned char optional;         /* "word?", "{class}?", "(...)?" */
	unsigned char possessive;       /* "{class}'s" */
	unsigned char pos;              /* LN_WORD: inflect as POS_* */
	unsigned char star;             /* "word*": the word an entry inflects */
	unsigned gap;                   /* LN_GAP: at most this many words */
	const char *path;
	unsigned long line, col;
	char *text;                     /* word (lower case), class name, gap's stop class, ':', regex */
	size_t cls;                     /* resolved class (LN_CLASS, LN_GAP stop) */
	lang_seq *alts;                 /* LN_GROUP */
	size_t nalts;
};

struct lang_seq {
	struct lang_node *n;
	size_t len;
};

struct lang_entry {
	lang_seq *seq;
	char *text;                     /* the entry as written, normalised (for "drop:") */
};

struct lang_class {
	char *name, *title;
	struct lang_entry *e, *x;       /* entries, technical compounds ("except:") */
	size_t ne, nx;
	strs drop;
	int hidden;                     /* "show: no": a finding does not name its words */
	strs pfwords;                   /* "prefilter:": the class's key words, as given */
	const char *path;
	unsigned long line;
	/* built by lang_finalize */
	int state;                      /* 0 not built, 1 building, 2 built */
	char *regex;                    /* alternation of every entry, calling other classes */
	char *lead;                     /* regex with the classes it starts with written out, or NULL */
	unsigned char *refs;            /* refs[k]: regex calls class k */
	char *xregex;                   /* the compounds, a complete pattern, or NULL */
	strs xwords;                    /* every word (prefilter token) the compounds hold */
	strs forms;                     /* generated forms of the entries made only of words (listing) */
	strs phrases;                   /* the other entries, as written (listing) */
	strs first;                     /* prefilter words that can start a match */
	int unkeyable;                  /* some entry has no literal first word */
	strs start;                     /* the first prefilter word of every form (seq_start) */
	unsigned startback;             /* bit b: a form starts b bytes before its first word */
	int unstartable;                /* some form's first word is not known */
};

struct lang_ctx_item {
	int where;
	lang_seq *seq;
};

struct lang_context {
	char *name, *title;
	struct lang_ctx_item *it;
	size_t n;
};

struct lang_irregular {
	char *base;
	strs forms;
};

/* The forms of one written word, computed once (word_forms). */
struct lang_memo {
	char *w;                        /* NULL: empty slot */
	int pos;
	strs forms;
};

struct lang {
	struct lang_class *cls;
	size_t ncls;
	struct lang_context *ctx;
	size_t nctx;
	struct lang_irregular *irr;
	size_t nirr;
	strs spell;                     /* pairs: spell.v[2i] <-> spell.v[2i+1] */
	strs common;
	strs paths;                     /* interned file paths */
	strs *keys;
	size_t nkeys;
	int finalized;
	/* word_forms' results by (word, part of speech): building the classes
	   and compiling the frames ask for the same words many times over */
	struct lang_memo *memo;
	size_t memocap, nmemo;
};

/* ---- small helpers ---------------------------------------------------- */

static void strs_add(strs *s, const char *p, size_t n)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = rf_strndup(p, n);
}

static void strs_addz(strs *s, const char *p)
{
	strs_add(s, p, strlen(p));
}

static void strs_free(strs *s)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static int strs_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void strs_uniq(strs *s)
{
	size_t i, k = 0;
	if (s->n < 2)
		return;
	qsort(s->v, s->n, sizeof *s->v, strs_cmp);
	for (i = 0; i < s->n; i++) {
		if (k > 0 && strcmp(s->v[k - 1], s->v[i]) == 0) {
			free(s->v[i]);
			continue;
		}
		s->v[k++] = s->v[i];
	}
	s->n = k;
}

static int strs_has(const strs *s, const char *p)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], p) == 0)
			return 1;
	return 0;
}

/* strs_has on a set that strs_uniq sorted. */
static int strs_has_sorted(const strs *s, const char *p)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->v[mid], p);
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

typedef struct rbuf {
	char *p;
	size_t n, cap;
	int over;                       /* grew past LANG_MAX_REGEX */
} rbuf;

static void buf_putn(rbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > LANG_MAX_REGEX) {
		b->over = 1;
		return;
	}
	if (b->n + n + 1 > b->cap) {
		b->cap = b->cap ? b->cap : 256;
		while (b->n + n + 1 > b->cap)
			b->cap *= 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void buf_puts(rbuf *b, const char *s)
{
	buf_putn(b, s, strlen(s));
}

int lang_is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Length of the UTF-8 character starting with byte c (1 for anything odd). */
static size_t unit_len(unsigned char c)
{
	return c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/*
 * A word as the engine stores it: ASCII lower-cased, the typographic
 * apostrophe U+2019 as "'".  Returns a new string.
 */
static char *norm_word(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	size_t i, k = 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x99) {
			d[k++] = '\'';
			i += 2;
			continue;
		}
		d[k++] = c < 0x80 ? (char)tolower(c) : (char)c;
	}
	d[k] = '\0';
	return d;
}

static const char *intern_path(lang *L, const char *path)
{
	size_t i;
	for (i = 0; i < L->paths.n; i++)
		if (strcmp(L->paths.v[i], path) == 0)
			return L->paths.v[i];
	strs_addz(&L->paths, path);
	return L->paths.v[L->paths.n - 1];
}

static int valid_name(const char *s, size_t n)
{
	size_t i;
	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

/* ---- parsed patterns -------------------------------------------------- */

static void node_free(struct lang_node *n);

void lang_seq_free(lang_seq *s)
{
	size_t i;
	if (!s)
		return;
	for (i = 0; i < s->len; i++)
		node_free(&s->n[i]);
	free(s->n);
	free(s);
}

static void seq_clear(lang_seq *s)
{
	size_t i;
	for (i = 0; i < s->len; i++)
		node_free(&s->n[i]);
	free(s->n);
	s->n = NULL;
	s->len = 0;
}

static void node_free(struct lang_node *n)
{
	size_t i;
	free(n->text);
	for (i = 0; i < n->nalts; i++)
		seq_clear(&n->alts[i]);
	free(n->alts);
}

/* The parser of word patterns: frames, context patterns, class entries. */
struct lp {
	lang *L;
	const rf_file *f;
	const rf_entry *e;
	const char *s;                  /* e->value */
	size_t i, end;                  /* parse s[i..end) */
	int entry;                      /* a class entry: '*' allowed, no gaps */
	const char *path;
	char *err;
	size_t errlen;
};

static void lp_err(struct lp *p, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void lp_err(struct lp *p, size_t off, const char *fmt, ...)
{
	unsigned long line, col;
	char msg[512];
	va_list ap;
	rf_where(p->f, p->e, off, &line, &col);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	rf_err(p->err, p->errlen, p->f->path, line, col, "%s", msg);
}

static struct lang_node *seq_push(lang_seq *s, struct lp *p, int kind, size_t off)
{
	struct lang_node *n;
	s->n = xrealloc(s->n, (s->len + 1) * sizeof *s->n);
	n = &s->n[s->len++];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->cls = LANG_NONE;
	n->path = p->path;
	rf_where(p->f, p->e, off, &n->line, &n->col);
	return n;
}

static int lp_special(char c)
{
	return c == '{' || c == '}' || c == '(' || c == ')' || c == '|';
}

/* "{name}" at p->i: the name's bounds, or -1 after an error. */
static int lp_class_name(struct lp *p, size_t *ns, size_t *nn)
{
	size_t start = p->i, j = p->i + 1;
	while (j < p->end && p->s[j] != '}' && p->s[j] != ' ')
		j++;
	if (j >= p->end || p->s[j] != '}') {
		lp_err(p, start, "'{' without a closing '}'");
		return -1;
	}
	if (!valid_name(p->s + start + 1, j - start - 1)) {
		char name[80];
		snprintf(name, sizeof name, "%.*s", (int)(j - start - 1 < 64 ? j - start - 1 : 64), p->s + start + 1);
		lp_err(p, start + 1, "a class name is lower-case letters, digits, '-' or '_' (got '{%s}')", name);
		return -1;
	}
	*ns = start + 1;
	*nn = j - start - 1;
	p->i = j + 1;
	return 0;
}

static int lp_seq(struct lp *p, lang_seq *out, int depth);

static int lp_group(struct lp *p, lang_seq *out, int depth)
{
	size_t open = p->i;
	struct lang_node *n;
	if (depth >= LANG_MAX_DEPTH) {
		lp_err(p, open, "groups nested too deeply (at most %s)", "8");
		return -1;
	}
	n = seq_push(out, p, LN_GROUP, open);
	p->i++;
	for (;;) {
		lang_seq alt = {NULL, 0};
		size_t at = p->i;
		if (lp_seq(p, &alt, depth + 1) != 0) {
			seq_clear(&alt);
			return -1;
		}
		n = &out->n[out->len - 1];
		n->alts = xrealloc(n->alts, (n->nalts + 1) * sizeof *n->alts);
		n->alts[n->nalts++] = alt;
		if (alt.len == 0) {
			lp_err(p, at, "empty alternative in a group");
			return -1;
		}
		if (p->i < p->end && p->s[p->i] == '|') {
			p->i++;
			continue;
		}
		if (p->i < p->end && p->s[p->i] == ')') {
			p->i++;
			break;
		}
		lp_err(p, open, "'(' without a closing ')'");
		return -1;
	}
	if (p->i < p->end && p->s[p->i] == '?') {
		n->optional = 1;
		p->i++;
	}
	return 0;
}

static int lp_gap(struct lp *p, lang_seq *out)
{
	size_t start = p->i;
	unsigned max = LANG_GAP_DEFAULT;
	struct lang_node *n;
	p->i += 3;
	if (p->i < p->end && isdigit((unsigned char)p->s[p->i])) {
		max = 0;
		while (p->i < p->end && isdigit((unsigned char)p->s[p->i]) && max <= LANG_GAP_MAX)
			max = 10 * max + (unsigned)(p->s[p->i++] - '0');
		if (max < 1 || max > LANG_GAP_MAX) {
			lp_err(p, start, "a gap skips 1 to 12 words ('...3')");
			return -1;
		}
	}
	n = seq_push(out, p, LN_GAP, start);
	n->gap = max;
	if (p->i + 1 < p->end && p->s[p->i] == '!' && p->s[p->i + 1] == '{') {
		size_t ns, nn;
		p->i++;
		if (lp_class_name(p, &ns, &nn) != 0)
			return -1;
		out->n[out->len - 1].text = rf_strndup(p->s + ns, nn);
	}
	return 0;
}

static int lp_word(struct lp *p, lang_seq *out)
{
	size_t start = p->i, j = p->i, k;
	struct lang_node *n;
	int alnum = 0, star = 0, opt = 0;
	while (j < p->end && p->s[j] != ' ' && p->s[j] != '\t' && !lp_special(p->s[j]))
		j++;
	k = j;
	if (k > start && p->s[k - 1] == '?') {
		opt = 1;
		k--;
	}
	if (k > start && p->s[k - 1] == '*') {
		star = 1;
		k--;
	}
	for (size_t i = start; i < k; i++) {
		if (lang_is_word_byte((unsigned char)p->s[i]) || (unsigned char)p->s[i] >= 0x80)
			alnum = 1;
		if (p->s[i] == '*' || p->s[i] == '?' || p->s[i] == '\\' || p->s[i] == '"') {
			lp_err(p, i, "'%s' cannot appear inside a word (a word is letters, digits, '-', '\\'' and '.')",
			       p->s[i] == '*' ? "*" : p->s[i] == '?' ? "?" : p->s[i] == '"' ? "\"" : "\\");
			return -1;
		}
	}
	if (!alnum) {
		lp_err(p, start, "expected a word, '{class}', '(' or '...'");
		return -1;
	}
	n = seq_push(out, p, LN_WORD, start);
	n->text = norm_word(p->s + start, k - start);
	n->optional = (unsigned char)opt;
	n->star = (unsigned char)star;
	/* In a frame or a context, "treat*" is every form of the verb. */
	if (star && !p->entry)
		n->pos = POS_VERB;
	p->i = j;
	return 0;
}

/* "/regex/": a PCRE2 fragment, used as written ("\/" is a slash inside it). */
static int lp_raw(struct lp *p, lang_seq *out)
{
	size_t start = p->i, j = p->i + 1;
	struct lang_node *n;
	char *t;
	size_t k = 0;
	while (j < p->end && p->s[j] != '/') {
		if (p->s[j] == '\\' && j + 1 < p->end)
			j++;
		j++;
	}
	if (j >= p->end || j == start + 1) {
		lp_err(p, start, j >= p->end ? "'/' without a closing '/'" : "an empty '//' fragment");
		return -1;
	}
	n = seq_push(out, p, LN_RAW, start);
	t = xmalloc(j - start);
	for (size_t i = start + 1; i < j; i++) {
		if (p->s[i] == '\\' && i + 1 < j && p->s[i + 1] == '/')
			i++;
		t[k++] = p->s[i];
	}
	t[k] = '\0';
	n->text = t;
	p->i = j + 1;
	if (p->i < p->end && p->s[p->i] == '?') {
		n->optional = 1;
		p->i++;
	}
	return 0;
}

static int lp_seq(struct lp *p, lang_seq *out, int depth)
{
	for (;;) {
		char c;
		while (p->i < p->end && (p->s[p->i] == ' ' || p->s[p->i] == '\t'))
			p->i++;
		if (p->i >= p->end)
			return 0;
		c = p->s[p->i];
		if (c == '|' || c == ')') {
			if (depth == 0) {
				lp_err(p, p->i, "'%s' outside a group", c == '|' ? "|" : ")");
				return -1;
			}
			return 0;
		}
		if (c == '(') {
			if (lp_group(p, out, depth) != 0)
				return -1;
		} else if (c == '{') {
			size_t ns, nn, at = p->i;
			struct lang_node *n;
			if (lp_class_name(p, &ns, &nn) != 0)
				return -1;
			n = seq_push(out, p, LN_CLASS, at);
			n->text = rf_strndup(p->s + ns, nn);
			if (p->i + 1 < p->end && p->s[p->i] == '\'' && p->s[p->i + 1] == 's') {
				n->possessive = 1;
				p->i += 2;
			} else if (p->i + 3 < p->end && memcmp(p->s + p->i, "\xe2\x80\x99s", 4) == 0) {
				n->possessive = 1;
				p->i += 4;
			}
			if (p->i < p->end && p->s[p->i] == '?') {
				n->optional = 1;
				p->i++;
			}
		} else if (c == '}') {
			lp_err(p, p->i, "'}' without an opening '{'");
			return -1;
		} else if (c == '.' && p->i + 2 < p->end && p->s[p->i + 1] == '.' && p->s[p->i + 2] == '.') {
			if (lp_gap(p, out) != 0)
				return -1;
		} else if (c == '/') {
			if (lp_raw(p, out) != 0)
				return -1;
		} else if ((c == ':' || c == '=' || c == ',') && (p->i + 1 == p->end || p->s[p->i + 1] == ' ' ||
						      p->s[p->i + 1] == '\t' || p->s[p->i + 1] == ')' ||
						      p->s[p->i + 1] == '|' || p->s[p->i + 1] == '?')) {
			struct lang_node *n = seq_push(out, p, LN_PUNCT, p->i);
			n->text = rf_strndup(p->s + p->i, 1);
			p->i++;
			if (p->i < p->end && p->s[p->i] == '?') {       /* ",?": an optional comma */
				n->optional = 1;
				p->i++;
			}
		} else if (lp_word(p, out) != 0) {
			return -1;
		}
		if (p->i < p->end && p->s[p->i] != ' ' && p->s[p->i] != '\t' && p->s[p->i] != '|' &&
		    p->s[p->i] != ')' && p->s[p->i] != '(' && p->s[p->i] != '{') {
			lp_err(p, p->i, "expected a blank after this token");
			return -1;
		}
	}
}

/* Parse s[from..to) of entry e; NULL after an error. */
static lang_seq *lp_parse(lang *L, const rf_file *f, const rf_entry *e, size_t from, size_t to, int entry,
			  char *err, size_t errlen)
{
	struct lp p;
	lang_seq *s = xmalloc(sizeof *s);
	s->n = NULL;
	s->len = 0;
	p.L = L;
	p.f = f;
	p.e = e;
	p.s = e->value;
	p.i = from;
	p.end = to;
	p.entry = entry;
	p.path = intern_path(L, f->path);
	p.err = err;
	p.errlen = errlen;
	if (lp_seq(&p, s, 0) != 0) {
		lang_seq_free(s);
		return NULL;
	}
	if (s->len == 0) {
		lp_err(&p, from, "empty word pattern");
		lang_seq_free(s);
		return NULL;
	}
	return s;
}

lang_seq *lang_parse(lang *L, const rf_file *f, const rf_entry *e, char *err, size_t errlen)
{
	return lp_parse(L, f, e, 0, strlen(e->value), 0, err, errlen);
}

/* ---- inflection and spelling ------------------------------------------ */

static int is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static int ends_with(const char *w, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && memcmp(w + n - k, suf, k) == 0;
}

/*
 * consonant-vowel-consonant at the end (plan, prefer, quit): the final
 * consonant may double.  The u of "qu" is a consonant's sound.
 */
static int ends_cvc(const char *w, size_t n)
{
	return n >= 3 && isalpha((unsigned char)w[n - 1]) && !is_vowel(w[n - 1]) && !strchr("wxy", w[n - 1]) &&
	       is_vowel(w[n - 2]) && isalpha((unsigned char)w[n - 3]) &&
	       (!is_vowel(w[n - 3]) || (w[n - 3] == 'u' && n >= 4 && w[n - 4] == 'q'));
}

static void add_suffix(strs *out, const char *w, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	char *t = xmalloc(n + k + 1);
	memcpy(t, w, n);
	memcpy(t + n, suf, k + 1);
	strs_addz(out, t);
	free(t);
}

/* -s/-es/-ies: third person singular and noun plurals */
static void add_s(strs *out, const char *w, size_t n)
{
	if (ends_with(w, n, "s") || ends_with(w, n, "x") || ends_with(w, n, "z") || ends_with(w, n, "ch") ||
	    ends_with(w, n, "sh"))
		add_suffix(out, w, n, "es");
	else if (n >= 2 && w[n - 1] == 'y' && !is_vowel(w[n - 2]))
		add_suffix(out, w, n - 1, "ies");
	else if (n >= 2 && w[n - 1] == 'o' && !is_vowel(w[n - 2]))
		add_suffix(out, w, n, "es");
	else
		add_suffix(out, w, n, "s");
}

/*
 * A noun's plural: as -s, except the f that voices (wolf, wolves; half;
 * leaf; loaf; knife, life).  Other nouns in f keep it (roof, belief,
 * chief, proof); -arf goes both ways (scarfs, scarves).
 */
static void add_plural(strs *out, const char *w, size_t n)
{
	int voiced = ends_with(w, n, "lf") || ends_with(w, n, "eaf") || ends_with(w, n, "oaf") || ends_with(w, n, "arf");
	if (ends_with(w, n, "ife"))
		add_suffix(out, w, n - 2, "ves");
	else if (voiced)
		add_suffix(out, w, n - 1, "ves");
	if ((!voiced || ends_with(w, n, "arf")) && !ends_with(w, n, "ife"))
		add_s(out, w, n);
}

/* Vowel groups: a rough syllable count. */
static int syllables(const char *w, size_t n)
{
	size_t i;
	int k = 0, in = 0;
	for (i = 0; i < n; i++) {
		int v = is_vowel(w[i]) || (w[i] == 'y' && i > 0);
		k += v && !in;
		in = v;
	}
	if (n > 2 && w[n - 1] == 'e' && !is_vowel(w[n - 2]) && k > 1)
		k--;            /* silent e: "safe", "large" */
	return k;
}

/*
 * Whether an adjective takes -er/-est (low, lower; happy, happier) rather
 * than "more" (helpful, more helpful; aligned): short words, and not the
 * endings English compares with "more".
 */
static int adj_compares(const char *w, size_t n)
{
	static const char *const more[] = {"ing", "ful", "ous", "ive", "al", "ic", "ent", "ant", "ble", "less", "ish",
					    "ary", "ory", "est", "-"};
	/* endings of longer words only: late, later; vile, viler; red, redder; but accurate */
	static const char *const more_if_long[] = {"ed", "ate", "ile"};
	size_t i;
	int k = syllables(w, n);
	if (strchr(w, '-') || k > 2)
		return 0;
	for (i = 0; i < sizeof more / sizeof *more; i++)
		if (ends_with(w, n, more[i]))
			return 0;
	for (i = 0; k > 1 && i < sizeof more_if_long / sizeof *more_if_long; i++)
		if (ends_with(w, n, more_if_long[i]))
			return 0;
	return 1;
}

/*
 * A suffix starting with a vowel (-ed, -ing, -er, -est): drop a silent e,
 * turn a final consonant+y into i (not before -ing), double the final
 * consonant of a consonant-vowel-consonant ending.  In a word of two
 * syllables whether it doubles depends on stress (preferred, targeted),
 * which spelling cannot tell, so both forms are made there; the one no one
 * writes never matches.
 */
static void add_vowel_suffix(strs *out, const char *w, size_t n, const char *suf)
{
	char dbl[128];
	int k;
	if (suf[0] == 'i' && ends_with(w, n, "ie")) {
		add_suffix(out, w, n - 2, "ying");
		return;
	}
	if (w[n - 1] == 'e' && !(suf[0] == 'i' && (ends_with(w, n, "ee") || ends_with(w, n, "ye") ||
						   ends_with(w, n, "oe")))) {
		add_suffix(out, w, n - 1, suf);
		return;
	}
	if (suf[0] != 'i' && n >= 2 && w[n - 1] == 'y' && !is_vowel(w[n - 2])) {
		char s2[16];
		snprintf(s2, sizeof s2, "i%s", suf);
		add_suffix(out, w, n - 1, s2);
		return;
	}
	/*
	 * One syllable ending consonant-vowel-consonant always doubles (stop,
	 * stopped; hum, humming; big, bigger); two may or may not; three and
	 * more stress an earlier syllable and do not.
	 */
	k = ends_cvc(w, n) ? syllables(w, n) : 0;
	if (k != 1)
		add_suffix(out, w, n, suf);
	if (k >= 1 && k <= 2 && n + 1 < sizeof dbl) {
		memcpy(dbl, w, n);
		dbl[n] = w[n - 1];
		add_suffix(out, dbl, n + 1, suf);
	}
}

static const struct lang_irregular *find_irregular(const lang *L, const char *w)
{
	size_t i;
	for (i = 0; i < L->nirr; i++)
		if (strcmp(L->irr[i].base, w) == 0)
			return &L->irr[i];
	return NULL;
}

/* Replace every occurrence of a by b in w; NULL when a does not occur. */
static char *replace_all(const char *w, const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b), count = 0, k = 0;
	const char *p;
	char *out;
	for (p = w; (p = strstr(p, a)) != NULL; p += na)
		count++;
	if (!count)
		return NULL;
	out = xmalloc(strlen(w) + count * nb + 1);
	for (p = w; *p;) {
		if (strncmp(p, a, na) == 0) {
			memcpy(out + k, b, nb);
			k += nb;
			p += na;
		} else {
			out[k++] = *p++;
		}
	}
	out[k] = '\0';
	return out;
}

/* Every form of one written word: its inflections, then each spelt both ways. */
static void word_forms_make(const lang *L, const char *w, int pos, strs *out)
{
	size_t n = strlen(w), i, j;
	const struct lang_irregular *irr = pos != POS_WORD ? find_irregular(L, w) : NULL;
	strs_addz(out, w);
	if (irr) {
		for (i = 0; i < irr->forms.n; i++)
			strs_addz(out, irr->forms.v[i]);
	} else if (pos == POS_VERB) {
		add_s(out, w, n);
		add_vowel_suffix(out, w, n, "ed");
		add_vowel_suffix(out, w, n, "ing");
	} else if (pos == POS_NOUN) {
		add_plural(out, w, n);
	} else if (pos == POS_ADJ && adj_compares(w, n)) {
		add_vowel_suffix(out, w, n, "er");
		add_vowel_suffix(out, w, n, "est");
	}
	/*
	 * British and American spellings: each pair, both ways, on every form
	 * made so far, once, in the files' order (so a word with two spelt
	 * pieces gets every combination: behaviour-optimising).  Not a
	 * closure: a team's pairs may rewrite each other without end
	 * (elling = eoveling beside elling = eling turns "eling" into
	 * "eovelling", then "eoveoveling"...: found by fuzz_rules), so each
	 * pair runs once and a word keeps at most LANG_MAX_SPELLINGS forms.
	 * Not on an irregular word's forms, which its entry lists as written
	 * (rise, risen: never "rize").
	 */
	for (j = 0; !irr && j + 1 < L->spell.n; j += 2) {
		size_t made = out->n;
		for (i = 0; i < made && out->n < LANG_MAX_SPELLINGS; i++) {
			char *a = replace_all(out->v[i], L->spell.v[j], L->spell.v[j + 1]);
			char *b = replace_all(out->v[i], L->spell.v[j + 1], L->spell.v[j]);
			if (a && !strs_has(out, a))
				strs_addz(out, a);
			if (b && out->n < LANG_MAX_SPELLINGS && !strs_has(out, b))
				strs_addz(out, b);
			free(a);
			free(b);
		}
	}
}

static void memo_clear(lang *L)
{
	size_t i;
	for (i = 0; i < L->memocap; i++)
		if (L->memo[i].w) {
			free(L->memo[i].w);
			strs_free(&L->memo[i].forms);
		}
	free(L->memo);
	L->memo = NULL;
	L->memocap = L->nmemo = 0;
}

static size_t memo_slot(const lang *L, const char *w, int pos)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)pos;
	size_t i;
	const char *p;
	for (p = w; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (i = (size_t)h & (L->memocap - 1); L->memo[i].w; i = (i + 1) & (L->memocap - 1))
		if (L->memo[i].pos == pos && strcmp(L->memo[i].w, w) == 0)
			break;
	return i;
}

/*
 * Every form of w, appended to out (which may then hold a form twice:
 * its users sort and merge).  The memo is the lang's own cache, so it
 * may fill while the lang is otherwise read-only; lang_load() clears it,
 * as a new file can add irregular forms and spellings.
 */
static void word_forms(const lang *L, const char *w, int pos, strs *out)
{
	lang *M = (lang *)L;
	size_t i, j;
	if (2 * (M->nmemo + 1) > M->memocap) {
		struct lang_memo *old = M->memo;
		size_t oldcap = M->memocap;
		M->memocap = oldcap ? 2 * oldcap : 256;
		M->memo = xmalloc(M->memocap * sizeof *M->memo);
		memset(M->memo, 0, M->memocap * sizeof *M->memo);
		for (i = 0; i < oldcap; i++)
			if (old[i].w)
				M->memo[memo_slot(M, old[i].w, old[i].pos)] = old[i];
		free(old);
	}
	i = memo_slot(M, w, pos);
	if (!M->memo[i].w) {
		word_forms_make(L, w, pos, &M->memo[i].forms);
		M->memo[i].w = xstrdup(w);
		M->memo[i].pos = pos;
		M->nmemo++;
	}
	for (j = 0; j < M->memo[i].forms.n; j++)
		strs_addz(out, M->memo[i].forms.v[j]);
}

/* ---- loading .words files --------------------------------------------- */

enum {
	W_CLASS, W_TITLE, W_WORD, W_NOUN, W_VERB, W_ADJ, W_EXCEPT, W_DROP, W_IRREGULAR, W_SPELLING,
	W_COMMON, W_CONTEXT, W_INSIDE, W_BEFORE, W_AFTER, W_SENTENCE, W_SHOW, W_PREFILTER, W_NKEYS
};

static const char *const words_key_names[W_NKEYS] = {
	"class", "title", "word", "noun", "verb", "adj", "except", "drop", "irregular", "spelling",
	"common", "context", "inside", "before", "after", "sentence", "show", "prefilter"
};

static const rf_keys words_keys = {
	words_key_names, W_NKEYS, (1u << W_NKEYS) - 1, 0, 0, "keys"
};

lang *lang_new(void)
{
	lang *L = xmalloc(sizeof *L);
	memset(L, 0, sizeof *L);
	return L;
}

static void class_unbuild(struct lang_class *c)
{
	free(c->regex);
	free(c->lead);
	free(c->xregex);
	free(c->refs);
	strs_free(&c->xwords);
	c->regex = c->lead = c->xregex = NULL;
	c->refs = NULL;
	strs_free(&c->forms);
	strs_free(&c->phrases);
	strs_free(&c->first);
	strs_free(&c->start);
	c->startback = 0;
	c->state = 0;
	c->unkeyable = 0;
	c->unstartable = 0;
}

void lang_free(lang *L)
{
	size_t i, j;
	if (!L)
		return;
	for (i = 0; i < L->ncls; i++) {
		struct lang_class *c = &L->cls[i];
		class_unbuild(c);
		for (j = 0; j < c->ne; j++) {
			lang_seq_free(c->e[j].seq);
			free(c->e[j].text);
		}
		for (j = 0; j < c->nx; j++) {
			lang_seq_free(c->x[j].seq);
			free(c->x[j].text);
		}
		free(c->e);
		free(c->x);
		strs_free(&c->drop);
		strs_free(&c->pfwords);
		free(c->name);
		free(c->title);
	}
	free(L->cls);
	for (i = 0; i < L->nctx; i++) {
		for (j = 0; j < L->ctx[i].n; j++)
			lang_seq_free(L->ctx[i].it[j].seq);
		free(L->ctx[i].it);
		free(L->ctx[i].name);
		free(L->ctx[i].title);
	}
	free(L->ctx);
	for (i = 0; i < L->nirr; i++) {
		free(L->irr[i].base);
		strs_free(&L->irr[i].forms);
	}
	free(L->irr);
	for (i = 0; i < L->nkeys; i++)
		strs_free(&L->keys[i]);
	free(L->keys);
	strs_free(&L->spell);
	strs_free(&L->common);
	strs_free(&L->paths);
	memo_clear(L);
	free(L);
}

size_t lang_class_find(const lang *L, const char *name)
{
	size_t i;
	for (i = 0; i < L->ncls; i++)
		if (strcmp(L->cls[i].name, name) == 0)
			return i;
	return LANG_NONE;
}

size_t lang_context_find(const lang *L, const char *name)
{
	size_t i;
	for (i = 0; i < L->nctx; i++)
		if (strcmp(L->ctx[i].name, name) == 0)
			return i;
	return LANG_NONE;
}

/* Split value at commas outside brackets; calls fn(from, to) for each non-empty piece. */
static int split_commas(const char *v, int (*fn)(size_t from, size_t to, void *ctx), void *ctx)
{
	size_t i = 0, start = 0, n = strlen(v);
	int depth = 0;
	for (i = 0; i <= n; i++) {
		if (i < n && (v[i] == '(' || v[i] == '{'))
			depth++;
		else if (i < n && (v[i] == ')' || v[i] == '}'))
			depth--;
		if (i == n || (v[i] == ',' && depth <= 0)) {
			size_t a = start, b = i;
			while (a < b && (v[a] == ' ' || v[a] == '\t'))
				a++;
			while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t'))
				b--;
			if (b > a && fn(a, b, ctx) != 0)
				return -1;
			start = i + 1;
		}
	}
	return 0;
}

struct wl {                             /* state while reading one .words file */
	lang *L;
	const rf_file *f;
	const rf_entry *e;
	struct lang_class *c;
	int pos;
	char *err;
	size_t errlen;
};

/* Choose the word an entry inflects: the starred one, else the first (the last for nouns). */
static int entry_mark(struct wl *w, lang_seq *s, size_t from)
{
	size_t i, pick = LANG_NONE, stars = 0;
	for (i = 0; i < s->len; i++)
		if (s->n[i].kind == LN_WORD && s->n[i].star) {
			pick = i;
			stars++;
		}
	if (stars > 1) {
		unsigned long line, col;
		rf_where(w->f, w->e, from, &line, &col);
		rf_err(w->err, w->errlen, w->f->path, line, col, "only one word of an entry can be inflected ('*')");
		return -1;
	}
	if (w->pos == POS_WORD)
		return 0;
	if (pick == LANG_NONE)
		for (i = 0; i < s->len; i++)
			if (s->n[i].kind == LN_WORD && (pick == LANG_NONE || w->pos == POS_NOUN))
				pick = i;
	if (pick == LANG_NONE && w->e->key == W_EXCEPT)
		return 0;               /* a compound of classes and groups: nothing to inflect */
	if (pick == LANG_NONE) {
		unsigned long line, col;
		rf_where(w->f, w->e, from, &line, &col);
		rf_err(w->err, w->errlen, w->f->path, line, col, "this %s entry has no word to inflect",
		       w->pos == POS_VERB ? "verb" : w->pos == POS_NOUN ? "noun" : "adj");
		return -1;
	}
	s->n[pick].pos = (unsigned char)w->pos;
	return 0;
}

static int wl_entry(size_t from, size_t to, void *ctx)
{
	struct wl *w = ctx;
	int except = w->e->key == W_EXCEPT;
	lang_seq *s = lp_parse(w->L, w->f, w->e, from, to, 1, w->err, w->errlen);
	struct lang_entry **arr;
	size_t *cnt;
	if (!s)
		return -1;
	if (entry_mark(w, s, from) != 0) {
		lang_seq_free(s);
		return -1;
	}
	arr = except ? &w->c->x : &w->c->e;
	cnt = except ? &w->c->nx : &w->c->ne;
	*arr = xrealloc(*arr, (*cnt + 1) * sizeof **arr);
	(*arr)[*cnt].seq = s;
	(*arr)[*cnt].text = norm_word(w->e->value + from, to - from);
	(*cnt)++;
	return 0;
}

static int wl_drop(size_t from, size_t to, void *ctx)
{
	struct wl *w = ctx;
	char *t = norm_word(w->e->value + from, to - from);
	strs_addz(&w->c->drop, t);
	free(t);
	return 0;
}

static int wl_common(size_t from, size_t to, void *ctx)
{
	struct wl *w = ctx;
	char *t = norm_word(w->e->value + from, to - from);
	strs_addz(&w->L->common, t);
	free(t);
	return 0;
}

/* "base: form, form, ..." */
static int wl_irregular(struct wl *w)
{
	const char *v = w->e->value, *colon = strchr(v, ':');
	char *base;
	struct lang_irregular *irr = NULL;
	size_t i, n;
	if (!colon || colon == v) {
		rf_err(w->err, w->errlen, w->f->path, w->e->line, 0,
		       "irregular: write 'base: form, form, ...' (irregular: seek: seeks, sought, seeking)");
		return -1;
	}
	n = (size_t)(colon - v);
	while (n > 0 && v[n - 1] == ' ')
		n--;
	base = norm_word(v, n);
	for (i = 0; i < w->L->nirr; i++)
		if (strcmp(w->L->irr[i].base, base) == 0)
			irr = &w->L->irr[i];
	if (!irr) {
		w->L->irr = xrealloc(w->L->irr, (w->L->nirr + 1) * sizeof *w->L->irr);
		irr = &w->L->irr[w->L->nirr++];
		memset(irr, 0, sizeof *irr);
		irr->base = base;
	} else {
		free(base);
	}
	for (const char *p = colon + 1; *p;) {
		size_t k;
		while (*p == ' ' || *p == ',')
			p++;
		k = strcspn(p, ", ");
		if (k) {
			char *t = norm_word(p, k);
			strs_addz(&irr->forms, t);
			free(t);
		}
		p += k;
	}
	if (irr->forms.n == 0) {
		rf_err(w->err, w->errlen, w->f->path, w->e->line, 0, "irregular '%s' lists no forms", irr->base);
		return -1;
	}
	return 0;
}

/* "a = b": two spellings of one piece of a word (ize = ise) */
static int wl_spelling(struct wl *w)
{
	const char *v = w->e->value, *eq = strchr(v, '=');
	size_t na, nb;
	const char *b;
	if (eq) {
		na = (size_t)(eq - v);
		while (na > 0 && v[na - 1] == ' ')
			na--;
		b = eq + 1;
		while (*b == ' ')
			b++;
		nb = strlen(b);
		if (na > 0 && nb > 0 && strcspn(v, " ") >= na && !strchr(b, ' ')) {
			char *x = norm_word(v, na), *y = norm_word(b, nb);
			strs_addz(&w->L->spell, x);
			strs_addz(&w->L->spell, y);
			free(x);
			free(y);
			return 0;
		}
	}
	rf_err(w->err, w->errlen, w->f->path, w->e->line, 0,
	       "spelling: write 'a = b', two spellings of a piece of a word (spelling: ize = ise)");
	return -1;
}

int lang_load(lang *L, const char *path, const char *bytes, size_t len, char *err, size_t errlen)
{
	rf_file f;
	struct wl w;
	size_t i;
	struct lang_context *cx = NULL;
	size_t cxi = LANG_NONE, cli = LANG_NONE;
	int rc = 0;
	memo_clear(L);          /* the file may add irregular forms and spellings */
	if (rf_parse(&f, path, bytes, len, &words_keys, err, errlen) != 0) {
		rf_free(&f);
		return -1;
	}
	memset(&w, 0, sizeof w);
	w.L = L;
	w.f = &f;
	w.err = err;
	w.errlen = errlen;
	L->finalized = 0;
	for (i = 0; i < f.n && rc == 0; i++) {
		rf_entry *e = &f.e[i];
		const char *v = e->value;
		w.e = e;
		w.c = cli != LANG_NONE ? &L->cls[cli] : NULL;
		cx = cxi != LANG_NONE ? &L->ctx[cxi] : NULL;
		if (v[0] == '\0') {
			rf_err(err, errlen, path, e->line, 0, "'%s' has an empty value", words_key_names[e->key]);
			rc = -1;
			break;
		}
		switch (e->key) {
		case W_CLASS:
		case W_CONTEXT:
			if (!valid_name(v, strlen(v))) {
				rf_err(err, errlen, path, e->line, 0,
				       "%s name '%s': use lower-case letters, digits, '-' and '_'",
				       words_key_names[e->key], v);
				rc = -1;
			} else if (e->key == W_CLASS) {
				cxi = LANG_NONE;
				cli = lang_class_find(L, v);
				if (cli == LANG_NONE) {
					L->cls = xrealloc(L->cls, (L->ncls + 1) * sizeof *L->cls);
					cli = L->ncls++;
					memset(&L->cls[cli], 0, sizeof L->cls[cli]);
					L->cls[cli].name = rf_strndup(v, strlen(v));
					L->cls[cli].path = intern_path(L, path);
					L->cls[cli].line = e->line;
				}
			} else {
				cli = LANG_NONE;
				cxi = lang_context_find(L, v);
				if (cxi == LANG_NONE) {
					L->ctx = xrealloc(L->ctx, (L->nctx + 1) * sizeof *L->ctx);
					cxi = L->nctx++;
					memset(&L->ctx[cxi], 0, sizeof L->ctx[cxi]);
					L->ctx[cxi].name = rf_strndup(v, strlen(v));
				}
			}
			break;
		case W_TITLE:
			if (!w.c && !cx) {
				rf_err(err, errlen, path, e->line, 0, "'title' before any 'class:' or 'context:'");
				rc = -1;
			} else {
				char **t = w.c ? &w.c->title : &cx->title;
				free(*t);
				*t = rf_strndup(v, strlen(v));
			}
			break;
		case W_WORD:
		case W_NOUN:
		case W_VERB:
		case W_ADJ:
		case W_EXCEPT:
		case W_DROP:
			if (!w.c) {
				rf_err(err, errlen, path, e->line, 0, "'%s' outside a class (start one with 'class: NAME')",
				       words_key_names[e->key]);
				rc = -1;
				break;
			}
			w.pos = e->key == W_VERB ? POS_VERB : e->key == W_NOUN || e->key == W_EXCEPT ? POS_NOUN
				: e->key == W_ADJ ? POS_ADJ : POS_WORD;
			rc = split_commas(v, e->key == W_DROP ? wl_drop : wl_entry, &w);
			break;
		case W_INSIDE:
		case W_BEFORE:
		case W_AFTER:
		case W_SENTENCE: {
			lang_seq *s;
			if (!cx) {
				rf_err(err, errlen, path, e->line, 0,
				       "'%s' outside a context (start one with 'context: NAME')",
				       words_key_names[e->key]);
				rc = -1;
				break;
			}
			s = lp_parse(L, &f, e, 0, strlen(v), 0, err, errlen);
			if (!s) {
				rc = -1;
				break;
			}
			cx->it = xrealloc(cx->it, (cx->n + 1) * sizeof *cx->it);
			cx->it[cx->n].seq = s;
			cx->it[cx->n].where = e->key == W_INSIDE ? LANG_INSIDE : e->key == W_BEFORE ? LANG_BEFORE
					      : e->key == W_AFTER ? LANG_AFTER : LANG_SENTENCE;
			cx->n++;
			break;
		}
		case W_SHOW:
			if (!w.c || (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)) {
				rf_err(err, errlen, path, e->line, 0,
				       w.c ? "show: yes or no" : "'show' outside a class (start one with 'class: NAME')");
				rc = -1;
				break;
			}
			w.c->hidden = strcmp(v, "no") == 0;
			break;
		case W_PREFILTER:
			if (!w.c || (strcmp(v, LANG_SHAPE_CAPNUM) != 0)) {
				rf_err(err, errlen, path, e->line, 0,
				       w.c ? "prefilter: the only shape lossc knows is " LANG_SHAPE_CAPNUM
					   : "'prefilter' outside a class (start one with 'class: NAME')");
				rc = -1;
				break;
			}
			strs_addz(&w.c->pfwords, v);
			break;
		case W_IRREGULAR:
			rc = wl_irregular(&w);
			break;
		case W_SPELLING:
			rc = wl_spelling(&w);
			break;
		case W_COMMON:
			rc = split_commas(v, wl_common, &w);
			break;
		}
	}
	rf_free(&f);
	return rc;
}

/* ---- emitting PCRE2 text ---------------------------------------------- */

/* One character of a written word, as regex text. */
static void emit_unit(rbuf *b, const char *u, size_t n)
{
	char c = u[0];
	if (n > 1)
		buf_putn(b, u, n);
	else if (lang_is_word_byte((unsigned char)c))
		buf_putn(b, u, 1);
	else if (c == ' ')
		buf_puts(b, SEP);
	else if (c == '-')
		buf_puts(b, HYPHEN);
	else if (c == '\'')
		buf_puts(b, APOS);
	else {
		buf_putn(b, "\\", 1);
		buf_putn(b, u, 1);
	}
}

/*
 * The sorted, distinct strings v[lo..hi), which share their first d
 * bytes, as one prefix-factored alternation of what follows those bytes.
 * A run of single children (one word's tail, a prefix all share) is
 * written in a loop, not by recursion: a 59,341-byte word in a team's
 * words file overflowed the stack (fuzz_rules).  Recursion happens only
 * at a branch point, where a word ends or two diverge, so its depth is
 * bounded by the number of words, not by their length.
 */
static void emit_trie(rbuf *b, char **v, size_t lo, size_t hi, size_t d)
{
	for (;;) {
		int term = 0;
		size_t i, j, nchild = 0, k;
		if (lo < hi && v[lo][d] == '\0') {
			term = 1;
			lo++;
		}
		if (lo == hi)
			return;
		for (i = lo; i < hi; i = j) {
			size_t cl = unit_len((unsigned char)v[i][d]);
			for (j = i + 1; j < hi && strncmp(v[j] + d, v[i] + d, cl) == 0; j++)
				;
			nchild++;
		}
		if (!term && nchild == 1) {     /* no branch here: on along the run */
			size_t cl = unit_len((unsigned char)v[lo][d]);
			emit_unit(b, v[lo] + d, cl);
			d += cl;
			continue;
		}
		buf_puts(b, "(?:");
		for (i = lo, k = 0; i < hi; i = j, k++) {
			size_t cl = unit_len((unsigned char)v[i][d]);
			for (j = i + 1; j < hi && strncmp(v[j] + d, v[i] + d, cl) == 0; j++)
				;
			if (k)
				buf_puts(b, "|");
			emit_unit(b, v[i] + d, cl);
			emit_trie(b, v, i, j, d + cl);
		}
		buf_puts(b, term ? ")?" : ")");
		return;
	}
}

/* Sorted distinct strings as a fenced alternation: (?<!\w)(?:...)(?!\w). */
static void emit_words(rbuf *b, strs *w)
{
	strs_uniq(w);
	buf_puts(b, "(?<!\\w)");
	if (w->n == 1 && !strchr(w->v[0], ' ')) {
		emit_trie(b, w->v, 0, 1, 0);
	} else {
		buf_puts(b, "(?:");
		emit_trie(b, w->v, 0, w->n, 0);
		buf_puts(b, ")");
	}
	buf_puts(b, "(?!\\w)");
}

struct em {                             /* one compilation */
	lang *L;
	rbuf *b;
	unsigned char *used;            /* used[k]: the text calls class k */
	int inline_lead;                /* write out the classes a match can start with */
	int leading;                    /* the node being written can start the match */
	int frame;                      /* capture classes, clause-safe words */
	lang_pattern *out;              /* NULL while building a class */
	char *err;
	size_t errlen;
};

static int em_seq(struct em *x, const lang_seq *s, const char *lead);

static void node_err(struct em *x, const struct lang_node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void node_err(struct em *x, const struct lang_node *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	rf_err(x->err, x->errlen, n->path, n->line, n->col, "%s", msg);
}

/*
 * One node.  lead (groups only) is the separator the group's alternatives
 * write before their first word, when a word precedes the group: then an
 * alternative may itself start with a gap ("{want} (...3 {signal} | ...)").
 */
static int em_node(struct em *x, const struct lang_node *n, const char *lead)
{
	size_t i;
	switch (n->kind) {
	case LN_WORD: {
		strs f = {NULL, 0, 0};
		if (x->frame && strpbrk(n->text, ".!?;:")) {
			node_err(x, n, "'%s': a frame matches inside one clause, so its words cannot hold . ! ? ; or :",
				 n->text);
			return -1;
		}
		word_forms(x->L, n->text, n->pos, &f);
		emit_words(x->b, &f);
		strs_free(&f);
		return 0;
	}
	case LN_CLASS: {
		char call[64];
		if (x->out && !n->optional && !x->L->cls[n->cls].hidden && x->out->ncap < LANG_MAX_CAPS) {
			/* a named capture (raw fragments compile without auto-capture);
			   optional words ("{det}?") and "show: no" classes are not named */
			snprintf(call, sizeof call, "(?<w%d>(?&c%lu))", x->out->ncap, (unsigned long)n->cls);
			x->out->cap[x->out->ncap++] = n->cls;
		} else {
			snprintf(call, sizeof call, "(?&c%lu)", (unsigned long)n->cls);
		}
		if (x->inline_lead && x->leading) {
			/* PCRE2 finds the characters a match can start with (and
			   skips to them) only when the words it starts with are
			   written out, not behind a subroutine call */
			const struct lang_class *c = &x->L->cls[n->cls];
			size_t k;
			*strstr(call, "(?&") = '\0';      /* keep "(?<wK>" when captured */
			buf_puts(x->b, call[0] ? call : "(?:");
			buf_puts(x->b, c->lead ? c->lead : c->regex);
			buf_puts(x->b, ")");
			for (k = 0; k < x->L->ncls; k++)
				if (c->refs[k])
					x->used[k] = 1;
		} else {
			x->used[n->cls] = 1;
			buf_puts(x->b, call);
		}
		if (n->possessive)
			buf_puts(x->b, POSSESSIVE);
		return 0;
	}
	case LN_GROUP: {
		/* "(in | by | as | the thing)": every alternative one word or
		   phrase, so one fenced, prefix-factored alternation of them all
		   (a fence per alternative costs PCRE2 a lookbehind per try) */
		int words = n->nalts > 1;
		for (i = 0; i < n->nalts && words; i++)
			words = n->alts[i].len == 1 && n->alts[i].n[0].kind == LN_WORD && !n->alts[i].n[0].optional &&
				!n->alts[i].n[0].possessive && !(x->frame && strpbrk(n->alts[i].n[0].text, ".!?;:"));
		if (words) {
			strs f = {NULL, 0, 0};
			for (i = 0; i < n->nalts; i++)
				word_forms(x->L, n->alts[i].n[0].text, n->alts[i].n[0].pos, &f);
			if (lead)
				buf_puts(x->b, lead);
			emit_words(x->b, &f);
			strs_free(&f);
			return 0;
		}
	}
		buf_puts(x->b, "(?:");
		for (i = 0; i < n->nalts; i++) {
			if (i)
				buf_puts(x->b, "|");
			if (em_seq(x, &n->alts[i], lead) != 0)
				return -1;
		}
		buf_puts(x->b, ")");
		return 0;
	case LN_PUNCT:
		buf_puts(x->b, PUNCT_SP "\\");
		buf_puts(x->b, n->text);
		buf_puts(x->b, PUNCT_SP);
		return 0;
	case LN_RAW:
		buf_puts(x->b, "(?:");
		buf_puts(x->b, n->text);
		buf_puts(x->b, ")");
		return 0;
	case LN_GAP: {
		char q[32];
		buf_puts(x->b, "(?:" GAP_SEP);
		if (n->cls != LANG_NONE) {
			char call[64];
			snprintf(call, sizeof call, "(?!(?&c%lu)(?!\\w))", (unsigned long)n->cls);
			x->used[n->cls] = 1;
			buf_puts(x->b, call);
		}
		snprintf(q, sizeof q, GAP_WORD "){0,%u}?", n->gap);
		buf_puts(x->b, q);
		return 0;
	}
	}
	return 0;
}

/* "/(?!...)/": a lookaround fragment, which takes no text and so no separator. */
static int zero_width(const struct lang_node *n)
{
	const char *t = n->text;
	return n->kind == LN_RAW && t[0] == '(' && t[1] == '?' &&
	       (t[2] == '=' || t[2] == '!' || (t[2] == '<' && (t[3] == '=' || t[3] == '!')));
}

/*
 * A sequence: the separator goes before each word once some word is
 * certain to precede it, so optional words and gaps never leave a
 * doubled or dangling separator.  lead (not NULL) says a word precedes
 * the sequence, and the separator to write before its first word.  A
 * group after a word writes its separators inside its alternatives, so
 * each may begin with a gap.
 */
static int em_seq(struct em *x, const lang_seq *s, const char *lead)
{
	size_t i, prev = LANG_NONE;
	int definite = lead != NULL, leading = x->leading;
	for (i = 0; i < s->len; i++) {
		const struct lang_node *n = &s->n[i];
		/* ':', '=' and ',' carry their own blanks: no separator next to them */
		const char *sep = prev == LANG_NONE && lead ? lead
				  : n->kind == LN_PUNCT || (prev != LANG_NONE && s->n[prev].kind == LN_PUNCT) ? ""
				  : prev != LANG_NONE && s->n[prev].kind == LN_GAP ? GAP_SEP : SEP;
		int inner = n->kind == LN_GROUP;        /* the group writes sep itself */
		if (n->kind == LN_PUNCT)
			sep = "";
		x->leading = leading && !definite;
		if (zero_width(n)) {
			if (em_node(x, n, NULL) != 0)
				return -1;
			continue;
		}
		prev = i;
		if (n->kind == LN_GAP) {
			if (!definite || i + 1 == s->len) {
				node_err(x, n, "a gap '...' must stand between two words");
				return -1;
			}
			/* (a gap writes a separator before each of its words itself) */
			if (em_node(x, n, NULL) != 0)
				return -1;
			continue;
		}
		if (!definite) {
			if (n->optional) {
				buf_puts(x->b, "(?:");
				if (em_node(x, n, NULL) != 0)
					return -1;
				buf_puts(x->b, i + 1 < s->len && s->n[i + 1].kind == LN_PUNCT ? ")?" : SEP ")?");
			} else {
				if (em_node(x, n, NULL) != 0)
					return -1;
				definite = 1;
			}
		} else if (n->kind == LN_PUNCT && n->optional) {
			/* ",?": the comma with its blanks, or else the separator its absence leaves */
			buf_puts(x->b, "(?:");
			if (em_node(x, n, NULL) != 0)
				return -1;
			buf_puts(x->b, "|" SEP ")");
		} else {
			if (n->optional)
				buf_puts(x->b, "(?:");
			if (!inner)
				buf_puts(x->b, sep);
			if (em_node(x, n, inner ? sep : NULL) != 0)
				return -1;
			if (n->optional)
				buf_puts(x->b, ")?");
		}
	}
	x->leading = leading;
	if (!definite) {
		node_err(x, &s->n[0], "a word pattern needs at least one word that is not optional");
		return -1;
	}
	return 0;
}

/* ---- finalizing: forms, references, class regexes, first words --------- */

/* The first prefilter word of a form: its first run of ASCII letters and digits. */
static int first_token(const char *form, strs *out)
{
	const char *p = form;
	size_t n = 0;
	char buf[64];
	while (*p && !lang_is_word_byte((unsigned char)*p))
		p++;
	while (p[n] && lang_is_word_byte((unsigned char)p[n]) && n < sizeof buf - 1) {
		buf[n] = (char)tolower((unsigned char)p[n]);
		n++;
	}
	if (n == 0)
		return -1;
	strs_add(out, buf, n);
	return 0;
}

static int seq_first(lang *L, const lang_seq *s, strs *out);
static int form_back(const char *form, unsigned *back);

/*
 * The first prefilter token of every form of word node n, into out; with
 * back, each form must start with a word or a fixed lead (form_back).
 * -1 when a form has no token, or (back) an odd lead.
 */
static int word_first_tokens(const lang *L, const struct lang_node *n, strs *out, unsigned *back)
{
	strs f = {NULL, 0, 0};
	size_t i;
	int rc = 0;
	word_forms(L, n->text, n->pos, &f);
	for (i = 0; i < f.n && rc == 0; i++)
		rc = back && form_back(f.v[i], back) != 0 ? -1 : first_token(f.v[i], out);
	strs_free(&f);
	return rc;
}

/*
 * The prefilter words of one node: a clause where the node matches holds
 * one of them.  -1 when some match needs no literal word (a raw fragment).
 */
static int node_first(lang *L, const struct lang_node *n, strs *out)
{
	size_t i;
	switch (n->kind) {
	case LN_WORD:
		return word_first_tokens(L, n, out, NULL);
	case LN_CLASS: {
		const struct lang_class *c = &L->cls[n->cls];
		if (c->unkeyable)
			return -1;
		for (i = 0; i < c->first.n; i++)
			strs_addz(out, c->first.v[i]);
		return 0;
	}
	case LN_GROUP:
		for (i = 0; i < n->nalts; i++)
			if (seq_first(L, &n->alts[i], out) != 0)
				return -1;
		return 0;
	}
	return -1;
}

static int words_common(const lang *L, const strs *w)
{
	size_t i;
	for (i = 0; i < w->n; i++)
		if (strs_has_sorted(&L->common, w->v[i]))
			return 1;
	return 0;
}

/* The length of the shortest word of w: longer words are rarer in prose. */
static size_t words_minlen(const strs *w)
{
	size_t i, m = (size_t)-1;
	for (i = 0; i < w->n; i++)
		if (strlen(w->v[i]) < m)
			m = strlen(w->v[i]);
	return m;
}

/*
 * The prefilter words of a sequence: every word it requires (not
 * optional, not a gap) must be in a clause it matches, so any one of
 * them will do; take the one with the rarest words: none of them
 * "common:", then the longest shortest word, then the fewest words.
 * -1 when no required node has words.
 */
static int seq_first_in(lang *L, const lang_seq *s, const strs *singles, strs *out)
{
	size_t i, j;
	strs best = {NULL, 0, 0};
	const strs *bestp = &best;
	size_t bestmin = 0;
	int have = 0, bestc = 1;
	/* A word of the entry that is also an entry of its class by itself
	   ("loss" in "training loss" and in "loss function"): the word the
	   entry is about. */
	for (i = 0; singles && i < s->len; i++)
		if ((s->n[i].kind == LN_WORD || s->n[i].kind == LN_GROUP) && !s->n[i].optional) {
			strs w = {NULL, 0, 0};
			int hit = 0;
			if (node_first(L, &s->n[i], &w) == 0)
				for (j = 0; j < w.n && !hit; j++)
					hit = strs_has_sorted(singles, w.v[j]);
			if (hit) {
				for (j = 0; j < w.n; j++)
					strs_addz(out, w.v[j]);
				strs_free(&w);
				return 0;
			}
			strs_free(&w);
		}
	for (i = 0; i < s->len; i++) {
		const struct lang_node *n = &s->n[i];
		strs w = {NULL, 0, 0};
		const strs *wp = &w;    /* a class's own sorted list, or w */
		int c;
		if (n->optional || n->kind == LN_GAP || n->kind == LN_PUNCT || n->kind == LN_RAW)
			continue;
		if (n->kind == LN_CLASS) {
			if (L->cls[n->cls].unkeyable || L->cls[n->cls].first.n == 0)
				continue;
			wp = &L->cls[n->cls].first;
		} else if (node_first(L, n, &w) != 0 || w.n == 0) {
			strs_free(&w);
			continue;
		} else {
			strs_uniq(&w);
		}
		c = words_common(L, wp);
		if (!have || c < bestc ||
		    (c == bestc && (words_minlen(wp) > bestmin || (words_minlen(wp) == bestmin && wp->n < bestp->n)))) {
			strs_free(&best);
			if (wp == &w)
				best = w, bestp = &best;
			else
				bestp = wp;
			bestmin = words_minlen(bestp);
			bestc = c;
			have = 1;
		} else {
			strs_free(&w);
		}
	}
	if (!have)
		return -1;
	for (j = 0; j < bestp->n; j++)
		strs_addz(out, bestp->v[j]);
	strs_free(&best);
	return 0;
}

static int seq_first(lang *L, const lang_seq *s, strs *out)
{
	return seq_first_in(L, s, NULL, out);
}

/*
 * How many bytes before its first prefilter word a form can start, as a
 * set (bit b: b bytes): "loss" 0, "+1" 1, "'d rather" 1 or 3 (the
 * apostrophe matches ' and U+2019).  -1 when the lead is not a fixed run
 * of such characters (a blank or hyphen is a separator of any length; a
 * letter outside ASCII may match a case partner of another length).
 */
static int form_back(const char *form, unsigned *back)
{
	unsigned set = 1;               /* the lengths the lead can take so far */
	const char *p;
	for (p = form; *p && !lang_is_word_byte((unsigned char)*p); p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x80 || c == ' ' || c == '-')
			return -1;
		set = c == '\'' ? (set << 1) | (set << 3) : set << 1;
		if (set >> (LANG_START_BACK_MAX + 1))
			return -1;
	}
	if (!*p)
		return -1;      /* no word at all */
	*back |= set;
	return 0;
}

/*
 * The words a match of s[from..] can start with: the first prefilter
 * token of every form its first consuming node can take (and of the
 * nodes after an optional one), each with how many bytes before that
 * word the match starts (*back: form_back).  Every word is fenced by
 * (?<!\w), so a frame need only be tried at those positions.  -1 when a
 * match can start elsewhere: a punctuation mark, a raw fragment, a class
 * whose key words are declared ("prefilter:"), a form with an odd lead.
 */
/*
 * A raw fragment of s (at any depth) asserts \G, the start of the search:
 * tried anchored at a word, the pattern would take that word for it.
 */
static int seq_asserts_start(const lang_seq *s)
{
	size_t i, j;
	for (i = 0; i < s->len; i++) {
		if (s->n[i].kind == LN_RAW && strstr(s->n[i].text, "\\G"))
			return 1;
		for (j = 0; j < s->n[i].nalts; j++)
			if (seq_asserts_start(&s->n[i].alts[j]))
				return 1;
	}
	return 0;
}

static int seq_start(const lang *L, const lang_seq *s, size_t from, strs *out, unsigned *back)
{
	size_t i, j;
	if (from == 0 && seq_asserts_start(s))
		return -1;
	for (i = from; i < s->len; i++) {
		const struct lang_node *n = &s->n[i];
		if (zero_width(n))
			continue;       /* takes no text: the match starts at the next node */
		switch (n->kind) {
		case LN_WORD:
			if (word_first_tokens(L, n, out, back) != 0)
				return -1;
			break;
		case LN_CLASS:
			if (L->cls[n->cls].unstartable)
				return -1;
			for (j = 0; j < L->cls[n->cls].start.n; j++)
				strs_addz(out, L->cls[n->cls].start.v[j]);
			*back |= L->cls[n->cls].startback;
			break;
		case LN_GROUP:
			for (j = 0; j < n->nalts; j++)
				if (seq_start(L, &n->alts[j], 0, out, back) != 0)
					return -1;
			break;
		default:
			return -1;
		}
		if (!n->optional)
			return 0;
	}
	return -1;              /* everything optional: the pattern is rejected anyway */
}

static int resolve_seq(lang *L, lang_seq *s, char *err, size_t errlen);

static int resolve_node(lang *L, struct lang_node *n, char *err, size_t errlen)
{
	size_t i;
	if ((n->kind == LN_CLASS || n->kind == LN_GAP) && n->text) {
		n->cls = lang_class_find(L, n->text);
		if (n->cls == LANG_NONE) {
			rf_err(err, errlen, n->path, n->line, n->col, "unknown word class '{%s}'%s", n->text,
			       L->ncls ? "" : " (no .words file defines any class)");
			return -1;
		}
	}
	for (i = 0; i < n->nalts; i++)
		if (resolve_seq(L, &n->alts[i], err, errlen) != 0)
			return -1;
	return 0;
}

static int resolve_seq(lang *L, lang_seq *s, char *err, size_t errlen)
{
	size_t i;
	for (i = 0; i < s->len; i++)
		if (resolve_node(L, &s->n[i], err, errlen) != 0)
			return -1;
	return 0;
}

static int build_class(lang *L, size_t ci, char *err, size_t errlen);

/* Build every class a sequence refers to first (depth first, cycles are errors). */
static int build_refs(lang *L, const lang_seq *s, size_t from, char *err, size_t errlen)
{
	size_t i, j;
	for (i = 0; i < s->len; i++) {
		const struct lang_node *n = &s->n[i];
		if (n->cls != LANG_NONE) {
			if (L->cls[n->cls].state == 1) {
				rf_err(err, errlen, n->path, n->line, n->col, "class '%s' contains itself (through '{%s}')",
				       L->cls[from].name, n->text);
				return -1;
			}
			if (build_class(L, n->cls, err, errlen) != 0)
				return -1;
		}
		for (j = 0; j < n->nalts; j++)
			if (build_refs(L, &n->alts[j], from, err, errlen) != 0)
				return -1;
	}
	return 0;
}

/* A flat entry (only words, none optional): its forms spelt out, or -1 when not flat or too many. */
static int entry_strings(const lang *L, const lang_seq *s, strs *out)
{
	strs acc = {NULL, 0, 0};
	size_t i, j, k;
	strs_addz(&acc, "");
	for (i = 0; i < s->len; i++) {
		strs f = {NULL, 0, 0}, next = {NULL, 0, 0};
		if (s->n[i].kind != LN_WORD || s->n[i].optional) {
			strs_free(&acc);
			return -1;
		}
		word_forms(L, s->n[i].text, s->n[i].pos, &f);
		if (acc.n * f.n > LANG_MAX_PRODUCT) {
			strs_free(&f);
			strs_free(&acc);
			return -1;
		}
		for (j = 0; j < acc.n; j++)
			for (k = 0; k < f.n; k++) {
				char *t = xmalloc(strlen(acc.v[j]) + strlen(f.v[k]) + 2);
				sprintf(t, "%s%s%s", acc.v[j], i ? " " : "", f.v[k]);
				strs_addz(&next, t);
				free(t);
			}
		strs_free(&f);
		strs_free(&acc);
		acc = next;
	}
	for (j = 0; j < acc.n; j++)
		strs_addz(out, acc.v[j]);
	strs_free(&acc);
	return 0;
}

/* The alternation of entries e[0..n) (skipping dropped ones) into b. */
static int emit_entries(lang *L, const struct lang_class *c, const struct lang_entry *e, size_t n, rbuf *b,
			unsigned char *used, strs *forms, int lead, char *err, size_t errlen)
{
	strs flat = {NULL, 0, 0};
	size_t i, alts = 0;
	struct em x;
	memset(&x, 0, sizeof x);
	x.L = L;
	x.b = b;
	x.used = used;
	x.err = err;
	x.errlen = errlen;
	buf_puts(b, "(?:");
	for (i = 0; i < n; i++) {
		if (strs_has(&c->drop, e[i].text))
			continue;
		if (entry_strings(L, e[i].seq, &flat) == 0)
			continue;
		if (forms)
			strs_addz(&((struct lang_class *)c)->phrases, e[i].text);
		if (alts++)
			buf_puts(b, "|");
		x.inline_lead = x.leading = lead;
		if (em_seq(&x, e[i].seq, NULL) != 0) {
			strs_free(&flat);
			return -1;
		}
	}
	if (flat.n) {
		if (alts++)
			buf_puts(b, "|");
		emit_words(b, &flat);
		for (i = 0; forms && i < flat.n; i++)
			strs_addz(forms, flat.v[i]);
	}
	buf_puts(b, ")");
	strs_free(&flat);
	return alts ? 0 : 1;
}

/*
 * body + (?(DEFINE)...): the separators, and every class the body calls,
 * directly or through other classes (all already built).  Consumes body.
 */
static char *wrap_define(lang *L, rbuf *body, const unsigned char *used)
{
	unsigned char *all = xmalloc(L->ncls + 1);
	size_t i, k;
	int grew = 1;
	memcpy(all, used, L->ncls);
	while (grew) {
		grew = 0;
		for (i = 0; i < L->ncls; i++)
			if (all[i] && L->cls[i].refs)
				for (k = 0; k < L->ncls; k++)
					if (L->cls[i].refs[k] && !all[k])
						all[k] = grew = 1;
	}
	buf_puts(body, "(?(DEFINE)(?<s>" SEP_DEF ")(?<g>" GAP_SEP_DEF ")(?<h>" HYPHEN_DEF ")");
	for (i = 0; i < L->ncls; i++)
		if (all[i]) {
			char open[32];
			snprintf(open, sizeof open, "(?<c%lu>", (unsigned long)i);
			buf_puts(body, open);
			buf_puts(body, L->cls[i].regex);
			buf_puts(body, ")");
		}
	buf_puts(body, ")");
	free(all);
	return body->p;
}

/* Every prefilter token of every form a sequence can match (for the compounds' word list). */
static void seq_tokens(lang *L, const lang_seq *s, strs *out)
{
	size_t i, j, k;
	for (i = 0; i < s->len; i++) {
		const struct lang_node *n = &s->n[i];
		strs f = {NULL, 0, 0};
		if (n->kind == LN_WORD)
			word_forms(L, n->text, n->pos, &f);
		else if (n->kind == LN_CLASS)
			for (j = 0; j < L->cls[n->cls].forms.n; j++)
				strs_addz(&f, L->cls[n->cls].forms.v[j]);
		for (j = 0; j < f.n; j++) {
			const char *p = f.v[j];
			while (*p) {
				char tok[64];
				for (k = 0; *p && !lang_is_word_byte((unsigned char)*p); p++)
					;
				for (; *p && lang_is_word_byte((unsigned char)*p); p++)
					if (k < sizeof tok - 1)
						tok[k++] = (char)tolower((unsigned char)*p);
				if (k)
					strs_add(out, tok, k);
			}
		}
		strs_free(&f);
		for (j = 0; j < n->nalts; j++)
			seq_tokens(L, &n->alts[j], out);
	}
}

static int build_class(lang *L, size_t ci, char *err, size_t errlen)
{
	struct lang_class *c = &L->cls[ci];
	rbuf b = {NULL, 0, 0, 0};
	size_t i;
	int rc;
	if (c->state == 2)
		return 0;
	c->state = 1;
	for (i = 0; i < c->ne; i++)
		if (build_refs(L, c->e[i].seq, ci, err, errlen) != 0)
			return -1;
	for (i = 0; i < c->nx; i++)
		if (build_refs(L, c->x[i].seq, ci, err, errlen) != 0)
			return -1;
	c->refs = xmalloc(L->ncls + 1);
	memset(c->refs, 0, L->ncls + 1);
	rc = emit_entries(L, c, c->e, c->ne, &b, c->refs, &c->forms, 0, err, errlen);
	if (rc < 0) {
		free(b.p);
		return -1;
	}
	if (rc > 0) {
		rf_err(err, errlen, c->path, c->line, 0, "class '%s' has no words left (every entry was dropped)",
		       c->name);
		free(b.p);
		return -1;
	}
	c->regex = b.p;
	{
		/* the same with the classes an entry starts with written out */
		rbuf lb = {NULL, 0, 0, 0};
		struct lang_class nophrases = *c;
		unsigned char *used = xmalloc(L->ncls + 1);
		memset(used, 0, L->ncls + 1);
		memset(&nophrases.phrases, 0, sizeof nophrases.phrases);
		rc = emit_entries(L, &nophrases, c->e, c->ne, &lb, used, NULL, 1, err, errlen);
		free(used);
		if (rc < 0 || lb.over || strcmp(lb.p, c->regex) == 0)
			free(lb.p);
		else
			c->lead = lb.p;
		if (rc < 0)
			return -1;
	}
	if (c->nx) {
		rbuf xb = {NULL, 0, 0, 0};
		struct lang_class nodrop = *c;
		unsigned char *used = xmalloc(L->ncls + 1);
		memset(used, 0, L->ncls + 1);
		memset(&nodrop.drop, 0, sizeof nodrop.drop);
		if (emit_entries(L, &nodrop, c->x, c->nx, &xb, used, NULL, 1, err, errlen) < 0) {
			free(xb.p);
			free(used);
			return -1;
		}
		c->xregex = wrap_define(L, &xb, used);
		for (i = 0; i < c->nx; i++)
			seq_tokens(L, c->x[i].seq, &c->xwords);
		strs_uniq(&c->xwords);
		free(used);
	}
	if (b.over) {
		rf_err(err, errlen, c->path, c->line, 0, "class '%s' is too large (its pattern passes %u bytes)",
		       c->name, LANG_MAX_REGEX);
		return -1;
	}
	strs_uniq(&c->forms);
	for (i = 0; i < c->pfwords.n; i++)
		strs_addz(&c->first, c->pfwords.v[i]);
	{
		strs singles = {NULL, 0, 0};
		for (i = 0; i < c->forms.n; i++)
			if (!strpbrk(c->forms.v[i], " -'"))
				strs_addz(&singles, c->forms.v[i]);
		for (i = 0; i < c->ne && !c->unkeyable && !c->pfwords.n; i++)
			if (!strs_has(&c->drop, c->e[i].text) && seq_first_in(L, c->e[i].seq, &singles, &c->first) != 0)
				c->unkeyable = 1;
		strs_free(&singles);
	}
	strs_uniq(&c->first);
	c->unstartable = c->pfwords.n != 0;
	for (i = 0; i < c->ne && !c->unstartable; i++)
		if (!strs_has(&c->drop, c->e[i].text) && seq_start(L, c->e[i].seq, 0, &c->start, &c->startback) != 0)
			c->unstartable = 1;
	strs_uniq(&c->start);
	c->state = 2;
	return 0;
}

int lang_finalize(lang *L, char *err, size_t errlen)
{
	size_t i, j;
	for (i = 0; i < L->ncls; i++)
		class_unbuild(&L->cls[i]);
	for (i = 0; i < L->nkeys; i++)
		strs_free(&L->keys[i]);
	L->nkeys = 0;
	strs_uniq(&L->common);         /* sorted, for strs_has_sorted */
	for (i = 0; i < L->ncls; i++) {
		struct lang_class *c = &L->cls[i];
		if (c->ne == 0) {
			rf_err(err, errlen, c->path, c->line, 0, "class '%s' has no entries", c->name);
			return -1;
		}
		for (j = 0; j < c->ne; j++)
			if (resolve_seq(L, c->e[j].seq, err, errlen) != 0)
				return -1;
		for (j = 0; j < c->nx; j++)
			if (resolve_seq(L, c->x[j].seq, err, errlen) != 0)
				return -1;
	}
	for (i = 0; i < L->nctx; i++)
		for (j = 0; j < L->ctx[i].n; j++)
			if (resolve_seq(L, L->ctx[i].it[j].seq, err, errlen) != 0)
				return -1;
	for (i = 0; i < L->ncls; i++)
		if (build_class(L, i, err, errlen) != 0)
			return -1;
	L->finalized = 1;
	return 0;
}

/* ---- compiling frames --------------------------------------------------- */

static size_t key_register(lang *L, strs *words)
{
	size_t i, j;
	strs_uniq(words);
	for (i = 0; i < L->nkeys; i++) {
		if (L->keys[i].n != words->n)
			continue;
		for (j = 0; j < words->n && strcmp(L->keys[i].v[j], words->v[j]) == 0; j++)
			;
		if (j == words->n)
			return i;
	}
	L->keys = xrealloc(L->keys, (L->nkeys + 1) * sizeof *L->keys);
	L->keys[L->nkeys] = *words;
	memset(words, 0, sizeof *words);
	return L->nkeys++;
}

/* Every word of w is "common:": a key that almost every clause holds filters nothing. */
static int words_all_common(const lang *L, const strs *w)
{
	size_t i;
	for (i = 0; i < w->n; i++)
		if (!strs_has_sorted(&L->common, w->v[i]))
			return 0;
	return 1;
}

/*
 * The prefilter keys of a frame: one for each required word that has
 * words, but none made only of common words ("the", "is"): they would
 * cost a table hit on nearly every clause and rule out almost none.
 */
static void frame_keys(lang *L, const lang_seq *s, lang_pattern *out)
{
	size_t i;
	for (i = 0; i < s->len; i++) {
		strs w = {NULL, 0, 0};
		if (s->n[i].optional || s->n[i].kind == LN_GAP)
			continue;
		if (node_first(L, &s->n[i], &w) == 0 && w.n && (strs_uniq(&w), !words_all_common(L, &w))) {
			out->req = xrealloc(out->req, (out->nreq + 1) * sizeof *out->req);
			out->req[out->nreq++] = key_register(L, &w);
		}
		strs_free(&w);
	}
}

/*
 * seqs[0..n) as one pattern that matches where any of them does; as a
 * frame (pats not NULL, n == 1) it names its classes' words.
 */
static int compile_seqs(lang *L, const lang_seq *const *seqs, size_t n, lang_pattern *pats, char **regex,
			char *err, size_t errlen)
{
	rbuf b = {NULL, 0, 0, 0};
	struct em x;
	size_t i;
	*regex = NULL;
	if (pats)
		memset(pats, 0, n * sizeof *pats);
	if (!L->finalized && lang_finalize(L, err, errlen) != 0)
		return -1;
	memset(&x, 0, sizeof x);
	x.L = L;
	x.b = &b;
	x.used = xmalloc(L->ncls + 1);
	memset(x.used, 0, L->ncls + 1);
	x.frame = pats != NULL;
	x.err = err;
	x.errlen = errlen;
	if (n > 1)
		buf_puts(&b, "(?:");
	for (i = 0; i < n; i++) {
		if (resolve_seq(L, (lang_seq *)seqs[i], err, errlen) != 0)
			goto fail;
		if (i)
			buf_puts(&b, "|");
		if (n > 1)
			buf_puts(&b, "(?:");
		if (pats)
			x.out = &pats[i];
		x.inline_lead = x.leading = 1;
		if (em_seq(&x, seqs[i], NULL) != 0)
			goto fail;
		if (n > 1)
			buf_puts(&b, ")");
		if (pats) {
			strs w = {NULL, 0, 0};
			unsigned back = 0;
			frame_keys(L, seqs[i], &pats[i]);
			pats[i].start = seq_start(L, seqs[i], 0, &w, &back) == 0 && w.n ? key_register(L, &w) : LANG_NONE;
			pats[i].startback = pats[i].start == LANG_NONE ? 0 : back;
			strs_free(&w);
		}
	}
	if (n > 1)
		buf_puts(&b, ")");
	wrap_define(L, &b, x.used);
	free(x.used);
	if (b.over) {
		rf_err(err, errlen, seqs[0]->n[0].path, seqs[0]->n[0].line, 0, "the pattern passes %u bytes",
		       LANG_MAX_REGEX);
		free(b.p);
		return -1;
	}
	*regex = b.p;
	return 0;
fail:
	free(b.p);
	free(x.used);
	for (i = 0; pats && i < n; i++)
		lang_pattern_free(&pats[i]);
	return -1;
}

int lang_compile(lang *L, const lang_seq *s, int frame, lang_pattern *out, char *err, size_t errlen)
{
	lang_pattern tmp;
	memset(out, 0, sizeof *out);
	out->start = LANG_NONE;
	if (!frame)
		return compile_seqs(L, &s, 1, NULL, &out->regex, err, errlen);
	if (compile_seqs(L, &s, 1, &tmp, &out->regex, err, errlen) != 0)
		return -1;
	tmp.regex = out->regex;
	*out = tmp;
	return 0;
}

int lang_compile_any(lang *L, const lang_seq *const *seqs, size_t n, lang_pattern *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	out->start = LANG_NONE;
	return compile_seqs(L, seqs, n, NULL, &out->regex, err, errlen);
}

int lang_seq_words(lang *L, const lang_seq *s, char ***words, size_t *n)
{
	strs w = {NULL, 0, 0};
	*words = NULL;
	*n = 0;
	if (!L->finalized || resolve_seq(L, (lang_seq *)s, NULL, 0) != 0 || seq_first(L, s, &w) != 0) {
		strs_free(&w);
		return -1;
	}
	strs_uniq(&w);
	*words = w.v;
	*n = w.n;
	return 0;
}

int lang_seq_start(lang *L, const lang_seq *s, char ***words, size_t *n, unsigned *back)
{
	strs w = {NULL, 0, 0};
	*words = NULL;
	*n = 0;
	*back = 0;
	if (!L->finalized || resolve_seq(L, (lang_seq *)s, NULL, 0) != 0 || seq_start(L, s, 0, &w, back) != 0 ||
	    w.n == 0) {
		strs_free(&w);
		return -1;
	}
	strs_uniq(&w);
	*words = w.v;
	*n = w.n;
	return 0;
}

void lang_pattern_free(lang_pattern *p)
{
	free(p->regex);
	free(p->req);
	memset(p, 0, sizeof *p);
	p->start = LANG_NONE;
}

/* ---- accessors ---------------------------------------------------------- */

size_t lang_class_count(const lang *L)
{
	return L->ncls;
}

const char *lang_class_name(const lang *L, size_t cls)
{
	return cls < L->ncls ? L->cls[cls].name : NULL;
}

size_t lang_class_forms(const lang *L, size_t cls, const char *const **forms)
{
	*forms = (const char *const *)L->cls[cls].forms.v;
	return L->cls[cls].forms.n;
}

const char *lang_class_title(const lang *L, size_t cls)
{
	return L->cls[cls].title;
}

const char *lang_class_path(const lang *L, size_t cls)
{
	return L->cls[cls].path;
}

void lang_class_except_at(const lang *L, size_t cls, const char **path, unsigned long *line)
{
	const struct lang_class *c = &L->cls[cls];
	const lang_seq *q = c->nx ? c->x[c->nx - 1].seq : NULL;
	*path = q && q->len ? q->n[0].path : c->path;
	*line = q && q->len ? q->n[0].line : c->line;
}

size_t lang_class_phrases(const lang *L, size_t cls, const char *const **phrases)
{
	*phrases = (const char *const *)L->cls[cls].phrases.v;
	return L->cls[cls].phrases.n;
}

size_t lang_class_except_words(const lang *L, size_t cls, const char *const **words)
{
	*words = (const char *const *)L->cls[cls].xwords.v;
	return L->cls[cls].xwords.n;
}

const char *lang_class_except(const lang *L, size_t cls)
{
	return L->cls[cls].xregex;
}

size_t lang_context_count(const lang *L)
{
	return L->nctx;
}

const char *lang_context_name(const lang *L, size_t ctx)
{
	return L->ctx[ctx].name;
}

size_t lang_context_items(const lang *L, size_t ctx)
{
	return L->ctx[ctx].n;
}

const lang_seq *lang_context_item(const lang *L, size_t ctx, size_t i, enum lang_where *where)
{
	*where = (enum lang_where)L->ctx[ctx].it[i].where;
	return L->ctx[ctx].it[i].seq;
}

size_t lang_key_count(const lang *L)
{
	return L->nkeys;
}

size_t lang_key_words(const lang *L, size_t key, const char *const **words)
{
	*words = (const char *const *)L->keys[key].v;
	return L->keys[key].n;
}

int lang_key_common(const lang *L, size_t key)
{
	size_t i;
	for (i = 0; i < L->keys[key].n; i++)
		if (strs_has_sorted(&L->common, L->keys[key].v[i]))
			return 1;
	return 0;
}
