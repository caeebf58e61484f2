# Reports, diffs and graphs written to what is not a regular file.  A
# device or a named pipe is written where it is: a temporary file renamed
# over it would turn /dev/null or a FIFO into a plain file (as root, for
# the whole machine).  A symbolic link stays a link and the file it names
# gets the report.  The devices are reached through links made here, so
# a regression replaces the links, never the nodes in /dev.
[ -w /dev/full ] && [ -c /dev/full ] || { echo "no /dev/full character device" >&2; exit 77; }
command -v mkfifo >/dev/null 2>&1 || { echo "no mkfifo" >&2; exit 77; }
cp "$GOLDEN/../../examples/vague.loss" v.loss
ln -s /dev/full full
ln -s /dev/null null
mkfifo fifo

echo "-- a diff to a full device: a write error, exit 2"
"$LOSSC" lint --diff -o full v.loss; echo "exit $?"
[ -L full ] && echo "full is still a link"

echo "-- a SARIF report to /dev/null"
"$LOSSC" lint --format sarif:null v.loss; echo "exit $?"
[ -L null ] && [ -c null ] && echo "null is still a link to a device"

echo "-- a JSON report into a named pipe"
cat fifo > got &
reader=$!
"$LOSSC" lint --select LS106 --format json:fifo v.loss; echo "exit $?"
if [ -p fifo ]; then
	wait $reader
	echo "fifo is still a FIFO"
	cat got
else
	kill $reader        # still waiting to open the FIFO that is gone
	echo "fifo was replaced by a plain file"
fi

echo "-- a report through a symbolic link"
echo stale > real.json
ln -s real.json link.json
"$LOSSC" lint --select LS106 --format json:link.json v.loss; echo "exit $?"
[ -L link.json ] && echo "link.json is still a link"
cat real.json

echo "-- a graph to a full device"
"$LOSSC" graph -o full v.loss; echo "exit $?"
[ -L full ] && echo "full is still a link"
