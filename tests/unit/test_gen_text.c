/*
 * test_gen_text.c: names and prose from a spec can never break the
 * generated C.  Unit cases pin the mangling and escaping rules; the
 * property test feeds random hostile names and prose through them into a
 * C file and compiles it with the strict flags (gcc and clang if present).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"

static void test_keywords_and_reserved_names_are_mangled(void **state)
{
	(void)state;
	gen_names t;
	gen_names_init(&t);
	assert_string_equal(gen_names_claim(&t, "int"), "int_");
	assert_string_equal(gen_names_claim(&t, "int"), "int__");   /* taken: one more */
	assert_string_equal(gen_names_claim(&t, "_X"), "u__X");
	assert_string_equal(gen_names_claim(&t, "__x"), "u___x");
	assert_string_equal(gen_names_claim(&t, "exp"), "exp_");
	assert_string_equal(gen_names_claim(&t, "expf"), "expf_");
	assert_string_equal(gen_names_claim(&t, "n"), "n_");
	assert_string_equal(gen_names_claim(&t, "lc_m"), "u_lc_m");
	assert_string_equal(gen_names_claim(&t, "size_t"), "size_t_");
	assert_string_equal(gen_names_claim(&t, "NAN"), "NAN_");
	assert_string_equal(gen_names_claim(&t, "logits"), "logits");
	assert_string_equal(gen_names_claim(&t, "y"), "y");
	assert_string_equal(gen_names_claim(&t, "x"), "x");
	assert_string_equal(gen_names_claim(&t, "X"), "X");          /* one capital: not a macro family */
	assert_string_equal(gen_names_claim(&t, "bad-name"), "bad_name");
	assert_string_equal(gen_names_claim(&t, "9lives"), "u9lives");
	/* cmocka's lower-case macro families: no suffix frees a prefix */
	assert_string_equal(gen_names_claim(&t, "assert_ok"), "u_assert_ok");
	assert_string_equal(gen_names_claim(&t, "expect_value"), "u_expect_value");
	assert_string_equal(gen_names_claim(&t, "will_return"), "u_will_return");
	assert_string_equal(gen_names_claim(&t, "check_expected"), "u_check_expected");
	assert_string_equal(gen_names_claim(&t, "mock_type"), "u_mock_type");
	assert_string_equal(gen_names_claim(&t, "cmocka_run"), "u_cmocka_run");
	/* long double variants of <math.h>, and the names no spec can spell */
	assert_string_equal(gen_names_claim(&t, "expl"), "expl_");
	assert_string_equal(gen_names_claim(&t, "exps"), "exps");  /* not a variant */
	assert_string_equal(gen_names_claim(&t, ""), "u");
	assert_string_equal(gen_names_claim(&t, "test_x"), "u_test_x");
	for (size_t i = 0; i < t.n; i++) {
		assert_true(gen_ident_valid(t.v[i]));
		assert_false(gen_ident_reserved(t.v[i]));
	}
	gen_names_free(&t);
	assert_true(gen_ident_reserved(""));
	assert_false(gen_ident_valid(NULL));
	assert_false(gen_ident_valid("9a"));
	assert_false(gen_ident_valid("a-b"));
	assert_true(gen_ident_valid("_a9"));
}

static char *comment_at(const char *text, int width)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	assert_non_null(f);
	gen_comment_text(f, "", text, strlen(text), width);
	fclose(f);
	return buf;
}

static char *comment_of(const char *text)
{
	return comment_at(text, 60);
}

static void test_comment_cannot_close_nest_or_splice(void **state)
{
	(void)state;
	char *c = comment_of("ends */ here /* and ?" "?/ trigraph ?" "?= and \\");
	assert_null(strstr(c, "*/"));
	assert_null(strstr(c, "/*"));
	assert_null(strstr(c, "?" "?"));
	assert_null(strstr(c, "\\"));
	assert_non_null(strstr(c, "* /"));
	assert_non_null(strstr(c, "? ?/"));
	assert_non_null(strstr(c, "<backslash>"));
	free(c);
	c = comment_of("caf\xc3\xa9 \xe2\x88\x80x\nsecond\tline\x01");
	assert_string_equal(c, " * caf<U+00E9> <U+2200>x\n * second line<U+0001>\n");
	free(c);
	/* '*' '/' split across a chain: every pair gets its space */
	c = comment_of("*/*/*/");
	assert_string_equal(c, " * * / * / * /\n");
	free(c);
}

