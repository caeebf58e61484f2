# 1,000,000 declarations resolve in linear time with no error (only
# errors count: -q --fail-on error), and a duplicate at the very end is found;
# its 7-digit line number widens the gutter and the caret stays aligned.
awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "goal g%d { }\n", i }' > many.loss
"$LOSSC" lint -q --fail-on error many.loss
echo "exit $?"
echo 'goal g7 { }' >> many.loss
"$LOSSC" lint --fail-on error many.loss | grep -A 2 LS011
