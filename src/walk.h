/*
 * walk.h: the files a directory argument stands for.  `lossc lint specs/`
 * lints every file of a wanted kind below specs/, in a stable order.
 *
 * Order: the entries of each directory sorted by name (byte order, the
 * same in every locale), each subdirectory walked where its name sorts.
 * Skipped: names starting with '.' (.git, editor files), entries the
 * caller excludes (a directory's whole subtree), files of unwanted kinds,
 * and anything that is neither a directory nor a regular file (FIFOs
 * would block, devices make no sense).  Symbolic links are followed; a
 * directory already visited in this walk (a link loop, or two links to
 * one tree) is not entered again.
 *
 * Kinds come from the file name (the one place that maps names to kinds:
 * doc_lang_of_path reads it too); callers choose the kinds they want.
 *
 * Ownership: paths passed to callbacks are valid only during the call.
 */
#ifndef LOSSC_WALK_H
#define LOSSC_WALK_H

#include <stddef.h>
#include <sys/types.h>

enum {
	WALK_LOSS = 1u << 0,            /* *.loss */
	WALK_MARKDOWN = 1u << 1,        /* *.md, *.markdown (any case): a Markdown document */
	WALK_TEXT = 1u << 2,            /* *.txt (any case): a plain-text document */
	WALK_DOCUMENTS = WALK_MARKDOWN | WALK_TEXT
};

/* The kind of a file by its name (a WALK_ bit), or 0 when none. */
unsigned walk_kind(const char *name);

typedef struct walk_cb {
	/* 1: skip path (for a directory, its whole subtree).  NULL: skip nothing. */
	int (*excluded)(const char *path, int is_dir, void *ctx);
	/* A regular file of a wanted kind. */
	void (*file)(const char *path, unsigned kind, void *ctx);
	/* An entry that could not be read: a directory we may not list, a broken link to a wanted file. */
	void (*error)(const char *path, const char *why, void *ctx);
	void *ctx;
} walk_cb;

/*
 * Walk the tree at dir (which the caller found to be a directory) and
 * report its files of the kinds in the mask `kinds`.  Paths are dir
 * joined with the names below it ("specs/a/b.loss"); for dir "." they
 * have no "./" prefix.  Returns the number of files reported.
 */
size_t walk_dir(const char *dir, unsigned kinds, const walk_cb *cb);

/* A set of files by identity (device, inode): inputs named twice are linted once.  A zeroed set is empty. */
typedef struct walk_set {
	struct walk_id { dev_t dev; ino_t ino; int used; } *ids;      /* open addressing */
	size_t n, cap;
} walk_set;

/* Adds the file at path.  1 when it was new (or cannot be stat'ed), 0 when already in the set. */
int walk_set_add(walk_set *s, const char *path);
void walk_set_free(walk_set *s);

#endif
