# A story with 300 goals, each with its rationale, and 300 losses on one
# dataset, each used by a rationale: clean (exit 0), so every name table
# grows past its first size and every lookup still finds its name; then
# the same with the last goal's rationale missing, found among them all.
{
	echo 'dataset d { about "x"; label y: real; source "d.jsonl"; }'
	i=0
	while [ $i -lt 300 ]; do
		echo "goal g$i { about \"goal $i\"; }"
		echo "loss l$i on d { output z: real; value = square(z - y); reduce mean; precision float32; }"
		echo "rationale r$i for g$i { setup \"s\"; because \"b\"; uses l$i; }"
		i=$((i + 1))
	done
} > many.loss
"$LOSSC" lint many.loss; echo "exit $?"
grep -v '^rationale r299 ' many.loss > fewer.loss
"$LOSSC" lint fewer.loss; echo "exit $?"
