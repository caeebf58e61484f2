# 100,000 unary minuses: same limit as parentheses, exit 2.
awk 'BEGIN {
	printf "dataset d { input x: real; }\nloss l on d {\n    value = "
	for (i = 0; i < 100000; i++) printf "-"
	printf "x;\n}\n"
}' > minus.loss
"$LOSSC" lint minus.loss
