# fmt at its edges: files in two directories with their own configs (the
# config is read once per directory, then reused), a rewrite that cannot
# be written (a full device), standard output on a full device, an
# excluded standard input passed through, a directory entry that cannot
# be read, "--" before a file named like an option, and --help on a full
# device.  Failures exit 2 and leave the file as it was.
mkdir -p a b
printf 'fmt-width: 60\n' > a/.losscrc
printf 'fmt-width: 100\n' > b/.losscrc
printf 'goal   g {about "x";}\n' > a/one.loss
cp a/one.loss a/two.loss
cp a/one.loss b/three.loss
"$LOSSC" fmt a/one.loss a/two.loss b/three.loss; echo "exit $?"
cat a/one.loss
"$LOSSC" fmt - < b/three.loss > /dev/full; echo "exit $?"
printf 'exclude: skip*\n' > .losscrc
printf 'goal   g {about "x";}\n' | "$LOSSC" fmt --force-exclude --stdin-filename skipme.loss -; echo "exit $?"
ln -s nowhere.loss a/dangling.loss
"$LOSSC" fmt a; echo "exit $?"
printf 'goal   g {about "x";}\n' > ./-odd.loss
"$LOSSC" fmt --check -- -odd.loss; echo "exit $?"
"$LOSSC" fmt --help > /dev/full; echo "exit $?"
