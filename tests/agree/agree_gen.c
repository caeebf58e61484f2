/*
 * agree_gen.c: random well-typed LossSpec programs for the agreement
 * tests (agree.h).  The generator walks the op table and the composite
 * losses, so a new row is generated as soon as it exists: nothing here
 * names an op but the operators' spelling.
 */
#include "agree.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "funcs.h"

/* ---- choices ------------------------------------------------------------ */

void ag_src_init(ag_src *s, const uint8_t *data, size_t size, uint64_t seed)
{
	s->data = data;
	s->size = size;
	s->pos = 0;
	s->state = seed ^ 0x9e3779b97f4a7c15u;
	for (size_t i = 0; i < size; i++)
		s->state = (s->state ^ data[i]) * 0x100000001b3u;
	if (!s->state)
		s->state = 1;
}

static uint64_t next64(ag_src *s)
{
	s->state ^= s->state << 13;
	s->state ^= s->state >> 7;
	s->state ^= s->state << 17;
	return s->state;
}

unsigned ag_pick(ag_src *s, unsigned n)
{
	if (n <= 1)
		return 0;
	if (s->pos < s->size)
		return s->data[s->pos++] % n;
	return (unsigned)(next64(s) >> 33) % n;
}

double ag_unif(ag_src *s)
{
	return (double)(next64(s) >> 11) / 9007199254740992.0;
}

/* ---- the program -------------------------------------------------------- */

typedef struct gen {
	ag_src *s;
	ag_prog *p;
	char *out;              /* the value and lets, '\1' where k goes */
	size_t len, cap;
	int budget;             /* nodes left */
	int nlets, let_vec[3];
} gen;

