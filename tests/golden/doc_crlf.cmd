# CRLF line endings: the same findings at the same lines and columns as LF,
# and the snippet shows no carriage return.
sed 's/$/\r/' "$GOLDEN/doc_lists.md" > crlf.md
cp "$GOLDEN/doc_lists.md" lf.md
"$LOSSC" lint lf.md | grep '^lf.md' | sed 's/^lf.md//' > lf.out
"$LOSSC" lint crlf.md | grep '^crlf.md' | sed 's/^crlf.md//' > crlf.out
cmp lf.out crlf.out && echo "CRLF: $(wc -l < crlf.out) findings, same positions as LF"
"$LOSSC" lint --select LS212 crlf.md | od -c | grep -c '\\r'
# A UTF-8 byte order mark before front matter: still front matter.
printf '\357\273\277---\ntitle: the loss represents the goal\n---\nThe policy wants to maximize its reward.\n' > bom.md
"$LOSSC" lint bom.md
echo "exit $?"
