"""check.py DIR: the Python module `lossc gen --python` wrote for
tests/gen/python/train.loss, against PyTorch (tests/gen/python.sh runs it).

1. A small MLP trains 200 steps in float64 on synthetic data twice, from the
   same initial weights: with torch's cross_entropy and with the generated
   loss_ce (a torch.autograd.Function).  Every parameter agrees within 1e-9.
2. The NumPy interface and the torch one give torch's values and gradients
   for a mean, a sum over a real input target, and a per-row loss whose
   gradient takes upstream weights; torch.autograd.gradcheck passes.
3. Wrong input raises TypeError or ValueError naming the argument, never a
   crash: dtype, shape, strides, argument count, labels, devices, a missing
   library; loss_NAME_check names a class label out of range (argument, row,
   value) as LossInputError, where loss_NAME gives NaN.
4. Named sizes: token_ce (V from the logits' shape, at V = 1, 7, 50) and a
   VAE loss with two sizes match torch, gradcheck passes; loss_NAME_check
   names a bad label (its class count the bound size) and a size of 0;
   arguments that disagree on a size, or a size the loss does not have,
   raise naming them.
5. A row as long as the batch: infonce's S is n x n and its target
   arange(B); at B = 1, 2, 9 it matches torch's cross_entropy(S / 0.07,
   torch.arange(B)), gradcheck passes, and S of n x m (m != n) raises.
6. Rows across the batch with a per-batch output: clip (u @ transpose(v) of
   normalized rows, both directions) at B = 1, 3, 7 matches torch's CLIP
   loss and gradient, its logit scale passed as a 0-d tensor or a (1,)
   array; gradcheck passes; a logit scale of shape (2,) raises naming it.
"""
import sys

import numpy as np
import torch

sys.path.insert(0, sys.argv[1])
import train_loss as gen  # noqa: E402

failures = 0


def check(ok, what):
    global failures
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        failures += 1


# ---- 1. training ----------------------------------------------------------
torch.manual_seed(20261201)
X = torch.randn(64, 8, dtype=torch.float64)
Y = torch.randint(0, 4, (64,))


def train(loss_fn):
    torch.manual_seed(7)
    model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.Tanh(), torch.nn.Linear(16, 4)).double()
    opt = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
    first = None
    for step in range(200):
        opt.zero_grad()
        loss = loss_fn(model(X), Y)
        loss.backward()
        opt.step()
        if first is None:
            first = loss.item()
    return [p.detach().clone() for p in model.parameters()], first, loss.item()


ref, ref_first, ref_last = train(torch.nn.functional.cross_entropy)
got, got_first, got_last = train(gen.loss_ce)
diff = max((a - b).abs().max().item() for a, b in zip(ref, got))
check(ref_last < 0.7 * ref_first, "the MLP learns (torch's loss %.4f -> %.4f)" % (ref_first, ref_last))
check(diff <= 1e-9, "200 steps with loss_ce end within 1e-9 of torch's cross_entropy (max |diff| %.3g; "
      "losses %.12f vs %.12f)" % (diff, got_last, ref_last))

# ---- 2. values and gradients ---------------------------------------------
rng = np.random.default_rng(5)
z = rng.normal(size=(6, 4)) * 3
y = rng.integers(0, 4, size=6)
zt = torch.tensor(z, requires_grad=True)
tl = torch.nn.functional.cross_entropy(zt, torch.tensor(y))
tl.backward()
v = gen.loss_ce(z, y)
v2, dz = gen.loss_ce_grad(z, y)
check(abs(v - tl.item()) <= 1e-12 and v == v2, "NumPy loss_ce = torch (%.15g vs %.15g)" % (v, tl.item()))
check(np.abs(dz - zt.grad.numpy()).max() <= 1e-12, "NumPy loss_ce_grad = torch's gradient")
check(isinstance(gen.loss_ce32(z.astype(np.float32), y.astype(np.int32)), float), "float32 with int32 labels")

p = rng.normal(size=(5, 3))
t = rng.normal(size=(5, 3))
pt = torch.tensor(p, requires_grad=True)
ref_sq = ((pt - torch.tensor(t)) ** 2).mean(dim=1).sum()
ref_sq.backward()
out = gen.loss_sq(torch.tensor(p, requires_grad=True), torch.tensor(t))
check(abs(out.item() - ref_sq.item()) <= 1e-12, "loss_sq (mse, reduce sum) through torch = torch")
pg = torch.tensor(p, requires_grad=True)
(3 * gen.loss_sq(pg, torch.tensor(t))).backward()
check(torch.allclose(pg.grad, 3 * pt.grad, rtol=0, atol=1e-12), "backward scales by the upstream gradient")