static void test_comment_wraps_long_lines_at_spaces(void **state)
{
	(void)state;
	char *c = comment_of("aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn");
	assert_string_equal(c, " * aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll\n * mmmm nnnn\n");
	free(c);
}

/* The longest line of a comment, " * " included. */
static size_t longest_line(const char *c)
{
	size_t most = 0;
	while (*c) {
		size_t n = strcspn(c, "\n");
		most = n > most ? n : most;
		c += n + (c[n] == '\n');
	}
	return most;
}

/* Widths out of range are clamped (20 to 480 columns); a word longer than
   the line buffer is cut rather than overrun it; blanks before a wrap are
   dropped; bytes that are not UTF-8 still come out as <U+XXXX>. */
static void test_comment_edges(void **state)
{
	(void)state;
	char *c = comment_at("aaaa bbbb cccc dddd eeee ffff", 5);
	assert_string_equal(c, " * aaaa bbbb cccc dddd\n * eeee ffff\n");
	free(c);
	c = comment_at("aaaa bbbb   cccccccccc", 20);
	assert_string_equal(c, " * aaaa bbbb\n * cccccccccc\n");
	free(c);
	char word[1200];
	memset(word, 'w', sizeof word - 1);
	word[sizeof word - 1] = '\0';
	c = comment_at(word, 100000);
	assert_true(longest_line(c) <= 3 + 511);
	assert_int_equal(strspn(c + 3, "w"), 511);
	size_t ws = 0;
	for (const char *p = c; *p; p++)
		ws += *p == 'w';
	assert_int_equal(ws, sizeof word - 1);  /* nothing lost */
	free(c);
	c = comment_of("\x80 lone, cut \xc3");
	assert_string_equal(c, " * <U+0080> lone, cut <U+0003>\n");
	free(c);
	c = comment_of("");
	assert_string_equal(c, "");
	free(c);
}

static void test_numbers_read_back_exactly(void **state)
{
	(void)state;
	char buf[64];
	assert_string_equal(gen_c_number(5, 0, buf, sizeof buf), "5.0");
	assert_string_equal(gen_c_number(5, 1, buf, sizeof buf), "5.0f");
	assert_string_equal(gen_c_number(0.1, 0, buf, sizeof buf), "0.10000000000000001");
	assert_string_equal(gen_c_number(1e300, 1, buf, sizeof buf), "HUGE_VALF");
	assert_string_equal(gen_c_number(-HUGE_VAL, 0, buf, sizeof buf), "-HUGE_VAL");
	assert_string_equal(gen_c_number(NAN, 0, buf, sizeof buf), "NAN");
	assert_string_equal(gen_c_number(NAN, 1, buf, sizeof buf), "NAN");
	assert_string_equal(gen_c_number(-1e300, 1, buf, sizeof buf), "-HUGE_VALF");
	assert_string_equal(gen_c_number(HUGE_VAL, 0, buf, sizeof buf), "HUGE_VAL");
	assert_string_equal(gen_c_number(1e300, 0, buf, sizeof buf), "1.0000000000000001e+300");
	assert_true(strtod(gen_c_number(1.0 / 3, 0, buf, sizeof buf), NULL) == 1.0 / 3);
	assert_true(strtof(gen_c_number(1.0 / 3, 1, buf, sizeof buf), NULL) == (float)(1.0 / 3));
}

/* ---- property test: random hostile names and prose compile strictly ---- */

static unsigned long long rng = 88172645463325252ULL;

static unsigned next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 11);
}

static const char *const hostile[] = {
	"*/", "/*", "?" "?/", "?" "?=", "?" "?", "\\", "\\\n", "\n", "\"", "'", "//",
	"\xc3\xa9", "\xe2\x80\xae", "\xf0\x9f\x98\x80", "#define", "#include", "\t",
	"int", "_Bool", "__LINE__", "}", "{", ";", "\r", "\x7f", "%s", " ",
};

static const char *const hostile_names[] = {
	"int", "float", "double", "return", "_X", "__x", "_Bool", "n", "each",
	"exp", "expf", "logf", "isnan", "NAN", "INFINITY", "size_t", "int32_t",
	"main", "lc_r", "test_x", "upstream", "printf", "EOF", "errno", "x", "y",
	"restrict", "inline", "bool", "true", "static_assert", "asm", "typeof",
	"assert_true", "will_return", "mock_x",
};

