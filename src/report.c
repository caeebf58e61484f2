/*
 * report.c: json, sarif and github renderers.
 *
 * Positions: line and column are 1-based, columns count characters (code
 * points), as in the text output.  The end is exclusive (the position just
 * after the last character), which is SARIF's convention for endColumn;
 * JSON uses the same numbers.  A finding about a whole file (unreadable,
 * say) has no position: JSON gives 0s, SARIF omits the region, github
 * omits line/col.
 */
#define _XOPEN_SOURCE 700
#include "report.h"
#include "utf8.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"      /* autoconf: PACKAGE_VERSION, PACKAGE_URL */

/* SARIF wants a URI for the tool; without a project URL, its manual page. */
#if defined(PACKAGE_URL)
#define REP_INFO_URI (PACKAGE_URL[0] ? PACKAGE_URL : "man:lossc(1)")
#else
#define REP_INFO_URI "man:lossc(1)"
#endif

int report_parse_format(const char *s)
{
	if (strcmp(s, "text") == 0)
		return REPORT_TEXT;
	if (strcmp(s, "json") == 0)
		return REPORT_JSON;
	if (strcmp(s, "sarif") == 0)
		return REPORT_SARIF;
	if (strcmp(s, "github") == 0)
		return REPORT_GITHUB;
	return -1;
}


void report_json_string(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned c = p[i];
		size_t l;
		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc((int)c, out);
			i++;
		} else if (c == '\n') {
			fputs("\\n", out);
			i++;
		} else if (c == '\t') {
			fputs("\\t", out);
			i++;
		} else if (c == '\r') {
			fputs("\\r", out);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\u%04x", c);
			i++;
		} else if (c < 0x80) {
			fputc((int)c, out);
			i++;
		} else if ((l = utf8_decode(p + i, n - i, NULL, NULL)) != 0) {
			fwrite(p + i, 1, l, out);
			i += l;
		} else {
			fputs("\\ufffd", out);
			i++;
		}
	}
}

static void rep_jstr(FILE *out, const char *s)
{
	fputc('"', out);
	report_json_string(out, s, strlen(s));
	fputc('"', out);
}

struct rep_pos {
	unsigned long line, col, end_line, end_col;
};

static struct rep_pos rep_where(const source *src, int located, span sp)
{
	struct rep_pos r = {0, 0, 0, 0};
	if (located) {
		src_pos a = source_pos(src, sp.start), b = source_pos(src, sp.end > sp.start ? sp.end : sp.start);
		r.line = a.line;
		r.col = a.col;
		r.end_line = b.line;
		r.end_col = b.col;
	}
	return r;
}

/* ---- json ------------------------------------------------------------- */

static void rep_json_pos(FILE *out, struct rep_pos p)
{
	fprintf(out, "\"line\": %lu, \"column\": %lu, \"end_line\": %lu, \"end_column\": %lu", p.line,
		p.col, p.end_line, p.end_col);
}

static void rep_json(FILE *out, const diag_list *l)
{
	size_t i;
	int k;
	fputc('[', out);
	for (i = 0; i < l->n; i++) {
		const diag *d = &l->items[i];
		fputs(i ? ",\n  {" : "\n  {", out);
		fputs("\"file\": ", out);
		rep_jstr(out, d->src->path);
		fputs(", ", out);
		rep_json_pos(out, rep_where(d->src, d->located, d->span));
		fprintf(out, ", \"severity\": \"%s\", \"code\": ", diag_severity_name(d->sev));
		rep_jstr(out, d->code);
		fputs(", \"message\": ", out);
		rep_jstr(out, d->message);
		if (d->nnotes > 0) {
			fputs(", \"notes\": [", out);
			for (k = 0; k < d->nnotes; k++) {
				fputs(k ? ", {" : "{", out);
				rep_json_pos(out, rep_where(d->src, 1, d->notes[k].span));
				fputs(", \"message\": ", out);
				rep_jstr(out, d->notes[k].message);
				fputc('}', out);
			}
			fputc(']', out);
		}
		if (d->has_fix) {
			fputs(", \"fix\": {", out);
			rep_json_pos(out, rep_where(d->src, 1, d->fix_span));
			fputs(", \"replacement\": ", out);
			rep_jstr(out, d->fix_text ? d->fix_text : "");
			fputc('}', out);
		}
		fputc('}', out);
	}
	fputs(l->n ? "\n]\n" : "]\n", out);
}

