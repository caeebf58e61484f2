/*
 * ops_eval.c: each op's in-process evaluator and analytic derivatives, in
 * long double (ops.h `eval`, `partial`, `veval`, `vgrad`).
 *
 * These are the mathematics the rest is checked against: constant
 * folding and the analyzer's witnesses use them directly, and the
 * agreement tests compare the generated kernels (written from the rows'
 * C templates) and the interval rules with them.  Where the kernels
 * follow a convention at a kink or a clamp, these follow the same one
 * (lossspec(5), GRADIENTS): ties send the gradient to the first operand,
 * |x| and relu have slope 0 at 0, and bce's gradient is PyTorch's
 * (q - t) / max(q (1 - q), 1e-12).
 */
#include "ops_impl.h"

#include <math.h>

typedef long double ld;

/* ---- operators ---- */

ld e_add(const ld *x) { return x[0] + x[1]; }
ld e_sub(const ld *x) { return x[0] - x[1]; }
ld e_mul(const ld *x) { return x[0] * x[1]; }
ld e_div(const ld *x) { return x[0] / x[1]; }
ld e_pow(const ld *x) { return powl(x[0], x[1]); }
ld e_neg(const ld *x) { return -x[0]; }

ld d_add(int k, const ld *x, ld v) { (void)k; (void)x; (void)v; return 1; }
ld d_sub(int k, const ld *x, ld v) { (void)x; (void)v; return k == 0 ? 1 : -1; }
ld d_mul(int k, const ld *x, ld v) { (void)v; return k == 0 ? x[1] : x[0]; }
ld d_div(int k, const ld *x, ld v) { (void)v; return k == 0 ? 1 / x[1] : -(x[0] / x[1]) / x[1]; }
ld d_neg(int k, const ld *x, ld v) { (void)k; (void)x; (void)v; return -1; }

ld d_pow(int k, const ld *x, ld v)
{
	if (k == 0)
		return x[1] == 2 ? 2 * x[0] : x[1] * powl(x[0], x[1] - 1);
	return v * logl(x[0]);
}

/* ---- elementwise functions ---- */

/* as the kernels compare: a NaN operand gives the other one */
ld e_min(const ld *x) { return x[0] < x[1] ? x[0] : x[1]; }
ld e_max(const ld *x) { return x[0] > x[1] ? x[0] : x[1]; }
/* ties send the whole gradient to the first operand */
ld d_min(int k, const ld *x, ld v) { (void)v; return (x[0] <= x[1]) == (k == 0); }
ld d_max(int k, const ld *x, ld v) { (void)v; return (x[0] >= x[1]) == (k == 0); }

/* clamp(x, lo, hi) = min(max(x, lo), hi), as torch.clamp: hi wins when
   lo > hi, a NaN x stays NaN.  The gradient goes to x where lo <= x <= hi
   (both ends, PyTorch's mask), else to the bound that is the result. */
ld e_clamp(const ld *x)
{
	ld m = x[0] < x[1] ? x[1] : x[0];
	return m > x[2] ? x[2] : m;
}
ld d_clamp(int k, const ld *x, ld v)
{
	(void)v;
	ld m = x[0] < x[1] ? x[1] : x[0];
	switch (k) {
	case 0: return x[0] >= x[1] && x[0] <= x[2];
	case 1: return x[0] < x[1] && !(m > x[2]);
	default: return m > x[2];
	}
}

/* A condition is 1 where it holds and 0 where not; it passes no gradient. */
#define COMPARISON(name, op) \
	ld e_##name(const ld *x) { return x[0] op x[1]; } \
	ld d_##name(int k, const ld *x, ld v) { (void)k; (void)x; (void)v; return 0; }
COMPARISON(lt, <) COMPARISON(le, <=) COMPARISON(gt, >) COMPARISON(ge, >=)
COMPARISON(eq, ==) COMPARISON(ne, !=)
#undef COMPARISON

