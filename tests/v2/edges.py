#!/usr/bin/env python3
"""edges.py: PyTorch's values at the edges of the v2 reference cases.

    /usr/bin/python3 tests/v2/edges.py        (needs python3-torch; writes tests/v2/cases/)

It also writes temperature.case whole (a per-batch output, not one of the
shared ten) from the definition in its header.

lossspec(5) promises PyTorch's results where the ten cases reach their
edges: a batch of one row (std is NaN, a cross-entropy over one logit is
0, the hardest negative of one row is d + 1e9), a batch whose labels are
all ignored (NaN, zero gradient), weights that sum to 0 (NaN value and
gradient).  This script computes them with the PyTorch definitions the
shared cases carry (their `torch` lines, run as written), in float64, and
writes them in the cases' own format as NAME.EDGE.case, so tests/v2/cases.sh
checks them against the generated code like the cases themselves.  It is
not run by make check (PyTorch is not a build dependency); its outputs are
committed, and it is deterministic (a fixed seed per file).
"""
import math
import os
import sys

import torch
import torch.nn.functional as F  # noqa: F401  (the definitions use F)

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")


def read_case(name):
    """The header of a shared case: definition lines, dims, params, outputs, data."""
    case = {"torch": [], "dims": [], "params": [], "outputs": [], "data": [], "title": ""}
    with open(os.path.join(CASES, name + ".case")) as f:
        for line in f:
            w = line.split()
            if not w:
                continue
            if line.startswith("# "):
                case["title"] = line[2:].rstrip("\n")
            elif w[0] == "torch":
                case["torch"].append(line[len("torch "):].rstrip("\n"))
            elif w[0] == "dim":
                case["dims"].append((w[1], int(w[2])))
            elif w[0] == "param":
                case["params"].append((w[1], float(w[2])))
            elif w[0] == "output":
                case["outputs"].append((w[1], w[3:]))
            elif w[0] == "data":
                case["data"].append((w[1], w[2], w[4:]))
    return case


def shape_of(spec, dims, old_dims):
    """A shape line's sizes with the edge's dims: a size equal to an old dim's value
    is that dim (the cases write sizes as numbers)."""
    if spec == ["scalar"]:
        return ()
    by_value = {v: k for k, v in reversed(old_dims)}
    return tuple(dims[by_value[int(s)]] for s in spec)


def fmt(t):
    return " ".join(repr(float(x)) if t.dtype.is_floating_point else str(int(x))
                    for x in t.reshape(-1).tolist())


def write_edge(name, edge, about, dims_override, make_data, seed):
    case = read_case(name)
    torch.manual_seed(seed)
    old = case["dims"]
    dims = dict(old)
    dims.update(dims_override)
    env = {"torch": torch, "F": F}
    exec("\n".join(case["torch"]), env)
    fn = env[name]
    values = {}
    for oname, spec in case["outputs"]:
        values[oname] = torch.randn(shape_of(spec, dims, old)).requires_grad_(True)
    for dname, kind, spec in case["data"]:
        values[dname] = make_data(dname, kind, shape_of(spec, dims, old), dims)
    for pname, v in case["params"]:
        values[pname] = v
    argnames = fn.__code__.co_varnames[:fn.__code__.co_argcount]
    loss = fn(*[values[a] for a in argnames])
    loss.backward()
    out = os.path.join(CASES, "%s.%s.case" % (name, edge) if edge else name + ".case")
    with open(out, "w") as f:
        f.write("# %s (edge: %s)\n" % (case["title"], about) if edge else "# %s\n" % case["title"])
        f.write("# computed by tests/v2/edges.py with PyTorch %s, float64\n" % torch.__version__)
        for line in case["torch"]:
            f.write("torch %s\n" % line)
        for k, _ in old:
            f.write("dim %s %d\n" % (k, dims[k]))
        for pname, v in case["params"]:
            f.write("param %s %r\n" % (pname, v))
        for oname, spec in case["outputs"]:
            shp = shape_of(spec, dims, old)
            f.write("output %s shape %s\n" % (oname, " ".join(map(str, shp)) or "scalar"))
        for dname, kind, spec in case["data"]:
            shp = shape_of(spec, dims, old)
            f.write("data %s %s shape %s\n" % (dname, kind, " ".join(map(str, shp)) or "scalar"))
        for oname, _ in case["outputs"]:
            f.write("values %s %s\n" % (oname, fmt(values[oname].detach())))
        for dname, _, _ in case["data"]:
            f.write("values %s %s\n" % (dname, fmt(values[dname])))
        f.write("loss %r\n" % loss.item())
        for oname, _ in case["outputs"]:
            g = values[oname].grad
            f.write("grad %s %s\n" % (oname, fmt(g if g is not None else torch.zeros_like(values[oname]))))
    return out, loss.item()


