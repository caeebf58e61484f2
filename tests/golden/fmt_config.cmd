# The width: --width, else fmt-width in the file's .losscrc, else 88.  A
# broken fmt-width is an error naming the config file and line (exit 2).
mkdir -p proj/sub
printf 'goal g { about "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"; }\n' > proj/sub/g.loss
cp proj/sub/g.loss proj/g.loss
printf 'fmt-width: 50\n' > proj/sub/.losscrc
"$LOSSC" fmt - < proj/sub/g.loss
echo "== fmt-width: 50 in proj/sub/.losscrc"
"$LOSSC" fmt proj/sub/g.loss proj/g.loss
cat proj/sub/g.loss proj/g.loss
echo "== --width 60 wins over the config; --no-config"
cp proj/g.loss proj/sub/h.loss
"$LOSSC" fmt --width 60 --diff proj/sub/h.loss
"$LOSSC" fmt --no-config --check proj/sub/h.loss
echo "exit $?"
echo "== a broken fmt-width"
printf 'fmt-width: wide\n' > proj/sub/.losscrc
"$LOSSC" fmt proj/sub/g.loss 2>err.txt
echo "exit $?"
sed 's|^.*/proj/|.../proj/|' err.txt
"$LOSSC" fmt --config proj/sub/.losscrc - < proj/g.loss
echo "exit $?"
