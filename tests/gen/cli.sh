#!/bin/sh
# cli.sh: `lossc gen` as a command: what it refuses, and that a refusal or
# a failure never leaves a file behind (issue 6, output safety).
set -u
: "${LOSSC:?set LOSSC to the lossc binary}"
: "${top_srcdir:?set top_srcdir}"
work=$(mktemp -d "${TMPDIR:-/tmp}/lossc-gencli.XXXXXX") || exit 99
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT INT TERM
status=0
fail() { echo "FAIL: $*"; status=1; }
ok() { echo "ok: $*"; }
# expect CODE PATTERN -- command...: exit status CODE and stderr matching PATTERN
expect() {
	code=$1; pat=$2; shift 3
	"$@" > "$work/stdout" 2> "$work/err"
	rc=$?
	if [ "$rc" -ne "$code" ]; then
		fail "'$*' exited $rc, expected $code"; cat "$work/err"; return
	fi
	if [ -n "$pat" ] && ! grep -q -- "$pat" "$work/err"; then
		fail "'$*': stderr lacks '$pat':"; cat "$work/err"; return
	fi
	ok "$* -> $code"
}
empty() { [ -z "$(ls -A "$1")" ] || { fail "$1 is not empty: $(ls -A "$1")"; }; }

mnist="$top_srcdir/examples/mnist.loss"
cp "$mnist" "$work/in.loss"
mkdir "$work/out"

# a file with error findings: refused, findings printed, nothing written
printf 'dataset d { label y: class[3]; }\nloss bad on d {\n    output z: real[4];\n    value = -log_softmax(z)[y];\n}\n' > "$work/bad.loss"
expect 2 "LS302" -- "$LOSSC" gen "$work/bad.loss" -o "$work/out"
grep -q "has errors; nothing written" "$work/err" || fail "no 'nothing written' message"
empty "$work/out"
printf 'loss x on nowhere {\n  value = ;\n}\n' > "$work/syntax.loss"
expect 2 "LS001" -- "$LOSSC" gen "$work/syntax.loss" -o "$work/out"
empty "$work/out"

# output directories (issue 14): the last component is created when
# missing; a missing parent, a file in the way or a dangling link is an
# error; a directory gen created is removed again when the run fails
expect 0 "" -- "$LOSSC" gen "$work/in.loss" -o "$work/made/"
[ "$(ls -A "$work/made" | tr '\n' ' ')" = "in_loss.c in_loss.h " ] || fail "made/ holds: $(ls -A "$work/made" 2>&1)"
expect 2 "its parent '$work/deep' cannot hold it (no such directory); only the last component is created" -- \
	"$LOSSC" gen "$work/in.loss" -o "$work/deep/er"
[ ! -e "$work/deep" ] || fail "a missing parent was created"
expect 2 "a file is in the way" -- "$LOSSC" gen "$work/in.loss" -o "$work/in.loss"
expect 2 "Not a directory" -- "$LOSSC" gen "$work/in.loss" -o "$work/in.loss/sub"
ln -s "$work/nowhere" "$work/dangling"
expect 2 "dangling symbolic link" -- "$LOSSC" gen "$work/in.loss" -o "$work/dangling"
[ ! -e "$work/nowhere" ] || fail "a dangling link's target was created"
expect 2 "LS302" -- "$LOSSC" gen "$work/bad.loss" -o "$work/refused"
[ ! -e "$work/refused" ] || fail "a refused run created its directory"
cmp -s "$work/in.loss" "$mnist" || fail "the input changed"
if [ "$(id -u)" -ne 0 ]; then
	mkdir "$work/ro" && chmod 555 "$work/ro"
	expect 2 "not writable" -- "$LOSSC" gen "$work/in.loss" -o "$work/ro"
fi

# an output name that is the input (through a symlink): refused, input intact
mkdir "$work/link"
ln -s "$work/in.loss" "$work/link/in_loss.h"
expect 2 "is the input file" -- "$LOSSC" gen "$work/in.loss" -o "$work/link"
cmp -s "$work/in.loss" "$mnist" || fail "the input was overwritten"
[ "$(ls -A "$work/link")" = "in_loss.h" ] || fail "files left in link/: $(ls -A "$work/link")"

