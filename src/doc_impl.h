/*
 * doc_impl.h: the parts of document linting (doc.h) shared by its
 * readers (doc_md.c for Markdown, doc_txt.c for plain text), the driver
 * (doc.c), the unit tests and the fuzz target.
 *
 * A reader turns a document into a stream of prose texts and directive
 * comments, handed to a doc_sink as it goes.  A text is built in a
 * doc_text: its bytes plus a segment map back to the source (ast_text's
 * format), so a prose match anywhere in the text lands on the exact bytes
 * of the original file even when the text skips markup, container
 * prefixes and line breaks.
 *
 * Ownership: a doc_text owns its buffers (dtext_free); the ast_text view
 * a sink receives lives until the reader builds its next text.
 */
#ifndef LOSSC_DOC_IMPL_H
#define LOSSC_DOC_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "source.h"

/*
 * What stands in a text for something skipped inside a sentence (a code
 * span, inline math, an autolink): one character that is neither a word
 * character nor a blank, so no rule's words match it or across it.
 * U+2026 (horizontal ellipsis) reads sensibly when a message quotes it.
 */
#define DOC_GAP "\xE2\x80\xA6"
#define DOC_GAP_LEN 3

/* A `<!-- lossc ... -->` comment as a reader found it. */
typedef struct doc_directive {
	span span;              /* the whole comment, "<!--" to "-->" */
	const char *body;       /* after "lossc", up to "-->", trimmed; not NUL-terminated */
	size_t body_len;
	/*
	 * The lines of the block an `allow` governs: the block that follows a
	 * comment standing alone, or the block a comment sits inside.  0 when
	 * no block follows.
	 */
	unsigned long first_line, last_line;
} doc_directive;

typedef struct doc_sink doc_sink;
struct doc_sink {
	void (*text)(doc_sink *sink, const ast_text *t);
	void (*directive)(doc_sink *sink, const doc_directive *d);
};

/* ---- building a text (doc_text.c) --------------------------------------- */

typedef struct doc_text {
	const source *src;
	char *b;                /* the text, NUL-terminated */
	size_t n, cap;
	ast_text_seg *segs;
	size_t nsegs, scap;
} doc_text;

void dtext_init(doc_text *t, const source *src);
void dtext_free(doc_text *t);
void dtext_reset(doc_text *t);
/* Append n bytes; byte i came from source offset src_off + i. */
void dtext_put(doc_text *t, const char *bytes, size_t n, size_t src_off);
/* Append DOC_GAP for something skipped that starts at src_off. */
void dtext_gap(doc_text *t, size_t src_off);
/* Source offset of text byte k (k == n: one past the last byte). */
size_t dtext_src(const doc_text *t, size_t k);
/* The text as ast_text, for the prose engine (valid until the next change). */
ast_text dtext_view(const doc_text *t);

/*
 * Math: what stays open between texts.  A `$$` that opens a block and is
 * not closed in it runs to the next `$$` in the source (close_at), so a
 * display formula the Markdown parser split into several blocks is
 * skipped whole.
 */
typedef struct doc_math {
	int enabled;            /* Markdown: 1; plain text: 0 */
	size_t close_at;        /* source offset of the closing "$$"; SIZE_MAX: none open */
} doc_math;

/*
 * Finish a text before it is linted: report the lossc comments written
 * inside it (they apply to its block, lines first..last) and drop them,
 * then replace $...$ and $$...$$ math by DOC_GAP.  tmp is scratch space
 * (swapped with t).  Then hands the text to the sink unless it is empty.
 */
void dtext_finish(doc_text *t, doc_text *tmp, doc_math *math, doc_sink *sink,
		  unsigned long first, unsigned long last);

/*
 * If s[0..n) starts with an HTML comment whose first word is "lossc"
 * (`<!--`, blanks, `lossc`, then a blank, ':' or the end of the comment),
 * returns the comment's length (through "-->") and sets the body to what
 * follows "lossc", trimmed.  Returns 0 otherwise.
 */
size_t doc_comment_directive(const char *s, size_t n, const char **body, size_t *body_len);

/* The first occurrence of needle[0..m) in hay[0..n), or NULL (memmem is not POSIX). */
const char *doc_find(const char *hay, size_t n, const char *needle, size_t m);

/* ---- readers ------------------------------------------------------------ */

/* Counters the fuzz target and the unit tests check. */
typedef struct doc_stats {
	size_t misaligned;      /* inline nodes the aligner could not place exactly */
} doc_stats;

/*
 * Constructs the Markdown parser takes quadratic time on (cmark-gfm
 * 0.29.0.gfm.6, fixed in later releases): a reader refuses a document
 * holding one rather than hang.  lossc(1), LIMITS.
 */
#define DOC_MAX_TABLE_COLUMNS 1000      /* cells in a table's delimiter row */
#define DOC_MAX_IMAGE_OPENERS 10000     /* "![" between two blank lines */

/* Why a document was not read (LS030). */
typedef struct doc_refusal {
	span span;
	char why[200];
} doc_refusal;

/*
 * Markdown (CommonMark with GitHub's tables, strikethrough, autolinks and
 * footnotes; YAML or TOML front matter; $ math).  The source must be valid
 * UTF-8 without NUL bytes.  stats may be NULL.  Returns 0, or -1 with why
 * filled when the document holds a construct the parser would take
 * quadratic time on (nothing was read).
 */
int doc_md_read(const source *src, doc_sink *sink, doc_stats *stats, doc_refusal *why);

/* Plain text: paragraphs between blank lines; bare URLs skipped. */
void doc_txt_read(const source *src, doc_sink *sink, doc_stats *stats);

/*
 * Length of a bare URL starting at s[0..n) (http://, https://, ftp://
 * or www.), trailing punctuation excluded as GitHub does; 0 when none.
 */
size_t doc_url_len(const char *s, size_t n);

#endif
