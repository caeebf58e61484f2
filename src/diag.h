/*
 * diag.h: findings as records.  Every phase queues findings in a
 * diag_list; nothing but the renderers prints.  A finding has a code
 * (LSnnn), a severity, a span in one source, a one-line message, up to
 * DIAG_MAX_NOTES notes at other spans, and optionally one machine-applicable
 * fix (replace the text of a span), classified where it is made:
 *   safe    the mathematical loss stays the same: a more accurate way to
 *           compute the same value (log(softmax(z)) -> log_softmax(z)),
 *           or text that is not the loss (a stale allow comment);
 *   unsafe  the loss changes (an epsilon, a clamp, a chosen reduction).
 * `lossc lint --fix` applies safe fixes, --unsafe-fixes both.
 *
 * Ownership: the list owns each finding's message, notes and fix text.
 * A finding points at its source; the source must outlive the list.
 */
#ifndef LOSSC_DIAG_H
#define LOSSC_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "source.h"

typedef enum diag_severity {
	SEV_NOTE = 0,           /* only inside a finding */
	SEV_INFO = 1,
	SEV_WARNING = 2,
	SEV_ERROR = 3
} diag_severity;

#define DIAG_MAX_NOTES 3

/* A note is a struct tag only: the name diag_note is the function below. */
struct diag_note {
	span span;
	char *message;
};

typedef struct diag {
	const source *src;
	int located;            /* 0: the finding is about the whole file (no span) */
	span span;
	diag_severity sev;
	char code[8];           /* "LS001" */
	char *message;
	struct diag_note notes[DIAG_MAX_NOTES];
	int nnotes;
	int has_fix;
	int fix_unsafe;         /* the fix changes the mathematical loss */
	span fix_span;
	char *fix_text;         /* replacement for fix_span */
	size_t seq;             /* insertion order, for a stable sort */
} diag;

typedef struct diag_list {
	diag *items;
	size_t n, cap;
	size_t next_seq;        /* insertion counter (a zeroed list is a valid empty list) */
} diag_list;

void diag_list_init(diag_list *l);
void diag_list_free(diag_list *l);
/*
 * Append every finding of from to to, in order, as if each were queued
 * into to now (a new insertion number each), and leave from empty.  A
 * pass that runs early into a list of its own (the pipeline's streamed
 * losses) lands its findings where the sort expects them.
 */
void diag_list_move(diag_list *to, diag_list *from);

/* Queue a finding at a span; the returned pointer is valid until the next add. */
diag *diag_add(diag_list *l, const source *src, span sp, diag_severity sev,
	       const char *code, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
diag *diag_addv(diag_list *l, const source *src, span sp, diag_severity sev,
		const char *code, const char *fmt, va_list ap);
/* A finding about a whole file (unreadable, not UTF-8 before any line). */
diag *diag_add_file(diag_list *l, const source *src, diag_severity sev,
		    const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Attach a note (silently dropped past DIAG_MAX_NOTES) or a fix (safe, or unsafe: see above). */
void diag_note(diag *d, span sp, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_set_fix(diag *d, span sp, const char *replacement);
void diag_set_unsafe_fix(diag *d, span sp, const char *replacement);

/* Remove finding i, keeping order. */
void diag_remove(diag_list *l, size_t i);
/* Remove every finding of items[from..n) for which drop() says 1, keeping order; linear time. */
void diag_remove_if(diag_list *l, size_t from, int (*drop)(const diag *d, void *ctx), void *ctx);
/* Remove every finding i >= from with marked[i] nonzero (marked has l->n entries), keeping order. */
void diag_remove_marked(diag_list *l, size_t from, const char *marked);

/* Sort by file (in the order sources were first seen), line, column, then insertion. */
void diag_sort(diag_list *l);

const char *diag_severity_name(diag_severity sev);
/* "error" / "warning" / "info" -> severity; -1 when unknown. */
int diag_severity_parse(const char *s);

/*
 * GCC-style text: "file:line:col: severity: message [CODE]", then the
 * source line and a caret/tilde underline, then notes.  color != 0 adds
 * ANSI colours.  Returns 0, or -1 when a write to out failed.
 */
int diag_render_text(FILE *out, const diag_list *l, int color);

#endif
