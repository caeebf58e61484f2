/*
 * losses.c: the composite losses, defined in LossSpec (see losses.h).
 *
 * Each definition follows PyTorch's (torch.nn.functional, 1.13+), per
 * example; tests/vectors/ holds PyTorch's float64 values and gradients
 * for every one, which the generated kernels must match to 1e-6.
 *
 * To add a composite loss: a row here (signature, cases, average,
 * proven properties), its reference vectors in tests/vectors/, a line in
 * tests/unit/test_losses.c.  lossspec(5)'s table is generated from the
 * rows.
 */
#include "losses.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "xalloc.h"

/* ---- parameter shorthands ---- */

#define ARG(nm, k) { .name = nm, .kind = k }
#define SAME(nm, k, w) { .name = nm, .kind = k, .match = PM_SAME, .with = w }
#define LIKE(nm, k, w) { .name = nm, .kind = k, .match = PM_BROADCAST, .with = w }
#define OPT(nm, d, lim) { .name = nm, .kind = AK_CONST, .has_default = 1, .def = d, .limits = lim }
#define ANY { .on = 0 }
#define ABOVE(x) { .on = 1, .lo = x, .lo_open = 1, .hi = HUGE_VAL, .hi_open = 1 }
#define ATLEAST(x) { .on = 1, .lo = x, .hi = HUGE_VAL, .hi_open = 1 }
#define WITHIN(a, b) { .on = 1, .lo = a, .hi = b }
#define ONE_OF(a, b) { .on = 1, .lo = a, .hi = b, .integer = 1 }
#define SIG(nm, lo, hi, dc, ...) \
	{ .name = nm, .group = FG_LOSS, .min_args = lo, .max_args = hi, .doc = dc, .params = { __VA_ARGS__ } }

/* cos(a, b) is in [-1, 1], so 1 - cos is in [0, 2] and relu(cos - margin)
   in [0, max(0, 1 - margin)] */
static ival cosine_range(const ival *args, const double *k)
{
	(void)args;
	return iv_make(0, fmax(2, 1 - k[3]));
}

