/*
 * test_prosemodel.c: the clause models (src/prosemodel.c) and how prose.c
 * runs them: file errors name file, line and column; words and phrases of
 * the named classes are found, identifiers are not; the score is the
 * weights of the features present, word order included; a model's finding
 * keeps its rule's code and contexts, names its words and spans exactly
 * their bytes, and runs only where no frame found anything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prose.h"
#include "prosemodel.h"

static char err[1024];

static const char *srcdir(void)
{
	const char *top = getenv("top_srcdir");
	return top ? top : ".";
}

/*
 * The built-in rules and classes without the built-in models (a directory
 * of links to rules/ *.rule and *.words), so each test sees its own model only.
 */
static prose_set *builtin(void)
{
	static char dir[] = "/tmp/test_prosemodel.rules.XXXXXX";
	static int made;
	char src[4096], from[8192], to[8192];
	prose_set *s = prose_set_new();
	if (!made) {
		FILE *ls;
		char name[1024];
		if (!mkdtemp(dir))
			fail_msg("mkdtemp");
		snprintf(src, sizeof src, "cd '%s/rules' && ls *.rule *.words", srcdir());
		ls = popen(src, "r");
		assert_non_null(ls);
		while (fgets(name, sizeof name, ls)) {
			name[strcspn(name, "\n")] = '\0';
			snprintf(from, sizeof from, "%s/rules/%s", srcdir(), name);
			snprintf(to, sizeof to, "%s/%s", dir, name);
			if (from[0] != '/') {
				char cwd[4096];
				if (!getcwd(cwd, sizeof cwd))
					fail_msg("getcwd");
				snprintf(from, sizeof from, "%s/%s/rules/%s", cwd, srcdir(), name);
			}
			if (symlink(from, to) != 0)
				fail_msg("symlink %s", to);
		}
		pclose(ls);
		made = 1;
	}
	if (prose_load_dir(s, dir, 1, err, sizeof err) != 0)
		fail_msg("%s", err);
	return s;
}

static void expect_load_error(const char *text, const char *want)
{
	pm_set *m = pm_new();
	err[0] = '\0';
	assert_int_equal(pm_load(m, "t.model", text, strlen(text), err, sizeof err), -1);
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s'", err, want);
	pm_free(m);
}

static void test_file_errors_name_file_line_and_column(void **state)
{
	(void)state;
	expect_load_error("weight: agent 1\n", "t.model:1:9: error: 'weight:' before the first 'model:'");
	expect_load_error("model: 5\ncode: LS211\n", "t.model:1:8: error: model: expected a concept, 3 or 4");
	expect_load_error("model: 4\ncode: LS211\nweight: agent\n", "t.model:3:14: error: weight: expected");
	expect_load_error("model: 4\ncode: LS211\nweight: agent< 1\n", "t.model:3:15: error: weight: expected");
	expect_load_error("model: 4\ncode: LS211\nbias: low\n", "t.model:3:7: error: bias: expected a number");
	expect_load_error("model: 4\nweight: agent 1\n", "t.model:1:8: error: the model has no 'code:'");
	expect_load_error("model: 3\ncode: LS202\n\nmodel: 4\nweight: agent 1\n",
			  "t.model:4:8: error: the model has no 'code:'");
	expect_load_error("model: 4\ncode: LS211\ncolour: red\n", "t.model:3:1: error: unknown key 'colour'");
	expect_load_error("model: 4\ncode: LS211\nthreshold: nan\n", "t.model:3:12: error: threshold: expected a number");
	expect_load_error("model: 4\ncode: LS211\nweight: agent 1e999\n", "t.model:3:14: error: weight: expected");
	expect_load_error("model: 4\ncode: LS211\nrequire: ,\n", "t.model:3:10: error: require: expected class names");
	expect_load_error("model: 4\ncode: LS211\nreport: agent, <\n", "t.model:3:16: error: report: expected class names");
	expect_load_error("model: 4\ncode: LS211\nrequire: a\nrequire: b\nrequire: c\nrequire: d\nrequire: e\n",
			  "t.model:7:10: error: more than 4 'require:' lines in one model");
	expect_load_error("model: 4\ncode: LS211\nmodel: x\n", "t.model:3:8: error: model: expected a concept");
	expect_load_error("model: 4\ncode: LS211\ncode\n", "t.model:3:1: error: expected 'key: value'");
	/* a good model before the error is not kept: the file fails as a whole */
	expect_load_error("model: 4\ncode: LS211\nweight: agent 1\nmodel: 3\nweight: value\n",
			  "t.model:5:14: error: weight: expected");
}

