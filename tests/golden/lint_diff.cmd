# --diff prints the fixes as a unified diff that `patch -p1` applies and
# changes nothing: exit 1 when a file would change, 0 when none would.
mkdir specs
cat > specs/a.loss <<'X'
dataset d { about "x"; input x: real[2]; label y: class[2]; }
loss l on d { output z: real[2]; value = -log(softmax(z))[y]; precision float32; }
goal g { about "Reads digits."; }
rationale r for g { uses l; setup "SGD."; because "ok"; }
agent a { trained_by l; cares_about predictions; }
X
printf 'goal g { about "x"; }\nrationale r for g { setup "a"; because "b"; }\n' > specs/clean.loss
cp specs/a.loss a.orig
"$LOSSC" lint --diff specs; echo "exit $?"
cmp specs/a.loss a.orig && echo "specs/a.loss unchanged"
echo '== with the unsafe fixes, into a file, applied by patch'
"$LOSSC" lint --diff --unsafe-fixes -o fix.patch specs; echo "exit $?"
patch -s -p1 < fix.patch && cat specs/a.loss
"$LOSSC" lint --diff --unsafe-fixes specs; echo "exit after patching: $?"
echo '== --diff with --format is a usage error'
"$LOSSC" lint --diff --format json specs; echo "exit $?"
