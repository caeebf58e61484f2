/*
 * edges.c: generated kernels at their edges, against values computed by
 * hand from the definitions (PyTorch's where it defines them).  Built by
 * edges.sh with the kernels `lossc gen` writes for edges.loss.
 *
 *   bce: PyTorch clamps each log at -100, so bce(0, 1) = bce(1, 0) = 100
 *        and bce(0, 0) = 0, never inf or NaN; the gradient is PyTorch's
 *        backward formula (q - t) / max(q (1 - q), 1e-12).  The kernels
 *        returned inf (issue 9).
 *   norm2: scaled by the largest |element|, so it overflows only when the
 *        norm does and keeps tiny values: a row of 1e200 gave inf and
 *        3e-200 gave 0 in float64 (1e30 and 1e-30 in float32).
 *   log_cosh: x^2 / 2 to full precision near 0 (log(cosh(x)) gives 0 at
 *        1e-9) and |x| - log 2 far out (cosh(800) is inf in double).
 */
#include <math.h>
#include <stdio.h>

#include "edges_loss.h"

static int failures;

static void check(const char *what, double got, double want, double rel)
{
	int ok = got == want || fabs(got - want) <= rel * fabs(want);
	if (!ok) {
		printf("FAIL %s: got %.17g, want %.17g\n", what, got, want);
		failures++;
	}
}

static void bce_point(double q, double t, double value, double grad)
{
	char what[96];
	double qq = q, tt = t, each, up = 1, d;
	float q32 = (float)q, t32 = (float)t, e32, up32 = 1, d32;
	loss_bce64(1, &qq, &tt, &each);
	loss_bce64_grad(1, &qq, &tt, &up, &d);
	snprintf(what, sizeof what, "bce64(%g, %g)", q, t);
	check(what, each, value, 1e-15);
	snprintf(what, sizeof what, "bce64'(%g, %g)", q, t);
	check(what, d, grad, 1e-12);
	loss_bce32(1, &q32, &t32, &e32);
	loss_bce32_grad(1, &q32, &t32, &up32, &d32);
	snprintf(what, sizeof what, "bce32(%g, %g)", q, t);
	check(what, e32, value, 1e-6);
	snprintf(what, sizeof what, "bce32'(%g, %g)", q, t);
	check(what, d32, grad, 1e-5);
}

static void norm_point(const double *v, double value, const double *grad, int f32)
{
	char what[128];
	double each, up = 1, d[3];
	snprintf(what, sizeof what, "norm2%s([%g, %g, %g])", f32 ? "_32" : "_64", v[0], v[1], v[2]);
	if (f32) {
		float v32[3] = { (float)v[0], (float)v[1], (float)v[2] }, e32, up32 = 1, d32[3];
		loss_norm32(1, v32, &e32);
		loss_norm32_grad(1, v32, &up32, d32);
		each = e32;
		for (int j = 0; j < 3; j++)
			d[j] = d32[j];
	} else {
		loss_norm64(1, v, &each);
		loss_norm64_grad(1, v, &up, d);
	}
	check(what, each, value, f32 ? 1e-6 : 1e-15);
	for (int j = 0; j < 3; j++) {
		char w2[160];
		snprintf(w2, sizeof w2, "d %s / d v[%d]", what, j);
		check(w2, d[j], grad[j], f32 ? 1e-6 : 1e-15);
	}
}

static void log_cosh_point(double x, double value, double rel32)
{
	char what[64];
	double xx = x, each, up = 1, d;
	float x32 = (float)x, e32, up32 = 1, d32;
	loss_lcosh64(1, &xx, &each);
	loss_lcosh64_grad(1, &xx, &up, &d);
	snprintf(what, sizeof what, "log_cosh64(%g)", x);
	check(what, each, value, 1e-15);
	snprintf(what, sizeof what, "log_cosh64'(%g)", x);
	check(what, d, tanh(x), 1e-15);
	loss_lcosh32(1, &x32, &e32);
	loss_lcosh32_grad(1, &x32, &up32, &d32);
	snprintf(what, sizeof what, "log_cosh32(%g)", x);
	check(what, e32, value, rel32);
	snprintf(what, sizeof what, "log_cosh32'(%g)", x);
	check(what, d32, tanh((double)x32), 1e-6);
}

