# lossc lint resolves paths against the working directory: run from a
# directory that was removed, it stops at once with exit 2 and says so
# (nothing linted, nothing written), rather than misreporting paths.
mkdir gone
cd gone && rmdir ../gone
printf 'goal g { about "x"; }\n' | "$LOSSC" lint --no-config -; echo "exit $?"
