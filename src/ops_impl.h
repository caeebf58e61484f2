/*
 * ops_impl.h: the functions the rows of ops.c point at, defined in
 * ops_range.c (interval transfers), ops_eval.c (long double evaluators
 * and derivatives) and ops_rules.c (operand-dependent analysis rules).
 * Internal to the ops module: other modules read the rows (ops.h).
 */
#ifndef LOSSC_OPS_IMPL_H
#define LOSSC_OPS_IMPL_H

#include "ops.h"

/* ops_range.c */
ival iv_abs(ival a);
ival r_exp(const ival *x, int na, long n);
ival r_log(const ival *x, int na, long n);
ival r_log1p(const ival *x, int na, long n);
ival r_expm1(const ival *x, int na, long n);
ival r_sqrt(const ival *x, int na, long n);
ival r_abs(const ival *x, int na, long n);
ival r_square(const ival *x, int na, long n);
ival r_sigmoid(const ival *x, int na, long n);
ival r_log_sigmoid(const ival *x, int na, long n);
ival r_softplus(const ival *x, int na, long n);
ival r_tanh(const ival *x, int na, long n);
ival r_relu(const ival *x, int na, long n);
ival r_huber(const ival *x, int na, long n);
ival r_xlogx(const ival *x, int na, long n);
ival r_bce(const ival *x, int na, long n);
ival r_neg(const ival *x, int na, long n);
ival r_add(const ival *x, int na, long n);
ival r_sub(const ival *x, int na, long n);
ival r_mul(const ival *x, int na, long n);
ival r_div(const ival *x, int na, long n);
ival r_pow(const ival *x, int na, long n);
ival r_min(const ival *x, int na, long n);
ival r_max(const ival *x, int na, long n);
ival r_sum(const ival *x, int na, long n);
ival r_same(const ival *x, int na, long n);
ival r_vec(const ival *x, int na, long n);
ival r_logsumexp(const ival *x, int na, long n);
ival r_norm1(const ival *x, int na, long n);
ival r_norm2(const ival *x, int na, long n);
ival r_dot(const ival *x, int na, long n);
ival r_softmax(const ival *x, int na, long n);
ival r_log_softmax(const ival *x, int na, long n);
ival r_onehot(const ival *x, int na, long n);
ival r_clamp(const ival *x, int na, long n);
ival r_cmp(const ival *x, int na, long n);
ival r_where(const ival *x, int na, long n);
ival r_bsum(const ival *x, int na, long n);
ival r_bvar(const ival *x, int na, long n);
ival r_bstd(const ival *x, int na, long n);
ival r_cdist(const ival *x, int na, long n);

/* ops_eval.c */
#define OPS_EVAL(name) \
	long double e_##name(const long double *x); \
	long double d_##name(int k, const long double *x, long double v);
OPS_EVAL(add) OPS_EVAL(sub) OPS_EVAL(mul) OPS_EVAL(div) OPS_EVAL(pow) OPS_EVAL(neg)
OPS_EVAL(min) OPS_EVAL(max) OPS_EVAL(exp) OPS_EVAL(log) OPS_EVAL(log1p) OPS_EVAL(expm1)
OPS_EVAL(sqrt) OPS_EVAL(abs) OPS_EVAL(square) OPS_EVAL(tanh) OPS_EVAL(relu) OPS_EVAL(log_cosh)
OPS_EVAL(sigmoid) OPS_EVAL(log_sigmoid) OPS_EVAL(softplus)
OPS_EVAL(huber) OPS_EVAL(xlogx) OPS_EVAL(bce) OPS_EVAL(clamp) OPS_EVAL(where)
OPS_EVAL(lt) OPS_EVAL(le) OPS_EVAL(gt) OPS_EVAL(ge) OPS_EVAL(eq) OPS_EVAL(ne)
#undef OPS_EVAL

#define OPS_VEVAL(name) \
	void v_##name(const op_vargs *a, long double *out); \
	void g_##name(const op_vargs *a, const long double *out, const long double *gout, \
		      long double *const *gx);
OPS_VEVAL(vec) OPS_VEVAL(index) OPS_VEVAL(sum) OPS_VEVAL(mean) OPS_VEVAL(vmax) OPS_VEVAL(vmin)
OPS_VEVAL(logsumexp) OPS_VEVAL(norm1) OPS_VEVAL(norm2) OPS_VEVAL(dot)
OPS_VEVAL(softmax) OPS_VEVAL(log_softmax) OPS_VEVAL(onehot) OPS_VEVAL(bvar) OPS_VEVAL(bstd)
OPS_VEVAL(gram) OPS_VEVAL(transpose) OPS_VEVAL(cdist)
#undef OPS_VEVAL
int c_bce(const long double *x);
void g_none(const op_vargs *a, const long double *out, const long double *gout, long double *const *gx);

/* ops_rules.c */
ir_curv cr_mul(const ir_node *n, const char **why, const ir_node **blame);
ir_curv cr_dot(const ir_node *n, const char **why, const ir_node **blame);
ir_curv cr_cdist(const ir_node *n, const char **why, const ir_node **blame);
ir_curv cr_gram(const ir_node *n, const char **why, const ir_node **blame);
int kr_cdist(const ir_node *n);
ir_curv cr_div(const ir_node *n, const char **why, const ir_node **blame);
ir_curv cr_pow(const ir_node *n, const char **why, const ir_node **blame);
ir_curv cr_bce(const ir_node *n, const char **why, const ir_node **blame);
ir_curv cr_vec(const ir_node *n, const char **why, const ir_node **blame);
ir_curv cr_index(const ir_node *n, const char **why, const ir_node **blame);
ir_curv cr_clamp(const ir_node *n, const char **why, const ir_node **blame);
ir_curv cr_cmp(const ir_node *n, const char **why, const ir_node **blame);
ir_curv cr_where(const ir_node *n, const char **why, const ir_node **blame);
int kr_div(const ir_node *n);
int kr_pow(const ir_node *n);
int is_always(const ir_node *n);
int is_pow_root(const ir_node *n);
ir_curv cr_sqrt(const ir_node *n, const char **why, const ir_node **blame);
int kr_clamp(const ir_node *n);
int kr_bstd(const ir_node *n);
int ck_pow(const ir_node *n, ast_precision prec, op_finding *f);
int ck_exp(const ir_node *n, ast_precision prec, op_finding *f);

#endif
