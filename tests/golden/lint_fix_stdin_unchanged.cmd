# Standard input under --fix when no fix applies: the text is written back
# to standard output unchanged (a filter must not swallow its input), the
# findings go to standard error and the exit status is the findings'.
# --diff never writes the text: it prints the fixes, here none (exit 0:
# nothing would change), also with --fix beside it (a text that does not
# parse: lint_diff_unanalyzed).
printf '// only a comment\n' | "$LOSSC" lint --no-config --fix - 2>err; echo "exit $?"; cat err
printf 'goal g { about "x"; }\n' | "$LOSSC" lint --no-config --fix - 2>err; echo "exit $?"; cat err
printf 'goal g { about "x"; }\n' | "$LOSSC" lint --no-config --diff - 2>err; echo "exit $?"; cat err
printf 'goal g { about "x"; }\n' | "$LOSSC" lint --no-config --fix --diff - 2>err; echo "exit $?"; cat err
