/*
 * gen_vec.c: the explicit vector path of the float32 kernels.
 *
 * A lanes loop (gk_lanes_loop) whose element body is plain arithmetic
 * gets a main loop in front that takes LC_VEC = 8 elements a step as one
 * GCC/Clang vector (`vector_size`), compiled only where the compiler has
 * the extension (#ifdef LC_VEC; -DLOSSC_NO_VECTOR turns it off).  The
 * body is the same element text, written in vector mode: the rows'
 * templates expanded over vector operands (a row load is LC_VLD, %E the
 * 8-lane LC_VEXP_F, the same arithmetic as lc_exp_shifted_f, so the same
 * error bound), scalars broadcast.  Accumulators are vectors, folded lane
 * k into the scalar lanes' k % GEN_LANES afterwards in a fixed order; the
 * scalar lanes loop then takes what is left, so the scalar path is the
 * tail of every vector loop and, without the extension, the whole loop.
 *
 * Whether a body has a vector form is decided on the text (gv_check):
 * only the vector macros may be called, and no comparison, conditional,
 * cast or subscript may occur.  Anything else (a libm call, a helper, a
 * one-hot test) keeps that loop scalar.  Nothing here names an op.
 */
#include "gen_impl.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Gradients of at least this many bytes are streamed by default (the
   generated code's LOSSC_STREAM_BYTES): measured in the closing note of
   issue 14 with make bench-kernel. */
#define GV_STREAM_BYTES "16777216"
/* Rows shorter than this (elements) are never streamed. */
#define GV_STREAM_MIN_ROW 256

const char *gv_check(gen_kernel *g, const char *e)
{
	static const char *const calls[] = { "LC_VLD", "LC_VEXP_F", "LC_VMAX" };
	static const char *const banned[] = { "float", "double", "int32_t", "int64_t", "size_t", "uint32_t",
		"HUGE_VAL", "DBL_MAX", "DBL_MIN", "isinf", "isnan" };
	for (const char *p = e; *p; ) {
		if (strchr("?<>=!&|%[];{}\"'", *p)) {
			g->vfail = 1;
			return "0";
		}
		if (isalpha((unsigned char)*p) || *p == '_') {
			const char *b = p;
			while (isalnum((unsigned char)*p) || *p == '_')
				p++;
			size_t n = (size_t)(p - b);
			const char *q = p;
			while (*q == ' ')
				q++;
			int call = *q == '(', ok = !call;
			for (size_t i = 0; call && i < sizeof calls / sizeof *calls; i++)
				ok |= strlen(calls[i]) == n && strncmp(b, calls[i], n) == 0;
			for (size_t i = 0; i < sizeof banned / sizeof *banned; i++)
				if (strlen(banned[i]) == n && strncmp(b, banned[i], n) == 0)
					ok = 0;
			/* the element index only as LC_VLD's second argument */
			if (n == 4 && strncmp(b, "lc_j", 4) == 0 && !(b - e >= 2 && b[-1] == ' ' && b[-2] == ','))
				ok = 0;
			if (!ok) {
				g->vfail = 1;
				return "0";
			}
			continue;
		}
		p++;
	}
	return e;
}

void gv_acc_use(gen_kernel *g, const char *name, int is_max, const char *init)
{
	for (gv_acc *a = g->vacc; a; a = a->next)
		if (strcmp(a->name, name) == 0)
			return;
	gv_acc *a = arena_alloc(g->arena, sizeof *a);
	a->name = name;
	a->is_max = is_max;
	a->init = init;
	a->next = g->vacc;
	g->vacc = a;
}

/* The body in vector mode at lc_j (accumulator suffix sfx), or NULL when
   it has no vector form. */
