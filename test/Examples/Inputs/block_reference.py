#!/usr/bin/env python3
"""Runs a Transformer block of examples/ (written by
examples/gen_transformer_blocks.py) through dyt-run on seeded random inputs
and weights, and checks its result against a NumPy float64 reference of the
same block written from the math (not from the MLIR):

  block_reference.py --dyt-run PATH --kind vit|llama FILE.mlir
                     --tokens T --dim D --heads H --hidden M
                     [-e FUNC] [--threads N] [--seed S] [--rtol R]
                     [--pipeline P] [--dyt-opt PATH --replace-norms OPTS
                                                  [--alpha-values OPTS]]

  vit    h = x + Attn(LN1(x)); y = h + fc2(GELU(fc1(LN2(h)))), exact GELU,
         LayerNorm eps 1e-6, Q/K/V/out projections with biases.
  llama  h = x + Attn(RMSNorm1(x)); y = h + (silu(n Wg) * (n Wu)) Wd,
         RMSNorm eps 1e-6, causal mask, RoPE (rotate-half) on Q and K.

Argument order is that of the generated functions (see their headers).

--replace-norms "OPTS" first runs
  dyt-opt --pass-pipeline='builtin.module(dyt-replace-norms{OPTS})'
on FILE and runs its output; the model then uses DyT,
gamma * tanh(alpha * x) + beta (beta 0 for RMSNorm), in place of each norm.
alpha of the first norm (attention) is alpha-attn, of the second (FFN)
alpha-ffn, either of them 0 or absent meaning `alpha` (default 0.5), as
the pass reads OPTS. With alpha-as-argument the alphas are two trailing f32
arguments (attention's, then the FFN's), passed as 0-d arrays: the values
of OPTS, or of --alpha-values (same syntax) to check that the argument, not
its dyt.alpha_init, is what the code reads.
Weights are drawn like a real init, N(0, 1/fan_in), so that each branch adds
O(1) to the residual stream and an error anywhere in it shows; biases
N(0, 0.02^2), gamma 1 + N(0, 0.1^2), beta N(0, 0.1^2). The inputs are
rounded to f32 and the reference computes in float64 from those.

The error of an element is |got - want| / (|want| + rms(want)): relative
where the result is large, relative to the output's scale where it
cancels. Prints `OK FUNC: N elements, max rel err X, max abs err Y` and
exits non-zero on a mismatch.
"""
import argparse
import math
import os
import subprocess
import sys
import tempfile

import numpy as np


def dyt(x, alpha, g, b=0.0):
    return np.tanh(alpha * x) * g + b


