# --max-errors N: at most N syntax errors are reported for a file.
"$LOSSC" lint --max-errors 1 "$GOLDEN/three_syntax_errors.loss" | grep -c LS001
"$LOSSC" lint --max-errors=2 "$GOLDEN/three_syntax_errors.loss" | grep -c LS001
"$LOSSC" lint "$GOLDEN/three_syntax_errors.loss" | grep -c LS001
