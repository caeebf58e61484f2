#!/bin/sh
# edges.sh: the kernels of tests/gen/edges.loss at their edges (clamps,
# kinks, overflow, underflow), checked by edges.c against values computed
# from the definitions.  Every disagreement the agreement tests find at a
# point a hand-computed value can pin down becomes a case here.
set -u
: "${LOSSC:?set LOSSC to the lossc binary}"
: "${top_srcdir:?set top_srcdir}"
CC=${CC:-cc}
work=$(mktemp -d "${TMPDIR:-/tmp}/lossc-edges.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
"$LOSSC" gen "$top_srcdir/tests/gen/edges.loss" -o "$work" 2> "$work/gen.err" || {
	echo "FAIL: lossc gen failed:"; cat "$work/gen.err"; exit 1; }
$CC -std=c99 -O2 -Wall -Wextra -Werror -I"$work" -o "$work/edges" "$top_srcdir/tests/gen/edges.c" \
	"$work/edges_loss.c" -lm || { echo "FAIL: edges.c does not build"; exit 1; }
"$work/edges"
