/*
 * prose.c: the `.rule` loader and the prose matcher (LS2xx).
 *
 * Loading is strict on purpose: a rule that silently failed to load would
 * silently stop catching what it was written for, so every oddity (an
 * unknown key, a repeated single key, a missing code/pattern/message, a
 * regex PCRE2 rejects, an unknown word class) is an error naming the
 * file, the line and, where it can, the column.
 *
 * A rule holds raw PCRE2 patterns, frames (lang.h), or both.  Once every
 * file of a run is read, the set is finalized: classes are inflected and
 * respelled, frames and context patterns compiled, and the prefilter
 * table built from the frames' keys.  Each frame is then indexed by one
 * of its keys (its anchor, a rare one where possible), so matching a
 * text is: one prefilter pass; for each clause that holds a key word,
 * the frames anchored there whose other keys it also holds; patterns over
 * the whole text as before.  Every match then passes the rule's
 * contexts, its `unless` patterns and the classes' technical compounds.
 * A match context caps backtracking, so a catastrophic pattern ends with
 * a finding, not a hang.
 */
#define _XOPEN_SOURCE 700      /* realpath */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "prose.h"
#include "prosemodel.h"
#include "prefilter.h"
#include "rulefile.h"
#include "utf8.h"
#include "xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LOSSC_DATADIR
#define LOSSC_DATADIR "/usr/local/share/lossc"
#endif
#ifndef LOSSC_SRCDIR
#define LOSSC_SRCDIR "."
#endif

/* PCRE2 options of every pattern: caseless, UTF-8, Unicode \w and \b. */
#define PROSE_PCRE2_OPTIONS (PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP)
/* Generated patterns may be long (a class is every form of every word), not unbounded. */
#define PROSE_MAX_PATTERN (8u << 20)

struct prose_anchor {                   /* a frame, indexed by one of its keys */
	size_t rule, frame;
	size_t need;                    /* its keys as a key set: set->need[need .. need + words) */
};

struct prose_set {
	prose_rule *rules;
	size_t n, cap;
	pcre2_match_context *mctx;
	pcre2_match_data *md;
	pcre2_jit_stack *jit_stack;
	pcre2_compile_context *cctx;
	pcre2_general_context *gctx;    /* lossc's allocator (prose_pcre2_malloc) */
	unsigned long load;     /* number of prose_load_* calls so far */
	lang *L;
	int defer;              /* inside prose_load_all: finalize once, at the end */
	int team;               /* a file that is not built-in was loaded: compile every frame at load */
	int search_only;        /* prose_set_search_only(): no anchored tries */
	/* built by prose_finalize */
	pcre2_code **xcode;     /* per class: its technical compounds, or NULL */
	pf_words **xwords;      /* per class: the words of its compounds */
	size_t nxcode;
	prefilter *pf;
	struct prose_anchor **anch;     /* per key: the frames anchored on it */
	size_t *nanch, nkeys;
	uint64_t *need;                 /* every anchored frame's keys, one key set each */
	uint64_t *anchors;              /* key set of the keys some frame is anchored on */
	/* scratch of one text */
	prose_hit *hits;
	size_t nhits, hcap;
	unsigned char *run;     /* per rule: still running on this text */
	size_t runcap;
	size_t *cand;           /* where the running frame may start (prose_run_frame) */
	size_t candcap;
	/* scratch of prose_compile_contexts, kept here so that a failed
	   allocation (xalloc_die) leaves no unreachable block behind */
	const lang_seq **cseqs;
	char **cwords;
	size_t cseqcap, cwordcap;
	char **cstarts;         /* (the items' first words, while one group is compiled) */
	size_t cstartcap;
	size_t *ctxat;          /* where a context may start (prose_context_at) */
	size_t ctxatcap;
	/* the clause models (prosemodel.h): NULL when no .model file is loaded */
	pm_set *pm;
	size_t *pmrule;         /* per model: the index of the rule it reports under */
	int models_off;         /* prose_set_models(set, 0) */
	pm_token *tok;          /* scratch of one clause */
	size_t tokcap;
	unsigned char *tkeep;
	size_t *tcls;
	size_t tkcap;
	unsigned char *tried;   /* per clause of the text: some frame ran on it */
	size_t triedcap;
	size_t *ruled;          /* [start, end) pairs: frame matches a context ruled out */
	size_t nruled, ruledcap;
	/* per prefilter key word (pf_word_count): its classes in the models'
	   word table, and whether a phrase starts with it */
	struct prose_pminfo {
		uint64_t classes;
		int prefix;
	} *pminfo;
};

/* Rules with more contexts than this do not share their context patterns. */
#define PROSE_MAX_CONTEXTS 32

/* ---- the set ---------------------------------------------------------- */

/*
 * PCRE2 allocates through lossc's allocator: compiled patterns, JIT
 * compilation, match data and the matcher's heap frames all come from
 * prose_pcre2_malloc, so running out of memory inside PCRE2 ends the run
 * the one documented way (xalloc.h) instead of coming back as an error a
 * caller could mistake for a bad regex or a failed match, and
 * tests/fault/alloc.sh fails PCRE2's allocations as it fails lossc's.
 * (The JIT's executable memory comes from mmap, not from here.)
 */
static void *prose_pcre2_malloc(PCRE2_SIZE n, void *data)
{
	(void)data;
	return xmalloc(n ? n : 1);
}

static void prose_pcre2_free(void *p, void *data)
{
	(void)data;
	free(p);
}

prose_set *prose_set_new(void)
{
	prose_set *s = xmalloc(sizeof *s);
	memset(s, 0, sizeof *s);
	s->gctx = pcre2_general_context_create(prose_pcre2_malloc, prose_pcre2_free, NULL);
	/* (the contexts are allocated by prose_pcre2_malloc: never NULL) */
	s->mctx = pcre2_match_context_create(s->gctx);
	s->md = pcre2_match_data_create(PROSE_MAX_WORDS + 1, s->gctx);
	s->cctx = pcre2_compile_context_create(s->gctx);
	pcre2_set_match_limit(s->mctx, PROSE_MATCH_LIMIT);
	pcre2_set_depth_limit(s->mctx, PROSE_DEPTH_LIMIT);
	pcre2_set_max_pattern_length(s->cctx, PROSE_MAX_PATTERN);
	/* A JIT stack larger than the 32K default, so an honest pattern on a
	   long sentence does not fail for want of stack; NULL when no JIT. */
	s->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, s->gctx);
	if (s->jit_stack)
		pcre2_jit_stack_assign(s->mctx, NULL, s->jit_stack);
	s->L = lang_new();
	return s;
}

static void prose_frame_free(prose_frame *f)
{
	pcre2_code_free(f->code);
	pcre2_code_free(f->acode);
	free(f->src);
	lang_seq_free(f->seq);
	lang_pattern_free(&f->pat);
}

static void prose_rule_free(prose_rule *r)
{
	size_t i;
	pcre2_code_free(r->gate);
	for (i = 0; i < r->npats; i++) {
		pcre2_code_free(r->pats[i].code);
		free(r->pats[i].src);
	}
	for (i = 0; i < r->nunless; i++) {
		pcre2_code_free(r->unless[i].code);
		free(r->unless[i].src);
	}
	for (i = 0; i < r->nframes; i++)
		prose_frame_free(&r->frames[i]);
	for (i = 0; i < r->nctx; i++)
		free(r->ctxname[i]);
	for (i = 0; i < 4 && !r->ctxshared; i++) {
		pcre2_code_free(r->ctxcode[i]);
		pcre2_code_free(r->ctxraw[i]);
		pcre2_code_free(r->ctxsearch[i]);
		pf_words_free(r->ctxwords[i]);
		pf_words_free(r->ctxswords[i]);
		pf_words_free(r->ctxstart[i]);
	}

	for (i = 0; i < r->nbad; i++)
		free(r->bad[i].text);
	for (i = 0; i < r->ngood; i++)
		free(r->good[i].text);
	free(r->pats);
	free(r->unless);
	free(r->frames);
	free(r->ctxname);
	free(r->ctx);
	free(r->bad);
	free(r->good);
	free(r->name);
	free(r->title);
	free(r->concept);
	free(r->message);
	free(r->explain);
	free(r->path);
	memset(r, 0, sizeof *r);
}

/* Drop everything prose_finalize built. */
static void prose_unfinalize(prose_set *set)
{
	size_t i, j;
	for (i = 0; i < set->nxcode; i++) {
		pcre2_code_free(set->xcode[i]);
		pf_words_free(set->xwords[i]);
	}
	free(set->xcode);
	free(set->xwords);
	set->xcode = NULL;
	set->xwords = NULL;
	set->nxcode = 0;
	pf_free(set->pf);
	set->pf = NULL;
	for (i = 0; i < set->nkeys; i++)
		free(set->anch[i]);
	free(set->anch);
	free(set->nanch);
	free(set->need);
	free(set->anchors);
	set->anchors = NULL;
	set->anch = NULL;
	set->nanch = NULL;
	set->need = NULL;
	set->nkeys = 0;
	for (i = 0; i < set->n; i++) {
		for (j = 0; j < 4; j++) {
			if (!set->rules[i].ctxshared) {
				pcre2_code_free(set->rules[i].ctxcode[j]);
				pcre2_code_free(set->rules[i].ctxraw[j]);
				pf_words_free(set->rules[i].ctxwords[j]);
				pf_words_free(set->rules[i].ctxstart[j]);
				pcre2_code_free(set->rules[i].ctxsearch[j]);
				pf_words_free(set->rules[i].ctxswords[j]);
			}
			set->rules[i].ctxcode[j] = set->rules[i].ctxraw[j] = set->rules[i].ctxwords[j] = NULL;
			set->rules[i].ctxstart[j] = set->rules[i].ctxsearch[j] = set->rules[i].ctxswords[j] = NULL;
		}
		set->rules[i].ctxshared = 0;

		for (j = 0; j < set->rules[i].nframes; j++) {
			prose_frame *f = &set->rules[i].frames[j];
			pcre2_code_free(f->code);
			pcre2_code_free(f->acode);
			f->code = f->acode = NULL;
			lang_pattern_free(&f->pat);
		}
	}
}

void prose_set_free(prose_set *set)
{
	size_t i;
	if (!set)
		return;
	prose_unfinalize(set);
	for (i = 0; i < set->n; i++)
		prose_rule_free(&set->rules[i]);
	free(set->rules);
	free(set->hits);
	free(set->run);
	free(set->cand);
	free(set->cseqs);
	free(set->cwords);
	free(set->cstarts);
	free(set->ctxat);
	pm_free(set->pm);
	free(set->pmrule);
	free(set->tok);
	free(set->tkeep);
	free(set->tcls);
	free(set->pminfo);
	free(set->tried);
	free(set->ruled);
	lang_free(set->L);
	pcre2_match_data_free(set->md);
	pcre2_match_context_free(set->mctx);
	pcre2_compile_context_free(set->cctx);
	if (set->jit_stack)
		pcre2_jit_stack_free(set->jit_stack);
	pcre2_general_context_free(set->gctx);
	free(set);
}

void prose_set_search_only(prose_set *set, int on)
{
	set->search_only = on;
}

void prose_set_models(prose_set *set, int on)
{
	set->models_off = !on;
}

size_t prose_count(const prose_set *set)
{
	return set->n;
}

const prose_rule *prose_rule_at(const prose_set *set, size_t i)
{
	return i < set->n ? &set->rules[i] : NULL;
}

