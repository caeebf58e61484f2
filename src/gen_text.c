/*
 * gen_text.c: what keeps names and prose from the spec from breaking the
 * generated C: identifier mangling, comment escaping and number literals.
 *
 * Everything lossc writes into generated C that came from the user goes
 * through here: identifiers through gen_names_claim(), prose through
 * gen_comment_text(), numbers through gen_c_number().  Generated files
 * are pure printable ASCII (plus newlines), so no compiler charset or
 * trigraph setting can change their meaning.
 */
#include "gen.h"
#include "xalloc.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Identifiers a user name must not become in generated code: C keywords
 * (C89 to C23, plus common extensions), names <math.h>, <stddef.h>,
 * <stdint.h>, <stdio.h>, <stdlib.h>, <string.h> and cmocka declare or
 * define as macros, and the one-letter/short names the generated code
 * itself uses.  Broader classes (leading underscore, `_t` suffix, the
 * `lc_` prefix of generated locals, all-caps macro-like names) are
 * handled by rule in gen_ident_reserved().
 */
static const char *const gen_reserved_words[] = {
	/* C keywords, every standard up to C23, and GNU spellings */
	"auto", "break", "case", "char", "const", "continue", "default", "do",
	"double", "else", "enum", "extern", "float", "for", "goto", "if",
	"inline", "int", "long", "register", "restrict", "return", "short",
	"signed", "sizeof", "static", "struct", "switch", "typedef", "union",
	"unsigned", "void", "volatile", "while", "alignas", "alignof", "bool",
	"constexpr", "false", "nullptr", "static_assert", "thread_local",
	"true", "typeof", "typeof_unqual", "asm", "fortran",
	/* <math.h> */
	"acos", "asin", "atan", "atan2", "cos", "sin", "tan", "acosh", "asinh",
	"atanh", "cosh", "sinh", "tanh", "exp", "exp2", "expm1", "frexp",
	"ilogb", "ldexp", "log", "log10", "log1p", "log2", "logb", "modf",
	"scalbn", "scalbln", "cbrt", "fabs", "hypot", "pow", "sqrt", "erf",
	"erfc", "lgamma", "tgamma", "ceil", "floor", "nearbyint", "rint",
	"lrint", "llrint", "round", "lround", "llround", "trunc", "fmod",
	"remainder", "remquo", "copysign", "nan", "nextafter", "nexttoward",
	"fdim", "fmax", "fmin", "fma", "fpclassify", "isfinite", "isinf",
	"isnan", "isnormal", "signbit", "isgreater", "isgreaterequal",
	"isless", "islessequal", "islessgreater", "isunordered",
	"math_errhandling", "j0", "j1", "jn", "y0", "y1", "yn", "gamma", "drem",
	"significand", "exp10", "pow10", "sincos", "signgam", "finite", "scalb",
	"errno", "main",
	/* <stddef.h>, <stdint.h> */
	"offsetof",
	/* what the harness includes: <stdio.h>, <stdlib.h>, <string.h>, <setjmp.h>, <stdarg.h>, cmocka */
	"printf", "fprintf", "sprintf", "snprintf", "vprintf", "vfprintf",
	"vsprintf", "vsnprintf", "puts", "fputs", "putchar", "fputc", "putc",
	"getchar", "fgetc", "getc", "fgets", "gets", "scanf", "fscanf",
	"sscanf", "fopen", "fclose", "fflush", "fread", "fwrite", "fseek",
	"ftell", "rewind", "remove", "rename", "tmpfile", "tmpnam", "perror",
	"feof", "ferror", "clearerr", "setbuf", "setvbuf", "ungetc", "stdin",
	"stdout", "stderr", "malloc", "calloc", "realloc", "free", "abort",
	"exit", "atexit", "getenv", "system", "qsort", "bsearch", "abs",
	"labs", "llabs", "div", "ldiv", "atoi", "atol", "atof", "strtod",
	"strtof", "strtol", "strtoul", "strtold", "rand", "srand", "memcpy",
	"memmove", "memset", "memcmp", "memchr", "strlen", "strcmp",
	"strncmp", "strcpy", "strncpy", "strcat", "strncat", "strchr",
	"strrchr", "strstr", "strtok", "strerror", "setjmp", "longjmp",
	"va_start", "va_end", "va_arg", "va_copy", "va_list", "jmp_buf",
	"fail", "fail_msg", "skip", "mock", "will_return", "check_expected",
	"expect_value", "print_message", "print_error", "test_free",
	"test_malloc", "test_calloc", "test_realloc", "assert_true",
	"assert_false", "assert_int_equal", "assert_null", "assert_non_null",
	"assert_float_equal", "assert_string_equal", "assert_in_range",
	"assert_return_code", "assert_memory_equal", "assert_ptr_equal",
	"cast_to_largest_integral_type", "cast_ptr_to_largest_integral_type",
	"LargestIntegralType",
	/* the generated code's own short names */
	"n", "each", "upstream", "lc",
	NULL
};

