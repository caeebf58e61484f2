/*
 * suppress.c: reading `lossc:` directives and silencing findings.
 *
 * Grammar of a directive body (the text after "lossc:"):
 *     ("allow" | "allow-file") CODE ("," CODE)* ("--" REASON)?
 * where CODE is a code or family pattern (select.h).  Codes may also be
 * separated by blanks.  Anything else is LS008, and the directive then
 * silences nothing (a half-understood allow must not hide findings).
 */
#include "suppress.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "select.h"
#include "xalloc.h"

struct sup_entry {
	char pat[8];
	int used;
	int stale;              /* reported as LS009 */
	size_t off, len;        /* the code as written, in the body */
};

struct sup_dir {
	const ast_directive *d;
	int file;               /* allow-file */
	unsigned long first, last;      /* lines covered (an allow) */
	const ast_decl *decl;   /* the declaration a standalone allow opens, or NULL */
	struct sup_entry *e;
	size_t n;
};

static int sup_is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Parse one body.  Returns 0, or -1 with a reason in why. */
static int sup_parse(const ast_directive *d, struct sup_dir *out, char *why, size_t whylen)
{
	const char *p = d->body, *end = d->body + d->body_len;
	size_t vl = 0;
	memset(out, 0, sizeof *out);
	out->d = d;
	while (p + vl < end && !sup_is_space(p[vl]) && p[vl] != ',')
		vl++;
	if (vl == 5 && memcmp(p, "allow", 5) == 0) {
		out->file = 0;
	} else if (vl == 10 && memcmp(p, "allow-file", 10) == 0) {
		out->file = 1;
	} else {
		snprintf(why, whylen, "unknown lossc directive '%.*s': use 'allow CODES -- reason' or 'allow-file CODES -- reason'",
			 (int)(vl > 40 ? 40 : vl), p);
		return -1;
	}
	p += vl;
	for (;;) {
		size_t n = 0;
		while (p < end && (sup_is_space(*p) || *p == ','))
			p++;
		if (p >= end)
			break;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break;
		while (p + n < end && !sup_is_space(p[n]) && p[n] != ',')
			n++;
		if (!sel_pattern_ok(p, n)) {
			snprintf(why, whylen, "'%.*s' is not a finding code or family (such as LS201 or LS2)",
				 (int)(n > 40 ? 40 : n), p);
			free(out->e);
			out->e = NULL;
			out->n = 0;     /* the entries are gone: callers loop over n */
			return -1;
		}
		out->e = xrealloc(out->e, (out->n + 1) * sizeof *out->e);
		{
			size_t i, k = 0;
			for (i = 0; i < n && p[i] != 'x' && p[i] != 'X'; i++)
				out->e[out->n].pat[k++] = (char)(p[i] >= 'a' && p[i] <= 'z' ? p[i] - 32 : p[i]);
			out->e[out->n].pat[k] = '\0';
		}
		out->e[out->n].used = 0;
		out->e[out->n].stale = 0;
		out->e[out->n].off = (size_t)(p - d->body);
		out->e[out->n].len = n;
		out->n++;
		p += n;
	}
	if (out->n == 0) {
		snprintf(why, whylen, "'%s' names no finding code (write e.g. 'allow LS201 -- reason')",
			 out->file ? "allow-file" : "allow");
		return -1;
	}
	return 0;
}

/*
 * The declarations' first lines, in file order (so sorted), for finding
 * the declaration a standalone allow opens by binary search: a file of
 * many declarations and many allows must not cost their product.
 */
struct sup_decls {
	const ast_decl **d;
	unsigned long *line;
	size_t n;
};

static void sup_decls_init(const ast_file *f, struct sup_decls *ds)
{
	size_t n = 0;
	memset(ds, 0, sizeof *ds);
	for (const ast_decl *dc = f->decls; dc; dc = dc->next)
		n++;
	if (n == 0)
		return;
	ds->d = xmalloc(n * sizeof *ds->d);
	ds->line = xmalloc(n * sizeof *ds->line);
	for (const ast_decl *dc = f->decls; dc; dc = dc->next, ds->n++) {
		ds->d[ds->n] = dc;
		ds->line[ds->n] = source_line_of(f->src, dc->kw.start);
	}
}

/* The first declaration whose keyword is on line l, or NULL. */
static const ast_decl *sup_decl_at(const struct sup_decls *ds, unsigned long l)
{
	size_t lo = 0, hi = ds->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ds->line[mid] < l)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ds->n && ds->line[lo] == l ? ds->d[lo] : NULL;
}

/*
 * The lines an allow covers: its own line when it trails code; the next
 * line that holds code when it stands alone; and when that line opens a
 * declaration (`goal safety {`), every line of the declaration.  first 0:
 * nothing (a standalone allow at the end of the file).
 */
