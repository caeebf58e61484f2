# --color always adds ANSI colours (shown here with cat -v); never and
# auto (stdout is not a terminal here) add none.
echo 'rationale r for nowhere { }' > c.loss
"$LOSSC" lint --color always c.loss | cat -v
"$LOSSC" lint --color=never c.loss | cat -v
"$LOSSC" lint c.loss | cat -v
