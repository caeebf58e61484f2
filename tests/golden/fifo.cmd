# A named pipe is refused at once (reading it could block forever); exit 2.
mkfifo pipe.loss || { echo "mkfifo unavailable" >&2; exit 77; }
"$LOSSC" lint pipe.loss
