/*
 * stability.c: the numerically unstable spellings, LS401-LS404, matched
 * on the syntax tree of a loss's value, lets and params: log(softmax(x)),
 * log(sigmoid(x)), log(1 + x), log(1 + exp(x)) and log1p(exp(x)) (to
 * softplus), exp(x) - 1, log(sum(exp(x))), bce(sigmoid(x), t).  Each finding carries a machine-applicable fix
 * that rewrites the text the user wrote (not our expansion of it), which
 * is why this pass reads the AST, not the IR.
 */
#include "stability.h"

#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "fmt.h"

typedef struct pctx {
	const ast_file *f;
	diag_list *diags;
	const ast_decl *loss;
} pctx;

/*
 * An expression as lossc fmt writes it, on one line: a message or a fix
 * that quotes it then reads the same however the input was laid out (and
 * never spans lines).
 */
#define EXPR_TEXT_MAX 256
static const char *expr_text(const pctx *p, const ast_expr *e, char *buf, size_t *len)
{
	size_t n = fmt_expr_text(p->f->src, e, buf, EXPR_TEXT_MAX);
	*len = n < EXPR_TEXT_MAX ? n : EXPR_TEXT_MAX - 1;
	return buf;
}

/* The expression a name stands for when it names a let (lets mean their
   expression); *through is set when a let was followed. */
static const ast_expr *see(const pctx *p, const ast_expr *e, int *through)
{
	for (int guard = 0; e && e->kind == EX_NAME && guard < 32; guard++) {
		const ast_item *it = e->name.item;    /* the resolver's link, as in ir.c */
		(void)p;
		if (!it || it->kind != IT_LET || !it->expr)
			return e;
		e = it->expr;
		*through = 1;
	}
	return e;
}

static int is_call(const ast_expr *e, const char *name, size_t nargs)
{
	return e && e->kind == EX_CALL && e->name.s && !strcmp(e->name.s, name) && e->nargs == nargs
	       && !e->args[0].name.s;
}

static int is_num(const ast_expr *e, double v) { return e && e->kind == EX_NUM && e->num == v; }

/* Replacement text: pre, the text of x, mid, the text of y, post. */
static void fix_text(const pctx *p, char *buf, size_t size, const char *pre, const ast_expr *x,
		     const char *mid, const ast_expr *y, const char *post)
{
	size_t lx = 0, ly = 0;
	char bx[EXPR_TEXT_MAX], by[EXPR_TEXT_MAX];
	const char *tx = x ? expr_text(p, x, bx, &lx) : "";
	const char *ty = y ? expr_text(p, y, by, &ly) : "";
	snprintf(buf, size, "%s%.*s%s%.*s%s", pre, (int)lx, tx, mid, (int)ly, ty, post);
}

