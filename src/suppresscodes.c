/*
 * suppresscodes.c: the suppression codes (LS008, LS009), owned by the suppress module.
 * Data only: codes.c chains it into the catalogue (codes.h).
 */
#include "codes.h"

const code_info suppress_codes[] = {
	{"LS008", SEV_WARNING, "a lossc directive comment that cannot be read",
	 "A comment starting with `// lossc:` is a directive to lossc, but this one\n"
	 "does not follow the form lossc understands, so it silences nothing.  The\n"
	 "forms are:\n"
	 "    // lossc: allow LS201, LS211 -- reason        (this line, or the next\n"
	 "                                                    line when alone on its line)\n"
	 "    // lossc: allow-file LS105 -- reason          (the whole file)\n"
	 "CODES are finding codes or families (LS2, LS20x), separated by commas.\n"
	 "\n"
	 "How to fix: correct the spelling of `allow`, the codes, or the `--`\n"
	 "before the reason; or turn the comment into an ordinary one by removing\n"
	 "`lossc:`."},
	{"LS009", SEV_INFO, "an allow comment that suppresses nothing",
	 "An `allow` directive names a code that no finding on its line (or, for\n"
	 "`allow-file`, in its file) has.  Usually the problem it silenced was\n"
	 "fixed, or the code was mistyped; either way the comment now only hides\n"
	 "the next real finding with that code.\n"
	 "\n"
	 "How to fix: delete the directive, or the code from its list;\n"
	 "`lossc lint --fix` does that (a safe fix: the loss does not change).  To\n"
	 "keep a directive on purpose, silence this finding for the file with\n"
	 "`// lossc: allow-file LS009 -- reason`.  LS009 is info, so it does not\n"
	 "fail a run by itself; `severity: LS009=warning` in .losscrc makes stale\n"
	 "allows fail CI."},
	{NULL, SEV_ERROR, NULL, NULL}
};
