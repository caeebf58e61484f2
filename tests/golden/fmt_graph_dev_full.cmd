# A full disk on standard output is an error for fmt and graph as for
# lint: a message and exit 2, never a silent success.
if [ ! -w /dev/full ]; then
	echo "no writable /dev/full on this system" >&2
	exit 77
fi
"$LOSSC" fmt - < "$GOLDEN/../../examples/mnist.loss" > /dev/full; echo "exit $?"
"$LOSSC" fmt --diff "$GOLDEN/../fmt/layout.loss" > /dev/full; echo "exit $?"
"$LOSSC" graph "$GOLDEN/../../examples/mnist.loss" > /dev/full; echo "exit $?"