static void pattern(pctx *p, const ast_expr *e, int via_let)
{
	char fix[1024];
	const char *code = NULL, *gen_pat = "", *why = "", *gen_use = "";
	int th = via_let;
	if (!e)
		return;
	if (is_call(e, "log", 1)) {
		const ast_expr *a = see(p, e->args[0].value, &th);
		const ast_expr *s = NULL, *x = NULL, *y = NULL;
		if (is_call(a, "softmax", 1)) {
			x = a->args[0].value;
			code = "LS401";
			gen_pat = "log(softmax(x))";
			why = "loses precision and can give log(0)";
			gen_use = "log_softmax(x)";
			fix_text(p, fix, sizeof fix, "log_softmax(", x, "", NULL, ")");
		} else if (a && a->kind == EX_INDEX && is_call(s = see(p, a->a, &th), "softmax", 1)) {
			x = s->args[0].value;
			code = "LS401";
			gen_pat = "log(softmax(x)[c])";
			why = "loses precision and can give log(0)";
			gen_use = "log_softmax(x)[c]";
			if (a->name.s) {        /* a[label]: the index is a name */
				fix_text(p, fix, sizeof fix, "log_softmax(", x, ")[", NULL, "");
				snprintf(fix + strlen(fix), sizeof fix - strlen(fix), "%.*s]", (int)a->name.len, a->name.s);
			} else {                /* a[k] for any other index: its expression */
				fix_text(p, fix, sizeof fix, "log_softmax(", x, ")[", a->b, "]");
			}
		} else if (is_call(a, "sigmoid", 1)) {
			x = a->args[0].value;
			code = "LS402";
			gen_pat = "log(sigmoid(x))";
			why = "underflows to log(0) when its argument is very negative";
			gen_use = "log_sigmoid(x)";
			fix_text(p, fix, sizeof fix, "log_sigmoid(", x, "", NULL, ")");
		} else if (a && a->kind == EX_SUB && is_num(a->a, 1) && is_call(see(p, a->b, &th), "sigmoid", 1)) {
			x = see(p, a->b, &th)->args[0].value;
			code = "LS402";
			gen_pat = "log(1 - sigmoid(x))";
			why = "underflows to log(0) when the argument is large";
			gen_use = "log_sigmoid(-x)";
			{
				int simple = x->kind == EX_NAME || x->kind == EX_CALL || x->kind == EX_NUM || x->kind == EX_INDEX;
				fix_text(p, fix, sizeof fix, simple ? "log_sigmoid(-" : "log_sigmoid(-(", x, "", NULL,
					 simple ? ")" : "))");
			}
		} else if (a && a->kind == EX_ADD && (is_num(a->a, 1) || is_num(a->b, 1))
			   && is_call(see(p, is_num(a->a, 1) ? a->b : a->a, &th), "exp", 1)) {
			/* log(1 + exp(x)): log1p(exp(x)) would still overflow */
			x = see(p, is_num(a->a, 1) ? a->b : a->a, &th)->args[0].value;
			code = "LS403";
			gen_pat = "log(1 + exp(x))";
			why = "overflows when the argument is large";
			gen_use = "softplus(x)";
			fix_text(p, fix, sizeof fix, "softplus(", x, "", NULL, ")");
		} else if (a && a->kind == EX_ADD && (is_num(a->a, 1) || is_num(a->b, 1))) {
			x = is_num(a->a, 1) ? a->b : a->a;
			code = "LS403";
			gen_pat = "log(1 + x)";
			why = "loses the digits of a small argument";
			gen_use = "log1p(x)";
			fix_text(p, fix, sizeof fix, "log1p(", x, "", NULL, ")");
		} else if (is_call(a, "sum", 1) && is_call(see(p, a->args[0].value, &th), "exp", 1)) {
			x = see(p, a->args[0].value, &th)->args[0].value;
			code = "LS404";
			gen_pat = "log(sum(exp(x)))";
			why = "overflows when an element is large";
			gen_use = "logsumexp(x)";
			fix_text(p, fix, sizeof fix, "logsumexp(", x, "", NULL, ")");
		} else if (a && a->kind == EX_ADD && is_call(see(p, a->a, &th), "exp", 1) && is_call(see(p, a->b, &th), "exp", 1)) {
			x = see(p, a->a, &th)->args[0].value;
			y = see(p, a->b, &th)->args[0].value;
			code = "LS404";
			gen_pat = "log(exp(a) + exp(b))";
			why = "overflows when an argument is large";
			gen_use = "logsumexp([a, b])";
			fix_text(p, fix, sizeof fix, "logsumexp([", x, ", ", y, "])");
		}
	} else if (is_call(e, "log1p", 1) && is_call(see(p, e->args[0].value, &th), "exp", 1)) {
		const ast_expr *x = see(p, e->args[0].value, &th)->args[0].value;
		code = "LS403";
		gen_pat = "log1p(exp(x))";
		why = "overflows when the argument is large";
		gen_use = "softplus(x)";
		fix_text(p, fix, sizeof fix, "softplus(", x, "", NULL, ")");
	} else if (e->kind == EX_SUB && is_num(e->b, 1) && is_call(see(p, e->a, &th), "exp", 1)) {
		const ast_expr *x = see(p, e->a, &th)->args[0].value;
		code = "LS403";
			gen_pat = "exp(x) - 1";
			why = "loses the digits of a small argument";
			gen_use = "expm1(x)";
		fix_text(p, fix, sizeof fix, "expm1(", x, "", NULL, ")");
	} else if (e->kind == EX_CALL && e->name.s && !strcmp(e->name.s, "bce") && e->nargs >= 1 && !e->args[0].name.s
		   && is_call(see(p, e->args[0].value, &th), "sigmoid", 1)) {
		const ast_expr *x = see(p, e->args[0].value, &th)->args[0].value;
		code = "LS402";
			gen_pat = "bce(sigmoid(x), t)";
			why = "loses precision when the logit is large";
			gen_use = "bce_with_logits(x, t)";
		/* the other arguments as they are */
		fix_text(p, fix, sizeof fix, "bce_with_logits(", x, "", NULL, "");
		for (size_t i = 1; i < e->nargs; i++) {
			size_t k = strlen(fix), la;
			char ba[EXPR_TEXT_MAX];
			const char *ta = expr_text(p, e->args[i].value, ba, &la);
			snprintf(fix + k, sizeof fix - k, ", %s%s%.*s", e->args[i].name.s ? e->args[i].name.s : "",
				 e->args[i].name.s ? "=" : "", (int)la, ta);
		}
		snprintf(fix + strlen(fix), sizeof fix - strlen(fix), ")");
	}
	if (code) {
		/* Name the user's own text and its rewrite when they are short
		   and the pattern was written in place (not through a let). */
		size_t n;
		char bt[EXPR_TEXT_MAX];
		const char *txt = expr_text(p, e, bt, &n);
		diag *d;
		if (!th && n <= 60 && strlen(fix) <= 60)
			d = diag_code(p->diags, p->f->src, e->span, code, "%.*s %s; use %s", (int)n, txt, why, fix);
		else
			d = diag_code(p->diags, p->f->src, e->span, code, "%s %s; use %s", gen_pat, why, gen_use);
		if (d && !th)
			diag_set_fix(d, e->span, fix);
	}

	/* recurse into the written sub-expressions (not through lets: each let
	   is visited once on its own) */
	pattern(p, e->a, via_let);
	pattern(p, e->b, via_let);
	for (size_t i = 0; i < e->nargs; i++)
		pattern(p, e->args[i].value, via_let);
	for (size_t i = 0; i < e->nelems; i++)
		pattern(p, e->elems[i], via_let);
}

void stability_check(const ast_file *f, const ast_decl *loss, diag_list *diags)
{
	pctx p = { f, diags, loss };
	for (const ast_item *it = loss->items; it; it = it->next)
		if (it->kind == IT_VALUE || it->kind == IT_LET || it->kind == IT_PARAM)
			pattern(&p, it->expr, 0);
}
