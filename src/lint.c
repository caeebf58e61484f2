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
#include "doc.h"
#include "losscrc.h"
#include "parse.h"
#include "prose.h"
#include "report.h"
#include "resolve.h"
#include "analyze.h"
#include "select.h"
#include "story.h"
#include "suppress.h"

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
	if (o->lang != DOC_LOSS)
		return doc_lint(src, (doc_lang)o->lang, o, diags);
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
	story_check(f, diags);
	if (o->prose)
		prose_check_file(o->prose, f, diags, o->enabled, o->enabled_ctx);
	analyze_file(f, diags);      /* math: LS3xx-LS5xx */
	if (o->explain_value && !o->quiet)
		analyze_explain_value(o->explain_value == 2 ? stderr : stdout, f, diags);
	/* suppress_apply stays last. */
	suppress_apply(f, diags, before, o->enabled, o->enabled_ctx);
	ast_file_free(f);
	return 0;
}

/* ---- the command ---------------------------------------------------- */

static const char lint_usage_text[] =
	"Usage: lossc lint [OPTION]... FILE...\n"
	"Analyze LossSpec files, and the prose of Markdown (.md, .markdown) and\n"
	"plain-text (.txt) documents, and print findings; '-' reads standard input.\n"
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
	"  --format FORMAT    text (default), json, sarif (2.1.0) or github\n"
	"                     (workflow commands)\n"
	"  --select CODES     report only these codes or families (LS201,LS3)\n"
	"  --ignore CODES     do not report these codes or families\n"
	"  --rules DIR        also load the .rule files of DIR (repeatable; a\n"
	"                     rule replaces a built-in one with the same code)\n"
	"  --config FILE      use this config file instead of searching for\n"
	"                     .losscrc upward from each input file\n"
	"  --no-config        use no config file\n"
	"  --lang LANG        read every input as LANG: loss, md (Markdown) or txt\n"
	"                     (plain text), whatever its name; standard input is\n"
	"                     read as loss unless --lang says otherwise\n"
	"  --help             print this help and exit\n"
	"\n"
	"Exit status: 0 no finding at or above the fail level, 1 at least one,\n"
	"2 a file could not be analyzed (unreadable, not UTF-8, syntax error),\n"
	"a rule or config file is broken, or the command line is wrong.\n";

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

/*
 * The linter's part of a run: each input file gets the .losscrc that
 * applies to it (found upward from its directory, or --config, or none),
 * and each distinct config its own prose rule set (built-in rules, the
 * config's `rules`, then --rules, later ones replacing earlier codes).
 * Configs and rule sets are loaded once and shared by the files they
 * cover.
 */
#define LINT_MAX_RULE_DIRS 64

struct lint_cfg {
	char *path;             /* NULL: no config file */
	lconfig cfg;
	prose_set *prose;
	selection sel;          /* command line select/ignore + this config's enable/disable */
};

struct lint_run {
	const lint_opts *base;
	sel_list select, ignore;
	const char *rule_dirs[LINT_MAX_RULE_DIRS];
	size_t nrule_dirs;
	const char *config_path;        /* --config */
	int no_config;
	int fail_on_set;
	int format;                     /* -1: not given on the command line */
	int lang;                       /* --lang; -1: by each file's name */
	struct lint_cfg *cfgs;
	size_t ncfgs;
	source **srcs;                  /* every input, kept until the findings are rendered
					   (each allocated alone: findings point at them) */
	size_t nsrcs;
	diag_list diags;
};

static int lint_enabled(const char *code, void *ctx)
{
	return sel_enabled(ctx, code);
}

static int lint_unselected(const diag *d, void *ctx)
{
	return !sel_enabled(ctx, d->code);
}

static void lint_run_free(struct lint_run *r)
{
	for (size_t i = 0; i < r->ncfgs; i++) {
		free(r->cfgs[i].path);
		if (r->cfgs[i].path)
			config_free(&r->cfgs[i].cfg);
		prose_set_free(r->cfgs[i].prose);
	}
	free(r->cfgs);
	diag_list_free(&r->diags);
	for (size_t i = 0; i < r->nsrcs; i++) {
		source_free(r->srcs[i]);
		free(r->srcs[i]);
	}
	free(r->srcs);
	sel_list_free(&r->select);
	sel_list_free(&r->ignore);
}

/* The config entry for an input file; NULL (after printing why) when a config or rule file is broken. */
static struct lint_cfg *lint_cfg_for(struct lint_run *r, const char *input)
{
	char *path = NULL, err[1024];
	const char *dirs[2 * LINT_MAX_RULE_DIRS];
	size_t nd = 0;
	struct lint_cfg *c;

