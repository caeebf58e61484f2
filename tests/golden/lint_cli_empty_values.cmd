# lint's options given an empty value in their attached form (--opt=),
# which is no value: each says what it needs, exit 2 (--select= and
# --ignore= selected or ignored nothing without a word before: a CI job
# writing --select=$CODES with CODES unset linted everything).  Numbers
# that parse but are out of range, a report format with a colon and no
# file, a format name longer than any, and --explain-value with --quiet
# (quiet prints nothing, the explanation neither: exit 1 for LS102).
printf 'goal g { about "x"; }\nrationale r for g { setup "s"; because "b"; }\n' > ok.loss
printf 'dataset d { label t: real; }\nloss l on d { output z: real; value = square(z - t); reduce mean; precision float32; }\n' > l.loss
for opt in --rules= --exclude= --config= --stdin-filename= --baseline= --write-baseline= --output-file= --select= --ignore=; do
	"$LOSSC" lint "$opt" ok.loss; echo "exit $?"
done
"$LOSSC" lint --max-errors=0 ok.loss; echo "exit $?"
"$LOSSC" lint --max-errors=-4 ok.loss; echo "exit $?"
"$LOSSC" lint --max-errors= ok.loss; echo "exit $?"
"$LOSSC" lint --max-errors=2147483648 ok.loss; echo "exit $?"
"$LOSSC" lint --format=json: ok.loss; echo "exit $?"
"$LOSSC" lint --format=sarifsarifsarifsarif:x ok.loss; echo "exit $?"
"$LOSSC" lint --no-config -q --explain-value l.loss; echo "exit $?"
"$LOSSC" lint --ignore ' , ' ok.loss; echo "exit $?"
