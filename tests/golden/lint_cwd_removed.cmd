# lossc lint resolves paths against the working directory: run from a
# directory that was removed, it stops at once with exit 2 and says so
# (nothing linted, nothing written), rather than misreporting paths.
# Under scripts/valgrind-check $LOSSC is a shell script, and that shell
# says it cannot find the working directory before it starts lossc: its
# line ("sh: 0: getcwd() failed: ...") is the wrapper's, and is dropped.
mkdir gone
cd gone && rmdir ../gone
{ printf 'goal g { about "x"; }\n' | "$LOSSC" lint --no-config - 2>&1; echo "exit $?"; } |
	grep -v '^sh: [0-9]*: getcwd() failed'
