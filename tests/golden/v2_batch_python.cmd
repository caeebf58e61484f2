# --python passes a per-batch argument as one value (shape () or (1,)):
# the module is written, and its argument table says so.
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
"$LOSSC" gen --python -o out t.loss 2>/dev/null
echo "exit $?"
ls out 2>/dev/null
grep -F '("log_temp", "output", "per batch")' out/t_loss.py
"$LOSSC" gen -o c t.loss 2>/dev/null
echo "exit $?"
ls c
