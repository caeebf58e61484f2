# Story findings on the graph: examples/vague.loss has a goal with no
# rationale (LS101), a loss no rationale uses (LS102), a rationale with no
# setup (LS103), an agent with no cares_about (LS104): each such node is
# drawn in the warning colour with its codes in its label and the
# messages as its tooltip.  An allow silences a finding on the graph as
# in lint, a .losscrc's severity: changes its colour, and its disable
# and per-file-ignores silence it.  Exit 0: drawing is not
# judging.
cd "$GOLDEN/../../examples" || exit 2
"$LOSSC" graph vague.loss
echo "exit $?"
cd "$OLDPWD" || exit 2
cat > story.loss <<'LOSS'
dataset spare { about "Nobody trains on this."; }   // lossc: allow LS105 -- kept for later
dataset d { input x: real; label y: binary; }
loss l on d { output u: real; value = bce_with_logits(u, y); reduce mean; precision float32; }
loss twice on d { output u: real; value = u; value = u * 2; }
goal g { about "Separates the classes."; }
rationale r for g { uses l, twice; setup "SGD."; because "ok"; }
agent a { trained_by l; }
LOSS
echo "== an allow and a disable"
"$LOSSC" graph story.loss | grep -E '^    d[0-9]'
printf 'severity: LS109=warning, LS104=error\n' > .losscrc
"$LOSSC" graph story.loss | grep -E '^    d(4|7) \[' | sed 's/, tooltip=.*//'
printf 'per-file-ignores: story.loss: LS104\n' > .losscrc
"$LOSSC" graph story.loss | grep 'agent'
printf 'disable: LS104\n' > .losscrc
"$LOSSC" graph story.loss | grep 'agent'
"$LOSSC" graph --no-config story.loss | grep 'agent'
