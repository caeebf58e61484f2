# Several reports in one run (--format FMT[:FILE], repeatable), -o for the
# one without a file, reports written atomically; --statistics; JSON fixes
# carry their applicability.
printf 'dataset d { about "x"; input x: real[2]; label y: class[2]; }\nloss l on d { output z: real[2]; value = -log(softmax(z))[y]; }\ngoal g { about "x"; }\n' > a.loss
echo '== text on the terminal, SARIF and JSON to files'
"$LOSSC" lint --format text --format sarif:out.sarif --output-format json:out.json a.loss; echo "exit $?"
grep -c '"ruleId"' out.sarif
grep -o '"fix": {[^}]*}' out.json
echo '== -o takes the report without a file'
"$LOSSC" lint -o report.txt --format github a.loss; echo "exit $?"
cat report.txt
echo '== two reports to standard output'
"$LOSSC" lint --format text --format json a.loss; echo "exit $?"
echo '== a report over an input is refused'
"$LOSSC" lint --format json:a.loss a.loss; echo "exit $?"
head -c 7 a.loss; echo
echo '== --statistics'
"$LOSSC" lint --statistics a.loss a.loss; echo "exit $?"
"$LOSSC" lint --statistics --format json a.loss; echo "exit $?"
