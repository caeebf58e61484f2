/*
 * utf8.c: one strict UTF-8 decoder (see utf8.h for what strict means).
 */
#include "utf8.h"

size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp, const char **why)
{
	const char *bad = NULL;
	unsigned c = s[0];
	size_t need;                    /* continuation bytes after the lead */
	unsigned lo = 0x80, hi = 0xBF;  /* allowed range of the second byte */
	unsigned long value;

	if (c < 0x80) {
		if (cp)
			*cp = c;
		return 1;
	}
	if (c < 0xC0)
		bad = "unexpected UTF-8 continuation byte";
	else if (c < 0xC2)
		bad = "overlong UTF-8 sequence";
	else if (c < 0xE0)
		need = 1;
	else if (c < 0xF0) {
		need = 2;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c < 0xF5) {
		need = 3;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		bad = "invalid UTF-8 byte (code point beyond U+10FFFF)";
	if (bad)
		goto invalid;

	value = c & (0x3Fu >> need);
	for (size_t k = 1; k <= need; k++) {
		if (k >= n) {
			bad = "truncated UTF-8 sequence";
			goto invalid;
		}
		unsigned b = s[k];
		if (b < 0x80 || b > 0xBF) {
			bad = "truncated UTF-8 sequence";
			goto invalid;
		}
		/* A continuation byte, but outside what this lead allows. */
		if (k == 1 && (b < lo || b > hi)) {
			if (c == 0xED)
				bad = "UTF-16 surrogate encoded in UTF-8";
			else if (c == 0xF4)
				bad = "code point beyond U+10FFFF";
			else
				bad = "overlong UTF-8 sequence";
			goto invalid;
		}
		value = (value << 6) | (b & 0x3F);
	}
	if (cp)
		*cp = value;
	return need + 1;

invalid:
	if (why)
		*why = bad;
	return 0;
}
