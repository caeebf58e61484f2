#!/bin/sh
# agree.sh: the agreement tests in `make check` (tests/agree/agree.h):
# 3000 random programs from a fixed seed, then every regression case in
# tests/agree/cases/ (each a program a past run found a disagreement in)
# at points from 20 seeds, then the programs and points of
# tests/agree/seeds.  Either run prints the failing program and the
# check, and how to rerun it.
set -u
: "${top_srcdir:?set top_srcdir}"
: "${top_builddir:?set top_builddir}"
bin=$top_builddir/tests/agree/agree_check
"$bin" || exit 1
"$bin" "$top_srcdir"/tests/agree/cases/*.loss || exit 1
sed 's/#.*//' "$top_srcdir/tests/agree/seeds" | while read -r seed; do
	[ -n "$seed" ] || continue
	"$bin" -s "$seed" -n 1 > /dev/null || { echo "FAIL: agree_check -s $seed -n 1"; "$bin" -s "$seed" -n 1; exit 1; }
done || exit 1
echo "ok: the seeds of tests/agree/seeds"
