# What graph refuses: a file with syntax errors or invalid UTF-8 (the
# findings, exit 2, no graph), a missing file, bad options; an output
# file that is the input.  --format svg without Graphviz says how to
# install it (exit 2, nothing written).
printf 'goal g { about "x" }\n' > broken.loss
"$LOSSC" graph broken.loss; echo "exit $?"
printf 'goal g { about "caf\351"; }\n' > latin1.loss
"$LOSSC" graph latin1.loss; echo "exit $?"
"$LOSSC" graph missing.loss; echo "exit $?"
"$LOSSC" graph; echo "exit $?"
"$LOSSC" graph a.loss b.loss; echo "exit $?"
"$LOSSC" graph --format pdf a.loss; echo "exit $?"
"$LOSSC" graph --format; echo "exit $?"
"$LOSSC" graph -o; echo "exit $?"
"$LOSSC" graph --bogus a.loss; echo "exit $?"
printf 'goal g {}\n' > g.loss
"$LOSSC" graph g.loss -o g.loss; echo "exit $?"
cat g.loss
PATH=/nonexistent "$LOSSC" graph --format svg g.loss -o g.svg; echo "exit $?"
ls
printf 'goal g {}\n' | "$LOSSC" graph - ; echo "exit $?"
printf 'goal g {}\n' | "$LOSSC" graph --stdin-filename specs/story.loss - | sed -n 2p
"$LOSSC" graph --help; echo "exit $?"