/* where(c, a, b): the gradient goes to the side chosen, all of it. */
ld e_where(const ld *x) { return x[0] != 0 ? x[1] : x[2]; }
ld d_where(int k, const ld *x, ld v)
{
	(void)v;
	return k == 0 ? 0 : (x[0] != 0) == (k == 1);
}

ld e_exp(const ld *x) { return expl(x[0]); }
ld e_log(const ld *x) { return logl(x[0]); }
ld e_log1p(const ld *x) { return log1pl(x[0]); }
ld e_expm1(const ld *x) { return expm1l(x[0]); }
ld e_sqrt(const ld *x) { return sqrtl(x[0]); }
ld e_abs(const ld *x) { return fabsl(x[0]); }
ld e_square(const ld *x) { return x[0] * x[0]; }
ld e_tanh(const ld *x) { return tanhl(x[0]); }
ld e_relu(const ld *x) { return x[0] > 0 ? x[0] : 0; }

ld d_exp(int k, const ld *x, ld v) { (void)k; (void)x; return v; }
ld d_log(int k, const ld *x, ld v) { (void)k; (void)v; return 1 / x[0]; }
ld d_log1p(int k, const ld *x, ld v) { (void)k; (void)v; return 1 / (1 + x[0]); }
ld d_expm1(int k, const ld *x, ld v) { (void)k; (void)v; return expl(x[0]); }
ld d_sqrt(int k, const ld *x, ld v) { (void)k; (void)x; return 1 / (2 * v); }
ld d_abs(int k, const ld *x, ld v) { (void)k; (void)v; return (x[0] > 0) - (x[0] < 0); }
ld d_square(int k, const ld *x, ld v) { (void)k; (void)v; return 2 * x[0]; }
ld d_tanh(int k, const ld *x, ld v) { (void)k; (void)x; return 1 - v * v; }
ld d_relu(int k, const ld *x, ld v) { (void)k; (void)v; return x[0] > 0; }

static ld sigmoid(ld v) { return v >= 0 ? 1 / (1 + expl(-v)) : expl(v) / (1 + expl(v)); }
static ld softplus(ld v) { return v > 0 ? v + log1pl(expl(-v)) : log1pl(expl(v)); }

ld e_sigmoid(const ld *x) { return sigmoid(x[0]); }
ld e_log_sigmoid(const ld *x) { return -softplus(-x[0]); }
ld e_softplus(const ld *x) { return softplus(x[0]); }
ld d_sigmoid(int k, const ld *x, ld v) { (void)k; return v * sigmoid(-x[0]); }
ld d_log_sigmoid(int k, const ld *x, ld v) { (void)k; (void)v; return sigmoid(-x[0]); }
ld d_softplus(int k, const ld *x, ld v) { (void)k; (void)v; return sigmoid(x[0]); }

/* log(cosh(x)) = log1p(2 sinh(x/2)^2) near 0, |x| + log1p(e^-2|x|) - log 2 beyond */
ld e_log_cosh(const ld *x)
{
	ld a = fabsl(x[0]);
	if (a < 1) {
		ld s = sinhl(a / 2);
		return log1pl(2 * s * s);
	}
	return a + log1pl(expl(-2 * a)) - 0.693147180559945309417232121458176568L;
}

ld d_log_cosh(int k, const ld *x, ld v) { (void)k; (void)v; return tanhl(x[0]); }

/* huber_elem(d, delta) */
ld e_huber(const ld *x)
{
	ld m = fabsl(x[0]), k = x[1];
	return m <= k ? 0.5L * x[0] * x[0] : k * (m - 0.5L * k);
}

ld d_huber(int k, const ld *x, ld v)
{
	(void)v;
	ld m = fabsl(x[0]), delta = x[1];
	if (k == 1)
		return m <= delta ? 0 : m - delta;
	return x[0] > delta ? delta : x[0] < -delta ? -delta : x[0];
}

ld e_xlogx(const ld *x) { return x[0] == 0 ? 0 : x[0] * logl(x[0]); }
ld d_xlogx(int k, const ld *x, ld v) { (void)k; (void)v; return logl(x[0]) + 1; }

