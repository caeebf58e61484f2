/*
 * test_select.c: code patterns and which codes a run reports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
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

/*
 * The codes a run knows, and why a pattern matches none: the closest code
 * (among equally close ones the nearest number, then the first by name),
 * none within two edits, or for a family the families of its length, cut
 * to the buffer.  More codes than the first allocation holds.
 */
static void test_known_codes_and_why_a_pattern_matches_none(void **state)
{
	(void)state;
	sel_known k;
	static char code[300][8];       /* borrowed by k */
	char buf[256];
	memset(&k, 0, sizeof k);
	for (int i = 0; i < 300; i++) {
		snprintf(code[i], sizeof code[i], "LS%d", 100 + i);
		sel_known_add(&k, code[i]);
	}
	sel_known_add(&k, "LS105");     /* a duplicate */
	sel_known_add(&k, "QQ001");
	sel_known_add(&k, "LT150");
	assert_true(sel_known_has(&k, "LS399"));
	assert_true(sel_known_has(&k, "LS3"));
	assert_true(sel_known_has(&k, "QQ"));
	assert_false(sel_known_has(&k, "LS400"));
	assert_false(sel_known_has(&k, "LS4"));
	/* LS100, LS200 and LS300 are one edit away: the nearest number wins */
	sel_known_why(&k, "LS400", buf, sizeof buf);
	assert_string_equal(buf, "no finding code LS400 (did you mean LS300?)");
	/* one edit to LS101, LS201 and LS301: the nearest number (1) */
	sel_known_why(&k, "LSA01", buf, sizeof buf);
	assert_string_equal(buf, "no finding code LSA01 (did you mean LS101?)");
	/* one edit to LS150 and LT150, the same number: the first by name */
	sel_known_why(&k, "LU150", buf, sizeof buf);
	assert_string_equal(buf, "no finding code LU150 (did you mean LS150?)");
	/* a transposition is one edit; two edits is still close, three is not */
	sel_known_why(&k, "SL150", buf, sizeof buf);
	assert_string_equal(buf, "no finding code SL150 (did you mean LS150?)");
	sel_known_why(&k, "XY987", buf, sizeof buf);
	assert_string_equal(buf, "no finding code XY987 ('lossc rules' lists them)");
	sel_known_why(&k, "LS4", buf, sizeof buf);
	assert_string_equal(buf, "no finding code starts with LS4 (families: LS1, LS2, LS3, LT1, QQ0)");
	sel_known_why(&k, "LS4", buf, 40);
	assert_string_equal(buf, "no finding code starts with LS4 (famili");      /* 39 bytes and the NUL */
	sel_known_why(&k, "ZZZZZZZZZ", buf, sizeof buf);
	assert_string_equal(buf, "no finding code starts with ZZZZZZZZZ");
	sel_known_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_list_parsing_normalizes_and_rejects),
		cmocka_unit_test(test_most_specific_pattern_decides),
		cmocka_unit_test(test_known_codes_and_why_a_pattern_matches_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
