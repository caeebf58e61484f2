# A chain of lets can nest a value deeper than any one expression may
# (256 levels): five lets of 240 levels, each built on the one before, are
# 1200 levels deep.  That is LS001 at the operation past 1000 levels (lossc(1)
# LIMITS), an error lint exits 1 on and gen refuses, never a loss that
# silently goes unchecked.  Four such lets (960 levels) are fine.
deep() {
	awk -v n="$1" 'BEGIN {
		print "dataset d { input x: real; label y: real; }"
		print "loss l on d {"
		print "    output u: real;"
		prev = "u"
		for (i = 1; i <= n; i++) {
			e = prev
			for (k = 0; k < 240; k++)
				e = (k % 2) ? "-" e : "(" e " + 1)"
			printf "    let a%d = %s;\n", i, e
			prev = "a" i
		}
		printf "    value = %s;\n    reduce mean;\n    precision float64;\n}\n", prev
	}'
}
deep 5 > five.loss
deep 4 > four.loss
"$LOSSC" lint --no-config --select LS001 five.loss > lint.out; echo "exit $?"
cut -c1-120 lint.out
"$LOSSC" gen -o out five.loss > gen.out 2>&1; echo "gen exit $?"
grep -v '^ ' gen.out | cut -c1-120
ls out 2>/dev/null | wc -l
"$LOSSC" lint --no-config --select LS001 four.loss; echo "exit $?"
"$LOSSC" gen -o out four.loss >/dev/null 2>&1; echo "gen exit $?"; ls out
