/*
 * test_analyze.c: the math analyzer end to end on small stories: the
 * losses everyone uses verified by hand (convex, nonnegative, smooth or
 * not), the composition rules (sign-dependent monotonicity, constants,
 * indexing), each domain, overflow and stability finding with its span and
 * fix, and the claim findings with their notes.
 */
#define _GNU_SOURCE     /* fopencookie, for wfail.h */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "codes.h"
#include "funcs.h"
#include "parse.h"
#include "pipeline.h"
#include "resolve.h"
#include "wfail.h"

static const char header[] =
	"dataset d {\n"
	"    input x: real[4] in [0, 1];\n"
	"    input s: real;\n"
	"    input pos: real in [1, 2];\n"
	"    label t: real[4];\n"
	"    label c: class[5];\n"
	"    label p: prob[5];\n"
	"    label b: binary;\n"
	"    label g: sign;\n"
	"}\n";

static const pipeline_opts popts = { PARSE_DEFAULT_MAX_ERRORS, NULL, NULL, NULL, NULL, NULL, NULL };

typedef struct fx {
	source src;
	diag_list diags;
	ast_file *file;
	char text[4096];
} fx;

/* A loss with outputs z: real[5], v: real[4], u: real, r: real in [-10, 10],
   q: real in [0, 1]; runs the whole analyzer. */
static void run(fx *f, const char *extra, const char *value, const char *claims)
{
	snprintf(f->text, sizeof f->text,
		 "%sloss l on d {\n"
		 "    output z: real[5];\n    output v: real[4];\n    output u: real;\n"
		 "    output r: real in [-10, 10];\n    output q: real in [0, 1];\n"
		 "%s"
		 "    value = %s;\n"
		 "    reduce mean;\n    precision float32;\n"
		 "%s%s%s"
		 "}\n",
		 header, extra, value, *claims ? "    claim " : "", claims, *claims ? ";\n" : "");
	source_from_buffer(&f->src, "a.loss", f->text, strlen(f->text));
	diag_list_init(&f->diags);
	f->file = parse_source(&f->src, &f->diags, PARSE_DEFAULT_MAX_ERRORS);
	assert_int_equal(f->file->syntax_errors, 0);
	resolve_file(f->file, &f->diags);
	assert_int_equal(f->diags.n, 0);
	pipeline_losses(f->file, &popts, &f->diags);
	/* the fixture declares five outputs for every case: an unused one
	   (LS331) is the fixture's, not the case's */
	char *unused = calloc(f->diags.n + 1, 1);
	assert_non_null(unused);
	for (size_t i = 0; i < f->diags.n; i++)
		unused[i] = !strcmp(f->diags.items[i].code, "LS331");
	diag_remove_marked(&f->diags, 0, unused);
	free(unused);
	diag_sort(&f->diags);
}

static void done(fx *f)
{
	ast_file_free(f->file);
	diag_list_free(&f->diags);
	source_free(&f->src);
}

static const diag *find(const fx *f, const char *code)
{
	for (size_t i = 0; i < f->diags.n; i++)
		if (!strcmp(f->diags.items[i].code, code))
			return &f->diags.items[i];
	return NULL;
}

static size_t count(const fx *f, const char *code)
{
	size_t k = 0;
	for (size_t i = 0; i < f->diags.n; i++)
		k += !strcmp(f->diags.items[i].code, code);
	return k;
}

/* No finding at all. */
static void clean(const char *value, const char *claims)
{
	fx f;
	run(&f, "", value, claims);
	if (f.diags.n)
		fail_msg("%s (claim %s): unexpected %s: %s", value, claims, f.diags.items[0].code,
			 f.diags.items[0].message);
	done(&f);
}

/* Exactly one finding, of this code; returns nothing, checks the span text. */
static void fires(const char *extra, const char *value, const char *claims, const char *code, const char *at)
{
	fx f;
	run(&f, extra, value, claims);
	if (f.diags.n != 1 || strcmp(f.diags.items[0].code, code))
		fail_msg("%s (claim %s): want exactly one %s, got %zu findings, first %s: %s", value, claims, code,
			 f.diags.n, f.diags.n ? f.diags.items[0].code : "-", f.diags.n ? f.diags.items[0].message : "");
	const diag *d = &f.diags.items[0];
	size_t len = d->span.end - d->span.start;
	if (at && (len != strlen(at) || memcmp(f.src.text + d->span.start, at, len)))
		fail_msg("%s: %s points at '%.*s', want '%s'", value, code, (int)len, f.src.text + d->span.start, at);
	done(&f);
}

