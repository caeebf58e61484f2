/*
 * test_parser.c: parse_source() end to end: every construct of the
 * LossSpec grammar, operator precedence, joined strings and their segment
 * map, contextual keywords, node spans, error recovery and its messages,
 * the error cap, nesting bounds, bad dimensions and bad bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ast.h"
#include "parse.h"

typedef struct run {
	source src;
	diag_list dl;
	ast_file *f;
} run;

static run *parse_buf(const char *text, size_t len, int max_errors)
{
	run *r = calloc(1, sizeof *r);
	assert_non_null(r);
	source_from_buffer(&r->src, "t.loss", text, len);
	diag_list_init(&r->dl);
	r->f = parse_source(&r->src, &r->dl, max_errors);
	assert_non_null(r->f);
	return r;
}

static run *parse_str(const char *text)
{
	return parse_buf(text, strlen(text), PARSE_DEFAULT_MAX_ERRORS);
}

static void run_free(run *r)
{
	ast_file_free(r->f);
	diag_list_free(&r->dl);
	source_free(&r->src);
	free(r);
}

/* The source text a span covers, for readable assertions. */
static const char *span_text(const run *r, span sp)
{
	static char buf[256];
	size_t n = sp.end - sp.start;
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, r->src.text + sp.start, n);
	buf[n] = '\0';
	return buf;
}

static void expect_finding(const run *r, size_t i, const char *code, unsigned long line,
			   unsigned long col, const char *msg)
{
	assert_true(i < r->dl.n);
	const diag *d = &r->dl.items[i];
	assert_string_equal(d->code, code);
	src_pos p = source_pos(&r->src, d->span.start);
	assert_int_equal(p.line, line);
	assert_int_equal(p.col, col);
	if (msg)
		assert_string_equal(d->message, msg);
}

/* Appends to buf[0..size) at *used, truncating silently. */
static void sb_add(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
	if (*used >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *used, size - *used, fmt, ap);
	va_end(ap);
	if (n > 0)
		*used += (size_t)n;
}

/* Fully parenthesised rendering of an expression. */
static void ex_put(const ast_expr *e, char *buf, size_t size, size_t *used)
{
	switch (e->kind) {
	case EX_NUM:
		sb_add(buf, size, used, "%g", e->num);
		return;
	case EX_NAME:
		sb_add(buf, size, used, "%s", e->name.s);
		return;
	case EX_NEG:
		sb_add(buf, size, used, "(-");
		ex_put(e->a, buf, size, used);
		sb_add(buf, size, used, ")");
		return;
	case EX_ADD: case EX_SUB: case EX_MUL: case EX_DIV: case EX_POW:
		sb_add(buf, size, used, "(");
		ex_put(e->a, buf, size, used);
		sb_add(buf, size, used, " %c ", "+-*/^"[e->kind - EX_ADD]);
		ex_put(e->b, buf, size, used);
		sb_add(buf, size, used, ")");
		return;
	case EX_INDEX:
		ex_put(e->a, buf, size, used);
		if (e->b) {
			sb_add(buf, size, used, "[");
			ex_put(e->b, buf, size, used);
			sb_add(buf, size, used, "]");
		} else {
			sb_add(buf, size, used, "[%s]", e->name.s);
		}
		return;
	case EX_MATMUL: case EX_LT: case EX_LE: case EX_GT: case EX_GE: case EX_EQ: case EX_NE: {
		static const char *const ops[] = {"@", "<", "<=", ">", ">=", "==", "!="};
		sb_add(buf, size, used, "(");
		ex_put(e->a, buf, size, used);
		sb_add(buf, size, used, " %s ", ops[e->kind - EX_MATMUL]);
		ex_put(e->b, buf, size, used);
		sb_add(buf, size, used, ")");
		return;
	}
	case EX_STR:
		sb_add(buf, size, used, "<str>");
		return;
	case EX_CALL:
		sb_add(buf, size, used, "%s(", e->name.s);
		for (size_t i = 0; i < e->nargs; i++) {
			sb_add(buf, size, used, "%s", i ? ", " : "");
			if (e->args[i].name.s)
				sb_add(buf, size, used, "%s=", e->args[i].name.s);
			ex_put(e->args[i].value, buf, size, used);
		}
		sb_add(buf, size, used, ")");
		return;
	case EX_VEC:
		sb_add(buf, size, used, "[");
		for (size_t i = 0; i < e->nelems; i++) {
			sb_add(buf, size, used, "%s", i ? ", " : "");
			ex_put(e->elems[i], buf, size, used);
		}
		sb_add(buf, size, used, "]");
		return;
	}
	sb_add(buf, size, used, "?");
}

static void ex_str(const ast_expr *e, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	ex_put(e, buf, size, &used);
}

/* Parses `value = EXPR;` inside a loss and renders the expression. */
static void expect_expr(const char *expr, const char *want)
{
	char text[1024], got[1024];
	snprintf(text, sizeof text, "loss l on d { value = %s; }", expr);
	run *r = parse_str(text);
	assert_int_equal(r->dl.n, 0);
	assert_non_null(r->f->decls);
	ast_item *v = ast_find_item(r->f->decls, IT_VALUE);
	assert_non_null(v);
	ex_str(v->expr, got, sizeof got);
	assert_string_equal(got, want);
	run_free(r);
}

