/*
 * xalloc.h: allocation that cannot return NULL, and lossc's single answer
 * to running out of memory.
 *
 * lossc has nothing useful to do without the memory a step needs: a
 * finding it cannot allocate is a finding it would silently drop.  So an
 * allocation failure ends the run the one documented way (lossc(1),
 * EXIT STATUS): "lossc: out of memory" on stderr, every temporary output
 * file removed (outfile_cleanup_all: targets keep their old contents, no
 * partial file appears), and exit status 2.  Inputs are never written
 * before the final rename, so none is touched.
 *
 * tests/fault/ checks this for every allocation of a lint and a gen run:
 * it links lossc with a shim that fails the Nth allocation.
 */
#ifndef LOSSC_XALLOC_H
#define LOSSC_XALLOC_H

#include <stddef.h>

#if defined(__GNUC__)
#define XALLOC_NORETURN __attribute__((noreturn))
#else
#define XALLOC_NORETURN
#endif

/* Ends the run: message, temporary files removed, exit(2). */
XALLOC_NORETURN void xalloc_die(void);

/* malloc, calloc, realloc, strdup that die instead of returning NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif
