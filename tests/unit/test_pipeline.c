/*
 * test_pipeline.c: the streaming pipeline against the whole-file one.
 *
 * pipeline_run analyzes each loss while the rest of the file is still
 * being parsed and frees its expressions (pipeline.c); the passes run
 * one after another over the whole tree (parse, resolve, story, losses,
 * suppressions) are the reference.  Every case here is a file whose
 * declarations come in an order that streaming must handle: a loss
 * before its dataset, a name taken by a goal before a dataset of that
 * name, duplicates, allows inside a streamed loss, a syntax error after
 * an analyzed loss, prose rules (one of which gives up) over texts in
 * several declarations.  Findings (sorted and rendered), --explain-value's
 * text and the order of on_loss calls must be the same; and the parser
 * must hand each declaration's expressions and texts over in an arena of
 * their own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "parse.h"
#include "pipeline.h"
#include "prose.h"
#include "resolve.h"
#include "story.h"
#include "suppress.h"

/* The prose rules both pipelines run (NULL: none). */
static prose_set *rules;

/* What one run produced, as text. */
typedef struct outcome {
	int rc;
	char *findings;         /* sorted, rendered */
	char *explain;          /* --explain-value output */
	char order[512];        /* loss names in on_loss order, space-separated */
} outcome;

static void record_loss(void *ctx, ir_loss *l)
{
	outcome *o = ctx;
	size_t n = strlen(o->order);
	snprintf(o->order + n, sizeof o->order - n, "%.*s ", (int)l->loss->name.len, l->loss->name.s);
}

static char *render(diag_list *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	assert_non_null(m);
	diag_sort(d);
	assert_int_equal(diag_render_text(m, d, 0), 0);
	fclose(m);
	return buf;
}

/*
 * Run the streaming pipeline (pipeline_run), or the reference: each pass
 * in turn over the complete tree.
 */
static void run(const char *text, int streaming, outcome *out)
{
	source src;
	diag_list d;
	char *ebuf = NULL;
	size_t elen = 0;
	FILE *ex = open_memstream(&ebuf, &elen);
	assert_non_null(ex);
	memset(out, 0, sizeof *out);
	source_from_buffer(&src, "a.loss", text, strlen(text));
	diag_list_init(&d);
	pipeline_opts o;
	pipeline_opts_init(&o);
	o.explain = ex;
	o.on_loss = record_loss;
	o.ctx = out;
	o.prose = rules;
	if (streaming)
		out->rc = pipeline_run(&src, &o, &d);
	else {
		ast_file *f = parse_source(&src, &d, PARSE_DEFAULT_MAX_ERRORS);
		out->rc = -1;
		if (f->syntax_errors == 0) {
			resolve_file(f, &d);
			story_check(f, &d);
			if (rules)
				prose_check_file(rules, f, &d, NULL, NULL);
			pipeline_losses(f, &o, &d);
			suppress_apply(f, &d, 0, NULL, NULL);
			out->rc = 0;
		}
		ast_file_free(f);
	}
	fclose(ex);
	out->explain = ebuf;
	out->findings = render(&d);
	diag_list_free(&d);
	source_free(&src);
}

static void outcome_free(outcome *o)
{
	free(o->findings);
	free(o->explain);
}

/*
 * Same findings, explain text and loss order, and each of the codes in
 * `want` (space-separated, each followed by ']') among the findings: the
 * losses were analyzed, not only parsed.
 */
static void assert_same(const char *text, const char *want, const char *order)
{
	outcome ref, got;
	run(text, 0, &ref);
	run(text, 1, &got);
	assert_int_equal(got.rc, ref.rc);
	assert_string_equal(got.findings, ref.findings);
	assert_string_equal(got.explain, ref.explain);
	/* On a file with a syntax error, gen discards what on_loss built. */
	if (ref.rc == 0) {
		assert_string_equal(got.order, ref.order);
		assert_string_equal(got.order, order);
		assert_true(strlen(got.explain) > 0 || !*order);
	}
	for (const char *w = want; *w;) {
		char code[16];
		size_t n = strcspn(w, " ");
		assert_true(n < sizeof code - 1);
		memcpy(code, w, n);
		code[n] = ']';
		code[n + 1] = '\0';
		if (!strstr(got.findings, code))
			fail_msg("no %s in:\n%s", code, got.findings);
		w += n;
		w += strspn(w, " ");
	}
	outcome_free(&ref);
	outcome_free(&got);
}

