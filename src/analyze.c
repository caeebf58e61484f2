/*
 * analyze.c: the math analyzer (see analyze.h).
 *
 * Every rule comes from the op rows: an interval is the row's transfer
 * of the operands' intervals, a curvature the composition rule over the
 * row's curvature and monotonicity (or the row's own rule for x * y, x / y,
 * x ^ p, dot), a kink the row's kink points or tie, a domain finding the
 * row's domain.  What is left here is the walk, the claims, and the notes
 * that name a culprit.
 */
#include "analyze.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "dcp.h"
#include "fmt.h"
#include "ireval.h"
#include "losses.h"
#include "ops.h"
#include "witness.h"
#include "xalloc.h"

/* ---- per-node analysis ------------------------------------------------- */

static ival leaf_interval(const ir_node *n)
{
	const ast_item *it = n->item;
	if (n->op == IR_CONST) {
		if (!n->vals)
			return iv_point(n->num);
		ival r = iv_point(n->vals[0]);
		for (long i = 1; i < ir_len(n); i++)
			r = iv_hull(r, iv_point(n->vals[i]));
		return r;
	}
	if (n->op == IR_SIZE)           /* any whole number >= 1 (a size of 0 is NaN) */
		return iv_open(1, 0, HUGE_VAL, 1);
	if (it && it->range.present)
		return iv_make(it->range.lo, it->range.hi);
	if (it) {
		switch (it->type.kind) {
		case TY_CLASS: return iv_make(0, (double)(it->type.dim > 0 ? it->type.dim - 1 : 0));
		case TY_PROB: return iv_make(0, 1);
		case TY_BINARY: return iv_make(0, 1);
		case TY_SIGN: { ival r = iv_make(-1, 1); r.nonzero = 1; return r; }
		case TY_REAL: break;
		}
	}
	return iv_all();
}

/* A composite loss's hand-proven range, from its arguments. */
static ival proven_range(const ir_call *call)
{
	ival args[FN_MAX_PARAMS];
	for (unsigned i = 0; i < call->nargs && i < FN_MAX_PARAMS; i++)
		args[i] = call->args[i] ? call->args[i]->iv : iv_point(call->k[i]);
	return call->loss->range(args, call->k);
}

static int iv_same(ival a, ival b)
{
	return a.lo == b.lo && a.hi == b.hi && a.lo_open == b.lo_open && a.hi_open == b.hi_open;
}

/* Narrow n's interval by the hand-proven bounds that apply (ops.h
   op_proof), and mark in n->proved (from bit `bit`) each one that narrows
   the interval the rules gave: what --explain-value names. */
static void apply_proofs(ir_node *n, ival base, const op_proof *const *proofs, unsigned bit)
{
	ival b;
	for (const op_proof *const *p = proofs; p && *p; p++, bit++) {
		if (!(*p)->bound(n, &b) || iv_same(iv_meet(base, b), base))
			continue;
		n->iv = iv_meet(n->iv, b);
		n->proved |= 1u << bit;
	}
}

/* The k-th proof marked in n->proved, or NULL. */
static const op_proof *proof_used(const ir_node *n, int k)
{
	for (unsigned bit = 0; bit < 16; bit++) {
		const op_proof *const *list = bit < 8 ? ops[n->op].proofs : n->call ? n->call->loss->proofs : NULL;
		if (!(n->proved & (1u << bit)) || !list)
			continue;
		if (k-- == 0)
			return list[bit % 8];
	}
	return NULL;
}

