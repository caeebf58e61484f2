/*
 * sarif_check FILE: check that FILE is strict JSON and has the structure
 * of SARIF 2.1.0 that GitHub code scanning reads: version and $schema;
 * runs[].tool.driver with name, version, informationUri (a URI) and rules
 * (unique ids, name, shortDescription/fullDescription/help text,
 * defaultConfiguration.level); results with ruleId, a ruleIndex that
 * points at that rule, level, message.text, a physicalLocation whose
 * artifactLocation.uri is a percent-encoded URI reference, a region with
 * sane 1-based start/end, and partialFingerprints.  Prints every problem;
 * exits 0 when there is none, 1 otherwise, 2 when FILE is not JSON.
 *
 * The JSON reader is deliberately tiny and strict (no trailing commas,
 * no control characters or bad escapes in strings).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum jt { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct jv {
	enum jt t;
	double num;
	char *str;              /* J_STR; keys of J_OBJ */
	struct jv **kids;       /* J_ARR, J_OBJ values */
	char **keys;
	size_t n;
} jv;

static const char *p, *end;
static int problems;

static void die(const char *why)
{
	fprintf(stderr, "sarif_check: not JSON at byte %ld: %s\n", (long)(p - (end - strlen(end))), why);
	exit(2);
}

static void ws(void)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
}

static jv *mk(enum jt t)
{
	jv *v = calloc(1, sizeof *v);
	if (!v)
		abort();
	v->t = t;
	return v;
}

static char *str(void)
{
	size_t cap = 64, n = 0;
	char *s = malloc(cap);
	p++;
	for (;;) {
		char c;
		if (p >= end)
			die("unterminated string");
		c = *p++;
		if (c == '"')
			break;
		if ((unsigned char)c < 0x20)
			die("control character in string");
		if (c == '\\') {
			c = *p++;
			switch (c) {
			case '"': case '\\': case '/': break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u': {
				int i;
				for (i = 0; i < 4; i++)
					if (!isxdigit((unsigned char)p[i]))
						die("bad \\u escape");
				p += 4;
				c = '?';
				break;
			}
			default:
				die("bad escape");
			}
		}
		if (n + 2 > cap)
			s = realloc(s, cap *= 2);
		s[n++] = c;
	}
	s[n] = '\0';
	return s;
}

static jv *val(void);

static jv *val(void)
{
	jv *v;
	ws();
	if (p >= end)
		die("unexpected end");
	if (*p == '{' || *p == '[') {
		int obj = *p == '{';
		v = mk(obj ? J_OBJ : J_ARR);
		p++;
		ws();
		if (*p == (obj ? '}' : ']')) {
			p++;
			return v;
		}
		for (;;) {
			ws();
			v->kids = realloc(v->kids, (v->n + 1) * sizeof *v->kids);
			v->keys = realloc(v->keys, (v->n + 1) * sizeof *v->keys);
			v->keys[v->n] = NULL;
			if (obj) {
				if (*p != '"')
					die("expected a key");
				v->keys[v->n] = str();
				ws();
				if (*p++ != ':')
					die("expected ':'");
			}
			v->kids[v->n++] = val();
			ws();
			if (*p == ',') {
				p++;
				ws();
				if (*p == '}' || *p == ']')
					die("trailing comma");
				continue;
			}
			if (*p++ != (obj ? '}' : ']'))
				die("expected ',' or a closing bracket");
			return v;
		}
	}
	if (*p == '"') {
		v = mk(J_STR);
		v->str = str();
		return v;
	}
	if (!strncmp(p, "true", 4) || !strncmp(p, "false", 5)) {
		v = mk(J_BOOL);
		p += *p == 't' ? 4 : 5;
		return v;
	}
	if (!strncmp(p, "null", 4)) {
		p += 4;
		return mk(J_NULL);
	}
	if (*p == '-' || isdigit((unsigned char)*p)) {
		char *e;
		v = mk(J_NUM);
		v->num = strtod(p, &e);
		if (e == p)
			die("bad number");
		p = e;
		return v;
	}
	die("unexpected character");
	return NULL;
}

static void jv_free(jv *v)
{
	size_t i;
	for (i = 0; i < v->n; i++) {
		jv_free(v->kids[i]);
		free(v->keys[i]);
	}
	free(v->kids);
	free(v->keys);
	free(v->str);
	free(v);
}

