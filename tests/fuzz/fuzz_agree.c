/*
 * fuzz_agree.c: the agreement tests' in-process checks (a), (b), (c) and
 * (e) (tests/agree/agree.h) on the program the input's bytes choose: each
 * byte is one choice of the generator (which op, which operand, which
 * range, which point), and a PRNG seeded by them continues when they run
 * out, so every input is a whole program.  A disagreement aborts, so
 * libFuzzer keeps the input.
 *
 * The generator and the checks are compiled into this file (below), so
 * scripts/fuzz builds it like the other targets, from one source.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../agree/agree.c"
#include "../agree/agree_gen.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ag_prog p;
	ag_src s;
	ag_stats st;
	ag_src_init(&s, data, size, 0);
	if (ag_generate(&s, &p) < 0)
		return 0;
	memset(&st, 0, sizeof st);
	/* fewer points than make check's run (12 and 3): the fuzzer's
	   strength is many programs */
	if (ag_check(&p, &s, &st, stderr, 6, 1))
		abort();
	return 0;
}