static void sup_range(const ast_file *f, const struct sup_decls *ds, struct sup_dir *sd)
{
	const ast_directive *d = sd->d;
	sd->first = sd->last = d->standalone ? d->target_line : d->line;
	sd->decl = NULL;
	if (!d->standalone || sd->first == 0)
		return;
	if (d->target_end_line) {       /* a document's block */
		if (d->target_end_line > sd->last)
			sd->last = d->target_end_line;
		return;
	}
	sd->decl = sup_decl_at(ds, sd->first);
	if (sd->decl) {
		const ast_decl *dc = sd->decl;
		sd->last = source_line_of(f->src, dc->span.end > dc->span.start ? dc->span.end - 1 : dc->span.start);
	}
}

static unsigned long sup_line(const diag *dg)
{
	return dg->located ? source_line_of(dg->src, dg->span.start) : 0;
}

/*
 * Where to look for the allows that cover a finding.  The line allows
 * are sorted by first line, with reach[i] the largest last line among
 * the first i + 1 of them: those covering line L have first <= L (a
 * binary search gives the end of that run), and the walk back from
 * there stops as soon as reach[] falls below L, since no earlier allow
 * gets that far.  Ranges are short in practice (a line, a
 * declaration), so each finding looks at the few allows around it,
 * not at every allow of the file.
 */
struct sup_index {
	struct sup_dir **line, **file;
	unsigned long *reach;
	size_t nline, nfile;
};

static int sup_by_first(const void *a, const void *b)
{
	unsigned long x = (*(struct sup_dir *const *)a)->first, y = (*(struct sup_dir *const *)b)->first;
	return x < y ? -1 : x > y;
}

static void sup_index_init(struct sup_index *ix, struct sup_dir *dirs, size_t nd, int only_file)
{
	memset(ix, 0, sizeof *ix);
	ix->line = xmalloc(nd * sizeof *ix->line);
	ix->file = xmalloc(nd * sizeof *ix->file);
	ix->reach = xmalloc(nd * sizeof *ix->reach);
	for (size_t k = 0; k < nd; k++) {
		struct sup_dir *sd = &dirs[k];
		if (!sd->e)
			continue;
		if (sd->file)
			ix->file[ix->nfile++] = sd;
		else if (!only_file && sd->first != 0)
			ix->line[ix->nline++] = sd;
	}
	qsort(ix->line, ix->nline, sizeof *ix->line, sup_by_first);
	for (size_t i = 0; i < ix->nline; i++)
		ix->reach[i] = i > 0 && ix->reach[i - 1] > ix->line[i]->last ? ix->reach[i - 1] : ix->line[i]->last;
}

static void sup_index_free(struct sup_index *ix)
{
	free(ix->line);
	free(ix->file);
	free(ix->reach);
}

/* Mark every entry of sd matching code as used; 1 when one did. */
static int sup_use(struct sup_dir *sd, const char *code)
{
	int hit = 0;
	for (size_t e = 0; e < sd->n; e++)
		if (sel_match(sd->e[e].pat, code)) {
			sd->e[e].used = 1;
			hit = 1;
		}
	return hit;
}

/* Silence the findings of items[from..n) about src that dirs cover (only allow-file ones when only_file). */
static void sup_silence(struct sup_dir *dirs, size_t nd, diag_list *diags, size_t from, const source *src,
			int only_file)
{
	struct sup_index ix;
	char *drop;
	if (from >= diags->n)
		return;
	drop = xcalloc(diags->n, 1);
	sup_index_init(&ix, dirs, nd, only_file);
	for (size_t i = from; i < diags->n; i++) {
		const diag *dg = &diags->items[i];
		unsigned long line;
		size_t lo = 0, hi = ix.nline;
		int hit = 0;
		if (dg->src != src || strcmp(dg->code, "LS008") == 0)
			continue;
		for (size_t k = 0; k < ix.nfile; k++)
			hit |= sup_use(ix.file[k], dg->code);
		line = sup_line(dg);
		while (lo < hi) {       /* hi: the first allow starting after line */
			size_t mid = lo + (hi - lo) / 2;
			if (ix.line[mid]->first <= line)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t j = hi; j > 0 && ix.reach[j - 1] >= line; j--)
			if (ix.line[j - 1]->last >= line)
				hit |= sup_use(ix.line[j - 1], dg->code);
		drop[i] = (char)hit;
	}
	sup_index_free(&ix);
	diag_remove_marked(diags, from, drop);
	free(drop);
}

/* Offset in the source of a directive's body (the text after "lossc:"), as the scanner found it. */
static size_t sup_body_off(const source *src, const ast_directive *d)
{
	size_t i = d->span.start + 2;
	while (i < d->span.end && (src->text[i] == ' ' || src->text[i] == '\t'))
		i++;
	i += 6;                 /* "lossc:" */
	while (i < d->span.end && (src->text[i] == ' ' || src->text[i] == '\t'))
		i++;
	return i;
}

/*
 * The fix of a stale entry (safe: an allow comment is not the loss).
 * When every entry of the directive is stale the whole comment goes: a
 * standalone one with its line, a trailing one with the blanks before
 * it.  Otherwise only the code goes, with the comma or blank that
 * separates it from its neighbour.
 */
