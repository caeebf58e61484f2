/*
 * test_outfile.c: the atomic writer never leaves a partial file, reports
 * write errors, and cleans up its temporary file on every path.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outfile.h"

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_outfile.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[256];
	snprintf(cmd, sizeof cmd, "chmod -R u+w '%s' && rm -rf '%s'", tmpdir, tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Number of directory entries other than . and .. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void test_commit_replaces_target_with_full_contents(void **state)
{
	(void)state;
	char path[512], why[256], buf[64];
	snprintf(path, sizeof path, "%s/out.c", tmpdir);
	FILE *f = fopen(path, "w");
	fputs("old", f);
	fclose(f);

	outfile o;
	assert_int_equal(outfile_open(&o, path, why, sizeof why), 0);
	fputs("new contents", o.f);
	/* Before commit the target still holds the old bytes. */
	slurp(path, buf, sizeof buf);
	assert_string_equal(buf, "old");
	assert_int_equal(count_entries(tmpdir), 2);
	assert_int_equal(outfile_commit(&o, why, sizeof why), 0);
	slurp(path, buf, sizeof buf);
	assert_string_equal(buf, "new contents");
	assert_int_equal(count_entries(tmpdir), 1);

	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	mode_t mask = umask(0);
	umask(mask);
	assert_int_equal(st.st_mode & 0777, 0666 & ~mask);
}

static void test_abort_leaves_target_untouched(void **state)
{
	(void)state;
	char path[512], why[256], buf[64];
	snprintf(path, sizeof path, "%s/keep.h", tmpdir);
	FILE *f = fopen(path, "w");
	fputs("old", f);
	fclose(f);
	outfile o;
	assert_int_equal(outfile_open(&o, path, why, sizeof why), 0);
	fputs("half", o.f);
	outfile_abort(&o);
	outfile_abort(&o);      /* a second abort is a no-op */
	slurp(path, buf, sizeof buf);
	assert_string_equal(buf, "old");
	assert_int_equal(count_entries(tmpdir), 1);
}

/*
 * A write error (here: the temporary file's descriptor is swapped for
 * /dev/full, so the flush fails with ENOSPC) is reported and leaves
 * neither a partial target nor the temporary file.
 */
static void test_write_error_is_reported_and_cleaned_up(void **state)
{
	(void)state;
	char path[512], why[256];
	snprintf(path, sizeof path, "%s/full.c", tmpdir);
	outfile o;
	assert_int_equal(outfile_open(&o, path, why, sizeof why), 0);
	int full = open("/dev/full", O_WRONLY);
	if (full < 0)
		skip();
	assert_true(dup2(full, fileno(o.f)) >= 0);
	close(full);
	for (int i = 0; i < 10000; i++)
		fputs("int x;\n", o.f);
	assert_int_equal(outfile_commit(&o, why, sizeof why), -1);
	assert_non_null(strstr(why, "write error"));
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(count_entries(tmpdir), 0);
}

static void test_missing_directory_is_a_clear_error(void **state)
{
	(void)state;
	char path[512], why[256];
	snprintf(path, sizeof path, "%s/nope/x.c", tmpdir);
	outfile o;
	assert_int_equal(outfile_open(&o, path, why, sizeof why), -1);
	assert_non_null(strstr(why, "No such file"));
	snprintf(path, sizeof path, "%s/nope", tmpdir);
	assert_int_equal(outfile_check_dir(path, why, sizeof why), -1);
	assert_string_equal(why, "no such directory");
}

static void test_file_as_directory_is_a_clear_error(void **state)
{
	(void)state;
	char path[512], why[256];
	snprintf(path, sizeof path, "%s/plain", tmpdir);
	FILE *f = fopen(path, "w");
	fclose(f);
	assert_int_equal(outfile_check_dir(path, why, sizeof why), -1);
	assert_string_equal(why, "not a directory");
	assert_int_equal(outfile_check_dir(tmpdir, why, sizeof why), 0);
}

