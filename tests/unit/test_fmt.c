/*
 * test_fmt.c: how findings quote the code they are about (fmt_expr_text,
 * fmt_span_text, fmt_span_quote): an expression as fmt lays it out, a
 * span no expression has as its source with blanks and comments squeezed,
 * and a quote cut to its buffer at a character boundary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "parsed.h"

/* The span of the first occurrence of needle in the source. */
static span find(const struct parsed *p, const char *needle)
{
	const char *at = strstr(p->src.text, needle);
	assert_non_null(at);
	span s = { (uint32_t)(at - p->src.text), (uint32_t)(at - p->src.text + strlen(needle)) };
	return s;
}

static const ast_decl *decl(const struct parsed *p, ast_decl_kind kind)
{
	for (const ast_decl *d = p->f->decls; d; d = d->next)
		if (d->kind == kind)
			return d;
	fail();
	return NULL;
}

static const char spec[] =
	"dataset d {\n"
	"  about \"pairs  of \\\"images\\\" // not a comment\";\n"
	"  input x: real[3] in [0, 1];\n"
	"  label y: real;\n"
	"}\n"
	"loss l on d {\n"
	"  output z: real[3];\n"
	"  value = sum(  ( z )   *2 ) /* scaled */ +\n"
	"      // a line comment\n"
	"      mean(x)*3e-1;\n"
	"  reduce mean;\n"
	"  precision float64;\n"
	"}\n";

/* An expression's own span: fmt's layout, whatever the source's. */
static void span_of_an_expression(void **state)
{
	(void)state;
	struct parsed p;
	parse(&p, spec);
	const ast_decl *l = decl(&p, DECL_LOSS);
	char *t = fmt_span_text(&p.src, l, find(&p, "sum(  ( z )   *2 )"));
	assert_string_equal(t, "sum(z * 2)");
	free(t);
	/* a sub-expression further down the tree, reached through a call's argument */
	t = fmt_span_text(&p.src, l, find(&p, "( z )   *2"));
	assert_string_equal(t, "z * 2");
	free(t);
	done(&p);
}

/* A span no expression has: the source, each run of blanks, line breaks
   and comments one space; a string keeps its blanks and slashes. */
static void span_no_expression_has(void **state)
{
	(void)state;
	struct parsed p;
	parse(&p, spec);
	const ast_decl *l = decl(&p, DECL_LOSS);
	char *t = fmt_span_text(&p.src, l, find(&p, "*2 ) /* scaled */ +\n      // a line comment\n      mean"));
	assert_string_equal(t, "*2 ) + mean");
	free(t);
	/* a line comment ends at a lone CR as at LF (the lexer's rule) */
	struct parsed q;
	parse(&q, "loss l on d { output z: real; value = z // c\r* 2 /* x */ + 1; reduce mean; }");
	t = fmt_span_text(&q.src, decl(&q, DECL_LOSS), find(&q, "z // c\r* 2 /* x */ +"));
	assert_string_equal(t, "z * 2 +");
	free(t);
	/* a block comment the span cuts: what is inside is left out */
	t = fmt_span_text(&q.src, decl(&q, DECL_LOSS), find(&q, "2 /* x"));
	assert_string_equal(t, "2");
	free(t);
	done(&q);
	/* the dataset has no expression at all; its text is a string with escapes */
	const ast_decl *d = decl(&p, DECL_DATASET);
	t = fmt_span_text(&p.src, d, find(&p, "about \"pairs  of \\\"images\\\" // not a comment\";"));
	assert_string_equal(t, "about \"pairs  of \\\"images\\\" // not a comment\";");
	free(t);
	/* a span that ends inside a string stops where the span does */
	t = fmt_span_text(&p.src, d, find(&p, "about \"pairs  of"));
	assert_string_equal(t, "about \"pairs  of");
	free(t);
	/* no declaration: the source text, squeezed */
	t = fmt_span_text(&p.src, NULL, find(&p, "input x: real[3] in [0, 1];\n  label"));
	assert_string_equal(t, "input x: real[3] in [0, 1]; label");
	free(t);
	done(&p);
}

/* A quote longer than its buffer is cut at a character boundary and ends
   in "..."; one that fits is whole.  fmt_expr_text cuts to its buffer
   and returns the whole length. */
static void quotes_cut_to_their_buffer(void **state)
{
	(void)state;
	struct parsed p;
	parse(&p, "dataset d { about \"ca\xc3\xa9\xc3\xa9t\xc3\xa9\"; }\n"
		  "loss l on d { output z: real; value = z + z; reduce mean; }\n");
	const ast_decl *d = decl(&p, DECL_DATASET);
	char buf[16];
	span about = find(&p, "about \"ca\xc3\xa9\xc3\xa9t\xc3\xa9\";");
	/* 18 bytes: cut at 12, inside the second e-acute (bytes 11-12): at 11 */
	assert_string_equal(fmt_span_quote(&p.src, d, about, buf, sizeof buf), "about \"ca\xc3\xa9...");
	char big[64];
	assert_string_equal(fmt_span_quote(&p.src, d, about, big, sizeof big),
			    "about \"ca\xc3\xa9\xc3\xa9t\xc3\xa9\";");
	const ast_decl *l = decl(&p, DECL_LOSS);
	const ast_expr *e = NULL;
	for (const ast_item *it = l->items; it; it = it->next)
		if (it->kind == IT_VALUE)
			e = it->expr;
	assert_non_null(e);
	char small[4];
	assert_int_equal(fmt_expr_text(&p.src, e, small, sizeof small), strlen("z + z"));
	assert_string_equal(small, "z +");
	assert_int_equal(fmt_expr_text(&p.src, e, NULL, 0), strlen("z + z"));
	done(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(span_of_an_expression),
		cmocka_unit_test(span_no_expression_has),
		cmocka_unit_test(quotes_cut_to_their_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