static void analyze_node(ir_node *n)
{
	const op_info *row = &ops[n->op];
	n->kink = 0;
	if (row->kind == OK_LEAF) {
		n->iv = leaf_interval(n);
		if (n->assumed)         /* inside a where() branch (ir.h) */
			n->iv = iv_meet(n->iv, n->assume);
		n->curv = n->op == IR_OUTPUT ? CURV_AFFINE : CURV_CONST;
		return;
	}

	/* the interval */
	if (row->range_rule) {
		n->iv = row->range_rule(n);
	} else {
		ival small[OP_MAX_ARGS] = { { 0, 0, 0, 0, 0 } };
		ival *args = n->nargs <= OP_MAX_ARGS ? small : xmalloc(n->nargs * sizeof *args);
		for (unsigned k = 0; k < n->nargs; k++)
			args[k] = n->args[k]->iv;
		n->iv = ops_range(row, args, (int)n->nargs,
				  ir_dim_named(n->args[0]) ? OP_LEN_NAMED : ir_len(n->args[0]));
		if (args != small)
			free(args);
	}
	if (n->call && n->call->loss->range)
		n->iv = iv_meet(n->iv, proven_range(n->call));
	if (n->assumed)
		n->iv = iv_meet(n->iv, n->assume);
	n->proved = 0;
	ival base = n->iv;
	apply_proofs(n, base, row->proofs, 0);
	if (n->call)
		apply_proofs(n, base, n->call->loss->proofs, 8);

	/* the curvature */
	int variable = 0;
	for (unsigned k = 0; k < n->nargs; k++)
		variable |= dcp_is_variable(n->args[k]);
	if (!variable) {
		n->curv = CURV_CONST;
	} else if (row->curv_rule) {
		const char *why = NULL;
		const ir_node *blame = NULL;
		n->curv = row->curv_rule(n, &why, &blame);
	} else {
		fn_mono m[OP_MAX_ARGS];
		for (unsigned k = 0; k < n->nargs; k++)
			m[k] = dcp_mono_at(row, (int)k, n->args[k]);
		n->curv = dcp_compose(row->curv, (const ir_node *const *)n->args, m, (int)n->nargs);
	}

	for (unsigned k = 0; k < n->nargs; k++)
		n->kink |= n->args[k]->kink && !ops_smoothed_kink(n, n->args[k]);
	if (n->curv != CURV_CONST && ops_own_kink(n))
		n->kink = 1;
	if (n->curv == CURV_CONST)
		n->kink = 0;
}

void analyze_loss(ir_loss *l)
{
	if (!l->root)
		return;
	for (size_t i = 0; i < l->nnodes; i++) {
		analyze_node(l->nodes[i]);
		l->nodes[i]->analyzed = 1;
	}
}

/* ---- findings on the IR ------------------------------------------------ */

typedef struct actx {
	const ir_loss *l;
	diag_list *diags;
	/* (span, code) already reported: an expansion can hold two logs at one span */
	struct { span sp; const char *code; } seen[64];
	int nseen;
	int definite;           /* LS330 findings: the value is undefined, claims are moot */
} actx;

static int once(actx *a, span sp, const char *code)
{
	for (int i = 0; i < a->nseen; i++)
		if (a->seen[i].sp.start == sp.start && a->seen[i].sp.end == sp.end && !strcmp(a->seen[i].code, code))
			return 0;
	if (a->nseen < 64) {
		a->seen[a->nseen].sp = sp;
		a->seen[a->nseen].code = code;
		a->nseen++;
	}
	return 1;
}

/* An expression for a message: long ones (a DAG of lets printed as a
   tree can be huge) are cut to 80 bytes, ending in "...". */
static char *expr_str(const ir_node *n, char *buf, size_t size)
{
	return ir_to_string(n, buf, size < 81 ? size : 81);
}

static const source *src_of(const actx *a)
{
	return a->l->file->src;
}

/* The expression at a span as lossc fmt writes it (so a finding reads the
   same however the input is laid out), cut to fit buf. */
static const char *span_text(const actx *a, span sp, char *buf, size_t size)
{
	return fmt_span_quote(src_of(a), a->l->loss, sp, buf, size);
}

