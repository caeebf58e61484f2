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
 * The lines an allow covers: its own line when it trails code; the next
 * line that holds code when it stands alone; and when that line opens a
 * declaration (`goal safety {`), every line of the declaration.  first 0:
 * nothing (a standalone allow at the end of the file).
 */
static void sup_range(const ast_file *f, struct sup_dir *sd)
{
	const ast_directive *d = sd->d;
	sd->first = sd->last = d->standalone ? d->target_line : d->line;
	sd->decl = NULL;
	if (!d->standalone || sd->first == 0)
		return;
	for (const ast_decl *dc = f->decls; dc; dc = dc->next) {
		unsigned long l = source_pos(f->src, dc->kw.start).line;
		if (l > sd->first)
			break;
		if (l == sd->first) {
			sd->decl = dc;
			sd->last = source_pos(f->src, dc->span.end > dc->span.start ? dc->span.end - 1 : dc->span.start).line;
			return;
		}
	}
}

static unsigned long sup_line(const diag *dg)
{
	return dg->located ? source_pos(dg->src, dg->span.start).line : 0;
}

/* Silence findings of items[from..n) matched by dirs; returns nothing. */
static void sup_silence(struct sup_dir *dirs, size_t nd, diag_list *diags, size_t from, const source *src,
			int only_file)
{
	size_t i = from;
	while (i < diags->n) {
		diag *dg = &diags->items[i];
		int hit = 0;
		size_t k, e;
		unsigned long line;
		if (dg->src != src || strcmp(dg->code, "LS008") == 0) {
			i++;
			continue;
		}
		line = sup_line(dg);
		for (k = 0; k < nd; k++) {
			struct sup_dir *sd = &dirs[k];
			if (!sd->e || (only_file && !sd->file))
				continue;
			if (!sd->file && (sd->first == 0 || line < sd->first || line > sd->last))
				continue;
			for (e = 0; e < sd->n; e++)
				if (sel_match(sd->e[e].pat, dg->code)) {
					sd->e[e].used = 1;
					hit = 1;
				}
		}
		if (hit)
			diag_remove(diags, i);
		else
			i++;
	}
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
	size_t nd = 0, k, e, stale_from;
	for (d = f->directives; d; d = d->next)
		nd++;
	if (nd == 0)
		return;
	dirs = xcalloc(nd, sizeof *dirs);
	for (k = 0, d = f->directives; d; d = d->next, k++) {
		char why[256];
		if (sup_parse(d, &dirs[k], why, sizeof why) != 0)
			diag_code(diags, f->src, d->span, "LS008", "%s", why);
		sup_range(f, &dirs[k]);
	}
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
