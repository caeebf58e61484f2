/*
 * ops.h: one row per IR op, the single source of truth of what each op
 * means.  Every phase reads the row; none switches on an op name:
 *
 *   surface     name, parameters and their kinds (funcs.h looks calls up)
 *   analysis    domain (and the finding for leaving it), interval
 *               transfer, curvature, monotonicity per operand, smoothness
 *               and the points where it kinks (analyze.c, dcp.h)
 *   evaluation  a long double evaluator and the analytic partial
 *               derivatives (ireval.h: constant folding, the analyzer's
 *               witnesses, the agreement tests)
 *   C text      templates for the value and each partial, instantiated
 *               for float, double and long double (gen_template.c), the
 *               helper functions they call, and for loops (reductions,
 *               softmax) the accumulation, its finish and its adjoint
 *
 * The table is `ops[IR_NOPS]`, written with designated initializers
 * (`[IR_EXP] = { ... }`): a missing row is a zero row, which
 * tests/unit/test_ops.c rejects, and every switch over ir_op or op_kind
 * has no `default:`, so the compiler lists each place a new op or kind
 * must be handled.
 *
 * C text templates.  A template is C text with escapes, expanded per
 * precision (float32 kernel, float64 kernel, long double reference):
 *   %0 %1 %2   the operands (element expressions inside loops)
 *   %v         the op's own value (a scalar's local, or its element)
 *   %g         the adjoint flowing in (adjoint templates)
 *   %a         the accumulator (loop finish templates)
 *   %n         the loop's length, %j the element index
 *   %M %N      a scale's running max, and the new max (op_scale)
 *   %L %I      a scale's two derived values (op_scale.derived)
 *   %T         the floating type; %f the libm suffix (expf/exp/expl)
 *   %H %Q      the type's HUGE_VAL, and its smallest normal number
 *   %k(NUM)    the number NUM as a literal of the precision
 *   %E         exp of an argument <= 0 (float32: the inline, vectorizable
 *              lc_exp_shifted_f; otherwise libm's exp)
 *   %{name}    the helper `name` in this precision (lc_name_f/_d/_l),
 *              marked used so its definition is emitted
 *   %%         a percent sign
 * Operand texts are parenthesized or atoms; a template parenthesizes its
 * own result unless it is a call.
 *
 * Ownership: static, read-only data.
 */
#ifndef LOSSC_OPS_H
#define LOSSC_OPS_H

#include <stddef.h>

#include "ast.h"
#include "interval.h"
#include "ir.h"

/* Fixed-arity ops have at most this many operands (v2 adds 3-operand ops). */
#define OP_MAX_ARGS 3
/* Parameters of a callable row (an op or a composite loss). */
#define FN_MAX_PARAMS 8

typedef enum fn_group {
	FG_LEAF,                /* constants, outputs, inputs, labels, [..], v[y]: not callable */
	FG_ELEMWISE,            /* real or real[N] -> same shape */
	FG_REDUCE,              /* real[N] -> real */
	FG_VECTOR,              /* real[N] -> real[N]; class[K] -> real[K] */
	FG_BATCH,               /* a per-example scalar over the batch -> per batch (needs `batch`) */
	FG_LOSS,                /* per-example losses: composite, expand to ops (losses.h) */
	FG_OPERATOR,            /* + - * / ^ and unary - (not callable by name) */
	FG_INTERNAL             /* callable only inside a loss's expansion */
} fn_group;

/* What an argument may be. */
typedef enum fn_argkind {
	AK_REAL,                /* real scalar or real[N] (prob/binary/sign values count as real) */
	AK_VECTOR,              /* real[N], N >= 1 */
	AK_CLASS,               /* a class[K] label */
	AK_CLASS_OR_PROB,       /* a class[K] label, or a real[K] (prob[K]) target */
	AK_BINARY_OR_SIGN,      /* a binary or sign label, or any real scalar target */
	AK_SIGN,                /* a sign label (-1 or +1), or the constant -1 or 1 */
	AK_CONST,               /* a constant real scalar (number, param, arithmetic on them) */
	AK_COND,                /* a condition: a comparison (only where() takes one) */
	AK_SIZE                 /* the name of the loss's batch size (arange(B)): no value */
} fn_argkind;

