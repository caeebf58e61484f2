/*
 * explain.c: `lossc explain CODE` and `lossc rules [--test DIR]`.  Owned
 * by the linter.  Both read the one catalogue of built-in codes
 * (codes.h) and the rule files (prose.h), so a user's rule is explained
 * and listed exactly like a built-in one.
 */
#define _XOPEN_SOURCE 700      /* realpath */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "codes.h"
#include "lang.h"
#include "prose.h"
#include "xalloc.h"

#define EXPLAIN_MAX_DIRS 64

static int explain_write_failed(const char *cmd)
{
	fprintf(stderr, "lossc %s: error writing standard output: %s\n", cmd, strerror(errno));
	return 2;
}

/* Collect "--rules DIR" / "--rules=DIR" options; other arguments stay in argv order. */
static int explain_args(const char *cmd, int argc, char **argv, const char **dirs, size_t *ndirs,
			char **rest, int *nrest, int *test, const char **words, const char **help)
{
	int i, only = 0;
	*ndirs = 0;
	*nrest = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!only && strcmp(a, "--") == 0) {
			only = 1;
		} else if (!only && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
			fputs(*help, stdout);
			return fflush(stdout) ? explain_write_failed(cmd) : 0;
		} else if (!only && test && strcmp(a, "--test") == 0) {
			*test = 1;
		} else if (!only && words && (strcmp(a, "--words") == 0 || strncmp(a, "--words=", 8) == 0)) {
			*words = a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : NULL);
			if (!*words || !**words) {
				fprintf(stderr, "lossc %s: option '--words' needs a class name\n", cmd);
				return 2;
			}
		} else if (!only && (strcmp(a, "--rules") == 0 || strncmp(a, "--rules=", 8) == 0)) {
			const char *v = a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : NULL);
			if (!v || !*v) {
				fprintf(stderr, "lossc %s: option '--rules' needs a directory\n", cmd);
				return 2;
			}
			if (*ndirs == EXPLAIN_MAX_DIRS) {
				fprintf(stderr, "lossc %s: too many --rules options (at most %d)\n", cmd, EXPLAIN_MAX_DIRS);
				return 2;
			}
			dirs[(*ndirs)++] = v;
		} else if (!only && a[0] == '-' && a[1]) {
			fprintf(stderr, "lossc %s: unknown option '%s'\nTry 'lossc %s --help' for more information.\n",
				cmd, a, cmd);
			return 2;
		} else {
			rest[(*nrest)++] = argv[i];
		}
	}
	return -1;
}

static const char explain_help[] =
	"Usage: lossc explain [--rules DIR]... CODE\n"
	"Print the long explanation of a finding code: built-in checks and prose\n"
	"rules alike (the built-in rules plus those of each --rules DIR).\n"
	"Exit status: 0, or 2 for an unknown code or a broken rule file.\n";

/* Print text indented by two; long lines (rule files join theirs) are wrapped at 76,
   at a blank: a word longer than a line (a URL) stays whole, on a line of its own. */
static void explain_indent(const char *text)
{
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, "\n");
		const char *line = p;
		if (n == 0)
			putchar('\n');
		while (n > 0) {
			size_t take = n, k;
			if (n > 74) {
				for (k = 74; k > 0 && line[k] != ' '; k--)
					;
				if (k == 0)     /* no blank to wrap at: the word whole */
					for (k = 74; k < n && line[k] != ' '; k++)
						;
				take = k;
			}
			printf("  %.*s\n", (int)take, line);
			line += take;
			n -= take;
			while (n > 0 && *line == ' ')
				line++, n--;
		}
		p += strcspn(p, "\n");
		if (*p == '\n')
			p++;
	}
}

