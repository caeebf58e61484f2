# --explain-value with a machine-readable format: the findings alone go to
# standard output (valid JSON), the explanation to standard error.
cat > story.loss <<'LOSS'
dataset d { label c: class[3]; }
loss ce on d {
    output z: real[3];
    value = -log(softmax(z))[c];
    reduce mean; precision float32;
}
goal g { about "The model predicts the labels."; }
rationale r for g { uses ce; setup "Adam, 10 epochs."; because "Matching labels."; }
LOSS
"$LOSSC" lint --explain-value --format json story.loss 2>explain.txt
echo "exit $?"
echo "--- standard error:"
cat explain.txt
