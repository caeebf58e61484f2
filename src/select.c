/*
 * select.c: code patterns and the selection rule of select.h.
 */
#include "select.h"

#include "suggest.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sel_pattern_ok(const char *s, size_t len)
{
	size_t i = 0;
	if (len == 0 || len > 7)
		return 0;
	while (i < len && isalpha((unsigned char)s[i]) && s[i] != 'x' && s[i] != 'X')
		i++;
	if (i == 0)
		return 0;
	while (i < len && isdigit((unsigned char)s[i]))
		i++;
	while (i < len && (s[i] == 'x' || s[i] == 'X'))
		i++;
	return i == len;
}

size_t sel_match(const char *p, const char *code)
{
	size_t n = strlen(p);
	if (n == 0 || strncmp(p, code, n) != 0)
		return 0;
	return n;
}

int sel_list_add(sel_list *l, const char *text, char *bad, size_t badlen)
{
	const char *p = text;
	for (;;) {
		size_t n, i;
		char *pat;
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return 0;
		n = strcspn(p, ", \t");
		if (!sel_pattern_ok(p, n)) {
			snprintf(bad, badlen, "%.*s", (int)(n > 64 ? 64 : n), p);
			return -1;
		}
		pat = xmalloc(n + 1);
		l->pats = xrealloc(l->pats, (l->n + 1) * sizeof *l->pats);
		for (i = 0; i < n && p[i] != 'x' && p[i] != 'X'; i++)
			pat[i] = (char)toupper((unsigned char)p[i]);
		pat[i] = '\0';
		l->pats[l->n++] = pat;
		p += n;
	}
}

void sel_list_free(sel_list *l)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		free(l->pats[i]);
	free(l->pats);
	l->pats = NULL;
	l->n = 0;
}

size_t sel_list_match(const sel_list *l, const char *code)
{
	size_t i, best = 0;
	for (i = 0; i < l->n; i++) {
		size_t m = sel_match(l->pats[i], code);
		if (m > best)
			best = m;
	}
	return best;
}

void sel_list_push(sel_list *l, const char *pat)
{
	size_t n = strlen(pat) + 1;
	char *p = xmalloc(n);
	l->pats = xrealloc(l->pats, (l->n + 1) * sizeof *l->pats);
	memcpy(p, pat, n);
	l->pats[l->n++] = p;
}

void sel_list_remove(sel_list *l, const char *pat)
{
	size_t i, k = 0;
	for (i = 0; i < l->n; i++) {
		if (strcmp(l->pats[i], pat) == 0)
			free(l->pats[i]);
		else
			l->pats[k++] = l->pats[i];
	}
	l->n = k;
}

int sel_enabled(const selection *s, const char *code)
{
	if (sel_list_match(&s->per_file, code))
		return 0;
	size_t sel = sel_list_match(&s->select, code), ign = sel_list_match(&s->ignore, code);
	size_t en, dis;
	if (sel || ign)
		return sel > ign;
	if (s->select.n)
		return 0;
	en = sel_list_match(&s->enable, code);
	dis = sel_list_match(&s->disable, code);
	if (en || dis)
		return en >= dis;
	return 1;
}

/* ---- known codes ----------------------------------------------------- */

void sel_known_add(sel_known *k, const char *code)
{
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->codes[i], code) == 0)
			return;
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 128;
		k->codes = xrealloc(k->codes, k->cap * sizeof *k->codes);
	}
	k->codes[k->n++] = code;
}

void sel_known_free(sel_known *k)
{
	free(k->codes);
	memset(k, 0, sizeof *k);
}

int sel_known_has(const sel_known *k, const char *pat)
{
	for (size_t i = 0; i < k->n; i++)
		if (sel_match(pat, k->codes[i]))
			return 1;
	return 0;
}

/* The number in a code ("LS215" -> 215), for ranking equally close suggestions. */
static long sel_number(const char *s)
{
	while (*s && !isdigit((unsigned char)*s))
		s++;
	return strtol(s, NULL, 10);
}

static int sel_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void sel_known_why(const sel_known *k, const char *pat, char *buf, size_t n)
{
	size_t plen = strlen(pat), i, bestd = SUGGEST_FAR;
	const char *best = NULL;
	int is_code = 0;
	for (i = 0; i < k->n; i++)
		if (strlen(k->codes[i]) == plen)
			is_code = 1;
	if (is_code) {
		/* the closest code; among equally close ones the nearest number */
		long want = sel_number(pat);
		for (i = 0; i < k->n; i++) {
			size_t d = suggest_distance(pat, plen, k->codes[i], strlen(k->codes[i]));
			if (d > 2 || d > bestd)
				continue;
			if (d < bestd || labs(sel_number(k->codes[i]) - want) < labs(sel_number(best) - want) ||
			    (labs(sel_number(k->codes[i]) - want) == labs(sel_number(best) - want) &&
			     strcmp(k->codes[i], best) < 0)) {
				best = k->codes[i];
				bestd = d;
			}
		}
		if (best)
			snprintf(buf, n, "no finding code %s (did you mean %s?)", pat, best);
		else
			snprintf(buf, n, "no finding code %s ('lossc rules' lists them)", pat);
		return;
	}
	/* a family: list the families of that length */
	char fams[32][8];
	const char *sorted[32];
	size_t nf = 0, k0;
	for (i = 0; i < k->n && nf < 32; i++) {
		const char *c = k->codes[i];
		if (strlen(c) <= plen)
			continue;
		for (k0 = 0; k0 < nf; k0++)
			if (strncmp(fams[k0], c, plen) == 0)
				break;
		if (k0 == nf) {
			snprintf(fams[nf], sizeof fams[nf], "%.*s", (int)(plen < 7 ? plen : 7), c);
			nf++;
		}
	}
	for (i = 0; i < nf; i++)
		sorted[i] = fams[i];
	qsort(sorted, nf, sizeof *sorted, sel_str_cmp);
	int w = snprintf(buf, n, "no finding code starts with %s", pat);
	for (i = 0; i < nf && w >= 0 && (size_t)w < n; i++)
		w += snprintf(buf + w, n - (size_t)w, "%s%s", i ? ", " : " (families: ", sorted[i]);
	if (nf && w >= 0 && (size_t)w < n)
		snprintf(buf + w, n - (size_t)w, ")");
}
