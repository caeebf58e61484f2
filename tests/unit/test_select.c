/*
 * test_select.c: code patterns and which codes a run reports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "select.h"

static void test_patterns(void **state)
{
	(void)state;
	assert_true(sel_pattern_ok("LS201", 5));
	assert_true(sel_pattern_ok("LS2", 3));
	assert_true(sel_pattern_ok("LS2xx", 5));
	assert_true(sel_pattern_ok("LS", 2));
	assert_false(sel_pattern_ok("201", 3));
	assert_false(sel_pattern_ok("LS2x1", 5));
	assert_false(sel_pattern_ok("LS-201", 6));
	assert_true(sel_pattern_ok("LS20100", 7));
	assert_false(sel_pattern_ok("LS201000", 8));
	assert_int_equal(sel_match("LS2", "LS201"), 3);
	assert_int_equal(sel_match("LS20", "LS211"), 0);
	assert_int_equal(sel_match("LS211", "LS211"), 5);
	/* empty, a wildcard where the letters go, letters only with wildcards */
	assert_false(sel_pattern_ok("", 0));
	assert_false(sel_pattern_ok("xS1", 3));
	assert_true(sel_pattern_ok("LSX", 3));
	assert_false(sel_pattern_ok("LS2x ", 5));
	assert_int_equal(sel_match("", "LS201"), 0);
}

static void test_list_parsing_normalizes_and_rejects(void **state)
{
	sel_list l = {NULL, 0};
	char bad[32];
	(void)state;
	assert_int_equal(sel_list_add(&l, "ls201, LS3xx  LS40", bad, sizeof bad), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.pats[0], "LS201");
	assert_string_equal(l.pats[1], "LS3");
	assert_int_equal(sel_list_add(&l, "LS1,bogus!", bad, sizeof bad), -1);
	assert_string_equal(bad, "bogus!");
	/* tabs and runs of separators; a rejected word is quoted cut to 64 bytes */
	assert_int_equal(sel_list_add(&l, "\tLS5,,\t LS50x ,", bad, sizeof bad), 0);
	assert_string_equal(l.pats[l.n - 1], "LS50");
	char longbad[128];
	char word[101];
	memset(word, 'L', 100);
	word[100] = '\0';
	assert_int_equal(sel_list_add(&l, word, longbad, sizeof longbad), -1);
	assert_int_equal(strlen(longbad), 64);
	sel_list_free(&l);
}

static void test_most_specific_pattern_decides(void **state)
{
	selection s;
	char bad[32];
	(void)state;
	memset(&s, 0, sizeof s);
	assert_true(sel_enabled(&s, "LS201"));
	sel_list_add(&s.ignore, "LS2", bad, sizeof bad);
	sel_list_add(&s.select, "LS201", bad, sizeof bad);
	assert_true(sel_enabled(&s, "LS201"));
	assert_false(sel_enabled(&s, "LS202"));
	assert_false(sel_enabled(&s, "LS101"));        /* --select given: others off */
	sel_list_free(&s.select);
	sel_list_free(&s.ignore);
	/* config only: disable a family, enable one of it back */
	sel_list_add(&s.disable, "LS1", bad, sizeof bad);
	sel_list_add(&s.enable, "LS104", bad, sizeof bad);
	assert_false(sel_enabled(&s, "LS105"));
	assert_true(sel_enabled(&s, "LS104"));
	assert_true(sel_enabled(&s, "LS201"));
	/* the command line beats the config */
	sel_list_add(&s.select, "LS105", bad, sizeof bad);
	assert_true(sel_enabled(&s, "LS105"));
	assert_false(sel_enabled(&s, "LS104"));
	sel_list_free(&s.select);
	sel_list_add(&s.ignore, "LS104", bad, sizeof bad);
	assert_false(sel_enabled(&s, "LS104"));
	sel_list_free(&s.ignore);
	sel_list_free(&s.enable);
	sel_list_free(&s.disable);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_list_parsing_normalizes_and_rejects),
		cmocka_unit_test(test_most_specific_pattern_decides),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
