#!/bin/sh
# regress.sh: the automake test driver for the fuzz targets' regression
# runs (owner: reliability).  `make check` runs it once per
# tests/fuzz/NAME.regress file:
#
#     regress.sh tests/fuzz/NAME.regress
#
# and it runs $top_builddir/tests/fuzz/fuzz_NAME (the target linked with
# driver.c's main) over every input the .regress file lists.  Each line
# of a .regress file is
#
#     [?]DIR [PATTERN]
#
# DIR relative to the source tree, searched recursively for files
# matching PATTERN (default: every file).  A leading '?' marks a
# directory that may be absent (the shared contract cases beside a
# clone); any other missing directory is an error.  The same lists seed
# the libFuzzer corpora in scripts/fuzz.
#
# A line
#
#     !novalgrind REASON
#
# says the target cannot run under valgrind: with LOSSC_VALGRIND=1 (set
# by scripts/valgrind-check) the run is skipped (exit 77, automake's
# SKIP) with the reason printed, instead of failing for a reason that is
# not a memory error.
#
# Fails when the target crashes, hangs, reports a sanitizer error, or
# when no input at all was found (a regression run over nothing proves
# nothing).
set -u
list=$1
name=$(basename "$list" .regress)
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${top_builddir:-.}
driver=$builddir/tests/fuzz/fuzz_$name

if [ "${LOSSC_VALGRIND:-0}" = 1 ]; then
	why=$(sed -n 's/^!novalgrind[[:space:]]*//p' "$list")
	if [ -n "$why" ]; then
		echo "regress.sh: $name: not run under valgrind: $why"
		exit 77
	fi
fi

if [ ! -x "$driver" ]; then
	echo "regress.sh: $driver is not built" >&2
	exit 99
fi

files=$(mktemp) || exit 99
trap 'rm -f "$files"' EXIT
status=0
while read -r dir pattern; do
	case $dir in
	''|'#'*|'!'*) continue ;;
	'?'*) dir=${dir#?}; optional=1 ;;
	*) optional=0 ;;
	esac
	if [ ! -d "$srcdir/$dir" ]; then
		if [ "$optional" = 0 ]; then
			echo "regress.sh: $name: missing input directory $dir" >&2
			status=1
		fi
		continue
	fi
	find "$srcdir/$dir" -type f -name "${pattern:-*}" ! -name '.*' >>"$files"
done <"$list"

n=$(wc -l <"$files")
echo "regress.sh: $name: $n inputs"
if [ "$n" -eq 0 ]; then
	echo "regress.sh: $name: no inputs found" >&2
	exit 1
fi
# One driver run per batch of files; any failing batch fails the test.
# TEST_WRAPPER (scripts/valgrind-check) starts the driver under valgrind.
# shellcheck disable=SC2086 # the wrapper may be a command with options
sort "$files" | tr '\n' '\0' | xargs -0 ${TEST_WRAPPER:-} "$driver" || status=1
exit $status
