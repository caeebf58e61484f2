#!/bin/sh
# fmtbench.sh: the speed and peak memory of `lossc fmt` on generated
# specs, against `lossc lint -q` on the same file in the same run (the
# machine is shared: the ratio is the figure to compare).  `make bench-fmt`
# runs it.
#
#     bench/fmtbench.sh [SIZE_BYTES...]      (default: 5000000 50000000)
#
# The specs come from the parser's generator (bench/genspec: every kind of
# declaration, prose, expressions, directives; not in the canonical layout,
# so fmt has work to do).  fmt reads the spec from standard input and
# writes the formatted text to /dev/null: it parses, lays out, and parses
# its output again to check it (one tree at a time).  Each command runs three times; the best
# run counts.  Prints per size:
#     fmt 5000064 bytes: 0.53 s (9.4 MB/s), peak RSS 62016 kB (12.7x the file); lint -q: 0.55 s, 53464 kB; fmt/lint 0.97 time, 1.16 memory
# Set LOSSC, GENSPEC, PEAKRSS to use other binaries (default: this build).
set -eu
b=${top_builddir:-.}
lossc=${LOSSC:-$b/lossc}
genspec=${GENSPEC:-$b/bench/genspec}
peakrss=${PEAKRSS:-$b/bench/peakrss}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lossc-fmtbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
[ $# -gt 0 ] || set -- 5000000 50000000

run() {         # run NAME COMMAND...: best seconds and its peak kB into NAME_s, NAME_kb
	name=$1
	shift
	best_s="" best_kb=""
	for i in 1 2 3; do
		t0=$(date +%s.%N)
		"$peakrss" "$@" >/dev/null 2>"$tmp/rss" <"$spec" || true
		t1=$(date +%s.%N)
		s=$(awk -v a="$t0" -v z="$t1" 'BEGIN { printf "%.3f", z - a }')
		kb=$(sed -n 's/^peak_rss_kb \([0-9]*\).*/\1/p' "$tmp/rss")
		best_s=$(awk -v b="$best_s" -v t="$s" 'BEGIN { if (b == "" || t < b) print t; else print b }')
		best_kb=$(awk -v b="$best_kb" -v t="$kb" 'BEGIN { if (b == "" || t < b) print t; else print b }')
	done
	eval "${name}_s=$best_s ${name}_kb=$best_kb"
}

for size in "$@"; do
	spec=$tmp/spec-$size.loss
	"$genspec" "$size" >"$spec"
	bytes=$(wc -c <"$spec")
	run fmt "$lossc" fmt --no-config -
	run lint "$lossc" lint -q --no-config -
	awk -v b="$bytes" -v fs="$fmt_s" -v fk="$fmt_kb" -v ls="$lint_s" -v lk="$lint_kb" 'BEGIN {
		printf "fmt %d bytes: %.2f s (%.1f MB/s), peak RSS %d kB (%.1fx the file); ", b, fs, b / 1e6 / fs, fk, fk * 1024 / b
		printf "lint -q: %.2f s, %d kB; fmt/lint %.2f time, %.2f memory\n", ls, lk, fs / ls, fk / lk
	}'
	rm -f "$spec"
done
