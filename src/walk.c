/*
 * walk.c: directory arguments (walk.h).
 */
#define _XOPEN_SOURCE 700
#include "walk.h"

#include <dirent.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "path.h"
#include "xalloc.h"

/* Does base end in ext (lower case), ignoring case, after a non-empty stem? */
static int walk_ext_ci(const char *base, const char *ext)
{
	size_t n = strlen(base), m = strlen(ext);
	if (n <= m)
		return 0;
	for (size_t i = 0; i < m; i++) {
		char c = base[n - m + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != ext[i])
			return 0;
	}
	return 1;
}

unsigned walk_kind(const char *name)
{
	size_t n = strlen(name);
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	if (n > 5 && strcmp(name + n - 5, ".loss") == 0 && strlen(base) > 5)
		return WALK_LOSS;
	if (walk_ext_ci(base, ".md") || walk_ext_ci(base, ".markdown"))
		return WALK_MARKDOWN;
	if (walk_ext_ci(base, ".txt"))
		return WALK_TEXT;
	return 0;
}

static size_t walk_hash(dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)ino * 0x9E3779B97F4A7C15ULL ^ (uint64_t)dev * 0xC2B2AE3D27D4EB4FULL;
	return (size_t)(h ^ (h >> 29));
}

static int walk_set_find(const walk_set *s, dev_t dev, ino_t ino)
{
	if (s->cap == 0)
		return 0;
	for (size_t i = walk_hash(dev, ino) & (s->cap - 1); s->ids[i].used; i = (i + 1) & (s->cap - 1))
		if (s->ids[i].dev == dev && s->ids[i].ino == ino)
			return 1;
	return 0;
}

static void walk_set_put(walk_set *s, dev_t dev, ino_t ino)
{
	size_t i;
	if (2 * (s->n + 1) > s->cap) {
		/* grow to keep the table at most half full, then re-insert */
		walk_set old = *s;
		s->cap = s->cap ? s->cap * 2 : 64;
		s->ids = xcalloc(s->cap, sizeof *s->ids);
		s->n = 0;
		for (size_t k = 0; k < old.cap; k++)
			if (old.ids[k].used)
				walk_set_put(s, old.ids[k].dev, old.ids[k].ino);
		free(old.ids);
	}
	for (i = walk_hash(dev, ino) & (s->cap - 1); s->ids[i].used; i = (i + 1) & (s->cap - 1))
		;
	s->ids[i].dev = dev;
	s->ids[i].ino = ino;
	s->ids[i].used = 1;
	s->n++;
}

int walk_set_add(walk_set *s, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return 1;
	if (walk_set_find(s, st.st_dev, st.st_ino))
		return 0;
	walk_set_put(s, st.st_dev, st.st_ino);
	return 1;
}

void walk_set_free(walk_set *s)
{
	free(s->ids);
	memset(s, 0, sizeof *s);
}

static int walk_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct walk {
	unsigned kinds;
	const walk_cb *cb;
	walk_set dirs;          /* directories entered: loops and repeats */
	size_t nfiles;
};

static void walk_error(struct walk *w, const char *path, const char *why)
{
	if (w->cb->error)
		w->cb->error(path, why, w->cb->ctx);
}

/* path names a directory with identity st; prefix is what names below it start with. */
static void walk_tree(struct walk *w, const char *path, const char *prefix, const struct stat *st)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (walk_set_find(&w->dirs, st->st_dev, st->st_ino))
		return;
	walk_set_put(&w->dirs, st->st_dev, st->st_ino);
	d = opendir(path);
	if (!d) {
		char why[256];
		snprintf(why, sizeof why, "cannot open directory: %s", strerror(errno));
		walk_error(w, path, why);
		return;
	}
	errno = 0;
	while ((e = readdir(d)) != NULL) {
		size_t l;
		if (e->d_name[0] == '.')
			continue;       /* ".", "..", and hidden entries */
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = xrealloc(names, cap * sizeof *names);
		}
		l = strlen(e->d_name) + 1;
		names[n] = xrealloc(NULL, l);
		memcpy(names[n++], e->d_name, l);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, walk_name_cmp);
	for (size_t i = 0; i < n; i++) {
		char *p = path_join(prefix, names[i]);
		struct stat sb;
		unsigned kind = walk_kind(names[i]);
		if (stat(p, &sb) != 0) {
			/* a dangling link (or a file gone meanwhile): report it only if it looks wanted */
			if (kind & w->kinds) {
				char why[256];
				snprintf(why, sizeof why, "cannot open: %s", strerror(errno));
				walk_error(w, p, why);
			}
		} else if (S_ISDIR(sb.st_mode)) {
			if (!w->cb->excluded || !w->cb->excluded(p, 1, w->cb->ctx))
				walk_tree(w, p, p, &sb);
		} else if (S_ISREG(sb.st_mode) && (kind & w->kinds)) {
			if (!w->cb->excluded || !w->cb->excluded(p, 0, w->cb->ctx)) {
				w->nfiles++;
				w->cb->file(p, kind, w->cb->ctx);
			}
		}
		free(p);
		free(names[i]);
	}
	free(names);
}

size_t walk_dir(const char *dir, unsigned kinds, const walk_cb *cb)
{
	struct walk w;
	struct stat st;
	memset(&w, 0, sizeof w);
	w.kinds = kinds;
	w.cb = cb;
	if (stat(dir, &st) != 0) {
		char why[256];
		snprintf(why, sizeof why, "cannot open: %s", strerror(errno));
		walk_error(&w, dir, why);
		return 0;
	}
	walk_tree(&w, dir, strcmp(dir, ".") == 0 ? "" : dir, &st);
	walk_set_free(&w.dirs);
	return w.nfiles;
}
