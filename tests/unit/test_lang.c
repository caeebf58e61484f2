/*
 * test_lang.c: the rule language (lang.c, prefilter.c and their use in
 * prose.c): inflection and spelling generated from data, frames and their
 * separators and gaps, contexts, technical compounds, named words, the
 * prefilter never ruling out a clause a frame matches, and load errors
 * that name file, line and column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "prefilter.h"
#include "prose.h"
#include "rulefile.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

static char err[1024];

/* English basics, in the built-in files' style. */
static const char base_words[] =
	"irregular: be: am, is, are, was, were, been, being\n"
	"irregular: seek: seeks, sought, seeking\n"
	"irregular: strive: strives, strove, striven, striving\n"
	"spelling: ize = ise\n"
	"spelling: aviour = avior\n"
	"common: the, a, is, it, to\n"
	"class: be\nshow: no\nverb: be\n"
	"class: agent\nnoun: model, policy, language model\nword: it\n"
	"except: reward model\n"
	"class: want\nverb: want, seek, try, strive, care ...2 about, do* whatever it takes to\n"
	"class: signal\nnoun: loss, reward, reward model\n"
	"class: low\nadj: low, small, high, big\n"
	"class: virtue\nword: good behaviour\nadj: safe\n"
	"class: neg\nshow: no\nword: not, never, doesn't\n"
	"context: negated\ninside: {neg}\nbefore: misleading to say\n"
	"context: tested\nbefore: whether\n"
	"context: question\nafter: /\\G[^.!;]*\\?/\n";

static int load_rule(prose_set *s, const char *text)
{
	err[0] = '\0';
	return prose_load_buffer(s, "t.rule", text, strlen(text), 0, err, sizeof err);
}

static int load_words(prose_set *s, const char *path, const char *text)
{
	err[0] = '\0';
	return prose_load_words_buffer(s, path, text, strlen(text), err, sizeof err);
}

static prose_set *set_with(const char *words, const char *rule)
{
	prose_set *s = prose_set_new();
	err[0] = '\0';
	if (prose_load_words_buffer(s, "t.words", words, strlen(words), err, sizeof err) != 0)
		fail_msg("%s", err);
	if (rule && prose_load_buffer(s, "t.rule", rule, strlen(rule), 0, err, sizeof err) != 0)
		fail_msg("%s", err);
	return s;
}

struct found {
	size_t n;
	prose_hit h[8];
	char msg[8][512];
};

static void collect(const prose_hit *h, void *ctx)
{
	struct found *f = ctx;
	if (f->n < 8) {
		f->h[f->n] = *h;
		f->msg[f->n][0] = '\0';
	}
	f->n++;
}

/* Hits of every rule on text; messages rendered. */
static struct found run(prose_set *s, const char *text)
{
	struct found f;
	size_t i;
	memset(&f, 0, sizeof f);
	prose_check_text(s, text, strlen(text), PROSE_SCOPE_ALL, NULL, collect, &f);
	for (i = 0; i < f.n && i < 8; i++) {
		char *m = prose_format_hit(&f.h[i], text);
		snprintf(f.msg[i], sizeof f.msg[i], "%s", m);
		free(m);
	}
	return f;
}

static size_t count(prose_set *s, const char *text)
{
	return run(s, text).n;
}

#define WANT_RULE "code: LS990\nmessage: {match} | {words}\ncontext: negated, tested, question\n" \
	"frame: {agent} ...3 {want} ...3 {low}? {signal}\nbad: The model wants low loss.\ngood: SGD lowers the loss.\n"

static void test_inflections_and_spellings_are_generated(void **state)
{
	prose_set *s = set_with(base_words, WANT_RULE);
	(void)state;
	/* verb forms, irregular forms, phrasal verbs with a gap */
	assert_int_equal(count(s, "The model wants reward."), 1);
	assert_int_equal(count(s, "The model wanted reward."), 1);
	assert_int_equal(count(s, "The model is wanting reward."), 1);
	assert_int_equal(count(s, "The policy sought reward."), 1);
	assert_int_equal(count(s, "The policy strove for lower loss."), 1);
	assert_int_equal(count(s, "The policy tries to get reward."), 1);
	assert_int_equal(count(s, "The policy cares deeply about reward."), 1);
	assert_int_equal(count(s, "The policy does whatever it takes to get reward."), 1);
	/* noun plurals, multi-word nouns, adjective degrees, any case */
	assert_int_equal(count(s, "POLICIES WANT SMALLER LOSSES."), 1);
	assert_int_equal(count(s, "Language models want the biggest reward."), 1);
	/* not a form: "seeked" is not generated for an irregular verb */
	assert_int_equal(count(s, "The policy seeked reward."), 0);
	prose_set_free(s);
}

/* The regular inflections English spells differently, each matched in a sentence. */
static void test_regular_inflections_by_spelling(void **state)
{
	static const char words[] =
		"class: act\nverb: pass, fix, buzz, watch, wish, carry, play, echo, care, agree, dye, tie, stop\n"
		"class: thing\nnoun: box, baby, day, potato, church, bus, kiss, radio\n"
		"class: trait\nadj: big, happy, grey, free, cool\n";
	static const char *const said[] = {
		"It passes the box.", "It passed the buses.", "It is fixing the kisses.", "It fixes the churches.",
		"It buzzes the radios.", "It watches the potatoes.", "It wishes the days.", "It carries the babies.",
		"It carried the box.", "It is carrying the box.", "It plays the days.", "It played the box.",
		"It echoes the box.", "It echoed the box.", "It is echoing the box.", "It cares the box.",
		"It cared the box.", "It is caring the box.", "It agreed the box.", "It is agreeing the box.",
		"It is dyeing the box.", "It dyed the box.", "It is tying the box.", "It tied the box.",
		"It stopped the box.", "It is stopping the box.", "It stops the bigger box.",
		"It stops the biggest box.", "It stops the happier babies.", "It stops the happiest baby.",
		"It stops the greyer box.", "It stops the freer days.", "It stops the freest day.",
		"It stops the coolest radio.",
	};
	prose_set *s = set_with(words, "code: LS990\nmessage: m\nframe: {act} the {trait}? {thing}\n");
	(void)state;
	for (size_t i = 0; i < sizeof said / sizeof said[0]; i++)
		if (count(s, said[i]) != 1)
			fail_msg("'%s': %zu matches, want 1", said[i], count(s, said[i]));
	/* and what is not an inflection of these words */
	assert_int_equal(count(s, "It carrys the box."), 0);
	assert_int_equal(count(s, "It echos the box."), 0);
	assert_int_equal(count(s, "It stops the babys."), 0);
	prose_set_free(s);
}

