/*
 * lintrun.c: one `lossc lint` run (lintrun.h).
 *
 *   inputs     arguments -> files: a directory is walked (walk.h) with the
 *              excludes of each entry's config and --exclude; duplicates
 *              (by identity) are linted once
 *   configs    each file gets the .losscrc that applies to it (or
 *              --config, or none) and that config's rule set; both are
 *              loaded once and shared.  The codes a config names, and
 *              --select/--ignore, must exist once the rules are loaded.
 *   files      lint_one per file, the config's severities, the selection
 *              with its per-file ignores; with --fix or --diff, fixes to a
 *              fixed point (fixes.h), then the file written atomically or
 *              its diff printed
 *   baseline   --write-baseline records, --baseline hides and reports
 *              stale entries (baseline.h)
 *   reports    every --format FMT[:FILE] to its destination, the summary
 *              under text, --statistics instead of the findings
 */
#include "lintrun.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baseline.h"
#include "codes.h"
#include "doc.h"
#include "fixes.h"
#include "glob.h"
#include "losscrc.h"
#include "outfile.h"
#include "path.h"
#include "prose.h"
#include "report.h"
#include "udiff.h"
#include "walk.h"
#include "xalloc.h"

void lint_settings_init(lint_settings *s)
{
	memset(s, 0, sizeof *s);
	lint_opts_init(&s->opts);
	s->lang = -1;
}

void lint_settings_free(lint_settings *s)
{
	sel_list_free(&s->select);
	sel_list_free(&s->ignore);
}

static char *run_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xrealloc(NULL, n), s, n);
}

/* ---- the run's state ------------------------------------------------------ */

struct lint_cfg {
	char *path;             /* NULL: no config file */
	lconfig cfg;
	prose_set *prose;
	selection sel;          /* command line select/ignore + this config's enable/disable */
	sel_known known;        /* the catalogue and this config's rules */
};

struct lint_input {
	char *path;             /* as given or found; "-" for standard input */
	char *why;              /* set: found by a walk but unreadable (LS002) */
};

/* A source the findings point at, with what judging them needs. */
struct lint_src {
	source *src;
	int fail_on;
	int analyzed;
	int borrowed;           /* src belongs to someone else (the baseline) */
	char *abs;              /* absolute, normalized name (stdin: --stdin-filename's) */
};

struct lint_run {
	const lint_settings *s;
	struct lint_cfg *cfgs;
	size_t ncfgs;
	int cfg_broken;                 /* a config or rule file could not be loaded (printed) */
	char *cwd;                      /* absolute: --exclude is relative to it */
	struct lint_input *inputs;
	size_t ninputs;
	walk_set seen;
	struct lint_src *srcs;
	size_t nsrcs;
	diag_list diags;
	unsigned fix_mode;              /* FIX_ bits, 0: no fixing */
	size_t fixed;                   /* findings fixed */
	size_t changed_files;           /* files fixed or (--diff) that would change */
	FILE *diff_out;                 /* --diff: where diffs go */
	char *stdin_text;               /* --fix on standard input: the fixed text, for stdout */
	size_t stdin_len;
	int stdin_fixed;
	baseline *bl;
	size_t docs_left_out;           /* documents a walk found that no config includes */
};

static int run_enabled(const char *code, void *ctx)
{
	return sel_enabled(ctx, code);
}

static int run_unselected(const diag *d, void *ctx)
{
	return !sel_enabled(ctx, d->code);
}

static void run_free(struct lint_run *r)
{
	for (size_t i = 0; i < r->ncfgs; i++) {
		free(r->cfgs[i].path);
		if (r->cfgs[i].path)
			config_free(&r->cfgs[i].cfg);
		prose_set_free(r->cfgs[i].prose);
		sel_known_free(&r->cfgs[i].known);
	}
	free(r->cfgs);
	diag_list_free(&r->diags);
	for (size_t i = 0; i < r->nsrcs; i++) {
		if (!r->srcs[i].borrowed) {
			source_free(r->srcs[i].src);
			free(r->srcs[i].src);
		}
		free(r->srcs[i].abs);
	}
	free(r->srcs);
	for (size_t i = 0; i < r->ninputs; i++) {
		free(r->inputs[i].path);
		free(r->inputs[i].why);
	}
	free(r->inputs);
	walk_set_free(&r->seen);
	baseline_free(r->bl);
	free(r->stdin_text);
	free(r->cwd);
}

