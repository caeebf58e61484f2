/*
 * test_diag.c: the finding queue, its order, the exact GCC-style text
 * (tabs, multibyte text, windows on long lines, notes, whole-file
 * findings), write errors, and the code catalogue behind diag_code().
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

#include "codes.h"
#include "diag.h"
#include "wfail.h"

/* Render l into a heap string (caller frees). */
static char *render(const diag_list *l, int color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(diag_render_text(f, l, color), 0);
	fclose(f);
	return buf;
}

static span at(const char *text, const char *needle, size_t len)
{
	const char *p = strstr(text, needle);
	assert_non_null(p);
	span s = { (size_t)(p - text), (size_t)(p - text) + len };
	return s;
}

static void test_render_matches_rules_format(void **state)
{
	(void)state;
	const char *t = "goal g {\n    about \"This loss function is perfectly aligned with it.\";\n}\n";
	source s;
	diag_list l;
	source_from_buffer(&s, "novel.loss", t, strlen(t));
	diag_list_init(&l);
	diag_add(&l, &s, at(t, "loss function", 39), SEV_WARNING, "LS201", "\"%s\" is vague", "x");
	char *out = render(&l, 0);
	assert_string_equal(out,
		"novel.loss:2:17: warning: \"x\" is vague [LS201]\n"
		"    2 |     about \"This loss function is perfectly aligned with it.\";\n"
		"      |                 ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
	free(out);
	diag_list_free(&l);
	source_free(&s);
}

static void test_render_mirrors_tabs_and_multibyte(void **state)
{
	(void)state;
	/* Two tabs, then "é€ " before the name: the caret line keeps the tabs and one space per character. */
	const char *t = "\t\t\xC3\xA9\xE2\x82\xAC name";
	source s;
	diag_list l;
	source_from_buffer(&s, "m.loss", t, strlen(t));
	diag_list_init(&l);
	diag_add(&l, &s, at(t, "name", 4), SEV_ERROR, "LS010", "undefined name '%s'", "name");
	char *out = render(&l, 0);
	assert_string_equal(out,
		"m.loss:1:6: error: undefined name 'name' [LS010]\n"
		"    1 | \t\t\xC3\xA9\xE2\x82\xAC name\n"
		"      | \t\t   ^~~~\n");
	free(out);
	diag_list_free(&l);
	source_free(&s);
}

static void test_render_crlf_and_multiline_span(void **state)
{
	(void)state;
	const char *t = "loss l on d {\r\n  value = (a +\r\n    b);\r\n}\r\n";
	source s;
	diag_list l;
	source_from_buffer(&s, "c.loss", t, strlen(t));
	diag_list_init(&l);
	span sp = at(t, "(a +", 0);
	sp.end = (size_t)(strstr(t, "b)") - t) + 2;     /* two lines: clipped to the first */
	diag_add(&l, &s, sp, SEV_ERROR, "LS301", "multi-line");
	char *out = render(&l, 0);
	assert_string_equal(out,
		"c.loss:2:11: error: multi-line [LS301]\n"
		"    2 |   value = (a +\n"
		"      |           ^~~~\n");
	free(out);
	diag_list_free(&l);
	source_free(&s);
}

static void test_render_notes_and_whole_file(void **state)
{
	(void)state;
	const char *t = "goal g {}\ngoal g {}\n";
	source s;
	diag_list l;
	source_from_buffer(&s, "n.loss", t, strlen(t));
	diag_list_init(&l);
	span second = { 15, 16 }, first = { 5, 6 };
	diag *d = diag_add(&l, &s, second, SEV_ERROR, "LS011", "'g' is declared twice");
	diag_note(d, first, "'g' is first declared here");
	diag_add_file(&l, &s, SEV_ERROR, "LS002", "cannot open: No such file or directory");
	diag_sort(&l);
	char *out = render(&l, 0);
	assert_string_equal(out,
		"n.loss: error: cannot open: No such file or directory [LS002]\n"
		"n.loss:2:6: error: 'g' is declared twice [LS011]\n"
		"    2 | goal g {}\n"
		"      |      ^\n"
		"n.loss:1:6: note: 'g' is first declared here\n"
		"    1 | goal g {}\n"
		"      |      ^\n");
	free(out);
	diag_list_free(&l);
	source_free(&s);
}

static void test_render_long_line_window(void **state)
{
	(void)state;
	size_t n = 10 * 1024 * 1024;
	char *t = malloc(n + 1);
	memset(t, 'a', n);
	t[n] = '\0';
	memcpy(t + n / 2, "HERE", 4);
	source s;
	diag_list l;
	source_from_buffer(&s, "long.loss", t, n);
	diag_list_init(&l);
	span sp = { n / 2, n / 2 + 4 };
	diag_add(&l, &s, sp, SEV_ERROR, "LS001", "here");
	char *out = render(&l, 0);
	/* Header, "..." + 200 characters + "...", and the caret under HERE. */
	char want[1024], *w = want;
	w += sprintf(w, "long.loss:1:%zu: error: here [LS001]\n    1 | ...", n / 2 + 1);
	for (int i = 0; i < 60; i++)
		*w++ = 'a';
	w += sprintf(w, "HERE");
	for (int i = 0; i < 136; i++)
		*w++ = 'a';
	w += sprintf(w, "...\n      |    ");
	for (int i = 0; i < 60; i++)
		*w++ = ' ';
	sprintf(w, "^~~~\n");
	assert_string_equal(out, want);
	free(out);
	diag_list_free(&l);
	source_free(&s);
	free(t);
}

/* The window's edges: no leading "..." near the start, none trailing at the end. */
static void test_render_window_edges(void **state)
{
	(void)state;
	char t[1001];
	memset(t, 'b', 1000);
	t[1000] = '\0';
	source s;
	diag_list l;
	source_from_buffer(&s, "w.loss", t, 1000);
	diag_list_init(&l);
	span near_start = { 4, 5 }, at_end = { 1000, 1000 };
	diag_add(&l, &s, near_start, SEV_ERROR, "LS001", "start");
	diag_add(&l, &s, at_end, SEV_ERROR, "LS001", "end");
	char *out = render(&l, 0);
	char want[2048], *w = want;
	w += sprintf(w, "w.loss:1:5: error: start [LS001]\n    1 | ");
	memset(w, 'b', 200);
	w += 200;
	w += sprintf(w, "...\n      |     ^\n");
	w += sprintf(w, "w.loss:1:1001: error: end [LS001]\n    1 | ...");
	memset(w, 'b', 60);
	w += 60;
	w += sprintf(w, "\n      |    ");
	memset(w, ' ', 60);
	w += 60;
	sprintf(w, "^\n");
	assert_string_equal(out, want);
	free(out);
	diag_list_free(&l);
	source_free(&s);
}

static void test_render_hides_control_bytes(void **state)
{
	(void)state;
	const char t[] = "ab\033[31mc\0d";
	source s;
	diag_list l;
	source_from_buffer(&s, "x.loss", t, sizeof t - 1);
	diag_list_init(&l);
	span sp = { 10, 11 };                   /* the NUL */
	diag_add(&l, &s, sp, SEV_ERROR, "LS002", "NUL byte");
	char *out = render(&l, 0);
	assert_string_equal(out,
		"x.loss:1:11: error: NUL byte [LS002]\n"
		"    1 | ab?[31mc?d\n"
		"      |           ^\n");
	free(out);
	diag_list_free(&l);
	source_free(&s);
}

static void test_color_only_when_asked(void **state)
{
	(void)state;
	const char *t = "x";
	source s;
	diag_list l;
	source_from_buffer(&s, "c.loss", t, 1);
	diag_list_init(&l);
	span sp = { 0, 1 };
	diag_add(&l, &s, sp, SEV_ERROR, "LS001", "m");
	char *plain = render(&l, 0), *col = render(&l, 1);
	assert_null(strchr(plain, '\033'));
	assert_non_null(strstr(col, "\033[1;31merror:"));
	free(plain);
	free(col);
	diag_list_free(&l);
	source_free(&s);
}

static void test_sort_by_source_then_position_then_insertion(void **state)
{
	(void)state;
	const char *t = "aaaa\nbbbb\n";
	source s1, s2;
	diag_list l;
	source_from_buffer(&s1, "one.loss", t, strlen(t));
	source_from_buffer(&s2, "two.loss", t, strlen(t));
	diag_list_init(&l);
	span late = { 6, 7 }, early = { 1, 2 };
	diag_add(&l, &s2, early, SEV_INFO, "LS105", "two-early");     /* two.loss seen first */
	diag_add(&l, &s1, late, SEV_ERROR, "LS001", "one-late-a");
	diag_add(&l, &s1, early, SEV_ERROR, "LS001", "one-early");
	diag_add(&l, &s1, late, SEV_ERROR, "LS001", "one-late-b");
	diag_add(&l, &s2, late, SEV_INFO, "LS105", "two-late");
	diag_sort(&l);
	const char *want[] = { "two-early", "two-late", "one-early", "one-late-a", "one-late-b" };
	assert_int_equal(l.n, 5);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(l.items[i].message, want[i]);
	diag_remove(&l, 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.items[0].message, "two-late");
	diag_list_free(&l);
	source_free(&s1);
	source_free(&s2);
}

/* Moved findings count as queued at the move: ties sort after what was there. */
static void test_move_appends_as_if_queued_now(void **state)
{
	(void)state;
	const char *t = "aaaa\nbbbb\n";
	source s;
	diag_list l, side;
	source_from_buffer(&s, "a.loss", t, strlen(t));
	diag_list_init(&l);
	diag_list_init(&side);
	span at = { 1, 2 }, later = { 6, 7 };
	diag_add(&side, &s, at, SEV_WARNING, "LS303", "side-a");       /* queued first, */
	diag_note(diag_add(&side, &s, later, SEV_WARNING, "LS501", "side-b"), at, "note");
	diag_add(&l, &s, at, SEV_WARNING, "LS102", "main");            /* but moved after */
	diag_list_move(&l, &side);
	assert_int_equal(side.n, 0);
	assert_null(side.items);
	diag_list_move(&l, &side);                                      /* empty: no change */
	assert_int_equal(l.n, 3);
	diag_add(&l, &s, at, SEV_INFO, "LS107", "after");
	diag_sort(&l);
	const char *want[] = { "main", "side-a", "after", "side-b" };
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(l.items[i].message, want[i]);
	assert_int_equal(l.items[3].nnotes, 1);
	assert_string_equal(l.items[3].notes[0].message, "note");
	diag_list_free(&l);
	diag_list_free(&side);
	source_free(&s);
}

static void test_write_error_is_reported(void **state)
{
	(void)state;
	FILE *f = fopen("/dev/full", "w");
	if (!f)
		skip();
	const char *t = "x";
	source s;
	diag_list l;
	source_from_buffer(&s, "w.loss", t, 1);
	diag_list_init(&l);
	span sp = { 0, 1 };
	diag_add(&l, &s, sp, SEV_ERROR, "LS001", "m");
	assert_int_equal(diag_render_text(f, &l, 0), -1);
	fclose(f);
	diag_list_free(&l);
	source_free(&s);
}

static void test_severity_names(void **state)
{
	(void)state;
	assert_string_equal(diag_severity_name(SEV_INFO), "info");
	assert_string_equal(diag_severity_name(SEV_NOTE), "note");
	assert_int_equal(diag_severity_parse("warning"), SEV_WARNING);
	assert_int_equal(diag_severity_parse("error"), SEV_ERROR);
	assert_int_equal(diag_severity_parse("info"), SEV_INFO);
	assert_int_equal(diag_severity_parse("fatal"), -1);
}

static void count_code(const code_info *ci, void *ctx)
{
	const char **prev = ctx;
	if (*prev)
		assert_true(strcmp(*prev, ci->code) < 0);
	*prev = ci->code;
	assert_non_null(ci->title);
	assert_true(strlen(ci->explain) > 200);     /* a real explanation, not a stub */
}

static void test_catalogue_and_diag_code(void **state)
{
	(void)state;
	static const char *core[] = { "LS001", "LS002", "LS010", "LS011", "LS012" };
	for (size_t i = 0; i < 5; i++) {
		const code_info *ci = codes_find(core[i]);
		assert_non_null(ci);
		assert_int_equal(ci->sev, SEV_ERROR);
	}
	assert_null(codes_find("LS999"));
	const char *prev = NULL;
	codes_foreach(count_code, &prev);
	assert_non_null(prev);

	source s;
	diag_list l;
	source_from_buffer(&s, "c.loss", "x", 1);
	diag_list_init(&l);
	span sp = { 0, 1 };
	diag *d = diag_code(&l, &s, sp, "LS010", "undefined name '%s'", "x");
	assert_int_equal(d->sev, SEV_ERROR);
	assert_string_equal(d->code, "LS010");
	assert_string_equal(d->message, "undefined name 'x'");
	diag_list_free(&l);
	source_free(&s);
}

/* Notes past DIAG_MAX_NOTES are dropped, spans past the end are clamped, an unsafe fix is marked. */
static void test_notes_clamped_and_fixes_marked(void **state)
{
	(void)state;
	const char *t = "goal g { about \"x\"; }\n";
	source s;
	diag_list l;
	source_from_buffer(&s, "n.loss", t, strlen(t));
	diag_list_init(&l);
	diag *d = diag_add(&l, &s, at(t, "g", 1), SEV_WARNING, "LS101", "no rationale");
	for (int i = 0; i < DIAG_MAX_NOTES + 2; i++)
		diag_note(d, (span){ 1000, 2000 }, "note %d", i);
	assert_int_equal(d->nnotes, DIAG_MAX_NOTES);
	assert_string_equal(d->notes[DIAG_MAX_NOTES - 1].message, "note 2");
	assert_int_equal(d->notes[0].span.start, strlen(t));
	assert_int_equal(d->notes[0].span.end, strlen(t));
	diag_set_unsafe_fix(d, at(t, "g", 1), "h");
	assert_true(d->has_fix);
	assert_true(d->fix_unsafe);
	assert_string_equal(d->fix_text, "h");
	diag_set_fix(d, at(t, "g", 1), "k");
	assert_false(d->fix_unsafe);
	assert_string_equal(d->fix_text, "k");
	diag_list_free(&l);
	source_free(&s);
}

/*
 * A finding's span is clamped to its source (start and end past the end,
 * an end before the start), a missing code is empty, removing past the
 * end does nothing, and a finding of no source names "<unknown>".
 */
static void test_spans_clamped_and_unknown_source(void **state)
{
	(void)state;
	const char *t = "goal g {}\n";
	source s;
	diag_list l;
	source_from_buffer(&s, "n.loss", t, strlen(t));
	diag_list_init(&l);
	diag *d = diag_add(&l, &s, (span){ 50, 60 }, SEV_ERROR, NULL, "past the end");
	assert_int_equal(d->span.start, strlen(t));
	assert_int_equal(d->span.end, strlen(t));
	assert_string_equal(d->code, "");
	d = diag_add(&l, &s, (span){ 6, 2 }, SEV_WARNING, "LS101", "backwards");
	assert_int_equal(d->span.start, 6);
	assert_int_equal(d->span.end, 6);
	d = diag_add(&l, &s, (span){ 5, 99 }, SEV_WARNING, "LS101", "runs past");
	assert_int_equal(d->span.end, strlen(t));
	diag_note(d, (span){ 7, 3 }, "backwards note");
	assert_int_equal(d->notes[0].span.start, 7);
	assert_int_equal(d->notes[0].span.end, 7);
	diag_remove(&l, 3);
	assert_int_equal(l.n, 3);
	diag_remove(&l, 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].message, "backwards");
	diag_list_free(&l);
	diag_list_init(&l);
	diag_add_file(&l, NULL, SEV_ERROR, "LS002", "no file");
	char *out = render(&l, 0);
	assert_string_equal(out, "<unknown>: error: no file [LS002]\n");
	free(out);
	diag_list_free(&l);
	source_free(&s);
}

