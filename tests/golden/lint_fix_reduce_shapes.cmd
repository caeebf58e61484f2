# LS106's fix (reduce mean;) in every shape a loss is written: on one
# line with and without a blank before the brace, the brace alone on its
# line after tab-indented items (CRLF) or space-indented ones (CR only),
# and a loss with no items at all.  The item goes before the brace on a
# one-line loss, else on a line of its own indented like the item above,
# with the file's own line end.
printf 'dataset d { input x: real; label y: real; }\n' > d.loss
printf 'loss a on d { output u: real; value = square(u - y); }\n' > one_blank.loss
printf 'loss a on d { output u: real; value = square(u - y);}\n' > one_tight.loss
printf 'loss a on d {\r\n\toutput u: real;\r\n\tvalue = square(u - y);\r\n}\r\n' > crlf.loss
printf 'loss a on d {\r  output u: real;\r  value = square(u - y);\r   }\r' > cr.loss
printf 'loss a on d {\n}\n' > empty.loss
for f in one_blank one_tight crlf cr empty; do
	cat d.loss $f.loss > $f-story.loss
	"$LOSSC" lint --no-config --select LS106 --fix --unsafe-fixes -q $f-story.loss; echo "$f: exit $?"
	tail -n +2 $f-story.loss | sed 's/\r/<CR>/g; s/\t/<TAB>/g'; echo '<EOF>'
done
