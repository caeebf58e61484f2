#!/bin/sh
# agree.sh: the agreement tests in `make check` (tests/agree/agree.h):
# 3000 random programs from a fixed seed, then every regression case in
# tests/agree/cases/ (each a program a past run found a disagreement in)
# at points from 20 seeds.  Either run prints the failing program and the
# check, and how to rerun it.
set -u
: "${top_srcdir:?set top_srcdir}"
: "${top_builddir:?set top_builddir}"
bin=$top_builddir/tests/agree/agree_check
"$bin" || exit 1
"$bin" "$top_srcdir"/tests/agree/cases/*.loss || exit 1
