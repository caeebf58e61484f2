# lint's command line: every option that needs a value says which kind
# when it has none, the repeatable options say their limits, the
# attached forms (--opt=value, -oFILE) work, "--" ends the options, and
# --help on a full device is a write error.  All usage errors exit 2.
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
