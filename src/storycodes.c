/*
 * storycodes.c: the story checks' codes (LS101-LS1xx), owned by the story module.
 * Data only: codes.c chains it into the catalogue (codes.h).
 */
#include "codes.h"

const code_info story_codes[] = {
	{"LS101", SEV_WARNING, "a goal that no rationale is for",
	 "A goal says what cognition or behaviour the trained system should have.  No\n"
	 "`rationale ... for` this goal says why any loss, trained in any setup,\n"
	 "should produce it, so the story stops halfway: the reader knows what you\n"
	 "want but not why you expect to get it.\n"
	 "\n"
	 "How to fix: add a rationale that names the goal, the losses it relies on,\n"
	 "the training setup and the argument:\n"
	 "    rationale ce_reads for read_digits {\n"
	 "        uses ce;\n"
	 "        setup \"SGD, batch 64, writers split train/test.\";\n"
	 "        because \"Low cross-entropy across many writers rewards features\n"
	 "                 shared by all handwriting styles.\";\n"
	 "    }\n"
	 "or delete the goal if nothing in this file is meant to train it."},
	{"LS102", SEV_WARNING, "a loss that no rationale uses",
	 "No rationale `uses` this loss, so nothing in the file says what cognition\n"
	 "training on it is supposed to produce.  A loss with no stated purpose is\n"
	 "exactly where vague claims (\"the loss captures what we want\") creep in.\n"
	 "\n"
	 "How to fix: name the loss in the `uses` line of the rationale that argues\n"
	 "for it (`uses ce, aux;`), or write that rationale and its goal."},
	{"LS103", SEV_WARNING, "a rationale with no because or no setup",
	 "A rationale must say why (`because`) training on its losses should produce\n"
	 "its goal, and under which training setup (`setup`: optimizer, data split,\n"
	 "schedule).  Without `because` the rationale is only a label; without\n"
	 "`setup` its argument cannot be checked, since the same loss trains\n"
	 "differently under different optimizers, data and budgets.\n"
	 "\n"
	 "How to fix: add the missing item:\n"
	 "    setup \"AdamW, lr 3e-4, 20 epochs, held-out writers.\";\n"
	 "    because \"...the argument, in plain words...\";"},
	{"LS104", SEV_WARNING, "an agent with no cares_about",
	 "An agent without `cares_about` leaves \"it wants low loss\" ambiguous: it\n"
	 "could care about the value in the loss register, about its predictions\n"
	 "matching future labels, about the goal, or about something else.  These\n"
	 "predict different behaviour once the agent is deployed.\n"
	 "\n"
	 "How to fix: say which, with one of\n"
	 "    cares_about register;         // the number itself\n"
	 "    cares_about predictions;      // predictions matching labels\n"
	 "    cares_about goal read_digits; // the training goal\n"
	 "    cares_about other \"...\";      // something else, in words"},
	{"LS105", SEV_INFO, "a dataset that no loss is on",
	 "No `loss ... on` this dataset, so it takes no part in the training story.\n"
	 "This is often a leftover from an earlier version of the file, or a loss\n"
	 "that names the wrong dataset.\n"
	 "\n"
	 "How to fix: point a loss at it (`loss ce on NAME`) or delete it."},
	{"LS106", SEV_WARNING, "a loss with no reduce",
	 "The loss does not say how per-example values become the batch loss.  Mean\n"
	 "and sum reductions train differently: with `sum` the gradient scales with\n"
	 "the batch size, which changes the effective learning rate, and generated\n"
	 "code must pick one.\n"
	 "\n"
	 "How to fix: add `reduce mean;` (PyTorch's default), `reduce sum;`, or\n"
	 "`reduce none;` for a per-example vector.  `lossc lint --fix\n"
	 "--unsafe-fixes` adds `reduce mean;`: an unsafe fix, because it chooses\n"
	 "the loss's scale for you."},
	{"LS107", SEV_INFO, "a loss with no precision",
	 "The loss does not say whether it runs in float32 or float64.  The physical\n"
	 "loss (the computation that actually updates the network) depends on it:\n"
	 "overflow thresholds, rounding, and which numeric findings apply.  lossc\n"
	 "assumes float32.\n"
	 "\n"
	 "How to fix: add `precision float32;` or `precision float64;`."},
	{"LS108", SEV_ERROR, "a loss with no value",
	 "The loss has no `value = ...;` item, so it defines no mathematical loss at\n"
	 "all: nothing can be analyzed, and no code can be generated for it.\n"
	 "\n"
	 "How to fix: write the per-example value in terms of the outputs and the\n"
	 "dataset's inputs and labels:\n"
	 "    value = cross_entropy(logits, y);"},
	{"LS109", SEV_ERROR, "a loss item that defines the loss given twice",
	 "A loss has exactly one per-example value, one reduction, one precision\n"
	 "and at most one name for its batch size.  A second `value`, `reduce`,\n"
	 "`precision` or `batch` item contradicts the first: a reader cannot tell\n"
	 "which one the training code runs, and `lossc gen` would have to pick one\n"
	 "silently.\n"
	 "\n"
	 "How to fix: keep the item you mean and delete the other.  To combine two\n"
	 "terms, write one value: `value = cross_entropy(z, y) + 0.1 * aux;`."},
	{NULL, SEV_ERROR, NULL, NULL}
};
