#!/bin/sh
# agree-compile.sh: check (d) of the agreement tests, the generated
# kernels of random programs against the long double evaluator
# (agree_compile.c says how they are compared).
#
#   agree-compile.sh [BATCHES [PROGRAMS [SEED]]]
#
# Each batch is one C file of PROGRAMS programs' float64 and float32
# kernels, compiled with $CC $AGREE_CFLAGS (default -O2) and run; the
# first batch also holds every regression case in tests/agree/cases/ at
# the points of 5 seeds.
# `make check` runs 1 batch of 100 (about 10 s of CPU); the long run (the
# closing note's figures) 100 batches of 100.
set -u
: "${top_srcdir:?set top_srcdir}"
: "${top_builddir:?set top_builddir}"
batches=${1:-1}
programs=${2:-100}
seed=${3:-4242}
CC=${CC:-cc}
AGREE_CFLAGS=${AGREE_CFLAGS:--O2}
work=$(mktemp -d "${TMPDIR:-/tmp}/lossc-agree.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
status=0
b=0
while [ "$b" -lt "$batches" ]; do
	s=$((seed + b * 100000))
	if [ "$b" -eq 0 ]; then
		set -- "$top_srcdir"/tests/agree/cases/*.loss
	else
		set --
	fi
	"$top_builddir/tests/agree/agree_compile" "$work/b.c" "$programs" "$s" "$@" || { echo "FAIL: agree_compile"; exit 1; }
	if ! $CC -std=c99 $AGREE_CFLAGS -w -o "$work/b" "$work/b.c" -lm; then
		echo "FAIL: batch $b (seed $s) does not compile"; cp "$work/b.c" "${TMPDIR:-/tmp}/agree-batch-$s.c"
		status=1; b=$((b + 1)); continue
	fi
	"$work/b" > "$work/out" || { status=1; cp "$work/b.c" "${TMPDIR:-/tmp}/agree-batch-$s.c"; }
	grep '^FAIL' "$work/out" | head -n 20
	echo "batch $b (seed $s): $(tail -n 1 "$work/out")"
	b=$((b + 1))
done
exit $status
