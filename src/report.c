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
#include "path.h"
#include "xalloc.h"

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
			fprintf(out, ", \"applicability\": \"%s\"}", d->fix_unsafe ? "unsafe" : "safe");
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

/*
 * A path as a URI reference: relative to the working directory when the
 * file is inside it (code scanning resolves those against the checkout),
 * else an absolute file:// URI, as lossc(1) promises.  Both are
 * normalized ("a/../b.loss" is "b.loss") and percent-encoded.
 */
static void rep_uri(FILE *out, const char *path)
{
	char *abs = path_absolute(path), *cwd = path_absolute("."), *rel = NULL;
	const char *p = path;
	int file_uri = 0;
	if (abs && cwd) {
		if (path_is_under(cwd, abs) && strcmp(cwd, abs) != 0)
			p = rel = path_relative(cwd, abs);
		else {
			p = abs;
			file_uri = 1;
		}
	}
	fputc('"', out);
	if (file_uri)
		fputs("file://", out);
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
			fputc(c, out);
		else
			fprintf(out, "%%%02X", c);
	}
	fputc('"', out);
	free(abs);
	free(cwd);
	free(rel);
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

uint64_t report_fingerprint(const diag *d, const char *path)
{
	uint64_t h = 1469598103934665603ULL;
	h = rep_fnv(h, d->code, strlen(d->code) + 1);
	h = rep_fnv(h, path, strlen(path) + 1);
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

static void rep_sarif_region(FILE *out, const source *src, span sp)
{
	struct rep_pos p = rep_where(src, 1, sp);
	fprintf(out, "{\"startLine\": %lu, \"startColumn\": %lu, \"endLine\": %lu, \"endColumn\": %lu}",
		p.line, p.col, p.end_line, p.end_col);
}

/* "physicalLocation": {"artifactLocation": {"uri": ...}, "region": {...}} (no region for a whole file). */
static void rep_sarif_physical(FILE *out, const source *src, int located, span sp)
{
	fputs("\"physicalLocation\": {\"artifactLocation\": {\"uri\": ", out);
	rep_uri(out, src->path);
	fputc('}', out);
	if (located) {
		fputs(", \"region\": ", out);
		rep_sarif_region(out, src, sp);
	}
	fputc('}', out);
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
	struct rep_fp *fps = xmalloc((l->n ? l->n : 1) * sizeof *fps);
	unsigned long *occ = xmalloc((l->n ? l->n : 1) * sizeof *occ);
	for (i = 0; i < l->n; i++) {
		fps[i].fp = report_fingerprint(&l->items[i], l->items[i].src->path);
		fps[i].idx = i;
	}
	qsort(fps, l->n, sizeof *fps, rep_fp_cmp);
	for (i = 0; i < l->n; i++)
		occ[fps[i].idx] = i > 0 && fps[i - 1].fp == fps[i].fp ? occ[fps[i - 1].idx] + 1 : 1;
	for (i = 0; i < l->n; i++) {
		const diag *d = &l->items[i];
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
		fputs("}, \"locations\": [{", out);
		rep_sarif_physical(out, d->src, d->located, d->span);
		fputs("}]", out);
		if (d->nnotes > 0) {
			/* notes point at other places of the same file: SARIF's related locations */
			fputs(", \"relatedLocations\": [", out);
			for (int k = 0; k < d->nnotes; k++) {
				fprintf(out, "%s{\"id\": %d, ", k ? ", " : "", k);
				rep_sarif_physical(out, d->src, d->src != NULL, d->notes[k].span);
				fputs(", \"message\": {\"text\": ", out);
				rep_jstr(out, d->notes[k].message);
				fputs("}}", out);
			}
			fputc(']', out);
		}
		if (d->has_fix && d->located) {
			/* one replacement; an empty deleted region is an insertion point */
			fputs(", \"fixes\": [{\"description\": {\"text\": ", out);
			rep_jstr(out, d->fix_unsafe ? "Unsafe fix: it changes the loss; 'lossc lint --fix --unsafe-fixes' applies it"
						     : "Safe fix: 'lossc lint --fix' applies it");
			fputs("}, \"artifactChanges\": [{\"artifactLocation\": {\"uri\": ", out);
			rep_uri(out, d->src->path);
			fputs("}, \"replacements\": [{\"deletedRegion\": ", out);
			rep_sarif_region(out, d->src, d->fix_span);
			fputs(", \"insertedContent\": {\"text\": ", out);
			rep_jstr(out, d->fix_text ? d->fix_text : "");
			fputs("}}]}]}]", out);
		}
		fprintf(out, ", \"partialFingerprints\": {\"lossc/v1\": \"%016llx:%lu\"}}",
			(unsigned long long)report_fingerprint(d, d->src->path), occ[i]);
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

/* ---- summary and statistics ---------------------------------------------- */

static int rep_fixable(const diag *d, int unsafe)
{
	return d->has_fix && (!d->fix_unsafe || unsafe);
}

void report_count(const diag_list *l, int unsafe, report_counts *c)
{
	for (size_t i = 0; i < l->n; i++) {
		const diag *d = &l->items[i];
		c->findings++;
		if (d->sev == SEV_ERROR)
			c->errors++;
		else if (d->sev == SEV_WARNING)
			c->warnings++;
		else
			c->infos++;
		if (rep_fixable(d, unsafe))
			c->fixable++;
		else if (d->has_fix)
			c->unsafe_only++;
	}
}

static const char *rep_s(size_t n)
{
	return n == 1 ? "" : "s";
}

int report_summary(FILE *out, const report_counts *c)
{
	if (c->findings == 0 && c->fixed == 0 && c->baselined == 0)
		return 0;
	if (c->findings == 0)
		fputs("no findings", out);
	else {
		fprintf(out, "%zu finding%s (%zu error%s, %zu warning%s", c->findings, rep_s(c->findings),
			c->errors, rep_s(c->errors), c->warnings, rep_s(c->warnings));
		if (c->infos)
			fprintf(out, ", %zu info", c->infos);
		fputc(')', out);
	}
	fprintf(out, " in %zu file%s", c->files, rep_s(c->files));
	if (c->fixing)
		fprintf(out, "; %zu fixed", c->fixed);
	if (c->fixable && c->unsafe_only)
		fprintf(out, "; %zu fixable with --fix (%zu more with --unsafe-fixes)", c->fixable, c->unsafe_only);
	else if (c->fixable)
		fprintf(out, "; %zu fixable with --fix", c->fixable);
	else if (c->unsafe_only)
		fprintf(out, "; %zu fixable with --fix --unsafe-fixes", c->unsafe_only);
	if (c->baselined)
		fprintf(out, "; %zu hidden by the baseline", c->baselined);
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}

struct rep_stat {
	const char *code;
	size_t count;
	int fixable;
};

static int rep_stat_cmp(const void *pa, const void *pb)
{
	const struct rep_stat *a = pa, *b = pb;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->code, b->code);
}

int report_statistics(FILE *out, const diag_list *l, int unsafe, int json,
		      const report_rule *rules, size_t nrules)
{
	struct rep_stat *st = xmalloc((l->n ? l->n : 1) * sizeof *st);
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++) {
		const diag *d = &l->items[i];
		size_t k;
		for (k = 0; k < n && strcmp(st[k].code, d->code) != 0; k++)
			;
		if (k == n) {
			st[n].code = d->code;
			st[n].count = 0;
			st[n].fixable = 0;
			n++;
		}
		st[k].count++;
		if (rep_fixable(d, unsafe))
			st[k].fixable = 1;
	}
	qsort(st, n, sizeof *st, rep_stat_cmp);
	if (json)
		fputc('[', out);
	for (size_t k = 0; k < n; k++) {
		const char *title = "";
		for (size_t r = 0; r < nrules; r++)
			if (strcmp(rules[r].code, st[k].code) == 0)
				title = rules[r].title;
		if (json) {
			fprintf(out, "%s\n  {\"code\": ", k ? "," : "");
			rep_jstr(out, st[k].code);
			fprintf(out, ", \"count\": %zu, \"fixable\": %s, \"title\": ", st[k].count,
				st[k].fixable ? "true" : "false");
			rep_jstr(out, title);
			fputc('}', out);
		} else {
			fprintf(out, "%6zu  %-6s %s %s\n", st[k].count, st[k].code, st[k].fixable ? "[*]" : "   ", title);
		}
	}
	if (json)
		fputs(n ? "\n]\n" : "]\n", out);
	free(st);
	return ferror(out) ? -1 : 0;
}
