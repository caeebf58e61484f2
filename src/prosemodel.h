/*
 * prosemodel.h: the clause scorer under the prose frames.
 *
 * The frames (lang.h) describe sentence shapes; a claim written in a
 * shape no frame has is missed.  A clause model describes what the
 * shapes have in common: which word classes a clause holds, and in which
 * order.  Its features are, for every class the model names, "the clause
 * holds a word of class A" (feature `A`) and "a word of class A comes
 * before a word of class B" (feature `A<B`); its score is a logistic
 * regression over them, bias + the weights of the features present.  A
 * model is data (a rules/NAME.model file, see lossc-rules(5)): the weights are
 * trained by scripts/train-prose-model on the tuning corpora only.
 *
 * A model reports under an existing rule's code (its `code:`), so the
 * finding keeps that rule's meaning, fix advice and contexts; prose.c
 * runs the models only on clauses where no frame found anything.
 */
#ifndef LOSSC_PROSEMODEL_H
#define LOSSC_PROSEMODEL_H

#include <stddef.h>
#include <stdint.h>

#include "lang.h"

#define PM_MAX_CLASSES 64       /* classes one model file may name (a bit each) */
#define PM_MAX_REQUIRE 4        /* require: lines in one model */

typedef struct pm_set pm_set;

/* One word of a clause that belongs to some class a model names. */
typedef struct pm_token {
	size_t start, end;      /* byte offsets in the text */
	uint64_t classes;       /* bit i: the word is of the set's class i */
} pm_token;

/* One model of a set (a `model:` block). */
typedef struct pm_model {
	char *code;             /* the rule it reports under */
	char *path;             /* the file it was read from, and where its */
	unsigned long line, col;        /*   'code:' value is (its 'model:' line */
					/*   until one is read), for errors */
	int concept;
	double bias, threshold;
	uint64_t require[PM_MAX_REQUIRE];  /* a clause holds a word of some class of each */
	size_t nrequire;
	uint64_t report;        /* the classes a finding may name (0: any) */
	double present[PM_MAX_CLASSES];
	double before[PM_MAX_CLASSES][PM_MAX_CLASSES];
} pm_model;

pm_set *pm_new(void);
void pm_free(pm_set *s);

/*
 * Parse a .model file, adding its models to s.  Returns 0, or -1 with err
 * "FILE:LINE:COL: error: ..." and none of this file's models kept.
 */
int pm_load(pm_set *s, const char *path, const char *bytes, size_t len, char *err, size_t errlen);

/*
 * Resolve the class names against L (once every .words file is loaded)
 * and build the word table.  Returns 0, or -1 with err naming the file
 * and line of an unknown class.
 */
int pm_bind(pm_set *s, const lang *L, char *err, size_t errlen);

size_t pm_count(const pm_set *s);
const pm_model *pm_at(const pm_set *s, size_t i);
size_t pm_class_count(const pm_set *s);
const char *pm_class_name(const pm_set *s, size_t i);   /* the lang class name */

/*
 * The classed words of text[from..to), in order, into *out (grown as
 * needed, *cap its size).  Returns how many.  Words are runs of word
 * bytes (lang_is_word_byte), ASCII lower-cased; a class's phrases match
 * word by word, and a word inside one of its class's technical compounds
 * ("reward model") is not counted for that class.
 */
size_t pm_tokens(const pm_set *s, const char *text, size_t from, size_t to, pm_token **out, size_t *cap);

/*
 * One word's own entry: its classes (0: none) and whether a longer phrase
 * starts with it (*prefix), for tables a caller keeps per key word.
 */
uint64_t pm_word_info(const pm_set *s, const char *word, size_t len, int *prefix);
/* The token (longest entry) starting at the word at `at`, if any: 1 and *tok, else 0. */
size_t pm_token_at(const pm_set *s, const char *text, size_t at, size_t to, pm_token *tok);

/* 1 when the tokens hold a word of some class of each of the model's require: lines. */
int pm_gate(const pm_model *m, const pm_token *tok, size_t n);

/* The model's score (the logistic regression's log-odds) for the tokens. */
double pm_score(const pm_model *m, const pm_token *tok, size_t n);

/*
 * Which tokens carry the decision: a token counts when one of its classes
 * has a positive weight present in the clause (alone or in a pair with
 * another token's class) and is one the model reports (`report:`).
 * Sets keep[i]; returns the class (set index)
 * each kept token is reported under in cls[i].
 */
void pm_triggers(const pm_model *m, const pm_token *tok, size_t n, unsigned char *keep, size_t *cls);

#endif
