# Outputs lint cannot write are errors (exit 2) that name the output and
# the reason, and leave nothing behind: a report, a diff file, the diff on
# standard output, and the fixed text of standard input.
cp "$GOLDEN/../../examples/vague.loss" a.loss
"$LOSSC" lint -q --output-format json:nodir/r.json a.loss; echo "exit $?"
"$LOSSC" lint -q --diff --output-file nodir/d.diff a.loss; echo "exit $?"
"$LOSSC" lint -q --diff a.loss >/dev/full; echo "exit $?"
"$LOSSC" lint -q --fix - < a.loss >/dev/full; echo "exit $?"
ls -A
cmp -s a.loss "$GOLDEN/../../examples/vague.loss" && echo "a.loss untouched"
