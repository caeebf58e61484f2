#!/bin/sh
# alloc.sh: every allocation of a lint run and of a gen run made to fail
# in turn (owner: reliability; SQLite's malloc fault tests are the model).
#
# tests/fault/lossc-fault is lossc with failalloc.c's shim.  For each run
# below, a first pass counts the K allocations the run makes and keeps
# its output; then for every N in 1..K the run is repeated with the Nth
# allocation failing, and must either
#   - exit 2 with "lossc: out of memory" on stderr and nothing else on
#     stderr, having written no output file (the output directory holds
#     exactly what it held before: no partial file, no temporary file), or
#   - complete exactly as the first pass did (same status, same stdout,
#     same stderr, same output files): a failure it recovered from must
#     not change the answer (a dropped finding would),
# and in both cases leave its input byte for byte as it was.  A crash,
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
export LOSSC_RULES_DIR="$srcdir/rules"
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

# trial NAME N ALL CMD...: run CMD (in $work/run, output dir $work/run/out)
# with allocation N failing (and all after it when ALL=1), and check it
# against the first pass kept in $work/NAME.ref.*.
trial() {
	name=$1 n=$2 all=$3
	shift 3
	rm -rf "$work/run"
	cp -R "$work/$name.in" "$work/run"
	mkdir -p "$work/run/out"
	status=0
	(cd "$work/run" && LOSSC_FAIL_ALLOC=$n LOSSC_FAIL_ALLOC_ALL=$all \
		"$@" >"$work/out" 2>"$work/err") || status=$?
	what="$name with allocation $n${all#0}"
	[ "$all" = 1 ] && what="$name with allocations $n and on"
	if [ "$(snapshot "$work/run" | grep -v ' ./out/')" != "$(cat "$work/$name.ref.input")" ]; then
		fail "$what: an input file changed"
	fi
	case $status in
	2)
		if [ "$(cat "$work/err")" != "lossc: out of memory" ]; then
			fail "$what: exit 2 without (only) 'lossc: out of memory':"
			head -n 15 "$work/err"
		fi
		if [ -n "$(ls -A "$work/run/out")" ]; then
			fail "$what: left output files after failing: $(ls -A "$work/run/out")"
		fi
		;;
	"$(cat "$work/$name.ref.status")")
		if ! cmp -s "$work/out" "$work/$name.ref.out" || ! cmp -s "$work/err" "$work/$name.ref.err"; then
			fail "$what: completed (status $status) with different output:"
			diff "$work/$name.ref.err" "$work/err" | head -n 10
			diff "$work/$name.ref.out" "$work/out" | head -n 10
		elif [ "$(snapshot "$work/run/out")" != "$(cat "$work/$name.ref.files")" ]; then
			fail "$what: completed with different output files"
		fi
		;;
	*)
		fail "$what: exit status $status (expected 2 or $(cat "$work/$name.ref.status"))"
		head -n 25 "$work/err"
		;;
	esac
}

# check NAME CMD...: the first pass, then a trial per N.
check() {
	name=$1
	shift
	snapshot "$work/$name.in" >"$work/$name.ref.input"
	rm -rf "$work/run"
	cp -R "$work/$name.in" "$work/run"
	mkdir -p "$work/run/out"
	status=0
	(cd "$work/run" && LOSSC_COUNT_ALLOC="$work/$name.count" \
		"$@" >"$work/$name.ref.out" 2>"$work/$name.ref.err") || status=$?
	echo "$status" >"$work/$name.ref.status"
	snapshot "$work/run/out" >"$work/$name.ref.files"
	k=$(cat "$work/$name.count" 2>/dev/null || echo 0)
	if [ "$k" -lt 10 ]; then
		fail "$name: the first pass made $k allocations; is the shim linked?"
		cat "$work/$name.ref.err"
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
	echo "$name: $k allocations (first pass exit $(cat "$work/$name.ref.status")), $((failures - before)) failures"
}

# lint: findings of every family (syntax is clean; story links, math,
# prose rules, a suppression), text output, on an input with them all.
mkdir -p "$work/lint.in"
cp "$srcdir/examples/vague.loss" "$work/lint.in/spec.loss"
check lint "$prog" lint spec.loss

# lint --format sarif: the machine-readable renderer (fingerprints, rules).
mkdir -p "$work/sarif.in"
cp "$srcdir/examples/vague.loss" "$work/sarif.in/spec.loss"
check sarif "$prog" lint --format sarif spec.loss

# gen --harness: three files written as one unit into out/.
mkdir -p "$work/gen.in"
cp "$srcdir/examples/mnist.loss" "$work/gen.in/spec.loss"
check gen "$prog" gen --harness -o out spec.loss

[ "$failures" -eq 0 ] || { echo "alloc.sh: $failures failures"; exit 1; }
exit 0