/* ---- configs -------------------------------------------------------------- */

static void run_add_known(const code_info *ci, void *ctx)
{
	sel_known_add(ctx, ci->code);
}

/*
 * The config entry for a file named `name` ("-": standard input, searched
 * from the working directory).  NULL, after printing why, when a config or
 * rule file is broken or the config names a code that does not exist.
 */
static struct lint_cfg *run_cfg_for(struct lint_run *r, const char *name)
{
	const lint_settings *s = r->s;
	char *path, err[1024];
	const char *dirs[CFG_MAX_RULE_DIRS + LINT_MAX_RULE_DIRS];     /* a config's, then --rules */
	size_t nd = 0;
	struct lint_cfg *c;

	if (s->no_config)
		path = NULL;
	else if (s->config_path)
		path = run_strdup(s->config_path);
	else
		path = config_find(name);
	for (size_t i = 0; i < r->ncfgs; i++)
		if ((!path && !r->cfgs[i].path) || (path && r->cfgs[i].path && strcmp(path, r->cfgs[i].path) == 0)) {
			free(path);
			return &r->cfgs[i];
		}
	r->cfgs = xrealloc(r->cfgs, (r->ncfgs + 1) * sizeof *r->cfgs);
	c = &r->cfgs[r->ncfgs];
	memset(c, 0, sizeof *c);
	if (path && config_load(&c->cfg, path, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		free(path);
		r->cfg_broken = 1;
		return NULL;
	}
	if (path)
		for (size_t i = 0; i < c->cfg.nrules; i++)      /* at most CFG_MAX_RULE_DIRS */
			dirs[nd++] = c->cfg.rules[i];
	for (size_t i = 0; i < s->nrule_dirs; i++)
		dirs[nd++] = s->rule_dirs[i];
	c->prose = prose_load_all(dirs, nd, err, sizeof err);
	if (!c->prose) {
		fprintf(stderr, "%s\n", err);
		if (path)
			config_free(&c->cfg);
		free(path);
		r->cfg_broken = 1;
		return NULL;
	}
	codes_foreach(run_add_known, &c->known);
	for (size_t i = 0; i < prose_count(c->prose); i++)
		sel_known_add(&c->known, prose_rule_at(c->prose, i)->code);
	if (path && config_check_codes(&c->cfg, &c->known, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		config_free(&c->cfg);
		prose_set_free(c->prose);
		sel_known_free(&c->known);
		free(path);
		r->cfg_broken = 1;
		return NULL;
	}
	/* The selection borrows the lists: owned by the settings and the config. */
	c->sel.select = s->select;
	c->sel.ignore = s->ignore;
	if (path) {
		c->sel.enable = c->cfg.enable;
		c->sel.disable = c->cfg.disable;
	}
	c->path = path;
	r->ncfgs++;
	return c;
}

/* --select and --ignore name codes of some loaded rule set (teams' rules bring theirs). */
static int run_check_selection(struct lint_run *r)
{
	const lint_settings *s = r->s;
	const sel_list *lists[2] = { &s->select, &s->ignore };
	const char *names[2] = { "--select", "--ignore" };
	sel_known all = { NULL, 0, 0 };
	int rc = 0;
	for (size_t i = 0; i < r->ncfgs; i++)
		for (size_t k = 0; k < r->cfgs[i].known.n; k++)
			sel_known_add(&all, r->cfgs[i].known.codes[k]);
	for (int l = 0; l < 2 && rc == 0; l++)
		for (size_t i = 0; i < lists[l]->n && rc == 0; i++)
			if (!sel_known_has(&all, lists[l]->pats[i])) {
				char why[512];
				sel_known_why(&all, lists[l]->pats[i], why, sizeof why);
				fprintf(stderr, "lossc lint: %s: %s\nTry 'lossc rules' for every code.\n", names[l], why);
				rc = -1;
			}
	sel_known_free(&all);
	return rc;
}

/* ---- inputs --------------------------------------------------------------- */

static void run_add_input(struct lint_run *r, const char *path, const char *why)
{
	if (strcmp(path, "-") != 0 && !why && !walk_set_add(&r->seen, path))
		return;         /* named twice (or found twice): once is enough */
	r->inputs = xrealloc(r->inputs, (r->ninputs + 1) * sizeof *r->inputs);
	r->inputs[r->ninputs].path = run_strdup(path);
	r->inputs[r->ninputs].why = why ? run_strdup(why) : NULL;
	r->ninputs++;
}

/* Is path (a file or a directory) excluded by its config or --exclude? */
static int run_excluded(struct lint_run *r, const char *path)
{
	struct lint_cfg *c = run_cfg_for(r, path);
	char *abs = path_absolute(path);
	int ex = 0;
	if (!c || !abs) {
		free(abs);
		return 1;       /* a broken config stops the run (cfg_broken) */
	}
	if (c->path && config_excluded(&c->cfg, abs))
		ex = 1;
	if (!ex && r->s->nexcludes) {
		/* each --exclude is a comma- or blank-separated list, as in .losscrc */
		char *rel = path_relative(r->cwd, abs), word[4096];
		for (size_t i = 0; i < r->s->nexcludes && !ex; i++)
			for (const char *p = r->s->excludes[i]; *p && !ex;) {
				size_t n;
				p += strspn(p, ", \t");
				n = strcspn(p, ", \t");
				if (n && n < sizeof word) {
					memcpy(word, p, n);
					word[n] = '\0';
					ex = glob_match_path(word, rel);
				}
				p += n;
			}
		free(rel);
	}
	free(abs);
	return ex;
}

static int run_walk_excluded(const char *path, int is_dir, void *ctx)
{
	struct lint_run *r = ctx;
	(void)is_dir;
	if (r->cfg_broken)
		return 1;       /* said once: the run stops */
	return run_excluded(r, path);
}

/*
 * A file a walk found.  Documents are linted only when the file's config
 * says so (`documents:`, or an `include:` glob that names it): turning
 * document linting on for a tree is a decision, not a surprise.
 */
static void run_walk_file(const char *path, unsigned kind, void *ctx)
{
	struct lint_run *r = ctx;
	if (r->cfg_broken)
		return;
	if (kind & WALK_DOCUMENTS) {
		struct lint_cfg *c = run_cfg_for(r, path);
		unsigned want = 0;
		char *abs;
		if (!c)
			return;         /* a broken config stops the run (cfg_broken) */
		if (c->path)
			want = (c->cfg.documents & CFG_DOC_MARKDOWN ? WALK_MARKDOWN : 0u) |
			       (c->cfg.documents & CFG_DOC_TEXT ? WALK_TEXT : 0u);
		if (!(kind & want)) {
			abs = c->path ? path_absolute(path) : NULL;
			if (!abs || !config_included(&c->cfg, abs)) {
				free(abs);
				r->docs_left_out++;
				return;
			}
			free(abs);
		}
	}
	run_add_input(r, path, NULL);
}

static void run_walk_error(const char *path, const char *why, void *ctx)
{
	run_add_input(ctx, path, why);
}

/*
 * Arguments to inputs.  An explicit file is linted even when a config
 * excludes it, unless --force-exclude (pre-commit passes files one by
 * one).  Returns -1 when a config broke on the way.
 */
static int run_expand(struct lint_run *r)
{
	const lint_settings *s = r->s;
	walk_cb cb = { run_walk_excluded, run_walk_file, run_walk_error, r };
	for (size_t i = 0; i < s->nfiles && !r->cfg_broken; i++) {
		const char *a = s->files[i];
		struct stat st;
		if (strcmp(a, "-") == 0) {
			if (!(s->force_exclude && s->stdin_filename && run_excluded(r, s->stdin_filename)))
				run_add_input(r, a, NULL);
		} else if (stat(a, &st) == 0 && S_ISDIR(st.st_mode)) {
			size_t before = r->ninputs, left = r->docs_left_out;
			walk_dir(a, WALK_LOSS | WALK_DOCUMENTS, &cb);
			if (r->ninputs == before && !r->cfg_broken && !s->opts.quiet) {
				if (r->docs_left_out > left)
					fprintf(stderr, "lossc lint: warning: nothing to lint in '%s': no .loss files, "
						"and %zu document%s not included (a directory includes documents when "
						"its .losscrc says 'documents: true' or names them in 'include:')\n", a,
						r->docs_left_out - left, r->docs_left_out - left == 1 ? "" : "s");
				else
					fprintf(stderr, "lossc lint: warning: no .loss files to lint in '%s'\n", a);
			}
		} else if (!(s->force_exclude && run_excluded(r, a))) {
			run_add_input(r, a, NULL);
		}
	}
	return r->cfg_broken ? -1 : 0;
}

/* ---- one file ------------------------------------------------------------- */

static struct lint_src *run_new_src(struct lint_run *r, const char *abs_name)
{
	struct lint_src *ls;
	r->srcs = xrealloc(r->srcs, (r->nsrcs + 1) * sizeof *r->srcs);
	ls = &r->srcs[r->nsrcs++];
	memset(ls, 0, sizeof *ls);
	ls->src = xrealloc(NULL, sizeof *ls->src);
	memset(ls->src, 0, sizeof *ls->src);
	ls->abs = abs_name ? run_strdup(abs_name) : NULL;
	return ls;
}

/* Findings of src: lint, then the config's severities, then the selection. */
static int run_pass(struct lint_run *r, struct lint_cfg *c, const lint_opts *o, selection *sel,
		    const source *src)
{
	size_t before = r->diags.n;
	int analyzed = lint_one(src, o, &r->diags) == 0;
	if (c->path)
		for (size_t i = before; i < r->diags.n; i++)
			r->diags.items[i].sev = (diag_severity)config_severity(&c->cfg, r->diags.items[i].code,
									      r->diags.items[i].sev);
	diag_remove_if(&r->diags, before, run_unselected, sel);
	return analyzed;
}

static int run_recorded(const diag *d, void *ctx)
{
	(void)ctx;
	return baseline_eligible(d);
}

static int run_drop_src(const diag *d, void *ctx)
{
	return d->src == ctx;
}

static int run_drop_all(const diag *d, void *ctx)
{
	(void)d;
	(void)ctx;
	return 1;
}

/*
 * Fixes to a fixed point on the file whose findings start at `from`
 * (about ls->src).  Each pass's text must still parse, or the pass is
 * dropped.  On return ls->src is the final text and the findings are its
 * findings; the original text stays in *orig (the caller frees it).
 */
static size_t run_fix(struct lint_run *r, struct lint_cfg *c, const lint_opts *o, selection *sel,
		      struct lint_src *ls, size_t from, source *orig)
{
	size_t total = 0;
	lint_opts quiet = *o;
	quiet.explain_value = 0;                /* once, for the text as read */
	/* orig takes the text as read (for the diff); ls->src continues with an
	   identical copy, so the findings that point at it stay right */
	*orig = *ls->src;
	source_from_buffer(ls->src, orig->path, orig->text, orig->len);
	for (int pass = 0; pass < FIX_MAX_PASSES; pass++) {
		size_t len, n, mark = r->diags.n;
		char *text = fix_apply(ls->src, &r->diags, from, r->fix_mode, &len, &n);
		source *next;
		if (!text)
			break;
		next = xrealloc(NULL, sizeof *next);
		source_from_buffer(next, ls->src->path, text, len);
		free(text);
		if (!run_pass(r, c, &quiet, sel, next)) {
			/* the fixes broke the syntax: keep the last good text */
			diag_remove_if(&r->diags, mark, run_drop_all, NULL);
			source_free(next);
			free(next);
			if (!o->quiet)
				fprintf(stderr, "lossc lint: warning: %s: a fix would leave a syntax error; "
					"the finding is left unfixed\n", ls->src->path);
			break;
		}
		diag_remove_if(&r->diags, from, run_drop_src, ls->src);
		source_free(ls->src);
		free(ls->src);
		ls->src = next;
		total += n;
	}
	return total;
}

/* Write the fixed text over the file (atomically, keeping its mode), or keep it for stdout. */
static int run_write_fixed(struct lint_run *r, const char *path, const source *src, int is_stdin)
{
	char why[256];
	outfile of;
	if (is_stdin) {
		free(r->stdin_text);
		r->stdin_text = xrealloc(NULL, src->len + 1);
		memcpy(r->stdin_text, src->text, src->len);
		r->stdin_len = src->len;
		r->stdin_fixed = 1;
		return 0;
	}
	if (outfile_open_replace(&of, path, why, sizeof why) != 0) {
		fprintf(stderr, "lossc lint: %s: cannot write the fixes: %s\n", path, why);
		return -1;
	}
	fwrite(src->text, 1, src->len, of.f);
	if (outfile_commit(&of, why, sizeof why) != 0) {
		fprintf(stderr, "lossc lint: %s: cannot write the fixes: %s\n", path, why);
		return -1;
	}
	return 0;
}

/* Print the diff of a fixed file: a/ and b/ names for a relative path, so `git apply` takes it. */
static int run_print_diff(struct lint_run *r, const source *orig, const source *now)
{
	const char *p = now->path;
	size_t n = strlen(p) + 3;
	char *a = xrealloc(NULL, n), *b = xrealloc(NULL, n);
	int rc;
	snprintf(a, n, "%s%s", p[0] == '/' ? "" : "a/", p);
	snprintf(b, n, "%s%s", p[0] == '/' ? "" : "b/", p);
	rc = udiff_write(r->diff_out, a, b, orig->text, orig->len, now->text, now->len, UDIFF_CONTEXT);
	free(a);
	free(b);
	return rc;
}

/*
 * Read, lint and (with --fix or --diff) fix one input.  Returns 0, or -1
 * when a config broke or a fixed file could not be written (exit 2).
 */
static int run_file(struct lint_run *r, const struct lint_input *in)
{
	const lint_settings *s = r->s;
	int is_stdin = strcmp(in->path, "-") == 0;
	const char *name = is_stdin ? (s->stdin_filename ? s->stdin_filename : "-") : in->path;
	struct lint_cfg *c = run_cfg_for(r, name);
	lint_opts o = s->opts;
	selection sel;
	char why[512], *abs;
	struct lint_src *ls;
	size_t before = r->diags.n;
	int rc = 0;

	if (!c)
		return -1;
	if (!s->fail_on_set && c->path && c->cfg.has_fail_on)
		o.fail_on = (diag_severity)c->cfg.fail_on;
	o.prose = c->prose;
	/* a document or a .loss file: --lang, else the name (--stdin-filename's for stdin) */
	o.lang = s->lang >= 0 ? s->lang : (int)doc_lang_of_path(name);
	o.enabled = run_enabled;
	sel = c->sel;
	memset(&sel.per_file, 0, sizeof sel.per_file);
	abs = is_stdin && !s->stdin_filename ? NULL : path_absolute(name);
	if (c->path && abs)
		config_file_ignores(&c->cfg, abs, &sel.per_file);
	o.enabled_ctx = &sel;

	ls = run_new_src(r, abs);
	ls->fail_on = o.fail_on;
	if (in->why || source_read(ls->src, in->path, why, sizeof why) < 0) {
		/* A source with no text still carries the path for the finding. */
		source_from_buffer(ls->src, is_stdin ? "<stdin>" : in->path, "", 0);
		diag_add_file(&r->diags, ls->src, SEV_ERROR, "LS002", "%s", in->why ? in->why : why);
		sel_list_free(&sel.per_file);
		free(abs);
		return 0;
	}
	if (is_stdin && s->stdin_filename) {
		free(ls->src->path);
		ls->src->path = run_strdup(s->stdin_filename);
	}
	ls->analyzed = run_pass(r, c, &o, &sel, ls->src);
	if (ls->analyzed && r->fix_mode) {
		source orig;
		size_t n = run_fix(r, c, &o, &sel, ls, before, &orig);
		if (n > 0) {
			r->fixed += n;
			r->changed_files++;
			if (s->diff)
				rc = run_print_diff(r, &orig, ls->src) < 0 ? -1 : 0;
			else
				rc = run_write_fixed(r, in->path, ls->src, is_stdin);
		} else if (is_stdin && s->fix && !s->diff) {
			run_write_fixed(r, in->path, ls->src, 1);
		}
		source_free(&orig);
	} else if (is_stdin && s->fix && !s->diff) {
		run_write_fixed(r, in->path, ls->src, 1);       /* the text unchanged */
	}
	sel_list_free(&sel.per_file);
	free(abs);
	return rc;
}

/* ---- baseline ------------------------------------------------------------- */

static int run_linted(const char *abspath, void *ctx)
{
	struct lint_run *r = ctx;
	for (size_t i = 0; i < r->nsrcs; i++)
		if (r->srcs[i].analyzed && r->srcs[i].abs && strcmp(r->srcs[i].abs, abspath) == 0)
			return 1;
	return 0;
}

/*
 * --write-baseline, then --baseline: hide what it holds and report its
 * stale entries (judged by the baseline file's own config).  Returns the
 * number hidden, or -1 on an error (printed).
 */
static long run_baseline(struct lint_run *r)
{
	const lint_settings *s = r->s;
	char err[1024];
	long hidden = 0;
	if (s->write_baseline) {
		long n = baseline_write(s->write_baseline, &r->diags, err, sizeof err);
		if (n < 0) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
		if (!s->opts.quiet)
			fprintf(stderr, "lossc lint: wrote %ld finding%s to %s\n", n, n == 1 ? "" : "s", s->write_baseline);
		/* what was just recorded is what a later --baseline hides: hide it now too */
		size_t had = r->diags.n;
		diag_remove_if(&r->diags, 0, run_recorded, NULL);
		hidden += (long)(had - r->diags.n);
	}
	if (s->baseline) {
		struct lint_cfg *c;
		struct lint_src *ls;
		size_t before;
		r->bl = baseline_load(s->baseline, err, sizeof err);
		if (!r->bl) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
		hidden += (long)baseline_hide(r->bl, &r->diags, 0);
		c = run_cfg_for(r, s->baseline);
		if (!c)
			return -1;
		before = r->diags.n;
		baseline_stale(r->bl, &r->diags, run_linted, r);
		for (size_t i = before; i < r->diags.n; i++)
			if (c->path)
				r->diags.items[i].sev = (diag_severity)config_severity(&c->cfg, r->diags.items[i].code,
										      r->diags.items[i].sev);
		diag_remove_if(&r->diags, before, run_unselected, &c->sel);
		/* its findings are judged with the baseline directory's fail level */
		r->srcs = xrealloc(r->srcs, (r->nsrcs + 1) * sizeof *r->srcs);
		ls = &r->srcs[r->nsrcs++];
		memset(ls, 0, sizeof *ls);
		ls->src = (source *)baseline_source(r->bl);
		ls->borrowed = 1;
		ls->fail_on = s->fail_on_set || !c->path || !c->cfg.has_fail_on ? (int)s->opts.fail_on : c->cfg.fail_on;
		ls->analyzed = 1;
	}
	return hidden;
}

/* ---- reports -------------------------------------------------------------- */

struct run_rules {
	report_rule *v;
	size_t n;
};

static void run_add_rule(struct run_rules *t, const char *code, const char *name, const char *title,
			 const char *explain, diag_severity sev)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].code, code) == 0)
			return;
	t->v = xrealloc(t->v, (t->n + 1) * sizeof *t->v);
	t->v[t->n].code = code;
	t->v[t->n].name = name;
	t->v[t->n].title = title;
	t->v[t->n].explain = explain;
	t->v[t->n].sev = sev;
	t->n++;
}