/*
 * Reserved by a prefix: no suffix makes such a name free, so
 * gen_names_claim puts "u_" in front of it instead.
 */
static int gen_ident_prefix_reserved(const char *s)
{
	static const char *const prefixes[] = {
		"_",            /* reserved for the implementation */
		"lc_",          /* generated locals and helpers */
		"test_",        /* harness test functions */
		/* cmocka macro families that are not all-caps */
		"cmocka_", "assert_", "expect_", "will_", "check_", "mock_",
	};
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
		if (strncmp(s, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

int gen_ident_reserved(const char *s)
{
	size_t len = strlen(s);
	if (len == 0)
		return 1;
	if (gen_ident_prefix_reserved(s))
		return 1;
	if (len >= 2 && s[len - 2] == '_' && s[len - 1] == 't')  /* POSIX types */
		return 1;
	if (len >= 2 && s[len - 1] != '_') {  /* all-caps: may be a macro (none ends in '_') */
		int caps = 1;
		for (size_t i = 0; i < len; i++)
			if (islower((unsigned char)s[i]))
				caps = 0;
		if (caps)
			return 1;
	}
	for (const char *const *w = gen_reserved_words; *w; w++) {
		if (strcmp(*w, s) == 0)
			return 1;
		/* the float and long double variants of <math.h> functions */
		size_t wl = strlen(*w);
		if (len == wl + 1 && strncmp(*w, s, wl) == 0 && (s[wl] == 'f' || s[wl] == 'l'))
			return 1;
	}
	return 0;
}

int gen_ident_valid(const char *s)
{
	if (!s || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (const char *p = s; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '_'))
			return 0;
	return 1;
}

void gen_names_init(gen_names *t)
{
	memset(t, 0, sizeof *t);
}

void gen_names_free(gen_names *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	memset(t, 0, sizeof *t);
}

static int gen_names_taken(const gen_names *t, const char *s)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i], s) == 0)
			return 1;
	return 0;
}

/*
 * A safe identifier for `name` (any bytes; only [A-Za-z0-9_] survive,
 * others become '_'), unique in t.  Reserved names get a `u_` prefix
 * (names reserved by their prefix: a leading underscore, `lc_`, `test_`,
 * cmocka's `assert_`, ...) or a trailing underscore; a taken name gets
 * more trailing underscores.
 * The result is owned by t.
 */
const char *gen_names_claim(gen_names *t, const char *name)
{
	size_t len = strlen(name);
	/* room for "u", "u_" and the trailing underscores added below */
	size_t cap = len + 16;
	char *s = xmalloc(cap);
	size_t k = 0;
	if (len == 0 || isdigit((unsigned char)name[0]))
		s[k++] = 'u';
	for (size_t i = 0; i < len; i++)
		s[k++] = (isalnum((unsigned char)name[i]) || name[i] == '_') ? name[i] : '_';
	s[k] = '\0';
	if (gen_ident_reserved(s)) {
		if (gen_ident_prefix_reserved(s)) {
			memmove(s + 2, s, k + 1);
			s[0] = 'u';
			s[1] = '_';
			k += 2;
		}
		while (gen_ident_reserved(s) && k + 2 < cap) {
			s[k++] = '_';
			s[k] = '\0';
		}
	}
	while (gen_names_taken(t, s)) {
		char *longer = xmalloc(k + 2);
		memcpy(longer, s, k);
		longer[k++] = '_';
		longer[k] = '\0';
		free(s);
		s = longer;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		char **v = xrealloc(t->v, t->cap * sizeof *v);
		t->v = v;
	}
	t->v[t->n++] = s;
	return s;
}

/*
 * Prose inside a block comment.  Each output line starts with
 * `indent` " * ".  Escapes: newlines start a new comment line; other
 * control bytes, DEL and every non-ASCII character become <U+XXXX>;
 * a backslash becomes "<backslash>" (so no line can end in one and
 * splice the next); and a space is put between '*' and '/', '/' and
 * '*', and '?' and '?', so the text can neither close the comment, nor
 * open a nested one (-Wcomment), nor form a trigraph (-Wtrigraphs).
 * Long lines are wrapped at spaces near `width` columns.
 */
