/*
 * story.h: the training-story checks (LS101-LS108): the links between
 * dataset, loss, goal, rationale and agent that make a .loss file a whole
 * story, and the loss items whose absence leaves the physical loss
 * undefined.
 *
 * Owned by the linter.  Reads the tree only; queues findings in diags,
 * each pointing at the name of the declaration that lacks something.
 */
#ifndef LOSSC_STORY_H
#define LOSSC_STORY_H

#include "ast.h"
#include "codes.h"
#include "diag.h"


void story_check(const ast_file *f, diag_list *diags);

#endif
