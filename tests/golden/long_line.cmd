# A 10 MB line: the string is read whole, the finding after it is shown in
# a window of the line, never the whole line.
awk 'BEGIN {
	s = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	printf "goal g { about \""
	for (i = 0; i < 104858; i++) printf "%s", s
	printf "\"; } rationale r for missing { }\n"
}' > long.loss
"$LOSSC" lint long.loss