static void test_unknown_class_is_reported_at_bind(void **state)
{
	prose_set *s = builtin();
	pm_set *m = pm_new();
	const char *text = "model: 4\ncode: LS211\nweight: agent 1\nweight: agent<wnat 2\n";
	(void)state;
	assert_int_equal(pm_load(m, "t.model", text, strlen(text), err, sizeof err), 0);
	assert_int_equal(pm_bind(m, prose_lang(s), err, sizeof err), -1);
	if (!strstr(err, "t.model:4:9: error: unknown word class 'wnat'"))
		fail_msg("got '%s'", err);
	pm_free(m);
	prose_set_free(s);
}

static pm_set *model(prose_set *s, const char *text)
{
	pm_set *m = pm_new();
	if (pm_load(m, "t.model", text, strlen(text), err, sizeof err) != 0 ||
	    pm_bind(m, prose_lang(s), err, sizeof err) != 0)
		fail_msg("%s", err);
	return m;
}

static void test_words_phrases_and_identifiers(void **state)
{
	prose_set *s = builtin();
	pm_set *m = model(s, "model: 4\ncode: LS211\nweight: agent 1\nweight: signal 1\n");
	pm_token *tok = NULL;
	size_t cap = 0, n;
	const char *t = "The Policy lowers its cross-entropy; reward_is_the_target stays.";
	(void)state;
	n = pm_tokens(m, t, 0, strlen(t), &tok, &cap);
	/* "Policy" (agent, any case) and "cross-entropy" (one signal phrase); the identifier is no words */
	assert_int_equal(n, 2);
	assert_int_equal(tok[0].start, 4);
	assert_int_equal(tok[0].end, 10);
	assert_int_equal(tok[n - 1].start, (size_t)(strstr(t, "cross") - t));
	assert_int_equal(tok[n - 1].end, (size_t)(strstr(t, ";") - t));
	free(tok);
	pm_free(m);
	prose_set_free(s);
}

static double score_of(pm_set *m, const char *t)
{
	pm_token *tok = NULL;
	size_t cap = 0, n = pm_tokens(m, t, 0, strlen(t), &tok, &cap);
	double z = pm_score(pm_at(m, 0), tok, n);
	free(tok);
	return z;
}

static void test_score_counts_order(void **state)
{
	prose_set *s = builtin();
	pm_set *m = model(s, "model: 4\ncode: LS211\nbias: -1.5\nweight: agent<want 1\nweight: want<signal 1.25\n"
			  "weight: signal<agent -0.5\n");
	(void)state;
	assert_true(score_of(m, "the learner craves reward") == -1.5 + 1 + 1.25);
	/* the same words in another order hold other pairs */
	assert_true(score_of(m, "reward craves the learner") == -1.5 + -0.5);
	assert_true(score_of(m, "nothing here") == -1.5);
	pm_free(m);
	prose_set_free(s);
}

/* Lint one sentence with the built-in rules plus a team directory holding model. */
struct found {
	char code[8];
	size_t start, end, nwords;
	char words[256];
	int n;
};

static void on_hit(const prose_hit *h, void *ctx)
{
	struct found *f = ctx;
	size_t i, len;
	f->n++;
	snprintf(f->code, sizeof f->code, "%s", h->rule->code);
	f->start = h->start;
	f->end = h->end;
	f->nwords = h->nwords;
	f->words[0] = '\0';
	for (i = 0; i < h->nwords; i++) {
		len = strlen(f->words);
		snprintf(f->words + len, sizeof f->words - len, "%s%s", i ? " " : "", h->words[i].cls);
	}
}

