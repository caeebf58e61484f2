# lint runs over unusual inputs: --diff names an absolute path as it is
# (no a/ b/ prefix) and standard input as <stdin>; --fix with --diff only
# shows the diff; an empty directory is a warning, not an error; --exclude
# takes several blank-separated patterns; --force-exclude applies to
# --stdin-filename; a one-finding baseline says "1 finding".
cp "$GOLDEN/../../examples/vague.loss" a.loss
"$LOSSC" lint --diff "$PWD/a.loss" 2>&1 | head -n 3 | sed "s|$PWD|DIR|"
"$LOSSC" lint --diff - < a.loss 2>&1 | head -n 3
"$LOSSC" lint --fix --diff - < a.loss > fixdiff.txt; echo "exit $?"
head -n 2 fixdiff.txt
cmp -s a.loss "$GOLDEN/../../examples/vague.loss" && echo "a.loss untouched"
mkdir empty d
"$LOSSC" lint empty; echo "exit $?"
printf 'goal g { about "x"; }\n' > d/x.loss
cp d/x.loss d/y.loss
cp d/x.loss d/z.loss
"$LOSSC" lint --exclude 'x.loss  y.loss' d; echo "exit $?"
"$LOSSC" lint --force-exclude --exclude 'skip*' --stdin-filename skipme.loss < d/x.loss; echo "exit $?"
"$LOSSC" lint --write-baseline one d/x.loss; echo "exit $?"
