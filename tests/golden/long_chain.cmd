# A 100,000-term sum builds a tree as deep as it is long: past the parser's
# depth limit it is a clear LS001 (not a stack overflow), exit 2.
awk 'BEGIN {
	printf "dataset d { input x: real; }\nloss l on d {\n    value = x"
	for (i = 0; i < 100000; i++) printf " + x"
	printf ";\n}\n"
}' > chain.loss
"$LOSSC" lint chain.loss
