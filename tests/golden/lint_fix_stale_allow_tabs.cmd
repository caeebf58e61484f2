# LS009's fix removes a stale allow directive written with tabs: between
# '//' and 'lossc:', after 'lossc:', and before a trailing comment (the
# blanks before it go with it).  The file then lints clean.
printf '//\tlossc:\tallow LS201 -- nothing here says aligned\ngoal g { about "Reads digits."; }\t// lossc:\tallow LS202 -- stale too\nrationale r for g { setup "SGD."; because "ok"; }\n' > a.loss
"$LOSSC" lint --no-config --fix a.loss; echo "exit $?"
cat -A a.loss
"$LOSSC" lint --no-config a.loss; echo "exit $?"