	if (r->no_config)
		path = NULL;
	else if (r->config_path)
		path = strdup(r->config_path);
	else
		path = config_find(input);
	for (size_t i = 0; i < r->ncfgs; i++)
		if ((!path && !r->cfgs[i].path) || (path && r->cfgs[i].path && strcmp(path, r->cfgs[i].path) == 0)) {
			free(path);
			return &r->cfgs[i];
		}
	r->cfgs = realloc(r->cfgs, (r->ncfgs + 1) * sizeof *r->cfgs);
	if (!r->cfgs) {
		fprintf(stderr, "lossc: out of memory\n");
		abort();
	}
	c = &r->cfgs[r->ncfgs];
	memset(c, 0, sizeof *c);
	if (path && config_load(&c->cfg, path, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		free(path);
		return NULL;
	}
	c->path = path;
	if (path)
		for (size_t i = 0; i < c->cfg.nrules && nd < LINT_MAX_RULE_DIRS; i++)
			dirs[nd++] = c->cfg.rules[i];
	for (size_t i = 0; i < r->nrule_dirs; i++)
		dirs[nd++] = r->rule_dirs[i];
	c->prose = prose_load_all(dirs, nd, err, sizeof err);
	if (!c->prose) {
		fprintf(stderr, "%s\n", err);
		if (path)
			config_free(&c->cfg);
		free(path);
		return NULL;
	}
	/* The selection borrows the lists: owned by the run and the config. */
	c->sel.select = r->select;
	c->sel.ignore = r->ignore;
	if (path) {
		c->sel.enable = c->cfg.enable;
		c->sel.disable = c->cfg.disable;
	}
	r->ncfgs++;
	return c;
}

/*
 * Read and analyze one file; its findings (those the selection reports)
 * join the run's list.  Returns 1 when it was analyzed and some reported
 * finding reaches the fail level, 0 when analyzed, -1 when it could not
 * be analyzed, -2 when a config or rule file is broken.
 */
static int lint_file(struct lint_run *r, const char *path)
{
	char why[512];
	int analyzed = 0, failed = 0;
	size_t before = r->diags.n;
	struct lint_cfg *c = lint_cfg_for(r, path);
	lint_opts o = *r->base;
	source *src;

	if (!c)
		return -2;
	if (!r->fail_on_set && c->path && c->cfg.has_fail_on)
		o.fail_on = (diag_severity)c->cfg.fail_on;
	o.prose = c->prose;
	o.lang = r->lang >= 0 ? r->lang : (int)doc_lang_of_path(path);
	o.enabled = lint_enabled;
	o.enabled_ctx = &c->sel;

	r->srcs = realloc(r->srcs, (r->nsrcs + 1) * sizeof *r->srcs);
	src = malloc(sizeof *src);
	if (!r->srcs || !src) {
		fprintf(stderr, "lossc: out of memory\n");
		abort();
	}
	r->srcs[r->nsrcs] = src;
	if (source_read(src, path, why, sizeof why) < 0) {
		/* A source with no text still carries the path for the finding. */
		source_from_buffer(src, path, "", 0);
		r->nsrcs++;
		diag_add_file(&r->diags, src, SEV_ERROR, "LS002", "%s", why);
	} else {
		r->nsrcs++;
		analyzed = lint_one(src, &o, &r->diags) == 0;
	}
	/* Drop what the selection does not report; judge the rest against the fail level. */
	diag_remove_if(&r->diags, before, lint_unselected, &c->sel);
	for (size_t i = before; i < r->diags.n; i++)
		if (r->diags.items[i].sev >= o.fail_on)
			failed = 1;
	if (!analyzed)
		return -1;
	return failed;
}

/* Every code the run knows, for SARIF's rule table: the catalogue, then rule files. */
struct lint_rules {
	report_rule *v;
	size_t n;
};

static void lint_add_rule(struct lint_rules *t, const char *code, const char *name, const char *title,
			  const char *explain, diag_severity sev)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].code, code) == 0)
			return;
	t->v = realloc(t->v, (t->n + 1) * sizeof *t->v);
	if (!t->v) {
		fprintf(stderr, "lossc: out of memory\n");
		abort();
	}
	t->v[t->n].code = code;
	t->v[t->n].name = name;
	t->v[t->n].title = title;
	t->v[t->n].explain = explain;
	t->v[t->n].sev = sev;
	t->n++;
}

static void lint_add_code(const code_info *ci, void *ctx)
{
	lint_add_rule(ctx, ci->code, NULL, ci->title, ci->explain, ci->sev);
}

static int lint_rule_cmp(const void *a, const void *b)
{
	return strcmp(((const report_rule *)a)->code, ((const report_rule *)b)->code);
}

