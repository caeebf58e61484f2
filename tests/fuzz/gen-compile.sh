#!/bin/sh
# gen-compile.sh: the C that `lossc gen` writes for every fuzz_gen input
# that lints without an error compiles with the strict flags (owner:
# reliability).  This is the half of fuzz_gen that does not belong inside
# the fuzzer: the fuzzer proves gen does not crash on what the fuzzer
# finds, this proves what it writes is C99 that gcc/cc accepts with
# -Wall -Wextra -Werror -pedantic, kernel, header and cmocka harness.
# Inputs: the directories tests/fuzz/gen.regress lists.  Fails when an
# input that lints clean is refused by gen with anything but exit 2, or
# when its output does not compile.
set -u
: "${LOSSC:?set LOSSC}"
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
cc=${CC:-cc}
STRICT="-std=c99 -Wall -Wextra -Werror -pedantic"
work=$(mktemp -d "${TMPDIR:-/tmp}/lossc-gencc.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
harness=1
if ! printf '#include <stdarg.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <setjmp.h>\n#include <cmocka.h>\nint main(void){return 0;}\n' |
	$cc -x c -o "$work/probe" - -lcmocka 2>/dev/null; then
	harness=0
	echo "note: no cmocka: harnesses are not compiled"
fi

status=0 n=0 compiled=0
files=$(while read -r dir pattern; do
	case $dir in ''|'#'*) continue ;; esac
	dir=${dir#\?}
	[ -d "$srcdir/$dir" ] && find "$srcdir/$dir" -type f -name "${pattern:-*}" ! -name '.*'
done <"$srcdir/tests/fuzz/gen.regress" | sort)
for f in $files; do
	n=$((n + 1))
	"$LOSSC" lint -q --fail-on error "$f" >/dev/null 2>&1 || continue
	out=$work/out
	rm -rf "$out" && mkdir "$out"
	cp "$f" "$work/in.loss"
	"$LOSSC" gen "$work/in.loss" -o "$out" --harness >"$work/gen.txt" 2>&1
	rc=$?
	if [ $rc -eq 2 ]; then
		echo "note: gen refused $f: $(tail -n 1 "$work/gen.txt")"
		continue
	elif [ $rc -ne 0 ]; then
		echo "FAIL $f: lossc gen exited $rc"; cat "$work/gen.txt"; status=1; continue
	fi
	if ! $cc $STRICT -c -o "$work/k.o" "$out/in_loss.c"; then
		echo "FAIL $f: in_loss.c does not compile with $cc $STRICT"; status=1; continue
	fi
	if [ $harness = 1 ] && ! $cc $STRICT -Wno-pedantic -c -o "$work/t.o" "$out/test_in_loss.c"; then
		echo "FAIL $f: the harness does not compile"; status=1; continue
	fi
	compiled=$((compiled + 1))
done
echo "gen-compile: $n inputs, $compiled generated and compiled"
[ "$compiled" -gt 0 ] || { echo "FAIL: nothing was compiled (a test over nothing proves nothing)"; status=1; }
exit $status
