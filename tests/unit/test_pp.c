/*
 * test_pp.c: the pretty-printing engine (pp.h): when a group stays flat,
 * where broken lines are indented, fill, hard breaks, and the output
 * buffer's columns and blanks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "pp.h"

/* Renders d at width from column 0 and returns the text (freed by the caller). */
static char *render(pp_doc *d, unsigned indent, unsigned width)
{
	pp_out o;
	pp_out_init(&o);
	pp_render(d, &o, indent, width);
	return pp_out_take(&o, NULL);
}

/* a + b + c as fmt builds it: group(a nest(line "+ " b line "+ " c)) */
static void chain(pp_doc *d)
{
	pp_add(d, PP_GROUP);
	pp_lit(d, "alpha");
	pp_nest(d, 4);
	pp_add(d, PP_LINE);
	pp_lit(d, "+");
	pp_add(d, PP_SPACE);
	pp_lit(d, "beta");
	pp_add(d, PP_LINE);
	pp_lit(d, "+");
	pp_add(d, PP_SPACE);
	pp_lit(d, "gamma");
	pp_add(d, PP_END);
	pp_add(d, PP_END);
	pp_lit(d, ";");
}

static void test_group_flat_when_it_fits(void **state)
{
	pp_doc d;
	(void)state;
	pp_doc_init(&d);
	chain(&d);
	char *s = render(&d, 0, 21);    /* "alpha + beta + gamma;" is 21 columns */
	assert_string_equal(s, "alpha + beta + gamma;");
	free(s);
	pp_doc_free(&d);
}

static void test_group_breaks_every_line_of_its_own(void **state)
{
	pp_doc d;
	(void)state;
	pp_doc_init(&d);
	chain(&d);
	/* One column short: the text after the group (";") counts too. */
	char *s = render(&d, 0, 20);
	assert_string_equal(s, "alpha\n    + beta\n    + gamma;");
	free(s);
	pp_doc_free(&d);
}

static void test_inner_group_decides_for_itself(void **state)
{
	pp_doc d;
	(void)state;
	pp_doc_init(&d);
	/* outer(f "(" inner(softline "x," line "y") softline ")") with the outer broken */
	pp_add(&d, PP_GROUP);
	pp_lit(&d, "first_operand_long");
	pp_nest(&d, 4);
	pp_add(&d, PP_LINE);
	pp_lit(&d, "f(");
	pp_add(&d, PP_GROUP);
	pp_nest(&d, 4);
	pp_add(&d, PP_SOFTLINE);
	pp_lit(&d, "x,");
	pp_add(&d, PP_LINE);
	pp_lit(&d, "y");
	pp_add(&d, PP_END);
	pp_add(&d, PP_SOFTLINE);
	pp_add(&d, PP_END);
	pp_lit(&d, ")");
	pp_add(&d, PP_END);
	pp_add(&d, PP_END);
	char *s = render(&d, 0, 20);
	assert_string_equal(s, "first_operand_long\n    f(x, y)");
	free(s);
	s = render(&d, 0, 8);
	assert_string_equal(s, "first_operand_long\n    f(\n        x,\n        y\n    )");
	free(s);
	pp_doc_free(&d);
}

static void test_hardline_breaks_its_groups(void **state)
{
	pp_doc d;
	(void)state;
	pp_doc_init(&d);
	pp_add(&d, PP_GROUP);
	pp_lit(&d, "a");
	pp_add(&d, PP_LINE);
	pp_lit(&d, "b");
	pp_add(&d, PP_HARDLINE);
	pp_lit(&d, "c");
	pp_add(&d, PP_END);
	char *s = render(&d, 2, 80);
	assert_string_equal(s, "a\n  b\n  c");
	free(s);
	pp_doc_free(&d);
}

static void test_align_indents_to_the_column(void **state)
{
	pp_doc d;
	(void)state;
	pp_doc_init(&d);
	pp_lit(&d, "about ");
	pp_add(&d, PP_ALIGN);
	pp_lit(&d, "\"one \"");
	pp_add(&d, PP_HARDLINE);
	pp_lit(&d, "\"two\"");
	pp_add(&d, PP_END);
	pp_lit(&d, ";");
	char *s = render(&d, 4, 80);
	assert_string_equal(s, "about \"one \"\n      \"two\";");
	free(s);
	pp_doc_free(&d);
}

