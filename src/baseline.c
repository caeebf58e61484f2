/*
 * baseline.c: known findings (baseline.h).
 */
#include "baseline.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outfile.h"
#include "path.h"
#include "report.h"
#include "xalloc.h"

#define BASELINE_MAGIC "# lossc baseline 1"

struct bl_entry {
	char key[40];           /* "fingerprint:occurrence" */
	char code[8];
	char *path;             /* relative to the baseline's directory, decoded */
	span line;              /* the entry's fingerprint field in the baseline file */
	int used;
};

struct baseline {
	source src;
	char *dir;              /* absolute, normalized directory of the file */
	struct bl_entry *e;
	size_t n;
};

const source *baseline_source(const baseline *b)
{
	return &b->src;
}

void baseline_free(baseline *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		free(b->e[i].path);
	free(b->e);
	free(b->dir);
	source_free(&b->src);
	free(b);
}

/* Paths are percent-encoded where a byte would break the line format. */
static void bl_put_path(FILE *out, const char *p)
{
	for (; *p; p++) {
		if (*p == '%' || *p == '\t' || *p == '\n' || *p == '\r')
			fprintf(out, "%%%02X", (unsigned char)*p);
		else
			fputc(*p, out);
	}
}

static int bl_hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static char *bl_get_path(const char *s, size_t n)
{
	char *r = xrealloc(NULL, n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && bl_hex(s[i + 1]) >= 0 && bl_hex(s[i + 2]) >= 0) {
			r[k++] = (char)(bl_hex(s[i + 1]) * 16 + bl_hex(s[i + 2]));
			i += 2;
		} else {
			r[k++] = s[i];
		}
	}
	r[k] = '\0';
	return r;
}

static int bl_entry_cmp(const void *pa, const void *pb)
{
	const struct bl_entry *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);
	return c ? c : strcmp(a->path, b->path);
}

