/*
 * parse.c: the front end's entry point.  Checks the bytes (UTF-8, no
 * NUL), then runs the scanner and parser of grammar/ over the text after
 * any BOM.  Findings are queued, never printed.
 */
#include "parse.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "pctx.h"
#include "parser.h"
#include "xalloc.h"

int parse_check_bytes(const source *src, diag_list *diags, const char *what)
{
	size_t bad = 0;
	const char *why = NULL;
	if (source_check_utf8(src, &bad, &why) != 0) {
		if (!why)       /* GCOVR_EXCL_BR_LINE: utf8_decode gives a reason on each failing path */
			why = "invalid UTF-8";  /* GCOVR_EXCL_LINE: as above */
		if (bad >= src->len)    /* GCOVR_EXCL_BR_LINE: bad is a sequence's first byte, < len */
			diag_add(diags, src, (span){src->len, src->len}, SEV_ERROR, "LS002",  /* GCOVR_EXCL_LINE */
				 "%s at end of file; %s must be UTF-8 text", why, what);  /* GCOVR_EXCL_LINE */
		else if (src->text[bad] == '\0')
			diag_add(diags, src, (span){bad, bad + 1}, SEV_ERROR, "LS002",
				 "NUL byte; %s must be text", what);
		else
			diag_add(diags, src, (span){bad, bad + 1}, SEV_ERROR, "LS002",
				 "byte 0x%02X: %s; %s must be UTF-8 text",
				 (unsigned char)src->text[bad], why, what);
		return -1;
	}
	size_t body = src->body <= src->len ? src->body : src->len;
	if (src->len - body > (size_t)INT_MAX - 2) {
		diag_add_file(diags, src, SEV_ERROR, "LS002",
			      "file too large to parse (%zu bytes)", src->len);
		return -1;
	}
	return 0;
}

ast_file *parse_source(const source *src, diag_list *diags, int max_errors)
{
	return parse_source_opts(src, diags, max_errors, 0);
}

static ast_file *parse_run(const source *src, diag_list *diags, int max_errors, unsigned flags,
			   parse_decl_fn on_decl, void *ctx);

ast_file *parse_source_opts(const source *src, diag_list *diags, int max_errors, unsigned flags)
{
	return parse_run(src, diags, max_errors, flags, NULL, NULL);
}

ast_file *parse_source_stream(const source *src, diag_list *diags, int max_errors,
			      parse_decl_fn on_decl, void *ctx)
{
	return parse_run(src, diags, max_errors, 0, on_decl, ctx);
}

static ast_file *parse_run(const source *src, diag_list *diags, int max_errors, unsigned flags,
			   parse_decl_fn on_decl, void *ctx)
{
	ast_file *f = xcalloc(1, sizeof *f);
	f->src = src;
	f->arena = arena_new();

	if (parse_check_bytes(src, diags, "a .loss file") != 0)
		return f;
	size_t body = src->body <= src->len ? src->body : src->len;

	pctx c;
	memset(&c, 0, sizeof c);
	c.src = src;
	c.diags = diags;
	c.ar = f->arena;
	c.xar = on_decl ? arena_new() : f->arena;
	c.on_decl = on_decl;
	c.on_decl_ctx = ctx;
	c.file = f;
	c.max_errors = max_errors;
	c.keep_comments = (flags & PARSE_KEEP_COMMENTS) != 0;
	lex_open(&c, src->text + body, src->len - body, body);
	yyparse(&c);
	lex_close(&c);
	free(c.names);
	/* What is left holds only what declarations lost to errors built. */
	if (c.xar != c.ar)
		arena_free(c.xar);
	return f;
}