static const jv *get(const jv *o, const char *key)
{
	size_t i;
	if (!o || o->t != J_OBJ)
		return NULL;
	for (i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return o->kids[i];
	return NULL;
}

static void bad(const char *where, const char *what)
{
	printf("%s: %s\n", where, what);
	problems++;
}

static const char *need_str(const jv *o, const char *key, const char *where)
{
	const jv *v = get(o, key);
	if (!v || v->t != J_STR || !v->str[0]) {
		char msg[128];
		snprintf(msg, sizeof msg, "missing or empty string '%s'", key);
		bad(where, msg);
		return NULL;
	}
	return v->str;
}

static const char *need_text(const jv *o, const char *key, const char *where)
{
	const jv *v = get(o, key);
	char w[256];
	snprintf(w, sizeof w, "%s.%s", where, key);
	if (!v || v->t != J_OBJ) {
		bad(w, "missing object");
		return NULL;
	}
	return need_str(v, "text", w);
}

static long need_int(const jv *o, const char *key, long min, const char *where)
{
	const jv *v = get(o, key);
	if (!v || v->t != J_NUM || v->num != (long)v->num || v->num < min) {
		char msg[128];
		snprintf(msg, sizeof msg, "'%s' must be an integer >= %ld", key, min);
		bad(where, msg);
		return -1;
	}
	return (long)v->num;
}

static int level_ok(const char *l)
{
	return l && (!strcmp(l, "none") || !strcmp(l, "note") || !strcmp(l, "warning") || !strcmp(l, "error"));
}

/* A URI reference: scheme optional; only unreserved, '/', ':', and %XX. */
static int uri_ok(const char *u, int need_scheme)
{
	const char *q = u;
	int scheme = 0;
	if (isalpha((unsigned char)*q)) {
		while (isalnum((unsigned char)*q) || *q == '+' || *q == '-' || *q == '.')
			q++;
		scheme = *q == ':';
	}
	if (need_scheme && !scheme)
		return 0;
	for (q = u; *q; q++) {
		unsigned char c = (unsigned char)*q;
		if (c == '%') {
			if (!isxdigit((unsigned char)q[1]) || !isxdigit((unsigned char)q[2]))
				return 0;
			q += 2;
		} else if (!(isalnum(c) || strchr("-._~/:()!$&'*+,;=@", c))) {
			return 0;
		}
	}
	return 1;
}

int main(int argc, char **argv)
{
	FILE *f;
	char *buf;
	long len;
	jv *root;
	const jv *runs, *v;
	size_t r, i, k;
	if (argc != 2 || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: sarif_check FILE\n");
		return 2;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len + 1);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len)
		return 2;
	buf[len] = '\0';
	fclose(f);
	p = buf;
	end = buf + len;
	root = val();
	ws();
	if (p != end)
		die("text after the JSON value");

	v = get(root, "version");
	if (!v || v->t != J_STR || strcmp(v->str, "2.1.0"))
		bad("$", "version must be \"2.1.0\"");
	need_str(root, "$schema", "$");
	runs = get(root, "runs");
	if (!runs || runs->t != J_ARR || runs->n == 0) {
		bad("$", "runs must be a non-empty array");
		runs = NULL;
	}
	for (r = 0; runs && r < runs->n; r++) {
		const jv *run = runs->kids[r], *driver = get(get(run, "tool"), "driver"), *rules, *results;
		const char *s;
		if (!driver) {
			bad("run", "missing tool.driver");
			continue;
		}
		need_str(driver, "name", "driver");
		need_str(driver, "version", "driver");
		s = need_str(driver, "informationUri", "driver");
		if (s && !uri_ok(s, 1))
			bad("driver.informationUri", "not an absolute URI");
		rules = get(driver, "rules");
		if (!rules || rules->t != J_ARR) {
			bad("driver", "rules must be an array");
			continue;
		}
		for (i = 0; i < rules->n; i++) {
			const jv *ru = rules->kids[i], *dc = get(ru, "defaultConfiguration");
			char w[64];
			const char *id;
			snprintf(w, sizeof w, "rules[%lu]", (unsigned long)i);
			id = need_str(ru, "id", w);
			need_str(ru, "name", w);
			need_text(ru, "shortDescription", w);
			need_text(ru, "fullDescription", w);
			need_text(ru, "help", w);
			if (!dc || !level_ok(need_str(dc, "level", w)))
				bad(w, "defaultConfiguration.level must be none, note, warning or error");
			for (k = 0; id && k < i; k++) {
				const jv *other = get(rules->kids[k], "id");
				if (other && other->t == J_STR && !strcmp(other->str, id))
					bad(w, "duplicate rule id");
			}
		}
		results = get(run, "results");
		if (!results || results->t != J_ARR) {
			bad("run", "results must be an array");
			continue;
		}
		for (i = 0; i < results->n; i++) {
			const jv *res = results->kids[i], *locs, *pl, *al, *reg, *fp;
			const char *rid, *u;
			long idx;
			char w[64];
			snprintf(w, sizeof w, "results[%lu]", (unsigned long)i);
			rid = need_str(res, "ruleId", w);
			idx = need_int(res, "ruleIndex", 0, w);
			if (rid && idx >= 0) {
				const jv *at = (size_t)idx < rules->n ? get(rules->kids[idx], "id") : NULL;
				if (!at || at->t != J_STR || strcmp(at->str, rid))
					bad(w, "ruleIndex does not point at the rule with this ruleId");
			}
			if (!level_ok(need_str(res, "level", w)))
				bad(w, "level must be none, note, warning or error");
			need_text(res, "message", w);
			locs = get(res, "locations");
			if (!locs || locs->t != J_ARR || locs->n == 0) {
				bad(w, "locations must be a non-empty array");
				continue;
			}
			pl = get(locs->kids[0], "physicalLocation");
			al = get(pl, "artifactLocation");
			u = al ? need_str(al, "uri", w) : NULL;
			if (!u)
				bad(w, "missing physicalLocation.artifactLocation.uri");
			else if (!uri_ok(u, 0))
				bad(w, "artifactLocation.uri is not a percent-encoded URI reference");
			else if (u[0] == '/')
				bad(w, "artifactLocation.uri is an absolute path without a scheme");
			reg = get(pl, "region");
			if (reg) {
				long sl = need_int(reg, "startLine", 1, w), sc = need_int(reg, "startColumn", 1, w);
				long el = need_int(reg, "endLine", 1, w), ec = need_int(reg, "endColumn", 1, w);
				if (el < sl || (el == sl && ec < sc))
					bad(w, "region ends before it starts");
			}
			fp = get(res, "partialFingerprints");
			if (!fp || fp->t != J_OBJ || fp->n == 0 || fp->kids[0]->t != J_STR)
				bad(w, "partialFingerprints must hold at least one string");
		}
	}
	if (problems)
		printf("%d problem%s\n", problems, problems == 1 ? "" : "s");
	jv_free(root);
	free(buf);
	return problems ? 1 : 0;
}
