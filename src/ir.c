/*
 * ir.c: type and shape checking, and lowering of a loss's value into the
 * IR of ir.h.  Calls are looked up in funcs.h; an op call becomes its
 * node, a composite loss call is replaced by its LossSpec definition
 * (losses.h), lowered with the parameters bound to the lowered arguments.
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

#include "funcs.h"
#include "ireval.h"
#include "xalloc.h"

/* How deep a value may nest counting through its lets: the parser caps
   each expression at PARSE_MAX_DEPTH, but a let's name stands for its
   whole expression, so a chain of lets nests deeper.  Past this, LS001 at
   the operation that goes past it (lossc(1) LIMITS). */
#define IR_MAX_DEPTH 1000

/* Inside a composite loss's definition: what its names mean. */
typedef struct xenv {
	const loss_info *loss;
	const ast_decl *decl;           /* the case: its lets */
	ir_node *args[FN_MAX_PARAMS];   /* the parameters, by index */
} xenv;

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
	int depth;              /* lower()'s recursion, through lets too (IR_MAX_DEPTH) */
	int too_deep;           /* IR_MAX_DEPTH was reported */
	/* expanding a composite loss: env binds its names; every node made
	   spans the outermost call and comes `from` its loss */
	const xenv *env;
	const loss_info *from;
	span from_span;
	/* lowering a branch of where(x > k, a, b): what its condition says of
	   x (an output, input or let), innermost last */
	struct assumption { const ast_item *item; ival iv; } assume[IR_MAX_ASSUME];
	int nassume;
	/* ignore_index: the label, the index, the call that gave it and the
	   node its expansion returned */
	const ast_item *mask;
	long mask_k;
	span mask_span;
	const ir_node *mask_node;
	/* the loss's `batch B;` item, or NULL: terms that span the batch need it */
	shp_ctx shp;
} lower_ctx;

static ir_node *lower(lower_ctx *c, const ast_expr *e);
static int need_row_vector(lower_ctx *c, const ir_node *x, span sp, const char *what, int rows);
static ir_node *lower_batch_sugar(lower_ctx *c, const ast_expr *e, int *done);
static void list_sizes(ir_loss *l, arena *ar);
static void find_rows(ir_loss *l);
static void apply_assumptions(const lower_ctx *c, ir_node *n, const ast_item *it);