const loss_info losses[] = {
	{ .sig = SIG("cross_entropy", 2, 3,
		"class labels: -log_softmax(logits)[y]; with label_smoothing e: "
		"(1 - e) * -log_softmax(logits)[y] - e / K * sum(log_softmax(logits)); "
		"prob labels: -sum(((1 - e) * y + e / K) * log_softmax(logits))",
		ARG("logits", AK_VECTOR), SAME("y", AK_CLASS_OR_PROB, 0), OPT("label_smoothing", 0, WITHIN(0, 1))),
	  .cases = {
		{ "y is class, label_smoothing = 0", "-log_softmax(logits)[y]" },
		{ "y is class", "let lp = log_softmax(logits);"
		  " (1 - label_smoothing) * -lp[y] - label_smoothing / len(logits) * sum(lp)" },
		{ "label_smoothing = 0", "-sum(y * log_softmax(logits))" },
		{ NULL, "-sum(((1 - label_smoothing) * y + label_smoothing / len(logits)) * log_softmax(logits))" } },
	  .convex_in = 1, .mask_label = 2 },
	{ .sig = SIG("nll", 2, 2, "negative log-likelihood of log-probabilities: -logp[y]",
		ARG("logp", AK_VECTOR), SAME("y", AK_CLASS, 0)),
	  .cases = { { NULL, "-logp[y]" } }, .convex_in = 1, .mask_label = 2 },
	{ .sig = SIG("mse", 2, 2, "mean squared error: mean(square(p - t)) (square(p - t) on scalars)",
		ARG("p", AK_REAL), LIKE("t", AK_REAL, 0)),
	  .average = 1, .cases = { { NULL, "square(p - t)" } }, .convex_in = 3 },
	{ .sig = SIG("l1", 2, 2, "mean absolute error: mean(abs(p - t)); kink where p = t",
		ARG("p", AK_REAL), LIKE("t", AK_REAL, 0)),
	  .average = 1, .cases = { { NULL, "abs(p - t)" } }, .convex_in = 3 },
	{ .sig = SIG("huber", 2, 3,
		"mean Huber error: 0.5*d^2 where |d| <= delta, else delta*(|d| - 0.5*delta), "
		"d = p - t; delta > 0; C1 (no kink)",
		ARG("p", AK_REAL), LIKE("t", AK_REAL, 0), OPT("delta", 1, ABOVE(0))),
	  .average = 1, .cases = { { NULL, "huber_elem(p - t, delta)" } }, .convex_in = 3 },
	{ .sig = SIG("smooth_l1", 2, 3, "huber(p, t, delta=beta) / beta; beta = 0 is l1(p, t); C1 for beta > 0",
		ARG("p", AK_REAL), LIKE("t", AK_REAL, 0), OPT("beta", 1, ATLEAST(0))),
	  .cases = { { "beta = 0", "l1(p, t)" }, { NULL, "huber(p, t, delta=beta) / beta" } }, .convex_in = 3 },
	{ .sig = SIG("bce", 2, 2,
		"binary cross-entropy of a probability p in [0, 1]: -(t*log(p) + (1 - t)*log(1 - p)), "
		"each log clamped at -100 and the gradient in p (p - t) / max(p (1 - p), 1e-12), as in PyTorch; "
		"mean over a vector",
		ARG("p", AK_REAL), LIKE("t", AK_REAL, 0)),
	  .average = 1, .cases = { { NULL, "bce_elem(p, t)" } }, .convex_in = 1 },
	{ .sig = SIG("bce_with_logits", 2, 3,
		"binary cross-entropy of a logit x: pos_weight*t*softplus(-x) + (1 - t)*softplus(x); "
		"mean over a vector",
		ARG("x", AK_REAL), LIKE("t", AK_REAL, 0), OPT("pos_weight", 1, ATLEAST(0))),
	  .average = 1,
	  .cases = { { "pos_weight = 1", "t * softplus(-x) + (1 - t) * softplus(x)" },
		{ NULL, "pos_weight * t * softplus(-x) + (1 - t) * softplus(x)" } },
	  .convex_in = 1 },
	{ .sig = SIG("hinge", 2, 2, "max(0, 1 - t*x) with t in {-1, +1}; a binary t means 2t - 1; kink at t*x = 1",
		ARG("x", AK_REAL), LIKE("t", AK_BINARY_OR_SIGN, 0)),
	  .average = 1,
	  .cases = { { "t is binary", "relu(1 - (2 * t - 1) * x)" }, { NULL, "relu(1 - t * x)" } },
	  .convex_in = 1 },
	{ .sig = SIG("kl_div", 2, 3,
		"Kullback-Leibler divergence of log-probabilities logq from p: sum(p * (log(p) - logq)), "
		"with 0 * log(0) = 0; with log_target=1, p holds log-probabilities: sum(exp(p) * (p - logq))",
		ARG("logq", AK_VECTOR), SAME("p", AK_VECTOR, 0), OPT("log_target", 0, ONE_OF(0, 1))),
	  .cases = { { "log_target = 1", "sum(exp(p) * (p - logq))" }, { NULL, "sum(xlogx(p) - p * logq)" } },
	  .convex_in = 1, .proofs = (const op_proof *const[]){ &pf_gibbs, NULL } },
	{ .sig = SIG("poisson_nll", 2, 2,
		"Poisson negative log-likelihood of a log-rate: exp(log_rate) - t * log_rate "
		"(PyTorch's log_input=True, full=False); mean over a vector",
		ARG("log_rate", AK_REAL), LIKE("t", AK_REAL, 0)),
	  .average = 1, .cases = { { NULL, "exp(log_rate) - t * log_rate" } }, .convex_in = 1 },
	{ .sig = SIG("gaussian_nll", 3, 5,
		"Gaussian negative log-likelihood: 0.5 * (log(v) + square(mu - t) / v), v = max(var, eps), "
		"plus 0.5 * log(2 pi) with full=1; var >= 0; mean over a vector",
		ARG("mu", AK_REAL), LIKE("t", AK_REAL, 0),
		{ .name = "var", .kind = AK_REAL, .match = PM_BROADCAST, .with = 0,
		  .domain = { .code = "LS308", .lo = 0, .hi = HUGE_VAL, .hi_open = 1,
			      .msg = "gaussian_nll's variance may be negative (PyTorch raises an error)" } },
		OPT("full", 0, ONE_OF(0, 1)), OPT("eps", 1e-6, ABOVE(0))),
	  .average = 1,
	  .cases = { { "full = 0", "let v = max(var, eps); 0.5 * (log(v) + square(mu - t) / v)" },
		{ NULL, "let v = max(var, eps); 0.5 * (log(v) + square(mu - t) / v) + 0.91893853320467274" } },
	  .convex_in = 1 },
	{ .sig = SIG("margin_ranking", 3, 4,
		"max(0, -t * (x1 - x2) + margin): x1 should rank above x2 when t = 1, below when t = -1; "
		"mean over a vector",
		ARG("x1", AK_REAL), LIKE("x2", AK_REAL, 0), LIKE("t", AK_REAL, 0), OPT("margin", 0, ANY)),
	  .average = 1, .cases = { { NULL, "relu(-t * (x1 - x2) + margin)" } }, .convex_in = 3 },
	{ .sig = SIG("soft_margin", 2, 2, "log(1 + exp(-t * x)) = softplus(-t * x); mean over a vector",
		ARG("x", AK_REAL), LIKE("t", AK_REAL, 0)),
	  .average = 1, .cases = { { NULL, "softplus(-t * x)" } }, .convex_in = 1 },
	{ .sig = SIG("multilabel_soft_margin", 2, 2,
		"mean over the classes of t * softplus(-x) + (1 - t) * softplus(x)",
		ARG("x", AK_REAL), LIKE("t", AK_REAL, 0)),
	  .average = 1, .cases = { { NULL, "t * softplus(-x) + (1 - t) * softplus(x)" } }, .convex_in = 1 },
	{ .sig = SIG("multi_margin", 2, 4,
		"multi-class hinge: mean over the classes i != y of max(0, margin - x[y] + x[i])^p, p 1 or 2",
		ARG("x", AK_VECTOR), SAME("y", AK_CLASS, 0), OPT("margin", 1, ANY), OPT("p", 1, ONE_OF(1, 2))),
	  .cases = { { "p = 1", "mean((1 - onehot(y)) * relu(margin - x[y] + x))" },
		{ NULL, "mean((1 - onehot(y)) * square(relu(margin - x[y] + x)))" } },
	  .convex_in = 1 },
	{ .sig = SIG("cosine_embedding", 3, 4,
		"1 - cos(a, b) where t = 1, max(0, cos(a, b) - margin) where t = -1, with "
		"cos(a, b) = dot(a, b) / sqrt((sum(square(a)) + 1e-12) * (sum(square(b)) + 1e-12)); "
		"in [0, max(2, 1 - margin)]",
		ARG("a", AK_VECTOR), SAME("b", AK_VECTOR, 0), ARG("t", AK_SIGN), OPT("margin", 0, ANY)),
	  .cases = { { NULL, "let c = dot(a, b) / sqrt((sum(square(a)) + 1e-12) * (sum(square(b)) + 1e-12));"
		       " (1 + t) / 2 * (1 - c) + (1 - t) / 2 * relu(c - margin)" } },
	  .range = cosine_range },
	{ .sig = SIG("hinge_embedding", 2, 3,
		"x where t = 1, max(0, margin - x) where t = -1; mean over a vector",
		ARG("x", AK_REAL), { .name = "t", .kind = AK_SIGN, .match = PM_BROADCAST, .with = 0 },
		OPT("margin", 1, ANY)),
	  .average = 1, .cases = { { NULL, "(1 + t) / 2 * x + (1 - t) / 2 * relu(margin - x)" } }, .convex_in = 1 },
	{ .sig = SIG("triplet_margin", 3, 7,
		"max(0, d(anchor, positive) - d(anchor, negative) + margin) with d(x, y) = "
		"norm_p(x - y + eps), p 1 or 2; swap=1 uses min(d(anchor, negative), d(positive, negative))",
		ARG("anchor", AK_VECTOR), SAME("positive", AK_VECTOR, 0), SAME("negative", AK_VECTOR, 0),
		OPT("margin", 1, ANY), OPT("p", 2, ONE_OF(1, 2)), OPT("eps", 1e-6, ATLEAST(0)),
		OPT("swap", 0, ONE_OF(0, 1))),
	  .cases = {
		{ "p = 2, swap = 0",
		  "relu(norm2(anchor - positive + eps) - norm2(anchor - negative + eps) + margin)" },
		{ "p = 2", "let dn = min(norm2(anchor - negative + eps), norm2(positive - negative + eps));"
		  " relu(norm2(anchor - positive + eps) - dn + margin)" },
		{ "swap = 0", "relu(norm1(anchor - positive + eps) - norm1(anchor - negative + eps) + margin)" },
		{ NULL, "let dn = min(norm1(anchor - negative + eps), norm1(positive - negative + eps));"
		  " relu(norm1(anchor - positive + eps) - dn + margin)" } } },
};

