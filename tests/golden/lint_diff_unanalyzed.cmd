# --diff prints no findings, but a file it cannot analyze (missing, a
# syntax error) has no diff to show: exit 2 with that file's errors on
# standard error (file:line:col), never silently; the other files'
# findings stay unprinted and their diffs are still written.
mkdir specs
cat > specs/a.loss <<'X'
dataset d { about "x"; input x: real[2]; label y: class[2]; }
loss l on d { output z: real[2]; value = -log(softmax(z))[y]; precision float32; }
goal g { about "Reads digits."; }
rationale r for g { uses l; setup "SGD."; because "ok"; }
agent a { trained_by l; cares_about predictions; }
X
printf 'goal g {\n' > specs/broken.loss
"$LOSSC" lint --no-config --diff specs/missing.loss; echo "exit $?"
"$LOSSC" lint --no-config --diff specs 2>err; echo "exit $?"
echo '== standard error'; cat err
printf 'goal g {\n' | "$LOSSC" lint --no-config --fix --diff -; echo "exit $?"
