# Machine-readable reports of a file whose name holds a tab, '%', a
# carriage return, ':' , ',' and a control byte: each format escapes it
# its own way (JSON \t \r \u0001, GitHub %25 %0D %3A %2C, SARIF URI
# percent-encoding).  A finding with a note carries it (JSON "notes",
# SARIF relatedLocations); two findings on identical lines get the same
# fingerprint with occurrences :1 and :2; --statistics sorts equal counts
# by code; and a baseline still hides everything after the lines are
# re-indented and lose their trailing blanks (fingerprints hash the
# line's text without surrounding blanks).
name=$(printf 'a\tb%%\r:,\001.loss')
cat > "$name" <<'X'
dataset d {
    about "x";
    label y: class[4];
    source "d.jsonl";
}
loss l on d {
    about "Cross-entropy on the rated class.";
    output z: real[4];
    value = -log(softmax(z))[y];
    reduce mean;
    precision float32;
}
loss l2 on d {
    about "The same, claimed convex.";
    output z: real[4];
    value = -log(softmax(z))[y];
    claim convex;
    reduce mean;
    precision float32;
}
goal g { about "x"; }   
X
echo '== json'
"$LOSSC" lint --format json "$name"; echo "exit $?"
echo '== github'
"$LOSSC" lint --format github "$name"; echo "exit $?"
echo '== sarif: locations, related locations and fingerprints'
"$LOSSC" lint --format sarif "$name" | grep -o '"uri": "[^"]*"' | sort -u
"$LOSSC" lint --format sarif "$name" | grep -o '"relatedLocations": \[[^]]*\]'
"$LOSSC" lint --format sarif "$name" | grep -o '"lossc/v1": "[0-9a-f]*:[0-9]*"'
echo '== statistics'
"$LOSSC" lint --statistics "$name"; echo "exit $?"
echo '== baseline after re-indenting'
"$LOSSC" lint -q --write-baseline base "$name"; echo "exit $?"
sed 's/^    /  /; s/[[:space:]]*$//' "$name" > tmp && mv tmp "$name"
"$LOSSC" lint --baseline base "$name"; echo "exit $?"