w = rng.normal(size=6)
zt = torch.tensor(z, requires_grad=True)
(torch.nn.functional.cross_entropy(zt, torch.tensor(y), reduction="none") * torch.tensor(w)).sum().backward()
ze = torch.tensor(z, requires_grad=True)
each = gen.loss_each(ze, torch.tensor(y))
check(each.shape == (6,), "reduce none gives one value a row")
(each * torch.tensor(w)).sum().backward()
check(torch.allclose(ze.grad, zt.grad, rtol=0, atol=1e-12), "reduce none backpropagates the upstream weights")
_, d_up = gen.loss_each_grad(z, y, upstream=w)
check(np.abs(d_up - zt.grad.numpy()).max() <= 1e-12, "NumPy reduce none gradient takes upstream=")

zg = torch.tensor(z, requires_grad=True)
check(torch.autograd.gradcheck(gen.loss_ce, (zg, torch.tensor(y))), "torch.autograd.gradcheck(loss_ce)")
pg = torch.tensor(p, requires_grad=True)
check(torch.autograd.gradcheck(gen.loss_sq, (pg, torch.tensor(t))), "torch.autograd.gradcheck(loss_sq)")


# ---- 3. wrong input -------------------------------------------------------
def raises(exc, words, fn, what):
    try:
        fn()
    except exc as e:
        check(all(w in str(e) for w in words), "%s: %s: %s" % (what, type(e).__name__, e))
        return
    except Exception as e:  # noqa: BLE001 - any other exception is a failure too
        check(False, "%s: %s instead of %s: %s" % (what, type(e).__name__, exc.__name__, e))
        return
    check(False, "%s: no exception" % what)


zf = z.astype(np.float32)
raises(TypeError, ["'logits'", "float64", "float32"], lambda: gen.loss_ce(zf, y), "float32 into a float64 loss")
raises(TypeError, ["float32", "float64"], lambda: gen.loss_ce32(z, y), "float64 into a float32 loss")
raises(ValueError, ["shape (6, 4)", "(6, 3)"], lambda: gen.loss_ce(z[:, :3].copy(), y), "a row too short")
raises(ValueError, ["'y'", "shape (6,)"], lambda: gen.loss_ce(z, y[:5]), "fewer labels than rows")
raises(ValueError, ["'y'"], lambda: gen.loss_ce(z, y.reshape(6, 1)), "labels as a column")
raises(ValueError, ["not C-contiguous"], lambda: gen.loss_ce(np.asfortranarray(z), y), "a Fortran-ordered array")
raises(ValueError, ["not C-contiguous"], lambda: gen.loss_ce(np.repeat(z, 2, axis=0)[::2], y), "a strided view")
raises(TypeError, ["class labels"], lambda: gen.loss_ce(z, y.astype(np.float64)), "float labels")
raises(ValueError, ["beyond int32"], lambda: gen.loss_ce(z, y + 2**40), "labels beyond int32")
raises(TypeError, ["takes 2 arguments"], lambda: gen.loss_ce(z), "a missing argument")
raises(TypeError, ["numpy.ndarray"], lambda: gen.loss_ce(z.tolist(), y), "a list")
raises(TypeError, ["upstream="], lambda: gen.loss_each_grad(z, y), "reduce none without upstream")
raises(TypeError, ["reduce none"], lambda: gen.loss_ce_grad(z, y, upstream=w), "upstream for a mean")
raises(ValueError, ["upstream", "shape (6,)"], lambda: gen.loss_each_grad(z, y, upstream=w[:3]),
       "upstream of the wrong length")
zt = torch.tensor(z)
raises(ValueError, ["not contiguous"], lambda: gen.loss_ce(torch.tensor(z.T.copy()).t(), torch.tensor(y)),
       "a transposed tensor")
raises(TypeError, ["float32"], lambda: gen.loss_ce(zt.float(), torch.tensor(y)), "a float32 tensor")
raises(TypeError, ["torch.Tensor"], lambda: gen.loss_ce(zt, y), "a tensor and an array mixed")
raises(ValueError, ["'target'", "detach"],
       lambda: gen.loss_sq(torch.tensor(p), torch.tensor(t, requires_grad=True)), "a target that requires grad")
raises(ValueError, ["on meta"], lambda: gen.loss_ce(zt.to("meta"), torch.tensor(y)), "a tensor off the CPU")

# loss_NAME_check: None for a valid call; a bad label is named (argument,
# row, value, range), where loss_NAME itself gives NaN
check(gen.loss_ce_check(z, y) is None and gen.loss_each_check(z, y) is None
      and gen.loss_sq_check(p, t) is None, "loss_NAME_check accepts valid calls")