int cmd_explain(int argc, char **argv)
{
	const char *dirs[EXPLAIN_MAX_DIRS], *help = explain_help;
	char **rest = xcalloc((size_t)argc + 1, sizeof *rest), err[1024];
	size_t ndirs, i;
	int nrest, rc;
	prose_set *set;
	const code_info *ci;
	const prose_rule *r;
	char code[16];

	rc = explain_args("explain", argc, argv, dirs, &ndirs, rest, &nrest, NULL, NULL, &help);
	if (rc >= 0) {
		free(rest);
		return rc;
	}
	if (nrest != 1) {
		free(rest);
		fputs(nrest ? "lossc explain: give one code\n" : "lossc explain: missing CODE (for example: lossc explain LS201)\n",
		      stderr);
		fputs("Try 'lossc explain --help' for more information.\n", stderr);
		return 2;
	}
	snprintf(code, sizeof code, "%s", rest[0]);
	free(rest);
	for (i = 0; code[i]; i++)
		if (code[i] >= 'a' && code[i] <= 'z')
			code[i] = (char)(code[i] - 32);
	ci = codes_find(code);
	if (ci) {
		printf("%s (%s): %s\n\n", ci->code, diag_severity_name(ci->sev), ci->title);
		explain_indent(ci->explain);
		return fflush(stdout) || ferror(stdout) ? explain_write_failed("explain") : 0;
	}
	set = prose_load_all(dirs, ndirs, err, sizeof err);
	if (!set) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	r = prose_find(set, code);
	if (!r) {
		fprintf(stderr, "lossc explain: unknown code '%s' ('lossc rules' lists every code)\n", code);
		prose_set_free(set);
		return 2;
	}
	printf("%s (%s): %s\n", r->code, diag_severity_name(r->sev), r->title);
	printf("  rule file: %s%s\n\n", r->path, r->builtin ? " (built-in)" : "");
	if (r->explain) {
		explain_indent(r->explain);
		putchar('\n');
	}
	if (r->nbad) {
		puts("  Fires on, for example:");
		for (i = 0; i < r->nbad; i++)
			printf("    %s\n", r->bad[i].text);
	}
	if (r->ngood) {
		puts("  Does not fire on:");
		for (i = 0; i < r->ngood; i++)
			printf("    %s\n", r->good[i].text);
	}
	prose_set_free(set);
	return fflush(stdout) || ferror(stdout) ? explain_write_failed("explain") : 0;
}

static const char rules_help[] =
	"Usage: lossc rules [--rules DIR]...\n"
	"       lossc rules --test [DIR]...\n"
	"       lossc rules [--rules DIR]... --words CLASS\n"
	"List every finding code (built-in checks and prose rules) with its\n"
	"severity, title and where it is defined; with --test, check that each\n"
	"rule of each DIR (default: the built-in rules) fires on every 'bad:'\n"
	"example and on no 'good:' example, and each frame on some 'bad:' one\n"
	"(DIR's rules may use the built-in word classes); with --words, print\n"
	"every form a word class generates (see lossc-rules(5)).\n"
	"Exit status: 0; with --test 1 when an example fails; 2 for a broken\n"
	"rule file or a usage error.\n";

/* `lossc rules --words CLASS`: what a class matches, as generated. */
static int rules_print_words(const lang *L, const char *name)
{
	size_t c = lang_class_find(L, name), i, n, col = 0;
	const char *const *v;
	if (c == LANG_NONE) {
		fprintf(stderr, "lossc rules: no word class '%s' (classes:", name);
		for (i = 0; i < lang_class_count(L); i++)
			fprintf(stderr, " %s", lang_class_name(L, i));
		fputs(")\n", stderr);
		return 2;
	}
	if (lang_class_title(L, c))
		printf("%s: %s  [%s]\n", name, lang_class_title(L, c), lang_class_path(L, c));
	else
		printf("%s  [%s]\n", name, lang_class_path(L, c));
	n = lang_class_forms(L, c, &v);
	for (i = 0; i < n; i++) {
		size_t w = strlen(v[i]) + 2;
		if (col && col + w > 76) {
			fputs(",\n", stdout);
			col = 0;
		}
		printf("%s%s", col ? ", " : "  ", v[i]);
		col += w;
	}
	if (col)
		putchar('\n');
	n = lang_class_phrases(L, c, &v);
	for (i = 0; i < n; i++)
		printf("  %s\n", v[i]);
	return 0;
}

