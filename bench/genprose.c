/*
 * genprose.c: write a large, valid, prose-heavy LossSpec file for the
 * lint benchmark.
 *
 *     genprose BYTES > big.loss
 *
 * Repeats a complete training story whose about/setup/because/source
 * strings hold most of the bytes: sentences drawn (by a fixed-seed
 * generator, so runs compare like with like) from honest descriptions of
 * data, losses and training, split over adjacent string pieces as people
 * write them.  About one sentence in forty is the kind of vague "loss"
 * talk the LS2xx rules exist for, so the matcher reports real findings
 * while it scans.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long gp_state = 88172645463325252UL;

static unsigned long gp_rand(void)
{
	gp_state ^= gp_state << 13;
	gp_state ^= gp_state >> 7;
	gp_state ^= gp_state << 17;
	return gp_state;
}

static const char *const honest[] = {
	"Each example pairs a handwritten digit with the label its writer intended",
	"The images were scanned at 300 dpi and downsampled to 28 by 28 pixels",
	"Cross-entropy is minimised with SGD at a learning rate of 0.1, decayed by ten at epochs 30 and 60",
	"The loss is a smooth function of the logits and is bounded below by zero",
	"Writers in the test split never appear in the training split",
	"Low cross-entropy on many writers rewards features that all handwriting styles share",
	"Label noise is estimated at two percent from a relabelled sample of five thousand images",
	"We hold out ten percent of the training data to choose the number of epochs",
	"The optimizer lowers the mean of the per-example losses over each batch of 64",
	"A reader that has learned stroke shapes rather than writer identity should transfer to new writers",
	"Validation loss stops improving after about twenty epochs, so we stop there",
	"The reward is one for a correct answer and zero otherwise, averaged over the episode",
	"Gradients are clipped to a norm of five to keep the early updates stable",
	"The dataset mixes postal codes, bank cheques and census forms in equal parts",
	"Each rater saw a pair of summaries and picked the one they found more faithful",
	"We expect the classifier to read digits the way a careful human reader would",
	"The auxiliary regression term is weighted by one tenth so it does not dominate",
	"Augmentation applies small rotations and elastic distortions to every batch",
	"The training run takes four hours on a single accelerator with mixed precision",
	"Held-out writers test whether the learned features are the shared ones",
};

static const char *const vague[] = {
	"This loss function is perfectly aligned with the goal of reading digits",
	"The reward encodes what the users really want from the assistant",
	"Over training the agent wants to minimise its loss on every batch",
	"Such systems become reward maximisers once deployed",
	"Reward is the optimisation target of the trained policy",
	"The learned mesa-objective may drift away from the base objective",
};

static size_t gp_out;

static void gp_puts(const char *s)
{
	gp_out += strlen(s);
	fputs(s, stdout);
}

/* A text of n sentences as adjacent string pieces, one sentence a piece. */
static void gp_text(const char *kw, int n)
{
	int i;
	char buf[512];
	snprintf(buf, sizeof buf, "    %s ", kw);
	gp_puts(buf);
	for (i = 0; i < n; i++) {
		unsigned long r = gp_rand();
		const char *s = r % 40 == 0 ? vague[(r >> 8) % (sizeof vague / sizeof *vague)]
					    : honest[(r >> 8) % (sizeof honest / sizeof *honest)];
		snprintf(buf, sizeof buf, "%s\"%s. \"\n", i ? "          " : "", s);
		gp_puts(buf);
	}
	gp_puts("          \"\";\n");
}

int main(int argc, char **argv)
{
	unsigned long want, k;
	char buf[1024];
	if (argc != 2 || (want = strtoul(argv[1], NULL, 10)) == 0) {
		fputs("usage: genprose BYTES > FILE.loss\n", stderr);
		return 2;
	}
	for (k = 0; gp_out < want; k++) {
		snprintf(buf, sizeof buf, "// story %lu\ndataset data%lu {\n", k, k);
		gp_puts(buf);
		gp_text("about", 8);
		gp_puts("    input x: real[784] in [0, 1];\n    label y: class[10];\n");
		gp_text("source", 1);
		snprintf(buf, sizeof buf, "}\n\nloss ce%lu on data%lu {\n", k, k);
		gp_puts(buf);
		gp_text("about", 6);
		gp_puts("    output z: real[10];\n    value = cross_entropy(z, y);\n"
			"    reduce mean;\n    precision float32;\n    claim nonnegative, smooth, convex;\n}\n\n");
		snprintf(buf, sizeof buf, "goal read%lu {\n", k);
		gp_puts(buf);
		gp_text("about", 6);
		snprintf(buf, sizeof buf, "}\n\nrationale why%lu for read%lu {\n    uses ce%lu;\n", k, k, k);
		gp_puts(buf);
		gp_text("setup", 4);
		gp_text("because", 10);
		snprintf(buf, sizeof buf, "}\n\nagent reader%lu {\n", k);
		gp_puts(buf);
		gp_text("about", 4);
		snprintf(buf, sizeof buf, "    trained_by ce%lu;\n    cares_about predictions;\n}\n\n", k);
		gp_puts(buf);
	}
	return ferror(stdout) ? 1 : 0;
}