const size_t losses_count = sizeof losses / sizeof losses[0];

/* ---- the definitions, parsed once ---- */

static struct {
	int done;
	source src;
	ast_file *file;
	loss_def *defs;         /* losses_count * LOSS_MAX_CASES */
} parsed;

int losses_ncases(const loss_info *l)
{
	int n = 0;
	while (n < LOSS_MAX_CASES && l->cases[n].body)
		n++;
	return n;
}

/* GCOVR_EXCL_START: the built-in table is consistent (test_losses checks every row) */
static void die(const loss_info *l, const char *what, const char *detail)
{
	fprintf(stderr, "lossc: internal error: the definition of %s %s%s%s\n", l->sig.name, what,
		detail ? ": " : "", detail ? detail : "");
	abort();
}
/* GCOVR_EXCL_STOP */

static int param_index(const loss_info *l, const char *name, size_t len)
{
	for (int i = 0; i < FN_MAX_PARAMS && l->sig.params[i].name; i++)
		if (strlen(l->sig.params[i].name) == len && !memcmp(l->sig.params[i].name, name, len))
			return i;
	return -1;
}

/* "y is class, label_smoothing = 0" */
static void parse_guard(const loss_info *l, const char *when, loss_def *d)
{
	const char *p = when;
	while (p && *p) {       /* GCOVR_EXCL_BR_LINE: called with a case's guard, never NULL */
		size_t n = strcspn(p, " ");
		int k = param_index(l, p, n);
		if (k < 0 || d->nguards == LOSS_MAX_GUARDS)     /* GCOVR_EXCL_BR_LINE: the built-in guards are well formed */
			die(l, "has a bad guard", when);     /* GCOVR_EXCL_LINE: as above */
		loss_guard *g = &d->guards[d->nguards++];
		g->param = k;
		p += n;
		if (!strncmp(p, " is class", 9)) {
			g->what = LG_CLASS;
			p += 9;
		} else if (!strncmp(p, " is binary", 10)) {
			g->what = LG_BINARY;
			p += 10;
		} else if (!strncmp(p, " = ", 3)) {     /* GCOVR_EXCL_BR_LINE: no other guard is written */
			char *end;
			g->what = LG_EQ;
			g->v = strtod(p + 3, &end);
			if (end == p + 3)       /* GCOVR_EXCL_BR_LINE: each '=' is followed by a number */
				die(l, "has a bad guard", when);     /* GCOVR_EXCL_LINE: as above */
			p = end;
		} else {
			die(l, "has a bad guard", when);     /* GCOVR_EXCL_LINE: as above */
		}
		if (!strncmp(p, ", ", 2))
			p += 2;
		else if (*p)    /* GCOVR_EXCL_BR_LINE: guards are separated by ", " only */
			die(l, "has a bad guard", when);     /* GCOVR_EXCL_LINE: as above */
	}
}

