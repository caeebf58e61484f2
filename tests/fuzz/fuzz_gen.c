/*
 * fuzz_gen.c: `lossc gen` on every input that lints without an error
 * (owner: reliability).
 *
 * Each input is first linted in memory, with the built-in prose rules,
 * exactly as gen lints it; inputs with an error finding are dropped
 * there (gen refuses them, and writing nothing costs nothing to check).
 * Clean ones are written to a scratch file and go through cmd_gen() with
 * --harness into a scratch directory, so the IR lowering, the kernel,
 * gradient and harness emitters and the atomic writer all run on
 * whatever the fuzzer finds that lint accepts.  The generated C is not
 * compiled here: tests/fuzz/gen-compile.sh compiles it for every input
 * of the corpus with the strict flags.  Built for libFuzzer by
 * scripts/fuzz, and as a plain regression driver by `make check`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "diag.h"
#include "lint.h"
#include "prose.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir[64];
static char fuzz_in[96];
static prose_set *fuzz_prose;

static void fuzz_rmdir(void)
{
	rmdir(fuzz_dir);
}

/* Once per process: a scratch directory (tmpfs when there is one: gen fsyncs), the rules. */
static void fuzz_setup(void)
{
	char err[1024];
	if (fuzz_prose)
		return;
	snprintf(fuzz_dir, sizeof fuzz_dir, "%s/lossc-fuzz-gen.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(fuzz_dir)) {
		perror("fuzz_gen: mkdtemp");
		abort();
	}
	atexit(fuzz_rmdir);
	snprintf(fuzz_in, sizeof fuzz_in, "%s/in.loss", fuzz_dir);
	/* Findings and gen's messages are noise here; crashes are reported on stderr. */
	if (!freopen("/dev/null", "w", stdout))
		abort();
	fuzz_prose = prose_load_all(NULL, 0, err, sizeof err);
	if (!fuzz_prose) {
		fprintf(stderr, "fuzz_gen: cannot load the built-in rules: %s\n", err);
		abort();
	}
}

static void fuzz_clean(void)
{
	static const char *const outs[] = { "in.loss", "in_loss.c", "in_loss.h", "test_in_loss.c" };
	char p[160];
	for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", fuzz_dir, outs[i]);
		unlink(p);
	}
}

/* Does the input lint without an error, as gen requires? */
static int fuzz_lints_clean(const uint8_t *data, size_t size)
{
	source src;
	diag_list diags;
	lint_opts o;
	int clean;

	source_from_buffer(&src, "in.loss", (const char *)data, size);
	diag_list_init(&diags);
	lint_opts_init(&o);
	o.prose = fuzz_prose;
	clean = lint_one(&src, &o, &diags) == 0;
	for (size_t i = 0; i < diags.n; i++)
		if (diags.items[i].sev == SEV_ERROR)
			clean = 0;
	diag_list_free(&diags);
	source_free(&src);
	return clean;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_setup();
	if (!fuzz_lints_clean(data, size))
		return 0;
	FILE *f = fopen(fuzz_in, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror("fuzz_gen: writing the input");
		abort();
	}
	char a0[] = "gen", a2[] = "-o", a4[] = "--harness";
	char *argv[] = { a0, fuzz_in, a2, fuzz_dir, a4, NULL };
	int rc = cmd_gen(5, argv);
	fuzz_clean();
	/*
	 * gen may refuse what lint accepts (a loss it cannot emit) with exit
	 * 2, but never anything else: 1 is not one of gen's statuses.
	 */
	if (rc != 0 && rc != 2) {
		fprintf(stderr, "fuzz_gen: lossc gen exited %d\n", rc);
		abort();
	}
	return 0;
}