/* Monotonicity of an op in one operand. */
typedef enum fn_mono {
	MONO_NONE,              /* neither, in general */
	MONO_INC,               /* nondecreasing */
	MONO_DEC,               /* nonincreasing */
	MONO_SIGN               /* nondecreasing where the operand is >= 0, nonincreasing
	                           where it is <= 0 (abs, square, huber, norms): the analyzer
	                           picks one from the operand's interval, as CVXPY does */
} fn_mono;

typedef enum fn_smooth {
	SM_SMOOTH,              /* infinitely differentiable on its domain */
	SM_C1,                  /* continuously differentiable, second derivative jumps (huber) */
	SM_KINKS,               /* derivative jumps where operand 0 (an element of it, for a
	                           reduction) is one of `kinks` (abs, relu; norm1 at 0) */
	SM_KINK_AT_TIE,         /* derivative jumps where two operands / elements tie (min, max) */
	SM_KINK_AT_ZERO,        /* derivative jumps only where operand 0 is the zero vector (every
	                           element 0 at once), where the value is 0 (norm2) */
	SM_EDGE,                /* smooth inside the domain, slope infinite where operand 0 is
	                           one of `kinks` (sqrt at 0) */
	SM_SPECIAL              /* decided by the row's kink_rule (x^p depends on p, x/y) */
} fn_smooth;

/* Limits on a constant argument (AK_CONST), checked when a call is lowered. */
typedef struct fn_limits {
	unsigned char on;       /* 0: any value */
	unsigned char lo_open, hi_open, integer;
	double lo, hi;
} fn_limits;

/*
 * Values an argument (or operand) must stay in: outside it the function
 * is undefined or its float evaluation meaningless.  code is the finding
 * for an argument whose interval is not inside ("LS303" for log); NULL:
 * defined everywhere.  nonzero: the domain is every value but 0 (a
 * divisor).  msg starts the finding's message ("log of a value that may
 * be zero or negative").
 */
typedef struct fn_domain {
	const char *code;
	double lo, hi;
	unsigned char lo_open, hi_open, nonzero;
	unsigned char arg;      /* which operand */
	const char *msg;
} fn_domain;

typedef struct fn_param {
	const char *name;       /* "logits", "delta"; named args use this name */
	fn_argkind kind;
	unsigned char has_default;   /* 1: optional, may be given as name=value */
	double def;             /* the default when has_default */
	fn_limits limits;       /* AK_CONST: allowed values */
	unsigned char match;    /* composite losses: 0 any shape; PM_SAME / PM_BROADCAST ... */
	unsigned char with;     /* ... as the argument `with` */
	fn_domain domain;       /* composite losses: the argument's domain (LS308) */
} fn_param;

enum { PM_ANY, PM_SAME, PM_BROADCAST };

/* The callable face of a row (ops and composite losses). */
typedef struct fn_sig {
	const char *name;       /* surface name ("exp", "max", "cross_entropy", "+") */
	fn_group group;
	int min_args, max_args; /* argument count bounds; max -1: any number ([..]) */
	fn_param params[FN_MAX_PARAMS];
	const char *doc;        /* one line for lossspec(5) */
} fn_sig;

typedef enum op_kind {
	OK_LEAF,                /* no operands: const, output, input, label */
	OK_VEC,                 /* a vector of its scalar operands */
	OK_INDEX,               /* args[0] (real[K]) at args[1] (class[K]) */
	OK_ELEM,                /* elementwise, scalars broadcast */
	OK_REDUCE,              /* real[N] operands -> real by a loop (op_loop) */
	OK_VECTOR,              /* real[N] (or class[K]) -> real[N] (op_vector) */
	OK_BATCH,               /* a per-example real scalar over the rows of the batch ->
	                           one per-batch scalar (op_batch); veval/vgrad see the rows
	                           as one vector of n elements */
	OK_CROSS                /* per-example vectors over every row of the batch -> a row
	                           as long as the batch (real[B]) whose row i reads other
	                           rows: veval/vgrad see the whole batch (op_vargs.rows) */
} op_kind;