static void err(lower_ctx *c, span sp, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A finding at sp, or at the outermost call when inside an expansion. */
static void report(lower_ctx *c, span sp, diag_severity sev, const char *code, const char *fmt, va_list ap)
{
	diag_addv(c->diags, c->f->src, c->from ? c->from_span : sp, sev, code, fmt, ap);
}

static void err(lower_ctx *c, span sp, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(c, sp, SEV_ERROR, code, fmt, ap);
	va_end(ap);
	c->errors++;
}

/* ---- printing ---------------------------------------------------------- */

const char *ir_op_name(ir_op op)
{
	return op < IR_NOPS ? ops[op].sig.name : "?";
}

/* The level (per batch) is left out: a message that needs it says so. */
char *ir_type_str(const ir_node *n, char *buf, size_t size)
{
	char a[48], b[48];
	const shp *s = &n->shape;
	if (n->type == IRT_CLASS)
		snprintf(buf, size, "class[%s]", shp_size_str(n->classes, a, sizeof a));
	else if (s->rank == 0)
		snprintf(buf, size, "real");
	else if (s->rank == 1)
		snprintf(buf, size, "real[%s]", shp_size_str(s->size[0], a, sizeof a));
	else
		snprintf(buf, size, "real[%s, %s]", shp_size_str(s->size[0], a, sizeof a),
			 shp_size_str(s->size[1], b, sizeof b));
	return buf;
}

void ir_set_dim(ir_node *n, shp_size len)
{
	int batched = n->shape.batched;
	n->shape = shp_scalar(batched);
	if (n->type == IRT_CLASS) {
		n->classes = len;
	} else if (len.item || len.n > 0) {
		n->shape.rank = 1;
		n->shape.size[0] = len;
	}
}

void ir_set_len(ir_node *n, long len)
{
	ir_set_dim(n, shp_num(len));
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

/* Operator precedence, as the grammar has it. */
enum { P_ADD = 1, P_MUL = 2, P_NEG = 3, P_POW = 4, P_ATOM = 5 };

static int op_prec(const ir_node *n)
{
	const char *s = ops[n->op].sig.name;
	if (ops[n->op].sig.group != FG_OPERATOR)
		return n->op == IR_CONST && !n->vals && n->num < 0 ? P_NEG : P_ATOM;
	if (n->nargs == 1)
		return P_NEG;
	return *s == '+' || *s == '-' ? P_ADD : *s == '^' ? P_POW : P_MUL;
}

static void pr(sbuf *b, const ir_node *n, int ctx)
{
	/* A DAG of shared lets prints as a tree, which can be exponentially
	   long (let a2 = a1 * a1; let a3 = a2 * a2; ...): stop at the cap. */
	if (b->trunc)
		return;
	const op_info *row = &ops[n->op];
	int p = op_prec(n);
	int paren = p < ctx;
	if (paren)
		sb_put(b, "(");
	switch (row->kind) {
	case OK_LEAF:
		if (row->sig.group != FG_LEAF) {        /* a call of a size: arange(B) */
			sb_put(b, row->sig.name);
			sb_put(b, "(");
			sb_put(b, n->classes.item && n->classes.item->name.s ? n->classes.item->name.s : "?");
			sb_put(b, ")");
		} else if (n->op != IR_CONST) {
			sb_put(b, n->item && n->item->name.s ? n->item->name.s : "?");
		} else if (n->vals) {
			sb_put(b, "[");
			for (long i = 0; i < ir_len(n); i++) {
				if (i) sb_put(b, ", ");
				sb_num(b, n->vals[i]);
			}
			sb_put(b, "]");
		} else {
			sb_num(b, n->num);
		}
		break;
	case OK_VEC:
		sb_put(b, "[");
		for (unsigned i = 0; i < n->nargs; i++) {
			if (i) sb_put(b, ", ");
			pr(b, n->args[i], 0);
		}
		sb_put(b, "]");
		break;
	case OK_INDEX:
		pr(b, n->args[0], P_ATOM);
		sb_put(b, "[");
		pr(b, n->args[1], 0);
		sb_put(b, "]");
		break;
	case OK_ELEM: case OK_REDUCE: case OK_VECTOR: case OK_BATCH: case OK_CROSS:
		if (row->kind == OK_CROSS && row->sig.group == FG_OPERATOR) {
			/* a @ transpose(b): b is a row's vector */
			pr(b, n->args[0], p);
			sb_put(b, " ");
			sb_put(b, row->sig.name);
			sb_put(b, " transpose(");
			pr(b, n->args[1], 0);
			sb_put(b, ")");
		} else if (row->sig.group == FG_OPERATOR && n->nargs == 1) {
			sb_put(b, row->sig.name);
			pr(b, n->args[0], P_NEG);
		} else if (row->sig.group == FG_OPERATOR) {
			/* + - * / associate to the left, ^ to the right */
			int right = p == P_POW;
			pr(b, n->args[0], right ? P_ATOM : p);
			sb_put(b, p == P_POW ? "" : " ");
			sb_put(b, row->sig.name);
			sb_put(b, p == P_POW ? "" : " ");
			pr(b, n->args[1], right ? p : p + 1);
		} else {
			sb_put(b, row->sig.name);
			sb_put(b, "(");
			for (unsigned i = 0; i < n->nargs; i++) {
				if (i) sb_put(b, ", ");
				pr(b, n->args[i], 0);
			}
			sb_put(b, ")");
		}
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
	char *buf = xmalloc(cap);
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
	n->span = c->from ? c->from_span : sp;
	n->from = c->from;
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

/*
 * Fold a node whose operands are all real constants, with the
 * evaluator.  Only a finite result is folded (1 / 0 stays a division,
 * for the domain check to report).
 */
static ir_node *fold(lower_ctx *c, ir_node *n)
{
	for (unsigned k = 0; k < n->nargs; k++)
		if (!is_const(n->args[k]))
			return n;
	if (n->type == IRT_CLASS || ops[n->op].kind == OK_LEAF || ops[n->op].kind == OK_CROSS)
		return n;       /* a row across the batch is never constant: its operands are per example */
	long len = ireval_len(n);
	long double *out = xcalloc((size_t)len, sizeof *out);
	long double **a = xcalloc(n->nargs ? n->nargs : 1, sizeof *a);
	int ok = 1;
	for (unsigned k = 0; k < n->nargs; k++) {
		const ir_node *x = n->args[k];
		long m = ireval_len(x);
		a[k] = xcalloc((size_t)m, sizeof **a);
		for (long j = 0; j < m; j++)
			a[k][j] = x->vals ? x->vals[j] : x->num;
	}
	ireval_node(n, (const long double *const *)a, out);
	for (long j = 0; ok && j < len; j++)
		ok = isfinite((double)out[j]);
	ir_node *r = n;
	if (ok) {
		r = mk(c, IR_CONST, n->span);
		r->type = n->type;      /* a condition stays one */
		r->shape = n->shape;
		if (ir_len(n) == 0) {
			r->num = (double)out[0];
		} else {
			double *v = arena_alloc(c->ar, (size_t)len * sizeof *v);
			for (long j = 0; j < len; j++)
				v[j] = (double)out[j];
			r->vals = v;
		}
	}
	for (unsigned k = 0; a && k < n->nargs; k++)
		free(a[k]);
	free(a);
	free(out);
	return r;
}

/* A node of op over args (already checked); its shape follows the row's kind. */
static ir_node *op_node(lower_ctx *c, ir_op op, ir_node *const *args, unsigned nargs, span sp)
{
	ir_node *n = mk(c, op, sp);
	n->nargs = nargs;
	n->args = arena_alloc(c->ar, (nargs ? nargs : 1) * sizeof *n->args);
	memcpy(n->args, args, nargs * sizeof *args);
	n->type = ops[op].gives_cond ? IRT_COND : IRT_REAL;
	/* per example when any operand is (a constant or a per-batch value is
	   the same for every row) */
	for (unsigned k = 0; k < nargs; k++)
		n->shape.batched |= args[k]->shape.batched;
	switch (ops[op].kind) {
	case OK_ELEM:
		for (unsigned k = 0; k < nargs; k++)
			if (args[k]->shape.rank > n->shape.rank) {
				n->shape.rank = args[k]->shape.rank;
				memcpy(n->shape.size, args[k]->shape.size, sizeof n->shape.size);
			}
		break;
	case OK_VEC:
		ir_set_len(n, (long)nargs);
		break;
	case OK_INDEX: case OK_REDUCE:
		break;
	case OK_VECTOR:
		ir_set_dim(n, ir_dim(args[0]));   /* softmax, log_softmax: N; onehot: K */
		break;
	case OK_BATCH:
		n->shape = shp_scalar(0);          /* one value for the whole batch */
		break;
	case OK_CROSS:                             /* a row as long as the batch */
		n->shape = shp_make(&c->shp, 1, 1, shp_named(c->shp.batch), shp_num(0));
		break;
	case OK_LEAF:
		break;
	}
	return fold(c, n);
}

static ir_node *unary(lower_ctx *c, ir_op op, ir_node *a, span sp)
{
	return op_node(c, op, &a, 1, sp);
}

static ir_node *binary(lower_ctx *c, ir_op op, ir_node *a, ir_node *b, span sp)
{
	ir_node *ab[2] = { a, b };
	return op_node(c, op, ab, 2, sp);
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

/* A type's size as a shape's: a whole number, or the item naming it. */
static shp_size ir_size_of(const ast_size *z)
{
	return z->name.s ? shp_named(z->name.item) : shp_num(z->n);
}

/* Each use of a name is its own leaf (with the span of that use); the
   analyzer compares ->item to see that u * u multiplies a value by itself.
   (gen keys some per-pass temporaries by node, so leaves stay unshared.) */
static ir_node *ref_node(lower_ctx *c, const ast_item *it, span sp)
{
	ir_node *n = mk(c, it->kind == IT_OUTPUT ? IR_OUTPUT : it->kind == IT_INPUT ? IR_INPUT : IR_LABEL, sp);
	n->item = it;
	apply_assumptions(c, n, it);
	n->type = it->type.kind == TY_CLASS ? IRT_CLASS : IRT_REAL;
	n->shape.batched = it->kind == IT_LABEL || it->choice != LEVEL_BATCH;
	if (it->type.dim != AST_DIM_SIZES) {
		ir_set_len(n, it->type.dim);
	} else if (n->type == IRT_CLASS) {
		n->classes = ir_size_of(&it->type.sizes[0]);
	} else {
		n->shape.rank = (unsigned char)it->type.nsizes;
		for (int i = 0; i < it->type.nsizes && i < SHP_MAX_AXES; i++)
			n->shape.size[i] = ir_size_of(&it->type.sizes[i]);
	}
	return n;
}

static char *tstr(const ir_node *n, char *buf, size_t size) { return ir_type_str(n, buf, size); }

static ir_node *lower_cached(lower_ctx *c, const ast_item *it, span use)
{
	(void)use;
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
		} else if (ir_len(n) != it->type.dim) {
			err(c, it->expr->span, "LS302", "param '%s' is declared %s but its value is %s",
			    it->name.s, ast_type_str(&it->type, want, sizeof want), ir_type_str(n, got, sizeof got));
			n = NULL;
		}
	}
	if (n && it->kind == IT_LET && !is_const(n))
		apply_assumptions(c, n, it);
	/* the array may have moved while the let's own lets were lowered */
	c->cache[slot].node = n;
	c->cache[slot].busy = 0;
	return n;
}

/*
 * The node a name stands for.  In the user's value, the resolver's
 * answer is the truth (it knows shadowing and definition order); a name
 * it left NULL was reported there (LS010/LS012) and lowers to NULL here,
 * not reported twice.  Inside a loss's definition: a parameter, or a let
 * of the definition.
 */
static ir_node *name_node(lower_ctx *c, const ast_name *nm, span sp)
{
	if (c->env) {
		const fn_sig *s = &c->env->loss->sig;
		for (int i = 0; i < FN_MAX_PARAMS && s->params[i].name; i++)
			if (strlen(s->params[i].name) == nm->len && !memcmp(s->params[i].name, nm->s, nm->len))
				return c->env->args[i];
		for (const ast_item *it = c->env->decl->items; it; it = it->next)
			if (it->kind == IT_LET && name_eq(&it->name, nm))
				return lower_cached(c, it, sp);
		err(c, sp, "LS306", "internal: '%s' is not defined in the definition of %s", nm->s, s->name);
		return NULL;
	}
	const ast_item *it = nm->item;
	if (!it)
		return NULL;
	if (it->kind == IT_PARAM || it->kind == IT_LET)
		return lower_cached(c, it, sp);
	if (it->kind == IT_OUTPUT || it->kind == IT_INPUT || it->kind == IT_LABEL)
		return ref_node(c, it, sp);
	if (it->kind == IT_SIZE) {      /* a size's value, bound at the call: sum(v) / V */
		ir_node *n = mk(c, IR_SIZE, sp);
		n->type = IRT_REAL;
		n->item = it;
		return n;
	}
	if (it->kind == IT_BATCH)
		err(c, sp, "LS301", "'%s' is the batch size, a length in types, not a value: "
		    "a mean over the batch is mean(x)", it->name.s);
	else
		err(c, sp, "LS301", "'%s' is not a number, not a value an expression can use", nm->s);
	return NULL;
}

/* ---- type checks ------------------------------------------------------- */

/* A class label where a number is needed: LS301. */
static int need_real(lower_ctx *c, const ir_node *n, span sp)
{
	char t[48];
	if (n->type == IRT_COND) {
		err(c, sp, "LS301", "a comparison gives a condition, not a number: only where() takes one "
		    "(where(c, 1, 0) is its number)");
		return 0;
	}
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
	if (shp_size_eq(ir_dim(a), ir_dim(b)) || !ir_is_vec(a) || !ir_is_vec(b))
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

static ir_op cmp_of(ast_expr_kind k)
{
	switch (k) {
	case EX_LT: return IR_LT;
	case EX_LE: return IR_LE;
	case EX_GT: return IR_GT;
	case EX_GE: return IR_GE;
	case EX_EQ: return IR_EQ;
	default: return IR_NE;
	}
}

static const char *cmp_text(ast_expr_kind k)
{
	switch (k) {
	case EX_LT: return "'<'";
	case EX_LE: return "'<='";
	case EX_GT: return "'>'";
	case EX_GE: return "'>='";
	case EX_EQ: return "'=='";
	default: return "'!='";
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

static const char *kind_text(fn_argkind k)
{
	switch (k) {
	case AK_REAL: return "real or real[N]";
	case AK_VECTOR: return "real[N]";
	case AK_CLASS: return "a class[K] label";
	case AK_CLASS_OR_PROB: return "a class[K] label or a prob[K]/real[K] target";
	case AK_BINARY_OR_SIGN: return "a sign or binary label (or a real)";
	case AK_SIGN: return "a sign label (-1 or +1)";
	case AK_COND: return "a condition (a comparison such as x > 0)";
	case AK_SIZE: return "the batch size's name";
	case AK_CONST: break;
	}
	return "a constant number";
}

static int is_label_of(const ir_node *n, ast_type_kind k)
{
	return n && (n->op == IR_LABEL || n->op == IR_INPUT) && n->item && n->item->type.kind == k;
}

static int check_kind(lower_ctx *c, const fn_sig *s, int i, const ir_node *n, span sp)
{
	char t[48];
	fn_argkind k = s->params[i].kind;
	int ok = 0, scalar_real = n->type == IRT_REAL && !ir_is_vec(n);
	switch (k) {
	case AK_REAL: ok = n->type == IRT_REAL; break;
	case AK_VECTOR: ok = n->type == IRT_REAL && ir_is_vec(n); break;
	case AK_CLASS: ok = n->type == IRT_CLASS; break;
	case AK_CLASS_OR_PROB: ok = n->type == IRT_CLASS || ir_is_vec(n); break;
	case AK_BINARY_OR_SIGN: ok = n->type == IRT_REAL; break;
	case AK_SIGN: ok = is_label_of(n, TY_SIGN) || (scalar_real && is_const(n) && fabs(n->num) == 1); break;
	case AK_CONST: ok = scalar_real && is_const(n); break;
	case AK_COND: ok = n->type == IRT_COND; break;
	case AK_SIZE: ok = 0; break;     /* named, never lowered (size_leaf) */
	}
	if (!ok && n->type == IRT_COND)
		return need_real(c, n, sp);
	char declared[48];
	if (!ok && (n->op == IR_LABEL || n->op == IR_INPUT) && n->item
	    && strcmp(ast_type_str(&n->item->type, declared, sizeof declared), tstr(n, t, sizeof t)) != 0) {
		/* A label whose declared type lowers to another ('binary' and
		   'sign' to real): name the declaration, not the real. */
		err(c, sp, "LS306", "argument '%s' of %s must be %s, not %s '%s' (%s)", s->params[i].name,
		    s->name, kind_text(k), n->op == IR_LABEL ? "label" : "input", n->item->name.s, declared);
	} else if (!ok && k == AK_SIGN && scalar_real && is_const(n)) {
		err(c, sp, "LS306", "argument '%s' of %s must be %s, not %g", s->params[i].name, s->name,
		    kind_text(k), n->num);
	} else if (!ok)
		err(c, sp, "LS306", "argument '%s' of %s must be %s, not %s%s", s->params[i].name, s->name,
		    kind_text(k), k == AK_CONST && scalar_real ? "an expression of " : "",
		    k == AK_CONST && scalar_real ? "data or outputs" : tstr(n, t, sizeof t));
	return ok;
}

/* A constant argument within its limits ("delta must be > 0, not 0"). */
static int check_limits(lower_ctx *c, const fn_sig *s, int i, double v, span sp)
{
	const fn_limits *L = &s->params[i].limits;
	if (!L->on)
		return 1;
	int bad = v < L->lo || v > L->hi || (v == L->lo && L->lo_open) || (v == L->hi && L->hi_open)
		  || (L->integer && v != floor(v));
	if (!bad)
		return 1;
	const char *nm = s->params[i].name;
	if (L->integer && L->hi - L->lo == 1)
		err(c, sp, "LS306", "%s must be %g or %g, not %g", nm, L->lo, L->hi, v);
	else if (isfinite(L->hi))
		err(c, sp, "LS306", "%s must be in [%g, %g], not %g", nm, L->lo, L->hi, v);
	else
		err(c, sp, "LS306", "%s must be %s %g, not %g", nm, L->lo_open ? ">" : ">=", L->lo, v);
	return 0;
}

/* ---- composite losses -------------------------------------------------- */

typedef struct call_args {
	ir_node *v[FN_MAX_PARAMS];      /* lowered arguments (NULL: defaulted) */
	span sp[FN_MAX_PARAMS];
	double k[FN_MAX_PARAMS];        /* AK_CONST values */
	int elementwise;                /* reduction="none": no mean over the vector */
} call_args;

static int cross_operands(lower_ctx *c, const fn_sig *s, const call_args *a, span sp);

static int guard_holds(const loss_guard *g, const call_args *a)
{
	const ir_node *x = a->v[g->param];
	switch (g->what) {
	case LG_CLASS: return x && x->type == IRT_CLASS;
	case LG_BINARY: return is_label_of(x, TY_BINARY);
	default: return a->k[g->param] == g->v;
	}
}

/* The arguments' shapes against each other (PM_SAME: equal; PM_BROADCAST:
   equal or one scalar). */
static int check_shapes(lower_ctx *c, const fn_sig *s, const call_args *a, span sp)
{
	char t0[48], t1[48];
	for (int i = 0; i < FN_MAX_PARAMS && s->params[i].name; i++) {
		const fn_param *p = &s->params[i];
		const ir_node *x = a->v[i], *y = a->v[p->with];
		if (p->match == PM_ANY || !x || !y)
			continue;
		if (p->match == PM_BROADCAST) {
			if (!need_broadcast(c, y, x, sp, s->name))
				return 0;
		} else if (!shp_size_eq(ir_dim(x), ir_dim(y))) {
			err(c, sp, "LS302", "shape mismatch in %s: %s %s vs %s %s", s->name, s->params[p->with].name,
			    tstr(y, t0, sizeof t0), p->name, tstr(x, t1, sizeof t1));
			return 0;
		}
	}
	return 1;
}

static ir_node *expand(lower_ctx *c, const loss_info *L, call_args *a, span sp)
{
	const fn_sig *s = &L->sig;
	if (!check_shapes(c, s, a, sp))
		return NULL;
	int which = -1;
	for (int k = 0; k < losses_ncases(L) && which < 0; k++) {
		const loss_def *d = losses_def(L, k);
		int ok = 1;
		for (int g = 0; g < d->nguards; g++)
			ok &= guard_holds(&d->guards[g], a);
		if (ok)
			which = k;
	}
	if (which < 0) {
		err(c, sp, "LS306", "internal: no case of %s's definition applies to these arguments", s->name);
		return NULL;
	}
	const loss_def *def = losses_def(L, which);
	xenv env;
	memset(&env, 0, sizeof env);
	env.loss = L;
	env.decl = def->decl;
	const xenv *outer_env = c->env;
	const loss_info *outer_from = c->from;
	int outer_cache = c->ncache;
	if (!c->from) {
		c->from = L;
		c->from_span = sp;
	}
	for (int i = 0; i < FN_MAX_PARAMS && s->params[i].name; i++)
		env.args[i] = a->v[i] ? a->v[i] : mk_const(c, a->k[i], sp);
	c->env = &env;
	ir_node *r = lower(c, def->value);
	if (r && L->average && ir_is_vec(r) && !a->elementwise)
		r = unary(c, IR_MEAN, r, sp);
	c->env = outer_env;
	c->ncache = outer_cache;       /* the definition's lets are its own */
	if (r && r->from == c->from && !outer_from) {
		ir_call *call = arena_alloc(c->ar, sizeof *call);
		ir_node **args = arena_alloc(c->ar, FN_MAX_PARAMS * sizeof *args);
		double *k = arena_alloc(c->ar, FN_MAX_PARAMS * sizeof *k);
		for (int i = 0; i < FN_MAX_PARAMS; i++) {
			args[i] = a->v[i];
			k[i] = a->k[i];
		}
		call->loss = L;
		call->nargs = FN_MAX_PARAMS;
		call->args = args;
		call->k = k;
		r->call = call;
	}
	c->from = outer_from;
	return r;
}

/* ---- calls ------------------------------------------------------------- */

/* len(v), inside a loss's definition: the length of a vector, a constant. */
static ir_node *lower_len(lower_ctx *c, const ast_expr *e)
{
	ir_node *v = e->nargs == 1 && !e->args[0].name.s ? lower(c, e->args[0].value) : NULL;
	if (!v || !ir_is_vec(v)) {
		err(c, e->span, "LS306", "internal: len() takes one vector");
		return NULL;
	}
	if (ir_dim_named(v)) {          /* real[V]: V's value, bound at the call */
		ir_node *n = mk(c, IR_SIZE, e->span);
		n->type = IRT_REAL;
		n->item = ir_dim(v).item;
		return n;
	}
	return mk_const(c, (double)ir_len(v), e->span);
}

/* ---- where(): narrowing by the condition -------------------------------- */

static void apply_assumptions(const lower_ctx *c, ir_node *n, const ast_item *it)
{
	for (int i = 0; i < c->nassume; i++)
		if (c->assume[i].item == it) {
			n->assume = n->assumed ? iv_meet(n->assume, c->assume[i].iv) : c->assume[i].iv;
			n->assumed = 1;
		}
}

/* What `x op k` being true says of x; 0 when nothing an interval can hold. */
static int cmp_interval(ir_op op, double k, ival *out)
{
	switch (op) {
	case IR_LT: *out = iv_open(-HUGE_VAL, 1, k, 1); return 1;
	case IR_LE: *out = iv_open(-HUGE_VAL, 1, k, 0); return 1;
	case IR_GT: *out = iv_open(k, 1, HUGE_VAL, 1); return 1;
	case IR_GE: *out = iv_open(k, 0, HUGE_VAL, 1); return 1;
	case IR_EQ: *out = iv_point(k); return 1;
	case IR_NE:
		*out = iv_all();
		out->nonzero = 1;
		return k == 0;
	default: return 0;
	}
}

/* k op x is x op' k; not (x op k) is x op'' k */
static ir_op cmp_mirror(ir_op op)
{
	return op == IR_LT ? IR_GT : op == IR_LE ? IR_GE : op == IR_GT ? IR_LT : op == IR_GE ? IR_LE : op;
}

static ir_op cmp_negate(ir_op op)
{
	switch (op) {
	case IR_LT: return IR_GE;
	case IR_LE: return IR_GT;
	case IR_GT: return IR_LE;
	case IR_GE: return IR_LT;
	case IR_EQ: return IR_NE;
	default: return IR_EQ;
	}
}

static int is_scalar_const(const ir_node *n) { return is_const(n) && !n->vals; }

/* The output, input or let a comparison's side names, or NULL. */
static const ast_item *narrowable(const lower_ctx *c, const ast_expr *side)
{
	if (c->env || side->kind != EX_NAME || !side->name.item)
		return NULL;
	ast_item_kind k = side->name.item->kind;
	return k == IT_OUTPUT || k == IT_INPUT || k == IT_LET ? side->name.item : NULL;
}

/* The lowering state a where() branch replaces, to restore after it. */
typedef struct branch_state {
	struct memo *cache;
	int ncache, cache_cap, nassume;
	int narrowed;           /* the branch has its own cache: drop it on leaving */
} branch_state;

/*
 * Enter a branch of where(cond, a, b) (`then`: a, else b).  When cond
 * compares an output, input or let with a constant, lower the branch
 * knowing what the condition says of it: its nodes there carry the
 * assumption, so `where(x > 0, log(x), 0)` takes the log of a positive x
 * (lossspec(5) EXPRESSIONS).  Lets are lowered afresh in the branch (its
 * own cache, params kept), so an assumption never leaks to a node used
 * outside it.
 */
static void branch_enter(lower_ctx *c, const ast_expr *cond, const ir_node *cn, int then, branch_state *b)
{
	b->cache = c->cache;
	b->ncache = c->ncache;
	b->cache_cap = c->cache_cap;
	b->nassume = c->nassume;
	b->narrowed = 0;
	if (!cond || !cn || cn->nargs != 2 || !ops[cn->op].gives_cond || c->nassume == IR_MAX_ASSUME)
		return;
	const ast_item *it = NULL;
	ir_op op = cn->op;
	double k = 0;
	if ((it = narrowable(c, cond->a)) && is_scalar_const(cn->args[1])) {
		k = cn->args[1]->num;
	} else if ((it = narrowable(c, cond->b)) && is_scalar_const(cn->args[0])) {
		k = cn->args[0]->num;
		op = cmp_mirror(op);
	} else {
		return;
	}
	ival iv;
	if (!cmp_interval(then ? op : cmp_negate(op), k, &iv))
		return;
	c->assume[c->nassume].item = it;
	c->assume[c->nassume].iv = iv;
	c->nassume++;
	b->narrowed = 1;
	c->cache = NULL;
	c->ncache = c->cache_cap = 0;
	for (int i = 0; i < b->ncache; i++)
		if (b->cache[i].item->kind == IT_PARAM) {
			int slot = memo_slot(c, &c->cache, &c->ncache, &c->cache_cap);
			c->cache[slot] = b->cache[i];
		}
}

/* Leaves a branch.  One that narrowed nothing shares the caller's cache,
   so a let first lowered inside it stays one node for later uses. */
static void branch_leave(lower_ctx *c, const branch_state *b)
{
	if (!b->narrowed)
		return;
	c->cache = b->cache;
	c->ncache = b->ncache;
	c->cache_cap = b->cache_cap;
	c->nassume = b->nassume;
}

/*
 * reduction="none" on a loss that averages over a vector (mse, bce, ...)
 * keeps one value per element, PyTorch's reduction='none'; "mean" is the
 * default.  "sum" is refused: a sum over the row is written sum(...), so
 * one spelling means one thing.  The string is the only one the language
 * has (lossspec(5) EXPRESSIONS).
 */
static int reduction_arg(lower_ctx *c, const fn_sig *s, const ast_arg *g, int *elementwise)
{
	const ast_expr *v = g->value;
	const loss_info *L = funcs_loss(s);
	if (!g->name.s || g->name.len != 9 || memcmp(g->name.s, "reduction", 9)) {
		err(c, g->span, "LS306", "a string argument is only reduction=\"none\" or reduction=\"mean\"");
		return 0;
	}
	if (!L || !L->average) {
		err(c, g->span, "LS306", "%s has no reduction: only the losses that average over a vector "
		    "(mse, l1, huber, bce, ...) take reduction=\"none\"", s->name);
		return 0;
	}
	if (!strcmp(v->name.s, "none")) {
		*elementwise = 1;
		return 1;
	}
	if (!strcmp(v->name.s, "mean"))
		return 1;
	if (!strcmp(v->name.s, "sum"))
		err(c, v->span, "LS306", "reduction=\"sum\" is written sum(%s(..., reduction=\"none\"))", s->name);
	else
		err(c, v->span, "LS306", "reduction is \"none\" or \"mean\", not \"%s\"", v->name.s);
	return 0;
}

static void warn(lower_ctx *c, span sp, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void warn(lower_ctx *c, span sp, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(c, sp, SEV_WARNING, code, fmt, ap);
	va_end(ap);
}

/*
 * ignore_index=k on cross_entropy or nll: PyTorch's mask.  A row whose
 * label is k is left out of the reduction (lossspec(5) MASKS AND
 * WEIGHTS), so the mask belongs to the row: it needs the dataset's class
 * label itself (LS312 for a prob[K] or computed target), a whole number,
 * and one mask per value.
 */
static int mask_arg(lower_ctx *c, const loss_info *L, const ast_arg *g, const ir_node *y, span call)
{
	char t[48];
	const char *pname = L->sig.params[L->mask_label - 1].name;
	ir_node *k = lower(c, g->value);
	if (!k)
		return 0;
	if (!is_scalar_const(k) || k->num != floor(k->num) || fabs(k->num) > 2147483647.0) {
		err(c, g->value->span, "LS306", "ignore_index is a whole number (PyTorch uses -100), not %s",
		    is_scalar_const(k) ? "a fraction" : "an expression of data or outputs");
		return 0;
	}
	if (!y)
		return 0;
	if (y->type != IRT_CLASS || y->op != IR_LABEL) {
		err(c, g->span, "LS312", "ignore_index masks rows by a class[K] label, and '%s' of %s is %s",
		    pname, L->sig.name, y->type == IRT_CLASS ? "computed, not a label of the dataset" : tstr(y, t, sizeof t));
		return 0;
	}
	if (c->mask && (c->mask != y->item || c->mask_k != (long)k->num)) {
		err(c, g->span, "LS306", "the value already leaves out the rows where %s is %ld (line %lu): "
		    "a row has one mask", c->mask->name.s, c->mask_k, source_pos(c->f->src, c->mask_span.start).line);
		return 0;
	}
	c->mask = y->item;
	c->mask_k = (long)k->num;
	c->mask_span = call;
	return 1;
}

/* ---- terms over the batch (lossspec(5) BATCHES) ------------------------ */

/* A per-batch term inside n (a per-batch node) other than a constant: a
   statistic over the batch or a `per batch` output or input; or NULL. */
static const ir_node *per_batch_term(const ir_node *n, int depth)
{
	if (!n || n->shape.batched || depth > 64)
		return NULL;
	if (ops[n->op].kind == OK_BATCH || n->op == IR_OUTPUT || n->op == IR_INPUT)
		return n;       /* a statistic, or a value declared `per batch` */
	for (unsigned k = 0; k < n->nargs; k++) {
		const ir_node *t = per_batch_term(n->args[k], depth + 1);
		if (t)
			return t;
	}
	return NULL;
}

/*
 * A reduction whose argument is a per-example scalar reduces over the
 * batch, the last axis of its batch tensor (shape.c's shp_reduce says
 * so): sum(x) and mean(x) become their row's `over_batch`, and std(x) and
 * var(x) are batch rows already.  Without a `batch` item that is LS313;
 * a per-batch argument has no axis left (LS301).  Switches *s to the row
 * to lower with; returns 0 to go on, -1 after a finding.
 */
static int batch_form(lower_ctx *c, const fn_sig **s, const ir_node *x, const ast_expr *e)
{
	const op_info *row = funcs_op(*s);
	if (!row || (row->kind != OK_BATCH && !(row->kind == OK_REDUCE && (*s)->max_args == 1)) || x->type != IRT_REAL)
		return 0;
	int batchable = row->kind == OK_BATCH || row->over_batch;
	shp out;
	int spans = 0;
	switch (shp_reduce(&c->shp, &x->shape, &out, &spans)) {
	case SHP_OK:
		break;
	case SHP_NEEDS_BATCH:
		if (!batchable)
			return 0;       /* max(x) of a scalar: the argument's kind is the finding */
		err(c, e->span, "LS313", "%s(...) of a per-example scalar spans the batch (every row's value): "
		    "declare `batch B;` in the loss to let its rows interact", (*s)->name);
		return -1;
	case SHP_NO_AXIS:
		if (!batchable)
			return 0;
		err(c, e->span, "LS301", "%s(...) of a per-batch value: it is one number for the whole batch, "
		    "with no axis left to reduce", (*s)->name);
		return -1;
	case SHP_MISMATCH: case SHP_TOO_MANY_AXES: case SHP_NOT_SQUARE: case SHP_NOT_BATCH:
		return 0;       /* not a rule shp_reduce applies */
	}
	if (!spans) {           /* the row's own elements */
		if (row->kind == OK_BATCH) {
			err(c, e->span, "LS301", "%s(...) of a vector's elements is not supported yet: %s over the "
			    "batch of a per-example scalar is", (*s)->name, (*s)->name);
			return -1;
		}
		return 0;
	}
	if (row->kind == OK_BATCH)
		return 0;
	if (!row->over_batch) {
		err(c, e->span, "LS301", "%s(...) over the batch is not supported yet: sum, mean, var and std "
		    "of a per-example scalar are", (*s)->name);
		return -1;
	}
	*s = &ops[row->over_batch].sig;
	return 0;
}

/*
 * Where each row needs its own value (the loss's value, a weight), a
 * per-batch term is LS311.  sp spans the position, what names it.
 */
static int need_per_example(lower_ctx *c, const ir_node *n, span sp, const char *what)
{
	const ir_node *t = per_batch_term(n, 0);
	if (!t)
		return 1;
	char e[80];
	err(c, sp, "LS311", "%s is one number for the whole batch (%s is per batch): each row needs its own; "
	    "combine the batch term with a per-example one", what, ir_to_string(t, e, sizeof e));
	return 0;
}

/*
 * A statistic over the batch is computed before the rows (lossspec(5)
 * GENERATED CODE); this lossc computes it from data only (inputs,
 * labels, params): over outputs, its gradient would flow from every row
 * into every other row's outputs, which the generated kernels do not do
 * yet.  LS301 at the statistic, naming the output.  reach[] as in
 * weight_is_data().
 */
static int batch_terms_are_data(lower_ctx *c, const ir_loss *l, const unsigned char *reach)
{
	int ok = 1;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		if (ops[n->op].kind != OK_BATCH || !reach[n->args[0]->id])
			continue;
		const ir_node *o = n->args[0];
		while (o->op != IR_OUTPUT) {
			unsigned k = 0;
			while (!reach[o->args[k]->id])
				k++;
			o = o->args[k];
		}
		err(c, n->span, "LS301", "%s over the batch of a value that depends on output '%s' is not "
		    "supported yet: a batch statistic's argument is data (inputs, labels, params)",
		    ops[n->op].sig.name, o->item->name.s);
		ok = 0;
	}
	return ok;
}

/* Two callable rows with one name (max(v) and max(a, b))? */
static int overloaded(const fn_sig *s)
{
	return funcs_lookup(s->name, strlen(s->name), s->min_args == 1 ? 2 : 1, 0) != NULL;
}

/*
 * A call whose one argument names the batch size (arange(B)): a leaf of
 * the row's own op, a class label of B classes, per example.  The size
 * is the argument's name, not a value: anything else, a size that is not
 * the batch's (LS316), or a loss without `batch` (LS313), is refused.
 */
/* The row's index in its batch (arange(B)'s op): a class label of B
   classes, per example. */
static ir_node *row_index_leaf(lower_ctx *c, ir_op op, const ast_item *batch, shp shape, span sp)
{
	ir_node *n = mk(c, op, sp);
	n->type = IRT_CLASS;
	n->shape = shape;
	n->classes = shp_named(batch);
	return n;
}

static ir_node *size_leaf(lower_ctx *c, const fn_sig *s, const ast_expr *e, const ast_arg *g, const char *name)
{
	const ast_expr *x = g->value;
	const ast_item *it = x->kind == EX_NAME ? x->name.item : NULL;
	if (x->kind == EX_NAME && !it)
		return NULL;    /* unresolved: LS010 said so */
	if (!it || (it->kind != IT_BATCH && it->kind != IT_SIZE)) {
		err(c, x->span, "LS316", "%s() takes the name of the batch size (declared `batch B;`), "
		    "not an expression", name);
		return NULL;
	}
	shp out;
	switch (shp_arange(&c->shp, shp_named(it), &out)) {
	case SHP_OK:
		break;
	case SHP_NEEDS_BATCH:
		err(c, e->span, "LS313", "%s(%s) counts the rows of the batch, and this loss declares none: "
		    "declare `batch B;` in it and write %s(B)", name, it->name.s, name);
		return NULL;
	default:
		err(c, x->span, "LS316", "%s(%s): '%s' is a size, not the batch: %s() counts the rows "
		    "of the batch, write %s(%s)", name, it->name.s, it->name.s, name, name,
		    c->shp.batch ? c->shp.batch->name.s : "B");
		return NULL;
	}
	return row_index_leaf(c, (ir_op)(funcs_op(s) - ops), it, out, e->span);
}

static ir_node *lower_call(lower_ctx *c, const ast_expr *e)
{
	char sig[160];
	const ast_name *fn = &e->name;
	int nargs = 0;          /* a string (reduction="none") is no parameter's */
	for (size_t i = 0; i < e->nargs; i++) {
		const ast_arg *g = &e->args[i];
		int mask = g->name.s && g->name.len == 12 && !memcmp(g->name.s, "ignore_index", 12);
		nargs += !(g->value && g->value->kind == EX_STR) && !mask;
	}
	if (c->env && fn->len == 3 && !memcmp(fn->s, "len", 3))
		return lower_len(c, e);
	int sugar;
	ir_node *sn = lower_batch_sugar(c, e, &sugar);
	if (sugar)
		return sn;
	const fn_sig *s = funcs_lookup(fn->s, fn->len, nargs, c->env != NULL);
	if (!s) {
		const fn_sig *any = funcs_lookup_name(fn->s, fn->len);
		if (!any) {
			const char *sug = funcs_suggest(fn->s, fn->len);
			if (sug)
				err(c, fn->span, "LS306", "unknown function '%s'; did you mean '%s'?", fn->s, sug);
			else
				err(c, fn->span, "LS306", "unknown function '%s'", fn->s);
		} else if (overloaded(any)) {
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

	int is_where = !funcs_loss(s) && funcs_op(s) == &ops[IR_WHERE];
	const ast_arg *mask_given = NULL;
	/* place each argument in its parameter slot */
	call_args a;
	const ast_arg *given[FN_MAX_PARAMS];
	int bad = 0, seen_named = 0;
	memset(&a, 0, sizeof a);
	memset(given, 0, sizeof given);
	for (size_t i = 0; i < e->nargs; i++) {
		const ast_arg *g = &e->args[i];
		int slot = -1;
		if (g->value && g->value->kind == EX_STR) {
			seen_named = 1;
			if (!reduction_arg(c, s, g, &a.elementwise))
				bad = 1;
			continue;
		}
		if (g->name.s && g->name.len == 12 && !memcmp(g->name.s, "ignore_index", 12) && funcs_loss(s)
		    && funcs_loss(s)->mask_label) {
			seen_named = 1;
			mask_given = g;
			continue;
		}
		if (g->name.s) {
			seen_named = 1;
			for (int j = 0; j < FN_MAX_PARAMS && s->params[j].name; j++)
				if (strlen(s->params[j].name) == g->name.len && !memcmp(s->params[j].name, g->name.s, g->name.len))
					slot = j;
			if (slot < 0) {
				err(c, g->name.span, "LS306", "%s has no argument named '%s': %s", s->name, g->name.s,
				    funcs_signature(s, sig, sizeof sig));
				bad = 1;
				continue;
			}
		} else {
			if (seen_named) {
				err(c, g->span, "LS306", "positional argument after a named one in %s", s->name);
				bad = 1;
				continue;
			}
			slot = (int)i;
		}
		if (given[slot]) {
			err(c, g->span, "LS306", "argument '%s' of %s given twice", s->params[slot].name, s->name);
			bad = 1;
			continue;
		}
		given[slot] = g;
	}
	int nparams = 0;
	for (int j = 0; j < FN_MAX_PARAMS && s->params[j].name; j++, nparams++) {
		if (!given[j]) {
			if (!s->params[j].has_default) {
				err(c, e->span, "LS306", "%s is missing argument '%s': %s", s->name, s->params[j].name,
				    funcs_signature(s, sig, sizeof sig));
				bad = 1;
			} else {
				a.k[j] = s->params[j].def;
				a.sp[j] = e->span;
			}
			continue;
		}
		a.sp[j] = given[j]->value->span;
		if (s->params[j].kind == AK_SIZE)       /* arange(B): the call is a leaf */
			return bad ? NULL : size_leaf(c, s, e, given[j], s->name);     /* its one argument */
		branch_state bs;
		branch_enter(c, is_where && j > 0 && given[0] ? given[0]->value : NULL, a.v[0], j == 1, &bs);
		a.v[j] = lower(c, given[j]->value);
		branch_leave(c, &bs);
		if (!a.v[j]) {
			bad = 1;
			continue;
		}
		if (j == 0 && !funcs_loss(s)) {
			int r = batch_form(c, &s, a.v[0], e);
			if (r < 0) {
				bad = 1;
				continue;
			}
		}
		if (!check_kind(c, s, j, a.v[j], a.sp[j]))
			bad = 1;
		else if (s->params[j].kind == AK_CONST) {
			a.k[j] = a.v[j]->num;
			if (!check_limits(c, s, j, a.k[j], a.sp[j]))
				bad = 1;
		}
	}
	if (bad)
		return NULL;

	const loss_info *L = funcs_loss(s);
	if (L && mask_given) {
		if (!mask_arg(c, L, mask_given, a.v[L->mask_label - 1], e->span))
			return NULL;
		ir_node *r = expand(c, L, &a, e->span);
		c->mask_node = r;
		return r;
	}
	if (L)
		return expand(c, L, &a, e->span);
	const op_info *row = funcs_op(s);
	ir_op op = (ir_op)(row - ops);
	if (row->kind == OK_CROSS && !cross_operands(c, s, &a, e->span))
		return NULL;
	if (row->kind == OK_ELEM) {
		for (int j = 1; j < nparams; j++)
			if (!need_broadcast(c, a.v[0], a.v[j], e->span, s->name))
				return NULL;
	} else if (row->kind == OK_REDUCE && nparams == 2 && !shp_size_eq(ir_dim(a.v[0]), ir_dim(a.v[1]))) {
		char t1[48];
		err(c, e->span, "LS302", "shape mismatch in %s: %s vs %s", s->name, tstr(a.v[0], sig, 48),
		    tstr(a.v[1], t1, sizeof t1));
		return NULL;
	}
	return op_node(c, op, a.v, (unsigned)nparams, e->span);
}

/* ---- expressions ------------------------------------------------------- */

/*
 * v[k] for a whole number k, counted from the end when negative (v[-1] is
 * the last element, as in PyTorch): an index node whose label is the
 * constant k.  The index must be a constant inside the vector.
 */
static ir_node *lower_const_index(lower_ctx *c, const ast_expr *e, ir_node *a)
{
	char ta[48];
	ir_node *k = lower(c, e->b);
	if (!k)
		return NULL;
	if (k->op == IR_ARANGE) {       /* S[arange(B)]: the row's own element, S.diagonal() */
		if (!ir_is_vec(a) || !shp_size_eq(ir_dim(a), ir_dim(k))) {
			char tb[48];
			err(c, e->span, "LS302", "shape mismatch in indexing: %s indexed by %s", tstr(a, ta, sizeof ta),
			    tstr(k, tb, sizeof tb));
			return NULL;
		}
		return binary(c, IR_INDEX, a, k, e->span);
	}
	if (k->type == IRT_CLASS) {
		err(c, e->b->span, "LS301", "a class label indexes a vector by its name alone (v[y]), "
		    "not through an expression");
		return NULL;
	}
	if (!is_scalar_const(k) || k->num != floor(k->num)) {
		err(c, e->b->span, "LS301", "an index is a class label or a whole number, not %s",
		    is_scalar_const(k) ? "a fraction" : "an expression of data or outputs");
		return NULL;
	}
	if (a->type != IRT_REAL || !ir_is_vec(a)) {
		err(c, e->a->span, "LS301", "only a real[K] vector can be indexed, not %s", tstr(a, ta, sizeof ta));
		return NULL;
	}
	if (ir_dim_named(a) && ir_dim(a).item->kind == IT_BATCH && k->num != 0 && k->num != -1) {
		/* a batch of one row has one element there: only the first and
		   the last always exist */
		err(c, e->b->span, "LS316", "index %.17g of %s: a row as long as the batch has only "
		    "element 0 (and -1) in a batch of one row; index it by arange(%s), or take 0 or -1",
		    k->num, tstr(a, ta, sizeof ta), ir_dim(a).item->name.s);
		return NULL;
	}
	if (ir_dim_named(a)) {
		/* real[V]: k counts from the end when negative, and V > k (or
		   V >= -k) is checked at the call (LOSSC_BAD_INDEX) */
		ir_node *y = mk(c, IR_CONST, e->b->span);
		y->type = IRT_CLASS;
		y->num = k->num;
		y->classes = ir_dim(a);
		return binary(c, IR_INDEX, a, y, e->span);
	}
	long n = ir_len(a);
	double at = k->num < 0 ? k->num + (double)n : k->num;
	if (!(at >= 0 && at < (double)n)) {
		err(c, e->b->span, "LS302", "index %.17g is outside %s: 0 .. %ld, or -%ld .. -1 from the end",
		    k->num, tstr(a, ta, sizeof ta), n - 1, n);
		return NULL;
	}
	ir_node *y = mk(c, IR_CONST, e->b->span);
	y->type = IRT_CLASS;
	y->num = at;
	y->classes = shp_num(n);
	return binary(c, IR_INDEX, a, y, e->span);
}

/*
 * A per-example vector as an operand across the rows (`a @ transpose(b)`,
 * transpose(M)): 1, or a finding at sp.  rows: it must be a row as long as
 * the batch (M of transpose: a B x B matrix).
 */
static int need_row_vector(lower_ctx *c, const ir_node *x, span sp, const char *what, int rows)
{
	char t[48];
	if (rows && !c->shp.batch) {
		err(c, sp, "LS313", "%s takes a B x B matrix, whose rows are the batch's: declare `batch B;` "
		    "in the loss to let its rows interact", what);
		return 0;
	}
	if (x->type == IRT_REAL && x->shape.batched && ir_is_vec(x)
	    && (!rows || (ir_dim_named(x) && ir_dim(x).item == c->shp.batch)))
		return 1;
	if (rows && x->type == IRT_REAL && x->shape.batched && ir_is_vec(x)) {
		char z[32];
		const char *B = c->shp.batch ? c->shp.batch->name.s : "B";
		int tr = !strcmp(what, "transpose");
		err(c, sp, "LS302", "%s of %s: a per-example real[%s] is a %s x %s matrix (%s rows of %s); %s "
		    "takes a %s x %s one, a row as long as the batch (real[%s])%s", what, tstr(x, t, sizeof t),
		    shp_size_str(ir_dim(x), z, sizeof z), B, z, B, z, what, B, B, B,
		    tr ? ", or write it on the right of @: a @ transpose(v)" : "");
		return 0;
	}
	err(c, sp, "LS302", "%s takes a per-example vector (a row of the batch), not %s", what, tstr(x, t, sizeof t));
	return 0;
}

/*
 * The operands of a call across the rows (OK_CROSS): a contraction
 * (cdist(a, b)) takes two per-example vectors of one length, in a loss
 * with a batch; a transpose, a B x B matrix.  1, or a finding.
 */
static int cross_operands(lower_ctx *c, const fn_sig *s, const call_args *a, span sp)
{
	char ta[48], tb[48], za[32], zb[32];
	const op_info *row = funcs_op(s);
	if (row->cross->swap)   /* transpose: a B x B matrix */
		return need_row_vector(c, a->v[0], a->sp[0], s->name, 1);
	int ok = need_row_vector(c, a->v[0], a->sp[0], s->name, 0);
	ok = need_row_vector(c, a->v[1], a->sp[1], s->name, 0) && ok;
	if (!ok)
		return 0;
	if (!c->shp.batch) {
		err(c, sp, "LS313", "%s(a, b) spans the batch (row i reads every row of b): declare `batch B;` "
		    "in the loss to let its rows interact", s->name);
		return 0;
	}
	if (!shp_size_eq(ir_dim(a->v[0]), ir_dim(a->v[1]))) {
		err(c, sp, "LS302", "shape mismatch in %s: %s vs %s (rows of length %s against rows of length %s)",
		    s->name, tstr(a->v[0], ta, sizeof ta), tstr(a->v[1], tb, sizeof tb),
		    shp_size_str(ir_dim(a->v[0]), za, sizeof za), shp_size_str(ir_dim(a->v[1]), zb, sizeof zb));
		return 0;
	}
	return 1;
}

/*
 * diagonal(M) of a B x B matrix is M[arange(B)], the row's own element;
 * eye(B) is onehot(arange(B)), the row of the identity (PyTorch's
 * d.diagonal() and torch.eye(B) on a batch-long row).  Returns the node,
 * or NULL after a finding; *done is 0 when e is neither call.
 */
static ir_node *lower_batch_sugar(lower_ctx *c, const ast_expr *e, int *done)
{
	int dg = e->name.len == 8 && !memcmp(e->name.s, "diagonal", 8);
	int eye = e->name.len == 3 && !memcmp(e->name.s, "eye", 3);
	*done = dg || eye;
	if (!*done)
		return NULL;
	if (e->nargs != 1 || e->args[0].name.s || !e->args[0].value) {
		err(c, e->span, "LS306", "%s takes one argument: %s", dg ? "diagonal" : "eye",
		    dg ? "diagonal(M) of a B x B matrix (a real[B] row per example)" : "eye(B), B the batch size");
		return NULL;
	}
	const ast_expr *x = e->args[0].value;
	if (eye) {
		/* arange's rule: the name of the batch size, never an expression */
		ast_arg g = e->args[0];
		ir_node *k = size_leaf(c, &ops[IR_ARANGE].sig, e, &g, "eye");
		return k ? unary(c, IR_ONEHOT, k, e->span) : NULL;
	}
	ir_node *m = lower(c, x);
	if (!m || !need_row_vector(c, m, x->span, "diagonal", 1))
		return NULL;
	ir_node *k = row_index_leaf(c, IR_ARANGE, c->shp.batch, shp_scalar(1), e->span);
	return binary(c, IR_INDEX, m, k, e->span);
}

/*
 * a @ transpose(b) of per-example vectors: row i of the result holds a_i
 * . b_j for every row j of the batch (PyTorch's a @ b.T on the B x D
 * tensors), a row as long as the batch.  Other products are refused.
 */
static ir_node *lower_matmul(lower_ctx *c, const ast_expr *e)
{
	char ta[48], tb[48], za[32], zb[32];
	const ast_expr *rhs = e->b;
	int tr = rhs && rhs->kind == EX_CALL && rhs->name.len == 9 && !memcmp(rhs->name.s, "transpose", 9)
		 && rhs->nargs == 1 && !rhs->args[0].name.s && rhs->args[0].value;
	ir_node *a = lower(c, e->a), *b = lower(c, tr ? rhs->args[0].value : rhs);
	if (!a || !b)
		return NULL;
	if (!tr) {
		err(c, e->span, "LS301", "%s @ %s: lossc computes a @ transpose(b) of two per-example vectors "
		    "(row i holds a_i . b_j for every row j of the batch); other products are not supported yet",
		    tstr(a, ta, sizeof ta), tstr(b, tb, sizeof tb));
		return NULL;
	}
	int ok = need_row_vector(c, a, e->a->span, "the left side of a @ transpose(b)", 0);
	ok = need_row_vector(c, b, rhs->args[0].value->span, "transpose(b) on the right of @", 0) && ok;
	if (!ok)
		return NULL;
	if (!c->shp.batch) {
		err(c, e->span, "LS313", "a @ transpose(b) spans the batch (row i reads every row of b): "
		    "declare `batch B;` in the loss to let its rows interact");
		return NULL;
	}
	if (!shp_size_eq(ir_dim(a), ir_dim(b))) {
		err(c, e->span, "LS302", "shape mismatch in a @ transpose(b): %s vs %s (a row of length %s "
		    "against rows of length %s)", tstr(a, ta, sizeof ta), tstr(b, tb, sizeof tb),
		    shp_size_str(ir_dim(a), za, sizeof za), shp_size_str(ir_dim(b), zb, sizeof zb));
		return NULL;
	}
	return binary(c, IR_GRAM, a, b, e->span);
}

static ir_node *lower(lower_ctx *c, const ast_expr *e)
{
	char ta[48], tb[48];
	if (!e)
		return NULL;
	if (++c->depth > IR_MAX_DEPTH) {
		/* The parser caps one expression's nesting; a let's name stands for
		   its whole expression, so a chain of lets can nest deeper. */
		if (!c->too_deep++)
			err(c, e->span, "LS001", "the value nests deeper than %d levels, counting through its "
			    "lets: lossc stops here", IR_MAX_DEPTH);
		c->depth--;
		return NULL;
	}
	ir_node *r = NULL;
	switch (e->kind) {
	case EX_NUM:
		r = mk_const(c, e->num, e->span);
		break;
	case EX_NAME:
		r = name_node(c, &e->name, e->span);
		break;
	case EX_NEG: {
		ir_node *a = lower(c, e->a);
		if (a && need_real(c, a, e->a->span))
			r = unary(c, IR_NEG, a, e->span);
		break;
	}
	case EX_ADD: case EX_SUB: case EX_MUL: case EX_DIV: case EX_POW: {
		ir_node *a = lower(c, e->a), *b = lower(c, e->b);
		if (!a || !b)
			break;
		int ok = need_real(c, a, e->a->span);
		ok = need_real(c, b, e->b->span) && ok;
		if (ok && need_broadcast(c, a, b, e->span, binop_text(e->kind)))
			r = binary(c, binop_of(e->kind), a, b, e->span);
		break;
	}
	case EX_INDEX: {
		ir_node *a = lower(c, e->a);
		if (!a)
			break;
		if (e->b) {
			r = lower_const_index(c, e, a);
			break;
		}
		ir_node *y = name_node(c, &e->name, e->name.span);
		if (!y)
			break;
		if (y->type != IRT_CLASS) {
			err(c, e->name.span, "LS301", "'%s' is %s: only a class[K] label can index a vector",
			    e->name.s, tstr(y, tb, sizeof tb));
			break;
		}
		if (!ir_is_vec(a)) {
			err(c, e->a->span, "LS301", "only a real[K] vector can be indexed, not %s", tstr(a, ta, sizeof ta));
			break;
		}
		if (!shp_size_eq(ir_dim(a), ir_dim(y))) {
			err(c, e->span, "LS302", "shape mismatch in indexing: %s indexed by %s", tstr(a, ta, sizeof ta),
			    tstr(y, tb, sizeof tb));
			break;
		}
		r = binary(c, IR_INDEX, a, y, e->span);
		break;
	}
	case EX_CALL:
		r = lower_call(c, e);
		break;
	case EX_LT: case EX_LE: case EX_GT: case EX_GE: case EX_EQ: case EX_NE: {
		ir_node *a = lower(c, e->a), *b = lower(c, e->b);
		if (!a || !b)
			break;
		/* a class label may be compared with a number (y == 0) */
		int label_vs_const = (a->type == IRT_CLASS && is_scalar_const(b))
				     || (b->type == IRT_CLASS && is_scalar_const(a));
		int ok = label_vs_const || need_real(c, a, e->a->span);
		ok = (label_vs_const || need_real(c, b, e->b->span)) && ok;
		if (ok && need_broadcast(c, a, b, e->span, cmp_text(e->kind)))
			r = binary(c, cmp_of(e->kind), a, b, e->span);
		break;
	}
	case EX_MATMUL:
		r = lower_matmul(c, e);
		break;
	case EX_STR:
		break;      /* a string: read by lower_call() */
	case EX_VEC: {
		ir_node **el = arena_alloc(c->ar, (e->nelems ? e->nelems : 1) * sizeof *el);
		int ok = 1, allc = 1;
		for (size_t i = 0; i < e->nelems; i++) {
			el[i] = lower(c, e->elems[i]);
			if (!el[i]) { ok = 0; continue; }
			if (!need_real(c, el[i], e->elems[i]->span)) { ok = 0; continue; }
			if (ir_is_vec(el[i])) {
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
			r->type = IRT_REAL;
			ir_set_len(r, (long)e->nelems);
		} else {
			r = op_node(c, IR_VEC, el, (unsigned)e->nelems, e->span);
		}
		break;
	}
	}
	c->depth--;
	return r;
}

/* ---- the loss ---------------------------------------------------------- */

/*
 * The LossSpec v2 item shapes the semantic core has no case for yet get
 * one finding at the first one instead of a wrong or partial analysis.
 * Returns its span and sets *what, or returns 0.  (Every v2 expression
 * is analyzed since issue 10: only items are checked here.)
 */
static int v2_item(const ast_item *it, span *sp, const char **what)
{
	switch (it->kind) {
	case IT_BATCH:
		return 0;       /* statistics over the batch are analyzed */
	case IT_INPUT: case IT_LABEL: case IT_OUTPUT: case IT_PARAM:
		/* a per-batch real scalar (a learned temperature) is compiled;
		   per-batch vectors and matrices are not yet */
		if (it->choice == LEVEL_BATCH && it->kind != IT_PARAM
		    && !(it->type.kind == TY_REAL && it->type.dim == 0 && it->kind != IT_LABEL)) {
			*what = "a per-batch vector or label"; *sp = it->choice_span; return 1;
		}
		if (it->type.dim == AST_DIM_SIZES && it->type.nsizes > 1) {
			*what = "a type with two sizes"; *sp = it->type.span; return 1;
		}
		if (it->type.dim == AST_DIM_SIZES && it->type.sizes[0].name.item
		    && it->type.sizes[0].name.item->kind == IT_BATCH && it->type.kind != TY_REAL) {
			/* real[B] is a row of a B x B matrix (InfoNCE's S); a class or
			   prob sized by the batch has no case yet */
			*what = "a label or distribution sized by the batch"; *sp = it->type.span; return 1;
		}
		return 0;
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

/* `reduce ... weight w`: w is one real number per example (LS301). */
static ir_node *lower_weight(lower_ctx *c, const ast_expr *e)
{
	char t[48];
	ir_node *w = lower(c, e);
	if (!w || !need_real(c, w, e->span))
		return NULL;
	if (!need_per_example(c, w, e->span, "the weight"))
		return NULL;
	if (ir_is_vec(w)) {
		err(c, e->span, "LS301", "the weight of a reduction is one real number per example, not %s",
		    tstr(w, t, sizeof t));
		return NULL;
	}
	return w;
}

/* Per node id: 1 when the node depends on an output.  Operands have
   smaller ids, so one pass in id order tells.  Caller frees. */
static unsigned char *reach_outputs(const ir_loss *l)
{
	unsigned char *reach = xcalloc(l->nnodes ? l->nnodes : 1, 1);
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		reach[i] = n->op == IR_OUTPUT;
		for (unsigned k = 0; k < n->nargs; k++)
			reach[i] |= reach[n->args[k]->id];
	}
	return reach;
}

/*
 * The weight may not depend on the outputs (LS314): training would move
 * it, and a gradient through sum(w v) / sum(w) is not what PyTorch's
 * (w * l).sum() / w.sum() with data weights computes.  Names the output
 * reached first.  Operands have smaller ids, so one pass in id order tells
 * which nodes reach an output (reach_outputs).
 */
static int weight_is_data(lower_ctx *c, const ir_loss *l, const unsigned char *reach)
{
	const ir_node *n = l->weight;
	int ok = !reach[n->id];
	while (!ok && n->op != IR_OUTPUT) {
		unsigned k = 0;
		while (!reach[n->args[k]->id])
			k++;
		n = n->args[k];
	}
	if (!ok)
		err(c, n->span, "LS314", "the weight depends on output '%s': a weight comes from the data "
		    "(inputs, labels, params), or training would move it", n->item->name.s);
	return ok;
}

static void number(ir_loss *l, ir_node *n, arena *ar, size_t *cap)
{
	if (!n || n->id != SIZE_MAX)
		return;
	n->id = SIZE_MAX - 1;   /* on the stack: a DAG has no cycles, but be safe */
	for (unsigned k = 0; k < n->nargs; k++)
		number(l, n->args[k], ar, cap);
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
	lower_ctx *c = xcalloc(1, sizeof *c);
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
	c->f = f;
	c->loss = loss;
	c->ar = ar;
	c->diags = diags;
	c->dataset = find_dataset(c);
	l->dataset = c->dataset;
	c->shp.batch = ast_find_item(loss, IT_BATCH);

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
	if (root && root->type == IRT_COND && !need_real(c, root, v->expr->span)) {
		root = NULL;
	} else if (root && (root->type == IRT_CLASS || ir_is_vec(root))) {
		char t[48];
		err(c, v->expr->span, "LS307", "the per-example value is %s, not a scalar; reduce it with sum() or mean()",
		    tstr(root, t, sizeof t));
	}
	if (root && !need_per_example(c, root, v->expr->span, "the value"))
		root = NULL;
	ir_node *weight = red && red->expr ? lower_weight(c, red->expr) : NULL;
	if (root && c->mask && root != c->mask_node)
		warn(c, c->mask_span, "LS315", "ignore_index leaves out the whole row where %s is %ld: "
		     "the value's other terms are left out there too", c->mask->name.s, c->mask_k);
	l->mask = c->mask;
	l->mask_k = c->mask_k;
	l->errors = c->errors;
	if (root && c->errors == 0) {
		size_t cap = 0;
		l->root = root;
		number(l, root, ar, &cap);
		if (weight) {
			l->weight = weight;
			number(l, weight, ar, &cap);
		}
		unsigned char *reach = reach_outputs(l);
		int ok = (!weight || weight_is_data(c, l, reach)) & batch_terms_are_data(c, l, reach);
		free(reach);
		if (!ok) {
			l->root = l->weight = NULL;
			l->nnodes = 0;
			l->errors = c->errors;
		}
	}
	if (l->root)
		list_sizes(l, ar);
	free(c);
	return l;
}

/* ---- named sizes ----------------------------------------------------- */

static int size_in_shape(const shp *s, const ast_item *size)
{
	for (int i = 0; i < s->rank; i++)
		if (s->size[i].item == size)
			return 1;
	return 0;
}

static int type_names_size(const ast_type *t, const ast_item *size)
{
	if (t->dim != AST_DIM_SIZES)
		return 0;
	for (int i = 0; i < t->nsizes; i++)
		if (t->sizes[i].name.s && t->sizes[i].name.item == size)
			return 1;
	return 0;
}

static int loss_uses_size(const ir_loss *l, const ast_item *size)
{
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		if (size_in_shape(&n->shape, size) || (n->type == IRT_CLASS && n->classes.item == size)
		    || (n->op == IR_SIZE && n->item == size))      /* a size used as a value: sum(v) / V */
			return 1;
	}
	for (const ast_item *it = l->loss->items; it; it = it->next)
		if (it->kind == IT_OUTPUT && type_names_size(&it->type, size))
			return 1;
	return 0;
}

/* l->sizes: the dataset's sizes, then the loss's, those the loss uses. */
static void list_sizes(ir_loss *l, arena *ar)
{
	const ast_decl *decls[2] = { l->dataset, l->loss };
	size_t cap = 0;
	for (int d = 0; d < 2; d++)
		for (const ast_item *it = decls[d] ? decls[d]->items : NULL; it; it = it->next)
			cap += it->kind == IT_SIZE;
	find_rows(l);
	if (!cap)
		return;
	l->sizes = arena_alloc(ar, cap * sizeof *l->sizes);
	for (int d = 0; d < 2; d++)
		for (const ast_item *it = decls[d] ? decls[d]->items : NULL; it; it = it->next)
			if (it->kind == IT_SIZE && loss_uses_size(l, it))
				l->sizes[l->nsizes++] = it;
}

/* l->rows: the batch, when a length or a class count is the batch size. */
static void find_rows(ir_loss *l)
{
	const ast_item *b = ast_find_item(l->loss, IT_BATCH);
	if (b && loss_uses_size(l, b))
		l->rows = b;
}

int ir_size_index(const ir_loss *l, const ast_item *size)
{
	for (size_t i = 0; i < l->nsizes; i++)
		if (l->sizes[i] == size)
			return (int)i;
	return -1;
}

long ir_size_at(const ir_loss *l, shp_size z, const long *bound)
{
	if (!z.item)
		return z.n;
	if (z.item == l->rows)
		return bound[l->nsizes];
	int i = ir_size_index(l, z.item);
	return i >= 0 ? bound[i] : 0;
}

long ir_min_size(const ir_loss *l, const ast_item *size)
{
	long m = 1;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		if (n->op == IR_CONST && n->type == IRT_CLASS && n->classes.item == size) {
			long need = n->num < 0 ? (long)-n->num : (long)n->num + 1;
			if (need > m)
				m = need;
		}
	}
	return m;
}

static shp_size bind_size(const ir_loss *l, shp_size z, const long *bound)
{
	return z.item ? shp_num(ir_size_at(l, z, bound)) : z;
}

const ir_loss *ir_bind(const ir_loss *l, const long *bound, arena *a)
{
	if (!l->nsizes && !l->rows)
		return l;
	ir_loss *b = arena_alloc(a, sizeof *b);
	*b = *l;
	b->sizes = NULL;
	b->nsizes = 0;
	b->rows = NULL;
	b->nodes = arena_alloc(a, (l->nnodes ? l->nnodes : 1) * sizeof *b->nodes);
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		ir_node *m = arena_alloc(a, sizeof *m);
		*m = *n;
		for (int k = 0; k < m->shape.rank; k++)
			m->shape.size[k] = bind_size(l, m->shape.size[k], bound);
		if (m->op == IR_SIZE) {         /* len(v) of a real[V]: V's bound value */
			m->op = IR_CONST;
			m->num = (double)ir_size_at(l, shp_named(n->item), bound);
			m->item = NULL;
		}
		if (m->type == IRT_CLASS) {
			if (m->op == IR_CONST && m->classes.item && m->num < 0)
				m->num += (double)ir_size_at(l, m->classes, bound);   /* z[-1]: from the end */
			m->classes = bind_size(l, m->classes, bound);
		}
		if (n->nargs) {
			m->args = arena_alloc(a, n->nargs * sizeof *m->args);
			for (unsigned k = 0; k < n->nargs; k++)
				m->args[k] = b->nodes[n->args[k]->id];
		}
		if (n->call) {
			ir_call *c = arena_alloc(a, sizeof *c);
			*c = *n->call;
			ir_node **args = arena_alloc(a, (c->nargs ? c->nargs : 1) * sizeof *args);
			for (unsigned k = 0; k < c->nargs; k++) {
				const ir_node *x = n->call->args[k];
				/* an argument outside the DAG (unused by the expansion) is not evaluated */
				args[k] = x && x->id < l->nnodes && l->nodes[x->id] == x ? b->nodes[x->id] : NULL;
			}
			c->args = (ir_node *const *)args;
			m->call = c;
		}
		b->nodes[i] = m;
	}
	b->root = l->root ? b->nodes[l->root->id] : NULL;
	b->weight = l->weight ? b->nodes[l->weight->id] : NULL;
	return b;
}

int ir_uses_item(const ir_loss *l, const ast_item *item)
{
	for (size_t i = 0; i < l->nnodes; i++)
		if (l->nodes[i]->item == item)
			return 1;
	return 0;
}
