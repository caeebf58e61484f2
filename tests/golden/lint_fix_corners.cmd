# --fix and --diff at their corners: a diff of a file named by an
# absolute path (no a/ b/ prefixes), a diff into a file (-o), two fixes in
# one loss and one in another ("fixed 3 findings in 1 file"), a file that
# does not parse beside one that is fixed (exit 2, the good file still
# fixed), and a fix read from standard input that does not parse: the
# text comes back unchanged on standard output.
printf 'dataset d { input x: real; label y: class[5]; }\nloss l on d { output z: real[5]; value = -log(softmax(z)[0]) + log(1 + exp(z[1])); precision float64; }\nloss m on d { output o: real; value = o ^ 2; precision float64; }\n' > two.loss
printf 'loss l on { \n' > bad.loss
cp two.loss abs.loss
cp two.loss out.loss
"$LOSSC" lint --no-config -q --diff --unsafe-fixes "$PWD/abs.loss" > abs.diff; echo "exit $?"
sed "s|$PWD|DIR|" abs.diff
"$LOSSC" lint --no-config -q --diff -o fix.diff out.loss; echo "exit $?"
cat fix.diff
"$LOSSC" lint --no-config --select LS001,LS106,LS401,LS403 --fix --unsafe-fixes two.loss bad.loss; echo "exit $?"
cat two.loss
printf 'loss l on { \n' | "$LOSSC" lint --no-config -q --fix -; echo "exit $?"
