#!/bin/sh
# expf.sh: the float32 kernels' inline exp (lc_exp_shifted_f, gen_kernel.c)
# against long double expl: relative error within 2^-23 (one float ulp)
# over [-87.33, 0] (every 16th float below -1e-3, all above), exactly 0
# below ln(FLT_MIN) and at -inf, NaN kept, e^0 = 1, and finite up to 88.
# The helper is taken from what `lossc gen` writes, so the test checks the
# code the kernels really use.
set -u
: "${LOSSC:?set LOSSC to the lossc binary}"
: "${top_srcdir:=.}"
work=$(mktemp -d "${TMPDIR:-/tmp}/lossc-expf.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
"$LOSSC" gen "$top_srcdir/bench/kernel.loss" -o "$work" >/dev/null 2>&1 || { echo "FAIL: lossc gen"; exit 1; }
sed -n '/^static inline float lc_exp_shifted_f(float x)$/,/^}$/p' "$work/kernel_loss.c" > "$work/exp.h"
[ -s "$work/exp.h" ] || { echo "FAIL: no lc_exp_shifted_f in the generated kernel"; exit 1; }
cat > "$work/t.c" <<'EOT'
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include "exp.h"
int main(void)
{
	double worst = 0;
	float at = 0;
	long k = 0;
	for (float x = 0.0f; x >= -87.33f; x = nextafterf(x, -100.0f)) {
		if ((k++ & 15) && x < -1e-3f)
			continue;
		long double t = expl((long double)x);
		double rel = (double)fabsl((lc_exp_shifted_f(x) - t) / t);
		if (rel > worst)
			worst = rel, at = x;
	}
	int bad = worst > 0x1p-23;
	printf("max relative error %.3g at %.9g\n", worst, (double)at);
	float big = lc_exp_shifted_f(88.0f);
	bad |= lc_exp_shifted_f(-87.34f) != 0 || lc_exp_shifted_f(-1000.0f) != 0 ||
	       lc_exp_shifted_f(-INFINITY) != 0 || !isnan(lc_exp_shifted_f(NAN)) ||
	       lc_exp_shifted_f(0.0f) != 1 || lc_exp_shifted_f(-0.0f) != 1 ||
	       !(isfinite(big) && fabsl(big / expl(88.0L) - 1) < 0x1p-22);
	puts(bad ? "FAIL" : "ok");
	return bad;
}
EOT
"${CC:-cc}" -std=c99 -O2 -Wall -Wextra -Werror -pedantic -I"$work" -o "$work/t" "$work/t.c" -lm || { echo "FAIL: compile"; exit 1; }
"$work/t"
