/*
 * fuzz_fmt.c: `lossc fmt` on arbitrary bytes (owner: fmt, issue 15).
 *
 * Every input that parses must format, and formatting must be checked and
 * stable: fmt_source() itself re-parses its output and refuses a text
 * that is not the same tree with the same comments (that refusal is a bug
 * here, so it aborts), and formatting the output again must give it back
 * byte for byte.  The width comes from the input's size (40 to 99), so
 * the same seeds exercise narrow and wide layouts.  Inputs that do not
 * parse must be refused, never formatted.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fmt.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	source src, again;
	diag_list diags;
	char why[512], *out = NULL, *out2 = NULL;
	size_t n = 0, n2 = 0;
	unsigned width = 40 + (unsigned)(size % 60);

	source_from_buffer(&src, "fuzz.loss", (const char *)data, size);
	diag_list_init(&diags);
	int rc = fmt_source(&src, width, &diags, &out, &n, why, sizeof why);
	if (rc < 0) {
		fprintf(stderr, "fuzz_fmt: fmt's check failed at width %u: %s\n", width, why);
		abort();
	}
	if (rc == 0) {
		source_from_buffer(&again, "fuzz.loss", out, n);
		diag_list_free(&diags);
		diag_list_init(&diags);
		if (fmt_source(&again, width, &diags, &out2, &n2, why, sizeof why) != 0) {
			fprintf(stderr, "fuzz_fmt: formatted text does not format again at width %u: %s\n",
				width, why);
			abort();
		}
		if (n2 != n || memcmp(out, out2, n) != 0) {
			fprintf(stderr, "fuzz_fmt: fmt(fmt(x)) != fmt(x) at width %u\n", width);
			abort();
		}
		source_free(&again);
	}
	free(out);
	free(out2);
	diag_list_free(&diags);
	source_free(&src);
	return 0;
}