static const char every_construct[] =
	"// every construct of LossSpec v1\n"
	"dataset d {\n"
	"    about \"Pairs.\";\n"
	"    input x: real[8] in [-1, 1.5];\n"
	"    input w: real;\n"
	"    label t: real[4];\n"
	"    label c: class[3];\n"
	"    label p: prob[3] in [0, 1];\n"
	"    label b: binary;\n"
	"    label s: sign;\n"
	"    source \"data/pairs.csv\";\n"
	"}\n"
	"/* a block\n   comment */\n"
	"loss fit on d {\n"
	"    about \"Huber error, \"\n"
	"          \"plus a penalty.\";\n"
	"    output r: real[4] in [-10, 10];\n"
	"    param delta: real = 0.5;\n"
	"    param wv: real[3] = [1, 2, 0.5];\n"
	"    let e = r - t;\n"
	"    value = huber(r, t, delta=delta) + 1e-3 * mean(square(e)) - wv[c];\n"
	"    reduce mean;\n"
	"    precision float64;\n"
	"    claim nonnegative, smooth, convex;\n"
	"}\n"
	"loss l2 on d { output z: real[3]; value = cross_entropy(z, p, label_smoothing=0.05); reduce sum; precision float32; }\n"
	"loss l3 on d { output u: real; value = u; reduce none; }\n"
	"goal g { about \"Predict well.\"; about \"Twice.\"; }\n"
	"goal empty { }\n"
	"rationale why for g {\n"
	"    about \"Because.\";\n"
	"    uses fit, l2;\n"
	"    setup \"Adam.\";\n"
	"    because \"Reasons.\";\n"
	"}\n"
	"agent a1 { about \"A.\"; trained_by fit; cares_about predictions; }\n"
	"agent a2 { trained_by l2; cares_about goal g; }\n"
	"agent a3 { trained_by l3; cares_about register; }\n"
	"agent a4 { cares_about other \"the vote\" \" of three\"; }\n";

static void test_every_construct(void **state)
{
	(void)state;
	run *r = parse_str(every_construct);
	assert_int_equal(r->dl.n, 0);
	assert_int_equal(r->f->syntax_errors, 0);

	const ast_decl_kind kinds[] = {DECL_DATASET, DECL_LOSS, DECL_LOSS, DECL_LOSS, DECL_GOAL,
				       DECL_GOAL, DECL_RATIONALE, DECL_AGENT, DECL_AGENT,
				       DECL_AGENT, DECL_AGENT};
	const char *names[] = {"d", "fit", "l2", "l3", "g", "empty", "why", "a1", "a2", "a3", "a4"};
	size_t i = 0;
	for (ast_decl *d = r->f->decls; d; d = d->next, i++) {
		assert_true(i < 11);
		assert_int_equal(d->kind, kinds[i]);
		assert_string_equal(d->name.s, names[i]);
		assert_string_equal(span_text(r, d->kw), ast_decl_kind_name(d->kind));
		assert_int_equal(r->src.text[d->span.end - 1], '}');
	}
	assert_int_equal(i, 11);

	ast_decl *ds = r->f->decls;
	ast_item *it = ds->items;
	assert_int_equal(it->kind, IT_ABOUT);
	assert_string_equal(it->text.bytes, "Pairs.");
	it = it->next;
	assert_int_equal(it->kind, IT_INPUT);
	assert_string_equal(it->name.s, "x");
	assert_int_equal(it->type.kind, TY_REAL);
	assert_int_equal(it->type.dim, 8);
	assert_true(it->range.present);
	assert_true(it->range.lo == -1.0 && it->range.hi == 1.5);
	assert_string_equal(span_text(r, it->range.span), "in [-1, 1.5]");
	assert_string_equal(span_text(r, it->span), "input x: real[8] in [-1, 1.5];");
	assert_string_equal(span_text(r, it->kw), "input");
	assert_string_equal(span_text(r, it->type.span), "real[8]");
	it = it->next;
	assert_int_equal(it->type.kind, TY_REAL);
	assert_int_equal(it->type.dim, 0);
	assert_false(it->range.present);
	char tb[32];
	const char *types[] = {"real[4]", "class[3]", "prob[3]", "binary", "sign"};
	for (int k = 0; k < 5; k++) {
		it = it->next;
		assert_int_equal(it->kind, IT_LABEL);
		assert_string_equal(ast_type_str(&it->type, tb, sizeof tb), types[k]);
	}
	it = it->next;
	assert_int_equal(it->kind, IT_SOURCE);
	assert_string_equal(it->text.bytes, "data/pairs.csv");
	assert_null(it->next);

	ast_decl *fit = ds->next;
	assert_string_equal(fit->target.s, "d");
	assert_string_equal(span_text(r, fit->target.span), "d");
	assert_string_equal(ast_find_item(fit, IT_ABOUT)->text.bytes,
			    "Huber error, plus a penalty.");
	assert_int_equal(ast_find_item(fit, IT_REDUCE)->choice, RED_MEAN);
	assert_string_equal(span_text(r, ast_find_item(fit, IT_REDUCE)->choice_span), "mean");
	assert_int_equal(ast_find_item(fit, IT_PRECISION)->choice, PREC_FLOAT64);
	ast_item *claim = ast_find_item(fit, IT_CLAIM);
	assert_int_equal(claim->nnames, 3);
	assert_string_equal(claim->names[2].s, "convex");
	assert_string_equal(span_text(r, claim->names[1].span), "smooth");
	ast_item *param = ast_find_item(fit, IT_PARAM);
	assert_string_equal(param->name.s, "delta");
	assert_true(param->expr->kind == EX_NUM && param->expr->num == 0.5);
	assert_int_equal(param->next->expr->kind, EX_VEC);
	assert_int_equal(param->next->expr->nelems, 3);
	char buf[512];
	ex_str(ast_find_item(fit, IT_VALUE)->expr, buf, sizeof buf);
	assert_string_equal(buf, "((huber(r, t, delta=delta) + (0.001 * mean(square(e)))) - wv[c])");
	ast_item *let = ast_find_item(fit, IT_LET);
	assert_string_equal(let->name.s, "e");
	assert_null(ast_find_item(fit, IT_USES));

	ast_decl *l2 = fit->next;
	assert_int_equal(ast_find_item(l2, IT_REDUCE)->choice, RED_SUM);
	assert_int_equal(ast_find_item(l2, IT_PRECISION)->choice, PREC_FLOAT32);
	ast_expr *ce = ast_find_item(l2, IT_VALUE)->expr;
	assert_int_equal(ce->nargs, 3);
	assert_string_equal(ce->args[2].name.s, "label_smoothing");
	assert_string_equal(span_text(r, ce->args[2].span), "label_smoothing=0.05");
	assert_null(ce->args[0].name.s);
	assert_int_equal(ast_find_item(l2->next, IT_REDUCE)->choice, RED_NONE);

	ast_decl *g = l2->next->next;
	assert_int_equal(g->items->next->kind, IT_ABOUT);
	assert_null(g->next->items);

	ast_decl *why = g->next->next;
	assert_string_equal(why->target.s, "g");
	ast_item *uses = ast_find_item(why, IT_USES);
	assert_int_equal(uses->nnames, 2);
	assert_string_equal(uses->names[0].s, "fit");
	assert_string_equal(uses->names[1].s, "l2");
	assert_string_equal(ast_find_item(why, IT_SETUP)->text.bytes, "Adam.");
	assert_string_equal(ast_find_item(why, IT_BECAUSE)->text.bytes, "Reasons.");

	ast_decl *a1 = why->next;
	assert_string_equal(ast_find_item(a1, IT_TRAINED_BY)->name.s, "fit");
	ast_item *care = ast_find_item(a1, IT_CARES_ABOUT);
	assert_int_equal(care->choice, CARE_PREDICTIONS);
	assert_string_equal(span_text(r, care->span), "cares_about predictions;");
	assert_string_equal(span_text(r, care->kw), "cares_about");
	assert_string_equal(span_text(r, care->choice_span), "predictions");
	care = ast_find_item(a1->next, IT_CARES_ABOUT);
	assert_int_equal(care->choice, CARE_GOAL);
	assert_string_equal(care->name.s, "g");
	assert_int_equal(ast_find_item(a1->next->next, IT_CARES_ABOUT)->choice, CARE_REGISTER);
	care = ast_find_item(a1->next->next->next, IT_CARES_ABOUT);
	assert_int_equal(care->choice, CARE_OTHER);
	assert_string_equal(care->text.bytes, "the vote of three");
	run_free(r);
}

