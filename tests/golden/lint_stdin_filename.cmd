# --stdin-filename NAME: standard input gets NAME's config, per-file
# ignores and path in the report ('-' is implied).  With --fix the fixed
# text goes to standard output and the report to standard error, for
# editors.  --force-exclude drops it when NAME is excluded.
mkdir -p proj/tests
printf 'per-file-ignores: tests/**: LS101\nexclude: tests/skip.loss\n' > proj/.losscrc
printf 'goal g { about "x"; } // lossc: allow LS201\n' > in.loss
echo '== as proj/a.loss'
"$LOSSC" lint --stdin-filename proj/a.loss < in.loss; echo "exit $?"
echo '== as proj/tests/t.loss: LS101 ignored there'
"$LOSSC" lint --stdin-filename proj/tests/t.loss - < in.loss; echo "exit $?"
echo '== --fix: the fixed text on stdout, the report on stderr'
"$LOSSC" lint --fix --stdin-filename proj/a.loss < in.loss 2>report; echo "exit $?"
cat report
echo '== --force-exclude with an excluded name: nothing to do'
"$LOSSC" lint --force-exclude --stdin-filename proj/tests/skip.loss < in.loss; echo "exit $?"
