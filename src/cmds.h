/*
 * cmds.h: the subcommands.  Each takes the arguments after its own name
 * (argv[0] is the subcommand name) and returns the process exit status of
 * lossc(1): 0, 1 or 2.
 */
#ifndef LOSSC_CMDS_H
#define LOSSC_CMDS_H

int cmd_lint(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_fmt(int argc, char **argv);
int cmd_graph(int argc, char **argv);

#endif
