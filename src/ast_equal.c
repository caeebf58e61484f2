/*
 * ast_equal.c: are two syntax trees the same story, whatever their layout?
 *
 * Compares everything the parser records except where it came from:
 * spans, the resolver's back-links, comments and directives are ignored;
 * names, joined texts (after escapes), numbers, types, ranges, choices
 * and the shape of every expression must match.  `lossc fmt` checks its
 * own output with this before writing it, and the property tests use it
 * to prove fmt(x) parses to the tree x parses to.
 *
 * When the AST grows (LossSpec v2), a field left out here is a field fmt
 * may silently drop: add every new field to the matching function below.
 */
#include "ast.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct aeq {
	char *why;
	size_t whylen;
	const ast_decl *decl;   /* where we are, for the message */
	size_t item;            /* 1-based; 0: the declaration's header */
};

static int aeq_fail(struct aeq *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int aeq_fail(struct aeq *q, const char *fmt, ...)
{
	if (!q->why || q->whylen == 0)
		return 0;
	int k = 0;
	if (q->decl)
		k = snprintf(q->why, q->whylen, "%s '%s'", ast_decl_kind_name(q->decl->kind),
			     q->decl->name.s ? q->decl->name.s : "?");
	if (k > 0 && q->item && (size_t)k < q->whylen)
		k += snprintf(q->why + k, q->whylen - (size_t)k, ", item %zu", q->item);
	if (k > 0 && (size_t)k < q->whylen)
		k += snprintf(q->why + k, q->whylen - (size_t)k, ": ");
	if (k < 0 || (size_t)k >= q->whylen)
		return 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(q->why + k, q->whylen - (size_t)k, fmt, ap);
	va_end(ap);
	return 0;
}

static int aeq_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return 0;
	if (alen == 0)
		return 1;
	return a && b && memcmp(a, b, alen) == 0;
}

static int aeq_name(const ast_name *a, const ast_name *b)
{
	if (!a->s || !b->s)
		return !a->s && !b->s;
	return aeq_bytes(a->s, a->len, b->s, b->len);
}

static int aeq_text(const ast_text *a, const ast_text *b)
{
	if (!a->bytes || !b->bytes)
		return !a->bytes && !b->bytes;
	return aeq_bytes(a->bytes, a->len, b->bytes, b->len);
}

/* Numbers compare by value: `2.50` and `2.5` are the same literal to every later phase. */
static int aeq_expr(const ast_expr *a, const ast_expr *b)
{
	if (!a || !b)
		return !a && !b;
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case EX_NUM:
		return a->num == b->num;
	case EX_NAME:
		return aeq_name(&a->name, &b->name);
	case EX_NEG:
		return aeq_expr(a->a, b->a);
	case EX_ADD: case EX_SUB: case EX_MUL: case EX_DIV: case EX_POW:
		return aeq_expr(a->a, b->a) && aeq_expr(a->b, b->b);
	case EX_INDEX:
		return aeq_name(&a->name, &b->name) && aeq_expr(a->a, b->a);
	case EX_CALL:
		if (!aeq_name(&a->name, &b->name) || a->nargs != b->nargs)
			return 0;
		for (size_t i = 0; i < a->nargs; i++)
			if (!aeq_name(&a->args[i].name, &b->args[i].name)
			    || !aeq_expr(a->args[i].value, b->args[i].value))
				return 0;
		return 1;
	case EX_VEC:
		if (a->nelems != b->nelems)
			return 0;
		for (size_t i = 0; i < a->nelems; i++)
			if (!aeq_expr(a->elems[i], b->elems[i]))
				return 0;
		return 1;
	}
	return 0;
}

static int aeq_item(struct aeq *q, const ast_item *a, const ast_item *b)
{
	if (a->kind != b->kind)
		return aeq_fail(q, "'%s' became '%s'", ast_item_kind_name(a->kind), ast_item_kind_name(b->kind));
	const char *k = ast_item_kind_name(a->kind);
	if (a->choice != b->choice)
		return aeq_fail(q, "the choice of '%s' differs", k);
	if (!aeq_text(&a->text, &b->text))
		return aeq_fail(q, "the text of '%s' differs", k);
	if (!aeq_name(&a->name, &b->name))
		return aeq_fail(q, "the name in '%s' differs", k);
	if (a->type.kind != b->type.kind || a->type.dim != b->type.dim)
		return aeq_fail(q, "the type in '%s' differs", k);
	if (a->range.present != b->range.present
	    || (a->range.present && (a->range.lo != b->range.lo || a->range.hi != b->range.hi)))
		return aeq_fail(q, "the range in '%s' differs", k);
	if (!aeq_expr(a->expr, b->expr))
		return aeq_fail(q, "the expression of '%s' differs", k);
	if (a->nnames != b->nnames)
		return aeq_fail(q, "'%s' lists %zu names, not %zu", k, b->nnames, a->nnames);
	for (size_t i = 0; i < a->nnames; i++)
		if (!aeq_name(&a->names[i], &b->names[i]))
			return aeq_fail(q, "name %zu of '%s' differs", i + 1, k);
	return 1;
}

static int aeq_decl(struct aeq *q, const ast_decl *a, const ast_decl *b)
{
	q->decl = a;
	q->item = 0;
	if (a->kind != b->kind)
		return aeq_fail(q, "became a %s", ast_decl_kind_name(b->kind));
	if (!aeq_name(&a->name, &b->name))
		return aeq_fail(q, "the name differs ('%s')", b->name.s ? b->name.s : "?");
	if (!aeq_name(&a->target, &b->target))
		return aeq_fail(q, "the name after '%s' differs", a->kind == DECL_LOSS ? "on" : "for");
	const ast_item *x = a->items, *y = b->items;
	for (; x && y; x = x->next, y = y->next) {
		q->item++;
		if (!aeq_item(q, x, y))
			return 0;
	}
	if (x || y)
		return aeq_fail(q, "%s items", x ? "lost" : "gained");
	return 1;
}

int ast_equal(const ast_file *a, const ast_file *b, char *why, size_t whylen)
{
	struct aeq q = { why, whylen, NULL, 0 };
	if (why && whylen)
		why[0] = '\0';
	const ast_decl *x = a->decls, *y = b->decls;
	for (; x && y; x = x->next, y = y->next)
		if (!aeq_decl(&q, x, y))
			return 0;
	if (x || y) {
		q.decl = NULL;
		return aeq_fail(&q, "the file %s declarations", x ? "lost" : "gained");
	}
	return 1;
}
