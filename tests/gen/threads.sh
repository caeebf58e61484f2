#!/bin/sh
# threads.sh: the kernels under OpenMP (issue 14).  Built with -fopenmp,
# the rows run on several threads, and the value and the gradient must be
# bit-identical on 1, 2, 3 and 4 threads, and identical to the build
# without OpenMP: the rows' parts and their summation order depend on n
# alone.  Batches of 7 (fewer rows than parts), 100 (run serially) and
# 1001 rows (uneven parts); a mean (bench/kernel.loss, 10 and 1000
# classes), a reduce none (tests/gen/wide.loss's ce_smooth), a float64
# sum (its ce64, whose value shows the summation order) and a weighted
# mean (its ce_weighted: value and gradient divide by the weights' sum,
# a second reduction over the parts).  Then again with every long row's
# gradient streamed (-DLOSSC_STREAM_BYTES=0).  Last, two losses whose rows
# interact (tests/gen/batch.loss: statistics over the batch, a per-batch
# output's gradient).
set -u
: "${LOSSC:?set LOSSC to the lossc binary}"
: "${top_srcdir:?set top_srcdir}"
work=$(mktemp -d "${TMPDIR:-/tmp}/lossc-threads.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
"$LOSSC" gen "$top_srcdir/bench/kernel.loss" -o "$work" 2>/dev/null &&
"$LOSSC" gen "$top_srcdir/tests/gen/wide.loss" -o "$work" 2>/dev/null || { echo "FAIL: lossc gen"; exit 1; }
# what both drivers below share: a hash of the results, and the data
cat > "$work/drive.h" <<'C'
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
/* FNV-1a over the bytes: any changed bit changes the line */
static uint64_t fnv(const void *p, size_t len, uint64_t h)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 1099511628211u;
	return h;
}
/* uniform in [-8, 8) from a xorshift stream */
static double unif(uint64_t *s)
{
	*s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
	return (double)(*s >> 11) / 9007199254740992.0 * 16.0 - 8.0;
}
C
cat > "$work/drive.c" <<'C'
#include <string.h>
#include "drive.h"
#include "kernel_loss.h"
#include "wide_loss.h"
int main(void)
{
	const size_t ns[] = { 7, 100, 1001 }, Cs[] = { 10, 1000, 40 };
	for (size_t a = 0; a < 3; a++)
		for (size_t b = 0; b < 3; b++) {
			size_t n = ns[a], C = Cs[b];
			float *x = malloc(n * C * sizeof *x), *d = malloc(n * C * sizeof *d);
			float *up = malloc(n * sizeof *up), *each = malloc(n * sizeof *each);
			int32_t *y = malloc(n * sizeof *y);
			uint64_t s = 88172645463325252u + n + C;
			if (!x || !d || !up || !each || !y)
				return 2;
			for (size_t i = 0; i < n * C; i++)
				x[i] = (float)unif(&s);
			for (size_t i = 0; i < n; i++)
				y[i] = (int32_t)(i * 7919 % C), up[i] = (float)unif(&s);
			double v64 = 0, g64 = 0;
			float v = 0, g = 0;
			if (C == 40) {  /* a float64 sum: its value shows the order of the sum */
				double *x64 = malloc(n * C * sizeof *x64), *d64 = malloc(n * C * sizeof *d64);
				if (!x64 || !d64)
					return 2;
				for (size_t i = 0; i < n * C; i++)
					x64[i] = (double)x[i] / 3;
				v64 = loss_ce64(n, x64, y), g64 = loss_ce64_grad(n, x64, y, d64);
				free(x64), free(d64);
			}
			if (C == 10)
				v = loss_ce10(n, x, y), g = loss_ce10_grad(n, x, y, d);
			else if (C == 1000)
				v = loss_ce1000(n, x, y), g = loss_ce1000_grad(n, x, y, d);
			else
				loss_ce_smooth(n, x, y, each), loss_ce_smooth_grad(n, x, y, up, d);
			uint64_t h = fnv(&v, sizeof v, fnv(&g, sizeof g, 14695981039346656037u));
			h = fnv(d, n * C * sizeof *d, h);
			if (C == 40) {  /* a weighted mean: the weights' sum is a second reduction */
				float *w = malloc(n * sizeof *w);
				if (!w)
					return 2;
				for (size_t i = 0; i < n; i++)
					w[i] = i % 5 == 3 ? 0.0f : up[i] + 8.0f;
				float vw = loss_ce_weighted(n, x, y, w), gw = loss_ce_weighted_grad(n, x, y, w, d);
				h = fnv(d, n * C * sizeof *d, fnv(&vw, sizeof vw, fnv(&gw, sizeof gw, h)));
				printf("n=%zu C=%zu weighted mean %.9g\n", n, C, (double)vw);
				free(w);
			}
			if (C == 40)
				h = fnv(each, n * sizeof *each, h);
			h = fnv(&v64, sizeof v64, fnv(&g64, sizeof g64, h));
			printf("n=%zu C=%zu value %.9g %.17g hash %016llx\n", n, C, (double)v, v64, (unsigned long long)h);
			free(x), free(d), free(up), free(each), free(y);
		}
	return 0;
}
C
cc -std=c99 -O2 -I"$work" -o "$work/serial" "$work/drive.c" "$work/kernel_loss.c" "$work/wide_loss.c" -lm ||
	{ echo "FAIL: the serial build"; exit 1; }
