/*
 * fuzz_doc.c: document linting on arbitrary bytes (owner: documents).
 *
 * Each input is read twice, as Markdown and as plain text, the way
 * `lossc lint` reads a .md and a .txt file: lint_one() with the built-in
 * prose rules (for one input in four), directives and all, then the
 * findings sorted and rendered.
 *
 * Beyond crashes, the target checks the property every finding's position
 * rests on, for each text the readers produce: every text byte maps to a
 * source byte that is the same byte, or the backslash or '&' of the escape
 * or entity it was decoded from, except for what the readers put in
 * themselves (DOC_GAP, the blank that joins lines).  And the Markdown
 * aligner must have placed every inline node exactly (doc_stats).  A
 * violation aborts, so the fuzzer reports it as a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "doc.h"
#include "doc_impl.h"
#include "common.h"
#include "lint.h"
#include "parse.h"
#include "prose.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_check {
	doc_sink sink;
	const source *src;
};

static void fuzz_check_text(doc_sink *sink, const ast_text *t)
{
	const source *src = ((struct fuzz_check *)sink)->src;
	for (size_t k = 0; k < t->len; k++) {
		size_t off = ast_text_src_off(t, k);
		char c = t->bytes[k];
		if (t->len - k >= DOC_GAP_LEN && memcmp(t->bytes + k, DOC_GAP, DOC_GAP_LEN) == 0) {
			k += DOC_GAP_LEN - 1;
			continue;
		}
		if (off >= src->len) {
			fprintf(stderr, "fuzz_doc: text byte %zu maps past the end (%zu >= %zu)\n", k, off, src->len);
			abort();
		}
		if (src->text[off] == c || src->text[off] == '\\' || src->text[off] == '&')
			continue;
		if ((c == ' ' || c == '\n') && (src->text[off] == '\n' || src->text[off] == '\r'))
			continue;
		/* an entity's second and later bytes map into its name */
		if (off > 0 && k > 0 && (unsigned char)c >= 0x80)
			continue;
		fprintf(stderr, "fuzz_doc: text byte %zu '%c' maps to source byte %zu '%c'\n", k, c, off,
			src->text[off]);
		abort();
	}
}

static void fuzz_check_directive(doc_sink *sink, const doc_directive *d)
{
	const source *src = ((struct fuzz_check *)sink)->src;
	if (d->span.end > src->len || d->span.start >= d->span.end ||
	    memcmp(src->text + d->span.start, "<!--", 4) != 0 || memcmp(src->text + d->span.end - 3, "-->", 3) != 0) {
		fprintf(stderr, "fuzz_doc: a directive's span [%u, %u) is not its comment\n",
			(unsigned)d->span.start, (unsigned)d->span.end);
		abort();
	}
}

static void fuzz_lint_as(const uint8_t *data, size_t size, const char *name, int lang)
{
	source src;
	diag_list diags;
	lint_opts o;
	source_from_buffer(&src, name, (const char *)data, size);
	diag_list_init(&diags);
	lint_opts_init(&o);
	/*
	 * The prose rules cost most of the time under the fuzzer's
	 * instrumentation; one input in four runs them (lint_one with no rule
	 * set still reads the document), so the readers get four times the
	 * executions.
	 */
	o.prose = size % 4 == 0 ? fuzz_rules("fuzz_doc") : NULL;
	o.lang = lang;
	if (lint_one(&src, &o, &diags) == 0) {
		struct fuzz_check c;
		doc_stats st = { 0 };
		c.sink.text = fuzz_check_text;
		c.sink.directive = fuzz_check_directive;
		c.src = &src;
		if (lang == DOC_MARKDOWN) {
			doc_refusal why;
			if (doc_md_read(&src, &c.sink, &st, &why) != 0)
				abort();        /* lint_one read it: the guard must agree */
		} else
			doc_txt_read(&src, &c.sink, &st);
		if (st.misaligned && !getenv("FUZZ_DOC_LENIENT")) {
			fprintf(stderr, "fuzz_doc: %zu inline node(s) not aligned exactly\n", st.misaligned);
			abort();
		}
	}
	diag_sort(&diags);
	if (fuzz_sink())
		diag_render_text(fuzz_sink(), &diags, (int)(size & 1));
	diag_list_free(&diags);
	source_free(&src);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_lint_as(data, size, "fuzz.md", DOC_MARKDOWN);
	fuzz_lint_as(data, size, "fuzz.txt", DOC_TEXT);
	return 0;
}