static void run_add_code(const code_info *ci, void *ctx)
{
	run_add_rule(ctx, ci->code, NULL, ci->title, ci->explain, ci->sev);
}

static int run_rule_cmp(const void *a, const void *b)
{
	return strcmp(((const report_rule *)a)->code, ((const report_rule *)b)->code);
}

/* Every code the run knows, for SARIF's rule table and the statistics' titles. */
static void run_rules(struct lint_run *r, struct run_rules *rt)
{
	codes_foreach(run_add_code, rt);
	for (size_t c = 0; c < r->ncfgs; c++)
		for (size_t i = 0; i < prose_count(r->cfgs[c].prose); i++) {
			const prose_rule *pr = prose_rule_at(r->cfgs[c].prose, i);
			run_add_rule(rt, pr->code, pr->name, pr->title, pr->explain, pr->sev);
		}
	qsort(rt->v, rt->n, sizeof *rt->v, run_rule_cmp);
}

/* One report into out. */
static int run_render(struct lint_run *r, FILE *out, int format, int color, const struct run_rules *rt,
		      const report_counts *counts)
{
	const lint_settings *s = r->s;
	if (s->statistics && (format == REPORT_TEXT || format == REPORT_JSON))
		return report_statistics(out, &r->diags, s->unsafe_fixes, format == REPORT_JSON, rt->v, rt->n);
	if (report_render(out, &r->diags, (report_format)format, rt->v, rt->n, color) < 0)
		return -1;
	if (format == REPORT_TEXT && report_summary(out, counts) < 0)
		return -1;
	return fflush(out) != 0 || ferror(out) ? -1 : 0;
}