static void put(gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(gen *g, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(g->out + g->len, g->cap - g->len, fmt, ap);
	va_end(ap);
	if (n < 0 || g->len + (size_t)n >= g->cap)
		g->len = g->cap;        /* too long: the caller starts over */
	else
		g->len += (size_t)n;
}

static void add_edges(ag_prog *p, const double *pts)
{
	for (; pts && !isnan(*pts); pts++) {
		int seen = 0;
		for (int i = 0; i < p->nedges; i++)
			seen |= p->edges[i] == *pts;
		if (!seen && p->nedges < 64)
			p->edges[p->nedges++] = *pts;
	}
}

static const double pool[] = { 0, 1, -1, 2, 0.5, -0.5, 3, 1e-3, 100, -7.25, 1e-30 };

static void constant(gen *g)
{
	double c = pool[ag_pick(g->s, sizeof pool / sizeof pool[0])];
	if (g->p->nedges && ag_pick(g->s, 4) == 0)
		c = g->p->edges[ag_pick(g->s, (unsigned)g->p->nedges)];
	put(g, c < 0 ? "(%.17g)" : "%.17g", c);
}

static void expr(gen *g, int vec, int depth);
static void cond(gen *g, int vec, int depth);

/* A leaf of the type: a name, a constant, a let, an element or a literal. */
static void leaf(gen *g, int vec)
{
	int N = g->p->n;
	for (int i = 0; i < g->nlets; i++)
		if (g->let_vec[i] == vec && ag_pick(g->s, 4) == 0) {
			put(g, "a%d", i);
			return;
		}
	if (!vec) {
		switch (ag_pick(g->s, 9)) {
		case 0: case 1: put(g, "o"); return;
		case 2: put(g, "x"); return;
		case 3: put(g, "\1"); return;           /* k, pinned (folds in the folded text) */
		case 4: put(g, "s"); return;
		case 5: put(g, "b"); return;
		case 6: put(g, ag_pick(g->s, 2) ? "ov[y]" : "xv[y]"); return;
		default: constant(g); return;
		}
	}
	switch (ag_pick(g->s, 8)) {
	case 0: case 1: case 2: put(g, "ov"); return;
	case 3: put(g, "xv"); return;
	case 4: put(g, "p"); return;
	case 5: put(g, "onehot(y)"); return;
	case 6:         /* a constant vector */
		put(g, "[");
		for (int i = 0; i < N; i++) {
			if (i)
				put(g, ", ");
			constant(g);
		}
		put(g, "]");
		return;
	default:        /* a vector of scalar expressions */
		put(g, "[");
		for (int i = 0; i < N; i++) {
			if (i)
				put(g, ", ");
			expr(g, 0, 3);
		}
		put(g, "]");
		return;
	}
}

/* A constant argument inside its limits. */
static void const_arg(gen *g, const fn_param *p)
{
	const fn_limits *L = &p->limits;
	double v;
	if (!L->on) {
		static const double any[] = { 0, 0.5, 1, -0.5, 2 };
		v = any[ag_pick(g->s, 5)];
	} else if (L->integer) {
		v = ag_pick(g->s, 2) ? L->lo : L->hi;
	} else {
		double hi = isfinite(L->hi) ? L->hi : L->lo + 3;
		double c[3] = { L->lo_open ? L->lo + 0.25 : L->lo, (L->lo + hi) / 2, L->hi_open ? hi - 0.25 : hi };
		v = c[ag_pick(g->s, 3)];
	}
	put(g, v < 0 ? "(%.17g)" : "%.17g", v);
}

/* An argument of kind k with shape vec (-1: either). */
static void arg(gen *g, fn_argkind k, int vec, int depth)
{
	switch (k) {
	case AK_REAL: expr(g, vec < 0 ? (int)ag_pick(g->s, 2) : vec, depth); return;
	case AK_VECTOR: expr(g, 1, depth); return;
	case AK_CLASS: put(g, "y"); return;
	case AK_CLASS_OR_PROB: put(g, ag_pick(g->s, 2) ? "y" : "p"); return;
	case AK_BINARY_OR_SIGN:
		if (vec <= 0 && ag_pick(g->s, 3))
			put(g, ag_pick(g->s, 2) ? "b" : "s");
		else
			expr(g, vec < 0 ? 0 : vec, depth);
		return;
	case AK_SIGN: put(g, "s"); return;
	case AK_CONST: put(g, "1"); return;     /* (const_arg handles limits) */
	case AK_COND: cond(g, vec < 0 ? 0 : vec, depth); return;
	case AK_SIZE: put(g, "B"); return;     /* arange's: a batch row, not drawn by expr() */
	}
}

/* A condition: a comparison row between two expressions of the shape. */
static void cond(gen *g, int vec, int depth)
{
	const op_info *cand[IR_NOPS];
	int nc = 0;
	for (int op = 0; op < IR_NOPS; op++)
		if (ops[op].gives_cond)
			cand[nc++] = &ops[op];
	const op_info *r = cand[ag_pick(g->s, (unsigned)nc)];
	int which = (int)ag_pick(g->s, 2);
	put(g, "(");
	expr(g, vec && (which == 0 || ag_pick(g->s, 2)), depth + 1);
	put(g, " %s ", r->sig.name);
	expr(g, vec && (which == 1 || ag_pick(g->s, 2)), depth + 1);
	put(g, ")");
}

/* A call of a composite loss: a scalar. */
static void loss_call(gen *g, const loss_info *l, int depth)
{
	const fn_sig *s = &l->sig;
	int shape = s->params[0].kind == AK_VECTOR ? 1 : (int)ag_pick(g->s, 2);
	int named = 0;
	put(g, "%s(", s->name);
	for (int i = 0; i < FN_MAX_PARAMS && s->params[i].name; i++) {
		const fn_param *p = &s->params[i];
		if (p->has_default && (named || ag_pick(g->s, 2))) {
			if (ag_pick(g->s, 2)) {
				named = 1;
				continue;       /* left to its default */
			}
			put(g, ", %s=", p->name);
			const_arg(g, p);
			named = 1;
			continue;
		}
		if (i)
			put(g, ", ");
		if (p->kind == AK_CONST) {
			const_arg(g, p);
			continue;
		}
		int v = i == 0 || p->match == PM_SAME ? shape : p->match == PM_BROADCAST ? (shape ? (int)ag_pick(g->s, 2) : 0) : -1;
		arg(g, p->kind, v, depth + 1);
	}
	put(g, ")");
}

static void expr(gen *g, int vec, int depth)
{
	if (g->len >= g->cap)
		return;
	if (depth >= 5 || g->budget <= 0 || ag_pick(g->s, 5) == 0) {
		leaf(g, vec);
		return;
	}
	g->budget--;
	unsigned cat = ag_pick(g->s, 20);
	if (!vec && cat < 3) {
		/* a composite loss */
		const loss_info *l = &losses[ag_pick(g->s, (unsigned)losses_count)];
		loss_call(g, l, depth);
		return;
	}
	if (!vec && cat < 5) {
		/* an element of a vector expression */
		put(g, "(");
		expr(g, 1, depth + 1);
		put(g, ")[y]");
		return;
	}
	/* an op row whose result has the shape */
	const op_info *cand[IR_NOPS];
	int nc = 0;
	for (int op = 0; op < IR_NOPS; op++) {
		const op_info *r = &ops[op];
		int callable = r->sig.group == FG_ELEMWISE || r->sig.group == FG_OPERATOR
			       || r->sig.group == FG_REDUCE || r->sig.group == FG_VECTOR;
		if (!callable || r->gives_cond)     /* a condition is no number */
			continue;
		if (r->kind == OK_ELEM || (vec ? r->kind == OK_VECTOR : r->kind == OK_REDUCE))
			cand[nc++] = r;
	}
	const op_info *r = cand[ag_pick(g->s, (unsigned)nc)];
	add_edges(g->p, r->kinks);
	add_edges(g->p, r->edges);
	int na = r->sig.max_args;
	if (r->kind == OK_ELEM) {
		/* operands: scalars, or vectors and scalars with at least one vector */
		int which = vec ? (int)ag_pick(g->s, (unsigned)na) : -1;
		if (r->sig.group == FG_OPERATOR && na == 1) {
			put(g, "(-");
			expr(g, vec, depth + 1);
			put(g, ")");
			return;
		}
		if (r->sig.group == FG_OPERATOR) {
			/* a constant exponent: the base carries the shape */
			int konst = r->sig.name[0] == '^' && ag_pick(g->s, 4);
			put(g, "(");
			expr(g, vec && (which == 0 || konst || ag_pick(g->s, 2)), depth + 1);
			put(g, " %s ", r->sig.name);
			if (konst) {
				static const double pw[] = { 2, 3, 0.5, 1.5, -1, -2, 0, 1 };
				double e = pw[ag_pick(g->s, 8)];
				put(g, e < 0 ? "(%g)" : "%g", e);
			} else {
				expr(g, vec && (which == 1 || ag_pick(g->s, 2)), depth + 1);
			}
			put(g, ")");
			return;
		}
		put(g, "%s(", r->sig.name);
		for (int i = 0; i < na; i++) {
			if (i)
				put(g, ", ");
			int v = vec && (which == i || ag_pick(g->s, 2));
			if (r->sig.params[i].kind == AK_COND)
				cond(g, v, depth);
			else
				expr(g, v, depth + 1);
		}
		put(g, ")");
		return;
	}
	put(g, "%s(", r->sig.name);
	for (int i = 0; i < na; i++) {
		if (i)
			put(g, ", ");
		arg(g, r->sig.params[i].kind, 1, depth + 1);
	}
	put(g, ")");
}

static const double ranges[][2] = {
	{ -1, 1 }, { 0, 1 }, { 0.5, 2 }, { -10, 10 }, { -1000, 1000 }, { 1e-6, 1 }, { -50, 100 },
	{ -3, -0.5 }, { 1e-300, 1e-200 }, { 1e100, 1e200 }, { 0, 0.999 }, { -30, 0 },
};

/* A range for a real name, or none (unbounded). */
static void pick_range(ag_src *s, ag_leaf *l)
{
	unsigned r = ag_pick(s, (unsigned)(sizeof ranges / sizeof ranges[0]) + 3);
	l->ranged = r < sizeof ranges / sizeof ranges[0];
	if (l->ranged) {
		l->lo = ranges[r][0];
		l->hi = ranges[r][1];
	}
}

static void add_leaf(ag_prog *p, const char *name, int kind, int type, int vec)
{
	ag_leaf *l = &p->leaves[p->nleaves++];
	memset(l, 0, sizeof *l);
	snprintf(l->name, sizeof l->name, "%s", name);
	l->kind = kind;
	l->type = type;
	l->vec = vec;
}

static void decl(char *t, size_t *len, const ag_leaf *l, int n)
{
	static const char *const item[] = { "output", "input", "label" };
	char type[64];
	switch (l->type) {
	case AG_CLASS: snprintf(type, sizeof type, "class[%d]", n); break;
	case AG_SIGN: snprintf(type, sizeof type, "sign"); break;
	case AG_BINARY: snprintf(type, sizeof type, "binary"); break;
	case AG_PROB: snprintf(type, sizeof type, "prob[%d]", n); break;
	default:
		if (l->vec)
			snprintf(type, sizeof type, "real[%d]", n);
		else
			snprintf(type, sizeof type, "real");
	}
	*len += (size_t)snprintf(t + *len, AG_TEXT - *len, "    %s %s: %s", item[l->kind], l->name, type);
	if (l->ranged)
		*len += (size_t)snprintf(t + *len, AG_TEXT - *len, " in [%.17g, %.17g]", l->lo, l->hi);
	*len += (size_t)snprintf(t + *len, AG_TEXT - *len, ";\n");
}

/* The story around the body, k written as `k` or as its value. */
static void assemble(const ag_prog *p, const char *body, int fold, char *t)
{
	size_t len = 0;
	len += (size_t)snprintf(t + len, AG_TEXT - len, "dataset d {\n");
	for (int i = 0; i < p->nleaves; i++)
		if (p->leaves[i].kind != AG_OUTPUT)
			decl(t, &len, &p->leaves[i], p->n);
	len += (size_t)snprintf(t + len, AG_TEXT - len, "}\nloss l on d {\n");
	for (int i = 0; i < p->nleaves; i++)
		if (p->leaves[i].kind == AG_OUTPUT)
			decl(t, &len, &p->leaves[i], p->n);
	for (const char *b = body; *b && len + 64 < AG_TEXT; b++) {
		if (*b != '\1')
			t[len++] = *b;
		else if (fold)
			len += (size_t)snprintf(t + len, AG_TEXT - len, p->pinned < 0 ? "(%.17g)" : "%.17g", p->pinned);
		else
			t[len++] = 'k';
	}
	snprintf(t + len, AG_TEXT - len, "    reduce mean;\n    precision %s;\n}\n", p->f64 ? "float64" : "float32");
}

int ag_generate(ag_src *s, ag_prog *p)
{
	char body[8192];
	memset(p, 0, sizeof *p);
	p->n = 1 + (int)ag_pick(s, 4);
	p->f64 = 1;
	add_leaf(p, "o", AG_OUTPUT, AG_REAL, 0);
	add_leaf(p, "ov", AG_OUTPUT, AG_REAL, 1);
	add_leaf(p, "x", AG_INPUT, AG_REAL, 0);
	add_leaf(p, "xv", AG_INPUT, AG_REAL, 1);
	add_leaf(p, "k", AG_INPUT, AG_REAL, 0);
	add_leaf(p, "y", AG_LABEL, AG_CLASS, 0);
	add_leaf(p, "s", AG_LABEL, AG_SIGN, 0);
	add_leaf(p, "b", AG_LABEL, AG_BINARY, 0);
	add_leaf(p, "p", AG_LABEL, AG_PROB, 1);
	for (int i = 0; i < 4; i++)
		pick_range(s, &p->leaves[i]);
	p->pinned = pool[ag_pick(s, sizeof pool / sizeof pool[0])];
	p->leaves[4].ranged = 1;
	p->leaves[4].lo = p->leaves[4].hi = p->pinned;

	gen g = { s, p, body, 0, sizeof body, 14 + (int)ag_pick(s, 14), 0, { 0, 0, 0 } };
	int nlets = (int)ag_pick(s, 4) == 0 ? 1 + (int)ag_pick(s, 2) : 0;
	for (int i = 0; i < nlets; i++) {
		int vec = (int)ag_pick(s, 2);
		put(&g, "    let a%d = ", i);
		expr(&g, vec, 1);
		put(&g, ";\n");
		g.let_vec[g.nlets++] = vec;
	}
	put(&g, "    value = ");
	expr(&g, 0, 0);
	put(&g, ";\n");
	if (g.len >= g.cap)
		return -1;
	assemble(p, body, 0, p->text);
	assemble(p, body, 1, p->folded);
	return 0;
}

/* ---- a program from its text (regression cases) ------------------------ */

/* "    input x: real[3] in [-1, 1];" into leaf l; 1 if it is a declaration. */
static int read_decl(const char *line, ag_prog *p)
{
	char kind[16], name[8], type[32];
	int n = 0;
	if (sscanf(line, " %15s %7[a-z]: %31[a-z0-9[]]%n", kind, name, type, &n) < 3)
		return 0;
	int k = !strcmp(kind, "output") ? AG_OUTPUT : !strcmp(kind, "input") ? AG_INPUT
		: !strcmp(kind, "label") ? AG_LABEL : -1;
	if (k < 0 || p->nleaves == AG_MAXLEAVES)
		return 0;
	int t = !strncmp(type, "class", 5) ? AG_CLASS : !strcmp(type, "sign") ? AG_SIGN
		: !strcmp(type, "binary") ? AG_BINARY : !strncmp(type, "prob", 4) ? AG_PROB : AG_REAL;
	const char *br = strchr(type, '[');
	add_leaf(p, name, k, t, t == AG_REAL && br != NULL);
	if (br)
		p->n = atoi(br + 1);
	ag_leaf *l = &p->leaves[p->nleaves - 1];
	const char *in = strstr(line + n, " in [");
	if (in && sscanf(in, " in [%lf, %lf]", &l->lo, &l->hi) == 2)
		l->ranged = 1;
	if (!strcmp(name, "k") && l->ranged)
		p->pinned = l->lo;
	return 1;
}

int ag_parse(const char *text, ag_prog *p)
{
	memset(p, 0, sizeof *p);
	p->f64 = strstr(text, "precision float32") == NULL;
	p->n = 1;
	snprintf(p->text, sizeof p->text, "%s", text);
	const char *body = strstr(text, "loss l on d");
	size_t len;
	for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		read_decl(line, p);
	/* now that k's value is known, write the folded text again */
	len = 0;
	for (const char *t = text; *t && len + 64 < sizeof p->folded; t++) {
		int ident = (t == text || !(t[-1] == '_' || (t[-1] >= 'a' && t[-1] <= 'z') || (t[-1] >= '0' && t[-1] <= '9')))
			    && *t == 'k' && !(t[1] == '_' || (t[1] >= 'a' && t[1] <= 'z') || (t[1] >= '0' && t[1] <= '9'));
		if (ident && body && t > body)
			len += (size_t)snprintf(p->folded + len, sizeof p->folded - len, "(%.17g)", p->pinned);
		else
			p->folded[len++] = *t;
	}
	p->folded[len] = '\0';
	/* the edges of every row, since the text does not say which it uses */
	for (int op = 0; op < IR_NOPS; op++) {
		add_edges(p, ops[op].kinks);
		add_edges(p, ops[op].edges);
	}
	return p->nleaves ? 0 : -1;
}
