# A write error on standard output is reported on stderr, exit 2.
[ -w /dev/full ] || { echo "no /dev/full" >&2; exit 77; }
echo 'rationale r for nowhere { }' > f.loss
"$LOSSC" lint f.loss > /dev/full
echo "exit $?"
"$LOSSC" --help > /dev/full
echo "help exit $?"
