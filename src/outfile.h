/*
 * outfile.h: write a file so that readers see either the old contents or
 * the complete new contents, never a partial file.
 *
 * The bytes go to a temporary file created next to the target (same
 * directory, so rename(2) is atomic), which is flushed, fsync'ed and then
 * renamed over the target.  Any error on the way (open, write, flush,
 * fsync, close, rename) removes the temporary file and leaves the target
 * untouched.  Writing several files as one unit: open them all, write
 * them all, and only commit when every write succeeded.
 *
 * Ownership: an outfile owns its two path strings and its stream until
 * outfile_commit() or outfile_abort(), which always release everything
 * (each may be called on an already released outfile: a no-op).
 * Errors are reported as a one-line reason in why[0..whylen), no path
 * prefix and no newline, in the style of source_read().
 */
#ifndef LOSSC_OUTFILE_H
#define LOSSC_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

typedef struct outfile {
	char *path;             /* the target */
	char *tmp;              /* the temporary file beside it; NULL once released */
	FILE *f;                /* write here */
	int direct;             /* writing to the target itself (a device or FIFO), not a temporary file */
} outfile;

/*
 * Checks that dir is an existing, writable directory.  Returns 0, or -1
 * with a reason ("no such directory", "not a directory", "permission
 * denied").
 */
int outfile_check_dir(const char *dir, char *why, size_t whylen);

/*
 * The rule of `lossc gen -o DIR`: DIR is an existing writable directory
 * (*missing = 0), or it does not exist and its parent is an existing
 * writable directory, so DIR may be created (*missing = 1).  Only the last
 * component is ever created: a missing parent is an error, as is a file
 * or a dangling symbolic link where DIR should be.  0, or -1 with a reason.
 */
int outfile_check_out_dir(const char *dir, int *missing, char *why, size_t whylen);

/*
 * mkdir(dir) (mode 0777 less the umask), remembered so that
 * outfile_cleanup_all() removes it if the process dies of a signal.
 * 0, or -1 with a reason.
 */
int outfile_make_dir(const char *dir, char *why, size_t whylen);

/* Forgets the directory outfile_make_dir created: keeps it (keep = 1) or
   removes it (rmdir: only when empty).  A no-op when none was created. */
void outfile_made_dir_settle(int keep);

/*
 * Creates the temporary file for target `path`.  0, or -1 with a reason.
 * A symbolic link is followed: the file it names is replaced and the link
 * stays a link.  A target that exists and is neither a regular file nor a
 * directory (a device such as /dev/null or /dev/stdout, a FIFO, a socket)
 * has no contents to replace atomically: it is opened and written
 * directly, and outfile_commit reports a write error as for a file.
 */
int outfile_open(outfile *o, const char *path, char *why, size_t whylen);

/*
 * outfile_open for rewriting an existing file in place (`lossc fmt`):
 * follows symbolic links to the file they name (the link stays a link),
 * refuses anything but a regular file this process may write, and gives
 * the temporary file the old one's permission bits, and its owner and
 * group where the process may, so the commit changes only the contents.
 */
int outfile_open_replace(outfile *o, const char *path, char *why, size_t whylen);

/*
 * Flushes, checks the stream's error flag, fsyncs, closes and renames the
 * temporary file to the target.  0, or -1 with a reason (then the target
 * is untouched and the temporary file is gone).
 */
int outfile_commit(outfile *o, char *why, size_t whylen);

/* Discards the temporary file. */
void outfile_abort(outfile *o);

/*
 * 1 when paths a and b name the same existing file (same device and
 * inode), else 0.  Used to refuse to overwrite an input.
 */
int outfile_same_file(const char *a, const char *b);

/* Removes every still-open outfile's temporary file (for a signal handler: async-signal-safe). */
void outfile_cleanup_all(void);

/* Installs SIGINT/SIGTERM/SIGHUP handlers that run outfile_cleanup_all() and then die of the signal. */
void outfile_handle_signals(void);

#endif
