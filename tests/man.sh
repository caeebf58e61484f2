#!/bin/sh
# tests/man.sh: every man page lints clean.  mandoc -Tlint (warnings and
# worse) is preferred; groff -ww -z is the fallback; without either the
# test is skipped (exit 77), not passed.
dir=${top_srcdir:-$(dirname "$0")/..}/man
pages=$(ls "$dir"/*.[1-9] 2>/dev/null)
[ -n "$pages" ] || { echo "no man pages in $dir"; exit 1; }
status=0
if command -v mandoc >/dev/null 2>&1; then
	for p in $pages; do
		out=$(mandoc -Tlint -W warning "$p" 2>&1)
		if [ -n "$out" ]; then
			echo "$out"
			status=1
		fi
	done
elif command -v groff >/dev/null 2>&1; then
	for p in $pages; do
		out=$(groff -ww -z -mandoc "$p" 2>&1)
		if [ -n "$out" ]; then
			echo "$out"
			status=1
		fi
	done
else
	echo "neither mandoc nor groff is installed: man pages not checked"
	exit 77
fi
[ $status -eq 0 ] && echo "$(echo "$pages" | wc -l) man pages lint clean"
exit $status
