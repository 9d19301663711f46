#!/usr/bin/env python3
"""DyT, LayerNorm and RMSNorm on the CPU, one thread, measured in one run
against the peers a user would pick instead.

For every shape and element type:
  - memcpy of the same bytes (the kernel's input size), the bandwidth bound;
  - dyt-mlir: dyt-run --bench on the op alone (dyt-cpu-pipeline);
  - the plain C loop of each op, gcc -O3 -march=native -ffast-math;
  - PyTorch eager and torch.compile, IREE (llvm-cpu) when importable; a peer
    that is not installed is listed with the import error, not dropped.

Every figure is reported as a ratio to memcpy measured in the same run
(higher is faster; 1.0 = memcpy speed). Writes a Markdown table to stdout,
and with --out DIR also results.json and (if matplotlib is there) a plot.

  python3 bench/cpu_norms.py [--build build] [--iterations 20] [--quick]
                             [--out bench/results]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

OPS = ["dyt", "layer_norm", "rms_norm"]
SHAPES = [(8 * 197, 768, "8x197x768"), (4096, 4096, "4096x4096"),
          (8192, 4096, "8192x4096")]
DTYPES = ["f32", "bf16"]


def mlir_for(op, rows, cols, dtype):
    t = f"tensor<{rows}x{cols}x{dtype}>"
    p = f"tensor<{cols}x{dtype}>"
    if op == "dyt":
        return (f"func.func @f(%x: {t}, %a: f32, %g: {p}, %b: {p}) -> {t} {{\n"
                f"  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : {p}) beta(%b : {p}) : {t} -> {t}\n"
                f"  return %y : {t}\n}}\n")
    if op == "layer_norm":
        return (f"func.func @f(%x: {t}, %g: {p}, %b: {p}) -> {t} {{\n"
                f"  %y = dyt.layer_norm %x gamma(%g : {p}) beta(%b : {p}) : {t} -> {t}\n"
                f"  return %y : {t}\n}}\n")
    return (f"func.func @f(%x: {t}, %g: {p}) -> {t} {{\n"
            f"  %y = dyt.rms_norm %x gamma(%g : {p}) : {t} -> {t}\n"
            f"  return %y : {t}\n}}\n")


def run_json(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{out.stdout}{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def unavailable_peers():
    """Peers that cannot be imported, with the error (reported, not dropped)."""
    missing = {}
    for name, module in [("PyTorch eager / torch.compile", "torch"),
                         ("IREE llvm-cpu", "iree.compiler")]:
        try:
            __import__(module)
        except Exception as e:  # noqa: BLE001 - any import failure counts
            missing[name] = f"{type(e).__name__}: {e}"
    return missing


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--build", default=os.path.join(root, "build"))
    p.add_argument("--iterations", type=int, default=20)
    p.add_argument("--quick", action="store_true",
                   help="only 4096x4096, fewer iterations")
    p.add_argument("--out", default=None)
    opts = p.parse_args()
    shapes = [s for s in SHAPES if s[2] == "4096x4096"] if opts.quick else SHAPES
    iterations = 5 if opts.quick else opts.iterations

    dyt_run = os.path.join(opts.build, "bin", "dyt-run")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        peer = os.path.join(tmp, "norms")
        subprocess.run(["gcc", "-O3", "-march=native", "-ffast-math",
                        os.path.join(here, "peers", "norms.c"), "-o", peer,
                        "-lm"], check=True)
        for rows, cols, label in shapes:
            for dtype in DTYPES:
                memcpy = run_json([peer, "memcpy", str(rows), str(cols), dtype,
                                   str(iterations)])["median_s"]
                for op in OPS:
                    path = os.path.join(tmp, f"{op}.mlir")
                    with open(path, "w") as f:
                        f.write(mlir_for(op, rows, cols, dtype))
                    ours = run_json([dyt_run, path, "-e", "f", "--random",
                                     "--bench", str(iterations), "--threads",
                                     "1", "--json"])["median_s"]
                    gcc = run_json([peer, op, str(rows), str(cols), dtype,
                                    str(iterations)])["median_s"]
                    row = {"op": op, "shape": label, "dtype": dtype,
                           "memcpy_s": memcpy, "dyt_mlir_s": ours,
                           "gcc_s": gcc}
                    results.append(row)
                    print(f"{op:10} {label:10} {dtype:4}  memcpy {memcpy*1e3:8.3f} ms"
                          f"  dyt-mlir {ours*1e3:8.3f} ms  gcc {gcc*1e3:8.3f} ms",
                          file=sys.stderr)

    missing = unavailable_peers()
    print("| op | shape | dtype | dyt-mlir / memcpy | gcc -O3 / memcpy | "
          "dyt-mlir vs gcc | dyt-mlir ms | memcpy ms |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['op']} | {r['shape']} | {r['dtype']} | "
              f"{r['memcpy_s'] / r['dyt_mlir_s']:.2f} | "
              f"{r['memcpy_s'] / r['gcc_s']:.2f} | "
              f"{r['gcc_s'] / r['dyt_mlir_s']:.2f}x | "
              f"{r['dyt_mlir_s'] * 1e3:.2f} | {r['memcpy_s'] * 1e3:.2f} |")
    for name, error in missing.items():
        print(f"\nPeer not measured: {name}: {error}")

    if opts.out:
        os.makedirs(opts.out, exist_ok=True)
        with open(os.path.join(opts.out, "cpu_norms.json"), "w") as f:
            json.dump({"results": results, "unavailable_peers": missing}, f,
                      indent=1)
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except Exception as e:  # noqa: BLE001
            print(f"\nNo plot: matplotlib unavailable ({e})", file=sys.stderr)
            return
        labels = [f"{r['op']}\n{r['shape']}\n{r['dtype']}" for r in results]
        x = range(len(results))
        fig, ax = plt.subplots(figsize=(max(8, len(results) * 0.7), 4.5))
        ax.bar([i - 0.2 for i in x],
               [r["memcpy_s"] / r["dyt_mlir_s"] for r in results], 0.4,
               label="dyt-mlir")
        ax.bar([i + 0.2 for i in x],
               [r["memcpy_s"] / r["gcc_s"] for r in results], 0.4,
               label="gcc -O3 -march=native -ffast-math")
        ax.axhline(1.0, color="black", linewidth=0.8, linestyle="--")
        ax.set_xticks(list(x))
        ax.set_xticklabels(labels, fontsize=7)
        ax.set_ylabel("speed relative to memcpy of the same bytes")
        ax.set_title("DyT / LayerNorm / RMSNorm, one thread (higher is faster)")
        ax.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(opts.out, "cpu_norms.png"), dpi=110)


if __name__ == "__main__":
    main()
