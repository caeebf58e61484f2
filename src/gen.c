/*
 * gen.c: `lossc gen FILE -o DIR [--prefix P] [--harness] [--python]`.
 *
 * Runs the pipeline on FILE once (pipeline.h: every pass lint runs but
 * the prose rules); each loss's kernels and harness test are emitted from
 * its IR while it lives (gen_kernel.c, gen_harness.c).  A file with an
 * error finding is refused (findings printed, exit 2).  Otherwise the
 * files are written atomically (outfile.h): all to temporary names first,
 * renamed only when every one was written.
 */
#include "gen.h"

#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "doc.h"
#include "gen_impl.h"
#include "outfile.h"
#include "pipeline.h"
#include "xalloc.h"

static const char gen_usage_text[] =
	"Usage: lossc gen [OPTION]... FILE -o DIR\n"
	"Write C99 code for every loss of FILE: DIR/STEM_loss.h and DIR/STEM_loss.c\n"
	"(STEM is FILE's name without .loss), and with --harness a cmocka test\n"
	"program DIR/test_STEM_loss.c.  A file with error findings is refused.\n"
	"\n"
	"Options:\n"
	"  -o, --output DIR   the directory to write to; created when missing\n"
	"                     if its parent exists (removed again on failure)\n"
	"  --prefix P         prefix of the generated functions (default loss_)\n"
	"  --harness          also write the test harness\n"
	"  --python           also write DIR/STEM_loss.py: the losses for NumPy and\n"
	"                     PyTorch, through the shared library built with\n"
	"                     cc -std=c99 -O2 -fPIC -shared -o DIR/libSTEM_loss.so DIR/STEM_loss.c -lm\n"
	"  --help             print this help and exit\n"
	"\n"
	"Build the harness with:\n"
	"  cc -std=c99 -O2 DIR/test_STEM_loss.c DIR/STEM_loss.c -lcmocka -lm\n"
	"\n"
	"Exit status: 0 written, 2 refused or failed (nothing was written).\n";

static int gen_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int gen_error(const char *fmt, ...)
{
	va_list ap;
	fputs("lossc gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

static int gen_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int gen_usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("lossc gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'lossc gen --help' for more information.\n", stderr);
	return 2;
}

/* FILE's base name without ".loss", reduced to [A-Za-z0-9_]. */
static char *gen_stem(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".loss") == 0)
		len -= 5;
	char *s = xmalloc(len + 2);
	size_t k = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)base[i];
		s[k++] = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) ? (char)c : '_';
	}
	if (k == 0)
		s[k++] = 'x';
	s[k] = '\0';
	return s;
}

static char *gen_path(const char *dir, const char *pre, const char *stem, const char *post)
{
	size_t need = strlen(dir) + strlen(pre) + strlen(stem) + strlen(post) + 2;
	char *p = xmalloc(need);
	snprintf(p, need, "%s/%s%s%s", dir, pre, stem, post);
	return p;
}

/* ---- what the losses give, gathered while the pipeline runs ---------- */

typedef struct gen_state {
	const char *path, *prefix, *stem;
	int harness, python;
	arena *ga;              /* the kernels' strings */
	gen_names globals;      /* function names across the file */
	int nk;                 /* losses emitted */
	/* per loss, appended: header part, source part, harness part, Python part */
	FILE *h, *c, *t, *p;
	char *hbuf, *cbuf, *tbuf, *pbuf;
	size_t hlen, clen, tlen, plen;
	unsigned long helpers[3];
	int vloops;             /* vector loops in the kernels (gen_vec.c) */
	const char **tests;     /* the harness's test functions */
	char why[600];          /* the first reason to write nothing */
} gen_state;

