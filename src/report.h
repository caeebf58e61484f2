/*
 * report.h: the machine-readable renderers of `lossc lint --format`:
 * json, sarif (2.1.0) and github (workflow commands); text is diag.h's
 * diag_render_text.  Owned by the linter.  The layouts are documented in
 * lossc(1) and are a contract: fields are only ever added.
 *
 * Ownership: renderers only read the list and the rule table.
 */
#ifndef LOSSC_REPORT_H
#define LOSSC_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "diag.h"

typedef enum report_format {
	REPORT_TEXT,
	REPORT_JSON,
	REPORT_SARIF,
	REPORT_GITHUB
} report_format;

/* "text" / "json" / "sarif" / "github" -> format; -1 when unknown. */
int report_parse_format(const char *s);

/* One entry of SARIF's tool.driver.rules. */
typedef struct report_rule {
	const char *code;
	const char *name;       /* identifier-like; NULL: derived from the title */
	const char *title;
	const char *explain;    /* may be NULL */
	diag_severity sev;
} report_rule;

/*
 * Render every finding of l (already sorted) in fmt.  rules lists every
 * code the run knows (for SARIF's rule table and ruleIndex); color is
 * for text only.  Returns 0, or -1 when writing to out failed.
 */
int report_render(FILE *out, const diag_list *l, report_format fmt,
		  const report_rule *rules, size_t nrules, int color);

/* JSON string body (no quotes) of s[0..n): escapes controls, replaces invalid UTF-8 with U+FFFD. */
void report_json_string(FILE *out, const char *s, size_t n);

/*
 * The hash of SARIF's "lossc/v1" partial fingerprint: the code, the path,
 * the finding's line without surrounding blanks, and the text of its
 * span, so it survives lines moving and re-indentation.  SARIF passes the
 * path as named; a baseline passes it relative to the baseline file.
 */
uint64_t report_fingerprint(const diag *d, const char *path);

/* What the one-line summary and --statistics say about a run. */
typedef struct report_counts {
	size_t findings, errors, warnings, infos;
	size_t files;           /* files linted */
	size_t fixable;         /* findings with a fix --fix would apply (with the run's --unsafe-fixes) */
	size_t unsafe_only;     /* findings whose fix needs --unsafe-fixes, when not given */
	size_t fixed;           /* findings --fix fixed */
	size_t baselined;       /* findings the baseline hid */
	int fixing;             /* --fix was given */
} report_counts;

/* Count l's findings into c (findings, per severity, fixable; unsafe: --unsafe-fixes given). */
void report_count(const diag_list *l, int unsafe, report_counts *c);

/*
 * The summary line, e.g.
 *   3 findings (1 error, 2 warnings) in 4 files; 1 fixable with --fix
 * (then "; N fixed" after --fix, "(N more with --unsafe-fixes)", "; N
 * hidden by the baseline" as they apply)
 * Nothing when there is nothing to say (no finding, nothing fixed or
 * hidden).  Returns 0, or -1 on a write error.
 */
int report_summary(FILE *out, const report_counts *c);

/*
 * --statistics: one row per code, most frequent first: count, code, "[*]"
 * when some of them are fixable (with the run's unsafe setting), title.
 * json != 0 writes a JSON array of {code, count, fixable, title} instead.
 */
int report_statistics(FILE *out, const diag_list *l, int unsafe, int json,
		      const report_rule *rules, size_t nrules);

#endif