cc -std=c99 -O2 -fopenmp -I"$work" -o "$work/omp" "$work/drive.c" "$work/kernel_loss.c" "$work/wide_loss.c" -lm ||
	{ echo "FAIL: the OpenMP build (-fopenmp)"; exit 1; }
"$work/serial" > "$work/serial.out" || { echo "FAIL: the serial run"; exit 1; }
status=0
for t in 1 2 3 4; do
	OMP_NUM_THREADS=$t OMP_WAIT_POLICY=passive "$work/omp" > "$work/omp$t.out" || { echo "FAIL: the run on $t threads"; status=1; continue; }
	if cmp -s "$work/serial.out" "$work/omp$t.out"; then
		echo "ok: $t thread(s): bit-identical to the serial build ($(wc -l < "$work/omp$t.out") cases)"
	else
		echo "FAIL: $t thread(s) differ from the serial build:"; diff "$work/serial.out" "$work/omp$t.out"; status=1
	fi
done
# the same with every long gradient row streamed (gen_vec.c's streaming
# stores, which large batches use): the rows of 1000 classes
cc -std=c99 -O2 -DLOSSC_STREAM_BYTES=0 -I"$work" -o "$work/serial_stream" "$work/drive.c" "$work/kernel_loss.c" \
	"$work/wide_loss.c" -lm &&
cc -std=c99 -O2 -DLOSSC_STREAM_BYTES=0 -fopenmp -I"$work" -o "$work/omp_stream" "$work/drive.c" \
	"$work/kernel_loss.c" "$work/wide_loss.c" -lm || { echo "FAIL: the streaming builds"; exit 1; }
"$work/serial_stream" > "$work/serial_stream.out" || { echo "FAIL: the serial streaming run"; exit 1; }
for t in 1 2 3 4; do
	OMP_NUM_THREADS=$t OMP_WAIT_POLICY=passive "$work/omp_stream" > "$work/omp_stream$t.out" ||
		{ echo "FAIL: the streaming run on $t threads"; status=1; continue; }
	if cmp -s "$work/serial_stream.out" "$work/omp_stream$t.out"; then
		echo "ok: $t thread(s), rows streamed: bit-identical to the serial streaming build"
	else
		echo "FAIL: $t thread(s), rows streamed, differ from the serial build:"
		diff "$work/serial_stream.out" "$work/omp_stream$t.out"; status=1
	fi
done
# the check can fail: a build that sums the parts in another order differs
sed 's/lc_acc += lc_part\[lc_p\];/lc_acc += lc_part[63 - lc_p];/' "$work/wide_loss.c" > "$work/reordered.c"
cc -std=c99 -O2 -I"$work" -o "$work/reordered" "$work/drive.c" "$work/kernel_loss.c" "$work/reordered.c" -lm &&
"$work/reordered" > "$work/reordered.out"
if cmp -s "$work/serial.out" "$work/reordered.out"; then
	echo "FAIL: summing the parts in reverse changes no bit: the comparison is blind"; status=1
else
	echo "ok: summing the parts in reverse order is caught ($(diff "$work/serial.out" "$work/reordered.out" | grep -c '^<') cases differ)"
fi

# Losses whose rows interact (tests/gen/batch.loss): statistics over the
# batch (ppo_like: mean and std before the rows) and a per-batch output's
# gradient summed over the rows (temperature's d_t) are bit-identical too.
mkdir "$work/b" && "$LOSSC" gen "$top_srcdir/tests/gen/batch.loss" -o "$work/b" 2>/dev/null ||
	{ echo "FAIL: lossc gen batch.loss"; exit 1; }
