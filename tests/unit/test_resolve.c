/*
 * test_resolve.c: name resolution through the real front end.  Each test
 * parses a small story, resolves it, and checks the findings (code, line,
 * message) and the back-links the resolver fills in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "parse.h"
#include "resolve.h"

typedef struct fixture {
	source src;
	diag_list diags;
	ast_file *file;
} fixture;

static void load(fixture *fx, const char *text)
{
	source_from_buffer(&fx->src, "r.loss", text, strlen(text));
	diag_list_init(&fx->diags);
	fx->file = parse_source(&fx->src, &fx->diags, PARSE_DEFAULT_MAX_ERRORS);
	assert_int_equal(fx->file->syntax_errors, 0);
	assert_int_equal(fx->diags.n, 0);
	resolve_file(fx->file, &fx->diags);
	diag_sort(&fx->diags);
}

static void unload(fixture *fx)
{
	ast_file_free(fx->file);
	diag_list_free(&fx->diags);
	source_free(&fx->src);
}

/* Finding i has this code, line and message. */
static void assert_finding(const fixture *fx, size_t i, const char *code,
			   unsigned long line, const char *message)
{
	assert_true(i < fx->diags.n);
	const diag *d = &fx->diags.items[i];
	assert_string_equal(d->code, code);
	assert_int_equal(source_pos(&fx->src, d->span.start).line, line);
	assert_string_equal(d->message, message);
}

static ast_decl *decl_named(const fixture *fx, const char *name)
{
	for (ast_decl *d = fx->file->decls; d; d = d->next)
		if (d->name.s && strcmp(d->name.s, name) == 0)
			return d;
	fail_msg("no declaration %s", name);
	return NULL;
}

static const char clean_story[] =
	"dataset d { input x: real[3]; label y: class[3]; }\n"
	"loss l on d {\n"
	"    output z: real[3];\n"
	"    param w: real[3] = [1, 2, 3];\n"
	"    param s: real = 2;\n"
	"    param t: real = s * 2;\n"
	"    let lp = log_softmax(z)[y];\n"
	"    value = -w[y] * lp + t * sum(x);\n"
	"}\n"
	"goal g { about \"g\"; }\n"
	"rationale r for g { uses l; }\n"
	"agent a { trained_by l; cares_about goal g; }\n";

static void test_clean_story_links_everything(void **state)
{
	(void)state;
	fixture fx;
	load(&fx, clean_story);
	assert_int_equal(fx.diags.n, 0);
	ast_decl *d = decl_named(&fx, "d"), *l = decl_named(&fx, "l"), *g = decl_named(&fx, "g");
	assert_ptr_equal(l->target.decl, d);
	assert_ptr_equal(decl_named(&fx, "r")->target.decl, g);
	ast_item *uses = ast_find_item(decl_named(&fx, "r"), IT_USES);
	assert_ptr_equal(uses->names[0].decl, l);
	ast_decl *a = decl_named(&fx, "a");
	assert_ptr_equal(ast_find_item(a, IT_TRAINED_BY)->name.decl, l);
	assert_ptr_equal(ast_find_item(a, IT_CARES_ABOUT)->name.decl, g);

	/* value = -w[y] * lp + t * sum(x): names point at their items. */
	ast_item *value = ast_find_item(l, IT_VALUE);
	ast_expr *add = value->expr;
	assert_int_equal(add->kind, EX_ADD);
	ast_expr *mul = add->a;
	assert_int_equal(mul->kind, EX_MUL);
	ast_expr *lp = mul->b;
	assert_int_equal(lp->kind, EX_NAME);
	assert_ptr_equal(lp->name.item, ast_find_item(l, IT_LET));
	ast_expr *neg = mul->a;
	assert_int_equal(neg->kind, EX_NEG);
	ast_expr *idx = neg->a;
	assert_int_equal(idx->kind, EX_INDEX);
	assert_ptr_equal(idx->name.item, ast_find_item(d, IT_LABEL));
	assert_ptr_equal(idx->a->name.item, ast_find_item(l, IT_PARAM));
	/* Function names are left to the function table. */
	ast_expr *call = add->b->b;
	assert_int_equal(call->kind, EX_CALL);
	assert_null(call->name.item);
	assert_ptr_equal(call->args[0].value->name.item, ast_find_item(d, IT_INPUT));
	unload(&fx);
}