static int is_ident_char(char ch) { return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'); }

/* The params of the loss named in the source of span sp (as whole words):
   a note at each declaration, which fixed the value. */
static void note_params(const actx *a, diag *d, span sp)
{
	const char *text = src_of(a)->text;
	for (const ast_item *it = a->l->loss->items; d && it; it = it->next) {
		if (it->kind != IT_PARAM || !it->name.s || !it->expr)
			continue;
		for (size_t p = sp.start; p + it->name.len <= sp.end; p++)
			if (!memcmp(text + p, it->name.s, it->name.len) && (p == sp.start || !is_ident_char(text[p - 1]))
			    && (p + it->name.len == sp.end || !is_ident_char(text[p + it->name.len]))) {
				char e[80];
				diag_note(d, it->span, "'%s' is fixed here: %s", it->name.s,
					  span_text(a, it->expr->span, e, sizeof e));
				break;
			}
	}
}

/* LS330: an operation whose argument is outside its domain over the whole
   range (log(0), sqrt(-1), z / T with T = 0): certainly wrong, an error.
   The message quotes the argument as written (T, not the 0 it folded to). */
static int definite_domain_error(actx *a, const ir_node *n)
{
	const op_info *row = &ops[n->op];
	const fn_domain *d = &row->domain;
	if (!d->code || d->arg >= n->nargs || !ops_never_inside(n->args[d->arg]->iv, d))
		return 0;
	const ir_node *x = n->args[d->arg];
	char src[80], iv[64], dom[48], op[32];
	const char *what = row->sig.group == FG_OPERATOR ? (d->nonzero ? "the divisor" : "the operand") : "the argument";
	if (row->sig.group == FG_OPERATOR)
		snprintf(op, sizeof op, "'%s'", row->sig.name);
	else
		snprintf(op, sizeof op, "%s", row->sig.name);
	a->definite++;
	if (!once(a, n->span, "LS330"))
		return 1;
	/* a param or let is one node, spanning its definition: name it as the
	   use does, and report at the operation */
	const ast_item *def = NULL;
	span at = x->span;
	if (x->span.start < n->span.start || x->span.end > n->span.end) {
		for (const ast_item *it = a->l->loss->items; it; it = it->next)
			if ((it->kind == IT_PARAM || it->kind == IT_LET) && it->expr && it->name.s
			    && it->expr->span.start == x->span.start && it->expr->span.end == x->span.end)
				def = it;
		at = n->span;
	}
	if (def)
		snprintf(src, sizeof src, "%s", def->name.s);
	else
		span_text(a, x->span, src, sizeof src);
	diag *g = diag_code(a->diags, src_of(a), at, "LS330",
			    "%s of %s is never in its domain (%s): %s is always %s%s", what, op,
			    ops_domain_str(d, dom, sizeof dom), src,
			    x->iv.lo == x->iv.hi ? "" : "in ",
			    x->iv.lo == x->iv.hi ? (snprintf(iv, sizeof iv, "%g", x->iv.lo), iv) : iv_str(x->iv, iv, sizeof iv));
	if (def) {
		char e[80];
		if (g)
			diag_note(g, def->span, "'%s' is fixed here: %s", def->name.s, span_text(a, def->expr->span, e, sizeof e));
	} else {
		note_params(a, g, x->span);
	}
	return 1;
}

/* One problem, one finding: an exp's overflow (LS405) inside a
   log(1 + exp(x)) that LS403 already rewrites to softplus(x). */
static int covered(const actx *a, span sp, const char *code)
{
	if (strcmp(code, "LS405"))
		return 0;
	for (size_t i = 0; i < a->diags->n; i++) {
		const diag *d = &a->diags->items[i];
		if (!strcmp(d->code, "LS403") && d->has_fix && d->fix_text
		    && !strncmp(d->fix_text, "softplus(", 9) && d->span.start <= sp.start && sp.end <= d->span.end)
			return 1;
	}
	return 0;
}

static void domain_checks(actx *a)
{
	op_finding f;
	for (size_t i = 0; i < a->l->nnodes; i++) {
		const ir_node *n = a->l->nodes[i];
		if (definite_domain_error(a, n))
			continue;
		if (ops_check(n, a->l->precision, &f) && !covered(a, n->span, f.code) && once(a, n->span, f.code))
			diag_code(a->diags, src_of(a), n->span, f.code, "%s", f.msg);
		/* a composite loss's arguments against its domain (LS308) */
		for (unsigned k = 0; n->call && k < n->call->nargs; k++) {
			const fn_domain *d = &n->call->loss->sig.params[k].domain;
			const ir_node *x = n->call->args[k];
			char e[128], iv[64];
			if (d->code && x && ops_outside(x->iv, d) && once(a, n->span, d->code))
				diag_code(a->diags, src_of(a), n->span, d->code, "%s: %s is in %s", d->msg,
					  expr_str(x, e, sizeof e), iv_str(x->iv, iv, sizeof iv));
		}
	}
}

/* Both nonnegative samplers, the analyzer's first (one value a name:
   "for example z = -1 (every element) gives -1"), then witness.c's
   element by element; witness_sized runs them at each binding of the
   sizes in turn. */
static int find_negative_witness(const ir_loss *l, char *buf, size_t size);

static int negative_witness(const ir_loss *l, char *buf, size_t size)
{
	int off = snprintf(buf, size, "for example ");
	if (off > 0 && (size_t)off < size && find_negative_witness(l, buf + off, size - (size_t)off))
		return 1;
	return witness_negative(l, buf, size);
}

/* ---- claims ------------------------------------------------------------ */

/* The smallest sub-expression that carries a negative part: go down
   through operations that keep nonnegative operands nonnegative. */
static const ir_node *neg_culprit(const ir_node *n)
{
	for (;;) {
		const ir_node *next = NULL;
		switch (ops[n->op].sign) {
		case SIGN_KEEPS:
			for (unsigned k = 0; k < n->nargs && !next; k++)
				if (n->args[k]->iv.lo < 0)
					next = n->args[k];
			break;
		case SIGN_PRODUCT:
			/* both factors of one sign or the other: blame the mixed one */
			for (unsigned k = 0; k < n->nargs && !next; k++)
				if (n->args[k]->iv.lo < 0 && n->args[k]->iv.hi > 0)
					next = n->args[k];
			break;
		}
		if (!next || next->op == IR_CONST)
			return n;
		n = next;
	}
}

/* Down through unbounded operands (the first one not a label, then any
   later one), to an output or the op that makes it unbounded. */
static const ir_node *unbounded_culprit(const ir_node *n)
{
	for (;;) {
		const ir_node *next = NULL;
		for (unsigned k = 0; k < n->nargs && !next; k++)
			if (!iv_is_bounded(n->args[k]->iv) && !(k == 0 && n->args[k]->op == IR_LABEL))
				next = n->args[k];
		if (!next)
			return n;
		n = next;
	}
}

static const ir_node *kink_culprit(const ir_loss *l)
{
	for (size_t i = 0; i < l->nnodes; i++)
		if (l->nodes[i]->curv != CURV_CONST && ops_own_kink(l->nodes[i]))
			return l->nodes[i];
	return NULL;
}

/*
 * Why is n not `want` (CURV_CONVEX or CURV_CONCAVE)?  A node whose own
 * curvature is the opposite one is the answer ("-sum(square(s)) is
 * concave"); a node of unknown curvature passes the blame to an operand
 * that broke the composition rule, or keeps it when the rule itself
 * fails (a product of two outputs, sigmoid of an output).
 */
static const ir_node *curv_culprit(const ir_node *n, ir_curv want, const char **why)
{
	for (int guard = 0; guard < 10000; guard++) {
		if (n->curv != CURV_UNKNOWN) {
			*why = n->curv == CURV_CONVEX ? "is convex" : n->curv == CURV_CONCAVE ? "is concave" : "is affine";
			return n;
		}
		const op_info *row = &ops[n->op];
		const ir_node *next = NULL;
		ir_curv next_want = want;
		*why = "is neither convex nor concave by the composition rules";
		if (row->curv_rule) {
			const char *w = NULL;
			row->curv_rule(n, &w, &next);
			if (w)
				*why = w;
		} else if (row->curv == CURV_UNKNOWN) {
			*why = "is neither convex nor concave";
			return n;
		} else {
			/* the operand that violates the rule for f */
			for (unsigned i = 0; i < n->nargs && !next; i++) {
				const ir_node *o = n->args[i];
				if (!dcp_is_variable(o) || o->curv == CURV_AFFINE)
					continue;
				fn_mono m = dcp_mono_at(row, (int)i, o);
				ir_curv need = row->curv == CURV_CONCAVE ? CURV_CONCAVE : want;
				if (row->curv == CURV_AFFINE)
					need = want;
				if (m == MONO_DEC)
					need = need == CURV_CONVEX ? CURV_CONCAVE : CURV_CONVEX;
				if (m == MONO_NONE) {
					*why = row->sig.group == FG_OPERATOR ? "is not convex by the composition rules"
						: "applies a function that is not monotone to a curved argument";
					next = o;
					if (o->curv != CURV_UNKNOWN)
						return n;
					break;
				}
				if (o->curv != need) {
					next = o;
					next_want = need;
				}
			}
		}
		if (!next)
			return n;
		n = next;
		want = next_want;
	}
	return n;
}

/* "abs(z - t) has a kink where z - t = 0", saying which loss it came from. */
static char *kink_text(const ir_node *n, char *buf, size_t size)
{
	char e[160], x[100], y[100] = "", p[32], where[360];
	const op_info *row = &ops[n->op];
	expr_str(n, e, sizeof e);
	expr_str(n->args[0], x, sizeof x);
	if (n->nargs > 1)
		expr_str(n->args[1], y, sizeof y);
	double at = ops_kink_inside(row, n->args[0]);
	snprintf(p, sizeof p, "%g", isnan(at) ? 0 : at);
	const char *w = row->kink_what;
	if (!w)
		w = row->smooth == SM_EDGE ? "has an infinite slope where %0 = %p"
			: row->smooth == SM_KINK_AT_ZERO ? "has a kink where %0 is the zero vector"
			: row->smooth != SM_KINK_AT_TIE ? "has a kink where %0 = %p"
			: n->nargs > 1 ? "has a kink where %0 = %1" : "has a kink where two elements of %0 tie";
	size_t off = 0;
	for (; *w && off + 1 < sizeof where; w++) {
		const char *put = NULL;
		if (*w == '%' && (w[1] == '0' || w[1] == '1' || w[1] == 'p'))
			put = w[1] == '0' ? x : w[1] == '1' ? y : p;
		if (put) {
			off += (size_t)snprintf(where + off, sizeof where - off, "%s", put);
			if (off >= sizeof where)
				off = sizeof where - 1;
			w++;
		} else {
			where[off++] = *w;
		}
	}
	where[off] = '\0';
	if (n->from)
		snprintf(buf, size, "%s expands to %.160s, which %.300s", n->from->sig.name, e, where);
	else
		snprintf(buf, size, "%.160s %.300s", e, where);
	return buf;
}

static void note_at(diag *d, const ir_node *n, const char *fmt_what, const char *extra)
{
	char e[256];
	if (d)
		diag_note(d, n->span, "%s %s%s", expr_str(n, e, sizeof e), fmt_what, extra ? extra : "");
}

/* ---- witnesses: evaluate the value at concrete points ------------------ */

/*
 * A claim the intervals cannot prove may still be true (intervals forget
 * that x - x is 0), so before calling it false we look for a witness: a
 * concrete assignment of the outputs, inputs and labels, inside their
 * declared ranges, where the value really is negative, by more than
 * rounding in the terms could make it (a sum of terms of size S that is
 * exactly 0 may evaluate to -1e-16 S).  Each name takes one value for all
 * its elements, from a few candidates (range ends and middle; 0, +-1,
 * +-10, +-1000 when unbounded; each end of a class; 1/K for a prob).
 * Small searches are exhaustive, large ones sample.  The value is the
 * in-process evaluator's (ireval.h).
 */
#define WIT_MAXCAND 7
#define WIT_MAXNAMES 64
/* Rows of a witness batch, at most (a loss whose rows interact: witness_rows). */
#define WIT_MAXROWS 64

typedef struct wleaf {
	const ast_item *item;
	const ir_node *n;
	double cand[WIT_MAXCAND];
	int ncand;
	double val;
} wleaf;

static void leaf_candidates(wleaf *w)
{
	const ir_node *n = w->n;
	const ast_item *it = n->item;
	ast_type_kind k = it ? it->type.kind : TY_REAL;
	w->ncand = 0;
	if (n->type == IRT_CLASS) {
		w->cand[w->ncand++] = 0;
		if (ir_len(n) > 1) w->cand[w->ncand++] = (double)(ir_len(n) - 1);
	} else if (k == TY_BINARY) {
		w->cand[w->ncand++] = 0;
		w->cand[w->ncand++] = 1;
	} else if (k == TY_SIGN) {
		w->cand[w->ncand++] = -1;
		w->cand[w->ncand++] = 1;
	} else if (k == TY_PROB) {
		w->cand[w->ncand++] = 1.0 / (double)(ir_len(n) > 0 ? ir_len(n) : 1);
	} else if (it && it->range.present) {
		w->cand[w->ncand++] = it->range.lo;
		w->cand[w->ncand++] = it->range.hi;
		w->cand[w->ncand++] = (it->range.lo + it->range.hi) / 2;
	} else {
		static const double c[] = { 0, 1, -1, 10, -10, 1000, -1000 };
		for (int i = 0; i < 7; i++) w->cand[w->ncand++] = c[i];
	}
}

/* The rows a witness batch needs: a row across the batch (a @
   transpose(b)) reads every row, so one row is not evaluated alone; its
   length is the batch size the bound copy of the IR (ir_bind) fixed.
   1 for a row-wise loss. */
static long witness_rows(const ir_loss *l)
{
	for (size_t i = 0; i < l->nnodes; i++)
		if (ops_row(l->nodes[i]->op)->kind == OK_CROSS)
			return ireval_len(l->nodes[i]);
	return 1;
}

/* Look for leaf values where the value is below zero; on success write a
   description ("z = -10, t = 0 gives -40") into buf and return 1.  A
   leaf's value is given to every element of every row: where rows
   interact (witness_rows), the batch of identical rows is evaluated and
   its most negative row counts. */
static int find_negative_witness(const ir_loss *l, char *buf, size_t size)
{
	wleaf lv[WIT_MAXNAMES];
	int nl = 0, found = 0, vec = 0;
	double best = 0, best_score = 0, bestval[WIT_MAXNAMES];
	long work = 0;
	ir_values xs[WIT_MAXROWS];
	long nrows = witness_rows(l);
	if (nrows > WIT_MAXROWS)
		return 0;
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		long len = ireval_len(n);
		if (len > 4096)
			return 0;       /* huge vectors: not worth evaluating here */
		work += len;
		if (!n->item)
			continue;
		int seen = 0;
		for (int k = 0; k < nl; k++)
			seen |= lv[k].item == n->item;
		if (seen)
			continue;
		if (nl == WIT_MAXNAMES)
			return 0;       /* too many names to search over */
		lv[nl].item = n->item;
		lv[nl].n = n;
		vec |= n->type != IRT_CLASS && ir_len(n) > 0;
		leaf_candidates(&lv[nl]);
		nl++;
	}
	double combos = 1;
	for (int k = 0; k < nl; k++)
		combos *= lv[k].ncand;
	long tries = combos <= 4096 ? (long)combos : 4096;
	/* keep the search to about 2e7 element operations, whatever the shapes */
	work *= nrows;
	if ((double)tries * (double)work > 2e7)
		tries = (long)(2e7 / (double)work);
	if (tries < 1)
		return 0;
	for (long r = 0; r < nrows; r++)
		if (ireval_init(&xs[r], l) < 0) {
			while (r-- > 0)
				ireval_free(&xs[r]);
			return 0;
		}
	if (tries < combos && combos <= 4096)
		combos = 4097;          /* cannot be exhaustive: sample instead */
	unsigned long seed = 12345;
	for (long t = 0; t < tries; t++) {
		long rest = t;
		for (int k = 0; k < nl; k++) {
			int pick;
			if (combos <= 4096) {
				pick = (int)(rest % lv[k].ncand);
				rest /= lv[k].ncand;
			} else {
				seed = seed * 6364136223846793005UL + 1442695040888963407UL;
				pick = (int)((seed >> 33) % (unsigned long)lv[k].ncand);
			}
			lv[k].val = lv[k].cand[pick];
		}
		/* every use of a name, in every row: one value */
		for (long r = 0; r < nrows; r++)
			for (size_t i = 0; i < l->nnodes; i++)
				for (int k = 0; k < nl; k++)
					if (l->nodes[i]->item == lv[k].item && l->nodes[i]->op != IR_CONST)
						for (long j = 0; j < ireval_len(l->nodes[i]); j++)
							xs[r].v[i][j] = lv[k].val;
		ireval_forward_batch(xs, (size_t)nrows);
		long double v = xs[0].v[l->root->id][0], scale = 0;
		for (long r = 0; r < nrows; r++) {
			long double vr = xs[r].v[l->root->id][0];
			if (isnan((double)v) || vr < v)
				v = vr;
			for (size_t i = 0; i < l->nnodes; i++)
				for (long j = 0; j < ireval_len(l->nodes[i]); j++)
					if (isfinite((double)xs[r].v[i][j]))
						scale = fmaxl(scale, fabsl(xs[r].v[i][j]));
		}
		/* prefer the simplest witness (smallest leaf values), then the most negative */
		double score = 0;
		for (int k = 0; k < nl; k++)
			score = fmax(score, fabs(lv[k].val));
		if (isfinite((double)v) && v < -1e-12L * (1 + scale)
		    && (!found || score < best_score || (score == best_score && v < best))) {
			best = (double)v;
			best_score = score;
			found = 1;
			for (int k = 0; k < nl; k++)
				bestval[k] = lv[k].val;
		}
	}
	for (long r = 0; r < nrows; r++)
		ireval_free(&xs[r]);
	if (found) {
		size_t off = 0;
		buf[0] = '\0';
		for (int k = 0; k < nl && off + 1 < size; k++) {
			const ast_item *it = lv[k].item;
			int w = snprintf(buf + off, size - off, "%s%s = %.6g", k ? ", " : "",
					 it->name.s ? it->name.s : "?", bestval[k]);
			if (w < 0)
				break;
			off += (size_t)w;
		}
		if (off + 1 < size)
			snprintf(buf + off, size - off, "%s gives %.6g", vec ? " (every element)" : "", best);
	}
	return found;
}

