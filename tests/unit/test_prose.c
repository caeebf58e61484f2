/*
 * test_prose.c: the rule-file loader (every error names file, line and,
 * for a regex, the column) and the PCRE2 matcher (offsets, unless,
 * {match}, limits, empty matches, long texts, spans through the parser).
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
#include <time.h>
#include <unistd.h>

#include "parse.h"
#include "prose.h"

static char err[1024];

static int load(prose_set *s, const char *text)
{
	err[0] = '\0';
	return prose_load_buffer(s, "t.rule", text, strlen(text), 0, err, sizeof err);
}

static void expect_error(const char *text, const char *want)
{
	prose_set *s = prose_set_new();
	assert_int_equal(load(s, text), -1);
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s'", err, want);
	prose_set_free(s);
}

#define RULE_HEAD "code: LS901\nmessage: m {match}\n"

static void test_loader_errors_name_file_and_line(void **state)
{
	(void)state;
	expect_error(RULE_HEAD "pattern: loss\ncolour: red\n", "t.rule:4:1: error: unknown key 'colour'");
	expect_error("message: m\npattern: loss\n", "t.rule: error: no 'code:' line");
	expect_error("code: LS901\nmessage: m\n", "rule LS901 has no 'pattern:' line");
	expect_error("code: LS901\npattern: x\n", "rule LS901 has no 'message:' line");
	expect_error(RULE_HEAD "pattern: x\ncode: LS902\n", "t.rule:4:1: error: 'code' given twice (first on line 1)");
	expect_error(RULE_HEAD "pattern: x\nseverity: fatal\n", "t.rule:4: error: severity 'fatal'");
	expect_error(RULE_HEAD "pattern: x\nscope: everywhere\n", "t.rule:4: error: scope 'everywhere'");
	expect_error(RULE_HEAD "pattern: x\nthis is not a key\n", "t.rule:4:1: error: expected 'key: value'");
	expect_error("  continued\n" RULE_HEAD "pattern: x\n", "t.rule:1:1: error: continuation line without a key");
	expect_error(RULE_HEAD "pattern: x\n\n   after blank\n", "t.rule:5:1: error: continuation line after a blank line");
	expect_error("code: L1\n", "code 'L1' is not of the form");
	/* a built-in check's code cannot be taken by a rule file */
	expect_error("code: LS101\nmessage: m\npattern: x\n", "code LS101 belongs to a built-in check");
}

static void test_bad_regex_reports_line_and_column(void **state)
{
	(void)state;
	/* the ')' at column 17 of line 3 is unmatched */
	expect_error(RULE_HEAD "pattern:   ab(c))\n", "t.rule:3:17: error: bad pattern regex at offset 5:");
	/* in a continuation line the column is on that line */
	expect_error(RULE_HEAD "pattern: abc\n    de[f\n", "t.rule:4:9: error: bad pattern regex at offset 7:");
	expect_error(RULE_HEAD "pattern: x\nunless: (?<\n", "t.rule:4:");
}

static void test_invalid_utf8_and_empty_patterns_are_rejected(void **state)
{
	(void)state;
	expect_error(RULE_HEAD "pattern: ab\xc3(\n", "t.rule:3:12: error: invalid UTF-8 byte 0xc3");
	expect_error(RULE_HEAD "pattern: a*\n", "can match the empty string");
	expect_error(RULE_HEAD "pattern: \\b\n", "can match the empty string");
}

static void test_continuations_comments_and_escapes(void **state)
{
	prose_set *s = prose_set_new();
	const prose_rule *r;
	(void)state;
	assert_int_equal(load(s, "# a comment\ncode: LS901   # trailing comment\n"
				 "message: first part\n   second \\#3 part\n"
				 "pattern: \\bab\n   c\\#d\\b\n"
				 "explain: one\n   .\n   two\nbad: abc#d\ngood: abc\n"), 0);
	r = prose_find(s, "LS901");
	assert_non_null(r);
	assert_string_equal(r->message, "first part second #3 part");
	assert_string_equal(r->pats[0].src, "\\babc\\#d\\b");
	assert_string_equal(r->explain, "one\n\ntwo");
	assert_string_equal(r->title, "LS901");
	assert_int_equal(r->sev, SEV_WARNING);
	assert_int_equal(r->scope, PROSE_SCOPE_ALL);
	assert_int_equal(prose_test_rule(s, r, stderr), 0);
	prose_set_free(s);
}

