# The four-usages essay (examples/four-usages.md): findings exactly on its
# vague sentences, quoted in block quotes or reported in running text, and
# none in its front matter, code spans, code block, math or table.
cd "$GOLDEN/../../examples" || exit 2
"$LOSSC" lint four-usages.md
echo "exit $?"
# Read as plain text, the same bytes also give the claims its front matter
# and code spans mention: the Markdown reader's skipping is what keeps them out.
"$LOSSC" lint --lang txt four-usages.md | grep '^four-usages' | cut -d: -f1-3
