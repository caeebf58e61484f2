/*
 * baselinecodes.c: the baseline's code (LS020), owned by the baseline module.
 * Data only: codes.c chains it into the catalogue (codes.h).
 */
#include "codes.h"

const code_info baseline_codes[] = {
	{"LS020", SEV_INFO, "a baseline entry that matches no finding",
	 "`lossc lint --baseline FILE` hides the findings recorded in FILE.  This\n"
	 "entry is about a file linted in this run, but no finding matched it: the\n"
	 "problem was fixed, or the line it was on changed.  Like a stale allow\n"
	 "(LS009), the entry now only waits to hide a future finding.\n"
	 "\n"
	 "Entries match on the finding's code, its file (relative to the baseline's\n"
	 "directory), the text of its line and of its span, so moving lines keeps\n"
	 "them; editing the line itself makes the old entry stale and the finding\n"
	 "new.\n"
	 "\n"
	 "How to fix: write the baseline again from the current findings,\n"
	 "    lossc lint --write-baseline FILE PATHS...\n"
	 "or delete the line.  LS020 is info; `severity: LS020=warning` in the\n"
	 "baseline directory's .losscrc makes stale entries fail CI."},
	{NULL, SEV_ERROR, NULL, NULL}
};
