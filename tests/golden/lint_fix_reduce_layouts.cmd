# LS106's unsafe fix adds `reduce mean;` as the loss's last item, in the
# file's own layout (story.c): on a line of its own indented like the item
# above, tabs kept, with the file's line end (LF, CRLF or a lone CR); or,
# when the brace shares its line, just before it (after a tab, one space
# less).  cat -A shows tabs as ^I, CRs as ^M and line ends as $.
d='dataset d { about "x"; input x: real; }'
printf '%s\nloss l on d {\n\toutput z: real;\n\tvalue = z * z;\n\tprecision float64;\n\t}\n' "$d" > tabs.loss
printf '%s\rloss l on d {\r    output z: real;\r    value = z * z;\r    precision float64;\r}\r' "$d" > cr.loss
printf '%s\r\nloss l on d {\r\n  output z: real;\r\n  value = z * z;\r\n  precision float64;\r\n}\r\n' "$d" > crlf.loss
printf '%s\nloss l on d { output z: real; value = z * z; precision float64;\t}\n' "$d" > inline.loss
for f in tabs cr crlf inline; do
	"$LOSSC" lint --no-config -q --fix --unsafe-fixes --select LS106 $f.loss; echo "$f: exit $?"
	cat -A $f.loss; echo
done
