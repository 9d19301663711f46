#!/usr/bin/env python3
"""Compares two .npy files element by element (the result of an original
function and of its transformed form, from the same dyt-run --random inputs).

  compare_npy.py A.npy B.npy --dtype f32|f16|bf16

bf16 results come as float32 from dyt-run (numpy has no bf16); a uint16
file of bf16 bit patterns is widened to f32 (<< 16). The tolerance is relative to max|a| and per element type:
f32 1e-5, f16 2^-9, bf16 2^-6 (torch-mlir's own bf16 chains round at every
step, the dyt op once). NaN must match NaN. Prints
`OK A B: N elements, max abs diff X` and exits 0, or FAIL and exits 1.
"""
import argparse
import sys

import numpy as np

REL = {"f32": 1e-5, "f16": 2.0 ** -9, "bf16": 2.0 ** -6}


def load(path, dtype):
    a = np.load(path)
    if dtype == "bf16" and a.dtype == np.uint16:
        a = (a.astype(np.uint32) << 16).view(np.float32)
    return a.astype(np.float64)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--dtype", required=True, choices=sorted(REL))
    opts = p.parse_args()
    a, b = load(opts.a, opts.dtype), load(opts.b, opts.dtype)
    if a.shape != b.shape:
        print(f"FAIL {opts.a} {opts.b}: shapes {a.shape} and {b.shape}")
        return 1
    nan = np.isnan(a) | np.isnan(b)
    if (np.isnan(a) != np.isnan(b)).any():
        print(f"FAIL {opts.a} {opts.b}: NaN in one result only")
        return 1
    finite = ~nan
    scale = np.max(np.abs(a[finite])) if finite.any() else 0.0
    tol = REL[opts.dtype] * max(scale, 1e-30)
    diff = np.abs(a - b)[finite]
    worst = float(diff.max()) if diff.size else 0.0
    if worst > tol or not np.isfinite(worst):
        i = int(np.argmax(np.where(finite, np.abs(a - b), -1)))
        print(f"FAIL {opts.a} {opts.b}: max abs diff {worst:.3g} > {tol:.3g} "
              f"at flat index {i} ({a.flat[i]!r} vs {b.flat[i]!r})")
        return 1
    print(f"OK {opts.a} {opts.b}: {a.size} elements, max abs diff {worst:.3g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
