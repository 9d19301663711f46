#!/usr/bin/python3
"""One build's CPU matmuls against another's, on one thread, in one run.

  /usr/bin/python3 bench/cpu_matmul_ab.py --baseline-dyt-run OTHER/bin/dyt-run
      [--dyt-run build/bin/dyt-run] [--cases bf16:tb:1576x768x768,...]
      [--rounds 7] [--iterations 10] [--out bench/results/NAME.json]

A case is DTYPE:LAYOUT:MxKxN, LAYOUT `nn` (x @ W + DyT), `tb` (x @ W^T +
DyT, W given as N x K: PyTorch's Linear) or `prologue` (DyT(x) @ W); the
functions are bench/gpu_norms.py's, through each build's default
dyt-cpu-pipeline (`dyt-run --random --bench`). The two builds take turns,
case by case, for `rounds` rounds; the figure is the baseline's fastest
median over this build's (> 1: this build is faster), with the per-round
ratios beside it (the spread is the noise of a shared machine).
"""
import argparse
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cpu_matmul import ours  # noqa: E402
from gpu_norms import dyt_matmul_mlir, matmul_mlir  # noqa: E402

CASES = ("bf16:nn:1576x768x768,bf16:tb:1576x768x768,bf16:tb:256x768x3072,"
         "bf16:tb:97x130x75,bf16:prologue:1576x768x768")


def source(case):
    dtype, layout, shape = case.split(":")
    m, k, n = (int(v) for v in shape.split("x"))
    if layout == "prologue":
        return dyt_matmul_mlir(m, k, n, dtype)
    if layout not in ("nn", "tb"):
        sys.exit(f"cpu_matmul_ab.py: unknown layout '{layout}' in {case}")
    return matmul_mlir(m, k, n, True, dtype, transpose_b=layout == "tb")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--baseline-dyt-run", required=True)
    p.add_argument("--dyt-run", default=os.path.join(root, "build", "bin",
                                                     "dyt-run"))
    p.add_argument("--cases", default=CASES)
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--iterations", type=int, default=10)
    p.add_argument("--out", default=None, help="JSON of every timing")
    opts = p.parse_args()
    builds = {"baseline": opts.baseline_dyt_run, "this": opts.dyt_run}
    cases = opts.cases.split(",")
    times = {case: {b: [] for b in builds} for case in cases}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for i, case in enumerate(cases):
            paths[case] = os.path.join(tmp, f"case{i}.mlir")
            with open(paths[case], "w") as f:
                f.write(source(case))
        for _ in range(opts.rounds):
            for case in cases:
                for build, dyt_run in builds.items():
                    times[case][build].append(
                        1e3 * ours(dyt_run, paths[case], opts.iterations))
    rows = []
    for case in cases:
        base, this = times[case]["baseline"], times[case]["this"]
        rows.append({"case": case, "baseline_ms": base, "this_ms": this,
                     "min_ratio": min(base) / min(this),
                     "round_ratios": [b / t for b, t in zip(base, this)]})
        print(f"{case:28s} baseline {min(base):9.4f} ms  this {min(this):9.4f}"
              f" ms  baseline/this {rows[-1]['min_ratio']:.3f}  rounds "
              f"{min(rows[-1]['round_ratios']):.3f}-"
              f"{max(rows[-1]['round_ratios']):.3f}")
    if opts.out:
        with open(opts.out, "w") as f:
            json.dump({"rounds": opts.rounds, "iterations": opts.iterations,
                       "results": rows}, f, indent=1)


if __name__ == "__main__":
    main()
