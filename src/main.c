/*
 * main.c: lossc(1)'s entry point.  It only dispatches: each subcommand
 * lives in its module (cmds.h) and owns its options and exit status.
 * To add a subcommand, add one line to lossc_cmds.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"

static int main_help(int argc, char **argv);

static const struct lossc_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} lossc_cmds[] = {
	{ "lint", cmd_lint, "analyze .loss files, and the prose of .md and .txt documents" },
	{ "gen", cmd_gen, "write C code (kernel, gradient, test harness) for each loss" },
	{ "fmt", cmd_fmt, "rewrite .loss files in the canonical layout" },
	{ "graph", cmd_graph, "draw the training story as a Graphviz graph" },
	{ "explain", cmd_explain, "print the long explanation of a finding code" },
	{ "rules", cmd_rules, "list every finding code, or test rule files' examples" },
	{ "help", main_help, "print this help, or a command's help" },
};

#define LOSSC_NCMDS (sizeof lossc_cmds / sizeof lossc_cmds[0])

static int main_write_failed(void)
{
	fprintf(stderr, "lossc: error writing standard output: %s\n", strerror(errno));
	return 2;
}

static int main_usage(FILE *out)
{
	fputs("Usage: lossc COMMAND [OPTION]... [ARG]...\n"
	      "Static analysis of LossSpec (.loss) training stories, and of the prose\n"
	      "of Markdown and plain-text documents.\n"
	      "\n"
	      "Commands:\n", out);
	for (size_t i = 0; i < LOSSC_NCMDS; i++)
		fprintf(out, "  %-10s %s\n", lossc_cmds[i].name, lossc_cmds[i].summary);
	fputs("\n"
	      "Options:\n"
	      "  --help     print this help and exit\n"
	      "  --version  print the version and exit\n"
	      "\n"
	      "'lossc COMMAND --help' describes a command; see also lossc(1) and\n"
	      "lossspec(5).\n", out);
	return fflush(out) != 0 || ferror(out) ? -1 : 0;
}

static const struct lossc_cmd *main_find(const char *name)
{
	for (size_t i = 0; i < LOSSC_NCMDS; i++)
		if (strcmp(lossc_cmds[i].name, name) == 0)
			return &lossc_cmds[i];
	return NULL;
}

/* `lossc help [COMMAND]`: the general help, or COMMAND --help. */
static int main_help(int argc, char **argv)
{
	if (argc > 1) {
		const struct lossc_cmd *c = main_find(argv[1]);
		if (!c) {
			fprintf(stderr, "lossc help: unknown command '%s'\n"
				"Try 'lossc --help' for the list of commands.\n", argv[1]);
			return 2;
		}
		if (c->run == main_help)        /* help's own help is this one */
			return main_usage(stdout) < 0 ? main_write_failed() : 0;
		static char help_opt[] = "--help";
		char *sub[] = { argv[1], help_opt, NULL };
		return c->run(2, sub);
	}
	return main_usage(stdout) < 0 ? main_write_failed() : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("lossc: missing command\n"
		      "Try 'lossc --help' for more information.\n", stderr);
		return 2;
	}
	const char *a = argv[1];
	if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
		return main_usage(stdout) < 0 ? main_write_failed() : 0;
	if (strcmp(a, "--version") == 0) {
		printf("lossc %s\n", PACKAGE_VERSION);
		return fflush(stdout) != 0 || ferror(stdout) ? main_write_failed() : 0;
	}
	const struct lossc_cmd *c = main_find(a);
	if (!c) {
		fprintf(stderr, "lossc: unknown command '%s'\n"
			"Try 'lossc --help' for the list of commands.\n", a);
		return 2;
	}
	return c->run(argc - 1, argv + 1);
}
