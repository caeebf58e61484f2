/*
 * test_baseline.c: the baseline file (baseline.h) as a unit: every way an
 * entry line can be malformed, with its file:line message; a round trip
 * through baseline_write and baseline_load (paths percent-encoded where a
 * byte would break the line format, messages on one line, occurrence
 * numbers, findings that are never written); hiding and stale entries,
 * with paths decoded however they were encoded.  (The command line:
 * goldens baseline_*.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "path.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/lossc-baseline.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void put(const char *name, const char *text)
{
	char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *slurp(const char *name)
{
	char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	char *b = calloc(1, 1 << 16);
	assert_non_null(b);
	size_t n = fread(b, 1, (1 << 16) - 1, f);
	b[n] = '\0';
	fclose(f);
	return b;
}

#define MAGIC "# lossc baseline 1\n"
#define ENTRY_FORM "a baseline entry is FINGERPRINT:N<TAB>CODE<TAB>PATH[<TAB>LINE<TAB>MESSAGE]"

static void test_malformed_files_are_refused_at_their_line(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int line;       /* 0: the first line is not the magic one */
	} cases[] = {
		{ "", 0 },
		{ "# lossc baseline\n", 0 },
		{ "# lossc baseline 2\n0123:1\tLS101\ta.loss\n", 0 },
		{ MAGIC "0123:1\tLS101\n", 2 },                          /* two fields */
		{ MAGIC "# a comment\n\n0123:1\n", 4 },                  /* one */
		{ MAGIC "\tLS101\ta.loss\n", 2 },                        /* no fingerprint */
		{ MAGIC "0123456789abcdef0123456789abcdef0123456789:1\tLS101\ta.loss\n", 2 }, /* too long */
		{ MAGIC "0123:1\t\ta.loss\n", 2 },                        /* no code */
		{ MAGIC "0123:1\tLS101LS101\ta.loss\n", 2 },              /* a code too long */
		{ MAGIC "0123:1\tLS101\t\t3\tm\n", 2 },                   /* no path */
		{ MAGIC "0123\tLS101\ta.loss\n", 2 },                     /* no occurrence */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char err[512], path[128], want[256];
		put("b.txt", cases[i].text);
		snprintf(path, sizeof path, "%s/b.txt", dir);
		baseline *b = baseline_load(path, err, sizeof err);
		if (b)
			fail_msg("case %zu: accepted", i);
		if (cases[i].line == 0)
			snprintf(want, sizeof want, "%s:1: error: not a lossc baseline", path);
		else
			snprintf(want, sizeof want, "%s:%d: error: " ENTRY_FORM, path, cases[i].line);
		if (strncmp(err, want, strlen(want)) != 0)
			fail_msg("case %zu: '%s', want '%s'", i, err, want);
	}
	char err[512], path[128];
	snprintf(path, sizeof path, "%s/none.txt", dir);
	assert_null(baseline_load(path, err, sizeof err));
	assert_non_null(strstr(err, "error: cannot read baseline: "));
}

static int linted_all(const char *abspath, void *ctx)
{
	(void)abspath;
	++*(int *)ctx;
	return 1;
}