check(gen.loss_ce_check(zt, torch.tensor(y)) is None, "loss_ce_check takes tensors too")
bad = y.copy()
bad[4] = 7
check(np.isnan(gen.loss_ce(z, bad)), "a label of 7 of 4 classes: the value is NaN")
raises(gen.LossInputError, ["loss_ce_check", "argument 2 'y'", "row 4", "class label 7", "0..3", "LOSSC_BAD_LABEL"],
       lambda: gen.loss_ce_check(z, bad), "a label beyond the classes")
bad[4], bad[2] = 1, -1
raises(ValueError, ["loss_each_check", "row 2", "class label -1"], lambda: gen.loss_each_check(z, bad),
       "a negative label, reduce none (LossInputError is a ValueError)")
raises(gen.LossInputError, ["row 2"], lambda: gen.loss_ce32_check(zf, torch.tensor(bad)), "a bad label in a tensor")
try:
    gen.loss_ce_check(z, bad)
except gen.LossInputError as e:
    check((e.code, e.row, e.argument) == (gen.LOSSC_BAD_LABEL, 2, "y"), "LossInputError's code, row and argument: %r"
          % ((e.code, e.row, e.argument),))
raises(TypeError, ["class labels"], lambda: gen.loss_ce_check(z, y.astype(np.float64)), "the check checks dtypes")
n0 = gen.loss_ce(np.zeros((0, 4)), np.zeros(0, dtype=np.int32))
check(np.isnan(n0), "no rows: the mean is NaN, as the C API says")
raises(OSError, ["cannot load", "cc -std=c99 -O2 -fPIC -shared"], lambda: gen.load("/nonexistent/libx.so"),
       "a missing library")

# ---- 4. named sizes --------------------------------------------------------
for V in (1, 7, 50):
    zv = rng.normal(size=(9, V)) * 2
    tok = rng.integers(0, V, size=9)
    tok[2] = -100
    ztv = torch.tensor(zv, requires_grad=True)
    ref = torch.nn.functional.cross_entropy(ztv, torch.tensor(tok), ignore_index=-100, label_smoothing=0.1)
    ref.backward()
    got = torch.tensor(zv, requires_grad=True)
    out = gen.loss_token_ce(got, torch.tensor(tok))
    out.backward()
    check(abs(out.item() - ref.item()) <= 1e-12 * max(1, abs(ref.item()))
          and (got.grad - ztv.grad).abs().max().item() <= 1e-12,
          "token_ce with V = %d bound from the logits' shape = torch (ignore_index, label smoothing)" % V)
    check(gen.loss_token_ce_check(zv, tok) is None, "loss_token_ce_check: valid at V = %d" % V)
bad = tok.copy()
bad[4] = V
raises(gen.LossInputError, ["row 4", "class label %d" % V, "0..%d" % (V - 1), "LOSSC_BAD_LABEL"],
       lambda: gen.loss_token_ce_check(zv, bad), "loss_token_ce_check: a label = V (the bound size)")
check(np.isnan(gen.loss_token_ce(zv, bad)), "a label = V makes the mean NaN, as the header says")
raises(gen.LossInputError, ["LOSSC_ZERO_SIZE"],
       lambda: gen.loss_token_ce_check(np.zeros((3, 0)), np.zeros(3, dtype=np.int32)), "loss_token_ce_check: V = 0")
check(np.isnan(gen.loss_token_ce(np.zeros((3, 0)), np.zeros(3, dtype=np.int32))), "V = 0: NaN")
L = 3
xhat, mu = rng.normal(size=(4, 6)), rng.normal(size=(4, L))
logvar, xin = rng.normal(size=(4, L)), rng.uniform(size=(4, 6))
tx = [torch.tensor(a, requires_grad=True) for a in (xhat, mu, logvar)]
ref = (torch.nn.functional.binary_cross_entropy_with_logits(tx[0], torch.tensor(xin), reduction="none").sum(1)
       - 0.5 * (1 + tx[2] - tx[1] ** 2 - tx[2].exp()).sum(1)).sum()
ref.backward()
v, dxhat, dmu, dlogvar = gen.loss_elbo_grad(xhat, mu, logvar, xin)
err = max(abs(v - ref.item()) / abs(ref.item()),
          max(np.abs(d - t.grad.numpy()).max() for d, t in zip((dxhat, dmu, dlogvar), tx)))
