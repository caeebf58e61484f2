/*
 * test_source.c: reading files, the line map, positions in code points,
 * CRLF and BOM handling, and the strict UTF-8 validator.
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
#include <unistd.h>

#include "source.h"

static void from(source *s, const char *text)
{
	source_from_buffer(s, "t.loss", text, strlen(text));
}

static void assert_pos(const source *s, size_t off, unsigned long line, unsigned long col)
{
	src_pos p = source_pos(s, off);
	assert_int_equal(p.line, line);
	assert_int_equal(p.col, col);
}

static void test_lines_and_columns_ascii(void **state)
{
	(void)state;
	source s;
	from(&s, "ab\ncd\n");
	assert_int_equal(s.nlines, 3);          /* the empty line after the last \n */
	assert_pos(&s, 0, 1, 1);
	assert_pos(&s, 1, 1, 2);
	assert_pos(&s, 2, 1, 3);                /* the newline itself */
	assert_pos(&s, 3, 2, 1);
	assert_pos(&s, 6, 3, 1);                /* end of text */
	assert_pos(&s, 1000, 3, 1);             /* clamped */
	source_free(&s);
}

static void test_columns_count_code_points(void **state)
{
	(void)state;
	source s;
	/* "é" is 2 bytes, "€" 3, "𝄞" 4: each one column. */
	from(&s, "x\n\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9Ez");
	assert_pos(&s, 2, 2, 1);
	assert_pos(&s, 4, 2, 2);
	assert_pos(&s, 7, 2, 3);
	assert_pos(&s, 11, 2, 4);               /* 'z' */
	source_free(&s);
}

/* Columns by direct counting, to check source_pos's memo against. */
static unsigned long naive_col(const char *text, size_t line_start, size_t off)
{
	unsigned long col = 1;
	for (size_t i = line_start; i < off; i++)
		if (((unsigned char)text[i] & 0xC0) != 0x80)
			col++;
	return col;
}

static void test_positions_in_any_order_agree(void **state)
{
	(void)state;
	/* Two long lines of mixed one- and multi-byte characters. */
	size_t n = 0, cap = 200000;
	char *t = malloc(cap);
	for (int line = 0; line < 2; line++) {
		for (int i = 0; i < 20000; i++) {
			memcpy(t + n, i % 3 ? "a" : "\xC3\xA9", i % 3 ? 1 : 2);
			n += i % 3 ? 1 : 2;
		}
		t[n++] = '\n';
	}
	source s;
	source_from_buffer(&s, "m.loss", t, n);
	size_t second = s.line_start[1];
	/* Forward, backward, across lines and back: the memo must never leak a wrong column. */
	size_t offs[] = { 10, 500, 20000, 499, 0, second + 7, 300, second + 9000, second + 8, 25000 };
	for (size_t k = 0; k < sizeof offs / sizeof offs[0]; k++) {
		size_t off = offs[k];
		size_t ls = off >= second ? second : 0;
		src_pos p = source_pos(&s, off);
		assert_int_equal(p.line, off >= second ? 2 : 1);
		assert_int_equal(p.col, naive_col(t, ls, off));
	}
	/* Every offset of the first line in increasing order: linear with the memo. */
	for (size_t off = 0; off < second; off++)
		assert_int_equal(source_pos(&s, off).col, naive_col(t, 0, off) );
	source_free(&s);
	free(t);
}

static void test_tab_is_one_column(void **state)
{
	(void)state;
	source s;
	from(&s, "\t\tx");
	assert_pos(&s, 2, 1, 3);
	source_free(&s);
}

static void test_crlf_lines_strip_terminator(void **state)
{
	(void)state;
	source s;
	size_t len;
	from(&s, "goal g {\r\n  about \"x\";\r\n}\r\n");
	const char *l2 = source_line(&s, 2, &len);
	assert_int_equal(len, strlen("  about \"x\";"));
	assert_memory_equal(l2, "  about \"x\";", len);
	assert_pos(&s, 10 + 2, 2, 3);           /* 'a' of about */
	source_line(&s, 1, &len);
	assert_int_equal(len, 8);
	source_line(&s, 4, &len);               /* the empty last line */
	assert_int_equal(len, 0);
	source_line(&s, 5, &len);               /* past the end */
	assert_int_equal(len, 0);
	source_free(&s);
}

