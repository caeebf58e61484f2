# --fix applies safe fixes in place (same loss value: a stability rewrite,
# a stale allow removed), atomically, keeping the file's mode; the
# findings printed are those that remain and the summary counts the
# fixes.  --unsafe-fixes also applies fixes that change the loss (LS106's
# 'reduce mean;').  Nested fixes take two passes (log(1 + (exp(a) - 1))
# becomes log1p(expm1(a))).  A file with syntax errors is never touched.
cat > spec.loss <<'X'
dataset d { about "x"; input x: real[2]; label y: class[2]; }
loss l on d {
    output z: real[2];
    value = -log(softmax(z))[y] + log(1 + (exp(z[y]) - 1));
    precision float32;
}
// lossc: allow LS201, LS105 -- stale: nothing below says that
goal g { about "Reads digits."; }
rationale r for g { uses l; setup "SGD."; } // lossc: allow LS103, LS2 -- partly stale
agent a { trained_by l; cares_about predictions; }
X
chmod 640 spec.loss
cp spec.loss before.loss
echo '== --fix'
"$LOSSC" lint --fix spec.loss; echo "exit $?"
ls -l spec.loss | cut -c1-10
diff before.loss spec.loss
echo '== again: nothing left that --fix may do'
"$LOSSC" lint --fix spec.loss; echo "exit $?"
echo '== --fix --unsafe-fixes'
"$LOSSC" lint --fix --unsafe-fixes spec.loss; echo "exit $?"
tail -n +2 spec.loss | head -n 6
echo '== a file with a syntax error is left alone'
printf 'loss l on d { value = log(softmax(z)) }\n' > broken.loss
cp broken.loss broken.orig
"$LOSSC" lint --fix broken.loss > /dev/null; echo "exit $?"
cmp broken.loss broken.orig && echo unchanged
echo '== --unsafe-fixes alone is a usage error'
"$LOSSC" lint --unsafe-fixes spec.loss; echo "exit $?"
