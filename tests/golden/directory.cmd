# A directory argument stands for the *.loss files below it; one with none
# is a warning on stderr (as Ruff), not a failure.
mkdir dir.loss
"$LOSSC" lint dir.loss
