/*
 * test_lexer.c: the scanner on its own (grammar/lexer.l through the
 * yylex wrapper the parser calls): tokens, their byte spans, numbers,
 * strings and escapes, comments, directives, lexical errors and the
 * nesting bound.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pctx.h"
#include "parser.h"

#define MAXTOK 1024

typedef struct tok {
	int kind;
	span sp;
	double num;
} tok;

typedef struct lexrun {
	source src;
	diag_list dl;
	ast_file file;
	pctx c;
	tok t[MAXTOK];
	int n;
} lexrun;

/* Scans text to the end; the run keeps its tokens, findings and directives. */
static lexrun *lex_text(const char *text, size_t len)
{
	lexrun *r = calloc(1, sizeof *r);
	assert_non_null(r);
	source_from_buffer(&r->src, "t.loss", text, len);
	diag_list_init(&r->dl);
	r->file.src = &r->src;
	r->file.arena = arena_new();
	r->c.src = &r->src;
	r->c.diags = &r->dl;
	r->c.ar = r->file.arena;
	r->c.file = &r->file;
	lex_open(&r->c, r->src.text + r->src.body, r->src.len - r->src.body, r->src.body);
	for (;;) {
		YYSTYPE v;
		YYLTYPE l;
		memset(&v, 0, sizeof v);
		int k = yylex(&v, &l, &r->c);
		if (k == YYEOF)
			break;
		assert_true(r->n < MAXTOK);
		r->t[r->n++] = (tok){k, l, (k == INT || k == FLOAT) ? v.num : 0};
	}
	lex_close(&r->c);
	return r;
}

static lexrun *lex_str(const char *text)
{
	return lex_text(text, strlen(text));
}

static void lex_free(lexrun *r)
{
	arena_free(r->file.arena);
	diag_list_free(&r->dl);
	source_free(&r->src);
	free(r);
}

static void expect_kinds(const lexrun *r, const int *kinds, int n)
{
	assert_int_equal(r->n, n);
	for (int i = 0; i < n; i++)
		assert_int_equal(r->t[i].kind, kinds[i]);
}

static void expect_one_finding(const lexrun *r, const char *code, size_t start,
			       size_t end, const char *msg)
{
	assert_int_equal(r->dl.n, 1);
	assert_string_equal(r->dl.items[0].code, code);
	assert_int_equal(r->dl.items[0].span.start, start);
	assert_int_equal(r->dl.items[0].span.end, end);
	assert_string_equal(r->dl.items[0].message, msg);
}

static void test_keywords_and_names(void **state)
{
	(void)state;
	lexrun *r = lex_str("dataset mean meanx _a9 cares_about trained_byx in IN");
	int want[] = {KW_DATASET, KW_MEAN, IDENT, IDENT, KW_CARES_ABOUT, IDENT, KW_IN, IDENT};
	expect_kinds(r, want, 8);
	assert_int_equal(r->t[2].sp.start, 13);
	assert_int_equal(r->t[2].sp.end, 18);
	assert_int_equal(r->dl.n, 0);
	lex_free(r);
}

static void test_punctuation_spans(void **state)
{
	(void)state;
	lexrun *r = lex_str("{}();:,=+-*/^[]");
	int want[] = {'{', '}', '(', ')', ';', ':', ',', '=', '+', '-', '*', '/', '^', '[', ']'};
	expect_kinds(r, want, 15);
	for (int i = 0; i < 15; i++) {
		assert_int_equal(r->t[i].sp.start, (size_t)i);
		assert_int_equal(r->t[i].sp.end, (size_t)i + 1);
	}
	lex_free(r);
}

/* v2: '@', the comparisons (two-character ones are one token), and the new keywords. */
static void test_v2_operators_and_keywords(void **state)
{
	(void)state;
	lexrun *r = lex_str("@<><=>===!= = < =");
	int want[] = {'@', '<', '>', OP_LE, OP_GE, OP_EQ, OP_NE, '=', '<', '='};
	expect_kinds(r, want, 10);
	assert_int_equal(r->t[3].sp.start, 3);
	assert_int_equal(r->t[3].sp.end, 5);
	assert_int_equal(r->t[6].sp.end, 11);
	assert_int_equal(r->dl.n, 0);
	lex_free(r);

	r = lex_str("size batch per weight sizes");
	int want2[] = {KW_SIZE, KW_BATCH, KW_PER, KW_WEIGHT, IDENT};
	expect_kinds(r, want2, 5);
	lex_free(r);
}