static prose_set *with_model(const char *text)
{
	char dir[] = "/tmp/test_prosemodel.XXXXXX", path[4096];
	prose_set *s = builtin();
	FILE *f;
	if (!mkdtemp(dir))
		fail_msg("mkdtemp");
	snprintf(path, sizeof path, "%s/team.model", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	if (prose_load_dir(s, dir, 0, err, sizeof err) != 0)
		fail_msg("%s", err);
	unlink(path);
	rmdir(dir);
	return s;
}

static struct found lint(prose_set *s, const char *t)
{
	struct found f;
	memset(&f, 0, sizeof f);
	prose_check_text(s, t, strlen(t), PROSE_SCOPE_ALL, NULL, on_hit, &f);
	return f;
}

#define TEAM_MODEL                                                                                         \
	"model: 4\ncode: LS211\nrequire: signal\nthreshold: 0.5\nbias: -2\nreport: agent, signal, zeal\n"  \
	"weight: agent<signal 1.5\nweight: zeal 1.5\n"

static void test_model_finding_keeps_code_contexts_and_span(void **state)
{
	prose_set *s = with_model(TEAM_MODEL);
	/* no frame has "X, relentlessly, about Y" (checked below with the models off) */
	const char *t = "Our planner is relentlessly about its reward, day and night.";
	struct found f;
	(void)state;
	prose_set_models(s, 0);
	assert_int_equal(lint(s, t).n, 0);
	prose_set_models(s, 1);
	f = lint(s, t);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.code, "LS211");
	/* from "planner" to "reward", naming the reported classes only */
	assert_int_equal(f.start, (size_t)(strstr(t, "planner") - t));
	assert_int_equal(f.end, (size_t)(strstr(t, ",") - t));
	assert_string_equal(f.words, "agent zeal signal");
	/* LS211's contexts apply: put under test, the claim is not reported */
	assert_int_equal(lint(s, "We test whether our planner is relentlessly about its reward.").n, 0);
	assert_int_equal(lint(s, "It is not true that our planner is relentlessly about its reward.").n, 0);
	/* a word inside its class's technical compound is not that class's word */
	assert_int_equal(lint(s, "Our PID controller is relentlessly about its error.").n, 0);
	assert_int_equal(lint(s, "Our controller is relentlessly about its error.").n, 1);
	/* below the threshold (no zeal): nothing */
	assert_int_equal(lint(s, "Our planner is about its reward.").n, 0);
	/* a claim a frame found and the contexts ruled out is not the model's to
	   report: its span would start at "It" and leave the cue "wrong to say"
	   inside, where a before-context cannot see it */
	t = "It is wrong to say the planner relentlessly wants to maximize its reward.";
	prose_set_models(s, 0);
	assert_int_equal(lint(s, "The planner relentlessly wants to maximize its reward.").n, 1);
	prose_set_models(s, 1);
	assert_int_equal(lint(s, t).n, 0);
	/* (the model alone, where no frame matched, still reports the same words) */
	assert_int_equal(lint(s, "It is relentlessly about its reward.").n, 1);
	/* a clause a frame already reports gets that one finding only */
	f = lint(s, "The planner relentlessly wants to maximize its reward.");
	assert_int_equal(f.n, 1);
	assert_true(f.nwords >= 3 && strstr(f.words, "want") != NULL);
	prose_set_free(s);
}

/*
 * A file of five models (the set grows past its first four), blanks and
 * tabs between class names, and a clause of 40 classed words (the token
 * array grows past 32): every model is kept, every word found in order.
 */
static void test_many_models_and_many_words(void **state)
{
	prose_set *s = builtin();
	char text[1024];
	size_t n = 0, i, cap = 0;
	pm_token *tok = NULL;
	pm_set *m;
	(void)state;
	for (i = 0; i < 5; i++)
		n += (size_t)snprintf(text + n, sizeof text - n,
				      "model: %d\ncode: LS211\nrequire:\tagent ,\tsignal\nweight: agent<signal\t%zu\n\n",
				      i % 2 ? 3 : 4, i + 1);
	m = model(s, text);
	assert_int_equal(pm_count(m), 5);
	for (i = 0; i < 5; i++) {
		const pm_model *pm = pm_at(m, i);
		assert_int_equal(pm->concept, i % 2 ? 3 : 4);
		assert_int_equal(pm->nrequire, 1);
		assert_true(pm->before[0][1] == (double)(i + 1));
	}
	for (n = 0, i = 0; i < 40; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "%s ", i % 2 ? "reward" : "agent");
	n = pm_tokens(m, text, 0, strlen(text), &tok, &cap);
	assert_int_equal(n, 40);
	assert_true(cap >= 40);
	for (i = 0; i < 40; i++)
		assert_int_equal(tok[i].start, 13 * (i / 2) + (i % 2 ? 6 : 0));
	free(tok);
	pm_free(m);
	prose_set_free(s);
}

/* A model without report: names every class with a positive weight present, whatever its class. */
static void test_model_without_report_names_every_positive_class(void **state)
{
	prose_set *s = with_model("model: 4\ncode: LS211\nrequire: signal\nthreshold: 0.5\nbias: -2\n"
				  "weight: agent<signal 1.5\nweight: zeal 1.5\n");
	struct found f;
	(void)state;
	f = lint(s, "Our planner is relentlessly about its reward, day and night.");
	assert_int_equal(f.n, 1);
	assert_string_equal(f.words, "agent zeal signal");
	prose_set_free(s);
	/* the same model with report: zeal names that word only */
	s = with_model("model: 4\ncode: LS211\nrequire: signal\nthreshold: 0.5\nbias: -2\nreport: zeal\n"
		       "weight: agent<signal 1.5\nweight: zeal 1.5\n");
	f = lint(s, "Our planner is relentlessly about its reward, day and night.");
	assert_int_equal(f.n, 1);
	assert_string_equal(f.words, "zeal");
	prose_set_free(s);
}