/* ---- the common losses, verified by hand --------------------------------
 * cross_entropy(z, c) = logsumexp(z) - z_c: convex (logsumexp convex, minus
 * an affine term), > 0.  With label smoothing e it is (1-e)*CE + e*mean of
 * -log_softmax, a nonnegative combination of convex terms.  bce_with_logits
 * = t*softplus(-x) + (1-t)*softplus(x), t in [0,1]: convex, > 0, smooth.
 * mse: mean of squares of affine terms; l1: of abs (kinked); huber: convex,
 * C1; hinge: max(0, 1 - t*x), convex, kinked.
 */
static void test_common_losses_are_convex_and_nonnegative(void **state)
{
	(void)state;
	clean("cross_entropy(z, c)", "nonnegative, convex, smooth");
	clean("cross_entropy(z, c, label_smoothing=0.1)", "nonnegative, convex, smooth");
	clean("cross_entropy(z, p)", "nonnegative, convex, smooth");
	clean("cross_entropy(z, p, label_smoothing=0.3)", "nonnegative, convex, smooth");
	clean("nll(log_softmax(z), c)", "nonnegative, convex, smooth");
	clean("bce_with_logits(u, b)", "nonnegative, convex, smooth");
	clean("bce_with_logits(u, b, pos_weight=3)", "nonnegative, convex, smooth");
	clean("mse(v, t)", "nonnegative, convex, smooth");
	clean("l1(v, t)", "nonnegative, convex");
	clean("huber(v, t)", "nonnegative, convex, smooth");
	clean("smooth_l1(v, t, beta=0.5)", "nonnegative, convex, smooth");
	clean("hinge(u, g)", "nonnegative, convex");
	clean("hinge(u, b)", "nonnegative, convex");
	clean("bce(q, b)", "nonnegative, convex, bounded");
	clean("kl_div(log_softmax(z), p)", "convex, smooth");
	clean("mse(r, s) + 0", "nonnegative, convex, smooth");
	clean("mse(r, 1)", "nonnegative, convex, smooth, bounded");
	/* kinks break smooth where PyTorch's definition has them */
	fires("", "l1(v, t)", "smooth", "LS502", "smooth");
	fires("", "hinge(u, g)", "smooth", "LS502", "smooth");
	fires("", "smooth_l1(v, t, beta=0)", "smooth", "LS502", "smooth");
	/* a pole is not smooth, of x^-1 as of 1/x (fuzz_agree saw x^-1 proved
	   smooth across 0); away from 0 both are */
	fx f;
	for (int i = 0; i < 2; i++) {
		run(&f, "", i ? "u ^ (-1)" : "1 / u", "smooth");
		assert_non_null(find(&f, "LS502"));
		done(&f);
	}
	clean("exp(r) ^ (-1) + 1 / exp(r)", "smooth");
}

/* ---- composition rules ------------------------------------------------- */

static void test_dcp_composition_rules(void **state)
{
	(void)state;
	/* sign-dependent monotonicity: square is increasing on exp's (0, inf) */
	clean("square(exp(r))", "convex");
	/* ... and decreasing on -exp(u) <= 0, which is concave: convex again */
	clean("square(-exp(r))", "convex");
	/* concave argument of unknown sign: not provable */
	fires("", "square(log(q + 2) - 0.9)", "convex", "LS503", "convex");
	clean("square(log(q + 2) - 2)", "convex");   /* argument <= 0: square is decreasing there */
	clean("abs(u)", "convex");
	clean("abs(exp(r))", "convex, smooth");             /* abs never sees 0: no kink */
	clean("relu(exp(r) + 1)", "smooth");
	clean("max(exp(r), 0 - 1)", "convex, smooth");       /* the arguments never tie */
	/* nonnegative constants keep convexity, nonpositive ones flip it */
	clean("2 * exp(r) + pos * square(u)", "convex");
	fires("", "-2 * exp(r)", "convex", "LS503", "convex");
	fires("", "g * exp(r)", "convex", "LS503", "convex");      /* sign label: either sign */
	clean("-(-2 * exp(r))", "convex");
	clean("exp(r) / pos", "convex");
	clean("1 / (q + 1)", "convex");      /* 1/x: convex, decreasing on x > 0; q + 1 affine */
	fires("", "1 / exp(r)", "convex", "LS503", "convex");   /* true, but 1/convex is not DCP */
	/* indexing by a label is affine; a sum of convex terms is convex */
	clean("-z[c] + logsumexp(z) + sum(square(v - t))", "convex");
	/* products of two outputs are not DCP */
	fires("", "u * r", "convex", "LS503", "convex");
	clean("u * u + 2 * u", "convex");   /* the same output twice is a square */
	clean("u * u", "nonnegative");
	/* powers: even integer is convex, 0.5 concave, -1 on positive convex */
	clean("(u - s) ^ 2", "convex, nonnegative");
	clean("-(q + 1) ^ 0.5", "convex");
	clean("(q + 1) ^ -1", "convex");
	clean("(q + 1) ^ 3", "convex");
	/* log_softmax is concave only of an affine argument */
	fires("", "-log_softmax(square(z))[c]", "convex", "LS503", "convex");
}