static const char *const known_claims[] = { "nonnegative", "bounded", "smooth", "convex" };

/* 0 nonnegative, 1 bounded, 2 smooth, 3 convex; -1 unknown. */
static int claim_kind(const ast_name *nm)
{
	for (int j = 0; j < 4; j++)
		if (nm->s && strlen(known_claims[j]) == nm->len && !memcmp(known_claims[j], nm->s, nm->len))
			return j;
	return -1;
}

/* The analysis proves the claim. */
static int claim_holds(const ir_node *r, int which)
{
	switch (which) {
	case 0: return iv_nonneg(r->iv);
	case 1: return iv_is_bounded(r->iv);
	case 2: return !r->kink;
	case 3: return dcp_is_convex(r->curv);
	}
	return 0;
}

/* "false at D = 2, L = 3: ..." where the witness is at bound sizes */
#define AT_SIZES(at) ((at)[0] ? " at " : ""), (at)

static void check_claims(actx *a, const ast_item *claim)
{
	char iv[64], iv2[64], wit[1200], at[200];
	const char *const *known = known_claims;
	const source *src = src_of(a);
	for (size_t k = 0; k < claim->nnames; k++) {
		const ast_name *nm = &claim->names[k];
		int which = claim_kind(nm);
		if (which < 0) {
			const char *sug = NULL;
			for (int j = 0; j < 4 && nm->s; j++)
				if (nm->len >= 3 && !strncmp(known[j], nm->s, 3))
					sug = known[j];
			if (sug)
				diag_code(a->diags, src, nm->span, "LS505",
					  "unknown claim '%s'; did you mean '%s'? (the claims are nonnegative, bounded, smooth "
					  "and convex)", nm->s, sug);
			else
				diag_code(a->diags, src, nm->span, "LS505",
					  "unknown claim '%s'; the claims are nonnegative, bounded, smooth and convex",
					  nm->s ? nm->s : "");
			continue;
		}
		const ir_node *r = a->l->root;
		if (!r || a->definite)
			continue;       /* the value did not lower, or is undefined: errors already say so */
		if (claim_holds(r, which))
			continue;
		diag *d;
		switch (which) {
		case 0:
			if (iv_negative(r->iv)) {
				d = diag_code(a->diags, src, nm->span, "LS501",
					      "claim nonnegative is provably false: the value is always negative, in %s",
					      iv_str(r->iv, iv, sizeof iv));
			} else if (witness_sized(a->l, negative_witness, wit, sizeof wit, at, sizeof at)) {
				d = diag_code(a->diags, src, nm->span, "LS501", "claim nonnegative is provably false%s%s: %s",
					      AT_SIZES(at), wit);
			} else {
				d = diag_code(a->diags, src, nm->span, "LS501",
					      "cannot prove claim nonnegative: over the declared ranges the value lies in %s",
					      iv_str(r->iv, iv, sizeof iv));
			}
			{
				const ir_node *c = neg_culprit(r);
				snprintf(iv2, sizeof iv2, " (in %s)", iv_str(c->iv, iv, sizeof iv));
				note_at(d, c, iv_negative(c->iv) ? "is always negative" : "can be negative", iv2);
			}
			break;
		case 1:
			if (witness_sized(a->l, witness_unbounded, wit, sizeof wit, at, sizeof at))
				d = diag_code(a->diags, src, nm->span, "LS504", "claim bounded is provably false%s%s: %s",
					      AT_SIZES(at), wit);
			else
				d = diag_code(a->diags, src, nm->span, "LS504",
					      "cannot prove claim bounded: over the declared ranges the value lies in %s",
					      iv_str(r->iv, iv, sizeof iv));
			{
				const ir_node *c = unbounded_culprit(r);
				if (c->op == IR_OUTPUT)
					note_at(d, c, "is an output with no declared range", NULL);
				else {
					snprintf(iv2, sizeof iv2, " (in %s)", iv_str(c->iv, iv, sizeof iv));
					note_at(d, c, "is unbounded", iv2);
				}
			}
			break;
		case 2:
			/* "false" only with a point where the slope really jumps */
			if (witness_sized(a->l, witness_kink, wit, sizeof wit, at, sizeof at))
				d = diag_code(a->diags, src, nm->span, "LS502", "claim smooth is provably false%s%s: %s",
					      AT_SIZES(at), wit);
			else
				d = diag_code(a->diags, src, nm->span, "LS502",
					      "cannot prove claim smooth: the value may have a kink where its derivative jumps");
			{
				const ir_node *c = kink_culprit(a->l);
				char why[512];
				if (c && d)
					diag_note(d, c->span, "%s", kink_text(c, why, sizeof why));
			}
			break;
		case 3:
			if (witness_sized(a->l, witness_nonconvex, wit, sizeof wit, at, sizeof at))
				d = diag_code(a->diags, src, nm->span, "LS503", "claim convex is provably false%s%s: %s",
					      AT_SIZES(at), wit);
			else
				d = diag_code(a->diags, src, nm->span, "LS503",
					      r->curv == CURV_CONCAVE
					      ? "cannot prove claim convex: by the composition rules the value is concave"
					      : "cannot prove claim convex by the composition rules");
			{
				const char *why = "";
				const ir_node *c = curv_culprit(r, CURV_CONVEX, &why);
				note_at(d, c, why, NULL);
			}
			break;
		}
	}
}