static void test_declaration_errors(void **state)
{
	(void)state;
	fixture fx;
	load(&fx,
	     "dataset d { }\n"
	     "goal d { }\n"
	     "loss l on nowhere { value = 1; }\n"
	     "rationale r for l { uses d, gone; }\n"
	     "agent a { trained_by d; cares_about goal l; }\n");
	assert_int_equal(fx.diags.n, 7);
	assert_finding(&fx, 0, "LS011", 2, "'d' is declared twice");
	assert_int_equal(fx.diags.items[0].nnotes, 1);
	assert_int_equal(source_pos(&fx.src, fx.diags.items[0].notes[0].span.start).line, 1);
	assert_finding(&fx, 1, "LS010", 3, "no dataset named 'nowhere'");
	assert_finding(&fx, 2, "LS012", 4, "'l' is a loss, but 'for' needs a goal");
	/* 'd' resolves to the first declaration, a dataset. */
	assert_finding(&fx, 3, "LS012", 4, "'d' is a dataset, but 'uses' needs a loss");
	assert_finding(&fx, 4, "LS010", 4, "no loss named 'gone'");
	assert_finding(&fx, 5, "LS012", 5, "'d' is a dataset, but 'trained_by' needs a loss");
	assert_finding(&fx, 6, "LS012", 5, "'l' is a loss, but 'cares_about goal' needs a goal");
	assert_null(decl_named(&fx, "l")->target.decl);
	unload(&fx);
}

static void test_cares_about_needs_goal(void **state)
{
	(void)state;
	fixture fx;
	load(&fx, "dataset d { }\nagent a { cares_about goal d; }\n");
	assert_int_equal(fx.diags.n, 1);
	assert_finding(&fx, 0, "LS012", 2, "'d' is a dataset, but 'cares_about goal' needs a goal");
	unload(&fx);
}

static void test_loss_scopes(void **state)
{
	(void)state;
	fixture fx;
	load(&fx,
	     "dataset d { input x: real; label y: class[2]; input x: real; input w: real; }\n"
	     "loss l on d {\n"
	     "    output z: real[2];\n"
	     "    output z: real[2];\n"
	     "    param w: real[2] = [1, 2];\n"
	     "    param p: real = q;\n"
	     "    param q: real = z[y];\n"
	     "    let a = b;\n"
	     "    let b = a + nothing;\n"
	     "    let c = c;\n"
	     "    value = w[y];\n"
	     "}\n");
	const struct { const char *code; unsigned long line; const char *msg; } want[] = {
		{ "LS011", 1, "'x' is declared twice in dataset 'd'" },
		{ "LS011", 4, "'z' is declared twice in loss 'l'" },
		{ "LS010", 6, "'q' is used before its definition" },
		{ "LS012", 7, "'z' is an output, but a param may use only numbers, vector literals and earlier params" },
		{ "LS012", 7, "'y' is a label, but a param may use only numbers, vector literals and earlier params" },
		{ "LS010", 8, "'b' is used before its definition" },
		{ "LS010", 9, "undefined name 'nothing'" },
		{ "LS010", 10, "'c' is used in its own definition" },
	};
	size_t n = sizeof want / sizeof want[0];
	for (size_t i = 0; i < fx.diags.n && i < n; i++)
		assert_finding(&fx, i, want[i].code, want[i].line, want[i].msg);
	assert_int_equal(fx.diags.n, n);
	/* The loss's param w shadows the dataset's input w (lossspec's focal example). */
	ast_decl *l = decl_named(&fx, "l");
	ast_expr *v = ast_find_item(l, IT_VALUE)->expr;
	assert_int_equal(v->kind, EX_INDEX);
	assert_ptr_equal(v->a->name.item, l->items->next->next);
	assert_int_equal(v->a->name.item->kind, IT_PARAM);
	unload(&fx);
}

static void test_unknown_dataset_silences_its_names(void **state)
{
	(void)state;
	fixture fx;
	load(&fx, "loss l on elsewhere { output z: real; value = z * x; }\n");
	assert_int_equal(fx.diags.n, 1);
	assert_finding(&fx, 0, "LS010", 1, "no dataset named 'elsewhere'");
	unload(&fx);
}

static void test_long_chain_every_use_reported(void **state)
{
	(void)state;
	/* x + y + y ...: a left-leaning tree as deep as the parser allows. */
	size_t terms = PARSE_MAX_DEPTH - 10;
	const char *head = "dataset d { input x: real; }\nloss l on d { value = x";
	size_t cap = strlen(head) + terms * 4 + 16;
	char *text = malloc(cap), *p = text;
	p += sprintf(p, "%s", head);
	for (size_t i = 0; i < terms; i++)
		p += sprintf(p, " + y");
	sprintf(p, "; }\n");
	fixture fx;
	load(&fx, text);
	/* Every y is undefined: one finding per use, no crash. */
	assert_int_equal(fx.diags.n, terms);
	unload(&fx);
	free(text);
}

