/*
 * lint.c: `lossc lint`: options, configs and rule sets per file, the
 * passes (pipeline.h), rendering and the exit status (RULES.md "Command
 * line and exit codes").  A file that cannot be read, is not UTF-8 or has
 * syntax errors is "not analyzed": its findings are printed, the other
 * files still run, and the exit status is 2.
 */
#include "lint.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "doc.h"
#include "lintrun.h"
#include "opt.h"
#include "parse.h"
#include "pipeline.h"
#include "report.h"
#include "select.h"
#include "xalloc.h"

void lint_opts_init(lint_opts *o)
{
	memset(o, 0, sizeof *o);
	o->fail_on = SEV_WARNING;
	o->max_errors = PARSE_DEFAULT_MAX_ERRORS;
}

int lint_one(const source *src, const lint_opts *o, diag_list *diags)
{
	pipeline_opts po;
	if (o->lang != DOC_LOSS)
		return doc_lint(src, (doc_lang)o->lang, o, diags);
	pipeline_opts_init(&po);
	po.max_errors = o->max_errors;
	po.prose = o->prose;
	po.enabled = o->enabled;
	po.enabled_ctx = o->enabled_ctx;
	if (o->explain_value && !o->quiet)
		po.explain = o->explain_value == 2 ? stderr : stdout;
	return pipeline_run(src, &po, diags);
}

/* ---- the command ---------------------------------------------------- */

static const char lint_usage_text[] =
	"Usage: lossc lint [OPTION]... FILE|DIR...\n"
	"Analyze LossSpec files, and the prose of Markdown (.md, .markdown) and\n"
	"plain-text (.txt) documents, and print findings.  A directory stands for\n"
	"every *.loss file below it (and the documents its config includes);\n"
	"'-' reads standard input.\n"
	"\n"
	"Findings:\n"
	"  --select CODES     report only these codes or families (LS201,LS3)\n"
	"  --ignore CODES     do not report these codes or families\n"
	"  --fail-on LEVEL    exit 1 when a finding is at least LEVEL:\n"
	"                     error, warning (default) or info\n"
	"  --rules DIR        also load the .rule files of DIR (repeatable; a\n"
	"                     rule replaces a built-in one with the same code)\n"
	"  --config FILE      use this config file instead of searching for\n"
	"                     .losscrc upward from each input file\n"
	"  --no-config        use no config file\n"
	"  --max-errors N     stop reporting syntax errors in a file after N\n"
	"                     (default 20)\n"
	"  --explain-value    print each loss's value as the analyzer sees it:\n"
	"                     expanded expression, shape, interval, curvature,\n"
	"                     smoothness\n"
	"\n"
	"Fixes:\n"
	"  --fix              apply safe fixes in place (they keep the loss's\n"
	"                     value); print the findings that remain\n"
	"  --unsafe-fixes     with --fix or --diff, also apply fixes that change\n"
	"                     the loss (a chosen reduction, ...)\n"
	"  --diff             print the fixes as a unified diff, change nothing;\n"
	"                     exit 1 when a file would change\n"
	"\n"
	"Files:\n"
	"  --exclude GLOBS    skip these paths when walking directories\n"
	"                     (relative to the working directory; repeatable)\n"
	"  --force-exclude    skip excluded paths even when named as arguments\n"
	"  --stdin-filename NAME\n"
	"                     the name of standard input, for its config, its\n"
	"                     per-file ignores, its language and the report\n"
	"                     ('-' implied)\n"
	"  --lang LANG        read every input as LANG: loss, md (Markdown) or txt\n"
	"                     (plain text), whatever its name\n"
	"  --baseline FILE    hide the findings recorded in FILE; report its\n"
	"                     entries that match nothing (LS020)\n"
	"  --write-baseline FILE\n"
	"                     record the current findings in FILE\n"
	"\n"
	"Output:\n"
	"  --format FORMAT[:FILE]\n"
	"                     text (default), json, sarif (2.1.0) or github\n"
	"                     (workflow commands), to FILE when given;\n"
	"                     repeatable: one report per --format\n"
	"  --output-format    the same as --format (Ruff's name)\n"
	"  -o, --output-file FILE\n"
	"                     write the report (or the diff) to FILE\n"
	"  --statistics       count findings per code instead of listing them\n"
	"  --color WHEN       colour the output: auto (default: when standard\n"
	"                     output is a terminal), always or never\n"
	"  -q, --quiet        print nothing; report only through the exit status\n"
	"  --help             print this help and exit\n"
	"\n"
	"Exit status: 0 no finding at or above the fail level, 1 at least one\n"
	"(with --diff: a file would change), 2 a file could not be analyzed\n"
	"(unreadable, not UTF-8, syntax error), a rule or config file is broken,\n"
	"or the command line is wrong.\n";

static int lint_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int lint_usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("lossc lint: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'lossc lint --help' for more information.\n", stderr);
	return 2;
}