static char *gv_body(gen_kernel *g, const char *ind, const char *sfx, gk_body_fn *body, const void *ctx, size_t *len)
{
	char *buf = NULL;
	FILE *m = open_memstream(&buf, len);
	if (!m)
		xalloc_die();   /* out of memory ends the run, as everywhere: never a quietly slower kernel */
	g->vmode = 1;
	g->vfail = 0;
	g->vsfx = sfx;
	body(g, m, ind, ctx);
	g->vmode = 0;
	g->vsfx = "";
	if (fclose(m) != 0)
		xalloc_die();
	int ok = !g->vfail;
	g->vfail = 0;
	if (!ok) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The loop of two vectors a step up to `to`: body a at lc_j0, body b at
   lc_j0 + LC_VEC. */
static void gv_step2(FILE *o, const char *in1, const char *to, const char *a, size_t la, const char *b, size_t lb)
{
	fprintf(o, "%sfor (; lc_j0 + 2 * LC_VEC <= %s; lc_j0 += 2 * LC_VEC) {\n%s\t{\n"
		"%s\t\tconst size_t lc_j = lc_j0;\n", in1, to, in1, in1);
	fwrite(a, 1, la, o);
	fprintf(o, "%s\t}\n%s\t{\n%s\t\tconst size_t lc_j = lc_j0 + LC_VEC;\n", in1, in1, in1);
	fwrite(b, 1, lb, o);
	fprintf(o, "%s\t}\n%s}\n", in1, in1);
}

/*
 * Two vectors a step (16 elements), each with its own accumulators, so
 * that a running max or sum does not wait on the previous step; then one
 * vector a step for what is left of the last 16.
 */
void gv_loop(gen_kernel *g, FILE *o, const char *ind, const char *to, gk_body_fn *body, const void *ctx)
{
	/* float64 stays scalar; a loop shorter than a vector never runs one
	   (and GCC would warn of the 32-byte load from a shorter array) */
	if (g->prec != GP_F32 || g->vlen < 8 || g->cross)
		return;         /* rows across the batch add into their rows: no vector stores */
	char in1[80], in2[80];
	snprintf(in1, sizeof in1, "%.70s\t", ind);
	snprintf(in2, sizeof in2, "%.70s\t\t", ind);
	size_t la, lb;
	g->vacc = NULL;
	char *a = gv_body(g, in2, "", body, ctx, &la);
	char *b = a ? gv_body(g, in2, "_b", body, ctx, &lb) : NULL;
	if (a && b) {
		fprintf(o, "#ifdef LC_VEC\n%s{\n", ind);
		for (const gv_acc *v = g->vacc; v; v = v->next)
			fprintf(o, "%slc_vf lc_v%s = LC_VSPLAT(%s), lc_v%s_b = lc_v%s;\n", in1, v->name, v->init,
				v->name, v->name);
		gv_step2(o, in1, to, a, la, b, lb);
		fprintf(o, "%sfor (; lc_j0 + LC_VEC <= %s; lc_j0 += LC_VEC) {\n%s\tconst size_t lc_j = lc_j0;\n",
			in1, to, in1);
		fwrite(a, 1, la, o);
		fprintf(o, "%s}\n", in1);
		for (const gv_acc *v = g->vacc; v; v = v->next) {
			fprintf(o, "%sfor (size_t lc_k = 0; lc_k < LC_VEC; lc_k++) {\n", in1);
			if (v->is_max)
				fprintf(o, "%s\tconst float lc_x = lc_v%s[lc_k] > lc_v%s_b[lc_k] ? lc_v%s[lc_k] : lc_v%s_b[lc_k];\n"
					"%s\tlc_%s[lc_k %% %d] = lc_x > lc_%s[lc_k %% %d] ? lc_x : lc_%s[lc_k %% %d];\n",
					in1, v->name, v->name, v->name, v->name, in1, v->name, GEN_LANES, v->name, GEN_LANES,
					v->name, GEN_LANES);
			else
				fprintf(o, "%s\tlc_%s[lc_k %% %d] += lc_v%s[lc_k] + lc_v%s_b[lc_k];\n", in1, v->name,
					GEN_LANES, v->name, v->name);
			fprintf(o, "%s}\n", in1);
		}
		fprintf(o, "%s}\n#endif\n", ind);
		g->vloops++;
	}
	g->vacc = NULL;
	free(a);
	free(b);
}

/*
 * The streaming form of one gradient row of dim elements (lc_d), written
 * in front of the ordinary loop as `if (large) { ... } else`: one
 * unaligned vector at the head, then aligned vectors stored with
 * LC_VSTNT from the first 32-byte boundary (the head vector covers the
 * elements before it), then one unaligned vector ending at the row's
 * end.  The overlapping elements are computed by the same lane-wise
 * vector code, so they are written twice with the same bits.  Only a
 * body that stores and accumulates nothing qualifies; rows shorter than
 * GV_STREAM_MIN_ROW stay ordinary (their partial lines at both ends would
 * cost more than the streaming saves).  Returns 1 when it wrote the
 * opening: the caller then writes what else the branch needs (lc_d is
 * only written there, never read back from memory before the fence) and
 * closes it with gv_stream_end().
 */
int gv_stream_begin(gen_kernel *g, FILE *o, const char *ind, long dim, gk_body_fn *body, const void *ctx)
{
	if (g->prec != GP_F32 || dim < GV_STREAM_MIN_ROW || g->cross)
		return 0;
	char in1[80], in2[80];
	snprintf(in1, sizeof in1, "%.70s\t", ind);
	snprintf(in2, sizeof in2, "%.70s\t\t", ind);
	size_t la, lb;
	g->vacc = NULL;
	char *a = gv_body(g, in2, "", body, ctx, &la);
	g->vstream = 1;
	char *b = a ? gv_body(g, in2, "", body, ctx, &lb) : NULL;
	g->vstream = 0;
	int ok = a && b && !g->vacc;
	if (ok) {
		fprintf(o, "#ifdef LC_VSTREAM\n%sif (n * (size_t)%ld * sizeof *lc_d >= lc_stream_bytes()\n"
			"%s    && (uintptr_t)lc_d %% sizeof *lc_d == 0) {\n", ind, dim, ind);
		fprintf(o, "%s/* streaming stores: the head vector, the aligned body, the end vector */\n", in1);
		fprintf(o, "%s{\n%s\tconst size_t lc_j = 0;\n", in1, in1);
		fwrite(a, 1, la, o);
		fprintf(o, "%s}\n%ssize_t lc_j0 = LC_VEC - (size_t)((uintptr_t)lc_d / sizeof *lc_d %% LC_VEC);\n",
			in1, in1);
		char to[32];
		snprintf(to, sizeof to, "%ld", dim);
		gv_step2(o, in1, to, b, lb, b, lb);
		fprintf(o, "%sif (lc_j0 + LC_VEC <= %ld) {\n%s\tconst size_t lc_j = lc_j0;\n", in1, dim, in1);
		fwrite(b, 1, lb, o);
		fprintf(o, "%s\tlc_j0 += LC_VEC;\n%s}\n", in1, in1);
		fprintf(o, "%sif (lc_j0 < %ld) {\n%s\tconst size_t lc_j = %ld - LC_VEC;\n", in1, dim, in1, dim);
		fwrite(a, 1, la, o);
		fprintf(o, "%s}\n", in1);
		g->vstreams++;
	}
	g->vacc = NULL;
	free(a);
	free(b);
	return ok;
}

void gv_stream_end(FILE *o, const char *ind)
{
	fprintf(o, "%s} else\n#endif\n", ind);
}

/*
 * LC_VEXP_F is lc_exp_shifted_f (gen_template.c's helper, whose error
 * bound tests/gen/expf.sh checks) lane by lane: k from the same rounding
 * (kb - 1.5 * 2^23 is the k that the scalar code takes from kb's bits),
 * the same reduction and polynomial, 2^k from the same bits, the same
 * mask below -87.33.  Statement expressions (__extension__: no pedantic
 * warning) rather than functions, because passing a 32-byte vector by
 * value changes the ABI where AVX is off (-Wpsabi).
 */
static const char gv_text[] =
	"/*\n"
	" * The vector path (GCC and Clang): 8 floats a step.  -DLOSSC_NO_VECTOR\n"
	" * keeps the scalar loops only; on x86 the kernels also run an AVX2+FMA\n"
	" * copy when the CPU has it (-DLOSSC_NO_DISPATCH: never).  All paths give\n"
	" * results within the harness's bounds; they may differ in the last bits.\n"
	" */\n"
	"#if (defined(__GNUC__) || defined(__clang__)) && !defined(LOSSC_NO_VECTOR)\n"
	"#define LC_VEC 8\n"
	"typedef float lc_vf __attribute__((vector_size(32)));\n"
	"typedef int32_t lc_vi __attribute__((vector_size(32)));\n"
	"typedef uint32_t lc_vu __attribute__((vector_size(32)));\n"
	"#define LC_VSPLAT(x) ((lc_vf){ 0 } + (float)(x))\n"
	"#define LC_VLD(p, j) __extension__ ({ lc_vf lc_vl_; __builtin_memcpy(&lc_vl_, (p) + (j), sizeof lc_vl_); lc_vl_; })\n"
	"/* v may be a scalar (an element that does not depend on j): broadcast */\n"
	"#define LC_VST(p, j, v) __extension__ ({ lc_vf lc_vs_ = (lc_vf){ 0 } + (v); \\\n"
	"\t__builtin_memcpy((p) + (j), &lc_vs_, sizeof lc_vs_); })\n"
	"#define LC_VMAX(a, b) __extension__ ({ lc_vf lc_va_ = (a), lc_vb_ = (lc_vf){ 0 } + (b); \\\n"
	"\tlc_vi lc_gt_ = lc_vb_ > lc_va_; \\\n"
	"\t(lc_vf)((lc_gt_ & (lc_vi)lc_vb_) | (~lc_gt_ & (lc_vi)lc_va_)); })\n"
	"#define LC_VEXP_F(x) __extension__ ({ \\\n"
	"\tconst lc_vf lc_ex_ = (lc_vf){ 0 } + (x); \\\n"
	"\tconst lc_vf lc_kb_ = lc_ex_ * 1.44269504f + 12582912.0f; \\\n"
	"\tconst lc_vf lc_kf_ = lc_kb_ - 12582912.0f; \\\n"
	"\tconst lc_vf lc_r_ = (lc_ex_ - lc_kf_ * 0.693359375f) - lc_kf_ * -2.12194440e-4f; \\\n"
	"\tconst lc_vf lc_p_ = 1.0f + lc_r_ * (1.0f + lc_r_ * (0.5f + lc_r_ * (1.0f / 6 + lc_r_ * (1.0f / 24 \\\n"
	"\t\t+ lc_r_ * (1.0f / 120 + lc_r_ * (1.0f / 720 + lc_r_ * (1.0f / 5040))))))); \\\n"
	"\tconst lc_vu lc_s_ = ((lc_vu)lc_kb_ - 0x4B400000u + 127u) << 23; \\\n"
	"\tconst lc_vf lc_e_ = lc_p_ * (lc_vf)lc_s_; \\\n"
	"\t(lc_vf)((lc_vu)lc_e_ & ~(lc_vu)(lc_ex_ < -87.33f)); })\n"
	"#if (defined(__x86_64__) || defined(__i386__)) && !defined(__AVX2__) && !defined(LOSSC_NO_DISPATCH)\n"
	"#define LC_DISPATCH 1\n"
	"/* the AVX2 copy fuses a * b + c into one FMA (one rounding, not two:\n"
	"   tests/gen/expf.sh checks LC_VEXP_F's bound both ways); Clang fuses\n"
	"   within an expression by default */\n"
	"#if defined(__clang__)\n"
	"#define LC_AVX2 __attribute__((target(\"avx2,fma\")))\n"
	"#else\n"
	"#define LC_AVX2 __attribute__((target(\"avx2,fma\"), optimize(\"fp-contract=fast\")))\n"
	"#endif\n"
	"static int lc_have_avx2(void)\n"
	"{\n"
	"\treturn __builtin_cpu_supports(\"avx2\") && __builtin_cpu_supports(\"fma\");\n"
	"}\n"
	"#endif\n"
	"/* Streaming stores (x86 SSE): a long gradient row is written around the\n"
	"   cache (no read for ownership of lines it overwrites whole) when the\n"
	"   gradient has at least LOSSC_STREAM_BYTES bytes: a buffer that large\n"
	"   would leave the cache before it is read again anyway.\n"
	"   -DLOSSC_NO_STREAM: never; -DLOSSC_STREAM_BYTES=0: always. */\n"
	"#if (defined(__SSE2__) || defined(__x86_64__)) && !defined(LOSSC_NO_STREAM)\n"
	"#include <xmmintrin.h>\n"
	"#define LC_VSTREAM 1\n"
	"#ifndef LOSSC_STREAM_BYTES\n"
	"#define LOSSC_STREAM_BYTES " GV_STREAM_BYTES "\n"
	"#endif\n"
	"/* a function, not the constant: `bytes >= 0` would be a -Wtype-limits warning */\n"
	"__attribute__((unused)) static inline size_t lc_stream_bytes(void)\n{\n\treturn (size_t)LOSSC_STREAM_BYTES;\n}\n"
	"/* p + j is 32-byte aligned: two aligned 16-byte streaming stores */\n"
	"#define LC_VSTNT(p, j, v) __extension__ ({ lc_vf lc_vs_ = (lc_vf){ 0 } + (v); __m128 lc_lo_, lc_hi_; \\\n"
	"\t__builtin_memcpy(&lc_lo_, &lc_vs_, sizeof lc_lo_); \\\n"
	"\t__builtin_memcpy(&lc_hi_, (char *)&lc_vs_ + sizeof lc_lo_, sizeof lc_hi_); \\\n"
	"\t_mm_stream_ps((p) + (j), lc_lo_); _mm_stream_ps((p) + (j) + 4, lc_hi_); })\n"
	"/* streamed lines reach memory in no set order: fence before the rows\n"
	"   are handed to another thread or to the caller */\n"
	"#define LC_VSFENCE() _mm_sfence()\n"
	"#endif\n"
	"#endif /* the vector path */\n\n";

void gv_prelude(FILE *o)
{
	fputs(gv_text, o);
}
