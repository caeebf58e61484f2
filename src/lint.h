/*
 * lint.h: `lossc lint` (owner: core).
 *
 * lint_one() runs every analysis pass over one source (pipeline.h) with
 * lint's options and queues the findings; cmd_lint() (cmds.h) reads the
 * files, calls it, renders and computes the exit status.  A module that
 * adds a pass adds it to the pipeline; a module that adds an option adds
 * a field to lint_opts and its parsing in lint.c's option loop.
 *
 * Ownership: lint_one() does not keep src or diags; the findings it
 * queues point at src, which must outlive the list.
 */
#ifndef LOSSC_LINT_H
#define LOSSC_LINT_H

#include "diag.h"
#include "source.h"

struct prose_set;

typedef struct lint_opts {
	diag_severity fail_on;  /* exit 1 when a finding is at least this severe */
	int quiet;              /* -q: print nothing */
	int color;              /* resolved --color: 1 = ANSI colours */
	int max_errors;         /* syntax errors reported per file before giving up */
	int explain_value;      /* --explain-value: print the math analyzer's view of each loss
	                           (1: to standard output; 2: to standard error, when the
	                           findings go to stdout as json/sarif/github) */
	int lang;               /* what the file is read as (doc.h's doc_lang): 0 a LossSpec
	                           file, else a Markdown or plain-text document */
	/* linter: set per file by cmd_lint from the options and the file's .losscrc */
	struct prose_set *prose;        /* prose rules to run; NULL: none */
	int (*enabled)(const char *code, void *ctx);     /* is a code reported? NULL: all */
	void *enabled_ctx;
} lint_opts;

void lint_opts_init(lint_opts *o);

/*
 * Analyze one source.  Returns 0 when the file was analyzed (whatever it
 * found), -1 when it could not be (not UTF-8, syntax errors): the caller
 * exits 2 in that case.
 */
int lint_one(const source *src, const lint_opts *o, diag_list *diags);

#endif
