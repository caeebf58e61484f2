/*
 * test_udiff.c: unified diffs.  Exact output on small cases (the layout
 * GNU diff -u writes), and on random texts a property: applying the diff
 * to the old text gives the new one, with every hunk's context matching.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "udiff.h"

static char *diff_of(const char *a, const char *b, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	*rc = udiff_write(f, "a/x.loss", "b/x.loss", a, strlen(a), b, strlen(b), UDIFF_CONTEXT);
	fclose(f);
	return buf;
}

static void test_equal_texts_print_nothing(void **state)
{
	(void)state;
	int rc;
	char *d = diff_of("a\nb\n", "a\nb\n", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(d, "");
	free(d);
}

static void test_one_change_with_context(void **state)
{
	(void)state;
	int rc;
	char *d = diff_of("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n", &rc);
	assert_int_equal(rc, 1);
	assert_string_equal(d, "--- a/x.loss\n+++ b/x.loss\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
	free(d);
	/* two changes far apart: two hunks; near: one */
	d = diff_of("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "one\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n", &rc);
	assert_string_equal(d, "--- a/x.loss\n+++ b/x.loss\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n"
			       "@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+twelve\n");
	free(d);
	d = diff_of("1\n2\n3\n4\n5\n6\n7\n8\n", "one\n2\n3\n4\n5\n6\n7\neight\n", &rc);
	assert_non_null(strstr(d, "@@ -1,8 +1,8 @@\n"));
	free(d);
}

static void test_insert_delete_and_no_newline(void **state)
{
	(void)state;
	int rc;
	char *d = diff_of("", "a\n", &rc);
	assert_string_equal(d, "--- a/x.loss\n+++ b/x.loss\n@@ -0,0 +1 @@\n+a\n");
	free(d);
	d = diff_of("a\nb", "a\nc", &rc);
	assert_string_equal(d, "--- a/x.loss\n+++ b/x.loss\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n"
			       "+c\n\\ No newline at end of file\n");
	free(d);
	/* CRLF lines keep their CR; a changed line end is a change */
	d = diff_of("a\r\nb\r\n", "a\r\nb\n", &rc);
	assert_string_equal(d, "--- a/x.loss\n+++ b/x.loss\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+b\n");
	free(d);
}

/* ---- property: the diff applies ------------------------------------------ */

struct lines {
	char **v;
	size_t n;
};

static void lines_of(const char *t, struct lines *l)
{
	l->v = NULL;
	l->n = 0;
	while (*t) {
		const char *e = strchr(t, '\n');
		size_t n = e ? (size_t)(e - t) + 1 : strlen(t);
		l->v = realloc(l->v, (l->n + 1) * sizeof *l->v);
		l->v[l->n] = strndup(t, n);
		l->n++;
		t += n;
	}
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* Apply diff d (our own output, LF texts that end in '\n') to a; returns the result. */
static char *apply(const char *a, const char *d)
{
	struct lines la, ld;
	size_t ai = 0, cap = strlen(a) + strlen(d) + 1, k = 0;
	char *out = calloc(cap, 1);
	lines_of(a, &la);
	lines_of(d, &ld);
	assert_true(ld.n >= 2);
	for (size_t i = 2; i < ld.n;) {
		unsigned long as, ac = 1, bs, bc = 1;
		const char *h = ld.v[i];
		assert_true(strncmp(h, "@@ -", 4) == 0);
		if (sscanf(h, "@@ -%lu,%lu +%lu,%lu @@", &as, &ac, &bs, &bc) != 4) {
			ac = bc = 1;
			if (sscanf(h, "@@ -%lu +%lu,%lu @@", &as, &bs, &bc) != 3 &&
			    sscanf(h, "@@ -%lu,%lu +%lu @@", &as, &ac, &bs) != 3)
				assert_int_equal(sscanf(h, "@@ -%lu +%lu @@", &as, &bs), 2);
		}
		size_t start = ac ? as - 1 : as;
		while (ai < start) {
			strcpy(out + k, la.v[ai]);
			k += strlen(la.v[ai++]);
		}
		for (i++; i < ld.n && ld.v[i][0] != '@'; i++) {
			const char *l = ld.v[i];
			if (l[0] == ' ' || l[0] == '-') {
				assert_true(ai < la.n);
				assert_string_equal(la.v[ai], l + 1);        /* context and deletions match */
				ai++;
			}
			if (l[0] == ' ' || l[0] == '+') {
				strcpy(out + k, l + 1);
				k += strlen(l + 1);
			}
		}
	}
	while (ai < la.n) {
		strcpy(out + k, la.v[ai]);
		k += strlen(la.v[ai++]);
	}
	lines_free(&la);
	lines_free(&ld);
	return out;
}

static char *random_text(unsigned *seed, int nlines)
{
	char *t = calloc((size_t)nlines * 4 + 1, 1);
	for (int i = 0; i < nlines; i++) {
		*seed = *seed * 1103515245u + 12345u;
		t[i * 2] = (char)('a' + (*seed >> 16) % 4);
		t[i * 2 + 1] = '\n';
	}
	return t;
}

static void test_random_diffs_apply(void **state)
{
	(void)state;
	unsigned seed = 42;
	for (int round = 0; round < 400; round++) {
		seed = seed * 1103515245u + 12345u;
		char *a = random_text(&seed, (int)((seed >> 16) % 30));
		seed = seed * 1103515245u + 12345u;
		char *b = random_text(&seed, (int)((seed >> 16) % 30));
		int rc;
		char *d = diff_of(a, b, &rc);
		if (strcmp(a, b) == 0) {
			assert_int_equal(rc, 0);
		} else {
			char *got = apply(a, d);
			assert_string_equal(got, b);
			free(got);
		}
		free(a);
		free(b);
		free(d);
	}
}

/* A line ended by a lone CR keeps its CR and still ends its diff line. */
static void test_lone_cr_line(void **state)
{
	(void)state;
	int rc;
	char *d = diff_of("one\rtwo\n", "one\rthree\n", &rc);
	assert_int_equal(rc, 1);
	assert_string_equal(d, "--- a/x.loss\n+++ b/x.loss\n@@ -1,2 +1,2 @@\n one\r\n-two\n+three\n");
	free(d);
}

/* Texts with nothing in common past the trace bound: the middle is replaced whole. */
static void test_beyond_the_trace_bound(void **state)
{
	(void)state;
	int rc;
	size_t n = 3000, k = 0;
	char *a = malloc(n * 8), *b = malloc(n * 8);
	assert_non_null(a);
	assert_non_null(b);
	a[0] = b[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		k += (size_t)sprintf(a + k, "a%zu\n", i);
		sprintf(b + strlen(b), "b%zu\n", i);
	}
	char *d = diff_of(a, b, &rc);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(d, "@@ -1,3000 +1,3000 @@\n-a0\n-a1\n"));
	size_t minus = 0, plus = 0;
	for (const char *p = d; (p = strchr(p, '\n')) != NULL; p++) {
		minus += p[1] == '-' && p[2] != '-';
		plus += p[1] == '+' && p[2] != '+';
	}
	assert_int_equal(minus, n);
	assert_int_equal(plus, n);
	/* all deletions come before all insertions */
	assert_true(strstr(d, "-a2999\n+b0\n") != NULL);
	free(d);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lone_cr_line),
		cmocka_unit_test(test_beyond_the_trace_bound),
		cmocka_unit_test(test_equal_texts_print_nothing),
		cmocka_unit_test(test_one_change_with_context),
		cmocka_unit_test(test_insert_delete_and_no_newline),
		cmocka_unit_test(test_random_diffs_apply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
