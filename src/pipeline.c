/*
 * pipeline.c: every pass over one source, in order (see pipeline.h).
 */
#include "pipeline.h"

#include <stdio.h>
#include <stdlib.h>
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
#include "xalloc.h"

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

/* The per-loss passes of one loss; its IR lives in an arena of its own. */
static void pl_loss(const ast_file *f, const ast_decl *d, const pipeline_opts *o,
		    FILE *explain, diag_list *diags)
{
	stability_check(f, d, diags);
	/* Findings copy their text, so nothing outlives this arena. */
	arena *ir = arena_new();
	ir_loss *l = ir_lower(f, d, ir, diags);
	analyze_loss(l);
	analyze_findings(l, diags);
	hazards_check(l, diags);
	if (explain)
		analyze_explain(explain, l);
	if (o->on_loss)
		o->on_loss(o->ctx, l);
	arena_free(ir);
}

void pipeline_losses(const ast_file *f, const pipeline_opts *o, diag_list *diags)
{
	for (const ast_decl *d = f->decls; d; d = d->next)
		if (d->kind == DECL_LOSS)
			pl_loss(f, d, o, o->explain, diags);
}

/*
 * Streaming.  The parser hands over each declaration as it ends, with an
 * arena of its own that holds its expression nodes and joined texts.  The
 * prose rules read the texts right away; a loss whose dataset is already
 * declared is resolved and analyzed right away too; then the arena is
 * freed.  So at most one declaration's expressions and texts are in
 * memory at a time (they were nine tenths of the tree of an
 * expression-heavy spec, and half of a prose-heavy one).  What the later
 * passes need stays: declarations, items, names, spans.
 *
 * Nothing observable changes:
 *   - findings of early passes wait in lists of their own and join the
 *     run's list at the point where the whole-file pipeline would have
 *     queued them (resolution, story, prose, the losses), so the stable
 *     sort orders ties as before; they are dropped, like everything
 *     else, when the file turns out to have a syntax error;
 *   - nothing is analyzed after a syntax error (recovery drops text);
 *   - a loss whose `on` is not declared yet waits for the end of the
 *     file, its arena kept, and so do the losses after it when their
 *     order shows (gen's on_loss, --explain-value, whose text is held
 *     back until the file has parsed).
 */
typedef struct pl_pending {
	ast_decl *decl;
	arena *own;
	struct pl_pending *next;
} pl_pending;

typedef struct pl_stream {
	const pipeline_opts *o;
	resolver *res;
	prose_run *prose;       /* when o->prose */
	diag_list res_early;    /* resolution of declarations handled while parsing */
	diag_list prose_early;  /* prose findings, all queued while parsing */
	diag_list loss_early;   /* per-loss passes of losses analyzed while parsing */
	FILE *explain;          /* memory stream for o->explain, or NULL */
	char *explain_buf;
	size_t explain_len;
	int early;              /* losses may be analyzed while parsing */
	pl_pending *pending, **pending_tail;
} pl_stream;

/* The declaration's own arena is gone: no item may point into it. */
static void pl_drop(ast_decl *d, arena *own)
{
	for (ast_item *it = d->items; it; it = it->next) {
		it->expr = NULL;
		it->text.bytes = NULL;
		it->text.len = 0;
		it->text.segs = NULL;
		it->text.nsegs = 0;
	}
	arena_free(own);
}

static void pl_on_decl(void *ctx, ast_file *f, ast_decl *d, arena *own)
{
	pl_stream *s = ctx;
	if (!s->res)
		s->res = resolver_new(f, 0);
	resolver_declare(s->res, d, &s->res_early);
	if (f->syntax_errors > 0) {
		/* Nothing more is analyzed: the file will not be. */
		pl_drop(d, own);
		return;
	}
	if (s->o->prose) {
		if (!s->prose)
			s->prose = prose_run_new(s->o->prose, f->src, &s->prose_early,
						 s->o->enabled, s->o->enabled_ctx);
		prose_run_decl(s->prose, d);
	}
	if (d->kind == DECL_DATASET)
		/* A dataset refers to nothing outside itself. */
		resolver_decl(s->res, d, &s->res_early);
	if (d->kind != DECL_LOSS) {
		/* Goals, rationales and agents are resolved at the end (their
		   references may come later), from what stays. */
		pl_drop(d, own);
		return;
	}
	const ast_decl *ds = resolver_lookup(s->res, &d->target);
	int keep_order = s->o->on_loss || s->o->explain;
	if (!s->early || !ds || ds->kind != DECL_DATASET || (keep_order && s->pending)) {
		pl_pending *p = xmalloc(sizeof *p);
		*p = (pl_pending){d, own, NULL};
		*s->pending_tail = p;
		s->pending_tail = &p->next;
		return;
	}
	resolver_decl(s->res, d, &s->res_early);
	pl_loss(f, d, s->o, s->explain, &s->loss_early);
	pl_drop(d, own);
}

/* Free what the stream still holds (all of it, after a syntax error). */
static void pl_stream_free(pl_stream *s)
{
	while (s->pending) {
		pl_pending *p = s->pending;
		s->pending = p->next;
		pl_drop(p->decl, p->own);
		free(p);
	}
	if (s->explain)
		fclose(s->explain);
	free(s->explain_buf);
	diag_list_free(&s->res_early);
	diag_list_free(&s->prose_early);
	diag_list_free(&s->loss_early);
	resolver_free(s->res);
	prose_run_free(s->prose);
}

int pipeline_run(const source *src, const pipeline_opts *o, diag_list *diags)
{
	size_t before = diags->n;
	pl_stream s;
	memset(&s, 0, sizeof s);
	s.o = o;
	s.pending_tail = &s.pending;
	s.early = 1;
	if (o->explain) {
		s.explain = open_memstream(&s.explain_buf, &s.explain_len);
		s.early = s.explain != NULL;
	}
	ast_file *f = parse_source_stream(src, diags, o->max_errors, pl_on_decl, &s);
	/*
	 * No later pass runs on a file with syntax errors: recovery drops
	 * text, and names or math checked on what is left would be guesses.
	 */
	if (f->syntax_errors > 0 || front_failed(diags, before)) {
		pl_stream_free(&s);
		ast_file_free(f);
		return -1;
	}
	if (!s.res)
		s.res = resolver_new(f, 0);
	/* Resolution: what was resolved while parsing, then the rest. */
	diag_list_move(diags, &s.res_early);
	pl_pending *p = s.pending;
	for (ast_decl *d = f->decls; d; d = d->next) {
		if (d->kind == DECL_DATASET)
			continue;
		if (d->kind == DECL_LOSS) {
			if (!p || p->decl != d)
				continue;
			p = p->next;
		}
		resolver_decl(s.res, d, diags);
	}
	story_check(f, diags);
	diag_list_move(diags, &s.prose_early);
	/* The losses: those analyzed while parsing, then those that waited. */
	if (s.explain) {
		if (fclose(s.explain) == 0 && s.explain_len)
			fwrite(s.explain_buf, 1, s.explain_len, o->explain);
		s.explain = NULL;
	}
	diag_list_move(diags, &s.loss_early);
	while (s.pending) {
		p = s.pending;
		s.pending = p->next;
		pl_loss(f, p->decl, o, o->explain, diags);
		pl_drop(p->decl, p->own);
		free(p);
	}
	/* suppress_apply stays last. */
	suppress_apply(f, diags, before, o->enabled, o->enabled_ctx);
	pl_stream_free(&s);
	ast_file_free(f);
	return 0;
}