/* ---- LossSpec v2 ---------------------------------------------------- */

static const char v2_constructs[] =
	"dataset d {\n"
	"    size V;\n"
	"    input x: real[V] in [0, 1];\n"
	"    input q: real[3, V] per batch;\n"
	"    label y: class[V];\n"
	"    label p: prob[V];\n"
	"}\n"
	"loss l on d {\n"
	"    batch B;\n"
	"    size D;\n"
	"    output u: real[D];\n"
	"    output s: real in [-5, 5] per batch;\n"
	"    output m: real[D, 4] per batch;\n"
	"    value = where(u[0] > s, u @ m, 0)[y] + f(x, reduction=\"none\");\n"
	"    reduce mean weight x[-1] * 2;\n"
	"}\n";

static void test_v2_constructs(void **state)
{
	(void)state;
	char tb[64];
	run *r = parse_str(v2_constructs);
	assert_int_equal(r->dl.n, 0);
	ast_decl *ds = r->f->decls;
	ast_item *it = ds->items;
	assert_int_equal(it->kind, IT_SIZE);
	assert_string_equal(it->name.s, "V");
	assert_string_equal(span_text(r, it->kw), "size");
	it = it->next;
	assert_int_equal(it->type.dim, AST_DIM_SIZES);
	assert_int_equal(it->type.nsizes, 1);
	assert_string_equal(it->type.sizes[0].name.s, "V");
	assert_string_equal(span_text(r, it->type.sizes[0].name.span), "V");
	assert_true(it->range.present);
	assert_int_equal(it->choice, LEVEL_EXAMPLE);
	assert_string_equal(ast_type_str(&it->type, tb, sizeof tb), "real[V]");
	it = it->next;
	assert_int_equal(it->type.nsizes, 2);
	assert_int_equal(it->type.sizes[0].n, 3);
	assert_null(it->type.sizes[0].name.s);
	assert_string_equal(ast_type_str(&it->type, tb, sizeof tb), "real[3, V]");
	assert_int_equal(it->choice, LEVEL_BATCH);
	assert_string_equal(span_text(r, it->choice_span), "per batch");
	it = it->next;
	assert_string_equal(ast_type_str(&it->type, tb, sizeof tb), "class[V]");
	it = it->next;
	assert_string_equal(ast_type_str(&it->type, tb, sizeof tb), "prob[V]");

	ast_decl *l = ds->next;
	it = l->items;
	assert_int_equal(it->kind, IT_BATCH);
	assert_string_equal(it->name.s, "B");
	assert_int_equal(it->next->kind, IT_SIZE);
	it = it->next->next;
	assert_string_equal(ast_type_str(&it->type, tb, sizeof tb), "real[D]");
	assert_int_equal(it->choice, LEVEL_EXAMPLE);
	it = it->next;
	assert_int_equal(it->type.dim, 0);
	assert_true(it->range.present);
	assert_int_equal(it->choice, LEVEL_BATCH);
	assert_string_equal(span_text(r, it->span), "output s: real in [-5, 5] per batch;");
	it = it->next;
	assert_string_equal(ast_type_str(&it->type, tb, sizeof tb), "real[D, 4]");

	ast_item *v = ast_find_item(l, IT_VALUE);
	char got[256];
	ex_str(v->expr, got, sizeof got);
	assert_string_equal(got, "(where((u[0] > s), (u @ m), 0)[y] + f(x, reduction=<str>))");
	/* The v1 form for a bare-name index; any other index is b. */
	const ast_expr *ix = v->expr->a;
	assert_int_equal(ix->kind, EX_INDEX);
	assert_null(ix->b);
	assert_string_equal(ix->name.s, "y");
	const ast_expr *call = ix->a;
	assert_int_equal(call->args[0].value->kind, EX_GT);
	assert_int_equal(call->args[0].value->a->kind, EX_INDEX);
	assert_non_null(call->args[0].value->a->b);
	assert_null(call->args[0].value->a->name.s);
	const ast_expr *str = v->expr->b->args[1].value;
	assert_int_equal(str->kind, EX_STR);
	assert_string_equal(span_text(r, str->span), "\"none\"");

	ast_item *red = ast_find_item(l, IT_REDUCE);
	assert_int_equal(red->choice, RED_MEAN);
	assert_non_null(red->expr);
	assert_string_equal(span_text(r, red->expr->span), "x[-1] * 2");
	ex_str(red->expr, got, sizeof got);
	assert_string_equal(got, "(x[(-1)] * 2)");
	run_free(r);
}

