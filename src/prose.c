/*
 * prose.c: the `.rule` loader and the PCRE2 prose matcher (LS2xx).
 *
 * Loading is strict on purpose: a rule that silently failed to load would
 * silently stop catching what it was written for, so every oddity (an
 * unknown key, a repeated single key, a missing code/pattern/message, a
 * regex PCRE2 rejects) is an error naming the file, the line and, for a
 * regex, the column of the offending character.
 *
 * Matching runs each pattern over the whole joined text of a string item
 * (adjacent pieces included) with one pcre2_match call per match, so a
 * text costs one pass per pattern.  A match context caps backtracking, so
 * a catastrophic user pattern ends with a finding, not a hang.
 */
#define _XOPEN_SOURCE 700      /* realpath */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "prose.h"
#include "utf8.h"
#include "xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LOSSC_DATADIR
#define LOSSC_DATADIR "/usr/local/share/lossc"
#endif
#ifndef LOSSC_SRCDIR
#define LOSSC_SRCDIR "."
#endif

struct prose_set {
	prose_rule *rules;
	size_t n, cap;
	pcre2_match_context *mctx;
	pcre2_match_data *md;
	pcre2_jit_stack *jit_stack;
	pcre2_compile_context *cctx;
	unsigned long load;     /* number of prose_load_* calls so far */
};

/* ---- small helpers ---------------------------------------------------- */

