#!/bin/sh
# linear.sh: the --harness gradient check is linear in the row length
# (issue 14): a 50257-class cross-entropy harness (float32 and float64)
# passes, and the same harness fails when one element of one row's
# gradient is off by 1e-3, whether that element is the label's (checked
# coordinate by coordinate) or any other (caught by the directional
# derivatives).  The wrong gradients come from a shim that wraps the real
# kernel, so the test does not depend on how the kernel is written.
set -u
: "${LOSSC:?set LOSSC to the lossc binary}"
: "${top_srcdir:?set top_srcdir}"
work=$(mktemp -d "${TMPDIR:-/tmp}/lossc-linear.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
status=0
"$LOSSC" gen "$top_srcdir/tests/gen/large/gpt2.loss" -o "$work" --harness 2>/dev/null ||
	{ echo "FAIL: lossc gen"; exit 1; }
cd "$work" || exit 99
cc -std=c99 -O2 -c gpt2_loss.c -o real.o || { echo "FAIL: the kernels do not compile"; exit 1; }
cc -std=c99 -O2 test_gpt2_loss.c real.o -lcmocka -lm -o clean || { echo "FAIL: the harness does not build"; exit 1; }
# and the float32 kernel with its gradient rows streamed (gen_vec.c), as
# it runs on batches of LOSSC_STREAM_BYTES and more
cc -std=c99 -O2 -DLOSSC_STREAM_BYTES=0 test_gpt2_loss.c gpt2_loss.c -lcmocka -lm -o stream ||
	{ echo "FAIL: the streaming build does not build"; exit 1; }
for t in "clean test_loss_next_token" "clean test_loss_next_token_f64" "stream test_loss_next_token"; do
	set -- $t
	t0=$(date +%s)
	if ./$1 $2 > clean.out 2>&1 && grep -q "1 test(s) run" clean.out; then
		echo "ok: $2, the 50257-class harness, passes ($1 build; $(( $(date +%s) - t0 )) s wall, load included)"
	else
		echo "FAIL: $2 fails on the real kernels ($1 build):"; tail -20 clean.out; status=1
	fi
done

# shim KERNEL T WHICH: wrap KERNEL (renamed KERNEL_real in the kernels'
# object) so that row 0's gradient is off by 1e-3 (in units of that row's
# own loss) at the label's element (WHICH=label: relatively) or at the
# element half the row away from it (WHICH=other: absolutely)
shim() {
	cat > shim.c <<C
#include "gpt2_loss.h"
$2 $1_real(size_t n, const $2 *x, const int32_t *y, $2 *d);
$2 $1(size_t n, const $2 *x, const int32_t *y, $2 *d)
{
	const $2 v = $1_real(n, x, y, d);
	const long C = 50257;
	if (n > 0 && y[0] >= 0 && y[0] < C) {
		if ($3)
			d[y[0]] *= ($2)(1 + 1e-3);
		else
			d[(y[0] + C / 2) % C] += ($2)(1e-3 / (double)n);
	}
	return v;
}
C
}
for k in "loss_next_token_grad float" "loss_next_token_f64_grad double"; do
	set -- $k
	for which in label other; do
		if [ $which = label ]; then shim "$1" "$2" 1; else shim "$1" "$2" 0; fi
		cc -std=c99 -O2 -D"$1=$1_real" -c gpt2_loss.c -o wrapped.o &&
		cc -std=c99 -O2 test_gpt2_loss.c shim.c wrapped.o -lcmocka -lm -o mutant ||
			{ echo "FAIL: the mutant does not build"; status=1; continue; }
		./mutant "test_${1%_grad}" > mutant.out 2>&1
		rc=$?
		name=${1%_grad}
		if [ $rc -eq 0 ]; then
			echo "FAIL: $1 with the $which element off by 1e-3 passes the harness"; status=1
		elif [ $which = other ] && ! grep -q "$name""_grad: the directional derivative along d logits differs" mutant.out; then
			echo "FAIL: $1 ($which) failed for another reason:"; grep -m3 "ERROR\|FAIL" mutant.out; status=1
		elif [ $which = label ] && ! grep -q "$name""_grad: d/d logits differs from central differences" mutant.out; then
			echo "FAIL: $1 ($which) failed for another reason:"; grep -m3 "ERROR\|FAIL" mutant.out; status=1
		else
			echo "ok: $1 with the $which element off by 1e-3 is caught: $(grep -m1 'got' mutant.out | sed 's/^ *//')"
		fi
	done
done
exit $status
