#!/usr/bin/env python3
"""Runs one function of an MLIR file through dyt-run and checks its result
against a NumPy reference computed in float64 from the same inputs.

  dyt_run_check.py --dyt-run PATH FILE.mlir -e FUNC --ref NAME
                   --arg SHAPE:DTYPE[:KIND]... [--axis N] [--eps E]
                   [--dynamic] [--threads N] [--device cpu|gpu]
                   [--pipeline PIPELINE]
                   [--fold FOLD:I,J,..:R --hot-args I,J,..]

SHAPE is 2x64x7x7 (or "scalar"), DTYPE f32/f16/bf16, KIND how values are
drawn: normal (default), wide (+-1e4), special (inf, -inf, nan, +-0, 1e30,
-1e30 mixed in), offset (1000 + normal: large mean). Prints one line per
check and exits non-zero on any mismatch.

With --fold (functions from dyt-outline-weight-folding), FOLD runs first on
the arguments numbered I,J,.. and its R results follow the arguments named
by --hot-args into FUNC; the reference sees the --arg values as they are.

--device gpu runs FUNC with dyt-run --device gpu (dyt-nvvm-pipeline, on a
CUDA GPU; --threads does not apply there). --pipeline is dyt-run's: a
pass pipeline in place of the default, e.g. 'dyt-cpu-pipeline{vector-bits=512}'
to check code generated for AVX-512's vector width on any host.
"""
import argparse
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

REL = {"f32": 2e-5, "f16": 2.0 / 1024, "bf16": 2.0 / 128}


def round_to(x, dtype):
    """float64 -> the element type's values (as float64)."""
    x = np.asarray(x, dtype=np.float64)
    if dtype == "f32":
        return x.astype(np.float32).astype(np.float64)
    if dtype == "f16":
        return x.astype(np.float16).astype(np.float64)
    # bf16: round-to-nearest-even on the top 16 bits of the f32 pattern.
    f = x.astype(np.float32)
    bits = f.view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
    out = rounded.astype(np.uint32).view(np.float32)
    out = np.where(np.isnan(f), f, out)
    return out.astype(np.float64)


def make(shape, dtype, kind, rng):
    if kind == "normal":
        x = rng.standard_normal(shape)
    elif kind == "wide":
        x = rng.uniform(-1e4, 1e4, shape)
    elif kind == "offset":
        x = 1000.0 + rng.standard_normal(shape)
    elif kind == "positive":
        x = rng.uniform(0.5, 1.5, shape)
    elif kind == "special":
        x = rng.standard_normal(shape)
        flat = x.reshape(-1)
        specials = [np.inf, -np.inf, np.nan, 0.0, -0.0, 1e30, -1e30]
        for i, v in enumerate(specials):
            if i * 3 < flat.size:
                flat[i * 3] = v
    else:
        raise SystemExit(f"unknown kind {kind}")
    return round_to(x, dtype)


def npy_dtype(dtype):
    # numpy has no bf16: dyt-run takes float32 for bf16 arguments.
    return np.float16 if dtype == "f16" else np.float32