static void test_numbers(void **state)
{
	(void)state;
	lexrun *r = lex_str("42 0.5 1e-8 2.5E+3 007");
	int want[] = {INT, FLOAT, FLOAT, FLOAT, INT};
	expect_kinds(r, want, 5);
	assert_true(r->t[0].num == 42.0);
	assert_true(r->t[1].num == 0.5);
	assert_true(r->t[2].num == 1e-8);
	assert_true(r->t[3].num == 2500.0);
	assert_true(r->t[4].num == 7.0);
	assert_int_equal(r->t[3].sp.start, 12);
	assert_int_equal(r->t[3].sp.end, 18);
	assert_int_equal(r->dl.n, 0);
	lex_free(r);
}

static void test_number_out_of_range(void **state)
{
	(void)state;
	lexrun *r = lex_str("x = 1e99999;");
	int want[] = {IDENT, '=', FLOAT, ';'};
	expect_kinds(r, want, 4);
	expect_one_finding(r, "LS001", 4, 11, "number too large (the largest is about 1.8e308)");
	assert_true(r->t[2].num == 0.0);
	lex_free(r);
}

static void test_half_written_numbers(void **state)
{
	(void)state;
	lexrun *r = lex_str("x = .5e3;");
	int want[] = {IDENT, '=', FLOAT, ';'};
	expect_kinds(r, want, 4);
	expect_one_finding(r, "LS001", 4, 8, "a number needs a digit before its '.': write 0.5e3");
	lex_free(r);

	r = lex_str("x = 12.;");
	expect_kinds(r, want, 4);
	expect_one_finding(r, "LS001", 4, 7, "a number needs a digit after its '.': write 12.0");
	lex_free(r);
}

static void test_huge_integer_is_not_an_error(void **state)
{
	(void)state;
	/* Finite, so the lexer accepts it; the type check judges it as a dimension. */
	lexrun *r = lex_str("99999999999999999999");
	assert_int_equal(r->n, 1);
	assert_int_equal(r->t[0].kind, INT);
	assert_int_equal(r->dl.n, 0);
	lex_free(r);
}

static void test_comments_are_skipped(void **state)
{
	(void)state;
	lexrun *r = lex_str("a // one\n/* two\n * lines ** */ b /**/ c /***/ d");
	int want[] = {IDENT, IDENT, IDENT, IDENT};
	expect_kinds(r, want, 4);
	assert_int_equal(r->t[1].sp.start, 31);
	assert_int_equal(r->dl.n, 0);
	lex_free(r);
}

/* A // comment ends at a lone CR as at LF: the rest of an old-Mac file is code. */
static void test_line_comment_ends_at_cr(void **state)
{
	(void)state;
	lexrun *r = lex_str("// one\ra // two\r\nb\r\"s\"");
	int want[] = {IDENT, IDENT, STRING};
	expect_kinds(r, want, 3);
	assert_int_equal(r->t[0].sp.start, 7);
	assert_int_equal(r->dl.n, 0);
	lex_free(r);
	/* a string may not run past a lone CR either */
	r = lex_str("\"abc\rdef\"");
	assert_true(r->dl.n >= 1);
	assert_string_equal(r->dl.items[0].code, "LS001");
	lex_free(r);
}

static void test_unterminated_comment(void **state)
{
	(void)state;
	lexrun *r = lex_str("a\n  /* never * closed\nb c");
	int want[] = {IDENT};
	expect_kinds(r, want, 1);
	expect_one_finding(r, "LS001", 4, 6, "unterminated comment");
	assert_true(r->c.eof_reported);
	lex_free(r);
}

