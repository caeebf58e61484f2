/*
 * xalloc.c: allocation that cannot return NULL (see xalloc.h).
 */
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outfile.h"

void xalloc_die(void)
{
	/* No allocation from here on: stderr is unbuffered, and the
	 * temporary files are in a fixed table. */
	fputs("lossc: out of memory\n", stderr);
	outfile_cleanup_all();
	exit(2);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		xalloc_die();
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		xalloc_die();
	return p;
}

/* A realloc that fails leaves the old block allocated, but the caller's
 * copy of its address is dead once the call is made (p = xrealloc(p, n)),
 * so a leak checker at exit may find nothing pointing at it.  Keep it
 * here: the block stays reachable until the process ends. */
static void *volatile held_on_failure;

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		held_on_failure = p;
		xalloc_die();
	}
	return q;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		xalloc_die();
	return p;
}
