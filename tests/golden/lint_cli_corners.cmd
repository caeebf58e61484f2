# lint's command line at its corners: standard input excluded by
# --force-exclude, quiet runs over directories with nothing to lint (and
# one document left out), --fix of standard input, reports and diffs to
# files and to a full device (through a link made here), --fix on a file
# that does not parse, statistics with SARIF.
[ -w /dev/full ] && [ -c /dev/full ] || { echo "no /dev/full character device" >&2; exit 77; }
ln -s /dev/full full
mkdir gen empty docs
echo '# Notes' > docs/notes.md
cp "$GOLDEN/../../examples/vague.loss" v.loss
printf 'goal g { about "x" }\n' > broken.loss

echo "-- stdin excluded, and not"
"$LOSSC" lint --no-config --force-exclude --exclude 'gen/*' --stdin-filename gen/x.loss - < v.loss; echo "exit $?"
"$LOSSC" lint --no-config --force-exclude --exclude 'gen/*' --stdin-filename keep.loss --select LS106 - < v.loss; echo "exit $?"
echo "-- nothing to lint, loud and quiet"
"$LOSSC" lint --no-config docs; echo "exit $?"
"$LOSSC" lint --no-config -q empty docs; echo "exit $?"
echo "-- --fix of standard input writes the fixed text"
"$LOSSC" lint --no-config --fix --select LS401 - < v.loss > fixed.loss; echo "exit $?"
diff v.loss fixed.loss
"$LOSSC" lint --no-config --fix --select LS401 - < v.loss > full; echo "exit $?"
echo "-- the diff to a file, and to a full device"
"$LOSSC" lint --no-config --diff -o d.diff v.loss; echo "exit $?"
head -n 2 d.diff
"$LOSSC" lint --no-config --diff -o full v.loss; echo "exit $?"
echo "-- a report to a full device"
"$LOSSC" lint --no-config --select LS106 --format json:full v.loss; echo "exit $?"
echo "-- --fix where the file does not parse"
"$LOSSC" lint --no-config --fix broken.loss; echo "exit $?"
echo "-- statistics are for text and JSON; SARIF lists the findings"
"$LOSSC" lint --no-config --statistics --format sarif --select LS106 v.loss | grep -c '"ruleId"'; echo "exit $?"
