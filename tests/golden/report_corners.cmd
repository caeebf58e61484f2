# The report formats at their corners: a finding with two notes and one
# with no location (a file that cannot be opened) in JSON, SARIF and
# GitHub annotations; an info finding as a GitHub notice; SARIF's URIs
# for a path with a blank, '%' and UTF-8, and for a file outside the
# working directory; empty reports and statistics.
mkdir w "w/my dir"
cp "$GOLDEN/math_domain_param_names.loss" w/two_notes.loss
printf 'goal g { about "The model sorts the mail."; }\n' > "w/my dir/$(printf 'a \303\237 %%.loss')"
cat > outside.loss <<'LOSS'
dataset d { input x: real; label y: real; }
loss l on d { output u: real; value = square(u - y); reduce mean; }
rationale r for g { uses l; setup "SGD, 10 epochs."; because "Squared error fits the mean."; }
goal g { about "Predictions fit the held-out data."; }
LOSS
cd w
echo "-- json: two notes, no location"
"$LOSSC" lint --no-config --format json --select LS330,LS002 two_notes.loss missing.loss > out.json; echo "exit $?"
tail -n 3 out.json
echo "-- sarif: related locations, a finding with no location"
"$LOSSC" lint --no-config --format sarif --select LS330,LS002 two_notes.loss missing.loss > out.sarif; echo "exit $?"
grep -c '"relatedLocations"' out.sarif
grep -o '"uri": "[^"]*"' out.sarif | sort -u
echo "-- sarif: URIs escaped, a file outside the working directory"
"$LOSSC" lint --no-config --format sarif my\ dir ../outside.loss > out2.sarif; echo "exit $?"
grep -o '"uri": "[^"]*"' out2.sarif | sed 's|file:///.*/outside|file:///TMP/outside|' | sort -u
echo "-- github: notice, no location"
"$LOSSC" lint --no-config --format github --select LS107,LS002 ../outside.loss missing.loss; echo "exit $?"
echo "-- empty reports"
"$LOSSC" lint --no-config --format sarif --select LS504 ../outside.loss > empty.sarif; echo "exit $?"
grep -A1 '"results"' empty.sarif
"$LOSSC" lint --no-config --format json --statistics --select LS504 ../outside.loss; echo "exit $?"
"$LOSSC" lint --no-config --statistics --select LS330 two_notes.loss; echo "exit $?"
