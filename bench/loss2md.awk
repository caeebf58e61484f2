# loss2md.awk: the prose of a LossSpec file as a Markdown document, for
# bench/docbench.sh.  Each string item (about, because, setup, source,
# cares_about other) becomes a paragraph holding exactly its text, one
# source piece per line (soft line breaks, as people wrap Markdown); each
# declaration a heading.  Every fifth paragraph is a block quote and every
# seventh a list item, and each paragraph's first word is emphasized, so
# the reader's markup handling is on the measured path; code, math and
# links are added between paragraphs, where no rule can match them.
function flush() {
	if (n == 0)
		return
	np++
	prefix = ""
	if (np % 5 == 0)
		prefix = "> "
	else if (np % 7 == 0)
		prefix = "- "
	for (i = 1; i <= n; i++) {
		line = piece[i]
		if (i == 1)
			sub(/^[A-Za-z-]+/, "*&*", line)
		if (i > 1 && prefix == "- ")
			printf "  %s\n", line
		else
			printf "%s%s\n", (i == 1 || prefix == "> ") ? prefix : "", line
	}
	printf "\n"
	if (np % 11 == 0)
		printf "The kernel computes `loss_%d(z, y)` as $-\\log p_y$; see [the spec](specs/%d.loss).\n\n", np, np
	n = 0
}
/^(dataset|loss|goal|rationale|agent) / {
	flush()
	printf "## %s %s\n\n", $1, $2
	next
}
/"/ && (inlist || /^[ \t]*(about|because|setup|source|cares_about)[ \t]/) {
	inlist = 1
	s = $0
	while (match(s, /"([^"\\]|\\.)*"/)) {
		t = substr(s, RSTART + 1, RLENGTH - 2)
		gsub(/\\"/, "\"", t)
		sub(/[ \t]+$/, "", t)
		if (t != "")
			piece[++n] = t
		s = substr(s, RSTART + RLENGTH)
	}
	if ($0 ~ /;[ \t]*$/) {
		inlist = 0
		flush()
	}
	next
}
END { flush() }
