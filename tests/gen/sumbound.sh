#!/bin/sh
# sumbound.sh: the harness's value bound grows with the length of the
# kernel's sums (gamma_k sum |t| per sum, gen_harness.c), so correct
# float32 kernels pass at any row length (tests/gen/sums/sums.loss: mse
# and a triplet margin, a difference of L1 distances, at 40 and 1000
# terms; the triplets fail the old fixed 16-eps bound), and at 40 terms
# it still catches one term of one sum off by 1e-3: a shim adds 1e-3 of
# the row's first term to each row's value, and the harness must fail
# with "value differs".  (At 1000 terms one term's 1e-3 is within the
# rounding that 1000 additions may do, unless that term is some 6% of
# the sum: the value check cannot see it there, the gradient checks do,
# tests/gen/linear.sh.)  The shim wraps the real kernel, so the test does
# not depend on how the kernel is written.
set -u
: "${LOSSC:?set LOSSC to the lossc binary}"
: "${top_srcdir:?set top_srcdir}"
work=$(mktemp -d "${TMPDIR:-/tmp}/lossc-sumbound.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
"$LOSSC" gen "$top_srcdir/tests/gen/sums/sums.loss" -o "$work" --harness 2>/dev/null || { echo "FAIL: lossc gen"; exit 1; }
cd "$work" || exit 99
status=0
cc -std=c99 -O2 test_sums_loss.c sums_loss.c -lcmocka -lm -o clean || { echo "FAIL: the harness does not build"; exit 1; }
for t in test_loss_mse40 test_loss_mse1000 test_loss_triplet40 test_loss_triplet1000; do
	if ./clean $t > clean.out 2>&1 && grep -q "1 test(s) run" clean.out; then
		echo "ok: $t passes on the real kernel"
	else
		echo "FAIL: $t fails on the real kernel:"; tail -5 clean.out; status=1
	fi
done
# the old fixed bound (16 eps (|ref| + M), no sum term) rejects the correct
# triplet at 1000 terms: the sum term is what lets it pass
sed 's/const long double sumerr = .*;/const long double sumerr = 0;/' test_sums_loss.c > fixed.c
cc -std=c99 -O2 fixed.c sums_loss.c -lcmocka -lm -o fixed || { echo "FAIL: the fixed-bound harness"; exit 1; }
if ./fixed test_loss_triplet1000 > fixed.out 2>&1; then
	echo "FAIL: the fixed 16-eps bound accepts triplet1000 too: the sum term is untested"; status=1
else
	echo "ok: without the sum term the correct triplet1000 fails: $(grep -m1 'value differs' fixed.out | sed 's/^ERROR: //')"
fi

# mse, reduce none: each[r] gains 1e-3 of the row's first term, (q0 - t0)^2 / D
mse_shim() {
	cat > shim.c <<C
#include "sums_loss.h"
void loss_$1_real(size_t n, const float *q, const float *t, float *each);
void loss_$1(size_t n, const float *q, const float *t, float *each)
{
	loss_$1_real(n, q, t, each);
	for (size_t r = 0; r < n; r++) {
		const double e = (double)q[r * $2] - (double)t[r * $2];
		each[r] += (float)(1e-3 * e * e / $2);
	}
}
C
}
# triplet, reduce sum: the value gains 1e-3 of each row's first |a0 - b0|
# (the gradient function returns the same value, as it must)
triplet_shim() {
	cat > shim.c <<C
#include <math.h>
#include "sums_loss.h"
float loss_$1_real(size_t n, const float *a, const float *b, const float *m);
float loss_$1_grad_real(size_t n, const float *a, const float *b, const float *m, float *d);
static double off(size_t n, const float *a, const float *b)
{
	double e = 0;
	for (size_t r = 0; r < n; r++)
		e += 1e-3 * fabs((double)a[r * $2] - (double)b[r * $2]);
	return e;
}
float loss_$1(size_t n, const float *a, const float *b, const float *m)
{
	return (float)(loss_$1_real(n, a, b, m) + off(n, a, b));
}
float loss_$1_grad(size_t n, const float *a, const float *b, const float *m, float *d)
{
	return (float)(loss_$1_grad_real(n, a, b, m, d) + off(n, a, b));
}
C
}
for k in "mse40 40 mse" "triplet40 40 triplet"; do
	set -- $k
	${3}_shim "$1" "$2"
	grad=
	[ "$3" = triplet ] && grad=-D"loss_$1_grad=loss_$1_grad_real"
	cc -std=c99 -O2 -D"loss_$1=loss_$1_real" $grad -c sums_loss.c -o wrapped.o &&
	cc -std=c99 -O2 test_sums_loss.c shim.c wrapped.o -lcmocka -lm -o mutant ||
		{ echo "FAIL: the mutant of $1 does not build"; status=1; continue; }
	if ./mutant "test_loss_$1" > mutant.out 2>&1; then
		echo "FAIL: loss_$1 with one term off by 1e-3 passes the harness"; status=1
	elif ! grep -q "loss_$1: value differs from the long double reference" mutant.out; then
		echo "FAIL: loss_$1's mutant failed for another reason:"; grep -m3 "ERROR\|FAIL" mutant.out; status=1
	else
		echo "ok: loss_$1 with one term off by 1e-3 is caught: $(grep -m1 'value differs' mutant.out | sed 's/^ERROR: //')"
	fi
done
exit $status