static void test_v2_precedence(void **state)
{
	(void)state;
	/* @ binds as * and /, left to right, as in Python. */
	expect_expr("s * u @ w", "((s * u) @ w)");
	expect_expr("u @ w * s", "((u @ w) * s)");
	expect_expr("a + u @ w", "(a + (u @ w))");
	expect_expr("u @ w ^ 2", "(u @ (w ^ 2))");
	/* Comparisons bind loosest. */
	expect_expr("a + b < c * d", "((a + b) < (c * d))");
	expect_expr("-a <= b", "((-a) <= b)");
	expect_expr("y == -100", "(y == (-100))");
	expect_expr("y != 3", "(y != 3)");
	expect_expr("a >= b", "(a >= b)");
	expect_expr("where(a > b, a, b)", "where((a > b), a, b)");
	/* Indexes. */
	expect_expr("z[3]", "z[3]");
	expect_expr("z[-1]", "z[(-1)]");
	expect_expr("z[y]", "z[y]");
	expect_expr("d[arange(B)]", "d[arange(B)]");
	expect_expr("z[(y)]", "z[y]");
	/* The new keywords stay names. */
	expect_expr("size + batch * per - weight", "((size + (batch * per)) - weight)");
	run *r = parse_str("dataset size { input batch: real; label weight: class[2]; }\n"
			   "loss per on size { output size: real; value = per(batch)[weight]; }\n");
	assert_int_equal(r->dl.n, 0);
	run_free(r);
}

/* The ten reference cases of LossSpec v2 parse without a finding. */
static void test_v2_reference_cases(void **state)
{
	(void)state;
	static const char *cases[] = {
		"bradley_terry", "clip", "distill", "dpo", "infonce", "ppo_clip",
		"token_ce", "triplet_hardest", "vae_elbo", "weighted_mse",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/tests/v2/%s.loss", LOSSC_SRCDIR, cases[i]);
		run *r = calloc(1, sizeof *r);
		assert_non_null(r);
		char why[256];
		assert_int_equal(source_read(&r->src, path, why, sizeof why), 0);
		diag_list_init(&r->dl);
		r->f = parse_source(&r->src, &r->dl, PARSE_DEFAULT_MAX_ERRORS);
		if (r->dl.n)
			fprintf(stderr, "%s: %s\n", path, r->dl.items[0].message);
		assert_int_equal(r->dl.n, 0);
		assert_non_null(ast_find_item(r->f->decls->next, IT_VALUE));
		run_free(r);
	}
}

static void test_empty_file_and_comments_only(void **state)
{
	(void)state;
	run *r = parse_str("");
	assert_int_equal(r->dl.n, 0);
	assert_null(r->f->decls);
	run_free(r);
	r = parse_str("// nothing\n/* here */\n");
	assert_int_equal(r->dl.n, 0);
	assert_null(r->f->decls);
	run_free(r);
}

static void test_precedence(void **state)
{
	(void)state;
	expect_expr("-x^2", "(-(x ^ 2))");
	expect_expr("a ^ b ^ c", "(a ^ (b ^ c))");
	expect_expr("a - b - c", "((a - b) - c)");
	expect_expr("a / b * c", "((a / b) * c)");
	expect_expr("a + b * c", "(a + (b * c))");
	expect_expr("a * b + c", "((a * b) + c)");
	expect_expr("-a * b", "((-a) * b)");
	expect_expr("a * -b", "(a * (-b))");
	expect_expr("- -a", "(-(-a))");
	expect_expr("2 ^ -x", "(2 ^ (-x))");
	expect_expr("-v[y]", "(-v[y])");
	expect_expr("f(x)[y] ^ 2", "(f(x)[y] ^ 2)");
	expect_expr("v[y][z]", "v[y][z]");
	expect_expr("(a + b) * c", "((a + b) * c)");
	expect_expr("[1, -2, a + b][c]", "[1, (-2), (a + b)][c]");
	expect_expr("f()", "f()");
	expect_expr("g(a, k = b ^ 2, [c])", "g(a, k=(b ^ 2), [c])");
	expect_expr("-w[c] * (1 - exp(lp)) ^ gamma * lp",
		    "(((-w[c]) * ((1 - exp(lp)) ^ gamma)) * lp)");
}

static void test_contextual_keywords(void **state)
{
	(void)state;
	/* Every keyword may name things and be called or indexed in an expression. */
	expect_expr("mean(v) + sum(v) - none + register * predictions",
		    "(((mean(v) + sum(v)) - none) + (register * predictions))");
	expect_expr("goal[other] ^ float32 / in(on, for = real)",
		    "((goal[other] ^ float32) / in(on, for=real))");
	run *r = parse_str(
		"dataset mean { input sum: real; label none: class[2]; }\n"
		"loss loss on mean { output in: real; let value = in; value = value; claim on, for; }\n"
		"rationale for for goal { uses loss; }\n"
		"goal goal { }\n"
		"agent agent { trained_by loss; cares_about goal goal; }\n");
	assert_int_equal(r->dl.n, 0);
	ast_decl *d = r->f->decls;
	assert_string_equal(d->name.s, "mean");
	assert_string_equal(d->items->name.s, "sum");
	assert_string_equal(d->next->name.s, "loss");
	assert_string_equal(d->next->target.s, "mean");
	assert_string_equal(ast_find_item(d->next, IT_LET)->name.s, "value");
	assert_string_equal(ast_find_item(d->next, IT_CLAIM)->names[1].s, "for");
	assert_string_equal(d->next->next->name.s, "for");
	assert_string_equal(d->next->next->target.s, "goal");
	assert_string_equal(ast_find_item(d->next->next->next->next, IT_CARES_ABOUT)->name.s, "goal");
	run_free(r);
}

/*
 * A text joined from two pieces on two lines, with escapes: each text byte
 * maps back to the source byte it came from.
 */