static char *prose_strndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static void prose_err(char *err, size_t errlen, const char *path, unsigned long line,
		      unsigned long col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void prose_err(char *err, size_t errlen, const char *path, unsigned long line,
		      unsigned long col, const char *fmt, ...)
{
	int k;
	va_list ap;
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
	va_start(ap, fmt);
	vsnprintf(err + k, errlen - (size_t)k, fmt, ap);
	va_end(ap);
}

/* Length of a valid, non-NUL UTF-8 character at s[0..n), or 0 when invalid. */
static size_t prose_utf8_len(const unsigned char *s, size_t n)
{
	return s[0] == 0 ? 0 : utf8_decode(s, n, NULL, NULL);
}

/* Column (1-based, in characters) of byte off in a line. */
static unsigned long prose_col(const char *line, size_t off)
{
	unsigned long col = 1;
	size_t i;
	for (i = 0; i < off; i++)
		if (((unsigned char)line[i] & 0xc0) != 0x80)
			col++;
	return col;
}

/* ---- the set ---------------------------------------------------------- */

prose_set *prose_set_new(void)
{
	prose_set *s = xmalloc(sizeof *s);
	memset(s, 0, sizeof *s);
	s->mctx = pcre2_match_context_create(NULL);
	s->md = pcre2_match_data_create(1, NULL);
	s->cctx = pcre2_compile_context_create(NULL);
	if (!s->mctx || !s->md || !s->cctx) {
		xalloc_die();
	}
	pcre2_set_match_limit(s->mctx, PROSE_MATCH_LIMIT);
	pcre2_set_depth_limit(s->mctx, PROSE_DEPTH_LIMIT);
	/* A JIT stack larger than the 32K default, so an honest pattern on a
	   long sentence does not fail for want of stack; NULL when no JIT. */
	s->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (s->jit_stack)
		pcre2_jit_stack_assign(s->mctx, NULL, s->jit_stack);
	return s;
}

static void prose_rule_free(prose_rule *r)
{
	size_t i;
	pcre2_code_free(r->gate);
	for (i = 0; i < r->npats; i++) {
		pcre2_code_free(r->pats[i].code);
		free(r->pats[i].src);
	}
	for (i = 0; i < r->nunless; i++) {
		pcre2_code_free(r->unless[i].code);
		free(r->unless[i].src);
	}
	for (i = 0; i < r->nbad; i++)
		free(r->bad[i].text);
	for (i = 0; i < r->ngood; i++)
		free(r->good[i].text);
	free(r->pats);
	free(r->unless);
	free(r->bad);
	free(r->good);
	free(r->name);
	free(r->title);
	free(r->concept);
	free(r->message);
	free(r->explain);
	free(r->path);
	memset(r, 0, sizeof *r);
}

void prose_set_free(prose_set *set)
{
	size_t i;
	if (!set)
		return;
	for (i = 0; i < set->n; i++)
		prose_rule_free(&set->rules[i]);
	free(set->rules);
	pcre2_match_data_free(set->md);
	pcre2_match_context_free(set->mctx);
	pcre2_compile_context_free(set->cctx);
	if (set->jit_stack)
		pcre2_jit_stack_free(set->jit_stack);
	free(set);
}

size_t prose_count(const prose_set *set)
{
	return set->n;
}

const prose_rule *prose_rule_at(const prose_set *set, size_t i)
{
	return i < set->n ? &set->rules[i] : NULL;
}

const prose_rule *prose_find(const prose_set *set, const char *code)
{
	size_t i;
	for (i = 0; i < set->n; i++)
		if (strcmp(set->rules[i].code, code) == 0)
			return &set->rules[i];
	return NULL;
}

/* ---- the rule-file parser --------------------------------------------- */

enum prose_key {
	K_CODE, K_NAME, K_TITLE, K_SEVERITY, K_CONCEPT, K_SCOPE, K_PATTERN, K_UNLESS,
	K_MESSAGE, K_EXPLAIN, K_BAD, K_GOOD, K_REQUIRE, K_NKEYS
};

static const char *const prose_key_names[K_NKEYS] = {
	"code", "name", "title", "severity", "concept", "scope", "pattern", "unless",
	"message", "explain", "bad", "good", "require"
};

static int prose_key_repeats(int k)
{
	return k == K_PATTERN || k == K_UNLESS || k == K_BAD || k == K_GOOD;
}

/* One "key: value" entry, with continuation lines already joined. */
struct prose_entry {
	int key;
	char *value;
	unsigned long line;
	/* For patterns: the line and byte column where each joined part starts,
	   so a regex error offset maps back to the file. */
	size_t nparts;
	size_t *part_off;       /* offset of each part in value */
	unsigned long *part_line;
	const char **part_src;  /* start of the part in the file's bytes */
};

struct prose_parse {
	const char *path;
	struct prose_entry *e;
	size_t n, cap;
};

static void prose_parse_free(struct prose_parse *p)
{
	size_t i;
	for (i = 0; i < p->n; i++) {
		free(p->e[i].value);
		free(p->e[i].part_off);
		free(p->e[i].part_line);
		free(p->e[i].part_src);
	}
	free(p->e);
}

/*
 * The value part of a line: leading blanks dropped, a trailing comment
 * (a '#' after a blank) and trailing blanks cut.  "\#" keeps a literal
 * '#': patterns keep the backslash (PCRE2 reads "\#" as '#'), other
 * values drop it.  Writes into out (at least n+1 bytes); returns length.
 * *lead gets the number of source bytes skipped at the start.
 */
static size_t prose_clean_value(const char *s, size_t n, int is_pattern, char *out, size_t *lead)
{
	size_t i = 0, k = 0, last_nonblank = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	*lead = i;
	for (; i < n; i++) {
		char c = s[i];
		if (c == '\\' && i + 1 < n && s[i + 1] == '#') {
			if (is_pattern)
				out[k++] = '\\';
			out[k++] = '#';
			i++;
			last_nonblank = k;
			continue;
		}
		if (c == '\\' && i + 1 < n && is_pattern) {
			/* keep any escape pair intact so "\ #" style never splits */
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

static int prose_split_lines(struct prose_parse *p, const char *bytes, size_t len,
			     char *err, size_t errlen)
{
	size_t pos = 0;
	unsigned long lineno = 0;
	struct prose_entry *cur = NULL;
	int after_blank = 0;
	char *buf = NULL;

	while (pos < len) {
		size_t eol = pos, n, vlen, lead, i;
		const char *line = bytes + pos;
		lineno++;
		while (eol < len && bytes[eol] != '\n')
			eol++;
		n = eol - pos;
		pos = eol < len ? eol + 1 : eol;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		for (i = 0; i < n;) {
			size_t l = prose_utf8_len((const unsigned char *)line + i, n - i);
			if (l == 0) {
				if (line[i])
					prose_err(err, errlen, p->path, lineno, prose_col(line, i),
						  "invalid UTF-8 byte 0x%02x", (unsigned)(unsigned char)line[i]);
				else
					prose_err(err, errlen, p->path, lineno, prose_col(line, i), "NUL byte");
				free(buf);
				return -1;
			}
			i += l;
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
		if (i > 0) {                /* continuation */
			int pat;
			size_t old;
			if (!cur) {
				prose_err(err, errlen, p->path, lineno, 1,
					  after_blank ? "continuation line after a blank line (a blank line ends a value)"
						      : "continuation line without a key before it");
				free(buf);
				return -1;
			}
			pat = cur->key == K_PATTERN || cur->key == K_UNLESS;
			vlen = prose_clean_value(line, n, pat, buf, &lead);
			if (vlen == 0)
				continue;
			old = strlen(cur->value);
			if (cur->key == K_EXPLAIN && vlen == 1 && buf[0] == '.') {
				cur->value = xrealloc(cur->value, old + 3);
				memcpy(cur->value + old, "\n\n", 3);
				continue;
			}
			cur->value = xrealloc(cur->value, old + vlen + 2);
			if (!pat && old > 0 && cur->value[old - 1] != '\n')
				cur->value[old++] = ' ';
			memcpy(cur->value + old, buf, vlen + 1);
			if (pat) {
				cur->part_off = xrealloc(cur->part_off, (cur->nparts + 1) * sizeof *cur->part_off);
				cur->part_line = xrealloc(cur->part_line, (cur->nparts + 1) * sizeof *cur->part_line);
				cur->part_src = xrealloc(cur->part_src, (cur->nparts + 1) * sizeof *cur->part_src);
				cur->part_off[cur->nparts] = old;
				cur->part_line[cur->nparts] = lineno;
				cur->part_src[cur->nparts] = line + lead;
				cur->nparts++;
			}
			continue;
		}
		after_blank = 0;
		{
			size_t k = 0, c;
			int key = -1, j;
			while (k < n && (islower((unsigned char)line[k]) || line[k] == '_' || line[k] == '-'))
				k++;
			c = k;
			while (c < n && (line[c] == ' ' || line[c] == '\t'))
				c++;
			if (k == 0 || c >= n || line[c] != ':') {
				prose_err(err, errlen, p->path, lineno, 1,
					  "expected 'key: value' (keys: code name title severity concept scope "
					  "pattern unless message explain bad good require)");
				free(buf);
				return -1;
			}
			for (j = 0; j < K_NKEYS; j++)
				if (strlen(prose_key_names[j]) == k && memcmp(prose_key_names[j], line, k) == 0)
					key = j;
			if (key < 0) {
				prose_err(err, errlen, p->path, lineno, 1, "unknown key '%.*s'", (int)k, line);
				free(buf);
				return -1;
			}
			if (!prose_key_repeats(key)) {
				size_t e;
				for (e = 0; e < p->n; e++)
					if (p->e[e].key == key) {
						prose_err(err, errlen, p->path, lineno, 1,
							  "'%s' given twice (first on line %lu); only pattern, unless, bad and good repeat",
							  prose_key_names[key], p->e[e].line);
						free(buf);
						return -1;
					}
			}
			if (p->n == p->cap) {
				p->cap = p->cap ? 2 * p->cap : 16;
				p->e = xrealloc(p->e, p->cap * sizeof *p->e);
			}
			cur = &p->e[p->n++];
			memset(cur, 0, sizeof *cur);
			cur->key = key;
			cur->line = lineno;
			vlen = prose_clean_value(line + c + 1, n - c - 1, key == K_PATTERN || key == K_UNLESS, buf, &lead);
			cur->value = prose_strndup(buf, vlen);
			if (key == K_PATTERN || key == K_UNLESS) {
				cur->part_off = xmalloc(sizeof *cur->part_off);
				cur->part_line = xmalloc(sizeof *cur->part_line);
				cur->part_src = xmalloc(sizeof *cur->part_src);
				cur->part_off[0] = 0;
				cur->part_line[0] = lineno;
				cur->part_src[0] = line;
				cur->nparts = 1;
				/* remember where the value starts on its line */
				cur->part_src[0] = line + c + 1 + lead;
			}
		}
	}
	free(buf);
	return 0;
}

/* Map a regex error offset inside a joined pattern back to file line:col. */
static void prose_pattern_where(const struct prose_entry *e, const char *file_bytes, size_t off,
				unsigned long *line, unsigned long *col)
{
	size_t i = 0, j;
	const char *ls;
	for (j = 0; j < e->nparts; j++)
		if (e->part_off[j] <= off)
			i = j;
	*line = e->part_line[i];
	ls = e->part_src[i];
	while (ls > file_bytes && ls[-1] != '\n')
		ls--;
	*col = prose_col(ls, (size_t)(e->part_src[i] - ls) + (off - e->part_off[i]));
}

static int prose_valid_code(const char *s)
{
	size_t n = strlen(s), i = 0;
	if (n < 2 || n > 7)
		return 0;
	while (i < n && isupper((unsigned char)s[i]))
		i++;
	if (i < 2 || i == n)
		return 0;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	return i == n;
}

static int prose_parse_scope(const char *v, unsigned *scope)
{
	const char *p = v;
	*scope = 0;
	while (*p) {
		size_t n;
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			break;
		n = strcspn(p, " \t,");
#define SCOPE_IS(w) (n == strlen(w) && strncmp(p, w, n) == 0)
		if (SCOPE_IS("about"))
			*scope |= PROSE_SCOPE_ABOUT;
		else if (SCOPE_IS("because"))
			*scope |= PROSE_SCOPE_BECAUSE;
		else if (SCOPE_IS("setup"))
			*scope |= PROSE_SCOPE_SETUP;
		else if (SCOPE_IS("source"))
			*scope |= PROSE_SCOPE_SOURCE;
		else if (SCOPE_IS("other") || SCOPE_IS("cares_about"))
			*scope |= PROSE_SCOPE_OTHER;
		else if (SCOPE_IS("prose"))
			*scope |= PROSE_SCOPE_ALL;
		else
			return -1;
#undef SCOPE_IS
		p += n;
	}
	return *scope ? 0 : -1;
}

static int prose_compile(prose_set *set, const struct prose_entry *e, const char *path,
			 const char *file_bytes, prose_pattern *out, char *err, size_t errlen)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *code;
	size_t minlen = 0;
	code = pcre2_compile((PCRE2_SPTR)e->value, PCRE2_ZERO_TERMINATED,
			     PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP, &ec, &eo, set->cctx);
	if (!code) {
		PCRE2_UCHAR msg[256];
		unsigned long line, col;
		pcre2_get_error_message(ec, msg, sizeof msg);
		prose_pattern_where(e, file_bytes, eo, &line, &col);
		prose_err(err, errlen, path, line, col, "bad %s regex at offset %lu: %s",
			  prose_key_names[e->key], (unsigned long)eo, (const char *)msg);
		return -1;
	}
	pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &minlen);
	if (minlen == 0) {
		prose_err(err, errlen, path, e->line, 0,
			  "%s '%s' can match the empty string; a rule must match some text",
			  prose_key_names[e->key], e->value);
		pcre2_code_free(code);
		return -1;
	}
	/* JIT when the library has it; the interpreter is the fallback. */
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	out->code = code;
	out->src = prose_strndup(e->value, strlen(e->value));
	out->line = e->line;
	return 0;
}

/*
 * "require: w1, w2 ...": a speed hint.  The rule's patterns run on a text
 * only when one of the words occurs in it (anywhere, in any case), so a
 * rule whose every match must contain "align" skips the texts that do
 * not.  Words are literal; `lossc rules --test` checks that every bad
 * example passes the gate, so a wrong hint shows up as a failing example.
 */
static int prose_gate(prose_set *set, prose_rule *r, const char *v, const char *path, unsigned long line,
		      char *err, size_t errlen)
{
	size_t n = strlen(v), k = 0, i;
	char *re = xmalloc(4 * n + 16);
	int ec, words = 0;
	PCRE2_SIZE eo;
	for (i = 0; i < n;) {
		size_t w;
		while (i < n && (v[i] == ',' || v[i] == ' ' || v[i] == '\t'))
			i++;
		w = i;
		while (i < n && v[i] != ',' && v[i] != ' ' && v[i] != '\t')
			i++;
		if (i == w)
			break;
		k += (size_t)sprintf(re + k, "%s\\Q%.*s\\E", words ? "|" : "", (int)(i - w), v + w);
		words++;
	}
	re[k] = '\0';
	r->gate = pcre2_compile((PCRE2_SPTR)re, k, PCRE2_CASELESS | PCRE2_UTF, &ec, &eo, set->cctx);
	free(re);
	if (!r->gate || !words) {
		prose_err(err, errlen, path, line, 0, "'require' needs one or more literal words");
		return -1;
	}
	(void)pcre2_jit_compile(r->gate, PCRE2_JIT_COMPLETE);
	return 0;
}

static int prose_build_rule(prose_set *set, struct prose_parse *p, const char *file_bytes,
			    prose_rule *r, char *err, size_t errlen)
{
	size_t i;
	const struct prose_entry *code_e = NULL, *msg_e = NULL;
	memset(r, 0, sizeof *r);
	r->sev = SEV_WARNING;
	r->scope = PROSE_SCOPE_ALL;
	r->path = prose_strndup(p->path, strlen(p->path));
	for (i = 0; i < p->n; i++) {
		struct prose_entry *e = &p->e[i];
		if (e->value[0] == '\0') {
			prose_err(err, errlen, p->path, e->line, 0, "'%s' has an empty value",
				  prose_key_names[e->key]);
			return -1;
		}
		switch (e->key) {
		case K_CODE:
			if (!prose_valid_code(e->value)) {
				prose_err(err, errlen, p->path, e->line, 0,
					  "code '%s' is not of the form LETTERS+DIGITS (at most 7 characters, e.g. LS901)",
					  e->value);
				return -1;
			}
			if (codes_find(e->value)) {
				prose_err(err, errlen, p->path, e->line, 0,
					  "code %s belongs to a built-in check; a rule file may not take it",
					  e->value);
				return -1;
			}
			strcpy(r->code, e->value);
			code_e = e;
			break;
		case K_NAME:
			r->name = prose_strndup(e->value, strlen(e->value));
			break;
		case K_TITLE:
			r->title = prose_strndup(e->value, strlen(e->value));
			break;
		case K_CONCEPT:
			r->concept = prose_strndup(e->value, strlen(e->value));
			break;
		case K_MESSAGE:
			r->message = prose_strndup(e->value, strlen(e->value));
			msg_e = e;
			break;
		case K_EXPLAIN:
			r->explain = prose_strndup(e->value, strlen(e->value));
			break;
		case K_SEVERITY: {
			int s = diag_severity_parse(e->value);
			if (s < SEV_INFO) {
				prose_err(err, errlen, p->path, e->line, 0,
					  "severity '%s' is not one of error, warning, info", e->value);
				return -1;
			}
			r->sev = (diag_severity)s;
			break;
		}
		case K_SCOPE:
			if (prose_parse_scope(e->value, &r->scope) != 0) {
				prose_err(err, errlen, p->path, e->line, 0,
					  "scope '%s': use about, because, setup, source, other, or prose (all)",
					  e->value);
				return -1;
			}
			break;
		case K_PATTERN:
		case K_UNLESS: {
			prose_pattern **arr = e->key == K_PATTERN ? &r->pats : &r->unless;
			size_t *cnt = e->key == K_PATTERN ? &r->npats : &r->nunless;
			*arr = xrealloc(*arr, (*cnt + 1) * sizeof **arr);
			if (prose_compile(set, e, p->path, file_bytes, &(*arr)[*cnt], err, errlen) != 0)
				return -1;
			(*cnt)++;
			break;
		}
		case K_REQUIRE:
			if (prose_gate(set, r, e->value, p->path, e->line, err, errlen) != 0)
				return -1;
			break;
		case K_BAD:
		case K_GOOD: {
			prose_example **arr = e->key == K_BAD ? &r->bad : &r->good;
			size_t *cnt = e->key == K_BAD ? &r->nbad : &r->ngood;
			*arr = xrealloc(*arr, (*cnt + 1) * sizeof **arr);
			/* Zeroed slack after the text: PCRE2's JIT reads the subject in
			   16-byte blocks, which valgrind flags past a tight malloc. */
			{
				size_t n = strlen(e->value);
				char *t = xmalloc(n + 64);
				memcpy(t, e->value, n);
				memset(t + n, 0, 64);
				(*arr)[*cnt].text = t;
			}
			(*arr)[*cnt].line = e->line;
			(*cnt)++;
			break;
		}
		}
	}
	if (!code_e) {
		prose_err(err, errlen, p->path, 0, 0, "no 'code:' line (every rule needs a code such as LS901)");
		return -1;
	}
	if (r->npats == 0) {
		prose_err(err, errlen, p->path, 0, 0, "rule %s has no 'pattern:' line", r->code);
		return -1;
	}
	if (!msg_e) {
		prose_err(err, errlen, p->path, 0, 0, "rule %s has no 'message:' line", r->code);
		return -1;
	}
	if (!r->name)
		r->name = prose_strndup(r->code, strlen(r->code));
	if (!r->title) {
		char *t;
		r->title = prose_strndup(r->name, strlen(r->name));
		for (t = r->title; *t; t++)
			if (*t == '-' || *t == '_')
				*t = ' ';
	}
	return 0;
}

static int prose_cmp_rule(const void *a, const void *b)
{
	return strcmp(((const prose_rule *)a)->code, ((const prose_rule *)b)->code);
}

/*
 * Add r to the set: replaces a rule with the same code from an earlier
 * directory; a clash within the current directory (same load) is an error.
 */
static int prose_add(prose_set *set, prose_rule *r, char *err, size_t errlen)
{
	size_t i;
	r->load = set->load;
	for (i = 0; i < set->n; i++) {
		if (strcmp(set->rules[i].code, r->code) != 0)
			continue;
		if (set->rules[i].load == set->load) {
			prose_err(err, errlen, r->path, 0, 0, "code %s is also used by %s in the same directory",
				  r->code, set->rules[i].path);
			return -1;
		}
		prose_rule_free(&set->rules[i]);
		set->rules[i] = *r;
		return 0;
	}
	if (set->n == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 16;
		set->rules = xrealloc(set->rules, set->cap * sizeof *set->rules);
	}
	set->rules[set->n++] = *r;
	return 0;
}

static int prose_load_one(prose_set *set, const char *path, const char *bytes, size_t len,
			  int builtin, char *err, size_t errlen)
{
	struct prose_parse p;
	prose_rule r;
	int rc = -1;
	memset(&p, 0, sizeof p);
	p.path = path;
	if (prose_split_lines(&p, bytes, len, err, errlen) == 0) {
		if (prose_build_rule(set, &p, bytes, &r, err, errlen) == 0) {
			r.builtin = builtin;
			if (prose_add(set, &r, err, errlen) == 0)
				rc = 0;
			else
				prose_rule_free(&r);
		} else {
			prose_rule_free(&r);
		}
	}
	prose_parse_free(&p);
	return rc;
}

int prose_load_buffer(prose_set *set, const char *path, const char *bytes, size_t len,
		      int builtin, char *err, size_t errlen)
{
	int rc;
	set->load++;
	rc = prose_load_one(set, path, bytes, len, builtin, err, errlen);
	if (set->n > 1)          /* qsort(NULL, 0, ...) is undefined: an empty set has no array */
		qsort(set->rules, set->n, sizeof *set->rules, prose_cmp_rule);
	return rc;
}

static int prose_read_file(const char *path, char **out, size_t *outlen, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	struct stat st;
	if (!fp) {
		prose_err(err, errlen, path, 0, 0, "cannot read rule file: %s", strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) == 0 && !S_ISREG(st.st_mode)) {
		fclose(fp);
		prose_err(err, errlen, path, 0, 0, "cannot read rule file: not a regular file");
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
		prose_err(err, errlen, path, 0, 0, "cannot read rule file: %s", strerror(errno));
		fclose(fp);
		free(buf);
		return -1;
	}
	fclose(fp);
	*out = buf;
	*outlen = n;
	return 0;
}

static int prose_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int prose_load_dir(prose_set *set, const char *dir, int builtin, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;
	set->load++;
	if (!d) {
		prose_err(err, errlen, dir, 0, 0, "cannot open rule directory: %s", strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l < 6 || strcmp(de->d_name + l - 5, ".rule") != 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = prose_strndup(de->d_name, l);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, prose_cmp_str);
	for (i = 0; i < n && rc == 0; i++) {
		size_t dl = strlen(dir), len;
		char *path = xmalloc(dl + strlen(names[i]) + 2), *bytes;
		sprintf(path, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", names[i]);
		if (prose_read_file(path, &bytes, &len, err, errlen) != 0) {
			rc = -1;
		} else {
			rc = prose_load_one(set, path, bytes, len, builtin, err, errlen);
			free(bytes);
		}
		free(path);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (set->n > 1)
		qsort(set->rules, set->n, sizeof *set->rules, prose_cmp_rule);
	return rc;
}

/* ---- finding the built-in rules --------------------------------------- */

static int prose_is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* buf names an existing directory: canonicalise it in place (for messages) and return it. */
static const char *prose_found(char *buf, size_t size)
{
	char real[PATH_MAX];
	if (realpath(buf, real) && strlen(real) < size)
		strcpy(buf, real);
	return buf;
}

const char *prose_builtin_dir(void)
{
	static char buf[PATH_MAX + 64];
	char exe[PATH_MAX];
	ssize_t n;
	const char *env = getenv("LOSSC_RULES_DIR");
	if (env && *env)
		return prose_is_dir(env) ? env : NULL;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
#ifdef LOSSC_BUILDDIR
		{
			/* Running from the build tree: the source tree's rules are the
			   ones being developed, even when an older copy is installed. */
			char real_build[PATH_MAX];
			if (realpath(LOSSC_BUILDDIR, real_build) && strcmp(real_build, exe) == 0) {
				snprintf(buf, sizeof buf, "%s/rules", LOSSC_SRCDIR);
				if (prose_is_dir(buf))
					return prose_found(buf, sizeof buf);
			}
		}
#endif
	}
#ifdef LOSSC_DATADIR
	snprintf(buf, sizeof buf, "%s/rules", LOSSC_DATADIR);
	if (prose_is_dir(buf))
		return prose_found(buf, sizeof buf);
#endif
#ifdef LOSSC_SRCDIR
	snprintf(buf, sizeof buf, "%s/rules", LOSSC_SRCDIR);
	if (prose_is_dir(buf))
		return prose_found(buf, sizeof buf);
#endif
	if (n > 0) {
		snprintf(buf, sizeof buf, "%s/rules", exe);
		if (prose_is_dir(buf))
			return prose_found(buf, sizeof buf);
		snprintf(buf, sizeof buf, "%s/../share/lossc/rules", exe);
		if (prose_is_dir(buf))
			return prose_found(buf, sizeof buf);
	}
	return NULL;
}

/* ---- matching ---------------------------------------------------------- */

static int prose_is_end_punct(char c)
{
	return c == '.' || c == '!' || c == '?';
}

static int prose_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The sentence around [s, e): after the previous ". " up to and including the next end mark. */
static void prose_sentence(const char *t, size_t len, size_t s, size_t e, size_t *ss, size_t *se)
{
	size_t a = s, b = e;
	while (a > 0 && !(prose_is_end_punct(t[a - 1]) && (a >= len || prose_is_space(t[a]))))
		a--;
	while (b < len && !(prose_is_end_punct(t[b]) && (b + 1 >= len || prose_is_space(t[b + 1]))))
		b++;
	if (b < len)
		b++;
	*ss = a;
	*se = b;
}

static int prose_unless(prose_set *set, const prose_rule *r, const char *t, size_t ss, size_t se)
{
	size_t i;
	for (i = 0; i < r->nunless; i++) {
		int rc = pcre2_match(r->unless[i].code, (PCRE2_SPTR)(t + ss), se - ss, 0,
				     PCRE2_NO_UTF_CHECK, set->md, set->mctx);
		if (rc >= 0)
			return 1;
		if (rc == PCRE2_ERROR_NOMEMORY)
			xalloc_die();   /* GCOVR_EXCL_LINE: PCRE2's own malloc failing (tests/fault injects only lossc's) */
	}
	return 0;
}

/* Advance past one UTF-8 character. */
static size_t prose_next_char(const char *t, size_t len, size_t i)
{
	if (i >= len)
		return len + 1;
	i++;
	while (i < len && ((unsigned char)t[i] & 0xc0) == 0x80)
		i++;
	return i;
}

/*
 * One pattern over t[from..to) (offsets relative to t).  Returns 0, or 1
 * on a limit with *where set.
 */
static int prose_scan(prose_set *set, const prose_rule *r, pcre2_code *code, const char *t,
		      size_t from, size_t to, uint32_t opts, prose_hit_fn hit, void *ctx, size_t *where)
{
	size_t off = from;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(set->md);
	while (off <= to) {
		size_t ms, me, ss, se;
		int rc = pcre2_match(code, (PCRE2_SPTR)t, to, off, opts | PCRE2_NO_UTF_CHECK, set->md,
				     set->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			return 0;
		if (rc == PCRE2_ERROR_NOMEMORY)   /* not the pattern's fault: no LS200 */
			xalloc_die();   /* GCOVR_EXCL_LINE: PCRE2's own malloc failing (tests/fault injects only lossc's) */
		if (rc < 0) {
			*where = off;
			return 1;
		}
		ms = ov[0];
		me = ov[1];
		if (me <= ms) {
			/* Empty match (only possible past lookarounds/\K): never a finding. */
			off = prose_next_char(t, to, ms > off ? ms : off);
			continue;
		}
		if (r->nunless) {
			prose_sentence(t, to, ms, me, &ss, &se);
			if (prose_unless(set, r, t, ss, se)) {
				off = me;
				continue;
			}
		}
		hit(ms, me, ctx);
		off = me;
	}
	return 0;
}

int prose_match(prose_set *set, const prose_rule *r, const char *text, size_t len,
		prose_hit_fn hit, void *ctx, size_t *gave_up_at)
{
	size_t i;
	/* The gate: a text without any required word cannot match. */
	if (r->gate && pcre2_match(r->gate, (PCRE2_SPTR)text, len, 0, PCRE2_NO_UTF_CHECK, set->md, set->mctx) < 0)
		return 0;
	for (i = 0; i < r->npats; i++) {
		size_t where = 0;
		pcre2_code *code = r->pats[i].code;
		if (prose_scan(set, r, code, text, 0, len, 0, hit, ctx, &where) == 0)
			continue;
		/*
		 * The limit counts all start positions of one call, so an honest
		 * pattern over a huge text can exhaust it.  Retry the rest of the
		 * text sentence by sentence (windows of at most PROSE_WINDOW
		 * bytes); a window that still fails means the pattern itself is
		 * the problem.
		 */
		if (len - where <= PROSE_WINDOW) {
			*gave_up_at = where;
			return 1;
		}
		while (where < len) {
			size_t end = where, hard = where + PROSE_WINDOW, w2 = 0;
			if (hard >= len) {
				end = len;
			} else {
				while (end < hard && !(prose_is_end_punct(text[end]) &&
						       prose_is_space(text[end + 1])))
					end++;
				if (end < hard) {
					end += 2;       /* the mark and the blank after it */
				} else {
					/* no sentence end: cut after a blank, so \b stays honest */
					while (end > where && !prose_is_space(text[end - 1]))
						end--;
					if (end == where)
						end = hard;
					while (end < len && ((unsigned char)text[end] & 0xc0) == 0x80)
						end++;
				}
			}
			/* '$' must not match at a window's artificial end */
			if (prose_scan(set, r, code, text, where, end, end < len ? PCRE2_NOTEOL : 0,
				       hit, ctx, &w2) != 0) {
				*gave_up_at = w2;
				return 1;
			}
			where = end;
		}
	}
	return 0;
}

char *prose_format_message(const prose_rule *r, const char *m, size_t mlen)
{
	/* The match, whitespace runs collapsed and long matches shortened. */
	char mbuf[128];
	size_t k = 0, i, cap, n = 0;
	const char *p;
	char *out;
	int sp = 0;
	/* An iteration writes up to two bytes (a blank and a character), and
	   "..." and the NUL follow: stop while both still fit. */
	for (i = 0; i < mlen && k + 2 + 4 <= sizeof mbuf; i++) {
		char c = m[i];
		if (prose_is_space(c)) {
			sp = 1;
			continue;
		}
		if (sp && k > 0)
			mbuf[k++] = ' ';
		sp = 0;
		if ((unsigned char)c < 0x20)
			c = ' ';
		mbuf[k++] = c;
	}
	if (i < mlen) {
		while (k > 0 && ((unsigned char)mbuf[k - 1] & 0xc0) == 0x80)
			k--;
		if (k > 0 && ((unsigned char)mbuf[k - 1] & 0x80))
			k--;
		memcpy(mbuf + k, "...", 3);
		k += 3;
	}
	mbuf[k] = '\0';
	cap = strlen(r->message) + 1;
	for (p = r->message; (p = strstr(p, "{match}")) != NULL; p += 7)
		cap += k;
	out = xmalloc(cap);
	for (p = r->message; *p;) {
		if (strncmp(p, "{match}", 7) == 0) {
			memcpy(out + n, mbuf, k);
			n += k;
			p += 7;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	return out;
}

struct prose_run {
	prose_set *set;
	const source *src;
	diag_list *diags;
	unsigned char *off;     /* per rule: not run (disabled, or gave up in this file) */
	const prose_rule *rule; /* the rule being matched, for the hit callback */
	const ast_text *text;
};

prose_run *prose_run_new(prose_set *set, const source *src, diag_list *diags,
			 int (*enabled)(const char *code, void *ctx), void *ectx)
{
	prose_run *run = xmalloc(sizeof *run);
	size_t i;
	run->set = set;
	run->src = src;
	run->diags = diags;
	run->off = xmalloc(set->n);
	for (i = 0; i < set->n; i++)
		run->off[i] = enabled && !enabled(set->rules[i].code, ectx);
	run->rule = NULL;
	run->text = NULL;
	return run;
}

void prose_run_free(prose_run *run)
{
	if (!run)
		return;
	free(run->off);
	free(run);
}

static void prose_run_hit(size_t s, size_t e, void *vrun)
{
	prose_run *run = vrun;
	span sp = ast_text_src_span(run->text, s, e);
	char *msg = prose_format_message(run->rule, run->text->bytes + s, e - s);
	diag_add(run->diags, run->src, sp, run->rule->sev, run->rule->code, "%s", msg);
	free(msg);
}

/*
 * Rules inner: the text stays in cache while every rule reads it.  A rule
 * that gives up is off for the rest of the run's file (one LS200, not one
 * per text).
 */
void prose_run_text(prose_run *run, const ast_text *t, unsigned scope)
{
	prose_set *set = run->set;
	size_t ri;
	run->text = t;
	for (ri = 0; ri < set->n; ri++) {
		const prose_rule *r = &set->rules[ri];
		size_t where = 0, k, k1;
		if (run->off[ri] || !(scope & r->scope))
			continue;
		run->rule = r;
		if (!prose_match(set, r, t->bytes, t->len, prose_run_hit, run, &where))
			continue;
		run->off[ri] = 1;
		k = where < t->len ? where : 0;
		k1 = prose_next_char(t->bytes, t->len, k);
		if (k1 > t->len)
			k1 = t->len;
		diag_code(run->diags, run->src, ast_text_src_span(t, k, k1), "LS200",
			  "rule %s (%s, %s) gave up on this text: its pattern needs more "
			  "backtracking than lossc allows; the rule is off for the rest of this file",
			  r->code, r->name, r->path);
	}
}

static unsigned prose_item_scope(const ast_item *it)
{
	switch (it->kind) {
	case IT_ABOUT:
		return PROSE_SCOPE_ABOUT;
	case IT_BECAUSE:
		return PROSE_SCOPE_BECAUSE;
	case IT_SETUP:
		return PROSE_SCOPE_SETUP;
	case IT_SOURCE:
		return PROSE_SCOPE_SOURCE;
	case IT_CARES_ABOUT:
		return it->choice == CARE_OTHER && it->text.bytes ? PROSE_SCOPE_OTHER : 0;
	default:
		return 0;
	}
}

void prose_run_decl(prose_run *run, const ast_decl *d)
{
	const ast_item *it;
	for (it = d->items; it; it = it->next) {
		unsigned sc = prose_item_scope(it);
		if (sc && it->text.bytes)
			prose_run_text(run, &it->text, sc);
	}
}

void prose_check_file(prose_set *set, const ast_file *f, diag_list *diags,
		      int (*enabled)(const char *code, void *ctx), void *ectx)
{
	const ast_decl *d;
	prose_run *run = prose_run_new(set, f->src, diags, enabled, ectx);
	for (d = f->decls; d; d = d->next)
		prose_run_decl(run, d);
	prose_run_free(run);
}

/* ---- testing a rule's examples ---------------------------------------- */

static void prose_count_hit(size_t s, size_t e, void *ctx)
{
	(void)s;
	(void)e;
	(*(size_t *)ctx)++;
}

int prose_test_rule(prose_set *set, const prose_rule *r, FILE *out)
{
	int fails = 0;
	size_t i;
	if (r->nbad == 0) {
		fprintf(out, "%s: error: rule %s has no 'bad:' example\n", r->path, r->code);
		fails++;
	}
	if (r->ngood == 0) {
		fprintf(out, "%s: error: rule %s has no 'good:' example\n", r->path, r->code);
		fails++;
	}
	for (i = 0; i < r->nbad + r->ngood; i++) {
		int bad = i < r->nbad;
		const prose_example *ex = bad ? &r->bad[i] : &r->good[i - r->nbad];
		size_t hits = 0, where = 0;
		if (bad && r->gate && pcre2_match(r->gate, (PCRE2_SPTR)ex->text, strlen(ex->text), 0, 0, set->md,
						  set->mctx) < 0) {
			fprintf(out, "%s:%lu: error: rule %s's 'require' words exclude its bad example: %s\n",
				r->path, ex->line, r->code, ex->text);
			fails++;
		} else if (prose_match(set, r, ex->text, strlen(ex->text), prose_count_hit, &hits, &where)) {
			fprintf(out, "%s:%lu: error: rule %s gave up (match limit) on this example\n",
				r->path, ex->line, r->code);
			fails++;
		} else if (bad && hits == 0) {
			fprintf(out, "%s:%lu: error: rule %s does not fire on its bad example: %s\n",
				r->path, ex->line, r->code, ex->text);
			fails++;
		} else if (!bad && hits > 0) {
			fprintf(out, "%s:%lu: error: rule %s fires on its good example: %s\n",
				r->path, ex->line, r->code, ex->text);
			fails++;
		}
	}
	return fails;
}

prose_set *prose_load_all(const char *const *dirs, size_t ndirs, char *err, size_t errlen)
{
	prose_set *set = prose_set_new();
	const char *builtin = prose_builtin_dir();
	size_t i;
	if (!builtin) {
		snprintf(err, errlen,
			 "lossc: error: cannot find the built-in rules directory (looked in %s/rules and %s/rules); "
			 "set LOSSC_RULES_DIR", LOSSC_DATADIR, LOSSC_SRCDIR);
		prose_set_free(set);
		return NULL;
	}
	if (prose_load_dir(set, builtin, 1, err, errlen) != 0) {
		prose_set_free(set);
		return NULL;
	}
	for (i = 0; i < ndirs; i++)
		if (prose_load_dir(set, dirs[i], 0, err, errlen) != 0) {
			prose_set_free(set);
			return NULL;
		}
	return set;
}
