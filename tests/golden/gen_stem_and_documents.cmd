# gen names its files after the input's base name without .loss, every
# byte outside [A-Za-z0-9] written '_' (upper case and digits kept); a
# plain-text document holds no losses: exit 2, nothing written.
printf 'dataset d { about "x"; input x: real; label y: real; }\nloss l on d { output z: real; value = mse(z, y); reduce mean; precision float64; }\n' > "My-Loss 2~.loss"
"$LOSSC" gen -o out "My-Loss 2~.loss" 2>/dev/null; echo "exit $?"
ls out
printf 'Some notes.\n' > notes.txt
"$LOSSC" gen -o out2 notes.txt; echo "exit $?"
ls out2 2>/dev/null | wc -l
