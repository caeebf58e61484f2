/*
 * path.c: lexical file-name arithmetic (path.h).
 */
#include "path.h"
#include "xalloc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *path_dup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

char *path_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	char *r;
	if (dl == 0 || name[0] == '/')
		return path_dup(name);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	r = xmalloc(dl + nl + 2);
	memcpy(r, dir, dl);
	if (dir[dl - 1] != '/')
		r[dl++] = '/';
	memcpy(r + dl, name, nl + 1);
	return r;
}

char *path_normalize(const char *p)
{
	size_t n = strlen(p), k = 0, i = 0;
	int abs = p[0] == '/';
	size_t floor_ = 0;      /* components before floor_ are leading ".." of a relative path */
	char *r = xmalloc(n + 2);
	if (abs)
		r[k++] = '/';
	while (i < n) {
		size_t s, l;
		while (i < n && p[i] == '/')
			i++;
		s = i;
		while (i < n && p[i] != '/')
			i++;
		l = i - s;
		if (l == 0 || (l == 1 && p[s] == '.'))
			continue;
		if (l == 2 && p[s] == '.' && p[s + 1] == '.') {
			if (k > floor_ + (size_t)abs) {
				/* drop the last component */
				while (k > (size_t)abs && r[k - 1] != '/')
					k--;
				if (k > (size_t)abs)
					k--;        /* its '/' */
				continue;
			}
			if (abs)
				continue;       /* ".." above the root is the root */
			if (k > 0)
				r[k++] = '/';
			r[k++] = '.';
			r[k++] = '.';
			floor_ = k;
			continue;
		}
		if (k > (size_t)abs)
			r[k++] = '/';
		memcpy(r + k, p + s, l);
		k += l;
	}
	if (k == 0)
		r[k++] = '.';
	r[k] = '\0';
	return r;
}

char *path_absolute(const char *p)
{
	char cwd[PATH_MAX], *j, *r;
	if (p[0] == '/')
		return path_normalize(p);
	if (!getcwd(cwd, sizeof cwd))
		return NULL;
	j = path_join(cwd, p);
	r = path_normalize(j);
	free(j);
	return r;
}

char *path_dirname(const char *p)
{
	const char *slash = strrchr(p, '/');
	char *r;
	size_t n;
	if (!slash)
		return path_dup(".");
	while (slash > p && slash[-1] == '/')
		slash--;
	if (slash == p)
		return path_dup("/");
	n = (size_t)(slash - p);
	r = xmalloc(n + 1);
	memcpy(r, p, n);
	r[n] = '\0';
	return r;
}

int path_is_under(const char *dir, const char *p)
{
	size_t n = strlen(dir);
	if (strcmp(dir, "/") == 0)
		return p[0] == '/';
	return strncmp(dir, p, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

char *path_relative(const char *from, const char *to)
{
	size_t common = 0, i = 0, ups = 0, k = 0, rest;
	char *r;
	/* the longest common prefix that ends at a component boundary */
	for (;;) {
		int fe = from[i] == '\0' || from[i] == '/', te = to[i] == '\0' || to[i] == '/';
		if (fe && te)
			common = i;
		if (from[i] == '\0' || to[i] == '\0' || from[i] != to[i])
			break;
		i++;
	}
	if (strcmp(from, "/") == 0)
		common = 0;
	/* components of from after the common prefix */
	for (i = common; from[i]; i++)
		if (from[i] == '/' && from[i + 1] && from[i + 1] != '/')
			ups++;
	if (strcmp(from, "/") == 0)
		ups = 0;
	while (to[common] == '/')
		common++;
	rest = strlen(to + common);
	r = xmalloc(ups * 3 + rest + 2);
	for (i = 0; i < ups; i++) {
		memcpy(r + k, "../", 3);
		k += 3;
	}
	memcpy(r + k, to + common, rest);
	k += rest;
	if (k > 0 && r[k - 1] == '/')
		k--;
	if (k == 0)
		r[k++] = '.';
	r[k] = '\0';
	return r;
}
