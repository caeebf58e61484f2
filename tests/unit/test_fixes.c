/*
 * test_fixes.c: one pass of fixes (fixes.c): order, overlaps, identical
 * edits, and which findings' fixes a pass may take.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fixes.h"
#include "source.h"

static const char text[] = "aaa bbb ccc ddd\n";

/* The span of the first occurrence of needle in text. */
static span at(const char *needle)
{
	const char *p = strstr(text, needle);
	assert_non_null(p);
	return (span){ (size_t)(p - text), (size_t)(p - text) + strlen(needle) };
}

static diag *finding(diag_list *l, const source *s, const char *where)
{
	return diag_add(l, s, at(where), SEV_WARNING, "LS401", "x");
}

/* Applies one pass and checks the new text and the count of fixed findings. */
static void expect(const source *s, const diag_list *l, unsigned mode, const char *want, size_t want_fixed)
{
	size_t len, fixed;
	char *out = fix_apply(s, l, 0, mode, &len, &fixed);
	if (!want) {
		assert_null(out);
		assert_int_equal(fixed, 0);
		return;
	}
	assert_non_null(out);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	assert_int_equal(fixed, want_fixed);
	free(out);
}

/* Out of order in the list, applied in source order; an empty text deletes. */
static void test_source_order_and_deletion(void **state)
{
	(void)state;
	source s;
	diag_list l;
	source_from_buffer(&s, "t.loss", text, strlen(text));
	diag_list_init(&l);
	diag_set_fix(finding(&l, &s, "ccc"), at("ccc"), "C");
	diag_set_fix(finding(&l, &s, "aaa"), at("aaa"), "A");
	diag_set_fix(finding(&l, &s, "bbb "), at("bbb "), "");
	expect(&s, &l, FIX_SAFE, "A C ddd\n", 3);
	diag_list_free(&l);
	source_free(&s);
}

/* Identical edits are one edit fixing all; an overlapping or competing edit waits. */
static void test_identical_overlapping_and_competing(void **state)
{
	(void)state;
	source s;
	diag_list l;
	source_from_buffer(&s, "t.loss", text, strlen(text));
	diag_list_init(&l);
	diag_set_fix(finding(&l, &s, "bbb"), at("bbb"), "B");
	diag_set_fix(finding(&l, &s, "bbb"), at("bbb"), "B");           /* the same edit */
	diag_set_fix(finding(&l, &s, "bbb"), at("bbb"), "X");           /* same span, other text */
	diag_set_fix(finding(&l, &s, "bbb c"), at("bbb c"), "Y");       /* same start, longer */
	diag_set_fix(finding(&l, &s, "b c"), at("b c"), "Z");           /* overlaps */
	diag_set_fix(finding(&l, &s, "ddd"), at("ddd"), "D");
	expect(&s, &l, FIX_SAFE, "aaa B ccc D\n", 3);
	diag_list_free(&l);
	source_free(&s);
}

/* Only fixes the mode allows, about this source, located and inside the text. */
static void test_which_fixes_a_pass_takes(void **state)
{
	(void)state;
	source s, other;
	diag_list l;
	source_from_buffer(&s, "t.loss", text, strlen(text));
	source_from_buffer(&other, "o.loss", text, strlen(text));
	diag_list_init(&l);
	diag_add(&l, &s, at("aaa"), SEV_WARNING, "LS101", "no fix");
	diag_set_unsafe_fix(finding(&l, &s, "aaa"), at("aaa"), "U");
	diag_set_fix(finding(&l, &other, "bbb"), at("bbb"), "O");
	diag_set_fix(diag_add_file(&l, &s, SEV_WARNING, "LS101", "whole file"), at("ccc"), "F");
	diag *past = finding(&l, &s, "ddd");
	diag_set_fix(past, at("ddd"), "P");
	past->fix_span = (span){ 10, 100 };      /* beyond the text: never applied */
	expect(&s, &l, FIX_SAFE, NULL, 0);
	expect(&s, &l, FIX_SAFE | FIX_UNSAFE, "U bbb ccc ddd\n", 1);
	assert_false(fix_allowed(&l.items[0], FIX_SAFE | FIX_UNSAFE));
	assert_false(fix_allowed(&l.items[1], FIX_SAFE));
	assert_true(fix_allowed(&l.items[1], FIX_UNSAFE));
	/* from: findings before it are not this pass's */
	size_t len, fixed;
	assert_null(fix_apply(&s, &l, 2, FIX_SAFE | FIX_UNSAFE, &len, &fixed));
	assert_int_equal(len, 0);
	/* a backwards span is never applied; a fix with no text deletes */
	diag *back = finding(&l, &s, "ccc");
	diag_set_fix(back, at("ccc"), "R");
	back->fix_span = (span){ 10, 9 };
	expect(&s, &l, FIX_SAFE | FIX_UNSAFE, "U bbb ccc ddd\n", 1);
	diag *del = finding(&l, &s, "ddd");
	diag_set_fix(del, at("ddd"), "x");
	free(del->fix_text);
	del->fix_text = NULL;
	expect(&s, &l, FIX_SAFE, "aaa bbb ccc \n", 1);
	diag_list_free(&l);
	source_free(&s);
	source_free(&other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_source_order_and_deletion),
		cmocka_unit_test(test_identical_overlapping_and_competing),
		cmocka_unit_test(test_which_fixes_a_pass_takes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
