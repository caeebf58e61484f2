/*
 * pipeline.c: every pass over one source, in order (see pipeline.h).
 */
#include "pipeline.h"

#include <string.h>

#include "analyze.h"
#include "hazards.h"
#include "arena.h"
#include "parse.h"
#include "prose.h"
#include "resolve.h"
#include "stability.h"
#include "story.h"
#include "suppress.h"

void pipeline_opts_init(pipeline_opts *o)
{
	memset(o, 0, sizeof *o);
	o->max_errors = PARSE_DEFAULT_MAX_ERRORS;
}

/* Did the front end queue a finding that means the file was not analyzed? */
static int front_failed(const diag_list *l, size_t from)
{
	for (size_t i = from; i < l->n; i++)
		if (strcmp(l->items[i].code, "LS001") == 0 || strcmp(l->items[i].code, "LS002") == 0)
			return 1;
	return 0;
}

void pipeline_losses(const ast_file *f, const pipeline_opts *o, diag_list *diags)
{
	for (const ast_decl *d = f->decls; d; d = d->next) {
		if (d->kind != DECL_LOSS)
			continue;
		stability_check(f, d, diags);
		/* Findings copy their text, so nothing outlives this arena. */
		arena *ir = arena_new();
		ir_loss *l = ir_lower(f, d, ir, diags);
		analyze_loss(l);
		analyze_findings(l, diags);
		hazards_check(l, diags);
		if (o->explain)
			analyze_explain(o->explain, l);
		if (o->on_loss)
			o->on_loss(o->ctx, l);
		arena_free(ir);
	}
}

int pipeline_run(const source *src, const pipeline_opts *o, diag_list *diags)
{
	size_t before = diags->n;
	ast_file *f = parse_source(src, diags, o->max_errors);
	/*
	 * No later pass runs on a file with syntax errors: recovery drops
	 * text, and names or math checked on what is left would be guesses.
	 */
	if (f->syntax_errors > 0 || front_failed(diags, before)) {
		ast_file_free(f);
		return -1;
	}
	resolve_file(f, diags);
	story_check(f, diags);
	if (o->prose)
		prose_check_file(o->prose, f, diags, o->enabled, o->enabled_ctx);
	pipeline_losses(f, o, diags);
	/* suppress_apply stays last. */
	suppress_apply(f, diags, before, o->enabled, o->enabled_ctx);
	ast_file_free(f);
	return 0;
}
