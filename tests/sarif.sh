#!/bin/sh
# tests/sarif.sh: `lossc lint --format sarif` passes sarif_check (strict JSON
# + the SARIF 2.1.0 structure GitHub code scanning needs) on the examples,
# on a file whose name needs percent-encoding, and with an unreadable file
# (a finding with no region), on a Markdown document; and sarif_check
# really rejects broken SARIF.
: "${LOSSC:=${top_builddir:-.}/lossc}"
check=${top_builddir:-.}/tests/sarif_check
src=${top_srcdir:-$(dirname "$0")/..}
case $LOSSC in /*) ;; *) LOSSC=$(pwd)/$LOSSC ;; esac
case $check in /*) ;; *) check=$(pwd)/$check ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lossc-sarif.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
cp "$src/examples/vague.loss" "$tmp/spaced name%é.loss"
(cd "$tmp" && "$LOSSC" lint --format sarif "spaced name%é.loss" missing.loss "$src/examples/mnist.loss") > "$tmp/out.sarif"
[ $? -eq 2 ] || { echo "lossc: want exit 2 (a missing file)"; fail=1; }
grep -q '"uri": "spaced%20name%25%C3%A9.loss"' "$tmp/out.sarif" || { echo "uri not percent-encoded"; fail=1; }
"$check" "$tmp/out.sarif" || fail=1
n=$(grep -c '"ruleId"' "$tmp/out.sarif")
[ "$n" -ge 10 ] || { echo "only $n results"; fail=1; }
# A Markdown document's findings are SARIF results like any other.
(cd "$src/examples" && "$LOSSC" lint --format sarif four-usages.md) > "$tmp/doc.sarif"
[ $? -eq 1 ] || { echo "lossc: want exit 1 on four-usages.md"; fail=1; }
"$check" "$tmp/doc.sarif" || fail=1
grep -q '"uri": "four-usages.md"' "$tmp/doc.sarif" || { echo "document uri missing"; fail=1; }
[ "$(grep -c '"ruleId"' "$tmp/doc.sarif")" -ge 4 ] || { echo "document results missing"; fail=1; }
# The checker must fail on each kind of breakage.
broken() {     # broken NAME SED-SCRIPT
	sed "$2" "$tmp/out.sarif" > "$tmp/$1.sarif"
	if "$check" "$tmp/$1.sarif" > /dev/null 2>&1; then
		echo "sarif_check accepted SARIF with $1"
		fail=1
	fi
}
broken wrong-version 's/"version": "2.1.0"/"version": "2.0.0"/'
broken wrong-index 's/"ruleIndex": \([0-9]*\)/"ruleIndex": 1\1/'
broken no-level 's/"level": "warning", "message"/"message"/'
broken bad-uri 's/"uri": "spaced%20name/"uri": "spaced name/'
broken no-fingerprint 's/"partialFingerprints": {[^}]*}/"partialFingerprints": {}/'
broken bad-region 's/"startLine": \([0-9]*\), "startColumn": \([0-9]*\), "endLine": [0-9]*/"startLine": \1, "startColumn": \2, "endLine": 0/'
broken incomplete-rule 's/"rules": \[/"rules": [{"id": "X"},/'
broken trailing-comma 's/^          \]$/          ,]/'
broken not-json 's/^{$/{{/'
[ $fail -eq 0 ] && echo "SARIF output is valid ($n results)"
exit $fail