/* opt.h's option shape, under lint's name. */
static int lint_opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	return opt_value(argc, argv, i, name, val);
}

static int lint_parse_color(const char *v, int *color)
{
	if (strcmp(v, "always") == 0)
		*color = 1;
	else if (strcmp(v, "never") == 0)
		*color = 0;
	else if (strcmp(v, "auto") == 0) {
		const char *nc = getenv("NO_COLOR");
		*color = isatty(STDOUT_FILENO) && !(nc && nc[0]);
	} else
		return -1;
	return 0;
}

static int lint_write_failed(void)
{
	fprintf(stderr, "lossc: error writing standard output: %s\n", strerror(errno));
	return 2;
}

/* The switches: options without a value, each setting one int of the settings. */
static int *lint_switch(lint_settings *s, const char *a)
{
	static const struct {
		const char *name;
		size_t off;
	} sw[] = {
		{ "--explain-value", offsetof(lint_settings, opts.explain_value) },
		{ "-q", offsetof(lint_settings, opts.quiet) },
		{ "--quiet", offsetof(lint_settings, opts.quiet) },
		{ "--no-config", offsetof(lint_settings, no_config) },
		{ "--fix", offsetof(lint_settings, fix) },
		{ "--unsafe-fixes", offsetof(lint_settings, unsafe_fixes) },
		{ "--diff", offsetof(lint_settings, diff) },
		{ "--statistics", offsetof(lint_settings, statistics) },
		{ "--force-exclude", offsetof(lint_settings, force_exclude) },
	};
	for (size_t i = 0; i < sizeof sw / sizeof sw[0]; i++)
		if (strcmp(a, sw[i].name) == 0)
			return (int *)(void *)((char *)s + sw[i].off);
	return NULL;
}

/* "--format FMT[:FILE]": FMT is one of the known names, so the first ':' ends it. */
static int lint_add_report(lint_settings *s, const char *v)
{
	const char *colon = strchr(v, ':');
	char fmt[16];
	size_t n = colon ? (size_t)(colon - v) : strlen(v);
	if (n >= sizeof fmt || s->nreports == LINT_MAX_REPORTS)
		return -1;
	memcpy(fmt, v, n);
	fmt[n] = '\0';
	int f = report_parse_format(fmt);
	if (f < 0 || (colon && !colon[1]))
		return -1;
	s->reports[s->nreports].format = f;
	s->reports[s->nreports].file = colon ? colon + 1 : NULL;
	s->nreports++;
	return 0;
}

