/*
 * glob.h: the path patterns of `.losscrc` (exclude, per-file-ignores) and
 * --exclude, gitignore-like:
 *
 *   *        any characters except '/'
 *   ?        one character except '/'
 *   [a-z]    one character of a set; [!a-z] or [^a-z] one not in it
 *   **       as a whole component: any number of components ("specs/" + "**",
 *            "**" + "/gen")
 *   \c       the character c itself
 *
 * A pattern without a '/' matches the name of any component at any depth
 * ("drafts" excludes every drafts/ directory, "*.gen.loss" every such
 * file).  A pattern with a '/' is anchored at the directory it is
 * relative to ("specs/old", "specs/" + "*.loss").  A pattern matches a path
 * when it matches the path or one of its parent directories, so
 * "specs/old" covers everything below specs/old.  A trailing '/' is
 * ignored.  Matching is byte-wise and case-sensitive.
 */
#ifndef LOSSC_GLOB_H
#define LOSSC_GLOB_H

#include <stddef.h>

/*
 * Does pattern match rel, a normalized relative path (path_relative)?
 * Leading "../" components of rel match only literal ".." in an
 * anchored pattern.
 */
int glob_match_path(const char *pattern, const char *rel);

/* Does pattern match the single component name[0..n) (no '/' in either)? */
int glob_match_name(const char *pattern, size_t plen, const char *name, size_t n);

#endif
