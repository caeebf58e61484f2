/*
 * outfile.c: atomic file replacement (temporary file + fsync + rename).
 */
#define _XOPEN_SOURCE 700      /* realpath */
#include "outfile.h"
#include "xalloc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <fcntl.h>

/*
 * Temporary files currently open, so a signal handler can remove them.
 * A fixed table keeps outfile_cleanup_all() free of malloc; lossc never
 * has more than a handful of outputs open at once.
 */
#define OUTFILE_MAX_OPEN 16
static char *volatile outfile_open_tmps[OUTFILE_MAX_OPEN];

static void outfile_why(char *why, size_t whylen, const char *what, int err)
{
	if (why && whylen)
		snprintf(why, whylen, "%s: %s", what, strerror(err));
}

static int outfile_track(char *tmp)
{
	for (int i = 0; i < OUTFILE_MAX_OPEN; i++)
		if (!outfile_open_tmps[i]) {
			outfile_open_tmps[i] = tmp;
			return 0;
		}
	return -1;
}

static void outfile_untrack(const char *tmp)
{
	for (int i = 0; i < OUTFILE_MAX_OPEN; i++)
		if (outfile_open_tmps[i] == tmp)
			outfile_open_tmps[i] = NULL;
}

/* The output directory this run created (outfile_make_dir), removed with
   the temporary files when the run fails or dies of a signal. */
static char *volatile outfile_made_dir;

void outfile_cleanup_all(void)
{
	for (int i = 0; i < OUTFILE_MAX_OPEN; i++)
		if (outfile_open_tmps[i])
			unlink(outfile_open_tmps[i]);
	if (outfile_made_dir)
		rmdir(outfile_made_dir);
}

/* The directory part of path ("." when it has none); malloc'ed. */
static char *outfile_parent(const char *path)
{
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;                          /* "out/" names "out" */
	while (len > 0 && path[len - 1] != '/')
		len--;
	while (len > 1 && path[len - 1] == '/')
		len--;                          /* "a//b": parent "a" */
	char *p = xmalloc(len ? len + 1 : 2);
	if (len == 0)
		strcpy(p, ".");
	else {
		memcpy(p, path, len);
		p[len] = '\0';
	}
	return p;
}

int outfile_check_out_dir(const char *dir, int *missing, char *why, size_t whylen)
{
	struct stat st;
	*missing = 0;
	if (dir[0] == '\0') {
		snprintf(why, whylen, "an empty directory name");
		return -1;
	}
	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		snprintf(why, whylen, "a file is in the way: it exists and is not a directory");
		return -1;
	}
	if (stat(dir, &st) == 0 || errno != ENOENT)
		return outfile_check_dir(dir, why, whylen);
	if (lstat(dir, &st) == 0) {
		snprintf(why, whylen, "a dangling symbolic link");
		return -1;
	}
	char *parent = outfile_parent(dir);
	char pwhy[256];
	int r = outfile_check_dir(parent, pwhy, sizeof pwhy);
	if (r < 0)
		snprintf(why, whylen, "no such directory, and its parent '%s' cannot hold it (%s); "
			 "only the last component is created", parent, pwhy);
	free(parent);
	*missing = r == 0;
	return r;
}

int outfile_make_dir(const char *dir, char *why, size_t whylen)
{
	char *copy = xstrdup(dir);
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	int r = mkdir(dir, 0777);
	int err = errno;
	if (r == 0)
		outfile_made_dir = copy;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		free(copy);
		outfile_why(why, whylen, "cannot create it", err);
		return -1;
	}
	return 0;
}

void outfile_made_dir_settle(int keep)
{
	char *d = outfile_made_dir;
	if (!d)
		return;
	if (!keep)
		rmdir(d);
	outfile_made_dir = NULL;
	free(d);
}

