# The source line under a finding: C1 controls (U+0085) and DEL are shown
# as '?' (they are terminal escapes), a tab is kept and the caret line
# keeps it too, so the caret stays under its character; a long line of
# two-byte characters is cut to a window around the span, never inside a
# character.
printf 'goal g { about "caf\303\251 \302\205 del\177 tab\t: the network wants low loss."; }\n' > ctl.loss
"$LOSSC" lint --no-config --select LS211 ctl.loss; echo "exit $?"
{
	printf 'goal g { about "'
	i=0; while [ $i -lt 30 ]; do printf 'd\303\251j\303\240 vu '; i=$((i + 1)); done
	printf 'and the network wants low loss, '
	i=0; while [ $i -lt 40 ]; do printf '\303\274ber '; i=$((i + 1)); done
	printf '"; }\n'
} > long.loss
"$LOSSC" lint --no-config --select LS211 long.loss; echo "exit $?"
