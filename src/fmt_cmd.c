/*
 * fmt_cmd.c: `lossc fmt`: its options, the files it takes (named files,
 * the .loss files below named directories, standard input), the width
 * and exclusions each file gets from its .losscrc, and what happens to
 * each file: rewritten in place, checked (--check), shown as a diff
 * (--diff), or standard input formatted to standard output ('-').
 *
 * A file is only ever replaced whole (outfile.h) and only when its
 * formatted text differs; a file that cannot be formatted (unreadable,
 * not UTF-8, syntax errors, or a formatted text that failed fmt's own
 * check) is reported and left exactly as it was.  Directories are walked
 * as lint walks them (walk.h): sorted, hidden names and `exclude:` paths
 * skipped.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmds.h"
#include "diag.h"
#include "fmt.h"
#include "losscrc.h"
#include "opt.h"
#include "outfile.h"
#include "path.h"
#include "source.h"
#include "udiff.h"
#include "walk.h"
#include "xalloc.h"

static const char fmt_usage_text[] =
	"Usage: lossc fmt [OPTION]... FILE|DIR...\n"
	"Rewrite LossSpec files in place in the canonical layout (lossc(1),\n"
	"FORMATTING); a directory stands for the .loss files below it; '-'\n"
	"formats standard input to standard output.\n"
	"\n"
	"Options:\n"
	"  --check          write nothing; name each file that is not formatted\n"
	"  --diff           write nothing; print what would change as a unified diff\n"
	"  --width N        split prose into strings that end by column N\n"
	"                   (40 to 1000; default: fmt-width in .losscrc, else 88)\n"
	"  --config FILE    use this config file instead of searching for\n"
	"                   .losscrc upward from each input file\n"
	"  --no-config      use no config file\n"
	"  --force-exclude  skip files the config's exclude names even when they\n"
	"                   are named as arguments (excluded standard input is\n"
	"                   copied through unchanged)\n"
	"  --stdin-filename NAME\n"
	"                   the name of standard input, for its config, its\n"
	"                   exclusion and messages\n"
	"  --help           print this help and exit\n"
	"\n"
	"Exit status: 0 every file is formatted (or was rewritten), 1 with --check\n"
	"or --diff when a file is not formatted, 2 when a file could not be\n"
	"formatted (unreadable, not UTF-8, syntax errors: it is left as it was),\n"
	"a config file is broken, or the command line is wrong.\n";

struct fmt_run {
	int check, diff, force_exclude, no_config;
	unsigned width;                 /* --width; 0: from each file's config */
	const char *config_path;        /* --config */
	const char *stdin_filename;     /* --stdin-filename */
	/* the config last read, reused while the next files share it */
	char *cfg_path;                 /* NULL: none read yet, or the file had none */
	int cfg_read;
	lconfig cfg;
	walk_set seen;                  /* files already formatted in this run */
	int status;                     /* the worst so far: 0, 1 or 2 */
	int broken;                     /* a config file is broken: stop */
};

/*
 * The config that applies to path (--config, else the nearest .losscrc,
 * else none): NULL when there is none or it is broken (then r->broken).
 */