/* ---- sarif ------------------------------------------------------------ */

static const char *rep_level(diag_severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "error";
	case SEV_WARNING:
		return "warning";
	default:
		return "note";
	}
}

/* SARIF rule name: the title's words in PascalCase ("a loss with no value" -> "LossWithNoValue"). */
static void rep_pascal(FILE *out, const char *t)
{
	int up = 1, words = 0;
	if (strncmp(t, "a ", 2) == 0)
		t += 2;
	else if (strncmp(t, "an ", 3) == 0)
		t += 3;
	fputc('"', out);
	for (; *t && words < 8; t++) {
		unsigned char c = (unsigned char)*t;
		if (isalnum(c)) {
			fputc(up ? toupper(c) : c, out);
			up = 0;
		} else if (!up) {
			up = 1;
			words++;
		}
	}
	fputc('"', out);
}

/* Percent-encode a path as a URI reference, relative to the current directory when inside it. */
static void rep_uri(FILE *out, const char *path)
{
	char cwd[PATH_MAX];
	const char *p = path;
	int abs = path[0] == '/';
	if (abs && getcwd(cwd, sizeof cwd)) {
		size_t n = strlen(cwd);
		if (strncmp(path, cwd, n) == 0 && path[n] == '/') {
			p = path + n + 1;
			abs = 0;
		}
	}
	while (!abs && p[0] == '.' && p[1] == '/')
		p += 2;
	fputc('"', out);
	if (abs)
		fputs("file://", out);
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
			fputc(c, out);
		else
			fprintf(out, "%%%02X", c);
	}
	fputc('"', out);
}

