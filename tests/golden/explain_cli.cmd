# explain and rules: options, a user's rule directory (explained, tested,
# listed), and every way their command lines and rule directories fail.
mkdir myrules empty
cat > myrules/LS290-vibes.rule <<'RULE'
code:      LS290
name:      vibes
title:     training "on vibes"
severity:  warning
concept:   3
scope:     prose
pattern:   \bon\s+vibes\b
message:   "{match}" says nothing about the data; name it
explain:   Say which data the loss is computed on.
bad:       we train on vibes
good:      we train on the 2019 crawl
RULE
cat > myrules/LS291-broken-example.rule <<'RULE'
code:      LS291
name:      broken-example
title:     a rule whose examples are wrong
severity:  info
concept:   3
scope:     prose
pattern:   \bfoo\b
message:   "{match}"
explain:   An example that does not fire.
bad:       nothing here
good:      foo too
RULE
"$LOSSC" explain --help >help.txt; echo "exit $?"; head -n 1 help.txt
"$LOSSC" explain -h >/dev/null; echo "exit $?"
"$LOSSC" explain --rules myrules LS290; echo "exit $?"
"$LOSSC" explain --rules=myrules -- ls290 | head -n 1; echo "exit $?"
"$LOSSC" explain LS201 LS202; echo "exit $?"
"$LOSSC" explain --rules; echo "exit $?"
"$LOSSC" explain --rules=; echo "exit $?"
"$LOSSC" explain --frobnicate LS201; echo "exit $?"
"$LOSSC" explain --rules nowhere LS290; echo "exit $?"
"$LOSSC" explain LS104 >/dev/full; echo "exit $?"
"$LOSSC" explain LS201 >/dev/full; echo "exit $?"
many=$(i=0; while [ $i -lt 65 ]; do printf ' --rules myrules'; i=$((i + 1)); done)
# shellcheck disable=SC2086 # 65 separate options
"$LOSSC" explain $many LS290; echo "exit $?"
"$LOSSC" rules --help >/dev/null; echo "exit $?"
"$LOSSC" rules --test myrules; echo "exit $?"
"$LOSSC" rules --test empty; echo "exit $?"
"$LOSSC" rules --test nowhere; echo "exit $?"
"$LOSSC" rules --test myrules >/dev/full; echo "exit $?"
"$LOSSC" rules --rules myrules | grep '^LS29'; echo "exit $?"
"$LOSSC" rules --rules nowhere; echo "exit $?"
"$LOSSC" rules stray; echo "exit $?"
"$LOSSC" rules >/dev/full; echo "exit $?"
