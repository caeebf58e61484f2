/*
 * glob.c: gitignore-like path patterns (glob.h).  Backtracking over '*'
 * within one component is bounded by the component's length; '**' is
 * matched component by component, so the cost is at most the product
 * of the numbers of components, never exponential in the pattern.
 */
#include "glob.h"

#include <string.h>

/* Match one set "[...]" at p (p[0] == '['); returns the length of the set, 0 if malformed. */
static size_t glob_set(const char *p, size_t plen, unsigned char c, int *hit)
{
	size_t i = 1;
	int neg = 0, in = 0;
	if (i < plen && (p[i] == '!' || p[i] == '^')) {
		neg = 1;
		i++;
	}
	if (i < plen && p[i] == ']') {          /* a ']' first is literal */
		in |= c == ']';
		i++;
	}
	while (i < plen && p[i] != ']') {
		unsigned char lo = (unsigned char)p[i], hi = lo;
		if (i + 2 < plen && p[i + 1] == '-' && p[i + 2] != ']') {
			hi = (unsigned char)p[i + 2];
			i += 3;
		} else {
			i++;
		}
		if (c >= lo && c <= hi)
			in = 1;
	}
	if (i >= plen)
		return 0;
	*hit = in != neg;
	return i + 1;
}

int glob_match_name(const char *p, size_t plen, const char *s, size_t n)
{
	size_t pi = 0, si = 0, star_p = (size_t)-1, star_s = 0;
	while (si < n) {
		if (pi < plen) {
			char c = p[pi];
			if (c == '*') {
				star_p = ++pi;
				star_s = si;
				continue;
			}
			if (c == '?') {
				pi++;
				si++;
				continue;
			}
			if (c == '[') {
				int hit = 0;
				size_t l = glob_set(p + pi, plen - pi, (unsigned char)s[si], &hit);
				if (l && hit) {
					pi += l;
					si++;
					continue;
				}
				if (!l && s[si] == '[') {       /* malformed: a literal '[' */
					pi++;
					si++;
					continue;
				}
			} else {
				if (c == '\\' && pi + 1 < plen)
					c = p[++pi];
				if (c == s[si]) {
					pi++;
					si++;
					continue;
				}
			}
		}
		if (star_p == (size_t)-1)
			return 0;
		pi = star_p;
		si = ++star_s;
	}
	while (pi < plen && p[pi] == '*')
		pi++;
	return pi == plen;
}

/* Length of the component at s (up to '/' or the end). */
static size_t glob_comp(const char *s)
{
	const char *e = strchr(s, '/');
	return e ? (size_t)(e - s) : strlen(s);
}

static int glob_dotdot(const char *s)
{
	return s[0] == '.' && s[1] == '.' && (s[2] == '/' || s[2] == '\0');
}

/* The component after the one at s (its '/' skipped), or the end. */
static const char *glob_next(const char *s)
{
	s += glob_comp(s);
	return *s == '/' ? s + 1 : s;
}

/*
 * Anchored match of pattern p against the leading components of path s:
 * 1 when p matches s's first k components for some k >= 1 (a parent
 * directory counts, see glob.h).
 */
static int glob_anchored(const char *p, const char *s)
{
	size_t pl = glob_comp(p), sl;
	const char *pn = glob_next(p);
	if (pl == 2 && p[0] == '*' && p[1] == '*') {
		if (*pn == '\0')
			return *s != '\0';     /* a final "**": everything below, not the directory itself */
		/* zero or more components, but never a leading ".." */
		for (const char *t = s; *t && !glob_dotdot(t); t = glob_next(t))
			if (glob_anchored(pn, t))
				return 1;
		return 0;
	}
	if (*s == '\0')
		return 0;
	sl = glob_comp(s);
	if (!glob_match_name(p, pl, s, sl))
		return 0;
	if (glob_dotdot(s) && !(pl == 2 && p[0] == '.' && p[1] == '.'))
		return 0;               /* "*" does not climb out of the directory */
	return *pn == '\0' || glob_anchored(pn, glob_next(s));
}

int glob_match_path(const char *pattern, const char *rel)
{
	size_t plen = strlen(pattern);
	char buf[4096];
	if (plen == 0 || plen >= sizeof buf)
		return 0;
	memcpy(buf, pattern, plen + 1);
	while (plen > 1 && buf[plen - 1] == '/')
		buf[--plen] = '\0';
	if (buf[0] == '.' && buf[1] == '/') {   /* "./x" is "x", anchored */
		memmove(buf, buf + 2, plen - 1);
		plen -= 2;
		if (!strchr(buf, '/'))
			return glob_anchored(buf, rel);
	}
	if (!strchr(buf, '/')) {
		/* any component below the leading "../" ones */
		const char *s = rel;
		while (s[0] == '.' && s[1] == '.' && (s[2] == '/' || s[2] == '\0'))
			s += s[2] ? 3 : 2;
		while (*s) {
			size_t l = glob_comp(s);
			if (glob_match_name(buf, plen, s, l))
				return 1;
			s += l;
			if (*s == '/')
				s++;
		}
		return 0;
	}
	return glob_anchored(buf[0] == '/' ? buf + 1 : buf, rel);
}
