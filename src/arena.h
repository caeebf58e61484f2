/*
 * arena.h: a bump allocator that owns every node of one parsed file.
 *
 * Ownership: everything allocated from an arena lives until arena_free(),
 * which releases it all at once.  Nothing allocated here may be freed
 * individually.  An arena that cannot grow aborts the program with a
 * message (out of memory is not a recoverable condition for a linter).
 */
#ifndef LOSSC_ARENA_H
#define LOSSC_ARENA_H

#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);

/* Zeroed, aligned for a pointer, size_t or double (8 bytes; no wider type is stored). */
void *arena_alloc(arena *a, size_t size);
/* A NUL-terminated copy of s[0..len). */
char *arena_strndup(arena *a, const char *s, size_t len);
/* Bytes handed out so far (for the memory benchmark). */
size_t arena_used(const arena *a);

#endif
