/*
 * opt.h: the one shape of a command-line option with a value, shared by
 * the subcommands: "--name VALUE" or "--name=VALUE", options anywhere
 * among the files (as GNU tools allow).
 */
#ifndef LOSSC_OPT_H
#define LOSSC_OPT_H

/*
 * Matches option `name` at argv[*i], as "--name VALUE" or "--name=VALUE"
 * (a one-letter "-o" also as "-oVALUE").  Returns 1 and sets *val when it
 * matched with a value (advancing *i past a separate value), 0 when
 * argv[*i] is another option, -1 when the value is missing.
 */
int opt_value(int argc, char **argv, int *i, const char *name, const char **val);

/*
 * "lossc CMD: MESSAGE" and "Try 'lossc CMD --help' ..." on standard
 * error; returns 2, the exit status of a wrong command line.
 */
int opt_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "lossc CMD: MESSAGE" on standard error; returns 2. */
int opt_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
