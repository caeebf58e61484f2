/*
 * test_fixes_verified.c: every machine-applicable fix of the math passes
 * (LS401-LS404 rewrites, LS410's norm2, LS332's log_softmax) fixes.  For
 * each case the test lints a loss, applies the fix of the expected
 * finding to the text, and lints the result:
 *   - the finding is gone, and no LS3xx/LS4xx code appears that was not
 *     there before;
 *   - a safe fix keeps the value: both versions are evaluated (the long
 *     double evaluator, ireval.h) at 300 sample points, each name taking
 *     the same values in both, and agree wherever both are finite (a
 *     stable rewrite is finite where the original overflowed: that is the
 *     point of it) and the original is below 20 (beyond, the unstable
 *     original cancels even in long double), within 1e-9 relative; at
 *     least a third of the points must be compared.
 * The case list must hold every code that carries a math fix.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ireval.h"
#include "pipeline.h"

static const char header[] =
	"dataset d {\n"
	"    label t: real[4];\n"
	"    label ts: real;\n"
	"    label c: class[4];\n"
	"    label p: prob[4];\n"
	"    label b: binary;\n"
	"}\n"
	"loss l on d {\n"
	"    output z: real[4];\n"
	"    output u: real;\n"
	"    output s: real;\n"
	"    value = ";
static const char footer[] = ";\n    reduce mean;\n    precision float64;\n}\n";

#define NSAMPLES 300

typedef struct run {
	diag_list diags;
	long double v[NSAMPLES];
	int ok;
} run;

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

/* A value for element j of the name at sample k: the same in every parse. */
static double draw(const char *name, long j, int k, double lo, double hi)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = mix(h ^ mix((uint64_t)j * 7919 + (uint64_t)k * 104729));
	return lo + (hi - lo) * (double)(h >> 11) / 9007199254740992.0;
}

static void on_loss(void *ctx, ir_loss *l)
{
	run *r = ctx;
	ir_values x;
	if (!l->root || ireval_init(&x, l) < 0)
		return;
	for (int k = 0; k < NSAMPLES; k++) {
		double scale = k % 3 == 0 ? 200 : k % 3 == 1 ? 5 : 0.01;
		for (size_t i = 0; i < l->nnodes; i++) {
			const ir_node *n = l->nodes[i];
			const ast_item *it = n->item;
			if (!it || n->op == IR_CONST)
				continue;
			long len = ireval_len(n);
			double sum = 0;
			for (long j = 0; j < len; j++) {
				double v;
				if (n->type == IRT_CLASS)
					v = floor(draw(it->name.s, j, k, 0, (double)ir_len(n) - 1e-9));
				else if (it->type.kind == TY_PROB)
					sum += v = draw(it->name.s, j, k, 0, 1);
				else if (it->type.kind == TY_BINARY)
					v = draw(it->name.s, j, k, 0, 1) < 0.5 ? 0 : 1;
				else
					v = draw(it->name.s, j, k, -scale, scale);
				x.v[i][j] = v;
			}
			if (it->type.kind == TY_PROB)
				for (long j = 0; j < len; j++)
					x.v[i][j] /= sum;
		}
		ireval_forward(&x);
		r->v[k] = x.v[l->root->id][0];
	}
	ireval_free(&x);
	r->ok = 1;
}

static void lint_text(const char *text, run *r)
{
	source src;
	pipeline_opts o;
	memset(r, 0, sizeof *r);
	source_from_buffer(&src, "fix.loss", text, strlen(text));
	diag_list_init(&r->diags);
	pipeline_opts_init(&o);
	o.on_loss = on_loss;
	o.ctx = r;
	pipeline_run(&src, &o, &r->diags);
	/* the findings keep pointers to src: copy what the test reads */
	for (size_t i = 0; i < r->diags.n; i++)
		r->diags.items[i].src = NULL;
	source_free(&src);
}

static int has_code(const diag_list *l, const char *code)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->items[i].code, code))
			return 1;
	return 0;
}

typedef struct fixcase {
	const char *value;
	const char *code;
	const char *want;       /* the fixed text of the value, or NULL: not checked */
} fixcase;

