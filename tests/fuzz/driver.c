/*
 * driver.c: runs a libFuzzer target as a plain program (owner: reliability).
 *
 *     fuzz_NAME FILE|DIR...
 *
 * feeds every named file, and every regular file directly inside every
 * named directory, to LLVMFuzzerTestOneInput(), one at a time, exactly as
 * libFuzzer would replay a corpus.  `make check` builds each target with
 * this main() and the normal compiler (and, in the sanitizer build, with
 * ASan + UBSan), and runs it over the seed corpus and every crash input
 * ever found (tests/fuzz/regress.sh), so a fixed crash stays fixed.
 *
 * A crash or sanitizer report ends the process (the test fails); a hang
 * is caught by an alarm per input, which names the input and exits 1.
 * The target must keep no state between inputs, as under libFuzzer.
 */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Seconds one input may take, even under the sanitizers and valgrind. */
#define DRIVER_ALARM 60

static const char *driver_current = "(none)";

/* Async-signal-safe: write(2) only. */
static void driver_on_alarm(int sig)
{
	static const char head[] = "fuzz driver: input took too long (hang?): ";
	(void)sig;
	ssize_t r = write(STDERR_FILENO, head, sizeof head - 1);
	r = write(STDERR_FILENO, driver_current, strlen(driver_current));
	r = write(STDERR_FILENO, "\n", 1);
	(void)r;
	_exit(1);
}

/* Reads a whole file; returns NULL (with a message) on failure. */
static uint8_t *driver_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0;
	uint8_t *buf;

	if (!f) {
		perror(path);
		return NULL;
	}
	buf = malloc(cap);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	for (;;) {
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (n < cap)
			break;
		uint8_t *nb = realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			fclose(f);
			return NULL;
		}
		buf = nb;
		cap *= 2;
	}
	if (ferror(f)) {
		perror(path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* Runs one file; 0 on success, -1 when it could not be read. */
static int driver_run_file(const char *path)
{
	size_t len = 0;
	uint8_t *data = driver_slurp(path, &len);
	if (!data)
		return -1;
	/*
	 * A copy of exactly len bytes, as libFuzzer hands over, so that ASan
	 * catches a read one past the end of the input.
	 */
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact) {
		free(data);
		return -1;
	}
	memcpy(exact, data, len);
	free(data);
	driver_current = path;
	alarm(DRIVER_ALARM);
	LLVMFuzzerTestOneInput(exact, len);
	alarm(0);
	free(exact);
	return 0;
}

static int driver_by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file directly inside dir, in name order; returns how many, or -1. */
static long driver_run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	long count = 0;

	if (!d) {
		perror(dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof *names);
			if (!nn)
				abort();
			names = nn;
		}
		size_t l = strlen(dir) + strlen(e->d_name) + 2;
		names[n] = malloc(l);
		if (!names[n])
			abort();
		snprintf(names[n], l, "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof *names, driver_by_name);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			if (driver_run_file(names[i]) < 0)
				count = -1;
			else if (count >= 0)
				count++;
		}
		free(names[i]);
	}
	free(names);
	return count;
}

int main(int argc, char **argv)
{
	long total = 0;
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	signal(SIGALRM, driver_on_alarm);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			perror(argv[i]);
			rc = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			long k = driver_run_dir(argv[i]);
			if (k < 0)
				rc = 1;
			else
				total += k;
		} else if (driver_run_file(argv[i]) < 0)
			rc = 1;
		else
			total++;
	}
	printf("%s: %ld inputs ran\n", argv[0], total);
	return rc;
}
