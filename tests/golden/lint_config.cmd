# .losscrc: found upward from each input's directory (nearest wins);
# --config names one, --no-config ignores them; `rules` is relative to the
# config file; a broken config stops the run with file:line and exit 2.
mkdir -p proj/sub/deep proj/our-rules other
cat > proj/.losscrc <<'X'
# team settings
fail-on:  info       # even infos fail CI
disable:  LS1
enable:   LS105
rules:    our-rules
X
cat > proj/our-rules/LS901-vibes.rule <<'X'
code: LS901
severity: info
pattern: \bvibes?\b
message: "{match}" is not a rationale
bad: it is all vibes
good: it is all evidence
X
printf 'dataset unused { about "Good vibes."; }\ngoal lonely { }\n' > proj/sub/deep/a.loss
cp proj/sub/deep/a.loss other/b.loss
"$LOSSC" lint proj/sub/deep/a.loss other/b.loss > out 2>&1; rc=$?
grep -v '^ ' out; echo "exit $rc"
"$LOSSC" lint -q proj/sub/deep/a.loss; echo "a with its config: $?"
"$LOSSC" lint -q --no-config proj/sub/deep/a.loss; echo "a with --no-config: $?"
"$LOSSC" lint --config proj/.losscrc other/b.loss > out 2>&1; rc=$?
grep -v '^ ' out; echo "b with --config: $rc"
printf 'format: json\n' > proj/sub/.losscrc
"$LOSSC" lint proj/sub/deep/a.loss; echo "nearest config (json, no rules dir): $?"
printf 'fail-on: warning\ncolor: red\n' > proj/sub/.losscrc
"$LOSSC" lint proj/sub/deep/a.loss > out 2>&1; rc=$?
sed 's|^/.*/proj/|.../proj/|' out; echo "unknown key: $rc"
printf 'rules: missing-dir\n' > proj/sub/.losscrc
"$LOSSC" lint proj/sub/deep/a.loss > out 2>&1; rc=$?
sed 's|^/.*/proj/|.../proj/|' out; echo "missing rules dir: $rc"