/* The LS503 note names the sub-expression that breaks the proof. */
static void test_convexity_note_names_the_culprit(void **state)
{
	(void)state;
	fx f;
	run(&f, "", "-sum(square(v - t))", "convex");
	const diag *d = find(&f, "LS503");
	assert_non_null(d);
	/* concave and not affine: the midpoint search finds the counterexample */
	assert_true(!strncmp(d->message, "claim convex is provably false: at ", 35));
	assert_int_equal(d->nnotes, 1);
	assert_string_equal(d->notes[0].message, "-sum(square(v - t)) is concave");
	done(&f);

	run(&f, "", "mse(v, t) + log(q + 1)", "convex");
	d = find(&f, "LS503");
	assert_non_null(d);
	assert_string_equal(d->notes[0].message, "log(q + 1) is concave");
	assert_memory_equal(f.src.text + d->notes[0].span.start, "log(q + 1)", 10);
	done(&f);

	run(&f, "", "exp(u) + u * r", "convex");
	d = find(&f, "LS503");
	assert_non_null(d);
	assert_string_equal(d->notes[0].message, "u * r multiplies two expressions that depend on the outputs");
	done(&f);

	run(&f, "", "sigmoid(u)", "convex");
	d = find(&f, "LS503");
	assert_string_equal(d->notes[0].message, "sigmoid(u) is neither convex nor concave");
	done(&f);
}

/* ---- claims ------------------------------------------------------------ */

static void test_claims_nonnegative_and_bounded(void **state)
{
	(void)state;
	fx f;
	run(&f, "", "sum(v - t)", "nonnegative");
	const diag *d = find(&f, "LS501");
	assert_non_null(d);
	assert_string_equal(d->message, "claim nonnegative is provably false: for example v = -1, t = 1 (every element) gives -8");
	assert_string_equal(d->notes[0].message, "v - t can be negative (in (-inf, inf))");
	done(&f);

	/* (u - 1)^2 written out: true, the intervals cannot show it, and no
	   witness exists, so the finding says "cannot prove", not "false" */
	run(&f, "", "u * u - 2 * u + 1", "nonnegative");
	d = find(&f, "LS501");
	assert_non_null(d);
	assert_string_equal(d->message, "cannot prove claim nonnegative: over the declared ranges the value lies in (-inf, inf)");
	done(&f);

	/* a witness respects the declared ranges: q in [0, 1] */
	run(&f, "", "q - 0.5", "nonnegative");
	d = find(&f, "LS501");
	assert_string_equal(d->message, "claim nonnegative is provably false: for example q = 0 gives -0.5");
	done(&f);

	/* a witness must beat rounding noise scaled to the terms: this is 0
	   plus rounding (-2.7e-20 at z = -1 without the margin; main called
	   sum(softmax(z)) - 1 false at -2.2e-16) */
	run(&f, "", "logsumexp(z) - log(sum(exp(z)))", "nonnegative");
	d = find(&f, "LS501");
	assert_non_null(d);
	assert_true(strstr(d->message, "cannot prove") != NULL);
	done(&f);

	run(&f, "", "-exp(r) - 1", "nonnegative");
	d = find(&f, "LS501");
	assert_non_null(d);
	assert_true(strstr(d->message, "provably false") != NULL);
	done(&f);

	fires("", "mse(v, t)", "bounded", "LS504", "bounded");
	run(&f, "", "exp(r) + mse(v, t)", "bounded");
	d = find(&f, "LS504");
	assert_string_equal(d->notes[0].message, "v is an output with no declared range");
	done(&f);
	clean("exp(r) + sigmoid(u) + tanh(u) + softmax(z)[c]", "bounded");
	clean("q * (1 - q)", "bounded, nonnegative");
	/* near-misses: a shifted value is nonnegative */
	clean("sum(square(v - t))", "nonnegative");
	clean("exp(r) - exp(r) * 0", "nonnegative");
}

