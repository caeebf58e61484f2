# Hostile documents get what hostile .loss files get: findings or a clear
# error with file, line and column, never a crash or a hang.
# A 16 MB document: 200000 paragraphs, every hundredth vague.
awk 'BEGIN {
	for (i = 0; i < 200000; i++) {
		if (i % 100 == 99)
			printf "Paragraph %d: *the policy*\nwants to maximize its reward.\n\n", i
		else
			printf "Paragraph %d has `code`, a [link](https://example.com/%d) and $x_%d$, and says nothing vague at all.\n\n", i, i, i
	}
}' > huge.md
"$LOSSC" lint huge.md > out; echo "huge: exit $?"
grep -c 'LS211' out
tail -n 4 out
# One 5 MB paragraph on one line.
awk 'BEGIN { for (i = 0; i < 60000; i++) printf "Sentence %d is about a *model* and its `loss`. ", i; print "The agent wants low loss." }' > line.md
"$LOSSC" lint line.md | head -n 1 | cut -c1-60; echo "one line"
# Deep nesting: block quotes, lists, emphasis, brackets.
awk 'BEGIN { for (i = 0; i < 100000; i++) printf ">"; print " The agent wants low loss." }' > quotes.md
awk 'BEGIN { for (i = 0; i < 3000; i++) { for (j = 0; j < i; j++) printf "  "; print "- the model wants low loss" } }' > lists.md
awk 'BEGIN { for (i = 0; i < 50000; i++) printf "*"; printf "the network wants low loss"; for (i = 0; i < 50000; i++) printf "*"; print "" }' > emph.md
awk 'BEGIN { for (i = 0; i < 50000; i++) printf "["; printf "the network wants low loss"; for (i = 0; i < 50000; i++) printf "]"; print "" }' > brackets.md
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "<!-- lossc "; print "" }' > comments.md
for f in quotes lists emph brackets comments; do
	"$LOSSC" lint --select LS211 $f.md > out; rc=$?
	echo "$f: exit $rc, $(grep -c LS211 out) findings, first at $(head -n 1 out | cut -d: -f2-3)"
done
# Not UTF-8, a NUL byte: LS002 at the byte, exit 2.
printf '# Notes\n\nThe loss \377 represents the goal.\n' > latin1.md
printf 'The agent\000 wants low loss.\n' > nul.txt
"$LOSSC" lint latin1.md nul.txt; echo "exit $?"
# What the Markdown parser would read in quadratic time: LS030, exit 2.
awk 'BEGIN { printf "|"; for (i = 0; i < 1001; i++) printf " a |"; printf "\n|"; for (i = 0; i < 1001; i++) printf "---|"; print "" }' > wide.md
awk 'BEGIN { for (i = 0; i < 10001; i++) printf "![[a](b) "; print "" }' > images.md
"$LOSSC" lint wide.md images.md > out; echo "exit $?"
grep -v '^ ' out
# The same bytes as plain text are read, linearly.
"$LOSSC" lint --lang txt wide.md; echo "wide as text: exit $?"
