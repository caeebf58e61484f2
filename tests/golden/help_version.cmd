# --help and --version print to stdout and exit 0.
"$LOSSC" --version | sed 's/[0-9][0-9.]*$/VERSION/'; echo "version: $?"
"$LOSSC" --help | head -n 1; echo "help: $?"
"$LOSSC" help | head -n 1
"$LOSSC" lint --help | head -n 1
"$LOSSC" help lint | head -n 1
