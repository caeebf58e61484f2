/*
 * peakrss.c: run a command and print its peak resident set size
 * (owner: reliability).  Used by bench/memory.sh; stands in for
 * /usr/bin/time -v, which a fresh Debian does not have.
 *
 *     peakrss COMMAND [ARG]...
 *
 * Prints "peak_rss_kb N exit S" on standard error, where N is the
 * child's ru_maxrss (getrusage(RUSAGE_CHILDREN), kilobytes on Linux) and S its exit status, and
 * exits with the child's status.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: peakrss COMMAND [ARG]...\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("peakrss: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	/* POSIX: the largest child's peak, and there is only one child. */
	if (waitpid(pid, &status, 0) < 0 || getrusage(RUSAGE_CHILDREN, &ru) < 0) {
		perror("peakrss: waitpid");
		return 2;
	}
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	fprintf(stderr, "peak_rss_kb %ld exit %d\n", ru.ru_maxrss, code);
	return code;
}
