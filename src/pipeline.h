/*
 * pipeline.h: one pass over a source, in order:
 *
 *   parse (LS001, LS002) -> resolve (LS01x) -> story (LS1xx) -> prose
 *   rules (LS2xx, when given) -> per loss: lower to IR (LS301-LS307),
 *   analyze (LS303-LS308, LS405, LS501-LS505), stability patterns
 *   (LS401-LS404) -> suppressions (LS008, LS009, `allow`)
 *
 * Each loss is lowered once, into an arena of its own that is freed
 * before the next loss (a file's IR is never all in memory); a consumer
 * sees each lowered, analyzed loss through the on_loss callback, while
 * its IR lives.  `lossc lint` renders the findings; `lossc gen` emits its
 * code from the callback, so it never parses twice.
 *
 * pipeline_run streams: each declaration's texts go through the prose
 * rules as soon as it is parsed, and a loss is resolved and analyzed then
 * too (when its dataset came before it); then its texts and expression
 * trees are freed, so a file's expressions and prose are never all in
 * memory either.  Declarations, items and names stay for the story and
 * suppression passes at the end.  The findings, their order, the
 * --explain-value text and the order of on_loss calls are those of the
 * passes run one after another (tests/unit/test_pipeline.c); only when
 * the file then turns out to have a syntax error has on_loss already
 * seen some of its losses: pipeline_run returns -1, and what the
 * callback built must be thrown away (gen writes nothing).
 *
 * The pipeline is the only module that knows every pass: no pass
 * includes another pass's header.
 */
#ifndef LOSSC_PIPELINE_H
#define LOSSC_PIPELINE_H

#include <stdio.h>

#include "ast.h"
#include "diag.h"
#include "ir.h"
#include "source.h"

struct prose_set;

typedef struct pipeline_opts {
	int max_errors;                 /* syntax errors reported before giving up */
	struct prose_set *prose;        /* prose rules to run; NULL: none */
	int (*enabled)(const char *code, void *ctx);    /* is a code reported? NULL: all */
	void *enabled_ctx;
	FILE *explain;                  /* --explain-value output, or NULL */
	/* Called for every loss after its findings, root NULL when its value
	   did not lower.  The IR dies when the callback returns. */
	void (*on_loss)(void *ctx, ir_loss *l);
	void *ctx;
} pipeline_opts;

void pipeline_opts_init(pipeline_opts *o);

/*
 * Run every pass over src, queueing findings into diags.  Returns 0 when
 * the file was analyzed (whatever it found), -1 when it could not be
 * (not UTF-8, syntax errors).
 */
int pipeline_run(const source *src, const pipeline_opts *o, diag_list *diags);

/* The per-loss passes alone, over a parsed and resolved file (unit tests,
   and the reference the streaming pipeline is tested against). */
void pipeline_losses(const ast_file *f, const pipeline_opts *o, diag_list *diags);

#endif
