# Every format and option that works on .loss files works on documents:
# json, sarif, github and coloured text; --fail-on, -q, --select, --ignore;
# a .losscrc found upward from the document, --config, --no-config, a
# rules directory (a rule scoped to `about` reads all prose of a document);
# --explain-value and --max-errors; documents and .loss files in one run.
mkdir -p docs/sub our-rules
cat > docs/sub/design.md <<'X'
# Design

The policy wants to maximize its reward, and the loss represents the goal.

It is all *vibes*.
X
cat > docs/.losscrc <<'X'
fail-on: error
disable: LS202
rules:   ../our-rules
X
cat > our-rules/LS901-vibes.rule <<'X'
code: LS901
severity: info
scope: about
pattern: \bvibes?\b
message: "{match}" is not a rationale
bad: it is all vibes
good: it is all evidence
X
printf 'goal g { about "The reward is the optimization target."; }\nrationale r for g { because "b"; setup "s"; }\n' > story.loss

"$LOSSC" lint docs/sub/design.md > out; echo "with docs/.losscrc: exit $?"
grep -v '^ ' out
"$LOSSC" lint --no-config docs/sub/design.md > out; echo "--no-config: exit $?"
grep -v '^ ' out
"$LOSSC" lint --config docs/.losscrc --select LS901 docs/sub/design.md > out; echo "--config, --select LS901: exit $?"
grep -v '^ ' out
"$LOSSC" lint --no-config --ignore LS2 docs/sub/design.md; echo "--ignore LS2: exit $?"
"$LOSSC" lint --no-config -q docs/sub/design.md; echo "-q: exit $?"
"$LOSSC" lint --no-config --fail-on error docs/sub/design.md > /dev/null; echo "--fail-on error: exit $?"
"$LOSSC" lint --no-config --format json docs/sub/design.md story.loss; echo "json: exit $?"
"$LOSSC" lint --no-config --format github docs/sub/design.md; echo "github: exit $?"
"$LOSSC" lint --no-config --color always --select LS211 docs/sub/design.md; echo "color: exit $?"
"$LOSSC" lint --no-config --format sarif docs/sub/design.md > out.sarif; echo "sarif: exit $?"
grep -c '"ruleId"' out.sarif
grep -o '"uri": "[^"]*"' out.sarif
"$LOSSC" lint --no-config --explain-value --max-errors 1 --select LS211 docs/sub/design.md > out; echo "--explain-value, --max-errors: exit $?"
grep -v '^ ' out
# --fix and --diff on a document: nothing to change (prose findings carry no
# fix; a stale allow in a document is left to the writer), and the file
# keeps every byte.
printf '<!-- lossc: allow LS213 -- stale -->\nThe policy wants to maximize its reward.\n' > docs/stale.md
cp docs/stale.md stale.before
"$LOSSC" lint --no-config --diff docs/stale.md; echo "--diff: exit $?"
"$LOSSC" lint --no-config --fix --unsafe-fixes docs/stale.md; echo "--fix: exit $?"
cmp docs/stale.md stale.before && echo "unchanged"
