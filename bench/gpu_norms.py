#!/usr/bin/env python3
"""DyT, LayerNorm and RMSNorm, and matmul + DyT, on an NVIDIA GPU through
dyt-nvvm-pipeline, each measured in one run against a device-to-device copy
of the same bytes (the bandwidth bound).

For each op and element type at 8192x4096 (and the shapes given with
--shape), `dyt-run --device gpu --random --bench N --json` times the kernel
with CUDA events and, in the same process, cuMemcpy of the bytes the call
writes between two device buffers; the figure is copy time / kernel time
(1.0 = as fast as a copy of the result; DyT and the norms also read as many
bytes as they write, as the copy does). Matmul + DyT (the fused kernel) is
reported as a ratio to the matmul alone measured in the same run.

  python3 bench/gpu_norms.py [--build build] [--iterations 50]
                             [--fast-tanh] [--out bench/results]

Needs a GPU: without one, dyt-run's error is printed and the script exits 2.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

OPS = ["dyt", "layer_norm", "rms_norm"]
DTYPES = ["f32", "bf16"]
MATMULS = [(4096, 4096, 4096), (8 * 197, 768, 3072)]

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from cpu_norms import mlir_for  # noqa: E402  (one definition of each op)


def matmul_mlir(m, k, n, with_dyt, dtype="f32", transpose_b=False):
    """x @ W (+ DyT) on `dtype` tensors, accumulated in f32 as PyTorch does
    (for bf16: an f32 product rounded to bf16, the rounding fused into the
    matmul's epilogue); with `transpose_b`, x @ W^T with W given as n x k
    (PyTorch's Linear). f32 takes the FMA kernel, bf16 the tensor cores
    (sm_80 and later)."""
    acc = f"tensor<{m}x{n}xf32>"
    t = f"tensor<{m}x{n}x{dtype}>"
    wt = f"tensor<{n}x{k}x{dtype}>" if transpose_b else f"tensor<{k}x{n}x{dtype}>"
    maps = ("indexing_maps = [affine_map<(m, n, k) -> (m, k)>, "
            "affine_map<(m, n, k) -> (n, k)>, "
            "affine_map<(m, n, k) -> (m, n)>] " if transpose_b else "")
    body = [
        f"func.func @f(%x: tensor<{m}x{k}x{dtype}>, %w: {wt}, "
        f"%a: f32, %g: tensor<{n}x{dtype}>, %b: tensor<{n}x{dtype}>) -> {t} {{",
        "  %c0 = arith.constant 0.0 : f32",
        f"  %e = tensor.empty() : {acc}",
        f"  %z = linalg.fill ins(%c0 : f32) outs(%e : {acc}) -> {acc}",
        f"  %p = linalg.matmul {maps}ins(%x, %w : tensor<{m}x{k}x{dtype}>, "
        f"{wt}) outs(%z : {acc}) -> {acc}",
    ]
    product = "%p"
    if dtype != "f32":
        body.append(f"  %m = arith.truncf %p : {acc} to {t}")
        product = "%m"
    if with_dyt:
        body.append(f"  %y = dyt.dyt {product} alpha(%a : f32) "
                    f"gamma(%g : tensor<{n}x{dtype}>) "
                    f"beta(%b : tensor<{n}x{dtype}>) : {t} -> {t}")
        body.append(f"  return %y : {t}")
    else:
        body.append(f"  return {product} : {t}")
    body.append("}")
    return "\n".join(body) + "\n"


def dyt_matmul_mlir(m, k, n, dtype="f32"):
    """DyT(x) @ W, gamma and beta along k (the prologue: one kernel), with
    the same signature as matmul_mlir's functions; accumulated in f32."""
    acc = f"tensor<{m}x{n}xf32>"
    t = f"tensor<{m}x{n}x{dtype}>"
    xt = f"tensor<{m}x{k}x{dtype}>"
    body = [
        f"func.func @f(%x: {xt}, %w: tensor<{k}x{n}x{dtype}>, "
        f"%a: f32, %g: tensor<{k}x{dtype}>, %b: tensor<{k}x{dtype}>) -> {t} {{",
        "  %c0 = arith.constant 0.0 : f32",
        f"  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<{k}x{dtype}>) "
        f"beta(%b : tensor<{k}x{dtype}>) : {xt} -> {xt}",
        f"  %e = tensor.empty() : {acc}",
        f"  %z = linalg.fill ins(%c0 : f32) outs(%e : {acc}) -> {acc}",
        f"  %p = linalg.matmul ins(%y, %w : {xt}, "
        f"tensor<{k}x{n}x{dtype}>) outs(%z : {acc}) -> {acc}",
    ]
    if dtype == "f32":
        body.append(f"  return %p : {t}")
    else:
        body.append(f"  %m = arith.truncf %p : {acc} to {t}")
        body.append(f"  return %m : {t}")
    body.append("}")
    return "\n".join(body) + "\n"


def bench(dyt_run, source, iterations, pipeline):
    with tempfile.NamedTemporaryFile("w", suffix=".mlir", delete=False) as f:
        f.write(source)
        path = f.name
    try:
        cmd = [dyt_run, path, "-e", "f", "--device", "gpu", "--random",
               "--bench", str(iterations), "--json"]
        if pipeline:
            cmd.append("--pipeline=" + pipeline)
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError((out.stdout + out.stderr).strip())
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        os.unlink(path)


def main():
    root = os.path.dirname(here)
    p = argparse.ArgumentParser()
    p.add_argument("--build", default=os.path.join(root, "build"))
    p.add_argument("--iterations", type=int, default=50)
    p.add_argument("--shape", action="append", default=[],
                   help="ROWSxCOLS besides 8192x4096")
    p.add_argument("--fast-tanh", action="store_true")
    p.add_argument("--out", default=None)
    opts = p.parse_args()
    dyt_run = os.path.join(opts.build, "bin", "dyt-run")
    pipeline = "dyt-nvvm-pipeline{fast-tanh=1}" if opts.fast_tanh else ""
    shapes = [(8192, 4096)] + [tuple(int(v) for v in s.split("x"))
                               for s in opts.shape]
    results = {"norms": [], "matmul": [], "fast_tanh": opts.fast_tanh}
    try:
        for rows, cols in shapes:
            for dtype in DTYPES:
                for op in OPS:
                    r = bench(dyt_run, mlir_for(op, rows, cols, dtype),
                              opts.iterations, pipeline)
                    results.setdefault("device", r.get("device_name", "?"))
                    results["norms"].append(
                        {"op": op, "shape": f"{rows}x{cols}", "dtype": dtype,
                         "median_s": r["median_s"],
                         "copy_median_s": r["copy_median_s"],
                         "copy_ratio": r["copy_ratio"]})
        for (m, k, n), dtype in [(s, d) for s in MATMULS for d in DTYPES]:
            alone = bench(dyt_run, matmul_mlir(m, k, n, False, dtype),
                          opts.iterations, pipeline)
            fused = bench(dyt_run, matmul_mlir(m, k, n, True, dtype),
                          opts.iterations, pipeline)
            prologue = bench(dyt_run, dyt_matmul_mlir(m, k, n, dtype),
                             opts.iterations, pipeline)
            results["matmul"].append(
                {"shape": f"{m}x{k}x{n}", "dtype": dtype,
                 "matmul_s": alone["median_s"],
                 "fused_s": fused["median_s"],
                 "tflops": 2.0 * m * k * n / alone["median_s"] / 1e12,
                 "fused_over_matmul": fused["median_s"] / alone["median_s"],
                 "prologue_s": prologue["median_s"],
                 "prologue_over_matmul":
                     prologue["median_s"] / alone["median_s"]})
    except RuntimeError as e:
        print(f"gpu_norms.py: not measured: {e}", file=sys.stderr)
        return 2

    print(f"Device: {results['device']}, fast-tanh={opts.fast_tanh}\n")
    print("| op | shape | dtype | median (us) | copy of the same bytes (us) "
          "| ratio to copy |")
    print("|---|---|---|---|---|---|")
    for r in results["norms"]:
        print(f"| {r['op']} | {r['shape']} | {r['dtype']} | "
              f"{r['median_s'] * 1e6:.1f} | {r['copy_median_s'] * 1e6:.1f} | "
              f"{r['copy_ratio']:.2f} |")
    print("\n| M x K x N | dtype | matmul (ms) | TFLOP/s "
          "| matmul + DyT fused (ms) | fused / matmul "
          "| DyT + matmul fused (ms) | fused / matmul |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results["matmul"]:
        print(f"| {r['shape']} | {r['dtype']} | {r['matmul_s'] * 1e3:.3f} "
              f"| {r['tflops']:.1f} "
              f"| {r['fused_s'] * 1e3:.3f} | {r['fused_over_matmul']:.3f} "
              f"| {r['prologue_s'] * 1e3:.3f} "
              f"| {r['prologue_over_matmul']:.3f} |")
    if opts.out:
        os.makedirs(opts.out, exist_ok=True)
        with open(os.path.join(opts.out, "gpu_norms.json"), "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
