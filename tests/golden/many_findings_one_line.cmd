# 100,000 findings on one 3.5 MB line: positions are computed in one
# pass along the line (not once from the line start per finding), so this
# stays linear; the last finding's column and window are exact.
awk 'BEGIN { printf "goal g { about \""; for (i = 0; i < 100000; i++) printf "the loss is aligned with the goal. "; printf "\"; }\n" }' > long.loss
"$LOSSC" lint --select LS201 long.loss > out.txt
echo "exit $?"
grep -c LS201 out.txt
tail -n 3 out.txt