static void test_unknown_claim(void **state)
{
	(void)state;
	fx f;
	run(&f, "", "mse(v, t)", "nonnegative, lipschitzian, convex");
	assert_int_equal(f.diags.n, 1);
	assert_string_equal(f.diags.items[0].code, "LS505");
	assert_int_equal(f.diags.items[0].sev, SEV_ERROR);
	done(&f);
}

/* ---- domains and overflow ---------------------------------------------- */

static void test_domain_and_overflow_checks(void **state)
{
	(void)state;
	fires("", "sum(log(v - t))", "", "LS303", "log(v - t)");
	fires("", "log(q)", "", "LS303", "log(q)");            /* q may be 0 */
	clean("log(q + 2) + log(exp(r)) + log(softplus(u)) + sum(log(softmax(z) + 0))", "smooth");
	fires("", "log1p(u)", "smooth", "LS303", "log1p(u)");
	clean("log1p(q) + log1p(square(r))", "smooth");   /* log1p(exp(r)) is LS403: softplus */
	fires("", "sqrt(r)", "nonnegative", "LS304", "sqrt(r)");
	clean("sqrt(q + 1) + sqrt(square(u) + 1e-6)", "nonnegative");   /* sqrt(q) is LS410 */
	fires("", "(r - 20) ^ 0.5", "nonnegative", "LS304", "(r - 20) ^ 0.5");
	fires("", "sum(t / v)", "", "LS305", "t / v");
	fires("", "1 / q", "", "LS305", "1 / q");
	fires("", "u ^ -1", "", "LS305", "u ^ -1");
	clean("1 / (q + 1) + u / g + u / pos + u / 2", "smooth");
	fires("", "exp(u)", "nonnegative", "LS405", "exp(u)");
	fires("", "exp(r * 10)", "nonnegative", "LS405", "exp(r * 10)");      /* up to 100 > 88.7 */
	clean("exp(r * 8)", "nonnegative, bounded");                          /* up to 80 */
	clean("expm1(r) + exp(-softplus(u))", "");
	/* bce's logs are PyTorch's clamped logs: q in [0, 1] is fine, u is not */
	clean("bce(q, b)", "bounded");
	fires("", "bce(r, b)", "", "LS303", "bce(r, b)");
}

/* The root's interval and curvature, for a value with no findings. */
static ival root_of(const char *extra, const char *value, ir_curv *curv)
{
	fx f;
	run(&f, extra, value, "");
	if (f.diags.n)
		fail_msg("%s: unexpected %s: %s", value, f.diags.items[0].code, f.diags.items[0].message);
	ir_loss *l = ir_lower(f.file, f.file->decls->next, f.file->arena, &f.diags);
	analyze_loss(l);
	assert_non_null(l->root);
	ival r = l->root->iv;
	if (curv)
		*curv = l->root->curv;
	done(&f);
	return r;
}

static ival root_interval(const char *extra, const char *value) { return root_of(extra, value, NULL); }

static ir_curv root_curv(const char *value)
{
	ir_curv c;
	root_of("", value, &c);
	return c;
}

/*
 * where(c, a, b) analyzes each side knowing its condition (lossspec(5)
 * EXPRESSIONS): the log of a value the condition proves positive is no
 * LS303, on either side and through a let; a condition that says nothing
 * of the log's operand narrows nothing.
 */
