/*
 * losscrc.h: the `.losscrc` config file (RULES.md "Config file").  Owned by
 * the linter.
 *
 * Syntax as rule files: "key: value" lines, '#' comments, continuation
 * lines that start with a blank.  Keys: fail-on, disable, enable, rules
 * (repeatable; relative to the config file's directory), format, and
 * fmt-width (`lossc fmt`'s line width).  An
 * unknown key or a bad value is an error naming file and line.
 *
 * Ownership: a config owns its strings and lists; config_free().
 */
#ifndef LOSSC_LOSSCRC_H
#define LOSSC_LOSSCRC_H

#include <stddef.h>

#include "select.h"

typedef struct lconfig {
	char *path;
	int has_fail_on;
	int fail_on;            /* diag_severity */
	sel_list enable, disable;
	char **rules;           /* directories, already resolved against the file's directory */
	size_t nrules;
	char *format;           /* NULL when absent */
	unsigned fmt_width;     /* `lossc fmt`'s width; 0 when absent */
} lconfig;

/* Read and check a config file.  Returns 0, or -1 with err set ("FILE:LINE: error: ..."). */
int config_load(lconfig *c, const char *path, char *err, size_t errlen);
/* Parse from memory (tests, fuzzing); path names the file in errors and anchors `rules`. */
int config_parse(lconfig *c, const char *path, const char *bytes, size_t len, char *err, size_t errlen);
void config_free(lconfig *c);

/*
 * The .losscrc that applies to an input file: in its directory, then each
 * parent up to the root; the first found wins.  For "-" the search starts
 * in the current directory.  Returns a malloc'd path or NULL.
 */
char *config_find(const char *input_path);

#endif
