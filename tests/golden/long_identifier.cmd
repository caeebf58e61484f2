# A 10 MB identifier used but never declared: LS010, message and line both
# bounded only by what the user wrote; exit 1.  Only the head of the
# output is kept: the message names the identifier in full.
awk 'BEGIN {
	printf "rationale r for g"
	for (i = 0; i < 1048576; i++) printf "xxxxxxxxxx"
	printf " { }\n"
}' > ident.loss
"$LOSSC" lint ident.loss > out.txt 2>&1
echo "exit $?"
cut -c 1-80 out.txt
