# A user's rule with nothing but a code, a message and a pattern: explain
# prints its header and where it comes from, and no empty sections; codes
# are matched whatever their case.
mkdir r
printf 'code: LS901\nmessage: m\npattern: \\bvalues\\b\n' > r/LS901-bare.rule
"$LOSSC" explain --rules r LS901; echo "exit $?"
"$LOSSC" explain --rules r ls901; echo "exit $?"