static void test_strings_and_escapes(void **state)
{
	(void)state;
	lexrun *r = lex_str("\"a\\\"b\\\\c\\nd\\te\" \"\"");
	int want[] = {STRING, STRING};
	expect_kinds(r, want, 2);
	assert_int_equal(r->t[0].sp.start, 0);
	assert_int_equal(r->t[0].sp.end, 15);
	assert_int_equal(r->t[1].sp.start, 16);
	assert_int_equal(r->t[1].sp.end, 18);
	assert_int_equal(r->dl.n, 0);
	lex_free(r);
}

static void test_unknown_escape_points_at_backslash(void **state)
{
	(void)state;
	lexrun *r = lex_str("about \"ok \\q\";");
	int want[] = {KW_ABOUT, STRING, ';'};
	expect_kinds(r, want, 3);
	expect_one_finding(r, "LS001", 10, 12,
			   "unknown escape '\\q' in string (use \\\" \\\\ \\n or \\t)");
	lex_free(r);
}

static void test_unterminated_string_stops_at_line_end(void **state)
{
	(void)state;
	lexrun *r = lex_str("about \"no end;\nnext;");
	int want[] = {KW_ABOUT, INVALID, IDENT, ';'};
	expect_kinds(r, want, 4);
	expect_one_finding(r, "LS001", 6, 7,
			   "unterminated string (strings end on the line they start)");
	assert_int_equal(r->t[2].sp.start, 15);
	lex_free(r);
}

static void test_unterminated_string_at_eof(void **state)
{
	(void)state;
	lexrun *r = lex_str("about \"trailing backslash\\");
	int want[] = {KW_ABOUT, INVALID};
	expect_kinds(r, want, 2);
	assert_int_equal(r->t[1].sp.end, 26);
	expect_one_finding(r, "LS001", 6, 7,
			   "unterminated string (strings end on the line they start)");
	lex_free(r);
}

static void test_stray_characters(void **state)
{
	(void)state;
	lexrun *r = lex_str("a $$$ b");
	int want[] = {IDENT, INVALID, IDENT};
	expect_kinds(r, want, 3);
	expect_one_finding(r, "LS001", 2, 3, "unexpected character '$'");
	lex_free(r);

	/* '!' alone is no operator: only '!=' is. */
	r = lex_str("a ! b");
	expect_kinds(r, want, 3);
	expect_one_finding(r, "LS001", 2, 3, "unexpected character '!'");
	lex_free(r);

	r = lex_str("\x01 a");
	expect_one_finding(r, "LS001", 0, 1, "unexpected character '\\x01'");
	lex_free(r);

	/* A multi-byte character is shown whole and is one token. */
	r = lex_str("x \xc3\xa9 y");
	int want2[] = {IDENT, INVALID, IDENT};
	expect_kinds(r, want2, 3);
	expect_one_finding(r, "LS001", 2, 4, "unexpected character '\xc3\xa9'");
	lex_free(r);
}

static void test_bom_is_skipped_offsets_stay_absolute(void **state)
{
	(void)state;
	lexrun *r = lex_str("\xef\xbb\xbfgoal g");
	int want[] = {KW_GOAL, IDENT};
	expect_kinds(r, want, 2);
	assert_int_equal(r->t[0].sp.start, 3);
	assert_int_equal(r->t[1].sp.start, 8);
	assert_int_equal(r->dl.n, 0);
	lex_free(r);
}

static void test_directives(void **state)
{
	(void)state;
	lexrun *r = lex_str(
		"goal g { // lossc: allow LS101 -- trailing  \n"
		"  //lossc:allow-file LS105\n"
		"\n"
		"  // plain comment\n"
		"  about \"x\"; }\n"
		"// lossc: allow LS201\n");
	ast_directive *d = r->file.directives;
	assert_non_null(d);
	assert_string_equal(d->body, "allow LS101 -- trailing");
	assert_int_equal(d->body_len, strlen("allow LS101 -- trailing"));
	assert_int_equal(d->line, 1);
	assert_int_equal(d->target_line, 1);
	assert_false(d->standalone);
	assert_int_equal(d->span.start, 9);

	d = d->next;
	assert_non_null(d);
	assert_string_equal(d->body, "allow-file LS105");
	assert_int_equal(d->line, 2);
	assert_true(d->standalone);
	assert_int_equal(d->target_line, 5);

	d = d->next;
	assert_non_null(d);
	assert_string_equal(d->body, "allow LS201");
	assert_int_equal(d->line, 6);
	assert_true(d->standalone);
	assert_int_equal(d->target_line, 0);
	assert_null(d->next);
	lex_free(r);
}