static void test_unwritable_directory_is_a_clear_error(void **state)
{
	(void)state;
	char dir[512], path[600], why[256];
	if (geteuid() == 0)
		skip();         /* root writes anywhere */
	snprintf(dir, sizeof dir, "%s/ro", tmpdir);
	assert_int_equal(mkdir(dir, 0555), 0);
	assert_int_equal(outfile_check_dir(dir, why, sizeof why), -1);
	assert_non_null(strstr(why, "not writable"));
	snprintf(path, sizeof path, "%s/x.c", dir);
	outfile o;
	assert_int_equal(outfile_open(&o, path, why, sizeof why), -1);
}

static void test_same_file_sees_through_other_spellings(void **state)
{
	(void)state;
	char a[512], b[600];
	snprintf(a, sizeof a, "%s/in.loss", tmpdir);
	FILE *f = fopen(a, "w");
	fclose(f);
	snprintf(b, sizeof b, "%s/./in.loss", tmpdir);
	assert_int_equal(outfile_same_file(a, b), 1);
	snprintf(b, sizeof b, "%s/other.loss", tmpdir);
	assert_int_equal(outfile_same_file(a, b), 0);
}

static void test_cleanup_all_removes_open_temporaries(void **state)
{
	(void)state;
	char path[512], why[256];
	snprintf(path, sizeof path, "%s/sig.c", tmpdir);
	outfile o;
	assert_int_equal(outfile_open(&o, path, why, sizeof why), 0);
	assert_int_equal(count_entries(tmpdir), 1);
	outfile_cleanup_all();
	assert_int_equal(count_entries(tmpdir), 0);
	outfile_abort(&o);
}

/*
 * gen -o DIR's directory: only the last component is created; a made
 * directory is removed by cleanup (a signal) or by settle(0) when empty,
 * kept by settle(1); an empty name and a missing parent are refused.
 */
static void test_out_dir_is_made_and_settled(void **state)
{
	(void)state;
	char dir[512], deep[512], why[256], cwd[4096];
	int missing = -1;
	assert_int_equal(outfile_check_out_dir("", &missing, why, sizeof why), -1);
	assert_string_equal(why, "an empty directory name");
	snprintf(deep, sizeof deep, "%s/no/such", tmpdir);
	assert_int_equal(outfile_check_out_dir(deep, &missing, why, sizeof why), -1);
	assert_non_null(strstr(why, "only the last component is created"));
	assert_int_equal(outfile_make_dir(deep, why, sizeof why), -1);
	assert_non_null(strstr(why, "cannot create it"));
	snprintf(dir, sizeof dir, "%s/out", tmpdir);
	assert_int_equal(outfile_check_out_dir(dir, &missing, why, sizeof why), 0);
	assert_int_equal(missing, 1);
	assert_int_equal(outfile_make_dir(dir, why, sizeof why), 0);
	assert_int_equal(count_entries(tmpdir), 1);
	outfile_cleanup_all();          /* what a signal does: the made directory goes */
	assert_int_equal(count_entries(tmpdir), 0);
	outfile_made_dir_settle(1);
	assert_int_equal(outfile_make_dir(dir, why, sizeof why), 0);
	outfile_made_dir_settle(0);     /* the run failed: removed */
	assert_int_equal(count_entries(tmpdir), 0);
	assert_int_equal(outfile_make_dir(dir, why, sizeof why), 0);
	outfile_made_dir_settle(1);     /* the run succeeded: kept, and forgotten */
	outfile_cleanup_all();
	assert_int_equal(count_entries(tmpdir), 1);
	outfile_made_dir_settle(0);     /* a no-op now */
	assert_int_equal(count_entries(tmpdir), 1);
	/* a relative "out" in the current directory: its parent is "." */
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(tmpdir), 0);
	assert_int_equal(outfile_check_out_dir("fresh", &missing, why, sizeof why), 0);
	assert_int_equal(missing, 1);
	assert_int_equal(chdir(cwd), 0);
}