#define DATASET(name) \
	"dataset " name " {\n    input x: real[4] in [0, 1];\n    label t: real[4];\n}\n"

/* A loss with a stability (LS401), a domain (LS303) and a claim (LS501) finding. */
#define LOSS(name, on) \
	"loss " name " on " on " {\n    output z: real[4] in [-1, 1];\n" \
	"    let e = log(softmax(z));\n" \
	"    value = sum(log(z)) + sum(square(z - t)) - sum(e * x);\n" \
	"    reduce mean;\n    precision float32;\n    claim nonnegative;\n}\n"

static void test_dataset_first(void **state)
{
	(void)state;
	assert_same(DATASET("d") LOSS("l", "d") LOSS("m", "d")
		    "goal g { about \"fit t\"; }\n"
		    "rationale r for g { uses l, m; because \"squared error fits t\"; }\n"
		    "agent a { trained_by l; cares_about predictions; }\n",
		    "LS401 LS303 LS501", "l m ");
}

static void test_loss_before_its_dataset(void **state)
{
	(void)state;
	/* l waits for the end of the file; m, after it, waits too (order). */
	assert_same(LOSS("l", "d") DATASET("d") LOSS("m", "d") LOSS("n", "e") DATASET("e"),
		    "LS401 LS303 LS501", "l m n ");
}

static void test_name_taken_by_a_goal(void **state)
{
	(void)state;
	/* `on d` is LS012 (d is a goal); lowering still finds the dataset d. */
	assert_same("goal d { about \"x\"; }\n" DATASET("d") LOSS("l", "d") DATASET("d"),
		    "LS011 LS012 LS401", "l ");
}

static void test_undefined_and_duplicate(void **state)
{
	(void)state;
	assert_same(DATASET("d") DATASET("d") LOSS("l", "d") LOSS("l", "nowhere")
		    "loss k on d { output z: real[4]; value = sum(z * y); }\n",
		    "LS011 LS010 LS401 LS303 LS501", "l l k ");
}

static void test_allow_in_a_streamed_loss(void **state)
{
	(void)state;
	assert_same(DATASET("d")
		    "loss l on d {\n    output z: real[4] in [-1, 1];\n"
		    "    // lossc: allow LS303 -- x reaches 0 only in theory\n"
		    "    value = sum(log(x) * z);\n"
		    "    // lossc: allow LS501 -- stale: nothing is claimed\n"
		    "}\n",
		    "LS009", "l ");
}

/*
 * Prose is checked as each declaration is parsed, then its texts are
 * freed; a rule that gives up stays off for the rest of the file, across
 * declarations.  LS901 flags "represents"; LS902 backtracks without end
 * on a long run of a's.
 */
static void test_prose_per_declaration(void **state)
{
	(void)state;
	char err[256];
	const char *r1 = "code: LS901\nmessage: vague\npattern: \\brepresents\\b\n"
			 "scope: about, because\n";
	const char *r2 = "code: LS902\nmessage: a's\npattern: (a|a)+b\nscope: about\n";
	rules = prose_set_new();
	assert_int_equal(prose_load_buffer(rules, "1.rule", r1, strlen(r1), 0, err, sizeof err), 0);
	assert_int_equal(prose_load_buffer(rules, "2.rule", r2, strlen(r2), 0, err, sizeof err), 0);
	assert_same("goal g { about \"the loss represents honesty\"; }\n"
		    DATASET("d")
		    "loss l on d {\n    about \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac\";\n"
		    "    output z: real[4] in [-1, 1];\n    value = sum(log(z));\n"
		    "    reduce mean;\n    precision float32;\n}\n"
		    "rationale r for g {\n    uses l;\n    because \"low loss \" \"represents it\";\n"
		    "}\n"
		    "agent a { about \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac ab\"; trained_by l; "
		    "cares_about other \"what the loss represents\"; }\n",
		    "LS901 LS200 LS303", "l ");
	prose_set_free(rules);
	rules = NULL;
}

