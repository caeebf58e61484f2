/*
 * losscrc.c: .losscrc reading and discovery (prefix config_).  Not named
 * config.c: a src/config.h would shadow autoconf's config.h in every
 * `#include "config.h"` made from src/.
 *
 * A file is read in two steps: its lines become (key, value, line)
 * entries, checked against the key table; then, after the file it
 * extends (if any) has been applied, each entry's row applies it.
 */
#define _XOPEN_SOURCE 700      /* realpath */
#include "losscrc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "fmt.h"
#include "glob.h"
#include "path.h"
#include "rulefile.h"
#include "suggest.h"
#include "xalloc.h"

/* How many files an extend chain may hold (a cycle is reported before). */
#define CFG_MAX_EXTEND 16

static void cfg_err(char *err, size_t errlen, const char *path, unsigned long line,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void cfg_err(char *err, size_t errlen, const char *path, unsigned long line,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	rf_verr(err, errlen, path, line, 0, fmt, ap);
	va_end(ap);
}

static char *cfg_dup(const char *s, size_t n)
{
	char *d = xrealloc(NULL, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static void cfg_globs_free(cfg_glob *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(g[i].base);
		free(g[i].pat);
	}
	free(g);
}

void config_free(lconfig *c)
{
	size_t i;
	free(c->path);
	sel_list_free(&c->enable);
	sel_list_free(&c->disable);
	for (i = 0; i < c->nrules; i++)
		free(c->rules[i]);
	free(c->rules);
	free(c->format);
	free(c->severity);
	cfg_globs_free(c->exclude, c->nexclude);
	cfg_globs_free(c->include, c->ninclude);
	for (i = 0; i < c->nfile_ignores; i++) {
		free(c->file_ignores[i].glob.base);
		free(c->file_ignores[i].glob.pat);
		sel_list_free(&c->file_ignores[i].codes);
	}
	free(c->file_ignores);
	for (i = 0; i < c->nrefs; i++)
		free(c->refs[i].file);
	free(c->refs);
	for (i = 0; i < c->nextended; i++)
		free(c->extended[i]);
	free(c->extended);
	memset(c, 0, sizeof *c);
}

/* ---- applying one key ---------------------------------------------------- */

/* What a key's row sees: the config, the file being read, the entry's line. */
struct cfg_ctx {
	lconfig *c;
	const char *file;       /* as named (errors) */
	const char *dir;        /* its directory, as named (rules) */
	const char *dir_abs;    /* absolute and normalized (globs) */
	const char *key;
	unsigned long line;
	char *err;
	size_t errlen;
};

#define CFG_ERR(x, ...) (cfg_err((x)->err, (x)->errlen, (x)->file, (x)->line, __VA_ARGS__), -1)

static int cfg_is_sep(char ch)
{
	return ch == ',' || ch == ' ' || ch == '\t';
}

/* The next word of a list (separated by commas and blanks): its start and length, 0 at the end. */
static size_t cfg_word(const char **p, const char **w)
{
	size_t n = 0;
	while (cfg_is_sep(**p))
		(*p)++;
	*w = *p;
	while ((*p)[n] && !cfg_is_sep((*p)[n]))
		n++;
	*p += n;
	return n;
}

static void cfg_add_ref(struct cfg_ctx *x, const char *pat)
{
	lconfig *c = x->c;
	cfg_code_ref *r;
	c->refs = xrealloc(c->refs, (c->nrefs + 1) * sizeof *c->refs);
	r = &c->refs[c->nrefs++];
	snprintf(r->pat, sizeof r->pat, "%s", pat);
	r->key = x->key;
	r->file = cfg_dup(x->file, strlen(x->file));
	r->line = x->line;
}

/* One code pattern word into normalized form; -1 (error set) when it is not one. */
static int cfg_code(struct cfg_ctx *x, const char *w, size_t n, char out[8])
{
	size_t i, k = 0;
	if (!sel_pattern_ok(w, n))
		return CFG_ERR(x, "'%.*s' in %s is not a finding code or family (such as LS105 or LS2)",
			       (int)(n > 40 ? 40 : n), w, x->key);
	for (i = 0; i < n && w[i] != 'x' && w[i] != 'X'; i++)
		out[k++] = (char)toupper((unsigned char)w[i]);
	out[k] = '\0';
	cfg_add_ref(x, out);
	return 0;
}

static int cfg_fail_on(struct cfg_ctx *x, const char *v)
{
	int s = diag_severity_parse(v);
	if (s < SEV_INFO)
		return CFG_ERR(x, "fail-on '%s' is not one of error, warning, info", v);
	x->c->has_fail_on = 1;
	x->c->fail_on = s;
	return 0;
}

static int cfg_format(struct cfg_ctx *x, const char *v)
{
	if (strcmp(v, "text") && strcmp(v, "json") && strcmp(v, "sarif") && strcmp(v, "github"))
		return CFG_ERR(x, "format '%s' is not one of text, json, sarif, github", v);
	free(x->c->format);
	x->c->format = cfg_dup(v, strlen(v));
	return 0;
}

/* enable / disable: a code named in one list leaves the other (the later word wins). */
static int cfg_codes(struct cfg_ctx *x, const char *v)
{
	int en = strcmp(x->key, "enable") == 0;
	sel_list *to = en ? &x->c->enable : &x->c->disable, *other = en ? &x->c->disable : &x->c->enable;
	const char *w;
	size_t n;
	char pat[8];
	while ((n = cfg_word(&v, &w)) > 0) {
		if (cfg_code(x, w, n, pat) != 0)
			return -1;
		sel_list_remove(other, pat);
		sel_list_push(to, pat);
	}
	return 0;
}

static int cfg_rules(struct cfg_ctx *x, const char *v)
{
	lconfig *c = x->c;
	if (!*v)
		return CFG_ERR(x, "'rules' needs a directory");
	if (c->nrules == CFG_MAX_RULE_DIRS)
		return CFG_ERR(x, "more than %d 'rules' directories (extends included)", CFG_MAX_RULE_DIRS);
	c->rules = xrealloc(c->rules, (c->nrules + 1) * sizeof *c->rules);
	c->rules[c->nrules++] = v[0] == '/' || strcmp(x->dir, ".") == 0 ? cfg_dup(v, strlen(v)) : path_join(x->dir, v);
	return 0;
}

/* severity: LS009=warning, LS2=error */
static int cfg_severity_key(struct cfg_ctx *x, const char *v)
{
	lconfig *c = x->c;
	int any = 0;
	for (;;) {
		const char *w = v, *lv;
		size_t n = 0, ln = 0;
		char pat[8], level[16];
		int sev;
		while (cfg_is_sep(*v))
			v++;
		if (!*v)
			break;
		w = v;
		while (v[n] && v[n] != '=' && !cfg_is_sep(v[n]))
			n++;
		v += n;
		while (*v == ' ' || *v == '\t')
			v++;
		if (*v != '=')
			return CFG_ERR(x, "severity entries are CODE=LEVEL (e.g. 'LS009=warning, LS2=error'), not '%.*s'",
				       (int)(n > 40 ? 40 : n), w);
		v++;
		while (*v == ' ' || *v == '\t')
			v++;
		lv = v;
		while (v[ln] && !cfg_is_sep(v[ln]))
			ln++;
		v += ln;
		if (cfg_code(x, w, n, pat) != 0)
			return -1;
		snprintf(level, sizeof level, "%.*s", (int)(ln < 15 ? ln : 15), lv);
		sev = ln < 15 ? diag_severity_parse(level) : -1;
		if (sev < SEV_INFO)
			return CFG_ERR(x, "severity '%.*s' for %s is not one of error, warning, info",
				       (int)(ln > 40 ? 40 : ln), lv, pat);
		c->severity = xrealloc(c->severity, (c->nseverity + 1) * sizeof *c->severity);
		snprintf(c->severity[c->nseverity].pat, sizeof c->severity[c->nseverity].pat, "%s", pat);
		c->severity[c->nseverity].sev = sev;
		c->nseverity++;
		any = 1;
	}
	if (!any)
		return CFG_ERR(x, "'severity' needs CODE=LEVEL entries (e.g. 'LS009=warning, LS2=error')");
	return 0;
}

static void cfg_glob_set(struct cfg_ctx *x, cfg_glob *g, const char *w, size_t n)
{
	g->base = cfg_dup(x->dir_abs, strlen(x->dir_abs));
	g->pat = cfg_dup(w, n);
}

/* exclude / include: lists of path patterns. */
static int cfg_globs(struct cfg_ctx *x, const char *v)
{
	lconfig *c = x->c;
	int inc = strcmp(x->key, "include") == 0;
	cfg_glob **list = inc ? &c->include : &c->exclude;
	size_t *n_list = inc ? &c->ninclude : &c->nexclude;
	const char *w;
	size_t n;
	int any = 0;
	while ((n = cfg_word(&v, &w)) > 0) {
		*list = xrealloc(*list, (*n_list + 1) * sizeof **list);
		cfg_glob_set(x, &(*list)[(*n_list)++], w, n);
		any = 1;
	}
	if (!any)
		return CFG_ERR(x, "'%s' needs path patterns (e.g. '%s')", x->key,
			       inc ? "docs/**/*.md, MODEL_CARD.md" : "drafts, specs/old/**");
	return 0;
}

/*
 * documents: true (Markdown), md, txt (a list), false.  Which documents a
 * directory walk lints: off unless said, so that turning it on is a
 * decision.  A document named on the command line is always linted.
 */
static int cfg_documents(struct cfg_ctx *x, const char *v)
{
	const char *w;
	size_t n;
	unsigned docs = 0;
	int any = 0;
	while ((n = cfg_word(&v, &w)) > 0) {
		char word[16];
		snprintf(word, sizeof word, "%.*s", (int)(n < 15 ? n : 15), w);
		if (n < 15 && (!strcmp(word, "true") || !strcmp(word, "yes") || !strcmp(word, "md") ||
			       !strcmp(word, "markdown")))
			docs |= CFG_DOC_MARKDOWN;
		else if (n < 15 && (!strcmp(word, "txt") || !strcmp(word, "text")))
			docs |= CFG_DOC_TEXT;
		else if (!(n < 15 && (!strcmp(word, "false") || !strcmp(word, "no") || !strcmp(word, "none"))))
			return CFG_ERR(x, "documents '%.*s' is not one of true, false, md, txt", (int)(n > 40 ? 40 : n), w);
		any = 1;
	}
	if (!any)
		return CFG_ERR(x, "'documents' needs a value: true, false, or md and txt");
	x->c->documents = docs;
	return 0;
}

/* per-file-ignores: GLOB: CODES [GLOB: CODES]... */
static int cfg_file_ignores(struct cfg_ctx *x, const char *v)
{
	lconfig *c = x->c;
	cfg_file_ignore *cur = NULL;
	const char *w;
	size_t n;
	while ((n = cfg_word(&v, &w)) > 0) {
		const char *colon = NULL;
		for (size_t i = 0; i < n; i++)
			if (w[i] == ':')
				colon = w + i;
		if (colon) {
			size_t gl = (size_t)(colon - w);
			if (cur && cur->codes.n == 0)
				return CFG_ERR(x, "per-file-ignores: '%s' names no codes", cur->glob.pat);
			if (gl == 0)
				return CFG_ERR(x, "per-file-ignores: a ':' with no path pattern before it");
			c->file_ignores = xrealloc(c->file_ignores, (c->nfile_ignores + 1) * sizeof *c->file_ignores);
			cur = &c->file_ignores[c->nfile_ignores++];
			memset(cur, 0, sizeof *cur);
			cfg_glob_set(x, &cur->glob, w, gl);
			n -= gl + 1;
			w = colon + 1;
			if (n == 0)
				continue;
		}
		if (!cur)
			return CFG_ERR(x, "per-file-ignores entries are 'GLOB: CODES' (e.g. 'tests/**: LS105, LS107'), not '%.*s'",
				       (int)(n > 40 ? 40 : n), w);
		char pat[8];
		if (cfg_code(x, w, n, pat) != 0)
			return -1;
		sel_list_push(&cur->codes, pat);
	}
	if (!cur)
		return CFG_ERR(x, "per-file-ignores entries are 'GLOB: CODES' (e.g. 'tests/**: LS105, LS107')");
	if (cur->codes.n == 0)
		return CFG_ERR(x, "per-file-ignores: '%s' names no codes", cur->glob.pat);
	return 0;
}

/* extend is read before the other keys (cfg_read); its row only documents it. */
static int cfg_extend_row(struct cfg_ctx *x, const char *v)
{
	(void)x;
	(void)v;
	return 0;
}

/* The keys.  once: at most one per file (a file it extends may set it too). */
/* fmt-width: lossc fmt's line width; a nearer file's value replaces an extended one's. */
static int cfg_fmt_width(struct cfg_ctx *x, const char *v)
{
	char *end;
	long w;
	errno = 0;
	w = strtol(v, &end, 10);
	if (errno || end == v || *end || w < FMT_MIN_WIDTH || w > FMT_MAX_WIDTH)
		return CFG_ERR(x, "fmt-width '%s' is not a number from %d to %d", v, FMT_MIN_WIDTH, FMT_MAX_WIDTH);
	x->c->fmt_width = (unsigned)w;
	return 0;
}

static const struct cfg_key {
	const char *name;
	int (*apply)(struct cfg_ctx *x, const char *v);
	int once;
} cfg_keys[] = {
	{ "fail-on", cfg_fail_on, 1 },
	{ "format", cfg_format, 1 },
	{ "enable", cfg_codes, 0 },
	{ "disable", cfg_codes, 0 },
	{ "rules", cfg_rules, 0 },
	{ "severity", cfg_severity_key, 0 },
	{ "exclude", cfg_globs, 0 },
	{ "documents", cfg_documents, 1 },
	{ "include", cfg_globs, 0 },
	{ "per-file-ignores", cfg_file_ignores, 0 },
	{ "extend", cfg_extend_row, 1 },
	{ "fmt-width", cfg_fmt_width, 1 },
};
#define CFG_NKEYS (sizeof cfg_keys / sizeof cfg_keys[0])

static const struct cfg_key *cfg_find_key(const char *name)
{
	for (size_t i = 0; i < CFG_NKEYS; i++)
		if (strcmp(cfg_keys[i].name, name) == 0)
			return &cfg_keys[i];
	return NULL;
}

static void cfg_key_list(char *buf, size_t n)
{
	size_t k = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < CFG_NKEYS && k < n; i++)
		k += (size_t)snprintf(buf + k, n - k, "%s%s", i ? ", " : "", cfg_keys[i].name);
}

/* ---- reading a file -------------------------------------------------------- */

struct cfg_entry {
	const struct cfg_key *key;
	char *val;
	unsigned long line;
};

struct cfg_entries {
	struct cfg_entry *v;
	size_t n;
};

static void cfg_entries_free(struct cfg_entries *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i].val);
	free(e->v);
}