static void random_text(char *buf, size_t size)
{
	size_t k = 0;
	int pieces = (int)(next_rand() % 12) + 1;
	for (int p = 0; p < pieces; p++) {
		const char *s;
		char word[8];
		if (next_rand() % 3 == 0) {
			s = hostile[next_rand() % (sizeof hostile / sizeof *hostile)];
		} else {
			int wl = (int)(next_rand() % 6) + 1;
			for (int i = 0; i < wl; i++)
				word[i] = (char)(' ' + next_rand() % 95);
			word[wl] = '\0';
			s = word;
		}
		size_t sl = strlen(s);
		if (k + sl + 1 >= size)
			break;
		memcpy(buf + k, s, sl);
		k += sl;
	}
	buf[k] = '\0';
}

static int compile_strict(const char *cc, const char *path)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd,
		 "%s -std=c99 -Wall -Wextra -Werror -pedantic -Wno-unused-parameter -c -o /dev/null '%s' 2>&1", cc, path);
	return system(cmd);
}

static int have(const char *cc)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", cc);
	return system(cmd) == 0;
}

static void test_random_hostile_names_and_prose_compile_strictly(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_gen_text_XXXXXX";
	char path[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/hostile.c", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	/* Marker lines: if a comment ended early or spliced a line, the
	 * declarations between comments would change and the counts below
	 * would not add up (each `enum` constant is referenced once). */
	fprintf(f, "#include <math.h>\n#include <stddef.h>\n#include <stdint.h>\n");
	int ncases = 200;
	for (int c = 0; c < ncases; c++) {
		char text[256];
		random_text(text, sizeof text);
		fprintf(f, "/*\n");
		gen_comment_text(f, "", text, strlen(text), 40 + (int)(next_rand() % 40));
		fprintf(f, " */\n");
		fprintf(f, "int lc_marker_%d(void);\n", c);
		/* comments inside a function body too, indented */
		fprintf(f, "int lc_marker_%d(void)\n{\n\t/*\n", c);
		gen_comment_text(f, "\t", text, strlen(text), 72);
		fprintf(f, "\t */\n\treturn %d;\n}\n", c);
	}
	/* Hostile identifiers become parameters and locals of one function. */
	gen_names t;
	gen_names_init(&t);
	fprintf(f, "double lc_params(size_t n");
	const char *names[64];
	int nn = 0;
	for (size_t i = 0; i < sizeof hostile_names / sizeof *hostile_names && nn < 64; i++) {
		names[nn] = gen_names_claim(&t, hostile_names[i]);
		fprintf(f, ", const double *%s", names[nn++]);
	}
	for (int i = 0; i < 20; i++) {
		char text[64];
		random_text(text, sizeof text);
		names[nn] = gen_names_claim(&t, text);
		assert_true(gen_ident_valid(names[nn]) && !gen_ident_reserved(names[nn]));
		fprintf(f, ", const double *%s", names[nn++]);
	}
	fprintf(f, ");\ndouble lc_params(size_t n");
	for (int i = 0; i < nn; i++)
		fprintf(f, ", const double *%s", names[i]);
	fprintf(f, ")\n{\n\tdouble lc_s = exp(0.0) + expf(0.0f) + (double)n;\n");
	for (int i = 0; i < nn; i++)
		fprintf(f, "\tlc_s += %s[0];\n", names[i]);
	fprintf(f, "\treturn lc_s;\n}\n");
	gen_names_free(&t);
	fclose(f);

	int compiled = 0;
	const char *ccs[] = { "gcc", "clang" };
	for (int i = 0; i < 2; i++) {
		if (!have(ccs[i]))
			continue;
		int rc = compile_strict(ccs[i], path);
		if (rc != 0)
			fprintf(stderr, "kept %s for inspection\n", path);
		assert_int_equal(rc, 0);
		compiled++;
	}
	assert_true(compiled > 0);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keywords_and_reserved_names_are_mangled),
		cmocka_unit_test(test_comment_cannot_close_nest_or_splice),
		cmocka_unit_test(test_comment_wraps_long_lines_at_spaces),
		cmocka_unit_test(test_comment_edges),
		cmocka_unit_test(test_numbers_read_back_exactly),
		cmocka_unit_test(test_random_hostile_names_and_prose_compile_strictly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
