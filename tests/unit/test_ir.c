/*
 * test_ir.c: type checking and lowering through the real front end.
 * Each test writes a small story, lowers one loss and checks either the
 * printed expansion (the analyzer's and gen's view of the value) or the
 * exact findings.
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

#include "funcs.h"
#include "losses.h"
#include "ir.h"
#include "ireval.h"
#include "ops.h"
#include "parse.h"
#include "resolve.h"

static const char header[] =
	"dataset d {\n"
	"    input x: real[4] in [0, 1];\n"
	"    input s: real;\n"
	"    label t: real[4];\n"
	"    label c: class[5];\n"
	"    label k: class[4];\n"
	"    label p: prob[5];\n"
	"    label b: binary;\n"
	"    label g: sign;\n"
	"}\n";

typedef struct fx {
	source src;
	diag_list diags;
	ast_file *file;
	ir_loss *l;
	char text[4096];
} fx;

/* Lower `value = EXPR;` in a loss with outputs z: real[5], v: real[4], u: real. */
static ir_loss *lower_value(fx *f, const char *items, const char *value)
{
	snprintf(f->text, sizeof f->text,
		 "%sloss l on d {\n    output z: real[5];\n    output v: real[4];\n    output u: real;\n%s    value = %s;\n}\n",
		 header, items, value);
	source_from_buffer(&f->src, "ir.loss", f->text, strlen(f->text));
	diag_list_init(&f->diags);
	f->file = parse_source(&f->src, &f->diags, PARSE_DEFAULT_MAX_ERRORS);
	assert_int_equal(f->file->syntax_errors, 0);
	resolve_file(f->file, &f->diags);
	assert_int_equal(f->diags.n, 0);
	ast_decl *d = f->file->decls->next;
	f->l = ir_lower(f->file, d, f->file->arena, &f->diags);
	return f->l;
}

static void done(fx *f)
{
	ast_file_free(f->file);
	diag_list_free(&f->diags);
	source_free(&f->src);
}

/* The value lowers without findings and prints as `want`. */
static void expands(const char *value, const char *want)
{
	fx f;
	char buf[1024];
	ir_loss *l = lower_value(&f, "", value);
	if (f.diags.n)
		fail_msg("%s: unexpected finding %s: %s", value, f.diags.items[0].code, f.diags.items[0].message);
	assert_non_null(l->root);
	ir_to_string(l->root, buf, sizeof buf);
	if (strcmp(buf, want))
		fail_msg("%s expanded to\n  %s\nwant\n  %s", value, buf, want);
	done(&f);
}

/* The value gives exactly one finding, with this code and message. */
static void rejects(const char *items, const char *value, const char *code, const char *msg)
{
	fx f;
	ir_loss *l = lower_value(&f, items, value);
	if (f.diags.n != 1)
		fail_msg("%s: %zu findings, want 1 (%s)", value, f.diags.n, f.diags.n ? f.diags.items[0].message : "");
	assert_string_equal(f.diags.items[0].code, code);
	assert_string_equal(f.diags.items[0].message, msg);
	assert_null(l->root);
	assert_int_equal(l->errors, 1);
	done(&f);
}

static void test_composite_losses_expand_as_pytorch_defines_them(void **state)
{
	(void)state;
	expands("cross_entropy(z, c)", "-log_softmax(z)[c]");
	expands("cross_entropy(z, c, label_smoothing=0.1)",
		"0.9 * -log_softmax(z)[c] - 0.02 * sum(log_softmax(z))");
	expands("cross_entropy(z, p)", "-sum(p * log_softmax(z))");
	expands("cross_entropy(z, p, label_smoothing=0.2)", "-sum((0.8 * p + 0.04) * log_softmax(z))");
	expands("nll(log_softmax(z), c)", "-log_softmax(z)[c]");
	expands("mse(v, t)", "mean(square(v - t))");
	expands("mse(u, s)", "square(u - s)");
	expands("l1(v, t)", "mean(abs(v - t))");
	expands("huber(v, t)", "mean(huber_elem(v - t, 1))");
	expands("huber(v, t, delta=0.5)", "mean(huber_elem(v - t, 0.5))");
	expands("smooth_l1(v, t, beta=0.5)", "mean(huber_elem(v - t, 0.5)) / 0.5");
	expands("smooth_l1(v, t, beta=0)", "mean(abs(v - t))");
	expands("bce(u, b)", "bce_elem(u, b)");
	expands("bce_with_logits(u, b)", "b * softplus(-u) + (1 - b) * softplus(u)");
	expands("bce_with_logits(u, b, pos_weight=2)", "2 * b * softplus(-u) + (1 - b) * softplus(u)");
	expands("hinge(u, g)", "relu(1 - g * u)");
	expands("hinge(u, b)", "relu(1 - (2 * b - 1) * u)");
	expands("kl_div(z, p)", "sum(xlogx(p) - p * z)");
}

