#!/bin/sh
# alloc.sh: every allocation of a lint run (a specification and a Markdown
# document), a gen run and an in-place fmt run made to fail in turn (owner:
# reliability; SQLite's malloc fault tests are the model).
#
# tests/fault/lossc-fault is lossc with failalloc.c's shim (PCRE2 and the
# Markdown parser allocate through lossc's allocator, so theirs count).  For each run
# below, a first pass counts the K allocations the run makes and keeps
# its output; then for every N in 1..K the run is repeated with the Nth
# allocation failing, and must either
#   - exit 2 with "lossc: out of memory" on stderr and nothing else on
#     stderr, having written no output file (the output directory holds
#     exactly what it held before: no partial file, no temporary file), or
#   - complete exactly as the first pass did (same status, same stdout,
#     same stderr, same output files): a failure it recovered from must
#     not change the answer (a dropped finding would),
# and leave its input byte for byte as it was (fmt: as the first pass
# rewrote it, when the run completed).  A crash,
# a sanitizer report (a leak under --enable-sanitizers) or any other
# status fails the test.  Then the same with every allocation from the
# Nth on failing (LOSSC_FAIL_ALLOC_ALL), a machine that stays out of
# memory, for N in steps (FAULT_STEP_ALL, default 7).
#
#   FAULT_STEP=S   try every Sth N only (default 1: every N)
set -u
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${top_builddir:-.}
prog=$(cd "$builddir" && pwd)/tests/fault/lossc-fault
step=${FAULT_STEP:-1}
step_all=${FAULT_STEP_ALL:-7}

if [ ! -x "$prog" ]; then
	echo "alloc.sh: $prog is not built" >&2
	exit 99
fi
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
# The shim is counted in lossc's own calls; the sanitizers' reports must
# reach stderr, and a leak must fail the run (exit status 23, not 2).
# The rules: a small set in the frame language (tests/fault/rules).  The
# built-in rules make some 330,000 allocations while they load, too many
# to fail one at a time; the small set goes through the same loading and
# matching code in a few thousand.
export LOSSC_RULES_DIR="$srcdir/tests/fault/rules"
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:exitcode=23:abort_on_error=0
UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:exitcode=23
export ASAN_OPTIONS UBSAN_OPTIONS
unset LOSSC_FAIL_ALLOC LOSSC_FAIL_ALLOC_ALL LOSSC_COUNT_ALLOC

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# snapshot DIR: one line per file below DIR with its checksum.
snapshot() {
	(cd "$1" && find . -type f | sort | while read -r f; do
		printf '%s %s\n' "$(cksum <"$f")" "$f"
	done)
}