static const fixcase cases[] = {
	{ "-log(softmax(z))[c]", "LS401", "-log_softmax(z)[c]" },
	{ "-log(softmax(z)[c])", "LS401", "-log_softmax(z)[c]" },
	/* an index that is no name: a number, an expression */
	{ "-log(softmax(z)[0])", "LS401", "-log_softmax(z)[0]" },
	{ "-log(softmax(z)[1 + 2])", "LS401", "-log_softmax(z)[1 + 2]" },
	{ "-log(sigmoid(u))", "LS402", "-log_sigmoid(u)" },
	{ "-log(1 - sigmoid(u))", "LS402", "-log_sigmoid(-u)" },
	{ "-log(1 - sigmoid(u + s))", "LS402", "-log_sigmoid(-(u + s))" },
	{ "bce(sigmoid(u), b)", "LS402", "bce_with_logits(u, b)" },
	{ "log(1 + square(u))", "LS403", "log1p(square(u))" },
	{ "exp(u) - 1 - u", "LS403", "expm1(u) - u" },
	{ "log(1 + exp(s))", "LS403", "softplus(s)" },
	{ "log(exp(s - u) + 1)", "LS403", "softplus(s - u)" },
	{ "log1p(exp(s))", "LS403", "softplus(s)" },
	{ "log(sum(exp(z))) - z[c]", "LS404", "logsumexp(z) - z[c]" },
	{ "log(exp(u) + exp(s))", "LS404", "logsumexp([u, s])" },
	{ "sqrt(sum(square(z - t)))", "LS410", "norm2(z - t)" },
	{ "sqrt(dot(z - t, z - t)) + u * u", "LS410", "norm2(z - t) + u * u" },
	{ "sum(square(z - t)) ^ 0.5", "LS410", "norm2(z - t)" },
	{ "kl_div(softmax(z), p)", "LS332", "kl_div(log_softmax(z), p)" },
};

/* The codes that carry a math fix: each must have a case. */
static const char *const fix_codes[] = { "LS401", "LS402", "LS403", "LS404", "LS410", "LS332" };

static void test_every_fix_fixes(void **state)
{
	(void)state;
	for (size_t ci = 0; ci < sizeof cases / sizeof cases[0]; ci++) {
		const fixcase *fc = &cases[ci];
		char text[2048], fixed[2048];
		snprintf(text, sizeof text, "%s%s%s", header, fc->value, footer);
		run *before = calloc(1, sizeof *before), *after = calloc(1, sizeof *after);
		assert_non_null(before);
		assert_non_null(after);
		lint_text(text, before);
		const diag *d = NULL;
		for (size_t i = 0; i < before->diags.n; i++)
			if (!strcmp(before->diags.items[i].code, fc->code) && before->diags.items[i].has_fix)
				d = &before->diags.items[i];
		if (!d)
			fail_msg("%s: no %s finding with a fix", fc->value, fc->code);
		/* apply it */
		size_t a = d->fix_span.start, e = d->fix_span.end;
		snprintf(fixed, sizeof fixed, "%.*s%s%s", (int)a, text, d->fix_text, text + e);
		if (fc->want) {
			char want[2048];
			snprintf(want, sizeof want, "%s%s%s", header, fc->want, footer);
			if (strcmp(fixed, want))
				fail_msg("%s: fixed to\n%s\nwant\n%s", fc->value, fixed, want);
		}
		lint_text(fixed, after);
		if (!before->ok || !after->ok)
			fail_msg("%s: a version did not lower", fc->value);
		/* the finding is gone; nothing new in LS3xx/LS4xx */
		if (has_code(&after->diags, fc->code))
			fail_msg("%s: %s is still reported after its fix", fc->value, fc->code);
		for (size_t i = 0; i < after->diags.n; i++) {
			const char *code = after->diags.items[i].code;
			if ((!strncmp(code, "LS3", 3) || !strncmp(code, "LS4", 3)) && !has_code(&before->diags, code))
				fail_msg("%s: the fix brings a new %s: %s", fc->value, code, after->diags.items[i].message);
		}
		/* a safe fix keeps the value */
		if (!d->fix_unsafe) {
			int compared = 0;
			for (int k = 0; k < NSAMPLES; k++) {
				long double x = before->v[k], y = after->v[k];
				/* beyond 20 the unstable originals cancel even in long
				   double (1 - sigmoid(36) keeps 4 digits): that is what the
				   fix is for, so those points are not compared */
				if (!isfinite((double)x) || !isfinite((double)y) || fabsl(x) > 20)
					continue;
				compared++;
				if (fabsl(x - y) > 1e-9L * (1 + fmaxl(fabsl(x), fabsl(y))))
					fail_msg("%s: sample %d: %.17Lg before the fix, %.17Lg after", fc->value, k, x, y);
			}
			if (compared < NSAMPLES / 3)
				fail_msg("%s: only %d of %d samples finite in both", fc->value, compared, NSAMPLES);
		}
		diag_list_free(&before->diags);
		diag_list_free(&after->diags);
		free(before);
		free(after);
	}
}

static void test_every_fix_code_has_a_case(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof fix_codes / sizeof fix_codes[0]; k++) {
		int found = 0;
		for (size_t ci = 0; ci < sizeof cases / sizeof cases[0]; ci++)
			found |= !strcmp(cases[ci].code, fix_codes[k]);
		if (!found)
			fail_msg("%s carries a fix but has no case", fix_codes[k]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_fix_code_has_a_case),
		cmocka_unit_test(test_every_fix_fixes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
