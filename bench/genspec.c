/*
 * genspec.c: write a large, valid LossSpec file for the parse benchmark.
 *
 *     genspec BYTES > big.loss
 *
 * Repeats a complete training story (dataset, two losses, goal,
 * rationale, agent) with fresh names until at least BYTES bytes are
 * written.  Every construct the parser handles shows up: comments,
 * directive comments, adjacent strings with escapes, ranges, params,
 * vector literals, lets, calls with named arguments, all operators.
 * Output is deterministic, so two runs compare like with like.
 */
#include <stdio.h>
#include <stdlib.h>

static const char *const story =
	"// story %lu: generated for the parse benchmark\n"
	"dataset data%lu {\n"
	"    about \"Synthetic pairs number %lu: each input is a vector of eight \"\n"
	"          \"readings in [-1, 1], each label one of three classes \"\n"
	"          \"and a \\\"soft\\\" label from annotators.\";\n"
	"    input x: real[8] in [-1, 1];\n"
	"    label c: class[3];\n"
	"    label p: prob[3];\n"
	"    label t: real[8];\n"
	"    source \"data/part-%lu.csv\";\n"
	"}\n"
	"\n"
	"/* Two losses over the same data: a focal classifier and a robust regressor. */\n"
	"loss focal%lu on data%lu {\n"
	"    about \"Class-weighted focal loss.\";\n"
	"    output z: real[3];\n"
	"    param w: real[3] = [1, 2, 0.5];\n"
	"    param gamma: real = 2;\n"
	"    let logp = log_softmax(z)[c];\n"
	"    value = -w[c] * (1 - exp(logp)) ^ gamma * logp + 0.01 * cross_entropy(z, p, label_smoothing=0.1);\n"
	"    reduce mean;\n"
	"    precision float32;\n"
	"    claim nonnegative, smooth;\n"
	"}\n"
	"loss fit%lu on data%lu {\n"
	"    output r: real[8] in [-10, 10];\n"
	"    param delta: real = 1.5e-1;\n"
	"    value = huber(r, t, delta=delta) + 1e-3 * mean(square(r)) - 0 / (1 + sum(abs(r - t)));\n"
	"    reduce sum;\n"
	"    precision float64;\n"
	"    claim nonnegative, convex;   // lossc: allow LS503 -- benchmark\n"
	"}\n"
	"goal sort%lu {\n"
	"    about \"The model separates the three classes by the features a domain \"\n"
	"          \"expert uses, including on readings it has never seen.\";\n"
	"}\n"
	"rationale why%lu for sort%lu {\n"
	"    uses focal%lu, fit%lu;\n"
	"    setup \"SGD with momentum, batch 64, 10 epochs.\";\n"
	"    because \"Low focal loss across many sources rewards features shared by all of them.\";\n"
	"}\n"
	"agent model%lu { trained_by focal%lu; cares_about goal sort%lu; }\n"
	"\n";

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: genspec BYTES > FILE\n");
		return 2;
	}
	char *end;
	unsigned long long want = strtoull(argv[1], &end, 10);
	if (*end != '\0' || want == 0) {
		fprintf(stderr, "genspec: BYTES must be a positive integer, not '%s'\n", argv[1]);
		return 2;
	}
	unsigned long long written = 0;
	for (unsigned long i = 0; written < want; i++) {
		int n = printf(story, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i);
		if (n < 0) {
			perror("genspec");
			return 1;
		}
		written += (unsigned long long)n;
	}
	if (fflush(stdout) != 0) {
		perror("genspec");
		return 1;
	}
	return 0;
}
