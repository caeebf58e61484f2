/*
 * path.h: file names as strings (no file system access except getcwd):
 * joining, lexical normalization, absolute and relative forms.  Shared
 * by directory walking, config globs, baselines and SARIF URIs, so a
 * path means the same thing everywhere.
 *
 * "Lexical" means symbolic links are not resolved: "a/../b" is "b" even
 * when a is a link.  This is what users read in their own commands and
 * config files, and it is stable when a checkout moves.
 *
 * Ownership: every char * returned is malloc'd and belongs to the caller.
 * Out of memory aborts, like the rest of lossc.
 */
#ifndef LOSSC_PATH_H
#define LOSSC_PATH_H

/* dir + "/" + name (name alone when dir is "" or name is absolute; no doubled '/'). */
char *path_join(const char *dir, const char *name);

/*
 * Lexically normalized: repeated '/' and "." components removed, "x/.."
 * folded; a leading ".." of a relative path is kept, a ".." above "/" is
 * dropped.  "" and "." give ".".  A trailing '/' is dropped.
 */
char *path_normalize(const char *p);

/* Normalized absolute form of p (relative to the working directory); NULL when getcwd fails. */
char *path_absolute(const char *p);

/* The directory part of p ("." when p has no '/', "/" for "/x"). */
char *path_dirname(const char *p);

/*
 * to, relative to the directory from (both absolute and normalized):
 * "b/c.loss", "../x.loss", or "." when they are the same.
 */
char *path_relative(const char *from, const char *to);

/* Is p (absolute, normalized) dir itself or below it? */
int path_is_under(const char *dir, const char *p);

#endif
