# Which files are documents: by extension (any case), or --lang for all
# inputs; standard input by its --stdin-filename, else LossSpec.
printf 'The policy wants to maximize its reward.\n' > notes.TXT
cp notes.TXT README.MD
cp notes.TXT guide.markdown
cp notes.TXT md
"$LOSSC" lint notes.TXT README.MD guide.markdown > out
echo "exit $?"
grep -v '^ ' out
"$LOSSC" lint md
echo "no extension: LossSpec, exit $?"
printf '# Title\n\nThe `loss` is fine; the agent wants to minimize its loss.\n' | "$LOSSC" lint --lang md -
echo "stdin as Markdown: exit $?"
printf '# Title\n\nThe `loss` is fine; the agent wants to minimize its loss.\n' | "$LOSSC" lint --lang=txt - > out
echo "stdin as text: exit $?"
grep -v '^ ' out
printf '# Title\n' | "$LOSSC" lint -
echo "stdin without --lang: LossSpec, exit $?"
printf '# Title\n\nThe `loss` is fine; the agent wants to minimize its loss.\n' | "$LOSSC" lint --stdin-filename docs/notes.md > out
echo "stdin named notes.md: exit $?"
grep -v '^ ' out
printf '# Title\n' | "$LOSSC" lint --stdin-filename spec.loss -q
echo "stdin named spec.loss: exit $?"
"$LOSSC" lint --lang loss README.MD | head -n 1
"$LOSSC" lint --lang txt "$GOLDEN/doc_readme_code.md" | grep -c 'warning:'
"$LOSSC" lint "$GOLDEN/doc_readme_code.md"
echo "README as Markdown: exit $?"
"$LOSSC" lint --lang rst notes.TXT
echo "exit $?"
"$LOSSC" lint notes.TXT --lang
echo "exit $?"
mkdir gen-out
"$LOSSC" gen README.MD -o gen-out
echo "gen on a document: exit $?"
"$LOSSC" fmt --check README.MD
echo "fmt on a document: exit $?"
"$LOSSC" graph notes.TXT
echo "graph on a document: exit $?"
