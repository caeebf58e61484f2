# A 10 MB identifier used but never declared: LS010, exit 1.  The message
# shows the name cut to 64 characters; the source line is shown as a
# window (cut here to keep the expected output small).
awk 'BEGIN {
	printf "rationale r for g"
	for (i = 0; i < 1048576; i++) printf "xxxxxxxxxx"
	printf " { }\n"
}' > ident.loss
"$LOSSC" lint ident.loss > out.txt 2>&1
echo "exit $?"
head -n 1 out.txt
sed 1d out.txt | cut -c 1-80