/* Whether CLASS of L generates FORM (as a whole entry). */
static int has_form(const lang *L, const char *cls, const char *form)
{
	const char *const *forms;
	size_t i, n = lang_class_forms(L, lang_class_find(L, cls), &forms);
	for (i = 0; i < n; i++)
		if (strcmp(forms[i], form) == 0)
			return 1;
	return 0;
}

/*
 * What English does not write is not generated: a one-syllable verb
 * doubles its last consonant (no "stoped"), a noun in -lf/-ife voices it
 * (no "wolfs"), an irregular entry takes no spelling pair (no "rize"), and
 * built-in English knows "see" is irregular (no "seed").  And what it does
 * write is: later, latest; quitted; two-syllable words both ways.
 */
static void test_inflections_do_not_overgenerate(void **state)
{
	static const char words[] =
		"irregular: rise: rises, rose, risen, rising\n"
		"spelling: ize = ise\n"
		"class: act\nverb: hum, stop, quit, rise, target, prefer, minimize\n"
		"class: thing\nnoun: wolf, shelf, knife, leaf, roof, belief, scarf\n"
		"class: trait\nadj: late, vile, red, big, loyal, accurate, aligned, helpful\n";
	/* class, then the forms it must make (+) and must not (-) */
	static const char *const forms[][2] = {
		{"act", "+hummed +humming +stopped +stopping +quitted +quitting +rose +risen +targeted "
			"+targetted +preferred +minimised +minimizing -humed -huming -stoped -stoping -quited "
			"-rised -rize -rizen -rizes"},
		{"thing", "+wolves +shelves +knives +leaves +roofs +beliefs +scarfs +scarves -wolfs -shelfs "
			  "-knifes -leafs -rooves -believes"},
		{"trait", "+later +latest +viler +redder +biggest -biger -loyaller -accurater -aligneder "
			  "-helpfuller"}};
	char path[4096], *english, form[64];
	const char *top = getenv("top_srcdir"), *p;
	FILE *f;
	long len;
	lang *L = lang_new();
	size_t i, n;
	(void)state;
	assert_int_equal(lang_load(L, "t.words", words, strlen(words), err, sizeof err), 0);
	assert_int_equal(lang_finalize(L, err, sizeof err), 0);
	for (i = 0; i < sizeof forms / sizeof *forms; i++)
		for (p = forms[i][1]; *p; p += n + (p[n] == ' ')) {
			n = strcspn(p, " ");
			snprintf(form, sizeof form, "%.*s", (int)n - 1, p + 1);
			if (has_form(L, forms[i][0], form) != (*p == '+'))
				fail_msg("class %s: '%s' %s", forms[i][0], form, *p == '+' ? "not made" : "made");
		}
	lang_free(L);

	/* the built-in English: "see" is irregular */
	snprintf(path, sizeof path, "%s/rules/english.words", top ? top : ".");
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	english = malloc((size_t)len + 1);
	assert_int_equal(fread(english, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	L = lang_new();
	assert_int_equal(lang_load(L, path, english, (size_t)len, err, sizeof err), 0);
	p = "class: act\nverb: see, know, fall\n";
	assert_int_equal(lang_load(L, "t.words", p, strlen(p), err, sizeof err), 0);
	assert_int_equal(lang_finalize(L, err, sizeof err), 0);
	assert_true(has_form(L, "act", "saw") && has_form(L, "act", "seen") && has_form(L, "act", "knew") &&
		    has_form(L, "act", "fell"));
	assert_false(has_form(L, "act", "seed") || has_form(L, "act", "knowed") || has_form(L, "act", "falled"));
	lang_free(L);
	free(english);
}

static void test_spelling_pairs_work_both_ways(void **state)
{
	const char *words = "spelling: ize = ise\nspelling: izi = isi\nspelling: aviour = avior\n"
			    "class: v\nverb: minimize\nclass: n\nnoun: behaviour\n";
	prose_set *s = set_with(words, "code: LS990\nmessage: m\nframe: {v} ...2 {n}\n"
				"bad: We minimise bad behavior.\ngood: We lower it.\n");
	(void)state;
	assert_int_equal(count(s, "We minimise bad behavior."), 1);
	assert_int_equal(count(s, "We minimize bad behaviours."), 1);
	assert_int_equal(count(s, "We minimising behaviour."), 1);
	assert_int_equal(count(s, "We minimizing behaviors."), 1);
	prose_set_free(s);
}

/* Pairs that rewrite each other without end (eling -> elling -> eoveling
   -> eovelling...) run once per word: loading ends, and both spellings
   the file means are still made (found by fuzz_rules: it never ended). */
static void test_spelling_pairs_that_feed_each_other_end(void **state)
{
	const char *words = "spelling: elling = eoveling\nspelling: elling = eling\n"
			    "class: v\nverb: travel\nclass: n\nnoun: model\n";
	prose_set *s = set_with(words, "code: LS990\nmessage: m\nframe: {v} ...2 {n}\n"
				"bad: We travelling models.\ngood: We walk.\n");
	(void)state;
	assert_int_equal(count(s, "We travelling models."), 1);
	assert_int_equal(count(s, "We traveling models."), 1);
	assert_int_equal(count(s, "We traveoveling models."), 1);
	/* each pair once, in order: the second rewrites the first's form,
	   and the first does not run again (no closure) */
	assert_int_equal(count(s, "We traveovelling models."), 1);
	assert_int_equal(count(s, "We traveoveoveling models."), 0);
	prose_set_free(s);
}

static void test_findings_name_their_words(void **state)
{
	prose_set *s = set_with(base_words, WANT_RULE);
	struct found f;
	(void)state;
	f = run(s, "In the end the policy strives for a low reward.");
	assert_int_equal(f.n, 1);
	/* {low}? is optional: decoration, not named; "be" and "neg" are show: no */
	assert_string_equal(f.msg[0], "policy strives for a low reward | policy (agent), strives (want), reward (signal)");
	assert_int_equal(f.h[0].nwords, 3);
	assert_string_equal(f.h[0].words[1].cls, "want");
	prose_set_free(s);
}

static void test_frames_stay_inside_a_clause(void **state)
{
	prose_set *s = set_with(base_words, WANT_RULE);
	(void)state;
	/* a sentence end, a semicolon, a question mark end a clause */
	assert_int_equal(count(s, "The model is big. Wants reward, they say."), 0);
	assert_int_equal(count(s, "The model wants; reward comes later."), 0);
	/* a period before a digit or a lower-case letter does not */
	assert_int_equal(count(s, "The model in Eq. 3 wants reward."), 1);
	assert_int_equal(count(s, "The model, e.g. the policy, wants reward."), 1);
	assert_int_equal(count(s, "The model wants 0.3 more reward."), 1);
	/* quotes and brackets are transparent: quoted claims are reported */
	assert_int_equal(count(s, "The \"model\" (really) \"wants\" reward."), 1);
	/* gaps are bounded */
	assert_int_equal(count(s, "The model one two three four wants reward."), 0);
	assert_int_equal(count(s, "The model one two three wants reward."), 1);
	prose_set_free(s);
}

static void test_contexts_cancel_matches_where_they_say(void **state)
{
	prose_set *s = set_with(base_words, WANT_RULE);
	(void)state;
	assert_int_equal(count(s, "The model does not want reward."), 0);             /* inside */
	assert_int_equal(count(s, "It is misleading to say the model wants reward."), 0);   /* before */
	assert_int_equal(count(s, "We ask whether the model wants reward."), 0);      /* before */
	assert_int_equal(count(s, "Does the model want reward?"), 0);                 /* after */
	/* the context is looked for in the match's own sentence only */
	assert_int_equal(count(s, "We ask whether it rains. The model wants reward."), 1);
	/* a later start in the clause can still be asserted */
	assert_int_equal(count(s, "The model doesn't want loss, it wants reward."), 1);
	prose_set_free(s);
}

static void test_technical_compounds_are_not_class_words(void **state)
{
	prose_set *s = set_with(base_words, WANT_RULE);
	(void)state;
	assert_int_equal(count(s, "The reward model wants low loss."), 0);
	/* the frame goes on to the next agent word */
	assert_int_equal(count(s, "The reward model says the policy wants low loss."), 1);
	prose_set_free(s);
}

static void test_tightest_match_is_reported(void **state)
{
	prose_set *s = set_with(base_words, "code: LS990\nmessage: {match}\n"
				"frame: {signal} ...4 is ...2 safe\nbad: The reward is safe.\ngood: x y\n");
	struct found f;
	(void)state;
	f = run(s, "loss logs, where the reward is safe");
	assert_int_equal(f.n, 1);
	assert_string_equal(f.msg[0], "reward is safe");
	prose_set_free(s);
}

/*
 * A separator run is taken whole: a claim followed (or preceded) by
 * 90,000 brackets is still found, with no LS200 (one JIT stack frame per
 * character once exhausted PCRE2's JIT stack, and the sentence windows
 * then cut the claim apart).  Words that start with a separator character
 * ("+1", "'d rather") still follow a separator.
 */
static void test_long_separator_runs(void **state)
{
	/* "loss function": after "loss" the class tries a separator and a word */
	prose_set *s = set_with("class: agent\nnoun: model\nclass: want\nverb: want\nclass: low\nadj: low\n"
				"class: signal\nnoun: loss, loss function, loss term\n",
				"code: LS990\nmessage: {words}\nframe: {agent} ...3 {want} ...3 {low}? {signal}\n"
				"bad: The model wants low loss.\ngood: x y\n");
	prose_set *t = set_with("class: agent\nnoun: model\nclass: want\nword: 'd rather, wants\n"
				"class: signal\nword: +1, loss\n",
				"code: LS990\nmessage: {words}\nframe: {agent} ...2 {want} ...3 {signal}\n"
				"bad: The model wants that +1.\ngood: x y\n");
	size_t n = 90000, k = strlen("the model wants low loss");
	char *text = malloc(2 * n + k + 1);
	struct found f;
	(void)state;
	assert_non_null(text);
	memset(text, '[', n);
	memcpy(text + n, "the model wants low loss", k);
	memset(text + n + k, ']', n);
	text[2 * n + k] = '\0';
	f = run(s, text);
	assert_int_equal(f.n, 1);
	assert_false(f.h[0].gave_up);
	assert_int_equal(f.h[0].start, n + 4);
	assert_int_equal(f.h[0].end, n + k);
	free(text);
	f = run(t, "the model wants that +1");
	assert_int_equal(f.n, 1);
	assert_string_equal(f.msg[0], "model (agent), wants (want), +1 (signal)");
	assert_int_equal(count(t, "the model 'd rather have loss"), 1);
	prose_set_free(s);
	prose_set_free(t);
}

static void test_punctuation_and_raw_fragments(void **state)
{
	prose_set *s = set_with(base_words, "code: LS990\nmessage: {words}\n"
				"frame: {agent} ...2 goal : {low}? {signal}\n"
				"frame: /(?:(x)|(y))/ {signal} /(?!\\s+curves?)/\n"
				"bad: The model has one goal: low loss.\nbad: x loss\ngood: y loss curve\n");
	struct found f;
	(void)state;
	assert_int_equal(count(s, "The model has one goal:low loss."), 1);
	assert_int_equal(count(s, "y loss curves"), 0);
	/* a fragment's own parentheses do not capture, so the words stay right */
	f = run(s, "y reward");
	assert_int_equal(f.n, 1);
	assert_string_equal(f.msg[0], "reward (signal)");
	prose_set_free(s);
}

/*
 * A comma is punctuation as ':' is: two words with nothing between them
 * never match across one, a ',' token does, and ',?' takes the comma or
 * the plain separator its absence leaves.
 */
static void test_comma_tokens(void **state)
{
	prose_set *s = set_with(base_words, "code: LS990\nmessage: {words}\n"
				"frame: {low} {signal} , {low} {agent}\n"
				"frame: {signal} ,? (which | that) {want}\n"
				"bad: High reward, high model.\nbad: The reward which seeks.\ngood: x\n");
	(void)state;
	assert_int_equal(count(s, "High reward, high model."), 1);
	assert_int_equal(count(s, "High reward ,high model."), 1);
	assert_int_equal(count(s, "High reward high model."), 0);      /* the comma is required */
	assert_int_equal(count(s, "The reward which seeks."), 1);
	assert_int_equal(count(s, "The reward, which seeks."), 1);
	assert_int_equal(count(s, "The reward,which seeks."), 1);
	assert_int_equal(count(s, "The rewardwhich seeks."), 0);        /* no comma, no blank: one word */
	assert_int_equal(count(s, "The reward; which seeks."), 0);      /* a clause ends at ';' */
	prose_set_free(s);
	/* a rule file's frame may use it where a .words list could not */
	s = prose_set_new();
	assert_int_equal(load_rule(s, "code: LS990\nmessage: m\nframe: a ,? , b\n"), 0);
	prose_set_free(s);
}

/*
 * "if" supposes the claims of its own clause; after its comma a claim is
 * asserted unless a modal makes it the consequence.  The built-in
 * context is written in the frame language with a comma token.
 */
static void test_if_supposes_only_its_clause(void **state)
{
	prose_set *s = set_with("irregular: be: am, is, are, was, were, been, being\n"
				"class: agent\nnoun: model, agent\n"
				"class: want\nverb: want\n"
				"class: signal\nnoun: loss, reward\n"
				"context: hypothetical\nbefore: if /[^,;:]*$/\n"
				"sentence: if ...12 , ...8 (would | could | might)\n",
				"code: LS990\nmessage: {words}\ncontext: hypothetical\n"
				"frame: {agent} ...2 {want} ...2 {signal}\n"
				"bad: The model wants low loss.\ngood: If the model wants low loss, it cheats.\n");
	(void)state;
	assert_int_equal(count(s, "If the model wants low loss, it cheats."), 0);
	assert_int_equal(count(s, "If you squint, the agent wants reward."), 1);
	assert_int_equal(count(s, "If we removed the KL term, the agent would want reward."), 0);
	assert_int_equal(count(s, "The agent wants reward if we let it."), 1);
	prose_set_free(s);
}

/*
 * A group whose alternatives are all words or phrases is written as one
 * alternation; it must match exactly what the alternatives would, with
 * their inflections, phrases, the separator before it and word fences.
 */
static void test_word_groups_match_as_their_alternatives(void **state)
{
	prose_set *s = set_with(base_words, "code: LS990\nmessage: {words}\n"
				"frame: {signal} (match* | lines up | is the same as) (the | a) {virtue}\n"
				"frame: (only | just) {agent}? ({want} | tries hard)\n"
				"bad: the loss matched the good behaviour\nbad: just wants\n"
				"good: the loss matcher the good behaviour\n");
	(void)state;
	assert_int_equal(count(s, "the loss matches the good behaviour"), 1);
	assert_int_equal(count(s, "the loss matched the good behaviour"), 1);
	assert_int_equal(count(s, "the loss matching a safe one"), 1);
	assert_int_equal(count(s, "the loss matchings a safe one"), 0);
	assert_int_equal(count(s, "the reward lines  up a good behaviour"), 1);
	assert_int_equal(count(s, "the reward is the same as the safest"), 1);
	assert_int_equal(count(s, "the reward lines upward the good behaviour"), 0);
	assert_int_equal(count(s, "the lossmatches the good behaviour"), 0);
	assert_int_equal(count(s, "just the model tries hard"), 0);         /* "the" is not {agent} */
	assert_int_equal(count(s, "only the policy"), 0);
	assert_int_equal(count(s, "Only policy strives"), 1);
	assert_int_equal(count(s, "unjust policy strives"), 0);
	prose_set_free(s);
}

static void test_one_problem_one_finding(void **state)
{
	prose_set *s = set_with(base_words, NULL);
	struct found f;
	const char *a = "code: LS990\nconcept: 4\nmessage: a\nframe: {agent} ...3 {want}\n";
	const char *b = "code: LS991\nconcept: 4\nmessage: b\nframe: {want} ...3 {signal}\n";
	(void)state;
	assert_int_equal(prose_load_buffer(s, "a.rule", a, strlen(a), 0, err, sizeof err), 0);
	assert_int_equal(prose_load_buffer(s, "b.rule", b, strlen(b), 0, err, sizeof err), 0);
	f = run(s, "The model wants reward.");
	assert_int_equal(f.n, 1);
	assert_string_equal(f.h[0].rule->code, "LS990");
	prose_set_free(s);
}

static void test_load_errors_name_file_line_and_column(void **state)
{
	prose_set *s = set_with(base_words, NULL);
	(void)state;
	err[0] = '\0';
	assert_int_equal(load_rule(s, "code: LS990\nmessage: m\nframe: {agent} ...3 {wnat}\n"), -1);
	if (!strstr(err, "t.rule:3:21: error: unknown word class '{wnat}'"))
		fail_msg("%s", err);
	assert_int_equal(load_rule(s, "code: LS990\nmessage: m\nframe: ... {agent}\n"), -1);
	assert_non_null(strstr(err, "t.rule:3:8: error: a gap '...' must stand between two words"));
	assert_int_equal(load_rule(s, "code: LS990\nmessage: m\nframe: {agent} ...13 x\n"), -1);
	assert_non_null(strstr(err, "t.rule:3:16: error: a gap skips 1 to 12 words"));
	assert_int_equal(load_rule(s, "code: LS990\nmessage: m\nframe: (a | b\n"), -1);
	assert_non_null(strstr(err, "t.rule:3:8: error: '(' without a closing ')'"));
	assert_int_equal(load_rule(s, "code: LS990\nmessage: m\ncontext: nosuch\nframe: {agent}\n"), -1);
	assert_non_null(strstr(err, "t.rule:3: error: unknown context 'nosuch'"));
	prose_set_free(s);

	s = prose_set_new();
	assert_int_equal(load_words(s, "c.words", "class: a\nword: x {b}\nclass: b\nword: {a} y\n"), -1);
	assert_non_null(strstr(err, "c.words:"));
	assert_non_null(strstr(err, "contains itself"));
	prose_set_free(s);
	s = prose_set_new();
	assert_int_equal(load_words(s, "c.words", "noun: x\n"), -1);
	assert_non_null(strstr(err, "c.words:1: error: 'noun' outside a class"));
	prose_set_free(s);
	s = prose_set_new();
	assert_int_equal(load_words(s, "c.words", "class: a\nverb: {b}\nclass: b\nword: x\n"), -1);
	assert_non_null(strstr(err, "c.words:2:7: error: this verb entry has no word to inflect"));
	prose_set_free(s);
}

/*
 * Every way a frame or a .words entry can be malformed gets its own
 * message at the place of the fault (lossc-rules(5)), and the load fails.
 */
static void test_each_malformed_pattern_names_its_fault(void **state)
{
	static const struct {
		const char *frame;      /* after "frame: " on line 3 */
		const char *want;
	} frames[] = {
		{ "{Bad}", "t.rule:3:9: error: a class name is lower-case letters, digits, '-' or '_' (got '{Bad}')" },
		{ "(((((((((a)))))))))", "t.rule:3:16: error: groups nested too deeply (at most 8)" },
		{ "(a | | b)", "t.rule:3:12: error: empty alternative in a group" },
		{ "a ...0 b", "t.rule:3:10: error: a gap skips 1 to 12 words ('...3')" },
		{ "!{agent} x", "t.rule:3:8: error: expected a word, '{class}', '(' or '...'" },
		{ "a*b", "t.rule:3:9: error: '*' cannot appear inside a word (a word is letters, digits, '-', '\\'' and '.')" },
		{ "/abc", "t.rule:3:8: error: '/' without a closing '/'" },
		{ "//", "t.rule:3:8: error: an empty '//' fragment" },
		{ "a | b", "t.rule:3:10: error: '|' outside a group" },
		{ "a ) b", "t.rule:3:10: error: ')' outside a group" },
		{ "a } b", "t.rule:3:10: error: '}' without an opening '{'" },
		{ "{agent}x", "t.rule:3:15: error: expected a blank after this token" },
		{ "a := b", "t.rule:3:10: error: expected a word, '{class}', '(' or '...'" },
		{ "", "t.rule:3: error: 'frame' has an empty value" },
		{ "{agent", "t.rule:3:8: error: '{' without a closing '}'" },
		{ "{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}",
		  "t.rule:3:9: error: a class name is lower-case letters, digits, '-' or '_' (got '{aaaa" },
		{ "a ...13 b", "t.rule:3:10: error: a gap skips 1 to 12 words ('...3')" },
		{ "a ...99999999999 b", "t.rule:3:10: error: a gap skips 1 to 12 words ('...3')" },
		{ "a ...3!{x}", "t.rule:3:10: error: unknown word class '{x}'" },
		{ "a .. b", "t.rule:3:10: error: expected a word, '{class}', '(' or '...'" },
		{ "a:x", "t.rule:3:8: error: 'a:x': a frame matches inside one clause, so its words cannot hold . ! ? ; or :" },
		{ "(a:)", "t.rule:3:9: error: 'a:': a frame matches inside one clause, so its words cannot hold . ! ? ; or :" },
		{ "a,?x", "t.rule:3:10: error: '?' cannot appear inside a word" },
	};
	static const struct {
		const char *words, *want;
	} words[] = {
		{ "class: a\nword: x\nshow: maybe\n", "c.words:3: error: show: yes or no" },
		{ "show: yes\n", "c.words:1: error: 'show' outside a class (start one with 'class: NAME')" },
		{ "class: a\nword: x\nprefilter: other\n", "c.words:3: error: prefilter: the only shape lossc knows is #capnum" },
		{ "prefilter: capnum\n", "c.words:1: error: 'prefilter' outside a class (start one with 'class: NAME')" },
		{ "class: Agent\n", "c.words:1: error: class name 'Agent': use lower-case letters, digits, '-' and '_'" },
		{ "title: x\n", "c.words:1: error: 'title' before any 'class:' or 'context:'" },
		{ "spelling: ize\n", "c.words:1: error: spelling: write 'a = b', two spellings of a piece of a word (spelling: ize = ise)" },
		{ "spelling: = ise\n", "c.words:1: error: spelling: write 'a = b', two spellings of a piece of a word (spelling: ize = ise)" },
		{ "spelling: a b = c\n", "c.words:1: error: spelling: write 'a = b', two spellings of a piece of a word (spelling: ize = ise)" },
		{ "irregular: go\n", "c.words:1: error: irregular: write 'base: form, form, ...' (irregular: seek: seeks, sought, seeking)" },
		{ "irregular: go:\n", "c.words:1: error: irregular 'go' lists no forms" },
		{ "class: a\nword: x\nclass: e\n", "c.words:3: error: class 'e' has no entries" },
		{ "class: a\nverb: want* do*\n", "c.words:2:7: error: only one word of an entry can be inflected ('*')" },
		{ "context: c\nbefore: {nosuch}\nclass: a\nword: x\n", "c.words:2:9: error: unknown word class '{nosuch}'" },
		{ "inside: x\n", "c.words:1: error: 'inside' outside a context (start one with 'context: NAME')" },
		{ "class: a\nword: x\ncommon:\n", "c.words:3: error: 'common' has an empty value" },
		{ "class: a\nword: *\n", "c.words:2:7: error: expected a word, '{class}', '(' or '...'" },
		{ "class: a\nword: a ...3!{Bad} b\n",
		  "c.words:2:15: error: a class name is lower-case letters, digits, '-' or '_' (got '{Bad}')" },
		{ "class: a\nword: a ...3!{nosuch} b\n", "c.words:2:9: error: unknown word class '{nosuch}'" },
		{ "class: a\nword: a?\n", "c.words:2:7: error: a word pattern needs at least one word that is not optional" },
		{ "class: a\nverb: (a | b)*\n", "c.words:2:14: error: expected a blank after this token" },
		{ "class: a\nword: \"a\"\n",
		  "c.words:2:7: error: '\"' cannot appear inside a word (a word is letters, digits, '-', '\\'' and '.')" },
		{ "class: a\nword: a\\b\n",
		  "c.words:2:8: error: '\\' cannot appear inside a word (a word is letters, digits, '-', '\\'' and '.')" },
		{ "class: a\nword: ...3\n", "c.words:2:7: error: a gap '...' must stand between two words" },
	};
	char rule[256];
	(void)state;
	for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++) {
		prose_set *s = set_with(base_words, NULL);
		snprintf(rule, sizeof rule, "code: LS990\nmessage: m\nframe: %s\n", frames[i].frame);
		assert_int_equal(load_rule(s, rule), -1);
		if (!strstr(err, frames[i].want))
			fail_msg("frame '%s': got '%s', want '%s'", frames[i].frame, err, frames[i].want);
		prose_set_free(s);
	}
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		prose_set *s = prose_set_new();
		int rc = load_words(s, "c.words", words[i].words);
		if (rc == 0)    /* some faults show when the classes are finalized, at the first rule */
			rc = load_rule(s, "code: LS990\nmessage: m\nframe: x y\n");
		assert_int_equal(rc, -1);
		if (!strstr(err, words[i].want))
			fail_msg("words '%s': got '%s', want '%s'", words[i].words, err, words[i].want);
		prose_set_free(s);
	}
}