static void test_where_narrows_each_side_by_its_condition(void **state)
{
	(void)state;
	fires("", "log(u)", "", "LS303", "log(u)");
	clean("where(u > 0, log(u), 0)", "");
	clean("where(0 < u, log(u), 0)", "");
	clean("where(u <= 0, 0, log(u))", "");          /* the else side: u > 0 */
	clean("where(u >= 1, log(u), 0)", "");
	clean("where(u != 0, 1 / u, 0)", "");
	fires("", "where(u > -1, log(u), 0)", "", "LS303", "log(u)");
	fires("", "where(r > 0, log(u), 0)", "", "LS303", "log(u)");
	fires("", "where(u > 0, 0, log(u))", "", "LS330", "u");   /* the wrong side: u <= 0 there, log is never defined */
	root_interval("    let d = u - 1;\n", "where(d > 0, log(d), 0)");      /* a let */
	fires("    let d = u - 1;\n", "where(u > 0, log(d), 0)", "", "LS303", "log(d)");
	/* the assumption stays in its branch: the same let outside is not narrowed */
	fires("    let d = u - 1;\n", "where(d > 0, log(d), 0) + log(d)", "", "LS303", "log(d)");

	/* where(u > 0, u, 0) is relu: its interval starts at 0 */
	ival r = root_interval("", "where(u > 0, u, 0)");
	assert_true(r.lo == 0 && !r.lo_open && r.hi == HUGE_VAL);
	r = root_interval("", "where(u > 2, 2, u)");
	assert_true(r.hi == 2 && r.lo == -HUGE_VAL);
	/* clamp's interval is its bounds' */
	r = root_interval("", "clamp(u, -1, 3)");
	assert_true(r.lo == -1 && r.hi == 3);
}

static void test_where_clamp_and_comparisons_are_typed(void **state)
{
	(void)state;
	fires("", "u > 0", "", "LS301", "u > 0");
	fires("", "(u > 0) * u", "", "LS301", "(u > 0)");
	fires("", "where(u, u, 0)", "", "LS306", "u");
	fires("", "where(sum(v) > 0, v, 0)", "", "LS307", "where(sum(v) > 0, v, 0)");
	clean("sum(where(v > t, v, t))", "");
	fires("", "where(v > z, 1, 0)", "", "LS302", "v > z");
	fires("", "clamp(u, 0)", "", "LS306", "clamp(u, 0)");
	/* curvature: a data condition keeps each side's; an output condition does not */
	assert_int_equal(root_curv("where(s > 0, square(u), abs(u))"), CURV_CONVEX);
	assert_int_equal(root_curv("where(s > 0, square(u), -abs(u))"), CURV_UNKNOWN);
	assert_int_equal(root_curv("where(u > 0, u, 0)"), CURV_UNKNOWN);
	/* clamp: the identity where never cut, max / min where cut on one side */
	assert_int_equal(root_curv("clamp(q, -1, 2)"), CURV_AFFINE);
	assert_int_equal(root_curv("clamp(r, -20, 5)"), CURV_CONCAVE);
	assert_int_equal(root_curv("clamp(square(r), 1, 200)"), CURV_CONVEX);
	assert_int_equal(root_curv("clamp(u, -1, 1)"), CURV_UNKNOWN);
}

static void test_overflow_limit_depends_on_precision(void **state)
{
	(void)state;
	char text[512];
	for (int prec = 0; prec < 2; prec++) {
		fx f;
		snprintf(text, sizeof text, "dataset d { label t: real; }\n"
			 "loss l on d { output r: real in [0, 200]; value = exp(r); reduce mean; precision %s; }\n",
			 prec ? "float64" : "float32");
		source_from_buffer(&f.src, "p.loss", text, strlen(text));
		diag_list_init(&f.diags);
		f.file = parse_source(&f.src, &f.diags, 20);
		resolve_file(f.file, &f.diags);
		pipeline_losses(f.file, &popts, &f.diags);
		assert_int_equal(count(&f, "LS405"), prec ? 0 : 1);
		done(&f);
	}
}

/* ---- stability patterns and their fixes -------------------------------- */

static void pattern_fix(const char *extra, const char *value, const char *code, const char *at, const char *fix)
{
	fx f;
	run(&f, extra, value, "");
	const diag *d = find(&f, code);
	if (!d)
		fail_msg("%s: no %s", value, code);
	assert_int_equal(count(&f, code), 1);
	size_t len = d->span.end - d->span.start;
	if (len != strlen(at) || memcmp(f.src.text + d->span.start, at, len))
		fail_msg("%s: %s at '%.*s', want '%s'", value, code, (int)len, f.src.text + d->span.start, at);
	if (fix) {
		assert_true(d->has_fix);
		assert_string_equal(d->fix_text, fix);
		assert_int_equal(d->fix_span.start, d->span.start);
		assert_int_equal(d->fix_span.end, d->span.end);
	} else {
		assert_false(d->has_fix);
	}
	done(&f);
}

