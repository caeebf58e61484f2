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

#endif
