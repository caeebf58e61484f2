/*
 * ir.c: type and shape checking, and lowering of a loss's value into the
 * IR of ir.h.  Composite losses expand here, following the definitions
 * recorded in funcs.c's table.
 *
 * A sub-expression that fails to type-check lowers to NULL; its parent
 * then lowers to NULL without a second finding, so one mistake gives one
 * finding while independent mistakes (two bad calls) each give theirs.
 */
#include "ir.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "funcs.h"

typedef struct lower_ctx {
	const ast_file *f;
	const ast_decl *loss;
	const ast_decl *dataset;
	arena *ar;
	diag_list *diags;
	int errors;
	/* lets and params already lowered (a let is one shared node); grown
	   in the arena */
	struct memo { const ast_item *item; ir_node *node; int busy; } *cache;
	int ncache, cache_cap;
	int depth;
} lower_ctx;

static ir_node *lower(lower_ctx *c, const ast_expr *e);

static void err(lower_ctx *c, span sp, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void err(lower_ctx *c, span sp, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_addv(c->diags, c->f->src, sp, SEV_ERROR, code, fmt, ap);
	va_end(ap);
	c->errors++;
}

/* ---- printing ---------------------------------------------------------- */

const char *ir_op_name(ir_op op)
{
	switch (op) {
	case IR_CONST: return "const";
	case IR_OUTPUT: return "output";
	case IR_INPUT: return "input";
	case IR_LABEL: return "label";
	case IR_VEC: return "[]";
	case IR_INDEX: return "[]";
	case IR_NOPS: return "?";
	default: break;
	}
	const struct fn_info *fi = funcs_for_op(op);
	return fi ? fi->name : "?";
}

char *ir_type_str(const ir_node *n, char *buf, size_t size)
{
	if (n->type == IRT_CLASS)
		snprintf(buf, size, "class[%ld]", n->n);
	else if (n->n == 0)
		snprintf(buf, size, "real");
	else
		snprintf(buf, size, "real[%ld]", n->n);
	return buf;
}

/* A growing string for the printer. */
typedef struct sbuf {
	char *p;
	size_t len, cap;
	int trunc;
} sbuf;

static void sb_put(sbuf *b, const char *s)
{
	size_t n = strlen(s);
	if (b->len + n + 1 > b->cap) {
		n = b->cap > b->len + 1 ? b->cap - b->len - 1 : 0;
		b->trunc = 1;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_num(sbuf *b, double v)
{
	char t[40];
	snprintf(t, sizeof t, "%.6g", v);
	sb_put(b, t);
}

enum { P_ADD = 1, P_MUL = 2, P_NEG = 3, P_POW = 4, P_ATOM = 5 };

static int node_prec(const ir_node *n)
{
	switch (n->op) {
	case IR_ADD: case IR_SUB: return P_ADD;
	case IR_MUL: case IR_DIV: return P_MUL;
	case IR_NEG: return P_NEG;
	case IR_POW: return P_POW;
	case IR_CONST: return (n->vals == NULL && n->num < 0) ? P_NEG : P_ATOM;
	default: return P_ATOM;
	}
}

static void pr(sbuf *b, const ir_node *n, int ctx);

static void pr_call(sbuf *b, const char *name, const ir_node *a, const ir_node *x)
{
	sb_put(b, name);
	sb_put(b, "(");
	pr(b, a, 0);
	if (x) {
		sb_put(b, ", ");
		pr(b, x, 0);
	}
	sb_put(b, ")");
}

static void pr(sbuf *b, const ir_node *n, int ctx)
{
	/* A DAG of shared lets prints as a tree, which can be exponentially
	   long (let a2 = a1 * a1; let a3 = a2 * a2; ...): stop at the cap. */
	if (b->trunc)
		return;
	int p = node_prec(n);
	int paren = p < ctx;
	if (paren)
		sb_put(b, "(");
	switch (n->op) {
	case IR_CONST:
		if (n->vals) {
			sb_put(b, "[");
			for (long i = 0; i < n->n; i++) {
				if (i) sb_put(b, ", ");
				sb_num(b, n->vals[i]);
			}
			sb_put(b, "]");
		} else {
			sb_num(b, n->num);
		}
		break;
	case IR_OUTPUT: case IR_INPUT: case IR_LABEL:
		sb_put(b, n->item && n->item->name.s ? n->item->name.s : "?");
		break;
	case IR_VEC:
		sb_put(b, "[");
		for (size_t i = 0; i < n->nelems; i++) {
			if (i) sb_put(b, ", ");
			pr(b, n->elems[i], 0);
		}
		sb_put(b, "]");
		break;
	case IR_ADD: case IR_SUB: case IR_MUL: case IR_DIV: {
		int lvl = (n->op == IR_ADD || n->op == IR_SUB) ? P_ADD : P_MUL;
		pr(b, n->a, lvl);
		sb_put(b, n->op == IR_ADD ? " + " : n->op == IR_SUB ? " - " : n->op == IR_MUL ? " * " : " / ");
		pr(b, n->b, lvl + 1);
		break;
	}
	case IR_POW:
		pr(b, n->a, P_ATOM);
		sb_put(b, "^");
		pr(b, n->b, P_POW);
		break;
	case IR_NEG:
		sb_put(b, "-");
		pr(b, n->a, P_NEG);
		break;
	case IR_INDEX:
		pr(b, n->a, P_ATOM);
		sb_put(b, "[");
		pr(b, n->b, 0);
		sb_put(b, "]");
		break;
	case IR_HUBER: {
		ir_node d;
		memset(&d, 0, sizeof d);
		d.op = IR_CONST;
		d.num = n->num;
		pr_call(b, "huber_elem", n->a, &d);
		break;
	}
	case IR_MIN: case IR_MAX: case IR_DOT:
		pr_call(b, ir_op_name(n->op), n->a, n->b);
		break;
	case IR_VMAX: pr_call(b, "max", n->a, NULL); break;
	case IR_VMIN: pr_call(b, "min", n->a, NULL); break;
	default:
		pr_call(b, ir_op_name(n->op), n->a, NULL);
		break;
	}
	if (paren)
		sb_put(b, ")");
}

char *ir_to_string(const ir_node *n, char *buf, size_t size)
{
	sbuf b = { buf, 0, size, 0 };
	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (n)
		pr(&b, n, 0);
	if (b.trunc && size > 4)
		memcpy(buf + size - 4, "...", 4);
	return buf;
}

int ir_print(FILE *out, const ir_node *n)
{
	size_t cap = 1 << 16;
	char *buf = malloc(cap);
	if (!buf)
		return -1;
	ir_to_string(n, buf, cap);
	int r = fputs(buf, out) < 0 ? -1 : 0;
	free(buf);
	return r;
}

/* ---- node construction ------------------------------------------------- */

static ir_node *mk(lower_ctx *c, ir_op op, span sp)
{
	ir_node *n = arena_alloc(c->ar, sizeof *n);
	n->op = op;
	n->span = sp;
	n->id = SIZE_MAX;
	return n;
}

static ir_node *mk_const(lower_ctx *c, double v, span sp)
{
	ir_node *n = mk(c, IR_CONST, sp);
	n->num = v;
	return n;
}

static int is_const(const ir_node *n) { return n && n->op == IR_CONST; }

static double const_at(const ir_node *n, long i)
{
	return n->vals ? n->vals[n->n ? i % n->n : 0] : n->num;
}

static double sigm(double v) { return v >= 0 ? 1 / (1 + exp(-v)) : exp(v) / (1 + exp(v)); }
static double splus(double v) { return v > 0 ? v + log1p(exp(-v)) : log1p(exp(v)); }

/* Elementwise value of a unary or binary op on numbers; NAN if not one. */
static double eval_elem(ir_op op, double x, double y, double k)
{
	switch (op) {
	case IR_ADD: return x + y;
	case IR_SUB: return x - y;
	case IR_MUL: return x * y;
	case IR_DIV: return x / y;
	case IR_POW: return pow(x, y);
	case IR_MIN: return fmin(x, y);
	case IR_MAX: return fmax(x, y);
	case IR_NEG: return -x;
	case IR_EXP: return exp(x);
	case IR_LOG: return log(x);
	case IR_LOG1P: return log1p(x);
	case IR_EXPM1: return expm1(x);
	case IR_SQRT: return sqrt(x);
	case IR_ABS: return fabs(x);
	case IR_SQUARE: return x * x;
	case IR_SIGMOID: return sigm(x);
	case IR_LOG_SIGMOID: return -splus(-x);
	case IR_SOFTPLUS: return splus(x);
	case IR_TANH: return tanh(x);
	case IR_RELU: return x > 0 ? x : 0;
	case IR_HUBER: return fabs(x) <= k ? 0.5 * x * x : k * (fabs(x) - 0.5 * k);
	case IR_XLOGX: return x == 0 ? 0 : x * log(x);
	default: return NAN;
	}
}

/*
 * Fold a node whose operands are all constants.  Only a finite result is
 * folded: log(0) stays a log node so the analyzer can report it.
 */
static ir_node *fold(lower_ctx *c, ir_node *n)
{
	if (!is_const(n->a) || (n->b && !is_const(n->b)) || n->op == IR_VEC)
		return n;
	if (n->type == IRT_CLASS)
		return n;
	long len = n->n;
	double *v = len ? arena_alloc(c->ar, (size_t)len * sizeof *v) : NULL;
	double s = 0;
	long m = n->a->n ? n->a->n : 1;
	switch (n->op) {
	case IR_SUM: case IR_MEAN: case IR_NORM1: case IR_NORM2: case IR_DOT:
		for (long i = 0; i < m; i++) {
			double x = const_at(n->a, i);
			s += n->op == IR_NORM1 ? fabs(x) : n->op == IR_NORM2 ? x * x
				: n->op == IR_DOT ? x * const_at(n->b, i) : x;
		}
		if (n->op == IR_MEAN) s /= (double)m;
		if (n->op == IR_NORM2) s = sqrt(s);
		break;
	case IR_VMAX: case IR_VMIN:
		s = const_at(n->a, 0);
		for (long i = 1; i < m; i++)
			s = n->op == IR_VMAX ? fmax(s, const_at(n->a, i)) : fmin(s, const_at(n->a, i));
		break;
	case IR_LOGSUMEXP: case IR_SOFTMAX: case IR_LOG_SOFTMAX: {
		double mx = -HUGE_VAL, acc = 0;
		for (long i = 0; i < m; i++) mx = fmax(mx, const_at(n->a, i));
		for (long i = 0; i < m; i++) acc += exp(const_at(n->a, i) - mx);
		double lse = mx + log(acc);
		if (n->op == IR_LOGSUMEXP) s = lse;
		else for (long i = 0; i < len; i++)
			v[i] = n->op == IR_SOFTMAX ? exp(const_at(n->a, i) - lse) : const_at(n->a, i) - lse;
		break;
	}
	case IR_INDEX: case IR_ONEHOT:
		return n;
	default:
		if (len == 0)
			s = eval_elem(n->op, n->a->num, n->b ? n->b->num : 0, n->num);
		else
			for (long i = 0; i < len; i++)
				v[i] = eval_elem(n->op, const_at(n->a, i), n->b ? const_at(n->b, i) : 0, n->num);
		break;
	}
	if (len == 0) {
		if (!isfinite(s))
			return n;
		return mk_const(c, s, n->span);
	}
	for (long i = 0; i < len; i++)
		if (!isfinite(v[i]))
			return n;
	ir_node *k = mk(c, IR_CONST, n->span);
	k->n = len;
	k->vals = v;
	return k;
}

static ir_node *unary(lower_ctx *c, ir_op op, ir_node *a, span sp, const fn_info *fi)
{
	ir_node *n = mk(c, op, sp);
	n->a = a;
	n->fn = fi;
	n->type = IRT_REAL;
	switch (op) {
	case IR_SUM: case IR_MEAN: case IR_VMAX: case IR_VMIN: case IR_LOGSUMEXP:
	case IR_NORM1: case IR_NORM2:
		n->n = 0;
		break;
	default:
		n->n = a->n;     /* elementwise, softmax, log_softmax, onehot (K) */
		break;
	}
	return fold(c, n);
}

/* Binary node; shapes were checked by the caller (or by construction). */
static ir_node *binary(lower_ctx *c, ir_op op, ir_node *a, ir_node *b, span sp, const fn_info *fi)
{
	ir_node *n = mk(c, op, sp);
	n->a = a;
	n->b = b;
	n->fn = fi;
	n->type = IRT_REAL;
	n->n = (op == IR_DOT || op == IR_INDEX) ? 0 : (a->n > b->n ? a->n : b->n);
	return fold(c, n);
}

/* ---- names ------------------------------------------------------------ */

static int name_eq(const ast_name *n, const ast_name *m)
{
	return n->s && m->s && n->len == m->len && memcmp(n->s, m->s, n->len) == 0;
}

static const ast_decl *find_dataset(lower_ctx *c)
{
	if (c->loss->target.decl)
		return c->loss->target.decl->kind == DECL_DATASET ? c->loss->target.decl : NULL;
	for (const ast_decl *d = c->f->decls; d; d = d->next)
		if (d->kind == DECL_DATASET && name_eq(&d->name, &c->loss->target))
			return d;
	return NULL;
}

/*
 * The item a name in the value refers to.  The resolver's answer is the
 * truth (it knows shadowing and definition order); a name it left NULL
 * was reported there (LS010/LS012) and is skipped here, not reported
 * twice.
 */
static const ast_item *find_item(lower_ctx *c, const ast_name *nm)
{
	(void)c;
	return nm->item;
}

/* A new slot at the end of a memo array, growing it in the arena. */
static int memo_slot(lower_ctx *c, struct memo **arr, int *n, int *cap)
{
	if (*n == *cap) {
		int nc = *cap ? *cap * 2 : 16;
		struct memo *m = arena_alloc(c->ar, (size_t)nc * sizeof *m);
		if (*n)
			memcpy(m, *arr, (size_t)*n * sizeof *m);
		*arr = m;
		*cap = nc;
	}
	return (*n)++;
}

/* Each use of a name is its own leaf (with the span of that use); the
   analyzer compares ->item to see that u * u multiplies a value by itself.
   (gen keys some per-pass temporaries by node, so leaves stay unshared.) */
static ir_node *ref_node(lower_ctx *c, const ast_item *it, span sp)
{
	ir_node *n = mk(c, it->kind == IT_OUTPUT ? IR_OUTPUT : it->kind == IT_INPUT ? IR_INPUT : IR_LABEL, sp);
	n->item = it;
	n->type = it->type.kind == TY_CLASS ? IRT_CLASS : IRT_REAL;
	n->n = it->type.dim;
	return n;
}

static ir_node *lower_cached(lower_ctx *c, const ast_item *it, span use)
{
	for (int i = 0; i < c->ncache; i++)
		if (c->cache[i].item == it)
			return c->cache[i].busy ? NULL : c->cache[i].node;
	if (!it->expr)
		return NULL;
	int slot = memo_slot(c, &c->cache, &c->ncache, &c->cache_cap);
	c->cache[slot].item = it;
	c->cache[slot].busy = 1;
	ir_node *n = lower(c, it->expr);
	if (n && it->kind == IT_PARAM) {
		char want[48], got[48];
		if (!is_const(n)) {
			err(c, it->expr->span, "LS301",
			    "param '%s' must be a constant: only numbers, vector literals and earlier params", it->name.s);
			n = NULL;
		} else if (it->type.kind != TY_REAL) {
			err(c, it->type.span, "LS301", "param '%s' must be real or real[N], not %s",
			    it->name.s, ast_type_str(&it->type, want, sizeof want));
			n = NULL;
		} else if (n->n != it->type.dim) {
			err(c, it->expr->span, "LS302", "param '%s' is declared %s but its value is %s",
			    it->name.s, ast_type_str(&it->type, want, sizeof want), ir_type_str(n, got, sizeof got));
			n = NULL;
		}
	}
	/* the array may have moved while the let's own lets were lowered */
	c->cache[slot].node = n;
	c->cache[slot].busy = 0;
	(void)use;
	return n;
}

/* ---- type checks ------------------------------------------------------- */

static char *tstr(const ir_node *n, char *buf, size_t size) { return ir_type_str(n, buf, size); }

/* A class label where a number is needed: LS301. */
static int need_real(lower_ctx *c, const ir_node *n, span sp)
{
	char t[48];
	if (n->type != IRT_CLASS)
		return 1;
	err(c, sp, "LS301", "class label used as a number (%s); index a vector with it, or use onehot()",
	    tstr(n, t, sizeof t));
	return 0;
}

/* Elementwise operands: equal shapes, or one scalar. */
static int need_broadcast(lower_ctx *c, const ir_node *a, const ir_node *b, span sp, const char *what)
{
	char ta[48], tb[48];
	if (a->n == b->n || a->n == 0 || b->n == 0)
		return 1;
	err(c, sp, "LS302", "shape mismatch in %s: %s vs %s", what, tstr(a, ta, sizeof ta), tstr(b, tb, sizeof tb));
	return 0;
}

static ir_op binop_of(ast_expr_kind k)
{
	switch (k) {
	case EX_ADD: return IR_ADD;
	case EX_SUB: return IR_SUB;
	case EX_MUL: return IR_MUL;
	case EX_DIV: return IR_DIV;
	default: return IR_POW;
	}
}

static const char *binop_text(ast_expr_kind k)
{
	switch (k) {
	case EX_ADD: return "'+'";
	case EX_SUB: return "'-'";
	case EX_MUL: return "'*'";
	case EX_DIV: return "'/'";
	default: return "'^'";
	}
}

/* ---- composite losses -------------------------------------------------- */

typedef struct call_args {
	ir_node *v[FN_MAX_PARAMS];
	span sp[FN_MAX_PARAMS];
	double k[FN_MAX_PARAMS];      /* AK_CONST values */
} call_args;

static ir_node *K(lower_ctx *c, double v, span sp) { return mk_const(c, v, sp); }

/* Mean over a vector, identity on a scalar (vector losses average). */
static ir_node *mean_if_vec(lower_ctx *c, ir_node *x, span sp, const fn_info *fi)
{
	return x->n ? unary(c, IR_MEAN, x, sp, fi) : x;
}

static int is_label_of(const ir_node *n, ast_type_kind k)
{
	return n && (n->op == IR_LABEL || n->op == IR_INPUT) && n->item && n->item->type.kind == k;
}

static ir_node *expand(lower_ctx *c, const fn_info *fi, call_args *a, span sp)
{
	const char *nm = fi->name;
	char t0[48], t1[48];
	ir_node *x = a->v[0], *y = a->v[1];

	if (!strcmp(nm, "cross_entropy") || !strcmp(nm, "nll")) {
		double eps = !strcmp(nm, "cross_entropy") ? a->k[2] : 0;
		if (eps < 0 || eps > 1) {
			err(c, a->sp[2], "LS306", "label_smoothing must be in [0, 1], not %g", eps);
			return NULL;
		}
		if (y->n != x->n) {
			err(c, sp, "LS302", "shape mismatch in %s: %s %s vs %s %s", nm, fi->params[0].name,
			    tstr(x, t0, sizeof t0), fi->params[1].name, tstr(y, t1, sizeof t1));
			return NULL;
		}
		ir_node *lp = !strcmp(nm, "nll") ? x : unary(c, IR_LOG_SOFTMAX, x, sp, fi);
		double kk = (double)x->n;
		if (y->type == IRT_CLASS) {
			ir_node *nll = unary(c, IR_NEG, binary(c, IR_INDEX, lp, y, sp, fi), sp, fi);
			if (eps == 0)
				return nll;
			ir_node *smooth = unary(c, IR_SUM, lp, sp, fi);
			return binary(c, IR_SUB, binary(c, IR_MUL, K(c, 1 - eps, sp), nll, sp, fi),
				      binary(c, IR_MUL, K(c, eps / kk, sp), smooth, sp, fi), sp, fi);
		}
		ir_node *tgt = y;
		if (eps != 0)
			tgt = binary(c, IR_ADD, binary(c, IR_MUL, K(c, 1 - eps, sp), y, sp, fi), K(c, eps / kk, sp), sp, fi);
		return unary(c, IR_NEG, unary(c, IR_SUM, binary(c, IR_MUL, tgt, lp, sp, fi), sp, fi), sp, fi);
	}
	if (!strcmp(nm, "kl_div")) {
		if (y->n != x->n) {
			err(c, sp, "LS302", "shape mismatch in kl_div: logq %s vs p %s", tstr(x, t0, sizeof t0),
			    tstr(y, t1, sizeof t1));
			return NULL;
		}
		ir_node *d = binary(c, IR_SUB, unary(c, IR_XLOGX, y, sp, fi), binary(c, IR_MUL, y, x, sp, fi), sp, fi);
		return unary(c, IR_SUM, d, sp, fi);
	}
	/* the rest compare a prediction with a target of the same shape */
	if (!need_broadcast(c, x, y, sp, nm))
		return NULL;
	if (!strcmp(nm, "mse"))
		return mean_if_vec(c, unary(c, IR_SQUARE, binary(c, IR_SUB, x, y, sp, fi), sp, fi), sp, fi);
	if (!strcmp(nm, "l1"))
		return mean_if_vec(c, unary(c, IR_ABS, binary(c, IR_SUB, x, y, sp, fi), sp, fi), sp, fi);
	if (!strcmp(nm, "huber") || !strcmp(nm, "smooth_l1")) {
		double d = a->k[2];
		int sl1 = !strcmp(nm, "smooth_l1");
		if (d < 0 || (d == 0 && !sl1)) {
			err(c, a->sp[2], "LS306", "%s must be %s, not %g", fi->params[2].name, sl1 ? ">= 0" : "> 0", d);
			return NULL;
		}
		ir_node *diff = binary(c, IR_SUB, x, y, sp, fi);
		if (d == 0)     /* PyTorch: smooth_l1 with beta = 0 is l1 */
			return mean_if_vec(c, unary(c, IR_ABS, diff, sp, fi), sp, fi);
		ir_node *h = mk(c, IR_HUBER, sp);
		h->a = diff;
		h->num = d;
		h->fn = fi;
		h->type = IRT_REAL;
		h->n = diff->n;
		h = fold(c, h);
		ir_node *m = mean_if_vec(c, h, sp, fi);
		return sl1 ? binary(c, IR_DIV, m, K(c, d, sp), sp, fi) : m;
	}
	if (!strcmp(nm, "bce")) {
		ir_node *one = K(c, 1, sp);
		ir_node *l = binary(c, IR_ADD,
				    binary(c, IR_MUL, y, unary(c, IR_LOG, x, sp, fi), sp, fi),
				    binary(c, IR_MUL, binary(c, IR_SUB, one, y, sp, fi),
					   unary(c, IR_LOG, binary(c, IR_SUB, one, x, sp, fi), sp, fi), sp, fi),
				    sp, fi);
		return mean_if_vec(c, unary(c, IR_NEG, l, sp, fi), sp, fi);
	}
	if (!strcmp(nm, "bce_with_logits")) {
		double pw = a->k[2];
		if (pw < 0) {
			err(c, a->sp[2], "LS306", "pos_weight must be >= 0, not %g", pw);
			return NULL;
		}
		ir_node *pos = pw == 1 ? y : binary(c, IR_MUL, K(c, pw, sp), y, sp, fi);
		ir_node *l = binary(c, IR_ADD,
				    binary(c, IR_MUL, pos, unary(c, IR_SOFTPLUS, unary(c, IR_NEG, x, sp, fi), sp, fi), sp, fi),
				    binary(c, IR_MUL, binary(c, IR_SUB, K(c, 1, sp), y, sp, fi),
					   unary(c, IR_SOFTPLUS, x, sp, fi), sp, fi),
				    sp, fi);
		return mean_if_vec(c, l, sp, fi);
	}
	if (!strcmp(nm, "hinge")) {
		ir_node *t = y;
		if (is_label_of(y, TY_BINARY))      /* {0, 1} -> {-1, +1} */
			t = binary(c, IR_SUB, binary(c, IR_MUL, K(c, 2, sp), y, sp, fi), K(c, 1, sp), sp, fi);
		ir_node *m = binary(c, IR_SUB, K(c, 1, sp), binary(c, IR_MUL, t, x, sp, fi), sp, fi);
		return mean_if_vec(c, unary(c, IR_RELU, m, sp, fi), sp, fi);
	}
	err(c, sp, "LS306", "'%s' has no expansion", nm);   /* a table row without a builder */
	return NULL;
}

/* ---- calls ------------------------------------------------------------- */

static const char *kind_text(fn_argkind k)
{
	switch (k) {
	case AK_REAL: return "real or real[N]";
	case AK_VECTOR: return "real[N]";
	case AK_CLASS: return "a class[K] label";
	case AK_CLASS_OR_PROB: return "a class[K] label or a prob[K]/real[K] target";
	case AK_BINARY_OR_SIGN: return "a sign or binary label (or a real)";
	case AK_CONST: break;
	}
	return "a constant number";
}

static int check_kind(lower_ctx *c, const fn_info *fi, int i, const ir_node *n, span sp)
{
	char t[48];
	fn_argkind k = fi->params[i].kind;
	int ok;
	switch (k) {
	case AK_REAL: ok = n->type == IRT_REAL; break;
	case AK_VECTOR: ok = n->type == IRT_REAL && n->n > 0; break;
	case AK_CLASS: ok = n->type == IRT_CLASS; break;
	case AK_CLASS_OR_PROB: ok = n->type == IRT_CLASS || n->n > 0; break;
	case AK_BINARY_OR_SIGN: ok = n->type == IRT_REAL; break;
	default: ok = n->type == IRT_REAL && n->n == 0 && is_const(n); break;
	}
	if (!ok)
		err(c, sp, "LS306", "argument '%s' of %s must be %s, not %s%s", fi->params[i].name, fi->name,
		    kind_text(k), k == AK_CONST && n->n == 0 && n->type == IRT_REAL ? "an expression of " : "",
		    k == AK_CONST && n->n == 0 && n->type == IRT_REAL ? "data or outputs" : tstr(n, t, sizeof t));
	return ok;
}

static ir_node *lower_call(lower_ctx *c, const ast_expr *e)
{
	char sig[128];
	const ast_name *fn = &e->name;
	int nargs = (int)e->nargs;
	const fn_info *fi = funcs_lookup(fn->s, fn->len, nargs);
	if (!fi) {
		const fn_info *any = funcs_lookup_name(fn->s, fn->len);
		if (!any) {
			const char *sug = funcs_suggest(fn->s, fn->len);
			if (sug)
				err(c, fn->span, "LS306", "unknown function '%s'; did you mean '%s'?", fn->s, sug);
			else
				err(c, fn->span, "LS306", "unknown function '%s'", fn->s);
		} else if (!strcmp(any->name, "max") || !strcmp(any->name, "min")) {
			err(c, e->span, "LS306", "%s takes one vector (%s(v)) or two values (%s(a, b)), got %d arguments",
			    any->name, any->name, any->name, nargs);
		} else {
			int lo = any->min_args, hi = any->max_args;
			err(c, e->span, "LS306", "%s expects %d%s%.0d argument%s, got %d: %s", any->name, lo,
			    hi > lo ? " to " : "", hi > lo ? hi : 0, hi == 1 ? "" : "s", nargs,
			    funcs_signature(any, sig, sizeof sig));
		}
		/* still lower the arguments: their own mistakes are worth reporting */
		for (size_t i = 0; i < e->nargs; i++)
			lower(c, e->args[i].value);
		return NULL;
	}

	/* place each argument in its parameter slot */
	call_args a;
	const ast_arg *given[FN_MAX_PARAMS] = { NULL, NULL, NULL };
	int bad = 0, seen_named = 0;
	memset(&a, 0, sizeof a);
	for (size_t i = 0; i < e->nargs; i++) {
		const ast_arg *g = &e->args[i];
		int slot = -1;
		if (g->name.s) {
			seen_named = 1;
			for (int j = 0; j < FN_MAX_PARAMS && fi->params[j].name; j++)
				if (strlen(fi->params[j].name) == g->name.len && !memcmp(fi->params[j].name, g->name.s, g->name.len))
					slot = j;
			if (slot < 0) {
				err(c, g->name.span, "LS306", "%s has no argument named '%s': %s", fi->name, g->name.s,
				    funcs_signature(fi, sig, sizeof sig));
				bad = 1;
				continue;
			}
		} else {
			if (seen_named) {
				err(c, g->span, "LS306", "positional argument after a named one in %s", fi->name);
				bad = 1;
				continue;
			}
			slot = (int)i;
		}
		if (given[slot]) {
			err(c, g->span, "LS306", "argument '%s' of %s given twice", fi->params[slot].name, fi->name);
			bad = 1;
			continue;
		}
		given[slot] = g;
	}
	for (int j = 0; j < FN_MAX_PARAMS && fi->params[j].name; j++) {
		if (!given[j]) {
			if (!fi->params[j].has_default) {
				err(c, e->span, "LS306", "%s is missing argument '%s': %s", fi->name, fi->params[j].name,
				    funcs_signature(fi, sig, sizeof sig));
				bad = 1;
			} else {
				a.k[j] = fi->params[j].def;
				a.sp[j] = e->span;
			}
			continue;
		}
		a.sp[j] = given[j]->value->span;
		a.v[j] = lower(c, given[j]->value);
		if (!a.v[j]) {
			bad = 1;
			continue;
		}
		if (!check_kind(c, fi, j, a.v[j], a.sp[j]))
			bad = 1;
		else if (fi->params[j].kind == AK_CONST)
			a.k[j] = a.v[j]->num;
	}
	if (bad)
		return NULL;

	if (fi->group == FG_LOSS)
		return expand(c, fi, &a, e->span);
	if (fi->op == IR_MIN || fi->op == IR_MAX) {
		if (!need_broadcast(c, a.v[0], a.v[1], e->span, fi->name))
			return NULL;
		return binary(c, fi->op, a.v[0], a.v[1], e->span, fi);
	}
	if (fi->op == IR_DOT) {
		if (a.v[0]->n != a.v[1]->n) {
			err(c, e->span, "LS302", "shape mismatch in dot: %s vs %s", tstr(a.v[0], sig, 48),
			    tstr(a.v[1], sig + 64, 48));
			return NULL;
		}
		return binary(c, IR_DOT, a.v[0], a.v[1], e->span, fi);
	}
	if (fi->op == IR_ONEHOT) {
		ir_node *n = mk(c, IR_ONEHOT, e->span);
		n->a = a.v[0];
		n->fn = fi;
		n->type = IRT_REAL;
		n->n = a.v[0]->n;
		return n;
	}
	return unary(c, fi->op, a.v[0], e->span, fi);
}

/* ---- expressions ------------------------------------------------------- */

static ir_node *lower(lower_ctx *c, const ast_expr *e)
{
	char ta[48], tb[48];
	if (!e)
		return NULL;
	if (++c->depth > 1000) {     /* the parser caps nesting; this is a backstop */
		c->depth--;
		return NULL;
	}
	ir_node *r = NULL;
	switch (e->kind) {
	case EX_NUM:
		r = mk_const(c, e->num, e->span);
		break;
	case EX_NAME: {
		const ast_item *it = find_item(c, &e->name);
		if (!it)
			break;      /* the resolver reports undefined names */
		if (it->kind == IT_PARAM || it->kind == IT_LET) {
			ir_node *n = lower_cached(c, it, e->span);
			r = n;
		} else if (it->kind == IT_OUTPUT || it->kind == IT_INPUT || it->kind == IT_LABEL) {
			r = ref_node(c, it, e->span);
		}
		break;
	}
	case EX_NEG: {
		ir_node *a = lower(c, e->a);
		if (a && need_real(c, a, e->a->span))
			r = unary(c, IR_NEG, a, e->span, NULL);
		break;
	}
	case EX_ADD: case EX_SUB: case EX_MUL: case EX_DIV: case EX_POW: {
		ir_node *a = lower(c, e->a), *b = lower(c, e->b);
		if (!a || !b)
			break;
		int ok = need_real(c, a, e->a->span);
		ok = need_real(c, b, e->b->span) && ok;
		if (ok && need_broadcast(c, a, b, e->span, binop_text(e->kind)))
			r = binary(c, binop_of(e->kind), a, b, e->span, funcs_for_op(binop_of(e->kind)));
		break;
	}
	case EX_INDEX: {
		ir_node *a = lower(c, e->a);
		const ast_item *it = find_item(c, &e->name);
		if (!a || !it)
			break;
		ir_node *y = NULL;
		if (it->kind == IT_INPUT || it->kind == IT_LABEL)
			y = ref_node(c, it, e->name.span);
		else if (it->kind == IT_LET || it->kind == IT_PARAM)
			y = lower_cached(c, it, e->name.span);
		else
			y = ref_node(c, it, e->name.span);
		if (!y)
			break;
		if (y->type != IRT_CLASS) {
			err(c, e->name.span, "LS301", "'%s' is %s: only a class[K] label can index a vector",
			    e->name.s, tstr(y, tb, sizeof tb));
			break;
		}
		if (a->type == IRT_CLASS || a->n == 0) {
			err(c, e->a->span, "LS301", "only a real[K] vector can be indexed, not %s", tstr(a, ta, sizeof ta));
			break;
		}
		if (a->n != y->n) {
			err(c, e->span, "LS302", "shape mismatch in indexing: %s indexed by %s", tstr(a, ta, sizeof ta),
			    tstr(y, tb, sizeof tb));
			break;
		}
		r = binary(c, IR_INDEX, a, y, e->span, NULL);
		break;
	}
	case EX_CALL:
		r = lower_call(c, e);
		break;
	case EX_MATMUL: case EX_LT: case EX_LE: case EX_GT: case EX_GE: case EX_EQ:
	case EX_NE: case EX_STR:
		break;      /* v2: refused by v2_construct() before lowering */
	case EX_VEC: {
		ir_node **el = arena_alloc(c->ar, (e->nelems ? e->nelems : 1) * sizeof *el);
		int ok = 1, allc = 1;
		for (size_t i = 0; i < e->nelems; i++) {
			el[i] = lower(c, e->elems[i]);
			if (!el[i]) { ok = 0; continue; }
			if (!need_real(c, el[i], e->elems[i]->span)) { ok = 0; continue; }
			if (el[i]->n != 0) {
				err(c, e->elems[i]->span, "LS302", "a vector literal holds scalars, not %s",
				    tstr(el[i], ta, sizeof ta));
				ok = 0;
				continue;
			}
			if (!is_const(el[i]))
				allc = 0;
		}
		if (!ok || e->nelems == 0)
			break;
		if (allc) {
			double *v = arena_alloc(c->ar, e->nelems * sizeof *v);
			for (size_t i = 0; i < e->nelems; i++)
				v[i] = el[i]->num;
			r = mk(c, IR_CONST, e->span);
			r->vals = v;
		} else {
			r = mk(c, IR_VEC, e->span);
			r->elems = el;
			r->nelems = e->nelems;
		}
		r->type = IRT_REAL;
		r->n = (long)e->nelems;
		break;
	}
	}
	c->depth--;
	return r;
}

/* ---- the loss ---------------------------------------------------------- */

/*
 * Until the semantic core handles LossSpec v2 (issue 10, after the op
 * table of issue 9), a loss that uses a v2 construct gets one finding at
 * the first one instead of a wrong or partial analysis.  Returns its span
 * and sets *what, or returns 0.
 */
static int v2_expr(const ast_expr *e, span *sp, const char **what)
{
	if (!e)
		return 0;
	switch (e->kind) {
	case EX_MATMUL: *what = "the operator @"; *sp = e->span; return 1;
	case EX_LT: case EX_LE: case EX_GT: case EX_GE: case EX_EQ: case EX_NE:
		*what = "a comparison"; *sp = e->span; return 1;
	case EX_STR: *what = "a string argument"; *sp = e->span; return 1;
	case EX_INDEX:
		if (e->b) {
			*what = "an index that is not a name"; *sp = e->b->span; return 1;
		}
		return v2_expr(e->a, sp, what);
	case EX_CALL:
		for (size_t i = 0; i < e->nargs; i++)
			if (v2_expr(e->args[i].value, sp, what))
				return 1;
		return 0;
	case EX_VEC:
		for (size_t i = 0; i < e->nelems; i++)
			if (v2_expr(e->elems[i], sp, what))
				return 1;
		return 0;
	default:
		return v2_expr(e->a, sp, what) || v2_expr(e->b, sp, what);
	}
}

static int v2_item(const ast_item *it, span *sp, const char **what)
{
	switch (it->kind) {
	case IT_SIZE: *what = "a named size"; *sp = it->span; return 1;
	case IT_BATCH: *what = "a batch item"; *sp = it->span; return 1;
	case IT_REDUCE:
		if (it->expr) {
			*what = "a weighted reduction"; *sp = it->expr->span; return 1;
		}
		return 0;
	case IT_INPUT: case IT_LABEL: case IT_OUTPUT: case IT_PARAM:
		if (it->choice == LEVEL_BATCH && it->kind != IT_PARAM) {
			*what = "a per-batch value"; *sp = it->choice_span; return 1;
		}
		if (it->type.dim == AST_DIM_SIZES) {
			*what = "a type with a named size or two sizes"; *sp = it->type.span; return 1;
		}
		return it->kind == IT_PARAM && v2_expr(it->expr, sp, what);
	case IT_LET: case IT_VALUE:
		return v2_expr(it->expr, sp, what);
	default:
		return 0;
	}
}

static int v2_construct(const ast_decl *loss, const ast_decl *ds, span *sp, const char **what)
{
	for (const ast_item *it = loss->items; it; it = it->next)
		if (v2_item(it, sp, what))
			return 1;
	if (ds)
		for (const ast_item *it = ds->items; it; it = it->next)
			if (v2_item(it, sp, what))
				return 1;
	return 0;
}

static void number(ir_loss *l, ir_node *n, arena *ar, size_t *cap)
{
	if (!n || n->id != SIZE_MAX)
		return;
	n->id = SIZE_MAX - 1;   /* on the stack: a DAG has no cycles, but be safe */
	number(l, n->a, ar, cap);
	number(l, n->b, ar, cap);
	for (size_t i = 0; i < n->nelems; i++)
		number(l, n->elems[i], ar, cap);
	if (l->nnodes == *cap) {
		size_t nc = *cap ? *cap * 2 : 32;
		ir_node **nn = arena_alloc(ar, nc * sizeof *nn);
		if (l->nnodes)
			memcpy(nn, l->nodes, l->nnodes * sizeof *nn);
		l->nodes = nn;
		*cap = nc;
	}
	n->id = l->nnodes;
	l->nodes[l->nnodes++] = n;
}

ir_loss *ir_lower(const ast_file *f, const ast_decl *loss, arena *ar, diag_list *diags)
{
	lower_ctx *c = calloc(1, sizeof *c);
	ir_loss *l = arena_alloc(ar, sizeof *l);
	l->file = f;
	l->loss = loss;
	l->reduce = RED_MEAN;
	l->precision = PREC_FLOAT32;
	const ast_item *red = ast_find_item(loss, IT_REDUCE), *prec = ast_find_item(loss, IT_PRECISION);
	if (red)
		l->reduce = (ast_reduce)red->choice;
	if (prec)
		l->precision = (ast_precision)prec->choice;
	if (!c)
		return l;
	c->f = f;
	c->loss = loss;
	c->ar = ar;
	c->diags = diags;
	c->dataset = find_dataset(c);
	l->dataset = c->dataset;

	span v2sp;
	const char *v2what;
	if (v2_construct(loss, c->dataset, &v2sp, &v2what)) {
		err(c, v2sp, "LS301", "%s is LossSpec v2, which this lossc parses but does not analyze yet",
		    v2what);
		l->errors = c->errors;
		free(c);
		return l;
	}

	/* params are checked even when unused */
	for (const ast_item *it = loss->items; it; it = it->next)
		if (it->kind == IT_PARAM)
			lower_cached(c, it, it->span);
	const ast_item *v = ast_find_item(loss, IT_VALUE);
	ir_node *root = v ? lower(c, v->expr) : NULL;
	if (root && (root->type == IRT_CLASS || root->n != 0)) {
		char t[48];
		err(c, v->expr->span, "LS307", "the per-example value is %s, not a scalar; reduce it with sum() or mean()",
		    tstr(root, t, sizeof t));
	}
	l->errors = c->errors;
	if (root && c->errors == 0) {
		size_t cap = 0;
		l->root = root;
		number(l, root, ar, &cap);
	}
	free(c);
	return l;
}

int ir_uses_item(const ir_loss *l, const ast_item *item)
{
	for (size_t i = 0; i < l->nnodes; i++)
		if (l->nodes[i]->item == item)
			return 1;
	return 0;
}
