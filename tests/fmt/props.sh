#!/bin/sh
# props.sh: lossc fmt's property tests (tests/fmt/props.c) over every .loss
# file of the repository: examples, golden cases, generated-code tests,
# fuzz corpora and regressions, benchmarks, and whatever is added later
# (LossSpec v2's examples included), found afresh on every run.  Build
# directories and the large generated benchmark specs are left out; the
# shared conformance cases live outside the repository and are not used.
#
# Runs at the default width and at the narrowest one (40), where nearly
# every long expression, list and text has to break.
LC_ALL=C
export LC_ALL
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${top_builddir:-.}
props=$builddir/tests/fmt/fmt_props
if [ ! -x "$props" ]; then
	echo "props.sh: $props is not built" >&2
	exit 99
fi

list=$(mktemp) || exit 99
trap 'rm -f "$list"' EXIT
# Prune build trees: a directory holding config.status is one, whatever its name.
find "$srcdir" \( -name .git -o -name autom4te.cache \) -prune -o \
	-type d -exec test -f '{}/config.status' \; -prune -o \
	-type f -name '*.loss' ! -name 'spec-*mb.loss' ! -name 'prose-*mb.loss' -print | sort >"$list"
n=$(wc -l <"$list")
echo "props.sh: $n .loss files under $srcdir"
if [ "$n" -lt 20 ]; then
	echo "props.sh: expected the repository's specs (20 or more), found $n" >&2
	exit 1
fi
status=0
tr '\n' '\0' <"$list" | xargs -0 ${TEST_WRAPPER:-} "$props" || status=1
tr '\n' '\0' <"$list" | xargs -0 ${TEST_WRAPPER:-} "$props" --width 40 || status=1
exit $status
