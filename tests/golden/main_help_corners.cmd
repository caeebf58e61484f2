# lossc's own options and `help` at their corners: -h as --help, `help`
# of itself (the general help: it used to call help an unknown command),
# of an unknown command (exit 2), and --version and help on a full
# device (a write error, exit 2).
[ -w /dev/full ] && [ -c /dev/full ] || { echo "no /dev/full character device" >&2; exit 77; }
ln -s /dev/full full
"$LOSSC" -h | head -n 1; echo "exit $?"
"$LOSSC" help help | head -n 1; echo "exit $?"
"$LOSSC" help nosuch; echo "exit $?"
"$LOSSC" --version > full; echo "exit $?"
"$LOSSC" help > full; echo "exit $?"
"$LOSSC" help fmt | head -n 1; echo "exit $?"
