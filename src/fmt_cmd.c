/*
 * fmt_cmd.c: `lossc fmt`: its options, the width each file gets (option,
 * else the file's .losscrc, else 88), and what happens to each file:
 * rewritten in place, checked (--check), shown as a diff (--diff), or
 * standard input formatted to standard output ('-').
 *
 * A file is only ever replaced whole (outfile.h) and only when its
 * formatted text differs; a file that cannot be formatted (unreadable,
 * not UTF-8, syntax errors, or a formatted text that failed fmt's own
 * check) is reported and left exactly as it was.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "diag.h"
#include "fmt.h"
#include "losscrc.h"
#include "opt.h"
#include "outfile.h"
#include "source.h"
#include "udiff.h"

static const char fmt_usage_text[] =
	"Usage: lossc fmt [OPTION]... FILE...\n"
	"Rewrite LossSpec files in place in the canonical layout (lossc(1),\n"
	"FORMATTING); '-' formats standard input to standard output.\n"
	"\n"
	"Options:\n"
	"  --check          write nothing; name each file that is not formatted\n"
	"  --diff           write nothing; print what would change as a unified diff\n"
	"  --width N        split prose into strings that end by column N\n"
	"                   (40 to 1000; default: fmt-width in .losscrc, else 88)\n"
	"  --config FILE    use this config file instead of searching for\n"
	"                   .losscrc upward from each input file\n"
	"  --no-config      use no config file\n"
	"  --help           print this help and exit\n"
	"\n"
	"Exit status: 0 every file is formatted (or was rewritten), 1 with --check\n"
	"or --diff when a file is not formatted, 2 when a file could not be\n"
	"formatted (unreadable, not UTF-8, syntax errors: it is left as it was),\n"
	"a config file is broken, or the command line is wrong.\n";

struct fmt_run {
	int check, diff;
	unsigned width;                 /* --width; 0: from each file's config */
	const char *config_path;        /* --config */
	int no_config;
	/* the last config read, reused while consecutive files share it */
	char *cfg_path;
	unsigned cfg_width;
};

/* The width for path: --width, else its config's fmt-width, else the default; 0 when the config is broken. */
static unsigned fmt_width_for(struct fmt_run *r, const char *path)
{
	if (r->width)
		return r->width;
	if (r->no_config)
		return FMT_DEFAULT_WIDTH;
	char *cfg = r->config_path ? strdup(r->config_path) : config_find(path);
	if (!cfg)
		return FMT_DEFAULT_WIDTH;
	if (r->cfg_path && strcmp(cfg, r->cfg_path) == 0) {
		free(cfg);
		return r->cfg_width;
	}
	lconfig c;
	char err[1024];
	if (config_load(&c, cfg, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		free(cfg);
		return 0;
	}
	free(r->cfg_path);
	r->cfg_path = cfg;
	r->cfg_width = c.fmt_width ? c.fmt_width : FMT_DEFAULT_WIDTH;
	config_free(&c);
	return r->cfg_width;
}

/* The diff's file names: a/PATH and b/PATH, as `patch -p1` and `git apply` expect. */
static int fmt_print_diff(const char *path, const source *src, const char *out, size_t outlen)
{
	int std = strcmp(path, "-") == 0;
	const char *name = std ? "<stdin>" : path;
	int rel = !std && path[0] != '/';
	size_t n = strlen(name) + 3;
	char *a = malloc(n), *b = malloc(n);
	if (!a || !b) {
		fputs("lossc: out of memory\n", stderr);
		abort();
	}
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

/* One file: 0 formatted already (or rewritten, or printed), 1 would change, 2 could not be formatted. */
static int fmt_one(struct fmt_run *r, const char *path)
{
	char why[512];
	source src;
	diag_list diags;
	int status = 0;
	int std = strcmp(path, "-") == 0;

	diag_list_init(&diags);
	if (source_read(&src, path, why, sizeof why) < 0) {
		source_from_buffer(&src, path, "", 0);
		diag_add_file(&diags, &src, SEV_ERROR, "LS002", "%s", why);
		diag_render_text(stderr, &diags, 0);
		diag_list_free(&diags);
		source_free(&src);
		return 2;
	}
	unsigned width = fmt_width_for(r, path);
	if (width == 0) {
		source_free(&src);
		return -1;
	}
	char *out = NULL;
	size_t outlen = 0;
	int rc = fmt_source(&src, width, &diags, &out, &outlen, why, sizeof why);
	if (rc == 1) {
		diag_sort(&diags);
		diag_render_text(stderr, &diags, 0);
		fprintf(stderr, "lossc fmt: %s: not formatted: fix the errors above first\n", src.path);
		status = 2;
	} else if (rc < 0) {
		fprintf(stderr, "lossc fmt: %s: internal error: %s; the file is left as it was "
			"(please report this with the file)\n", src.path, why);
		status = 2;
	} else {
		int same = outlen == src.len && memcmp(out, src.text, outlen) == 0;
		if (r->diff) {
			if (!same && fmt_print_diff(path, &src, out, outlen) < 0)
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

int cmd_fmt(int argc, char **argv)
{
	struct fmt_run r;
	const char **files = malloc(((size_t)argc + 1) * sizeof *files);
	int nfiles = 0, only_files = 0, nstdin = 0;
	if (!files) {
		fputs("lossc: out of memory\n", stderr);
		return 2;
	}
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

	int status = 0;
	for (int k = 0; k < nfiles; k++) {
		int s = fmt_one(&r, files[k]);
		if (s < 0) {            /* a broken config file stops the run, as in lint */
			status = 2;
			break;
		}
		if (s > status)
			status = s;
	}
	free(files);
	free(r.cfg_path);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "lossc: error writing standard output: %s\n", strerror(errno));
		return 2;
	}
	return status;
}
