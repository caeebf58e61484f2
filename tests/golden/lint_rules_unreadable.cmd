# A rule directory entry that cannot be read as a file is a broken rule
# set: a directory named like a rule file, a symbolic link to nothing.
# Exit 2 naming the entry, nothing linted.
printf 'goal g { about "Reward aligned with values."; }\n' > t.loss
mkdir dir dangling
printf 'code: LS901\nmessage: m\npattern: \\bvalues\\b\n' > dir/LS901-ok.rule
cp dir/LS901-ok.rule dangling/
mkdir dir/LS902-sub.rule
"$LOSSC" lint --no-config --rules dir t.loss; echo "exit $?"
ln -s nowhere dangling/LS903-gone.rule
"$LOSSC" lint --no-config --rules dangling t.loss; echo "exit $?"
