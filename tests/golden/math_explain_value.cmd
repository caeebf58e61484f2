# lossc lint --explain-value: each loss's value as the analyzer sees it
# (expanded into primitives, with its shape, interval, curvature and
# smoothness); a loss with type errors is named but not analyzed.
cat > story.loss <<'LOSS'
dataset d {
    input x: real[4] in [0, 1];
    label t: real[4];
    label c: class[3];
    label p: prob[3];
    label b: binary;
    label s: sign;
}
loss ce on d {
    output z: real[3];
    value = cross_entropy(z, c, label_smoothing=0.1);
    reduce mean; precision float32;
}
loss soft on d {
    output z: real[3];
    value = cross_entropy(z, p) + 0.5 * kl_div(log_softmax(z), p);
    reduce mean; precision float32;
}
loss robust on d {
    output v: real[4] in [-1, 1];
    value = smooth_l1(v, t, beta=0.5) + l1(v, x);
    reduce sum; precision float64;
}
loss logit on d {
    output u: real;
    value = bce_with_logits(u, b, pos_weight=3) + hinge(u, s) + hinge(u, b);
    reduce mean; precision float32;
}
loss bounded on d {
    output q: real in [0, 1];
    value = bce(q, b) + sqrt(q) + q ^ 2 / 2;
    reduce mean; precision float64;
}
loss broken on d {
    output z: real[4];
    value = cross_entropy(z, c);
    reduce mean; precision float32;
}
goal g { about "The model predicts the labels."; }
rationale r for g {
    uses ce, soft, robust, logit, bounded, broken;
    setup "Adam, 10 epochs.";
    because "Each loss is minimized where the predictions equal the labels.";
}
LOSS
"$LOSSC" lint --explain-value story.loss
