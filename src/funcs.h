/*
 * funcs.h: the one table of LossSpec's built-in functions.
 *
 * Every fact about a built-in lives in its row: arity and named arguments,
 * argument kinds, result shape, the IR op a primitive lowers to (or how a
 * composite loss expands), and for primitives the semantics the analyzer
 * needs: domain, interval transfer (range/sign rule), curvature,
 * monotonicity per argument (sign-dependent where it is, as in CVXPY),
 * and smoothness.  The type checker (ir.c), the analyzer (analyze.c),
 * `lossc gen` and `lossc explain`/lossspec(5) all read this table; nothing
 * else may hard-code a function's properties.
 *
 * Operators (+ - * / ^ unary-) and the internal primitives that only
 * expansions produce (huber's elementwise kernel, xlogx) have rows too
 * (group FG_OPERATOR / FG_INTERNAL), so every IR op has exactly one row
 * with its semantics: funcs_for_op().
 *
 * Ownership: the table is static, read-only data.
 */
#ifndef LOSSC_FUNCS_H
#define LOSSC_FUNCS_H

#include <stdio.h>

#include "interval.h"
#include "ir.h"

typedef enum fn_group {
	FG_ELEMWISE,            /* real or real[N] -> same shape */
	FG_REDUCE,              /* real[N] -> real */
	FG_VECTOR,              /* real[N] -> real[N]; class[K] -> real[K] */
	FG_LOSS,                /* per-example losses: composite, expand to primitives */
	FG_OPERATOR,            /* + - * / ^ and unary - (not callable by name) */
	FG_INTERNAL             /* produced by expansions only (not callable by name) */
} fn_group;

/* What an argument may be. */
typedef enum fn_argkind {
	AK_REAL,                /* real scalar or real[N] (prob/binary/sign values count as real) */
	AK_VECTOR,              /* real[N], N >= 1 */
	AK_CLASS,               /* a class[K] label */
	AK_CLASS_OR_PROB,       /* a class[K] label, or a real[K] (prob[K]) target */
	AK_BINARY_OR_SIGN,      /* a binary or sign label, or any real scalar target */
	AK_CONST                /* a constant real scalar (number, param, arithmetic on them) */
} fn_argkind;

/* How the result's shape follows from the arguments. */
typedef enum fn_shape {
	SH_ELEMWISE,            /* broadcast of the real arguments */
	SH_SCALAR,              /* real */
	SH_LIKE_ARG0,           /* the shape of the first argument */
	SH_ONEHOT               /* real[K] from class[K] */
} fn_shape;

/* Monotonicity of a primitive in one argument. */
typedef enum fn_mono {
	MONO_NONE,              /* neither, in general */
	MONO_INC,               /* nondecreasing */
	MONO_DEC,               /* nonincreasing */
	MONO_SIGN               /* nondecreasing where the argument is >= 0, nonincreasing
	                           where it is <= 0 (abs, square, huber, norms): the analyzer
	                           picks one from the argument's interval, as CVXPY does */
} fn_mono;

typedef enum fn_smooth {
	SM_SMOOTH,              /* infinitely differentiable on its domain */
	SM_C1,                  /* continuously differentiable, second derivative jumps (huber) */
	SM_KINK_AT_ZERO,        /* derivative jumps where the argument is 0 (abs, relu, norm2
	                           at the zero vector) */
	SM_KINK_AT_TIE,         /* derivative jumps where two arguments / elements tie (min, max) */
	SM_EDGE,                /* smooth inside the domain, derivative infinite at its
	                           closed edge (sqrt at 0) */
	SM_SPECIAL              /* decided by the analyzer (x^p depends on p) */
} fn_smooth;

#define FN_MAX_PARAMS 3

typedef struct fn_param {
	const char *name;       /* "logits", "delta"; named args use this name */
	fn_argkind kind;
	int has_default;        /* 1: optional, may be given as name=value */
	double def;             /* the default when has_default */
} fn_param;

/*
 * Domain of the first argument: values outside it make the function
 * undefined (log of 0) or its float evaluation meaningless.  code is the
 * finding for an argument whose interval is not inside the domain
 * ("LS303" for log, "LS304" for sqrt); NULL: defined everywhere.
 */
typedef struct fn_domain {
	const char *code;
	double lo, hi;
	unsigned char lo_open, hi_open;
} fn_domain;

/* Interval transfer: the set of results for arguments in args[0..nargs).
   n is the vector length of the first argument (0 for a scalar); k is the
   op's constant parameter (huber's delta), if any. */
typedef ival (*fn_range_fn)(const ival *args, int nargs, long n, double k);

typedef struct fn_info {
	const char *name;       /* surface name ("exp", "max", "cross_entropy", "+") */
	fn_group group;
	int min_args, max_args; /* positional count bounds; named args count too */
	fn_param params[FN_MAX_PARAMS];
	fn_shape shape;
	ir_op op;               /* primitives: the op; FG_LOSS rows: IR_NOPS */
	/* Primitive semantics (unused in FG_LOSS rows, whose semantics are
	   those of their expansion). */
	fn_domain domain;
	fn_range_fn range;
	ir_curv curv;           /* CURV_AFFINE / CONVEX / CONCAVE / UNKNOWN (of the function
	                           itself; x^p and * and / are decided by the analyzer) */
	fn_mono mono[2];        /* per argument */
	fn_smooth smooth;
	const char *expansion;  /* FG_LOSS: the expansion in LossSpec syntax (for docs and
	                           `--explain-value`; ir.c builds the same tree and a unit
	                           test proves the two agree) */
	const char *doc;        /* one line for lossspec(5) */
} fn_info;

extern const fn_info funcs_table[];
extern const size_t funcs_count;

/* The row called `name` that accepts nargs arguments (max(v) and
   max(a, b) are two rows); NULL if none.  Rows of FG_OPERATOR /
   FG_INTERNAL are not callable and never returned. */
const fn_info *funcs_lookup(const char *name, size_t len, int nargs);
/* Any callable row with this name (for "wrong number of arguments"). */
const fn_info *funcs_lookup_name(const char *name, size_t len);
/* The closest callable name to a misspelling, or NULL if none is close. */
const char *funcs_suggest(const char *name, size_t len);
/* The row describing an IR op's semantics (every op but the leaves,
   IR_VEC and IR_INDEX has one); NULL for those. */
const fn_info *funcs_for_op(ir_op op);

/* "huber(p, t, delta=1)" into buf; returns buf. */
char *funcs_signature(const fn_info *fi, char *buf, size_t size);

/* Print the callable table as troff (`.TP` entries) for lossspec(5), or as
   plain text (one function a line) when troff == 0.  -1 on write error. */
int funcs_print_table(FILE *out, int troff);

const char *fn_curv_name(ir_curv c);       /* "constant", "affine", "convex", ... */

#endif
