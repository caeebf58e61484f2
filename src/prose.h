/*
 * prose.h: prose rules (LS2xx and users' own) loaded from `.rule` files,
 * the word classes and contexts of `.words` files, and their PCRE2
 * matching over the texts of a parsed file.
 *
 * The formats are documented in lossc-rules(5).  A prose_set holds every
 * loaded rule and the vocabulary (lang.h) its frames are written in; each
 * pattern and frame is compiled once (JIT where the library supports it),
 * all of them matched under one match context with match and depth
 * limits, with one match data block reused by every match.  A literal
 * prefilter built from the frames when the rules load (prefilter.h) lets
 * a frame run only on the clauses that hold its words.
 *
 * Ownership: the set owns its rules, their strings and compiled patterns;
 * prose_set_free() releases everything.  Pointers returned by
 * prose_rule_at()/prose_find() live as long as the set.  Loading errors
 * are written into a caller buffer as one line,
 * "FILE:LINE[:COL]: error: reason"; the set is left usable but must be
 * treated as broken by the caller (lossc exits 2).
 */
#ifndef LOSSC_PROSE_H
#define LOSSC_PROSE_H

#include <stddef.h>
#include <stdio.h>

#include "ast.h"
#include "codes.h"
#include "diag.h"
#include "lang.h"

/* Which texts a rule reads ("scope:"). */
enum {
	PROSE_SCOPE_ABOUT = 1u << 0,
	PROSE_SCOPE_BECAUSE = 1u << 1,
	PROSE_SCOPE_SETUP = 1u << 2,
	PROSE_SCOPE_SOURCE = 1u << 3,
	PROSE_SCOPE_OTHER = 1u << 4,    /* cares_about other "..." */
	PROSE_SCOPE_ALL = (1u << 5) - 1
};


/* A rule gives up on one text after this many backtracking steps. */
#define PROSE_MATCH_LIMIT 2000000u
#define PROSE_DEPTH_LIMIT 10000u
/* Texts longer than this that exhaust the limit are retried sentence by sentence. */
#define PROSE_WINDOW 4096u

typedef struct prose_example {
	char *text;
	unsigned long line;     /* line of the rule file */
} prose_example;

typedef struct prose_pattern {
	void *code;             /* pcre2_code_8 * */
	char *src;              /* the pattern as written */
	unsigned long line;
} prose_pattern;

/* A frame of a rule: a sentence shape over word classes (lang.h). */
typedef struct prose_frame {
	void *code;             /* pcre2_code_8 *, NULL until compiled (built-in: when first run; JIT then) */
	void *acode;            /* the same, PCRE2_ANCHORED, for tries at its start words; compiled when first run */
	char *src;              /* the frame as written */
	unsigned long line;
	lang_seq *seq;
	lang_pattern pat;       /* its regex text, captured classes, prefilter keys */
	int broken;             /* a built-in frame that did not compile when first run */
} prose_frame;

typedef struct prose_rule {
	char code[8];
	char *name;
	char *title;            /* "title:" or the name with '-' as spaces */
	char *concept;          /* may be NULL */
	char *message;          /* may contain {match} */
	char *explain;          /* may be NULL */
	diag_severity sev;
	unsigned scope;
	prose_pattern *pats, *unless;
	size_t npats, nunless;
	void *gate;             /* pcre2_code_8 * of "require:" words, or NULL */
	prose_frame *frames;
	size_t nframes;
	char **ctxname;         /* "context:" names, resolved to ctx when the set is finalized */
	size_t *ctx;
	size_t nctx;
	unsigned long ctxline;
	void *ctxcode[4];       /* per lang_where: the rule's context patterns with words and known first words, as one (anchored) */
	void *ctxwords[4];      /* pf_words *: their words (no word in the stretch: no match) */
	void *ctxsearch[4];     /* those with words whose first words are not known, as one (searched) */
	void *ctxswords[4];     /* pf_words *: their words */
	void *ctxraw[4];        /* the context patterns without words, as one (searched) */
	void *ctxstart[4];      /* pf_words *: the words ctxcode's matches start with */
	unsigned ctxback[4];    /* bit b: a match can start b bytes before such a word */
	int ctxshared;          /* ctxcode, ctxwords, ctxraw belong to an earlier rule with the same contexts */
	int anchored;           /* some frame has prefilter keys (runs on the clauses that hold them) */
	int keyless;            /* some frame has none (runs on every text) */
	prose_example *bad, *good;
	size_t nbad, ngood;
	char *path;             /* the rule file, as found */
	int builtin;            /* loaded from the built-in directory */
	unsigned long load;     /* which prose_load_* call added it (same-directory clashes) */
} prose_rule;

typedef struct prose_set prose_set;

prose_set *prose_set_new(void);
void prose_set_free(prose_set *set);
/*
 * on: run every frame as one search over each clause that holds its
 * keys, without the anchored tries at its start words: slower, and by
 * construction the same findings (the reference the tests hold the
 * anchored tries to).
 */
void prose_set_search_only(prose_set *set, int on);
/* Run the clause models (rules/ *.model) or not (on by default; off to measure the frames alone). */
void prose_set_models(prose_set *set, int on);
/*
 * For training the clause models: the classed words of each prefilter
 * clause of text as a model sees them (at the clause's key words), with
 * every class of the word table (all classes, not only those a model
 * names), written one clause a line as "CLASS+CLASS ..." in text order;
 * "-" for a clause no frame ran on (the models never score those).  Returns the number of clauses written.
 */
size_t prose_model_dump(prose_set *set, const char *text, size_t len, FILE *out);

/*
 * Load every "*.rule" file of dir, in name order.  A rule whose code is
 * already in the set from an earlier directory replaces it; two files of
 * one directory with the same code are an error.  Returns 0, or -1 with
 * err filled.
 */
