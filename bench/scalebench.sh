#!/bin/sh
# bench/scalebench.sh LOSSC SMALL LARGE: lint two specs of the same kind,
# one ten times the other, in the same run, and compare CPU seconds per
# megabyte.  Linear work gives a ratio near 1; a pass that is quadratic in
# the number of findings, directives or declarations shows as a ratio near
# the size ratio (10).  Fails above 2, so a quadratic step is caught by
# `make bench` rather than by a user with a large generated spec.
set -u
lossc=$1 small=$2 large=$3
per_mb() {      # per_mb FILE: best of three runs, CPU seconds per MB
	bytes=$(wc -c < "$1")
	best=""
	for i in 1 2 3; do
		/usr/bin/time -o "$tmp" -f '%U %S' "$lossc" lint -q --no-config "$1" >/dev/null 2>&1
		# the last line: time writes "Command exited with non-zero status 1"
		# first when lossc reported findings
		s=$(tail -n 1 "$tmp" | awk '{ print $1 + $2 }')
		best=$(awk -v a="$best" -v b="$s" 'BEGIN { print (a == "" || b < a) ? b : a }')
	done
	awk -v s="$best" -v b="$bytes" 'BEGIN { printf "%.4f", s / (b / 1e6) }'
}
tmp=$(mktemp "${TMPDIR:-/tmp}/scalebench.XXXXXX") || exit 2
trap 'rm -f "$tmp"' EXIT
[ -x /usr/bin/time ] || { echo "scalebench: /usr/bin/time not found (Debian: apt-get install time)"; exit 77; }
a=$(per_mb "$small")
b=$(per_mb "$large")
ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }')
printf 'lint CPU per MB: %s s (%s), %s s (%s); ratio %s (linear ~1, quadratic ~size ratio)\n' \
	"$a" "$(basename "$small")" "$b" "$(basename "$large")" "$ratio"
awk -v r="$ratio" 'BEGIN { exit !(r <= 2) }' || { echo "scalebench: lint time grows faster than the input"; exit 1; }