def plain(dname, kind, shape, dims):
    """Ordinary data: real data normal, weights and pixels in range, labels in range."""
    if kind == "int":
        k = [v for n, v in dims.items() if n not in ("B", "N")][0]
        return torch.randint(0, k, shape, dtype=torch.int64)
    if dname == "w":
        return torch.rand(shape) * 2
    if dname == "x":
        return torch.bernoulli(torch.rand(shape) * 0.8 + 0.1)
    return torch.randn(shape)


def binary(dname, kind, shape, dims):
    """0/1 targets (bce_with_logits)."""
    return torch.bernoulli(torch.full(shape, 0.5))


def all_ignored(dname, kind, shape, dims):
    return torch.full(shape, -100, dtype=torch.int64) if kind == "int" else plain(dname, kind, shape, dims)


def zero_weights(dname, kind, shape, dims):
    return torch.zeros(shape) if dname == "w" else plain(dname, kind, shape, dims)


EDGES = [
    # name, edge, what, dims, data, seed
    ("ppo_clip", "b1", "a batch of one row: std is NaN, so is the loss", {"B": 1}, plain, 11),
    ("ppo_clip", "b2", "a batch of two rows", {"B": 2}, plain, 12),
    ("infonce", "b1", "a batch of one row: a cross-entropy over one logit", {"B": 1}, plain, 13),
    ("clip", "b1", "a batch of one row", {"B": 1}, plain, 14),
    ("clip", "b3", "a batch of three rows, a wider embedding", {"B": 3, "D": 7}, plain, 15),
    ("triplet_hardest", "b1", "a batch of one row: no negative", {"B": 1}, plain, 16),
    ("triplet_hardest", "b2", "a batch of two rows", {"B": 2}, plain, 17),
    ("token_ce", "all_ignored", "every label is padding: NaN, zero gradient", {"N": 4}, all_ignored, 18),
    ("token_ce", "b1", "one row, a vocabulary of 2", {"N": 1, "V": 2}, plain, 19),
    ("weighted_mse", "zero_weights", "weights that sum to 0: NaN value and gradient", {"B": 3}, zero_weights, 20),
    ("weighted_mse", "b1", "one row", {"B": 1}, plain, 21),
    ("distill", "b1", "one row", {"B": 1}, plain, 22),
    ("vae_elbo", "b1", "one row", {"B": 1}, plain, 23),
    ("dpo", "b1", "one row", {"B": 1}, plain, 24),
    ("bradley_terry", "b1", "one row", {"B": 1}, plain, 25),
    # named sizes: past one chunk of the generated log-sum-exp (2048), and a size of 1
    ("token_ce", "v2100", "a vocabulary of 2100: the log-sum-exp runs in two chunks", {"N": 3, "V": 2100}, plain, 26),
    ("distill", "c1", "a single class: the KL term is 0", {"B": 2, "C": 1}, plain, 27),
    ("vae_elbo", "wide", "3000 pixels, a latent width of 1", {"B": 2, "V": 3000, "L": 1}, plain, 28),
    # not one of the shared ten: a per-batch output (lossspec(5) BATCHES), its
    # case written whole here from the definition in its header
    ("temperature", None, "", {}, binary, 29),
    ("temperature", "b1", "one row", {"B": 1}, binary, 30),
    # rows as long as the batch: two rows, and a batch past the vector lanes
    ("infonce", "b2", "a batch of two rows", {"B": 2}, plain, 31),
    ("infonce", "b70", "a batch of 70 rows: each row's softmax runs past the vector lanes", {"B": 70}, plain, 32),
]


def main():
    for name, edge, about, dims, data, seed in EDGES:
        path, loss = write_edge(name, edge, about, dims, data, seed)
        print("%s: loss %s" % (os.path.relpath(path, HERE), "nan" if math.isnan(loss) else repr(loss)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
