/*
 * fuzz_prose.c: the built-in prose rules over arbitrary sentences
 * (owner: reliability).
 *
 * fuzz_lint reaches the rules only through the strings of inputs that
 * parse; this target gives the bytes to every built-in rule directly, as
 * the text of one `about`/`because` string, so the fuzzer spends its time
 * in the rules' patterns, their `unless` filters, the sentence windows of
 * prose_match and the message formatter.  The text is the input's longest
 * valid UTF-8 prefix (the lexer rejects anything else before the rules
 * see it).  Besides crashes, sanitizer reports and hangs, it checks what
 * callers rely on: every match lies inside the text on character
 * boundaries, a rule that gives up says where inside the text, and every
 * message formatted from a match is valid UTF-8 (a shortened match must
 * not cut a character).  A broken promise aborts.  Built for libFuzzer
 * by scripts/fuzz, and as a plain regression driver by `make check`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "prose.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The length of the longest valid UTF-8 prefix of s[0..n). */
static size_t valid_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0, k;
	while (i < n && (k = utf8_decode(s + i, n - i, NULL, NULL)) > 0)
		i += k;
	return i;
}

struct fuzz_hit_ctx {
	const char *text;
	size_t len;
	const prose_rule *rule;
};

static void broken(const char *what, const prose_rule *r)
{
	fprintf(stderr, "fuzz_prose: %s (%s)\n", what, r->code);
	abort();
}

static void on_hit(size_t start, size_t end, void *vctx)
{
	struct fuzz_hit_ctx *c = vctx;
	if (start > end || end > c->len)
		broken("a match outside the text", c->rule);
	if ((start < c->len && ((unsigned char)c->text[start] & 0xc0) == 0x80) ||
	    (end < c->len && ((unsigned char)c->text[end] & 0xc0) == 0x80))
		broken("a match that splits a character", c->rule);
	char *m = prose_format_message(c->rule, c->text + start, end - start);
	if (!m)
		broken("no message for a match", c->rule);
	size_t n = strlen(m);
	if (valid_prefix((const unsigned char *)m, n) != n)
		broken("a message that is not valid UTF-8", c->rule);
	free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	prose_set *set = fuzz_rules("fuzz_prose");
	size_t len = valid_prefix(data, size);
	/* A NUL-terminated copy: the rules' patterns may look one byte past. */
	char *text = malloc(len + 1);
	if (!text)
		return 0;
	memcpy(text, data, len);
	text[len] = '\0';
	for (size_t i = 0; i < prose_count(set); i++) {
		struct fuzz_hit_ctx c = { text, len, prose_rule_at(set, i) };
		size_t at = 0;
		if (prose_match(set, c.rule, text, len, on_hit, &c, &at) && at > len)
			broken("gave up outside the text", c.rule);
	}
	free(text);
	return 0;
}