/* Value of a line: blanks trimmed, a '#' after a blank starts a comment. */
static size_t cfg_value(const char *s, size_t n, const char **start)
{
	size_t i = 0, e;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	*start = s + i;
	for (e = i; e < n; e++)
		if (s[e] == '#' && (e == i || s[e - 1] == ' ' || s[e - 1] == '\t'))
			break;
	while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	return e - i;
}

/* A key that is not in the table: name the closest one, or list them all. */
static int cfg_unknown_key(const char *path, unsigned long line, const char *key, char *err, size_t errlen)
{
	suggest s;
	char keys[256];
	suggest_init(&s, key, strlen(key), strlen(key) <= 4 ? 1 : 2);
	for (size_t i = 0; i < CFG_NKEYS; i++)
		suggest_offer(&s, cfg_keys[i].name);
	cfg_key_list(keys, sizeof keys);
	if (s.best)
		cfg_err(err, errlen, path, line, "unknown key '%s' (did you mean '%s'?)", key, s.best);
	else
		cfg_err(err, errlen, path, line, "unknown key '%s' (keys: %s)", key, keys);
	return -1;
}

/* Split bytes into entries, checking each key and the 'once' rule. */
static int cfg_split(const char *path, const char *bytes, size_t len, struct cfg_entries *out,
		     char *err, size_t errlen)
{
	size_t pos = 0;
	unsigned long lineno = 0;
	struct cfg_entry *cur = NULL;
	size_t vlen = 0;
	char keys[256];
	memset(out, 0, sizeof *out);
	cfg_key_list(keys, sizeof keys);
	while (pos < len) {
		size_t eol = pos, n, l;
		const char *line = bytes + pos, *v;
		lineno++;
		while (eol < len && bytes[eol] != '\n' && bytes[eol] != '\r')
			eol++;
		n = eol - pos;
		pos = eol < len && bytes[eol] == '\r' && eol + 1 < len && bytes[eol + 1] == '\n' ? eol + 2 :
		      eol < len ? eol + 1 : eol;
		if (memchr(line, '\0', n)) {
			cfg_err(err, errlen, path, lineno, "NUL byte in config file");
			return -1;
		}
		l = cfg_value(line, n, &v);
		if (l == 0)
			continue;       /* blank or comment line */
		if (line[0] == ' ' || line[0] == '\t') {
			/* continuation of the current key */
			if (!cur) {
				cfg_err(err, errlen, path, lineno, "continuation line without a key before it");
				return -1;
			}
			cur->val = xrealloc(cur->val, vlen + l + 2);
			cur->val[vlen++] = ' ';
			memcpy(cur->val + vlen, v, l);
			vlen += l;
			cur->val[vlen] = '\0';
			continue;
		}
		size_t k = 0, colon;
		char key[40];
		while (k < n && ((line[k] >= 'a' && line[k] <= 'z') || (line[k] >= 'A' && line[k] <= 'Z') ||
				 line[k] == '-' || line[k] == '_'))
			k++;
		colon = k;
		while (colon < n && (line[colon] == ' ' || line[colon] == '\t'))
			colon++;
		if (k == 0 || colon >= n || line[colon] != ':' || k >= sizeof key) {
			cfg_err(err, errlen, path, lineno, "expected 'key: value' (keys: %s)", keys);
			return -1;
		}
		memcpy(key, line, k);
		key[k] = '\0';
		const struct cfg_key *ck = cfg_find_key(key);
		if (!ck)
			return cfg_unknown_key(path, lineno, key, err, errlen);
		if (ck->once)
			for (size_t i = 0; i < out->n; i++)
				if (out->v[i].key == ck) {
					cfg_err(err, errlen, path, lineno, "'%s' given twice (first on line %lu)", key,
						out->v[i].line);
					return -1;
				}
		out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
		cur = &out->v[out->n++];
		cur->key = ck;
		cur->line = lineno;
		l = cfg_value(line + colon + 1, n - colon - 1, &v);
		cur->val = cfg_dup(v, l);
		vlen = l;
	}
	return 0;
}