static void test_team_files_extend_classes(void **state)
{
	prose_set *s = set_with(base_words, WANT_RULE);
	(void)state;
	assert_int_equal(count(s, "Orca wants reward."), 0);
	assert_int_equal(load_words(s, "team.words", "class: agent\nnoun: Orca\n"), 0);
	assert_int_equal(count(s, "Orca wants reward."), 1);
	assert_int_equal(count(s, "The orcas want reward."), 1);
	/* drop removes an entry as written */
	assert_int_equal(load_words(s, "team.words", "class: agent\ndrop: it\n"), 0);
	assert_int_equal(count(s, "Surely it wants reward."), 0);
	prose_set_free(s);
}

/* xorshift: a fixed sequence, so a failure reproduces */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* A random sentence of min..min+spread-1 parts into text; returns its length. */
static size_t random_text(char *text, size_t size, const char *const *parts, size_t nparts, int min, int spread)
{
	size_t n = 0;
	int k, words = min + (int)(rnd() % (uint64_t)spread);
	for (k = 0; k < words && n < size - 64; k++)
		n += (size_t)snprintf(text + n, size - n, "%s%s", k && rnd() % 4 ? " " : "", parts[rnd() % nparts]);
	return n;
}

/* Frame line rule (a "frame: ..." entry) of L compiled, and its pattern compiled as lossc does. */
static pcre2_code *compile_frame(lang *L, const char *rule, rf_file *f, lang_seq **seq, lang_pattern *pat)
{
	static const char *const names[] = {"frame"};
	static const rf_keys keys = {names, 1, 1u, 0, 0, "frame"};
	pcre2_code *re;
	int ec;
	PCRE2_SIZE eo;
	assert_int_equal(rf_parse(f, "t.rule", rule, strlen(rule), &keys, err, sizeof err), 0);
	*seq = lang_parse(L, f, &f->e[0], err, sizeof err);
	assert_non_null(*seq);
	assert_int_equal(lang_compile(L, *seq, 1, pat, err, sizeof err), 0);
	re = pcre2_compile((PCRE2_SPTR)pat->regex, PCRE2_ZERO_TERMINATED,
			   PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP | PCRE2_NO_AUTO_CAPTURE, &ec, &eo, NULL);
	assert_non_null(re);
	return re;
}

