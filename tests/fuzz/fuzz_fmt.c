/*
 * fuzz_fmt.c: `lossc fmt` on arbitrary bytes (owner: fmt, issue 15).
 *
 * Every input must satisfy fmt's properties (tests/fmt/fmtcheck.h): if it
 * parses, it formats (fmt's own check passes), formatting is stable, the
 * formatted text is the same tree with the same comments, and lint finds
 * the same findings in it, with its allow comments on and off; if it does
 * not parse, it is refused.  The width comes from the input's size (40 to
 * 99), so the same seeds exercise narrow and wide layouts.  A failed
 * property aborts, which is what the fuzzer reports.  The source tree's
 * prose rules are loaded once, as in fuzz_lint.
 */
#include <stdint.h>

#include "../fmt/fmtcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *path, const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_fmt: %s: %s%s%s\n", path, what, detail ? ": " : "", detail ? detail : "");
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[32];
	unsigned width = 40 + (unsigned)(size % 60);
	snprintf(path, sizeof path, "fuzz.loss (width %u)", width);
	fmtcheck(path, (const char *)data, size, width, fmtcheck_rules(), fuzz_fail);
	return 0;
}
