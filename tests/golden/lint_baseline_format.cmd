# Baseline files in detail: paths with bytes the line format cannot hold
# (percent-encoded), several findings sorted by path, line and code, and
# every broken baseline or unwritable destination as an error with exit 2.
mkdir specs
tab=$(printf '\t')
cat > "specs/50%${tab}off.loss" <<'X'
goal g { about "The loss is perfectly aligned with human values."; about "The reward is aligned with our goals."; }
goal h { about "x"; }
X
cat > specs/b.loss <<'X'
goal g { about "x"; }
goal h { about "y"; }
X
"$LOSSC" lint --write-baseline base specs; echo "exit $?"
tail -n +4 base | cut -f2,3 | sed 's/\t/ | /'
echo '== read back: the encoded path matches'
"$LOSSC" lint --baseline base specs; echo "exit $?"
echo '== hand-edited with other escapes (either case): still matches'
sed 's/specs\/50/specs\/%35%30/; s/off\.loss/%6fff.%6Coss/; s/b\.loss/b.%6coss/' base > base2
grep -c '%35%30%25%09%6fff.%6Coss' base2
"$LOSSC" lint --baseline base2 specs; echo "exit $?"
echo '== a baseline that does not exist'
"$LOSSC" lint --baseline nowhere specs; echo "exit $?"
echo '== broken entries'
head -n 1 base > broken
printf 'not an entry\n' >> broken
"$LOSSC" lint --baseline broken specs; echo "exit $?"
head -n 1 base > broken
printf '0123456789abcdef:1\tLS201\n' >> broken
"$LOSSC" lint --baseline broken specs; echo "exit $?"
head -n 1 base > broken
printf 'nocolon\tLS201\tspecs/b.loss\n' >> broken
"$LOSSC" lint --baseline broken specs; echo "exit $?"
echo '== a destination that cannot be written'
"$LOSSC" lint --write-baseline nodir/base specs; echo "exit $?"
echo '== hand-written entries: blank and comment lines, three fields, bad field sizes'
head -n 1 base > hand
printf '\n# a comment\n' >> hand
tail -n +4 base | cut -f1-3 >> hand
"$LOSSC" lint --baseline hand specs; echo "exit $?"
for entry in ':1\tLS201\tx' '0123:1\t\tx' '0123:1\tLS201TOOLONG\tx' '0123:1\tLS201\t' \
	'0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef:1\tLS201\tx'; do
	head -n 1 base > broken
	printf "$entry\n" >> broken
	"$LOSSC" lint --baseline broken specs; echo "exit $?"
done
echo '== not a baseline: a first line that is not the header'
printf 'LS201\n' > notbase
"$LOSSC" lint --baseline notbase specs; echo "exit $?"
