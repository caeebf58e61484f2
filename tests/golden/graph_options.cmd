# graph's options at their edges: empty and missing values of --output,
# --config and --stdin-filename, '--' before a file named like an option,
# -h, a --config that names a broken file, and an explicit --config whose
# settings apply to the graph.
printf 'goal g {about "x";}\n' > ./-g.loss
printf 'goal g {about "x";}\n' > g.loss
"$LOSSC" graph --output= g.loss; echo "exit $?"
"$LOSSC" graph --config; echo "exit $?"
"$LOSSC" graph --config= g.loss; echo "exit $?"
"$LOSSC" graph --stdin-filename; echo "exit $?"
"$LOSSC" graph --stdin-filename= -; echo "exit $?"
"$LOSSC" graph -- -g.loss | head -n 3
"$LOSSC" graph -h | head -n 1
printf 'fail-on: sometimes\n' > bad.losscrc
"$LOSSC" graph --config bad.losscrc g.loss; echo "exit $?"
printf 'fmt-width: 60\n' > good.losscrc
"$LOSSC" graph --config good.losscrc g.loss | head -n 3