const prose_rule *prose_find(const prose_set *set, const char *code)
{
	size_t i;
	for (i = 0; i < set->n; i++)
		if (strcmp(set->rules[i].code, code) == 0)
			return &set->rules[i];
	return NULL;
}

const lang *prose_lang(const prose_set *set)
{
	return set->L;
}

/* ---- the rule-file parser --------------------------------------------- */

enum prose_key {
	K_CODE, K_NAME, K_TITLE, K_SEVERITY, K_CONCEPT, K_SCOPE, K_PATTERN, K_UNLESS,
	K_MESSAGE, K_EXPLAIN, K_BAD, K_GOOD, K_REQUIRE, K_FRAME, K_CONTEXT, K_NKEYS
};

static const char *const prose_key_names[K_NKEYS] = {
	"code", "name", "title", "severity", "concept", "scope", "pattern", "unless",
	"message", "explain", "bad", "good", "require", "frame", "context"
};

static const rf_keys rule_keys = {
	prose_key_names, K_NKEYS,
	(1u << K_PATTERN) | (1u << K_UNLESS) | (1u << K_BAD) | (1u << K_GOOD) | (1u << K_FRAME),
	(1u << K_PATTERN) | (1u << K_UNLESS),
	1u << K_EXPLAIN,
	"pattern, frame, unless, bad and good"
};

static int prose_valid_code(const char *s)
{
	size_t n = strlen(s), i = 0;
	if (n < 2 || n > 7)
		return 0;
	while (i < n && isupper((unsigned char)s[i]))
		i++;
	if (i < 2 || i == n)
		return 0;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	return i == n;
}

/* The next name of a list separated by commas or blanks ("about, setup"): NULL at its end. */
static const char *prose_list_next(const char **pp, size_t *n)
{
	const char *p = *pp;
	while (*p == ' ' || *p == '\t' || *p == ',')
		p++;
	if (!*p)
		return NULL;
	*n = strcspn(p, " \t,");
	*pp = p + *n;
	return p;
}

static int prose_parse_scope(const char *v, unsigned *scope)
{
	const char *p, *rest = v;
	size_t n;
	*scope = 0;
	while ((p = prose_list_next(&rest, &n)) != NULL) {
#define SCOPE_IS(w) (n == strlen(w) && strncmp(p, w, n) == 0)
		if (SCOPE_IS("about"))
			*scope |= PROSE_SCOPE_ABOUT;
		else if (SCOPE_IS("because"))
			*scope |= PROSE_SCOPE_BECAUSE;
		else if (SCOPE_IS("setup"))
			*scope |= PROSE_SCOPE_SETUP;
		else if (SCOPE_IS("source"))
			*scope |= PROSE_SCOPE_SOURCE;
		else if (SCOPE_IS("other") || SCOPE_IS("cares_about"))
			*scope |= PROSE_SCOPE_OTHER;
		else if (SCOPE_IS("prose"))
			*scope |= PROSE_SCOPE_ALL;
		else
			return -1;
#undef SCOPE_IS
	}
	return *scope ? 0 : -1;
}

/*
 * Compile regex text with the options every prose pattern has, JIT when
 * the library has it.  A pattern that can match the empty string is
 * refused: a rule must match some text.  NULL with err set.
 */
static pcre2_code *prose_regex_opts(prose_set *set, const char *re, uint32_t extra, const char *what,
				    const rf_file *f, const rf_entry *e, const char *path, unsigned long line, char *err,
				    size_t errlen)
{
	/* (generated patterns are JIT-compiled when first used: prose_ready) */
	int ec;
	PCRE2_SIZE eo;
	size_t minlen = 0;
	/* Generated patterns capture only their named word slots (lang.c), so
	   a "/(...)/" fragment in a frame cannot shift the slots. */
	uint32_t opts = PROSE_PCRE2_OPTIONS | extra | (f ? 0 : PCRE2_NO_AUTO_CAPTURE);
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, opts, &ec, &eo, set->cctx);
	if (!code) {
		PCRE2_UCHAR msg[256];
		unsigned long col = 0;
		pcre2_get_error_message(ec, msg, sizeof msg);
		if (f && e)
			rf_where(f, e, eo, &line, &col);
		/* An offset into a pattern lossc generated names nothing the
		   user wrote: then the file and line are all there is. */
		if (f)
			rf_err(err, errlen, path, line, col, "bad %s regex at offset %lu: %s", what,
			       (unsigned long)eo, (const char *)msg);
		else
			rf_err(err, errlen, path, line, col, "bad %s regex: %s", what, (const char *)msg);
		return NULL;
	}
	/* (PCRE2 cannot see a minimum length through the subroutine calls of
	   generated patterns; lang.c refuses a word pattern with no word.) */
	pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &minlen);
	if (minlen == 0 && f) {
		rf_err(err, errlen, path, line, 0, "%s '%s' can match the empty string; a rule must match some text",
		       what, f ? e->value : "(generated)");
		pcre2_code_free(code);
		return NULL;
	}
	/* JIT when the library has it; the interpreter is the fallback. */
	if (f)
		(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	return code;
}

static pcre2_code *prose_regex(prose_set *set, const char *re, const char *what, const rf_file *f,
			       const rf_entry *e, const char *path, unsigned long line, char *err, size_t errlen)
{
	return prose_regex_opts(set, re, 0, what, f, e, path, line, err, errlen);
}

/*
 * A generated pattern, JIT-compiled the first time it runs: a run that
 * lints a small file compiles only the few frames its prose wakes up.
 */
