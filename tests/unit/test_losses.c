/*
 * test_losses.c: the composite losses' definitions (losses.h).
 *
 * Every case of every definition is reachable and lowers without a
 * finding through the real front end (a story is written for it, with
 * arguments chosen to satisfy its guard and fail the earlier ones); its
 * value evaluates to a finite number at a sample point.  Every argument a
 * row says the loss is convex in is proved convex by the analyzer from
 * the definition; every hand-proven range holds at sampled points.  And
 * the limits on constant arguments give their messages.
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

#include "analyze.h"
#include "funcs.h"
#include "ireval.h"
#include "losses.h"
#include "parse.h"
#include "resolve.h"

/* How one argument is given. */
typedef struct argspec {
	int kind;               /* 0 output, 1 label, 2 constant */
	const char *type;       /* output/label type */
	double k;               /* constant */
} argspec;

/* Does case c's guard hold for these arguments? */
static int guard_holds(const loss_def *d, const argspec *a)
{
	for (int g = 0; g < d->nguards; g++) {
		const loss_guard *q = &d->guards[g];
		const argspec *x = &a[q->param];
		if (q->what == LG_CLASS && !(x->kind == 1 && !strncmp(x->type, "class", 5)))
			return 0;
		if (q->what == LG_BINARY && !(x->kind == 1 && !strcmp(x->type, "binary")))
			return 0;
		if (q->what == LG_EQ && !(x->kind == 2 && x->k == q->v))
			return 0;
	}
	return 1;
}

static int within(const fn_limits *L, double v)
{
	return !L->on || (v >= L->lo && v <= L->hi && !(v == L->lo && L->lo_open) && !(v == L->hi && L->hi_open)
			  && !(L->integer && v != floor(v)));
}

/* Arguments for case c of l: what its guard asks, otherwise the plainest
   kind; constants avoid the values earlier cases test for. */
static void choose_args(const loss_info *l, int c, unsigned as_output, argspec *a)
{
	const loss_def *d = losses_def(l, c);
	const fn_sig *s = &l->sig;
	for (int i = 0; i < FN_MAX_PARAMS && s->params[i].name; i++) {
		const fn_param *p = &s->params[i];
		int want_class = 0, want_binary = 0, have_eq = 0;
		double eq = 0;
		for (int g = 0; g < d->nguards; g++)
			if (d->guards[g].param == i) {
				want_class |= d->guards[g].what == LG_CLASS;
				want_binary |= d->guards[g].what == LG_BINARY;
				if (d->guards[g].what == LG_EQ) {
					have_eq = 1;
					eq = d->guards[g].v;
				}
			}
		a[i].k = 0;
		switch (p->kind) {
		case AK_CONST: {
			a[i].kind = 2;
			if (have_eq) {
				a[i].k = eq;
				break;
			}
			static const double tries[] = { 0.5, 2, 1, 0.25, 0, 3 };
			a[i].k = p->has_default ? p->def : 0.5;
			for (size_t t = 0; t <= sizeof tries / sizeof tries[0]; t++) {
				int clash = !within(&p->limits, a[i].k);
				for (int e = 0; e < c && !clash; e++) {
					const loss_def *de = losses_def(l, e);
					for (int g = 0; g < de->nguards; g++)
						clash |= de->guards[g].param == i && de->guards[g].what == LG_EQ
							 && de->guards[g].v == a[i].k;
				}
				if (!clash || t == sizeof tries / sizeof tries[0])
					break;
				a[i].k = tries[t];
			}
			break;
		}
		case AK_CLASS:
			a[i].kind = 1;
			a[i].type = "class[3]";
			break;
		case AK_CLASS_OR_PROB:
			a[i].kind = 1;
			a[i].type = want_class ? "class[3]" : "prob[3]";
			break;
		case AK_BINARY_OR_SIGN:
			a[i].kind = 1;
			a[i].type = want_binary ? "binary" : "sign";
			break;
		case AK_SIGN:
			a[i].kind = 1;
			a[i].type = "sign";
			break;
		case AK_COND:
			fail_msg("argument %d: no composite loss takes a condition", i);
			break;
		case AK_SIZE:
			fail_msg("argument %d: no composite loss takes a size's name", i);
			break;
		case AK_REAL:
		case AK_VECTOR:
			a[i].kind = as_output >> i & 1 ? 0 : 1;
			/* inside every loss's domain (a probability, a variance) */
			a[i].type = "real[3] in [0.1, 0.9]";
			break;
		}
	}
}

typedef struct fx {
	source src;
	diag_list diags;
	ast_file *file;
	ir_loss *l;
	char text[2048];
} fx;

