/*
 * prosecodes.c: the prose module's own codes (LS200); the LS2xx rules themselves
 * come from rule files.
 * Data only: codes.c chains it into the catalogue (codes.h).
 */
#include "codes.h"

const code_info prose_codes[] = {
	{"LS200", SEV_WARNING, "a prose rule gave up on a text",
	 "A prose rule's pattern needed more backtracking than lossc allows on one "
	 "text (PCRE2's match or depth limit), so the rule stopped and did not check "
	 "this text or the rest of this file.  lossc caps every pattern this way so "
	 "that one badly written rule, such as '(a+)+$', cannot hang a CI job.\n\n"
	 "Fix the rule named in the message: remove nested quantifiers over the same "
	 "characters ('(a+)+', '(\\w*)*'), prefer possessive or atomic forms "
	 "('a++', '(?>...)'), and anchor on literal words.  `lossc rules --test DIR` "
	 "runs a rule directory's examples after the change."},
	{NULL, 0, NULL, NULL}
};