/* FNV-1a, for partialFingerprints: stable across runs and line moves. */
static uint64_t rep_fnv(uint64_t h, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static uint64_t rep_fingerprint(const diag *d)
{
	uint64_t h = 1469598103934665603ULL;
	h = rep_fnv(h, d->code, strlen(d->code) + 1);
	h = rep_fnv(h, d->src->path, strlen(d->src->path) + 1);
	if (d->located) {
		src_pos a = source_pos(d->src, d->span.start);
		size_t len;
		const char *ln = source_line(d->src, a.line, &len);
		/* the line's text without surrounding blanks, so re-indenting keeps it */
		while (len && (*ln == ' ' || *ln == '\t'))
			ln++, len--;
		while (len && (ln[len - 1] == ' ' || ln[len - 1] == '\t'))
			len--;
		h = rep_fnv(h, ln, len);
		h = rep_fnv(h, "\0", 1);
		if (d->span.end > d->span.start && d->span.end <= d->src->len)
			h = rep_fnv(h, d->src->text + d->span.start, d->span.end - d->span.start);
	}
	return h;
}

struct rep_fp {
	uint64_t fp;
	size_t idx;
};

static int rep_fp_cmp(const void *a, const void *b)
{
	const struct rep_fp *x = a, *y = b;
	if (x->fp != y->fp)
		return x->fp < y->fp ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void rep_sarif(FILE *out, const diag_list *l, const report_rule *rules, size_t nrules)
{
	size_t i, r;
	fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
	      "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"
	      "      \"tool\": {\n        \"driver\": {\n"
	      "          \"name\": \"lossc\",\n", out);
	fprintf(out, "          \"version\": \"%s\",\n          \"semanticVersion\": \"%s\",\n",
		PACKAGE_VERSION, PACKAGE_VERSION);
	fputs("          \"informationUri\": ", out);
	rep_jstr(out, REP_INFO_URI);
	fputs(",\n", out);
	fputs("          \"rules\": [", out);
	for (r = 0; r < nrules; r++) {
		const report_rule *ru = &rules[r];
		fputs(r ? ",\n            {" : "\n            {", out);
		fputs("\"id\": ", out);
		rep_jstr(out, ru->code);
		fputs(", \"name\": ", out);
		if (ru->name)
			rep_jstr(out, ru->name);
		else
			rep_pascal(out, ru->title);
		fputs(", \"shortDescription\": {\"text\": ", out);
		rep_jstr(out, ru->title);
		fputs("}, \"fullDescription\": {\"text\": ", out);
		rep_jstr(out, ru->explain ? ru->explain : ru->title);
		fputs("}, \"help\": {\"text\": ", out);
		rep_jstr(out, ru->explain ? ru->explain : ru->title);
		fprintf(out, "}, \"defaultConfiguration\": {\"level\": \"%s\"}}", rep_level(ru->sev));
	}
	fputs(nrules ? "\n          ]\n" : "]\n", out);
	fputs("        }\n      },\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [", out);
	/* Fingerprints, and each one's occurrence number (1 for the first
	   finding with that fingerprint, 2 for the next, ...), found by sorting. */
	struct rep_fp *fps = malloc((l->n ? l->n : 1) * sizeof *fps);
	unsigned long *occ = malloc((l->n ? l->n : 1) * sizeof *occ);
	if (!fps || !occ)
		abort();
	for (i = 0; i < l->n; i++) {
		fps[i].fp = rep_fingerprint(&l->items[i]);
		fps[i].idx = i;
	}
	qsort(fps, l->n, sizeof *fps, rep_fp_cmp);
	for (i = 0; i < l->n; i++)
		occ[fps[i].idx] = i > 0 && fps[i - 1].fp == fps[i].fp ? occ[fps[i - 1].idx] + 1 : 1;
	for (i = 0; i < l->n; i++) {
		const diag *d = &l->items[i];
		struct rep_pos p = rep_where(d->src, d->located, d->span);
		size_t idx = nrules;
		for (r = 0; r < nrules; r++)
			if (strcmp(rules[r].code, d->code) == 0) {
				idx = r;
				break;
			}
		fputs(i ? ",\n        {" : "\n        {", out);
		fputs("\"ruleId\": ", out);
		rep_jstr(out, d->code);
		if (idx < nrules)
			fprintf(out, ", \"ruleIndex\": %lu", (unsigned long)idx);
		fprintf(out, ", \"level\": \"%s\", \"message\": {\"text\": ", rep_level(d->sev));
		rep_jstr(out, d->message);
		fputs("}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ", out);
		rep_uri(out, d->src->path);
		fputc('}', out);
		if (d->located)
			fprintf(out, ", \"region\": {\"startLine\": %lu, \"startColumn\": %lu, \"endLine\": %lu, \"endColumn\": %lu}",
				p.line, p.col, p.end_line, p.end_col);
		fputs("}}]", out);
		fprintf(out, ", \"partialFingerprints\": {\"lossc/v1\": \"%016llx:%lu\"}}",
			(unsigned long long)rep_fingerprint(d), occ[i]);
	}
	free(fps);
	free(occ);
	fputs(l->n ? "\n      ]\n" : "]\n", out);
	fputs("    }\n  ]\n}\n", out);
}

/* ---- github ----------------------------------------------------------- */

/* Workflow-command escaping: data escapes % CR LF; properties also : and ,. */
static void rep_gh(FILE *out, const char *s, int prop)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", out);
		else if (*s == '\r')
			fputs("%0D", out);
		else if (*s == '\n')
			fputs("%0A", out);
		else if (prop && *s == ':')
			fputs("%3A", out);
		else if (prop && *s == ',')
			fputs("%2C", out);
		else
			fputc(*s, out);
	}
}

static void rep_github(FILE *out, const diag_list *l)
{
	size_t i;
	for (i = 0; i < l->n; i++) {
		const diag *d = &l->items[i];
		const char *kind = d->sev == SEV_ERROR ? "error" : d->sev == SEV_WARNING ? "warning" : "notice";
		fprintf(out, "::%s file=", kind);
		rep_gh(out, d->src->path, 1);
		if (d->located) {
			struct rep_pos p = rep_where(d->src, 1, d->span);
			fprintf(out, ",line=%lu,col=%lu,endLine=%lu,endColumn=%lu", p.line, p.col, p.end_line, p.end_col);
		}
		fputs(",title=", out);
		rep_gh(out, d->code, 1);
		fputs("::", out);
		rep_gh(out, d->message, 0);
		fprintf(out, " [%s]\n", d->code);
	}
}

int report_render(FILE *out, const diag_list *l, report_format fmt,
		  const report_rule *rules, size_t nrules, int color)
{
	switch (fmt) {
	case REPORT_TEXT:
		return diag_render_text(out, l, color);
	case REPORT_JSON:
		rep_json(out, l);
		break;
	case REPORT_SARIF:
		rep_sarif(out, l, rules, nrules);
		break;
	case REPORT_GITHUB:
		rep_github(out, l);
		break;
	}
	return ferror(out) ? -1 : 0;
}