static pcre2_code *prose_ready(pcre2_code *code)
{
	size_t jit = 0;
	if (code && pcre2_pattern_info(code, PCRE2_INFO_JITSIZE, &jit) == 0 && jit == 0)
		(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	return code;
}

/*
 * One match call.  A JIT-compiled pattern goes through pcre2_jit_match(),
 * which skips pcre2_match()'s argument checks: texts are valid UTF-8 (the
 * source was checked) and the match limit in the context still applies.
 */
static int prose_exec(prose_set *set, const pcre2_code *code, const char *t, size_t len, size_t off,
		      uint32_t opts)
{
	size_t jit = 0;
	if (pcre2_pattern_info(code, PCRE2_INFO_JITSIZE, &jit) == 0 && jit)
		return pcre2_jit_match(code, (PCRE2_SPTR)t, len, off, opts, set->md, set->mctx);
	return pcre2_match(code, (PCRE2_SPTR)t, len, off, opts | PCRE2_NO_UTF_CHECK, set->md, set->mctx);
}

/*
 * "require: w1, w2 ...": a speed hint.  The rule runs on a text only when
 * one of the words occurs in it (anywhere, in any case), so a rule whose
 * every match must contain "align" skips the texts that do not.  Words
 * are literal; `lossc rules --test` checks that every bad example passes
 * the gate, so a wrong hint shows up as a failing example.
 */
static int prose_gate(prose_set *set, prose_rule *r, const char *v, const char *path, unsigned long line,
		      char *err, size_t errlen)
{
	size_t n = strlen(v), k = 0, i;
	char *re = xmalloc(4 * n + 16);
	int ec, words = 0;
	PCRE2_SIZE eo;
	for (i = 0; i < n;) {
		size_t w;
		while (i < n && (v[i] == ',' || v[i] == ' ' || v[i] == '\t'))
			i++;
		w = i;
		while (i < n && v[i] != ',' && v[i] != ' ' && v[i] != '\t')
			i++;
		if (i == w)
			break;
		k += (size_t)sprintf(re + k, "%s\\Q%.*s\\E", words ? "|" : "", (int)(i - w), v + w);
		words++;
	}
	re[k] = '\0';
	r->gate = pcre2_compile((PCRE2_SPTR)re, k, PCRE2_CASELESS | PCRE2_UTF, &ec, &eo, set->cctx);
	free(re);
	if (!r->gate || !words) {
		rf_err(err, errlen, path, line, 0, "'require' needs one or more literal words");
		return -1;
	}
	(void)pcre2_jit_compile(r->gate, PCRE2_JIT_COMPLETE);
	return 0;
}

/* "context: negated, tested": names kept until the set is finalized. */
static int prose_context_names(prose_rule *r, const rf_entry *e, const char *path, char *err, size_t errlen)
{
	const char *p, *rest = e->value;
	size_t n;
	while ((p = prose_list_next(&rest, &n)) != NULL) {
		r->ctxname = xrealloc(r->ctxname, (r->nctx + 1) * sizeof *r->ctxname);
		r->ctxname[r->nctx++] = rf_strndup(p, n);
	}
	r->ctxline = e->line;
	if (!r->nctx) {
		rf_err(err, errlen, path, e->line, 0, "'context' names one or more contexts of the .words files");
		return -1;
	}
	return 0;
}

static int prose_build_rule(prose_set *set, const rf_file *p, prose_rule *r, char *err, size_t errlen)
{
	size_t i;
	const rf_entry *code_e = NULL, *msg_e = NULL;
	memset(r, 0, sizeof *r);
	r->sev = SEV_WARNING;
	r->scope = PROSE_SCOPE_ALL;
	r->path = rf_strndup(p->path, strlen(p->path));
	for (i = 0; i < p->n; i++) {
		const rf_entry *e = &p->e[i];
		if (e->value[0] == '\0') {
			rf_err(err, errlen, p->path, e->line, 0, "'%s' has an empty value", prose_key_names[e->key]);
			return -1;
		}
		switch (e->key) {
		case K_CODE:
			if (!prose_valid_code(e->value)) {
				rf_err(err, errlen, p->path, e->line, 0,
				       "code '%s' is not of the form LETTERS+DIGITS (at most 7 characters, e.g. LS901)",
				       e->value);
				return -1;
			}
			if (codes_find(e->value)) {
				rf_err(err, errlen, p->path, e->line, 0,
				       "code %s belongs to a built-in check; a rule file may not take it", e->value);
				return -1;
			}
			strcpy(r->code, e->value);
			code_e = e;
			break;
		case K_NAME:
			r->name = rf_strndup(e->value, strlen(e->value));
			break;
		case K_TITLE:
			r->title = rf_strndup(e->value, strlen(e->value));
			break;
		case K_CONCEPT:
			r->concept = rf_strndup(e->value, strlen(e->value));
			break;
		case K_MESSAGE:
			r->message = rf_strndup(e->value, strlen(e->value));
			msg_e = e;
			break;
		case K_EXPLAIN:
			r->explain = rf_strndup(e->value, strlen(e->value));
			break;
		case K_SEVERITY: {
			int s = diag_severity_parse(e->value);
			if (s < SEV_INFO) {
				rf_err(err, errlen, p->path, e->line, 0, "severity '%s' is not one of error, warning, info",
				       e->value);
				return -1;
			}
			r->sev = (diag_severity)s;
			break;
		}
		case K_SCOPE:
			if (prose_parse_scope(e->value, &r->scope) != 0) {
				rf_err(err, errlen, p->path, e->line, 0,
				       "scope '%s': use about, because, setup, source, other, or prose (all)", e->value);
				return -1;
			}
			break;
		case K_PATTERN:
		case K_UNLESS: {
			prose_pattern **arr = e->key == K_PATTERN ? &r->pats : &r->unless;
			size_t *cnt = e->key == K_PATTERN ? &r->npats : &r->nunless;
			pcre2_code *code = prose_regex(set, e->value, prose_key_names[e->key], p, e, p->path, e->line,
						       err, errlen);
			if (!code)
				return -1;
			*arr = xrealloc(*arr, (*cnt + 1) * sizeof **arr);
			(*arr)[*cnt].code = code;
			(*arr)[*cnt].src = rf_strndup(e->value, strlen(e->value));
			(*arr)[*cnt].line = e->line;
			(*cnt)++;
			break;
		}
		case K_FRAME: {
			lang_seq *seq = lang_parse(set->L, p, e, err, errlen);
			prose_frame *f;
			if (!seq)
				return -1;
			r->frames = xrealloc(r->frames, (r->nframes + 1) * sizeof *r->frames);
			f = &r->frames[r->nframes++];
			memset(f, 0, sizeof *f);
			f->seq = seq;
			f->src = rf_strndup(e->value, strlen(e->value));
			f->line = e->line;
			break;
		}
		case K_CONTEXT:
			if (prose_context_names(r, e, p->path, err, errlen) != 0)
				return -1;
			break;
		case K_REQUIRE:
			if (prose_gate(set, r, e->value, p->path, e->line, err, errlen) != 0)
				return -1;
			break;
		case K_BAD:
		case K_GOOD: {
			prose_example **arr = e->key == K_BAD ? &r->bad : &r->good;
			size_t *cnt = e->key == K_BAD ? &r->nbad : &r->ngood;
			size_t n = strlen(e->value);
			/* Zeroed slack after the text: PCRE2's JIT reads the subject in
			   16-byte blocks, which valgrind flags past a tight malloc. */
			char *t = xmalloc(n + 64);
			memcpy(t, e->value, n);
			memset(t + n, 0, 64);
			*arr = xrealloc(*arr, (*cnt + 1) * sizeof **arr);
			(*arr)[*cnt].text = t;
			(*arr)[*cnt].line = e->line;
			(*cnt)++;
			break;
		}
		}
	}
	if (!code_e) {
		rf_err(err, errlen, p->path, 0, 0, "no 'code:' line (every rule needs a code such as LS901)");
		return -1;
	}
	if (r->npats == 0 && r->nframes == 0) {
		rf_err(err, errlen, p->path, 0, 0, "rule %s has no 'pattern:' line (nor a 'frame:')", r->code);
		return -1;
	}
	if (!msg_e) {
		rf_err(err, errlen, p->path, 0, 0, "rule %s has no 'message:' line", r->code);
		return -1;
	}
	if (!r->name)
		r->name = rf_strndup(r->code, strlen(r->code));
	if (!r->title) {
		char *t;
		r->title = rf_strndup(r->name, strlen(r->name));
		for (t = r->title; *t; t++)
			if (*t == '-' || *t == '_')
				*t = ' ';
	}
	return 0;
}

static int prose_cmp_rule(const void *a, const void *b)
{
	return strcmp(((const prose_rule *)a)->code, ((const prose_rule *)b)->code);
}

/*
 * Add r to the set: replaces a rule with the same code from an earlier
 * directory; a clash within the current directory (same load) is an error.
 */
static int prose_add(prose_set *set, prose_rule *r, char *err, size_t errlen)
{
	size_t i;
	r->load = set->load;
	for (i = 0; i < set->n; i++) {
		if (strcmp(set->rules[i].code, r->code) != 0)
			continue;
		if (set->rules[i].load == set->load) {
			rf_err(err, errlen, r->path, 0, 0, "code %s is also used by %s in the same directory", r->code,
			       set->rules[i].path);
			return -1;
		}
		prose_unfinalize(set);  /* other rules may share its context patterns */
		prose_rule_free(&set->rules[i]);
		set->rules[i] = *r;
		return 0;
	}
	if (set->n == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 16;
		set->rules = xrealloc(set->rules, set->cap * sizeof *set->rules);
	}
	set->rules[set->n++] = *r;
	return 0;
}

static int prose_load_one(prose_set *set, const char *path, const char *bytes, size_t len, int builtin,
			  char *err, size_t errlen)
{
	rf_file p;
	prose_rule r;
	int rc = -1;
	if (rf_parse(&p, path, bytes, len, &rule_keys, err, errlen) == 0) {
		if (prose_build_rule(set, &p, &r, err, errlen) == 0) {
			r.builtin = builtin;
			if (prose_add(set, &r, err, errlen) == 0)
				rc = 0;
			else
				prose_rule_free(&r);
		} else {
			prose_rule_free(&r);
		}
	}
	rf_free(&p);
	return rc;
}

/* ---- finalizing: classes, frames, contexts, the prefilter ------------- */

/* The match data must hold every group of code (a rule's frames together have many). */
/* Room in the match data for n captured groups. */
static void prose_groups(prose_set *set, uint32_t n)
{
	if (n + 1 > pcre2_get_ovector_count(set->md)) {
		pcre2_match_data_free(set->md);
		set->md = pcre2_match_data_create(n + 1, set->gctx);
	}
}

/* The key a frame is indexed by: a key without common words, the smallest such. */
static size_t prose_anchor_key(const lang *L, const lang_pattern *p)
{
	size_t i, best = LANG_NONE, bestn = 0;
	int bestc = 1;
	for (i = 0; i < p->nreq; i++) {
		const char *const *w;
		size_t n = lang_key_words(L, p->req[i], &w);
		int c = lang_key_common(L, p->req[i]);
		if (best == LANG_NONE || c < bestc || (c == bestc && n < bestn)) {
			best = p->req[i];
			bestn = n;
			bestc = c;
		}
	}
	return best;
}

/*
 * A rule's contexts as a few patterns, by the place a context is looked
 * for: those whose words the prefilter can list as one pattern plus the
 * list (a stretch without any of the words cannot match, and most do not),
 * and the others (raw fragments) as another.  A match then costs a word
 * scan of its sentence and rarely a search, not one search per pattern.
 */
static int prose_compile_contexts(prose_set *set, prose_rule *r, char *err, size_t errlen)
{
	lang *L = set->L;
	struct ctx_item {
		const lang_seq *s;
		int where, has;
		char **words, **start;
		size_t nw, nstart;
		unsigned back;
	} *it = NULL;
	size_t nit = 0, i, j, k;
	int w, keyed, rc = 0;
	/* each item's words, once */
	for (i = 0; i < r->nctx; i++)
		for (j = 0; j < lang_context_items(L, r->ctx[i]); j++) {
			enum lang_where where;
			struct ctx_item *c;
			it = xrealloc(it, (nit + 1) * sizeof *it);
			c = &it[nit++];
			c->s = lang_context_item(L, r->ctx[i], j, &where);
			c->where = (int)where;
			c->start = NULL;
			c->nstart = 0;
			c->back = 0;
			c->has = lang_seq_words(L, c->s, &c->words, &c->nw) == 0;
			for (k = 0; c->has && k < c->nw; k++)
				c->has = strlen(c->words[k]) <= 48;
			/* 2: tried anchored at its first words; 1: it has words but can
			   start elsewhere ("/;/ ...4 strictly"), searched; 0: raw */
			if (c->has && lang_seq_start(L, c->s, &c->start, &c->nstart, &c->back) == 0)
				c->has = 2;
		}
	for (w = LANG_INSIDE; w <= LANG_SENTENCE && rc == 0; w++)
		for (keyed = 0; keyed < 3 && rc == 0; keyed++) {
			size_t n = 0, nall = 0;
			lang_pattern pat;
			pcre2_code *code;
			for (i = 0; i < nit; i++) {
				if (it[i].where != w || it[i].has != keyed)
					continue;
				if (n == set->cseqcap) {
					set->cseqcap = set->cseqcap ? 2 * set->cseqcap : 16;
					set->cseqs = xrealloc(set->cseqs, set->cseqcap * sizeof *set->cseqs);
				}
				set->cseqs[n++] = it[i].s;
				for (k = 0; keyed && k < it[i].nw; k++) {
					if (nall == set->cwordcap) {
						set->cwordcap = set->cwordcap ? 2 * set->cwordcap : 64;
						set->cwords = xrealloc(set->cwords, set->cwordcap * sizeof *set->cwords);
					}
					set->cwords[nall++] = it[i].words[k];
				}
			}
			if (n && lang_compile_any(L, set->cseqs, n, &pat, err, errlen) != 0) {
				rc = -1;
			} else if (n) {
				/* the keyed items are tried only where their first words
				   stand, anchored there (as a frame is): a search would try
				   the long alternation at every letter */
				unsigned back = 0;
				size_t nstart = 0;
				for (i = 0; i < nit && keyed == 2; i++) {
					if (it[i].where != w || it[i].has != 2)
						continue;
					for (k = 0; k < it[i].nstart; k++) {
						if (nstart == set->cstartcap) {
							set->cstartcap = set->cstartcap ? 2 * set->cstartcap : 64;
							set->cstarts = xrealloc(set->cstarts, set->cstartcap * sizeof *set->cstarts);
						}
						set->cstarts[nstart++] = it[i].start[k];
					}
					back |= it[i].back;
				}
				code = prose_regex_opts(set, pat.regex, keyed == 2 ? PCRE2_ANCHORED : 0, "context", NULL, NULL,
							r->path, r->ctxline, err, errlen);
				lang_pattern_free(&pat);
				if (!code) {
					rc = -1;
				} else if (keyed == 2) {
					r->ctxcode[w] = code;
					r->ctxwords[w] = pf_words_new(set->cwords, nall);
					r->ctxstart[w] = pf_words_new(set->cstarts, nstart);
					r->ctxback[w] = back;
				} else if (keyed == 1) {
					r->ctxsearch[w] = code;
					r->ctxswords[w] = pf_words_new(set->cwords, nall);
				} else {
					r->ctxraw[w] = code;
				}
			}
		}
	for (i = 0; i < nit; i++) {
		for (k = 0; k < it[i].nw; k++)
			free(it[i].words[k]);
		for (k = 0; k < it[i].nstart; k++)
			free(it[i].start[k]);
		free(it[i].words);
		free(it[i].start);
	}
	free(it);
	return rc;
}

static int prose_size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* The same contexts, in any order (r->ctx is resolved). */
static int prose_same_contexts(const prose_rule *a, const prose_rule *b)
{
	size_t x[PROSE_MAX_CONTEXTS], y[PROSE_MAX_CONTEXTS], i;
	if (a->nctx != b->nctx || a->nctx > PROSE_MAX_CONTEXTS)
		return 0;
	memcpy(x, a->ctx, a->nctx * sizeof *x);
	memcpy(y, b->ctx, b->nctx * sizeof *y);
	qsort(x, a->nctx, sizeof *x, prose_size_cmp);
	qsort(y, b->nctx, sizeof *y, prose_size_cmp);
	for (i = 0; i < a->nctx; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

/*
 * Rules with the same contexts (most prose rules list the same few) share
 * one set of context patterns: compiled once, JIT-compiled once.
 */
static int prose_share_contexts(prose_set *set, size_t i)
{
	prose_rule *r = &set->rules[i];
	size_t j, w;
	for (j = 0; j < i; j++) {
		const prose_rule *o = &set->rules[j];
		if (!o->ctxshared && prose_same_contexts(r, o)) {
			for (w = 0; w < 4; w++) {
				r->ctxcode[w] = o->ctxcode[w];
				r->ctxraw[w] = o->ctxraw[w];
				r->ctxwords[w] = o->ctxwords[w];
				r->ctxstart[w] = o->ctxstart[w];
				r->ctxback[w] = o->ctxback[w];
				r->ctxsearch[w] = o->ctxsearch[w];
				r->ctxswords[w] = o->ctxswords[w];
			}
			r->ctxshared = 1;
			return 1;
		}
	}
	return 0;
}

static int prose_bind_models(prose_set *set, char *err, size_t errlen);

static int prose_finalize(prose_set *set, char *err, size_t errlen)
{
	lang *L = set->L;
	size_t i, j;
	prose_unfinalize(set);
	if (lang_finalize(L, err, errlen) != 0)
		return -1;
	set->nxcode = lang_class_count(L);
	/* zeroed: a class whose except pattern fails to compile returns
	   before the later ones are set, and prose_unfinalize frees them all */
	set->xcode = xcalloc(set->nxcode + 1, sizeof *set->xcode);
	set->xwords = xcalloc(set->nxcode + 1, sizeof *set->xwords);
	for (i = 0; i < set->nxcode; i++) {
		const char *x = lang_class_except(L, i);
		const char *const *xw;
		size_t nxw;
		char what[96];
		const char *xpath;
		unsigned long xline;
		if (!x)
			continue;
		nxw = lang_class_except_words(L, i, &xw);
		set->xwords[i] = pf_words_new((char *const *)xw, nxw);
		snprintf(what, sizeof what, "except (class '%.60s')", lang_class_name(L, i));
		lang_class_except_at(L, i, &xpath, &xline);
		if (!(set->xcode[i] = prose_regex(set, x, what, NULL, NULL, xpath, xline, err, errlen)))
			return -1;
	}
	for (i = 0; i < set->n; i++) {
		prose_rule *r = &set->rules[i];
		free(r->ctx);
		r->ctx = xmalloc((r->nctx + 1) * sizeof *r->ctx);
		for (j = 0; j < r->nctx; j++) {
			r->ctx[j] = lang_context_find(L, r->ctxname[j]);
			if (r->ctx[j] == LANG_NONE) {
				rf_err(err, errlen, r->path, r->ctxline, 0, "unknown context '%s'%s", r->ctxname[j],
				       lang_context_count(L) ? "" : " (no .words file defines any context)");
				return -1;
			}
		}
		if (!prose_share_contexts(set, i) && prose_compile_contexts(set, r, err, errlen) != 0)
			return -1;
		for (j = 0; j < r->nframes; j++) {
			prose_frame *f = &r->frames[j];
			if (lang_compile(L, f->seq, 1, &f->pat, err, errlen) != 0)
				return -1;
			f->broken = 0;
			prose_groups(set, (uint32_t)f->pat.ncap);
			/* Compiling is most of a small run's time and a text wakes few
			   frames: the built-in rules' frames (each proved to compile and
			   fire by `lossc rules --test` in make check) compile when first
			   run.  A team's file can break any pattern it touches, so with
			   one loaded every frame compiles now and errors name the line. */
			if (!set->team)
				continue;
			f->code = prose_regex(set, f->pat.regex, "frame", NULL, NULL, r->path, f->line, err, errlen);
			if (!f->code)
				return -1;
		}
	}
	for (i = 0; i < set->n; i++) {
		prose_rule *r = &set->rules[i];
		r->anchored = r->keyless = 0;
		for (j = 0; j < r->nframes; j++) {
			if (r->frames[j].pat.nreq)
				r->anchored = 1;
			else
				r->keyless = 1;
		}
	}
	set->pf = pf_new(L);
	if (set->pm && prose_bind_models(set, err, errlen) != 0)
		return -1;
	set->nkeys = lang_key_count(L);
	set->anch = xmalloc((set->nkeys + 1) * sizeof *set->anch);
	set->nanch = xmalloc((set->nkeys + 1) * sizeof *set->nanch);
	memset(set->anch, 0, (set->nkeys + 1) * sizeof *set->anch);
	memset(set->nanch, 0, (set->nkeys + 1) * sizeof *set->nanch);
	{
		size_t words = pf_set_words(set->pf), nneed = 0, q;
		for (i = 0; i < set->n; i++)
			nneed += set->rules[i].nframes;
		set->anchors = xmalloc(words * sizeof *set->anchors);
		memset(set->anchors, 0, words * sizeof *set->anchors);
		set->need = xmalloc((nneed + 1) * words * sizeof *set->need);
		memset(set->need, 0, (nneed + 1) * words * sizeof *set->need);
		nneed = 0;
		for (i = 0; i < set->n; i++)
			for (j = 0; j < set->rules[i].nframes; j++) {
				const lang_pattern *p = &set->rules[i].frames[j].pat;
				size_t k = prose_anchor_key(L, p);
				struct prose_anchor *a;
				if (k == LANG_NONE)
					continue;       /* no key: runs over whole texts, like a pattern */
				set->anch[k] = xrealloc(set->anch[k], (set->nanch[k] + 1) * sizeof **set->anch);
				a = &set->anch[k][set->nanch[k]++];
				a->rule = i;
				a->frame = j;
				a->need = nneed * words;
				set->anchors[k / 64] |= (uint64_t)1 << (k % 64);
				for (q = 0; q < p->nreq; q++)
					set->need[a->need + p->req[q] / 64] |= (uint64_t)1 << (p->req[q] % 64);
				nneed++;
			}
	}
	return 0;
}

/* The models' facts about each prefilter key word (prose_model_tokens reads them per hit). */
static void prose_model_words(prose_set *set)
{
	size_t i;
	free(set->pminfo);
	set->pminfo = xmalloc((pf_word_count(set->pf) + 1) * sizeof *set->pminfo);
	for (i = 0; i < pf_word_count(set->pf); i++) {
		size_t len;
		const char *w = pf_word_text(set->pf, i, &len);
		set->pminfo[i].classes = pm_word_info(set->pm, w, len, &set->pminfo[i].prefix);
	}
}

/* Resolve the models' classes and the rules they report under. */
static int prose_bind_models(prose_set *set, char *err, size_t errlen)
{
	size_t i, j;
	if (pm_bind(set->pm, set->L, err, errlen) != 0)
		return -1;
	free(set->pmrule);
	set->pmrule = xmalloc((pm_count(set->pm) + 1) * sizeof *set->pmrule);
	for (i = 0; i < pm_count(set->pm); i++) {
		const pm_model *m = pm_at(set->pm, i);
		for (j = 0; j < set->n && strcmp(set->rules[j].code, m->code) != 0; j++)
			;
		if (j == set->n) {
			rf_err(err, errlen, m->path, m->line, m->col,
			       "the model reports under %s, which no rule file defines", m->code);
			return -1;
		}
		set->pmrule[i] = j;
	}
	prose_model_words(set);
	return 0;
}

/* The end of a public load call: finalize unless prose_load_all finalizes later. */
static int prose_loaded(prose_set *set, int rc, char *err, size_t errlen)
{
	if (set->n > 1)          /* qsort(NULL, 0, ...) is undefined: an empty set has no array */
		qsort(set->rules, set->n, sizeof *set->rules, prose_cmp_rule);
	if (rc != 0 || set->defer)
		return rc;
	return prose_finalize(set, err, errlen);
}

int prose_load_buffer(prose_set *set, const char *path, const char *bytes, size_t len,
		      int builtin, char *err, size_t errlen)
{
	set->load++;
	set->team |= !builtin;
	return prose_loaded(set, prose_load_one(set, path, bytes, len, builtin, err, errlen), err, errlen);
}

int prose_load_words_buffer(prose_set *set, const char *path, const char *bytes, size_t len,
			    char *err, size_t errlen)
{
	set->load++;
	set->team = 1;          /* (words from a buffer are never the built-in files) */
	return prose_loaded(set, lang_load(set->L, path, bytes, len, err, errlen), err, errlen);
}

int prose_load_model_buffer(prose_set *set, const char *path, const char *bytes, size_t len,
			    char *err, size_t errlen)
{
	set->load++;
	set->team = 1;
	if (!set->pm)
		set->pm = pm_new();
	return prose_loaded(set, pm_load(set->pm, path, bytes, len, err, errlen), err, errlen);
}

static int prose_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int prose_has_suffix(const char *name, const char *suf)
{
	size_t l = strlen(name), k = strlen(suf);
	return l > k && strcmp(name + l - k, suf) == 0;
}

/* Read every "*.words" file of dir, then every "*.rule" file, each kind in name order. */
int prose_load_dir(prose_set *set, const char *dir, int builtin, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0, pass;
	set->load++;
	set->team |= !builtin;
	if (!d) {
		rf_err(err, errlen, dir, 0, 0, "cannot open rule directory: %s", strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' ||
		    !(prose_has_suffix(de->d_name, ".rule") || prose_has_suffix(de->d_name, ".words") ||
		      prose_has_suffix(de->d_name, ".model")))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = rf_strndup(de->d_name, strlen(de->d_name));
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, prose_cmp_str);
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n && rc == 0; i++) {
			size_t dl = strlen(dir), len;
			char *path, *bytes;
			int words = prose_has_suffix(names[i], ".words");
			int model = prose_has_suffix(names[i], ".model");
			if (words != (pass == 0))
				continue;
			path = xmalloc(dl + strlen(names[i]) + 2);
			sprintf(path, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", names[i]);
			if (rf_read_file(path, words ? "word-class file" : model ? "model file" : "rule file", &bytes,
					 &len, err, errlen) != 0) {
				rc = -1;
			} else {
				if (model && !set->pm)
					set->pm = pm_new();
				rc = words ? lang_load(set->L, path, bytes, len, err, errlen)
				     : model ? pm_load(set->pm, path, bytes, len, err, errlen)
					     : prose_load_one(set, path, bytes, len, builtin, err, errlen);
				free(bytes);
			}
			free(path);
		}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return prose_loaded(set, rc, err, errlen);
}

/* ---- finding the built-in rules --------------------------------------- */

static int prose_is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* buf names an existing directory: canonicalise it in place (for messages) and return it. */
static const char *prose_found(char *buf, size_t size)
{
	char real[PATH_MAX];
	if (realpath(buf, real) && strlen(real) < size)
		strcpy(buf, real);
	return buf;
}

const char *prose_builtin_dir(void)
{
	static char buf[PATH_MAX + 64];
	char exe[PATH_MAX];
	ssize_t n;
	const char *env = getenv("LOSSC_RULES_DIR");
	if (env && *env)
		return prose_is_dir(env) ? env : NULL;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
#ifdef LOSSC_BUILDDIR
		{
			/* Running from the build tree: the source tree's rules are the
			   ones being developed, even when an older copy is installed. */
			char real_build[PATH_MAX];
			if (realpath(LOSSC_BUILDDIR, real_build) && strcmp(real_build, exe) == 0) {
				snprintf(buf, sizeof buf, "%s/rules", LOSSC_SRCDIR);
				if (prose_is_dir(buf))
					return prose_found(buf, sizeof buf);
			}
		}
#endif
	}
#ifdef LOSSC_DATADIR
	snprintf(buf, sizeof buf, "%s/rules", LOSSC_DATADIR);
	if (prose_is_dir(buf))
		return prose_found(buf, sizeof buf);
#endif
#ifdef LOSSC_SRCDIR
	snprintf(buf, sizeof buf, "%s/rules", LOSSC_SRCDIR);
	if (prose_is_dir(buf))
		return prose_found(buf, sizeof buf);
#endif
	if (n > 0) {
		snprintf(buf, sizeof buf, "%s/rules", exe);
		if (prose_is_dir(buf))
			return prose_found(buf, sizeof buf);
		snprintf(buf, sizeof buf, "%s/../share/lossc/rules", exe);
		if (prose_is_dir(buf))
			return prose_found(buf, sizeof buf);
	}
	return NULL;
}

/* ---- matching ---------------------------------------------------------- */

static int prose_is_end_punct(char c)
{
	return c == '.' || c == '!' || c == '?';
}

static int prose_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The sentence around [s, e): after the previous ". " up to and including the next end mark. */
static void prose_sentence(const char *t, size_t len, size_t s, size_t e, size_t *ss, size_t *se)
{
	size_t a = s, b = e;
	while (a > 0 && !(prose_is_end_punct(t[a - 1]) && (a >= len || prose_is_space(t[a]))))
		a--;
	while (b < len && !(prose_is_end_punct(t[b]) && (b + 1 >= len || prose_is_space(t[b + 1]))))
		b++;
	if (b < len)
		b++;
	*ss = a;
	*se = b;
}

/* Advance past one UTF-8 character. */
static size_t prose_next_char(const char *t, size_t len, size_t i)
{
	if (i >= len)
		return len + 1;
	i++;
	while (i < len && ((unsigned char)t[i] & 0xc0) == 0x80)
		i++;
	return i;
}

/* One rule (one pattern or one frame of it) running over one text. */
struct prose_scan {
	prose_set *set;
	const prose_rule *r;
	size_t only;                    /* the frame running, LANG_NONE for a raw pattern */
	const prose_frame *f;           /* that frame */
	pcre2_code *code;
	const char *t;
	size_t len;
	/* not NULL: code is anchored, and a match can start only at these
	   offsets (ascending), the positions of the frame's start words */
	const size_t *cand;
	size_t ncand;
};

/*
 * The leftmost match of the running pattern in t[off..end): one search,
 * or, for an anchored frame, one anchored try per start word from off
 * on.  The two find the same match: a search tries every start in order,
 * and no match can start anywhere but at a start word.
 */
static int prose_search(struct prose_scan *sc, size_t end, size_t off, uint32_t opts)
{
	size_t i, hi;
	if (!sc->cand)
		return prose_exec(sc->set, sc->code, sc->t, end, off, opts);
	/* the first start word at or after off: found by halving, as a scan
	   from the first would make a text of n matches take n^2 steps */
	for (i = 0, hi = sc->ncand; i < hi;) {
		size_t mid = i + (hi - i) / 2;
		if (sc->cand[mid] < off)
			i = mid + 1;
		else
			hi = mid;
	}
	for (; i < sc->ncand && sc->cand[i] < end; i++) {
		int rc;
		rc = prose_exec(sc->set, sc->code, sc->t, end, sc->cand[i], opts);
		if (rc != PCRE2_ERROR_NOMATCH)
			return rc;
	}
	return PCRE2_ERROR_NOMATCH;
}

/*
 * Does rule r's context pattern with words for place w match in
 * t[from..to)?  It is anchored, and tried where its first words stand
 * (and their leads before them), or at every character where the stretch
 * holds a folding character or the set searches: a search is exactly
 * that, and the answer is only whether some start matches.
 */
static int prose_context_at(prose_set *set, const prose_rule *r, int w, const char *t, size_t from, size_t to)
{
	pcre2_code *code = prose_ready(r->ctxcode[w]);
	size_t n, i, b;
	int fold = 0;
	n = pf_words_at(r->ctxstart[w], t, from, to, &set->ctxat, &set->ctxatcap, &fold);
	if (fold || set->search_only) {
		for (i = from; i < to; i = prose_next_char(t, to, i))
			if (prose_exec(set, code, t, to, i, 0) >= 0)
				return 1;
		return 0;
	}
	for (i = 0; i < n; i++)
		for (b = 0; b <= LANG_START_BACK_MAX; b++)
			if ((r->ctxback[w] >> b) & 1u && set->ctxat[i] >= from + b &&
			    prose_exec(set, code, t, to, set->ctxat[i] - b, 0) >= 0)
				return 1;
	return 0;
}

/*
 * The sentence does not assert the match: one of the rule's contexts
 * occurs where it says (before, inside, after the match, or anywhere in
 * the sentence), or one of its `unless` patterns matches the sentence.
 */
static int prose_excluded(const struct prose_scan *sc, size_t ms, size_t me)
{
	prose_set *set = sc->set;
	const prose_rule *r = sc->r;
	size_t ss, se, i;
	int w;
	if (!r->nctx && !r->nunless)
		return 0;
	prose_sentence(sc->t, sc->len, ms, me, &ss, &se);
	for (w = LANG_INSIDE; w <= LANG_SENTENCE; w++) {
		size_t from = w == LANG_INSIDE ? ms : w == LANG_AFTER ? me : ss;
		size_t to = w == LANG_INSIDE ? me : w == LANG_BEFORE ? ms : se;
		if (from >= to)
			continue;
		if (r->ctxcode[w] && pf_words_any(r->ctxwords[w], sc->t, from, to) &&
		    prose_context_at(set, r, w, sc->t, from, to))
			return 1;
		if (r->ctxsearch[w] && pf_words_any(r->ctxswords[w], sc->t, from, to) &&
		    prose_exec(set, prose_ready(r->ctxsearch[w]), sc->t, to, from, 0) >= 0)
			return 1;
		if (r->ctxraw[w] && prose_exec(set, prose_ready(r->ctxraw[w]), sc->t, to, from, 0) >= 0)
			return 1;
	}
	for (i = 0; i < r->nunless; i++)
		if (pcre2_match(r->unless[i].code, (PCRE2_SPTR)(sc->t + ss), se - ss, 0, PCRE2_NO_UTF_CHECK, set->md,
				set->mctx) >= 0)
			return 1;
	return 0;
}

/* How far before a word a compound holding it may start ("reward model" holds "model"). */
#define PROSE_COMPOUND_REACH 64

/* A captured word is part of one of its class's technical compounds ("reward model"). */
static int prose_compound(const struct prose_scan *sc, const prose_hit *h, size_t from, size_t to)
{
	size_t i;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->set->md);
	for (i = 0; i < h->nwords; i++) {
		size_t cls = h->words[i].clsidx, off = from;
		pcre2_code *x = sc->set->xcode[cls];
		/* a compound holding the word holds one of its words: most words are in none */
		if (!x || !pf_words_any(sc->set->xwords[cls], sc->t, h->words[i].start, h->words[i].end))
			continue;
		x = prose_ready(x);
		size_t end = to;
		/* search near the word only (a long text has many words), at character boundaries */
		if (h->words[i].start > from + PROSE_COMPOUND_REACH) {
			off = h->words[i].start - PROSE_COMPOUND_REACH;
			while (off > from && ((unsigned char)sc->t[off] & 0xc0) == 0x80)
				off--;
		}
		if (h->words[i].end + PROSE_COMPOUND_REACH < to) {
			end = h->words[i].end + PROSE_COMPOUND_REACH;
			while (end < to && ((unsigned char)sc->t[end] & 0xc0) == 0x80)
				end++;
		}
		if (!x || h->words[i].end <= h->words[i].start)
			continue;
		while (off < end && prose_exec(sc->set, x, sc->t, end, off, 0) >= 0) {
			if (ov[0] > h->words[i].start)
				break;
			if (ov[1] >= h->words[i].end)
				return 1;
			off = prose_next_char(sc->t, end, ov[0]);
		}
	}
	return 0;
}

/*
 * A frame's match the sentence does not assert (prose_excluded): the
 * models leave its segment alone.  Their span runs from the first word
 * that decided, which may be the very cue that ruled the claim out ("It
 * is tempting to say the model wants ...": "It" is an agent word), so
 * the contexts alone cannot stop them reporting it again.
 */
static void prose_rule_out(prose_set *set, size_t start, size_t end)
{
	if (!set->pm || set->models_off)
		return;
	if (set->nruled + 2 > set->ruledcap) {
		set->ruledcap = set->ruledcap ? 2 * set->ruledcap : 16;
		set->ruled = xrealloc(set->ruled, set->ruledcap * sizeof *set->ruled);
	}
	set->ruled[set->nruled++] = start;
	set->ruled[set->nruled++] = end;
}

static void prose_push(prose_set *set, const prose_hit *h)
{
	if (set->nhits == set->hcap) {
		set->hcap = set->hcap ? 2 * set->hcap : 16;
		set->hits = xrealloc(set->hits, set->hcap * sizeof *set->hits);
	}
	set->hits[set->nhits++] = *h;
}

/* The match in set->md (rc as pcre2_match returned it) as a hit with its named words. */
static void prose_fill(struct prose_scan *sc, int rc, prose_hit *h)
{
	prose_set *set = sc->set;
	const prose_rule *r = sc->r;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(set->md);
	size_t i;
	memset(h, 0, sizeof *h);
	h->rule = r;
	h->start = ov[0];
	h->end = ov[1];
	if (rc == 0)            /* every ovector pair is set */
		rc = (int)pcre2_get_ovector_count(set->md);
	for (i = 0; sc->f && i < (size_t)sc->f->pat.ncap && (int)(i + 1) < rc; i++) {
		size_t g = i + 1;
		if (ov[2 * g] == PCRE2_UNSET)
			continue;
		h->words[h->nwords].start = ov[2 * g];
		h->words[h->nwords].end = ov[2 * g + 1];
		h->words[h->nwords].cls = lang_class_name(set->L, sc->f->pat.cap[i]);
		h->words[h->nwords].clsidx = sc->f->pat.cap[i];
		h->nwords++;
	}
}

/*
 * The leftmost match may start far before the claim ("ratings.jsonl,
 * where the reward is aligned with ..."): while the pattern also matches
 * from a later start and ends no later, take that tighter match.
 */
static void prose_tighten(struct prose_scan *sc, size_t to, uint32_t opts, prose_hit *h)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->set->md);
	(void)to;
	for (;;) {
		size_t next = prose_next_char(sc->t, h->end, h->start);
		int rc;
		if (next >= h->end)
			return;
		/* a tighter match ends no later: the subject can stop at this one's end */
		rc = prose_search(sc, h->end, next, opts);
		if (rc < 0 || ov[1] > h->end || ov[1] <= ov[0])
			return;
		prose_fill(sc, rc, h);
	}
}

