/*
 * doc.c: linting a document's prose (doc.h): the reader hands over texts
 * and directive comments; texts go through the prose rules, comments
 * become suppressions.
 *
 * `allow` and `allow-file` comments become ast_directives and go through
 * suppress_apply, exactly as `// lossc:` comments of a .loss file do (an
 * allow governs the lines of its block).  `off`/`on` regions are this
 * module's own: everything found inside one is dropped, the prose rules'
 * findings and the directives' own (LS008, LS009) alike, and a region
 * that dropped nothing is LS009 when every rule ran.
 */
#include "doc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "codes.h"
#include "doc_impl.h"
#include "parse.h"
#include "prose.h"
#include "suppress.h"
#include "walk.h"
#include "xalloc.h"

int doc_lang_parse(const char *name)
{
	if (strcmp(name, "loss") == 0)
		return DOC_LOSS;
	if (strcmp(name, "md") == 0 || strcmp(name, "markdown") == 0)
		return DOC_MARKDOWN;
	if (strcmp(name, "txt") == 0 || strcmp(name, "text") == 0)
		return DOC_TEXT;
	return -1;
}

doc_lang doc_lang_of_path(const char *path)
{
	unsigned k = walk_kind(path);
	return k == WALK_MARKDOWN ? DOC_MARKDOWN : k == WALK_TEXT ? DOC_TEXT : DOC_LOSS;
}

/* ---- one run over one document ----------------------------------------- */

/* A `lossc off` or `lossc on` comment. */
struct doc_mark {
	span at;                /* the comment */
	int off;                /* 1: off, 0: on */
};

/* A region where lossc is off: source bytes [from, to). */
struct doc_region {
	size_t from, to;
	span at;                /* the `off` comment */
	int used;
};

struct doc_run {
	doc_sink sink;          /* first: the callbacks receive &run->sink */
	const source *src;
	diag_list *diags;
	prose_run *prose;
	ast_file file;          /* the allow directives, for suppress_apply */
	ast_directive *tail;
	struct doc_mark *marks;
	size_t nmarks, cap;
	struct doc_region *regions;
	size_t nregions;
};

static void *doc_xrealloc(void *p, size_t n)
{
	return xrealloc(p, n);
}

static void doc_on_text(doc_sink *sink, const ast_text *t)
{
	struct doc_run *run = (struct doc_run *)sink;
	if (run->prose)
		prose_run_text(run->prose, t, PROSE_SCOPE_ALL);
}

static int doc_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The first word of s[0..n) and what follows it (blanks skipped). */
static size_t doc_word(const char *s, size_t n, const char **rest, size_t *rest_len)
{
	size_t w = 0, r;
	while (w < n && !doc_blank(s[w]))
		w++;
	for (r = w; r < n && doc_blank(s[r]); r++)
		;
	*rest = s + r;
	*rest_len = n - r;
	return w;
}

static void doc_on_directive(doc_sink *sink, const doc_directive *d)
{
	struct doc_run *run = (struct doc_run *)sink;
	const char *body = d->body, *rest;
	size_t len = d->body_len, w, rest_len;
	int colon = 0;
	if (len && body[0] == ':') {
		colon = 1;
		body++;
		len--;
		while (len && doc_blank(*body))
			body++, len--;
	}
	w = doc_word(body, len, &rest, &rest_len);
	if ((w == 3 && memcmp(body, "off", 3) == 0) || (w == 2 && memcmp(body, "on", 2) == 0)) {
		if (rest_len && !(rest_len >= 2 && memcmp(rest, "--", 2) == 0)) {
			diag_code(run->diags, run->src, d->span, "LS008",
				  "'lossc %.*s' takes no codes: write '<!-- lossc %.*s -->', or "
				  "'<!-- lossc: allow CODES -- reason -->' for the next block only",
				  (int)w, body, (int)w, body);
			return;
		}
		if (run->nmarks == run->cap) {
			run->cap = run->cap ? 2 * run->cap : 8;
			run->marks = doc_xrealloc(run->marks, run->cap * sizeof *run->marks);
		}
		run->marks[run->nmarks].at = d->span;
		run->marks[run->nmarks].off = w == 3;
		run->nmarks++;
		return;
	}
	if (!colon || w == 0) {
		diag_code(run->diags, run->src, d->span, "LS008",
			  "unknown lossc directive '%.*s': use 'lossc: allow CODES -- reason', "
			  "'lossc: allow-file CODES -- reason', 'lossc off' or 'lossc on'",
			  (int)(w > 40 ? 40 : w), body);
		return;
	}
	/* allow / allow-file (or a misspelling, which suppress_apply reports as LS008) */
	ast_directive *a = arena_alloc(run->file.arena, sizeof *a);
	a->span = d->span;
	/* a comment may run over lines: the body is read with its line breaks as blanks */
	char *b = arena_strndup(run->file.arena, body, len);
	for (size_t i = 0; i < len; i++)
		if (b[i] == '\n' || b[i] == '\r')
			b[i] = ' ';
	a->body = b;
	a->body_len = len;
	a->line = source_pos(run->src, d->span.start).line;
	a->standalone = 1;
	a->document = 1;
	a->target_line = d->first_line;
	a->target_end_line = d->last_line;
	if (run->tail)
		run->tail->next = a;
	else
		run->file.directives = a;
	run->tail = a;
}