def reference(name, args, axis, eps):
    if name == "dyt":
        x, a, g, b = args
        shape = [1] * x.ndim
        shape[axis] = -1
        return g.reshape(shape) * np.tanh(a * x) + b.reshape(shape)
    if name == "dyt_no_beta":
        x, a, g = args
        return g * np.tanh(a * x)
    if name == "layer_norm":
        x, g, b = args
        with np.errstate(invalid="ignore"):
            mean = x.mean(-1, keepdims=True)
            var = ((x - mean) ** 2).mean(-1, keepdims=True)
            return (x - mean) / np.sqrt(var + eps) * g + b
    if name == "rms_norm":
        x, g = args
        with np.errstate(invalid="ignore", over="ignore"):
            return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * g
    if name == "erf":
        return np.vectorize(math.erf, otypes=[np.float64])(args[0])
    if name == "softmax":
        x = args[0]
        e = np.exp(x - x.max(axis, keepdims=True))
        return e / e.sum(axis, keepdims=True)
    if name == "matmul":
        return args[0] @ args[1]
    if name == "matmul_transpose_b":
        return args[0] @ args[1].T
    if name == "batch_matmul":
        return np.matmul(args[0], args[1])
    if name == "dyt_matmul":
        x, a, g, b, w = args
        return (g * np.tanh(a * x) + b) @ w
    if name == "dyt_matmul_transpose_b":
        x, a, g, b, w = args
        return (g * np.tanh(a * x) + b) @ w.T
    if name == "dyt_no_beta_matmul_transpose_b":
        x, a, g, w = args
        return (g * np.tanh(a * x)) @ w.T
    if name == "dyt_qkv_sum":
        x, a, g, b, wq, wk, wv = args
        y = g * np.tanh(a * x) + b
        return y @ wq + y @ wk + y @ wv
    if name == "matmul_epilogue":
        x, w, bias, res, a, g, b = args
        return g * np.tanh(a * (x @ w + bias + res)) + b
    if name == "matmul_transpose_b_dyt":
        x, w, a, g, b = args
        return g * np.tanh(a * (x @ w.T)) + b
    raise SystemExit(f"unknown reference {name}")


