/*
 * doc.h: linting the prose of documents: Markdown (.md, .markdown) and
 * plain text (.txt), with the same prose rules, codes, selection, config,
 * suppressions and output formats as the texts of a .loss file (owner:
 * documents).
 *
 * Only prose is linted.  In Markdown that is paragraphs, headings, list
 * items, block quotes, table cells, link text, image descriptions and
 * footnote bodies; front matter, code (blocks and spans), raw HTML, link
 * and image destinations, autolinks and bare URLs, and $...$ / $$...$$
 * math are not.  Every finding points at the exact bytes of the original
 * file.  In a document all prose counts as every rule scope.
 *
 * Directives are HTML comments (lossc(1), "Documents"):
 *     <!-- lossc: allow LS211 -- reason -->     the next block
 *     <!-- lossc: allow-file LS2 -- reason -->  the whole file
 *     <!-- lossc off --> ... <!-- lossc on -->  a region
 * An allow or region that silences nothing is LS009; a comment that
 * starts with "lossc" but is not one of these is LS008.
 */
#ifndef LOSSC_DOC_H
#define LOSSC_DOC_H

#include "diag.h"
#include "lint.h"
#include "source.h"

/* What a file is read as: --lang, else the file name's extension. */
typedef enum doc_lang {
	DOC_LOSS = 0,           /* a LossSpec file: the usual pipeline, not this module */
	DOC_MARKDOWN,
	DOC_TEXT
} doc_lang;

/* "loss", "md"/"markdown", "txt"/"text" -> the language; -1 when unknown. */
int doc_lang_parse(const char *name);
/* .md and .markdown are Markdown, .txt plain text (any case), anything else LossSpec (walk_kind). */
doc_lang doc_lang_of_path(const char *path);

/*
 * Lint one document's prose with o->prose, queuing findings in diags
 * (then applying the document's directives).  Returns 0 when it was
 * analyzed, -1 when it could not be (not UTF-8, NUL bytes, too large):
 * LS002 is queued and the caller exits 2, as for a .loss file.
 */
int doc_lint(const source *src, doc_lang lang, const lint_opts *o, diag_list *diags);

#endif