static void test_string_join_segment_map(void **state)
{
	(void)state;
	const char *src =
		"goal g {\n"
		"  about \"ab\\\"c\"\n"         /* line 2: piece 1 is "ab\"c" */
		"        \"d\\ne\";\n"          /* line 3: piece 2 is "d\ne" */
		"}\n";
	run *r = parse_str(src);
	assert_int_equal(r->dl.n, 0);
	const ast_text *t = &r->f->decls->items->text;
	assert_int_equal(t->len, 7);
	assert_memory_equal(t->bytes, "ab\"cd\ne", 8);
	const char *p1 = strchr(src, '"');           /* opening quote of piece 1 */
	const char *p2 = strchr(p1 + 7, '"');        /* opening quote of piece 2 */
	size_t q1 = (size_t)(p1 - src), q2 = (size_t)(p2 - src);
	size_t want[8] = {
		q1 + 1, q1 + 2,         /* a b */
		q1 + 3,                 /* \" maps to its backslash */
		q1 + 5,                 /* c, after the escape */
		q2 + 1,                 /* d, next piece, next line */
		q2 + 2,                 /* \n */
		q2 + 4,                 /* e */
		q2 + 5,                 /* k == len: the closing quote */
	};
	for (size_t k = 0; k <= t->len; k++)
		assert_int_equal(ast_text_src_off(t, k), want[k]);
	src_pos pe = source_pos(&r->src, ast_text_src_off(t, 6));
	assert_int_equal(pe.line, 3);
	assert_int_equal(pe.col, 13);

	/* Spans: an escape is covered whole; a span across pieces starts and ends in each. */
	span sp = ast_text_src_span(t, 2, 3);
	assert_int_equal(sp.start, q1 + 3);
	assert_int_equal(sp.end, q1 + 5);
	sp = ast_text_src_span(t, 3, 5);
	assert_int_equal(sp.start, q1 + 5);
	assert_int_equal(sp.end, q2 + 2);
	sp = ast_text_src_span(t, 0, 2);
	assert_string_equal(span_text(r, sp), "ab");
	assert_string_equal(span_text(r, t->span), "\"ab\\\"c\"\n        \"d\\ne\"");
	run_free(r);
}

static void test_string_with_utf8_and_empty_pieces(void **state)
{
	(void)state;
	run *r = parse_str("goal g { about \"\" \"caf\xc3\xa9 \" \"\" \"x\"; }");
	assert_int_equal(r->dl.n, 0);
	const ast_text *t = &r->f->decls->items->text;
	assert_string_equal(t->bytes, "caf\xc3\xa9 x");
	/* 'x' (text byte 6) lies in the last piece, after two empty ones. */
	assert_int_equal(r->src.text[ast_text_src_off(t, 6)], 'x');
	src_pos p = source_pos(&r->src, ast_text_src_off(t, 6));
	assert_int_equal(p.col, 31);
	run_free(r);
}

/*
 * Property: over random pieces of letters, UTF-8 and every escape (known
 * and unknown), the joined text is the decoded bytes, and every text byte
 * maps back to the source byte it came from (an escape's output to its
 * backslash), the end of the text to the last closing quote.
 */
static void test_string_join_matches_a_byte_by_byte_decoding(void **state)
{
	(void)state;
	static const char *const tok[] = {"a", "b", "\xc3\xa9", "\\\\", "\\\"", "\\n", "\\t", "\\q"};
	static const char dec[] = {'a', 'b', 0, '\\', '"', '\n', '\t', 0};
	unsigned long seed = 7;
	for (int iter = 0; iter < 2000; iter++) {
		char src[512], want[256];
		size_t wsrc[256], n = 0, w = 0, last_quote = 0;
		int pieces;
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		pieces = 1 + (int)((seed >> 33) % 3);
		n = (size_t)snprintf(src, sizeof src, "goal g {\n  about");
		for (int p = 0; p < pieces; p++) {
			int ntok;
			src[n++] = p ? '\n' : ' ';
			src[n++] = '"';
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			ntok = (int)((seed >> 33) % 8);
			for (int i = 0; i < ntok; i++) {
				size_t k, o = n;
				seed = seed * 6364136223846793005UL + 1442695040888963407UL;
				k = (size_t)((seed >> 33) % 8);
				memcpy(src + n, tok[k], strlen(tok[k]));
				n += strlen(tok[k]);
				if (dec[k]) {                   /* one byte, at the token's start */
					want[w] = dec[k];
					wsrc[w++] = o;
				} else {                        /* its bytes as written */
					for (size_t j = o; j < n; j++) {
						want[w] = src[j];
						wsrc[w++] = j;
					}
				}
			}
			last_quote = n;
			src[n++] = '"';
		}
		n += (size_t)snprintf(src + n, sizeof src - n, ";\n}\n");
		run *r = parse_buf(src, n, PARSE_DEFAULT_MAX_ERRORS);
		assert_non_null(r->f->decls);
		const ast_text *t = &r->f->decls->items->text;
		assert_int_equal(t->len, w);
		assert_memory_equal(t->bytes, want, w);
		assert_int_equal(t->bytes[w], '\0');
		for (size_t k = 0; k < w; k++)
			assert_int_equal(ast_text_src_off(t, k), wsrc[k]);
		assert_int_equal(ast_text_src_off(t, w), last_quote);
		run_free(r);
	}
}

static void test_expression_spans(void **state)
{
	(void)state;
	run *r = parse_str("loss l on d {\n    value = 2 * log(z - t) + -(y)^2;\n}\n");
	assert_int_equal(r->dl.n, 0);
	ast_item *v = r->f->decls->items;
	assert_string_equal(span_text(r, v->span), "value = 2 * log(z - t) + -(y)^2;");
	ast_expr *e = v->expr;
	assert_int_equal(e->kind, EX_ADD);
	assert_string_equal(span_text(r, e->span), "2 * log(z - t) + -(y)^2");
	ast_expr *call = e->a->b;
	assert_int_equal(call->kind, EX_CALL);
	assert_string_equal(span_text(r, call->span), "log(z - t)");
	assert_string_equal(span_text(r, call->name.span), "log");
	assert_string_equal(span_text(r, call->args[0].value->span), "z - t");
	assert_string_equal(span_text(r, call->args[0].value->b->span), "t");
	src_pos p = source_pos(&r->src, call->span.start);
	assert_int_equal(p.line, 2);
	assert_int_equal(p.col, 17);
	assert_string_equal(span_text(r, e->b->span), "-(y)^2");
	/* A parenthesised expression's span includes its parentheses. */
	assert_string_equal(span_text(r, e->b->a->a->span), "(y)");
	run_free(r);
}