static void test_stability_patterns_fire_with_fixes(void **state)
{
	(void)state;
	pattern_fix("", "-log(softmax(z))[c]", "LS401", "log(softmax(z))", "log_softmax(z)");
	pattern_fix("", "-log(softmax(z)[c])", "LS401", "log(softmax(z)[c])", "log_softmax(z)[c]");
	pattern_fix("", "-log(sigmoid(u))", "LS402", "log(sigmoid(u))", "log_sigmoid(u)");
	pattern_fix("", "-log(1 - sigmoid(u + 1))", "LS402", "log(1 - sigmoid(u + 1))", "log_sigmoid(-(u + 1))");
	pattern_fix("", "bce(sigmoid(u), b)", "LS402", "bce(sigmoid(u), b)", "bce_with_logits(u, b)");
	pattern_fix("", "log(1 + q)", "LS403", "log(1 + q)", "log1p(q)");
	pattern_fix("", "log(q + 1)", "LS403", "log(q + 1)", "log1p(q)");
	pattern_fix("", "exp(r) - 1", "LS403", "exp(r) - 1", "expm1(r)");
	pattern_fix("", "log(sum(exp(z))) - z[c]", "LS404", "log(sum(exp(z)))", "logsumexp(z)");
	pattern_fix("", "log(exp(r) + exp(q))", "LS404", "log(exp(r) + exp(q))", "logsumexp([r, q])");
	/* through a let: found, but no fix (the text to rewrite is elsewhere) */
	pattern_fix("    let sm = softmax(z);\n", "-log(sm)[c]", "LS401", "log(sm)", NULL);
}

/*
 * Each way a pattern is written: the constant on either side of 1 + x,
 * each pattern through a let (found, no fix: the text to rewrite is the
 * let's), and a rewrite too long to quote (the message names the pattern,
 * the fix is still whole).
 */
static void test_stability_pattern_variants(void **state)
{
	(void)state;
	pattern_fix("", "log(exp(r) + 1)", "LS403", "log(exp(r) + 1)", "softplus(r)");
	pattern_fix("", "log1p(exp(u))", "LS403", "log1p(exp(u))", "softplus(u)");
	pattern_fix("", "-log(1 - sigmoid(v[0]))", "LS402", "log(1 - sigmoid(v[0]))", "log_sigmoid(-v[0])");
	pattern_fix("", "sum(log(exp(v) + exp(t)))", "LS404", "log(exp(v) + exp(t))", "logsumexp([v, t])");
	pattern_fix("    let s = softmax(z);\n", "-log(s[c])", "LS401", "log(s[c])", NULL);
	pattern_fix("    let s = sigmoid(u);\n", "-log(1 - s)", "LS402", "log(1 - s)", NULL);
	pattern_fix("    let e = exp(r);\n", "log(1 + e)", "LS403", "log(1 + e)", NULL);
	pattern_fix("    let e = exp(r);\n", "log1p(e)", "LS403", "log1p(e)", NULL);
	pattern_fix("    let e = exp(r);\n", "e - 1", "LS403", "e - 1", NULL);
	pattern_fix("    let e = exp(z);\n", "log(sum(e))", "LS404", "log(sum(e))", NULL);
	pattern_fix("    let e = exp(r);\n", "log(e + exp(q))", "LS404", "log(e + exp(q))", NULL);
	pattern_fix("    let s = sigmoid(u);\n", "bce(s, b)", "LS402", "bce(s, b)", NULL);

	fx f;
	run(&f, "", "log(1 + (square(r) * square(u) + square(q) * abs(r) + square(u) * abs(q) * 0.5))", "");
	const diag *d = find(&f, "LS403");
	assert_non_null(d);
	assert_string_equal(d->message, "log(1 + x) loses the digits of a small argument; use log1p(x)");
	assert_true(d->has_fix);
	assert_string_equal(d->fix_text, "log1p(square(r) * square(u) + square(q) * abs(r) + square(u) * abs(q) * 0.5)");
	done(&f);
	run(&f, "", "log(sigmoid(u))", "");
	d = find(&f, "LS402");
	assert_non_null(d);
	assert_string_equal(d->message, "log(sigmoid(u)) underflows to log(0) when its argument is very negative; "
			    "use log_sigmoid(u)");
	done(&f);
}

