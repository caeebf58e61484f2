/*
 * ast.c: small queries over the syntax tree.  The tree itself is built by
 * grammar/parser.y; all of it lives in the file's arena.
 */
#include "ast.h"

#include <stdio.h>
#include <stdlib.h>

/* Index of the segment holding text byte k: the last with text_off <= k. */
static size_t ast_seg_of(const ast_text *t, size_t k)
{
	size_t lo = 0, hi = t->nsegs;   /* answer in [lo, hi) */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->segs[mid].text_off <= k)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

size_t ast_text_src_off(const ast_text *t, size_t k)
{
	if (t->nsegs == 0)
		return t->span.start;
	if (k > t->len)
		k = t->len;
	const ast_text_seg *s = &t->segs[ast_seg_of(t, k)];
	return s->src_off + (k - s->text_off);
}

/*
 * The end is one past the source of byte k1-1.  When that byte came from
 * a two-byte escape, the segment after it starts exactly two bytes later
 * (a new piece starts at least three bytes later: quote, quote, byte), so
 * the span covers the whole escape.
 */
span ast_text_src_span(const ast_text *t, size_t k0, size_t k1)
{
	span sp;
	if (k1 > t->len)
		k1 = t->len;
	if (k0 > k1)
		k0 = k1;
	sp.start = ast_text_src_off(t, k0);
	if (k1 == k0 || t->nsegs == 0) {
		sp.end = sp.start;
		return sp;
	}
	size_t i = ast_seg_of(t, k1 - 1);
	size_t last = t->segs[i].src_off + (k1 - 1 - t->segs[i].text_off);
	sp.end = last + 1;
	if (i + 1 < t->nsegs && t->segs[i + 1].text_off == k1
	    && t->segs[i + 1].src_off == last + 2)
		sp.end = last + 2;
	return sp;
}

const char *ast_decl_kind_name(ast_decl_kind k)
{
	switch (k) {
	case DECL_DATASET: return "dataset";
	case DECL_LOSS: return "loss";
	case DECL_GOAL: return "goal";
	case DECL_RATIONALE: return "rationale";
	case DECL_AGENT: return "agent";
	}
	return "?";     /* GCOVR_EXCL_LINE: the switch above names every value */
}

const char *ast_item_kind_name(ast_item_kind k)
{
	switch (k) {
	case IT_ABOUT: return "about";
	case IT_SOURCE: return "source";
	case IT_SETUP: return "setup";
	case IT_BECAUSE: return "because";
	case IT_INPUT: return "input";
	case IT_LABEL: return "label";
	case IT_OUTPUT: return "output";
	case IT_PARAM: return "param";
	case IT_LET: return "let";
	case IT_VALUE: return "value";
	case IT_REDUCE: return "reduce";
	case IT_PRECISION: return "precision";
	case IT_CLAIM: return "claim";
	case IT_USES: return "uses";
	case IT_TRAINED_BY: return "trained_by";
	case IT_CARES_ABOUT: return "cares_about";
	case IT_SIZE: return "size";
	case IT_BATCH: return "batch";
	}
	return "?";     /* GCOVR_EXCL_LINE: the switch above names every value */
}

const char *ast_reduce_name(ast_reduce r)
{
	switch (r) {
	case RED_MEAN: return "mean";
	case RED_SUM: return "sum";
	case RED_NONE: return "none";
	}
	return "?";     /* GCOVR_EXCL_LINE: the switch above names every value */
}

const char *ast_precision_name(ast_precision p)
{
	switch (p) {
	case PREC_FLOAT32: return "float32";
	case PREC_FLOAT64: return "float64";
	}
	return "?";     /* GCOVR_EXCL_LINE: the switch above names every value */
}

/* A size as written; a long name is cut to 32 bytes and "..." (names are ASCII). */
static int ast_size_str(const ast_size *z, char *buf, size_t size)
{
	if (!z->name.s)
		return snprintf(buf, size, "%ld", z->n);
	if (z->name.len > 32)
		return snprintf(buf, size, "%.32s...", z->name.s);
	return snprintf(buf, size, "%s", z->name.s);
}

static const char *ast_type_word(ast_type_kind k)
{
	switch (k) {
	case TY_REAL: return "real";
	case TY_CLASS: return "class";
	case TY_PROB: return "prob";
	case TY_BINARY: return "binary";
	case TY_SIGN: return "sign";
	}
	return "?";     /* GCOVR_EXCL_LINE: the switch above names every value */
}

char *ast_type_str(const ast_type *t, char *buf, size_t size)
{
	if (!buf || size == 0)
		return buf;
	if (t->dim == AST_DIM_SIZES && t->sizes) {
		char a[48], b[48];
		ast_size_str(&t->sizes[0], a, sizeof a);
		if (t->nsizes > 1) {
			ast_size_str(&t->sizes[1], b, sizeof b);
			snprintf(buf, size, "%s[%s, %s]", ast_type_word(t->kind), a, b);
		} else {
			snprintf(buf, size, "%s[%s]", ast_type_word(t->kind), a);
		}
		return buf;
	}
	switch (t->kind) {
	case TY_REAL:
		if (t->dim)
			snprintf(buf, size, "real[%ld]", t->dim);
		else
			snprintf(buf, size, "real");
		break;
	case TY_CLASS:
		snprintf(buf, size, "class[%ld]", t->dim);
		break;
	case TY_PROB:
		snprintf(buf, size, "prob[%ld]", t->dim);
		break;
	case TY_BINARY:
		snprintf(buf, size, "binary");
		break;
	case TY_SIGN:
		snprintf(buf, size, "sign");
		break;
	default:
		snprintf(buf, size, "?");   /* GCOVR_EXCL_LINE: the cases above name every value */
		break;         /* GCOVR_EXCL_LINE */
	}
	return buf;
}

ast_item *ast_find_item(const ast_decl *d, ast_item_kind kind)
{
	for (ast_item *it = d->items; it; it = it->next)
		if (it->kind == kind)
			return it;
	return NULL;
}

void ast_file_free(ast_file *f)
{
	if (!f)
		return;
	arena_free(f->arena);
	free(f);
}
