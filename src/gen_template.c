/*
 * gen_template.c: the op rows' C text (ops.h), written out for one
 * precision: float32 and float64 kernels, long double references.  Each
 * formula is written once, in its row; this file knows the escapes, not
 * the formulas.
 */
#include "gen_impl.h"
#include "xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *gk_fmt(gen_kernel *g, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		len = 0;
	char *s = arena_alloc(g->arena, (size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	if ((size_t)len > GEN_MAX_EXPR)
		g->too_big = 1;
	return s;
}

const char *gt_num(gen_kernel *g, gen_prec p, double v)
{
	char buf[64];
	if (p == GP_LD) {
		if (isnan(v))
			return "NAN";
		if (isinf(v))
			return v < 0 ? "(-HUGE_VALL)" : "HUGE_VALL";
		char t[48];
		snprintf(t, sizeof t, "%.17g", v);
		return gk_fmt(g, v < 0 ? "(%s%sL)" : "%s%sL", t, strpbrk(t, ".e") ? "" : ".0");
	}
	gen_c_number(v, p == GP_F32, buf, sizeof buf);
	return gk_fmt(g, v < 0 || isinf(v) ? "(%s)" : "%s", buf);
}

static const char *const type_name[] = { "float", "double", "long double" };
static const char *const libm_suffix[] = { "f", "", "l" };
static const char *const helper_suffix[] = { "f", "d", "l" };
static const char *const huge_name[] = { "HUGE_VALF", "HUGE_VAL", "HUGE_VALL" };
static const char *const tiny_name[] = { "FLT_MIN", "DBL_MIN", "LDBL_MIN" };

static int helper_index(const char *name, size_t len)
{
	for (size_t i = 0; i < op_nhelpers; i++)
		if (strlen(op_helpers[i].name) == len && !memcmp(op_helpers[i].name, name, len))
			return (int)i;
	return -1;
}

/* A growing text. */
typedef struct tbuf {
	char *p;
	size_t len, cap;
} tbuf;

static void tput(tbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 256;
		while (nc < b->len + n + 1)
			nc *= 2;
		char *q = xrealloc(b->p, nc);
		b->p = q;
		b->cap = nc;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void tputs(tbuf *b, const char *s)
{
	tput(b, s, strlen(s));
}

/* An escape with nothing bound to it is a bug in a row: say so in the
   generated text (it will not compile) and mark the loss unsupported. */
static void missing(gen_kernel *g, tbuf *b, char c)
{
	char t[40];
	snprintf(t, sizeof t, "lc_no_value_for_%%%c", c);
	tputs(b, t);
	g->unsupported = g->loss ? g->loss->root : NULL;
	if (!g->unsupported)
		g->too_big = 1;
}

const char *gt_expand(gen_kernel *g, gen_prec p, const char *tpl, const gt_env *e)
{
	tbuf b = { NULL, 0, 0 };
	static const gt_env none;
	if (!e)
		e = &none;
	tput(&b, "", 0);
	for (const char *s = tpl; *s; s++) {
		if (*s != '%') {
			size_t n = strcspn(s, "%");
			tput(&b, s, n);
			s += n - 1;
			continue;
		}
		const char *v = NULL;
		char c = *++s;
		switch (c) {
		case '0': case '1': case '2': v = e->arg[c - '0']; break;
		case 'v': v = e->value; break;
		case 'g': v = e->adj; break;
		case 'a': v = e->acc; break;
		case 'n': v = e->len; break;
		case 'j': v = e->idx; break;
		case 'M': v = e->max; break;
		case 'N': v = e->next; break;
		case 'L': v = e->der[0]; break;
		case 'I': v = e->der[1]; break;
		case 'T': v = type_name[p]; break;
		case 'f': v = libm_suffix[p]; break;
		case 'S': v = helper_suffix[p]; break;
		case 'H': v = huge_name[p]; break;
		case 'Q': v = tiny_name[p]; break;
		case '%': v = "%"; break;
		case 'E':
			if (p == GP_F32) {
				g->helpers[p] |= 1UL << helper_index("exp_shifted", 11);
				/* in vector mode the same arithmetic on 8 lanes (gen_vec.c) */
				v = g->vmode ? "LC_VEXP_F" : "lc_exp_shifted_f";
			} else {
				v = p == GP_F64 ? "exp" : "expl";
			}
			break;
		case 'k': {     /* %k(NUMBER) */
			char *end;
			double num = strtod(s + 2, &end);
			v = gt_num(g, p, num);
			s = *end == ')' ? end : end - 1;
			break;
		}
		case '{': {     /* %{helper} */
			size_t n = strcspn(s + 1, "}");
			int h = helper_index(s + 1, n);
			if (h < 0 || (op_helpers[h].f32_only && p != GP_F32)) {
				missing(g, &b, '{');
				s += n + 1;
				continue;
			}
			g->helpers[p] |= 1UL << h;
			v = gk_fmt(g, "lc_%s_%s", op_helpers[h].name, helper_suffix[p]);
			s += n + 1;
			break;
		}
		default:
			s--;    /* a lone '%': keep it */
			v = "%";
			break;
		}
		if (v)
			tputs(&b, v);
		else
			missing(g, &b, c);
	}
	const char *r = gk_fmt(g, "%s", b.p);
	free(b.p);
	return r;
}

void gt_helpers(FILE *o, gen_prec p, unsigned long used)
{
	/* close over the helpers a helper calls (they come earlier in the table) */
	for (size_t i = op_nhelpers; i-- > 0;) {
		if (!(used >> i & 1))
			continue;
		for (const char *s = op_helpers[i].text; (s = strstr(s, "%{")) != NULL; s += 2) {
			int h = helper_index(s + 2, strcspn(s + 2, "}"));
			if (h >= 0)
				used |= 1UL << h;
		}
	}
	gen_kernel scratch;
	memset(&scratch, 0, sizeof scratch);
	scratch.arena = arena_new();
	for (size_t i = 0; i < op_nhelpers; i++)
		if (used >> i & 1)
			fprintf(o, "%s\n", gt_expand(&scratch, p, op_helpers[i].text, NULL));
	arena_free(scratch.arena);
}