static void test_primitives_lets_and_params(void **state)
{
	(void)state;
	fx f;
	char buf[512];
	/* a let used twice is one shared node; params fold to constants */
	ir_loss *l = lower_value(&f, "    param w: real[5] = [1, 2, 3, 4, 5];\n    param q: real = 2 * 3;\n"
				 "    let lp = log_softmax(z);\n",
				 "-w[c] * lp[c] + q * sum(exp(lp))");
	assert_int_equal(f.diags.n, 0);
	ir_to_string(l->root, buf, sizeof buf);
	assert_string_equal(buf, "-[1, 2, 3, 4, 5][c] * log_softmax(z)[c] + 6 * sum(exp(log_softmax(z)))");
	int nls = 0;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		assert_int_equal(n->id, i);
		for (unsigned k = 0; k < n->nargs; k++)
			assert_true(n->args[k]->id < n->id);
		if (n->op == IR_LOG_SOFTMAX) nls++;
	}
	assert_int_equal(nls, 1);
	assert_int_equal(l->root->type, IRT_REAL);
	assert_int_equal(ir_len(l->root), 0);
	/* uses: the outputs and labels it reads, not the others */
	const ast_decl *ds = f.file->decls;
	for (const ast_item *it = ds->items; it; it = it->next)
		if (it->kind == IT_LABEL || it->kind == IT_INPUT)
			assert_int_equal(ir_uses_item(l, it), it->name.s[0] == 'c');
	done(&f);

	/* spans: a node of an expansion spans the call */
	l = lower_value(&f, "", "1 + mse(v, t)");
	const ir_node *sq = NULL;
	for (size_t i = 0; i < l->nnodes; i++)
		if (l->nodes[i]->op == IR_SQUARE) sq = l->nodes[i];
	assert_non_null(sq);
	assert_int_equal(sq->span.end - sq->span.start, strlen("mse(v, t)"));
	assert_memory_equal(f.src.text + sq->span.start, "mse(v, t)", 9);
	assert_string_equal(sq->from->sig.name, "mse");
	done(&f);

	expands("max(z) + min(v) + max(u, 0) + min(s, u) + dot(v, t) + norm1(v) + norm2(v) + logsumexp(z)",
		"max(z) + min(v) + max(u, 0) + min(s, u) + dot(v, t) + norm1(v) + norm2(v) + logsumexp(z)");
	expands("sum(onehot(c) * z) + mean(softmax(z)) + sum(sigmoid(v) + tanh(v) + relu(v) + softplus(v))",
		"sum(onehot(c) * z) + mean(softmax(z)) + sum(sigmoid(v) + tanh(v) + relu(v) + softplus(v))");
	expands("log1p(u) + expm1(u) + sqrt(u) + abs(u) + square(u) + log_sigmoid(u) - u^2 / 2",
		"log1p(u) + expm1(u) + sqrt(u) + abs(u) + square(u) + log_sigmoid(u) - u^2 / 2");
	expands("-(u - 1) * (2 - u)", "-(u - 1) * (2 - u)");
	expands("sum([u, 2 * u, 3]) + 2^3", "sum([u, 2 * u, 3]) + 8");
	expands("(u - s) ^ 2 ^ 0.5", "(u - s)^1.41421");
}