/* Lower `l(args)` in a story declaring them. */
static void lower_call(fx *f, const loss_info *l, const argspec *a)
{
	char data[800] = "", outs[800] = "", call[400];
	size_t dl = 0, ol = 0, cl;
	const fn_sig *s = &l->sig;
	cl = (size_t)snprintf(call, sizeof call, "%s(", s->name);
	for (int i = 0; i < FN_MAX_PARAMS && s->params[i].name; i++) {
		if (a[i].kind == 0)
			ol += (size_t)snprintf(outs + ol, sizeof outs - ol, "    output a%d: %s;\n", i, a[i].type);
		else if (a[i].kind == 1)
			dl += (size_t)snprintf(data + dl, sizeof data - dl, "    label a%d: %s;\n", i, a[i].type);
		if (a[i].kind == 2)
			cl += (size_t)snprintf(call + cl, sizeof call - cl, "%s%s=%g", i ? ", " : "", s->params[i].name, a[i].k);
		else
			cl += (size_t)snprintf(call + cl, sizeof call - cl, "%sa%d", i ? ", " : "", i);
	}
	snprintf(call + cl, sizeof call - cl, ")");
	snprintf(f->text, sizeof f->text, "dataset d {\n%s}\nloss m on d {\n%s    value = %s;\n}\n", data, outs, call);
	source_from_buffer(&f->src, "losses.loss", f->text, strlen(f->text));
	diag_list_init(&f->diags);
	f->file = parse_source(&f->src, &f->diags, 20);
	assert_int_equal(f->file->syntax_errors, 0);
	resolve_file(f->file, &f->diags);
	f->l = ir_lower(f->file, f->file->decls->next, f->file->arena, &f->diags);
	if (f->diags.n)
		fail_msg("%s: %s", call, f->diags.items[0].message);
	assert_non_null(f->l->root);
	analyze_loss(f->l);
}

static void done(fx *f)
{
	ast_file_free(f->file);
	diag_list_free(&f->diags);
	source_free(&f->src);
}

/* Every output, input and label at a point inside its declared set. */
static void set_leaves(const ir_loss *l, ir_values *x, unsigned seed)
{
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *n = l->nodes[i];
		if (!n->item)
			continue;
		ast_type_kind k = n->item->type.kind;
		for (long j = 0; j < ireval_len(n); j++) {
			unsigned h = (unsigned)(n->item->name.s[1]) * 31u + (unsigned)j * 7u + seed;
			long double u = (long double)(h % 97) / 97.0L;
			x->v[i][j] = k == TY_CLASS ? (long double)(h % 3) : k == TY_SIGN ? (h % 2 ? 1 : -1)
				: k == TY_BINARY ? (long double)(h % 2) : k == TY_PROB ? 1.0L / 3
				: n->item->range.present ? n->item->range.lo + (n->item->range.hi - n->item->range.lo) * u
				: 4 * u - 2;
		}
	}
}

static void test_every_case_is_reachable_and_lowers(void **state)
{
	(void)state;
	int cases = 0;
	for (size_t r = 0; r < losses_count; r++) {
		const loss_info *l = &losses[r];
		assert_true(losses_ncases(l) > 0);
		/* the last case has no guard: some case always applies */
		assert_int_equal(losses_def(l, losses_ncases(l) - 1)->nguards, 0);
		for (int c = 0; c < losses_ncases(l); c++) {
			argspec a[FN_MAX_PARAMS];
			memset(a, 0, sizeof a);
			choose_args(l, c, 1, a);
			assert_true(guard_holds(losses_def(l, c), a));
			for (int e = 0; e < c; e++)
				if (guard_holds(losses_def(l, e), a))
					fail_msg("%s: case %d is shadowed by case %d", l->sig.name, c, e);
			fx f;
			lower_call(&f, l, a);
			assert_int_equal(ir_len(f.l->root), 0);
			assert_true(f.l->root->call != NULL && f.l->root->call->loss == l);
			ir_values x;
			assert_int_equal(ireval_init(&x, f.l), 0);
			set_leaves(f.l, &x, 0);
			ireval_forward(&x);
			long double v = x.v[f.l->root->id][0];
			if (!isfinite((double)v))
				fail_msg("%s case %d: value %Lg", l->sig.name, c, v);
			ireval_free(&x);
			done(&f);
			cases++;
		}
	}
	assert_true(cases > (int)losses_count);   /* several losses have several cases */
}

