# --select/--ignore with a code or family that does not exist: exit 2 with
# "did you mean", never a silent green run.  Existence is decided after the
# rule directories are loaded: a team's LS9xx rules make LS9 a family.
printf 'goal g { about "x"; }\n' > a.loss
mkdir rules
cat > rules/LS901-vibes.rule <<'X'
code: LS901
severity: warning
pattern: \bvibes?\b
message: "{match}" is not a rationale
bad: it is all vibes
good: it is all evidence
X
"$LOSSC" lint --select LS216 a.loss; echo "exit $?"
"$LOSSC" lint --ignore LS26 a.loss; echo "exit $?"
"$LOSSC" lint --select LS9 a.loss; echo "exit $?"
"$LOSSC" lint --select LS9 --rules rules a.loss; echo "exit $?"
"$LOSSC" lint --select LS2xx,LS90 --rules rules a.loss; echo "exit $?"
"$LOSSC" lint --select LS101 a.loss > /dev/null; echo "exit $?"