int outfile_check_dir(const char *dir, char *why, size_t whylen)
{
	struct stat st;
	if (stat(dir, &st) != 0) {
		snprintf(why, whylen, "%s", errno == ENOENT ? "no such directory" : strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, whylen, "not a directory");
		return -1;
	}
	if (access(dir, W_OK | X_OK) != 0) {
		snprintf(why, whylen, "directory is not writable: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int outfile_same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
		return 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static void outfile_release(outfile *o)
{
	if (o->f) {
		fclose(o->f);
		o->f = NULL;
	}
	o->direct = 0;
	if (o->tmp) {
		outfile_untrack(o->tmp);
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
	free(o->path);
	o->path = NULL;
}

/*
 * A device or FIFO is written where it is: renaming a temporary file over
 * /dev/null or a named pipe would replace the node with a plain file.
 */
static int outfile_open_direct(outfile *o, const char *path, char *why, size_t whylen)
{
	o->f = fopen(path, "w");
	if (!o->f) {
		outfile_why(why, whylen, "cannot open", errno);
		return -1;
	}
	o->path = xstrdup(path);
	o->direct = 1;
	return 0;
}

int outfile_open(outfile *o, const char *path, char *why, size_t whylen)
{
	struct stat st;
	memset(o, 0, sizeof *o);
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return outfile_open_direct(o, path, why, whylen);
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		/* replace the file the link names, not the link */
		char *real = realpath(path, NULL);
		if (real) {
			int rc = outfile_open(o, real, why, whylen);
			free(real);
			return rc;
		}
	}
	/* The temporary name: ".<base>.XXXXXX" in the target's directory. */
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = path + dirlen;
	size_t need = dirlen + 1 + strlen(base) + 8;
	o->tmp = xmalloc(need);
	o->path = xstrdup(path);
	snprintf(o->tmp, need, "%.*s.%s.XXXXXX", (int)dirlen, path, base);

	/* Block signals while the file exists but is not yet tracked. */
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	int fd = mkstemp(o->tmp);
	int err = errno;
	if (fd >= 0 && outfile_track(o->tmp) != 0) {
		unlink(o->tmp);
		close(fd);
		fd = -1;
		err = EMFILE;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (fd < 0) {
		free(o->tmp);
		o->tmp = NULL;
		outfile_release(o);
		outfile_why(why, whylen, "cannot create a temporary file", err);
		return -1;
	}
	/* mkstemp makes the file 0600; give it the mode a plain creat() would. */
	mode_t mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		err = errno;
		close(fd);
		outfile_release(o);
		outfile_why(why, whylen, "cannot open the temporary file", err);
		return -1;
	}
	return 0;
}

int outfile_open_replace(outfile *o, const char *path, char *why, size_t whylen)
{
	struct stat st;
	memset(o, 0, sizeof *o);
	char *real = realpath(path, NULL);
	if (!real) {
		outfile_why(why, whylen, "cannot find the file", errno);
		return -1;
	}
	if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not a regular file");
		free(real);
		return -1;
	}
	if (access(real, W_OK) != 0) {
		outfile_why(why, whylen, "cannot write the file", errno);
		free(real);
		return -1;
	}
	int rc = outfile_open(o, real, why, whylen);
	free(real);
	if (rc < 0)
		return -1;
	int fd = fileno(o->f);
	/* Owner and group first (chown may clear set-id bits), and only where allowed. */
	if (fchown(fd, st.st_uid, st.st_gid) != 0 && fchown(fd, (uid_t)-1, st.st_gid) != 0) {
		/* not root and not in the file's group: the new file keeps ours */
	}
	if (fchmod(fd, st.st_mode & 07777) != 0) {
		int err = errno;
		outfile_release(o);
		outfile_why(why, whylen, "cannot copy the file's permissions", err);
		return -1;
	}
	return 0;
}

static int outfile_commit_direct(outfile *o, char *why, size_t whylen)
{
	FILE *f = o->f;
	int err = 0;
	o->f = NULL;
	if (fflush(f) != 0)
		err = errno;
	else if (ferror(f))
		err = EIO;
	if (fclose(f) != 0 && !err)
		err = errno;
	outfile_release(o);
	if (err) {
		outfile_why(why, whylen, "write error", err);
		return -1;
	}
	return 0;
}

int outfile_commit(outfile *o, char *why, size_t whylen)
{
	if (o->direct)
		return outfile_commit_direct(o, why, whylen);
	if (!o->tmp) {
		snprintf(why, whylen, "output already released");
		return -1;
	}
	int err = 0;
	const char *what = NULL;
	if (fflush(o->f) != 0) {
		err = errno;
		what = "write error";
	} else if (ferror(o->f)) {
		err = EIO;
		what = "write error";
	} else if (fsync(fileno(o->f)) != 0 && errno != EINVAL && errno != EROFS) {
		/* EINVAL: the file system cannot sync (e.g. some FUSE); not a write failure. */
		err = errno;
		what = "cannot sync";
	}
	if (!what) {
		FILE *f = o->f;
		o->f = NULL;
		if (fclose(f) != 0) {
			err = errno;
			what = "write error";
		}
	}
	if (!what && rename(o->tmp, o->path) != 0) {
		err = errno;
		what = "cannot rename the temporary file";
	}
	if (what) {
		outfile_why(why, whylen, what, err);
		outfile_release(o);
		return -1;
	}
	/* Renamed: the temporary name no longer exists, so do not unlink it. */
	outfile_untrack(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	free(o->path);
	o->path = NULL;
	return 0;
}

void outfile_abort(outfile *o)
{
	outfile_release(o);
}

static void outfile_on_signal(int sig)
{
	outfile_cleanup_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

void outfile_handle_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = outfile_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}