/* Masks, reductions and the batch operations, each misuse with its own message. */
static void test_masks_reductions_and_batch_ops_refused(void **state)
{
	(void)state;
	rejects("", "cross_entropy(z, c, ignore_index=0.5)", "LS306",
		"ignore_index is a whole number (PyTorch uses -100), not a fraction");
	rejects("", "cross_entropy(z, c, ignore_index=u)", "LS306",
		"ignore_index is a whole number (PyTorch uses -100), not an expression of data or outputs");
	rejects("", "cross_entropy(z, p, ignore_index=0)", "LS312",
		"ignore_index masks rows by a class[K] label, and 'y' of cross_entropy is real[5]");
	rejects("", "cross_entropy(z, c, ignore_index=0) + cross_entropy(z, c, ignore_index=1)", "LS306",
		"the value already leaves out the rows where c is 0 (line 15): a row has one mask");
	rejects("", "mse(v, t, reductio=\"none\")", "LS306",
		"a string argument is only reduction=\"none\" or reduction=\"mean\"");
	rejects("", "sum(softmax(z, reduction=\"none\"))", "LS306",
		"softmax has no reduction: only the losses that average over a vector (mse, l1, huber, bce, ...) "
		"take reduction=\"none\"");
	rejects("", "sum(mse(v, t, reduction=\"sum\"))", "LS306",
		"reduction=\"sum\" is written sum(mse(..., reduction=\"none\"))");
	rejects("", "sum(mse(v, t, reduction=\"max\"))", "LS306", "reduction is \"none\" or \"mean\", not \"max\"");
	rejects("    batch B;\n", "sum(arange(s))", "LS316",
		"arange() takes the name of the batch size (declared `batch B;`), not an expression");
	rejects("    batch B;\n", "sum(transpose(v, v))", "LS306", "transpose expects 1 argument, got 2: transpose(x)");
	rejects("    batch B;\n", "sum(diagonal(u))", "LS302",
		"diagonal takes a per-example vector (a row of the batch), not real");
	rejects("    batch B;\n", "sum(v @ transpose(u))", "LS302",
		"transpose(b) on the right of @ takes a per-example vector (a row of the batch), not real");
	rejects("    batch B;\n", "sum(u @ transpose(v))", "LS302",
		"the left side of a @ transpose(b) takes a per-example vector (a row of the batch), not real");
}

static void test_type_errors_name_both_shapes(void **state)
{
	(void)state;
	rejects("", "sum(z[t])", "LS301", "'t' is real[4]: only a class[K] label can index a vector");
	rejects("", "u[c]", "LS301", "only a real[K] vector can be indexed, not real");
	rejects("", "c + u", "LS301", "class label used as a number (class[5]); index a vector with it, or use onehot()");
	rejects("", "z[k]", "LS302", "shape mismatch in indexing: real[5] indexed by class[4]");
	rejects("", "sum(z + v)", "LS302", "shape mismatch in '+': real[5] vs real[4]");
	rejects("", "cross_entropy(v, c)", "LS302", "shape mismatch in cross_entropy: logits real[4] vs y class[5]");
	rejects("", "kl_div(v, p)", "LS302", "shape mismatch in kl_div: logq real[4] vs p real[5]");
	rejects("", "mse(z, t)", "LS302", "shape mismatch in mse: real[5] vs real[4]");
	rejects("", "dot(z, v)", "LS302", "shape mismatch in dot: real[5] vs real[4]");
	rejects("    param w: real[3] = [1, 2];\n", "u", "LS302", "param 'w' is declared real[3] but its value is real[2]");
	rejects("", "logg(u)", "LS306", "unknown function 'logg'; did you mean 'log'?");
	rejects("", "frobnicate(u)", "LS306", "unknown function 'frobnicate'");
	rejects("", "huber(v)", "LS306", "huber expects 2 to 3 arguments, got 1: huber(p, t, delta=1)");
	rejects("", "exp(u, u)", "LS306", "exp expects 1 argument, got 2: exp(x)");
	rejects("", "max(u, u, u)", "LS306", "max takes one vector (max(v)) or two values (max(a, b)), got 3 arguments");
	rejects("", "huber(v, t, width=2)", "LS306", "huber has no argument named 'width': huber(p, t, delta=1)");
	rejects("", "huber(v, t, delta=u)", "LS306",
		"argument 'delta' of huber must be a constant number, not an expression of data or outputs");
	rejects("", "huber(v, t, delta=0)", "LS306", "delta must be > 0, not 0");
	rejects("", "cross_entropy(z, c, label_smoothing=2)", "LS306", "label_smoothing must be in [0, 1], not 2");
	rejects("", "sum(z) + cross_entropy(u, c)", "LS306", "argument 'logits' of cross_entropy must be real[N], not real");
	rejects("", "sum(c)", "LS306", "argument 'v' of sum must be real[N], not class[5]");
	rejects("", "onehot(u)", "LS306", "argument 'y' of onehot must be a class[K] label, not real");
	rejects("", "v", "LS307", "the per-example value is real[4], not a scalar; reduce it with sum() or mean()");
	rejects("", "c", "LS307", "the per-example value is class[5], not a scalar; reduce it with sum() or mean()");
	rejects("", "softmax(z)", "LS307", "the per-example value is real[5], not a scalar; reduce it with sum() or mean()");
}

