# LOSSC_RULES_DIR naming no directory (missing, or a file): every command
# that needs the built-in rules says so, naming the variable and its value
# rather than the places it would search when unset, and exits 2.
echo 'goal g { about "The model sorts the mail."; }' > g.loss
echo 'not a directory' > file
for dir in "$PWD/missing" file; do
	LOSSC_RULES_DIR=$dir "$LOSSC" lint --no-config g.loss 2>&1 | sed "s|$PWD/||"
	LOSSC_RULES_DIR=$dir "$LOSSC" lint --no-config g.loss >/dev/null 2>&1; echo "lint: exit $?"
	LOSSC_RULES_DIR=$dir "$LOSSC" rules --test 2>&1 | sed "s|$PWD/||"
	LOSSC_RULES_DIR=$dir "$LOSSC" rules --test >/dev/null 2>&1; echo "rules --test: exit $?"
done
