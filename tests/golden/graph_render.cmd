# --format svg and png run Graphviz's dot (a runtime option: skipped when
# it is not installed).  dot reads every DOT text lossc writes, hostile
# names and prose included, and -o writes the picture atomically.
if ! command -v dot >/dev/null 2>&1; then
	echo "Graphviz's dot is not installed (apt-get install graphviz)" >&2
	exit 77
fi
for f in "$GOLDEN/../../examples/"*.loss "$GOLDEN/../fmt/"*.loss; do
	"$LOSSC" graph "$f" | dot -Tcanon > /dev/null 2> dot.err || { echo "dot rejects the graph of $(basename "$f")"; cat dot.err; }
done
echo "dot reads the graph of every example and tests/fmt spec"
sh "$GOLDEN/graph_hostile.cmd" 2>/dev/null | sed '$d' | dot -Tcanon > /dev/null && echo "dot reads the hostile graph"
"$LOSSC" graph --format svg "$GOLDEN/../../examples/mnist.loss" -o mnist.svg; echo "exit $?"
head -c 5 mnist.svg; echo
grep -c '<g id="node' mnist.svg
"$LOSSC" graph --format=png "$GOLDEN/../../examples/vague.loss" > vague.png; echo "exit $?"
od -An -c -N 4 vague.png | tr -s ' '
ls