/* Every CR, LF or CRLF ends a line: old-Mac files and files with mixed ends. */
static void test_cr_and_mixed_line_ends(void **state)
{
	(void)state;
	source s;
	size_t len;
	const char *l;
	from(&s, "a\rbb\r\nccc\ndddd\r\re");
	assert_int_equal(s.nlines, 6);
	l = source_line(&s, 1, &len);
	assert_int_equal(len, 1);
	assert_memory_equal(l, "a", 1);
	l = source_line(&s, 2, &len);
	assert_int_equal(len, 2);
	assert_memory_equal(l, "bb", 2);
	l = source_line(&s, 3, &len);
	assert_int_equal(len, 3);
	l = source_line(&s, 4, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(l, "dddd", 4);
	source_line(&s, 5, &len);               /* the empty line between two CRs */
	assert_int_equal(len, 0);
	l = source_line(&s, 6, &len);
	assert_int_equal(len, 1);
	assert_memory_equal(l, "e", 1);
	assert_pos(&s, 2, 2, 1);                /* 'b' after a lone CR */
	assert_pos(&s, 6, 3, 1);                /* 'c' after a CRLF */
	assert_pos(&s, 16, 6, 1);
	source_free(&s);
	from(&s, "x\r");                        /* a final lone CR: a last empty line */
	assert_int_equal(s.nlines, 2);
	source_line(&s, 1, &len);
	assert_int_equal(len, 1);
	source_free(&s);
}

static void test_bom_is_skipped(void **state)
{
	(void)state;
	source s;
	size_t len;
	from(&s, "\xEF\xBB\xBFgoal g {}\n");
	assert_int_equal(s.body, 3);
	assert_pos(&s, 3, 1, 1);
	assert_pos(&s, 8, 1, 6);                /* 'g' */
	const char *l = source_line(&s, 1, &len);
	assert_int_equal(len, 9);
	assert_memory_equal(l, "goal g {}", 9);
	source_free(&s);
}

static void test_empty_source(void **state)
{
	(void)state;
	source s;
	size_t len;
	source_from_buffer(&s, "e.loss", "", 0);
	assert_int_equal(s.nlines, 1);
	assert_pos(&s, 0, 1, 1);
	source_line(&s, 1, &len);
	assert_int_equal(len, 0);
	assert_int_equal(source_check_utf8(&s, NULL, NULL), 0);
	source_free(&s);
}

/* bytes must be invalid: the validator names the first bad offset and a reason containing `why`. */
static void assert_bad_utf8(const char *bytes, size_t n, size_t off, const char *why)
{
	source s;
	size_t bad = 99999;
	const char *reason = NULL;
	source_from_buffer(&s, "u.loss", bytes, n);
	assert_int_equal(source_check_utf8(&s, &bad, &reason), -1);
	assert_int_equal(bad, off);
	assert_non_null(reason);
	if (!strstr(reason, why))
		fail_msg("reason '%s' does not mention '%s'", reason, why);
	source_free(&s);
}

static void assert_good_utf8(const char *bytes, size_t n)
{
	source s;
	source_from_buffer(&s, "u.loss", bytes, n);
	assert_int_equal(source_check_utf8(&s, NULL, NULL), 0);
	source_free(&s);
}

/*
 * The validator reads eight ASCII bytes at a time: a NUL or a non-ASCII
 * byte is still found at every offset of a long ASCII run, and a run that
 * ends mid-word leaves its tail checked byte by byte.
 */
static void test_utf8_word_at_a_time_sees_every_offset(void **state)
{
	(void)state;
	char buf[40];
	for (size_t off = 0; off < sizeof buf; off++) {
		memset(buf, 'x', sizeof buf);
		buf[off] = '\0';
		assert_bad_utf8(buf, sizeof buf, off, "NUL");
		buf[off] = (char)0x80;
		assert_bad_utf8(buf, sizeof buf, off, "continuation");
		buf[off] = (char)0xFF;
		assert_bad_utf8(buf, sizeof buf, off, "U+10FFFF");
		buf[off] = 'y';
		assert_good_utf8(buf, sizeof buf);
		assert_good_utf8(buf, off + 1);
	}
	/* a two-byte character straddling a word boundary */
	memset(buf, 'x', sizeof buf);
	buf[7] = (char)0xC3;
	buf[8] = (char)0xA9;
	assert_good_utf8(buf, sizeof buf);
}

/* The line index grows past its first guess (lines much shorter than 32 bytes). */
static void test_many_short_lines(void **state)
{
	(void)state;
	enum { N = 5000 };
	char *text = malloc(2 * N);
	assert_non_null(text);
	for (size_t i = 0; i < N; i++) {
		text[2 * i] = i % 3 ? 'a' : '\n';
		text[2 * i + 1] = '\n';
	}
	source s;
	source_from_buffer(&s, "l.loss", text, 2 * N);
	free(text);
	size_t lines = 1;
	for (size_t i = 0; i < 2 * N; i++) {
		assert_int_equal(source_line_of(&s, i), lines);
		if (s.text[i] == '\n')
			lines++;
	}
	assert_int_equal(s.nlines, lines);
	assert_pos(&s, 2 * N - 1, lines - 1, 2 * N - 1 - s.line_start[lines - 2] + 1);
	source_free(&s);
}

static void test_utf8_valid_boundaries(void **state)
{
	(void)state;
	assert_good_utf8("abc", 3);
	assert_good_utf8("\xC2\x80", 2);                /* U+0080 */
	assert_good_utf8("\xDF\xBF", 2);                /* U+07FF */
	assert_good_utf8("\xE0\xA0\x80", 3);            /* U+0800 */
	assert_good_utf8("\xED\x9F\xBF", 3);            /* U+D7FF, just below surrogates */
	assert_good_utf8("\xEE\x80\x80", 3);            /* U+E000, just above */
	assert_good_utf8("\xEF\xBF\xBF", 3);            /* U+FFFF */
	assert_good_utf8("\xF0\x90\x80\x80", 4);        /* U+10000 */
	assert_good_utf8("\xF4\x8F\xBF\xBF", 4);        /* U+10FFFF */
}

static void test_utf8_overlong(void **state)
{
	(void)state;
	assert_bad_utf8("a\xC0\x80", 3, 1, "overlong");
	assert_bad_utf8("\xC1\xBF", 2, 0, "overlong");
	assert_bad_utf8("ab\xE0\x80\xAF", 5, 2, "overlong");
	assert_bad_utf8("\xF0\x8F\xBF\xBF", 4, 0, "overlong");
}

static void test_utf8_surrogates_and_range(void **state)
{
	(void)state;
	assert_bad_utf8("x\xED\xA0\x80", 4, 1, "surrogate");      /* U+D800 */
	assert_bad_utf8("\xED\xBF\xBF", 3, 0, "surrogate");       /* U+DFFF */
	assert_bad_utf8("\xF4\x90\x80\x80", 4, 0, "U+10FFFF");    /* U+110000 */
	assert_bad_utf8("\xF5\x80\x80\x80", 4, 0, "U+10FFFF");
	assert_bad_utf8("\xFF", 1, 0, "U+10FFFF");
}

static void test_utf8_truncated_stray_and_nul(void **state)
{
	(void)state;
	assert_bad_utf8("ab\xE2\x82", 4, 2, "truncated");          /* at end of text */
	assert_bad_utf8("\xE2\x82z", 3, 0, "truncated");           /* cut by ASCII */
	assert_bad_utf8("\xF0\x9D\x84", 3, 0, "truncated");
	assert_bad_utf8("ok\x80", 3, 2, "continuation");
	assert_bad_utf8("ab\0cd", 5, 2, "NUL");
}

static void test_read_regular_file_and_errors(void **state)
{
	(void)state;
	char dir[] = "/tmp/lossc-test-XXXXXX";
	char path[256], why[256];
	source s;
	assert_non_null(mkdtemp(dir));

	/* A regular file bigger than one read buffer round-trips exactly. */
	snprintf(path, sizeof path, "%s/big.loss", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 100000; i++)
		fprintf(f, "// line %d\n", i);
	fclose(f);
	assert_int_equal(source_read(&s, path, why, sizeof why), 0);
	assert_int_equal(s.nlines, 100001);
	assert_string_equal(s.path, path);
	assert_pos(&s, s.line_start[99999] + 3, 100000, 4);
	source_free(&s);

	/* A missing file, a directory and a FIFO fail with a reason, never block. */
	snprintf(path, sizeof path, "%s/missing.loss", dir);
	assert_int_equal(source_read(&s, path, why, sizeof why), -1);
	assert_non_null(strstr(why, "No such file"));
	assert_int_equal(source_read(&s, dir, why, sizeof why), -1);
	assert_string_equal(why, "is a directory");
	snprintf(path, sizeof path, "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(source_read(&s, path, why, sizeof why), -1);
	assert_non_null(strstr(why, "FIFO"));
	unlink(path);
	/* a device is refused by name; an empty regular file is an empty source */
	assert_int_equal(source_read(&s, "/dev/null", why, sizeof why), -1);
	assert_string_equal(why, "is a device, not a regular file");
	snprintf(path, sizeof path, "%s/empty.loss", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(source_read(&s, path, why, sizeof why), 0);
	assert_int_equal(s.len, 0);
	assert_int_equal(s.nlines, 1);
	source_free(&s);
	unlink(path);
	snprintf(path, sizeof path, "%s/big.loss", dir);
	unlink(path);
	rmdir(dir);
}

/* The queries' edges: no reason or offset wanted, lines and offsets out of range, freeing NULL. */
static void test_query_edges(void **state)
{
	(void)state;
	source s;
	size_t len;
	source_from_buffer(&s, "e.loss", "ab\ncd", 5);
	assert_int_equal(source_check_utf8(&s, NULL, NULL), 0);
	source_free(&s);
	source_from_buffer(&s, "e.loss", "a\200b", 3);
	assert_int_equal(source_check_utf8(&s, NULL, NULL), -1);
	source_free(&s);
	source_from_buffer(&s, "e.loss", "ab\ncd", 5);
	assert_string_equal(source_line(&s, 0, &len), "");
	assert_int_equal(len, 0);
	assert_string_equal(source_line(&s, 3, &len), "");
	assert_int_equal(len, 0);
	assert_pos(&s, 99, 2, 3);      /* past the end: the end */
	source_free(&s);
	source_free(NULL);
	/* a lone CR ends a line and is not part of it, as a CRLF; the line after the last CR is empty */
	source_from_buffer(&s, "e.loss", "ab\rcd\r", 6);
	assert_int_equal(s.nlines, 3);
	const char *l1 = source_line(&s, 1, &len);
	assert_int_equal(len, 2);
	assert_memory_equal(l1, "ab", 2);
	source_free(&s);
	source_from_buffer(&s, "e.loss", "ab\r\ncd\r", 7);
	assert_int_equal(s.nlines, 3);
	source_line(&s, 1, &len);
	assert_int_equal(len, 2);
	const char *l2 = source_line(&s, 2, &len);
	assert_int_equal(len, 2);
	assert_memory_equal(l2, "cd", 2);
	source_line(&s, 3, &len);
	assert_int_equal(len, 0);
	source_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_and_columns_ascii),
		cmocka_unit_test(test_query_edges),
		cmocka_unit_test(test_columns_count_code_points),
		cmocka_unit_test(test_positions_in_any_order_agree),
		cmocka_unit_test(test_tab_is_one_column),
		cmocka_unit_test(test_crlf_lines_strip_terminator),
		cmocka_unit_test(test_cr_and_mixed_line_ends),
		cmocka_unit_test(test_bom_is_skipped),
		cmocka_unit_test(test_empty_source),
		cmocka_unit_test(test_utf8_valid_boundaries),
		cmocka_unit_test(test_utf8_overlong),
		cmocka_unit_test(test_utf8_surrogates_and_range),
		cmocka_unit_test(test_utf8_truncated_stray_and_nul),
		cmocka_unit_test(test_utf8_word_at_a_time_sees_every_offset),
		cmocka_unit_test(test_many_short_lines),
		cmocka_unit_test(test_read_regular_file_and_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