static void sup_fix(const source *src, const struct sup_dir *sd, size_t e, diag *dg)
{
	const char *t = src->text;
	size_t all = 1, a, b;
	/*
	 * A document's comment may sit in a block quote or run over lines:
	 * deleting it, or a code from it, could change the document's
	 * structure.  The writer edits it; LS009 says what to remove.
	 */
	if (sd->d->document)
		return;
	for (size_t k = 0; k < sd->n; k++)
		if (!sd->e[k].stale)
			all = 0;
	if (all) {
		a = sd->d->span.start;
		b = sd->d->span.end;
		while (a > src->body && (t[a - 1] == ' ' || t[a - 1] == '\t'))
			a--;
		if (sd->d->standalone) {
			if (b < src->len && t[b] == '\r')
				b++;
			if (b < src->len && t[b] == '\n')
				b++;
		}
		diag_set_fix(dg, (span){(uint32_t)a, (uint32_t)b}, "");
		return;
	}
	size_t body = sup_body_off(src, sd->d);
	if (e > 0) {            /* ", LS105": from the end of the previous code */
		a = body + sd->e[e - 1].off + sd->e[e - 1].len;
		b = body + sd->e[e].off + sd->e[e].len;
	} else {                /* "LS105, ": up to the next code */
		a = body + sd->e[0].off;
		b = body + sd->e[1].off;
	}
	diag_set_fix(dg, (span){(uint32_t)a, (uint32_t)b}, "");
}

void suppress_apply(const ast_file *f, diag_list *diags, size_t first,
		    int (*enabled)(const char *code, void *ctx), void *ctx)
{
	const ast_directive *d;
	struct sup_dir *dirs = NULL;
	struct sup_decls decls;
	size_t nd = 0, k, e, stale_from;
	for (d = f->directives; d; d = d->next)
		nd++;
	if (nd == 0)
		return;
	dirs = xcalloc(nd, sizeof *dirs);
	sup_decls_init(f, &decls);
	for (k = 0, d = f->directives; d; d = d->next, k++) {
		char why[256];
		if (sup_parse(d, &dirs[k], why, sizeof why) != 0)
			diag_code(diags, f->src, d->span, "LS008", "%s", why);
		sup_range(f, &decls, &dirs[k]);
	}
	free(decls.d);
	free(decls.line);
	sup_silence(dirs, nd, diags, first, f->src, 0);
	stale_from = diags->n;
	for (k = 0; k < nd; k++)
		for (e = 0; e < dirs[k].n; e++) {
			const char *pat = dirs[k].e[e].pat;
			dirs[k].e[e].stale = !dirs[k].e[e].used && !sel_match(pat, "LS009") &&
					     !(enabled && strlen(pat) >= 5 && !enabled(pat, ctx));
		}
	for (k = 0; k < nd; k++) {
		struct sup_dir *sd = &dirs[k];
		for (e = 0; e < sd->n; e++) {
			const char *pat = sd->e[e].pat;
			diag *dg;
			if (!sd->e[e].stale)
				continue;
			if (sd->file)
				dg = diag_code(diags, f->src, sd->d->span, "LS009",
					  "'allow-file %s' suppresses nothing: no %s finding in this file", pat, pat);
			else if (sd->decl && sd->last > sd->first)
				dg = diag_code(diags, f->src, sd->d->span, "LS009",
					  "'allow %s' suppresses nothing: no %s finding in %s '%s' (lines %lu-%lu)", pat, pat,
					  ast_decl_kind_name(sd->decl->kind), sd->decl->name.s ? sd->decl->name.s : "",
					  sd->first, sd->last);
			else if (sd->decl)      /* the same words on one line: lossc fmt may join a declaration's lines */
				dg = diag_code(diags, f->src, sd->d->span, "LS009",
					  "'allow %s' suppresses nothing: no %s finding in %s '%s' (line %lu)", pat, pat,
					  ast_decl_kind_name(sd->decl->kind), sd->decl->name.s ? sd->decl->name.s : "",
					  sd->first);
			else if (sd->first && sd->last > sd->first)
				dg = diag_code(diags, f->src, sd->d->span, "LS009",
					  "'allow %s' suppresses nothing: no %s finding in the block on lines %lu-%lu",
					  pat, pat, sd->first, sd->last);
			else if (sd->first)
				dg = diag_code(diags, f->src, sd->d->span, "LS009",
					  "'allow %s' suppresses nothing: no %s finding on line %lu", pat, pat, sd->first);
			else
				dg = diag_code(diags, f->src, sd->d->span, "LS009",
					  "'allow %s' suppresses nothing: no line follows it", pat);
			if (dg)
				sup_fix(f->src, sd, e, dg);
		}
	}
	/* allow-file LS009 may silence the stale-allow findings just queued */
	for (k = 0; k < nd; k++)
		for (e = 0; e < dirs[k].n; e++)
			if (!sel_match(dirs[k].e[e].pat, "LS009"))
				dirs[k].e[e].used = 1;
	sup_silence(dirs, nd, diags, stale_from, f->src, 1);
	for (k = 0; k < nd; k++)
		free(dirs[k].e);
	free(dirs);
}
