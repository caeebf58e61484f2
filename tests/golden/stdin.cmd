# '-' reads standard input; findings name it <stdin>.
printf 'rationale r for nowhere { }\n' | "$LOSSC" lint -
echo "exit $?"
"$LOSSC" lint - < /dev/null
echo "empty stdin: exit $?"