int cmd_lint(int argc, char **argv)
{
	lint_settings s;
	const char *color = "auto";
	int only_files = 0, rc;
	const char **files = xmalloc(((size_t)argc + 1) * sizeof *files);
	char bad[80];

	lint_settings_init(&s);
	s.files = files;
#define LINT_FAIL(...) do { free(files); lint_settings_free(&s); return lint_usage_error(__VA_ARGS__); } while (0)
	/* Options may come anywhere on the line, as with GNU tools; "--" ends them. */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		int r, *flag;
		if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
			files[s.nfiles++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_files = 1;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			free(files);
			lint_settings_free(&s);
			if (fputs(lint_usage_text, stdout) == EOF || fflush(stdout) != 0)
				return lint_write_failed();
			return 0;
		}
		if ((flag = lint_switch(&s, a)) != NULL) {
			*flag = 1;
			continue;
		}
		if ((r = lint_opt_value(argc, argv, &i, "--fail-on", &v)) != 0) {
			int sev = r > 0 ? diag_severity_parse(v) : -1;
			if (r < 0)
				LINT_FAIL("option '--fail-on' needs a level (error, warning or info)");
			if (sev < 0)
				LINT_FAIL("invalid level '%s' for --fail-on (use error, warning or info)", v);
			s.opts.fail_on = (diag_severity)sev;
			s.fail_on_set = 1;
			continue;
		}
		if ((r = lint_opt_value(argc, argv, &i, "--format", &v)) != 0 ||
		    (r = lint_opt_value(argc, argv, &i, "--output-format", &v)) != 0) {
			if (r < 0)
				LINT_FAIL("option '%s' needs a value (text, json, sarif or github, optionally :FILE)", a);
			if (s.nreports == LINT_MAX_REPORTS)
				LINT_FAIL("too many --format options (at most %d)", LINT_MAX_REPORTS);
			if (lint_add_report(&s, v) != 0)
				LINT_FAIL("invalid value '%s' for --format (use text, json, sarif or github, "
					  "optionally followed by :FILE)", v);
			continue;
		}
		if ((r = lint_opt_value(argc, argv, &i, "--select", &v)) != 0 ||
		    (r = lint_opt_value(argc, argv, &i, "--ignore", &v)) != 0) {
			int sel = strncmp(a, "--select", 8) == 0;
			sel_list *list = sel ? &s.select : &s.ignore;
			size_t had = list->n;
			if (r < 0)
				LINT_FAIL("option '%s' needs a list of codes or families (e.g. LS201,LS3)", a);
			if (sel_list_add(list, v, bad, sizeof bad) != 0)
				LINT_FAIL("'%s' is not a finding code or family (such as LS201 or LS2)", bad);
			/* an empty list ("--select=$CODES" with CODES unset) is no list:
			   it would select or ignore nothing without a word */
			if (list->n == had)
				LINT_FAIL("option '%s' needs a list of codes or families (e.g. LS201,LS3)",
					  sel ? "--select" : "--ignore");
			continue;
		}
		if ((r = lint_opt_value(argc, argv, &i, "--rules", &v)) != 0) {
			if (r < 0 || !*v)
				LINT_FAIL("option '--rules' needs a directory");
			if (s.nrule_dirs == LINT_MAX_RULE_DIRS)
				LINT_FAIL("too many --rules options (at most %d)", LINT_MAX_RULE_DIRS);
			s.rule_dirs[s.nrule_dirs++] = v;
			continue;
		}
		if ((r = lint_opt_value(argc, argv, &i, "--exclude", &v)) != 0) {
			if (r < 0 || !*v)
				LINT_FAIL("option '--exclude' needs path patterns");
			if (s.nexcludes == LINT_MAX_EXCLUDES)
				LINT_FAIL("too many --exclude options (at most %d)", LINT_MAX_EXCLUDES);
			s.excludes[s.nexcludes++] = v;
			continue;
		}
		{
			static const char *const valued[] = { "--config", "--stdin-filename", "--baseline",
							      "--write-baseline", "--output-file", "-o" };
			const char **slot[] = { &s.config_path, &s.stdin_filename, &s.baseline, &s.write_baseline,
						&s.output_file, &s.output_file };
			int hit = 0;
			for (size_t k = 0; k < sizeof valued / sizeof valued[0] && !hit; k++) {
				if ((r = lint_opt_value(argc, argv, &i, valued[k], &v)) == 0)
					continue;
				if (r < 0 || !*v)
					LINT_FAIL("option '%s' needs a %s", valued[k], k == 1 ? "name" : "file");
				*slot[k] = v;
				hit = 1;
			}
			if (hit)
				continue;
		}
		if ((r = lint_opt_value(argc, argv, &i, "--lang", &v)) != 0) {
			if (r < 0)
				LINT_FAIL("option '--lang' needs a value (loss, md or txt)");
			s.lang = doc_lang_parse(v);
			if (s.lang < 0)
				LINT_FAIL("invalid value '%s' for --lang (use loss, md or txt)", v);
			continue;
		}
		if ((r = lint_opt_value(argc, argv, &i, "--color", &v)) != 0) {
			if (r < 0)
				LINT_FAIL("option '--color' needs a value (auto, always or never)");
			color = v;
			continue;
		}
		if ((r = lint_opt_value(argc, argv, &i, "--max-errors", &v)) != 0) {
			char *end;
			long n;
			if (r < 0)
				LINT_FAIL("option '--max-errors' needs a number");
			errno = 0;
			n = strtol(v, &end, 10);
			if (errno || end == v || *end || n < 1 || n > INT_MAX)
				LINT_FAIL("invalid number '%s' for --max-errors (use 1 or more)", v);
			s.opts.max_errors = (int)n;
			continue;
		}
		LINT_FAIL("unknown option '%s'", a);
	}
	if (lint_parse_color(color, &s.opts.color) < 0)
		LINT_FAIL("invalid value '%s' for --color (use auto, always or never)", color);
	if (s.nfiles == 0 && s.stdin_filename)
		files[s.nfiles++] = "-";
	if (s.nfiles == 0)
		LINT_FAIL("no input files");
	if (s.unsafe_fixes && !s.fix && !s.diff)
		LINT_FAIL("--unsafe-fixes needs --fix or --diff");
	if (s.diff && (s.nreports || s.statistics || s.baseline || s.write_baseline))
		LINT_FAIL("--diff prints only the diff; it cannot be combined with --format, --statistics or a baseline");
	{
		int to_default = 0;
		for (size_t k = 0; k < s.nreports; k++)
			to_default += s.reports[k].file == NULL;
		if (to_default > 1)
			LINT_FAIL("two reports to %s: give each --format but one its own :FILE",
				  s.output_file ? s.output_file : "standard output");
	}
#undef LINT_FAIL

	/* --explain-value is text: keep it out of a json/sarif/github stream */
	for (size_t k = 0; k < s.nreports; k++)
		if (s.opts.explain_value && !s.reports[k].file && !s.output_file && s.reports[k].format != REPORT_TEXT)
			s.opts.explain_value = 2;
	rc = lint_run(&s);
	free(files);
	lint_settings_free(&s);
	return rc;
}
