/*
 * fuzz_rules.c: the prose rule-file loader on arbitrary bytes, and every
 * rule it accepts run over its own examples (owner: reliability).
 *
 * A rule file is user input (`--rules DIR`, a config's `rules:`): a
 * broken one must be an error naming file and line, and an accepted one
 * must match within PCRE2's match and depth limits, whatever its
 * pattern.  So each input is loaded with prose_load_buffer(); when it
 * loads, prose_test_rule() runs its patterns over its `bad` and `good`
 * lines and the message template is expanded.  The same bytes are also
 * read as a `.words` file (word classes and contexts are user input too);
 * when they load, a frame over every class they define runs over the
 * input itself, so generated patterns meet text.  And they are read as a
 * clause-model file against two small classes and a rule; when it loads,
 * the models score the input and a fixed sentence.  Built for libFuzzer by
 * scripts/fuzz, and as a plain regression driver by `make check`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "lang.h"
#include "prose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_count(size_t s, size_t e, void *ctx)
{
	(void)s;
	(void)e;
	(*(int *)ctx)++;
}

static void fuzz_found(const prose_hit *h, void *ctx)
{
	(void)h;
	(*(int *)ctx)++;
}

/* What a fuzzed model file is read against: two classes, and a rule whose frame they wake. */
#define FUZZ_WORDS "class: agent\ntitle: a\nword: model, it, policy\n\nclass: signal\ntitle: s\nword: loss, reward\n"
#define FUZZ_RULE "code: LS901\nmessage: m {match}\nframe: {agent} wants {signal}\nbad: the model wants loss\n"
#define FUZZ_SENTENCE "The model, which it trains, craves the reward; the policy loves its loss, as it wants."

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024];
	prose_set *set = prose_set_new();

	if (prose_load_buffer(set, "fuzz/LS901-fuzz.rule", (const char *)data, size, 0,
			      err, sizeof err) == 0) {
		for (size_t i = 0; i < prose_count(set); i++) {
			const prose_rule *r = prose_rule_at(set, i);
			FILE *out = fuzz_sink();
			if (out)
				prose_test_rule(set, r, out);
			char *m = prose_format_message(r, "a  loss\\n is  aligned", 20);
			free(m);
		}
	}
	prose_set_free(set);

	set = prose_set_new();
	if (prose_load_words_buffer(set, "fuzz/fuzz.words", (const char *)data, size, err, sizeof err) == 0) {
		const lang *L = prose_lang(set);
		size_t i, n = lang_class_count(L), k = 0;
		char rule[4096];
		k = (size_t)snprintf(rule, sizeof rule, "code: LS901\nmessage: {match} {words}\nframe:");
		for (i = 0; i < n && i < 8 && k < sizeof rule - 80; i++)
			k += (size_t)snprintf(rule + k, sizeof rule - k, " %s{%s}", i ? "... " : "", lang_class_name(L, i));
		k += (size_t)snprintf(rule + k, sizeof rule - k, "\nbad: x\ngood: y\n");
		if (n && prose_load_buffer(set, "fuzz/LS901-frame.rule", rule, k, 0, err, sizeof err) == 0) {
			const prose_rule *r = prose_find(set, "LS901");
			char *text = malloc(size + 64);
			size_t where;
			int hits = 0;
			memcpy(text, data, size);
			memset(text + size, 0, 64);
			if (r)
				(void)prose_match(set, r, text, size, fuzz_count, &hits, &where);
			free(text);
		}
	}
	prose_set_free(set);

	/* the same bytes as a clause-model file, over two classes and one rule */
	set = prose_set_new();
	if (prose_load_words_buffer(set, "fuzz/base.words", FUZZ_WORDS, strlen(FUZZ_WORDS), err, sizeof err) == 0 &&
	    prose_load_buffer(set, "fuzz/LS901-base.rule", FUZZ_RULE, strlen(FUZZ_RULE), 0, err, sizeof err) == 0 &&
	    prose_load_model_buffer(set, "fuzz/fuzz.model", (const char *)data, size, err, sizeof err) == 0) {
		char *text = malloc(size + 1);
		int hits = 0;
		memcpy(text, data, size);
		text[size] = '\0';
		prose_check_text(set, text, size, PROSE_SCOPE_ALL, NULL, fuzz_found, &hits);
		prose_check_text(set, FUZZ_SENTENCE, strlen(FUZZ_SENTENCE), PROSE_SCOPE_ALL, NULL, fuzz_found,
				 &hits);
		free(text);
	}
	prose_set_free(set);
	return 0;
}
