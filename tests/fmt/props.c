/*
 * props.c: lossc fmt's properties (tests/fmt/fmtcheck.h) over every spec
 * given; tests/fmt/props.sh passes every .loss file of the repository.
 *
 *     fmt_props [--width N] FILE...
 *
 * Prints one line per failure and a summary; exits 1 on any failure or
 * when no file parsed (a property over nothing proves nothing).
 */
#include "fmtcheck.h"

static int failures;

static void fail(const char *path, const char *what, const char *detail)
{
	printf("FAIL %s: %s%s%s\n", path, what, detail ? ": " : "", detail ? detail : "");
	failures++;
}

int main(int argc, char **argv)
{
	char why[512];
	unsigned width = FMT_DEFAULT_WIDTH;
	int i = 1, checked = 0, unparsed = 0;
	if (argc > 2 && strcmp(argv[1], "--width") == 0) {
		width = (unsigned)atoi(argv[2]);
		i = 3;
	}
	prose_set *rules = fmtcheck_rules();
	for (; i < argc; i++) {
		source src;
		if (source_read(&src, argv[i], why, sizeof why) < 0) {
			fail(argv[i], "cannot read", why);
			continue;
		}
		int r = fmtcheck(argv[i], src.text, src.len, width, rules, fail);
		checked += r == 1;
		unparsed += r == 0;
		source_free(&src);
	}
	prose_set_free(rules);  /* the last use */
	printf("fmt_props: width %u: %d specs formatted and checked, %d that do not parse "
	       "(refused), %d failures\n", width, checked, unparsed, failures);
	if (checked == 0) {
		printf("fmt_props: no spec parsed: nothing was proved\n");
		return 1;
	}
	return failures ? 1 : 0;
}