/* Named sizes: declared once, where the types that use them can see them. */
static void test_sizes(void **state)
{
	(void)state;
	fixture fx;
	load(&fx,
	     "dataset d {\n"
	     "    size V;\n"
	     "    input x: real[V];\n"
	     "    input t: real[K];\n"
	     "    label y: class[x];\n"
	     "    input u: real[B];\n"
	     "}\n"
	     "loss l on d {\n"
	     "    batch B;\n"
	     "    size D;\n"
	     "    size V;\n"
	     "    output z: real[V, D];\n"
	     "    output s: real[B];\n"
	     "    output w: real[E] per batch;\n"
	     "    param p: real[D] = [1];\n"
	     "    param q: real = D;\n"
	     "    value = sum(z[0]) + B / V + D;\n"
	     "    reduce mean weight x[0] / V;\n"
	     "}\n"
	     "loss m on nowhere { output z: real[V]; value = z[0]; }\n");
	const struct { const char *code; unsigned long line; const char *msg; } want[] = {
		{ "LS310", 4, "size 'K' is not declared: add `size K;` to dataset 'd'" },
		{ "LS012", 5, "'x' is an input, but a type's size must be a whole number or a size" },
		{ "LS310", 6, "size 'B' is not declared: add `size B;` to dataset 'd'" },
		{ "LS011", 11, "'V' is declared twice: dataset 'd' already has size 'V'" },
		{ "LS310", 14, "size 'E' is not declared: add `size E;` to loss 'l'" },
		{ "LS012", 15, "'D' is a size bound at run time, but a param is a constant: its type needs whole-number sizes" },
		{ "LS012", 16, "'D' is a size, but a param may use only numbers, vector literals and earlier params" },
		{ "LS010", 20, "no dataset named 'nowhere'" },
	};
	size_t n = sizeof want / sizeof want[0];
	for (size_t i = 0; i < fx.diags.n && i < n; i++)
		assert_finding(&fx, i, want[i].code, want[i].line, want[i].msg);
	assert_int_equal(fx.diags.n, n);

	/* Links: the dataset's x to its V; the loss's types to its own V, D and B. */
	ast_decl *d = decl_named(&fx, "d"), *l = decl_named(&fx, "l");
	ast_item *size_v = d->items, *x = size_v->next;
	assert_ptr_equal(x->type.sizes[0].name.item, size_v);
	ast_item *batch = l->items, *size_d = batch->next, *loss_v = size_d->next;
	ast_item *z = loss_v->next, *sb = z->next;
	assert_ptr_equal(z->type.sizes[0].name.item, loss_v);
	assert_ptr_equal(z->type.sizes[1].name.item, size_d);
	assert_ptr_equal(sb->type.sizes[0].name.item, batch);
	/* Sizes are values in expressions, and the weight is resolved. */
	ast_expr *v = ast_find_item(l, IT_VALUE)->expr;
	assert_ptr_equal(v->b->name.item, size_d);
	assert_ptr_equal(v->a->b->a->name.item, batch);
	ast_expr *w = ast_find_item(l, IT_REDUCE)->expr;
	assert_ptr_equal(w->a->a->name.item, x);
	assert_ptr_equal(w->b->name.item, loss_v);
	unload(&fx);
}

/* One batch per loss: a second is LS109 (story), not also LS011. */
static void test_batch_once(void **state)
{
	(void)state;
	fixture fx;
	load(&fx, "dataset d { }\nloss l on d { batch B; batch B; batch C; output s: real[C]; }\n");
	assert_int_equal(fx.diags.n, 0);
	ast_decl *l = decl_named(&fx, "l");
	ast_item *s = ast_find_item(l, IT_OUTPUT);
	assert_ptr_equal(s->type.sizes[0].name.item, l->items->next->next);
	unload(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_story_links_everything),
		cmocka_unit_test(test_declaration_errors),
		cmocka_unit_test(test_cares_about_needs_goal),
		cmocka_unit_test(test_loss_scopes),
		cmocka_unit_test(test_unknown_dataset_silences_its_names),
		cmocka_unit_test(test_long_chain_every_use_reported),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_batch_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
