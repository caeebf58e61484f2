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
	 "In a Markdown or plain-text document the directives are HTML comments:\n"
	 "    <!-- lossc: allow LS211 -- reason -->         (the next block, or the\n"
	 "                                                    block it sits in)\n"
	 "    <!-- lossc: allow-file LS204 -- reason -->    (the whole document)\n"
	 "    <!-- lossc off --> ... <!-- lossc on -->      (a region; no codes)\n"
	 "\n"
	 "How to fix: correct the spelling of `allow`, the codes, or the `--`\n"
	 "before the reason; or turn the comment into an ordinary one by removing\n"
	 "`lossc:` (in a document, the word `lossc`)."},
	{"LS009", SEV_INFO, "an allow comment that suppresses nothing",
	 "An `allow` directive names a code that no finding on its line (or, for\n"
	 "`allow-file`, in its file; in a document, in its block) has.  Usually\n"
	 "the problem it silenced was fixed, or the code was mistyped; either way\n"
	 "the comment now only hides the next real finding with that code.  In a\n"
	 "document, a `<!-- lossc off -->` region with no finding in it, an `off`\n"
	 "inside a region already off and an `on` with no `off` before it are\n"
	 "reported too.\n"
	 "\n"
	 "How to fix: delete the directive, or the code from its list;\n"
	 "`lossc lint --fix` does that in a .loss file (a safe fix: the loss does\n"
	 "not change).  In a document it is left to you: deleting an HTML comment\n"
	 "inside a quote or over several lines could change the document.  To\n"
	 "keep a directive on purpose, silence this finding for the file with\n"
	 "`// lossc: allow-file LS009 -- reason` (in a document,\n"
	 "`<!-- lossc: allow-file LS009 -- reason -->`).  LS009 is info, so it\n"
	 "does not fail a run by itself; `severity: LS009=warning` in .losscrc\n"
	 "makes stale allows fail CI."},
	{NULL, SEV_ERROR, NULL, NULL}
};
