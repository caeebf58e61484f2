# lint's command line: every option that needs a value says which kind
# when it has none, the repeatable options say their limits, the
# attached forms (--opt=value, -oFILE) work, "--" ends the options, and
# --help on a full device is a write error.  All usage errors exit 2.
# Then numbers, the option combinations lint refuses, --stdin-filename
# alone, and --explain-value beside a JSON report.
printf 'goal g { about "x"; }\nrationale r for g { setup "s"; because "b"; }\n' > -ok.loss
"$LOSSC" lint --format; echo "exit $?"
"$LOSSC" lint --format=xml -- -ok.loss; echo "exit $?"
"$LOSSC" lint --format=jsonjsonjsonjsonjson -- -ok.loss; echo "exit $?"
"$LOSSC" lint --format text --format json --format sarif --format github --format text:a \
	--format text:b --format text:c --format text:d --format text:e -- -ok.loss; echo "exit $?"
"$LOSSC" lint --select; echo "exit $?"
"$LOSSC" lint --ignore; echo "exit $?"
"$LOSSC" lint --rules; echo "exit $?"
"$LOSSC" lint --exclude; echo "exit $?"
"$LOSSC" lint --config; echo "exit $?"
"$LOSSC" lint --stdin-filename; echo "exit $?"
"$LOSSC" lint --baseline; echo "exit $?"
"$LOSSC" lint -o; echo "exit $?"
"$LOSSC" lint --color; echo "exit $?"
many() {        # many OPTION VALUE: 65 times "OPTION VALUE"
	i=0
	while [ $i -lt 65 ]; do
		printf '%s %s ' "$1" "$2"
		i=$((i + 1))
	done
}
# shellcheck disable=SC2046 # 130 separate arguments
"$LOSSC" lint $(many --rules .) -- -ok.loss; echo "exit $?"
# shellcheck disable=SC2046
"$LOSSC" lint $(many --exclude x) -- -ok.loss; echo "exit $?"
echo '== attached values'
printf 'goal g { about "x"; }\n' > bad.loss
"$LOSSC" lint --fail-on=info --color=never -oreport.txt -- -ok.loss bad.loss; echo "exit $?"
cat report.txt
"$LOSSC" lint --help >/dev/full; echo "exit $?"
echo '== numbers and combinations'
"$LOSSC" lint --max-errors; echo "exit $?"
"$LOSSC" lint --max-errors 5x -- -ok.loss; echo "exit $?"
"$LOSSC" lint --max-errors 99999999999999999999 -- -ok.loss; echo "exit $?"
"$LOSSC" lint --max-errors=3 -- -ok.loss; echo "exit $?"
"$LOSSC" lint --unsafe-fixes -- -ok.loss; echo "exit $?"
"$LOSSC" lint --diff --statistics -- -ok.loss; echo "exit $?"
"$LOSSC" lint --diff --format json -- -ok.loss; echo "exit $?"
"$LOSSC" lint --diff --baseline base -- -ok.loss; echo "exit $?"
"$LOSSC" lint --diff --write-baseline base -- -ok.loss; echo "exit $?"
"$LOSSC" lint --format json --format sarif -- -ok.loss; echo "exit $?"
"$LOSSC" lint -o out.txt --format json --format sarif -- -ok.loss; echo "exit $?"
echo '== --stdin-filename alone reads standard input under that name'
"$LOSSC" lint --stdin-filename named.loss < bad.loss; echo "exit $?"
echo '== --explain-value stays out of a JSON stream'
"$LOSSC" lint --explain-value --format json bad.loss | head -n 2; echo "exit $?"