/* n '(' then a name: with n past the bound, one LS001 at the first '(' too many. */
static lexrun *lex_parens(int n, char open)
{
	size_t len = (size_t)n + 2;
	char *s = malloc(len + 1);
	memset(s, open, (size_t)n);
	s[n] = 'x';
	s[n + 1] = ';';
	s[n + 2] = '\0';
	lexrun *r = lex_text(s, len);
	free(s);
	return r;
}

static void test_nesting_bound(void **state)
{
	(void)state;
	lexrun *r = lex_parens(PARSE_MAX_DEPTH, '(');
	assert_int_equal(r->dl.n, 0);
	lex_free(r);

	r = lex_parens(PARSE_MAX_DEPTH + 1, '(');
	expect_one_finding(r, "LS001", PARSE_MAX_DEPTH, PARSE_MAX_DEPTH + 1,
			   "expression nested deeper than 256 levels");
	/* The rest of the statement is dropped up to its ';'. */
	assert_int_equal(r->t[r->n - 2].kind, INVALID);
	assert_int_equal(r->t[r->n - 1].kind, ';');
	lex_free(r);

	r = lex_parens(100000, '-');
	expect_one_finding(r, "LS001", PARSE_MAX_DEPTH, PARSE_MAX_DEPTH + 1,
			   "expression nested deeper than 256 levels");
	lex_free(r);
}

static void test_binary_minus_does_not_nest(void **state)
{
	(void)state;
	/* x-x-x-... is a flat chain for the scanner: only prefix '-' nests. */
	size_t n = 500;
	char *s = malloc(2 * n + 2);
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = 'x';
		s[2 * i + 1] = '-';
	}
	s[2 * n] = 'x';
	s[2 * n + 1] = '\0';
	lexrun *r = lex_text(s, 2 * n + 1);
	assert_int_equal(r->dl.n, 0);
	lex_free(r);
	free(s);
}

static void test_depth_resets_at_statement_end(void **state)
{
	(void)state;
	/* Unbalanced '(' in one statement must not count against the next. */
	size_t n = 200;
	char *s = malloc(2 * n + 8);
	memset(s, '(', n);
	s[n] = ';';
	memset(s + n + 1, '(', n);
	s[2 * n + 1] = '\0';
	lexrun *r = lex_text(s, 2 * n + 1);
	assert_int_equal(r->dl.n, 0);
	lex_free(r);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keywords_and_names),
		cmocka_unit_test(test_punctuation_spans),
		cmocka_unit_test(test_v2_operators_and_keywords),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_number_out_of_range),
		cmocka_unit_test(test_half_written_numbers),
		cmocka_unit_test(test_huge_integer_is_not_an_error),
		cmocka_unit_test(test_comments_are_skipped),
		cmocka_unit_test(test_line_comment_ends_at_cr),
		cmocka_unit_test(test_unterminated_comment),
		cmocka_unit_test(test_strings_and_escapes),
		cmocka_unit_test(test_unknown_escape_points_at_backslash),
		cmocka_unit_test(test_unterminated_string_stops_at_line_end),
		cmocka_unit_test(test_unterminated_string_at_eof),
		cmocka_unit_test(test_stray_characters),
		cmocka_unit_test(test_bom_is_skipped_offsets_stay_absolute),
		cmocka_unit_test(test_directives),
		cmocka_unit_test(test_nesting_bound),
		cmocka_unit_test(test_binary_minus_does_not_nest),
		cmocka_unit_test(test_depth_resets_at_statement_end),
	};
	return cmocka_run_group_tests_name("lexer", tests, NULL, NULL);
}