/* Every requested report to its destination: files atomically, never a partial one. */
static int run_reports(struct lint_run *r, const report_counts *counts, FILE *console)
{
	const lint_settings *s = r->s;
	lint_report_req def[1];
	const lint_report_req *reqs = s->reports;
	size_t n = s->nreports;
	struct run_rules rt = { NULL, 0 };
	int rc = 0;

	if (n == 0) {
		/* the first config's format, else text */
		def[0].format = REPORT_TEXT;
		def[0].file = NULL;
		for (size_t i = 0; i < r->ncfgs; i++)
			if (r->cfgs[i].path && r->cfgs[i].cfg.format) {
				def[0].format = report_parse_format(r->cfgs[i].cfg.format);
				break;
			}
		reqs = def;
		n = 1;
	}
	run_rules(r, &rt);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *file = reqs[i].file ? reqs[i].file : s->output_file;
		char why[256];
		outfile of;
		if (!file) {
			if (s->opts.quiet)
				continue;
			errno = 0;
			if (run_render(r, console, reqs[i].format, console == stdout && s->opts.color, &rt, counts) < 0) {
				fprintf(stderr, "lossc: error writing standard %s: %s\n", console == stdout ? "output" : "error",
					strerror(errno ? errno : EIO));
				rc = -1;
			}
			continue;
		}
		if (outfile_open(&of, file, why, sizeof why) != 0) {
			fprintf(stderr, "lossc lint: %s: cannot write the report: %s\n", file, why);
			rc = -1;
			continue;
		}
		errno = 0;
		if (run_render(r, of.f, reqs[i].format, 0, &rt, counts) < 0) {
			int err = errno ? errno : EIO;
			outfile_abort(&of);
			fprintf(stderr, "lossc lint: %s: cannot write the report: %s\n", file, strerror(err));
			rc = -1;
		} else if (outfile_commit(&of, why, sizeof why) != 0) {
			fprintf(stderr, "lossc lint: %s: cannot write the report: %s\n", file, why);
			rc = -1;
		}
	}
	free(rt.v);
	return rc;
}

