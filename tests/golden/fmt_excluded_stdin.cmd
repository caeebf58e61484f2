# An excluded standard input (--force-exclude, --stdin-filename) is copied
# through unchanged, except under --check and --diff, which have nothing
# to say about it (exit 0, no output); standard input that cannot be read
# (a directory) is exit 2 with the reason, excluded or not.
printf 'exclude: skip*\n' > .losscrc
printf 'goal   g {about "x";}\n' > g.txt
"$LOSSC" fmt --check --force-exclude --stdin-filename skipme.loss - < g.txt; echo "exit $?"
"$LOSSC" fmt --diff --force-exclude --stdin-filename skipme.loss - < g.txt; echo "exit $?"
"$LOSSC" fmt --force-exclude --stdin-filename skipme.loss - < g.txt; echo "exit $?"
"$LOSSC" fmt --force-exclude --stdin-filename skipme.loss - < .; echo "exit $?"
"$LOSSC" fmt - < .; echo "exit $?"
