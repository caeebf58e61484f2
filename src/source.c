/*
 * source.c: reading an input into memory, the line map, UTF-8 validation
 * and offset -> (line, column) conversion.
 *
 * Everything here is linear in the size of the input: the file is read by
 * length into one growing buffer, the line map is built in one pass when
 * the source is created, and a position lookup is a binary search over
 * the line map plus a scan of one line's prefix.
 */
#include "source.h"
#include "utf8.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static char *src_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xmalloc(n);
	memcpy(p, s, n);
	return p;
}

/*
 * Where the line after the terminator at p starts, or NULL when p holds no
 * terminator before end.  Every CR, LF or CRLF ends a line (old Mac files
 * end lines with a lone CR, and a file edited on several systems mixes
 * all three).
 */
static const char *src_next_line(const char *p, const char *end)
{
	for (; p < end; p++) {
		if (*p == '\n')
			return p + 1;
		if (*p == '\r')
			return p + 1 < end && p[1] == '\n' ? p + 2 : p + 1;
	}
	return NULL;
}

/*
 * Two passes over the text (count, then record): a BOM is noted, and each
 * line terminator starts a new line.  A text ending in a terminator has a
 * final empty line, so an offset at the very end (an unterminated
 * comment, say) still has a line to name.  A text without any CR takes
 * the memchr path: most files are plain LF.
 */
static void src_build_lines(source *src)
{
	size_t n = 1;
	const char *p = src->text, *end = src->text + src->len;
	int has_cr = memchr(src->text, '\r', src->len) != NULL;

	if (has_cr) {
		while ((p = src_next_line(p, end)) != NULL)
			n++;
	} else {
		while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			n++;
			p++;
		}
	}
	src->line_start = xmalloc(n * sizeof *src->line_start);
	src->line_start[0] = 0;
	src->nlines = 1;
	p = src->text;
	if (has_cr) {
		while ((p = src_next_line(p, end)) != NULL)
			src->line_start[src->nlines++] = (size_t)(p - src->text);
	} else {
		while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			p++;
			src->line_start[src->nlines++] = (size_t)(p - src->text);
		}
	}
	src->body = 0;
	if (src->len >= 3 && (unsigned char)src->text[0] == 0xEF &&
	    (unsigned char)src->text[1] == 0xBB && (unsigned char)src->text[2] == 0xBF)
		src->body = 3;
}

/*
 * Takes ownership of text, which has room for two NULs after the bytes:
 * the scanner reads the text in place (flex's yy_scan_buffer wants two
 * NULs at the end) instead of taking a copy of the whole file.
 */
static void src_init(source *src, const char *path, char *text, size_t len)
{
	memset(src, 0, sizeof *src);
	src->path = src_xstrdup(path);
	src->text = text;
	src->text[len] = '\0';
	src->text[len + 1] = '\0';
	src->len = len;
	src_build_lines(src);
}

void source_from_buffer(source *src, const char *path, const char *bytes, size_t len)
{
	char *text = xmalloc(len + 2);
	if (len)
		memcpy(text, bytes, len);
	src_init(src, path, text, len);
}

/*
 * Read fd to its end.  hint is the expected size (0 if unknown); the
 * buffer grows geometrically past it, so a file that changes under us or
 * a pipe of any size still costs linear time.
 */