static int cfg_read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen,
			 const char *from, unsigned long from_line);

/*
 * Read one file's text into c: the file it extends first, then its own
 * entries.  chain holds the absolute names of the files being read, for
 * cycles.
 */
static int cfg_read(lconfig *c, const char *path, const char *bytes, size_t len, const char **chain,
		    size_t depth, char *err, size_t errlen)
{
	struct cfg_entries es;
	char *dir = path_dirname(path), *dir_abs = path_absolute(dir);
	int rc = 0;
	if (!dir_abs)
		dir_abs = cfg_dup(dir, strlen(dir));
	if (cfg_split(path, bytes, len, &es, err, errlen) != 0) {
		cfg_entries_free(&es);
		free(dir);
		free(dir_abs);
		return -1;
	}
	for (size_t i = 0; i < es.n && rc == 0; i++) {
		struct cfg_entry *e = &es.v[i];
		char *parent, *pabs, *buf = NULL;
		size_t plen = 0;
		if (e->key->apply != cfg_extend_row)
			continue;
		if (!*e->val) {
			cfg_err(err, errlen, path, e->line, "'extend' needs the path of a config file");
			rc = -1;
			break;
		}
		parent = e->val[0] == '/' || strcmp(dir, ".") == 0 ? cfg_dup(e->val, strlen(e->val)) : path_join(dir, e->val);
		pabs = path_absolute(parent);
		for (size_t k = 0; k <= depth && pabs; k++)
			if (strcmp(chain[k], pabs) == 0) {
				cfg_err(err, errlen, path, e->line, "'extend: %s' makes a cycle: %s is already being read",
					e->val, parent);
				rc = -1;
			}
		if (rc == 0 && depth + 1 >= CFG_MAX_EXTEND) {
			cfg_err(err, errlen, path, e->line, "'extend' chain longer than %d files", CFG_MAX_EXTEND);
			rc = -1;
		}
		if (rc == 0 && cfg_read_file(parent, &buf, &plen, err, errlen, path, e->line) != 0)
			rc = -1;
		if (rc == 0) {
			chain[depth + 1] = pabs;
			c->extended = xrealloc(c->extended, (c->nextended + 1) * sizeof *c->extended);
			c->extended[c->nextended++] = cfg_dup(parent, strlen(parent));
			rc = cfg_read(c, parent, buf, plen, chain, depth + 1, err, errlen);
		}
		free(buf);
		free(pabs);
		free(parent);
	}
	for (size_t i = 0; i < es.n && rc == 0; i++) {
		struct cfg_ctx x = { c, path, dir, dir_abs, es.v[i].key->name, es.v[i].line, err, errlen };
		rc = es.v[i].key->apply(&x, es.v[i].val);
	}
	cfg_entries_free(&es);
	free(dir);
	free(dir_abs);
	return rc;
}

