#!/bin/sh
# harness.sh: `lossc gen --harness` for every example and every file
# under tests/gen/ (all built-in losses, every primitive): the generated
# kernel must compile with -std=c99 -Wall -Wextra -Werror -pedantic
# under gcc and clang (each if installed), and its harness must build
# with the documented line and pass.  Where the compiler supports
# AddressSanitizer the harness also runs under it, so the out-of-range
# label checks prove no out-of-bounds read.
#
# Each harness also runs against the kernels built scalar only
# (-DLOSSC_NO_VECTOR), with vectors but without the AVX2+FMA copy
# (-DLOSSC_NO_DISPATCH), with OpenMP on 2 threads (-fopenmp), and with
# every long gradient row streamed (-DLOSSC_STREAM_BYTES=0).
#
# examples/vague.loss is the numerically unsound example (lint warns
# LS401: log(softmax(z)); LS405: exp(r) overflows float32): its harness
# must FAIL, which shows the harness catches what the analyzer warns of.
set -u
: "${LOSSC:?set LOSSC to the lossc binary}"
: "${top_srcdir:?set top_srcdir}"
STRICT="-std=c99 -Wall -Wextra -Werror -pedantic"
work=$(mktemp -d "${TMPDIR:-/tmp}/lossc-harness.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
compilers=""
for cc in gcc clang; do
	command -v $cc >/dev/null 2>&1 && compilers="$compilers $cc"
done
[ -n "$compilers" ] || compilers=cc
asan=""
if echo 'int main(void){return 0;}' > "$work/a.c" &&
   ${CC:-cc} -fsanitize=address,undefined -o "$work/a" "$work/a.c" 2>/dev/null && "$work/a"; then
	asan="-fsanitize=address,undefined -fno-sanitize-recover=all"
fi
status=0
files=$(ls "$top_srcdir"/examples/*.loss "$top_srcdir"/tests/gen/*.loss 2>/dev/null)
[ -n "$files" ] || { echo "FAIL: no .loss files"; exit 1; }
for f in $files; do
	stem=$(basename "$f" .loss)
	dir="$work/$stem"
	mkdir "$dir" || exit 99
	if ! "$LOSSC" gen "$f" -o "$dir" --harness 2> "$dir/gen.err"; then
		# a file lint refuses (errors) is not generated: that must say so
		if grep -q "has errors; nothing written" "$dir/gen.err" && [ -z "$(ls "$dir" | grep -v gen.err)" ]; then
			echo "skip $stem: has error findings (refused, nothing written)"
			continue
		fi
		echo "FAIL $stem: lossc gen failed:"; cat "$dir/gen.err"; status=1; continue
	fi
	for cc in $compilers; do
		if ! $cc $STRICT -c -o /dev/null "$dir/${stem}_loss.c"; then
			echo "FAIL $stem: ${stem}_loss.c does not compile strictly with $cc"; status=1
		fi
		if ! $cc -std=c99 -Wall -Wextra -Werror -O2 -o "$dir/test_$cc" \
			"$dir/test_${stem}_loss.c" "$dir/${stem}_loss.c" -lcmocka -lm; then
			echo "FAIL $stem: the harness does not build with $cc"; status=1
		fi
	done
	# the documented build line, exactly
	(cd "$dir" && cc -std=c99 -O2 "test_${stem}_loss.c" "${stem}_loss.c" -lcmocka -lm) || {
		echo "FAIL $stem: the documented cc line does not build the harness"; status=1; continue; }
	runs="$dir/a.out"
	# the other paths of the float32 kernels (gen_vec.c): scalar only, the
	# vectors without the AVX2+FMA copy, OpenMP threads, and the streaming
	# stores of long gradient rows at any batch size (tests/gen/long.loss)
	for v in "novector -DLOSSC_NO_VECTOR" "nodispatch -DLOSSC_NO_DISPATCH" "openmp -fopenmp" \
		"stream -DLOSSC_STREAM_BYTES=0"; do
		set -- $v
		if cc -std=c99 -Wall -Wextra -Werror -O2 "$2" -o "$dir/test_$1" \
			"$dir/test_${stem}_loss.c" "$dir/${stem}_loss.c" -lcmocka -lm; then
			runs="$runs $dir/test_$1"
		else
			echo "FAIL $stem: the harness does not build with $2"; status=1
		fi
	done
	if [ -n "$asan" ]; then
		${CC:-cc} -std=c99 -O1 -g $asan -o "$dir/test_asan" \
			"$dir/test_${stem}_loss.c" "$dir/${stem}_loss.c" -lcmocka -lm && runs="$runs $dir/test_asan"
	fi
	for t in $runs; do
		if [ "$stem" = vague ]; then
			if OMP_NUM_THREADS=2 "$t" > "$dir/run.out" 2>&1; then
				echo "FAIL $stem: the harness passed an unstable kernel"; status=1
			elif ! grep -q "NaN or Inf where the math is finite" "$dir/run.out"; then
				echo "FAIL $stem: the harness failed for another reason:"; cat "$dir/run.out"; status=1
			else
				echo "ok $stem: the harness rejects the unstable kernel ($(basename "$t"))"
			fi
		elif OMP_NUM_THREADS=2 "$t" > "$dir/run.out" 2>&1; then
			echo "ok $stem: $(grep -c 'OK \]' "$dir/run.out") losses pass ($(basename "$t"))"
		else
			echo "FAIL $stem: harness failed:"; cat "$dir/run.out"; status=1
		fi
	done
done
exit $status