static void test_round_trip_hide_and_stale(void **state)
{
	(void)state;
	char name[160], bpath[128], err[512];
	const char *t = "goal g { about \"x\"; }\ngoal h { about \"y\"; }\n";
	source s;
	diag_list l;
	/* a file name with a percent sign and a tab in it */
	snprintf(name, sizeof name, "%s/a%%b\tc.loss", dir);
	source_from_buffer(&s, name, t, strlen(t));
	diag_list_init(&l);
	diag_add(&l, &s, (span){ 5, 6 }, SEV_WARNING, "LS101", "goal has\tno\nrationale");
	diag_add(&l, &s, (span){ 5, 6 }, SEV_WARNING, "LS101", "goal has\tno\nrationale");
	diag_add(&l, &s, (span){ 27, 28 }, SEV_WARNING, "LS101", "goal has no rationale");
	diag_add_file(&l, &s, SEV_ERROR, "LS002", "cannot open");      /* never baselined */
	diag_add_file(&l, &s, SEV_WARNING, "LS102", "a whole-file finding");
	snprintf(bpath, sizeof bpath, "%s/base.txt", dir);
	assert_int_equal(baseline_write(bpath, &l, err, sizeof err), 4);
	char *text = slurp("base.txt");
	assert_non_null(strstr(text, ":1\tLS101\ta%25b%09c.loss\t1\tgoal has no rationale\n"));
	assert_non_null(strstr(text, ":2\tLS101\ta%25b%09c.loss\t1\tgoal has no rationale\n"));
	assert_non_null(strstr(text, "\tLS102\ta%25b%09c.loss\t0\ta whole-file finding\n"));
	assert_null(strstr(text, "LS002"));
	free(text);

	/* every finding is hidden; LS002 stays */
	baseline *b = baseline_load(bpath, err, sizeof err);
	assert_non_null(b);
	assert_int_equal(baseline_hide(b, &l, 0), 4);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].code, "LS002");
	int asked = 0;
	baseline_stale(b, &l, linted_all, &asked);
	assert_int_equal(l.n, 1);
	baseline_free(b);

	/* with one finding gone, its entry is stale, in the file's order, its path decoded */
	diag_list_free(&l);
	diag_list_init(&l);
	diag_add(&l, &s, (span){ 5, 6 }, SEV_WARNING, "LS101", "goal has\tno\nrationale");
	diag_add(&l, &s, (span){ 27, 28 }, SEV_INFO, "LS101", "goal has no rationale");
	b = baseline_load(bpath, err, sizeof err);
	assert_non_null(b);
	assert_int_equal(baseline_hide(b, &l, 0), 2);
	diag_list_free(&l);
	diag_list_init(&l);
	baseline_stale(b, &l, linted_all, &asked);
	assert_int_equal(asked, 2);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].code, "LS020");
	/* the file lists the whole-file finding (line 0) first */
	assert_non_null(strstr(l.items[0].message, "LS102 in a%b\tc.loss"));
	assert_string_equal(l.items[1].message, "baseline entry matches no finding: LS101 in a%b\tc.loss; "
			    "write the baseline again to drop it");
	assert_true(l.items[0].span.start < l.items[1].span.start);
	baseline_free(b);
	diag_list_free(&l);
	source_free(&s);

	/* a code that differs hides nothing */
	source_from_buffer(&s, name, t, strlen(t));
	diag_list_init(&l);
	diag_add(&l, &s, (span){ 27, 28 }, SEV_WARNING, "LS103", "goal has no rationale");
	b = baseline_load(bpath, err, sizeof err);
	assert_non_null(b);
	assert_int_equal(baseline_hide(b, &l, 0), 0);
	baseline_free(b);
	diag_list_free(&l);
	source_free(&s);
}

/* Percent escapes decode in either case; an incomplete or non-hex one stays as written. */
static void test_paths_decode(void **state)
{
	(void)state;
	char bpath[128], err[512];
	put("dec.txt", MAGIC "0000000000000001:1\tLS101\tx%2fy%2Fz%zz%4\n"
			 "0000000000000002:1\tLS101\tq%\n");
	snprintf(bpath, sizeof bpath, "%s/dec.txt", dir);
	baseline *b = baseline_load(bpath, err, sizeof err);
	assert_non_null(b);
	diag_list l;
	diag_list_init(&l);
	int asked = 0;
	baseline_stale(b, &l, linted_all, &asked);
	assert_int_equal(l.n, 2);
	assert_non_null(strstr(l.items[0].message, " in x/y/z%zz%4;"));
	assert_non_null(strstr(l.items[1].message, " in q%;"));
	diag_list_free(&l);
	baseline_free(b);
	/* a baseline that cannot be written says why */
	diag_list_init(&l);
	snprintf(bpath, sizeof bpath, "%s/no/such/dir/b.txt", dir);
	assert_int_equal(baseline_write(bpath, &l, err, sizeof err), -1);
	assert_non_null(strstr(err, "error: cannot write baseline: "));
	diag_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_malformed_files_are_refused_at_their_line),
		cmocka_unit_test(test_round_trip_hide_and_stale),
		cmocka_unit_test(test_paths_decode),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
