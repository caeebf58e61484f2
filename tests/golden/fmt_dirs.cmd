# A directory stands for the .loss files below it, walked as lint walks
# them: sorted, names starting with '.' skipped, and the paths the
# nearest .losscrc excludes skipped.  A file named twice is formatted
# once.  --force-exclude skips excluded files named as arguments too, and
# copies an excluded standard input through unchanged (an editor then
# keeps its buffer); --stdin-filename names standard input for its
# config and in messages.
mkdir -p specs/a specs/.hidden specs/drafts
for f in specs/x.loss specs/a/y.loss specs/.hidden/h.loss specs/drafts/d.loss; do
	printf 'goal g{about "x";}\n' > "$f"
done
printf 'not a spec\n' > specs/notes.txt
printf 'exclude: drafts\n' > specs/.losscrc
"$LOSSC" fmt --check specs specs/x.loss
echo "exit $?"
"$LOSSC" fmt --check specs/drafts/d.loss
echo "exit $?"
"$LOSSC" fmt --check --force-exclude specs/drafts/d.loss
echo "exit $?"
"$LOSSC" fmt specs
echo "exit $?"
cat specs/a/y.loss specs/drafts/d.loss specs/.hidden/h.loss
echo "== standard input named"
printf 'fmt-width: 40\n' >> specs/.losscrc
printf 'goal g { about "one two three four five six seven eight"; }\n' > long.txt
"$LOSSC" fmt --stdin-filename specs/new.loss - < long.txt
"$LOSSC" fmt --stdin-filename specs/new.loss --diff - < long.txt
echo "exit $?"
"$LOSSC" fmt --stdin-filename specs/drafts/new.loss --force-exclude - < long.txt
echo "exit $?"
printf 'goal {\n' | "$LOSSC" fmt --stdin-filename specs/bad.loss -
echo "exit $?"
