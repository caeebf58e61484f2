#!/bin/sh
# bench/docbench.sh LOSSC SPEC PEAKRSS: lint speed and memory on a large
# Markdown document against a .loss file holding the same prose, timed in
# the same run (owner: documents).  `make bench-doc` runs it on the 50 MB
# prose spec of bench-lint.
#
# The document is the spec's prose turned into Markdown by loss2md.awk:
# every string item a paragraph (one source piece per line), every
# declaration a heading, some paragraphs quoted or listed, first words
# emphasized, code, math and links between them.  Both files hold the same
# sentences, so both must give the same number of LS2xx findings; the
# ratio is the cost of reading Markdown (parsing, aligning texts to the
# source) per byte of prose, against parsing LossSpec.
#
# Then nesting: a list nested 2000 deep, one item a line, each a level
# deeper (4 MB, the shape of tests/golden/doc_hostile's lists.md).  Every
# line is read through its whole container prefix, so the bytes grow with
# the square of the depth and so should the time, no faster: its MB/s is
# compared with the prose document's.  A scan that went on past its
# paragraph made it cubic (ae734d2: 48 s for 3000 deep, 0.8 s after).
set -u
lossc=$1 spec=$2 peakrss=$3
here=$(dirname "$0")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/docbench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
doc=$tmp/prose.md
awk -f "$here/loss2md.awk" "$spec" > "$doc"

. "$here/best.sh"

# lint PREFIX FILE: best times (PREFIX_cpu, PREFIX_wall), LS2xx findings
# (PREFIX_n) and peak RSS (PREFIX_kb) of linting FILE.
lint() {
	best "$1" "$lossc" lint --no-config --format json "$2"
	n=$(grep -c '"code": "LS2' "$tmp/out")
	"$peakrss" "$lossc" lint -q --no-config "$2" 2> "$tmp/rss"
	kb=$(sed -n 's/^peak_rss_kb \([0-9]*\).*/\1/p' "$tmp/rss")
	eval "${1}_n=$n ${1}_kb=$kb"
}

[ -x /usr/bin/time ] || echo "docbench: no /usr/bin/time (Debian package time): CPU figures are wall-clock"
lint l "$spec"
lint d "$doc"
awk -v lb="$(wc -c < "$spec")" -v db="$(wc -c < "$doc")" \
    -v lc="$l_cpu" -v lw="$l_wall" -v ln="$l_n" -v lk="$l_kb" \
    -v dc="$d_cpu" -v dw="$d_wall" -v dn="$d_n" -v dk="$d_kb" 'BEGIN {
	printf "same prose as .loss (%.1f MB) and as Markdown (%.1f MB)\n", lb / 1e6, db / 1e6
	printf ".loss:    cpu %7.3f s = %5.1f MB/s   wall %7.3f s   peak RSS %4d MB (%.1fx)   %d LS2xx findings\n",
		lc, lb / 1e6 / lc, lw, lk / 1024, lk * 1024 / lb, ln
	printf "Markdown: cpu %7.3f s = %5.1f MB/s   wall %7.3f s   peak RSS %4d MB (%.1fx)   %d LS2xx findings\n",
		dc, db / 1e6 / dc, dw, dk / 1024, dk * 1024 / db, dn
	printf "time for the same prose, Markdown / .loss: cpu %.2f, wall %.2f\n", dc / lc, dw / lw
	if (ln != dn)
		printf "MISMATCH: the two files gave different numbers of findings\n"
}'

awk 'BEGIN { for (i = 0; i < 2000; i++) { for (j = 0; j < i; j++) printf "  "; print "- the model wants low loss" } }' > "$tmp/nested.md"
best n "$lossc" lint --no-config --select LS211 "$tmp/nested.md"
nn=$(grep -c 'LS211' "$tmp/out")
awk -v nb="$(wc -c < "$tmp/nested.md")" -v nc="$n_cpu" -v nw="$n_wall" -v nn="$nn" \
    -v db="$(wc -c < "$doc")" -v dc="$d_cpu" 'BEGIN {
	printf "nested:   cpu %7.3f s = %5.1f MB/s   wall %7.3f s   a list 2000 deep (%.1f MB), %d LS211 findings\n",
		nc, nb / 1e6 / nc, nw, nb / 1e6, nn
	printf "MB/s, nested / prose Markdown: %.2f\n", (nb / nc) / (db / dc)
	if (nn != 2000)
		printf "MISMATCH: the nested list gave %d findings, not one an item\n", nn
}'
