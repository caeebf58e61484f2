/*
 * test_walk.c: lexical path arithmetic (path.h), the config globs
 * (glob.h) and directory walking (walk.h).
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

#include "glob.h"
#include "path.h"
#include "walk.h"

#define EXPECT(call, want) do { char *got_ = (call); assert_string_equal(got_, want); free(got_); } while (0)

static void test_normalize(void **state)
{
	(void)state;
	EXPECT(path_normalize("a/./b//c/"), "a/b/c");
	EXPECT(path_normalize("a/../b"), "b");
	EXPECT(path_normalize("../x/../../y"), "../../y");
	EXPECT(path_normalize("./"), ".");
	EXPECT(path_normalize(""), ".");
	EXPECT(path_normalize("/a/../.."), "/");
	EXPECT(path_normalize("//a//b/.."), "/a");
	EXPECT(path_normalize("a/.."), ".");
	EXPECT(path_normalize("/"), "/");
}

static void test_join_dirname(void **state)
{
	(void)state;
	EXPECT(path_join("a", "b.loss"), "a/b.loss");
	EXPECT(path_join("a/", "b"), "a/b");
	EXPECT(path_join("/", "b"), "/b");
	EXPECT(path_join("", "b"), "b");
	EXPECT(path_join("a", "/abs"), "/abs");
	EXPECT(path_dirname("a/b/c.loss"), "a/b");
	EXPECT(path_dirname("c.loss"), ".");
	EXPECT(path_dirname("/c.loss"), "/");
	EXPECT(path_dirname("a//c"), "a");
}

static void test_relative(void **state)
{
	(void)state;
	EXPECT(path_relative("/a/b", "/a/b/c/d.loss"), "c/d.loss");
	EXPECT(path_relative("/a/b", "/a/c/d.loss"), "../c/d.loss");
	EXPECT(path_relative("/a/bc", "/a/b"), "../b");
	EXPECT(path_relative("/a/b", "/a/b"), ".");
	EXPECT(path_relative("/", "/x/y"), "x/y");
	EXPECT(path_relative("/a", "/"), "..");
	EXPECT(path_relative("/a/b/c", "/x"), "../../../x");
	assert_true(path_is_under("/a/b", "/a/b/c"));
	assert_true(path_is_under("/a/b", "/a/b"));
	assert_false(path_is_under("/a/b", "/a/bc"));
	assert_true(path_is_under("/", "/x"));
}

static void test_absolute(void **state)
{
	(void)state;
	char *a = path_absolute("x/../y.loss");
	assert_non_null(a);
	assert_true(a[0] == '/');
	assert_non_null(strstr(a, "/y.loss"));
	assert_null(strstr(a, ".."));
	free(a);
	EXPECT(path_absolute("/p/./q"), "/p/q");
}

static void test_glob_names(void **state)
{
	(void)state;
	assert_true(glob_match_name("*.loss", 6, "a.loss", 6));
	assert_false(glob_match_name("*.loss", 6, "a.lossx", 7));
	assert_true(glob_match_name("a?c", 3, "abc", 3));
	assert_true(glob_match_name("[a-c]x", 6, "bx", 2));
	assert_false(glob_match_name("[!a-c]x", 7, "bx", 2));
	assert_true(glob_match_name("[^a-c]x", 7, "dx", 2));
	assert_true(glob_match_name("\\*", 2, "*", 1));
	assert_false(glob_match_name("\\*", 2, "a", 1));
	assert_true(glob_match_name("*a*b*", 5, "xxaybz", 6));
	assert_true(glob_match_name("[", 1, "[", 1));
	/* a ']' first in a class is a literal, also after '!' */
	assert_true(glob_match_name("[]a]", 4, "]", 1));
	assert_true(glob_match_name("[]a]", 4, "a", 1));
	assert_false(glob_match_name("[]a]", 4, "b", 1));
	assert_true(glob_match_name("[!]a]", 5, "b", 1));
	assert_false(glob_match_name("[!]a]", 5, "]", 1));
	/* a '-' last in a class is a literal; a class never closed matches nothing */
	assert_true(glob_match_name("[a-]", 4, "-", 1));
	assert_false(glob_match_name("[a-]", 4, "b", 1));
	assert_false(glob_match_name("[ab", 3, "a", 1));
	/* trailing stars match the empty rest */
	assert_true(glob_match_name("a**", 3, "a", 1));
	assert_false(glob_match_name("a*b", 3, "a", 1));
}