/* PyTorch's max(log(x), -100): log(0) = -inf becomes -100, NaN stays NaN */
static ld clamp100(ld l) { return l < -100 ? -100 : l; }

/* bce_elem(q, t), as torch.nn.functional.binary_cross_entropy */
ld e_bce(const ld *x)
{
	ld q = x[0], t = x[1];
	return (t - 1) * clamp100(log1pl(-q)) - t * clamp100(logl(q));
}

ld d_bce(int k, const ld *x, ld v)
{
	(void)v;
	ld q = x[0], t = x[1];
	if (k == 1)
		return clamp100(log1pl(-q)) - clamp100(logl(q));
	ld w = q * (1 - q);
	return (q - t) / (w > 1e-12L ? w : 1e-12L);
}

/* where bce's gradient is PyTorch's clamped formula, not the derivative
   (with room for a difference quotient's steps) */
int c_bce(const ld *x)
{
	return x[0] * (1 - x[0]) < 1e-10L;
}

/* ---- vector ops ---- */

static ld at(const op_vargs *a, unsigned k, long j)
{
	return a->x[k][a->len[k] ? j : 0];
}

static long len0(const op_vargs *a)
{
	return a->len[0] ? a->len[0] : 1;
}

void v_vec(const op_vargs *a, ld *out)
{
	for (unsigned i = 0; i < a->nargs; i++)
		out[i] = a->x[i][0];
}

void g_vec(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	(void)out;
	for (unsigned i = 0; i < a->nargs; i++)
		if (gx[i])
			gx[i][0] += gout[i];
}

/* v[y]: NaN for a label outside 0..K-1, as the kernels give */
void v_index(const op_vargs *a, ld *out)
{
	ld c = a->x[1][0];
	out[0] = c >= 0 && c < (ld)len0(a) && c == floorl(c) ? a->x[0][(long)c] : NAN;
}

void g_index(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	(void)out;
	ld c = a->x[1][0];
	if (gx[0] && c >= 0 && c < (ld)len0(a))
		gx[0][(long)c] += gout[0];
}

void v_sum(const op_vargs *a, ld *out)
{
	ld s = 0;
	for (long j = 0; j < len0(a); j++)
		s += at(a, 0, j);
	out[0] = s;
}

void g_sum(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	(void)out;
	for (long j = 0; gx[0] && j < len0(a); j++)
		gx[0][a->len[0] ? j : 0] += gout[0];
}

void v_mean(const op_vargs *a, ld *out)
{
	v_sum(a, out);
	out[0] /= len0(a);
}

void g_mean(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	(void)out;
	for (long j = 0; gx[0] && j < len0(a); j++)
		gx[0][a->len[0] ? j : 0] += gout[0] / len0(a);
}

/* The first element not below every earlier one wins; a NaN wins (and
   propagates), as in the kernels. */
static long arg_extreme(const op_vargs *a, int max)
{
	long best = 0;
	ld t = max ? -HUGE_VALL : HUGE_VALL;
	for (long j = 0; j < len0(a); j++) {
		ld x = at(a, 0, j);
		if (max ? !(x <= t) : !(x >= t)) {
			t = x;
			best = j;
		}
	}
	return best;
}

void v_vmax(const op_vargs *a, ld *out) { out[0] = at(a, 0, arg_extreme(a, 1)); }
void v_vmin(const op_vargs *a, ld *out) { out[0] = at(a, 0, arg_extreme(a, 0)); }

void g_vmax(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	(void)out;
	if (gx[0])
		gx[0][a->len[0] ? arg_extreme(a, 1) : 0] += gout[0];
}

void g_vmin(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	(void)out;
	if (gx[0])
		gx[0][a->len[0] ? arg_extreme(a, 0) : 0] += gout[0];
}

/* The max and the sum of exp(x - max), as the kernels keep them: the
   softmax is exp(x - m) / s and the log-softmax (x - m) - log s, never
   through m + log s (at |x| = 1e200, log 4 is lost in it). */
