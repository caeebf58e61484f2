# .losscrc keys of issue 13: severity (per code and per family), extend (a
# nested config stops the search and inherits through extend),
# per-file-ignores, exclude; unknown keys and unknown codes are errors with
# file:line and "did you mean".
here=$(pwd -P)
mkdir -p proj/specs/tests proj/specs/drafts
cat > proj/.losscrc <<'X'
# the team's settings
severity: LS009=warning, LS1=error
disable:  LS107
exclude:  drafts
X
cat > proj/specs/.losscrc <<'X'
extend: ../.losscrc       # inherit the team's settings
per-file-ignores: tests/**: LS101
X
printf 'goal g { about "x"; } // lossc: allow LS201 -- stale\n' > proj/specs/a.loss
cp proj/specs/a.loss proj/specs/tests/t.loss
cp proj/specs/a.loss proj/specs/drafts/d.loss
echo '== severity from the parent through extend; per-file ignores; exclude'
"$LOSSC" lint proj/specs > out 2>&1; rc=$?
grep -v '^ ' out; echo "exit $rc"
echo '== the nested file without extend drops the parent (the nearest config wins)'
printf 'per-file-ignores: tests/**: LS101\n' > proj/specs/.losscrc
"$LOSSC" lint proj/specs > out 2>&1; rc=$?
grep -v '^ ' out; echo "exit $rc"
echo '== unknown key'
printf 'extend: ../.losscrc\nexlude: drafts\n' > proj/specs/.losscrc
"$LOSSC" lint proj/specs/a.loss 2>&1 | sed "s|$here/||g"
echo '== unknown code, found once the rules are loaded'
printf 'extend: ../.losscrc\n\nseverity: LS216=error\n' > proj/specs/.losscrc
"$LOSSC" lint proj/specs/a.loss 2>&1 | sed "s|$here/||g"
echo '== an unknown code in the parent names the parent'
printf 'extend: ../.losscrc\n' > proj/specs/.losscrc
printf 'disable: LS7\n' > proj/.losscrc
"$LOSSC" lint proj/specs/a.loss 2>&1 | sed "s|$here/||g"
echo '== extend cycle'
printf 'extend: specs/.losscrc\n' > proj/.losscrc
"$LOSSC" lint proj/specs/a.loss 2>&1 | sed "s|$here/||g"
"$LOSSC" lint -q proj/specs/a.loss 2>/dev/null; echo "exit $?"
