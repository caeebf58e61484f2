# --python cannot pass a per-batch argument yet: gen says where, writes
# nothing, and exits 2; the C files alone are written as usual.
cat > t.loss <<'X'
dataset d { label y: binary; }
loss temperature on d {
    output z: real;
    output log_temp: real in [-10, 10] per batch;
    value = bce_with_logits(exp(log_temp) * z, y);
    reduce mean;
    precision float64;
}
X
"$LOSSC" gen --python -o out t.loss
echo "exit $?"
ls out 2>/dev/null
"$LOSSC" gen -o c t.loss 2>/dev/null
echo "exit $?"
ls c
