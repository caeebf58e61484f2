# explain prints a built-in code's and a rule file's explanation; an
# unknown code is exit 2; rules lists every code with its source.
"$LOSSC" explain LS104; echo "exit $?"
"$LOSSC" explain ls212 | sed -n '1p;4,6p'; echo "exit $?"
"$LOSSC" explain LS999; echo "exit $?"
"$LOSSC" explain; echo "exit $?"
"$LOSSC" rules | sed 's|\[/.*/rules/|[.../rules/|' | grep -E '^LS(00[89]|10[18]|20[01]|215) '; echo "exit $?"
"$LOSSC" rules --test | tail -n 1; echo "exit $?"