/* Refuse to write a report, diff or baseline over one of the inputs. */
static int run_check_outputs(struct lint_run *r)
{
	const lint_settings *s = r->s;
	const char *outs[LINT_MAX_REPORTS + 2];
	size_t n = 0;
	for (size_t i = 0; i < s->nreports; i++)
		if (s->reports[i].file)
			outs[n++] = s->reports[i].file;
	if (s->output_file)
		outs[n++] = s->output_file;
	if (s->write_baseline)
		outs[n++] = s->write_baseline;
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < r->ninputs; i++)
			if (strcmp(r->inputs[i].path, "-") != 0 && outfile_same_file(outs[k], r->inputs[i].path)) {
				fprintf(stderr, "lossc lint: refusing to write '%s': it is the input '%s'\n", outs[k],
					r->inputs[i].path);
				return -1;
			}
	return 0;
}

/* ---- the run -------------------------------------------------------------- */

static const struct lint_src *run_src_of(const struct lint_run *r, const source *src, size_t *hint)
{
	if (*hint < r->nsrcs && r->srcs[*hint].src == src)
		return &r->srcs[*hint];
	for (size_t i = 0; i < r->nsrcs; i++)
		if (r->srcs[i].src == src) {
			*hint = i;
			return &r->srcs[i];
		}
	return NULL;
}