/* Independent mistakes each get their finding; one mistake gets one. */
static void test_errors_do_not_cascade(void **state)
{
	(void)state;
	fx f;
	ir_loss *l = lower_value(&f, "", "sum(logg(z)) + huber(v) + exp(c + 1)");
	assert_int_equal(f.diags.n, 3);
	assert_int_equal(l->errors, 3);
	assert_null(l->root);
	done(&f);
	l = lower_value(&f, "", "sum(square(z[t]) + 1) * 2");
	assert_int_equal(f.diags.n, 1);
	done(&f);
}

/* A chain of lets that each use the previous one twice is a DAG of 120
   nodes whose tree would have 2^60 leaves: lowering and printing stay
   linear (the printer stops at its cap). */
/*
 * Statistics over the batch (lossspec(5) BATCHES): mean(s) and std(s) of
 * the input s are one value for the batch, computed from every row by
 * ireval_forward_batch; the value is per example; the adjoint of an
 * output reaches only its own row (the statistics read data).
 */
static void test_batch_statistics_over_the_rows(void **state)
{
	(void)state;
	fx f;
	ir_loss *l = lower_value(&f, "    batch B;\n", "u * (s - mean(s)) / std(s)");
	assert_int_equal(f.diags.n, 0);
	assert_non_null(l->root);
	int stats = 0;
	for (size_t i = 0; i < l->nnodes; i++)
		stats += ops[l->nodes[i]->op].kind == OK_BATCH;
	assert_int_equal(stats, 2);
	enum { N = 3 };
	const long double s[N] = { 1, 2, 6 }, u[N] = { 0.5L, -1, 2 };
	ir_values x[N];
	for (int r = 0; r < N; r++) {
		assert_int_equal(ireval_init(&x[r], l), 0);
		for (size_t i = 0; i < l->nnodes; i++) {
			const ir_node *n = l->nodes[i];
			if (n->op == IR_INPUT)
				x[r].v[i][0] = s[r];
			else if (n->op == IR_OUTPUT)
				x[r].v[i][0] = u[r];
		}
	}
	ireval_forward_batch(x, N);
	/* mean 3, unbiased std sqrt((4 + 1 + 9) / 2) = sqrt 7 */
	for (int r = 0; r < N; r++) {
		long double want = u[r] * (s[r] - 3) / sqrtl(7);
		assert_true(fabsl(x[r].v[l->root->id][0] - want) < 1e-15L);
	}
	const long double seed[N] = { 1.0L / 3, 1.0L / 3, 1.0L / 3 };
	ireval_backward_batch(x, N, seed);
	for (int r = 0; r < N; r++)
		for (size_t i = 0; i < l->nnodes; i++)
			if (l->nodes[i]->op == IR_OUTPUT)
				assert_true(fabsl(x[r].g[i][0] - (s[r] - 3) / sqrtl(7) / 3) < 1e-15L);
	/* the batch of one row: std is NaN, as torch.std of one element */
	ireval_forward_batch(x, 1);
	assert_true(isnan(x[0].v[l->root->id][0]));
	for (int r = 0; r < N; r++)
		ireval_free(&x[r]);
	done(&f);
}

