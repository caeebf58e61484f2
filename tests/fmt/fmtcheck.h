/*
 * fmtcheck.h: lossc fmt's properties on one text, shared by the property
 * tests (tests/fmt/props.c: every spec of the repository) and the fuzz
 * target (tests/fuzz/fuzz_fmt.c: arbitrary bytes).  Its functions are
 * static: a program includes it once.
 *
 * For a text x that parses, with fmt the checked formatter (fmt_source):
 *   1. fmt(x) is produced (the formatter's own check passed);
 *   2. fmt(fmt(x)) == fmt(x), byte for byte;
 *   3. fmt(x) parses to the tree x parses to, modulo spans (ast_equal),
 *      with the same comments in the same order;
 *   4. lint finds the same findings in fmt(x) as in x, as a multiset of
 *      (code, message), with the directives working: so every allow
 *      still suppresses what it suppressed, and an allow that suppressed
 *      nothing still does (LS009);
 *   5. the same with every directive switched off ("lossc:" turned into
 *      "lossc-", same length), so the findings themselves, before any
 *      suppression, are the same too.
 * A text that does not parse must be refused (fmt_source returns 1).
 *
 * Messages are compared exactly but for one normalization: "line N" and
 * "lines N-M" become "line #" (LS009 names the line, or the lines of the
 * declaration, its allow points at, and formatting moves lines and may
 * put a declaration on one).  Messages that quote an expression quote it as
 * fmt writes it (analyze.c), so they do not depend on the layout.
 * Positions are not compared: removing a redundant parenthesis moves a
 * span, re-wrapping prose moves a line.
 */
#ifndef LOSSC_TESTS_FMTCHECK_H
#define LOSSC_TESTS_FMTCHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "diag.h"
#include "fmt.h"
#include "lint.h"
#include "parse.h"
#include "prose.h"
#include "source.h"

/*
 * The source tree's built-in prose rules (not an installed copy, which may
 * be older), loaded once and kept for the program's run; aborts when they
 * cannot be loaded: properties checked without them would prove less.
 */
static prose_set *fmtcheck_rules(void)
{
	static prose_set *set;
	char err[1024];
	if (!set) {
		set = prose_set_new();
		if (prose_load_dir(set, LOSSC_SRCDIR "/rules", 1, err, sizeof err) != 0) {
			fprintf(stderr, "fmtcheck: cannot load the built-in prose rules: %s\n", err);
			abort();
		}
	}
	return set;
}

/* "CODE message" with "line N" -> "line #", one malloc'd string a finding. */
static char *key_of(const diag *d)
{
	size_t n = strlen(d->message) + 16;
	char *k = malloc(n), *o = k;
	if (!k)
		abort();
	o += sprintf(o, "%s ", d->code);
	for (const char *m = d->message; *m;) {
		if (strncmp(m, "line ", 5) == 0 && m[5] >= '0' && m[5] <= '9') {
			memcpy(o, "line #", 6);
			o += 6;
			m += 5;
			while (*m >= '0' && *m <= '9')
				m++;
		} else if (strncmp(m, "lines ", 6) == 0 && m[6] >= '0' && m[6] <= '9') {
			memcpy(o, "line #", 6);   /* "lines 11-13", a declaration's lines, may become one */
			o += 6;
			m += 6;
			while ((*m >= '0' && *m <= '9') || *m == '-')
				m++;
		} else {
			*o++ = *m++;
		}
	}
	*o = '\0';
	return k;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted finding keys lint gives for text. */
static char **lint_keys(const char *path, const char *text, size_t len, prose_set *rules, size_t *n)
{
	source src;
	diag_list diags;
	lint_opts o;
	source_from_buffer(&src, path, text, len);
	diag_list_init(&diags);
	lint_opts_init(&o);
	o.prose = rules;
	lint_one(&src, &o, &diags);
	char **keys = malloc((diags.n + 1) * sizeof *keys);
	if (!keys)
		abort();
	for (size_t i = 0; i < diags.n; i++)
		keys[i] = key_of(&diags.items[i]);
	qsort(keys, diags.n, sizeof *keys, str_cmp);
	*n = diags.n;
	diag_list_free(&diags);
	source_free(&src);
	return keys;
}

static void free_keys(char **k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(k[i]);
	free(k);
}

/* The first difference between two sorted multisets, or NULL. */
static const char *keys_differ(char **a, size_t na, char **b, size_t nb, char *buf, size_t size)
{
	size_t i = 0, j = 0;
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i], b[j]);
		if (c == 0) {
			i++;
			j++;
			continue;
		}
		snprintf(buf, size, "%s only %s: %s", c < 0 ? "before" : "after",
			 c < 0 ? "before formatting" : "after formatting", c < 0 ? a[i] : b[j]);
		return buf;
	}
	return NULL;
}

/*
 * A copy of text with every directive switched off ("lossc:" -> "lossc-"),
 * *changed set when there was one to switch off.
 */
