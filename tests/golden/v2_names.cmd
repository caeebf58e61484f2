# LossSpec v2 names: sizes declared once, where the types that use them can
# see them (LS310, LS011, LS012), one batch per loss (LS109).  Only the
# name and story findings: the math of v2 comes with the analyzer.
cat > sizes.loss <<'X'
dataset tokens {
    size V;
    input x: real[K];
    label y: class[x];
    input u: real[B];
}

loss ce on tokens {
    batch B;
    batch N;
    size V;
    size D;
    size Dims;
    output z: real[V, Dim];
    output q: real[d];
    output r: real[Dimm];
    param w: real[D] = [1, 2];
    value = z[y] + B;
    reduce mean weight u;
}
X
"$LOSSC" lint --select LS01,LS109,LS310 sizes.loss
