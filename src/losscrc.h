/*
 * losscrc.h: the `.losscrc` config file (RULES.md "Config file", lossc(1)
 * CONFIGURATION).  Owned by the linter.
 *
 * Syntax as rule files: "key: value" lines, '#' comments, continuation
 * lines that start with a blank.  The keys are one table in losscrc.c
 * (a new key is one row): fail-on, format, enable, disable, rules,
 * severity, exclude, per-file-ignores, extend, fmt-width (`lossc fmt`'s
 * line width).  An unknown key or a bad
 * value is an error naming file and line, with a "did you mean" for a
 * misspelt key.
 *
 * `extend: PATH` reads PATH (relative to this file) first and applies
 * this file's keys on top: scalars are replaced, lists grow, and a code
 * this file enables or disables overrides the parent's opposite entry
 * for the same pattern.  Discovery is unchanged: the nearest .losscrc
 * wins, and extend is how it inherits.
 *
 * Codes named in a config can only be checked once the rule directories
 * are loaded (teams' own rules use codes like LS901): the parser records
 * each with its file and line, and config_check_codes() checks them.
 *
 * Ownership: a config owns its strings and lists; config_free().
 */
#ifndef LOSSC_LOSSCRC_H
#define LOSSC_LOSSCRC_H

#include <stddef.h>

#include "select.h"

/* A path pattern (glob.h), relative to the directory of the file that wrote it. */
typedef struct cfg_glob {
	char *base;             /* absolute, normalized */
	char *pat;
} cfg_glob;

typedef struct cfg_file_ignore {
	cfg_glob glob;
	sel_list codes;
} cfg_file_ignore;

typedef struct cfg_severity {
	char pat[8];            /* normalized code pattern */
	int sev;                /* diag_severity */
} cfg_severity;

/* A code pattern as written somewhere, for config_check_codes. */
typedef struct cfg_code_ref {
	char pat[8];
	const char *key;
	char *file;
	unsigned long line;
} cfg_code_ref;

/* `documents:` the kinds of documents a directory walk includes (issue 17). */
enum {
	CFG_DOC_MARKDOWN = 1u << 0,     /* *.md, *.markdown */
	CFG_DOC_TEXT = 1u << 1          /* *.txt */
};

/* `rules:` directories one config may name, its extends included (lint runs
   them beside as many --rules: lintrun.h's LINT_MAX_RULE_DIRS). */
#define CFG_MAX_RULE_DIRS 64

typedef struct lconfig {
	char *path;
	int has_fail_on;
	int fail_on;            /* diag_severity */
	sel_list enable, disable;
	char **rules;           /* directories, already resolved against their file's directory */
					/*   (at most CFG_MAX_RULE_DIRS, extends included) */
	size_t nrules;
	char *format;           /* NULL when absent */
	cfg_severity *severity;
	size_t nseverity;
	cfg_glob *exclude;
	size_t nexclude;
	unsigned documents;     /* CFG_DOC_ bits: documents a directory walk includes */
	cfg_glob *include;      /* files a directory walk includes, whatever `documents` says */
	size_t ninclude;
	cfg_file_ignore *file_ignores;
	size_t nfile_ignores;
	cfg_code_ref *refs;
	size_t nrefs;
	char **extended;        /* the files this one extends, nearest first */
	size_t nextended;
	unsigned fmt_width;     /* `lossc fmt`'s width; 0 when absent */
} lconfig;

/* Read and check a config file.  Returns 0, or -1 with err set ("FILE:LINE: error: ..."). */
int config_load(lconfig *c, const char *path, char *err, size_t errlen);
/* Parse from memory (tests, fuzzing); path names the file in errors and anchors relative paths. */
int config_parse(lconfig *c, const char *path, const char *bytes, size_t len, char *err, size_t errlen);
void config_free(lconfig *c);

/*
 * The .losscrc that applies to an input file: in its directory, then each
 * parent up to the root; the first found wins.  For "-" the search starts
 * in the current directory.  Returns a malloc'd path or NULL.
 */
char *config_find(const char *input_path);

/* A code's severity under `severity:` (longest pattern wins, the later on a tie); def when none. */
int config_severity(const lconfig *c, const char *code, int def);

/* Is the file or directory at abspath (absolute, normalized) excluded by `exclude:`? */
int config_excluded(const lconfig *c, const char *abspath);
/* Is the file at abspath (absolute, normalized) named by `include:`? */
int config_included(const lconfig *c, const char *abspath);

/* Append to out the codes `per-file-ignores:` lists for the file at abspath. */
void config_file_ignores(const lconfig *c, const char *abspath, sel_list *out);

/* Every code pattern the config names must match a known code: 0, or -1 with err set. */
int config_check_codes(const lconfig *c, const sel_known *known, char *err, size_t errlen);

#endif
