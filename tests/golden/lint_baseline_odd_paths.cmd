# A baseline names each finding's file; a byte of a path that would break
# its tab-separated lines ('%', tab, CR, LF) is written percent-encoded
# (upper-case hex) and read back, in either case of hex digits, so those
# files' findings stay hidden.  A '%' not followed by two hex digits is
# kept as it is.
for f in 'a%b' "$(printf 'tab\there')" "$(printf 'cr\rhere')" "$(printf 'lf\nhere')" 'pct%zz'; do
	printf 'goal g { about "x"; }\n' > "$f.loss"
done
"$LOSSC" lint --no-config --write-baseline bl . > /dev/null 2>&1; echo "write: exit $?"
grep -v '^#' bl | cut -f2,3 | cat -A | sort
"$LOSSC" lint --no-config --baseline bl .; echo "exit $?"
tr 'D' 'd' < bl > bl-lower
"$LOSSC" lint --no-config --baseline bl-lower .; echo "lower-case hex: exit $?"
sed 's/%25zz/%zz/' bl > bl-raw
"$LOSSC" lint --no-config --baseline bl-raw .; echo "a bare %zz: exit $?"