static void free_parsed(void)
{
	ast_file_free(parsed.file);
	source_free(&parsed.src);
	free(parsed.defs);
}

/*
 * Every case becomes `loss c<R>_<C> on x { LETS value = EXPR; }` of one
 * synthetic file, parsed by the ordinary parser.
 */
static void parse_all(void)
{
	size_t cap = 4096, len = 0;
	char *text = xmalloc(cap);
	for (size_t r = 0; r < losses_count; r++)
		for (int c = 0; c < losses_ncases(&losses[r]); c++) {
			const char *body = losses[r].cases[c].body;
			const char *semi = strrchr(body, ';');
			size_t lets = semi ? (size_t)(semi - body) + 1 : 0;
			size_t need = len + strlen(body) + 64;
			if (need > cap) {
				while (need > cap)
					cap *= 2;
				text = xrealloc(text, cap);
			}
			len += (size_t)sprintf(text + len, "loss c%zu_%d on x {\n%.*s\nvalue = %s;\n}\n", r, c, (int)lets,
					       body, body + lets);
		}
	source_from_buffer(&parsed.src, "<built-in losses>", text, len);
	free(text);
	diag_list diags;
	diag_list_init(&diags);
	parsed.file = parse_source(&parsed.src, &diags, PARSE_DEFAULT_MAX_ERRORS);
	if (diags.n || parsed.file->syntax_errors) {    /* GCOVR_EXCL_BR_LINE: they parse (below) */
		/* GCOVR_EXCL_START: the built-in definitions parse (test_losses) */
		fprintf(stderr, "lossc: internal error: the built-in loss definitions do not parse: %s\n",
			diags.n ? diags.items[0].message : "syntax error");
		abort();
		/* GCOVR_EXCL_STOP */
	}
	diag_list_free(&diags);
	parsed.defs = xcalloc(losses_count * LOSS_MAX_CASES, sizeof *parsed.defs);
	const ast_decl *d = parsed.file->decls;
	for (size_t r = 0; r < losses_count; r++)
		for (int c = 0; c < losses_ncases(&losses[r]); c++, d = d->next) {
			loss_def *def = &parsed.defs[r * LOSS_MAX_CASES + (size_t)c];
			/* one declaration per case, each with its value: the text above was made so */
			const ast_item *v = d ? ast_find_item(d, IT_VALUE) : NULL;      /* GCOVR_EXCL_BR_LINE: as said */
			if (!v)         /* GCOVR_EXCL_BR_LINE: as above */
				die(&losses[r], "has no value", NULL);  /* GCOVR_EXCL_LINE: as above */
			def->decl = d;
			def->value = v->expr;
			if (losses[r].cases[c].when)
				parse_guard(&losses[r], losses[r].cases[c].when, def);
		}
	atexit(free_parsed);
	parsed.done = 1;
}

const loss_def *losses_def(const loss_info *l, int c)
{
	if (!parsed.done)
		parse_all();
	return &parsed.defs[(size_t)(l - losses) * LOSS_MAX_CASES + (size_t)c];
}
