/*
 * opt.c: options with values (opt.h).
 */
#include "opt.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=' && n > 2) {
		*val = a + n + 1;
		return 1;
	}
	if (a[n] != '\0') {
		if (n == 2) {
			*val = a + n;
			return 1;
		}
		return 0;
	}
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
}

static void opt_vsay(const char *cmd, const char *fmt, va_list ap)
{
	fprintf(stderr, "lossc %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int opt_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	opt_vsay(cmd, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'lossc %s --help' for more information.\n", cmd);
	return 2;
}

int opt_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	opt_vsay(cmd, fmt, ap);
	va_end(ap);
	return 2;
}
