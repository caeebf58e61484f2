/*
 * fuzz_config.c: the .losscrc reader on arbitrary bytes (owner:
 * reliability).  config_parse() must accept a valid file or fail with a
 * "FILE:LINE: error: ..." message, never crash, leak or read past the
 * buffer.  Built for libFuzzer by scripts/fuzz, and as a plain
 * regression driver by `make check`.
 */
#include <stdint.h>
#include <string.h>

#include "losscrc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024];
	lconfig c;

	memset(&c, 0, sizeof c);
	/* A directory that exists, so relative `rules:` paths resolve as in real use. */
	config_parse(&c, "tests/fuzz/.losscrc", (const char *)data, size, err, sizeof err);
	config_free(&c);
	return 0;
}
