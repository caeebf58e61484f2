#!/bin/sh
# bench/lintbench.sh LOSSC SPEC RULES_DIR: lint a large spec with every
# built-in rule, and in the same run time pcre2grep over the same file
# with the same patterns (caseless, UTF, Unicode properties), then print
# both throughputs and their ratio.
#
# pcre2grep is the floor: one pass of the patterns over the bytes, no
# parsing.  lossc also scans, parses, resolves, runs the story checks and
# the rest of the pipeline, and matches over joined strings.
# pcre2grep: Debian package pcre2-utils.
set -u
lossc=$1 spec=$2 rules=$3
command -v pcre2grep >/dev/null 2>&1 || { echo "lintbench: pcre2grep not found (Debian: apt-get install pcre2-utils)"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lintbench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

# The rules' patterns, continuation lines joined, one a line, each with
# (*UCP) so \w and \b mean what they mean under lossc's PCRE2_UCP.
awk '
	/^[a-z_-]+[ \t]*:/ { flush(); key = $0; sub(/[ \t]*:.*/, "", key)
		val = $0; sub(/^[a-z_-]+[ \t]*:[ \t]*/, "", val); keep = (key == "pattern"); next }
	/^[ \t]/ && keep { v = $0; sub(/^[ \t]+/, "", v); val = val v; next }
	{ flush() }
	END { flush() }
	function flush() { if (keep) { sub(/[ \t]+#.*$/, "", val); sub(/[ \t]+$/, "", val); print "(*UCP)" val }; keep = 0 }
' "$rules"/*.rule > "$tmp/patterns"
npat=$(wc -l < "$tmp/patterns")
bytes=$(wc -c < "$spec")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')

# best PREFIX COMMAND...: best CPU and wall time of three runs (bench/best.sh)
. "$(dirname "$0")/best.sh"

[ -x /usr/bin/time ] || echo "lintbench: no /usr/bin/time (Debian package time): CPU figures are wall-clock"
best l "$lossc" lint --no-config --format json "$spec"
nfind=$(grep -c '"code": "LS2' "$tmp/out")
best g pcre2grep -i -u -c -f "$tmp/patterns" "$spec"
nlines=$(cat "$tmp/out")

awk -v mb="$mb" -v lc="$l_cpu" -v lw="$l_wall" -v gc="$g_cpu" -v gw="$g_wall" \
    -v np="$npat" -v nf="$nfind" -v nl="$nlines" 'BEGIN {
	printf "spec: %s MB, %d patterns\n", mb, np
	printf "lossc lint (whole pipeline, %d LS2xx findings):\n", nf
	printf "    cpu %7.3f s = %6.1f MB/s    wall %7.3f s = %6.1f MB/s\n", lc, mb / lc, lw, mb / lw
	printf "pcre2grep -i -u -c -f patterns (%d matching lines):\n", nl
	printf "    cpu %7.3f s = %6.1f MB/s    wall %7.3f s = %6.1f MB/s\n", gc, mb / gc, gw, mb / gw
	printf "throughput ratio lossc/pcre2grep: cpu %.2f, wall %.2f\n", gc / lc, gw / lw
}'
