# A 100,000-term sum is flat, not deep: it must be analyzed without
# recursion trouble.  Only errors count here (-q, --fail-on error).
awk 'BEGIN {
	printf "dataset d { input x: real; }\nloss l on d {\n    value = x"
	for (i = 0; i < 100000; i++) printf " + x"
	printf ";\n}\n"
}' > chain.loss
"$LOSSC" lint -q --fail-on error chain.loss
echo "exit $?"