/* ---- evaluation (long double, in process) ---- */

typedef long double (*op_eval_fn)(const long double *x);
/* d(op)/d(operand k) at x, given the value v = eval(x). */
typedef long double (*op_partial_fn)(int k, const long double *x, long double v);

/* Operands of a vector op: len[k] elements each (0: a scalar; a class
   label is one element holding its index).  OK_CROSS: the batch of
   `rows` rows, each operand's rows one after another (x[k][r * len[k] +
   j]) and the result's too (out[r * n + j], n == rows). */
typedef struct op_vargs {
	unsigned nargs;
	const long *len;
	const long double *const *x;
	long n;                 /* the result's length (0: a scalar) */
	long rows;              /* OK_CROSS: the batch's rows; else unused (0) */
} op_vargs;
typedef void (*op_veval_fn)(const op_vargs *a, long double *out);
/* Adds d(result)/d(operand k) . gout into gx[k] (gx[k] NULL: not wanted). */
typedef void (*op_vgrad_fn)(const op_vargs *a, const long double *out, const long double *gout,
			    long double *const *gx);

/* ---- analysis hooks (for the ops the generic rules do not cover) ---- */

/* A domain finding: code, and the message (without the code). */
typedef struct op_finding {
	const char *code;
	char msg[480];
} op_finding;

/* Curvature of n from its analyzed operands; on CURV_UNKNOWN may set
   *why (what breaks the rules) and *blame (the operand to look into, or
   NULL: n itself is the culprit). */
typedef ir_curv (*op_curv_rule)(const ir_node *n, const char **why, const ir_node **blame);
typedef int (*op_kink_rule)(const ir_node *n);
/* 1 and *f filled: n's operands may leave its domain (beyond `domain`). */
typedef int (*op_check_rule)(const ir_node *n, ast_precision prec, op_finding *f);
/* Interval transfer: the set of results for operands in args[0..nargs);
   n is operand 0's vector length (0 for a scalar). */
typedef ival (*fn_range_fn)(const ival *args, int nargs, long n);

/*
 * A hand-proven bound (ops_proofs.c): where the rule applies to node n, n's
 * value lies in *out whatever its operands' intervals allow, because of an
 * identity interval arithmetic cannot see (x * x >= 0 for any x;
 * logsumexp(v) >= v[i]; e^x >= 1 + x).  The analyzer intersects n's
 * interval with it and remembers the rule, so a proven claim can say what
 * proved it (--explain-value).  Every rule has its justification beside
 * it and a test in tests/unit/test_proofs.c.
 */
typedef struct op_proof {
	const char *name;       /* "Gibbs' inequality" */
	const char *why;        /* the fact, one line: "KL(p || q) >= 0 when p and q sum to 1" */
	int (*bound)(const ir_node *n, ival *out);   /* 1: the rule applies and *out holds n */
} op_proof;

/* How a negative value passes through an op (for the LS501 note). */
enum { SIGN_OPAQUE, SIGN_KEEPS, SIGN_PRODUCT };

/* ---- C text for loops ---- */

/*
 * A running sum kept beside a running max of its elements' keys, so that
 * no term overflows: the log-sum-exp (key x, term exp(x - max)) and the
 * scaled sum of squares of norm2 (key |x|, term (x / max)^2).  Every op
 * over the same operand with the same op_scale shares one (softmax,
 * log_softmax and logsumexp of z: one pass).  The kernel keeps it per
 * chunk and rescales the sum when the max grows.
 */
typedef struct op_scale {
	const char *key;        /* of %0: the value whose max is kept */
	const char *max0;       /* the max before any element */
	const char *term;       /* of %0 and the max %M: the element's term */
	const char *rescale;    /* the factor on the sum when the max grows from %M to %N */
	const char *derived[2]; /* of the sum %a (and %M): %L and %I (NULL: unused) */
} op_scale;

enum { ADJ_NONE, ADJ_ONE, ADJ_ONEHOT, ADJ_ELEM };

