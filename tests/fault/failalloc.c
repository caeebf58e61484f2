/*
 * failalloc.c: a shim that makes one chosen allocation fail, linked into
 * tests/fault/lossc-fault (owner: reliability).
 *
 * The program is linked with -Wl,--wrap=malloc,--wrap=calloc,... so that
 * every call lossc's own code makes to these functions (src/, grammar/,
 * and the flex and bison skeletons compiled with them) lands here first.
 * Allocations made inside other libraries (the C library's own buffers,
 * libcmark-gfm) are not counted: lossc can only answer for its own calls.
 * PCRE2 is counted: prose.c hands it lossc's allocator (a general
 * context), so its calls arrive here through xmalloc.
 *
 * Environment:
 *   LOSSC_FAIL_ALLOC=N        the Nth allocation (counting from 1) returns
 *                             NULL with errno ENOMEM; 0 or unset: none fails
 *   LOSSC_FAIL_ALLOC_ALL=1    ... and so does every allocation after it
 *   LOSSC_FAIL_ALLOC_TRACE=1  print the failing call's stack to stderr (to find
 *                             which allocation a failing N is; build with -g)
 *   LOSSC_COUNT_ALLOC=FILE    at exit, write the number of allocations
 *                             made to FILE (how tests/fault/alloc.sh learns
 *                             how many values of N a run has)
 */
#include <errno.h>
#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
FILE *__real_open_memstream(char **buf, size_t *len);

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
FILE *__wrap_open_memstream(char **buf, size_t *len);

static unsigned long fail_at;      /* 0: never */
static int fail_after;
static int trace;             /* every call from fail_at on fails */
static unsigned long calls;
static const char *count_file;
static int ready;

/*
 * Once the program exits, allocations succeed again: what runs then is
 * not lossc's (the coverage build's gcov dump, linked into the program and
 * so wrapped too, allocates).  Registered on the first allocation, so it
 * runs before the exit handlers registered earlier.
 */
static void failalloc_stop(void)
{
	fail_at = 0;
}

static void failalloc_report(void)
{
	FILE *f = fopen(count_file, "w");
	if (f) {
		fprintf(f, "%lu\n", calls);
		fclose(f);
	}
}

/* 1 when this call is the one to fail.  Reads the environment on first use
 * (getenv does not allocate). */
static int failalloc_now(void)
{
	if (!ready) {
		const char *s = getenv("LOSSC_FAIL_ALLOC");
		ready = 1;
		fail_at = s ? strtoul(s, NULL, 10) : 0;
		s = getenv("LOSSC_FAIL_ALLOC_ALL");
		fail_after = s && strcmp(s, "1") == 0;
		s = getenv("LOSSC_FAIL_ALLOC_TRACE");
		trace = s && strcmp(s, "1") == 0;
		count_file = getenv("LOSSC_COUNT_ALLOC");
		if (count_file && *count_file)
			atexit(failalloc_report);
		atexit(failalloc_stop);
	}
	calls++;
	if (fail_at && (calls == fail_at || (fail_after && calls > fail_at))) {
		if (trace && calls == fail_at) {
			void *frames[32];
			backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
		}
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void *__wrap_malloc(size_t n)
{
	return failalloc_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t count, size_t size)
{
	return failalloc_now() ? NULL : __real_calloc(count, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return failalloc_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return failalloc_now() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return failalloc_now() ? NULL : __real_strndup(s, n);
}

/* The stream's buffer is the C library's: only its creation is counted. */
FILE *__wrap_open_memstream(char **buf, size_t *len)
{
	return failalloc_now() ? NULL : __real_open_memstream(buf, len);
}