/* One match of a frame on a random text, with the prefilter's clauses of that text. */
struct frame_match {
	const lang_pattern *pat;
	const char *text;
	size_t start, end;              /* the match */
	const pf_clause *cl;
	size_t ncl;
};

/*
 * The randomized tests' skeleton: compile frame rule of L, then over
 * rounds random texts of parts (min..min+spread-1 of them) scan each with
 * the prefilter and hand every match of the frame's pattern (searched over
 * the whole text) to check.  Returns the number of matches.
 */
static int walk_frame_matches(lang *L, const char *rule, const char *const *parts, size_t nparts, int rounds,
			      int min, int spread, void (*check)(const struct frame_match *m, void *ctx), void *ctx,
			      lang_pattern *pat_out)
{
	rf_file f;
	lang_seq *seq;
	lang_pattern pat;
	pcre2_code *re = compile_frame(L, rule, &f, &seq, &pat);
	pcre2_match_data *md = pcre2_match_data_create(32, NULL);
	prefilter *pf = pf_new(L);
	int i, matches = 0;
	if (pat_out)
		*pat_out = pat;
	for (i = 0; i < rounds; i++) {
		char text[512];
		size_t n = random_text(text, sizeof text, parts, nparts, min, spread), off = 0;
		struct frame_match m;
		m.pat = &pat;
		m.text = text;
		m.ncl = pf_scan(pf, text, n, &m.cl);
		while (off <= n && pcre2_match(re, (PCRE2_SPTR)text, n, off, 0, md, NULL) >= 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			m.start = ov[0];
			m.end = ov[1];
			check(&m, ctx);
			matches++;
			off = ov[1] > off ? ov[1] : off + 1;
		}
	}
	pf_free(pf);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	if (!pat_out)
		lang_pattern_free(&pat);
	lang_seq_free(seq);
	rf_free(&f);
	return matches;
}