/* d(result)/d(operand element j) = coef * (1 | [j == at] | elem(j)). */
typedef struct op_adjoint {
	int kind;
	const char *coef;       /* of %g (the adjoint in), %v, %n */
	const char *elem;       /* ADJ_ELEM: of %0 %1 (element j), %v, %M %L %I */
} op_adjoint;

enum { ACC_SUM, ACC_ARGMAX, ACC_ARGMIN };

/* A reduction: one accumulator over the elements, then a finish. */
typedef struct op_loop {
	int acc;                /* ACC_SUM (in independent lanes) or a running arg-max/min */
	const op_scale *scale;  /* the shared scaled sum it reads, or NULL */
	const char *term;       /* ACC_SUM: of %0 %1 (element j), added; ACC_ARG*: compared */
	const char *finish;     /* of %a (the sum), %n, %M %L %I: the result */
	op_adjoint adj[OP_MAX_ARGS];
} op_loop;

/* A vector op whose element j is `elem`, and its adjoint
   da_j = pass(g)_j - (sum_k g_k w_k) * minus_j. */
typedef struct op_vector {
	const op_scale *scale;
	const char *elem;       /* of %0 (element j), %j, %M %L %I */
	const char *pass;       /* NULL: the incoming adjoint g_j itself; else g_j * pass */
	const char *weight;     /* w_k; NULL: 1 */
	int weights_sum_to_one; /* sum_k w_k = 1 (a softmax) */
	const char *minus;      /* of %0, %v (element j) */
} op_vector;

/*
 * A statistic over the rows of the batch (OK_BATCH): one or two passes
 * over the rows, each summing `term` over them (in double, in row order)
 * and ending with `finish`.  The second pass, when there is one, reads
 * the first one's result as %M (the mean, for the centred sum of squares
 * of var and std: two passes, not the cancelling sum(x^2) - n mean^2).
 * %n is the batch size as a floating value.
 */
typedef struct op_batch {
	const char *term[2];    /* of %0 (the row's value) and %M; term[1] NULL: one pass */
	const char *finish[2];  /* of %a (the pass's sum), %n and %M */
} op_batch;

/*
 * A row across the batch (OK_CROSS) in C: element j of row i is either
 * finish(sum over k of term(a_i[k], b_j[k])), a contraction of two rows
 * (a @ transpose(b), cdist), or, with swap, operand 0's element i of row
 * j (a transpose).  The adjoint of a contraction: operand 0's row i gets
 * sum_j g_ij * partial[0], operand 1's row j gets sum_i g_ij * partial[1]
 * (templates of %0 = a_i[k], %1 = b_j[k] and %v, the element); a swap
 * sends g_ij back to element i of row j.  Sums run in double.
 */
typedef struct op_cross {
	int swap;               /* 1: element (i, j) is operand 0's (j, i); the rest unused */
	const char *term;       /* of %0 %1: the contraction's term */
	const char *finish;     /* of %a, the sum */
	const char *partial[2]; /* d term / d %0, d term / d %1 */
} op_cross;

/* ---- the row ---- */

