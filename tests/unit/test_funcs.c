/*
 * test_funcs.c: what a call can name (funcs.h): lookup by name and
 * arity over the op rows and the composite losses, suggestions,
 * signatures, and lossspec(5)'s generated function section, which must
 * equal what the tables print, so the page and the tables cannot drift.
 * (The rows' mathematics: test_ops.c and test_losses.c.)
 *
 * `test_funcs --print-man` prints that section (to paste into the page).
 */
#define _GNU_SOURCE     /* fopencookie, for wfail.h */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funcs.h"
#include "wfail.h"

/* ---- lookup, suggestions, signatures ----------------------------------- */

static void test_lookup_by_arity_and_suggestions(void **state)
{
	(void)state;
	assert_ptr_equal(funcs_op(funcs_lookup("max", 3, 1, 0)), &ops[IR_VMAX]);
	assert_ptr_equal(funcs_op(funcs_lookup("max", 3, 2, 0)), &ops[IR_MAX]);
	assert_null(funcs_lookup("max", 3, 3, 0));
	assert_null(funcs_lookup("+", 1, 2, 0));           /* operators are not callable */
	assert_null(funcs_lookup("huber_elem", 10, 2, 0)); /* internal rows only in definitions */
	assert_ptr_equal(funcs_op(funcs_lookup("huber_elem", 10, 2, 1)), &ops[IR_HUBER]);
	assert_null(funcs_lookup("const", 5, 0, 1));       /* leaves never */
	assert_non_null(funcs_lookup("huber", 5, 2, 0));
	assert_non_null(funcs_lookup("huber", 5, 3, 0));
	assert_null(funcs_op(funcs_lookup("huber", 5, 3, 0)));
	assert_ptr_equal(funcs_loss(funcs_lookup("huber", 5, 3, 0))->sig.name, funcs_lookup("huber", 5, 3, 0)->name);
	assert_string_equal(funcs_suggest("logg", 4), "log");
	assert_string_equal(funcs_suggest("sofmax", 6), "softmax");
	assert_string_equal(funcs_suggest("crossentropy", 12), "cross_entropy");
	assert_null(funcs_suggest("banana", 6));
	char buf[128];
	assert_string_equal(funcs_signature(funcs_lookup_name("huber", 5), buf, sizeof buf), "huber(p, t, delta=1)");
	assert_string_equal(funcs_signature(funcs_lookup_name("cross_entropy", 13), buf, sizeof buf),
			    "cross_entropy(logits, y, label_smoothing=0)");
	/* a short buffer gets the signature cut, terminated, never overrun */
	char small[12];
	memset(small, 'x', sizeof small);
	assert_string_equal(funcs_signature(funcs_lookup_name("huber", 5), small, 10), "huber(p, ");
	assert_int_equal(small[10], 'x');
	memset(small, 'x', sizeof small);
	assert_string_equal(funcs_signature(funcs_lookup_name("cross_entropy", 13), small, 6), "cross");
	assert_int_equal(small[6], 'x');
	/* the plain listing: one function a line, its signature, group and text */
	char *plain = NULL;
	size_t plen = 0;
	FILE *m = open_memstream(&plain, &plen);
	assert_int_equal(funcs_print_table(m, 0), 0);
	fclose(m);
	assert_non_null(strstr(plain, "\nhuber(p, t, delta=1) "));
	assert_null(strstr(plain, ".It"));
	free(plain);
}

/* Every function LOSSSPEC.md lists is in the table. */
static void test_table_covers_the_language(void **state)
{
	(void)state;
	static const char *const names[] = {
		"exp", "log", "log1p", "expm1", "sqrt", "abs", "square", "sigmoid", "log_sigmoid", "softplus",
		"tanh", "relu", "min", "max", "sum", "mean", "logsumexp", "norm1", "norm2", "dot", "softmax",
		"log_softmax", "onehot", "cross_entropy", "nll", "mse", "l1", "huber", "smooth_l1", "bce",
		"bce_with_logits", "hinge", "kl_div", "poisson_nll", "gaussian_nll", "margin_ranking", "soft_margin",
		"multilabel_soft_margin", "multi_margin", "cosine_embedding", "hinge_embedding", "triplet_margin",
		"log_cosh", "clamp", "where"
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!funcs_lookup_name(names[i], strlen(names[i])))
			fail_msg("'%s' is missing from the table", names[i]);
}

/* ---- lossspec(5) agrees with the table --------------------------------- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) return NULL;
	size_t cap = 1 << 20, n;
	char *b = malloc(cap + 1);
	n = fread(b, 1, cap, f);
	b[n] = '\0';
	fclose(f);
	return b;
}

#define BEGIN_MARK ".\\\" BEGIN FUNCTION TABLE (generated: tests/unit/test_funcs --print-man)\n"
#define END_MARK ".\\\" END FUNCTION TABLE\n"

static void test_man_page_function_table_matches(void **state)
{
	(void)state;
	char path[4096];
	snprintf(path, sizeof path, "%s/man/lossspec.5", LOSSC_SRCDIR);
	char *page = slurp(path);
	assert_non_null(page);
	char *b = strstr(page, BEGIN_MARK), *e = strstr(page, END_MARK);
	if (!b || !e || e < b)
		fail_msg("man/lossspec.5 lacks the generated function table markers");
	b += strlen(BEGIN_MARK);
	char *gen = NULL;
	size_t glen = 0;
	FILE *m = open_memstream(&gen, &glen);
	assert_int_equal(funcs_print_table(m, 1), 0);
	fclose(m);
	if (glen != (size_t)(e - b) || memcmp(gen, b, glen) != 0)
		fail_msg("man/lossspec.5's function table differs from the op and loss tables; "
			 "regenerate it with tests/unit/test_funcs --print-man");
	free(gen);
	free(page);
}

static int table_plain(FILE *out, const void *arg) { (void)arg; return funcs_print_table(out, 0); }
static int table_troff(FILE *out, const void *arg) { (void)arg; return funcs_print_table(out, 1); }

/*
 * The table (what lossspec(5)'s section is generated from) reports a
 * failed write wherever it falls: every write of the first rows (an op
 * row and its curvature, escapes in signatures and descriptions), then
 * every 61st byte, and the list's end.
 */
static void test_table_reports_write_errors(void **state)
{
	(void)state;
	assert_true(wfail_check(table_plain, NULL, 600, 61) > 600);
	assert_true(wfail_check(table_troff, NULL, 900, 61) > 900);
}

/* A signature cut to its buffer keeps what fits, terminated. */
static void test_signature_cut_to_its_buffer(void **state)
{
	(void)state;
	const fn_sig *s = funcs_lookup_name("huber", 5);
	char whole[160], small[12];
	assert_non_null(s);
	assert_string_equal(funcs_signature(s, whole, sizeof whole), "huber(p, t, delta=1)");
	for (size_t k = 1; k <= sizeof small; k++) {
		memset(small, 'x', sizeof small);
		funcs_signature(s, small, k);
		assert_int_equal(strlen(small), k - 1);
		assert_memory_equal(small, whole, k - 1);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--print-man")) {
		fputs(BEGIN_MARK, stdout);
		funcs_print_table(stdout, 1);
		fputs(END_MARK, stdout);
		return 0;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_by_arity_and_suggestions),
		cmocka_unit_test(test_table_covers_the_language),
		cmocka_unit_test(test_man_page_function_table_matches),
		cmocka_unit_test(test_table_reports_write_errors),
		cmocka_unit_test(test_signature_cut_to_its_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