/*
 * The prefilter must never rule out a clause a frame matches: over random
 * sentences made of the classes' own words and glue, every match of the
 * frame's pattern (run on the whole text, no prefilter) must lie inside a
 * clause the prefilter returned with all of the frame's keys.
 */
static void check_prefilter_keeps(const struct frame_match *m, void *ctx)
{
	size_t c, q;
	int ok = 0;
	(void)ctx;
	for (c = 0; c < m->ncl && !ok; c++) {
		if (m->cl[c].start > m->start || m->end > m->cl[c].end)
			continue;
		for (q = 0; q < m->pat->nreq; q++)
			if (!((m->cl[c].keys[m->pat->req[q] / 64] >> (m->pat->req[q] % 64)) & 1u))
				break;
		ok = q == m->pat->nreq;
	}
	if (!ok)
		fail_msg("the prefilter hides the match at %lu-%lu of: %s", (unsigned long)m->start,
			 (unsigned long)m->end, m->text);
}

static void test_prefilter_never_hides_a_match(void **state)
{
	static const char *const parts[] = {
		"The", "model", "models", "policy", "It", "wants", "wanted", "sought", "strives", "tries to get",
		"cares deeply about", "low", "lower", "smallest", "loss", "LOSSES", "reward", "reward model",
		"the", "a", "and", "not", ",", ".", "?", ";", "Eq. 3", "e.g.", "0.5", "\"", "(", ")", "-", "x",
		"Minimise", "caf\xc3\xa9", "\xe2\x80\x99s", "\xe2\x80\x94", "GPT-4", "\n"};
	const char *rule = "frame: {agent} ...3 {want} ...3 {low}? {signal}\n";
	lang *L = lang_new();
	lang_pattern pat;
	int matches;
	(void)state;
	assert_int_equal(lang_load(L, "t.words", base_words, strlen(base_words), err, sizeof err), 0);
	assert_int_equal(lang_finalize(L, err, sizeof err), 0);
	matches = walk_frame_matches(L, rule, parts, sizeof parts / sizeof *parts, 5000, 3, 14, check_prefilter_keeps,
				     NULL, &pat);
	assert_int_equal((int)pat.nreq, 3);      /* agent, want, signal ({low}? is optional) */
	assert_true(matches > 100);      /* the test saw real matches */
	lang_pattern_free(&pat);
	lang_free(L);
}

