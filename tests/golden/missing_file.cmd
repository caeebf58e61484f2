# A missing file: LS002 with the system's reason, exit 2.
"$LOSSC" lint no-such-file.loss
