/*
 * wfail.h: a stream that takes a given number of bytes and then fails
 * every write (as a full disk does), for the unit tests of the writers
 * (reports, explanations, tables, graphs).  Each writer must report a
 * failed write, wherever it falls, and write nothing but a prefix of its
 * whole output before it.
 *
 * wfail_check(write, arg, dense, step) runs write(out, arg) once on a
 * memory stream to learn the whole output, then once for every budget
 * below dense (every write of the output's first part: a long table's
 * first rows), every step-th byte after that, and the last byte: each of
 * those must return a negative number with a prefix of the output
 * written; with the whole length as budget it must return 0.  The stream
 * is unbuffered, so every fputs or fprintf reaches the budget at once.
 */
#ifndef LOSSC_TEST_WFAIL_H
#ifndef _GNU_SOURCE
#error "wfail.h needs _GNU_SOURCE (fopencookie), defined before the first #include"
#endif
#define LOSSC_TEST_WFAIL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wfail {
	char *buf;
	size_t len, budget;
};

static ssize_t wfail_write(void *cookie, const char *p, size_t n)
{
	struct wfail *w = cookie;
	if (n > w->budget - w->len) {
		w->budget = w->len;     /* full: every later write fails too */
		errno = ENOSPC;
		return -1;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
	return (ssize_t)n;
}

typedef int (*wfail_writer)(FILE *out, const void *arg);

/* The writer's result with budget bytes; *got: what it wrote (w->buf). */
static int wfail_run(wfail_writer write, const void *arg, struct wfail *w, size_t budget)
{
	cookie_io_functions_t io = { NULL, wfail_write, NULL, NULL };
	FILE *out;
	int rc;
	w->len = 0;
	w->budget = budget;
	out = fopencookie(w, "w", io);
	assert_non_null(out);
	setvbuf(out, NULL, _IONBF, 0);
	rc = write(out, arg);
	fclose(out);
	return rc;
}

/* Returns the whole output's length (> 0 asserted). */
static size_t wfail_check(wfail_writer write, const void *arg, size_t dense, size_t step)
{
	char *whole = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&whole, &n);
	struct wfail w;
	assert_non_null(m);
	assert_int_equal(write(m, arg), 0);
	fclose(m);
	assert_true(n > 0);
	w.buf = malloc(n + 1);
	assert_non_null(w.buf);
	for (size_t b = 0; b < n; b = b + 1 < dense ? b + 1 : b + step < n - 1 || b == n - 1 ? b + step : n - 1) {
		if (wfail_run(write, arg, &w, b) >= 0)
			fail_msg("a write failing after %zu of %zu bytes was not reported", b, n);
		assert_true(w.len <= b);
		assert_memory_equal(w.buf, whole, w.len);
	}
	assert_int_equal(wfail_run(write, arg, &w, n), 0);
	assert_int_equal(w.len, n);
	assert_memory_equal(w.buf, whole, n);
	free(w.buf);
	free(whole);
	return n;
}

#endif