static void test_large_pattern_compiles_or_fails_cleanly(void **state)
{
	/* a 2 MB alternation: PCRE2 either compiles it or says it is too large */
	size_t n = 2 * 1024 * 1024, i;
	char *buf = malloc(n + 64);
	prose_set *s = prose_set_new();
	(void)state;
	strcpy(buf, RULE_HEAD "pattern: ");
	i = strlen(buf);
	while (i < n) {
		memcpy(buf + i, "word|", 5);
		i += 5;
	}
	strcpy(buf + i, "end\n");
	if (load(s, buf) != 0)
		assert_non_null(strstr(err, "t.rule:3:"));
	free(buf);
	prose_set_free(s);
}

struct hits {
	size_t n;
	size_t s[8], e[8];
};

static void collect(size_t s, size_t e, void *ctx)
{
	struct hits *h = ctx;
	if (h->n < 8) {
		h->s[h->n] = s;
		h->e[h->n] = e;
	}
	h->n++;
}

static struct hits match(prose_set *s, const char *code, const char *text, int *gave_up)
{
	struct hits h;
	size_t where = 0;
	memset(&h, 0, sizeof h);
	*gave_up = prose_match(s, prose_find(s, code), text, strlen(text), collect, &h, &where);
	return h;
}

static void test_matches_are_caseless_utf8_byte_offsets(void **state)
{
	prose_set *s = prose_set_new();
	int g;
	struct hits h;
	(void)state;
	assert_int_equal(load(s, RULE_HEAD "pattern: \\bloss\\s+wants\\b\n"), 0);
	/* "é" and "à" are two bytes each: the match starts at byte 10, not 8 */
	h = match(s, "LS901", "Déjà la LOSS   wants it; loss wants", &g);
	assert_int_equal(g, 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.s[0], 10);
	assert_int_equal(h.e[0], 22);
	/* \b is Unicode-aware (UCP): "élossé wants" is not the word loss */
	h = match(s, "LS901", "élossé wants", &g);
	assert_int_equal(h.n, 0);
	prose_set_free(s);
}

static void test_unless_skips_only_its_sentence(void **state)
{
	prose_set *s = prose_set_new();
	int g;
	struct hits h;
	(void)state;
	assert_int_equal(load(s, RULE_HEAD "pattern: aligned with\nunless: \\bnot\\b\n"), 0);
	h = match(s, "LS901", "It is not aligned with x. It is aligned with y! Not here? aligned with z", &g);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.s[0], 32);
	prose_set_free(s);
}

