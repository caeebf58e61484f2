# SARIF partialFingerprints hash a finding's path, code and line without
# its surrounding blanks (report.c): re-indenting the line with tabs or
# spaces, or adding trailing blanks, keeps the fingerprint, so code
# scanning keeps the alert; a changed line gets a new one.
fp() { "$LOSSC" lint --no-config --format sarif a.loss | grep -o '"partialFingerprints": {[^}]*}'; }
printf 'goal g { about "x"; }\n' > a.loss
fp > first.fp
cat first.fp
printf '\n\t \tgoal g { about "x"; } \t \n' > a.loss
fp > reindented.fp
cmp -s first.fp reindented.fp && echo "moved and re-indented: same fingerprint" || echo "moved and re-indented: fingerprint differs"
printf 'goal h { about "x"; }\n' > a.loss
fp > changed.fp
cmp -s first.fp changed.fp && echo "changed line: same fingerprint" || echo "changed line: fingerprint differs"
