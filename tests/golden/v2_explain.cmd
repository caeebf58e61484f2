# --explain-value on LossSpec v2: a weighted, padded cross-entropy shows its
# weight and the rows it leaves out; where() shows each side's interval
# through the value's.
cat > tokens.loss <<'X'
dataset tokens {
    label y: class[11];             // the next token; -100 marks padding
    input conf: real in [0, 1];
    input x: real;
}

loss token_ce on tokens {
    output logits: real[11];
    value = cross_entropy(logits, y, ignore_index=-100, label_smoothing=0.1);
    reduce mean weight conf;
    precision float64;
}

loss relu_like on tokens {
    output u: real;
    value = where(u > 0, u, 0) + where(x > 0, log(x), 0) + clamp(u, -1, 1);
    reduce mean;
    precision float64;
}
X
"$LOSSC" lint --explain-value --select LS3,LS4,LS5 tokens.loss