typedef struct op_info {
	fn_sig sig;
	op_kind kind;
	unsigned char gives_cond;       /* the result is a condition (comparisons), not a number */

	/* analysis */
	fn_domain domain;
	fn_range_fn range;      /* NULL for a unary elementwise op without a domain that is
	                           monotone (MONO_INC/DEC/SIGN): its image from `eval` */
	ival (*range_rule)(const ir_node *n);   /* instead of range, where it depends on the node */
	ir_curv curv;           /* of the function itself (CURV_UNKNOWN: curv_rule decides) */
	fn_mono mono[OP_MAX_ARGS];
	fn_smooth smooth;
	const double *kinks;    /* SM_KINKS / SM_EDGE: operand 0's points, NaN-terminated */
	const double *edges;    /* more points of operand 0 worth sampling (branches,
	                           overflow), NaN-terminated; NULL: none */
	int sign;               /* SIGN_* */
	op_curv_rule curv_rule;
	op_kink_rule kink_rule;
	const char *kink_what;  /* the LS502 note's wording, "has a pole where %1 = 0" (%0 %1:
	                           the operands, %p: the kink point); NULL: from `smooth` */
	op_check_rule check;
	/* LS410: node n's slope is infinite where operand 0 is 0 (sqrt; x^p for
	   a constant 0 < p < 1); NULL: never.  inf_slope_what ends "the
	   gradient of ..." in the finding: "sqrt is infinite where its
	   argument is 0". */
	int (*inf_slope)(const ir_node *n);
	const char *inf_slope_what;
	const op_proof *const *proofs;  /* hand-proven bounds, NULL-terminated; NULL: none */

	/* evaluation */
	op_eval_fn eval;        /* OK_ELEM */
	op_partial_fn partial;  /* OK_ELEM */
	/* OK_ELEM: 1 where `partial` follows a convention instead of the
	   derivative (bce's clamped denominator); NULL: nowhere but kinks */
	int (*convention)(const long double *x);
	op_veval_fn veval;      /* OK_VEC, OK_INDEX, OK_REDUCE, OK_VECTOR */
	op_vgrad_fn vgrad;

	/* C text */
	const char *c_value;                    /* OK_ELEM */
	const char *c_partial[OP_MAX_ARGS];     /* OK_ELEM */
	/* optional: the template for this node (which: -1 the value, k the
	   partial in operand k) when it depends on the node (x^2) */
	const char *(*c_pick)(const ir_node *n, int which);
	const op_loop *loop;                    /* OK_REDUCE */
	const op_vector *vec;                   /* OK_VECTOR */
	const op_batch *batch;                  /* OK_BATCH */
	const op_cross *cross;                  /* OK_CROSS */
	/* OK_REDUCE: the batch statistic the same call is when its operand is a
	   per-example scalar, whose last axis is the batch (mean(adv)); or 0 */
	ir_op over_batch;
} op_info;

extern const op_info ops[IR_NOPS];

/* Helper functions the templates call as %{name}: C text over the
   precision (%T, %f, %k, %{...}), emitted once per precision used. */
typedef struct op_helper {
	const char *name;
	const char *text;       /* the whole definition */
	int f32_only;
} op_helper;

extern const op_helper op_helpers[];
extern const size_t op_nhelpers;

/* The hand-proven bounds (ops_proofs.c), for the rows of ops.c and losses.c. */
extern const op_proof pf_equal_factors, pf_self_dot, pf_max_opposite, pf_min_opposite,
	pf_cauchy_schwarz, pf_exp_tangent, pf_logsumexp, pf_softplus_line, pf_gibbs;

/* The row of an op (never NULL for op < IR_NOPS). */
const op_info *ops_row(ir_op op);

/* Where the derivative jumps (ops_rules.c).  Some kink point of the row
   inside operand 0's interval, or NaN. */
double ops_kink_inside(const op_info *row, const ir_node *x);
/* Node n itself (not its operands) may break continuous differentiability
   in the outputs: only non-constant operands count. */
int ops_own_kink(const ir_node *n);
/* The kinks of operand x (x->kink) do not survive n: n's partial in x
   is 0 where x kinks (max(0, u)^2, relu(u) * u, square(norm2(v))). */
int ops_smoothed_kink(const ir_node *n, const ir_node *x);

/* The interval of an op's result from its operands' (the row's rule). */
ival ops_range(const op_info *row, const ival *args, int nargs, long n);
/* ops_range's n for a vector whose length is a named size: any whole
   number >= 1, bound when the generated functions are called. */
#define OP_LEN_NAMED (-1L)

/* The domain and overflow findings for node n (analyzed), or 0. */
int ops_check(const ir_node *n, ast_precision prec, op_finding *f);
/* Some value of the interval x lies outside the domain d. */
int ops_outside(ival x, const fn_domain *d);
/* Every value of the interval x lies outside the domain d (log(0), x / 0). */
int ops_never_inside(ival x, const fn_domain *d);
/* The domain as a condition on x ("x > 0", "x != 0"); returns buf. */
char *ops_domain_str(const fn_domain *d, char *buf, size_t size);

/* "constant", "affine", "convex", ... */
const char *fn_curv_name(ir_curv c);

#endif
