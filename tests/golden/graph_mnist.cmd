# lossc graph: the training story of examples/mnist.loss as Graphviz DOT
# (docs/mnist-story.svg is this graph rendered).  The same file gives the
# same text, byte for byte.
cd "$GOLDEN/../../examples" || exit 2
"$LOSSC" graph mnist.loss
echo "exit $?"
"$LOSSC" graph mnist.loss > "$OLDPWD/a.dot" && "$LOSSC" graph mnist.loss | cmp -s - "$OLDPWD/a.dot" && echo "stable"
