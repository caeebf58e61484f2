/*
 * suggest.c: edit distance and the closest-candidate picker of suggest.h.
 */
#include "suggest.h"

#include <string.h>

size_t suggest_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t d[SUGGEST_MAX_LEN + 2][SUGGEST_MAX_LEN + 2];
	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
		return SUGGEST_FAR;
	for (size_t i = 0; i <= la; i++) d[i][0] = i;
	for (size_t j = 0; j <= lb; j++) d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t c = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + c < v) v = d[i - 1][j - 1] + c;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

void suggest_init(suggest *s, const char *word, size_t len, size_t maxd)
{
	s->word = word;
	s->len = len;
	s->maxd = maxd;
	s->best = NULL;
	s->bestd = SUGGEST_FAR;
}

void suggest_offer(suggest *s, const char *candidate)
{
	size_t d = suggest_distance(s->word, s->len, candidate, strlen(candidate));
	if (d <= s->maxd && d < s->bestd) {
		s->best = candidate;
		s->bestd = d;
	}
}