# usage errors
expect 2 "no output directory" -- "$LOSSC" gen "$work/in.loss"
expect 2 "no input file" -- "$LOSSC" gen -o "$work/out"
expect 2 "invalid prefix" -- "$LOSSC" gen "$work/in.loss" -o "$work/out" --prefix _bad
expect 2 "invalid prefix" -- "$LOSSC" gen "$work/in.loss" -o "$work/out" --prefix "a b"
expect 2 "unknown option" -- "$LOSSC" gen "$work/in.loss" -o "$work/out" --frobnicate
expect 2 "not '-'" -- "$LOSSC" gen - -o "$work/out"
expect 2 "" -- "$LOSSC" gen "$work/nonexistent.loss" -o "$work/out"
empty "$work/out"
expect 0 "" -- "$LOSSC" gen --help
grep -q "cc -std=c99 -O2" "$work/stdout" || fail "--help does not give the build line"

# success writes exactly the three files; --prefix renames the API
expect 0 "" -- "$LOSSC" gen "$work/in.loss" -o "$work/out" --harness --prefix my_
[ "$(ls -A "$work/out" | tr '\n' ' ')" = "in_loss.c in_loss.h test_in_loss.c " ] || fail "unexpected files: $(ls -A "$work/out")"
grep -q "float my_ce_grad(size_t n, const float \*LOSSC_RESTRICT logits, const int32_t \*LOSSC_RESTRICT y, float \*LOSSC_RESTRICT d_logits);" "$work/out/in_loss.h" ||
	fail "the header lacks the documented prototype"
cp "$work/out/in_loss.c" "$work/keep.c"

# gen_limited DIR: gen --harness into DIR under a 2-block file size
# limit, so a write fails part-way (EFBIG); rc its status (77: no ulimit)
gen_limited() {
	(
		trap '' XFSZ
		ulimit -f 2 2>/dev/null || exit 77
		exec "$LOSSC" gen "$work/in.loss" -o "$1" --harness
	) > /dev/null 2> "$work/err"
	rc=$?
}

# a write that fails part-way: error, exit 2, the previous outputs
# untouched and no temporary file left
gen_limited "$work/out"
if [ $rc -eq 77 ]; then
	echo "skip: ulimit -f unavailable"
elif [ $rc -ne 2 ] || ! grep -q "cannot write" "$work/err"; then
	fail "a failing write exited $rc: $(cat "$work/err")"
else
	cmp -s "$work/out/in_loss.c" "$work/keep.c" || fail "a failed write changed in_loss.c"
	[ "$(ls -A "$work/out" | tr '\n' ' ')" = "in_loss.c in_loss.h test_in_loss.c " ] || fail "left behind: $(ls -A "$work/out")"
	ok "a failing write is reported and leaves the old files: $(head -1 "$work/err")"
fi
# option spellings: --output=DIR, --prefix=P, -h; what is left out or doubled
expect 0 "" -- "$LOSSC" gen "$work/in.loss" --output="$work/eq" --prefix=eq_
grep -q "eq_ce(" "$work/eq/in_loss.h" || fail "--prefix=eq_ did not name the functions"
expect 0 "" -- "$LOSSC" gen -h
grep -q "^Usage: lossc gen" "$work/stdout" || fail "-h does not print the usage"
expect 2 "needs a value" -- "$LOSSC" gen "$work/in.loss" -o
expect 2 "one input file" -- "$LOSSC" gen "$work/in.loss" "$work/in.loss" -o "$work/two"
[ ! -e "$work/two" ] || fail "a refused command line created $work/two"
# a document has no losses: refused with the reason
printf '# Notes\n\nThe loss is cross-entropy.\n' > "$work/notes.md"
expect 2 "holds no losses" -- "$LOSSC" gen "$work/notes.md" -o "$work/doc"
# the stem: what is not a letter or digit becomes '_'; no .loss, no suffix to drop
cp "$mnist" "$work/my-spec.v2.loss"
expect 0 "" -- "$LOSSC" gen "$work/my-spec.v2.loss" -o "$work/stem"
[ -f "$work/stem/my_spec_v2_loss.h" ] || fail "stem of my-spec.v2.loss: $(ls -A "$work/stem")"
cp "$mnist" "$work/story"
expect 0 "" -- "$LOSSC" gen "$work/story" -o "$work/stem2"
[ -f "$work/stem2/story_loss.h" ] || fail "stem of story: $(ls -A "$work/stem2")"
if [ -w /dev/full ]; then
	expect 2 "" -- sh -c '"$0" gen --help > /dev/full' "$LOSSC"
fi

# the same failure into a directory that gen creates: the directory goes too
gen_limited "$work/fresh"
if [ $rc -eq 77 ]; then
	echo "skip: ulimit -f unavailable"
elif [ $rc -ne 2 ] || [ -e "$work/fresh" ]; then
	fail "a failing write into a new directory exited $rc and left: $(ls -A "$work/fresh" 2>&1)"
else
	ok "a failing write removes the directory it created"
fi
exit $status