static void test_syntax_error_after_an_analyzed_loss(void **state)
{
	(void)state;
	const char *text = DATASET("d") LOSS("l", "d") "loss m on d { value = ; }\n" LOSS("n", "d");
	outcome got;
	assert_same(text, "LS001", "");
	run(text, 1, &got);
	assert_int_equal(got.rc, -1);
	assert_string_equal(got.explain, "");
	assert_non_null(strstr(got.findings, "LS001"));
	assert_null(strstr(got.findings, "LS303"));
	outcome_free(&got);
}

/* ---- the parser hands each declaration's own arena over ----------------- */

typedef struct handed {
	int losses, others;
	size_t expr_bytes;      /* the loss's arena */
	size_t dataset_bytes, goal_bytes;
} handed;

static void take(void *ctx, ast_file *f, ast_decl *d, arena *own)
{
	handed *h = ctx;
	(void)f;
	assert_non_null(own);
	if (d->kind == DECL_LOSS) {
		h->losses++;
		h->expr_bytes += arena_used(own);
		/* Every expression of the loss is in it, complete. */
		const ast_item *v = ast_find_item(d, IT_VALUE);
		assert_non_null(v);
		assert_non_null(v->expr);
		assert_int_equal(v->expr->kind, EX_ADD);
	} else {
		h->others++;
		if (d->kind == DECL_DATASET)
			h->dataset_bytes += arena_used(own);
		if (d->kind == DECL_GOAL) {
			/* The goal's text is in its arena: "gg" and one segment. */
			h->goal_bytes += arena_used(own);
			assert_string_equal(ast_find_item(d, IT_ABOUT)->text.bytes, "gg");
		}
	}
	for (ast_item *it = d->items; it; it = it->next) {
		it->expr = NULL;
		it->text.bytes = NULL;
		it->text.segs = NULL;
	}
	arena_free(own);
}

static void test_each_declaration_in_its_own_arena(void **state)
{
	(void)state;
	/* A loss whose value is a sum of 200 terms (within the nesting bound). */
	size_t cap = 64 * 1024, n = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	n += (size_t)snprintf(text + n, cap - n, "%s", DATASET("d") "loss l on d {\n"
			      "    output z: real[4];\n    value = sum(z)");
	for (int i = 0; i < 200; i++)
		n += (size_t)snprintf(text + n, cap - n, " + %d * sum(z)", i % 7);
	n += (size_t)snprintf(text + n, cap - n, ";\n}\ngoal g { about \"gg\"; }\n");
	assert_true(n < cap);

	source src;
	diag_list d;
	source_from_buffer(&src, "a.loss", text, n);
	diag_list_init(&d);
	handed h = {0};
	ast_file *f = parse_source_stream(&src, &d, PARSE_DEFAULT_MAX_ERRORS, take, &h);
	assert_int_equal(f->syntax_errors, 0);
	assert_int_equal(h.losses, 1);
	assert_int_equal(h.others, 2);
	assert_int_equal(h.dataset_bytes, 0);           /* no text, no expression */
	assert_true(h.goal_bytes >= 3 + sizeof(ast_text_seg));
	size_t kept = arena_used(f->arena);
	ast_file_free(f);

	/* The whole-file parse keeps it all in the file's arena. */
	ast_file *g = parse_source(&src, &d, PARSE_DEFAULT_MAX_ERRORS);
	size_t whole = arena_used(g->arena);
	ast_file_free(g);

	/* 800 nodes went with the loss; what stays is its declarations,
	   items and (interned) names. */
	assert_true(h.expr_bytes + kept <= whole);
	assert_true(h.expr_bytes > 20 * kept);
	for (size_t i = 0; i < d.n; i++)
		assert_string_not_equal(d.items[i].code, "LS001");
	diag_list_free(&d);
	source_free(&src);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dataset_first),
		cmocka_unit_test(test_loss_before_its_dataset),
		cmocka_unit_test(test_name_taken_by_a_goal),
		cmocka_unit_test(test_undefined_and_duplicate),
		cmocka_unit_test(test_allow_in_a_streamed_loss),
		cmocka_unit_test(test_prose_per_declaration),
		cmocka_unit_test(test_syntax_error_after_an_analyzed_loss),
		cmocka_unit_test(test_each_declaration_in_its_own_arena),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
