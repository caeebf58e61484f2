/*
 * utf8.h: decoding one UTF-8 character, strictly.
 *
 * The one decoder behind the input check (source.c), the caret renderer
 * (diag.c), JSON/SARIF escaping (report.c) and rule-file validation
 * (prose.c), so they cannot disagree about what is valid text.  Strict
 * means RFC 3629 with Unicode's table 3-7: the range of the second byte
 * depends on the first, which rules out overlong forms (C0, C1, E0 80..9F,
 * F0 80..8F), UTF-16 surrogates (ED A0..BF) and code points past U+10FFFF
 * (F4 90.., F5..FF).  U+0000 is a valid character here; callers that
 * reject NUL do so themselves.
 */
#ifndef LOSSC_UTF8_H
#define LOSSC_UTF8_H

#include <stddef.h>

/*
 * Decodes the character at s[0..n), n >= 1.  Returns its length (1 to 4)
 * and, when cp is not NULL, its code point.  Returns 0 when the bytes are
 * not a valid character, and then, when why is not NULL, a short reason
 * ("overlong UTF-8 sequence", "truncated UTF-8 sequence", ...).
 */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp, const char **why);

#endif
