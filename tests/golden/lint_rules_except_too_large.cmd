# A .words class whose except: entries PCRE2 refuses (here too large a
# pattern) is exit 2 naming the file and line of the class's last except:
# entry; no offset, since the pattern is one lossc generated from the
# words, not one the user wrote.
mkdir words
{
	printf 'class:  huge\ntitle:  a class with too many exceptions\nword:   zzqx\n'
	printf 'except: first, second\n'
	awk 'BEGIN { printf "except: "; for (i = 0; i < 6000; i++) printf "%sw%d", (i ? ", " : ""), i; print "" }'
} > words/big.words
printf 'goal g { about "Reward aligned with values."; }\n' > t.loss
"$LOSSC" lint --rules words t.loss; echo "exit $?"
