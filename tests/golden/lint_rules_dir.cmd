# --rules DIR adds rules and replaces a built-in rule with the same code;
# a broken rule file is exit 2 with file:line:col; a catastrophic pattern
# gives up quickly with LS200 naming the rule; rules --test checks a
# user's examples.
mkdir ours broken slow
cat > ours/LS201-softer.rule <<'X'
code:     LS201
name:     softer-aligned
severity: info
scope:    about
pattern:  \baligned\s+with\b
message:  "{match}": say what you mean
bad:      It is aligned with the goal.
good:     It is lined up with the goal.
good:     It is aligned with the goal too.
X
printf 'goal g { about "Reward aligned with values."; }\n' > t.loss
"$LOSSC" lint --rules ours --select LS201 t.loss; echo "exit $?"
"$LOSSC" rules --test ours; echo "rules --test: $?"
printf 'code: LS902\nmessage: m\npattern: (ab\n' > broken/x.rule
"$LOSSC" lint --rules broken t.loss; echo "broken rule: $?"
printf 'code: LS903\nmessage: m\npattern: (a+)+$\n' > slow/s.rule
awk 'BEGIN { printf "goal g { about \""; for (i = 0; i < 100000; i++) printf "a"; print "b\"; }" }' > long.loss
"$LOSSC" lint --rules slow --select LS200,LS903 long.loss > out 2>&1; rc=$?
grep -v '^ ' out; echo "catastrophic: $rc"
