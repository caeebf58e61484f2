# 100,000 nested parentheses: a clear LS001 about the nesting limit, never
# a stack overflow; exit 2.
awk 'BEGIN {
	printf "dataset d { input x: real; }\nloss l on d {\n    value = "
	for (i = 0; i < 100000; i++) printf "("
	printf "x"
	for (i = 0; i < 100000; i++) printf ")"
	printf ";\n}\n"
}' > deep.loss
"$LOSSC" lint deep.loss
