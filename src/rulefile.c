/*
 * rulefile.c: the `key: value` reader shared by `.rule` and `.words`
 * files.  Strict on purpose: a file that silently lost a line would
 * silently stop catching what it was written for, so every oddity is an
 * error naming the file, the line and the column.
 */
#include "rulefile.h"
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xalloc.h"

char *rf_strndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void rf_verr(char *err, size_t errlen, const char *path, unsigned long line, unsigned long col,
	     const char *fmt, va_list ap)
{
	int k;
	if (!err || errlen == 0)
		return;
	if (line && col)
		k = snprintf(err, errlen, "%s:%lu:%lu: error: ", path, line, col);
	else if (line)
		k = snprintf(err, errlen, "%s:%lu: error: ", path, line);
	else
		k = snprintf(err, errlen, "%s: error: ", path);
	if (k < 0 || (size_t)k >= errlen)
		return;
	vsnprintf(err + k, errlen - (size_t)k, fmt, ap);
}

void rf_err(char *err, size_t errlen, const char *path, unsigned long line, unsigned long col,
	    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	rf_verr(err, errlen, path, line, col, fmt, ap);
	va_end(ap);
}

/* Column (1-based, in characters) of byte off in a line. */
static unsigned long rf_col(const char *line, size_t off)
{
	unsigned long col = 1;
	size_t i;
	for (i = 0; i < off; i++)
		if (((unsigned char)line[i] & 0xc0) != 0x80)
			col++;
	return col;
}

/*
 * The value part of a line: leading blanks dropped, a trailing comment
 * (a '#' after a blank) and trailing blanks cut.  "\#" keeps a literal
 * '#': raw values keep the backslash (PCRE2 reads "\#" as '#'), other
 * values drop it; raw values keep every other escape pair intact.
 * Writes into out (at least n+1 bytes); returns the length.  *lead gets
 * the number of source bytes skipped at the start.
 */
static size_t rf_clean_value(const char *s, size_t n, int raw, char *out, size_t *lead)
{
	size_t i = 0, k = 0, last_nonblank = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	*lead = i;
	for (; i < n; i++) {
		char c = s[i];
		if (c == '\\' && i + 1 < n && s[i + 1] == '#') {
			if (raw)
				out[k++] = '\\';
			out[k++] = '#';
			i++;
			last_nonblank = k;
			continue;
		}
		if (c == '\\' && i + 1 < n && raw) {
			out[k++] = c;
			out[k++] = s[++i];
			last_nonblank = k;
			continue;
		}
		if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t'))
			break;
		out[k++] = c;
		if (c != ' ' && c != '\t')
			last_nonblank = k;
	}
	out[last_nonblank] = '\0';
	return last_nonblank;
}

static void rf_add_part(rf_entry *e, size_t off, unsigned long line, const char *src)
{
	e->part_off = xrealloc(e->part_off, (e->nparts + 1) * sizeof *e->part_off);
	e->part_line = xrealloc(e->part_line, (e->nparts + 1) * sizeof *e->part_line);
	e->part_src = xrealloc(e->part_src, (e->nparts + 1) * sizeof *e->part_src);
	e->part_off[e->nparts] = off;
	e->part_line[e->nparts] = line;
	e->part_src[e->nparts] = src;
	e->nparts++;
}

/* Every character of line[0..n) is valid, non-NUL UTF-8; else -1 with err set. */
static int rf_check_utf8(const char *path, unsigned long lineno, const char *line, size_t n,
			 char *err, size_t errlen)
{
	size_t i, l;
	for (i = 0; i < n; i += l) {
		l = line[i] ? utf8_decode((const unsigned char *)line + i, n - i, NULL, NULL) : 0;
		if (l == 0) {
			if (line[i])
				rf_err(err, errlen, path, lineno, rf_col(line, i), "invalid UTF-8 byte 0x%02x",
				       (unsigned)(unsigned char)line[i]);
			else
				rf_err(err, errlen, path, lineno, rf_col(line, i), "NUL byte");
			return -1;
		}
	}
	return 0;
}

static void rf_key_list(const rf_keys *keys, char *buf, size_t size)
{
	size_t k = 0;
	int j;
	buf[0] = '\0';
	for (j = 0; j < keys->n && k < size; j++)
		k += (size_t)snprintf(buf + k, size - k, "%s%s", j ? " " : "", keys->names[j]);
}