/*
 * A frame is tried only where one of its start words stands (or as many
 * bytes before it as its first forms' leads: "+1", "'d rather"), and only
 * where its keyed words follow in its order.  Over random sentences, every
 * match of each frame's pattern (run on the whole text) must start at such
 * a word, with such a chain after it, in a clause whose word positions
 * hold; a clause with a character that folds to an ASCII letter ("ſ")
 * must hold every key instead.
 */
struct start_counts {
	int folded, back;
};

static void check_starts_at_start_word(const struct frame_match *m, void *ctx)
{
	struct start_counts *n = ctx;
	const lang_pattern *pat = m->pat;
	const pf_clause *c = NULL;
	size_t j, q, h = 0;
	for (j = 0; j < m->ncl && !c; j++)
		if (m->cl[j].start <= m->start && m->end <= m->cl[j].end)
			c = &m->cl[j];
	if (!c)
		fail_msg("no clause holds the match at %lu of: %s", (unsigned long)m->start, m->text);
	if (c->fold) {
		for (q = 0; q < pat->nreq; q++)
			assert_true((c->keys[pat->req[q] / 64] >> (pat->req[q] % 64)) & 1u);
		n->folded++;
		return;
	}
	{
		int at_start = 0;
		for (j = 0; j < c->nhits && !at_start; j++)
			for (q = 0; q <= LANG_START_BACK_MAX && !at_start; q++)
				at_start = (pat->startback >> q) & 1u && c->hits[j].at == m->start + q &&
					   ((c->hits[j].keys[pat->start / 64] >> (pat->start % 64)) & 1u);
		if (!at_start)
			fail_msg("the match at %lu starts at no start word: %s", (unsigned long)m->start, m->text);
	}
	n->back += m->text[m->start] == '+' || m->text[m->start] == '\'' || m->text[m->start] == '\xe2';
	/* the keyed words, in order, the earliest first */
	for (q = 0; q < pat->nreq; q++) {
		while (h < c->nhits && (c->hits[h].at < m->start ||
					!((c->hits[h].keys[pat->req[q] / 64] >> (pat->req[q] % 64)) & 1u)))
			h++;
		if (h == c->nhits)
			fail_msg("key %lu of the match at %lu is missing or out of order: %s", (unsigned long)q,
				 (unsigned long)m->start, m->text);
		h++;
	}
}