# trial NAME N ALL CMD...: in $work/run (the input spec.loss and the
# output directory out/), run CMD with allocation N failing (and all after
# it when ALL=1) and check it against the first pass, $work/NAME.ref.*.
# Runs thousands of times, so it spawns little besides lossc.
trial() {
	name=$1 n=$2 all=$3
	shift 3
	rm -rf out && mkdir out
	status=0
	LOSSC_FAIL_ALLOC=$n LOSSC_FAIL_ALLOC_ALL=$all "$@" >"$work/out" 2>"$work/err" || status=$?
	what="$name with allocation $n"
	[ "$all" = 1 ] && what="$name with allocations $n and on"
	# The input as it was, or (fmt) as the first pass rewrote it when
	# the run completed; then back to the original for the next trial.
	expect=$work/$name.ref.after
	[ "$status" = 2 ] && expect=$work/$name.in
	cmp -s spec.loss "$expect" || fail "$what: the input file is neither as it was nor as the first pass left it"
	cmp -s spec.loss "$work/$name.in" || cp "$work/$name.in" spec.loss
	for f in * .[!.]*; do
		case $f in out|spec.loss|'.[!.]*') ;; *) fail "$what: left '$f' beside the input" ;; esac
	done
	case $status in
	2)
		l1= l2=
		{ IFS= read -r l1; IFS= read -r l2; } <"$work/err"
		if [ "$l1" != "lossc: out of memory" ] || [ -n "$l2" ]; then
			fail "$what: exit 2 without (only) 'lossc: out of memory':"
			head -n 15 "$work/err"
		fi
		for f in out/* out/.[!.]*; do
			[ -e "$f" ] && fail "$what: left $f after failing"
		done
		;;
	"$ref_status")
		if ! cmp -s "$work/out" "$work/$name.ref.out" || ! cmp -s "$work/err" "$work/$name.ref.err"; then
			fail "$what: completed (status $status) with different output:"
			diff "$work/$name.ref.err" "$work/err" | head -n 10
			diff "$work/$name.ref.out" "$work/out" | head -n 10
		elif [ "$(snapshot out)" != "$(cat "$work/$name.ref.files")" ]; then
			fail "$what: completed with different output files"
		fi
		;;
	*)
		fail "$what: exit status $status (expected 2 or $ref_status)"
		head -n 25 "$work/err"
		;;
	esac
}

# check NAME INPUT CMD...: a copy of INPUT as spec.loss, the first pass,
# then a trial per N.
check() {
	name=$1
	cp "$2" "$work/$name.in"
	shift 2
	rm -rf "$work/run"
	mkdir -p "$work/run/out"
	cp "$work/$name.in" "$work/run/spec.loss"
	cd "$work/run" || exit 99
	ref_status=0
	LOSSC_COUNT_ALLOC="$work/$name.count" "$@" >"$work/$name.ref.out" 2>"$work/$name.ref.err" ||
		ref_status=$?
	snapshot out >"$work/$name.ref.files"
	cp spec.loss "$work/$name.ref.after"
	cp "$work/$name.in" spec.loss
	k=$(cat "$work/$name.count" 2>/dev/null || echo 0)
	if [ "$k" -lt 10 ]; then
		fail "$name: the first pass made $k allocations; is the shim linked?"
		cat "$work/$name.ref.err"
		cd "$work" || exit 99
		return
	fi
	before=$failures
	n=1
	while [ "$n" -le "$k" ]; do
		trial "$name" "$n" 0 "$@"
		n=$((n + step))
	done
	n=1
	while [ "$n" -le "$k" ]; do
		trial "$name" "$n" 1 "$@"
		n=$((n + step_all))
	done
	cd "$work" || exit 99
	echo "$name: $k allocations (first pass exit $ref_status), $((failures - before)) failures"
}

# lint: findings of every family (story links, math, prose rules),
# rendered as text.
check lint "$srcdir/examples/vague.loss" "$prog" lint spec.loss

# lint --format sarif: the machine-readable renderer (fingerprints, rules).
check sarif "$srcdir/examples/vague.loss" "$prog" lint --format sarif spec.loss

# gen --harness: three files written as one unit into out/.
check gen "$srcdir/examples/mnist.loss" "$prog" gen --harness -o out spec.loss

# A Markdown document: libcmark-gfm's parser allocates through lossc's
# allocator too (doc_md.c), then the prose rules run on its text.
check doc "$srcdir/examples/four-usages.md" "$prog" lint --lang md spec.loss

# fmt, rewriting its input in place: a failed run leaves it as it was.
{ cat "$srcdir/examples/mnist.loss"; printf 'goal   g {about "x";}\n'; } >"$work/unformatted.loss"
check fmt "$work/unformatted.loss" "$prog" fmt spec.loss

# PCRE2 allocates through lossc's allocator (prose.c's general context),
# so the trials above also failed PCRE2's allocations: some N must fail
# inside pcre2_compile (the failing call's stack names it) and, like every
# other N, have ended the run with "lossc: out of memory".
pcre2_seen=0
cd "$work/run" || exit 99
cp "$work/lint.in" spec.loss
n=1
k=$(cat "$work/lint.count")
while [ "$n" -le "$k" ] && [ "$pcre2_seen" = 0 ]; do
	LOSSC_FAIL_ALLOC=$n LOSSC_FAIL_ALLOC_TRACE=1 "$prog" lint spec.loss >/dev/null 2>"$work/err"
	grep -q 'pcre2_compile' "$work/err" && pcre2_seen=$n
	n=$((n + 1))
done
cd "$work" || exit 99
if [ "$pcre2_seen" = 0 ]; then
	fail "lint: no allocation failed inside pcre2_compile: PCRE2 does not allocate through lossc"
else
	echo "lint: allocation $pcre2_seen is PCRE2's (pcre2_compile)"
fi

[ "$failures" -eq 0 ] || { echo "alloc.sh: $failures failures"; exit 1; }
exit 0
