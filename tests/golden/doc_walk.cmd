# A directory lints its documents only when the config asks: `documents:`
# (true = Markdown; md, txt) or `include:` globs.  A document named on the
# command line is always linted; exclude, extend and --no-config apply.
mkdir -p proj/docs/notes proj/specs
printf 'The policy wants to maximize its reward.\n' > proj/docs/guide.md
cp proj/docs/guide.md proj/docs/notes/meeting.txt
cp proj/docs/guide.md proj/docs/CARD.Markdown
cp proj/docs/guide.md proj/docs/requirements.txt
printf 'goal g { about "The loss represents the goal."; }\nrationale r for g { because "b"; setup "s"; }\n' > proj/specs/s.loss
run() { "$LOSSC" lint "$@" > out 2> err; rc=$?; grep -v '^ ' out err | sed -e 's/:[0-9]*:[0-9]*: .*\[/: [/' -e "s|$(pwd)/||"; echo "exit $rc"; }
echo "== no config"
run proj
run proj/docs
run proj/docs/guide.md
echo "== documents: true"
printf 'documents: true\n' > proj/.losscrc
run proj
echo "== documents: md, txt; exclude"
printf 'documents: md, txt\nexclude: docs/requirements.txt\n' > proj/.losscrc
run proj
echo "== include only"
printf 'include: docs/notes/**\n' > proj/.losscrc
run proj
echo "== a nested config extends the parent's"
printf 'documents: true\n' > proj/.losscrc
printf 'extend: ../.losscrc\ninclude: notes/*.txt\n' > proj/docs/.losscrc
run proj
echo "== --no-config"
run --no-config proj
echo "== a bad value"
printf 'documents: maybe\n' > proj/.losscrc
rm proj/docs/.losscrc
run proj
