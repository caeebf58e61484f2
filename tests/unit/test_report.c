/*
 * test_report.c: JSON string escaping, and the json/github renderers on
 * findings with hostile text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escapes_controls_and_bad_utf8),
		cmocka_unit_test(test_renderers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
