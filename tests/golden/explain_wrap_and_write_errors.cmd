# explain at its edges: a rule's explanation with a word longer than a
# line (a URL: kept whole on a line of its own; it was cut at 74 columns,
# and a URL cut in two cannot be pasted), a rule's explanation to a full
# device, help to a full device, and --words with no class.
[ -w /dev/full ] && [ -c /dev/full ] || { echo "no /dev/full character device" >&2; exit 77; }
ln -s /dev/full full
mkdir myrules
cat > myrules/LS292-long-word.rule <<'RULE'
code:      LS292
name:      long-word
title:     a rule whose explanation holds a very long word
severity:  info
concept:   3
scope:     prose
pattern:   \bzyzzyva\b
message:   "{match}"
explain:   See https://example.com/a/very/long/path/that/does/not/fit/on/one/line/of/seventy/four/columns/at/all then read on.
bad:       a zyzzyva here
good:      a beetle here
RULE
"$LOSSC" explain --rules myrules LS292; echo "exit $?"
"$LOSSC" explain --rules myrules LS292 > full; echo "exit $?"
"$LOSSC" explain -h > full; echo "exit $?"
"$LOSSC" rules --words; echo "exit $?"
"$LOSSC" rules --words=; echo "exit $?"
