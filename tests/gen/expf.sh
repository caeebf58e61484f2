#!/bin/sh
# expf.sh: the float32 kernels' inline exp (lc_exp_shifted_f, gen_kernel.c)
# against long double expl: relative error within 2^-23 (one float ulp)
# over [-87.33, 0] (every 16th float below -1e-3, all above), exactly 0
# below ln(FLT_MIN) and at -inf, NaN kept, e^0 = 1, and finite up to 88.
# The helper is taken from what `lossc gen` writes, so the test checks the
# code the kernels really use; so is the vector path's LC_VEXP_F, checked
# the same way (and in the AVX2+FMA copy, where fused multiply-adds round
# once instead of twice).
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
"$work/t" || exit 1

# The vector path's LC_VEXP_F (gen_vec.c), the same sweep 8 lanes at a
# time, built as the kernels build it: plainly, and (x86 with AVX2+FMA) in
# a function compiled like the kernels' AVX2 copy (LC_AVX2: FMA fused).
sed -n '/^#if (defined(__GNUC__) || defined(__clang__)) && !defined(LOSSC_NO_VECTOR)$/,/^#endif \/\* the vector path \*\/$/p' \
	"$work/kernel_loss.c" > "$work/vec.h"
grep -q "define LC_VEXP_F" "$work/vec.h" || { echo "FAIL: no LC_VEXP_F in the generated kernel"; exit 1; }
cat > "$work/v.c" <<'EOT'
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include "vec.h"
#ifndef LC_AVX2
#define LC_AVX2
#endif
/* exp of 8 floats from x[0..8) into e */
static void vexp_plain(const float *x, float *e)
{
	lc_vf v;
	__builtin_memcpy(&v, x, sizeof v);
	v = LC_VEXP_F(v);
	__builtin_memcpy(e, &v, sizeof v);
}
LC_AVX2 static void vexp_avx2(const float *x, float *e)
{
	lc_vf v;
	__builtin_memcpy(&v, x, sizeof v);
	v = LC_VEXP_F(v);
	__builtin_memcpy(e, &v, sizeof v);
}
static int sweep(void (*f)(const float *, float *), const char *name)
{
	double worst = 0;
	float at = 0, x[8], e[8];
	long k = 0;
	int m = 0, bad = 0;
	for (float t = 0.0f; t >= -87.33f; t = nextafterf(t, -100.0f)) {
		if (k++ & 15)   /* every 16th float: the scalar sweep above is the dense one */
			continue;
		x[m++] = t;
		if (m < 8)
			continue;
		f(x, e);
		for (int i = 0; i < 8; i++) {
			long double r = expl((long double)x[i]);
			double rel = (double)fabsl((e[i] - r) / r);
			if (rel > worst)
				worst = rel, at = x[i];
		}
		m = 0;
	}
	bad = worst > 0x1p-23;
	const float sp[8] = { -87.34f, -1000.0f, -INFINITY, NAN, 0.0f, -0.0f, 88.0f, -1.0f };
	f(sp, e);
	bad |= e[0] != 0 || e[1] != 0 || e[2] != 0 || !isnan(e[3]) || e[4] != 1 || e[5] != 1 ||
	       !(isfinite(e[6]) && fabsl(e[6] / expl(88.0L) - 1) < 0x1p-22);
	printf("%s: %s: max relative error %.3g at %.9g\n", bad ? "FAIL" : "ok", name, worst, (double)at);
	return bad;
}
int main(void)
{
	int bad = sweep(vexp_plain, "LC_VEXP_F");
#ifdef LC_DISPATCH
	if (lc_have_avx2())
		bad |= sweep(vexp_avx2, "LC_VEXP_F in the AVX2+FMA copy");
	else
		puts("note: no AVX2+FMA on this CPU; that copy is not run");
#endif
	return bad;
}
EOT
for c in gcc clang; do
	command -v $c >/dev/null 2>&1 || continue
	$c -std=c99 -O2 -Wall -Wextra -Werror -pedantic -I"$work" -o "$work/v" "$work/v.c" -lm ||
		{ echo "FAIL: compile with $c"; exit 1; }
	echo "$c:"
	"$work/v" || exit 1
done