/*
 * One pattern over t[from..to).  Returns 0, or 1 on a limit with *where
 * set.  A match inside a technical compound, or one its sentence does not
 * assert, is retried one character later: the pattern may match again
 * with other words.
 */
static int prose_scan_range(struct prose_scan *sc, size_t from, size_t to, uint32_t opts, size_t *where)
{
	prose_set *set = sc->set;
	size_t off = from;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(set->md);
	while (off <= to) {
		prose_hit h;
		int rc = prose_search(sc, to, off, opts);
		if (rc == PCRE2_ERROR_NOMATCH)
			return 0;
		if (rc == PCRE2_ERROR_NOMEMORY)   /* not the pattern's fault: no LS200 */
			xalloc_die();   /* GCOVR_EXCL_LINE: PCRE2 allocates through prose_pcre2_malloc, which dies first */
		if (rc < 0) {
			*where = off;
			return 1;
		}
		if (ov[1] <= ov[0]) {
			/* Empty match (only possible past lookarounds/\K): never a finding. */
			off = prose_next_char(sc->t, to, ov[0] > off ? ov[0] : off);
			continue;
		}
		prose_fill(sc, rc, &h);
		if (sc->f)
			prose_tighten(sc, to, opts, &h);
		if (sc->f && h.nwords && prose_compound(sc, &h, from, to)) {
			off = prose_next_char(sc->t, to, h.start);
			continue;
		}
		if (prose_excluded(sc, h.start, h.end)) {
			if (sc->f)
				prose_rule_out(set, h.start, h.end);
			/* a later start in the same clause may be asserted ("X doesn't want A, it wants B") */
			off = prose_next_char(sc->t, to, h.start);
			continue;
		}
		off = h.end;
		prose_push(set, &h);
	}
	return 0;
}

