# A directory is not a file: LS002 with the reason, exit 2.
mkdir dir.loss
"$LOSSC" lint dir.loss
