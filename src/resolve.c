/*
 * resolve.c: name resolution (LS010 undefined, LS011 duplicate, LS012
 * wrong kind), following lossspec(5) "Names and scopes":
 *
 *   - declaration names are unique in a file, whatever their kinds;
 *   - `on` names a dataset, `for` and `cares_about goal` a goal, `uses`
 *     and `trained_by` losses;
 *   - in a loss, expressions see the loss's outputs and params, the
 *     inputs and labels of its dataset, and the lets defined above; a
 *     param's expression sees only earlier params (it is a constant);
 *     the loss's own names shadow its dataset's;
 *   - a size named in a type is a `size` of the dataset, or of the loss
 *     or its `batch` (in a loss's types): LS310 when it is declared
 *     nowhere; a loss may not redeclare a size of its dataset (LS011),
 *     since two different V's in one loss would be a trap.
 *
 * A name that does not resolve (or names the wrong kind) keeps NULL in
 * ast_name.decl / .item, so later phases skip it instead of reporting it
 * again.  In a loss whose dataset is unknown, names that could have come
 * from that dataset are not reported either: the LS010 on `on` says it.
 *
 * Lookups go through a small open-addressing hash table, so a file with a
 * million declarations resolves in linear time; expressions are walked
 * with an explicit stack, so a left-leaning chain `a+a+...+a` of any
 * length cannot exhaust the C stack.
 */
#include "resolve.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "suggest.h"
#include "xalloc.h"

/* ---- a name -> pointer table ---------------------------------------- */

typedef struct res_slot {
	const char *key;        /* NULL: empty */
	size_t len;
	void *val;
	size_t order;           /* position of an item in its loss (for lets and params) */
} res_slot;

typedef struct res_table {
	res_slot *slots;
	size_t cap, n;          /* cap is a power of two, at most half full */
} res_table;

static size_t res_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;            /* FNV-1a */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return (size_t)(h ^ (h >> 32));
}

static void res_table_init(res_table *t, size_t hint)
{
	size_t cap = 16;
	while (cap < hint * 2 + 2)
		cap *= 2;
	t->slots = xcalloc(cap, sizeof *t->slots);
	t->cap = cap;
	t->n = 0;
}

static void res_table_free(res_table *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = t->n = 0;
}