/*
 * LS332 and LS410 at each of their conditions: kl_div fed a value that is
 * never negative (not a probability op: no fix), a sqrt of a sum that is
 * not of squares or of dot(v, w) with w not v (found, no norm2 fix), a
 * fourth root of a sum of squares (not a square root: no fix), a root of
 * a let (the text is elsewhere: no fix).
 */
static void test_hazard_conditions(void **state)
{
	(void)state;
	fx f;
	run(&f, "", "kl_div(square(z), p)", "");
	const diag *d = find(&f, "LS332");
	assert_non_null(d);
	assert_string_equal(d->message, "kl_div's first argument must be log-probabilities, but square(z) is never negative");
	assert_false(d->has_fix);
	done(&f);
	run(&f, "", "kl_div(z, p) + kl_div(log_softmax(z), p)", "");
	assert_int_equal(count(&f, "LS332"), 0);
	done(&f);
	pattern_fix("", "sqrt(sum(abs(v - t)))", "LS410", "sqrt(sum(abs(v - t)))", NULL);
	pattern_fix("", "sqrt(dot(square(v), square(t)))", "LS410", "sqrt(dot(square(v), square(t)))", NULL);
	pattern_fix("", "sqrt(dot(v - t, v - t))", "LS410", "sqrt(dot(v - t, v - t))", "norm2(v - t)");
	pattern_fix("", "sum(square(v - t)) ^ 0.25", "LS410", "sum(square(v - t)) ^ 0.25", NULL);
	pattern_fix("    let ss = sum(square(v - t));\n", "sqrt(ss)", "LS410", "sqrt(ss)", NULL);
	/* dot(a, a) is a sum of squares only when both operands are the same value:
	   equal constants (scalars or vectors), the same operations in the same order */
	pattern_fix("", "sqrt(dot(v + [1, 2, 3, 4], v + [1, 2, 3, 4]))", "LS410",
		    "sqrt(dot(v + [1, 2, 3, 4], v + [1, 2, 3, 4]))", "norm2(v + [1, 2, 3, 4])");
	pattern_fix("", "sqrt(dot(v + 1, v + 1))", "LS410", "sqrt(dot(v + 1, v + 1))", "norm2(v + 1)");
	fires("", "sqrt(dot(v + [1, 2, 3, 4], v + [1, 2, 3, 5]))", "", "LS304", NULL);
	fires("", "sqrt(dot(v + 1, v + 2))", "", "LS304", NULL);
	fires("", "sqrt(dot(v + [1, 1, 1, 1], v + 1))", "", "LS304", NULL);
	fires("", "sqrt(dot(2 * v, v * 2))", "", "LS304", NULL);
	fires("", "sqrt(dot(v, t))", "", "LS304", NULL);
	/* a constant argument has no gradient: nothing to say */
	run(&f, "", "sqrt(abs(0 * u)) + u", "");
	assert_int_equal(count(&f, "LS410"), 0);
	done(&f);
}

static void test_stability_near_misses_stay_silent(void **state)
{
	(void)state;
	static const char *const ok[] = {
		"-log_softmax(z)[c]", "-log_sigmoid(u)", "bce_with_logits(u, b)", "log1p(q)", "expm1(r)",
		"logsumexp(z) - z[c]", "log(2 + q)", "log(q + 2)", "exp(r) - 2", 		"log(softplus(u))", "log(1 - q * 0.5)", "bce(q, b)", "log(sum(softmax(z)))",
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		fx f;
		run(&f, "", ok[i], "");
		for (size_t k = 0; k < f.diags.n; k++)
			if (!strncmp(f.diags.items[k].code, "LS40", 4) && strcmp(f.diags.items[k].code, "LS405"))
				fail_msg("%s: unexpected %s", ok[i], f.diags.items[k].code);
		done(&f);
	}
}

/* ---- the analysis fields gen can read ------------------------------------ */

static void test_analyze_loss_fills_every_node(void **state)
{
	(void)state;
	fx f;
	run(&f, "", "cross_entropy(z, c) + 0.1 * norm2(z)", "nonnegative, convex");
	assert_int_equal(f.diags.n, 0);
	ir_loss *l = ir_lower(f.file, f.file->decls->next, f.file->arena, &f.diags);
	analyze_loss(l);
	for (size_t i = 0; i < l->nnodes; i++)
		assert_true(l->nodes[i]->analyzed);
	assert_int_equal(l->root->curv, CURV_CONVEX);
	assert_true(iv_positive(l->root->iv));
	assert_true(l->root->kink);       /* norm2 at the zero vector */
	done(&f);
}