static void test_glob_paths(void **state)
{
	(void)state;
	/* no '/': any component, at any depth */
	assert_true(glob_match_path("drafts", "specs/drafts/a.loss"));
	assert_true(glob_match_path("*.gen.loss", "a/b/c.gen.loss"));
	assert_false(glob_match_path("drafts", "specs/drafts2/a.loss"));
	assert_true(glob_match_path("*.loss", "../x.loss"));   /* the file's name */
	assert_false(glob_match_path("x", "../x.loss"));
	/* anchored */
	assert_true(glob_match_path("specs/old", "specs/old/a.loss"));
	assert_false(glob_match_path("specs/old", "x/specs/old/a.loss"));
	assert_true(glob_match_path("specs/*.loss", "specs/a.loss"));
	assert_false(glob_match_path("specs/*.loss", "specs/sub/a.loss"));
	assert_true(glob_match_path("specs/**/*.loss", "specs/sub/deep/a.loss"));
	assert_true(glob_match_path("specs/**/*.loss", "specs/a.loss"));
	assert_true(glob_match_path("**/gen", "a/b/gen/x.loss"));
	assert_true(glob_match_path("specs/**", "specs/a.loss"));
	assert_false(glob_match_path("specs/**", "specs"));
	assert_true(glob_match_path("/top.loss", "top.loss"));
	assert_false(glob_match_path("/top.loss", "a/top.loss"));
	assert_true(glob_match_path("./top.loss", "top.loss"));
	assert_false(glob_match_path("./top.loss", "a/top.loss"));
	assert_true(glob_match_path("specs/old/", "specs/old/a.loss"));
	/* outside the base directory: only a literal ".." reaches it */
	assert_false(glob_match_path("*/x.loss", "../x.loss"));
	assert_false(glob_match_path("**/x.loss", "../x.loss"));
	assert_true(glob_match_path("../specs", "../specs/x.loss"));
	assert_false(glob_match_path("", "a"));
	/* an anchored pattern longer than the path matches nothing */
	assert_false(glob_match_path("specs/old/a.loss/more", "specs/old/a.loss"));
	/* "**" never climbs: not over a leading "..", not to ".." itself */
	assert_false(glob_match_path("**/x.loss", "../../x.loss"));
	assert_true(glob_match_path("../../x.loss", "../../x.loss"));
	assert_false(glob_match_path("*/*/x.loss", "../../x.loss"));
	assert_true(glob_match_path("../**/x.loss", "../a/b/x.loss"));
	assert_false(glob_match_path("**", ".."));
	/* a "../.." path is below no component: an unanchored name matches none of them */
	assert_false(glob_match_path("..", "../.."));
	assert_true(glob_match_path("*.loss", "../.."  "/y.loss"));
	/* "./" and trailing slashes: "./" alone, "./dir/" anchored to the top */
	assert_true(glob_match_path("./specs/", "specs/a.loss"));
	assert_false(glob_match_path("./specs/", "x/specs/a.loss"));
	assert_true(glob_match_path("./specs/*.loss", "specs/a.loss"));
	assert_false(glob_match_path("./specs/*.loss", "x/specs/a.loss"));
	/* a pattern as long as the buffer, or longer, matches nothing */
	char huge[5000];
	memset(huge, 'a', sizeof huge - 1);
	huge[sizeof huge - 1] = '\0';
	assert_false(glob_match_path(huge, "a"));
	/* after a range a '-' is a literal; in a class a backslash is itself;
	   a backslash ending the pattern is itself */
	assert_true(glob_match_name("[a-c-e]", 7, "-", 1));
	assert_false(glob_match_name("[a-c-e]", 7, "d", 1));
	assert_true(glob_match_name("[\\]x", 4, "\\x", 2));
	assert_true(glob_match_name("a\\", 2, "a\\", 2));
}

struct seen {
	char got[2048];
	char errs[512];
};

static void on_file(const char *path, unsigned kind, void *ctx)
{
	struct seen *s = ctx;
	assert_int_equal(kind, WALK_LOSS);
	strcat(s->got, path);
	strcat(s->got, " ");
}

static void on_error(const char *path, const char *why, void *ctx)
{
	struct seen *s = ctx;
	(void)why;
	strcat(s->errs, path);
	strcat(s->errs, " ");
}

static int on_excluded(const char *path, int is_dir, void *ctx)
{
	(void)ctx;
	return (is_dir && strstr(path, "skipme") != NULL) || (!is_dir && strstr(path, "x.loss") != NULL);
}

static void touch(const char *path)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
}