static void test_replace_keeps_mode_and_contents_change(void **state)
{
	(void)state;
	char path[512], link[600], why[256], buf[64];
	struct stat st;
	snprintf(path, sizeof path, "%s/in.loss", tmpdir);
	FILE *f = fopen(path, "w");
	fputs("old\n", f);
	fclose(f);
	assert_int_equal(chmod(path, 0640), 0);
	/* Through a symbolic link: the link stays, the file it names changes. */
	snprintf(link, sizeof link, "%s/link.loss", tmpdir);
	assert_int_equal(symlink("in.loss", link), 0);
	outfile o;
	assert_int_equal(outfile_open_replace(&o, link, why, sizeof why), 0);
	fputs("new\n", o.f);
	assert_int_equal(outfile_commit(&o, why, sizeof why), 0);
	slurp(path, buf, sizeof buf);
	assert_string_equal(buf, "new\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(count_entries(tmpdir), 2);
}

static void test_replace_refuses_what_is_not_a_regular_file(void **state)
{
	(void)state;
	char path[512], why[256];
	outfile o;
	snprintf(path, sizeof path, "%s/missing.loss", tmpdir);
	assert_int_equal(outfile_open_replace(&o, path, why, sizeof why), -1);
	assert_non_null(strstr(why, "cannot find the file"));
	assert_int_equal(outfile_open_replace(&o, tmpdir, why, sizeof why), -1);
	assert_string_equal(why, "not a regular file");
	assert_int_equal(count_entries(tmpdir), 0);
}

static void test_commit_after_release_is_an_error(void **state)
{
	(void)state;
	char path[512], why[256];
	snprintf(path, sizeof path, "%s/x.c", tmpdir);
	outfile o;
	assert_int_equal(outfile_open(&o, path, why, sizeof why), 0);
	outfile_abort(&o);
	outfile_abort(&o);      /* a no-op the second time */
	assert_int_equal(outfile_commit(&o, why, sizeof why), -1);
	assert_string_equal(why, "output already released");
	assert_int_equal(count_entries(tmpdir), 0);
}

static void test_rename_failure_leaves_target_and_no_temporary(void **state)
{
	(void)state;
	char path[512], inner[600], why[256];
	/* The target is a non-empty directory: rename(2) over it must fail. */
	snprintf(path, sizeof path, "%s/out.c", tmpdir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(inner, sizeof inner, "%s/keep", path);
	FILE *f = fopen(inner, "w");
	fclose(f);
	outfile o;
	assert_int_equal(outfile_open(&o, path, why, sizeof why), 0);
	fputs("int x;\n", o.f);
	assert_int_equal(outfile_commit(&o, why, sizeof why), -1);
	assert_non_null(strstr(why, "cannot rename the temporary file"));
	assert_int_equal(access(inner, F_OK), 0);
	assert_int_equal(count_entries(tmpdir), 1);
}

static void test_more_open_outputs_than_tracked_is_an_error(void **state)
{
	(void)state;
	char path[512], why[256];
	outfile o[17];
	int i, opened = 0;
	/* 16 temporaries can be open at once (the signal handler's fixed table). */
	for (i = 0; i < 17; i++) {
		snprintf(path, sizeof path, "%s/f%d.c", tmpdir, i);
		if (outfile_open(&o[i], path, why, sizeof why) != 0)
			break;
		opened++;
	}
	assert_int_equal(opened, 16);
	assert_non_null(strstr(why, "cannot create a temporary file"));
	assert_int_equal(count_entries(tmpdir), 16);
	for (i = 0; i < opened; i++)
		outfile_abort(&o[i]);
	assert_int_equal(count_entries(tmpdir), 0);
}

static void test_signal_removes_temporaries_and_kills(void **state)
{
	(void)state;
	char path[512], why[256];
	int status;
	snprintf(path, sizeof path, "%s/sig.c", tmpdir);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		outfile o;
		outfile_handle_signals();
		if (outfile_open(&o, path, why, sizeof why) != 0)
			_exit(3);
		fputs("partial", o.f);
		fflush(o.f);
		raise(SIGTERM);
		_exit(4);       /* not reached: the handler re-raises with the default action */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGTERM);
	assert_int_equal(count_entries(tmpdir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_replaces_target_with_full_contents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_leaves_target_untouched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_error_is_reported_and_cleaned_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_directory_is_a_clear_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_as_directory_is_a_clear_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_directory_is_a_clear_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_file_sees_through_other_spellings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cleanup_all_removes_open_temporaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_keeps_mode_and_contents_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_refuses_what_is_not_a_regular_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_after_release_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename_failure_leaves_target_and_no_temporary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_more_open_outputs_than_tracked_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signal_removes_temporaries_and_kills, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_dir_is_made_and_settled, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