def layer_norm(x, g, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * g + b


def rms_norm(x, g, eps):
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * g


def softmax(s):
    s = s - s.max(-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(-1, keepdims=True)


def gelu(u):
    erf = np.vectorize(math.erf)
    return 0.5 * u * (1.0 + erf(u / math.sqrt(2.0)))


def silu(u):
    return u / (1.0 + np.exp(-u))


def split_heads(z, heads):
    t, d = z.shape
    return z.reshape(t, heads, d // heads).transpose(1, 0, 2)  # [H, T, Dh]


def merge_heads(z):
    h, t, dh = z.shape
    return z.transpose(1, 0, 2).reshape(t, h * dh)


def rotate_half(z):
    half = z.shape[-1] // 2
    return np.concatenate([-z[..., half:], z[..., :half]], axis=-1)


def attention(q, k, v, heads, causal, cos=None, sin=None):
    q, k, v = (split_heads(z, heads) for z in (q, k, v))
    if cos is not None:
        # cos/sin are [T, Dh]; broadcast over the heads.
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
    dh = q.shape[-1]
    s = q @ k.transpose(0, 2, 1) / math.sqrt(dh)
    if causal:
        t = s.shape[-1]
        s = np.where(np.triu(np.ones((t, t), dtype=bool), 1), -np.inf, s)
    return merge_heads(softmax(s) @ v)


def vit_reference(a, heads, eps=1e-6, alphas=None):
    (x, g1, b1n, wq, bq, wk, bk, wv, bv, wo, bo, g2, b2n, w1, b1, w2, b2) = a
    norm = (lambda z, g, b, role: layer_norm(z, g, b, eps)) if alphas is None \
        else (lambda z, g, b, role: dyt(z, alphas[role], g, b))
    n = norm(x, g1, b1n, "attn")
    o = attention(n @ wq + bq, n @ wk + bk, n @ wv + bv, heads, causal=False)
    h = x + o @ wo + bo
    n = norm(h, g2, b2n, "ffn")
    return h + gelu(n @ w1 + b1) @ w2 + b2


def llama_reference(a, heads, eps=1e-6, alphas=None):
    (x, cos, sin, g1, wq, wk, wv, wo, g2, wg, wu, wd) = a
    norm = (lambda z, g, role: rms_norm(z, g, eps)) if alphas is None \
        else (lambda z, g, role: dyt(z, alphas[role], g))
    n = norm(x, g1, "attn")
    o = attention(n @ wq, n @ wk, n @ wv, heads, causal=True, cos=cos, sin=sin)
    h = x + o @ wo
    n = norm(h, g2, "ffn")
    return h + (silu(n @ wg) * (n @ wu)) @ wd


def replace_norms_options(text):
    """{"attn": a, "ffn": a}, as_argument from dyt-replace-norms' options."""
    vals = {"alpha": 0.5, "alpha-attn": 0.0, "alpha-ffn": 0.0,
            "alpha-final": 0.0}
    as_arg = False
    for item in text.split():
        key, eq, val = item.partition("=")
        if key == "alpha-as-argument":
            as_arg = not eq or val.lower() in ("true", "1")
        elif key in vals:
            vals[key] = float(val)
        else:
            sys.exit(f"block_reference.py: unknown option {item!r}")
    pick = lambda v: np.float64(np.float32(v or vals["alpha"]))
    return {"attn": pick(vals["alpha-attn"]),
            "ffn": pick(vals["alpha-ffn"])}, as_arg


def f32(x):
    return np.asarray(x, dtype=np.float64).astype(np.float32).astype(np.float64)


def vit_inputs(rng, t, d, m):
    w = lambda i, o: rng.standard_normal((i, o)) / math.sqrt(i)
    bias = lambda n: 0.02 * rng.standard_normal(n)
    gamma = lambda n: 1.0 + 0.1 * rng.standard_normal(n)
    beta = lambda n: 0.1 * rng.standard_normal(n)
    a = [rng.standard_normal((t, d)), gamma(d), beta(d),
         w(d, d), bias(d), w(d, d), bias(d), w(d, d), bias(d), w(d, d), bias(d),
         gamma(d), beta(d), w(d, m), bias(m), w(m, d), bias(d)]
    return [f32(v) for v in a]


def rope_tables(t, dh, theta=10000.0):
    inv_freq = 1.0 / theta ** (np.arange(0, dh, 2) / dh)
    freqs = np.outer(np.arange(t), inv_freq)
    emb = np.concatenate([freqs, freqs], axis=-1)
    return np.cos(emb), np.sin(emb)


def llama_inputs(rng, t, d, h, f):
    w = lambda i, o: rng.standard_normal((i, o)) / math.sqrt(i)
    gamma = lambda n: 1.0 + 0.1 * rng.standard_normal(n)
    cos, sin = rope_tables(t, d // h)
    a = [rng.standard_normal((t, d)), cos, sin, gamma(d),
         w(d, d), w(d, d), w(d, d), w(d, d), gamma(d),
         w(d, f), w(d, f), w(f, d)]
    return [f32(v) for v in a]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dyt-run", required=True)
    p.add_argument("--kind", choices=["vit", "llama"], required=True)
    p.add_argument("file")
    p.add_argument("-e", default=None, help="function (default: @<kind>_block)")
    p.add_argument("--tokens", type=int, required=True)
    p.add_argument("--dim", type=int, required=True)
    p.add_argument("--heads", type=int, required=True)
    p.add_argument("--hidden", type=int, required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    # f32 through two matmul chains, softmax and the norms: observed ~1e-6.
    p.add_argument("--rtol", type=float, default=1e-4)
    p.add_argument("--pipeline", default=None,
                   help="passed to dyt-run --pipeline")
    p.add_argument("--dyt-opt", default=None)
    p.add_argument("--replace-norms", default=None, metavar="OPTS",
                   help="run dyt-replace-norms{OPTS} first, model DyT")
    p.add_argument("--alpha-values", default=None, metavar="OPTS",
                   help="with alpha-as-argument: the alphas to pass")
    opts = p.parse_args()
    func = opts.e or f"{opts.kind}_block"

    rng = np.random.default_rng(opts.seed)
    t, d, h, m = opts.tokens, opts.dim, opts.heads, opts.hidden
    alphas, as_arg = None, False
    if opts.replace_norms is not None:
        alphas, as_arg = replace_norms_options(opts.replace_norms)
        if opts.alpha_values is not None:
            if not as_arg:
                sys.exit("block_reference.py: --alpha-values needs "
                         "alpha-as-argument in --replace-norms")
            alphas = replace_norms_options(opts.alpha_values)[0]
    if opts.kind == "vit":
        args = vit_inputs(rng, t, d, m)
        want = vit_reference(args, h, alphas=alphas)
    else:
        args = llama_inputs(rng, t, d, h, m)
        want = llama_reference(args, h, alphas=alphas)
    if as_arg:
        args += [alphas["attn"], alphas["ffn"]]

    with tempfile.TemporaryDirectory() as tmp:
        file = opts.file
        if opts.replace_norms is not None:
            if not opts.dyt_opt:
                sys.exit("block_reference.py: --replace-norms needs --dyt-opt")
            file = os.path.join(tmp, "dyt.mlir")
            pm = f"builtin.module(dyt-replace-norms{{{opts.replace_norms}}})"
            run = subprocess.run([opts.dyt_opt, f"--pass-pipeline={pm}",
                                  opts.file, "-o", file],
                                 capture_output=True, text=True)
            if run.returncode != 0:
                print(run.stdout + run.stderr)
                sys.exit(f"FAIL {func}: dyt-opt exited {run.returncode}")
        cmd = [opts.dyt_run, file, "-e", func, "--threads", str(opts.threads)]
        if opts.pipeline:
            cmd += ["--pipeline", opts.pipeline]
        for i, a in enumerate(args):
            path = os.path.join(tmp, f"arg{i}.npy")
            np.save(path, np.asarray(a, dtype=np.float32))  # alpha: 0-d
            cmd += ["--input", path]
        out = os.path.join(tmp, "out.npy")
        cmd += ["--output", out]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            print(run.stdout + run.stderr)
            sys.exit(f"FAIL {func}: dyt-run exited {run.returncode}")
        got = np.load(out).astype(np.float64)

    if got.shape != want.shape:
        sys.exit(f"FAIL {func}: shape {got.shape}, expected {want.shape}")
    if not np.all(np.isfinite(got)):
        sys.exit(f"FAIL {func}: {np.sum(~np.isfinite(got))} non-finite elements")
    diff = np.abs(got - want)
    scale = np.sqrt(np.mean(want * want))
    rel = diff / (np.abs(want) + scale)
    worst = np.unravel_index(np.argmax(rel), rel.shape)
    if rel[worst] > opts.rtol:
        bad = int(np.sum(rel > opts.rtol))
        sys.exit(f"FAIL {func}: {bad} of {got.size} elements differ, worst at "
                 f"{tuple(int(i) for i in worst)}: got {got[worst]!r}, want "
                 f"{want[worst]!r} (rel err {rel[worst]:.3g} > {opts.rtol:g})")
    print(f"OK {func}: {got.size} elements, max rel err {rel[worst]:.3g}, "
          f"max abs err {diff.max():.3g} (output rms {scale:.3g})")


if __name__ == "__main__":
    main()
