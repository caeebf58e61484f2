# --write-baseline records the current findings; --baseline hides them and
# shows only new ones.  Entries are keyed on the SARIF fingerprint with
# the path relative to the baseline's directory, so they still match after
# lines move and from another working directory; entries that match
# nothing are LS020 (info; severity in .losscrc can make it fail).
mkdir -p proj/specs work
cat > proj/specs/a.loss <<'X'
goal g { about "The loss is perfectly aligned with human values."; }
goal h { about "x"; }
X
cd proj
"$LOSSC" lint --write-baseline lossc-baseline specs; echo "exit $?"
cut -f2-4 lossc-baseline | tail -n +4
echo '== everything known: hidden'
"$LOSSC" lint --baseline lossc-baseline specs; echo "exit $?"
echo '== lines moved, run from elsewhere: still hidden; a new finding shows'
printf 'goal new { about "y"; }\n\n' > ../new.loss
cat specs/a.loss >> ../new.loss
mv ../new.loss specs/a.loss
cd ../work
"$LOSSC" lint --baseline ../proj/lossc-baseline ../proj/specs; echo "exit $?"
cd ../proj
echo '== one fixed: its entry is stale (LS020), at the baseline line'
printf 'goal new { about "y"; }\ngoal h { about "x"; }\n' > specs/a.loss
"$LOSSC" lint --baseline lossc-baseline specs; echo "exit $?"
printf 'severity: LS020=warning\n' > .losscrc
"$LOSSC" lint -q --baseline lossc-baseline specs; echo "stale as a warning: exit $?"
echo '== a file that is not a baseline'
"$LOSSC" lint --baseline specs/a.loss specs; echo "exit $?"
echo '== a baseline of a clean tree holds no entry, and hides nothing'
mkdir clean
printf 'goal g { about "x"; }\nrationale r for g { setup "a"; because "b"; }\n' > clean/ok.loss
"$LOSSC" lint --write-baseline clean/base clean; echo "exit $?"
"$LOSSC" lint --baseline clean/base specs > /dev/null; echo "exit $?"
