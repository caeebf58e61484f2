/*
 * doccodes.c: the document code (LS030), owned by the document readers (doc.h).
 * Data only: codes.c chains it into the catalogue (codes.h).
 */
#include "codes.h"

const code_info doc_codes[] = {
	{"LS030", SEV_ERROR, "a document construct too costly to parse",
	 "The Markdown document holds a construct that the Markdown parser lossc\n"
	 "uses (cmark-gfm 0.29) would take time quadratic in its size to read: a\n"
	 "table with more than 1000 columns, or more than 10000 image openers\n"
	 "'![' between two blank lines.  Such input is almost always generated\n"
	 "or hostile, and reading it could stall a CI job for hours, so lossc\n"
	 "stops with this error instead (exit 2), as it does for a file too large\n"
	 "to parse.\n"
	 "\n"
	 "How to fix: split the table, or put blank lines between the paragraphs\n"
	 "of images.  To lint the text without Markdown, use --lang txt."},
	{NULL, SEV_ERROR, NULL, NULL}
};
