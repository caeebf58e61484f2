# The clean example has no error or warning (exit 0 at the default level).
cd "$GOLDEN/../../examples" && "$LOSSC" lint mnist.loss