int config_parse(lconfig *c, const char *path, const char *bytes, size_t len, char *err, size_t errlen)
{
	const char *chain[CFG_MAX_EXTEND];
	char *abs = path_absolute(path);
	int rc;
	memset(c, 0, sizeof *c);
	c->path = cfg_dup(path, strlen(path));
	chain[0] = abs ? abs : path;
	rc = cfg_read(c, path, bytes, len, chain, 0, err, errlen);
	free(abs);
	if (rc)
		config_free(c);
	return rc;
}

/* Read a config file whole.  from/from_line: the file and line that named it (extend), or NULL. */
static int cfg_read_file(const char *path, char **out, size_t *outlen, char *err, size_t errlen,
			 const char *from, unsigned long from_line)
{
	/* O_NONBLOCK: a FIFO named by a config must not hang the run; only regular files are read. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	FILE *fp = NULL;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	struct stat st;
	const char *why = NULL;
	if (fd < 0) {
		why = strerror(errno);
	} else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		why = "not a regular file";
		close(fd);
	} else if (!(fp = fdopen(fd, "rb"))) {
		why = strerror(errno);
		close(fd);
	} else {
		for (;;) {
			size_t got;
			if (cap - n < 4096) {
				cap = cap ? cap * 2 : 8192;
				buf = xrealloc(buf, cap);
			}
			got = fread(buf + n, 1, cap - n, fp);
			n += got;
			if (!got)
				break;
		}
		if (ferror(fp))
			why = strerror(errno);
	}
	if (fp)
		fclose(fp);
	if (why) {
		free(buf);
		if (from)
			cfg_err(err, errlen, from, from_line, "cannot read '%s' (extend): %s", path, why);
		else
			cfg_err(err, errlen, path, 0, "cannot read config file: %s", why);
		return -1;
	}
	*out = buf;
	*outlen = n;
	return 0;
}

int config_load(lconfig *c, const char *path, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t n = 0;
	int rc;
	memset(c, 0, sizeof *c);
	if (cfg_read_file(path, &buf, &n, err, errlen, NULL, 0) != 0)
		return -1;
	rc = config_parse(c, path, buf, n, err, errlen);
	free(buf);
	return rc;
}

/* ---- questions a run asks ---------------------------------------------------- */

int config_severity(const lconfig *c, const char *code, int def)
{
	size_t best = 0;
	int sev = def;
	for (size_t i = 0; i < c->nseverity; i++) {
		size_t m = sel_match(c->severity[i].pat, code);
		if (m && m >= best) {
			best = m;
			sev = c->severity[i].sev;
		}
	}
	return sev;
}

static int cfg_glob_hit(const cfg_glob *g, const char *abspath)
{
	char *rel = path_relative(g->base, abspath);
	int hit = glob_match_path(g->pat, rel);
	free(rel);
	return hit;
}

int config_excluded(const lconfig *c, const char *abspath)
{
	for (size_t i = 0; i < c->nexclude; i++)
		if (cfg_glob_hit(&c->exclude[i], abspath))
			return 1;
	return 0;
}

int config_included(const lconfig *c, const char *abspath)
{
	for (size_t i = 0; i < c->ninclude; i++)
		if (cfg_glob_hit(&c->include[i], abspath))
			return 1;
	return 0;
}

void config_file_ignores(const lconfig *c, const char *abspath, sel_list *out)
{
	for (size_t i = 0; i < c->nfile_ignores; i++)
		if (cfg_glob_hit(&c->file_ignores[i].glob, abspath))
			for (size_t k = 0; k < c->file_ignores[i].codes.n; k++)
				sel_list_push(out, c->file_ignores[i].codes.pats[k]);
}

int config_check_codes(const lconfig *c, const sel_known *known, char *err, size_t errlen)
{
	for (size_t i = 0; i < c->nrefs; i++) {
		const cfg_code_ref *r = &c->refs[i];
		char why[512];
		if (sel_known_has(known, r->pat))
			continue;
		sel_known_why(known, r->pat, why, sizeof why);
		cfg_err(err, errlen, r->file, r->line, "'%s' in %s: %s", r->pat, r->key, why);
		return -1;
	}
	return 0;
}

/* ---- discovery --------------------------------------------------------------- */

char *config_find(const char *input_path)
{
	char dir[PATH_MAX];
	char cand[PATH_MAX + 16];
	struct stat st;
	if (strcmp(input_path, "-") == 0 || !strchr(input_path, '/')) {
		if (!getcwd(dir, sizeof dir))
			return NULL;
	} else {
		char tmp[PATH_MAX];
		const char *slash = strrchr(input_path, '/');
		size_t dl = (size_t)(slash - input_path);
		if (dl >= sizeof tmp)
			return NULL;
		memcpy(tmp, input_path, dl);
		tmp[dl] = '\0';
		if (dl == 0)
			strcpy(tmp, "/");
		if (!realpath(tmp, dir))
			return NULL;
	}
	for (;;) {
		char *slash;
		snprintf(cand, sizeof cand, "%s%s.losscrc", dir, strcmp(dir, "/") == 0 ? "" : "/");
		if (stat(cand, &st) == 0 && !S_ISDIR(st.st_mode))
			return cfg_dup(cand, strlen(cand));
		if (strcmp(dir, "/") == 0)
			return NULL;
		slash = strrchr(dir, '/');
		if (slash == dir)
			dir[1] = '\0';
		else
			*slash = '\0';
	}
}