/* Fill: each separator and the element after it are a group of their own. */
static void test_fill(void **state)
{
	static const char *const w[] = { "aa", "bb", "cc", "dd", "ee" };
	pp_doc d;
	(void)state;
	pp_doc_init(&d);
	pp_add(&d, PP_ALIGN);
	for (int i = 0; i < 5; i++) {
		if (i) {
			pp_lit(&d, ",");
			pp_add(&d, PP_GROUP);
			pp_add(&d, PP_LINE);
		}
		pp_lit(&d, w[i]);
		if (i)
			pp_add(&d, PP_END);
	}
	pp_add(&d, PP_END);
	pp_lit(&d, ";");
	char *s = render(&d, 0, 11);   /* "aa, bb, cc," is 11 columns */
	assert_string_equal(s, "aa, bb, cc,\ndd, ee;");
	free(s);
	s = render(&d, 0, 10);
	assert_string_equal(s, "aa, bb,\ncc, dd,\nee;");
	free(s);
	pp_doc_free(&d);
}

static void test_width_counts_characters(void **state)
{
	pp_doc d;
	(void)state;
	assert_int_equal(pp_width("caf\xc3\xa9", 5), 4);
	pp_doc_init(&d);
	pp_add(&d, PP_GROUP);
	pp_lit(&d, "\xc3\xa9\xc3\xa9\xc3\xa9");     /* 3 columns, 6 bytes */
	pp_add(&d, PP_LINE);
	pp_lit(&d, "x");
	pp_add(&d, PP_END);
	char *s = render(&d, 0, 5);
	assert_string_equal(s, "\xc3\xa9\xc3\xa9\xc3\xa9 x");
	free(s);
	pp_doc_free(&d);
}

static void test_out_blanks(void **state)
{
	pp_out o;
	size_t n;
	(void)state;
	pp_out_init(&o);
	pp_out_space(&o);               /* nothing at the start of a line */
	pp_out_text(&o, "a", 1);
	pp_out_space(&o);
	pp_out_space(&o);               /* one blank, not two */
	pp_out_newline(&o, 4);          /* the blank before the break goes */
	assert_true(pp_out_line_empty(&o));
	pp_out_newline(&o, 4);          /* an indentation-only line becomes empty */
	pp_out_text(&o, "b  \nc", 5);   /* blanks before an embedded newline go too */
	assert_int_equal(o.col, 1);
	char *s = pp_out_take(&o, &n);
	assert_string_equal(s, "a\n\n    b\nc");
	assert_int_equal(n, strlen(s));
	free(s);
	pp_out_init(&o);
	pp_out_trim(&o);                /* on an empty buffer */
	s = pp_out_take(&o, &n);
	assert_int_equal(n, 0);
	free(s);
}

/* A document the caller left unbalanced renders anyway: an END with
   nothing open is ignored, an element left open closes at the end (and
   so never fits flat); a NEST below column 0 stops at 0. */
static void test_unbalanced_and_negative_nest(void **state)
{
	pp_doc d;
	(void)state;
	pp_doc_init(&d);
	pp_lit(&d, "a");
	pp_add(&d, PP_END);             /* nothing open */
	pp_nest(&d, -8);                /* from indent 2: would be -6 */
	pp_add(&d, PP_HARDLINE);
	pp_lit(&d, "b");
	pp_add(&d, PP_END);
	pp_add(&d, PP_GROUP);           /* never closed: breaks, though it is short */
	pp_add(&d, PP_LINE);
	pp_lit(&d, "c");
	char *s = render(&d, 2, 80);
	assert_string_equal(s, "a\nb\n  c");     /* the END restored indent 2 */
	free(s);
	pp_doc_free(&d);
}

/* Tabs and CRs at a line's end are blanks too; pp_out_free empties. */
static void test_out_trims_tabs_and_crs(void **state)
{
	pp_out o;
	(void)state;
	pp_out_init(&o);
	pp_out_trim(&o);                /* nothing written: nothing to do */
	pp_out_text(&o, "x \t\r", 4);
	assert_false(pp_out_line_empty(&o));
	pp_out_trim(&o);
	assert_int_equal(o.len, 1);
	assert_int_equal(o.col, 1);
	pp_out_free(&o);
	assert_null(o.s);
	assert_int_equal(o.len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group_flat_when_it_fits),
		cmocka_unit_test(test_group_breaks_every_line_of_its_own),
		cmocka_unit_test(test_inner_group_decides_for_itself),
		cmocka_unit_test(test_hardline_breaks_its_groups),
		cmocka_unit_test(test_align_indents_to_the_column),
		cmocka_unit_test(test_fill),
		cmocka_unit_test(test_width_counts_characters),
		cmocka_unit_test(test_out_blanks),
		cmocka_unit_test(test_unbalanced_and_negative_nest),
		cmocka_unit_test(test_out_trims_tabs_and_crs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