static void lse_parts(const op_vargs *a, ld *m, ld *s)
{
	*m = -HUGE_VALL;
	*s = 0;
	for (long j = 0; j < len0(a); j++)
		*m = fmaxl(*m, at(a, 0, j));
	for (long j = 0; j < len0(a); j++)
		*s += expl(at(a, 0, j) - *m);
}

void v_logsumexp(const op_vargs *a, ld *out)
{
	ld m, s;
	lse_parts(a, &m, &s);
	out[0] = m + logl(s);
}

void g_logsumexp(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	ld m, s;
	(void)out;
	lse_parts(a, &m, &s);
	for (long j = 0; gx[0] && j < len0(a); j++)
		gx[0][j] += gout[0] * (expl(at(a, 0, j) - m) / s);
}

void v_norm1(const op_vargs *a, ld *out)
{
	ld s = 0;
	for (long j = 0; j < len0(a); j++)
		s += fabsl(at(a, 0, j));
	out[0] = s;
}

void g_norm1(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	(void)out;
	for (long j = 0; gx[0] && j < len0(a); j++) {
		ld x = at(a, 0, j);
		gx[0][j] += gout[0] * ((x > 0) - (x < 0));
	}
}

/* long double has the exponent range for any double's square */
void v_norm2(const op_vargs *a, ld *out)
{
	ld s = 0;
	for (long j = 0; j < len0(a); j++)
		s += at(a, 0, j) * at(a, 0, j);
	out[0] = sqrtl(s);
}

/* d|v|/dv = v / |v|; at the zero vector, 0 (a subgradient) */
void g_norm2(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	for (long j = 0; gx[0] && j < len0(a); j++)
		gx[0][j] += out[0] > 0 ? gout[0] * (at(a, 0, j) / out[0]) : 0;
}

void v_dot(const op_vargs *a, ld *out)
{
	ld s = 0;
	for (long j = 0; j < len0(a); j++)
		s += at(a, 0, j) * at(a, 1, j);
	out[0] = s;
}

void g_dot(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	(void)out;
	for (long j = 0; j < len0(a); j++) {
		if (gx[0])
			gx[0][j] += gout[0] * at(a, 1, j);
		if (gx[1])
			gx[1][j] += gout[0] * at(a, 0, j);
	}
}

void v_softmax(const op_vargs *a, ld *out)
{
	ld m, s;
	lse_parts(a, &m, &s);
	for (long j = 0; j < a->n; j++)
		out[j] = expl(at(a, 0, j) - m) / s;
}

/* da_j = s_j (g_j - sum_k g_k s_k) */
void g_softmax(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	ld rho = 0;
	for (long k = 0; k < a->n; k++)
		rho += gout[k] * out[k];
	for (long j = 0; gx[0] && j < a->n; j++)
		gx[0][j] += out[j] * (gout[j] - rho);
}

void v_log_softmax(const op_vargs *a, ld *out)
{
	ld m, s;
	lse_parts(a, &m, &s);
	for (long j = 0; j < a->n; j++)
		out[j] = (at(a, 0, j) - m) - logl(s);
}

/* da_j = g_j - softmax_j sum_k g_k */
void g_log_softmax(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	ld m, s, sigma = 0;
	(void)out;
	lse_parts(a, &m, &s);
	for (long k = 0; k < a->n; k++)
		sigma += gout[k];
	for (long j = 0; gx[0] && j < a->n; j++)
		gx[0][j] += gout[j] - expl(at(a, 0, j) - m) / s * sigma;
}

void v_onehot(const op_vargs *a, ld *out)
{
	for (long j = 0; j < a->n; j++)
		out[j] = (ld)j == a->x[0][0];
}

/* a class label has no gradient */
void g_none(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	(void)a; (void)out; (void)gout; (void)gx;
}

/* ---- over the batch: the rows are the elements of operand 0 ---- */

/* unbiased variance, centred on the mean (two passes); NaN for one row */
void v_bvar(const op_vargs *a, ld *out)
{
	ld m;
	v_mean(a, &m);
	ld s = 0;
	for (long j = 0; j < len0(a); j++)
		s += (at(a, 0, j) - m) * (at(a, 0, j) - m);
	out[0] = s / (ld)(len0(a) - 1);
}

