/*
 * story.c: LS101-LS109.  A link is found by name (a rationale `for` a
 * goal, `uses` a loss, a loss `on` a dataset) rather than through the
 * resolver's back-links, so an unresolved or wrongly-kinded reference
 * (already LS010/LS012) does not also produce a story finding.
 */
#include "story.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const code_info story_codes[] = {
	{"LS101", SEV_WARNING, "a goal that no rationale is for",
	 "A goal says what cognition or behaviour the trained system should have.  No\n"
	 "`rationale ... for` this goal says why any loss, trained in any setup,\n"
	 "should produce it, so the story stops halfway: the reader knows what you\n"
	 "want but not why you expect to get it.\n"
	 "\n"
	 "How to fix: add a rationale that names the goal, the losses it relies on,\n"
	 "the training setup and the argument:\n"
	 "    rationale ce_reads for read_digits {\n"
	 "        uses ce;\n"
	 "        setup \"SGD, batch 64, writers split train/test.\";\n"
	 "        because \"Low cross-entropy across many writers rewards features\n"
	 "                 shared by all handwriting styles.\";\n"
	 "    }\n"
	 "or delete the goal if nothing in this file is meant to train it."},
	{"LS102", SEV_WARNING, "a loss that no rationale uses",
	 "No rationale `uses` this loss, so nothing in the file says what cognition\n"
	 "training on it is supposed to produce.  A loss with no stated purpose is\n"
	 "exactly where vague claims (\"the loss captures what we want\") creep in.\n"
	 "\n"
	 "How to fix: name the loss in the `uses` line of the rationale that argues\n"
	 "for it (`uses ce, aux;`), or write that rationale and its goal."},
	{"LS103", SEV_WARNING, "a rationale with no because or no setup",
	 "A rationale must say why (`because`) training on its losses should produce\n"
	 "its goal, and under which training setup (`setup`: optimizer, data split,\n"
	 "schedule).  Without `because` the rationale is only a label; without\n"
	 "`setup` its argument cannot be checked, since the same loss trains\n"
	 "differently under different optimizers, data and budgets.\n"
	 "\n"
	 "How to fix: add the missing item:\n"
	 "    setup \"AdamW, lr 3e-4, 20 epochs, held-out writers.\";\n"
	 "    because \"...the argument, in plain words...\";"},
	{"LS104", SEV_WARNING, "an agent with no cares_about",
	 "An agent without `cares_about` leaves \"it wants low loss\" ambiguous: it\n"
	 "could care about the value in the loss register, about its predictions\n"
	 "matching future labels, about the goal, or about something else.  These\n"
	 "predict different behaviour once the agent is deployed.\n"
	 "\n"
	 "How to fix: say which, with one of\n"
	 "    cares_about register;         // the number itself\n"
	 "    cares_about predictions;      // predictions matching labels\n"
	 "    cares_about goal read_digits; // the training goal\n"
	 "    cares_about other \"...\";      // something else, in words"},
	{"LS105", SEV_INFO, "a dataset that no loss is on",
	 "No `loss ... on` this dataset, so it takes no part in the training story.\n"
	 "This is often a leftover from an earlier version of the file, or a loss\n"
	 "that names the wrong dataset.\n"
	 "\n"
	 "How to fix: point a loss at it (`loss ce on NAME`) or delete it."},
	{"LS106", SEV_WARNING, "a loss with no reduce",
	 "The loss does not say how per-example values become the batch loss.  Mean\n"
	 "and sum reductions train differently: with `sum` the gradient scales with\n"
	 "the batch size, which changes the effective learning rate, and generated\n"
	 "code must pick one.\n"
	 "\n"
	 "How to fix: add `reduce mean;` (PyTorch's default), `reduce sum;`, or\n"
	 "`reduce none;` for a per-example vector.  `lossc lint --fix\n"
	 "--unsafe-fixes` adds `reduce mean;`: an unsafe fix, because it chooses\n"
	 "the loss's scale for you."},
	{"LS107", SEV_INFO, "a loss with no precision",
	 "The loss does not say whether it runs in float32 or float64.  The physical\n"
	 "loss (the computation that actually updates the network) depends on it:\n"
	 "overflow thresholds, rounding, and which numeric findings apply.  lossc\n"
	 "assumes float32.\n"
	 "\n"
	 "How to fix: add `precision float32;` or `precision float64;`."},
	{"LS108", SEV_ERROR, "a loss with no value",
	 "The loss has no `value = ...;` item, so it defines no mathematical loss at\n"
	 "all: nothing can be analyzed, and no code can be generated for it.\n"
	 "\n"
	 "How to fix: write the per-example value in terms of the outputs and the\n"
	 "dataset's inputs and labels:\n"
	 "    value = cross_entropy(logits, y);"},
	{"LS109", SEV_ERROR, "a loss item that defines the loss given twice",
	 "A loss has exactly one per-example value, one reduction and one\n"
	 "precision.  A second `value`, `reduce` or `precision` item contradicts\n"
	 "the first: a reader cannot tell which one the training code runs, and\n"
	 "`lossc gen` would have to pick one silently.\n"
	 "\n"
	 "How to fix: keep the item you mean and delete the other.  To combine two\n"
	 "terms, write one value: `value = cross_entropy(z, y) + 0.1 * aux;`."},
	{NULL, SEV_ERROR, NULL, NULL}
};

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
		bigger.slot = calloc(bigger.cap, sizeof *bigger.slot);
		if (!bigger.slot) {
			fputs("lossc: out of memory\n", stderr);
			abort();
		}
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
 * LS109: a second `value`, `reduce` or `precision` in one loss, reported at
 * the second item's keyword with a note at the first.
 */
static void story_once(const ast_file *f, const ast_decl *d, diag_list *diags)
{
	static const ast_item_kind once[] = { IT_VALUE, IT_REDUCE, IT_PRECISION };
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
