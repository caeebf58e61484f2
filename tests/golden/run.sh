#!/bin/sh
# tests/golden/run.sh: end-to-end golden tests for lossc.
#
# For every case NAME in this directory:
#   NAME.loss  is linted as `lossc lint NAME.loss`, run from this directory
#              (likewise a document, NAME.md or NAME.txt);
#   NAME.cmd   (instead) is a sh script run in a fresh empty directory, with
#              $LOSSC and $GOLDEN (this directory) set; it creates its own
#              inputs (big or hostile files are generated, never committed)
#              and runs lossc.  Exit 77 from a .cmd means "skipped" and its
#              first line on stderr says why.
# stdout and stderr together must equal NAME.out byte for byte, and the
# exit status must equal the number in NAME.exit.
#
# GOLDEN_UPDATE=1 rewrites NAME.out and NAME.exit from the current lossc
# (review the diff before committing it).  Arguments restrict the run to
# the named cases.
LC_ALL=C
export LC_ALL

GOLDEN=$(cd "$(dirname "$0")" && pwd)
: "${LOSSC:=${top_builddir:-.}/lossc}"
case $LOSSC in /*) ;; *) LOSSC=$(pwd)/$LOSSC ;; esac
export LOSSC GOLDEN

if [ ! -x "$LOSSC" ]; then
	echo "run.sh: no lossc at $LOSSC (set LOSSC)" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lossc-golden.XXXXXX") || exit 2
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT HUP INT TERM

if [ $# -gt 0 ]; then
	cases=$*
else
	cases=$(cd "$GOLDEN" && ls *.loss *.md *.txt *.cmd 2>/dev/null | sed 's/\.[a-z]*$//' | sort -u)
fi

pass=0 fail=0 skip=0
for name in $cases; do
	out=$tmp/$name.got
	if [ -f "$GOLDEN/$name.cmd" ]; then
		work=$tmp/$name.dir
		mkdir "$work"
		(cd "$work" && sh "$GOLDEN/$name.cmd") >"$out" 2>&1 </dev/null
		rc=$?
		chmod -R u+rwx "$work" 2>/dev/null
		rm -rf "$work"
	else
		input=$name.loss
		for ext in md txt; do
			[ -f "$GOLDEN/$name.$ext" ] && input=$name.$ext
		done
		(cd "$GOLDEN" && "$LOSSC" lint "$input") >"$out" 2>&1 </dev/null
		rc=$?
	fi
	if [ "$rc" -eq 77 ]; then
		echo "SKIP $name: $(head -n 1 "$out")"
		skip=$((skip + 1))
		continue
	fi
	if [ -n "$GOLDEN_UPDATE" ]; then
		cp "$out" "$GOLDEN/$name.out"
		echo "$rc" >"$GOLDEN/$name.exit"
	fi
	want_rc=$(cat "$GOLDEN/$name.exit" 2>/dev/null || echo missing)
	if [ -f "$GOLDEN/$name.out" ] && cmp -s "$GOLDEN/$name.out" "$out" && [ "$rc" = "$want_rc" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: exit $rc (want $want_rc)"
		diff -u "$GOLDEN/$name.out" "$out" | head -n 40
	fi
done
[ "$skip" -gt 0 ] && echo "$skip skipped"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
