/*
 * lint.c: `lossc lint`: options, the per-file pipeline, rendering and the
 * exit status (RULES.md "Command line and exit codes").
 *
 * Pipeline per file:  read -> parse (LS001, LS002) -> resolve (LS01x)
 * -> later passes.  A file that cannot be read, is not UTF-8 or has
 * syntax errors is "not analyzed": its findings are printed, the other
 * files still run, and the exit status is 2.
 */
#include "lint.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "codes.h"
#include "parse.h"
#include "resolve.h"
#include "analyze.h"

void lint_opts_init(lint_opts *o)
{
	memset(o, 0, sizeof *o);
	o->fail_on = SEV_WARNING;
	o->max_errors = PARSE_DEFAULT_MAX_ERRORS;
}

/* Did the front end queue a finding that means the file was not analyzed? */
static int lint_front_failed(const diag_list *l, size_t from)
{
	for (size_t i = from; i < l->n; i++)
		if (strcmp(l->items[i].code, "LS001") == 0 || strcmp(l->items[i].code, "LS002") == 0)
			return 1;
	return 0;
}

int lint_one(const source *src, const lint_opts *o, diag_list *diags)
{
	size_t before = diags->n;
	ast_file *f = parse_source(src, diags, o->max_errors);
	/*
	 * No later pass runs on a file with syntax errors: recovery drops
	 * text, and names or math checked on what is left would be guesses.
	 */
	if (f->syntax_errors > 0 || lint_front_failed(diags, before)) {
		ast_file_free(f);
		return -1;
	}
	resolve_file(f, diags);
	analyze_file(f, diags);      /* LS3xx-LS5xx */
	if (o->explain_value && !o->quiet)
		analyze_explain_value(stdout, f, diags);
	/* Later passes (story, prose, suppressions, math) go here, one call each. */
	ast_file_free(f);
	return 0;
}

/* ---- the command ---------------------------------------------------- */

static const char lint_usage_text[] =
	"Usage: lossc lint [OPTION]... FILE...\n"
	"Analyze LossSpec files and print findings; '-' reads standard input.\n"
	"\n"
	"Options:\n"
	"  --fail-on LEVEL    exit 1 when a finding is at least LEVEL:\n"
	"                     error, warning (default) or info\n"
	"  -q, --quiet        print nothing; report only through the exit status\n"
	"  --color WHEN       colour the output: auto (default: when standard\n"
	"                     output is a terminal), always or never\n"
	"  --max-errors N     stop reporting syntax errors in a file after N\n"
	"                     (default 20)\n"
	"  --explain-value    print each loss's value as the analyzer sees it:\n"
	"                     expanded expression, shape, interval, curvature,\n"
	"                     smoothness\n"
	"  --help             print this help and exit\n"
	"\n"
	"Exit status: 0 no finding at or above the fail level, 1 at least one,\n"
	"2 a file could not be analyzed (unreadable, not UTF-8, syntax error)\n"
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

/*
 * Matches option `name` at argv[*i], as "--name VALUE" or "--name=VALUE".
 * Returns 1 and sets *val when it matched with a value, 0 when argv[*i]
 * is another option, -1 when the value is missing.
 */
static int lint_opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
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

/* Read, analyze and print one file; returns -1 when it was not analyzed, -2 on a write error. */
static int lint_file(const char *path, const lint_opts *o, diag_severity *worst)
{
	source src;
	diag_list diags;
	char why[512];
	int analyzed = 0;

	diag_list_init(&diags);
	if (source_read(&src, path, why, sizeof why) < 0) {
		/* A source with no text still carries the path for the finding. */
		source_from_buffer(&src, path, "", 0);
		diag_add_file(&diags, &src, SEV_ERROR, "LS002", "%s", why);
	} else
		analyzed = lint_one(&src, o, &diags) == 0;

	diag_sort(&diags);
	for (size_t i = 0; i < diags.n; i++)
		if (diags.items[i].sev > *worst)
			*worst = diags.items[i].sev;
	int rc = analyzed ? 0 : -1;
	errno = 0;
	if (!o->quiet && diag_render_text(stdout, &diags, o->color) < 0)
		rc = -2;
	diag_list_free(&diags);
	source_free(&src);
	return rc;
}

int cmd_lint(int argc, char **argv)
{
	lint_opts o;
	const char *color = "auto";
	int nfiles = 0, only_files = 0;
	const char **files = malloc(((size_t)argc + 1) * sizeof *files);

	if (!files) {
		fprintf(stderr, "lossc: out of memory\n");
		return 2;
	}
	lint_opts_init(&o);
	/* Options may come anywhere on the line, as with GNU tools; "--" ends them. */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		int r;
		if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
			files[nfiles++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_files = 1;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			free(files);
			if (fputs(lint_usage_text, stdout) == EOF || fflush(stdout) != 0)
				return lint_write_failed();
			return 0;
		}
		if (strcmp(a, "--explain-value") == 0) {
			o.explain_value = 1;
			continue;
		}
		if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			o.quiet = 1;
			continue;
		}
		if ((r = lint_opt_value(argc, argv, &i, "--fail-on", &v)) != 0) {
			int sev = r > 0 ? diag_severity_parse(v) : -1;
			if (r < 0)
				return free(files), lint_usage_error("option '--fail-on' needs a level (error, warning or info)");
			if (sev < 0)
				return free(files), lint_usage_error("invalid level '%s' for --fail-on (use error, warning or info)", v);
			o.fail_on = (diag_severity)sev;
			continue;
		}
		if ((r = lint_opt_value(argc, argv, &i, "--color", &v)) != 0) {
			if (r < 0)
				return free(files), lint_usage_error("option '--color' needs a value (auto, always or never)");
			color = v;
			continue;
		}
		if ((r = lint_opt_value(argc, argv, &i, "--max-errors", &v)) != 0) {
			char *end;
			long n;
			if (r < 0)
				return free(files), lint_usage_error("option '--max-errors' needs a number");
			errno = 0;
			n = strtol(v, &end, 10);
			if (errno || end == v || *end || n < 1 || n > INT_MAX)
				return free(files), lint_usage_error("invalid number '%s' for --max-errors (use 1 or more)", v);
			o.max_errors = (int)n;
			continue;
		}
		return free(files), lint_usage_error("unknown option '%s'", a);
	}
	if (lint_parse_color(color, &o.color) < 0)
		return free(files), lint_usage_error("invalid value '%s' for --color (use auto, always or never)", color);
	if (nfiles == 0)
		return free(files), lint_usage_error("no input files");

	diag_severity worst = SEV_NOTE;
	int not_analyzed = 0;
	for (int k = 0; k < nfiles; k++) {
		int r = lint_file(files[k], &o, &worst);
		if (r == -2)
			return free(files), lint_write_failed();
		if (r < 0)
			not_analyzed = 1;
	}
	free(files);
	if (fflush(stdout) != 0)
		return lint_write_failed();
	if (not_analyzed)
		return 2;
	return worst > SEV_NOTE && worst >= o.fail_on ? 1 : 0;
}
