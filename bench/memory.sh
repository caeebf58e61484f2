#!/bin/sh
# memory.sh: peak memory of `lossc lint` on generated specs, as a ratio to
# the file size (owner: reliability).  `make bench-memory` runs it.
#
#     bench/memory.sh [SIZE_BYTES...]      (default: 5000000 50000000)
#
# The specs come from the parser's generator (bench/genspec: every kind
# of declaration, prose, expressions, directives); the peak RSS from
# bench/peakrss (getrusage of the child).  Prints one line per size:
#     lint 50001452 bytes: 20.7 s, peak RSS 703652 kB, 14.4x the file
# Set LOSSC, GENSPEC, PEAKRSS to use other binaries (default: this build).
set -eu
b=${top_builddir:-.}
lossc=${LOSSC:-$b/lossc}
genspec=${GENSPEC:-$b/bench/genspec}
peakrss=${PEAKRSS:-$b/bench/peakrss}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lossc-mem.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
[ $# -gt 0 ] || set -- 5000000 50000000
for size in "$@"; do
	spec=$tmp/spec-$size.loss
	"$genspec" "$size" >"$spec"
	bytes=$(wc -c <"$spec")
	t0=$(date +%s.%N)
	"$peakrss" "$lossc" lint -q "$spec" 2>"$tmp/rss" || true
	t1=$(date +%s.%N)
	kb=$(sed -n 's/^peak_rss_kb \([0-9]*\).*/\1/p' "$tmp/rss")
	awk -v b="$bytes" -v kb="$kb" -v t0="$t0" -v t1="$t1" 'BEGIN {
		printf "lint %d bytes: %.1f s, peak RSS %d kB, %.1fx the file\n",
			b, t1 - t0, kb, kb * 1024 / b
	}'
	rm -f "$spec"
done