static const lconfig *fmt_config_for(struct fmt_run *r, const char *path)
{
	char err[1024];
	if (r->no_config)
		return NULL;
	char *p = r->config_path ? xstrdup(r->config_path) : config_find(path);
	if (!p)
		return NULL;
	if (r->cfg_read && r->cfg_path && strcmp(p, r->cfg_path) == 0) {
		free(p);
		return &r->cfg;
	}
	if (r->cfg_read)
		config_free(&r->cfg);
	free(r->cfg_path);
	r->cfg_path = NULL;
	r->cfg_read = 0;
	if (config_load(&r->cfg, p, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		free(p);
		r->broken = 1;
		return NULL;
	}
	r->cfg_path = p;
	r->cfg_read = 1;
	return &r->cfg;
}

/* Does path's config exclude it (the `exclude:` key)? */
static int fmt_excluded(struct fmt_run *r, const char *path)
{
	const lconfig *c = fmt_config_for(r, path);
	char *abs = c ? path_absolute(path) : NULL;
	int ex = abs && config_excluded(c, abs);
	free(abs);
	return ex;
}

/* The diff's file names: a/PATH and b/PATH, as `patch -p1` and `git apply` expect. */
static int fmt_print_diff(const char *name, const source *src, const char *out, size_t outlen)
{
	int rel = name[0] != '/' && name[0] != '<';
	size_t n = strlen(name) + 3;
	char *a = xmalloc(n), *b = xmalloc(n);
	snprintf(a, n, "%s%s", rel ? "a/" : "", name);
	snprintf(b, n, "%s%s", rel ? "b/" : "", name);
	int rc = udiff_write(stdout, a, b, src->text, src->len, out, outlen, UDIFF_CONTEXT);
	free(a);
	free(b);
	return rc;
}

static int fmt_replace(const char *path, const char *out, size_t outlen)
{
	outfile o;
	char why[512];
	if (outfile_open_replace(&o, path, why, sizeof why) < 0) {
		fprintf(stderr, "lossc fmt: cannot rewrite '%s': %s; it is left as it was\n", path, why);
		return -1;
	}
	if (fwrite(out, 1, outlen, o.f) != outlen || outfile_commit(&o, why, sizeof why) < 0) {
		if (o.tmp)
			snprintf(why, sizeof why, "write error: %s", strerror(errno));
		outfile_abort(&o);
		fprintf(stderr, "lossc fmt: cannot rewrite '%s': %s; it is left as it was\n", path, why);
		return -1;
	}
	return 0;
}

/* One file ('-': standard input): 0 formatted already (or rewritten, or printed), 1 would change, 2 could not be formatted. */
static int fmt_one(struct fmt_run *r, const char *path)
{
	char why[512];
	source src;
	diag_list diags;
	int status = 0;
	int std = strcmp(path, "-") == 0;
	/* standard input's name, for its config and in messages */
	const char *name = std && r->stdin_filename ? r->stdin_filename : path;

	if (walk_kind(name) & WALK_DOCUMENTS) {
		/* a Markdown or text document (lossc lint reads its prose) has no LossSpec to format */
		opt_error("fmt", "%s: a %s document, not a LossSpec file; fmt formats .loss files", name,
			  walk_kind(name) == WALK_MARKDOWN ? "Markdown" : "plain-text");
		return 2;
	}
	diag_list_init(&diags);
	if (source_read(&src, path, why, sizeof why) < 0) {
		source_from_buffer(&src, name, "", 0);
		diag_add_file(&diags, &src, SEV_ERROR, "LS002", "%s", why);
		diag_render_text(stderr, &diags, 0);
		diag_list_free(&diags);
		source_free(&src);
		return 2;
	}
	if (std && r->stdin_filename) {
		free(src.path);
		src.path = xstrdup(r->stdin_filename);
	}
	const lconfig *c = r->width ? NULL : fmt_config_for(r, std && !r->stdin_filename ? "-" : name);
	if (r->broken) {
		source_free(&src);
		return 2;
	}
	unsigned width = r->width ? r->width : c && c->fmt_width ? c->fmt_width : FMT_DEFAULT_WIDTH;
	char *out = NULL;
	size_t outlen = 0;
	int rc = fmt_source(&src, width, &diags, &out, &outlen, why, sizeof why);
	if (rc == 1) {
		diag_sort(&diags);
		diag_render_text(stderr, &diags, 0);
		fprintf(stderr, "lossc fmt: %s: not formatted: fix the errors above first\n", src.path);
		status = 2;
	} else if (rc < 0) {
		/* GCOVR_EXCL_START: fmt's own check of its output failing is a fmt bug; fuzz_fmt hunts for one */
		fprintf(stderr, "lossc fmt: %s: internal error: %s; the file is left as it was "
			"(please report this with the file)\n", src.path, why);
		status = 2;
		/* GCOVR_EXCL_STOP */
	} else {
		int same = outlen == src.len && memcmp(out, src.text, outlen) == 0;
		if (r->diff) {
			if (!same && fmt_print_diff(src.path, &src, out, outlen) < 0)
				status = 2;
			else
				status = !same;
		} else if (r->check) {
			if (!same)
				printf("would reformat %s\n", src.path);
			status = !same;
		} else if (std) {
			if (fwrite(out, 1, outlen, stdout) != outlen)
				status = 2;
		} else if (!same && fmt_replace(path, out, outlen) < 0) {
			status = 2;
		}
	}
	free(out);
	diag_list_free(&diags);
	source_free(&src);
	return status;
}

static void fmt_note(struct fmt_run *r, int status)
{
	if (status > r->status)
		r->status = status;
}

/* An excluded standard input still reaches standard output, as it was (an editor replaces its buffer with it). */
static void fmt_pass_through(struct fmt_run *r)
{
	char buf[65536];
	size_t n;
	if (r->check || r->diff)
		return;
	while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			break;
	if (ferror(stdin)) {
		fprintf(stderr, "lossc fmt: error reading standard input: %s\n", strerror(errno));
		fmt_note(r, 2);
	}
}

static void fmt_file_once(struct fmt_run *r, const char *path)
{
	if (walk_set_add(&r->seen, path))       /* named twice (or found twice): once is enough */
		fmt_note(r, fmt_one(r, path));
}

static int fmt_walk_excluded(const char *path, int is_dir, void *ctx)
{
	(void)is_dir;
	return fmt_excluded(ctx, path);
}

static void fmt_walk_file(const char *path, unsigned kind, void *ctx)
{
	struct fmt_run *r = ctx;
	(void)kind;
	if (!r->broken)
		fmt_file_once(r, path);
}

static void fmt_walk_error(const char *path, const char *why, void *ctx)
{
	fprintf(stderr, "lossc fmt: %s: %s\n", path, why);
	fmt_note(ctx, 2);
}

static void fmt_arg(struct fmt_run *r, const char *a)
{
	struct stat st;
	if (strcmp(a, "-") == 0) {
		if (r->force_exclude && r->stdin_filename && fmt_excluded(r, r->stdin_filename))
			fmt_pass_through(r);
		else if (!r->broken)
			fmt_note(r, fmt_one(r, a));
	} else if (stat(a, &st) == 0 && S_ISDIR(st.st_mode)) {
		walk_cb cb = { fmt_walk_excluded, fmt_walk_file, fmt_walk_error, r };
		if (walk_dir(a, WALK_LOSS, &cb) == 0 && !r->broken)
			fprintf(stderr, "lossc fmt: warning: no .loss files to format in '%s'\n", a);
	} else if (!(r->force_exclude && fmt_excluded(r, a)) && !r->broken) {
		fmt_file_once(r, a);
	}
}

int cmd_fmt(int argc, char **argv)
{
	struct fmt_run r;
	const char **files = xmalloc(((size_t)argc + 1) * sizeof *files);
	int nfiles = 0, only_files = 0, nstdin = 0;
	memset(&r, 0, sizeof r);
#define FMT_FAIL(...) do { free(files); return opt_usage_error("fmt", __VA_ARGS__); } while (0)
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		int k;
		if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
			nstdin += strcmp(a, "-") == 0;
			files[nfiles++] = a;
		} else if (strcmp(a, "--") == 0) {
			only_files = 1;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			free(files);
			if (fputs(fmt_usage_text, stdout) == EOF || fflush(stdout) != 0) {
				fprintf(stderr, "lossc: error writing standard output: %s\n", strerror(errno));
				return 2;
			}
			return 0;
		} else if (strcmp(a, "--check") == 0) {
			r.check = 1;
		} else if (strcmp(a, "--diff") == 0) {
			r.diff = 1;
		} else if (strcmp(a, "--no-config") == 0) {
			r.no_config = 1;
		} else if (strcmp(a, "--force-exclude") == 0) {
			r.force_exclude = 1;
		} else if ((k = opt_value(argc, argv, &i, "--width", &v)) != 0) {
			char *end;
			long w;
			if (k < 0)
				FMT_FAIL("option '--width' needs a number");
			errno = 0;
			w = strtol(v, &end, 10);
			if (errno || end == v || *end || w < FMT_MIN_WIDTH || w > FMT_MAX_WIDTH)
				FMT_FAIL("invalid width '%s' (use %d to %d)", v, FMT_MIN_WIDTH, FMT_MAX_WIDTH);
			r.width = (unsigned)w;
		} else if ((k = opt_value(argc, argv, &i, "--config", &v)) != 0) {
			if (k < 0 || !*v)
				FMT_FAIL("option '--config' needs a file");
			r.config_path = v;
		} else if ((k = opt_value(argc, argv, &i, "--stdin-filename", &v)) != 0) {
			if (k < 0 || !*v)
				FMT_FAIL("option '--stdin-filename' needs a name");
			r.stdin_filename = v;
		} else {
			FMT_FAIL("unknown option '%s'", a);
		}
	}
	if (nfiles == 0)
		FMT_FAIL("no input files ('-' formats standard input)");
	if (nstdin > 1)
		FMT_FAIL("'-' given more than once");
#undef FMT_FAIL

	outfile_handle_signals();
	for (int k = 0; k < nfiles && !r.broken; k++)
		fmt_arg(&r, files[k]);
	free(files);
	if (r.cfg_read)
		config_free(&r.cfg);
	free(r.cfg_path);
	walk_set_free(&r.seen);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "lossc: error writing standard output: %s\n", strerror(errno));
		return 2;
	}
	return r.broken ? 2 : r.status;
}
