/*
 * graph.h: `lossc graph`: the training story as a Graphviz graph.
 *
 * Datasets, losses, goals, rationales and agents are nodes of distinct
 * shapes; `on`, `uses`, `for`, `trained_by` and `cares_about` are labelled
 * edges; what an agent cares about, when it is not a goal, is a node of
 * its own; a name that resolves to nothing of the right kind is a dashed
 * node.  A declaration with story findings (LS101-LS109) is drawn in the
 * warning colour (errors in red) with the codes in its label and the
 * messages as its tooltip.  The output depends only on the file: nodes
 * and edges come in source order, so a graph diffs like the spec.
 *
 * Ownership: nothing is kept; graph_dot writes and returns.
 */
#ifndef LOSSC_GRAPH_H
#define LOSSC_GRAPH_H

#include <stdio.h>

#include "ast.h"
#include "diag.h"

/*
 * Writes f (parsed and resolved) as DOT.  story holds the findings to
 * draw, sorted (diag_sort); others in it are ignored.  title names the
 * graph.  Returns 0, or -1 on a write error.
 */
int graph_dot(FILE *out, const ast_file *f, const diag_list *story, const char *title);

#endif
