# The repository's examples are formatted (lossc fmt --check is clean).
cd "$GOLDEN/../../examples" && "$LOSSC" fmt --check *.loss
echo "exit $?"
