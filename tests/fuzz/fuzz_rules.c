/*
 * fuzz_rules.c: the prose rule-file loader on arbitrary bytes, and every
 * rule it accepts run over its own examples (owner: reliability).
 *
 * A rule file is user input (`--rules DIR`, a config's `rules:`): a
 * broken one must be an error naming file and line, and an accepted one
 * must match within PCRE2's match and depth limits, whatever its
 * pattern.  So each input is loaded with prose_load_buffer(); when it
 * loads, prose_test_rule() runs its patterns over its `bad` and `good`
 * lines and the message template is expanded.  Built for libFuzzer by
 * scripts/fuzz, and as a plain regression driver by `make check`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "common.h"
#include "prose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024];
	prose_set *set = prose_set_new();

	if (prose_load_buffer(set, "fuzz/LS901-fuzz.rule", (const char *)data, size, 0,
			      err, sizeof err) == 0) {
		for (size_t i = 0; i < prose_count(set); i++) {
			const prose_rule *r = prose_rule_at(set, i);
			FILE *out = fuzz_sink();
			if (out)
				prose_test_rule(set, r, out);
			char *m = prose_format_message(r, "a  loss\\n is  aligned", 20);
			free(m);
		}
	}
	prose_set_free(set);
	return 0;
}
