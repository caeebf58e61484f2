#!/bin/sh
# cxx.sh: C++ training code includes the generated header (issue 14).  For
# every example and every file under tests/gen/, the header compiles with
# g++ (and clang++ when installed) -std=c++11 -Wall -Wextra -Werror
# -pedantic, and a C++ program calling the first loss links against the C
# object and gets the value the C build gets.  Two headers from different
# specs (each under its own --prefix) included together must not clash
# (LOSSC_RESTRICT is undefined at the end of each).
set -u
: "${LOSSC:?set LOSSC to the lossc binary}"
: "${top_srcdir:?set top_srcdir}"
work=$(mktemp -d "${TMPDIR:-/tmp}/lossc-cxx.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
status=0
cxxs=""
for cxx in g++ clang++; do
	command -v $cxx >/dev/null 2>&1 && cxxs="$cxxs $cxx"
done
[ -n "$cxxs" ] || { echo "FAIL: no C++ compiler (on Debian: apt-get install g++)"; exit 1; }
STRICT="-std=c++11 -Wall -Wextra -Werror -pedantic"
headers=""
for f in "$top_srcdir"/examples/*.loss "$top_srcdir"/tests/gen/*.loss; do
	stem=$(basename "$f" .loss)
	dir="$work/$stem"
	if ! "$LOSSC" gen "$f" -o "$dir" 2> "$work/gen.err"; then
		grep -q "has errors; nothing written" "$work/gen.err" && continue
		echo "FAIL $stem: lossc gen failed"; cat "$work/gen.err"; status=1; continue
	fi
	# for the one-file test below: the same spec under its own prefix, as
	# a project with several specs would generate them
	"$LOSSC" gen "$f" -o "$work/p_$stem" --prefix "${stem}_" 2>/dev/null &&
		headers="$headers $work/p_$stem/${stem}_loss.h"
	for cxx in $cxxs; do
		printf '#include "%s_loss.h"\nint main() { return 0; }\n' "$stem" > "$dir/inc.cc"
		if ! $cxx $STRICT -I"$dir" -c -o /dev/null "$dir/inc.cc"; then
			echo "FAIL $stem: the header does not compile as C++ with $cxx"; status=1
		fi
	done
	echo "ok $stem: the header compiles as C++ ($cxxs)"
done

# a C++ program calls the C object: examples/mnist.loss's ce on a fixed batch
stem=mnist
dir="$work/$stem"
cat > "$dir/call.cc" <<'CC'
#include "mnist_loss.h"
#include <cstdio>
#include <vector>
int main()
{
	std::vector<float> x(3 * 10), d(3 * 10);
	std::vector<int32_t> y = {1, 7, 9};
	for (size_t i = 0; i < x.size(); i++)
		x[i] = (float)((i * 37) % 11) / 4.0f - 1.0f;
	float v = loss_ce_grad(3, x.data(), y.data(), d.data());
	std::printf("%.9g %.9g\n", (double)v, (double)d[7]);
	return 0;
}
CC
sed -e 's/#include <cstdio>/#include <stdio.h>/' -e 's/#include <vector>//' \
    -e 's/std::vector<float> x(3 \* 10), d(3 \* 10);/float x[30], d[30];/' \
    -e 's/std::vector<int32_t> y = {1, 7, 9};/int32_t y[3] = {1, 7, 9};/' \
    -e 's/x.size()/30/' -e 's/\.data()//g' -e 's/std::printf/printf/' -e 's/int main()/int main(void)/' \
    "$dir/call.cc" > "$dir/call.c"
cc -std=c99 -O2 -c -o "$dir/loss.o" "$dir/${stem}_loss.c" || { echo "FAIL: the C object"; exit 1; }
cc -std=c99 -O2 -I"$dir" -o "$dir/call_c" "$dir/call.c" "$dir/loss.o" -lm || { echo "FAIL: the C caller"; exit 1; }
for cxx in $cxxs; do
	if ! $cxx $STRICT -O2 -I"$dir" -o "$dir/call_cxx" "$dir/call.cc" "$dir/loss.o" -lm; then
		echo "FAIL: a C++ caller does not link against the C object ($cxx)"; status=1; continue
	fi
	a=$("$dir/call_c"); b=$("$dir/call_cxx")
	if [ "$a" = "$b" ] && [ -n "$a" ]; then
		echo "ok: C++ ($cxx) calls the C kernel and gets its value: $b"
	else
		echo "FAIL: C++ ($cxx) got '$b', C got '$a'"; status=1
	fi
done

# every header together in one C++ translation unit
for h in $headers; do printf '#include "%s"\n' "$h"; done > "$work/all.cc"
echo 'int main() { return 0; }' >> "$work/all.cc"
for cxx in $cxxs; do
	if $cxx $STRICT -c -o /dev/null "$work/all.cc"; then
		echo "ok: every header in one C++ file ($cxx)"
	else
		echo "FAIL: the headers clash when included together ($cxx)"; status=1
	fi
done
exit $status