void analyze_findings(const ir_loss *l, diag_list *diags)
{
	actx *a = xcalloc(1, sizeof *a);
	a->l = l;
	a->diags = diags;
	if (l->root)
		domain_checks(a);
	for (const ast_item *it = l->loss->items; it; it = it->next)
		if (it->kind == IT_CLAIM)
			check_claims(a, it);
	free(a);
}

/* ---- --explain-value ---------------------------------------------------- */

static const char *smooth_desc(const ir_loss *l, char *buf, size_t size)
{
	const ir_node *c = kink_culprit(l);
	char why[512];
	if (!l->root->kink || !c)
		snprintf(buf, size, "smooth (continuously differentiable in the outputs)");
	else
		snprintf(buf, size, "not smooth: %s", kink_text(c, why, sizeof why));
	return buf;
}

/* The hand-proven bounds that narrowed some node's interval, once each. */
static int explain_proofs(FILE *out, const ir_loss *l)
{
	const op_proof *seen[32];
	int nseen = 0;
	for (size_t i = 0; i < l->nnodes; i++) {
		const op_proof *p;
		for (int k = 0; (p = proof_used(l->nodes[i], k)) != NULL; k++) {
			int dup = 0;
			for (int j = 0; j < nseen; j++)
				dup |= seen[j] == p;
			if (dup || nseen == 32)
				continue;
			seen[nseen++] = p;
			char e[128];
			if (fprintf(out, "  %-11s %s at %s: %s\n", nseen == 1 ? "proofs:" : "", p->name,
				    expr_str(l->nodes[i], e, sizeof e), p->why) < 0)
				return -1;
		}
	}
	return 0;
}

