/*
 * opt.h: the one shape of a command-line option with a value, shared by
 * the subcommands: "--name VALUE" or "--name=VALUE", options anywhere
 * among the files (as GNU tools allow).
 */
#ifndef LOSSC_OPT_H
#define LOSSC_OPT_H

/*
 * Matches option `name` at argv[*i].  Returns 1 and sets *val when it
 * matched with a value (advancing *i past a separate value), 0 when
 * argv[*i] is another option, -1 when the value is missing.
 */
int opt_value(int argc, char **argv, int *i, const char *name, const char **val);

#endif
