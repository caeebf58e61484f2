# --format json and github on findings whose text needs escaping (quotes,
# a comma and a colon in the path, a percent sign); an empty run prints [].
cat > 'a,b:c%.loss' <<'X'
goal g { about "The \"reward\" is well aligned with 100% of what we want."; }
X
"$LOSSC" lint --format json 'a,b:c%.loss'; echo "exit $?"
"$LOSSC" lint --format=github 'a,b:c%.loss'; echo "exit $?"
echo 'dataset d { about "x"; }' > quiet.loss
"$LOSSC" lint --format json --ignore LS105 quiet.loss; echo "exit $?"
"$LOSSC" lint --format xml quiet.loss; echo "exit $?"
