#!/bin/sh
# tests/integration.sh: the commands the integration files give users
# work as written: each .pre-commit-hooks.yaml entry on staged-style file
# arguments (an excluded file stays excluded), and the lint step of
# docs/github-actions.yml (text on the log, SARIF in lossc.sarif).
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
[ "$(printf '%s\n' "$entries" | wc -l)" -eq 2 ] || { echo "want two hooks in .pre-commit-hooks.yaml"; fail=1; }
grep -q '^- id: lossc-lint$' "$src/.pre-commit-hooks.yaml" || { echo "no lossc-lint hook"; fail=1; }
lint=$(printf '%s\n' "$entries" | sed -n 1p)
fix=$(printf '%s\n' "$entries" | sed -n 2p)
# the lint hook: findings fail the commit; the excluded draft is not linted
$lint a.loss drafts/wip.loss > out 2>&1
[ $? -eq 1 ] || { echo "lossc-lint: want exit 1 on a.loss's finding"; cat out; fail=1; }
grep -q 'wip.loss' out && { echo "lossc-lint linted an excluded file"; fail=1; }
# the fix hook: fixes a.loss in place, then it is clean
$fix a.loss drafts/wip.loss > out 2>&1
[ $? -eq 0 ] || { echo "lossc-fix: want exit 0 after fixing"; cat out; fail=1; }
cmp -s a.loss a.orig && { echo "lossc-fix did not fix a.loss"; fail=1; }
grep -q 'log_softmax' a.loss || { echo "lossc-fix: no log_softmax in a.loss"; fail=1; }

# the workflow's lint step, run as written in the checkout
step=$(sed -n 's/^        run: \(lossc lint .*\)$/\1/p' "$src/docs/github-actions.yml")
[ -n "$step" ] || { echo "no 'run: lossc lint' step in docs/github-actions.yml"; fail=1; }
cp a.orig a.loss
sh -c "$step" > out 2>&1
[ $? -eq 1 ] || { echo "workflow step: want exit 1 (a finding)"; cat out; fail=1; }
grep -q '"version": "2.1.0"' lossc.sarif || { echo "workflow step wrote no SARIF"; fail=1; }
grep -q 'a.loss:2:' out || { echo "workflow step printed no text report"; fail=1; }
grep -q 'sarif_file: lossc.sarif' "$src/docs/github-actions.yml" || { echo "the workflow uploads another file"; fail=1; }
[ $fail -eq 0 ] && echo "pre-commit hooks and the workflow's lint step work as written"
exit $fail
