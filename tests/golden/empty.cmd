# An empty file is a valid (empty) story: no finding, exit 0.
: > empty.loss
"$LOSSC" lint empty.loss
