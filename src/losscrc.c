/*
 * losscrc.c: .losscrc reading and discovery (prefix config_).  Not named
 * config.c: a src/config.h would shadow autoconf's config.h in every
 * `#include "config.h"` made from src/.
 */
#define _XOPEN_SOURCE 700      /* realpath */
#include "losscrc.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "fmt.h"

static void cfg_err(char *err, size_t errlen, const char *path, unsigned long line,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void cfg_err(char *err, size_t errlen, const char *path, unsigned long line,
		    const char *fmt, ...)
{
	int k;
	va_list ap;
	if (line)
		k = snprintf(err, errlen, "%s:%lu: error: ", path, line);
	else
		k = snprintf(err, errlen, "%s: error: ", path);
	if (k < 0 || (size_t)k >= errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err + k, errlen - (size_t)k, fmt, ap);
	va_end(ap);
}

static char *cfg_dup(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (!d) {
		fputs("lossc: out of memory\n", stderr);
		abort();
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
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
	memset(c, 0, sizeof *c);
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

static int cfg_apply(lconfig *c, const char *key, const char *v, unsigned long line, char *err, size_t errlen)
{
	char bad[80];
	if (strcmp(key, "fail-on") == 0) {
		int s = diag_severity_parse(v);
		if (c->has_fail_on) {
			cfg_err(err, errlen, c->path, line, "'fail-on' given twice");
			return -1;
		}
		if (s < SEV_INFO) {
			cfg_err(err, errlen, c->path, line, "fail-on '%s' is not one of error, warning, info", v);
			return -1;
		}
		c->has_fail_on = 1;
		c->fail_on = s;
	} else if (strcmp(key, "disable") == 0 || strcmp(key, "enable") == 0) {
		sel_list *l = key[0] == 'd' ? &c->disable : &c->enable;
		if (sel_list_add(l, v, bad, sizeof bad) != 0) {
			cfg_err(err, errlen, c->path, line, "'%s' in %s is not a finding code or family (such as LS105 or LS2)",
				bad, key);
			return -1;
		}
	} else if (strcmp(key, "rules") == 0) {
		char *dir;
		if (!*v) {
			cfg_err(err, errlen, c->path, line, "'rules' needs a directory");
			return -1;
		}
		if (v[0] == '/') {
			dir = cfg_dup(v, strlen(v));
		} else {
			const char *slash = strrchr(c->path, '/');
			size_t dl = slash ? (size_t)(slash - c->path) : 0;
			dir = malloc(dl + strlen(v) + 3);
			if (!dir)
				abort();
			if (slash)
				sprintf(dir, "%.*s/%s", (int)dl, c->path, v);
			else
				sprintf(dir, "%s", v);
		}
		c->rules = realloc(c->rules, (c->nrules + 1) * sizeof *c->rules);
		if (!c->rules)
			abort();
		c->rules[c->nrules++] = dir;
	} else if (strcmp(key, "format") == 0) {
		if (c->format) {
			cfg_err(err, errlen, c->path, line, "'format' given twice");
			return -1;
		}
		if (strcmp(v, "text") && strcmp(v, "json") && strcmp(v, "sarif") && strcmp(v, "github")) {
			cfg_err(err, errlen, c->path, line, "format '%s' is not one of text, json, sarif, github", v);
			return -1;
		}
		c->format = cfg_dup(v, strlen(v));
	} else if (strcmp(key, "fmt-width") == 0) {
		char *end;
		long w;
		if (c->fmt_width) {
			cfg_err(err, errlen, c->path, line, "'fmt-width' given twice");
			return -1;
		}
		errno = 0;
		w = strtol(v, &end, 10);
		if (errno || end == v || *end || w < FMT_MIN_WIDTH || w > FMT_MAX_WIDTH) {
			cfg_err(err, errlen, c->path, line, "fmt-width '%s' is not a number from %d to %d",
				v, FMT_MIN_WIDTH, FMT_MAX_WIDTH);
			return -1;
		}
		c->fmt_width = (unsigned)w;
	} else {
		cfg_err(err, errlen, c->path, line, "unknown key '%s' (keys: fail-on, disable, enable, rules, format, fmt-width)", key);
		return -1;
	}
	return 0;
}

int config_parse(lconfig *c, const char *path, const char *bytes, size_t len, char *err, size_t errlen)
{
	size_t pos = 0;
	unsigned long lineno = 0, keyline = 0;
	char key[32] = "";
	char *val = NULL;
	size_t vlen = 0;
	int rc = 0;
	memset(c, 0, sizeof *c);
	c->path = cfg_dup(path, strlen(path));
	while (rc == 0) {
		size_t eol = pos, n, l;
		const char *line = bytes + pos, *v;
		int at_end = pos >= len;
		if (!at_end) {
			lineno++;
			while (eol < len && bytes[eol] != '\n')
				eol++;
			n = eol - pos;
			pos = eol < len ? eol + 1 : eol;
			if (n && line[n - 1] == '\r')
				n--;
			if (memchr(line, '\0', n)) {
				cfg_err(err, errlen, path, lineno, "NUL byte in config file");
				rc = -1;
				break;
			}
		} else {
			n = 0;
		}
		l = cfg_value(line, n, &v);
		/* continuation of the current key */
		if (!at_end && n && (line[0] == ' ' || line[0] == '\t') && l > 0) {
			if (!key[0]) {
				cfg_err(err, errlen, path, lineno, "continuation line without a key before it");
				rc = -1;
				break;
			}
			val = realloc(val, vlen + l + 2);
			if (!val)
				abort();
			val[vlen++] = ' ';
			memcpy(val + vlen, v, l);
			vlen += l;
			val[vlen] = '\0';
			continue;
		}
		if (!at_end && l == 0)
			continue;       /* blank or comment line */
		/* a new key (or the end): apply the pending one */
		if (key[0]) {
			rc = cfg_apply(c, key, val ? val : "", keyline, err, errlen);
			key[0] = '\0';
			free(val);
			val = NULL;
			vlen = 0;
			if (rc)
				break;
		}
		if (at_end)
			break;
		{
			size_t k = 0, colon;
			while (k < n && ((line[k] >= 'a' && line[k] <= 'z') || line[k] == '-' || line[k] == '_'))
				k++;
			colon = k;
			while (colon < n && (line[colon] == ' ' || line[colon] == '\t'))
				colon++;
			if (k == 0 || colon >= n || line[colon] != ':' || k >= sizeof key) {
				cfg_err(err, errlen, path, lineno, "expected 'key: value' (keys: fail-on, disable, enable, rules, format, fmt-width)");
				rc = -1;
				break;
			}
			memcpy(key, line, k);
			key[k] = '\0';
			keyline = lineno;
			l = cfg_value(line + colon + 1, n - colon - 1, &v);
			val = cfg_dup(v, l);
			vlen = l;
		}
	}
	free(val);
	if (rc)
		config_free(c);
	return rc;
}

int config_load(lconfig *c, const char *path, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	struct stat st;
	int rc;
	memset(c, 0, sizeof *c);
	if (!fp) {
		cfg_err(err, errlen, path, 0, "cannot read config file: %s", strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) == 0 && !S_ISREG(st.st_mode)) {
		fclose(fp);
		cfg_err(err, errlen, path, 0, "cannot read config file: not a regular file");
		return -1;
	}
	for (;;) {
		size_t got;
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (!got)
			break;
	}
	if (ferror(fp)) {
		cfg_err(err, errlen, path, 0, "cannot read config file: %s", strerror(errno));
		fclose(fp);
		free(buf);
		return -1;
	}
	fclose(fp);
	rc = config_parse(c, path, buf, n, err, errlen);
	free(buf);
	return rc;
}

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
