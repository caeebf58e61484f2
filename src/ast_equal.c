/*
 * ast_equal.c: are two syntax trees the same story, whatever their layout?
 *
 * Compares everything the parser records except where it came from:
 * spans, the resolver's back-links, comments and directives are ignored;
 * names, joined texts (after escapes), numbers, types, ranges, choices
 * and the shape of every expression must match.  `lossc fmt` checks its
 * own output with this, and the property tests use it to prove fmt(x)
 * parses to the tree x parses to.
 *
 * One walk serves two uses: comparing two trees (ast_equal), and hashing
 * one (ast_digest), so fmt can free the first tree before it parses its
 * output and compare digests, which halves its peak memory.  Each field
 * goes through aeq_field, which compares in the first mode and hashes in
 * the second, so the two can never disagree about what a tree is.
 *
 * When the AST grows (LossSpec v2), a field left out here is a field fmt
 * may silently drop: add every new field to the walk below.
 */
#include "ast.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct aeq {
	uint64_t hash;          /* digest mode: FNV-1a of every field */
	int digest;             /* 1: hash a, b is NULL; 0: compare a with b */
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

static void aeq_hash(struct aeq *q, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		q->hash = (q->hash ^ s[i]) * 1099511628211ULL;
}

/*
 * One field: n bytes at a (and at b).  The length is hashed too, so
 * fields cannot run into each other.  Returns 1 when they match (always,
 * in digest mode).
 */
static int aeq_field(struct aeq *q, const void *a, size_t an, const void *b, size_t bn)
{
	if (q->digest) {
		aeq_hash(q, &an, sizeof an);
		if (an)
			aeq_hash(q, a, an);
		return 1;
	}
	if (an != bn)
		return 0;
	return an == 0 || memcmp(a, b, an) == 0;
}

static int aeq_int(struct aeq *q, long a, const long *b)
{
	return aeq_field(q, &a, sizeof a, b, b ? sizeof *b : 0);
}

/* Numbers by value: 0 and -0 are one number (a range may say -0). */
static int aeq_num(struct aeq *q, double a, const double *b)
{
	double x = a == 0 ? 0.0 : a, y = b && *b == 0 ? 0.0 : b ? *b : 0;
	return aeq_field(q, &x, sizeof x, &y, sizeof y);
}

#define AEQ_B(b, f) ((b) ? &(b)->f : NULL)

static int aeq_name(struct aeq *q, const ast_name *a, const ast_name *b)
{
	long ap = a->s != NULL, bp = b && b->s != NULL;
	return aeq_int(q, ap, b ? &bp : NULL)
	       && aeq_field(q, a->s, a->s ? a->len : 0, b ? b->s : NULL, b && b->s ? b->len : 0);
}

static int aeq_text(struct aeq *q, const ast_text *a, const ast_text *b)
{
	long ap = a->bytes != NULL, bp = b && b->bytes != NULL;
	return aeq_int(q, ap, b ? &bp : NULL)
	       && aeq_field(q, a->bytes, a->bytes ? a->len : 0, b ? b->bytes : NULL, b && b->bytes ? b->len : 0);
}

static int aeq_expr(struct aeq *q, const ast_expr *a, const ast_expr *b)
{
	long ak = a ? (long)a->kind : -1, bk = b ? (long)b->kind : -1;
	if (!aeq_int(q, ak, q->digest ? NULL : &bk))
		return 0;
	if (!a)
		return 1;
	switch (a->kind) {
	case EX_NUM:
		return aeq_num(q, a->num, AEQ_B(b, num));
	case EX_NAME:
		return aeq_name(q, &a->name, AEQ_B(b, name));
	case EX_NEG:
		return aeq_expr(q, a->a, b ? b->a : NULL);
	case EX_ADD: case EX_SUB: case EX_MUL: case EX_DIV: case EX_POW: case EX_MATMUL:
	case EX_LT: case EX_LE: case EX_GT: case EX_GE: case EX_EQ: case EX_NE:
		return aeq_expr(q, a->a, b ? b->a : NULL) && aeq_expr(q, a->b, b ? b->b : NULL);
	case EX_INDEX:
		return aeq_name(q, &a->name, AEQ_B(b, name)) && aeq_expr(q, a->a, b ? b->a : NULL)
		       && aeq_expr(q, a->b, b ? b->b : NULL);
	case EX_STR:
		return aeq_name(q, &a->name, AEQ_B(b, name));
	case EX_CALL:
		if (!aeq_name(q, &a->name, AEQ_B(b, name))
		    || !aeq_int(q, (long)a->nargs, b ? &(long){(long)b->nargs} : NULL))
			return 0;
		for (size_t i = 0; i < a->nargs; i++)
			if (!aeq_name(q, &a->args[i].name, b ? &b->args[i].name : NULL)
			    || !aeq_expr(q, a->args[i].value, b ? b->args[i].value : NULL))
				return 0;
		return 1;
	case EX_VEC:
		if (!aeq_int(q, (long)a->nelems, b ? &(long){(long)b->nelems} : NULL))
			return 0;
		for (size_t i = 0; i < a->nelems; i++)
			if (!aeq_expr(q, a->elems[i], b ? b->elems[i] : NULL))
				return 0;
		return 1;
	}
	return 0;
}