int prose_load_dir(prose_set *set, const char *dir, int builtin, char *err, size_t errlen);
/* Load one rule from memory (path names it in errors).  Same replacement rule. */
int prose_load_buffer(prose_set *set, const char *path, const char *bytes, size_t len,
		      int builtin, char *err, size_t errlen);
/* Load one `.words` file from memory: its classes and contexts extend the set's. */
int prose_load_words_buffer(prose_set *set, const char *path, const char *bytes, size_t len,
			    char *err, size_t errlen);
/* A clause-model file (.model, lossc-rules(5) CLAUSE MODELS) from a buffer; its classes and
   rule codes are resolved against what is loaded, so load .words and .rule files first. */
int prose_load_model_buffer(prose_set *set, const char *path, const char *bytes, size_t len,
			    char *err, size_t errlen);

/* The vocabulary of the set (word classes, contexts). */
const lang *prose_lang(const prose_set *set);

/*
 * The rule set of a run: the built-in directory, then dirs in order (a
 * later directory's rule replaces an earlier one with the same code).
 * NULL with err set when a directory or file is broken, or when no
 * built-in directory exists.
 */
prose_set *prose_load_all(const char *const *dirs, size_t ndirs, char *err, size_t errlen);

size_t prose_count(const prose_set *set);
const prose_rule *prose_rule_at(const prose_set *set, size_t i);   /* code order */
const prose_rule *prose_find(const prose_set *set, const char *code);

/*
 * The built-in rule directory: the source tree's rules/ when lossc runs
 * from its build tree, else the installed $(pkgdatadir)/rules, else a
 * rules/ next to the executable.  NULL when none exists.  The result is
 * a static buffer.
 */
const char *prose_builtin_dir(void);

/*
 * Match one rule over text[0..len).  For each match (after contexts and
 * `unless`; overlapping matches of one rule count once), calls hit(start,
 * end, ctx) with byte offsets into text, in text order.  Returns 0, or 1
 * when the rule gave up (match or depth limit) at *gave_up_at.
 */
typedef void (*prose_hit_fn)(size_t start, size_t end, void *ctx);
int prose_match(prose_set *set, const prose_rule *r, const char *text, size_t len,
		prose_hit_fn hit, void *ctx, size_t *gave_up_at);

/* One finding of a rule in a text, with the words its frame's classes matched. */
#define PROSE_MAX_WORDS LANG_MAX_CAPS
typedef struct prose_word {
	size_t start, end;      /* byte offsets into the text */
	const char *cls;        /* the class the word belongs to */
	size_t clsidx;          /* its index (lang_class_name) */
} prose_word;

typedef struct prose_hit {
	const prose_rule *rule;
	size_t start, end;      /* the match (or, when gave_up, where the rule gave up) */
	int gave_up;            /* the rule hit PCRE2's limits; it is off for the rest of the text */
	size_t nwords;
	prose_word words[PROSE_MAX_WORDS];
} prose_hit;

typedef void (*prose_found_fn)(const prose_hit *h, void *ctx);

/*
 * Run every rule whose scope meets `scope` over text[0..len) in one
 * pass: the prefilter reads the text once, then each rule's frames run on
 * the clauses that hold their words and its patterns on the whole text.
 * off (one flag per rule, prose_rule_at order; may be NULL) skips rules;
 * a rule that gives up gets its flag set and one hit with gave_up.  Hits
 * come rule by rule, each rule's in text order.  This is the entry point
 * for any text (a .loss string, a Markdown paragraph).
 */
void prose_check_text(prose_set *set, const char *text, size_t len, unsigned scope, unsigned char *off,
		      prose_found_fn found, void *ctx);

/*
 * Run every rule over the texts in its scope in f, queuing one finding
 * per match at the exact source span of the match.  A rule that gives up
 * on a text queues LS200 there and skips the rest of that file.  Rules
 * whose code enabled() rejects (when given) are not run at all.
 */
void prose_check_file(prose_set *set, const ast_file *f, diag_list *diags,
		      int (*enabled)(const char *code, void *ctx), void *ctx);

/*
 * The same, one text at a time, for front ends whose texts are not items
 * of a parsed .loss file (Markdown and plain-text documents: doc.h).  A
 * run belongs to one source: t's segments map its bytes into src, and a
 * rule that gives up (LS200) stays off for the rest of the run.  scope
 * says which rules read the text (PROSE_SCOPE_ALL: every rule).
 */
typedef struct prose_run prose_run;
prose_run *prose_run_new(prose_set *set, const source *src, diag_list *diags,
			 int (*enabled)(const char *code, void *ctx), void *ctx);
void prose_run_text(prose_run *run, const ast_text *t, unsigned scope);
/* Every text of a declaration of a parsed .loss file, each in its item's
   scope (the streaming pipeline checks each declaration as it is parsed,
   then frees its texts). */
void prose_run_decl(prose_run *run, const ast_decl *d);
void prose_run_free(prose_run *run);

/*
 * Check a rule's examples: each `bad` must fire it, each `good` must not,
 * it must have at least one of each, and each of its frames must fire on
 * at least one `bad` example by itself.  Prints one line per failure to
 * out; returns the number of failures.
 */
int prose_test_rule(prose_set *set, const prose_rule *r, FILE *out);

/* Render a rule's message for a match: {match} and {words} -> the matched text (whitespace collapsed). */
char *prose_format_message(const prose_rule *r, const char *m, size_t mlen);
/* Render a hit's message: {match} -> the matched text, {words} -> `policy (agent), loss (signal)`. */
char *prose_format_hit(const prose_hit *h, const char *text);

#endif
