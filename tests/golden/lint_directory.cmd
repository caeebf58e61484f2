# lossc lint DIR: every *.loss below DIR, sorted by path, hidden entries and
# other files skipped, excludes honoured (config and --exclude), symbolic
# links followed with each directory entered once (a loop is safe), a file
# named twice linted once, and an unreadable .loss link reported (LS002).
mkdir -p specs/b specs/a/deep specs/.git specs/drafts specs/old
printf 'goal g { about "x"; }\n' > specs/b/two.loss
printf 'goal g { about "x"; }\n' > specs/a/deep/one.loss
printf 'goal g { about "x"; }\n' > specs/a-top.loss
printf 'goal g { about "x"; }\n' > specs/.git/hidden.loss
printf 'goal g { about "x"; }\n' > specs/drafts/draft.loss
printf 'goal g { about "x"; }\n' > specs/old/old.loss
printf 'not a spec\n' > specs/notes.txt
ln -s .. specs/a/deep/loop
ln -s a specs/again
ln -s nowhere.loss specs/broken.loss
printf 'exclude: drafts\n' > specs/.losscrc
echo '== the tree'
"$LOSSC" lint --select LS101 specs
echo "exit $?"
echo '== --exclude, and a file also named on its own'
"$LOSSC" lint --select LS101 --exclude 'specs/old' specs specs/b/two.loss
echo "exit $?"
echo '== an excluded file named on the command line is linted, unless --force-exclude'
"$LOSSC" lint --select LS101 specs/drafts/draft.loss
echo "exit $?"
"$LOSSC" lint --select LS101 --force-exclude specs/drafts/draft.loss
echo "exit $?"
echo '== from inside: names without ./'
cd specs/b && "$LOSSC" lint --select LS101 .
echo "exit $?"
