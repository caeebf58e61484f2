# Report options at their limits: -h, help to a full disk (exit 2), more
# than eight --format reports, a format name longer than any, and
# --explain-value beside a JSON report on standard output (the
# explanation goes to standard error, never into the JSON).
printf 'dataset d { input x: real; label y: real; }\nloss l on d { output o: real; value = (o - y) ^ 2; reduce mean; precision float64; }\n' > g.loss
"$LOSSC" lint -h | head -n 1
if [ -w /dev/full ]; then
	"$LOSSC" lint --help > /dev/full 2>err; echo "help to a full disk: exit $?"; cat err
fi
"$LOSSC" lint --no-config $(for i in 1 2 3 4 5 6 7 8 9; do printf -- '--format json:r%d.json ' $i; done) g.loss; echo "exit $?"
"$LOSSC" lint --no-config --format averyveryverylongformatname g.loss; echo "exit $?"
"$LOSSC" lint --no-config --select LS3 --explain-value --format json:r.json --format json g.loss > out.json 2> err; echo "exit $?"
head -n 1 out.json
grep '^  value:' err
