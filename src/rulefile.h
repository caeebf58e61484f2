/*
 * rulefile.h: the `key: value` syntax shared by rule files (`.rule`) and
 * word-class files (`.words`), see lossc-rules(5).
 *
 * A line whose first non-blank character is '#' is a comment; a '#'
 * after a blank starts a comment to the end of the line ("\#" is a
 * literal '#').  A line starting with a blank continues the value above
 * it: "raw" keys (regular expressions) join the pieces with nothing
 * between them and keep every backslash escape intact, other keys join
 * them with one space; in "paragraph" keys a continuation holding only
 * '.' starts a new paragraph.  A blank line ends a value.
 *
 * Every entry remembers where each joined piece came from, so an error
 * at an offset inside a value (a regex error, an unknown word class) can
 * be reported at the file's line and column.
 */
#ifndef LOSSC_RULEFILE_H
#define LOSSC_RULEFILE_H

#include <stdarg.h>
#include <stddef.h>

/* The keys a file kind accepts.  Masks are bit (1u << key index). */
typedef struct rf_keys {
	const char *const *names;
	int n;
	unsigned repeats;       /* keys that may appear more than once */
	unsigned raw;           /* regex keys: joined with nothing, escapes kept */
	unsigned paragraphs;    /* keys where a lone '.' continuation is a paragraph break */
	const char *kind;       /* "pattern, unless, bad and good" for the repeat error */
} rf_keys;

typedef struct rf_entry {
	int key;
	char *value;
	unsigned long line;
	size_t nparts;
	size_t *part_off;       /* offset of each joined piece in value */
	unsigned long *part_line;
	const char **part_src;  /* start of the piece in the file's bytes */
} rf_entry;

typedef struct rf_file {
	const char *path;
	const char *bytes;      /* the file's bytes (not owned) */
	rf_entry *e;
	size_t n, cap;
} rf_file;

/* Split bytes into entries.  Returns 0, or -1 with err set ("FILE:LINE:COL: error: ..."). */
int rf_parse(rf_file *f, const char *path, const char *bytes, size_t len, const rf_keys *keys,
	     char *err, size_t errlen);
void rf_free(rf_file *f);

/* File line and column (1-based, in characters) of byte off of e's value. */
void rf_where(const rf_file *f, const rf_entry *e, size_t off, unsigned long *line, unsigned long *col);

/* "PATH:LINE:COL: error: ..." into err (line or col 0: left out). */
void rf_err(char *err, size_t errlen, const char *path, unsigned long line, unsigned long col,
	    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The same with a va_list (the config file's errors are written by it too). */
void rf_verr(char *err, size_t errlen, const char *path, unsigned long line, unsigned long col,
	     const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

/* A copy of s[0..n) with a NUL (xalloc.h: out of memory ends the run). */
char *rf_strndup(const char *s, size_t n);

/* Read a whole regular file; 0, or -1 with err set ("cannot read WHAT: reason"). */
int rf_read_file(const char *path, const char *what, char **out, size_t *outlen, char *err, size_t errlen);

#endif