static res_slot *res_find_slot(res_slot *slots, size_t cap, const char *key, size_t len)
{
	size_t i = res_hash(key, len) & (cap - 1);
	while (slots[i].key && !(slots[i].len == len && memcmp(slots[i].key, key, len) == 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static res_slot *res_lookup(const res_table *t, const char *key, size_t len)
{
	res_slot *s = res_find_slot(t->slots, t->cap, key, len);
	return s->key ? s : NULL;
}

/* Adds key unless present; returns the existing slot when it was. */
static res_slot *res_insert(res_table *t, const char *key, size_t len, void *val,
			    size_t order)
{
	res_slot *s = res_find_slot(t->slots, t->cap, key, len);
	if (s->key)
		return s;
	s->key = key;
	s->len = len;
	s->val = val;
	s->order = order;
	if (++t->n * 2 > t->cap) {
		size_t cap = t->cap * 2;
		res_slot *slots = xcalloc(cap, sizeof *slots);
		for (size_t i = 0; i < t->cap; i++)
			if (t->slots[i].key)
				*res_find_slot(slots, cap, t->slots[i].key, t->slots[i].len) = t->slots[i];
		free(t->slots);
		t->slots = slots;
		t->cap = cap;
	}
	return NULL;
}

/* ---- declaration references ----------------------------------------- */

#define RES_SHOW_MAX 64

typedef struct res_ctx {
	ast_file *f;
	diag_list *diags;
	res_table decls;
	ast_expr **stack;       /* expression walk */
	size_t sp, stack_cap;
	char show[4][RES_SHOW_MAX + 4];  /* res_show's buffers */
	unsigned nshow;
	long suggest_work;      /* names compared for "did you mean" so far (res_suggest) */
} res_ctx;

/*
 * A name as shown in a message: names longer than RES_SHOW_MAX bytes are
 * cut and end in "..." (the source line shows the rest), so a 10 MB
 * identifier does not make a 10 MB message.  Identifiers are ASCII, so
 * any cut is a character boundary.  Up to four results stay valid at once.
 */
static const char *res_show(res_ctx *c, const char *s, size_t len)
{
	char *b = c->show[c->nshow++ % 4];
	if (!s)
		return "?";
	if (len <= RES_SHOW_MAX)
		return s;
	memcpy(b, s, RES_SHOW_MAX);
	memcpy(b + RES_SHOW_MAX, "...", 4);
	return b;
}

#define RES_NAME(c, n) res_show((c), (n).s, (n).len)

/* Comparisons "did you mean" may spend on one file: each unresolved name
   scans its whole scope, so a generated file with 100,000 declarations and
   25,000 unresolved names would take quadratic time; past the budget the
   findings go without a suggestion. */
#define RES_SUGGEST_BUDGET 500000L

/* The name of t closest to n (a misspelling: one or two edits), or NULL;
   with want >= 0, only declarations of that kind. */
static const char *res_suggest(res_ctx *c, const res_table *t, const ast_name *n, int want)
{
	suggest s;
	size_t maxd = n->len <= 3 ? 1 : 2;
	if (c->suggest_work > RES_SUGGEST_BUDGET)
		return NULL;
	suggest_init(&s, n->s, n->len, maxd);
	for (size_t i = 0; i < t->cap; i++) {
		const res_slot *sl = &t->slots[i];
		if (!sl->key || sl->len > n->len + maxd || sl->len + maxd < n->len)
			continue;
		if (want >= 0 && ((ast_decl *)sl->val)->kind != (ast_decl_kind)want)
			continue;
		c->suggest_work++;
		suggest_offer(&s, sl->key);
	}
	return s.best;
}

static const char *res_article(const char *word)
{
	return strchr("aeiou", word[0]) ? "an" : "a";
}

/*
 * Resolve a reference to a declaration of kind `want`; `what` names the
 * construct that needs it ("on", "uses", ...) for the messages.
 * Returns the declaration only when it has the right kind.
 */
static ast_decl *res_decl_ref(res_ctx *c, ast_name *n, ast_decl_kind want, const char *what)
{
	n->decl = NULL;
	if (!n->s)
		return NULL;
	res_slot *s = res_lookup(&c->decls, n->s, n->len);
	const char *wname = ast_decl_kind_name(want);
	if (!s) {
		const char *sug = res_suggest(c, &c->decls, n, (int)want);
		if (sug)
			diag_code(c->diags, c->f->src, n->span, "LS010", "no %s named '%s'; did you mean '%s'?", wname,
				  RES_NAME(c, *n), sug);
		else
			diag_code(c->diags, c->f->src, n->span, "LS010", "no %s named '%s'", wname, RES_NAME(c, *n));
		return NULL;
	}
	ast_decl *d = s->val;
	if (d->kind != want) {
		const char *kname = ast_decl_kind_name(d->kind);
		diag *g = diag_code(c->diags, c->f->src, n->span, "LS012",
				    "'%s' is %s %s, but '%s' needs %s %s", RES_NAME(c, *n),
				    res_article(kname), kname, what, res_article(wname), wname);
		diag_note(g, d->name.span, "'%s' is declared here", RES_NAME(c, *n));
		return NULL;
	}
	n->decl = d;
	return d;
}

/* ---- names inside a loss --------------------------------------------- */

enum { RES_ORDER_DATASET = 0 };         /* dataset items precede every loss item */

static int res_introduces_name(const ast_item *it)
{
	switch (it->kind) {
	case IT_INPUT: case IT_LABEL: case IT_OUTPUT: case IT_PARAM: case IT_LET:
	case IT_SIZE: case IT_BATCH:
		return it->name.s != NULL;
	default:
		return 0;
	}
}

/*
 * Add the name-introducing items of decl d to t; a second item with a
 * name already present is LS011 (with a note at the first).  order_base
 * numbers the items so lets and params can be compared with their users.
 */
static void res_add_items(res_ctx *c, res_table *t, ast_decl *d, ast_decl *owner,
			  int from_dataset, int report)
{
	size_t order = 0;
	for (ast_item *it = d->items; it; it = it->next) {
		order++;
		if (!res_introduces_name(it))
			continue;
		res_slot *old = res_insert(t, it->name.s, it->name.len, it,
					   from_dataset ? RES_ORDER_DATASET : order);
		if (!old || !report)
			continue;
		ast_item *first = old->val;
		if (first->kind == IT_BATCH && it->kind == IT_BATCH)
			continue;       /* a second batch item: LS109 says it */
		diag *g = diag_code(c->diags, c->f->src, it->name.span, "LS011",
				    "'%s' is declared twice in %s '%s'", RES_NAME(c, it->name),
				    ast_decl_kind_name(owner->kind), RES_NAME(c, owner->name));
		diag_note(g, first->name.span, "'%s' is first declared here", RES_NAME(c, first->name));
	}
}

static void res_push(res_ctx *c, ast_expr *e)
{
	if (!e)
		return;
	if (c->sp == c->stack_cap) {
		size_t cap = c->stack_cap ? c->stack_cap * 2 : 64;
		ast_expr **s = xrealloc(c->stack, cap * sizeof *s);
		c->stack = s;
		c->stack_cap = cap;
	}
	c->stack[c->sp++] = e;
}

/*
 * One name used in the expression of item `user` (at position `order`).
 * dataset_known: the loss's `on` resolved, so a name missing from the
 * scope is truly undefined.
 */
static void res_expr_name(res_ctx *c, const res_table *scope, ast_name *n,
			  const ast_item *user, size_t order, int dataset_known)
{
	n->item = NULL;
	if (!n->s)
		return;
	res_slot *s = res_lookup(scope, n->s, n->len);
	if (!s) {
		const char *sug = dataset_known ? res_suggest(c, scope, n, -1) : NULL;
		if (sug)
			diag_code(c->diags, c->f->src, n->span, "LS010", "undefined name '%s'; did you mean '%s'?",
				  RES_NAME(c, *n), sug);
		else if (dataset_known)
			diag_code(c->diags, c->f->src, n->span, "LS010", "undefined name '%s'", RES_NAME(c, *n));
		return;
	}
	ast_item *it = s->val;
	int ordered = it->kind == IT_LET || it->kind == IT_PARAM;
	if (user->kind == IT_PARAM && it->kind != IT_PARAM) {
		diag *g = diag_code(c->diags, c->f->src, n->span, "LS012",
				    "'%s' is %s %s, but a param may use only numbers, vector literals and earlier params",
				    RES_NAME(c, *n), res_article(ast_item_kind_name(it->kind)),
				    ast_item_kind_name(it->kind));
		diag_note(g, it->name.span, "'%s' is declared here", RES_NAME(c, *n));
		return;
	}
	/* Lets (everywhere) and params (inside params) must come first. */
	if (ordered && s->order >= order && (it->kind == IT_LET || user->kind == IT_PARAM)) {
		diag *g = diag_code(c->diags, c->f->src, n->span, "LS010",
				    s->order == order ? "'%s' is used in its own definition"
						      : "'%s' is used before its definition", RES_NAME(c, *n));
		diag_note(g, it->name.span, "'%s' is defined here", RES_NAME(c, *n));
		return;
	}
	n->item = it;
}

static void res_expr(res_ctx *c, const res_table *scope, ast_expr *root,
		     const ast_item *user, size_t order, int dataset_known)
{
	c->sp = 0;
	res_push(c, root);
	while (c->sp) {
		ast_expr *e = c->stack[--c->sp];
		switch (e->kind) {
		case EX_NUM:
			break;
		case EX_NAME:
			res_expr_name(c, scope, &e->name, user, order, dataset_known);
			break;
		case EX_INDEX:
			if (e->b)
				res_push(c, e->b);
			else
				res_expr_name(c, scope, &e->name, user, order, dataset_known);
			res_push(c, e->a);
			break;
		case EX_STR:
			break;
		case EX_CALL:
			/* The function name belongs to the function table (analyze). */
			for (size_t i = e->nargs; i-- > 0;)
				res_push(c, e->args[i].value);
			break;
		case EX_VEC:
			for (size_t i = e->nelems; i-- > 0;)
				res_push(c, e->elems[i]);
			break;
		default:
			res_push(c, e->b);
			res_push(c, e->a);
			break;
		}
	}
}

static size_t res_count_items(const ast_decl *d)
{
	size_t n = 0;
	for (const ast_item *it = d->items; it; it = it->next)
		n++;
	return n;
}

static int res_is_size(const ast_item *it)
{
	return it->kind == IT_SIZE || it->kind == IT_BATCH;
}

/*
 * The declared size in scope that a misspelt one most likely meant, or
 * NULL: the same name in another case (real[v] for real[V]), else, for
 * names of three letters or more, the closest by edit distance (short
 * names are all one edit apart: K is no evidence for V).
 */
static const char *res_near_size(const res_table *scope, const ast_name *n)
{
	suggest sg;
	suggest_init(&sg, n->s, n->len, n->len < 3 ? 0 : n->len <= 4 ? 1 : 2);
	for (size_t i = 0; i < scope->cap; i++) {
		const res_slot *sl = &scope->slots[i];
		if (!sl->key || !res_is_size(sl->val))
			continue;
		const ast_name *m = &((const ast_item *)sl->val)->name;
		size_t k = 0;
		while (k < n->len && k < m->len
		       && tolower((unsigned char)n->s[k]) == tolower((unsigned char)m->s[k]))
			k++;
		if (k == n->len && k == m->len)
			return m->s;
		suggest_offer(&sg, m->s);
	}
	return sg.best;
}

/*
 * The named sizes of item it's type.  where: "dataset 'x'" or "loss 'l'"
 * for the LS310 message; dataset_known as in res_expr_name.
 */
static void res_type_sizes(res_ctx *c, const res_table *scope, ast_item *it,
			   const ast_decl *where, int dataset_known)
{
	if (it->type.dim != AST_DIM_SIZES)
		return;
	for (int k = 0; k < it->type.nsizes; k++) {
		ast_name *n = &it->type.sizes[k].name;
		n->item = NULL;
		if (!n->s)
			continue;
		res_slot *s = res_lookup(scope, n->s, n->len);
		if (!s) {
			if (!dataset_known)
				continue;
			const char *near = res_near_size(scope, n);
			if (near)
				diag_code(c->diags, c->f->src, n->span, "LS310",
					  "size '%s' is not declared; did you mean '%s'?",
					  RES_NAME(c, *n), near);
			else
				diag_code(c->diags, c->f->src, n->span, "LS310",
					  "size '%s' is not declared: add `size %s;` to %s '%s'",
					  RES_NAME(c, *n), RES_NAME(c, *n),
					  ast_decl_kind_name(where->kind), RES_NAME(c, where->name));
			continue;
		}
		ast_item *sz = s->val;
		if (!res_is_size(sz)) {
			const char *kind = ast_item_kind_name(sz->kind);
			diag *g = diag_code(c->diags, c->f->src, n->span, "LS012",
					    "'%s' is %s %s, but a type's size must be a whole number or a size",
					    RES_NAME(c, *n), res_article(kind), kind);
			diag_note(g, sz->name.span, "'%s' is declared here", RES_NAME(c, *n));
			continue;
		}
		if (it->kind == IT_PARAM) {
			diag *g = diag_code(c->diags, c->f->src, n->span, "LS012",
					    "'%s' is a size bound at run time, but a param is a constant: "
					    "its type needs whole-number sizes", RES_NAME(c, *n));
			diag_note(g, sz->name.span, "'%s' is declared here", RES_NAME(c, *n));
			continue;
		}
		n->item = sz;
	}
}

static void res_dataset(res_ctx *c, ast_decl *d)
{
	res_table t;
	res_table_init(&t, res_count_items(d));
	res_add_items(c, &t, d, d, 1, 1);
	for (ast_item *it = d->items; it; it = it->next)
		res_type_sizes(c, &t, it, d, 1);
	res_table_free(&t);
}

/*
 * Add the dataset's names to a loss's scope, under the loss's own (which
 * shadow them), except that a size is declared once: a loss's size or
 * batch named like one of the dataset's sizes is LS011.
 */
static void res_add_dataset(res_ctx *c, res_table *t, ast_decl *ds)
{
	for (ast_item *it = ds->items; it; it = it->next) {
		if (!res_introduces_name(it))
			continue;
		res_slot *old = res_insert(t, it->name.s, it->name.len, it, RES_ORDER_DATASET);
		if (!old || it->kind != IT_SIZE || !res_is_size(old->val))
			continue;
		ast_item *mine = old->val;
		diag *g = diag_code(c->diags, c->f->src, mine->name.span, "LS011",
				    "'%s' is declared twice: dataset '%s' already has size '%s'",
				    RES_NAME(c, mine->name), RES_NAME(c, ds->name), RES_NAME(c, it->name));
		diag_note(g, it->name.span, "'%s' is first declared here", RES_NAME(c, it->name));
	}
}

static void res_loss(res_ctx *c, ast_decl *d)
{
	ast_decl *ds = res_decl_ref(c, &d->target, DECL_DATASET, "on");
	/* A loss whose `on` names nothing valid may use its dataset's names freely. */
	int dataset_known = ds != NULL;

	res_table t;
	res_table_init(&t, res_count_items(d) + (ds ? res_count_items(ds) : 0));
	/*
	 * The loss's own names first: they shadow the dataset's (lossspec's
	 * focal example declares `param w` over a dataset with `input w`).
	 */
	res_add_items(c, &t, d, d, 0, 1);
	if (ds)
		res_add_dataset(c, &t, ds);

	size_t order = 0;
	for (ast_item *it = d->items; it; it = it->next) {
		order++;
		res_type_sizes(c, &t, it, d, dataset_known);
		if ((it->kind == IT_PARAM || it->kind == IT_LET || it->kind == IT_VALUE
		     || it->kind == IT_REDUCE) && it->expr)
			res_expr(c, &t, it->expr, it, order, dataset_known);
	}
	res_table_free(&t);
}

static void res_rationale(res_ctx *c, ast_decl *d)
{
	res_decl_ref(c, &d->target, DECL_GOAL, "for");
	for (ast_item *it = d->items; it; it = it->next)
		if (it->kind == IT_USES)
			for (size_t i = 0; i < it->nnames; i++)
				res_decl_ref(c, &it->names[i], DECL_LOSS, "uses");
}

static void res_agent(res_ctx *c, ast_decl *d)
{
	for (ast_item *it = d->items; it; it = it->next) {
		if (it->kind == IT_TRAINED_BY)
			res_decl_ref(c, &it->name, DECL_LOSS, "trained_by");
		else if (it->kind == IT_CARES_ABOUT && it->choice == CARE_GOAL)
			res_decl_ref(c, &it->name, DECL_GOAL, "cares_about goal");
	}
}

struct resolver {
	res_ctx c;
};

resolver *resolver_new(ast_file *f, size_t hint)
{
	resolver *r = xcalloc(1, sizeof *r);
	r->c.f = f;
	res_table_init(&r->c.decls, hint);
	return r;
}

void resolver_declare(resolver *r, ast_decl *d, diag_list *diags)
{
	res_ctx *c = &r->c;
	c->diags = diags;
	if (!d->name.s)
		return;
	res_slot *old = res_insert(&c->decls, d->name.s, d->name.len, d, 0);
	if (!old)
		return;
	ast_decl *first = old->val;
	const char *k = ast_decl_kind_name(first->kind);
	diag *g = diag_code(diags, c->f->src, d->name.span, "LS011",
			    "'%s' is declared twice", RES_NAME(c, d->name));
	diag_note(g, first->name.span, "'%s' is first declared here, as %s %s",
		  RES_NAME(c, first->name), res_article(k), k);
}

const ast_decl *resolver_lookup(const resolver *r, const ast_name *n)
{
	if (!n->s)
		return NULL;
	res_slot *s = res_lookup(&r->c.decls, n->s, n->len);
	return s ? s->val : NULL;
}

void resolver_decl(resolver *r, ast_decl *d, diag_list *diags)
{
	res_ctx *c = &r->c;
	c->diags = diags;
	switch (d->kind) {
	case DECL_DATASET: res_dataset(c, d); break;
	case DECL_LOSS: res_loss(c, d); break;
	case DECL_GOAL: break;
	case DECL_RATIONALE: res_rationale(c, d); break;
	case DECL_AGENT: res_agent(c, d); break;
	}
}

void resolver_free(resolver *r)
{
	if (!r)
		return;
	res_table_free(&r->c.decls);
	free(r->c.stack);
	free(r);
}

void resolve_file(ast_file *f, diag_list *diags)
{
	size_t n = 0;
	for (ast_decl *d = f->decls; d; d = d->next)
		n++;
	resolver *r = resolver_new(f, n);
	for (ast_decl *d = f->decls; d; d = d->next)
		resolver_declare(r, d, diags);
	for (ast_decl *d = f->decls; d; d = d->next)
		resolver_decl(r, d, diags);
	resolver_free(r);
}
