# lossc fmt refuses what it cannot format, each with exit 2 and the reason:
# a plain-text document (by its name, or by --stdin-filename), a width out
# of range (too large to hold, or beyond the limit).  --force-exclude
# without any config excludes nothing: the file is checked as usual.
printf 'Some notes.\n' > notes.txt
printf 'goal g{about "x";}\n' > a.loss
"$LOSSC" fmt notes.txt; echo "exit $?"
printf 'goal g{about "x";}\n' | "$LOSSC" fmt --stdin-filename notes.txt -; echo "exit $?"
"$LOSSC" fmt --width 99999999999999999999 a.loss; echo "exit $?"
"$LOSSC" fmt --width 100000 a.loss; echo "exit $?"
"$LOSSC" fmt --no-config --force-exclude --check a.loss; echo "exit $?"