/* Sorted, hidden and unwanted entries skipped, excludes prune, link loops and repeats entered once. */
static void test_walk_tree(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/lossc-walk.XXXXXX", cwd[4096];
	struct seen s;
	walk_cb cb = { on_excluded, on_file, on_error, &s };
	assert_non_null(mkdtemp(tmpl));
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(tmpl), 0);
	assert_int_equal(mkdir("t", 0755), 0);
	assert_int_equal(mkdir("t/b", 0755), 0);
	assert_int_equal(mkdir("t/a", 0755), 0);
	assert_int_equal(mkdir("t/.git", 0755), 0);
	assert_int_equal(mkdir("t/skipme", 0755), 0);
	touch("t/z.loss");
	touch("t/a/m.loss");
	touch("t/a/x.loss");
	touch("t/a/notes.txt");
	touch("t/b/c.loss");
	touch("t/.git/h.loss");
	touch("t/.hidden.loss");
	touch("t/skipme/s.loss");
	touch("t/a-b.loss");
	assert_int_equal(symlink("..", "t/b/up"), 0);          /* a loop */
	assert_int_equal(symlink("a", "t/c"), 0);              /* a second name for a */
	assert_int_equal(symlink("nowhere.loss", "t/dangling.loss"), 0);
	assert_int_equal(mkfifo("t/pipe.loss", 0644), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(walk_dir("t", WALK_LOSS, &cb), 4);
	assert_string_equal(s.got, "t/a/m.loss t/a-b.loss t/b/c.loss t/z.loss ");
	assert_string_equal(s.errs, "t/dangling.loss ");
	/* "." gives names without a "./" prefix; a trailing '/' is not doubled */
	assert_int_equal(chdir("t/b"), 0);
	memset(&s, 0, sizeof s);
	/* (up/ leads back to t, which this walk has not seen: entered once) */
	assert_int_equal(walk_dir(".", WALK_LOSS, &cb), 4);
	assert_string_equal(s.got, "c.loss up/a/m.loss up/a-b.loss up/z.loss ");
	assert_int_equal(chdir(".."), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(walk_dir("a/", WALK_LOSS, &cb), 1);
	assert_string_equal(s.got, "a/m.loss ");
	/* a set of files by identity */
	walk_set set;
	memset(&set, 0, sizeof set);
	assert_true(walk_set_add(&set, "a/m.loss"));
	assert_false(walk_set_add(&set, "c/m.loss"));
	assert_true(walk_set_add(&set, "z.loss"));
	walk_set_free(&set);
	assert_int_equal(walk_kind("a.loss"), WALK_LOSS);
	assert_int_equal(walk_kind("d/.loss"), 0);
	assert_int_equal(walk_kind("a.loss.txt"), WALK_TEXT);     /* a document, by its last extension */
	assert_int_equal(walk_kind("d/README.md"), WALK_MARKDOWN);
	assert_int_equal(walk_kind("NOTES.Markdown"), WALK_MARKDOWN);
	assert_int_equal(walk_kind("d/.md"), 0);
	assert_int_equal(walk_kind("A.LOSS"), 0);              /* .loss is case-sensitive, as before */
	assert_int_equal(chdir(cwd), 0);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpl);
	assert_int_equal(system(cmd), 0);
}

static size_t files_counted;

static void count_file(const char *path, unsigned kind, void *ctx)
{
	(void)path;
	(void)ctx;
	assert_int_equal(kind, WALK_LOSS);
	files_counted++;
}

/* A tree of more directories than the visited set first holds (it grows), and a missing root. */
static void test_walk_many_dirs_and_missing_root(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/lossc-walk.XXXXXX", path[64], cwd[4096];
	struct seen s;
	walk_cb cb = { NULL, count_file, on_error, &s };
	assert_non_null(mkdtemp(tmpl));
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(tmpl), 0);
	for (int i = 0; i < 150; i++) {
		snprintf(path, sizeof path, "d%03d", i);
		assert_int_equal(mkdir(path, 0755), 0);
		snprintf(path, sizeof path, "d%03d/f.loss", i);
		touch(path);
	}
	memset(&s, 0, sizeof s);
	files_counted = 0;
	assert_int_equal(walk_dir(".", WALK_LOSS, &cb), 150);
	assert_int_equal(files_counted, 150);
	assert_string_equal(s.errs, "");
	/* a root that does not exist is one error, no files */
	memset(&s, 0, sizeof s);
	assert_int_equal(walk_dir("gone", WALK_LOSS, &cb), 0);
	assert_string_equal(s.errs, "gone ");
	/* without an error callback, errors are only not reported */
	walk_cb quiet = { NULL, count_file, NULL, NULL };
	assert_int_equal(walk_dir("gone", WALK_LOSS, &quiet), 0);
	assert_int_equal(symlink("nowhere.loss", "d000/dangling.loss"), 0);
	files_counted = 0;
	assert_int_equal(walk_dir("d000", WALK_LOSS, &quiet), 1);
	assert_int_equal(files_counted, 1);
	assert_int_equal(chdir(cwd), 0);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpl);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_join_dirname),
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_absolute),
		cmocka_unit_test(test_glob_names),
		cmocka_unit_test(test_glob_paths),
		cmocka_unit_test(test_walk_tree),
		cmocka_unit_test(test_walk_many_dirs_and_missing_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
