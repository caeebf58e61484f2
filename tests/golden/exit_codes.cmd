# --fail-on and -q decide the exit status exactly as RULES.md says.
echo 'rationale r for nowhere { }' > err.loss
: > clean.loss
"$LOSSC" lint -q err.loss; echo "error finding: $?"
"$LOSSC" lint -q --fail-on error err.loss; echo "--fail-on error: $?"
"$LOSSC" lint --fail-on=info -q clean.loss; echo "clean: $?"
"$LOSSC" lint -q clean.loss err.loss missing.loss; echo "with an unreadable file: $?"
