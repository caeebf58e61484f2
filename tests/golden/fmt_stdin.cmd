# '-' formats standard input to standard output (written even when it is
# already formatted); with --check or --diff it prints only the verdict or
# the diff, naming <stdin>.  A syntax error: the findings on standard
# error, nothing on standard output, exit 2.
printf 'goal g{}\n' | "$LOSSC" fmt -; echo "exit $?"
printf 'goal g {}\n' | "$LOSSC" fmt -; echo "exit $?"
printf 'goal g{}\n' | "$LOSSC" fmt --check -; echo "exit $?"
printf 'goal g{}\n' | "$LOSSC" fmt --diff -; echo "exit $?"
printf 'goal g {}\n' | "$LOSSC" fmt --check -; echo "exit $?"
printf 'goal g { about }\n' | "$LOSSC" fmt - 2>err.txt; echo "exit $?"
cat err.txt