/* A "key:" line: the new entry, or -1 with err set. */
static int rf_key_line(rf_file *f, const rf_keys *keys, const char *line, size_t n, unsigned long lineno,
		       char *buf, char *err, size_t errlen)
{
	size_t k = 0, c, vlen, lead, e;
	int key = -1, j;
	rf_entry *cur;
	while (k < n && (islower((unsigned char)line[k]) || line[k] == '_' || line[k] == '-'))
		k++;
	c = k;
	while (c < n && (line[c] == ' ' || line[c] == '\t'))
		c++;
	if (k == 0 || c >= n || line[c] != ':') {
		char list[512];
		rf_key_list(keys, list, sizeof list);
		rf_err(err, errlen, f->path, lineno, 1, "expected 'key: value' (keys: %s)", list);
		return -1;
	}
	for (j = 0; j < keys->n; j++)
		if (strlen(keys->names[j]) == k && memcmp(keys->names[j], line, k) == 0)
			key = j;
	if (key < 0) {
		rf_err(err, errlen, f->path, lineno, 1, "unknown key '%.*s'", (int)k, line);
		return -1;
	}
	if (!(keys->repeats & (1u << key)))
		for (e = 0; e < f->n; e++)
			if (f->e[e].key == key) {
				rf_err(err, errlen, f->path, lineno, 1, "'%s' given twice (first on line %lu); only %s repeat",
				       keys->names[key], f->e[e].line, keys->kind);
				return -1;
			}
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 16;
		f->e = xrealloc(f->e, f->cap * sizeof *f->e);
	}
	cur = &f->e[f->n++];
	memset(cur, 0, sizeof *cur);
	cur->key = key;
	cur->line = lineno;
	vlen = rf_clean_value(line + c + 1, n - c - 1, (keys->raw >> key) & 1u, buf, &lead);
	cur->value = rf_strndup(buf, vlen);
	rf_add_part(cur, 0, lineno, line + c + 1 + lead);
	return 0;
}

int rf_parse(rf_file *f, const char *path, const char *bytes, size_t len, const rf_keys *keys,
	     char *err, size_t errlen)
{
	size_t pos = 0;
	unsigned long lineno = 0;
	rf_entry *cur = NULL;
	int after_blank = 0, rc = 0;
	char *buf = NULL;

	memset(f, 0, sizeof *f);
	f->path = path;
	f->bytes = bytes;
	while (pos < len && rc == 0) {
		size_t eol = pos, n, vlen, lead, i, old;
		const char *line = bytes + pos;
		int raw;
		lineno++;
		while (eol < len && bytes[eol] != '\n')
			eol++;
		n = eol - pos;
		pos = eol < len ? eol + 1 : eol;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (rf_check_utf8(path, lineno, line, n, err, errlen) != 0) {
			rc = -1;
			break;
		}
		i = 0;
		while (i < n && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == n) {               /* blank: ends a value */
			cur = NULL;
			after_blank = 1;
			continue;
		}
		if (line[i] == '#')         /* comment line */
			continue;
		buf = xrealloc(buf, n + 2);
		if (i == 0) {
			after_blank = 0;
			rc = rf_key_line(f, keys, line, n, lineno, buf, err, errlen);
			cur = rc == 0 ? &f->e[f->n - 1] : NULL;
			continue;
		}
		if (!cur) {                 /* continuation */
			rf_err(err, errlen, path, lineno, 1,
			       after_blank ? "continuation line after a blank line (a blank line ends a value)"
					   : "continuation line without a key before it");
			rc = -1;
			break;
		}
		raw = (keys->raw >> cur->key) & 1u;
		vlen = rf_clean_value(line, n, raw, buf, &lead);
		if (vlen == 0)
			continue;
		old = strlen(cur->value);
		if (((keys->paragraphs >> cur->key) & 1u) && vlen == 1 && buf[0] == '.') {
			cur->value = xrealloc(cur->value, old + 3);
			memcpy(cur->value + old, "\n\n", 3);
			continue;
		}
		cur->value = xrealloc(cur->value, old + vlen + 2);
		if (!raw && old > 0 && cur->value[old - 1] != '\n')
			cur->value[old++] = ' ';
		memcpy(cur->value + old, buf, vlen + 1);
		rf_add_part(cur, old, lineno, line + lead);
	}
	free(buf);
	return rc;
}

void rf_free(rf_file *f)
{
	size_t i;
	for (i = 0; i < f->n; i++) {
		free(f->e[i].value);
		free(f->e[i].part_off);
		free(f->e[i].part_line);
		free(f->e[i].part_src);
	}
	free(f->e);
	memset(f, 0, sizeof *f);
}

void rf_where(const rf_file *f, const rf_entry *e, size_t off, unsigned long *line, unsigned long *col)
{
	size_t i = 0, j;
	const char *ls;
	for (j = 0; j < e->nparts; j++)
		if (e->part_off[j] <= off)
			i = j;
	*line = e->part_line[i];
	ls = e->part_src[i];
	while (ls > f->bytes && ls[-1] != '\n')
		ls--;
	*col = rf_col(ls, (size_t)(e->part_src[i] - ls) + (off - e->part_off[i]));
}

int rf_read_file(const char *path, const char *what, char **out, size_t *outlen, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	struct stat st;
	if (!fp) {
		rf_err(err, errlen, path, 0, 0, "cannot read %s: %s", what, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) == 0 && !S_ISREG(st.st_mode)) {
		fclose(fp);
		rf_err(err, errlen, path, 0, 0, "cannot read %s: not a regular file", what);
		return -1;
	}
	for (;;) {
		size_t got;
		if (cap - n < 4096) {
			cap = cap ? 2 * cap : 8192;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		rf_err(err, errlen, path, 0, 0, "cannot read %s: %s", what, strerror(errno));
		fclose(fp);
		free(buf);
		return -1;
	}
	fclose(fp);
	*out = buf;
	*outlen = n;
	return 0;
}
