/*
 * source.h: one input file held in memory, its line map, and the
 * conversion from byte offsets to (line, column).
 *
 * Every location in lossc is a byte range [start, end) into a source's
 * text (a `span`).  Lines and columns are derived only when a finding is
 * rendered.  Lines are 1-based; every LF, CRLF or lone CR ends a line, so
 * a file with old-Mac or mixed line ends numbers its lines as an editor
 * shows them.  Columns are 1-based and count Unicode
 * characters (code points), not bytes, so a caret lines up under the
 * character in a UTF-8 terminal; a tab counts as one column.  A UTF-8 BOM
 * at the start of the file is skipped and does not count.
 *
 * Ownership: a source owns its path copy, its text and its line map;
 * source_free() releases them.  Spans are plain values.
 */
#ifndef LOSSC_SOURCE_H
#define LOSSC_SOURCE_H

#include <stddef.h>
#include <stdint.h>

/*
 * 32-bit offsets: the AST holds several spans per node, and halving them
 * cut peak memory on large specs.  lossc parses files of at most 2 GiB
 * (lossc(1), LIMITS), so every offset fits.
 */
typedef struct span {
	uint32_t start;         /* byte offset of the first byte */
	uint32_t end;           /* byte offset one past the last byte */
} span;

typedef struct src_pos {
	unsigned long line;     /* 1-based */
	unsigned long col;      /* 1-based, in characters */
} src_pos;

typedef struct source {
	char *path;             /* as the user named it; "<stdin>" for '-' */
	char *text;             /* the bytes, plus two NULs not counted in len (the
				   scanner works in place: see grammar/lexer.l) */
	size_t len;
	size_t body;            /* offset where the text proper starts (3 after a BOM, else 0) */
	size_t *line_start;     /* offset of the first byte of each line */
	size_t nlines;
	/*
	 * source_pos's memo of the last position it computed, so positions
	 * asked for in increasing order along one very long line cost linear,
	 * not quadratic, time.  Private to source.c.
	 */
	size_t memo_off, memo_line;     /* memo_line 0: empty */
	unsigned long memo_col;
} source;

/*
 * Reading a file.  On failure returns -1 and writes a one-line, human
 * reason (no path, no trailing newline) into why[0..whylen).  "-" reads
 * standard input.  A directory, FIFO that cannot be read, or a missing
 * file are failures with a clear reason.
 */
int source_read(source *src, const char *path, char *why, size_t whylen);

/* Take a copy of an in-memory buffer (tests, fuzzers); never fails. */
void source_from_buffer(source *src, const char *path, const char *bytes, size_t len);

void source_free(source *src);

/*
 * Validates the text: UTF-8 well-formed (no overlong forms, no surrogates,
 * nothing above U+10FFFF) and free of NUL bytes.  Returns 0 when valid;
 * otherwise -1 with *bad_off set to the offending byte and a reason.
 */
int source_check_utf8(const source *src, size_t *bad_off, const char **reason);

/* The line (1-based) of a byte offset, without the column's cost. */
unsigned long source_line_of(const source *src, size_t off);

/* Position of a byte offset (clamped to the text). */
src_pos source_pos(const source *src, size_t off);

/* The bytes of line `line` (1-based), without its line terminator (LF, CRLF or a lone CR). */
const char *source_line(const source *src, unsigned long line, size_t *len);

#endif
