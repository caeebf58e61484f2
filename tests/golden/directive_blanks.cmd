# A '// lossc:' directive with tabs around its words and a CR line end
# still works (the blanks are trimmed, the CR too); one with nothing after
# 'lossc:' is reported as malformed, not applied.
printf '//\tlossc:\tallow LS105 -- tabs around the words\t \r\ndataset d { input x: real; label y: real; }\r\n' > tabs.loss
"$LOSSC" lint --no-config tabs.loss; echo "exit $?"
printf '// lossc:\t \ndataset d { input x: real; label y: real; }\n' > empty.loss
"$LOSSC" lint --no-config empty.loss; echo "exit $?"