/* Each claim of the loss: proven, and by what; or the finding that says why not. */
static int explain_claims(FILE *out, const ir_loss *l)
{
	static const char *const code[] = { "LS501", "LS504", "LS502", "LS503" };
	const ir_node *r = l->root;
	int first = 1, uses_proof = 0;
	for (size_t i = 0; i < l->nnodes; i++)
		uses_proof |= l->nodes[i]->proved != 0;
	for (const ast_item *it = l->loss->items; it; it = it->next) {
		for (size_t k = 0; it->kind == IT_CLAIM && k < it->nnames; k++) {
			const ast_name *nm = &it->names[k];
			int which = claim_kind(nm);
			char buf[160], iv[64];
			if (which < 0)
				continue;
			if (!claim_holds(r, which))
				snprintf(buf, sizeof buf, "not proven (%s says why)", code[which]);
			else if (which == 0 || which == 1)
				snprintf(buf, sizeof buf, "proven: the value lies in %s, by %s", iv_str(r->iv, iv, sizeof iv),
					 uses_proof ? "interval arithmetic and the proofs above" : "interval arithmetic");
			else if (which == 2)
				snprintf(buf, sizeof buf, "proven: no operation has a kink over the declared ranges");
			else
				snprintf(buf, sizeof buf, "proven by the composition rules (the value is %s)",
					 fn_curv_name(r->curv));
			if (fprintf(out, "  %-11s %.*s: %s\n", first ? "claims:" : "", (int)nm->len, nm->s, buf) < 0)
				return -1;
			first = 0;
		}
	}
	return 0;
}

