#!/bin/sh
# vectors.sh: generated kernels for every built-in loss against the
# reference vectors in tests/vectors/ (PyTorch's definitions, float64;
# a case may have up to three `label` lines, the call's later arguments):
# forward (mean, sum, per row) and gradient, float64 to 1e-6 and float32
# to 1e-5 relative (see vecdrv.c for how vectors are compared).
#
# For each FILE.vec a .loss is written with five losses over the same
# expression (m64, s64, n64 in float64 with reduce mean/sum/none, m32 and
# n32 in float32), `lossc gen` compiles it to C, and vecdrv.c checks it.
set -u
: "${LOSSC:?set LOSSC to the lossc binary}"
: "${top_srcdir:?set top_srcdir}"
CC=${CC:-cc}
STRICT="-std=c99 -Wall -Wextra -Werror -pedantic"
work=$(mktemp -d "${TMPDIR:-/tmp}/lossc-vectors.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
status=0
count=0
for vec in "$top_srcdir"/tests/vectors/*.vec; do
	name=$(basename "$vec" .vec)
	dir="$work/$name"
	mkdir "$dir" || exit 99
	expr=$(sed -n 's/^expr //p' "$vec")
	oline=$(sed -n 's/^output //p' "$vec")
	oname=${oline%% *}; otype=${oline#* }
	odim=$(printf '%s\n' "$otype" | sed -n 's/^real\[\([0-9]*\)\].*/\1/p'); odim=${odim:-1}
	# one `label` line per later argument of the call, in order
	decls=""; defs=""; k=0
	sed -n 's/^label //p' "$vec" > "$dir/labels"
	while IFS= read -r lline; do
		lname=${lline%% *}; ltype=${lline#* }
		case $ltype in
		class*) ldim=1; lclass=1 ;;
		*\[*) ldim=$(printf '%s\n' "$ltype" | sed 's/^[a-z]*\[\([0-9]*\)\].*/\1/'); lclass=0 ;;
		*) ldim=1; lclass=0 ;;
		esac
		decls="$decls    label $lname: $ltype;
"
		defs="$defs -DLAB${k}_DIM=$ldim -DLAB${k}_CLASS=$lclass"
		k=$((k + 1))
	done < "$dir/labels"
	nlab=$k
	while [ "$k" -lt 3 ]; do defs="$defs -DLAB${k}_DIM=1 -DLAB${k}_CLASS=0"; k=$((k + 1)); done
	{
		printf 'dataset vd {\n%s}\n' "$decls"
		for spec in "m64 mean float64" "s64 sum float64" "n64 none float64" "m32 mean float32" "n32 none float32"; do
			set -- $spec
			printf 'loss %s on vd {\n    output %s: %s;\n    value = %s;\n    reduce %s;\n    precision %s;\n}\n' \
				"$1" "$oname" "$otype" "$expr" "$2" "$3"
		done
	} > "$dir/vec.loss"
	if ! "$LOSSC" gen "$dir/vec.loss" -o "$dir" 2> "$dir/gen.err"; then
		echo "FAIL $name: lossc gen failed:"; cat "$dir/gen.err"; status=1; continue
	fi
	if ! $CC $STRICT -c -o "$dir/vec_loss.o" "$dir/vec_loss.c"; then
		echo "FAIL $name: generated code does not compile strictly"; status=1; continue
	fi
	if ! $CC -std=c99 -O2 -I"$dir" -DOUT_DIM="$odim" -DNLAB="$nlab" $defs \
		-o "$dir/drv" "$top_srcdir/tests/gen/vecdrv.c" "$dir/vec_loss.o" -lm; then
		echo "FAIL $name: driver does not build"; status=1; continue
	fi
	"$dir/drv" "$vec" || status=1
	count=$((count + 1))
done
[ "$count" -gt 0 ] || { echo "FAIL: no vectors found"; exit 1; }
exit $status
