/*
 * fuzz_lint.c: the whole `lossc lint` pipeline on arbitrary bytes
 * (owner: reliability).
 *
 * The input becomes one in-memory source (source_from_buffer, so NUL
 * bytes and invalid UTF-8 reach the front end as they are), goes through
 * lint_one() (parse, resolve and every later pass wired into it), and its
 * findings are sorted and rendered, so the renderer's line and column
 * arithmetic is exercised on every finding.  The source tree's built-in
 * prose rules are loaded once and run on every input, as `lossc lint`
 * runs them.  Built for libFuzzer by
 * scripts/fuzz, and as a plain regression driver by `make check`.
 */
#include <stdint.h>
#include <stdio.h>

#include <stdlib.h>

#include "diag.h"
#include "common.h"
#include "lint.h"
#include "prose.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	source src;
	diag_list diags;
	lint_opts o;

	source_from_buffer(&src, "fuzz.loss", (const char *)data, size);
	diag_list_init(&diags);
	lint_opts_init(&o);
	o.prose = fuzz_rules("fuzz_lint");
	lint_one(&src, &o, &diags);
	diag_sort(&diags);
	FILE *out = fuzz_sink();
	/* Colour on odd sizes: both renderer paths get inputs. */
	if (out)
		diag_render_text(out, &diags, (int)(size & 1));
	diag_list_free(&diags);
	source_free(&src);
	return 0;
}