cat > "$work/b/drive.c" <<'C'
#include "../drive.h"
#include "batch_loss.h"
int main(void)
{
	const size_t ns[] = { 7, 100, 1001 };
	for (size_t a = 0; a < 3; a++) {
		size_t n = ns[a];
		double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *m = malloc(n * sizeof *m);
		double *d = malloc(n * sizeof *d), *db = malloc(n * sizeof *db), t = 0.3, dt = 0;
		void *work = malloc(loss_ppo_like_work_size(n) + 1);
		uint64_t s = 88172645463325252u + n;
		if (!x || !y || !m || !d || !db || !work)
			return 2;
		for (size_t i = 0; i < n; i++)
			x[i] = unif(&s), y[i] = unif(&s) * 100, m[i] = (double)(i % 2);
		double v = loss_ppo_like(n, x, y, work), g = loss_ppo_like_grad(n, x, y, d, work);
		uint64_t h = fnv(&v, sizeof v, fnv(&g, sizeof g, fnv(d, n * sizeof *d, 14695981039346656037u)));
		double vt = loss_temperature(n, &t, x, y, m), gt = loss_temperature_grad(n, &t, x, y, m, &dt, db);
		h = fnv(&vt, sizeof vt, fnv(&gt, sizeof gt, fnv(&dt, sizeof dt, fnv(db, n * sizeof *db, h))));
		printf("n=%zu ppo_like %.17g temperature %.17g d_t %.17g hash %016llx\n", n, v, vt, dt, (unsigned long long)h);
		free(x), free(y), free(m), free(d), free(db), free(work);
	}
	return 0;
}
C
# serial_vs_threads DIR KERNEL WHAT: DIR/drive.c with DIR/KERNEL built
# without and with OpenMP; the runs on 1-4 threads must equal the serial one
serial_vs_threads() {
	cc -std=c99 -O2 -I"$1" -o "$1/serial" "$1/drive.c" "$1/$2" -lm &&
	cc -std=c99 -O2 -fopenmp -I"$1" -o "$1/omp" "$1/drive.c" "$1/$2" -lm &&
	"$1/serial" > "$1/serial.out" || { echo "FAIL: the $3' builds or serial run"; exit 1; }
	for t in 1 2 3 4; do
		OMP_NUM_THREADS=$t OMP_WAIT_POLICY=passive "$1/omp" > "$1/omp$t.out" || { echo "FAIL: $3, run on $t threads"; status=1; continue; }
		if cmp -s "$1/serial.out" "$1/omp$t.out"; then
			echo "ok: $3, $t thread(s): bit-identical to the serial build"
		else
			echo "FAIL: $3, $t thread(s) differ:"; diff "$1/serial.out" "$1/omp$t.out"; status=1
		fi
	done
}
serial_vs_threads "$work/b" batch_loss.c "batch losses"
# blind? the statistics' and the per-batch gradient's parts summed in reverse must differ
sed 's/lc_bsum += lc_part\[lc_p\];/lc_bsum += lc_part[63 - lc_p];/; s/lc_gsum += lc_gpart\([0-9]*\)\[lc_p\];/lc_gsum += lc_gpart\1[63 - lc_p];/' \
	"$work/b/batch_loss.c" > "$work/b/reordered.c"
cc -std=c99 -O2 -I"$work/b" -o "$work/b/reordered" "$work/b/drive.c" "$work/b/reordered.c" -lm &&
"$work/b/reordered" > "$work/b/reordered.out"
if cmp -s "$work/b/serial.out" "$work/b/reordered.out"; then
	echo "FAIL: reversing the batch stage's sums changes no bit: the comparison is blind"; status=1
else
	echo "ok: reversing the batch stage's sums is caught"
fi

# Rows across the batch (tests/gen/cross.loss, gen_cross.c): CLIP's values
# kept in work, its B x B adjoint sent back to every row's embeddings by
# passes over the rows, and the per-batch logit scale's gradient summed
# over the parts: bit-identical too, at 7, 100 and 1001 rows.
mkdir "$work/x" && "$LOSSC" gen "$top_srcdir/tests/gen/cross.loss" -o "$work/x" 2>/dev/null ||
	{ echo "FAIL: lossc gen cross.loss"; exit 1; }
cat > "$work/x/drive.c" <<'C'
#include "../drive.h"
#include "cross_loss.h"
int main(void)
{
	const size_t ns[] = { 7, 100, 1001 }, D = 8;
	for (size_t a = 0; a < 3; a++) {
		size_t n = ns[a];
		double *u = malloc(n * D * sizeof *u), *v = malloc(n * D * sizeof *v);
		double *du = malloc(n * D * sizeof *du), *dv = malloc(n * D * sizeof *dv), ls = 2.0, dls = 0;
		void *work = malloc(loss_clip_work_size(n, D) + 1);
		uint64_t s = 88172645463325252u + n;
		if (!u || !v || !du || !dv || !work)
			return 2;
		/* work grows as n^2: a size_t that would wrap is SIZE_MAX, not a small size */
		if (loss_clip_work_size((size_t)1 << (sizeof(size_t) * 4 + 1), D) != SIZE_MAX)
			return 3;
		for (size_t i = 0; i < n * D; i++)
			u[i] = unif(&s), v[i] = unif(&s);
		double val = loss_clip(n, D, u, v, &ls, work), g = loss_clip_grad(n, D, u, v, &ls, du, dv, &dls, work);
		uint64_t h = fnv(&val, sizeof val, fnv(&g, sizeof g, fnv(&dls, sizeof dls, 14695981039346656037u)));
		h = fnv(du, n * D * sizeof *du, fnv(dv, n * D * sizeof *dv, h));
		printf("n=%zu clip %.17g d_logit_scale %.17g hash %016llx\n", n, val, dls, (unsigned long long)h);
		free(u), free(v), free(du), free(dv), free(work);
	}
	return 0;
}
C
serial_vs_threads "$work/x" cross_loss.c "rows across the batch"
exit $status
