# lossc lint --explain-value on claims that need a hand-proven bound: each
# proof that narrowed an interval is named, at the expression it applied
# to, and each claim says what proved it.
cat > story.loss <<'LOSS'
dataset d {
    label c: class[5];
    label p: prob[5];
    label b: binary;
    label ts: real;
}
loss vae_kl on d {
    output mu: real[2];
    output logvar: real[2];
    value = -0.5 * sum(1 + logvar - square(mu) - exp(logvar));
    reduce mean; precision float32;
    claim nonnegative, convex;
}
loss by_hand on d {
    output z: real[5];
    output u: real;
    value = logsumexp(z) - z[c] + (u - ts) * (u - ts) + softplus(u) - b * u;
    reduce mean; precision float32;
    claim nonnegative, convex, smooth;
}
loss gibbs on d {
    output z: real[5];
    value = kl_div(log_softmax(z), p);
    reduce mean; precision float32;
    claim nonnegative, bounded;
}
goal g { about "The model predicts the labels."; }
rationale r for g {
    uses vae_kl, by_hand, gibbs;
    setup "Adam, 10 epochs.";
    because "Each loss is minimized where the predictions equal the labels.";
}
LOSS
"$LOSSC" lint --explain-value story.loss