int analyze_explain(FILE *out, const ir_loss *l)
{
	char t[64], iv[64], sm[600];
	const ast_decl *d = l->loss;
	const source *src = l->file->src;
	src_pos pos = source_pos(src, d->name.span.start);
	int rc = 0;
	if (fprintf(out, "%s:%lu:%lu: loss %s\n", src->path, pos.line, pos.col, d->name.s ? d->name.s : "?") < 0)
		rc = -1;
	if (!l->root) {
		if (fprintf(out, "  value:      (not analyzed: %s)\n", l->errors ? "the value has type errors" : "no value") < 0)
			rc = -1;
		return rc;
	}
	if (fputs("  value:      ", out) < 0 || ir_print(out, l->root) < 0 || fputs("\n", out) < 0)
		rc = -1;
	if (fprintf(out, "  shape:      %s\n  interval:   %s\n  curvature:  %s\n  smoothness: %s\n",
		    ir_type_str(l->root, t, sizeof t), iv_str(l->root->iv, iv, sizeof iv),
		    fn_curv_name(l->root->curv), smooth_desc(l, sm, sizeof sm)) < 0)
		rc = -1;
	/* how the rows combine, when v2 says more than `reduce` */
	if (l->weight && (fputs("  weight:     ", out) < 0 || ir_print(out, l->weight) < 0
			  || fprintf(out, " in %s\n", iv_str(l->weight->iv, iv, sizeof iv)) < 0))
		rc = -1;
	if (l->mask && fprintf(out, "  ignored:    the rows where %s is %ld\n", l->mask->name.s, l->mask_k) < 0)
		rc = -1;
	if (explain_proofs(out, l) < 0 || explain_claims(out, l) < 0)
		rc = -1;
	return rc;
}