static void test_message_substitutes_the_collapsed_match(void **state)
{
	prose_set *s = prose_set_new();
	char *m;
	(void)state;
	assert_int_equal(load(s, "code: LS901\npattern: x\nmessage: \"{match}\" and {match}!\n"), 0);
	m = prose_format_message(prose_find(s, "LS901"), "loss \n\t is", 10);
	assert_string_equal(m, "\"loss is\" and loss is!");
	free(m);
	prose_set_free(s);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_catastrophic_pattern_gives_up_fast(void **state)
{
	prose_set *s = prose_set_new();
	size_t n = 200000, where = 1;
	char *text = malloc(n + 2);
	struct hits h;
	double t0;
	(void)state;
	memset(text, 'a', n);
	text[n] = 'b';
	text[n + 1] = '\0';
	assert_int_equal(load(s, RULE_HEAD "pattern: (a+)+$\n"), 0);
	memset(&h, 0, sizeof h);
	t0 = now();
	assert_int_equal(prose_match(s, prose_find(s, "LS901"), text, n + 1, collect, &h, &where), 1);
	/* "well under a second"; LOSSC_TIME_SCALE stretches it under valgrind */
	{
		const char *sc = getenv("LOSSC_TIME_SCALE");
		double limit = 1.0 * (sc && atof(sc) > 0 ? atof(sc) : 1.0);
		assert_true(now() - t0 < limit);
	}
	assert_int_equal(h.n, 0);       /* no bogus matches at window ends either */
	free(text);
	prose_set_free(s);
}

static void test_long_honest_text_is_checked_to_the_end(void **state)
{
	/* a text far longer than what one match call may scan within the limit */
	prose_set *s = prose_set_new();
	const char *sent = "The reader sees digits from many writers and learns. ";
	size_t sl = strlen(sent), reps = 100000, i, where = 0;
	char *text = malloc(sl * reps + 64);
	struct hits h;
	(void)state;
	for (i = 0; i < reps; i++)
		memcpy(text + i * sl, sent, sl);
	strcpy(text + sl * reps, "The agent wants low loss.");
	assert_int_equal(load(s, RULE_HEAD "pattern: \\b(?:\\w+\\s+){0,3}?wants\\s+low\\s+loss\\b\n"), 0);
	memset(&h, 0, sizeof h);
	assert_int_equal(prose_match(s, prose_find(s, "LS901"), text, strlen(text), collect, &h, &where), 0);
	assert_int_equal(h.n, 1);
	free(text);
	prose_set_free(s);
}

static void test_lookaround_empty_match_does_not_loop(void **state)
{
	/* minimum length 1 so it loads, but \K can make the reported match empty */
	prose_set *s = prose_set_new();
	int g;
	struct hits h;
	(void)state;
	assert_int_equal(load(s, RULE_HEAD "pattern: a\\K(?=b)\n"), 0);
	h = match(s, "LS901", "ab ab ab", &g);
	assert_int_equal(g, 0);
	assert_int_equal(h.n, 0);
	prose_set_free(s);
}

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Count the hits of every rule on text. */
static void count_hit(const prose_hit *h, void *ctx)
{
	(void)h;
	(*(int *)ctx)++;
}

/*
 * Built-in frames compile when a text first wakes them (start-up is most
 * of a small run); a team's frames compile at load, so a broken one is an
 * error naming its line.  A built-in frame that does not compile is
 * skipped with one message, never a crash.
 */
static void test_builtin_frames_compile_when_first_run(void **state)
{
	static const char words[] = "class: agent\nnoun: model\nclass: signal\nnoun: loss\n";
	static const char good[] = "code: LS901\nmessage: m\nframe: {agent} wants {signal}\n";
	static const char bad[] = "code: LS902\nmessage: m\nframe: {agent} /(?<=a+)/ hates {signal}\n";
	prose_set *s = prose_set_new();
	int n = 0;
	(void)state;
	strcpy(tmpdir, "/tmp/test_prose.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	write_file("a.words", words);
	write_file("good.rule", good);
	write_file("bad.rule", bad);
	/* built-in: loads (nothing compiled yet), the good frame fires, the bad one is skipped */
	if (prose_load_dir(s, tmpdir, 1, err, sizeof err) != 0)
		fail_msg("%s", err);
	prose_check_text(s, "The model wants loss. The model hates loss.", 43, PROSE_SCOPE_ALL, NULL, count_hit, &n);
	assert_int_equal(n, 1);
	prose_set_free(s);
	/* the same directory as a team's: the bad frame is a load error with its line */
	s = prose_set_new();
	assert_int_equal(prose_load_dir(s, tmpdir, 0, err, sizeof err), -1);
	assert_non_null(strstr(err, "bad.rule:3"));
	prose_set_free(s);
	{
		char cmd[256];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		assert_int_equal(system(cmd), 0);
	}
}

/* Every hit of a set on one text, as one line per hit (rule, span, words). */
static void sig_hit(const prose_hit *h, void *ctx)
{
	char *buf = ctx;
	size_t n = strlen(buf), i;
	n += (size_t)snprintf(buf + n, 8192 - n, "%s %lu-%lu %d", h->rule->code, (unsigned long)h->start,
			      (unsigned long)h->end, h->gave_up);
	for (i = 0; i < h->nwords && n < 8000; i++)
		n += (size_t)snprintf(buf + n, 8192 - n, " %s@%lu-%lu", h->words[i].cls, (unsigned long)h->words[i].start,
				      (unsigned long)h->words[i].end);
	if (n < 8190)
		strcpy(buf + n, "\n");
}

/*
 * A frame runs as anchored tries at its start words, and not at all where
 * its keys are out of order: both must find exactly what one search over
 * the clause finds.  Held to it over every sentence of the prose corpora
 * (and odd forms: a sign or an apostrophe before the first word, a
 * character that folds to an ASCII letter), built-in rules, both ways.
 */
static void test_anchored_tries_find_what_a_search_finds(void **state)
{
	static const char *const files[] = {"corpus.txt", "tuning.txt", "tuning-own.txt", "tuning-fresh.txt",
					    "tuning-probes.txt", "tuning-heldout1.txt", "tuning-heldout2.txt",
					    "tuning-heldout3.txt", "tuning-heldout6.txt"};
	static const char *const extra[] = {
		"The model\xe2\x80\x99" "d rather have reward.", "It'd rather earn +1s than help.",
		"The model wants a +1 from the rater.", "The ſystem wants low loſs.",
		"The +1 is the goal of the agent.", "A +1, which captures what users value, is the target.",
		"+1 aligned with human values is our reward.",
		"Loss: the model wants nothing; the model wants low loss, and the policy seeks reward."};
	const char *top = getenv("top_srcdir");
	char path[4096], line[8192], a[8192], b[8192];
	prose_set *on = prose_set_new(), *off = prose_set_new();
	size_t i, sentences = 0, hits = 0;
	(void)state;
	if (!top)
		top = ".";
	snprintf(path, sizeof path, "%s/rules", top);
	if (prose_load_dir(on, path, 1, err, sizeof err) != 0 || prose_load_dir(off, path, 1, err, sizeof err) != 0)
		fail_msg("%s", err);
	prose_set_search_only(off, 1);
	for (i = 0; i < sizeof files / sizeof *files + 1; i++) {
		FILE *fp = NULL;
		size_t k = 0;
		if (i < sizeof files / sizeof *files) {
			snprintf(path, sizeof path, "%s/tests/prose/%s", top, files[i]);
			fp = fopen(path, "r");
			if (!fp)
				fail_msg("cannot open %s", path);
		}
		for (;;) {
			const char *text;
			if (fp) {
				if (!fgets(line, sizeof line, fp))
					break;
				text = strchr(line, '|');
				if (line[0] == '#' || !text)
					continue;
				text++;
			} else if (k < sizeof extra / sizeof *extra) {
				text = extra[k++];
			} else {
				break;
			}
			a[0] = b[0] = '\0';
			prose_check_text(on, text, strlen(text), PROSE_SCOPE_ALL, NULL, sig_hit, a);
			prose_check_text(off, text, strlen(text), PROSE_SCOPE_ALL, NULL, sig_hit, b);
			if (strcmp(a, b) != 0)
				fail_msg("anchored:\n%ssearch:\n%son: %s", a, b, text);
			hits += a[0] != '\0';
			sentences++;
		}
		if (fp)
			fclose(fp);
	}
	print_message("%lu sentences, %lu with findings\n", (unsigned long)sentences, (unsigned long)hits);
	assert_true(sentences > 3000);
	assert_true(hits > 1200);        /* the sets fired: the comparison saw real findings */
	prose_set_free(on);
	prose_set_free(off);
}

static void test_directories_replace_by_code_and_reject_clashes(void **state)
{
	prose_set *s = prose_set_new();
	char sub[128];
	(void)state;
	strcpy(tmpdir, "/tmp/test_prose.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	write_file("a.rule", "code: LS901\nmessage: first\npattern: x\n");
	write_file("b.rule", "code: LS902\nmessage: other\npattern: y\n");
	write_file("ignored.txt", "not a rule");
	if (prose_load_dir(s, tmpdir, 1, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(prose_count(s), 2);
	/* a later directory's rule with the same code replaces the first */
	snprintf(sub, sizeof sub, "%s/sub", tmpdir);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file("sub/c.rule", "code: LS901\nmessage: second\npattern: z\n");
	assert_int_equal(prose_load_dir(s, sub, 0, err, sizeof err), 0);
	assert_int_equal(prose_count(s), 2);
	assert_string_equal(prose_find(s, "LS901")->message, "second");
	assert_int_equal(prose_find(s, "LS901")->builtin, 0);
	/* two files of one directory with one code: an error naming both */
	write_file("sub/d.rule", "code: LS901\nmessage: third\npattern: w\n");
	assert_int_equal(prose_load_dir(s, sub, 0, err, sizeof err), -1);
	assert_non_null(strstr(err, "sub/d.rule: error: code LS901 is also used by"));
	assert_non_null(strstr(err, "sub/c.rule"));
	prose_set_free(s);
	unlink("sub/d.rule");
	{
		char cmd[256];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		assert_int_equal(system(cmd), 0);
	}
}

static void test_findings_point_into_split_strings(void **state)
{
	/* the match starts in the second piece, on the second line */
	const char *text = "goal g { about \"The model is \"\n"
			   "               \"perfectly aligned with x.\"; }\n";
	source src;
	diag_list dl;
	ast_file *f;
	prose_set *s = prose_set_new();
	src_pos p;
	(void)state;
	assert_int_equal(load(s, "code: LS901\nmessage: \"{match}\"\npattern: \\bmodel\\s+is\\s+perfectly\n"
				 "pattern: aligned\\s+with\nscope: about\n"), 0);
	source_from_buffer(&src, "t.loss", text, strlen(text));
	diag_list_init(&dl);
	f = parse_source(&src, &dl, 20);
	assert_int_equal(dl.n, 0);
	prose_check_file(s, f, &dl, NULL, NULL);
	diag_sort(&dl);
	assert_int_equal(dl.n, 2);
	p = source_pos(&src, dl.items[0].span.start);
	assert_int_equal(p.line, 1);
	assert_int_equal(p.col, 21);
	assert_string_equal(dl.items[0].message, "\"model is perfectly\"");
	p = source_pos(&src, dl.items[1].span.start);
	assert_int_equal(p.line, 2);
	assert_int_equal(p.col, 27);
	p = source_pos(&src, dl.items[1].span.end);
	assert_int_equal(p.col, 39);
	ast_file_free(f);
	diag_list_free(&dl);
	source_free(&src);
	prose_set_free(s);
}

static void test_scope_limits_the_texts_read(void **state)
{
	const char *text = "dataset d { source \"loss wants\"; }\n"
			   "rationale r for g { setup \"loss wants\"; because \"loss wants\"; }\n";
	source src;
	diag_list dl;
	ast_file *f;
	prose_set *s = prose_set_new();
	(void)state;
	assert_int_equal(load(s, RULE_HEAD "pattern: loss wants\nscope: because, source\n"), 0);
	source_from_buffer(&src, "t.loss", text, strlen(text));
	diag_list_init(&dl);
	f = parse_source(&src, &dl, 20);
	prose_check_file(s, f, &dl, NULL, NULL);
	assert_int_equal(dl.n, 2);      /* source and because, not setup */
	ast_file_free(f);
	diag_list_free(&dl);
	source_free(&src);
	prose_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loader_errors_name_file_and_line),
		cmocka_unit_test(test_bad_regex_reports_line_and_column),
		cmocka_unit_test(test_invalid_utf8_and_empty_patterns_are_rejected),
		cmocka_unit_test(test_continuations_comments_and_escapes),
		cmocka_unit_test(test_large_pattern_compiles_or_fails_cleanly),
		cmocka_unit_test(test_matches_are_caseless_utf8_byte_offsets),
		cmocka_unit_test(test_unless_skips_only_its_sentence),
		cmocka_unit_test(test_message_substitutes_the_collapsed_match),
		cmocka_unit_test(test_catastrophic_pattern_gives_up_fast),
		cmocka_unit_test(test_long_honest_text_is_checked_to_the_end),
		cmocka_unit_test(test_lookaround_empty_match_does_not_loop),
		cmocka_unit_test(test_directories_replace_by_code_and_reject_clashes),
		cmocka_unit_test(test_builtin_frames_compile_when_first_run),
		cmocka_unit_test(test_findings_point_into_split_strings),
		cmocka_unit_test(test_scope_limits_the_texts_read),
		cmocka_unit_test(test_anchored_tries_find_what_a_search_finds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
