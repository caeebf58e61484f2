#!/bin/sh
# tests/sarif_schema.sh: `lossc lint --format sarif` validates against the
# official SARIF 2.1.0 JSON schema (tests/sarif-schema-2.1.0.json, the
# OASIS errata01 schema as published in github.com/oasis-tcs/sarif-spec,
# sarif-2.1/schema/sarif-schema-2.1.0.json) with a real validator,
# python3-jsonschema, run by the python3 that configure found importing it
# ($JSONSCHEMA_PYTHON).  The logs cover notes (relatedLocations), fixes,
# a file outside the working directory (a file:// URI), an unreadable file
# (no region) and a stale baseline entry; and the validator must reject
# a broken log.  Without python3-jsonschema the test FAILS, saying how to
# install it: a schema check that silently skips proves nothing.
: "${LOSSC:=${top_builddir:-.}/lossc}"
src=${top_srcdir:-$(dirname "$0")/..}
case $LOSSC in /*) ;; *) LOSSC=$(pwd)/$LOSSC ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac
py=${JSONSCHEMA_PYTHON:-}
if [ -z "$py" ] || ! "$py" -c 'import jsonschema' 2>/dev/null; then
	echo "sarif_schema.sh: no python3 that imports jsonschema (configure found '${py}')."
	echo "Install it with scripts/install-deps (Debian: apt-get install python3-jsonschema),"
	echo "then run configure again (or set JSONSCHEMA_PYTHON=/path/to/python3)."
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lossc-sarif-schema.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
mkdir "$tmp/work" "$tmp/outside"
cp "$src"/examples/*.loss "$tmp/work/"
cat > "$tmp/outside/x.loss" <<'X'
dataset d { about "x"; input x: real[2]; label y: class[2]; }
dataset d { about "declared twice: LS011 carries a note at the first"; }
loss l on d { output z: real[2]; value = -log(softmax(z))[y]; claim convex; }
goal g { about "The loss is perfectly aligned with human values."; }
X
printf '# lossc baseline 1\n0000000000000000:1\tLS101\twork/gone.loss\t1\tgone\n' > "$tmp/baseline"
: > "$tmp/work/gone.loss"
cd "$tmp/work" || exit 2
"$LOSSC" lint --format sarif:"$tmp/a.sarif" ./*.loss ../outside/x.loss missing.loss > /dev/null
[ $? -eq 2 ] || { echo "want exit 2 (a missing file)"; fail=1; }
"$LOSSC" lint --baseline ../baseline --format sarif gone.loss > "$tmp/b.sarif"
"$LOSSC" lint --format sarif --select LS009 vague.loss > "$tmp/empty.sarif"
for want in '"relatedLocations"' '"fixes"' '"file:///' '"deletedRegion"' '"ruleId": "LS002"'; do
	grep -q "$want" "$tmp/a.sarif" || { echo "a.sarif has no $want"; fail=1; }
done
grep -q '"ruleId": "LS020"' "$tmp/b.sarif" || { echo "b.sarif has no LS020"; fail=1; }
"$py" "$src/tests/sarif_schema.py" "$src/tests/sarif-schema-2.1.0.json" "$tmp/a.sarif" "$tmp/b.sarif" \
	"$tmp/empty.sarif" || fail=1
# The validator must reject what the schema forbids.
sed 's/"level": "warning"/"level": "fatal"/' "$tmp/a.sarif" > "$tmp/bad-level.sarif"
sed 's/"startLine": \([0-9]*\)/"startLine": -\1/' "$tmp/a.sarif" > "$tmp/bad-line.sarif"
sed 's/"deletedRegion"/"deletedSpan"/' "$tmp/a.sarif" > "$tmp/bad-fix.sarif"
for b in bad-level bad-line bad-fix; do
	if "$py" "$src/tests/sarif_schema.py" "$src/tests/sarif-schema-2.1.0.json" "$tmp/$b.sarif" > /dev/null; then
		echo "the schema check accepted $b.sarif"
		fail=1
	fi
done
[ $fail -eq 0 ] && echo "SARIF output matches the SARIF 2.1.0 schema"
exit $fail