static int aeq_item(struct aeq *q, const ast_item *a, const ast_item *b)
{
	const char *k = ast_item_kind_name(a->kind);
	if (!aeq_int(q, (long)a->kind, b ? &(long){(long)b->kind} : NULL))
		return aeq_fail(q, "'%s' became '%s'", k, ast_item_kind_name(b->kind));
	if (!aeq_int(q, a->choice, b ? &(long){b->choice} : NULL))
		return aeq_fail(q, "the choice of '%s' differs", k);
	if (!aeq_text(q, &a->text, AEQ_B(b, text)))
		return aeq_fail(q, "the text of '%s' differs", k);
	if (!aeq_name(q, &a->name, AEQ_B(b, name)))
		return aeq_fail(q, "the name in '%s' differs", k);
	if (!aeq_int(q, (long)a->type.kind, b ? &(long){(long)b->type.kind} : NULL)
	    || !aeq_int(q, a->type.dim, AEQ_B(b, type.dim))
	    || !aeq_int(q, a->type.nsizes, b ? &(long){b->type.nsizes} : NULL))
		return aeq_fail(q, "the type in '%s' differs", k);
	for (int i = 0; i < a->type.nsizes; i++)
		if (!aeq_int(q, a->type.sizes[i].n, b ? &b->type.sizes[i].n : NULL)
		    || !aeq_name(q, &a->type.sizes[i].name, b ? &b->type.sizes[i].name : NULL))
			return aeq_fail(q, "the type in '%s' differs", k);
	if (!aeq_int(q, a->range.present, b ? &(long){b->range.present} : NULL)
	    || (a->range.present && (!aeq_num(q, a->range.lo, AEQ_B(b, range.lo))
				     || !aeq_num(q, a->range.hi, AEQ_B(b, range.hi)))))
		return aeq_fail(q, "the range in '%s' differs", k);
	if (!aeq_expr(q, a->expr, b ? b->expr : NULL))
		return aeq_fail(q, "the expression of '%s' differs", k);
	if (!aeq_int(q, (long)a->nnames, b ? &(long){(long)b->nnames} : NULL))
		return aeq_fail(q, "'%s' lists %zu names, not %zu", k, b->nnames, a->nnames);
	for (size_t i = 0; i < a->nnames; i++)
		if (!aeq_name(q, &a->names[i], b ? &b->names[i] : NULL))
			return aeq_fail(q, "name %zu of '%s' differs", i + 1, k);
	return 1;
}

static int aeq_decl(struct aeq *q, const ast_decl *a, const ast_decl *b)
{
	q->decl = a;
	q->item = 0;
	if (!aeq_int(q, (long)a->kind, b ? &(long){(long)b->kind} : NULL))
		return aeq_fail(q, "its kind became '%s'", ast_decl_kind_name(b->kind));
	if (!aeq_name(q, &a->name, AEQ_B(b, name)))
		return aeq_fail(q, "the name differs ('%s')", b->name.s ? b->name.s : "?");
	if (!aeq_name(q, &a->target, AEQ_B(b, target)))
		return aeq_fail(q, "the name after '%s' differs", a->kind == DECL_LOSS ? "on" : "for");
	const ast_item *x = a->items, *y = b ? b->items : NULL;
	for (; x && (q->digest || y); x = x->next, y = y ? y->next : NULL) {
		q->item++;
		if (!aeq_item(q, x, y))
			return 0;
	}
	if (q->digest) {
		aeq_hash(q, "}", 1);    /* the end of the items */
		return 1;
	}
	q->item = 0;
	if (x || y)
		return aeq_fail(q, "%s items", x ? "lost" : "gained");
	return 1;
}

int ast_equal(const ast_file *a, const ast_file *b, char *why, size_t whylen)
{
	struct aeq q = { 0, 0, why, whylen, NULL, 0 };
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

uint64_t ast_digest(const ast_file *f)
{
	struct aeq q = { 14695981039346656037ULL, 1, NULL, 0, NULL, 0 };
	for (const ast_decl *d = f->decls; d; d = d->next)
		aeq_decl(&q, d, NULL);
	return q.hash;
}