static void gen_fail(gen_state *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void gen_fail(gen_state *s, const char *fmt, ...)
{
	va_list ap;
	if (s->why[0])
		return;
	va_start(ap, fmt);
	vsnprintf(s->why, sizeof s->why, fmt, ap);
	va_end(ap);
}

static void gen_about(FILE *o, const ast_decl *d, const char *indent)
{
	for (const ast_item *it = d->items; it; it = it->next)
		if (it->kind == IT_ABOUT) {
			fprintf(o, "%s *\n", indent);
			gen_comment_text(o, indent, it->text.bytes, it->text.len, 72);
		}
}

/*
 * One loss, while its IR lives (the pipeline's callback): its
 * prototypes, its kernels and its harness test, each into memory.
 */
/* What a weighted reduction returns, and its gradient buffers hold. */
static void gen_weight_comment(FILE *h, const ir_loss *l)
{
	const ast_item *red = ast_find_item(l->loss, IT_REDUCE);
	const source *src = l->file->src;
	const ast_expr *w = red->expr;
	char text[600];
	int k = snprintf(text, sizeof text, "Weighted by w = %.*s (per row, from the data): ",
			 (int)(w->span.end - w->span.start), src->text + w->span.start);
	if (k < 0 || (size_t)k >= sizeof text)
		k = 0;
	snprintf(text + k, sizeof text - (size_t)k, "%s",
		 l->reduce == RED_MEAN
		 ? "the loss is sum(w * value) / sum(w), PyTorch's (w * l).sum() / w.sum(), and each "
		   "d_ row is w / sum(w) times the row's gradient; weights that sum to 0 give NaN, "
		   "value and gradient, as PyTorch does."
		 : l->reduce == RED_SUM ? "the loss is sum(w * value), and each d_ row is w times the row's gradient."
		 : "each[r] is w * value, and NAME_grad's rows are upstream[r] * w times the row's gradient.");
	fprintf(h, " *\n");
	gen_comment_text(h, "", text, strlen(text), 72);
}

/*
 * A row as long as the batch (real[B]) and arange(B): what the caller
 * passes, and that one row is a batch of one (lossspec(5) BATCHES).
 */
static void gen_rows_comment(FILE *h, const ir_loss *l)
{
	char text[900];
	size_t k = 0;
	int arange = 0;
	for (size_t i = 0; i < l->nnodes; i++)
		arange |= l->nodes[i]->op == IR_ARANGE;
	for (const ast_item *it = l->loss->items; it; it = it->next)
		if (it->kind == IT_OUTPUT && it->type.dim == AST_DIM_SIZES && it->type.sizes[0].name.item == l->rows
		    && k < sizeof text)
			k += (size_t)snprintf(text + k, sizeof text - k, "%s is n values a row (its length is the batch "
					      "size %s): an n x n matrix, row-major, and d_%s too.  ", it->name.s,
					      l->rows->name.s, it->name.s);
	if (arange && k < sizeof text)
		k += (size_t)snprintf(text + k, sizeof text - k, "arange(%s) is the row's own index: row r's "
				      "target is column r, as torch.arange(n) in PyTorch.  ", l->rows->name.s);
	if (k < sizeof text)
		snprintf(text + k, sizeof text - k, "With one row, the row is its own batch (n = 1).");
	fprintf(h, " *\n");
	gen_comment_text(h, "", text, strlen(text), 72);
}

/*
 * What a loss whose rows interact does (lossspec(5) BATCHES and GENERATED
 * CODE): its statistics over the batch, one row, a bad label, and each
 * per-batch value.  Said only for the parts the loss has.
 */
static void gen_batch_comment(FILE *h, const ir_loss *l, const char *cname)
{
	char text[900];
	int stat = 0, spread = 0;
	for (size_t i = 0; i < l->nnodes; i++) {
		stat |= ops[l->nodes[i]->op].kind == OK_BATCH;
		spread |= l->nodes[i]->op == IR_BSTD || l->nodes[i]->op == IR_BVAR;
	}
	int labels = 0, per_batch = 0;
	for (size_t i = 0; i < l->nnodes; i++) {
		labels |= l->nodes[i]->op == IR_LABEL && l->nodes[i]->type == IRT_CLASS;
		per_batch |= (l->nodes[i]->op == IR_OUTPUT || l->nodes[i]->op == IR_INPUT) && !l->nodes[i]->shape.batched;
	}
	for (const ast_item *it = l->loss->items; it; it = it->next)
		per_batch |= it->kind == IT_OUTPUT && it->choice == LEVEL_BATCH;
	if (l->rows)
		gen_rows_comment(h, l);
	if (!stat && !per_batch)
		return;         /* rows computed alone: version 1's contract */
	if (stat) {
		snprintf(text, sizeof text, "The rows interact: the statistics over the batch (%s) are computed "
			 "first, from every row of the call%s, and the rows read them.%s",
			 spread ? "unbiased: std and var divide by n - 1" : "sums and means",
			 l->mask ? " (the rows ignore_index leaves out included, as PyTorch's x.mean() reads them)" : "",
			 spread ? "  With one row, std and var are NaN, and so is the loss, as in PyTorch." : "");
		fprintf(h, " *\n");
		gen_comment_text(h, "", text, strlen(text), 72);
	}
	if (labels) {
		snprintf(text, sizeof text, "A class label out of range in any row makes the loss NaN and every "
			 "gradient buffer 0: the rows interact (%s finds the row).", cname);
		fprintf(h, " *\n");
		gen_comment_text(h, "", text, strlen(text), 72);
	}
	for (const ast_item *it = l->loss->items; it; it = it->next)
		if (it->kind == IT_OUTPUT && it->choice == LEVEL_BATCH) {
			snprintf(text, sizeof text, "%s is one value for the whole batch (per batch): pass a pointer "
				 "to it; d_%s is one value too, the sum over the rows of each row's contribution "
				 "to the batch loss.", it->name.s, it->name.s);
			fprintf(h, " *\n");
			gen_comment_text(h, "", text, strlen(text), 72);
		}
	if (l->dataset)
		for (const ast_item *it = l->dataset->items; it; it = it->next)
			if (it->kind == IT_INPUT && it->choice == LEVEL_BATCH && ir_uses_item(l, it)) {
				snprintf(text, sizeof text, "%s is one value for the whole batch (per batch): pass a "
					 "pointer to it.", it->name.s);
				fprintf(h, " *\n");
				gen_comment_text(h, "", text, strlen(text), 72);
			}
}

/* What ignore_index does to the rows, and to a batch of them all. */
static void gen_mask_comment(FILE *h, const ir_loss *l)
{
	char text[600];
	snprintf(text, sizeof text,
		 "A row whose %s is %ld is ignored (ignore_index): its value is not computed, it "
		 "counts neither in the sum nor in the mean's divisor%s, its gradient rows are 0%s.  "
		 "When every row is ignored, a mean is NaN (with a zero gradient) and a sum is 0, "
		 "as PyTorch's cross_entropy.", l->mask->name.s, l->mask_k,
		 l->weight ? " nor in the sum of weights" : "",
		 l->reduce == RED_NONE ? ", and each[r] is 0" : "");
	fprintf(h, " *\n");
	gen_comment_text(h, "", text, strlen(text), 72);
}

/* The named sizes, their errors, and the scratch memory `work`. */
static void gen_sizes_comment(FILE *h, gen_kernel *g)
{
	const ir_loss *l = g->loss;
	char text[1200];
	size_t k = 0;
	if (l->nsizes) {
		k += (size_t)snprintf(text + k, sizeof text - k, "Named sizes, after n:");
		for (size_t i = 0; i < l->nsizes && k < sizeof text; i++)
			k += (size_t)snprintf(text + k, sizeof text - k, " %s%s", g->size_names[i],
					      i + 1 < l->nsizes ? "," : ".");
		if (k < sizeof text)
			k += (size_t)snprintf(text + k, sizeof text - k,
				"  A size of 0, or one too small for a constant index, makes the value NaN "
				"(each[r] NaN under reduce none) and every gradient 0; %s says which: "
				"LOSSC_ZERO_SIZE or LOSSC_BAD_INDEX.  ", g->cname);
	}
	if (k < sizeof text)
		k += (size_t)snprintf(text + k, sizeof text - k, "work: scratch memory of %s(n%s) bytes, aligned for double%s.",
			 g->wname, l->nsizes ? ", sizes..." : "",
			 g->work ? "" : "; that is 0 here (every vector loop is fused), and work may be NULL");
	if (g->cross && k < sizeof text)   /* the values kept for the batch (gen_cross.c) */
		snprintf(text + k, sizeof text - k, "  Rows interact here: the values that cross rows are kept "
			 "for the whole batch, an n x n matrix among them, so work grows as n^2 (SIZE_MAX "
			 "when that overflows a size_t).");
	fprintf(h, " *\n");
	gen_comment_text(h, "", text, strlen(text), 72);
}

static void gen_on_loss(void *ctx, ir_loss *l)
{
	gen_state *s = ctx;
	const ast_decl *d = l->loss;
	const source *src = l->file->src;
	if (s->why[0])
		return;
	if (!l->root || l->errors) {
		gen_fail(s, "%s: loss '%s' cannot be lowered; nothing written", s->path, d->name.s ? d->name.s : "?");
		return;
	}
	gen_kernel *g = arena_alloc(s->ga, sizeof *g);
	gk_init(g, l, s->nk, s->ga);
	gk_api(g, &s->globals, s->prefix);

	fprintf(s->c, "/*\n * loss (spec line %lu):\n", source_pos(src, d->span.start).line);
	gen_comment_text(s->c, "", d->name.s, d->name.len, 72);
	const ast_item *val = ast_find_item(d, IT_VALUE);
	if (val) {
		fprintf(s->c, " * value (line %lu):\n", source_pos(src, val->span.start).line);
		gen_comment_text(s->c, "", src->text + val->span.start, val->span.end - val->span.start, 72);
	}
	char expanded[2048];
	ir_to_string(l->root, expanded, sizeof expanded);
	fprintf(s->c, " * expanded:\n");
	gen_comment_text(s->c, "", expanded, strlen(expanded), 72);
	fprintf(s->c, " */\n");
	gk_constants(g, s->c);
	gk_functions(g, s->c);

	/* the header's part, after the functions: they register the scratch
	   memory its comment describes */
	fprintf(s->h, "/*\n * loss (spec line %lu), %s, reduce %s:\n", source_pos(src, d->span.start).line,
		ast_precision_name(l->precision), ast_reduce_name(l->reduce));
	gen_comment_text(s->h, "", d->name.s, d->name.len, 72);
	gen_about(s->h, d, "");
	if (l->weight)
		gen_weight_comment(s->h, l);
	if (l->mask)
		gen_mask_comment(s->h, l);
	if (g->wname)
		gen_sizes_comment(s->h, g);
	gen_batch_comment(s->h, l, g->cname);
	fprintf(s->h, " */\n");
	gk_prototypes(g, s->h);
	fputc('\n', s->h);
	if (s->harness)
		gh_loss(g, s->t);
	if (s->python)
		gp_loss(g, s->p);
	for (int p = 0; p < 3; p++)
		s->helpers[p] |= g->helpers[p];
	s->vloops += g->vloops;
	const char **tests = arena_alloc(s->ga, (size_t)(s->nk + 1) * sizeof *tests);
	if (s->nk)
		memcpy(tests, s->tests, (size_t)s->nk * sizeof *tests);
	tests[s->nk] = gk_fmt(g, "test_%s", g->fname);
	s->tests = tests;
	s->nk++;
	if (g->unsupported) {
		char buf[128];
		src_pos p = source_pos(src, g->unsupported->span.start);
		gen_fail(s, "%s:%lu:%lu: cannot generate code for '%s' yet; nothing written", s->path, p.line, p.col,
			 ir_to_string(g->unsupported, buf, sizeof buf));
	} else if (g->too_big) {
		gen_fail(s, "%s: loss '%s' expands to an expression too large to generate "
			 "(share fewer lets inside vector expressions); nothing written", s->path, g->loss_name);
	}
}

/* ---- the three files --------------------------------------------------- */

static void gen_banner(FILE *o, const char *what, const char *stem, const source *src)
{
	fprintf(o, "/*\n * %s_loss.%s: generated by lossc %s from\n", stem, what, PACKAGE_VERSION);
	gen_comment_text(o, "", src->path, strlen(src->path), 72);
	fprintf(o, " * Do not edit; regenerate with `lossc gen`.\n");
}

static void gen_header(FILE *o, const gen_state *s, const source *src)
{
	char guard[300];
	snprintf(guard, sizeof guard, "LOSSC_%s_LOSS_H", s->stem);
	for (char *p = guard; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	gen_banner(o, "h", s->stem, src);
	fputs(" *\n"
	      " * The C API, one pair of functions per loss:\n"
	      " *\n"
	      " *   T NAME(size_t n, outputs..., inputs and labels...);\n"
	      " *   T NAME_grad(size_t n, outputs..., inputs and labels..., d_outputs...);\n"
	      " *\n"
	      " * Arguments: the loss's outputs in declaration order, then the dataset's\n"
	      " * inputs and labels that the value uses, in the dataset's order.  Each is\n"
	      " * a row-major array of n rows (a real[N] row is N values, a scalar one);\n"
	      " * class[K] labels are int32_t; T is float for precision float32, double\n"
	      " * for float64.  NAME returns the batch loss after `reduce` (mean or sum,\n"
	      " * accumulated in double); NAME_grad returns the same value and writes\n"
	      " * d(batch loss)/d(output) into the caller's d_ buffers (same shapes).\n"
	      " * With `reduce none`, NAME writes one value a row to each[0..n) and\n"
	      " * returns nothing, and NAME_grad takes upstream[0..n), the gradient of\n"
	      " * whatever consumes each[], and writes upstream[r] * d(each[r])/d(output).\n"
	      " * At kinks and clamps the gradient follows lossspec(5)'s conventions\n"
	      " * (PyTorch's where it has one).\n"
	      " *\n"
	      " * A class label outside 0..K-1 is never used as an index: that row's\n"
	      " * value is NaN (so a mean or sum is NaN) and its gradient rows are 0.\n"
	      " * To tell such a call from NaN data, NAME_check(same arguments as NAME,\n"
	      " * size_t *row) returns LOSSC_OK (0), or LOSSC_BAD_LABEL (2) and sets\n"
	      " * *row (when row is not NULL) to the first row with a bad label;\n"
	      " * LOSSC_ZERO_SIZE and LOSSC_BAD_INDEX are for named sizes (lossspec(5)).\n"
	      " * The pointers are restrict: the buffers written (d_..., each) must not\n"
	      " * overlap any argument (the inputs may overlap one another).  This\n"
	      " * header also compiles as C++ (C++11 and later), where LOSSC_RESTRICT\n"
	      " * is the compiler's __restrict__ (GCC, Clang) or __restrict (MSVC).\n"
	      " * n == 0: a mean is NaN, a sum 0.  Params are compiled in.  The functions\n"
	      " * keep no state and are safe to call from several threads.\n"
	      " *\n"
	      " * Speed: float32 loops run 8 lanes at a time through GCC/Clang vector\n"
	      " * extensions (-DLOSSC_NO_VECTOR: scalar only), and on x86 in an\n"
	      " * AVX2+FMA copy when the CPU has both (-DLOSSC_NO_DISPATCH: never).\n"
	      " * Built with -fopenmp, the rows of one call run on OpenMP threads; the\n"
	      " * value and gradients are bit-identical for any number of threads, and\n"
	      " * to a build without OpenMP.\n"
	      " */\n", o);
	fprintf(o, "#ifndef %s\n#define %s\n\n#include <stddef.h>\n#include <stdint.h>\n\n", guard, guard);
	/* `restrict` is C99 only; LOSSC_RESTRICT lives only inside this
	   header, so headers of several specs can be included together */
	fputs("#ifdef __cplusplus\nextern \"C\" {\n"
	      "#if defined(__GNUC__) || defined(__clang__)\n#define LOSSC_RESTRICT __restrict__\n"
	      "#elif defined(_MSC_VER)\n#define LOSSC_RESTRICT __restrict\n"
	      "#else\n#define LOSSC_RESTRICT\n#endif\n"
	      "#else\n#define LOSSC_RESTRICT restrict\n#endif\n\n", o);
	/* loss_NAME_check's results, defined once for every generated header */
	fputs("#ifndef LOSSC_OK\n#define LOSSC_OK 0\n#define LOSSC_ZERO_SIZE 1\n#define LOSSC_BAD_LABEL 2\n"
	      "#define LOSSC_BAD_INDEX 3\n#endif\n\n", o);
	fwrite(s->hbuf, 1, s->hlen, o);
	fprintf(o, "#undef LOSSC_RESTRICT\n\n#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
}

/* The helpers the kernels call precede them (and an unused static helper
   would trip -Wunused-function): only the used ones, per precision. */
static void gen_source(FILE *o, const gen_state *s, const source *src)
{
	gen_banner(o, "c", s->stem, src);
	fprintf(o, " */\n#include \"%s_loss.h\"\n\n#include <float.h>\n#include <math.h>\n\n", s->stem);
	if (s->vloops)
		gv_prelude(o);
	gt_helpers(o, GP_F32, s->helpers[GP_F32]);
	gt_helpers(o, GP_F64, s->helpers[GP_F64]);
	fwrite(s->cbuf, 1, s->clen, o);
}

/* ---- the command -------------------------------------------------------- */

/* Close the in-memory parts; -1 when memory ran out. */
static int gen_close_parts(gen_state *s)
{
	int r = 0;
	if (s->h && fclose(s->h) != 0) r = -1;
	if (s->c && fclose(s->c) != 0) r = -1;
	if (s->t && fclose(s->t) != 0) r = -1;
	if (s->p && fclose(s->p) != 0) r = -1;
	s->h = s->c = s->t = s->p = NULL;
	return r;
}

/* The files, atomically: all to temporary names, renamed only when every
   one was written.  0, or 2 after saying why. */
static int gen_write(const gen_state *s, const source *src, const char *dir, int mkdir_dir)
{
	enum { OUT_H, OUT_C, OUT_TEST, OUT_PY, NOUT };
	char why[512];
	int rc = 2;
	char *targets[NOUT] = {
		gen_path(dir, "", s->stem, "_loss.h"), gen_path(dir, "", s->stem, "_loss.c"),
		gen_path(dir, "test_", s->stem, "_loss.c"), gen_path(dir, "", s->stem, "_loss.py"),
	};
	const int wanted[NOUT] = { 1, 1, s->harness, s->python };
	outfile outs[NOUT];
	memset(outs, 0, sizeof outs);
	for (int i = 0; i < NOUT; i++) {
		if (wanted[i] && outfile_same_file(targets[i], s->path)) {
			gen_error("'%s' is the input file; refusing to overwrite it", targets[i]);
			goto out;
		}
	}
	if (mkdir_dir && outfile_make_dir(dir, why, sizeof why) < 0) {
		gen_error("cannot write to '%s': %s", dir, why);
		goto out;
	}
	for (int i = 0; i < NOUT; i++) {
		if (wanted[i] && outfile_open(&outs[i], targets[i], why, sizeof why) < 0) {
			gen_error("cannot write '%s': %s", targets[i], why);
			goto out;
		}
	}
	gen_header(outs[OUT_H].f, s, src);
	gen_source(outs[OUT_C].f, s, src);
	if (s->harness)
		gh_program(outs[OUT_TEST].f, s->stem, src, s->tbuf ? s->tbuf : "", s->tests, (size_t)s->nk,
			   s->helpers[GP_LD]);
	if (s->python)
		gp_program(outs[OUT_PY].f, s->stem, src, s->pbuf ? s->pbuf : "");
	for (int i = 0; i < NOUT; i++) {
		if (wanted[i] && outfile_commit(&outs[i], why, sizeof why) < 0) {
			gen_error("cannot write '%s': %s", targets[i], why);
			goto out;
		}
	}
	rc = 0;
out:
	for (int i = 0; i < NOUT; i++) {
		outfile_abort(&outs[i]);
		free(targets[i]);
	}
	outfile_made_dir_settle(rc == 0);      /* a failed run leaves no directory */
	return rc;
}

static int gen_run(const char *path, const char *dir, const char *prefix, int harness, int python)
{
	char why[512];
	int rc = 2;
	source src;
	diag_list diags;
	gen_state s;
	int missing;

	if (outfile_check_out_dir(dir, &missing, why, sizeof why) < 0)
		return gen_error("cannot write to '%s': %s", dir, why);
	if (doc_lang_of_path(path) != DOC_LOSS)
		return gen_error("%s: a %s document holds no losses; gen reads LossSpec (.loss) files", path,
				 doc_lang_of_path(path) == DOC_MARKDOWN ? "Markdown" : "plain-text");
	if (source_read(&src, path, why, sizeof why) < 0)
		return gen_error("%s: %s", path, why);
	memset(&s, 0, sizeof s);
	s.path = path;
	s.prefix = prefix;
	s.harness = harness;
	s.python = python;
	s.ga = arena_new();
	gen_names_init(&s.globals);
	s.h = open_memstream(&s.hbuf, &s.hlen);
	s.c = open_memstream(&s.cbuf, &s.clen);
	s.t = open_memstream(&s.tbuf, &s.tlen);
	s.p = open_memstream(&s.pbuf, &s.plen);
	if (!s.h || !s.c || !s.t || !s.p)
		xalloc_die();
	char *stem = gen_stem(path);
	s.stem = stem;

	/* lint's passes but the prose rules (gen's refusal depends on the
	   file's mathematics and story alone, not on .losscrc or wording),
	   with the kernels emitted from each loss's IR as it goes by */
	diag_list_init(&diags);
	pipeline_opts po;
	pipeline_opts_init(&po);
	po.on_loss = gen_on_loss;
	po.ctx = &s;
	int errors = pipeline_run(&src, &po, &diags) < 0;
	/* A memory stream fails only when it cannot grow its buffer. */
	if (gen_close_parts(&s) < 0)
		xalloc_die();
	for (size_t i = 0; i < diags.n; i++)
		if (diags.items[i].sev == SEV_ERROR)
			errors = 1;
	diag_sort(&diags);
	if (diags.n && diag_render_text(stderr, &diags, 0) < 0)
		errors = 1;
	if (errors) {
		fprintf(stderr, "lossc gen: %s has errors; nothing written\n", path);
		goto out;
	}
	if (s.why[0]) {
		gen_error("%s", s.why);
		goto out;
	}
	if (s.nk == 0) {
		gen_error("%s: no loss to generate; nothing written", path);
		goto out;
	}
	rc = gen_write(&s, &src, dir, missing);
out:
	gen_close_parts(&s);
	free(s.hbuf);
	free(s.cbuf);
	free(s.tbuf);
	free(s.pbuf);
	free(stem);
	gen_names_free(&s.globals);
	arena_free(s.ga);
	diag_list_free(&diags);
	source_free(&src);
	return rc;
}

int cmd_gen(int argc, char **argv)
{
	const char *file = NULL, *dir = NULL, *prefix = "loss_";
	int harness = 0, python = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			if (fputs(gen_usage_text, stdout) == EOF || fflush(stdout) != 0)
				return gen_error("error writing standard output: %s", strerror(errno));
			return 0;
		}
		if (strcmp(a, "--harness") == 0) {
			harness = 1;
		} else if (strcmp(a, "--python") == 0) {
			python = 1;
		} else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 || strcmp(a, "--prefix") == 0) {
			if (i + 1 >= argc)
				return gen_usage_error("option '%s' needs a value", a);
			if (strcmp(a, "--prefix") == 0)
				prefix = argv[++i];
			else
				dir = argv[++i];
		} else if (strncmp(a, "--output=", 9) == 0) {
			dir = a + 9;
		} else if (strncmp(a, "--prefix=", 9) == 0) {
			prefix = a + 9;
		} else if (a[0] == '-' && a[1] != '\0') {
			return gen_usage_error("unknown option '%s'", a);
		} else if (file) {
			return gen_usage_error("one input file at a time ('%s' and '%s')", file, a);
		} else {
			file = a;
		}
	}
	if (!file)
		return gen_usage_error("no input file");
	if (strcmp(file, "-") == 0)
		return gen_usage_error("gen needs a named file (the output names come from it), not '-'");
	if (!dir)
		return gen_usage_error("no output directory (-o DIR)");
	if (!gen_ident_valid(prefix) || prefix[0] == '_')
		return gen_usage_error("invalid prefix '%s': use a C identifier that does not start with '_'", prefix);

	outfile_handle_signals();
	return gen_run(file, dir, prefix, harness, python);
}