static void test_frames_start_at_their_start_words(void **state)
{
	static const char *const parts[] = {
		"The", "model", "policy", "It", "wants", "sought", "tries to get", "low", "loss", "reward",
		"reward model", "the", "a", "and", "not", ",", ".", ";", "e.g.", "\"", "(", "-", "x", "+1", "+1s",
		"'d rather", "\xe2\x80\x99" "d rather", "d rather", "thumbs-up", "thumbs up", "\xc5\xbf" "eeks", "lo\xc5\xbfs",
		"\xe2\x84\xaa", "caf\xc3\xa9", "\n"};
	static const char *const frames[] = {
		"frame: {bonus}? {agent} ...3 {want} ...3 {low}? {signal}\n",
		"frame: {bonus} ...2 {signal}\n",
		"frame: ({bonus} | it) ...3 {agent}\n",
	};
	char words[4096];
	lang *L = lang_new();
	struct start_counts n = {0, 0};
	size_t fi;
	int matches = 0;
	(void)state;
	snprintf(words, sizeof words, "%sclass: bonus\nword: +1, 'd rather, thumbs-up\n", base_words);
	assert_int_equal(lang_load(L, "t.words", words, strlen(words), err, sizeof err), 0);
	assert_int_equal(lang_finalize(L, err, sizeof err), 0);
	for (fi = 0; fi < sizeof frames / sizeof *frames; fi++) {
		lang_pattern pat;
		matches += walk_frame_matches(L, frames[fi], parts, sizeof parts / sizeof *parts, 4000, 2, 12,
					      check_starts_at_start_word, &n, &pat);
		assert_true(pat.start != LANG_NONE);
		assert_int_equal(pat.startback, 1u | 2u | 8u);  /* "+1": 1 byte; "'d": 1 or 3 */
		lang_pattern_free(&pat);
	}
	/* the test saw real matches, some with a lead before the word, some in folding clauses */
	assert_true(matches > 300);
	assert_true(n.back > 20);
	assert_true(n.folded > 5);
	lang_free(L);
}

