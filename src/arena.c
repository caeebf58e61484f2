/*
 * arena.c: chunked bump allocation.  Chunks grow geometrically so a 50 MB
 * spec needs a few dozen mallocs, not millions.
 */
#include "arena.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_MIN_CHUNK ((size_t)64 * 1024)
#define ARENA_MAX_CHUNK ((size_t)16 * 1024 * 1024)
/* 8, not 16: no lossc object needs more than a double or a pointer, and
   16-byte rounding cost 4-8% of the AST (most names are a few bytes). */
#define ARENA_ALIGN ((size_t)8)

struct chunk {
	struct chunk *prev;
	size_t size;            /* usable bytes after the header */
	size_t used;
	/* payload follows, aligned */
};

struct arena {
	struct chunk *top;
	size_t next_size;
	size_t total_used;
};

static size_t header_size(void)
{
	return (sizeof(struct chunk) + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
}

arena *arena_new(void)
{
	arena *a = xcalloc(1, sizeof *a);
	a->next_size = ARENA_MIN_CHUNK;
	return a;
}

void arena_free(arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->top;
	while (c) {
		struct chunk *prev = c->prev;
		free(c);
		c = prev;
	}
	free(a);
}

void *arena_alloc(arena *a, size_t size)
{
	size = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (size == 0)
		size = ARENA_ALIGN;
	struct chunk *c = a->top;
	if (!c || c->size - c->used < size) {
		size_t want = a->next_size;
		if (want < size)
			want = size;
		if (SIZE_MAX - header_size() < want)
			xalloc_die();   /* GCOVR_EXCL_LINE: a request within a chunk header of SIZE_MAX */
		c = xmalloc(header_size() + want);
		c->prev = a->top;
		c->size = want;
		c->used = 0;
		a->top = c;
		if (a->next_size < ARENA_MAX_CHUNK)
			a->next_size *= 2;
	}
	void *p = (char *)c + header_size() + c->used;
	c->used += size;
	a->total_used += size;
	memset(p, 0, size);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

size_t arena_used(const arena *a)
{
	return a->total_used;
}
