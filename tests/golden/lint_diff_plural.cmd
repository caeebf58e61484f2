# --diff's closing line counts findings and files, each in its number:
# one finding in one file, then two findings in two files.
cat > a.loss <<'X'
dataset d { about "x"; input x: real[2]; label y: class[2]; }
loss l on d { output z: real[2]; value = -log(softmax(z))[y]; precision float32; }
goal g { about "Reads digits."; }
rationale r for g { uses l; setup "SGD."; because "ok"; }
agent a { trained_by l; cares_about predictions; }
X
cp a.loss b.loss
"$LOSSC" lint --no-config --diff a.loss > /dev/null; echo "exit $?"
"$LOSSC" lint --no-config --diff a.loss b.loss > /dev/null; echo "exit $?"