/* d var / d x_j = 2 (x_j - mean) / (B - 1) */
void g_bvar(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	(void)out;
	ld m;
	v_mean(a, &m);
	for (long j = 0; gx[0] && j < len0(a); j++)
		gx[0][a->len[0] ? j : 0] += gout[0] * 2 * (at(a, 0, j) - m) / (ld)(len0(a) - 1);
}

void v_bstd(const op_vargs *a, ld *out)
{
	v_bvar(a, out);
	out[0] = sqrtl(out[0]);
}

/* d std / d x_j = (x_j - mean) / ((B - 1) std); where every row is
   equal std has no derivative, and 0 is taken (a subgradient) */
void g_bstd(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	ld m;
	v_mean(a, &m);
	for (long j = 0; gx[0] && j < len0(a); j++)
		gx[0][a->len[0] ? j : 0] += out[0] > 0 ? gout[0] * (at(a, 0, j) - m) / ((ld)(len0(a) - 1) * out[0]) : 0;
}

/* ---- across the rows (OK_CROSS): the whole batch at once ---- */

/* a @ transpose(b): row i, element j is a_i . b_j (D elements each) */
void v_gram(const op_vargs *a, ld *out)
{
	long D = a->len[0], B = a->rows;
	for (long i = 0; i < B; i++)
		for (long j = 0; j < B; j++) {
			ld s = 0;
			for (long k = 0; k < D; k++)
				s += a->x[0][i * D + k] * a->x[1][j * D + k];
			out[i * B + j] = s;
		}
}

/* d/da_i = sum_j g_ij b_j; d/db_j = sum_i g_ij a_i */
void g_gram(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	(void)out;
	long D = a->len[0], B = a->rows;
	for (long i = 0; i < B; i++)
		for (long j = 0; j < B; j++)
			for (long k = 0; k < D; k++) {
				if (gx[0])
					gx[0][i * D + k] += gout[i * B + j] * a->x[1][j * D + k];
				if (gx[1])
					gx[1][j * D + k] += gout[i * B + j] * a->x[0][i * D + k];
			}
}

/* transpose(M) of a B x B matrix: row i is column i */
/* cdist(a, b): row i, element j is ||a_i - b_j|| (torch.cdist, p = 2) */
void v_cdist(const op_vargs *a, ld *out)
{
	long D = a->len[0], B = a->rows;
	for (long i = 0; i < B; i++)
		for (long j = 0; j < B; j++) {
			ld s = 0;
			for (long k = 0; k < D; k++) {
				ld t = a->x[0][i * D + k] - a->x[1][j * D + k];
				s += t * t;
			}
			out[i * B + j] = sqrtl(s);
		}
}

/* d/da_i = sum_j g_ij (a_i - b_j) / d_ij, and minus that into b_j; where
   d_ij is exactly 0 the pair sends nothing (PyTorch's zero gradient); a
   NaN distance sends NaN, as PyTorch's */
void g_cdist(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	long D = a->len[0], B = a->rows;
	for (long i = 0; i < B; i++)
		for (long j = 0; j < B; j++) {
			ld d = out[i * B + j];
			if (d == 0)
				continue;
			for (long k = 0; k < D; k++) {
				ld t = gout[i * B + j] * (a->x[0][i * D + k] - a->x[1][j * D + k]) / d;
				if (gx[0])
					gx[0][i * D + k] += t;
				if (gx[1])
					gx[1][j * D + k] -= t;
			}
		}
}

void v_transpose(const op_vargs *a, ld *out)
{
	long B = a->rows;
	for (long i = 0; i < B; i++)
		for (long j = 0; j < B; j++)
			out[i * B + j] = a->x[0][j * B + i];
}

void g_transpose(const op_vargs *a, const ld *out, const ld *gout, ld *const *gx)
{
	(void)out;
	long B = a->rows;
	for (long i = 0; gx[0] && i < B; i++)
		for (long j = 0; j < B; j++)
			gx[0][j * B + i] += gout[i * B + j];
}
