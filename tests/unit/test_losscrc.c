/*
 * test_losscrc.c: .losscrc parsing (strict, with file:line) and discovery.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "losscrc.h"

static char err[512];

static int parse(lconfig *c, const char *text)
{
	err[0] = '\0';
	return config_parse(c, "proj/.losscrc", text, strlen(text), err, sizeof err);
}

static void test_keys_and_values(void **state)
{
	lconfig c;
	(void)state;
	assert_int_equal(parse(&c, "# team settings\nfail-on:  info   # strict\ndisable:  LS105, LS107\n"
				   "enable: LS107\nrules: ./our-rules\nrules: /abs/rules\n"
				   "format: json\n"), 0);
	assert_true(c.has_fail_on);
	assert_int_equal(c.fail_on, SEV_INFO);
	assert_int_equal(c.disable.n, 2);
	assert_int_equal(c.enable.n, 1);
	assert_int_equal(c.nrules, 2);
	assert_string_equal(c.rules[0], "proj/./our-rules");
	assert_string_equal(c.rules[1], "/abs/rules");
	assert_string_equal(c.format, "json");
	config_free(&c);
	/* continuation lines join a list */
	assert_int_equal(parse(&c, "disable: LS105,\n   LS107\n"), 0);
	assert_int_equal(c.disable.n, 2);
	config_free(&c);
}

static void test_errors_name_file_and_line(void **state)
{
	lconfig c;
	(void)state;
	assert_int_equal(parse(&c, "fail-on: warning\ncolour: blue\n"), -1);
	assert_string_equal(err, "proj/.losscrc:2: error: unknown key 'colour' (keys: fail-on, disable, enable, rules, format, fmt-width)");
	assert_int_equal(parse(&c, "\n\nfail-on: fatal\n"), -1);
	assert_string_equal(err, "proj/.losscrc:3: error: fail-on 'fatal' is not one of error, warning, info");
	assert_int_equal(parse(&c, "disable: LS1!\n"), -1);
	assert_non_null(strstr(err, ":1: error: 'LS1!' in disable"));
	assert_int_equal(parse(&c, "format: xml\n"), -1);
	assert_non_null(strstr(err, ":1: error: format 'xml'"));
	assert_int_equal(parse(&c, "format: json\nformat: text\n"), -1);
	assert_non_null(strstr(err, ":2: error: 'format' given twice"));
	assert_int_equal(parse(&c, "just words\n"), -1);
	assert_non_null(strstr(err, ":1: error: expected 'key: value'"));
	assert_int_equal(parse(&c, "  indented: x\n"), -1);
	assert_non_null(strstr(err, ":1: error: continuation line without a key"));
}

static void test_fmt_width(void **state)
{
	lconfig c;
	(void)state;
	assert_int_equal(parse(&c, "fail-on: info\n"), 0);
	assert_int_equal(c.fmt_width, 0);       /* absent: fmt uses its default */
	config_free(&c);
	assert_int_equal(parse(&c, "fmt-width: 100\n"), 0);
	assert_int_equal(c.fmt_width, 100);
	config_free(&c);
	assert_int_equal(parse(&c, "fmt-width: 39\n"), -1);
	assert_string_equal(err, "proj/.losscrc:1: error: fmt-width '39' is not a number from 40 to 1000");
	assert_int_equal(parse(&c, "fmt-width: 80x\n"), -1);
	assert_non_null(strstr(err, ":1: error: fmt-width '80x'"));
	assert_int_equal(parse(&c, "fmt-width: 80\nfmt-width: 90\n"), -1);
	assert_non_null(strstr(err, ":2: error: 'fmt-width' given twice"));
}

static void test_discovery_walks_up_and_stops_at_first(void **state)
{
	char top[PATH_MAX], path[PATH_MAX + 64], *found;
	FILE *f;
	(void)state;
	strcpy(top, "/tmp/test_losscrc.XXXXXX");
	assert_non_null(mkdtemp(top));
	snprintf(path, sizeof path, "%s/a", top);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/a/b", top);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/.losscrc", top);
	f = fopen(path, "w");
	fclose(f);
	snprintf(path, sizeof path, "%s/a/b/x.loss", top);
	found = config_find(path);
	assert_non_null(found);
	assert_non_null(strstr(found, "/.losscrc"));
	assert_null(strstr(found, "/a/.losscrc"));
	free(found);
	/* a nearer one wins */
	snprintf(path, sizeof path, "%s/a/.losscrc", top);
	f = fopen(path, "w");
	fclose(f);
	snprintf(path, sizeof path, "%s/a/b/x.loss", top);
	found = config_find(path);
	assert_non_null(strstr(found, "/a/.losscrc"));
	free(found);
	snprintf(path, sizeof path, "rm -rf '%s'", top);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_and_values),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_fmt_width),
		cmocka_unit_test(test_discovery_walks_up_and_stops_at_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
