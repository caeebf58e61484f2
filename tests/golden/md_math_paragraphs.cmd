# Math in Markdown across paragraph and line boundaries: a display "$$"
# that opens a paragraph runs to the next "$$" even paragraphs later (the
# paragraphs between are math, not prose); one with no closer anywhere
# is not math; a single '$' closes only before a non-digit and after a
# non-blank; lines joined inside a paragraph or a block quote keep their
# columns.  Each document in LF and in CRLF line ends: the same findings.
printf '# Math across paragraphs\n\n$$\n\nthe network wants low loss\n\n$$ and after it the agent wants low loss.\n\nA sum $x$5 is not closed there, nor $ y$, but $z$ is: the model wants low loss.\n\n$$ an opener with no closer: the model wants low loss' > math.md
printf '> quoted over\n> lines: the agent\n> wants low loss.\n\nA line\nbreak inside: the model\nwants low loss.\n' > joined.md
for f in math joined; do
	sed 's/$/\r/' $f.md > $f-crlf.md
	"$LOSSC" lint --no-config $f.md > lf.out; echo "exit $?"
	cat lf.out
	"$LOSSC" lint --no-config $f-crlf.md > crlf.out; echo "exit $?"
	# the same findings, the file name and the CRs aside
	sed "s/$f-crlf\.md/$f.md/" crlf.out | tr -d '\r' | diff lf.out - && echo "CRLF: the same"
done