/* The adjoint of a statistic of an output sums every row's and reaches
   every row (ireval; gen refuses such a statistic, ir.c says why). */
static void test_batch_statistic_adjoint_crosses_rows(void **state)
{
	(void)state;
	ir_loss l;
	ir_node leaf, stat, prod;
	ir_node *sargs[1] = { &leaf }, *pargs[2] = { &leaf, &stat };
	memset(&l, 0, sizeof l);
	memset(&leaf, 0, sizeof leaf);
	memset(&stat, 0, sizeof stat);
	memset(&prod, 0, sizeof prod);
	leaf.op = IR_OUTPUT;
	leaf.shape.batched = 1;
	stat.op = IR_BSTD;
	stat.id = 1;
	stat.nargs = 1;
	stat.args = sargs;
	prod.op = IR_MUL;                /* value_r = u_r * std(u) */
	prod.id = 2;
	prod.nargs = 2;
	prod.args = pargs;
	prod.shape.batched = 1;
	ir_node *nodes[3] = { &leaf, &stat, &prod };
	l.nodes = nodes;
	l.nnodes = 3;
	l.root = &prod;
	enum { N = 4 };
	const long double u[N] = { 0.3L, -1.2L, 2.5L, 0.7L };
	ir_values x[N];
	long double seed[N], g[N];
	for (int r = 0; r < N; r++) {
		ireval_init(&x[r], &l);
		x[r].v[0][0] = u[r];
		seed[r] = 1;
	}
	ireval_forward_batch(x, N);
	ireval_backward_batch(x, N, seed);
	for (int r = 0; r < N; r++)
		g[r] = x[r].g[0][0];
	/* sum_r u_r std(u): differences in each u_j move every row */
	for (int j = 0; j < N; j++) {
		long double h = 1e-6L, fp = 0, fm = 0;
		x[j].v[0][0] = u[j] + h;
		ireval_forward_batch(x, N);
		for (int r = 0; r < N; r++)
			fp += x[r].v[2][0];
		x[j].v[0][0] = u[j] - h;
		ireval_forward_batch(x, N);
		for (int r = 0; r < N; r++)
			fm += x[r].v[2][0];
		x[j].v[0][0] = u[j];
		long double fd = (fp - fm) / (2 * h);
		if (fabsl(fd - g[j]) > 1e-8L * (1 + fabsl(fd)))
			fail_msg("d/du_%d: adjoint %Lg, differences %Lg", j, g[j], fd);
	}
	for (int r = 0; r < N; r++)
		ireval_free(&x[r]);
}

/*
 * Operations across the rows (OK_CROSS: cdist, a @ transpose(b),
 * transpose) in the evaluator's batch: the adjoint of sum over rows of
 * the value, by ireval_backward_batch, matches central differences in
 * every component of every row's output (each row's output moves every
 * row's value through the B x B matrices).
 */
