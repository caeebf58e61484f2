#!/bin/sh
# tests/completion.sh: the bash completion, sourced in bash, completes
# lossc's commands, lint's options and their values, finding codes (from
# `lossc rules`, in comma lists too), and *.loss files, documents and
# directories.
# The zsh completion is checked for syntax when zsh is installed.
: "${LOSSC:=${top_builddir:-.}/lossc}"
src=${top_srcdir:-$(dirname "$0")/..}
case $LOSSC in /*) ;; *) LOSSC=$(pwd)/$LOSSC ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac
comp=${LOSSC_BASH_COMPLETION:-$src/completions/bash/lossc}
command -v bash >/dev/null 2>&1 || { echo "completion.sh: bash is needed"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lossc-completion.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/specs/sub" "$tmp/specdir"
: > "$tmp/specs/a.loss"
: > "$tmp/specs/b.txt"
cd "$tmp" || exit 2
LOSSC="$LOSSC" COMP="$comp" bash -c '
fail=0
. "$COMP" || { echo "cannot source $COMP"; exit 1; }
complete -p lossc | grep -q "_lossc" || { echo "lossc is not registered"; fail=1; }
# complete WORDS...: run _lossc on the line "WORDS" (the last word is being
# completed) with lossc itself as the program, and print COMPREPLY sorted.
complete_line() {
	COMP_WORDS=("$LOSSC" "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_lossc
	printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort | tr "\n" " "
}
expect() {     # expect WANT WORDS...
	want=$1
	shift
	got=$(complete_line "$@")
	if [ "$got" != "$want" ]; then
		echo "lossc $*<TAB>: got [$got], want [$want]"
		fail=1
	fi
}
expect "lint " li
expect "--help --version " --
expect "explain " ex
expect "json " lint --format j
expect "sarif " lint --output-format sa
expect "error " lint --fail-on e
expect "always auto " lint --color a
expect "md " lint --lang m
expect "--select --statistics --stdin-filename " lint --s
expect "--unsafe-fixes " lint --u
expect "LS010 LS011 LS012 " lint --select LS01
expect "LS101,LS201 " lint --select LS101,LS201
expect "LS010 LS011 LS012 " explain LS01
expect "specdir specs " lint spec
expect "specs/a.loss specs/b.txt specs/sub " lint specs/
expect "rules " help r
expect "fmt " fm
expect "gen graph " g
expect "--check --config " fmt --c
expect "--force-exclude " fmt --fo
expect "specdir specs " fmt spec
expect "specs/a.loss specs/sub " fmt specs/
expect "svg " graph --format s
expect "--no-config " graph --n
expect "specs/a.loss specs/sub " graph specs/
exit $fail
' || exit 1
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$src/completions/zsh/_lossc" || { echo "the zsh completion does not parse"; exit 1; }
	echo "zsh completion parses"
else
	echo "zsh is not installed: the zsh completion was not checked"
fi
echo "bash completion works"