/*
 * A model set may name at most 64 classes (a bit each): the 65th is an
 * error at the line and column that names it, and the load fails.
 */
static void test_more_than_64_classes_is_an_error(void **state)
{
	prose_set *s = builtin();
	const lang *L = prose_lang(s);
	size_t have = lang_class_count(L), i, n = 0, cap = 1 << 16;
	char *words = malloc(cap), *mod = malloc(cap), want[128];
	pm_set *m = pm_new();
	(void)state;
	assert_true(have < 65);
	/* team classes up to 65 in all */
	for (i = 0; i < 65 - have; i++)
		n += (size_t)snprintf(words + n, cap - n, "class: team%zu\nword: zork%zu\n", i, i);
	assert_int_equal(prose_load_words_buffer(s, "team.words", words, n, err, sizeof err), 0);
	n = (size_t)snprintf(mod, cap, "model: 4\ncode: LS211\n");
	for (i = 0; i < 65; i++)
		n += (size_t)snprintf(mod + n, cap - n, "weight: %s 1\n", lang_class_name(prose_lang(s), i));
	assert_int_equal(pm_load(m, "t.model", mod, n, err, sizeof err), 0);
	assert_int_equal(pm_bind(m, prose_lang(s), err, sizeof err), -1);
	/* the 65th weight line is line 2 + 65 */
	snprintf(want, sizeof want, "t.model:67:9: error: more than 64 classes in the models");
	if (!strstr(err, want))
		fail_msg("got '%s', want '%s'", err, want);
	pm_free(m);
	free(words);
	free(mod);
	prose_set_free(s);
}

/* The classes of the token at word index k of a dump line (its k-th blank-separated field), '+'-joined. */
static const char *dump_field(const char *line, int k, char *buf, size_t size)
{
	size_t n;
	while (k-- > 0) {
		line = strchr(line, ' ');
		if (!line)
			return NULL;
		line++;
	}
	n = strcspn(line, " ");
	snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), line);
	return buf;
}

/* 1 when the '+'-joined class list holds cls. */
static int has_class(const char *list, const char *cls)
{
	size_t n = strlen(cls);
	for (const char *p = list; (p = strstr(p, cls)) != NULL; p += n)
		if ((p == list || p[-1] == '+') && (p[n] == '\0' || p[n] == '+'))
			return 1;
	return 0;
}

/*
 * prose_model_dump, the training data of scripts/train-prose-model (through
 * corpus_check --dump): one line per segment of each clause the prefilter
 * keeps, "-" for a clause no frame was tried on; a segment's line is its classed words in
 * order, each as its classes joined by '+'; a clause is cut at ", which";
 * an identifier is no word.  The count returned is the lines written.
 */
static void test_model_dump_writes_each_segment(void **state)
{
	prose_set *s = builtin();
	const char *t = "The weather is nice today. The agent wants a low loss, which is where reward_is_the_target helps.";
	char out[4096], *lines[8], field[256];
	FILE *f = tmpfile();
	size_t n, nlines = 0, len;
	int k, agent = -1, want = -1, signal = -1;
	(void)state;
	assert_non_null(f);
	n = prose_model_dump(s, t, strlen(t), f);
	rewind(f);
	len = fread(out, 1, sizeof out - 1, f);
	fclose(f);
	out[len] = '\0';
	for (char *p = strtok(out, "\n"); p && nlines < 8; p = strtok(NULL, "\n"))
		lines[nlines++] = p;
	assert_int_equal(n, 3);
	assert_int_equal(nlines, 3);
	/* the weather: a clause the prefilter keeps (it holds a key word) but no frame was tried on */
	assert_string_equal(lines[0], "-");
	/* "The agent wants a low loss": an agent word, then a want word, then a signal word */
	for (k = 0; dump_field(lines[1], k, field, sizeof field); k++) {
		assert_true(field[0] != '\0' && field[0] != '+' && field[strlen(field) - 1] != '+' && !strstr(field, "++"));
		if (agent < 0 && has_class(field, "agent"))
			agent = k;
		if (want < 0 && has_class(field, "want"))
			want = k;
		if (signal < 0 && has_class(field, "signal"))
			signal = k;
	}
	assert_true(agent >= 0 && agent < want && want < signal);
	/* the segment after ", which": the identifier holds no class word, so no signal */
	assert_non_null(dump_field(lines[2], 0, field, sizeof field));
	for (k = 0; dump_field(lines[2], k, field, sizeof field); k++)
		assert_false(has_class(field, "signal"));
	/* a text no frame is tried on: one "-" per clause the prefilter keeps */
	f = tmpfile();
	assert_non_null(f);
	assert_int_equal(prose_model_dump(s, "The sky is blue. The sea is green.", 34, f), 2);
	rewind(f);
	len = fread(out, 1, sizeof out - 1, f);
	fclose(f);
	out[len] = '\0';
	assert_string_equal(out, "-\n-\n");
	prose_set_free(s);
}