static int src_read_fd(int fd, size_t hint, char **out, size_t *outlen)
{
	size_t cap = hint + 1 > 4096 ? hint + 1 : 4096, len = 0;
	char *buf = xmalloc(cap + 2);     /* + the two NULs of src_init */

	for (;;) {
		if (len == cap) {
			if (cap > SIZE_MAX / 2 - 1)
				xalloc_die();   /* GCOVR_EXCL_LINE: a file of half the address space */
			cap *= 2;
			buf = xrealloc(buf, cap + 2);
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

static const char *src_kind_reason(mode_t m)
{
	if (S_ISDIR(m))
		return "is a directory";
	if (S_ISFIFO(m))
		return "is a FIFO (named pipe), not a regular file; to read a pipe, use '-' for standard input";
	/* open(2) of a socket fails (ENXIO) before fstat could see one */
	if (S_ISSOCK(m))
		return "is a socket, not a regular file";      /* GCOVR_EXCL_LINE: see above */
	if (S_ISCHR(m) || S_ISBLK(m))
		return "is a device, not a regular file";
	return "is not a regular file";
}

int source_read(source *src, const char *path, char *why, size_t whylen)
{
	char *text;
	size_t len;

	memset(src, 0, sizeof *src);
	if (strcmp(path, "-") == 0) {
		/* Standard input may be anything the shell connected: read it to EOF. */
		if (src_read_fd(STDIN_FILENO, 0, &text, &len) < 0) {
			snprintf(why, whylen, "cannot read standard input: %s", strerror(errno));
			return -1;
		}
		src_init(src, "<stdin>", text, len);
		return 0;
	}

	/*
	 * O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer forever.  We look at what we opened before reading from it
	 * and accept only regular files.
	 */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		snprintf(why, whylen, "cannot open: %s", strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0) {
		snprintf(why, whylen, "cannot stat: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "%s", src_kind_reason(st.st_mode));
		close(fd);
		return -1;
	}
	size_t hint = st.st_size > 0 && (uintmax_t)st.st_size < SIZE_MAX / 2 ? (size_t)st.st_size : 0;
	if (src_read_fd(fd, hint, &text, &len) < 0) {
		snprintf(why, whylen, "cannot read: %s", strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	src_init(src, path, text, len);
	return 0;
}

void source_free(source *src)
{
	if (!src)
		return;
	free(src->path);
	free(src->text);
	free(src->line_start);
	memset(src, 0, sizeof *src);
}

/*
 * Strict UTF-8 (utf8.h).  NUL is rejected too: the scanner and every
 * string in the tree are NUL-terminated.
 */
int source_check_utf8(const source *src, size_t *bad_off, const char **reason)
{
	const unsigned char *s = (const unsigned char *)src->text;
	size_t n = src->len, i = 0;

	while (i < n) {
		const char *why = NULL;
		size_t len = 0;
		if (s[i] >= 0x01 && s[i] < 0x80)
			len = 1;
		else if (s[i] == 0)
			why = "NUL byte";
		else
			len = utf8_decode(s + i, n - i, NULL, &why);
		if (len == 0) {
			if (bad_off)
				*bad_off = i;
			if (reason)
				*reason = why;
			return -1;
		}
		i += len;
	}
	return 0;
}

/* Index (0-based) of the line holding off: the last line starting at or before it. */
static size_t src_line_index(const source *src, size_t off)
{
	size_t lo = 0, hi = src->nlines;       /* answer in [lo, hi) */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (src->line_start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

unsigned long source_line_of(const source *src, size_t off)
{
	return src->line_start ? (unsigned long)src_line_index(src, off) + 1 : 1;
}

src_pos source_pos(const source *src, size_t off)
{
	src_pos p = { 1, 1 };
	if (!src->line_start)
		return p;
	if (off > src->len)
		off = src->len;
	size_t li = src_line_index(src, off);
	size_t from = src->line_start[li];
	if (li == 0 && from < src->body)
		from = src->body;
	unsigned long col = 1;
	/* Resume from the memo when it is on this line, at or before off. */
	if (src->memo_line == li + 1 && src->memo_off <= off && src->memo_off >= from) {
		from = src->memo_off;
		col = src->memo_col;
	}
	/* A code point is its lead byte: count every byte that is not 10xxxxxx. */
	for (size_t i = from; i < off; i++)
		if (((unsigned char)src->text[i] & 0xC0) != 0x80)
			col++;
	/*
	 * The memo is a cache, not part of the value: updating it through a
	 * const pointer is safe because no source is ever defined const.
	 */
	source *memo = (source *)(uintptr_t)src;
	memo->memo_line = li + 1;
	memo->memo_off = off;
	memo->memo_col = col;
	p.line = (unsigned long)li + 1;
	p.col = col;
	return p;
}

const char *source_line(const source *src, unsigned long line, size_t *len)
{
	if (!src->line_start || line < 1 || line > src->nlines) {
		*len = 0;
		return "";
	}
	size_t start = src->line_start[line - 1];
	size_t end = line < src->nlines ? src->line_start[line] : src->len;
	if (line == 1 && start < src->body)
		start = src->body;
	if (end > start && src->text[end - 1] == '\n')
		end--;
	if (end > start && src->text[end - 1] == '\r' && line < src->nlines)
		end--;          /* the CR of a CRLF, or a lone CR that ended the line */
	*len = end - start;
	return src->text + start;
}