static int doc_mark_cmp(const void *x, const void *y)
{
	const struct doc_mark *a = x, *b = y;
	return a->at.start < b->at.start ? -1 : a->at.start > b->at.start;
}

/* Pair the off/on comments in source order into regions; LS009 for those that change nothing. */
static void doc_regions(struct doc_run *run)
{
	struct doc_region *open = NULL;
	if (run->nmarks == 0)
		return;
	qsort(run->marks, run->nmarks, sizeof *run->marks, doc_mark_cmp);
	run->regions = doc_xrealloc(NULL, run->nmarks * sizeof *run->regions);
	for (size_t i = 0; i < run->nmarks; i++) {
		const struct doc_mark *mk = &run->marks[i];
		if (mk->off) {
			if (open) {
				diag_code(run->diags, run->src, mk->at, "LS009",
					  "'lossc off' changes nothing: lossc is already off since line %lu",
					  source_pos(run->src, open->at.start).line);
				continue;
			}
			open = &run->regions[run->nregions++];
			open->from = mk->at.end;
			open->to = run->src->len;
			open->at = mk->at;
			open->used = 0;
		} else if (open) {
			open->to = mk->at.start;
			open = NULL;
		} else {
			diag_code(run->diags, run->src, mk->at, "LS009",
				  "'lossc on' changes nothing: no 'lossc off' comes before it");
		}
	}
}

/* The region holding offset off, or NULL (regions are sorted and disjoint). */
static struct doc_region *doc_region_at(struct doc_run *run, size_t off)
{
	size_t lo = 0, hi = run->nregions;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (run->regions[mid].to <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < run->nregions && run->regions[lo].from <= off && off < run->regions[lo].to)
		return &run->regions[lo];
	return NULL;
}

struct doc_drop {
	struct doc_run *run;
	int directives_only;    /* 1: only LS008/LS009 (after suppress_apply) */
};

static int doc_in_region(const diag *d, void *vctx)
{
	struct doc_drop *c = vctx;
	struct doc_region *r;
	if (d->src != c->run->src || !d->located)
		return 0;
	if (c->directives_only && strcmp(d->code, "LS008") != 0 && strcmp(d->code, "LS009") != 0)
		return 0;
	r = doc_region_at(c->run, d->span.start);
	if (!r)
		return 0;
	r->used = 1;
	return 1;
}

/* Did every prose rule run?  (Only then can a region be called stale.) */
static int doc_all_rules_ran(const lint_opts *o)
{
	if (!o->prose)
		return 0;
	if (!o->enabled)
		return 1;
	for (size_t i = 0; i < prose_count(o->prose); i++)
		if (!o->enabled(prose_rule_at(o->prose, i)->code, o->enabled_ctx))
			return 0;
	return 1;
}

int doc_lint(const source *src, doc_lang lang, const lint_opts *o, diag_list *diags)
{
	struct doc_run run;
	struct doc_drop drop;
	size_t before = diags->n;

	if (parse_check_bytes(src, diags, lang == DOC_MARKDOWN ? "a Markdown document" : "a plain-text document") != 0)
		return -1;
	memset(&run, 0, sizeof run);
	run.sink.text = doc_on_text;
	run.sink.directive = doc_on_directive;
	run.src = src;
	run.diags = diags;
	run.prose = o->prose ? prose_run_new(o->prose, src, diags, o->enabled, o->enabled_ctx) : NULL;
	run.file.src = src;
	run.file.arena = arena_new();

	if (lang == DOC_MARKDOWN) {
		doc_refusal why;
		if (doc_md_read(src, &run.sink, NULL, &why) != 0) {
			diag_code(diags, src, why.span, "LS030", "%s", why.why);
			prose_run_free(run.prose);
			arena_free(run.file.arena);
			return -1;
		}
	} else
		doc_txt_read(src, &run.sink, NULL);

	doc_regions(&run);
	drop.run = &run;
	drop.directives_only = 0;
	if (run.nregions)
		diag_remove_if(diags, before, doc_in_region, &drop);
	if (doc_all_rules_ran(o))
		for (size_t i = 0; i < run.nregions; i++)
			if (!run.regions[i].used)
				diag_code(diags, src, run.regions[i].at, "LS009",
					  "'lossc off' suppresses nothing: no finding between lines %lu and %lu",
					  source_pos(src, run.regions[i].from).line,
					  source_pos(src, run.regions[i].to).line);
	suppress_apply(&run.file, diags, before, o->enabled, o->enabled_ctx);
	drop.directives_only = 1;
	if (run.nregions)
		diag_remove_if(diags, before, doc_in_region, &drop);

	prose_run_free(run.prose);
	arena_free(run.file.arena);
	free(run.marks);
	free(run.regions);
	return 0;
}