static void test_cross_rows_adjoint_matches_differences(void **state)
{
	(void)state;
	fx f;
	ir_loss *l = lower_value(&f, "    batch B;\n",
				 "mean(cdist(v, x)) + sum(transpose(v @ transpose(x))) * 0.25 + u");
	assert_int_equal(f.diags.n, 0);
	int cross = 0;
	for (size_t i = 0; i < l->nnodes; i++)
		cross += ops[l->nodes[i]->op].kind == OK_CROSS;
	assert_int_equal(cross, 3);
	enum { N = 3 };
	/* the rows are as long as the batch: evaluate the copy bound at N rows */
	assert_int_equal(l->nsizes, 0);
	assert_non_null(l->rows);
	const long bound[1] = { N };
	l = (ir_loss *)ir_bind(l, bound, f.file->arena);
	ir_values x[N];
	long double seed[N];
	for (int r = 0; r < N; r++) {
		assert_int_equal(ireval_init(&x[r], l), 0);
		seed[r] = 1;
		for (size_t i = 0; i < l->nnodes; i++) {
			const ir_node *n = l->nodes[i];
			if (n->op != IR_INPUT && n->op != IR_OUTPUT)
				continue;
			for (long j = 0; j < ireval_len(n); j++)
				x[r].v[i][j] = 0.1L * (long double)(r + 1) * (long double)(j + 2) *
					       (n->item->name.s[0] == 'x' ? 1 : -0.7L) + 0.05L * (long double)j;
		}
	}
	ireval_forward_batch(x, N);
	ireval_backward_batch(x, N, seed);
	size_t checked = 0;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		if (n->op != IR_OUTPUT)
			continue;
		for (int r = 0; r < N; r++)
			for (long j = 0; j < ireval_len(n); j++) {
				long double keep = x[r].v[i][j], h = 1e-7L, fp = 0, fm = 0, g = x[r].g[i][j];
				x[r].v[i][j] = keep + h;
				ireval_forward_batch(x, N);
				for (int q = 0; q < N; q++)
					fp += x[q].v[l->root->id][0];
				x[r].v[i][j] = keep - h;
				ireval_forward_batch(x, N);
				for (int q = 0; q < N; q++)
					fm += x[q].v[l->root->id][0];
				x[r].v[i][j] = keep;
				long double fd = (fp - fm) / (2 * h);
				if (fabsl(fd - g) > 1e-7L * (1 + fabsl(fd)))
					fail_msg("row %d, %s[%ld]: adjoint %Lg, differences %Lg", r,
						 n->item->name.s, j, g, fd);
				checked++;
			}
	}
	assert_int_equal(checked, N * (4 + 4 + 1));    /* v: real[4] (a leaf per use), u */
	for (int r = 0; r < N; r++)
		ireval_free(&x[r]);
	done(&f);
}

/* A let first lowered inside a call argument is one node at every use. */
static void test_let_inside_a_call_is_one_node(void **state)
{
	(void)state;
	fx f;
	ir_loss *l = lower_value(&f, "    let a = exp(s);\n", "min(u * a, u * a) + a");
	assert_int_equal(f.diags.n, 0);
	int exps = 0;
	for (size_t i = 0; i < l->nnodes; i++)
		exps += l->nodes[i]->op == IR_EXP;
	assert_int_equal(exps, 1);
	done(&f);
}

static void test_shared_let_chain_stays_linear(void **state)
{
	(void)state;
	char items[8192], buf[256];
	size_t off = 0;
	off += (size_t)snprintf(items + off, sizeof items - off, "    let a0 = u + 1;\n");
	for (int i = 1; i < 60; i++)
		off += (size_t)snprintf(items + off, sizeof items - off, "    let a%d = a%d * a%d;\n", i, i - 1, i - 1);
	fx f;
	ir_loss *l = lower_value(&f, items, "a59");
	assert_int_equal(f.diags.n, 0);
	assert_true(l->nnodes < 70);
	ir_to_string(l->root, buf, sizeof buf);
	assert_int_equal(strlen(buf), sizeof buf - 1);
	assert_string_equal(buf + sizeof buf - 4, "...");
	done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_composite_losses_expand_as_pytorch_defines_them),
		cmocka_unit_test(test_primitives_lets_and_params),
		cmocka_unit_test(test_type_errors_name_both_shapes),
		cmocka_unit_test(test_masks_reductions_and_batch_ops_refused),
		cmocka_unit_test(test_errors_do_not_cascade),
		cmocka_unit_test(test_shared_let_chain_stays_linear),
		cmocka_unit_test(test_batch_statistics_over_the_rows),
		cmocka_unit_test(test_batch_statistic_adjoint_crosses_rows),
		cmocka_unit_test(test_let_inside_a_call_is_one_node),
		cmocka_unit_test(test_cross_rows_adjoint_matches_differences),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
