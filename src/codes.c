/*
 * codes.c: the catalogue of built-in finding codes.
 *
 * Each phase owns one table (core_codes here; story_codes, math_codes ...
 * in their data files, declared in codes.h) and adds it to code_tables
 * below with one line.  A leaf: it includes no pass's header.
 * Everything that needs a code's severity, title or explanation
 * (diag_code, `lossc explain`, `lossc rules`, SARIF) goes through
 * codes_find / codes_foreach, so a code is described in exactly one place.
 */
#include "codes.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const code_info core_codes[] = {
	{ "LS001", SEV_ERROR, "syntax error",
	  "The file does not follow the LossSpec grammar at this point: a token\n"
	  "is missing, misplaced or not allowed here.  The message names what the\n"
	  "parser expected.  Parsing recovers at the next ';' or '}' and goes on,\n"
	  "so every syntax error of a file is reported in one run, but no other\n"
	  "analysis is trusted for a file with syntax errors and lossc exits 2.\n"
	  "\n"
	  "Why it matters: a file that does not parse does not say anything; the\n"
	  "story, math and numeric checks cannot run on it.\n"
	  "\n"
	  "How to fix: look at the caret, and at the item just before it (a\n"
	  "missing ';' is often reported at the next line).  Strings must close\n"
	  "on the line they open; /* comments */ must be closed.\n"
	  "\n"
	  "Nesting limits are LS001 too: an expression deeper than 256 levels\n"
	  "(the file is not analyzed further), and a value deeper than 1000\n"
	  "levels counting through the lets it names (that loss is not analyzed\n"
	  "further and lossc exits 1): name a part of it with a let of its own\n"
	  "that does not build on the others, or simplify it.\n"
	  "\n"
	  "Example:\n"
	  "    input x real[2];        // error: expected ':'\n"
	  "    input x: real[2];       // fixed\n" },
	{ "LS002", SEV_ERROR, "file cannot be read, or is not valid UTF-8",
	  "lossc could not read the file (it is missing, a directory, a FIFO, or\n"
	  "not readable), or its bytes are not valid UTF-8.  UTF-8 is checked\n"
	  "strictly: overlong forms, UTF-16 surrogates, code points beyond\n"
	  "U+10FFFF, truncated sequences and NUL bytes are all rejected, and the\n"
	  "finding points at the first bad byte.  A UTF-8 byte order mark at the\n"
	  "start of the file is accepted.\n"
	  "\n"
	  "Why it matters: findings point at lines and columns counted in\n"
	  "characters, and prose rules match text; neither is meaningful for\n"
	  "bytes that are not text.  lossc exits 2 for such a file and still\n"
	  "analyzes the other files of the run.\n"
	  "\n"
	  "How to fix: check the path and permissions, or convert the file:\n"
	  "    iconv -f latin1 -t utf-8 old.loss > new.loss\n" },
	{ "LS010", SEV_ERROR, "name used but never declared",
	  "A name is used but nothing with that name is visible here.  For\n"
	  "declaration references (`on`, `for`, `uses`, `trained_by`,\n"
	  "`cares_about goal`) the name must be a declaration of this file; in a\n"
	  "loss's `value`, `let` and `param` expressions it must be one of the\n"
	  "loss's outputs or params, an input or label of the dataset after `on`,\n"
	  "or a `let` defined above.  A `param` may use only numbers, vector\n"
	  "literals and earlier params: it is a constant.\n"
	  "\n"
	  "Why it matters: a training story that names something that does not\n"
	  "exist has a hole exactly where a reader expects the link.\n"
	  "\n"
	  "How to fix: declare the name, correct its spelling, or move the `let`\n"
	  "above its first use.\n"
	  "\n"
	  "Example:\n"
	  "    loss ce on mnsit { ... }       // error: no dataset named 'mnsit'\n"
	  "    loss ce on mnist { ... }       // fixed\n" },
	{ "LS011", SEV_ERROR, "name declared twice",
	  "The same name is declared twice where names must be unique: two\n"
	  "declarations of a file (whatever their kinds), or two items of one\n"
	  "declaration that introduce names (inputs, labels, outputs, params,\n"
	  "lets), such as two outputs called `z`, or a `let` that reuses the\n"
	  "name of a dataset input.  The finding points at the second one, with\n"
	  "a note at the first.\n"
	  "\n"
	  "Why it matters: every reference to the name would be ambiguous; lossc\n"
	  "does not guess which one was meant.\n"
	  "\n"
	  "How to fix: rename one of them, or delete the copy.\n"
	  "\n"
	  "Example:\n"
	  "    output z: real[10];\n"
	  "    output z: real[10];      // error: 'z' is declared twice\n" },
	{ "LS012", SEV_ERROR, "name of the wrong kind",
	  "A reference names a declaration of the wrong kind.  `loss L on D`\n"
	  "needs a dataset, `rationale R for G` and `cares_about goal G` need a\n"
	  "goal, `uses` and `trained_by` need losses.\n"
	  "\n"
	  "Why it matters: the links between dataset, loss, goal, rationale and\n"
	  "agent are the training story; a rationale that `uses` a dataset, say,\n"
	  "claims something about training that no loss stands behind.\n"
	  "\n"
	  "How to fix: name a declaration of the right kind, or declare one.\n"
	  "\n"
	  "Example:\n"
	  "    rationale r for mnist { uses mnist; }      // two errors: a dataset\n"
	  "    rationale r for read_digits { uses ce; }   // fixed: a goal, a loss\n" },
	{ NULL, SEV_ERROR, NULL, NULL }
};

/*
 * Every module's table.  To add one, declare it in codes.h and list it;
 * order does not matter.
 */
static const code_info *const code_tables[] = {
	core_codes,
	math_codes,
	story_codes,
	prose_codes,
	suppress_codes,
	baseline_codes,
	doc_codes,
	NULL
};

const code_info *codes_find(const char *code)
{
	if (!code)
		return NULL;
	for (size_t t = 0; code_tables[t]; t++)
		for (const code_info *ci = code_tables[t]; ci->code; ci++)
			if (strcmp(ci->code, code) == 0)
				return ci;
	return NULL;
}

static int codes_cmp(const void *a, const void *b)
{
	const code_info *const *x = a, *const *y = b;
	return strcmp((*x)->code, (*y)->code);
}

void codes_foreach(void (*fn)(const code_info *ci, void *ctx), void *ctx)
{
	size_t n = 0;
	for (size_t t = 0; code_tables[t]; t++)
		for (const code_info *ci = code_tables[t]; ci->code; ci++)
			n++;
	const code_info **all = xmalloc((n ? n : 1) * sizeof *all);
	n = 0;
	for (size_t t = 0; code_tables[t]; t++)
		for (const code_info *ci = code_tables[t]; ci->code; ci++)
			all[n++] = ci;
	qsort(all, n, sizeof *all, codes_cmp);
	for (size_t i = 0; i < n; i++)
		fn(all[i], ctx);
	free(all);
}

diag *diag_code(diag_list *l, const source *src, span sp, const char *code,
		const char *fmt, ...)
{
	const code_info *ci = codes_find(code);
	/* An uncatalogued code is a programming error; report it as an error, loudly. */
	diag_severity sev = ci ? ci->sev : SEV_ERROR;
	va_list ap;
	va_start(ap, fmt);
	diag *d = diag_addv(l, src, sp, sev, code, fmt, ap);
	va_end(ap);
	return d;
}
