# graph --format svg runs the first executable `dot` on PATH; these fake
# ones stand in for Graphviz failing (exit status 3), dying of a signal,
# and working (the picture is written atomically to -o).  An empty PATH
# component means the current directory.  Failures exit 2 and leave no
# output file; so does an -o in a missing directory, and standard output
# on a full device.
printf 'goal g {}\n' > g.loss
mkdir fake
printf '#!/bin/sh\ncat >/dev/null\nexit 3\n' > fake/dot
chmod +x fake/dot
PATH="$PWD/fake:$PATH" "$LOSSC" graph --format svg g.loss -o g.svg; echo "exit $?"
printf '#!/bin/sh\nkill -9 $$\n' > fake/dot
PATH="$PWD/fake:$PATH" "$LOSSC" graph --format svg g.loss -o g.svg; echo "exit $?"
ls
printf '#!/bin/sh\ncat >/dev/null\necho "<svg $1/>"\n' > fake/dot
PATH="$PWD/fake:$PATH" "$LOSSC" graph --format svg g.loss -o g.svg; echo "exit $?"
cat g.svg
(cd fake && PATH=":$PATH" "$LOSSC" graph --format png ../g.loss); echo "exit $?"
"$LOSSC" graph g.loss -o nodir/g.dot; echo "exit $?"
"$LOSSC" graph g.loss >/dev/full; echo "exit $?"
