# --check names each file that is not formatted and --diff shows what
# would change; both exit 1 when something would, 0 when nothing would,
# and neither writes a file.  The diff is a patch (a/, b/ names).
printf 'goal g{about "x" ;}\n\nagent a { trained_by l;cares_about predictions; }\n' > messy.loss
printf 'goal g {\n    about "x";\n}\n' > tidy.loss
cp messy.loss messy.orig
echo "== --check"
"$LOSSC" fmt --check messy.loss tidy.loss
echo "exit $?"
"$LOSSC" fmt --check tidy.loss
echo "exit $?"
echo "== --diff"
"$LOSSC" fmt --diff messy.loss tidy.loss
echo "exit $?"
"$LOSSC" fmt --diff tidy.loss
echo "exit $?"
cmp -s messy.loss messy.orig && echo "messy.loss is untouched"
echo "== --check --diff: the diff, and exit 1"
"$LOSSC" fmt --check --diff messy.loss
echo "exit $?"
if command -v patch >/dev/null 2>&1; then
	"$LOSSC" fmt --diff messy.loss > fix.patch
	patch -s -p1 < fix.patch
else
	"$LOSSC" fmt messy.loss     # no patch(1) here: the same result, in place
fi
"$LOSSC" fmt --check messy.loss && echo "the diff, applied, formats the file"
