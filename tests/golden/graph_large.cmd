# graph takes what lint takes: an empty file is an empty graph, nesting
# past the limit is refused (LS001, exit 2), and 100,000 declarations
# with their links draw in one pass (linear: node numbers by binary
# search, unresolved names sorted once).
: > empty.loss
"$LOSSC" graph empty.loss; echo "exit $?"
awk 'BEGIN { printf "dataset d { input x: real; }\nloss l on d { value = "
	for (i = 0; i < 300; i++) printf "("; printf "x"; for (i = 0; i < 300; i++) printf ")"
	printf "; }\n" }' > deep.loss
"$LOSSC" graph deep.loss 2>&1 | head -n 1
awk 'BEGIN { print "dataset d { input x: real; }"
	for (i = 0; i < 25000; i++) {
		printf "loss l%d on d { output u: real; value = u; reduce mean; precision float32; }\n", i
		printf "goal g%d { }\nrationale r%d for g%d { uses l%d, missing%d; setup \"s\"; because \"b\"; }\n", i, i, i, i, i % 7
	}
	print "agent a { trained_by l0; }" }' > many.loss
"$LOSSC" graph many.loss > many.dot; echo "exit $?"
echo "nodes $(grep -c '^    [dm][0-9]* \[' many.dot), edges $(grep -c ' -> ' many.dot), flagged $(grep -c 'LS1' many.dot)"