static char *directives_off(const char *path, const char *text, size_t len, int *changed)
{
	source src;
	diag_list diags;
	char *copy = malloc(len + 1);
	if (!copy)
		abort();
	memcpy(copy, text, len);
	copy[len] = '\0';
	source_from_buffer(&src, path, text, len);
	diag_list_init(&diags);
	ast_file *f = parse_source_opts(&src, &diags, 0, 0);
	for (const ast_directive *d = f->directives; d; d = d->next) {
		char *p = copy + d->span.start;
		char *hit = NULL;
		for (size_t i = 0; i + 6 <= (size_t)(d->span.end - d->span.start); i++)
			if (memcmp(p + i, "lossc:", 6) == 0) {
				hit = p + i;
				break;
			}
		if (hit) {
			hit[5] = '-';
			*changed = 1;
		}
	}
	ast_file_free(f);
	diag_list_free(&diags);
	source_free(&src);
	return copy;
}

typedef void fmtcheck_fail_fn(const char *path, const char *what, const char *detail);

/* 1 when lint finds the same in x and y, else 0 after fail(). */
static int lint_same(const char *path, const char *what, const char *x, size_t xn, const char *y, size_t yn,
		     prose_set *rules, fmtcheck_fail_fn *fail)
{
	size_t na, nb;
	char buf[1024];
	char **a = lint_keys(path, x, xn, rules, &na), **b = lint_keys(path, y, yn, rules, &nb);
	const char *d = keys_differ(a, na, b, nb, buf, sizeof buf);
	if (d)
		fail(path, what, d);
	free_keys(a, na);
	free_keys(b, nb);
	return d == NULL;
}

/*
 * The properties on text[0..len) at width: 1 when they hold, 0 when the
 * text does not parse (and fmt refused it), -1 when one failed (fail()
 * was called for each).
 */
static int fmtcheck(const char *path, const char *text, size_t len, unsigned width, prose_set *rules,
		    fmtcheck_fail_fn *fail)
{
	source src, s1;
	char why[512];
	diag_list diags;
	char *fx = NULL, *ffx = NULL;
	size_t nfx = 0, nffx = 0;
	int ok = 1;

	source_from_buffer(&src, path, text, len);
	diag_list_init(&diags);
	int rc = fmt_source(&src, width, &diags, &fx, &nfx, why, sizeof why);
	if (rc == 1) {
		diag_list_free(&diags);
		source_free(&src);
		return 0;
	}
	if (rc != 0) {
		fail(path, "fmt refused its own output", why);
		diag_list_free(&diags);
		source_free(&src);
		return -1;
	}

	/* 2. idempotent */
	source_from_buffer(&s1, path, fx, nfx);
	diag_list_free(&diags);
	diag_list_init(&diags);
	rc = fmt_source(&s1, width, &diags, &ffx, &nffx, why, sizeof why);
	if (rc != 0) {
		fail(path, "formatting fmt(x) failed", rc < 0 ? why : "it does not parse");
		ok = 0;
	} else if (nffx != nfx || memcmp(fx, ffx, nfx) != 0) {
		fail(path, "fmt(fmt(x)) != fmt(x)", NULL);
		ok = 0;
	}

	/* 3. the same tree (fmt_source checked a digest; this compares the trees) */
	diag_list_free(&diags);
	diag_list_init(&diags);
	ast_file *a = parse_source_opts(&src, &diags, 0, PARSE_KEEP_COMMENTS);
	ast_file *b = parse_source_opts(&s1, &diags, 0, PARSE_KEEP_COMMENTS);
	size_t ca = 0, cb = 0;
	for (const ast_comment *c = a->comments; c; c = c->next)
		ca++;
	for (const ast_comment *c = b->comments; c; c = c->next)
		cb++;
	if (!ast_equal(a, b, why, sizeof why)) {
		fail(path, "fmt(x) parses to another tree", why);
		ok = 0;
	}
	if (ca != cb) {
		fail(path, "fmt(x) has another number of comments", NULL);
		ok = 0;
	}
	ast_file_free(a);
	ast_file_free(b);
	source_free(&s1);

	/* 4. and 5. the same findings, with and without the directives */
	ok &= lint_same(path, "lint findings differ", src.text, src.len, fx, nfx, rules, fail);
	/* With no directive in either text, switching them off changes
	   neither: the lint above already compared these two texts (skipping
	   it halves the fuzz target's lint work on most inputs). */
	int changed = 0;
	char *xo = directives_off(path, src.text, src.len, &changed);
	char *fo = directives_off(path, fx, nfx, &changed);
	if (changed)
		ok &= lint_same(path, "lint findings (directives off) differ", xo, src.len, fo, nfx, rules, fail);
	free(xo);
	free(fo);
	free(fx);
	free(ffx);
	diag_list_free(&diags);
	source_free(&src);
	return ok ? 1 : -1;
}

#endif