/*
 * One pattern over t[from..to), in windows when it must.  The limit
 * counts all start positions of one call, so an honest pattern over a
 * huge text can exhaust it: the rest of the text is then retried
 * sentence by sentence (windows of at most PROSE_WINDOW bytes); a window
 * that still fails means the pattern itself is the problem.
 */
static int prose_scan(struct prose_scan *sc, size_t from, size_t to, size_t *gave_up_at)
{
	const char *text = sc->t;
	size_t where = 0;
	if (prose_scan_range(sc, from, to, 0, &where) == 0)
		return 0;
	if (to - where <= PROSE_WINDOW) {
		*gave_up_at = where;
		return 1;
	}
	while (where < to) {
		size_t end = where, hard = where + PROSE_WINDOW, w2 = 0;
		if (hard >= to) {
			end = to;
		} else {
			while (end < hard && !(prose_is_end_punct(text[end]) && prose_is_space(text[end + 1])))
				end++;
			if (end < hard) {
				end += 2;       /* the mark and the blank after it */
			} else {
				/* no sentence end: cut after a blank, so \b stays honest */
				while (end > where && !prose_is_space(text[end - 1]))
					end--;
				if (end == where)
					end = hard;
				while (end < to && ((unsigned char)text[end] & 0xc0) == 0x80)
					end++;
			}
		}
		/* '$' must not match at a window's artificial end */
		if (prose_scan_range(sc, where, end, end < sc->len ? PCRE2_NOTEOL : 0, &w2) != 0) {
			*gave_up_at = w2;
			return 1;
		}
		where = end;
	}
	return 0;
}