/* where(z > 0, log(z), 0) + clamp(z, -1, 1): value and slope, both precisions */
static void choose_point(double z, double value, double grad)
{
	char what[64];
	double zz = z, each, up = 1, d;
	float z32 = (float)z, e32, up32 = 1, d32;
	loss_choose64(1, &zz, &each);
	loss_choose64_grad(1, &zz, &up, &d);
	snprintf(what, sizeof what, "choose64(%g)", z);
	check(what, each, value, 1e-15);
	snprintf(what, sizeof what, "choose64'(%g)", z);
	check(what, d, grad, 1e-15);
	loss_choose32(1, &z32, &e32);
	loss_choose32_grad(1, &z32, &up32, &d32);
	snprintf(what, sizeof what, "choose32(%g)", z);
	check(what, e32, value, 1e-6);
	snprintf(what, sizeof what, "choose32'(%g)", z);
	check(what, d32, grad, 1e-6);
}

int main(void)
{
	/* bce at its clamps and in the middle */
	bce_point(0, 1, 100, -1e12);
	bce_point(0, 0, 0, 0);
	bce_point(1, 0, 100, 1e12);
	bce_point(1, 1, 0, 0);
	bce_point(0.5, 1, log(2), -2);
	/* below 1e-12 the gradient's denominator is clamped: (q - t) / 1e-12 */
	bce_point(1e-13, 0, 1.00000000000005e-13, 0.1);   /* -log1p(-1e-13) */

	/* norm2 where the plain sum of squares overflows or underflows */
	const double s = sqrt(0.5);
	{
		double v[3] = { 1e200, 1e200, 0 }, g[3] = { s, s, 0 };
		norm_point(v, 1.4142135623730951e200, g, 0);
	}
	{
		double v[3] = { 3e-200, 4e-200, 0 }, g[3] = { 0.6, 0.8, 0 };
		norm_point(v, 5e-200, g, 0);
	}
	{
		double v[3] = { 1e-310, 0, 0 }, g[3] = { 1, 0, 0 };   /* subnormal */
		norm_point(v, 1e-310, g, 0);
	}
	{
		double v[3] = { 0, 0, 0 }, g[3] = { 0, 0, 0 };        /* the kink: subgradient 0 */
		norm_point(v, 0, g, 0);
		norm_point(v, 0, g, 1);
	}
	{
		double v[3] = { 1e30, 1e30, 0 }, g[3] = { s, s, 0 };
		norm_point(v, 1.4142135623730951e30, g, 1);
	}
	{
		double v[3] = { 3e-30, 4e-30, 0 }, g[3] = { 0.6, 0.8, 0 };
		norm_point(v, 5e-30, g, 1);
	}
	{
		double v[3] = { INFINITY, 1, 0 }, each;
		loss_norm64(1, v, &each);
		check("norm2_64([inf, 1, 0])", each, INFINITY, 0);
	}
	/* log_cosh near 0 (x^2 / 2 - x^4 / 12), at its branch, and far out */
	log_cosh_point(1e-9, 5e-19, 1e-6);
	log_cosh_point(-3e-5, 4.499999999325e-10, 1e-6);
	log_cosh_point(1, 0.43378083048302718, 1e-6);
	log_cosh_point(800, 799.30685281944005, 1e-6);
	log_cosh_point(-100, 99.306852819440055, 1e-6);

	/* where: the unchosen log at 0 (slope inf) and at -2 (NaN) passes 0;
	   clamp: slope 1 at -1 and at 1, 0 beyond */
	choose_point(0, 0, 1);
	choose_point(-2, -1, 0);
	choose_point(-1, -1, 1);
	choose_point(1, 1, 2);
	choose_point(3, log(3) + 1, 1.0 / 3);
	choose_point(0.5, log(0.5) + 0.5, 3);

	if (failures) {
		printf("%d edge points differ\n", failures);
		return 1;
	}
	printf("ok: bce, norm2, log_cosh, where and clamp at their edges\n");
	return 0;
}