/* For --diff: drop the findings of every file that was analyzed (see lint_run). */
struct run_unanalyzed {
	const struct lint_run *r;
	size_t hint;
};

static int run_drop_analyzed(const diag *d, void *ctx)
{
	struct run_unanalyzed *u = ctx;
	const struct lint_src *ls = run_src_of(u->r, d->src, &u->hint);
	return !ls || ls->analyzed;
}

int lint_run(const lint_settings *s)
{
	struct lint_run r;
	int status = 0, not_analyzed = 0, failed = 0;
	long hidden;
	FILE *console = stdout;
	outfile diff_file;
	int diff_to_file = 0;

	memset(&r, 0, sizeof r);
	r.s = s;
	diag_list_init(&r.diags);
	r.cwd = path_absolute(".");
	if (!r.cwd) {
		fprintf(stderr, "lossc lint: cannot find the working directory: %s\n", strerror(errno));
		return 2;
	}
	if (s->fix || s->diff)
		r.fix_mode = FIX_SAFE | (s->unsafe_fixes ? FIX_UNSAFE : 0);
	if (s->fix || s->diff || s->write_baseline)
		outfile_handle_signals();

	if (run_expand(&r) != 0 || (r.ncfgs == 0 && !run_cfg_for(&r, "-")) || run_check_selection(&r) != 0 ||
	    run_check_outputs(&r) != 0) {
		run_free(&r);
		return 2;
	}
	/* --fix on standard input: the fixed text is the output, the report goes to stderr */
	for (size_t i = 0; i < r.ninputs; i++)
		if (s->fix && !s->diff && strcmp(r.inputs[i].path, "-") == 0)
			console = stderr;
	r.diff_out = stdout;
	if (s->diff && s->output_file) {
		char why[256];
		if (outfile_open(&diff_file, s->output_file, why, sizeof why) != 0) {
			fprintf(stderr, "lossc lint: %s: cannot write the diff: %s\n", s->output_file, why);
			run_free(&r);
			return 2;
		}
		r.diff_out = diff_file.f;
		diff_to_file = 1;
	}

	for (size_t i = 0; i < r.ninputs; i++)
		if (run_file(&r, &r.inputs[i]) != 0)
			status = 2;
	if (r.cfg_broken) {
		if (diff_to_file)
			outfile_abort(&diff_file);
		run_free(&r);
		return 2;
	}
	diag_sort(&r.diags);

	if (s->diff) {
		/* --diff: the diffs are the output; findings are not printed */
		char why[256];
		if (diff_to_file && outfile_commit(&diff_file, why, sizeof why) != 0) {
			fprintf(stderr, "lossc lint: %s: cannot write the diff: %s\n", s->output_file, why);
			status = 2;
		} else if (!diff_to_file && (fflush(stdout) != 0 || ferror(stdout))) {
			fprintf(stderr, "lossc: error writing standard output: %s\n", strerror(errno));
			status = 2;
		}
		if (!s->opts.quiet && r.fixed)
			fprintf(stderr, "lossc lint: would fix %zu finding%s in %zu file%s\n", r.fixed,
				r.fixed == 1 ? "" : "s", r.changed_files, r.changed_files == 1 ? "" : "s");
		for (size_t i = 0; i < r.nsrcs; i++)
			if (!r.srcs[i].analyzed)
				not_analyzed = 1;
		if (not_analyzed) {
			/* a file that could not be analyzed has no diff: its errors
			   (unreadable, not UTF-8, a syntax error) say why it exits 2 */
			struct run_unanalyzed u = { &r, 0 };
			diag_remove_if(&r.diags, 0, run_drop_analyzed, &u);
			if (report_render(stderr, &r.diags, REPORT_TEXT, NULL, 0, 0) != 0)
				status = 2;
		}
		run_free(&r);
		if (status || not_analyzed)
			return 2;
		return r.changed_files ? 1 : 0;
	}

	hidden = run_baseline(&r);
	if (hidden < 0) {
		run_free(&r);
		return 2;
	}

	report_counts counts;
	memset(&counts, 0, sizeof counts);
	report_count(&r.diags, s->unsafe_fixes, &counts);
	counts.files = r.ninputs;
	counts.fixed = r.fixed;
	counts.fixing = s->fix;
	counts.baselined = (size_t)hidden;

	size_t hint = 0;
	for (size_t i = 0; i < r.nsrcs; i++)
		if (!r.srcs[i].analyzed)
			not_analyzed = 1;
	for (size_t i = 0; i < r.diags.n; i++) {
		const diag *d = &r.diags.items[i];
		const struct lint_src *ls = run_src_of(&r, d->src, &hint);
		if ((int)d->sev >= (ls ? ls->fail_on : (int)s->opts.fail_on))
			failed = 1;
	}

	if (run_reports(&r, &counts, console) != 0)
		status = 2;
	if (r.stdin_fixed) {
		if (fwrite(r.stdin_text, 1, r.stdin_len, stdout) != r.stdin_len || fflush(stdout) != 0) {
			fprintf(stderr, "lossc: error writing standard output: %s\n", strerror(errno));
			status = 2;
		}
	}
	run_free(&r);
	if (status || not_analyzed)
		return 2;
	return failed ? 1 : 0;
}