static void test_three_errors_recover(void **state)
{
	(void)state;
	run *r = parse_str(
		"dataset d {\n"
		"    about \"a colon is missing\";\n"
		"    input x real[2];\n"
		"    label y: class[2];\n"
		"}\n"
		"goal h { about ; }\n"
		"loss l on d { value = (x + ; reduce mean; }\n"
		"goal ok { about \"after the errors\"; }\n");
	assert_int_equal(r->dl.n, 3);
	assert_int_equal(r->f->syntax_errors, 3);
	expect_finding(r, 0, "LS001", 3, 13, "expected ':' before 'real'");
	expect_finding(r, 1, "LS001", 6, 16, "expected a string before ';'");
	expect_finding(r, 2, "LS001", 7, 28, "expected an expression before ';'");
	/* What surrounds the errors is still in the tree. */
	ast_decl *d = r->f->decls;
	assert_string_equal(d->items->next->name.s, "y");
	ast_decl *l = d->next->next;
	assert_string_equal(l->name.s, "l");
	assert_int_equal(ast_find_item(l, IT_REDUCE)->choice, RED_MEAN);
	assert_string_equal(l->next->name.s, "ok");
	run_free(r);
}

static void test_error_messages(void **state)
{
	(void)state;
	struct {
		const char *text;
		unsigned long col;
		const char *msg;
	} cases[] = {
		{"agent a { trained_by l }", 24, "expected ';' before '}'"},
		{"loss l on d { value = a b; }", 25, "expected an operator, '[', ';' or '(' before 'b'"},
		{"loss l on d { value = v[]; }", 25, "expected an expression before ']'"},
		{"loss l on d { value = a < b < c; }", 29,
		 "comparisons do not chain: '<' cannot follow a comparison"},
		{"loss l on d { value = a == b != c; }", 30,
		 "comparisons do not chain: '!=' cannot follow a comparison"},
		{"loss l on d { value = f(a, k=\"s\" + 1); }", 34, "expected ',' or ')' before '+'"},
		{"loss l on d { reduce mean weight; }", 33, "expected an expression before ';'"},
		{"loss l on d { output z: real per example; }", 34, "expected 'batch' before 'example'"},
		{"dataset d { batch B; }", 13,
		 "expected 'about', 'input', 'label', 'source', 'size' or '}' before 'batch'"},
		{"dataset d { label y: class[V, 2]; }", 29, "expected ']' before ','"},
		{"loss l on d { reduce average; }", 22, "expected 'mean', 'sum' or 'none' before 'average'"},
		{"loss l on d { precision double; }", 25, "expected 'float32' or 'float64' before 'double'"},
		{"agent a { cares_about loss; }", 23,
		 "expected 'goal', 'register', 'predictions' or 'other' before 'loss'"},
		{"dataset d { input x: vector; }", 22,
		 "expected 'real', 'class', 'prob', 'binary' or 'sign' before 'vector'"},
		{"dataset d { input x: class; }", 27, "expected '[' before ';'"},
		{"loss l d { }", 8, "expected 'on' before 'd'"},
		{"goal g { about \"x\" \"y\" }", 24, "expected a string or ';' before '}'"},
		{"goal g { about \"x\"; ", 21, "expected 'about' or '}' before end of file"},
		{"thing t { }", 1, "expected 'dataset', 'loss', 'goal', 'rationale', 'agent' or end of file before 'thing'"},
		{"goal g { about \"x\"; } }", 23, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run *r = parse_str(cases[i].text);
		assert_int_equal(r->dl.n, 1);
		expect_finding(r, 0, "LS001", 1, cases[i].col, cases[i].msg);
		run_free(r);
	}
}

static void test_missing_brace_at_eof_points_at_last_line(void **state)
{
	(void)state;
	run *r = parse_str("goal g {\n  about \"x\";\n\n");
	assert_int_equal(r->dl.n, 1);
	expect_finding(r, 0, "LS001", 3, 1, "expected 'about' or '}' before end of file");
	run_free(r);
	r = parse_str("loss\n");
	expect_finding(r, 0, "LS001", 1, 5, "expected a name before end of file");
	run_free(r);
}

static void test_error_cap(void **state)
{
	(void)state;
	char text[4096] = "";
	for (int i = 0; i < 50; i++)
		strcat(text, "goal g { about ; }\n");
	run *r = parse_buf(text, strlen(text), 5);
	assert_int_equal(r->dl.n, 5);
	assert_int_equal(r->f->syntax_errors, 5);
	run_free(r);
	r = parse_buf(text, strlen(text), 0);       /* 0: no cap */
	assert_int_equal(r->dl.n, 50);
	run_free(r);
}

static void test_lexical_error_is_reported_once(void **state)
{
	(void)state;
	run *r = parse_str("loss l on d { value = x # y; reduce mean; }\ngoal g { about ; }\n");
	assert_int_equal(r->dl.n, 2);
	expect_finding(r, 0, "LS001", 1, 25, "unexpected character '#'");
	expect_finding(r, 1, "LS001", 2, 16, "expected a string before ';'");
	assert_int_equal(ast_find_item(r->f->decls, IT_REDUCE)->choice, RED_MEAN);
	run_free(r);
}

static void test_unterminated_string_and_comment_at_eof(void **state)
{
	(void)state;
	run *r = parse_str("goal g { about \"x\"; }\ngoal h { about \"never closed;\n");
	assert_int_equal(r->dl.n, 1);
	expect_finding(r, 0, "LS001", 2, 16, "unterminated string (strings end on the line they start)");
	run_free(r);

	r = parse_str("goal g { about \"x\"; }\n/* never closed\n");
	assert_int_equal(r->dl.n, 1);
	expect_finding(r, 0, "LS001", 2, 1, "unterminated comment");
	run_free(r);

	/* Inside a block: the end of file it causes is not a second finding. */
	r = parse_str("goal g { /* about \"x\"; }\n");
	assert_int_equal(r->dl.n, 1);
	expect_finding(r, 0, "LS001", 1, 10, "unterminated comment");
	run_free(r);
}

static char *repeat(const char *pre, const char *unit, size_t n, const char *post, size_t *len)
{
	size_t lp = strlen(pre), lu = strlen(unit), lq = strlen(post);
	char *s = malloc(lp + lu * n + lq + 1);
	memcpy(s, pre, lp);
	for (size_t i = 0; i < n; i++)
		memcpy(s + lp + i * lu, unit, lu);
	memcpy(s + lp + lu * n, post, lq + 1);
	*len = lp + lu * n + lq;
	return s;
}

static void expect_too_deep(const char *pre, const char *unit, size_t n, const char *post)
{
	size_t len;
	char *s = repeat(pre, unit, n, post, &len);
	clock_t t0 = clock();
	run *r = parse_buf(s, len, PARSE_DEFAULT_MAX_ERRORS);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_int_equal(r->dl.n, 1);
	assert_string_equal(r->dl.items[0].code, "LS001");
	assert_string_equal(r->dl.items[0].message, "expression nested deeper than 256 levels");
	assert_true(secs < 2.0);
	/* Parsing went on after the bad statement. */
	assert_non_null(ast_find_item(r->f->decls, IT_REDUCE));
	run_free(r);
	free(s);
}

static void test_deep_nesting_is_one_finding(void **state)
{
	(void)state;
	expect_too_deep("loss l on d { value = ", "(", 100000, "x; reduce mean; }");
	expect_too_deep("loss l on d { value = ", "-", 100000, "x; reduce mean; }");
	expect_too_deep("loss l on d { value = x", "^x", 100000, "; reduce mean; }");
	expect_too_deep("loss l on d { value = ", "[", 100000, "x; reduce mean; }");
	expect_too_deep("loss l on d { value = ", "f(", 100000, "x; reduce mean; }");
	/* A long flat chain builds a deep tree: bounded too, for later passes. */
	expect_too_deep("loss l on d { value = x", "+x", 100000, "; reduce mean; }");
}

static void test_nesting_at_the_bound_is_fine(void **state)
{
	(void)state;
	size_t len;
	char *s = repeat("loss l on d { value = ", "(", PARSE_MAX_DEPTH, "x", &len);
	char *t = malloc(len + PARSE_MAX_DEPTH + 8);
	memcpy(t, s, len);
	memset(t + len, ')', PARSE_MAX_DEPTH);
	memcpy(t + len + PARSE_MAX_DEPTH, "; }", 4);
	run *r = parse_str(t);
	assert_int_equal(r->dl.n, 0);
	assert_int_equal(ast_find_item(r->f->decls, IT_VALUE)->expr->kind, EX_NAME);
	run_free(r);
	free(s);
	free(t);

	s = repeat("loss l on d { value = x", "+x", PARSE_MAX_DEPTH - 1, "; }", &len);
	r = parse_buf(s, len, PARSE_DEFAULT_MAX_ERRORS);
	assert_int_equal(r->dl.n, 0);
	run_free(r);
	free(s);
}

static void test_bad_dimensions(void **state)
{
	(void)state;
	run *r = parse_str(
		"dataset d {\n"
		"  label a: class[0];\n"
		"  input b: real[99999999999];\n"
		"  label c: class[-1];\n"
		"  label e: prob[2.5];\n"
		"  input f: real[16777216];\n"
		"  input g: real[16777217];\n"
		"}\n");
	assert_int_equal(r->f->syntax_errors, 0);
	assert_int_equal(r->dl.n, 5);
	expect_finding(r, 0, "LS301", 2, 18, "class count must be between 1 and 16777216, not 0");
	expect_finding(r, 1, "LS301", 3, 17, "vector length must be between 1 and 16777216, not 99999999999");
	expect_finding(r, 2, "LS301", 4, 18, "class count must be between 1 and 16777216, not -1");
	expect_finding(r, 3, "LS301", 5, 17, "class count must be a whole number, not 2.5");
	expect_finding(r, 4, "LS301", 7, 17, "vector length must be between 1 and 16777216, not 16777217");
	assert_int_equal(r->dl.items[0].sev, SEV_ERROR);
	assert_string_equal(span_text(r, r->dl.items[2].span), "-1");
	ast_item *f = r->f->decls->items->next->next->next->next;
	assert_int_equal(f->type.dim, 16777216);
	run_free(r);
}

static void test_number_out_of_range(void **state)
{
	(void)state;
	run *r = parse_str("loss l on d { param p: real = 1e99999; value = p; }");
	assert_int_equal(r->dl.n, 1);
	expect_finding(r, 0, "LS001", 1, 31, "number too large (the largest is about 1.8e308)");
	assert_int_equal(r->f->syntax_errors, 1);
	run_free(r);
}

static void test_invalid_bytes(void **state)
{
	(void)state;
	run *r = parse_buf("goal g { about \"\xff\"; }", 22, 20);
	assert_int_equal(r->dl.n, 1);
	assert_string_equal(r->dl.items[0].code, "LS002");
	assert_int_equal(r->dl.items[0].span.start, 16);
	assert_non_null(strstr(r->dl.items[0].message, "0xFF"));
	assert_null(r->f->decls);
	run_free(r);

	r = parse_buf("goal g { }\0goal h { }", 21, 20);
	assert_int_equal(r->dl.n, 1);
	assert_string_equal(r->dl.items[0].code, "LS002");
	assert_int_equal(r->dl.items[0].span.start, 10);
	assert_non_null(strstr(r->dl.items[0].message, "NUL"));
	assert_null(r->f->decls);
	run_free(r);

	r = parse_str("goal g { about \"\xc0\xaf\"; }");
	assert_int_equal(r->dl.n, 1);
	assert_non_null(strstr(r->dl.items[0].message, "overlong"));
	run_free(r);
}

static void test_bom_and_crlf(void **state)
{
	(void)state;
	run *r = parse_str("\xef\xbb\xbfgoal g {\r\n  about \"x\";\r\n}\r\n");
	assert_int_equal(r->dl.n, 0);
	assert_string_equal(r->f->decls->name.s, "g");
	assert_int_equal(r->f->decls->span.start, 3);
	run_free(r);
}

static void test_directives_in_file(void **state)
{
	(void)state;
	run *r = parse_str("// lossc: allow-file LS105\n"
			   "goal g { about \"x\"; } // lossc: allow LS101\n");
	assert_int_equal(r->dl.n, 0);
	ast_directive *d = r->f->directives;
	assert_non_null(d);
	assert_true(d->standalone);
	assert_int_equal(d->target_line, 2);
	assert_non_null(d->next);
	assert_false(d->next->standalone);
	assert_int_equal(d->next->line, 2);
	assert_string_equal(d->next->body, "allow LS101");
	run_free(r);
}

static void test_ast_helpers(void **state)
{
	(void)state;
	char buf[8];
	ast_type t = {.kind = TY_CLASS, .dim = 16777216};
	/* A short buffer truncates, NUL-terminated. */
	assert_string_equal(ast_type_str(&t, buf, sizeof buf), "class[1");
	t = (ast_type){.kind = TY_REAL, .dim = 0};
	assert_string_equal(ast_type_str(&t, buf, sizeof buf), "real");
	assert_string_equal(ast_decl_kind_name(DECL_RATIONALE), "rationale");
	assert_string_equal(ast_item_kind_name(IT_CARES_ABOUT), "cares_about");
	assert_string_equal(ast_item_kind_name(IT_TRAINED_BY), "trained_by");
	assert_string_equal(ast_reduce_name(RED_NONE), "none");
	assert_string_equal(ast_precision_name(PREC_FLOAT32), "float32");

	run *r = parse_str("goal g { about \"ab\" \"cd\"; }");
	const ast_text *x = &r->f->decls->items->text;
	/* Empty spans and out-of-range offsets clamp instead of reading past the map. */
	span sp = ast_text_src_span(x, 1, 1);
	assert_int_equal(sp.start, sp.end);
	assert_int_equal(sp.start, 17);
	sp = ast_text_src_span(x, 0, 99);
	assert_string_equal(span_text(r, sp), "ab\" \"cd");
	assert_int_equal(ast_text_src_off(x, 99), ast_text_src_off(x, x->len));
	/* a backwards range is empty at its end */
	sp = ast_text_src_span(x, 3, 1);
	assert_int_equal(sp.start, ast_text_src_off(x, 1));
	assert_int_equal(sp.end, sp.start);
	assert_null(ast_find_item(r->f->decls, IT_VALUE));
	run_free(r);
	ast_file_free(NULL);
	/* a text with no segment map (an empty text) maps everything to its span's start */
	ast_text e = { "", 0, NULL, 0, { 7, 9 } };
	assert_int_equal(ast_text_src_off(&e, 0), 7);
	sp = ast_text_src_span(&e, 0, 5);
	assert_int_equal(sp.start, 7);
	assert_int_equal(sp.end, 7);
	/* sizes: a long name is cut to 32 bytes and "..."; no buffer, nothing written */
	char tb[128];
	ast_size sz[2] = { { 0, { "a_very_long_size_name_of_forty_bytes_xyz", 40, { 0, 0 }, NULL, NULL } },
			   { 3, { NULL, 0, { 0, 0 }, NULL, NULL } } };
	ast_type v2 = { .kind = TY_PROB, .nsizes = 2, .dim = AST_DIM_SIZES, .sizes = sz };
	assert_string_equal(ast_type_str(&v2, tb, sizeof tb), "prob[a_very_long_size_name_of_forty_b..., 3]");
	v2.nsizes = 1;
	v2.kind = TY_SIGN;
	assert_string_equal(ast_type_str(&v2, tb, sizeof tb), "sign[a_very_long_size_name_of_forty_b...]");
	assert_null(ast_type_str(&v2, NULL, 8));
	tb[0] = 'x';
	assert_ptr_equal(ast_type_str(&v2, tb, 0), tb);
	assert_int_equal(tb[0], 'x');
}

/* One copy per distinct name: every z of a file shares it, and keeps its own span. */
static void test_names_interned(void **state)
{
	(void)state;
	run *r = parse_str("dataset d { input x: real[4]; }\n"
			   "loss l on d { output z: real[4]; value = sum(z + z) + sum(x); }\n"
			   "loss m on d { output z: real[4]; value = sum(z); }\n");
	assert_int_equal(r->dl.n, 0);
	const ast_decl *l = r->f->decls->next, *m = l->next;
	const ast_expr *add = ast_find_item(l, IT_VALUE)->expr->a->args[0].value;
	assert_int_equal(add->kind, EX_ADD);
	assert_ptr_equal(add->a->name.s, add->b->name.s);
	assert_ptr_equal(add->a->name.s, ast_find_item(l, IT_OUTPUT)->name.s);
	assert_ptr_equal(add->a->name.s, ast_find_item(m, IT_OUTPUT)->name.s);
	assert_ptr_equal(l->target.s, m->target.s);
	assert_ptr_equal(l->target.s, r->f->decls->name.s);
	assert_string_equal(add->a->name.s, "z");
	assert_int_equal(add->a->name.len, 1);
	assert_int_not_equal(add->a->name.span.start, add->b->name.span.start);
	/* Different names, different copies. */
	assert_ptr_not_equal(l->name.s, m->name.s);
	assert_string_equal(m->name.s, "m");
	run_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_construct),
		cmocka_unit_test(test_empty_file_and_comments_only),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_contextual_keywords),
		cmocka_unit_test(test_string_join_segment_map),
		cmocka_unit_test(test_string_with_utf8_and_empty_pieces),
		cmocka_unit_test(test_string_join_matches_a_byte_by_byte_decoding),
		cmocka_unit_test(test_expression_spans),
		cmocka_unit_test(test_three_errors_recover),
		cmocka_unit_test(test_error_messages),
		cmocka_unit_test(test_missing_brace_at_eof_points_at_last_line),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test(test_lexical_error_is_reported_once),
		cmocka_unit_test(test_unterminated_string_and_comment_at_eof),
		cmocka_unit_test(test_deep_nesting_is_one_finding),
		cmocka_unit_test(test_nesting_at_the_bound_is_fine),
		cmocka_unit_test(test_bad_dimensions),
		cmocka_unit_test(test_number_out_of_range),
		cmocka_unit_test(test_invalid_bytes),
		cmocka_unit_test(test_bom_and_crlf),
		cmocka_unit_test(test_directives_in_file),
		cmocka_unit_test(test_ast_helpers),
		cmocka_unit_test(test_v2_constructs),
		cmocka_unit_test(test_v2_precedence),
		cmocka_unit_test(test_v2_reference_cases),
		cmocka_unit_test(test_names_interned),
	};
	return cmocka_run_group_tests_name("parser", tests, NULL, NULL);
}