static void test_capnum_names_reach_the_frames(void **state)
{
	const char *words = "class: name\nword: /\\b(?-i:[A-Z][A-Za-z]*[- ]?[0-9][0-9.]*[a-z]?)\\b/\n"
			    "prefilter: \\#capnum\nclass: want\nverb: want\nclass: signal\nnoun: reward\n";
	prose_set *s = set_with(words, "code: LS990\nmessage: {words}\nframe: {name} ...2 {want} {signal}\n"
				"bad: GPT-4 wants reward.\ngood: gpt wants reward.\n");
	(void)state;
	assert_int_equal(count(s, "GPT-4 wants reward."), 1);
	assert_int_equal(count(s, "Atlas 2 wants reward."), 1);
	assert_int_equal(count(s, "Llama3 wants reward."), 1);
	assert_int_equal(count(s, "llama wants reward."), 0);
	prose_set_free(s);
}

static void test_rules_test_checks_each_frame(void **state)
{
	prose_set *s = set_with(base_words, "code: LS990\nmessage: m\nframe: {agent} ...3 {want} {signal}\n"
				"frame: {signal} is ...2 safe\nbad: The model wants reward.\ngood: nothing here\n");
	FILE *out = tmpfile();
	char buf[1024];
	size_t n;
	(void)state;
	assert_non_null(out);
	assert_int_equal(prose_test_rule(s, prose_find(s, "LS990"), out), 1);
	rewind(out);
	n = fread(buf, 1, sizeof buf - 1, out);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "t.rule:4: error: rule LS990's frame fires on none of its bad examples"));
	fclose(out);
	prose_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inflections_and_spellings_are_generated),
		cmocka_unit_test(test_regular_inflections_by_spelling),
		cmocka_unit_test(test_inflections_do_not_overgenerate),
		cmocka_unit_test(test_spelling_pairs_work_both_ways),
		cmocka_unit_test(test_spelling_pairs_that_feed_each_other_end),
		cmocka_unit_test(test_findings_name_their_words),
		cmocka_unit_test(test_frames_stay_inside_a_clause),
		cmocka_unit_test(test_contexts_cancel_matches_where_they_say),
		cmocka_unit_test(test_technical_compounds_are_not_class_words),
		cmocka_unit_test(test_tightest_match_is_reported),
		cmocka_unit_test(test_punctuation_and_raw_fragments),
		cmocka_unit_test(test_comma_tokens),
		cmocka_unit_test(test_if_supposes_only_its_clause),
		cmocka_unit_test(test_long_separator_runs),
		cmocka_unit_test(test_word_groups_match_as_their_alternatives),
		cmocka_unit_test(test_one_problem_one_finding),
		cmocka_unit_test(test_load_errors_name_file_line_and_column),
		cmocka_unit_test(test_each_malformed_pattern_names_its_fault),
		cmocka_unit_test(test_team_files_extend_classes),
		cmocka_unit_test(test_prefilter_never_hides_a_match),
		cmocka_unit_test(test_frames_start_at_their_start_words),
		cmocka_unit_test(test_capnum_names_reach_the_frames),
		cmocka_unit_test(test_rules_test_checks_each_frame),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
