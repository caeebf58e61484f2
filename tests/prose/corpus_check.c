/*
 * corpus_check: run the built-in prose rules over tests/prose/corpus.txt
 * and print precision and recall.
 *
 * A firing is one (sentence, code) pair.  It is correct when the sentence
 * lists that code; precision = correct firings / all firings, recall =
 * listed (sentence, code) pairs that fired / all listed pairs.  Every
 * miss and every false alarm is printed.  Fails when either figure is
 * below its floor (the floors are what the rule set reached when the
 * corpus was written; a rule change that loses ground fails the build).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prose.h"

#define PRECISION_FLOOR 0.95
#define RECALL_FLOOR 0.95

static void count(size_t s, size_t e, void *ctx)
{
	(void)s;
	(void)e;
	(*(int *)ctx)++;
}

int main(int argc, char **argv)
{
	const char *top = getenv("top_srcdir");
	char path[4096], rules[4096], err[1024], line[2048];
	prose_set *set;
	FILE *f;
	unsigned long lineno = 0;
	int fired = 0, correct = 0, listed = 0, found = 0, must = 0, mustnot = 0;
	double precision, recall;

	if (!top)
		top = ".";
	snprintf(path, sizeof path, "%s", argc > 1 ? argv[1] : "");
	if (!path[0])
		snprintf(path, sizeof path, "%s/tests/prose/corpus.txt", top);
	snprintf(rules, sizeof rules, "%s/rules", top);
	set = prose_set_new();
	if (prose_load_dir(set, rules, 1, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		return 2;
	}
	while (fgets(line, sizeof line, f)) {
		char *bar, *sent, codes[sizeof line + 4];
		size_t i, n;
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		bar = strchr(line, '|');
		if (!bar) {
			fprintf(stderr, "%s:%lu: no '|'\n", path, lineno);
			return 2;
		}
		*bar = '\0';
		snprintf(codes, sizeof codes, " %s ", line);
		for (sent = bar + 1; *sent == ' '; sent++)
			;
		n = strlen(sent);
		if (strstr(codes, " - "))
			mustnot++;
		else
			must++;
		for (i = 0; i < prose_count(set); i++) {
			const prose_rule *r = prose_rule_at(set, i);
			char key[16];
			int hits = 0, want;
			size_t where;
			snprintf(key, sizeof key, " %s ", r->code);
			want = strstr(codes, key) != NULL;
			listed += want;
			if (prose_match(set, r, sent, n, count, &hits, &where)) {
				fprintf(stderr, "%s:%lu: %s gave up\n", path, lineno, r->code);
				return 2;
			}
			if (hits) {
				fired++;
				if (want) {
					correct++;
					found++;
				} else {
					printf("false alarm %s at line %lu: %s\n", r->code, lineno, sent);
				}
			} else if (want) {
				printf("missed %s at line %lu: %s\n", r->code, lineno, sent);
			}
		}
	}
	fclose(f);
	prose_set_free(set);
	precision = fired ? (double)correct / fired : 1.0;
	recall = listed ? (double)found / listed : 1.0;
	printf("corpus: %d must-fire and %d must-not-fire sentences\n", must, mustnot);
	printf("precision %.3f (%d of %d firings correct), recall %.3f (%d of %d expected firings)\n",
	       precision, correct, fired, recall, found, listed);
	if (must < 30 || mustnot < 30) {
		printf("corpus too small: need at least 30 of each kind\n");
		return 1;
	}
	return precision >= PRECISION_FLOOR && recall >= RECALL_FLOOR ? 0 : 1;
}
