/*
 * genexpr.c: write a large, valid, expression-heavy LossSpec file for the
 * memory benchmark.
 *
 *     genexpr BYTES > big.loss
 *
 * Where genprose's bytes are prose and genspec's a mix, nearly all of
 * these are arithmetic: each story's loss is a long sum of elementwise
 * terms (squared and absolute errors, softplus and log1p penalties,
 * clipped margins, Huber terms with their own deltas), spread over lets
 * of forty terms each (a single flat chain that long would pass the
 * parser's nesting bound), the way regularised multi-term losses are
 * written by hand.  Terms and constants come from a fixed-seed
 * generator, so runs compare like with like.  Every loss lints without an
 * error: the analyzer does its whole job on each one.
 */
#include <stdio.h>
#include <stdlib.h>

static unsigned long ge_state = 2463534242UL;

static unsigned long ge_rand(void)
{
	ge_state ^= ge_state << 13;
	ge_state ^= ge_state >> 7;
	ge_state ^= ge_state << 17;
	return ge_state;
}

/* One term over z (the output), x and t (the data), with constants a, b.
   Returns the bytes written. */
#define GE_NKINDS 10

static int ge_term(unsigned kind, double a, double b)
{
	switch (kind) {
	case 0: return printf("%g * square(z - t)", a);
	case 1: return printf("%g * abs(z - x)", a);
	case 2: return printf("%g * softplus(z * x)", a);
	case 3: return printf("%g * log1p(square(z - t))", a);
	case 4: return printf("%g * relu(z - x - %g)", a, b);
	case 5: return printf("%g * exp(-square(z))", a);
	case 6: return printf("%g * huber(z, t, delta=%g)", a, b);
	case 7: return printf("%g * sigmoid(z) * x", a);
	case 8: return printf("%g * max(z, x) - %g * min(z, t)", a, b);
	default: return printf("%g * tanh(z - t) ^ 2", a);
	}
}

#define GE_LETS 6
#define GE_TERMS 40

static double ge_const(void)
{
	/* 0.001 .. 9.999: short, varied literals as people write them. */
	return (double)(ge_rand() % 9999 + 1) / 1000.0;
}

static unsigned long ge_story(unsigned long k)
{
	int n = printf("dataset d%lu {\n"
		       "    input x: real[8] in [-1, 1];\n"
		       "    label t: real[8] in [-1, 1];\n"
		       "}\n"
		       "loss l%lu on d%lu {\n"
		       "    output z: real[8] in [-10, 10];\n", k, k, k);
	unsigned long bytes = n > 0 ? (unsigned long)n : 0;
	for (int i = 0; i < GE_LETS; i++) {
		n = printf("    let s%d =", i);
		bytes += n > 0 ? (unsigned long)n : 0;
		for (int j = 0; j < GE_TERMS; j++) {
			unsigned kind = (unsigned)(ge_rand() % GE_NKINDS);
			n = printf(j ? "\n        + " : " ");
			bytes += n > 0 ? (unsigned long)n : 0;
			double a = ge_const(), b = ge_const();
			n = ge_term(kind, a, b);
			bytes += n > 0 ? (unsigned long)n : 0;
		}
		n = printf(";\n");
		bytes += n > 0 ? (unsigned long)n : 0;
	}
	n = printf("    value = mean(s0");
	bytes += n > 0 ? (unsigned long)n : 0;
	for (int i = 1; i < GE_LETS; i++) {
		n = printf(" + s%d", i);
		bytes += n > 0 ? (unsigned long)n : 0;
	}
	n = printf(");\n"
		   "    reduce mean;\n"
		   "    precision float32;\n"
		   "}\n\n");
	bytes += n > 0 ? (unsigned long)n : 0;
	return bytes;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: genexpr BYTES > big.loss\n");
		return 2;
	}
	char *end;
	unsigned long want = strtoul(argv[1], &end, 10);
	if (*end != '\0') {
		fprintf(stderr, "genexpr: not a byte count: %s\n", argv[1]);
		return 2;
	}
	unsigned long written = 0;
	for (unsigned long k = 0; written < want; k++)
		written += ge_story(k);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("genexpr");
		return 1;
	}
	return 0;
}
