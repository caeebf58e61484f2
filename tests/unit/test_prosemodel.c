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
	expect_load_error("model: 4\nweight: agent 1\n", "t.model: error: model 1 has no 'code:'");
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
			"reports under LS999, which no rule file defines");
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
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (system("rm -rf /tmp/test_prosemodel.rules.*") != 0)
		rc = rc ? rc : 1;
	return rc;
}
