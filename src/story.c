/*
 * story.c: LS101-LS109.  A link is found by name (a rationale `for` a
 * goal, `uses` a loss, a loss `on` a dataset) rather than through the
 * resolver's back-links, so an unresolved or wrongly-kinded reference
 * (already LS010/LS012) does not also produce a story finding.
 */
#include "story.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The names that links point at, by kind of link, in one hash set each,
 * so a file with a million declarations is checked in linear time.
 */
struct story_set {
	const ast_name **slot;
	size_t cap, n;
};

static size_t story_hash(const char *s, size_t n)
{
	size_t h = 2166136261u;
	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void story_put(struct story_set *set, const ast_name *nm)
{
	size_t i;
	if (!nm->s)
		return;
	if (2 * (set->n + 1) > set->cap) {
		struct story_set bigger;
		bigger.cap = set->cap ? 2 * set->cap : 64;
		bigger.n = 0;
		bigger.slot = xcalloc(bigger.cap, sizeof *bigger.slot);
		for (i = 0; i < set->cap; i++)
			if (set->slot[i])
				story_put(&bigger, set->slot[i]);
		free(set->slot);
		*set = bigger;
	}
	for (i = story_hash(nm->s, nm->len) & (set->cap - 1); set->slot[i]; i = (i + 1) & (set->cap - 1))
		if (set->slot[i]->len == nm->len && memcmp(set->slot[i]->s, nm->s, nm->len) == 0)
			return;
	set->slot[i] = nm;
	set->n++;
}

static int story_has(const struct story_set *set, const ast_name *nm)
{
	size_t i;
	if (!nm->s || set->cap == 0)
		return 0;
	for (i = story_hash(nm->s, nm->len) & (set->cap - 1); set->slot[i]; i = (i + 1) & (set->cap - 1))
		if (set->slot[i]->len == nm->len && memcmp(set->slot[i]->s, nm->s, nm->len) == 0)
			return 1;
	return 0;
}

static span story_where(const ast_decl *d)
{
	return d->name.s ? d->name.span : d->kw;
}

static const char *story_name(const ast_decl *d)
{
	return d->name.s ? d->name.s : "?";
}

/*
 * LS109: a second `value`, `reduce`, `precision` or `batch` in one loss, reported at
 * the second item's keyword with a note at the first.
 */
static void story_once(const ast_file *f, const ast_decl *d, diag_list *diags)
{
	static const ast_item_kind once[] = { IT_VALUE, IT_REDUCE, IT_PRECISION, IT_BATCH };
	for (size_t k = 0; k < sizeof once / sizeof once[0]; k++) {
		const ast_item *first = ast_find_item(d, once[k]);
		if (!first)
			continue;
		for (const ast_item *it = first->next; it; it = it->next) {
			if (it->kind != once[k])
				continue;
			diag *g = diag_code(diags, f->src, it->kw, "LS109",
					    "loss '%s' has a second '%s': a loss has one; delete the one you do not mean",
					    story_name(d), ast_item_kind_name(once[k]));
			diag_note(g, first->kw, "the first '%s' is here", ast_item_kind_name(once[k]));
		}
	}
}

/*
 * LS106's fix: `reduce mean;` as the declaration's last item.  Unsafe
 * (diag.h): it picks the scale of the loss for the writer.  When the
 * closing brace stands alone on its line the item gets a line of its own,
 * indented like the item above, with the file's own line end; otherwise
 * it goes just before the brace.
 */
static void story_fix_reduce(const source *src, const ast_decl *d, diag *dg)
{
	const char *t = src->text;
	size_t close = d->span.end, ls;
	char fix[96];
	if (close == 0 || close > src->len || t[close - 1] != '}')
		return;         /* a declaration recovered from an error: no fix */
	close--;
	ls = close;
	while (ls > src->body && (t[ls - 1] == ' ' || t[ls - 1] == '\t'))
		ls--;
	if (ls > src->body && t[ls - 1] != '\n' && t[ls - 1] != '\r') {
		diag_set_unsafe_fix(dg, (span){(uint32_t)close, (uint32_t)close},
				    t[close - 1] == ' ' || t[close - 1] == '\t' ? "reduce mean; " : " reduce mean; ");
		return;
	}
	/* the indentation of the last item's line, else the brace's plus four spaces */
	const ast_item *last = NULL;
	for (const ast_item *it = d->items; it; it = it->next)
		last = it;
	size_t from = last ? last->span.start : close, is, ie;
	while (from > src->body && t[from - 1] != '\n' && t[from - 1] != '\r')
		from--;
	is = ie = from;
	while (ie < src->len && ie - is < 32 && (t[ie] == ' ' || t[ie] == '\t'))
		ie++;
	const char *eol = ls > src->body + 1 && t[ls - 1] == '\n' && t[ls - 2] == '\r' ? "\r\n" :
			  ls > src->body && t[ls - 1] == '\r' ? "\r" : "\n";
	snprintf(fix, sizeof fix, "%.*s%sreduce mean;%s", (int)(ie - is), t + is, last ? "" : "    ", eol);
	diag_set_unsafe_fix(dg, (span){(uint32_t)ls, (uint32_t)ls}, fix);
}

void story_check(const ast_file *f, diag_list *diags)
{
	const ast_decl *d;
	struct story_set served = {NULL, 0, 0}, used = {NULL, 0, 0}, on = {NULL, 0, 0};
	for (d = f->decls; d; d = d->next) {
		const ast_item *it;
		if (d->kind == DECL_LOSS)
			story_put(&on, &d->target);
		if (d->kind != DECL_RATIONALE)
			continue;
		story_put(&served, &d->target);
		for (it = d->items; it; it = it->next) {
			size_t i;
			if (it->kind == IT_USES)
				for (i = 0; i < it->nnames; i++)
					story_put(&used, &it->names[i]);
		}
	}
	for (d = f->decls; d; d = d->next) {
		span at = story_where(d);
		switch (d->kind) {
		case DECL_GOAL:
			if (d->name.s && !story_has(&served, &d->name))
				diag_code(diags, f->src, at, "LS101",
					  "goal '%s' has no rationale: no 'rationale ... for %s' says why training should produce it",
					  story_name(d), story_name(d));
			break;
		case DECL_LOSS:
			if (d->name.s && !story_has(&used, &d->name))
				diag_code(diags, f->src, at, "LS102",
					  "loss '%s' is used by no rationale: nothing says what cognition it should train",
					  story_name(d));
			if (!ast_find_item(d, IT_REDUCE)) {
				diag *dg = diag_code(diags, f->src, at, "LS106",
						     "loss '%s' has no 'reduce': say 'reduce mean;' or 'reduce sum;' (they train differently)",
						     story_name(d));
				if (dg)
					story_fix_reduce(f->src, d, dg);
			}
			if (!ast_find_item(d, IT_PRECISION))
				diag_code(diags, f->src, at, "LS107",
					  "loss '%s' has no 'precision'; float32 is assumed", story_name(d));
			if (!ast_find_item(d, IT_VALUE))
				diag_code(diags, f->src, at, "LS108",
					  "loss '%s' has no 'value': it defines no loss", story_name(d));
			story_once(f, d, diags);
			break;
		case DECL_RATIONALE: {
			int because = ast_find_item(d, IT_BECAUSE) != NULL;
			int setup = ast_find_item(d, IT_SETUP) != NULL;
			if (!because && !setup)
				diag_code(diags, f->src, at, "LS103",
					  "rationale '%s' has neither 'because' nor 'setup': it gives no argument and no training setup",
					  story_name(d));
			else if (!because)
				diag_code(diags, f->src, at, "LS103",
					  "rationale '%s' has no 'because': it does not say why the loss should produce the goal",
					  story_name(d));
			else if (!setup)
				diag_code(diags, f->src, at, "LS103",
					  "rationale '%s' has no 'setup': its argument cannot be checked without the training setup",
					  story_name(d));
			break;
		}
		case DECL_AGENT:
			if (!ast_find_item(d, IT_CARES_ABOUT))
				diag_code(diags, f->src, at, "LS104",
					  "agent '%s' has no 'cares_about': \"wants low loss\" stays ambiguous (register, predictions, goal, or other?)",
					  story_name(d));
			break;
		case DECL_DATASET:
			if (d->name.s && !story_has(&on, &d->name))
				diag_code(diags, f->src, at, "LS105", "dataset '%s' has no loss on it",
					  story_name(d));
			break;
		}
	}
	free(served.slot);
	free(used.slot);
	free(on.slot);
}
