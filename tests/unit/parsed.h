/*
 * parsed.h: a spec parsed from a string for the unit tests that look at
 * its tree (test_ast_equal, test_fmt): parse() asserts it has no syntax
 * error, done() frees it.  Include after <cmocka.h>.
 */
#ifndef LOSSC_TEST_PARSED_H
#define LOSSC_TEST_PARSED_H

#include <string.h>

#include "ast.h"
#include "parse.h"

struct parsed {
	source src;
	diag_list diags;
	ast_file *f;
};

static void parse(struct parsed *p, const char *text)
{
	source_from_buffer(&p->src, "t.loss", text, strlen(text));
	diag_list_init(&p->diags);
	p->f = parse_source(&p->src, &p->diags, 0);
	assert_int_equal(p->f->syntax_errors, 0);
}

static void done(struct parsed *p)
{
	ast_file_free(p->f);
	diag_list_free(&p->diags);
	source_free(&p->src);
}

#endif