/* Two paths name one directory (the built-in rules tested by path). */
static int explain_same_dir(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];
	if (!a || !b)
		return a == b;
	return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

static void rules_print_code(const code_info *ci, void *ctx)
{
	(void)ctx;
	printf("%-7s %-8s %s  [built-in]\n", ci->code, diag_severity_name(ci->sev), ci->title);
}

int cmd_rules(int argc, char **argv)
{
	const char *dirs[EXPLAIN_MAX_DIRS], *help = rules_help;
	char **rest = xcalloc((size_t)argc + 1, sizeof *rest), err[1024];
	size_t ndirs, i;
	int nrest, rc, test = 0;
	const char *words = NULL;
	prose_set *set;

	rc = explain_args("rules", argc, argv, dirs, &ndirs, rest, &nrest, &test, &words, &help);
	if (rc >= 0) {
		free(rest);
		return rc;
	}
	if (test) {
		int fails = 0, k, is_builtin;
		size_t nrules = 0, mine;
		/* The directories to test: the arguments, or the built-in rules. */
		const char *builtin = prose_builtin_dir();
		for (k = 0; k < nrest || (nrest == 0 && k == 0); k++) {
			const char *dir = nrest ? rest[k] : builtin;
			if (!dir) {
				const char *env = getenv("LOSSC_RULES_DIR");
				if (env && *env)
					fprintf(stderr, "lossc rules: LOSSC_RULES_DIR is '%s', which is not a directory\n",
						env);
				else
					fputs("lossc rules: cannot find the built-in rules directory\n", stderr);
				free(rest);
				return 2;
			}
			/* DIR's rules may use the built-in word classes and contexts:
			   load the built-in directory first, test DIR's rules only. */
			is_builtin = explain_same_dir(dir, builtin);
			set = prose_load_all(is_builtin ? NULL : &dir, is_builtin ? 0 : 1, err, sizeof err);
			if (!set) {
				fprintf(stderr, "%s\n", err);
				free(rest);
				return 2;
			}
			for (i = 0, mine = 0; i < prose_count(set); i++)
				mine += is_builtin || !prose_rule_at(set, i)->builtin;
			if (mine == 0) {
				fprintf(stdout, "%s: error: no .rule files in this directory\n", dir);
				fails++;
			}
			for (i = 0; i < prose_count(set); i++) {
				const prose_rule *r = prose_rule_at(set, i);
				int f;
				if (!is_builtin && r->builtin)
					continue;
				f = prose_test_rule(set, r, stdout);
				printf("%s %s %s (%lu bad, %lu good)\n", f ? "FAIL" : "ok  ", r->code, r->name,
				       (unsigned long)r->nbad, (unsigned long)r->ngood);
				fails += f;
				nrules++;
			}
			prose_set_free(set);
		}
		printf("%lu rules tested, %d failure%s\n", (unsigned long)nrules, fails, fails == 1 ? "" : "s");
		free(rest);
		if (fflush(stdout) || ferror(stdout))
			return explain_write_failed("rules");
		return fails ? 1 : 0;
	}
	free(rest);
	if (nrest) {
		fputs("lossc rules: unexpected argument (did you mean --test DIR or --rules DIR?)\n", stderr);
		return 2;
	}
	set = prose_load_all(dirs, ndirs, err, sizeof err);
	if (!set) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (words) {
		rc = rules_print_words(prose_lang(set), words);
		prose_set_free(set);
		return rc ? rc : fflush(stdout) || ferror(stdout) ? explain_write_failed("rules") : 0;
	}
	codes_foreach(rules_print_code, NULL);
	for (i = 0; i < prose_count(set); i++) {
		const prose_rule *r = prose_rule_at(set, i);
		printf("%-7s %-8s %s  [%s]\n", r->code, diag_severity_name(r->sev), r->title, r->path);
	}
	prose_set_free(set);
	return fflush(stdout) || ferror(stdout) ? explain_write_failed("rules") : 0;
}
