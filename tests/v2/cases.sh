#!/bin/sh
# cases.sh: the ten LossSpec v2 reference cases (tests/v2/cases/*.case,
# copied from PyTorch 1.13 float64 runs) against the float64 code that
# `lossc gen` writes for tests/v2/NAME.loss.
#
#     cases.sh [CASE[@SPEC]...]   (default: every case)
#
# CASE@SPEC runs the case against tests/v2/SPEC.loss instead, a spec that
# binds a size differently (any spec whose loss reads the case's arguments).
#
# A case NAME.case or NAME.EDGE.case runs against tests/v2/NAME.loss: the
# edges (a batch of one row, every label ignored, weights summing to 0)
# are PyTorch's values too, computed by tests/v2/edges.py.
# For each case: the spec must lint clean (exit 0), gen must write code
# that compiles with the strict flags, and a driver feeds the case's values
# to loss_NAME and loss_NAME_grad through the documented API and compares
# the loss and every element of every output's gradient, within 1e-9
# relative.  An element's error is measured relative to
# max(|want|, 1e-15 * the largest |want| of its gradient), so an entry
# that is mathematically 0 may come out as a rounding residue of 1e-17;
# where PyTorch's value is NaN, the generated code's must be NaN.
# The driver is written from the generated header's prototypes (their
# parameters are named after the spec: size_t V, const double *u,
# double *d_u, void *work), so the test reads the API as a caller does.
# Prints one line per case with its largest relative error.
set -u
: "${LOSSC:?set LOSSC to the lossc binary}"
: "${top_srcdir:?set top_srcdir}"
CC=${CC:-cc}
STRICT="-std=c99 -Wall -Wextra -Werror -pedantic"
TOL=1e-9
here=$top_srcdir/tests/v2
work=$(mktemp -d "${TMPDIR:-/tmp}/lossc-v2cases.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
[ $# -gt 0 ] || set -- $(cd "$here/cases" && ls *.case | sed 's/\.case$//')
status=0
for arg in "$@"; do
	cname=${arg%%@*}
	case $arg in
	*@*) name=${arg#*@} ;;
	*) name=${cname%%.*} ;;
	esac
	case=$here/cases/$cname.case
	spec=$here/$name.loss
	dir=$work/$cname@$name
	mkdir "$dir" || exit 99
	if ! "$LOSSC" lint "$spec" > "$dir/lint.out" 2>&1; then
		echo "FAIL $name: $spec does not lint clean:"; cat "$dir/lint.out"; status=1; continue
	fi
	if ! "$LOSSC" gen "$spec" -o "$dir" 2> "$dir/gen.err"; then
		echo "FAIL $name: lossc gen failed:"; cat "$dir/gen.err"; status=1; continue
	fi
	if ! $CC $STRICT -c -o "$dir/k.o" "$dir/${name}_loss.c"; then
		echo "FAIL $name: generated code does not compile strictly"; status=1; continue
	fi
	# The loss in the spec file (the first one) names the functions.
	loss=$(sed -n 's/^loss \([A-Za-z_][A-Za-z0-9_]*\) on .*/\1/p' "$spec" | head -n 1)
	# Prototypes, one a line: the forward function, the gradient, the work size.
	grep -E "^(double|void|size_t) loss_${loss}(_grad|_work_size)?\(" "$dir/${name}_loss.h" > "$dir/protos"
	awk -v loss="$loss" -v tol="$TOL" -v hdr="${name}_loss.h" -v cname="$cname" '
	function cnum(x) { return x == "nan" ? "NAN" : x == "inf" ? "INFINITY" : x == "-inf" ? "-INFINITY" : x }
	# Pass 1: the case file.
	FNR == NR {
		if ($1 == "dim") { dim[$2] = $3; if (!batch) batch = $3 }
		else if ($1 == "values" || $1 == "grad") {
			key = $1 " " $2; n = NF - 2; cnt[key] = n; s = ""
			for (i = 3; i <= NF; i++) s = s (i > 3 ? ", " : "") cnum($i)
			vals[key] = s
		} else if ($1 == "data") kind[$2] = $3
		else if ($1 == "loss") want = cnum($2)
		next
	}
	# Pass 2: the prototypes.
	{
		line = $0
		fn = line; sub(/\(.*/, "", fn); sub(/^[a-z_]+ /, "", fn)
		args = line; sub(/^[^(]*\(/, "", args); sub(/\);$/, "", args)
		np = split(args, p, /, /)
		call = fn "("
		for (i = 1; i <= np; i++) {
			par = p[i]; pname = par; sub(/.* \**/, "", pname)
			if (par ~ /^size_t /) arg = (pname == "n") ? batch : dim[pname]
			else if (par ~ /^void \*/) arg = "work"
			else if (par ~ /^double \*(restrict|LOSSC_RESTRICT) d_/) {
				o = pname; sub(/^d_/, "", o); arg = "g_" o; grads[o] = 1
			} else arg = "v_" pname
			if (arg == "") { printf "#error no value for parameter %s of %s\n", pname, fn; arg = "0" }
			call = call (i > 1 ? ", " : "") arg
		}
		call = call ")"
		if (fn ~ /_work_size$/) wcall = call
		else if (fn ~ /_grad$/) gcall = call
		else fcall = call
	}
	END {
		printf "#include <math.h>\n#include <stdint.h>\n#include <stdio.h>\n#include <stdlib.h>\n"
		printf "#include \"%s\"\n\n", hdr
		for (key in vals) {
			split(key, kk, " ")
			if (kk[1] != "values") continue
			if (kind[kk[2]] == "int")
				printf "static const int32_t v_%s[] = {%s};\n", kk[2], vals[key]
			else
				printf "static const double v_%s[] = {%s};\n", kk[2], vals[key]
		}
		for (o in grads) {
			printf "static const double want_%s[] = {%s};\n", o, vals["grad " o]
			printf "static double g_%s[%d];\n", o, cnt["grad " o]
		}
		printf "\nstatic double worst;\n"
		printf "static int check(const char *what, const double *got, const double *want, int n)\n{\n"
		printf "\tdouble scale = 0;\n\tint bad = 0;\n"
		printf "\tfor (int i = 0; i < n; i++)\n\t\tif (fabs(want[i]) > scale)\n\t\t\tscale = fabs(want[i]);\n"
		printf "\tfor (int i = 0; i < n; i++) {\n"
		printf "\t\tdouble den = fabs(want[i]) > 1e-15 * scale ? fabs(want[i]) : 1e-15 * scale;\n"
		printf "\t\tdouble rel = isnan(want[i]) ? (isnan(got[i]) ? 0 : INFINITY)\n"
		printf "\t\t\t: den > 0 ? fabs(got[i] - want[i]) / den : fabs(got[i]);\n"
		printf "\t\tif (!(rel <= worst)) worst = rel;\n"
		printf "\t\tif (!(rel <= %s)) {\n", tol
		printf "\t\t\tif (bad++ < 5) printf(\"FAIL %s %%s[%%d]: got %%.17g, want %%.17g (relative %%.2e)\\n\", what, i, got[i], want[i], rel);\n", cname
		printf "\t\t}\n\t}\n\treturn bad;\n}\n\n"
		printf "int main(void)\n{\n\tint bad = 0;\n"
		if (wcall != "") {
			printf "\tsize_t wsize = %s;\n", wcall
			printf "\tvoid *work = wsize ? malloc(wsize) : NULL;\n"
			printf "\tif (wsize && !work) return 99;\n"
		}
		printf "\tconst double want = %s;\n", want
		printf "\tdouble f = %s;\n", fcall
		printf "\tdouble g = %s;\n", gcall
		printf "\tbad += check(\"loss\", &f, &want, 1);\n"
		printf "\tbad += check(\"loss (from _grad)\", &g, &want, 1);\n"
		for (o in grads)
			printf "\tbad += check(\"d_%s\", g_%s, want_%s, %d);\n", o, o, o, cnt["grad " o]
		if (wcall != "") printf "\tfree(work);\n"
		printf "\tprintf(\"%s: largest relative error %%.2e\\n\", worst);\n", cname
		printf "\treturn bad != 0;\n}\n"
	}' "$case" "$dir/protos" > "$dir/drv.c"
	if ! $CC -std=c99 -O2 -Wall -Werror -I"$dir" -o "$dir/drv" "$dir/drv.c" "$dir/k.o" -lm 2> "$dir/cc.err"; then
		echo "FAIL $name: driver does not build:"; cat "$dir/cc.err"; status=1; continue
	fi
	if ! "$dir/drv"; then
		status=1
	fi
done
exit $status
