# --explain-value on a loss with a weight and an ignore_index mask (both
# shown with what the analyzer knows of them), every kind of claim (the
# proven ones with their proof, the unproven one pointing at its finding),
# and a loss without a value.
printf 'dataset d { input x: real[5] in [0, 1]; input w: real in [0, 2]; label y: class[5]; }\nloss a on d { output z: real[5]; value = cross_entropy(z, y, ignore_index=0); reduce mean weight w; precision float64; claim nonnegative, convex, smooth, bounded; }\nloss b on d { output z: real[5]; reduce mean; }\n' > ev.loss
"$LOSSC" lint --no-config --explain-value --select LS3 ev.loss; echo "exit $?"