check(err <= 1e-12, "elbo with V = 6 and L = 3 from the shapes = torch (largest error %.2g)" % err)
check(torch.autograd.gradcheck(lambda a, b, c: gen.loss_elbo(a, b, c, torch.tensor(xin)),
                               [torch.tensor(a, requires_grad=True) for a in (xhat, mu, logvar)]),
      "torch.autograd.gradcheck on elbo (two named sizes)")
raises(ValueError, ["'x'", "6 values a row", "V = 5"], lambda: gen.loss_elbo(xhat[:, :5].copy(), mu, logvar, xin),
       "arguments that disagree on V")
raises(ValueError, ["'logvar'", "L = 3"], lambda: gen.loss_elbo(xhat, mu, logvar[:, :2].copy(), xin),
       "arguments that disagree on L")
raises(TypeError, ["no size W"], lambda: gen.loss_token_ce(zv, tok, W=3), "a size the loss does not have")

# ---- 5. a row as long as the batch -----------------------------------------
for B in (1, 2, 9):
    S = rng.normal(size=(B, B))
    ts = torch.tensor(S, requires_grad=True)
    ref = torch.nn.functional.cross_entropy(ts / 0.07, torch.arange(B))
    ref.backward()
    got = torch.tensor(S, requires_grad=True)
    out = gen.loss_infonce(got)
    out.backward()
    err = max(abs(out.item() - ref.item()) / max(1, abs(ref.item())), (got.grad - ts.grad).abs().max().item())
    check(err <= 1e-12, "infonce at B = %d: S of B x B rows, target arange(B) = torch (largest error %.2g)" % (B, err))
check(gen.loss_infonce_check(rng.normal(size=(5, 5))) is None, "loss_infonce_check: arange(B) is never out of range")
check(torch.autograd.gradcheck(gen.loss_infonce, [torch.tensor(rng.normal(size=(4, 4)), requires_grad=True)]),
      "torch.autograd.gradcheck on infonce (B = 4)")
raises(ValueError, ["'S'", "(3, 3)"], lambda: gen.loss_infonce(rng.normal(size=(3, 4))),
       "S with a row length that is not the batch size")

# ---- 6. rows across the batch, a per-batch output ---------------------------
def torch_clip(u, v, s):
    un, vn = u / u.norm(dim=1, keepdim=True), v / v.norm(dim=1, keepdim=True)
    logits = s.exp() * un @ vn.T
    t = torch.arange(u.shape[0])
    return (torch.nn.functional.cross_entropy(logits, t) + torch.nn.functional.cross_entropy(logits.T, t)) / 2


for B in (1, 3, 7):
    U, V = rng.normal(size=(B, 5)), rng.normal(size=(B, 5))
    ref_in = [torch.tensor(U, requires_grad=True), torch.tensor(V, requires_grad=True),
              torch.tensor(2.3, dtype=torch.float64, requires_grad=True)]
    ref = torch_clip(*ref_in)
    ref.backward()
    got_in = [torch.tensor(U, requires_grad=True), torch.tensor(V, requires_grad=True),
              torch.tensor(2.3, dtype=torch.float64, requires_grad=True)]
    out = gen.loss_clip(*got_in)
    out.backward()
    err = abs(out.item() - ref.item()) / max(1, abs(ref.item()))
    for a, b in zip(got_in, ref_in):
        err = max(err, (a.grad - b.grad).abs().max().item())
    check(got_in[2].grad.shape == (), "clip: the per-batch logit scale's gradient keeps its shape ()")
    check(err <= 1e-12, "clip at B = %d (D = 5 from the shapes) = torch's CLIP loss and gradient (largest error %.2g)"
          % (B, err))
v_np, du, dv, ds = gen.loss_clip_grad(rng.normal(size=(4, 3)), rng.normal(size=(4, 3)), np.array([1.0]))
check(ds.shape == (1,) and du.shape == (4, 3), "NumPy clip_grad: a (1,) logit scale gets a (1,) gradient")
check(torch.autograd.gradcheck(gen.loss_clip, [torch.tensor(rng.normal(size=(4, 3)), requires_grad=True),
                                               torch.tensor(rng.normal(size=(4, 3)), requires_grad=True),
                                               torch.tensor([0.7], dtype=torch.float64, requires_grad=True)]),
      "torch.autograd.gradcheck on clip (B = 4, D = 3)")
raises(ValueError, ["'logit_scale'", "per batch", "(2,)"],
       lambda: gen.loss_clip(rng.normal(size=(3, 2)), rng.normal(size=(3, 2)), np.array([1.0, 2.0])),
       "a per-batch value of two elements")

print("check.py: %d failed" % failures)
sys.exit(1 if failures else 0)
