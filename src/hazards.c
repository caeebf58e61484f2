/*
 * hazards.c: findings about a loss that is well defined but will not
 * train the way its writer meant (see hazards.h): an output the value
 * never reads (LS331), kl_div fed something that is not a
 * log-probability (LS332), and a sqrt (or x^p, 0 < p < 1) whose
 * argument reaches 0, where its gradient is infinite and becomes NaN
 * (LS410).  Each reads the analyzed IR: the intervals decide, so a
 * finding fires only where it is provable.
 */
#include "hazards.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "dcp.h"
#include "fmt.h"
#include "losses.h"
#include "ops.h"
#include "xalloc.h"

static const source *src_of(const ir_loss *l) { return l->file->src; }

/* The expression at a span as lossc fmt writes it, cut to fit buf (for
   messages; a fix takes fmt_span_text's whole text). */
static const char *span_text(const ir_loss *l, span sp, char *buf, size_t size)
{
	return fmt_span_quote(src_of(l), l->loss, sp, buf, size);
}

static int inside(span in, span out) { return out.start <= in.start && in.end <= out.end; }

/* LS331: an output the value never uses gets no gradient: the model part
   that produces it is not trained by this loss. */
static void unused_outputs(const ir_loss *l, diag_list *diags)
{
	for (const ast_item *it = l->loss->items; it; it = it->next)
		if (it->kind == IT_OUTPUT && it->name.s && !ir_uses_item(l, it))
			diag_code(diags, src_of(l), it->name.span, "LS331",
				  "output '%s' is not used by the value: its gradient is always 0, so this loss "
				  "does not train what produces it", it->name.s);
}

/* LS332: kl_div(logq, p) reads logq as log-probabilities.  Fires only
   where that is provably wrong: a softmax or sigmoid (probabilities), or
   a value that is never negative and somewhere positive (log q <= 0 for a
   probability q); a plain real output may be log-probabilities. */
static void kl_inputs(const ir_loss *l, diag_list *diags)
{
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		if (!n->call || strcmp(n->call->loss->sig.name, "kl_div") || !n->call->args[0])
			continue;
		const ir_node *q = n->call->args[0];
		int prob_op = q->op == IR_SOFTMAX || q->op == IR_SIGMOID;
		if (!prob_op && !(q->iv.lo >= 0 && q->iv.hi > 0))
			continue;
		char e[96], iv[64];
		diag *d = diag_code(diags, src_of(l), inside(q->span, n->span) ? q->span : n->span, "LS332",
				    "kl_div's first argument must be log-probabilities, but %s is %s",
				    span_text(l, q->span, e, sizeof e),
				    prob_op ? "a probability" : (iv_str(q->iv, iv, sizeof iv), "never negative"));
		if (d && q->op == IR_SOFTMAX && inside(q->span, n->span) && inside(q->args[0]->span, q->span)) {
			char *arg = fmt_span_text(src_of(l), l->loss, q->args[0]->span);
			char *fix = xmalloc(strlen(arg) + sizeof "log_softmax()");
			sprintf(fix, "log_softmax(%s)", arg);
			diag_set_unsafe_fix(d, q->span, fix);   /* it changes the value the loss computes */
			free(fix);
			free(arg);
		}
	}
}

/* v when s is sum(square(v)) or dot(v, v) written in place, else NULL. */
static const ir_node *sum_of_squares(const ir_node *s)
{
	if (s->op == IR_SUM && s->args[0]->op == IR_SQUARE)
		return s->args[0]->args[0];
	if (s->op == IR_DOT && dcp_same_value(s->args[0], s->args[1]))
		return s->args[0];
	return NULL;
}

/* n is a square root of its operand 0 (sqrt, x ^ 0.5), by its row's
   evaluator with the other operands at their constant values. */
static int square_root(const ir_node *n)
{
	const op_info *row = ops_row(n->op);
	long double at[OP_MAX_ARGS];
	if (row->kind != OK_ELEM || !row->eval || n->nargs > OP_MAX_ARGS)
		return 0;
	for (unsigned k = 1; k < n->nargs; k++) {
		const ir_node *c = n->args[k];
		if (c->op != IR_CONST || c->vals)
			return 0;
		at[k] = c->num;
	}
	at[0] = 4;
	long double r4 = row->eval(at);
	at[0] = 9;
	return r4 == 2 && row->eval(at) == 3;
}

/* LS410: sqrt, and x^p for 0 < p < 1, have an infinite slope at 0 (the
   rows say so: inf_slope); where the argument depends on the outputs and
   can be exactly 0 (its interval starts at 0), the gradient there is
   inf, and NaN once multiplied by a 0.  A negative argument is LS304's;
   a root of a sum of squares (sqrt, or ^ 0.5) is norm2, whose gradient
   is defined (0) at the zero vector: the fix. */
static void infinite_slopes(const ir_loss *l, diag_list *diags)
{
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		const op_info *row = ops_row(n->op);
		if (!row->inf_slope || n->curv == CURV_CONST || !row->inf_slope(n))
			continue;
		const ir_node *x = n->args[0];
		if (x->curv == CURV_CONST || x->iv.lo != 0 || x->iv.lo_open || x->iv.hi <= 0)
			continue;
		char e[96];
		diag *d = diag_code(diags, src_of(l), n->span, "LS410",
				    "the gradient of %s, and %s reaches 0: the gradient is inf or NaN there",
				    row->inf_slope_what, span_text(l, x->span, e, sizeof e));
		const ir_node *v = sum_of_squares(x);
		if (d && v && square_root(n) && inside(x->span, n->span) && inside(v->span, x->span)) {
			char *arg = fmt_span_text(src_of(l), l->loss, v->span);
			char *fix = xmalloc(strlen(arg) + sizeof "norm2()");
			sprintf(fix, "norm2(%s)", arg);
			diag_set_fix(d, n->span, fix);
			free(fix);
			free(arg);
		}
	}
}

void hazards_check(const ir_loss *l, diag_list *diags)
{
	if (!l->root)
		return;
	unused_outputs(l, diags);
	kl_inputs(l, diags);
	infinite_slopes(l, diags);
}
