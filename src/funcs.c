/*
 * funcs.c: call lookup over the op rows and the composite losses (see
 * funcs.h), suggestions, signatures and lossspec(5)'s function table.
 */
#include "funcs.h"

#include <string.h>

#include "suggest.h"

static int callable(const fn_sig *s, int internal)
{
	switch (s->group) {
	case FG_ELEMWISE: case FG_REDUCE: case FG_VECTOR: case FG_LOSS:
		return 1;
	case FG_INTERNAL:
		return internal;
	case FG_LEAF: case FG_OPERATOR:
		return 0;
	}
	return 0;
}

/* Every row's signature in table order: the ops, then the losses; NULL
   past the end. */
static const fn_sig *row_at(size_t i)
{
	if (i < IR_NOPS)
		return &ops[i].sig;
	i -= IR_NOPS;
	return i < losses_count ? &losses[i].sig : NULL;
}

static int name_is(const fn_sig *s, const char *name, size_t len)
{
	return strlen(s->name) == len && memcmp(s->name, name, len) == 0;
}

const fn_sig *funcs_lookup(const char *name, size_t len, int nargs, int internal)
{
	const fn_sig *s;
	for (size_t i = 0; (s = row_at(i)) != NULL; i++)
		if (callable(s, internal) && name_is(s, name, len) && nargs >= s->min_args && nargs <= s->max_args)
			return s;
	return NULL;
}

const fn_sig *funcs_lookup_name(const char *name, size_t len)
{
	const fn_sig *s;
	for (size_t i = 0; (s = row_at(i)) != NULL; i++)
		if (callable(s, 0) && name_is(s, name, len))
			return s;
	return NULL;
}

const op_info *funcs_op(const fn_sig *s)
{
	/* the signature is an op row's first member */
	return s->group == FG_LOSS ? NULL : (const op_info *)(const void *)s;
}

const loss_info *funcs_loss(const fn_sig *s)
{
	return s->group == FG_LOSS ? (const loss_info *)(const void *)s : NULL;
}

/* PyTorch's (and NumPy's) names for built-ins whose LossSpec name is not
   one edit away. */
static const struct { const char *torch, *lossc; } torch_names[] = {
	{ "binary_cross_entropy", "bce" },
	{ "binary_cross_entropy_with_logits", "bce_with_logits" },
	{ "clip", "clamp" },
};

const char *funcs_suggest(const char *name, size_t len)
{
	const char *best = NULL, *prefix = NULL;
	size_t bestd = len <= 3 ? 1 : 2;     /* a close name, not any name */
	const fn_sig *s;
	for (size_t i = 0; i < sizeof torch_names / sizeof torch_names[0]; i++)
		if (strlen(torch_names[i].torch) == len && !memcmp(torch_names[i].torch, name, len))
			return torch_names[i].lossc;
	for (size_t i = 0; (s = row_at(i)) != NULL; i++) {
		if (!callable(s, 0))
			continue;
		size_t nl = strlen(s->name);
		size_t d = suggest_distance(name, len, s->name, nl);
		if (d <= bestd && (best == NULL || d < bestd)) {
			best = s->name;
			bestd = d;
		}
		/* "mse_loss", "cross_entropy_loss": a built-in's name then a
		   suffix after '_' (or any suffix after a long name); the longest wins */
		if (nl < len && !memcmp(name, s->name, nl) && (name[nl] == '_' || nl >= 5)
		    && (!prefix || nl > strlen(prefix)))
			prefix = s->name;
	}
	return best ? best : prefix;
}

char *funcs_signature(const fn_sig *s, char *buf, size_t size)
{
	size_t off = 0;
	int w = snprintf(buf, size, "%s(", s->name);
	off = (w > 0 && (size_t)w < size) ? (size_t)w : size ? size - 1 : 0;
	for (int i = 0; i < FN_MAX_PARAMS && s->params[i].name; i++) {
		char d[32] = "";
		if (s->params[i].has_default)
			snprintf(d, sizeof d, "=%.6g", s->params[i].def);
		w = snprintf(buf + off, size - off, "%s%s%s", i ? ", " : "", s->params[i].name, d);
		off = (w > 0 && off + (size_t)w < size) ? off + (size_t)w : size ? size - 1 : 0;
	}
	snprintf(buf + off, size - off, ")");
	return buf;
}

static const char *group_name(fn_group g)
{
	switch (g) {
	case FG_ELEMWISE: return "elementwise";
	case FG_REDUCE: return "vector to scalar";
	case FG_VECTOR: return "vector to vector";
	case FG_LOSS: return "loss";
	case FG_OPERATOR: return "operator";
	case FG_LEAF: return "leaf";
	case FG_INTERNAL: break;
	}
	return "internal";
}

static const char *smooth_name(fn_smooth s)
{
	switch (s) {
	case SM_SMOOTH: return "smooth";
	case SM_C1: return "C1";
	case SM_KINKS: return "kink at 0";
	case SM_KINK_AT_TIE: return "kink at ties";
	case SM_KINK_AT_ZERO: return "kink at the zero vector";
	case SM_EDGE: return "smooth inside its domain";
	case SM_SPECIAL: break;
	}
	return "depends on the exponent";
}

/* troff needs a backslash doubled and a leading dot or quote escaped. */
static int troff_str(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		if (fputs("\\&", out) < 0)
			return -1;
	for (; *s; s++) {
		if (*s == '\\' ? fputs("\\e", out) < 0 : *s == '-' ? fputs("\\-", out) < 0 : putc(*s, out) == EOF)
			return -1;
	}
	return 0;
}

/* In lossspec(5), group by group: elementwise, reductions, vector ops, losses. */
static const fn_group shown[] = { FG_ELEMWISE, FG_REDUCE, FG_VECTOR, FG_LOSS };

int funcs_print_table(FILE *out, int troff)
{
	if (troff && fputs(".Bl -tag -width Ds\n", out) < 0)
		return -1;
	for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++) {
		const fn_sig *s;
		for (size_t i = 0; (s = row_at(i)) != NULL; i++) {
			char sig[160];
			const op_info *op = funcs_op(s);
			if (s->group != shown[k])
				continue;
			funcs_signature(s, sig, sizeof sig);
			if (troff) {
				/* mdoc: the signature as a literal tag, then one text line */
				if (fputs(".It Li \"", out) < 0 || troff_str(out, sig) < 0 || fputs("\"\n", out) < 0)
					return -1;
				if (fprintf(out, "(%s) ", group_name(s->group)) < 0 || troff_str(out, s->doc) < 0)
					return -1;
				if (op && fprintf(out, "; %s, %s", fn_curv_name(op->curv), smooth_name(op->smooth)) < 0)
					return -1;
				if (fputs(".\n", out) < 0)
					return -1;
			} else if (fprintf(out, "%-44s %-17s %s\n", sig, group_name(s->group), s->doc) < 0) {
				return -1;
			}
		}
	}
	if (troff && fputs(".El\n", out) < 0)
		return -1;
	return 0;
}
