# Each `// lossc: allow` still covers exactly the findings it covered: the
# line it points at keeps its tokens, alone, and items sharing it stay on
# it (tests/fmt/directives.loss; tests/fmt/props.sh proves the findings
# are the same).  The lint of the formatted text, positions aside, is the
# lint of the original.
"$LOSSC" fmt - < "$GOLDEN/../fmt/directives.loss" > tidy.loss
echo "exit $?"
cat tidy.loss
strip() { sed -n 's/^[^:]*:[0-9]*:[0-9]*: //p' | sed 's/ on line [0-9]*/ on line N/' | sort; }
"$LOSSC" lint "$GOLDEN/../fmt/directives.loss" | strip > before.txt
"$LOSSC" lint tidy.loss | strip > after.txt
cmp -s before.txt after.txt && echo "the same findings before and after:" && cat after.txt
