# Comments come back where they were: after the code they followed on its
# line, or on a line of their own; an item holding one keeps its line
# breaks (tests/fmt/comments.loss, which ends without a newline).
"$LOSSC" fmt - < "$GOLDEN/../fmt/comments.loss"
echo "exit $?"
