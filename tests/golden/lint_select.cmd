# --select / --ignore take codes and families; the most specific wins;
# --fail-on sets the exit status; a bad pattern is a usage error (2).
cat > s.loss <<'X'
dataset unused { about "The loss captures what we value."; }
goal lonely { about "Our reward is aligned with the goal."; }
X
"$LOSSC" lint s.loss | grep -o '\[LS...\]' | tr '\n' ' '; echo
"$LOSSC" lint --select LS2 s.loss | grep -o '\[LS...\]' | tr '\n' ' '; echo
"$LOSSC" lint --select LS20 --ignore LS201 s.loss | grep -o '\[LS...\]' | tr '\n' ' '; echo
"$LOSSC" lint --ignore LS2xx,LS101 s.loss | grep -o '\[LS...\]' | tr '\n' ' '; echo
"$LOSSC" lint -q --select LS105 s.loss; echo "info only, default fail-on: $?"
"$LOSSC" lint -q --select LS105 --fail-on info s.loss; echo "info only, --fail-on info: $?"
"$LOSSC" lint -q --ignore LS1,LS2 s.loss; echo "all ignored: $?"
"$LOSSC" lint -q --select 'LS-1' s.loss; echo "bad pattern: $?"
