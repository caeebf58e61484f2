#!/bin/sh
# tests/integration.sh: the commands the integration files give users
# work as written: each .pre-commit-hooks.yaml entry on staged-style file
# arguments (an excluded file stays excluded), and the lint and layout
# steps of docs/github-actions.yml (text on the log, SARIF in lossc.sarif;
# fmt --check failing on an unformatted spec; the specs and, with
# `documents: true`, the Markdown of docs/ linted).
: "${LOSSC:=${top_builddir:-.}/lossc}"
src=${top_srcdir:-$(dirname "$0")/..}
case $LOSSC in /*) ;; *) LOSSC=$(pwd)/$LOSSC ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lossc-integration.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin" "$tmp/repo" "$tmp/repo/drafts"
ln -s "$LOSSC" "$tmp/bin/lossc"
PATH=$tmp/bin:$PATH
fail=0
cd "$tmp/repo" || exit 2
printf 'exclude: drafts\n' > .losscrc
printf 'dataset d { about "x"; input x: real[2]; label y: class[2]; }\nloss l on d { output z: real[2]; value = -log(softmax(z))[y]; reduce mean; precision float32; }\ngoal g { about "Reads digits."; }\nrationale r for g { uses l; setup "SGD."; because "ok"; }\nagent a { trained_by l; cares_about predictions; }\n' > a.loss
printf 'goal broken {\n' > drafts/wip.loss
cp a.loss a.orig

entries=$(sed -n 's/^  entry: //p' "$src/.pre-commit-hooks.yaml")
[ "$(printf '%s\n' "$entries" | wc -l)" -eq 4 ] || { echo "want four hooks in .pre-commit-hooks.yaml"; fail=1; }
entry() {      # entry ID: the hook's command
	awk -v id="$1" '/^- id: / { on = ($3 == id) } on && /^  entry: / { sub(/^  entry: /, ""); print }' \
		"$src/.pre-commit-hooks.yaml"
}
lint=$(entry lossc-lint)
docs=$(entry lossc-docs)
fix=$(entry lossc-fix)
fmt=$(entry lossc-fmt)
for h in lint docs fix fmt; do
	eval "[ -n \"\$$h\" ]" || { echo "no lossc-$h hook"; fail=1; }
done
# the documents hook: a vague claim in a staged Markdown file fails the commit
printf '# Notes\n\nThe policy wants to maximize its reward.\n' > notes.md
cp notes.md drafts/wip.md
$docs notes.md drafts/wip.md > out 2>&1
[ $? -eq 1 ] || { echo "lossc-docs: want exit 1 on notes.md's finding"; cat out; fail=1; }
grep -q 'notes.md:3:5:' out || { echo "lossc-docs: no finding in notes.md"; cat out; fail=1; }
grep -q 'wip.md' out && { echo "lossc-docs linted an excluded file"; fail=1; }
rm notes.md
# the lint hook: findings fail the commit; the excluded draft is not linted
$lint a.loss drafts/wip.loss > out 2>&1
[ $? -eq 1 ] || { echo "lossc-lint: want exit 1 on a.loss's finding"; cat out; fail=1; }
grep -q 'wip.loss' out && { echo "lossc-lint linted an excluded file"; fail=1; }
# the fix hook: fixes a.loss in place, then it is clean
$fix a.loss drafts/wip.loss > out 2>&1
[ $? -eq 0 ] || { echo "lossc-fix: want exit 0 after fixing"; cat out; fail=1; }
cmp -s a.loss a.orig && { echo "lossc-fix did not fix a.loss"; fail=1; }
grep -q 'log_softmax' a.loss || { echo "lossc-fix: no log_softmax in a.loss"; fail=1; }

# the fmt hook: formats a.loss in place; the excluded draft (which does not parse) is left alone
cp a.loss a.fixed
$fmt a.loss drafts/wip.loss > out 2>&1
[ $? -eq 0 ] || { echo "lossc-fmt: want exit 0"; cat out; fail=1; }
cmp -s a.loss a.fixed && { echo "lossc-fmt did not format a.loss"; fail=1; }
lossc fmt --check a.loss > /dev/null || { echo "lossc-fmt left a.loss unformatted"; fail=1; }
[ "$(cat drafts/wip.loss)" = "goal broken {" ] || { echo "lossc-fmt touched an excluded file"; fail=1; }

# the workflow's layout step: fails on the unformatted spec, passes once it is formatted
fstep=$(sed -n 's/^        run: \(lossc fmt .*\)$/\1/p' "$src/docs/github-actions.yml")
[ -n "$fstep" ] || { echo "no 'run: lossc fmt' step in docs/github-actions.yml"; fail=1; }
cp a.orig a.loss
sh -c "$fstep" > out 2>&1
[ $? -eq 1 ] || { echo "workflow fmt step: want exit 1 (a.loss not formatted)"; cat out; fail=1; }
lossc fmt a.loss
sh -c "$fstep" > out 2>&1 || { echo "workflow fmt step: want exit 0 once formatted"; cat out; fail=1; }

# the workflow's lint step, run as written in the checkout
step=$(sed -n 's/^        run: \(lossc lint .*\)$/\1/p' "$src/docs/github-actions.yml")
[ -n "$step" ] || { echo "no 'run: lossc lint' step in docs/github-actions.yml"; fail=1; }
mkdir specs docs
mv a.loss specs/a.loss
cp a.orig specs/a.loss
printf '# Design\n\nThe reward model represents the goal of the product.\n' > docs/design.md
printf 'exclude: drafts\ndocuments: true\n' > .losscrc
sh -c "$step" > out 2>&1
[ $? -eq 1 ] || { echo "workflow step: want exit 1 (a finding)"; cat out; fail=1; }
grep -q '"version": "2.1.0"' lossc.sarif || { echo "workflow step wrote no SARIF"; fail=1; }
grep -q 'specs/a.loss:2:' out || { echo "workflow step printed no text report"; fail=1; }
grep -q 'docs/design.md:3:' out || { echo "workflow step did not lint docs/"; cat out; fail=1; }
grep -q '"uri": "docs/design.md"' lossc.sarif || { echo "workflow step: docs/ not in the SARIF"; fail=1; }
grep -q 'sarif_file: lossc.sarif' "$src/docs/github-actions.yml" || { echo "the workflow uploads another file"; fail=1; }
[ $fail -eq 0 ] && echo "pre-commit hooks and the workflow's lint and layout steps work as written"
exit $fail
