#!/bin/sh
# memory.sh: peak memory of `lossc lint` on generated specs, as a ratio to
# the file size (owners: reliability; v2 for the spec kinds).
# `make bench-memory` runs it.
#
#     bench/memory.sh [SIZE_BYTES...]      (default: 20000000)
#
# For each size and each kind of spec in MEMORY_KINDS (default
# "prose expr"):
#   prose  bench/genprose: the bytes are prose (about/setup/because texts)
#   expr   bench/genexpr: the bytes are arithmetic (long sums of terms)
#   mixed  bench/genspec: every construct, as the parse benchmark uses
# it prints one line:
#     expr 20000050 bytes: 9.1 s, peak RSS 658000 kB, 33.7x the file
# With LOSSC_BASELINE set to another lossc, that one runs on the same file
# right after, in the same invocation, and the line shows both:
#     expr 20000050 bytes: baseline 33.7x (9.1 s), lossc 3.9x (4.0 s): 0.12 of the baseline
# The peak RSS comes from bench/peakrss (getrusage of the child).  Set
# LOSSC, GENPROSE, GENEXPR, GENSPEC, PEAKRSS to use other binaries
# (default: this build).
set -eu
b=${top_builddir:-.}
lossc=${LOSSC:-$b/lossc}
baseline=${LOSSC_BASELINE:-}
peakrss=${PEAKRSS:-$b/bench/peakrss}
kinds=${MEMORY_KINDS:-prose expr}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lossc-mem.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
[ $# -gt 0 ] || set -- 20000000

# measure LOSSC SPEC: prints "KB SECONDS"
measure() {
	t0=$(date +%s.%N)
	"$peakrss" "$1" lint -q "$2" 2>"$tmp/rss" || true
	t1=$(date +%s.%N)
	kb=$(sed -n 's/^peak_rss_kb \([0-9]*\).*/\1/p' "$tmp/rss")
	[ -n "$kb" ] || { echo "memory.sh: no peak RSS for $1" >&2; exit 1; }
	echo "$kb $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
}

for size in "$@"; do
	for kind in $kinds; do
		case $kind in
		prose) gen=${GENPROSE:-$b/bench/genprose} ;;
		expr) gen=${GENEXPR:-$b/bench/genexpr} ;;
		mixed) gen=${GENSPEC:-$b/bench/genspec} ;;
		*) echo "memory.sh: unknown kind '$kind' (prose, expr, mixed)" >&2; exit 2 ;;
		esac
		spec=$tmp/$kind-$size.loss
		"$gen" "$size" >"$spec"
		bytes=$(wc -c <"$spec")
		set -- $(measure "$lossc" "$spec")
		kb=$1 secs=$2
		if [ -n "$baseline" ]; then
			set -- $(measure "$baseline" "$spec")
			awk -v k="$kind" -v b="$bytes" -v kb="$kb" -v s="$secs" -v bkb="$1" -v bs="$2" 'BEGIN {
				printf "%s %d bytes: baseline %.1fx (%.1f s), lossc %.1fx (%.1f s): %.2f of the baseline\n",
					k, b, bkb * 1024 / b, bs, kb * 1024 / b, s, kb / bkb
			}'
		else
			awk -v k="$kind" -v b="$bytes" -v kb="$kb" -v s="$secs" 'BEGIN {
				printf "%s %d bytes: %.1f s, peak RSS %d kB, %.1fx the file\n",
					k, b, s, kb, kb * 1024 / b
			}'
		fi
		rm -f "$spec"
	done
done