/*
 * How a fix is shown: an insertion says so without its indentation, a
 * replacement of several lines shows its first and "...", trailing
 * blanks are not shown, an empty replacement is "remove it", an unsafe
 * one says so.
 */
static void test_fix_forms(void **state)
{
	(void)state;
	const char *t = "loss l on d {\n    value = a;\n}\n";
	static const struct {
		size_t start, end;
		const char *fix, *shown;
		int unsafe;
	} cases[] = {
		{ 30, 30, "    reduce mean;\n", "insert reduce mean;", 0 },
		{ 26, 27, "b +\n  c", "b + ...", 0 },
		{ 26, 27, "b  \t", "b", 0 },
		{ 26, 27, "", "remove it", 0 },
		{ 26, 27, "  \n", "remove it", 0 },
		{ 26, 27, "exp(b)", "exp(b) (unsafe: it changes the loss)", 1 },
	};
	source s;
	source_from_buffer(&s, "f.loss", t, strlen(t));
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		diag_list l;
		char want[128];
		diag_list_init(&l);
		diag *d = diag_add(&l, &s, (span){ 26, 27 }, SEV_WARNING, "LS101", "m");
		if (cases[i].unsafe)
			diag_set_unsafe_fix(d, (span){ cases[i].start, cases[i].end }, cases[i].fix);
		else
			diag_set_fix(d, (span){ cases[i].start, cases[i].end }, cases[i].fix);
		char *out = render(&l, 0);
		snprintf(want, sizeof want, "      | fix: %s\n", cases[i].shown);
		const char *line = strstr(out, "      | fix: ");
		if (!line || strcmp(line, want))
			fail_msg("fix '%s': got\n%s", cases[i].fix, out);
		free(out);
		diag_list_free(&l);
	}
	source_free(&s);
}

