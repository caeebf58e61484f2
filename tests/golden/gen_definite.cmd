# lossc gen refuses a loss whose value is certainly undefined (LS330:
# z / T with param T = 0) and writes nothing.
cat > t.loss <<'LOSS'
dataset d { label c: class[4]; }
loss distill on d {
    output z: real[4];
    param T: real = 0;
    value = cross_entropy(z / T, c);
    reduce mean;
    precision float32;
}
LOSS
mkdir out
"$LOSSC" gen -o out t.loss
rc=$?
echo "exit $rc; files written: $(ls out | wc -l)"
exit $rc
