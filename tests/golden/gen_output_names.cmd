# gen names its files after the spec's base name: ".loss" dropped, every
# byte that is no letter or digit made '_', then "_loss" and the suffix;
# a name without the extension keeps all of itself.  An output directory
# that cannot be made is exit 2 with its reason, and nothing is written.
cp "$GOLDEN/../../examples/mnist.loss" 'my-spec.v2.loss'
cp "$GOLDEN/../../examples/mnist.loss" 'digits.spec'
"$LOSSC" gen -o a 'my-spec.v2.loss'; echo "exit $?"
"$LOSSC" gen -o b --python digits.spec; echo "exit $?"
ls a b
"$LOSSC" gen -o /dev/null/x digits.spec; echo "exit $?"
mkdir c
"$LOSSC" gen -o c/d/e digits.spec; echo "exit $?"
ls c
