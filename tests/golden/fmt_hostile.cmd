# Hostile inputs, as lint takes them: an empty file, blanks and comments
# only, invalid UTF-8 and a NUL byte (refused, LS002), nesting past the
# limit (refused, LS001) and up to it, and large files, which format in
# one pass and are stable.
: > empty.loss
printf '  \n\n\t\n' > blank.loss
printf '\n\n// only a comment   \n\n\n/* and a block */' > comments.loss
"$LOSSC" fmt empty.loss blank.loss comments.loss
echo "exit $?"
echo "empty: $(wc -c < empty.loss) bytes, blank: $(wc -c < blank.loss) bytes"
cat comments.loss
echo "== invalid UTF-8, NUL"
printf 'goal g { about "caf\351"; }\n' > latin1.loss
printf 'goal g {}\000\n' > nul.loss
"$LOSSC" fmt latin1.loss nul.loss
echo "exit $?"
echo "== too deep"
awk 'BEGIN { printf "dataset d { input x: real; }\nloss l on d { value = "
	for (i = 0; i < 300; i++) printf "("; printf "x"; for (i = 0; i < 300; i++) printf ")"
	printf "; }\n" }' > deep.loss
"$LOSSC" fmt deep.loss 2>&1 | head -n 1
echo "== near the limit: 120 nested -( ), a 250-term sum, a 200-high tower of powers"
awk 'BEGIN { printf "dataset d { input x: real; }\nloss l on d { value = "
	for (i = 0; i < 120; i++) printf "-("; printf "x"; for (i = 0; i < 120; i++) printf ")"
	printf "; value = x"; for (i = 0; i < 249; i++) printf "+x"
	printf "; value = x"; for (i = 0; i < 200; i++) printf "^x"
	printf "; }\n" }' > deepest.loss
"$LOSSC" fmt deepest.loss
echo "exit $?"
"$LOSSC" fmt --check deepest.loss && echo "stable"
echo "$(wc -l < deepest.loss) lines:"; sed -n "1,9p;\$p" deepest.loss | cut -c 1-60
echo "== 100,000 declarations and a 1 MB string"
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "goal g%d{about \"goal number %d\";}", i, i; print "" }' > many.loss
"$LOSSC" fmt many.loss
echo "exit $? lines $(wc -l < many.loss)"
"$LOSSC" fmt --check many.loss && echo "stable"
awk 'BEGIN { printf "goal g { about \""; for (i = 0; i < 100000; i++) printf "word%d ", i; printf "\"; }\n" }' > long.loss
"$LOSSC" fmt long.loss
echo "exit $? lines $(wc -l < long.loss), longest $(awk '{ if (length > m) m = length } END { print m }' long.loss)"
"$LOSSC" fmt --check long.loss && echo "stable"
