# The LS106 fix ('reduce mean;') goes where the file's own layout puts
# it: on a line of its own with the indentation of the lines before,
# in the file's line ending (LF, CRLF, or CR alone), or before a '}'
# that shares its line.  (CRs shown as \r.)
printf 'dataset d {input x: real; label y: real;}\r\nloss l on d {\r\n\toutput o: real;\r\n\tvalue = (o - y)^2;\r\n\tprecision float64;\t}\r\n' > crlf.loss
printf 'dataset d {input x: real; label y: real;}\rloss l on d {\r  output o: real;\r  value = (o - y)^2;\r  precision float64;\r}\r' > cr.loss
printf 'dataset d {input x: real; label y: real;}\nloss l on d {\n    output o: real;\n    value = (o - y)^2;\n    precision float64;\n    }\n' > indented.loss
printf 'dataset d {input x: real; label y: real;}\nloss l on d { output o: real; value = (o - y)^2; precision float64;}\n' > oneline.loss
for f in crlf cr indented oneline; do
	"$LOSSC" lint -q --fix --unsafe-fixes $f.loss; echo "exit $?"
	sed 's/\r/\\r/g' $f.loss; echo
done