static void test_explain_value_output(void **state)
{
	(void)state;
	fx f;
	run(&f, "", "huber(v, t, delta=0.5) + 0.001 * mean(square(v))", "convex");
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	arena *ar = arena_new();
	ir_loss *l = ir_lower(f.file, f.file->decls->next, ar, &f.diags);
	analyze_loss(l);
	assert_int_equal(analyze_explain(m, l), 0);
	arena_free(ar);
	fclose(m);
	assert_string_equal(out,
		"a.loss:11:6: loss l\n"
		"  value:      mean(huber_elem(v - t, 0.5)) + 0.001 * mean(square(v))\n"
		"  shape:      real\n"
		"  interval:   [0, inf)\n"
		"  curvature:  convex\n"
		"  smoothness: smooth (continuously differentiable in the outputs)\n"
		"  claims:     convex: proven by the composition rules (the value is convex)\n");
	free(out);
	done(&f);
}

/* Every code the analyzer emits is in the catalogue with an explanation. */
static int explain_writer(FILE *out, const void *l) { return analyze_explain(out, l); }

/*
 * --explain-value reports a failed write wherever it falls (the value,
 * shape, smoothness, proofs and each claim line), with only a prefix of
 * the explanation written before it.
 */
static void test_explain_value_reports_write_errors(void **state)
{
	(void)state;
	fx f;
	run(&f, "", "kl_div(log_softmax(z), p) + abs(u)", "nonnegative, convex, smooth, bounded");
	arena *ar = arena_new();
	ir_loss *l = ir_lower(f.file, f.file->decls->next, ar, &f.diags);
	analyze_loss(l);
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	assert_int_equal(analyze_explain(m, l), 0);
	fclose(m);
	/* every part is there for the writes to fail in */
	assert_non_null(strstr(out, "  proofs:     "));
	assert_non_null(strstr(out, "  claims:     nonnegative: proven"));
	assert_non_null(strstr(out, "convex: proven by the composition rules"));
	assert_non_null(strstr(out, "smooth: not proven (LS502 says why)"));
	assert_non_null(strstr(out, "smoothness: not smooth: "));
	free(out);
	assert_int_equal(wfail_check(explain_writer, l, SIZE_MAX, 1), len);
	arena_free(ar);
	done(&f);
}

static void test_catalogue_covers_every_code(void **state)
{
	(void)state;
	static const char *const codes[] = {
		"LS301", "LS302", "LS303", "LS304", "LS305", "LS306", "LS307",
		"LS401", "LS402", "LS403", "LS404", "LS405",
		"LS501", "LS502", "LS503", "LS504", "LS505",
	};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		const code_info *ci = codes_find(codes[i]);
		if (!ci)
			fail_msg("%s is not in the catalogue", codes[i]);
		assert_true(strlen(ci->explain) > 200);
		assert_non_null(strstr(ci->explain, "Why"));
		assert_non_null(strstr(ci->explain, "Fix"));
		assert_non_null(strstr(ci->explain, "Example"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_common_losses_are_convex_and_nonnegative),
		cmocka_unit_test(test_dcp_composition_rules),
		cmocka_unit_test(test_convexity_note_names_the_culprit),
		cmocka_unit_test(test_claims_nonnegative_and_bounded),
		cmocka_unit_test(test_unknown_claim),
		cmocka_unit_test(test_domain_and_overflow_checks),
		cmocka_unit_test(test_where_narrows_each_side_by_its_condition),
		cmocka_unit_test(test_where_clamp_and_comparisons_are_typed),
		cmocka_unit_test(test_overflow_limit_depends_on_precision),
		cmocka_unit_test(test_stability_patterns_fire_with_fixes),
		cmocka_unit_test(test_stability_pattern_variants),
		cmocka_unit_test(test_hazard_conditions),
		cmocka_unit_test(test_stability_near_misses_stay_silent),
		cmocka_unit_test(test_analyze_loss_fills_every_node),
		cmocka_unit_test(test_explain_value_output),
		cmocka_unit_test(test_explain_value_reports_write_errors),
		cmocka_unit_test(test_catalogue_covers_every_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