static int render_writer(FILE *out, const void *l) { return diag_render_text(out, l, 1); }

/* A write error is reported wherever it falls in a report with snippets, fixes and notes, in color. */
static void test_write_error_at_every_byte(void **state)
{
	(void)state;
	const char *t = "loss l on d {\n    value = a;\n}\n";
	source s;
	diag_list l;
	source_from_buffer(&s, "f.loss", t, strlen(t));
	diag_list_init(&l);
	diag *d = diag_add(&l, &s, (span){ 26, 27 }, SEV_WARNING, "LS101", "a warning");
	diag_set_fix(d, (span){ 26, 27 }, "b");
	diag_note(d, (span){ 5, 6 }, "a note");
	diag_add_file(&l, &s, SEV_ERROR, "LS002", "a file error");
	assert_true(wfail_check(render_writer, &l, SIZE_MAX, 1) > 100);
	diag_list_free(&l);
	source_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notes_clamped_and_fixes_marked),
		cmocka_unit_test(test_render_matches_rules_format),
		cmocka_unit_test(test_move_appends_as_if_queued_now),
		cmocka_unit_test(test_render_mirrors_tabs_and_multibyte),
		cmocka_unit_test(test_render_crlf_and_multiline_span),
		cmocka_unit_test(test_render_notes_and_whole_file),
		cmocka_unit_test(test_render_long_line_window),
		cmocka_unit_test(test_render_window_edges),
		cmocka_unit_test(test_render_hides_control_bytes),
		cmocka_unit_test(test_color_only_when_asked),
		cmocka_unit_test(test_sort_by_source_then_position_then_insertion),
		cmocka_unit_test(test_write_error_is_reported),
		cmocka_unit_test(test_severity_names),
		cmocka_unit_test(test_catalogue_and_diag_code),
		cmocka_unit_test(test_spans_clamped_and_unknown_source),
		cmocka_unit_test(test_fix_forms),
		cmocka_unit_test(test_write_error_at_every_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