baseline *baseline_load(const char *path, char *err, size_t errlen)
{
	baseline *b = xcalloc(1, sizeof *b);
	char why[256], *d;
	if (source_read(&b->src, path, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: error: cannot read baseline: %s", path, why);
		free(b);
		return NULL;
	}
	d = path_dirname(path);
	b->dir = path_absolute(d);
	free(d);
	if (!b->dir) {
		snprintf(err, errlen, "%s: error: cannot resolve the baseline's directory", path);
		baseline_free(b);
		return NULL;
	}
	for (unsigned long ln = 1; ln <= b->src.nlines; ln++) {
		size_t len, f[5], fl[5], nf = 0, i = 0;
		const char *t = source_line(&b->src, ln, &len);
		if (ln == 1) {
			if (len < strlen(BASELINE_MAGIC) || memcmp(t, BASELINE_MAGIC, strlen(BASELINE_MAGIC)) != 0) {
				snprintf(err, errlen, "%s:1: error: not a lossc baseline (its first line must be '%s'; "
					 "write one with --write-baseline)", path, BASELINE_MAGIC);
				baseline_free(b);
				return NULL;
			}
			continue;
		}
		if (len == 0 || t[0] == '#')
			continue;
		while (nf < 5) {
			f[nf] = i;
			while (i < len && t[i] != '\t')
				i++;
			fl[nf] = i - f[nf];
			nf++;
			if (i >= len)
				break;
			i++;
		}
		if (nf < 3 || fl[0] == 0 || fl[0] >= sizeof b->e[0].key || fl[1] == 0 || fl[1] >= 8 || fl[2] == 0 ||
		    !memchr(t, ':', fl[0])) {
			snprintf(err, errlen, "%s:%lu: error: a baseline entry is FINGERPRINT:N<TAB>CODE<TAB>PATH[<TAB>LINE<TAB>MESSAGE]",
				 path, ln);
			baseline_free(b);
			return NULL;
		}
		b->e = xrealloc(b->e, (b->n + 1) * sizeof *b->e);
		struct bl_entry *e = &b->e[b->n++];
		memset(e, 0, sizeof *e);
		memcpy(e->key, t + f[0], fl[0]);
		memcpy(e->code, t + f[1], fl[1]);
		e->path = bl_get_path(t + f[2], fl[2]);
		e->line.start = (uint32_t)(t - b->src.text);            /* LS020 points at the fingerprint */
		e->line.end = (uint32_t)(t - b->src.text + fl[0]);
	}
	if (b->n > 1)
		qsort(b->e, b->n, sizeof *b->e, bl_entry_cmp);
	return b;
}

int baseline_eligible(const diag *d)
{
	return strcmp(d->code, "LS001") != 0 && strcmp(d->code, "LS002") != 0 && strcmp(d->code, "LS020") != 0;
}

/* The keyed form of the eligible findings of l[from..n), in list order. */
struct bl_key {
	size_t idx;
	uint64_t fp;
	unsigned long occ;
	char *path;             /* relative to dir */
};

static int bl_fp_cmp(const void *pa, const void *pb)
{
	const struct bl_key *a = pa, *b = pb;
	if (a->fp != b->fp)
		return a->fp < b->fp ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int bl_idx_cmp(const void *pa, const void *pb)
{
	const struct bl_key *a = pa, *b = pb;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static struct bl_key *bl_keys(const char *dir, const diag_list *l, size_t from, size_t *count)
{
	struct bl_key *k = xrealloc(NULL, (l->n > from ? l->n - from : 1) * sizeof *k);
	size_t n = 0;
	for (size_t i = from; i < l->n; i++) {
		const diag *d = &l->items[i];
		char *abs;
		if (!baseline_eligible(d))
			continue;
		abs = path_absolute(d->src->path);
		k[n].idx = i;
		k[n].path = abs ? path_relative(dir, abs) : xstrdup(d->src->path);
		free(abs);
		k[n].fp = report_fingerprint(d, k[n].path);
		n++;
	}
	/* occurrence numbers: 1 for the first finding with a fingerprint, 2 for the next, ... */
	qsort(k, n, sizeof *k, bl_fp_cmp);
	for (size_t i = 0; i < n; i++)
		k[i].occ = i > 0 && k[i - 1].fp == k[i].fp ? k[i - 1].occ + 1 : 1;
	qsort(k, n, sizeof *k, bl_idx_cmp);
	*count = n;
	return k;
}

static void bl_keys_free(struct bl_key *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(k[i].path);
	free(k);
}

size_t baseline_hide(baseline *b, diag_list *l, size_t from)
{
	size_t n, hidden = 0;
	struct bl_key *k = bl_keys(b->dir, l, from, &n);
	char *drop = xcalloc(l->n ? l->n : 1, 1);
	for (size_t i = 0; i < n; i++) {
		struct bl_entry want, *hit;
		memset(&want, 0, sizeof want);
		snprintf(want.key, sizeof want.key, "%016llx:%lu", (unsigned long long)k[i].fp, k[i].occ);
		want.path = k[i].path;
		hit = b->n ? bsearch(&want, b->e, b->n, sizeof *b->e, bl_entry_cmp) : NULL;
		if (hit && strcmp(hit->code, l->items[k[i].idx].code) == 0) {
			hit->used = 1;
			drop[k[i].idx] = 1;
			hidden++;
		}
	}
	bl_keys_free(k, n);
	diag_remove_marked(l, from, drop);
	free(drop);
	return hidden;
}

void baseline_stale(const baseline *b, diag_list *l, int (*linted)(const char *abspath, void *ctx), void *ctx)
{
	/* report in file order, not key order */
	const struct bl_entry **v = xrealloc(NULL, (b->n ? b->n : 1) * sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++) {
		char *j, *abs;
		if (b->e[i].used)
			continue;
		j = path_join(b->dir, b->e[i].path);
		abs = path_normalize(j);
		if (linted(abs, ctx))
			v[n++] = &b->e[i];
		free(j);
		free(abs);
	}
	for (size_t i = 0; i < n; i++)
		for (size_t k = i; k > 0 && v[k - 1]->line.start > v[k]->line.start; k--) {
			const struct bl_entry *t = v[k];
			v[k] = v[k - 1];
			v[k - 1] = t;
		}
	for (size_t i = 0; i < n; i++)
		diag_code(l, &b->src, v[i]->line, "LS020",
			  "baseline entry matches no finding: %s in %s; write the baseline again to drop it",
			  v[i]->code, v[i]->path);
	free(v);
}

struct bl_row {
	const struct bl_key *k;
	const diag *d;
	unsigned long line;
};

static int bl_row_cmp(const void *pa, const void *pb)
{
	const struct bl_row *a = pa, *b = pb;
	int c = strcmp(a->k->path, b->k->path);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	c = strcmp(a->d->code, b->d->code);
	if (c)
		return c;
	return a->k->idx < b->k->idx ? -1 : a->k->idx > b->k->idx;
}

long baseline_write(const char *path, const diag_list *l, char *err, size_t errlen)
{
	char *d = path_dirname(path), *dir = path_absolute(d), why[256];
	struct bl_key *k;
	struct bl_row *rows;
	size_t n;
	outfile o;
	free(d);
	if (!dir) {
		snprintf(err, errlen, "%s: error: cannot resolve the baseline's directory", path);
		return -1;
	}
	k = bl_keys(dir, l, 0, &n);
	rows = xrealloc(NULL, (n ? n : 1) * sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		rows[i].k = &k[i];
		rows[i].d = &l->items[k[i].idx];
		rows[i].line = rows[i].d->located ? source_pos(rows[i].d->src, rows[i].d->span.start).line : 0;
	}
	qsort(rows, n, sizeof *rows, bl_row_cmp);
	if (outfile_open(&o, path, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: error: cannot write baseline: %s", path, why);
		free(rows);
		bl_keys_free(k, n);
		free(dir);
		return -1;
	}
	fputs(BASELINE_MAGIC "\n"
	      "# Findings 'lossc lint --baseline FILE' hides: written by 'lossc lint --write-baseline FILE'.\n"
	      "# FINGERPRINT:N, CODE, PATH (relative to this file), then LINE and MESSAGE as they were.\n", o.f);
	for (size_t i = 0; i < n; i++) {
		fprintf(o.f, "%016llx:%lu\t%s\t", (unsigned long long)rows[i].k->fp, rows[i].k->occ, rows[i].d->code);
		bl_put_path(o.f, rows[i].k->path);
		fprintf(o.f, "\t%lu\t", rows[i].line);
		for (const char *m = rows[i].d->message; *m; m++)
			fputc(*m == '\t' || *m == '\n' || *m == '\r' ? ' ' : *m, o.f);
		fputc('\n', o.f);
	}
	free(rows);
	bl_keys_free(k, n);
	free(dir);
	if (outfile_commit(&o, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: error: cannot write baseline: %s", path, why);
		return -1;
	}
	return (long)n;
}