void gen_comment_text(FILE *out, const char *indent, const char *text, size_t len, int width)
{
	char line[512];
	size_t ll = 0;
	int last = 0;           /* previous byte written on this line */
	size_t lastspace = 0;   /* position just after the last space in line[], 0 if none */
	size_t i = 0;
	if (width < 20)
		width = 20;
	if ((size_t)width > sizeof line - 32)
		width = (int)sizeof line - 32;

#define GEN_FLUSH(n) do { \
		fprintf(out, "%s *%s%.*s\n", indent, (n) ? " " : "", (int)(n), line); \
	} while (0)

	while (i <= len) {
		char piece[16];
		size_t pl = 0;
		int c = i < len ? (unsigned char)text[i] : '\n';
		if (i == len && ll == 0)
			break;
		if (c == '\n') {
			while (ll > 0 && line[ll - 1] == ' ')
				ll--;
			GEN_FLUSH(ll);
			ll = 0;
			last = 0;
			lastspace = 0;
			i++;
			continue;
		}
		if (c >= 0x80) {
			/* decode one UTF-8 sequence (the source was validated; be defensive anyway) */
			unsigned long cp = 0;
			int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
			cp = (unsigned long)c & (extra == 3 ? 0x07u : extra == 2 ? 0x0fu : 0x1fu);
			size_t k = 1;
			for (; k <= (size_t)extra && i + k < len && ((unsigned char)text[i + k] & 0xc0) == 0x80; k++)
				cp = (cp << 6) | ((unsigned char)text[i + k] & 0x3fu);
			if (extra == 0)
				cp = (unsigned long)c;
			pl = (size_t)snprintf(piece, sizeof piece, "<U+%04lX>", cp);
			i += k;
		} else if (c == '\t') {
			piece[pl++] = ' ';
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			pl = (size_t)snprintf(piece, sizeof piece, "<U+%04X>", (unsigned)c);
			i++;
		} else if (c == '\\') {
			memcpy(piece, "<backslash>", 11);
			pl = 11;
			i++;
		} else {
			if ((c == '/' && last == '*') || (c == '*' && last == '/') || (c == '?' && last == '?'))
				piece[pl++] = ' ';
			piece[pl++] = (char)c;
			i++;
		}
		if (ll == 0 && pl == 1 && piece[0] == ' ')
			continue;       /* no leading blanks on a wrapped line */
		if (ll + pl > (size_t)width && lastspace > 0) {
			/* wrap at the last space: flush what precedes it, keep the rest */
			size_t keep = ll - lastspace;
			size_t cut = lastspace - 1;
			while (cut > 0 && line[cut - 1] == ' ')
				cut--;
			GEN_FLUSH(cut);
			memmove(line, line + lastspace, keep);
			ll = keep;
			lastspace = 0;
		} else if (ll + pl > sizeof line - 1) {
			GEN_FLUSH(ll);
			ll = 0;
			lastspace = 0;
		}
		memcpy(line + ll, piece, pl);
		ll += pl;
		if (piece[pl - 1] == ' ')
			lastspace = ll;
		last = (unsigned char)piece[pl - 1];
		if (ll == 0)
			last = 0;
	}
#undef GEN_FLUSH
}

/*
 * A C literal for v in the kernel's precision: finite values printed so
 * they read back exactly (%.17g for double; for float, the value rounded
 * to float first, %.9g and an 'f' suffix, so no "constant out of range"
 * warning can fire); infinities as HUGE_VAL(F); NaN as (0.0/0.0)-free
 * NAN from <math.h>.
 */
const char *gen_c_number(double v, int is_float, char *buf, size_t size)
{
	if (is_float) {
		float f = (float)v;
		if (isnan(f))
			snprintf(buf, size, "NAN");
		else if (isinf(f))
			snprintf(buf, size, "%sHUGE_VALF", f < 0 ? "-" : "");
		else {
			char tmp[64];
			snprintf(tmp, sizeof tmp, "%.9g", (double)f);
			snprintf(buf, size, "%s%sf", tmp, strpbrk(tmp, ".e") ? "" : ".0");
		}
	} else {
		if (isnan(v))
			snprintf(buf, size, "NAN");
		else if (isinf(v))
			snprintf(buf, size, "%sHUGE_VAL", v < 0 ? "-" : "");
		else {
			char tmp[64];
			snprintf(tmp, sizeof tmp, "%.17g", v);
			snprintf(buf, size, "%s%s", tmp, strpbrk(tmp, ".e") ? "" : ".0");
		}
	}
	return buf;
}