int cmd_lint(int argc, char **argv)
{
	lint_opts o;
	struct lint_run run;
	const char *color = "auto";
	int nfiles = 0, only_files = 0;
	const char **files = malloc(((size_t)argc + 1) * sizeof *files);
	char bad[80];

	if (!files) {
		fprintf(stderr, "lossc: out of memory\n");
		return 2;
	}
	lint_opts_init(&o);
	memset(&run, 0, sizeof run);
	run.base = &o;
	run.format = -1;
	run.lang = -1;
	diag_list_init(&run.diags);
#define LINT_FAIL(...) do { free(files); lint_run_free(&run); return lint_usage_error(__VA_ARGS__); } while (0)
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
			lint_run_free(&run);
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
		if (strcmp(a, "--no-config") == 0) {
			run.no_config = 1;
			continue;
		}
		if ((r = lint_opt_value(argc, argv, &i, "--fail-on", &v)) != 0) {
			int sev = r > 0 ? diag_severity_parse(v) : -1;
			if (r < 0)
				LINT_FAIL("option '--fail-on' needs a level (error, warning or info)");
			if (sev < 0)
				LINT_FAIL("invalid level '%s' for --fail-on (use error, warning or info)", v);
			o.fail_on = (diag_severity)sev;
			run.fail_on_set = 1;
			continue;
		}
		if ((r = lint_opt_value(argc, argv, &i, "--format", &v)) != 0) {
			if (r < 0)
				LINT_FAIL("option '--format' needs a value (text, json, sarif or github)");
			run.format = report_parse_format(v);
			if (run.format < 0)
				LINT_FAIL("invalid value '%s' for --format (use text, json, sarif or github)", v);
			continue;
		}
		if ((r = lint_opt_value(argc, argv, &i, "--select", &v)) != 0 ||
		    (r = lint_opt_value(argc, argv, &i, "--ignore", &v)) != 0) {
			int sel;
			if (r < 0)
				LINT_FAIL("option '%s' needs a list of codes or families (e.g. LS201,LS3)", a);
			sel = strncmp(a, "--select", 8) == 0;
			if (sel_list_add(sel ? &run.select : &run.ignore, v, bad, sizeof bad) != 0)
				LINT_FAIL("'%s' is not a finding code or family (such as LS201 or LS2)", bad);
			continue;
		}
		if ((r = lint_opt_value(argc, argv, &i, "--rules", &v)) != 0) {
			if (r < 0 || !*v)
				LINT_FAIL("option '--rules' needs a directory");
			if (run.nrule_dirs == LINT_MAX_RULE_DIRS)
				LINT_FAIL("too many --rules options (at most %d)", LINT_MAX_RULE_DIRS);
			run.rule_dirs[run.nrule_dirs++] = v;
			continue;
		}
		if ((r = lint_opt_value(argc, argv, &i, "--config", &v)) != 0) {
			if (r < 0 || !*v)
				LINT_FAIL("option '--config' needs a file");
			run.config_path = v;
			continue;
		}
		if ((r = lint_opt_value(argc, argv, &i, "--lang", &v)) != 0) {
			if (r < 0)
				LINT_FAIL("option '--lang' needs a value (loss, md or txt)");
			run.lang = doc_lang_parse(v);
			if (run.lang < 0)
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
			o.max_errors = (int)n;
			continue;
		}
		LINT_FAIL("unknown option '%s'", a);
	}
	if (lint_parse_color(color, &o.color) < 0)
		LINT_FAIL("invalid value '%s' for --color (use auto, always or never)", color);
	if (nfiles == 0)
		LINT_FAIL("no input files");
#undef LINT_FAIL

	/* --explain-value is text: keep it out of a json/sarif/github stream */
	if (o.explain_value && run.format >= 0 && run.format != REPORT_TEXT)
		o.explain_value = 2;
	int not_analyzed = 0, failed = 0;
	for (int k = 0; k < nfiles; k++) {
		int r = lint_file(&run, files[k]);
		if (r == -2) {
			free(files);
			lint_run_free(&run);
			return 2;
		}
		if (r < 0)
			not_analyzed = 1;
		else if (r > 0)
			failed = 1;
	}
	free(files);

	/* The format: --format, else the first file's config, else text. */
	int format = run.format;
	if (format < 0 && run.ncfgs && run.cfgs[0].path && run.cfgs[0].cfg.format)
		format = report_parse_format(run.cfgs[0].cfg.format);
	if (format < 0)
		format = REPORT_TEXT;

	struct lint_rules rt = { NULL, 0 };
	if (format == REPORT_SARIF) {
		codes_foreach(lint_add_code, &rt);
		for (size_t c = 0; c < run.ncfgs; c++)
			for (size_t i = 0; i < prose_count(run.cfgs[c].prose); i++) {
				const prose_rule *pr = prose_rule_at(run.cfgs[c].prose, i);
				lint_add_rule(&rt, pr->code, pr->name, pr->title, pr->explain, pr->sev);
			}
		qsort(rt.v, rt.n, sizeof *rt.v, lint_rule_cmp);
	}
	diag_sort(&run.diags);
	errno = 0;
	int werr = !o.quiet && report_render(stdout, &run.diags, (report_format)format, rt.v, rt.n, o.color) < 0;
	free(rt.v);
	lint_run_free(&run);
	if (werr || fflush(stdout) != 0)
		return lint_write_failed();
	if (not_analyzed)
		return 2;
	return failed ? 1 : 0;
}
