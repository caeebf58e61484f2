# lossc fmt's canonical layout of every LossSpec v1 construct, from the
# worst layout the grammar allows (tests/fmt/layout.loss), standard input
# to standard output; formatting the result again changes nothing.
"$LOSSC" fmt - < "$GOLDEN/../fmt/layout.loss" > tidy.loss
echo "exit $?"
cat tidy.loss
"$LOSSC" fmt --check tidy.loss && echo "formatting again changes nothing"
