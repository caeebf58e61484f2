"""torchbench.py DIR LIB LIB_OMP: the generated float32 cross-entropy
kernels (bench/kernel.loss, built as LIB with -O2 and as LIB_OMP with -O2
-fopenmp) against PyTorch on one thread and against memcpy over the same
bytes, in one process, timed alternately (median of REPS), at the three
shapes of issue 14.  Reports, for forward + gradient (the training step's
loss work: read the logits once, write the gradient once, as memcpy does):

  torch / lossc     time ratio (> 1: the generated kernel is faster)
  share of memcpy   memcpy's time / lossc's time over the same bytes
  threads           the OpenMP build on 2 threads vs 1 (and bit-identity)
"""
import ctypes
import os
import statistics
import sys
import time

import numpy as np
import torch

reps = int(os.environ.get("REPS", "9"))
lib = ctypes.CDLL(sys.argv[2])
omp = ctypes.CDLL(sys.argv[3])
gomp = ctypes.CDLL("libgomp.so.1")
libc = ctypes.CDLL(None)
libc.memcpy.restype = ctypes.c_void_p
libc.memcpy.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
torch.set_num_threads(1)
shapes = [(65536, 10), (4096, 1000), (256, 50257)]


def fn(l, name):
    f = getattr(l, name)
    f.restype = ctypes.c_float
    f.argtypes = [ctypes.c_size_t] + [ctypes.c_void_p] * (3 if name.endswith("_grad") else 2)
    return f


def median_pairs(calls, clock=time.process_time):
    """Each call timed reps times, the calls interleaved; their medians.
    Single-threaded work is timed in process CPU time (other load on the
    shared machine perturbs it least); thread scaling needs wall time."""
    times = [[] for _ in calls]
    for c in calls:
        c()
    for _ in range(reps):
        for i, c in enumerate(calls):
            t0 = clock()
            c()
            times[i].append(clock() - t0)
    return [statistics.median(t) for t in times]


print("cross-entropy float32, forward + gradient, median of %d interleaved runs (one process)" % reps)
print("%-12s %10s %10s %10s %9s %10s %8s %9s %10s" % ("shape", "lossc GB/s", "torch GB/s", "memcpy GB/s",
      "torch/lc", "of memcpy", "fwd GB/s", "2 thr/1", "identical"))
for n, C in shapes:
    rng = np.random.default_rng(1)
    x = (rng.random((n, C), dtype=np.float32) * 8 - 4).astype(np.float32)
    y = (np.arange(n) * 7919 % C).astype(np.int32)
    d = np.empty_like(x)
    d2 = np.empty_like(x)
    g, f = fn(lib, "loss_ce%d_grad" % C), fn(lib, "loss_ce%d" % C)
    go = fn(omp, "loss_ce%d_grad" % C)
    xp, yp, dp = x.ctypes.data, y.ctypes.data, d.ctypes.data
    xt = torch.from_numpy(x.copy()).requires_grad_()
    yt = torch.from_numpy(y.astype(np.int64))

    def torch_step():
        xt.grad = None
        torch.nn.functional.cross_entropy(xt, yt).backward()

    def omp_at(k):
        def run():
            gomp.omp_set_num_threads(k)
            go(n, xp, yp, d2.ctypes.data)
        return run

    t_lc, t_torch, t_mc, t_fwd = median_pairs([
        lambda: g(n, xp, yp, dp), torch_step, lambda: libc.memcpy(dp, xp, x.nbytes), lambda: f(n, xp, yp)])
    t_1, t_2 = median_pairs([omp_at(1), omp_at(2)], time.perf_counter)
    # agreement with torch, and bit-identity of the OpenMP build over 1..4 threads
    v = g(n, xp, yp, dp)
    xt.grad = None
    tl = torch.nn.functional.cross_entropy(xt, yt)
    tl.backward()
    agree = abs(v - tl.item()) <= 1e-5 * abs(tl.item()) and np.abs(d - xt.grad.numpy()).max() <= 1e-6 / n
    same = True
    ref_v = None
    for k in (1, 2, 3, 4):
        gomp.omp_set_num_threads(k)
        vk = go(n, xp, yp, d2.ctypes.data)
        if ref_v is None:
            ref_v, ref_d = vk, d2.copy()
        elif not (vk == ref_v and np.array_equal(d2.view(np.uint32), ref_d.view(np.uint32))):
            same = False
    gb = x.nbytes / 1e9
    print("%-12s %10.2f %10.2f %10.2f %8.2fx %9.0f%% %8.2f %8.2fx %10s%s" % (
        "(%d,%d)" % (n, C), gb / t_lc, gb / t_torch, gb / t_mc, t_torch / t_lc, 100 * t_mc / t_lc,
        gb / t_fwd, t_1 / t_2, "yes" if same else "NO", "" if agree else "  DISAGREES WITH TORCH"))
print("GB/s: bytes of logits per CPU second (the gradient writes as many); lossc, torch and memcpy on one")
print("thread.  2 thr/1: the -fopenmp build's wall time on 1 thread over 2; identical: value and gradient")
print("bit-identical on 1, 2, 3 and 4 threads.  The machine is shared: other load moves every figure.")