def magnitude(name, args, axis, eps):
    """The scale f32 arithmetic is accurate relative to: the sum of the
    magnitudes of the terms (results can cancel to ~0)."""
    if name in ("matmul", "matmul_transpose_b", "batch_matmul", "dyt_matmul"):
        a, b = args[0], args[-1]
        if name == "dyt_matmul":
            x, al, g, bb, _ = args
            a = np.abs(g * np.tanh(al * x)) + np.abs(bb)
        if name == "matmul_transpose_b":
            b = b.T
        with np.errstate(invalid="ignore"):
            return np.matmul(np.abs(a), np.abs(b))
    if name == "dyt_no_beta_matmul_transpose_b":
        x, al, g, w = args
        return np.matmul(np.abs(g * np.tanh(al * x)), np.abs(w).T)
    if name in ("dyt_matmul_transpose_b", "dyt_no_beta_matmul_transpose_b", "dyt_qkv_sum"):
        x, al, g, bb = args[:4]
        y = np.abs(g * np.tanh(al * x)) + np.abs(bb)
        if name == "dyt_matmul_transpose_b":
            return np.matmul(y, np.abs(args[4]).T)
        return sum(np.matmul(y, np.abs(w)) for w in args[4:])
    if name in ("matmul_epilogue", "matmul_transpose_b_dyt"):
        # The error of the pre-activation sum, through tanh' <= 1.
        x, w = args[0], args[1]
        if name == "matmul_transpose_b_dyt":
            w = w.T
        pre = np.matmul(np.abs(x), np.abs(w))
        if name == "matmul_epilogue":
            pre = pre + np.abs(args[2]) + np.abs(args[3])
        a, g, b = args[-3:]
        return np.abs(a) * np.abs(g) * pre + np.abs(b) + 1.0
    if name in ("layer_norm",):
        x = args[0]
        with np.errstate(invalid="ignore"):
            mean = x.mean(-1, keepdims=True)
            std = np.sqrt(((x - mean) ** 2).mean(-1, keepdims=True) + eps)
            n = x.shape[-1]
            return (np.abs(x - mean) + np.abs(mean) * np.sqrt(n)) / std * np.abs(args[1]) + np.abs(args[2])
    ref = reference(name, args, axis, eps)
    return np.abs(ref) + 1.0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dyt-run", required=True)
    p.add_argument("file")
    p.add_argument("-e", required=True)
    p.add_argument("--ref", required=True)
    p.add_argument("--arg", action="append", required=True)
    p.add_argument("--axis", type=int, default=-1)
    p.add_argument("--eps", type=float, default=1e-5)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--device", choices=("cpu", "gpu"), default="cpu")
    p.add_argument("--pipeline", default=None)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out-dtype", default=None)
    # Per-term relative error of a matmul's products (f32: ~1 ulp); bf16
    # weights rounded once more by a folding need 2^-9.
    p.add_argument("--matmul-rel", type=float, default=4e-7)
    p.add_argument("--fold", default=None)
    p.add_argument("--hot-args", default=None)
    opts = p.parse_args()

    rng = np.random.default_rng(opts.seed)
    args, dtypes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, spec in enumerate(opts.arg):
            parts = spec.split(":")
            shape_text, dtype = parts[0], parts[1]
            kind = parts[2] if len(parts) > 2 else "normal"
            shape = () if shape_text == "scalar" else tuple(
                int(d) for d in shape_text.split("x"))
            value = make(shape, dtype, kind, rng)
            if shape == ():
                value = round_to(0.8, dtype)
            args.append(value)
            dtypes.append(dtype)
            path = os.path.join(tmp, f"arg{i}.npy")
            np.save(path, np.asarray(value).astype(npy_dtype(dtype)))
            files.append(path)
        def dyt_run(func, inputs, outputs):
            cmd = [opts.dyt_run, opts.file, "-e", func]
            if opts.device == "gpu":
                cmd += ["--device", "gpu"]
            else:
                cmd += ["--threads", str(opts.threads)]
            if opts.pipeline:
                cmd += ["--pipeline", opts.pipeline]
            for f in inputs:
                cmd += ["--input", f]
            for f in outputs:
                cmd += ["--output", f]
            run = subprocess.run(cmd, capture_output=True, text=True)
            if run.returncode != 0:
                print(run.stdout + run.stderr)
                sys.exit(f"FAIL {func}: dyt-run exited {run.returncode}")

        if opts.fold:
            name, indices, count = opts.fold.split(":")
            folded = [os.path.join(tmp, f"fold{i}.npy")
                      for i in range(int(count))]
            dyt_run(name, [files[int(i)] for i in indices.split(",")],
                    folded)
            hot = opts.hot_args.split(",") if opts.hot_args else []
            files = [files[int(i)] for i in hot] + folded
        out = os.path.join(tmp, "out.npy")
        dyt_run(opts.e, files, [out])
        got = np.load(out).astype(np.float64)

    out_dtype = opts.out_dtype or dtypes[0]
    axis = opts.axis if opts.axis >= 0 else args[0].ndim + opts.axis
    with np.errstate(invalid="ignore", over="ignore"):
        want = reference(opts.ref, args, axis, opts.eps)
        scale = magnitude(opts.ref, args, axis, opts.eps)
    want_rounded = round_to(want, out_dtype)
    if got.shape != want.shape:
        sys.exit(f"FAIL {opts.e}: shape {got.shape}, expected {want.shape}")
    rel = REL[out_dtype]
    k = max(args[0].shape[-1], 1) if opts.ref in ("matmul", "batch_matmul", "dyt_matmul", "matmul_transpose_b", "matmul_epilogue", "matmul_transpose_b_dyt", "dyt_matmul_transpose_b", "dyt_no_beta_matmul_transpose_b", "dyt_qkv_sum") else 1
    tol = rel * np.abs(want_rounded) + opts.matmul_rel * np.sqrt(k) * np.nan_to_num(scale, posinf=0) + 1e-6
    nan_ok = np.isnan(want_rounded) == np.isnan(got)
    inf_ok = np.where(np.isinf(want_rounded), got == want_rounded, True)
    with np.errstate(invalid="ignore"):
        close = np.where(np.isfinite(want_rounded),
                         np.abs(got - want_rounded) <= tol, True)
    ok = nan_ok & inf_ok & close
    # -0 must stay -0 where the reference is an exact signed zero.
    bad = np.argwhere(~ok)
    if bad.size:
        i = tuple(bad[0])
        sys.exit(f"FAIL {opts.e}: {len(bad)} elements differ, first at {i}: "
                 f"got {got[i]!r}, want {want[i]!r} (tolerance {tol[i]!r})")
    finite = np.isfinite(want_rounded) & np.isfinite(got)
    err = np.max(np.abs(got - want_rounded)[finite]) if finite.any() else 0.0
    print(f"OK {opts.e}: {got.size} elements ({out_dtype}), "
          f"max abs error {err:.3g}")


if __name__ == "__main__":
    main()
