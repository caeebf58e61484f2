/*
 * select.c: code patterns and the selection rule of select.h.
 */
#include "select.h"

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
		pat = malloc(n + 1);
		l->pats = realloc(l->pats, (l->n + 1) * sizeof *l->pats);
		if (!pat || !l->pats) {
			fputs("lossc: out of memory\n", stderr);
			abort();
		}
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

int sel_enabled(const selection *s, const char *code)
{
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