/* Loads a directory holding one model file NAME with TEXT over the
   built-in rules: the load must fail, with WANT in its message. */
static void model_dir_fails(const char *name, const char *text, const char *want)
{
	char dir[] = "/tmp/test_prosemodel.XXXXXX", path[4096];
	prose_set *s = builtin();
	FILE *f;
	if (!mkdtemp(dir))
		fail_msg("mkdtemp");
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(prose_load_dir(s, dir, 0, err, sizeof err), -1);
	if (!strstr(err, want))
		fail_msg("got '%s'", err);
	unlink(path);
	rmdir(dir);
	prose_set_free(s);
}

/* A broken model file in a rules directory fails the whole load (lossc exits 2), never a partial one. */
static void test_broken_model_file_fails_the_directory(void **state)
{
	(void)state;
	model_dir_fails("a.model", "model: 4\ncode: LS211\nthreshold: 0\nweight: agent 5\n\nmodel: 3\ncode: LS202\nbias: much\n",
			"a.model:8:7: error: bias: expected a number");
}

static void test_model_under_unknown_code_is_an_error(void **state)
{
	(void)state;
	model_dir_fails("team.model", "model: 4\ncode: LS999\nweight: agent 1\n",
			"/team.model:2:7: error: the model reports under LS999, which no rule file defines");
}

/*
 * A file that fails leaves the set as it was: its models (even those
 * before the error) are not kept, a model of it without 'code:' is
 * named by its own line (not by its place among every file's models),
 * and the set still binds and scores with the earlier file's model.
 */
static void test_failed_file_leaves_the_set_as_it_was(void **state)
{
	prose_set *s = builtin();
	pm_set *m = pm_new();
	const char *good = "model: 4\ncode: LS211\nweight: agent 2\n";
	const char *bad = "model: 4\ncode: LS211\nweight: signal 7\n\nmodel: 3\nweight: value 1\n";
	pm_token tok[4];
	size_t n;
	(void)state;
	assert_int_equal(pm_load(m, "a.model", good, strlen(good), err, sizeof err), 0);
	assert_int_equal(pm_load(m, "b.model", bad, strlen(bad), err, sizeof err), -1);
	if (!strstr(err, "b.model:5:8: error: the model has no 'code:'"))
		fail_msg("got '%s'", err);
	assert_int_equal(pm_count(m), 1);
	assert_int_equal(pm_bind(m, prose_lang(s), err, sizeof err), 0);
	/* only a.model's classes were bound: 'signal' (b.model's) is not one of them */
	assert_int_equal(pm_class_count(m), 1);
	assert_string_equal(pm_class_name(m, 0), "agent");
	n = pm_token_at(m, "agent", 0, 5, &tok[0]);
	assert_int_equal(n, 1);
	assert_true(pm_score(pm_at(m, 0), tok, 1) == 2.0);
	pm_free(m);
	prose_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_errors_name_file_line_and_column),
		cmocka_unit_test(test_unknown_class_is_reported_at_bind),
		cmocka_unit_test(test_words_phrases_and_identifiers),
		cmocka_unit_test(test_score_counts_order),
		cmocka_unit_test(test_model_finding_keeps_code_contexts_and_span),
		cmocka_unit_test(test_model_under_unknown_code_is_an_error),
		cmocka_unit_test(test_broken_model_file_fails_the_directory),
		cmocka_unit_test(test_failed_file_leaves_the_set_as_it_was),
		cmocka_unit_test(test_model_dump_writes_each_segment),
		cmocka_unit_test(test_many_models_and_many_words),
		cmocka_unit_test(test_model_without_report_names_every_positive_class),
		cmocka_unit_test(test_more_than_64_classes_is_an_error),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (system("rm -rf /tmp/test_prosemodel.rules.*") != 0)
		rc = rc ? rc : 1;
	return rc;
}
