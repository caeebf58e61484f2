/*
 * lintrun.h: one `lossc lint` run, after the command line is read: the
 * inputs (files, directories, standard input), the config of each, the
 * per-file pipeline (lint.h's lint_one) with fixes applied to a fixed
 * point, the baseline, the reports and the exit status.  lint.c reads
 * the options into a lint_settings and calls lint_run.
 *
 * Ownership: the settings are borrowed (strings point into argv); the
 * run owns everything it loads and frees it before returning.
 */
#ifndef LOSSC_LINTRUN_H
#define LOSSC_LINTRUN_H

#include <stddef.h>

#include "lint.h"
#include "select.h"

#define LINT_MAX_RULE_DIRS 64
#define LINT_MAX_REPORTS 8
#define LINT_MAX_EXCLUDES 64

typedef struct lint_report_req {
	int format;             /* report_format */
	const char *file;       /* NULL: the default destination (-o, else standard output) */
} lint_report_req;

typedef struct lint_settings {
	lint_opts opts;                 /* fail level, -q, colour, ... */
	sel_list select, ignore;        /* owned: lint_settings_free */
	const char *rule_dirs[LINT_MAX_RULE_DIRS];
	size_t nrule_dirs;
	const char *config_path;        /* --config */
	int no_config;
	int fail_on_set;                /* --fail-on given: beats the config */
	lint_report_req reports[LINT_MAX_REPORTS];      /* --format FMT[:FILE] */
	size_t nreports;
	const char *output_file;        /* -o */
	int fix, unsafe_fixes, diff, statistics, force_exclude;
	const char *stdin_filename;
	int lang;                       /* --lang (doc.h's doc_lang); -1: by each file's name */
	const char *baseline, *write_baseline;
	const char *excludes[LINT_MAX_EXCLUDES];        /* --exclude values: pattern lists, relative to the
	                                                   working directory */
	size_t nexcludes;
	const char **files;             /* FILE and DIR arguments, "-" for standard input */
	size_t nfiles;
} lint_settings;

void lint_settings_init(lint_settings *s);
void lint_settings_free(lint_settings *s);

/* Run; returns the exit status of lossc(1): 0, 1 or 2. */
int lint_run(const lint_settings *s);

#endif
