/*
 * test_ast_equal.c: ast_equal and ast_digest see through layout and see
 * every change of meaning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "parsed.h"

/* 1 when a and b are equal by ast_equal; checks the digests agree with it. */
static int same(const char *a, const char *b, char *why, size_t whylen)
{
	struct parsed x, y;
	parse(&x, a);
	parse(&y, b);
	int eq = ast_equal(x.f, y.f, why, whylen);
	if (eq)
		assert_true(ast_digest(x.f) == ast_digest(y.f));
	else
		assert_true(ast_digest(x.f) != ast_digest(y.f));
	done(&x);
	done(&y);
	return eq;
}

static const char base[] =
	"dataset d { about \"Pix\" \"els.\"; input x: real[4] in [-1, 1]; label y: class[4]; }\n"
	"loss l on d { output z: real[4]; param w: real[2] = [1, 0.5];\n"
	"  value = -(log_softmax(z)[y]) * (1 + w[y]) + huber(z, z, delta=2); reduce mean; claim smooth, convex; }\n"
	"agent a { trained_by l; cares_about other \"the \\\"register\\\"\"; }\n";

static void test_layout_does_not_count(void **state)
{
	char why[256];
	(void)state;
	assert_true(same(base,
		"dataset d{about \"Pixels.\";input x:real[4.0]in[-1.0,1e0];label y:class[4];}\n"
		"// a comment\nloss l on d {\n output z: real[4];\n param w: real[2] = [1, 5e-1];\n"
		"  value = -log_softmax(z)[y] * ((1 + w[y])) + (huber(z, z, delta=2.0)); /* c */\n"
		"  reduce mean; claim smooth, convex; }\n"
		"agent a { trained_by l; cares_about other \"the \\\"reg\" \"ister\\\"\"; }\n", why, sizeof why));
}