/* Rule ri gave up at where: one hit saying so, and the rule is off for this text. */
static void prose_gave_up(prose_set *set, size_t ri, size_t where)
{
	prose_hit h;
	memset(&h, 0, sizeof h);
	h.rule = &set->rules[ri];
	h.start = h.end = where;
	h.gave_up = 1;
	prose_push(set, &h);
	set->run[ri] = 0;
}

static int prose_cmp_hit(const void *a, const void *b)
{
	const prose_hit *x = a, *y = b;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return 0;
}

static int prose_same_concept(const prose_rule *a, const prose_rule *b)
{
	return a->concept && b->concept && strcmp(a->concept, b->concept) == 0;
}

/*
 * Sort the hits rule by rule in text order.  One problem gets one
 * finding: of overlapping hits of one rule keep the first, and where
 * rules of one concept overlap, the rule with the lower code (the older
 * one) keeps the span.
 */
struct prose_ord {                      /* a hit, for the sweep in text order */
	size_t start, end, idx;
	const prose_rule *rule;
};

static int prose_cmp_ord(const void *a, const void *b)
{
	const struct prose_ord *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static void prose_settle(prose_set *set)
{
	size_t i, j, k = 0, n, nact = 0;
	struct prose_ord *ord;
	size_t *act;
	unsigned char *drop;
	if (set->nhits > 1)
		qsort(set->hits, set->nhits, sizeof *set->hits, prose_cmp_hit);
	for (i = 0; i < set->nhits; i++) {
		const prose_hit *h = &set->hits[i];
		if (k > 0 && !h->gave_up && !set->hits[k - 1].gave_up && set->hits[k - 1].rule == h->rule &&
		    h->start < set->hits[k - 1].end)
			continue;
		set->hits[k++] = *h;
	}
	set->nhits = n = k;
	if (n < 2)
		return;
	/* Across rules: sweep in text order with the kept hits still open;
	   of two overlapping hits of one concept the lower code stays. */
	ord = xmalloc(n * sizeof *ord);
	act = xmalloc(n * sizeof *act);
	drop = xmalloc(n);
	memset(drop, 0, n);
	for (i = 0; i < n; i++) {
		ord[i].start = set->hits[i].start;
		ord[i].end = set->hits[i].end;
		ord[i].idx = i;
		ord[i].rule = set->hits[i].rule;
	}
	qsort(ord, n, sizeof *ord, prose_cmp_ord);
	for (i = 0; i < n; i++) {
		const struct prose_ord *h = &ord[i];
		int out = set->hits[h->idx].gave_up;
		for (j = k = 0; j < nact; j++)          /* close the hits that end before this one */
			if (ord[act[j]].end > h->start && !drop[ord[act[j]].idx])
				act[k++] = act[j];
		nact = k;
		for (j = 0; j < nact && !out; j++) {
			const struct prose_ord *g = &ord[act[j]];
			if (g->rule == h->rule || !prose_same_concept(g->rule, h->rule))
				continue;
			if (strcmp(g->rule->code, h->rule->code) < 0)
				out = 1;
			else
				drop[g->idx] = 1;
		}
		if (out && !set->hits[h->idx].gave_up)
			drop[h->idx] = 1;
		else
			act[nact++] = i;
	}
	for (i = k = 0; i < n; i++)
		if (!drop[i])
			set->hits[k++] = set->hits[i];
	set->nhits = k;
	free(ord);
	free(act);
	free(drop);
}

/*
 * A built-in frame's pattern, compiled the first time a text wakes it.
 * It cannot fail for a shipped rule (`lossc rules --test` compiles and
 * fires every frame); if it does, say so once and skip the frame.
 */
static int prose_compile_frame(prose_set *set, const prose_rule *r, prose_frame *f, int anchored)
{
	char err[512];
	void **code = anchored ? &f->acode : &f->code;
	if (f->broken)
		return 0;
	*code = prose_regex_opts(set, f->pat.regex, anchored ? PCRE2_ANCHORED : 0, "frame", NULL, NULL, r->path,
				 f->line, err, sizeof err);
	if (!*code) {
		f->broken = 1;
		fprintf(stderr, "lossc: internal error: built-in %s\n", err);
		return 0;
	}
	return 1;
}

/*
 * The last offset of clause cl at which pattern p can start a match:
 * each keyed word of a frame (lang.h: req, in the frame's order) lies
 * inside the match, after the words before it, so a match starting at c
 * needs a word of req[0] at or after c, a word of req[1] after that one,
 * and so on.  Chosen from the right, the latest such chain starts at the
 * offset put in *last; -1 when the clause holds no chain at all.
 */
static int prose_last_start(const pf_clause *cl, const lang_pattern *p, size_t *last)
{
	size_t q = cl->end, i, h;
	for (i = p->nreq; i-- > 0;) {
		size_t k = p->req[i];
		for (h = cl->nhits; h-- > 0;)
			if (cl->hits[h].at < q && ((cl->hits[h].keys[k / 64] >> (k % 64)) & 1u))
				break;
		if (h == (size_t)-1)
			return -1;
		q = cl->hits[h].at;
	}
	*last = q;
	return 0;
}

/* Sort a few offsets and drop repeats; returns how many are left. */
static size_t prose_sort_offsets(size_t *v, size_t n)
{
	size_t i, j, k;
	for (i = 1; i < n; i++) {
		size_t x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	for (i = k = 0; i < n; i++)
		if (k == 0 || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

/*
 * Frame k of rule ri over t[from..to), which is clause cl of the
 * prefilter or (cl NULL, a frame without keys) the whole text.  In a
 * clause whose word positions hold (not cl->fold), a frame whose start
 * words are known (lang.h: pat.start) is tried only where one of them
 * stands, anchored there: most clauses have one or two such words, and
 * a search would try the frame at nearly every letter.
 */
static void prose_run_frame(prose_set *set, struct prose_scan *sc, size_t ri, size_t k, const pf_clause *cl,
			    size_t from, size_t to)
{
	const prose_rule *r = &set->rules[ri];
	prose_frame *f = &r->frames[k];
	size_t where = 0, i, st = f->pat.start;
	int anchored = cl && !cl->fold && st != LANG_NONE && !set->search_only;
	sc->r = r;
	sc->only = k;
	sc->f = f;
	sc->cand = NULL;
	sc->ncand = 0;
	if (anchored) {
		unsigned back = f->pat.startback;
		size_t nb = (size_t)__builtin_popcount(back), b, last;
		if (prose_last_start(cl, &f->pat, &last) != 0)
			return;         /* its key words are not all there in its order */
		if (set->candcap < cl->nhits * nb) {
			set->candcap = cl->nhits * nb;
			set->cand = xrealloc(set->cand, set->candcap * sizeof *set->cand);
		}
		for (i = 0; i < cl->nhits; i++) {
			if (!((cl->hits[i].keys[st / 64] >> (st % 64)) & 1u))
				continue;
			for (b = 0; b <= LANG_START_BACK_MAX; b++)
				if ((back >> b) & 1u && cl->hits[i].at >= from + b && cl->hits[i].at - b <= last)
					set->cand[sc->ncand++] = cl->hits[i].at - b;
		}
		if (!sc->ncand)
			return;         /* none of its start words: it cannot match here */
		if (back != 1)          /* a word's lead can reach before the word before it */
			sc->ncand = prose_sort_offsets(set->cand, sc->ncand);
		sc->cand = set->cand;
	}
	if (!(anchored ? f->acode : f->code) && !prose_compile_frame(set, r, f, anchored))
		return;
	sc->code = prose_ready(anchored ? f->acode : f->code);
	if (sc->code && prose_scan(sc, from, to, &where))
		prose_gave_up(set, ri, where);
}

/*
 * Every hit of the rules that run on text[0..len) into set->hits.  only
 * (when not NULL) runs that rule alone, and only_frame (when not
 * LANG_NONE) that one of its frames alone.
 */
/* A byte of a word as the models read words (prosemodel.c: letters, digits, '_'). */
static int prose_model_word_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/*
 * The classed words a model sees in a clause: those that start at one of
 * the clause's prefilter key words (pf_scan found them already), or, in a
 * clause whose word positions cannot be trusted (fold), every word.
 */
static size_t prose_model_tokens(prose_set *set, const pm_set *pm, const char *t, const pf_clause *cl,
				 pm_token **tok, size_t *cap)
{
	size_t i, n = 0, last = 0;
	if (cl->fold)
		return pm_tokens(pm, t, cl->start, cl->end, tok, cap);
	if (*cap < cl->nhits + 1) {
		*cap = cl->nhits + 1;
		*tok = xrealloc(*tok, *cap * sizeof **tok);
	}
	for (i = 0; i < cl->nhits; i++) {
		size_t at = cl->hits[i].at, w = pf_hit_word(set->pf, &cl->hits[i]), len;
		const struct prose_pminfo *info;
		if (at < last || (at > 0 && prose_model_word_byte(t[at - 1])))
			continue;
		if (pm != set->pm) {            /* (prose_model_dump's table of every class) */
			n += pm_token_at(pm, t, at, cl->end, &(*tok)[n]);
		} else {
			info = &set->pminfo[w];
			pf_word_text(set->pf, w, &len);
			if (info->prefix || (at + len < cl->end && prose_model_word_byte(t[at + len])))
				n += pm_token_at(pm, t, at, cl->end, &(*tok)[n]);
			else if (info->classes) {
				(*tok)[n].start = at;
				(*tok)[n].end = at + len;
				(*tok)[n++].classes = info->classes;
			}
		}
		if (n)
			last = (*tok)[n - 1].end;
	}
	return n;
}

#define PROSE_MODEL_SEGMENTS 16

/*
 * Where a clause's segments start for the models: at a comma before a
 * subordinator ("..., which is where the reward model was trained and is
 * trustworthy"), whose clause says something of its own: its words are
 * not roles of the claim before it.  Returns the number of cuts (byte
 * offsets, ascending) written to cut.
 */
static size_t prose_model_cuts(const char *t, size_t from, size_t to, size_t *cut)
{
	static const char *const sub[] = {"which", "where", "who", "whom", "whose", "while", "whereas",
					  "although", "though", "because", "since", "unless"};
	size_t n = 0, i, j, k;
	for (i = from; i < to && n < PROSE_MODEL_SEGMENTS - 1; i++) {
		if (t[i] != ',')
			continue;
		for (j = i + 1; j < to && t[j] == ' '; j++)
			;
		for (k = 0; k < sizeof sub / sizeof *sub; k++) {
			size_t l = strlen(sub[k]);
			if (j + l <= to && strncasecmp(t + j, sub[k], l) == 0 &&
			    (j + l == to || !prose_model_word_byte(t[j + l]))) {
				cut[n++] = i;
				break;
			}
		}
	}
	return n;
}

/*
 * The models on one segment's tokens: the model scoring highest above its
 * threshold reports, under its rule, from the first to the last word that
 * carried the decision, naming those words; the rule's contexts apply to
 * that span as to a frame's match.
 */
static void prose_run_segment(prose_set *set, struct prose_scan *sc, const pm_token *tok, size_t n)
{
	size_t i, first = LANG_NONE, last = 0, best = LANG_NONE;
	double bestz = 0;
	prose_hit h;
	if (n == 0)
		return;
	for (i = 0; i < set->nruled; i += 2)
		if (set->ruled[i] < tok[n - 1].end && set->ruled[i + 1] > tok[0].start)
			return;
	for (i = 0; i < pm_count(set->pm); i++) {
		const pm_model *m = pm_at(set->pm, i);
		double z;
		if (!set->run[set->pmrule[i]] || !pm_gate(m, tok, n))
			continue;
		z = pm_score(m, tok, n) - m->threshold;
		if (z > 0 && (best == LANG_NONE || z > bestz)) {
			best = i;
			bestz = z;
		}
	}
	if (best == LANG_NONE)
		return;
	if (set->tkcap < n) {
		set->tkcap = n;
		set->tkeep = xrealloc(set->tkeep, n);
		set->tcls = xrealloc(set->tcls, n * sizeof *set->tcls);
	}
	pm_triggers(pm_at(set->pm, best), tok, n, set->tkeep, set->tcls);
	memset(&h, 0, sizeof h);
	h.rule = &set->rules[set->pmrule[best]];
	for (i = 0; i < n; i++) {
		if (!set->tkeep[i])
			continue;
		if (first == LANG_NONE)
			first = i;
		last = i;
		if (h.nwords < PROSE_MAX_WORDS) {
			const char *name = pm_class_name(set->pm, set->tcls[i]);
			h.words[h.nwords].start = tok[i].start;
			h.words[h.nwords].end = tok[i].end;
			h.words[h.nwords].cls = name;
			h.words[h.nwords].clsidx = lang_class_find(set->L, name);
			h.nwords++;
		}
	}
	if (first == LANG_NONE)
		return;
	h.start = tok[first].start;
	h.end = tok[last].end;
	sc->r = h.rule;
	sc->f = NULL;
	/* a word inside one of its class's technical compounds ("PID controller",
	   "reward model") is not that class's word here, as in a frame */
	if (prose_compound(sc, &h, 0, sc->len) || prose_excluded(sc, h.start, h.end))
		return;
	prose_push(set, &h);
}

/*
 * Each segment (prose_model_cuts) of a clause no frame found anything in,
 * through a callback: the models when linting, the dump when training.
 */
typedef void (*prose_segment_fn)(prose_set *set, struct prose_scan *sc, const pm_token *tok, size_t n, void *ctx);

static void prose_segments(prose_set *set, const pm_set *pm, struct prose_scan *sc, const pf_clause *cl,
			   pm_token **tok, size_t *cap, prose_segment_fn fn, void *ctx)
{
	size_t cut[PROSE_MODEL_SEGMENTS], ncut, n, i, s0 = 0, k = 0;
	n = prose_model_tokens(set, pm, sc->t, cl, tok, cap);
	ncut = prose_model_cuts(sc->t, cl->start, cl->end, cut);
	for (i = 0; i < n; i++)
		if (k < ncut && (*tok)[i].start >= cut[k]) {
			fn(set, sc, *tok + s0, i - s0, ctx);
			s0 = i;
			while (k < ncut && (*tok)[i].start >= cut[k])
				k++;
		}
	/* the last segment; a clause without tokens may come before any buffer (*tok NULL) */
	fn(set, sc, n > 0 ? *tok + s0 : *tok, n - s0, ctx);
}

static void prose_models_on(prose_set *set, struct prose_scan *sc, const pm_token *tok, size_t n, void *ctx)
{
	(void)ctx;
	prose_run_segment(set, sc, tok, n);
}

static void prose_run_models(prose_set *set, struct prose_scan *sc, const pf_clause *cl)
{
	size_t i;
	for (i = 0; i < set->nhits; i++)
		if (set->hits[i].start < cl->end && set->hits[i].end > cl->start)
			return;
	prose_segments(set, set->pm, sc, cl, &set->tok, &set->tokcap, prose_models_on, NULL);
}

static void prose_collect(prose_set *set, const char *t, size_t len, unsigned scope, unsigned char *off,
			  const prose_rule *only, size_t only_frame)
{
	size_t ri, j, c, k, nclauses = 0, where = 0, words;
	const pf_clause *cl;
	int anchored = 0;
	struct prose_scan sc;
	set->nhits = 0;
	if (set->runcap < set->n + 1) {
		set->runcap = set->n + 1;
		set->run = xrealloc(set->run, set->runcap);
	}
	memset(&sc, 0, sizeof sc);
	sc.set = set;
	sc.t = t;
	sc.len = len;
	set->nruled = 0;
	for (ri = 0; ri < set->n; ri++) {
		const prose_rule *r = &set->rules[ri];
		set->run[ri] = !(off && off[ri]) && (scope & r->scope) && (!only || r == only) &&
			       !(r->gate && pcre2_match(r->gate, (PCRE2_SPTR)t, len, 0, PCRE2_NO_UTF_CHECK, set->md,
							set->mctx) < 0);
		if (!set->run[ri])
			continue;
		/* patterns over the whole text */
		sc.r = r;
		sc.f = NULL;
		sc.only = LANG_NONE;
		for (j = 0; j < r->npats && set->run[ri] && only_frame == LANG_NONE; j++) {
			sc.code = r->pats[j].code;
			if (prose_scan(&sc, 0, len, &where))
				prose_gave_up(set, ri, where);
		}
		/* frames: on the clauses that hold their keys; one without keys on the whole text */
		anchored |= r->anchored;
		for (j = 0; r->keyless && j < r->nframes && set->run[ri]; j++)
			if (!r->frames[j].pat.nreq && (only_frame == LANG_NONE || j == only_frame))
				prose_run_frame(set, &sc, ri, j, NULL, 0, len);
	}
	if (anchored && set->pf) {
		words = pf_set_words(set->pf);
		nclauses = pf_scan(set->pf, t, len, &cl);
		if (set->triedcap < nclauses + 1) {
			set->triedcap = nclauses + 1;
			set->tried = xrealloc(set->tried, set->triedcap);
		}
		memset(set->tried, 0, nclauses + 1);
		for (c = 0; c < nclauses; c++)
			for (k = 0; k < words; k++) {
				uint64_t bits = cl[c].keys[k] & set->anchors[k];
				while (bits) {
					size_t key = 64 * k + (size_t)__builtin_ctzll(bits), a;
					bits &= bits - 1;
					for (a = 0; key < set->nkeys && a < set->nanch[key]; a++) {
						const struct prose_anchor *an = &set->anch[key][a];
						const uint64_t *need = set->need + an->need;
						size_t q;
						for (q = 0; q < words && (cl[c].keys[q] & need[q]) == need[q]; q++)
							;
						if (q < words || !set->run[an->rule] ||
						    (only_frame != LANG_NONE && an->frame != only_frame))
							continue;
						prose_run_frame(set, &sc, an->rule, an->frame, &cl[c], cl[c].start,
								cl[c].end);
						set->tried[c] = 1;
					}
				}
			}
	}
	/* the models: on the clauses some frame ran on and none matched */
	for (c = 0; anchored && set->pm && !set->models_off && !only && set->pf && c < nclauses; c++)
		if (set->tried[c])
			prose_run_models(set, &sc, &cl[c]);
	for (j = 0; off && j < set->nhits; j++)
		if (set->hits[j].gave_up)
			off[set->hits[j].rule - set->rules] = 1;
	prose_settle(set);
}

void prose_check_text(prose_set *set, const char *text, size_t len, unsigned scope, unsigned char *off,
		      prose_found_fn found, void *ctx)
{
	size_t i;
	prose_collect(set, text, len, scope, off, NULL, LANG_NONE);
	for (i = 0; i < set->nhits; i++)
		found(&set->hits[i], ctx);
}

int prose_match(prose_set *set, const prose_rule *r, const char *text, size_t len,
		prose_hit_fn hit, void *ctx, size_t *gave_up_at)
{
	size_t i;
	int gave_up = 0;
	prose_collect(set, text, len, PROSE_SCOPE_ALL, NULL, r, LANG_NONE);
	for (i = 0; i < set->nhits; i++) {
		if (set->hits[i].gave_up) {
			*gave_up_at = set->hits[i].start;
			gave_up = 1;
		} else {
			hit(set->hits[i].start, set->hits[i].end, ctx);
		}
	}
	return gave_up;
}

/* The text, whitespace runs collapsed and long texts shortened to fit buf. */
static size_t prose_collapse(const char *m, size_t mlen, char *buf, size_t size)
{
	size_t k = 0, i;
	int sp = 0;
	/* An iteration writes up to two bytes (a blank and a character), and
	   "..." and the NUL follow: stop while both still fit. */
	for (i = 0; i < mlen && k + 2 + 4 <= size; i++) {
		char c = m[i];
		if (prose_is_space(c)) {
			sp = 1;
			continue;
		}
		if (sp && k > 0)
			buf[k++] = ' ';
		sp = 0;
		if ((unsigned char)c < 0x20)
			c = ' ';
		buf[k++] = c;
	}
	if (i < mlen) {
		while (k > 0 && ((unsigned char)buf[k - 1] & 0xc0) == 0x80)
			k--;
		if (k > 0 && ((unsigned char)buf[k - 1] & 0x80))
			k--;
		memcpy(buf + k, "...", 3);
		k += 3;
	}
	buf[k] = '\0';
	return k;
}

/* message with {match} -> match and {words} -> words. */
static char *prose_expand(const char *message, const char *match, const char *words)
{
	size_t cap = strlen(message) + 1, n = 0, lm = strlen(match), lw = strlen(words);
	const char *p;
	char *out;
	for (p = message; (p = strchr(p, '{')) != NULL; p++)
		cap += lm + lw;
	out = xmalloc(cap);
	for (p = message; *p;) {
		if (strncmp(p, "{match}", 7) == 0) {
			memcpy(out + n, match, lm);
			n += lm;
			p += 7;
		} else if (strncmp(p, "{words}", 7) == 0) {
			memcpy(out + n, words, lw);
			n += lw;
			p += 7;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	return out;
}

char *prose_format_message(const prose_rule *r, const char *m, size_t mlen)
{
	char mbuf[128];
	prose_collapse(m, mlen, mbuf, sizeof mbuf);
	return prose_expand(r->message, mbuf, mbuf);
}

char *prose_format_hit(const prose_hit *h, const char *text)
{
	char mbuf[128], wbuf[512];
	size_t i, k = 0;
	prose_collapse(text + h->start, h->end - h->start, mbuf, sizeof mbuf);
	wbuf[0] = '\0';
	for (i = 0; i < h->nwords && k < sizeof wbuf - 80; i++) {
		char one[64];
		prose_collapse(text + h->words[i].start, h->words[i].end - h->words[i].start, one, sizeof one);
		k += (size_t)snprintf(wbuf + k, sizeof wbuf - k, "%s%s (%s)", i ? ", " : "", one, h->words[i].cls);
	}
	return prose_expand(h->rule->message, mbuf, h->nwords ? wbuf : mbuf);
}

struct prose_run {
	prose_set *set;
	const source *src;
	diag_list *diags;
	unsigned char *off;     /* per rule: not run (disabled, or gave up in this run) */
	const ast_text *text;   /* the text being checked, for the hit callback */
};

static void prose_run_hit(const prose_hit *h, void *vrun)
{
	prose_run *run = vrun;
	const prose_rule *r = h->rule;
	if (h->gave_up) {
		size_t k = h->start < run->text->len ? h->start : 0, k1;
		k1 = prose_next_char(run->text->bytes, run->text->len, k);
		if (k1 > run->text->len)
			k1 = run->text->len;
		diag_code(run->diags, run->src, ast_text_src_span(run->text, k, k1), "LS200",
			  "rule %s (%s, %s) gave up on this text: its pattern needs more "
			  "backtracking than lossc allows; the rule is off for the rest of this file",
			  r->code, r->name, r->path);
	} else {
		char *msg = prose_format_hit(h, run->text->bytes);
		diag_add(run->diags, run->src, ast_text_src_span(run->text, h->start, h->end), r->sev, r->code,
			 "%s", msg);
		free(msg);
	}
}

prose_run *prose_run_new(prose_set *set, const source *src, diag_list *diags,
			 int (*enabled)(const char *code, void *ctx), void *ectx)
{
	prose_run *run = xmalloc(sizeof *run);
	size_t i;
	run->set = set;
	run->src = src;
	run->diags = diags;
	run->off = xmalloc(set->n + 1);
	for (i = 0; i < set->n; i++)
		run->off[i] = enabled && !enabled(set->rules[i].code, ectx);
	run->text = NULL;
	return run;
}

void prose_run_free(prose_run *run)
{
	if (!run)
		return;
	free(run->off);
	free(run);
}

/*
 * Every rule over one text in one pass (prose_check_text).  A rule that
 * gives up is off for the rest of the run's source (one LS200, not one
 * per text).
 */
void prose_run_text(prose_run *run, const ast_text *t, unsigned scope)
{
	run->text = t;
	prose_check_text(run->set, t->bytes, t->len, scope, run->off, prose_run_hit, run);
}

static unsigned prose_item_scope(const ast_item *it)
{
	switch (it->kind) {
	case IT_ABOUT:
		return PROSE_SCOPE_ABOUT;
	case IT_BECAUSE:
		return PROSE_SCOPE_BECAUSE;
	case IT_SETUP:
		return PROSE_SCOPE_SETUP;
	case IT_SOURCE:
		return PROSE_SCOPE_SOURCE;
	case IT_CARES_ABOUT:
		return it->choice == CARE_OTHER && it->text.bytes ? PROSE_SCOPE_OTHER : 0;
	default:
		return 0;
	}
}

void prose_run_decl(prose_run *run, const ast_decl *d)
{
	const ast_item *it;
	for (it = d->items; it; it = it->next) {
		unsigned sc = prose_item_scope(it);
		if (sc && it->text.bytes)
			prose_run_text(run, &it->text, sc);
	}
}

void prose_check_file(prose_set *set, const ast_file *f, diag_list *diags,
		      int (*enabled)(const char *code, void *ctx), void *ectx)
{
	const ast_decl *d;
	prose_run *run = prose_run_new(set, f->src, diags, enabled, ectx);
	for (d = f->decls; d; d = d->next)
		prose_run_decl(run, d);
	prose_run_free(run);
}

/* ---- testing a rule's examples ---------------------------------------- */

int prose_test_rule(prose_set *set, const prose_rule *r, FILE *out)
{
	int fails = 0;
	size_t i, j, fr;
	if (r->nbad == 0) {
		fprintf(out, "%s: error: rule %s has no 'bad:' example\n", r->path, r->code);
		fails++;
	}
	if (r->ngood == 0) {
		fprintf(out, "%s: error: rule %s has no 'good:' example\n", r->path, r->code);
		fails++;
	}
	for (i = 0; i < r->nbad + r->ngood; i++) {
		int bad = i < r->nbad, gave_up = 0;
		const prose_example *ex = bad ? &r->bad[i] : &r->good[i - r->nbad];
		size_t hits = 0;
		if (bad && r->gate && pcre2_match(r->gate, (PCRE2_SPTR)ex->text, strlen(ex->text), 0, 0, set->md,
						  set->mctx) < 0) {
			fprintf(out, "%s:%lu: error: rule %s's 'require' words exclude its bad example: %s\n",
				r->path, ex->line, r->code, ex->text);
			fails++;
			continue;
		}
		prose_collect(set, ex->text, strlen(ex->text), PROSE_SCOPE_ALL, NULL, r, LANG_NONE);
		for (j = 0; j < set->nhits; j++) {
			gave_up |= set->hits[j].gave_up;
			hits += !set->hits[j].gave_up;
		}
		if (gave_up) {
			fprintf(out, "%s:%lu: error: rule %s gave up (match limit) on this example\n", r->path, ex->line,
				r->code);
			fails++;
		} else if (bad && hits == 0) {
			fprintf(out, "%s:%lu: error: rule %s does not fire on its bad example: %s\n", r->path, ex->line,
				r->code, ex->text);
			fails++;
		} else if (!bad && hits > 0) {
			char *m = prose_format_hit(&set->hits[0], ex->text);
			fprintf(out, "%s:%lu: error: rule %s fires on its good example: %s\n    (%s)\n", r->path,
				ex->line, r->code, ex->text, m);
			free(m);
			fails++;
		}
	}
	/* every frame earns its place: some bad example shows it working */
	for (fr = 0; fr < r->nframes; fr++) {
		size_t fired = 0;
		for (i = 0; i < r->nbad && !fired; i++) {
			prose_collect(set, r->bad[i].text, strlen(r->bad[i].text), PROSE_SCOPE_ALL, NULL, r, fr);
			for (j = 0; j < set->nhits; j++)
				fired += !set->hits[j].gave_up;
		}
		if (!fired) {
			fprintf(out, "%s:%lu: error: rule %s's frame fires on none of its bad examples: %s\n", r->path,
				r->frames[fr].line, r->code, r->frames[fr].src);
			fails++;
		}
	}
	return fails;
}

prose_set *prose_load_all(const char *const *dirs, size_t ndirs, char *err, size_t errlen)
{
	prose_set *set = prose_set_new();
	const char *builtin = prose_builtin_dir();
	size_t i;
	if (!builtin) {
		const char *env = getenv("LOSSC_RULES_DIR");
		if (env && *env)        /* it was set: the places searched do not matter */
			snprintf(err, errlen, "lossc: error: LOSSC_RULES_DIR is '%s', which is not a directory", env);
		else
			snprintf(err, errlen,
				 "lossc: error: cannot find the built-in rules directory (looked in %s/rules and "
				 "%s/rules); set LOSSC_RULES_DIR", LOSSC_DATADIR, LOSSC_SRCDIR);
		prose_set_free(set);
		return NULL;
	}
	set->defer = 1;
	if (prose_load_dir(set, builtin, 1, err, errlen) != 0) {
		prose_set_free(set);
		return NULL;
	}
	for (i = 0; i < ndirs; i++)
		if (prose_load_dir(set, dirs[i], 0, err, errlen) != 0) {
			prose_set_free(set);
			return NULL;
		}
	set->defer = 0;
	if (prose_finalize(set, err, errlen) != 0) {
		prose_set_free(set);
		return NULL;
	}
	return set;
}

struct prose_dump {
	FILE *out;
	const pm_set *all;
	size_t done;
};

/* One segment: its classed words, each as its classes joined by '+'. */
static void prose_dump_segment(prose_set *set, struct prose_scan *sc, const pm_token *tok, size_t n, void *ctx)
{
	struct prose_dump *d = ctx;
	size_t i, k;
	(void)set;
	(void)sc;
	for (i = 0; i < n; i++) {
		int first = 1;
		fputs(i ? " " : "", d->out);
		for (k = 0; k < pm_class_count(d->all); k++)
			if ((tok[i].classes >> k) & 1u) {
				fprintf(d->out, "%s%s", first ? "" : "+", pm_class_name(d->all, k));
				first = 0;
			}
	}
	fputs("\n", d->out);
	d->done++;
}

size_t prose_model_dump(prose_set *set, const char *text, size_t len, FILE *out)
{
	struct prose_scan sc;
	struct prose_dump dc;
	const lang *L = set->L;
	size_t ncls = lang_class_count(L), i, c, n, nclauses, cap = 0, tokcap = 0, done = 0;
	pm_set *all = pm_new();
	pm_token *tok = NULL;
	const pf_clause *cl;
	char *buf = NULL, err[256];
	if (ncls > PM_MAX_CLASSES)
		ncls = PM_MAX_CLASSES;
	/* a model naming every class, so the word table holds them all */
	for (i = 0, n = 0; i <= ncls; i++) {
		const char *name = i ? lang_class_name(L, i - 1) : "";
		size_t need = n + strlen(name) + 64;
		if (need > cap) {
			cap = 2 * need;
			buf = xrealloc(buf, cap);
		}
		n += (size_t)sprintf(buf + n, i ? "weight: %s 0\n" : "model: 4\ncode: %sLS000\n", name);
	}
	if (pm_load(all, "(all classes)", buf, n, err, sizeof err) != 0 || pm_bind(all, L, err, sizeof err) != 0) {
		fprintf(stderr, "prose_model_dump: %s\n", err);
		free(buf);
		pm_free(all);
		return 0;
	}
	/* the frames alone, for which clauses they ran on; then the same clauses again */
	{
		int was = set->models_off;
		set->models_off = 1;
		prose_collect(set, text, len, PROSE_SCOPE_ALL, NULL, NULL, LANG_NONE);
		set->models_off = was;
	}
	memset(&sc, 0, sizeof sc);
	sc.set = set;
	sc.t = text;
	sc.len = len;
	dc.out = out;
	dc.all = all;
	dc.done = 0;
	nclauses = set->pf ? pf_scan(set->pf, text, len, &cl) : 0;
	for (c = 0; c < nclauses; c++) {
		if (!set->tried || !set->tried[c]) {
			fputs("-\n", out);
			done++;
			continue;
		}
		prose_segments(set, all, &sc, &cl[c], &tok, &tokcap, prose_dump_segment, &dc);
	}
	done += dc.done;
	free(tok);
	free(buf);
	pm_free(all);
	return done;
}
