/*
 * test_report.c: JSON string escaping, and the json/github renderers on
 * findings with hostile text.
 */
#define _GNU_SOURCE     /* fopencookie, for wfail.h */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "wfail.h"

static char *render(void (*fn)(FILE *, void *), void *ctx)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	fn(f, ctx);
	fclose(f);
	return buf;
}

static void esc(FILE *f, void *ctx)
{
	const char *s = ctx;
	report_json_string(f, s, strlen(s));
}

static void test_json_escapes_controls_and_bad_utf8(void **state)
{
	char *out;
	(void)state;
	out = render(esc, "a\"b\\c\nd\te\x01\x7f");
	assert_string_equal(out, "a\\\"b\\\\c\\nd\\te\\u0001\\u007f");
	free(out);
	/* valid multi-byte kept, a lone continuation byte and an overlong form replaced */
	out = render(esc, "caf\xc3\xa9 \x80 \xc0\xaf");
	assert_string_equal(out, "caf\xc3\xa9 \\ufffd \\ufffd\\ufffd");
	free(out);
}

static source src;
static diag_list dl;

static void json(FILE *f, void *ctx)
{
	(void)ctx;
	report_render(f, &dl, REPORT_JSON, NULL, 0, 0);
}

static void github(FILE *f, void *ctx)
{
	(void)ctx;
	report_render(f, &dl, REPORT_GITHUB, NULL, 0, 0);
}

static void test_renderers(void **state)
{
	const char *text = "goal g { about \"x\"; }\n";
	span sp = {5, 6};
	char *out;
	(void)state;
	source_from_buffer(&src, "dir,a:b%.loss", text, strlen(text));
	diag_list_init(&dl);
	diag_add(&dl, &src, sp, SEV_WARNING, "LS101", "bad \"%s\"\nline 100%%", "g");
	out = render(json, NULL);
	assert_string_equal(out, "[\n  {\"file\": \"dir,a:b%.loss\", \"line\": 1, \"column\": 6, \"end_line\": 1, "
				 "\"end_column\": 7, \"severity\": \"warning\", \"code\": \"LS101\", "
				 "\"message\": \"bad \\\"g\\\"\\nline 100%\"}\n]\n");
	free(out);
	out = render(github, NULL);
	assert_string_equal(out, "::warning file=dir%2Ca%3Ab%25.loss,line=1,col=6,endLine=1,endColumn=7,"
				 "title=LS101::bad \"g\"%0Aline 100%25 [LS101]\n");
	free(out);
	diag_list_free(&dl);
	diag_list_init(&dl);
	out = render(json, NULL);
	assert_string_equal(out, "[]\n");
	free(out);
	source_free(&src);
}

/* A report with every part a format writes: notes, safe and unsafe fixes, a fix with
   no text, a whole-file finding, each severity, a code the rule table lacks. */
struct rich {
	diag_list l;
	report_rule rules[2];
	report_format fmt;
};

static int rich_render(FILE *out, const void *arg)
{
	const struct rich *r = arg;
	return report_render(out, &r->l, r->fmt, r->rules, 2, 0);
}

static int rich_summary(FILE *out, const void *arg)
{
	const struct rich *r = arg;
	report_counts c;
	memset(&c, 0, sizeof c);
	report_count(&r->l, 0, &c);
	c.files = 2;
	c.fixing = 1;
	c.baselined = 3;
	return report_summary(out, &c);
}

static int rich_stats(FILE *out, const void *arg)
{
	const struct rich *r = arg;
	return report_statistics(out, &r->l, 0, r->fmt == REPORT_JSON, r->rules, 2);
}

/*
 * Every format, the summary and the statistics report a failed write
 * wherever it falls, with only a prefix written before it (the summary
 * and statistics in text and JSON).
 */
static void test_write_errors_in_every_format(void **state)
{
	(void)state;
	const char *text = "loss l on d {\n    value = a;\n}\n";
	struct rich r;
	source s;
	source_from_buffer(&s, "r.loss", text, strlen(text));
	diag_list_init(&r.l);
	r.rules[0] = (report_rule){ "LS401", "log-softmax", "log of softmax", "Use log_softmax.", SEV_WARNING };
	r.rules[1] = (report_rule){ "LS106", NULL, "no reduce", NULL, SEV_WARNING };
	diag *d = diag_add(&r.l, &s, (span){ 26, 27 }, SEV_WARNING, "LS401", "a \"warning\"");
	diag_set_fix(d, (span){ 26, 27 }, "b");
	diag_note(d, (span){ 5, 6 }, "a note");
	diag_note(d, (span){ 0, 4 }, "another");
	d = diag_add(&r.l, &s, (span){ 5, 6 }, SEV_INFO, "LS106", "an info");
	diag_set_unsafe_fix(d, (span){ 29, 29 }, "    reduce mean;\n");
	d = diag_add(&r.l, &s, (span){ 18, 23 }, SEV_ERROR, "LS999", "not in the rule table");
	diag_set_fix(d, (span){ 18, 23 }, "x");
	free(d->fix_text);
	d->fix_text = NULL;
	diag_add_file(&r.l, &s, SEV_ERROR, "LS002", "whole file, 100%% sure: yes");
	static const report_format fmts[] = { REPORT_TEXT, REPORT_JSON, REPORT_SARIF, REPORT_GITHUB };
	for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		r.fmt = fmts[i];
		assert_true(wfail_check(rich_render, &r, 400, 7) > 100);
	}
	assert_int_equal(wfail_check(rich_summary, &r, SIZE_MAX, 1),
			 strlen("4 findings (2 errors, 1 warning, 1 info) in 2 files; 0 fixed; 2 fixable with --fix "
				"(1 more with --unsafe-fixes); 3 hidden by the baseline\n"));
	char *sum = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&sum, &n);
	assert_int_equal(rich_summary(m, &r), 0);
	fclose(m);
	assert_string_equal(sum, "4 findings (2 errors, 1 warning, 1 info) in 2 files; 0 fixed; 2 fixable with --fix "
				 "(1 more with --unsafe-fixes); 3 hidden by the baseline\n");
	free(sum);
	r.fmt = REPORT_TEXT;
	assert_true(wfail_check(rich_stats, &r, SIZE_MAX, 1) > 10);
	r.fmt = REPORT_JSON;
	assert_true(wfail_check(rich_stats, &r, SIZE_MAX, 1) > 10);
	diag_list_free(&r.l);
	source_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escapes_controls_and_bad_utf8),
		cmocka_unit_test(test_renderers),
		cmocka_unit_test(test_write_errors_in_every_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
