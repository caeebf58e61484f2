# Each file of a run gets its findings, in command-line order; one
# unreadable file makes the run exit 2 but the others are still analyzed.
echo 'rationale r for nowhere { }' > a.loss
echo 'goal a { } goal a { }' > c.loss
"$LOSSC" lint a.loss missing.loss c.loss
