#!/bin/sh
# python.sh: `lossc gen --python` from PyTorch (issue 14): builds the
# shared library with the line the module documents, then runs
# tests/gen/python/check.py (an MLP trained 200 steps with torch's loss
# and with the generated one; values, gradients, errors) under the python3
# configure found importing numpy and torch.  Without one it FAILS with
# the install command: it never skips.
set -u
: "${LOSSC:?set LOSSC to the lossc binary}"
: "${top_srcdir:?set top_srcdir}"
py=${TORCH_PYTHON:-}
if [ -z "$py" ] || ! "$py" -c 'import numpy, torch' 2>/dev/null; then
	echo "FAIL: no python3 imports numpy and torch (TORCH_PYTHON='$py')."
	echo "Install them: scripts/install-deps (or: sudo apt-get install python3-numpy python3-torch),"
	echo "then rerun configure."
	exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/lossc-python.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
"$LOSSC" gen "$top_srcdir/tests/gen/python/train.loss" -o "$work/out" --python 2>/dev/null ||
	{ echo "FAIL: lossc gen --python"; exit 1; }
[ "$(ls "$work/out" | tr '\n' ' ')" = "train_loss.c train_loss.h train_loss.py " ] ||
	{ echo "FAIL: unexpected files: $(ls "$work/out")"; exit 1; }
# the build line, exactly as the module's docstring gives it
line=$(sed -n 's/^    \(cc -std=c99 .*-shared .*\)$/\1/p' "$work/out/train_loss.py")
[ -n "$line" ] || { echo "FAIL: the module does not document its build line"; exit 1; }
(cd "$work/out" && $line) || { echo "FAIL: '$line' does not build the library"; exit 1; }
# the module imports without the library (it loads on first use)
"$py" -c "import sys; sys.path.insert(0, '$work/out'); import train_loss" ||
	{ echo "FAIL: the module does not import"; exit 1; }
exec "$py" "$top_srcdir/tests/gen/python/check.py" "$work/out"
