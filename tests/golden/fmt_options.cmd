# fmt's option values at their edges: --width out of range on both
# sides, not a whole number, empty; --config and --stdin-filename empty
# or missing; --width=N and -h.
printf 'goal g{about "x";}\n' > x.loss
"$LOSSC" fmt --width=1001 x.loss; echo "exit $?"
"$LOSSC" fmt --check --width=1000 x.loss; echo "exit $?"
"$LOSSC" fmt --width 60x x.loss; echo "exit $?"
"$LOSSC" fmt --width= x.loss; echo "exit $?"
"$LOSSC" fmt --config= x.loss; echo "exit $?"
"$LOSSC" fmt --stdin-filename; echo "exit $?"
"$LOSSC" fmt --stdin-filename= -; echo "exit $?"
"$LOSSC" fmt --width=40 - < x.loss; echo "exit $?"
"$LOSSC" fmt -h | head -n 1