/* What a row proves by hand, the analyzer proves from its definition. */
static void test_convex_in_is_proved_from_the_definition(void **state)
{
	(void)state;
	for (size_t r = 0; r < losses_count; r++) {
		const loss_info *l = &losses[r];
		for (int i = 0; i < FN_MAX_PARAMS; i++) {
			if (!(l->convex_in >> i & 1))
				continue;
			for (int c = 0; c < losses_ncases(l); c++) {
				argspec a[FN_MAX_PARAMS];
				memset(a, 0, sizeof a);
				choose_args(l, c, 1u << i, a);
				fx f;
				lower_call(&f, l, a);
				if (f.l->root->curv != CURV_CONVEX && f.l->root->curv != CURV_AFFINE)
					fail_msg("%s (case %d) is said convex in '%s' but the analyzer finds it %s", l->sig.name, c,
						 l->sig.params[i].name, fn_curv_name(f.l->root->curv));
				done(&f);
			}
		}
	}
}

/* A hand-proven range holds at sampled points, and narrows the analysis. */
static void test_proven_ranges_hold(void **state)
{
	(void)state;
	for (size_t r = 0; r < losses_count; r++) {
		const loss_info *l = &losses[r];
		if (!l->range)
			continue;
		for (int c = 0; c < losses_ncases(l); c++) {
			argspec a[FN_MAX_PARAMS];
			memset(a, 0, sizeof a);
			choose_args(l, c, 1, a);
			fx f;
			lower_call(&f, l, a);
			ival iv = f.l->root->iv;
			assert_true(iv_is_bounded(iv));
			ir_values x;
			assert_int_equal(ireval_init(&x, f.l), 0);
			for (unsigned seed = 0; seed < 200; seed++) {
				set_leaves(f.l, &x, seed * 13);
				ireval_forward(&x);
				double v = (double)x.v[f.l->root->id][0];
				if (!(v >= iv.lo - 1e-12 && v <= iv.hi + 1e-12))
					fail_msg("%s: %g outside its proven [%g, %g]", l->sig.name, v, iv.lo, iv.hi);
			}
			ireval_free(&x);
			done(&f);
		}
	}
}

static void rejects(const char *decls, const char *value, const char *msg)
{
	fx f;
	snprintf(f.text, sizeof f.text, "dataset d {\n%s}\nloss m on d {\n    output z: real[3];\n    output u: real;\n"
		 "    value = %s;\n}\n", decls, value);
	source_from_buffer(&f.src, "r.loss", f.text, strlen(f.text));
	diag_list_init(&f.diags);
	f.file = parse_source(&f.src, &f.diags, 20);
	resolve_file(f.file, &f.diags);
	f.l = ir_lower(f.file, f.file->decls->next, f.file->arena, &f.diags);
	if (f.diags.n != 1)
		fail_msg("%s: %zu findings, want 1", value, f.diags.n);
	assert_string_equal(f.diags.items[0].message, msg);
	done(&f);
}

static void test_constant_limits_and_kinds(void **state)
{
	(void)state;
	const char *d = "    label p: real[3];\n    label q: real[3];\n    label y: class[3];\n    label s: sign;\n"
			"    label x: real;\n";
	rejects(d, "triplet_margin(z, p, q, p=3)", "p must be 1 or 2, not 3");
	rejects(d, "triplet_margin(z, p, q, swap=0.5)", "swap must be 0 or 1, not 0.5");
	rejects(d, "multi_margin(z, y, p=0)", "p must be 1 or 2, not 0");
	rejects(d, "gaussian_nll(z, p, q, eps=0)", "eps must be > 0, not 0");
	rejects(d, "kl_div(z, p, log_target=2)", "log_target must be 0 or 1, not 2");
	rejects(d, "cosine_embedding(z, p, x)", "argument 't' of cosine_embedding must be a sign label (-1 or +1), not real");
	rejects(d, "hinge_embedding(u, x)", "argument 't' of hinge_embedding must be a sign label (-1 or +1), not real");
	/* A binary label lowers to a real; the message names the declaration. */
	rejects("    label b: binary;\n", "hinge_embedding(u, b)",
		"argument 't' of hinge_embedding must be a sign label (-1 or +1), not label 'b' (binary)");
	rejects(d, "hinge_embedding(u, 0.5)", "argument 't' of hinge_embedding must be a sign label (-1 or +1), not 0.5");
	rejects(d, "triplet_margin(z, p, [1, 2])", "shape mismatch in triplet_margin: anchor real[3] vs negative real[2]");
	rejects(d, "margin_ranking(z, [1, 2], s)", "shape mismatch in margin_ranking: real[3] vs real[2]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_case_is_reachable_and_lowers),
		cmocka_unit_test(test_convex_in_is_proved_from_the_definition),
		cmocka_unit_test(test_proven_ranges_hold),
		cmocka_unit_test(test_constant_limits_and_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