static void test_every_change_of_meaning_counts(void **state)
{
	static const struct { const char *from, *to, *why; } changes[] = {
		{ "[-1, 1]", "[-1, 2]", "dataset 'd', item 2: the range in 'input' differs" },
		{ "real[4] in", "real[5] in", "dataset 'd', item 2: the type in 'input' differs" },
		{ "class[4]", "prob[4]", "dataset 'd', item 3: the type in 'label' differs" },
		{ "\"els.\"", "\"els!\"", "dataset 'd', item 1: the text of 'about' differs" },
		{ "-(log_softmax(z)[y]) * (1 + w[y])", "-(log_softmax(z)[y] * (1 + w[y]))",
		  "loss 'l', item 3: the expression of 'value' differs" },
		{ "(1 + w[y])", "(1 - w[y])", "loss 'l', item 3: the expression of 'value' differs" },
		{ "delta=2", "beta=2", "loss 'l', item 3: the expression of 'value' differs" },
		{ "delta=2", "2", "loss 'l', item 3: the expression of 'value' differs" },
		{ "[1, 0.5]", "[1, 0.5, 0]", "loss 'l', item 2: the expression of 'param' differs" },
		{ "reduce mean", "reduce sum", "loss 'l', item 4: the choice of 'reduce' differs" },
		{ "claim smooth, convex", "claim smooth", "loss 'l', item 5: 'claim' lists 1 names, not 2" },
		{ "claim smooth, convex", "claim convex, smooth", "loss 'l', item 5: name 1 of 'claim' differs" },
		{ "trained_by l;", "trained_by m;", "agent 'a', item 1: the name in 'trained_by' differs" },
		{ "other \"the", "other \"The", "agent 'a', item 2: the text of 'cares_about' differs" },
		{ "loss l on d", "loss l on e", "loss 'l': the name after 'on' differs" },
		{ "loss l on d", "loss m on d", "loss 'l': the name differs ('m')" },
		{ "huber(z, z, delta=2)", "huber(z, z)", "loss 'l', item 3: the expression of 'value' differs" },
		{ "huber(z, z,", "huber(z, w,", "loss 'l', item 3: the expression of 'value' differs" },
		{ "huber(z, z,", "mse(z, z,", "loss 'l', item 3: the expression of 'value' differs" },
		{ "[1, 0.5]", "[1, 0.25]", "loss 'l', item 2: the expression of 'param' differs" },
		{ "(1 + w[y])", "(1 + 2)", "loss 'l', item 3: the expression of 'value' differs" },
		{ "real[4] in [-1, 1]", "real[4]", "dataset 'd', item 2: the range in 'input' differs" },
		{ "real[4] in", "real[4, 2] in", "dataset 'd', item 2: the type in 'input' differs" },
		{ "output z: real[4]", "output z: real[N]", "loss 'l', item 1: the type in 'output' differs" },
		{ "reduce mean;", "precision float32;", "loss 'l', item 4: 'reduce' became 'precision'" },
		{ "[-1, 1]", "[0, 1]", "dataset 'd', item 2: the range in 'input' differs" },
		{ " claim smooth, convex;", "", "loss 'l': lost items" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
		char text[sizeof base + 64], why[256];
		const char *at = strstr(base, changes[i].from);
		assert_non_null(at);
		size_t k = (size_t)(at - base);
		snprintf(text, sizeof text, "%.*s%s%s", (int)k, base, changes[i].to, at + strlen(changes[i].from));
		assert_false(same(base, text, why, sizeof why));
		assert_string_equal(why, changes[i].why);
	}
}

static void test_declarations_lost_or_gained(void **state)
{
	char why[256];
	(void)state;
	assert_false(same("goal g {}\ngoal h {}\n", "goal g {}\n", why, sizeof why));
	assert_string_equal(why, "the file lost declarations");
	assert_false(same("goal g { about \"x\"; }\n", "goal g { about \"x\"; about \"x\"; }\n", why, sizeof why));
	assert_string_equal(why, "goal 'g': gained items");
	assert_false(same("goal g {}\n", "agent g {}\n", why, sizeof why));
	assert_string_equal(why, "goal 'g': its kind became 'agent'");
	assert_true(same("", "  // nothing\n", why, sizeof why));
	assert_false(same("goal g {}\n", "goal g {}\ngoal h {}\n", why, sizeof why));
	assert_string_equal(why, "the file gained declarations");
	assert_false(same("goal g {}\nrationale r for g {}\n", "goal g {}\nrationale r for h {}\n", why, sizeof why));
	assert_string_equal(why, "rationale 'r': the name after 'for' differs");
}

/* Named sizes compare by name and by number; the reason is cut to its
   buffer, and no buffer is fine (the verdict alone). */
static void test_sizes_and_short_buffers(void **state)
{
	char why[256], tiny[12];
	(void)state;
	assert_false(same("dataset d { size N; input x: real[N, 2]; }\n",
			  "dataset d { size N; input x: real[N, 3]; }\n", why, sizeof why));
	assert_string_equal(why, "dataset 'd', item 2: the type in 'input' differs");
	assert_false(same("dataset d { size N; size M; input x: real[N, 2]; }\n",
			  "dataset d { size N; size M; input x: real[M, 2]; }\n", why, sizeof why));
	assert_string_equal(why, "dataset 'd', item 3: the type in 'input' differs");
	assert_false(same("goal g {}\n", "agent g {}\n", tiny, sizeof tiny));
	assert_string_equal(tiny, "goal 'g': i");  /* cut to 11 bytes */
	assert_false(same("goal goal_with_a_long_name {}\n", "agent goal_with_a_long_name {}\n", tiny, sizeof tiny));
	assert_string_equal(tiny, "goal 'goal_");
	assert_false(same("goal g {}\n", "agent g {}\n", NULL, 0));
	assert_true(same("goal g {}\n", "goal g {}\n", NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_does_not_count),
		cmocka_unit_test(test_every_change_of_meaning_counts),
		cmocka_unit_test(test_declarations_lost_or_gained),
		cmocka_unit_test(test_sizes_and_short_buffers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
