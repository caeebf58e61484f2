# graph's edges: an "other" care cut at 140 characters never inside a
# UTF-8 character (the cut falls on a two-byte 'é'), a DEL byte in prose
# drawn as a blank, standard input with and without a name, a document
# (no story to draw), the input as the output, --help to a full device.
[ -w /dev/full ] || { echo "no /dev/full" >&2; exit 77; }
{
	printf 'dataset d { about "a DEL \177 here"; input x: real; label y: binary; }\n'
	printf 'loss l on d { output u: real; value = bce_with_logits(u, y); reduce mean; precision float32; }\n'
	printf 'agent a { trained_by l; cares_about other "'
	i=0
	while [ $i -lt 139 ]; do printf 'x'; i=$((i + 1)); done
	printf '\303\251\303\251 and more words after the cut"; }\n'
} > cut.loss
"$LOSSC" graph cut.loss | grep -a -e 'other:' -e 'DEL'; echo "exit $?"
"$LOSSC" graph - < cut.loss | grep -a 'label="<stdin>"' | cut -c1-60; echo "exit $?"
"$LOSSC" graph --stdin-filename story.loss - < cut.loss | grep -a 'label="story.loss"' | cut -c1-60
echo '# notes' > notes.md
"$LOSSC" graph notes.md; echo "exit $?"
"$LOSSC" graph -o cut.loss cut.loss; echo "exit $?"
"$LOSSC" graph --help > /dev/full; echo "exit $?"
