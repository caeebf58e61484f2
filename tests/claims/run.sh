#!/bin/sh
# tests/claims/run.sh LOSSC SET_DIR [--require-true] [--require-refuted]
#
# Runs `lossc lint` over a claim corpus (SET_DIR/INDEX: "FILE LOSS CLAIM
# true|false why", one claim a line) and sorts each claim by the
# analyzer's answer:
#   proven    no LS501-LS504 finding at the claim
#   refuted   the finding says the claim is false (a counterexample or a kink)
#   unproven  the finding says it cannot prove the claim
# Prints one line per claim and the counts.  Fails when a false claim is
# proven or a true one refuted (never acceptable), with --require-true
# when a true claim is not proven, and with --require-refuted when a false
# one is not refuted.
set -u
lossc=$1
dir=$2
require_true=
require_refuted=
shift 2
for opt in "$@"; do
	case $opt in
	--require-true) require_true=1 ;;
	--require-refuted) require_refuted=1 ;;
	*) echo "run.sh: unknown option $opt" >&2; exit 2 ;;
	esac
done
tmp=${TMPDIR:-/tmp}/claims.$$
trap 'rm -f "$tmp".*' EXIT INT TERM
# The index: INDEX ("FILE LOSS CLAIM true|false why"), or INDEX.md, a
# Markdown table "| FILE | CLAIM | TRUE/FALSE | why |" of files that hold
# one claimed loss each (the held-out set's form, kept as it was written).
if [ -f "$dir/INDEX" ]; then
	cp "$dir/INDEX" "$tmp.index"
elif [ -f "$dir/INDEX.md" ]; then
	awk -F'|' '$2 ~ /\.loss/ {
		f = $2; c = $3; t = tolower($4); gsub(/ /, "", f); gsub(/ /, "", c); gsub(/ /, "", t)
		if (t != "true" && t != "false") { print "run.sh: INDEX.md: bad truth " $4 > "/dev/stderr"; exit 2 }
		print f, "-", c, t
	}' "$dir/INDEX.md" > "$tmp.index" || exit 2
else
	echo "run.sh: no $dir/INDEX or $dir/INDEX.md" >&2
	exit 2
fi

# the line of each loss's claim item: FILE LOSS LINE
for f in $(awk '!/^#/ && NF { print $1 }' "$tmp.index" | sort -u); do
	[ -f "$dir/$f" ] || { echo "run.sh: $dir/$f listed in INDEX does not exist" >&2; exit 2; }
	awk -v f="$f" '
		/^[ \t]*loss[ \t]/ { name = $2 }
		/^[ \t]*claim[ \t]/ && name != "" { print f, name, NR; print f, "-", NR }
	' "$dir/$f"
	(cd "$dir" && "$lossc" lint --no-config --fail-on error "$f") > "$tmp.out.$f" 2>&1
	rc=$?
	# a claim of a value that does not lower is never checked: the corpus
	# must have no errors but its claims'
	if [ $rc -gt 1 ] || grep ': error: ' "$tmp.out.$f" | grep -qv '\[LS505\]$'; then
		echo "run.sh: lossc failed on $f (exit $rc)" >&2
		grep ': error: ' "$tmp.out.$f" >&2
		exit 2
	fi
done > "$tmp.lines"

bad=0
awk -v dir="$dir" -v tmp="$tmp" -v req="$require_true" -v reqf="$require_refuted" '
	FILENAME == tmp ".lines" { line[$1 " " $2] = $3; next }
	/^#/ || NF == 0 { next }
	{
		f = $1; loss = $2; claim = $3; want = $4
		key = f " " loss
		if (loss == "-") loss = "(its loss)"
		if (!(key in line)) { printf "run.sh: %s: no claim item in loss %s\n", f, loss > "/dev/stderr"; exit 2 }
		at = f ":" line[key] ":"
		status = "proven"; msg = ""
		out = tmp ".out." f
		while ((getline l < out) > 0) {
			if (index(l, at) != 1 || l !~ /\[LS50[1-4]\]$/) continue
			if (index(l, "claim " claim " ") == 0 && index(l, "claim " claim ":") == 0) continue
			status = (l ~ /is false|provably false/) ? "refuted" : "unproven"
			msg = l; sub(/^[^ ]* [a-z]*: /, "", msg)
		}
		close(out)
		n[want " " status]++
		verdict = "ok"
		if (want == "false" && status == "proven") verdict = "WRONG"
		if (want == "true" && status == "refuted") verdict = "WRONG"
		if (want == "true" && status == "unproven" && req != "") verdict = "MISSED"
		if (want == "false" && status == "unproven" && reqf != "") verdict = "MISSED"
		if (verdict != "ok") fail = 1
		printf "%-7s %-5s %-8s %s %s %s%s\n", verdict, want, status, f, loss, claim, msg == "" ? "" : "  -- " msg
	}
	END {
		printf "\ntrue claims:  %d proven, %d not proven, %d refuted\n", n["true proven"], n["true unproven"], n["true refuted"]
		printf "false claims: %d refuted, %d not proven, %d proven\n", n["false refuted"], n["false unproven"], n["false proven"]
		exit fail
	}
' "$tmp.lines" "$tmp.index" || bad=1
exit $bad
