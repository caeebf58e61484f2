#!/bin/sh
# bench/lintbench.sh LOSSC SPEC PATTERNS: lint a large prose-heavy spec
# with every built-in rule, and in the same run time the yardstick of
# issue 11, one pass of
#
#     pcre2grep -c -i -f PATTERNS SPEC
#
# with bench/prose-patterns.txt (20 fixed patterns, a copy of the shared
# yardstick so the bench does not depend on ../shared).  The two commands
# alternate, five runs each; the medians and their ratio are printed.
#
# pcre2grep only scans bytes; lossc also reads, parses, resolves and
# checks the whole spec, then lints every string's prose (prefilter,
# frames, contexts).  pcre2grep: Debian package pcre2-utils; CPU times
# need GNU time (package time).
set -u
lossc=$1 spec=$2 patterns=$3
runs=${LINTBENCH_RUNS:-5}
command -v pcre2grep >/dev/null 2>&1 || { echo "lintbench: pcre2grep not found (Debian: apt-get install pcre2-utils)"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lintbench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
npat=$(grep -c . "$patterns")
bytes=$(wc -c < "$spec")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
[ -x /usr/bin/time ] || echo "lintbench: no /usr/bin/time (Debian package time): CPU figures are wall-clock"

# one timed run: appends "cpu wall" to $1
timed() {
	log=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "%U %S %e" -o "$tmp/time" "$@" > "$tmp/out" 2>/dev/null
		# (time adds a "Command exited with non-zero status" line first)
		tail -n 1 "$tmp/time" | awk '{ printf "%.3f %.3f\n", $1 + $2, $3 }' >> "$log"
	else
		t0=$(date +%s.%N)
		"$@" > "$tmp/out" 2>/dev/null
		t1=$(date +%s.%N)
		awk -v a="$t0" -v z="$t1" 'BEGIN { printf "%.3f %.3f\n", z - a, z - a }' >> "$log"
	fi
}

median() {      # median of column $2 of file $1
	sort -n -k "$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { m = int((NR + 1) / 2); print v[m] }'
}

: > "$tmp/l"
: > "$tmp/g"
i=0
while [ $i -lt "$runs" ]; do
	timed "$tmp/l" "$lossc" lint --no-config --format json "$spec"
	[ $i -eq 0 ] && nfind=$(grep -c '"code": "LS2' "$tmp/out")
	timed "$tmp/g" pcre2grep -c -i -f "$patterns" "$spec"
	[ $i -eq 0 ] && nlines=$(cat "$tmp/out")
	i=$((i + 1))
done
lc=$(median "$tmp/l" 1) lw=$(median "$tmp/l" 2) gc=$(median "$tmp/g" 1) gw=$(median "$tmp/g" 2)

awk -v mb="$mb" -v lc="$lc" -v lw="$lw" -v gc="$gc" -v gw="$gw" -v np="$npat" -v nf="$nfind" \
    -v nl="$nlines" -v n="$runs" 'BEGIN {
	printf "spec: %s MB; medians of %d alternating runs\n", mb, n
	printf "lossc lint (whole pipeline, %d LS2xx findings):\n", nf
	printf "    cpu %7.3f s = %6.1f MB/s    wall %7.3f s = %6.1f MB/s\n", lc, mb / lc, lw, mb / lw
	printf "pcre2grep -c -i -f (%d patterns, %d matching lines):\n", np, nl
	printf "    cpu %7.3f s = %6.1f MB/s    wall %7.3f s = %6.1f MB/s\n", gc, mb / gc, gw, mb / gw
	printf "throughput ratio lossc/pcre2grep: cpu %.2f, wall %.2f\n", gc / lc, gw / lw
}'
