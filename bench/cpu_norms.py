#!/usr/bin/env python3
"""DyT, LayerNorm and RMSNorm on the CPU, one thread, measured in one run
against the peers a user would pick instead.

For every shape and element type:
  - memcpy of the same bytes (the kernel's output, here the size of its
    input), the bandwidth bound: timed after every run of each kernel, in
    the same process, by dyt-run --bench (copy_ratio) and by the gcc peer;
  - dyt-mlir: dyt-run --bench on the op alone (dyt-cpu-pipeline; with
    --dynamic compiled for tensor<?x?xT> and sized at run time);
  - the plain C loop of each op, gcc -O3 -march=native -ffast-math;
  - IREE (llvm-cpu, one thread) on the same linalg IR dyt-opt lowers the op
    to, when bench/setup_peers.sh has installed it into bench/.venv;
  - PyTorch eager and torch.compile (Inductor), one thread, with the Python
    that has torch (bench/setup_peers.sh --with-torch, or the project's .venv).
A peer that is not installed is listed with the error, not dropped.

"dyt-mlir / memcpy" is the median over runs of (memcpy time / kernel time),
each pair back to back (higher is faster; 1.0 = memcpy speed); "vs X" is
X's time over ours (the gcc peer's own memcpy ratio is in the JSON: on
cache-resident shapes a memcpy right after a kernel depends on what the
kernel left in the cache, so ratios of ratios would mislead there).
dyt-mlir and gcc run in --rounds interleaved rounds (medians over rounds),
IREE and PyTorch once. Writes a Markdown table to stdout, and with --out DIR
also cpu_norms.json and (if matplotlib is there) a plot.

  python3 bench/cpu_norms.py [--build build] [--iterations 20] [--quick]
                             [--rounds 3] [--out bench/results]
                             [--baseline-pipeline PIPELINE] [--shapes 8192x4001]
                             [--baseline-dyt-run PATH]
                             [--dynamic]
  .venv/bin/python bench/cpu_norms.py --replot bench/results/cpu_norms.json
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


def parse_shapes(text):
    shapes = []
    for item in text.split(","):
        try:
            rows, cols = (int(n) for n in item.lower().split("x"))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"'{item}' is not ROWSxCOLS (e.g. 8192x4001)")
        if rows <= 0 or cols <= 0:
            raise argparse.ArgumentTypeError(f"'{item}': sizes must be > 0")
        shapes.append((rows, cols, f"{rows}x{cols}"))
    return shapes


def mlir_for(op, rows, cols, dtype, dynamic=False):
    t = f"tensor<?x?x{dtype}>" if dynamic else f"tensor<{rows}x{cols}x{dtype}>"
    p = f"tensor<?x{dtype}>" if dynamic else f"tensor<{cols}x{dtype}>"
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


class Iree:
    """IREE's llvm-cpu backend on the linalg IR convert-dyt-to-linalg gives:
    iree-compile for the host CPU, iree-benchmark-module on one thread."""

    def __init__(self, bin_dir, dyt_opt, tmp):
        self.compile = os.path.join(bin_dir, "iree-compile")
        self.bench = os.path.join(bin_dir, "iree-benchmark-module")
        self.dyt_opt, self.tmp = dyt_opt, tmp

    def available(self):
        return os.access(self.compile, os.X_OK) and os.access(self.bench, os.X_OK)

    def measure(self, op, mlir_path, rows, cols, dtype, iterations):
        import numpy as np
        linalg = os.path.join(self.tmp, f"{op}.linalg.mlir")
        vmfb = os.path.join(self.tmp, f"{op}.vmfb")
        subprocess.run([self.dyt_opt, mlir_path, "--convert-dyt-to-linalg",
                        "-o", linalg], check=True)
        subprocess.run([self.compile, "--iree-hal-target-device=local",
                        "--iree-hal-local-target-device-backends=llvm-cpu",
                        "--iree-llvmcpu-target-cpu=host", linalg, "-o", vmfb],
                       check=True)
        rng = np.random.default_rng(0)

        def tensor_input(name, shape):
            data = rng.standard_normal(shape).astype(np.float32)
            path = os.path.join(self.tmp, f"{name}.bin")
            if dtype == "bf16":
                bits = data.view(np.uint32)
                data = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
            data.tofile(path)
            dims = "x".join(str(d) for d in shape)
            return f"--input={dims}x{dtype}=@{path}"

        inputs = [tensor_input("x", (rows, cols))]
        if op == "dyt":
            inputs.append("--input=0.5")
        inputs.append(tensor_input("g", (cols,)))
        if op != "rms_norm":
            inputs.append(tensor_input("b", (cols,)))
        return iree_median(self.bench, vmfb, inputs, iterations)


def iree_median(bench, vmfb, inputs, iterations):
    """Median seconds of @f in `vmfb` over `iterations` runs on one thread."""
    out = subprocess.run(
        [bench, f"--module={vmfb}", "--device=local-task",
         "--task_topology_max_group_count=1", "--function=f",
         f"--benchmark_repetitions={iterations}"] + inputs,
        capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if "real_time_median" in line:
            value, unit = line.split()[1:3]
            return float(value) * {"ms": 1e-3, "us": 1e-6, "ns": 1e-9,
                                   "s": 1.0}[unit]
    raise RuntimeError("no median in iree-benchmark-module output:\n" + out)


def torch_error(python):
    """None if `python` can import torch, else the error it reports."""
    if not os.access(python, os.X_OK):
        return f"no Python at {python} (run bench/setup_peers.sh --with-torch)"
    check = subprocess.run([python, "-c", "import torch"], capture_output=True,
                           text=True)
    if check.returncode != 0:
        return check.stderr.strip().splitlines()[-1]
    return None


def unavailable_peers(iree_available, iree_bin, torch_failure):
    """Peers that cannot be run, with the error (reported, not dropped)."""
    missing = {}
    if not iree_available:
        missing["IREE llvm-cpu"] = (f"iree-compile / iree-benchmark-module not "
                                    f"found in {iree_bin} (run "
                                    f"bench/setup_peers.sh)")
    if torch_failure:
        missing["PyTorch eager / torch.compile"] = torch_failure
    return missing


def plot(results, path):
    """The results as a bar chart of speed relative to memcpy (PNG); False
    when matplotlib is missing."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except Exception as e:  # noqa: BLE001
        print(f"\nNo plot: matplotlib unavailable ({e})", file=sys.stderr)
        return False
    labels = [f"{r['op']}\n{r['shape']}\n{r['dtype']}" for r in results]
    x = range(len(results))
    fig, ax = plt.subplots(figsize=(max(8, len(results) * 0.7), 4.5))
    # Every contender against the same memcpy time (the median of the copies
    # timed after our calls), so that the bars order as the times do: each
    # one's own memcpy pairs would not (on cache-resident shapes a copy right
    # after a kernel depends on what that kernel left in the cache).
    ax.bar([i - 0.27 for i in x],
           [r["memcpy_s"] / r["dyt_mlir_s"] for r in results], 0.27,
           label="dyt-mlir")
    ax.bar([i for i in x],
           [r["memcpy_s"] / r["gcc_s"] for r in results], 0.27,
           label="gcc -O3 -march=native -ffast-math")
    if all("iree_s" in r for r in results):
        ax.bar([i + 0.27 for i in x],
               [r["memcpy_s"] / r["iree_s"] for r in results], 0.27,
               label="IREE llvm-cpu")
    if all("torch_compile_s" in r for r in results):
        ax.plot(list(x), [r["memcpy_s"] / r["torch_compile_s"]
                          for r in results], "kD", markersize=4,
                label="torch.compile (Inductor)")
    ax.axhline(1.0, color="black", linewidth=0.8, linestyle="--")
    ax.set_xticks(list(x))
    ax.set_xticklabels(labels, fontsize=7)
    ax.set_ylabel("memcpy time of the same bytes / time")
    ax.set_title("DyT / LayerNorm / RMSNorm, one thread (higher is faster)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return True


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
    p.add_argument("--rounds", type=int, default=3,
                   help="interleaved rounds of dyt-mlir and gcc, each with "
                        "its memcpy pairs (median over rounds)")
    p.add_argument("--shapes", default=None, metavar="RxC[,RxC...]",
                   type=parse_shapes,
                   help="shapes to run instead of the default ones, e.g. "
                        "8192x4001 (a width no vector tile divides)")
    p.add_argument("--dynamic", action="store_true",
                   help="compile dyt-mlir's functions (and the baseline's) "
                        "with dynamic shapes, tensor<?x?xT>, sized at run "
                        "time (dyt-run --random-dims); the peers keep "
                        "static shapes")
    p.add_argument("--baseline-pipeline", default=None, metavar="PIPELINE",
                   help="also run dyt-run --pipeline PIPELINE in every round "
                        "(an A/B of a pipeline option, e.g. "
                        "'dyt-cpu-pipeline{prefetch-distance=0}'): column "
                        "'vs baseline', its time over ours")
    p.add_argument("--baseline-dyt-run", default=None, metavar="PATH",
                   help="also run PATH, the dyt-run of another build (e.g. a "
                        "copy from before a change), in every round, with "
                        "--baseline-pipeline if given: column 'vs baseline'")
    p.add_argument("--iree-bin", default=os.path.join(here, ".venv", "bin"))
    p.add_argument("--torch-python", default=None,
                   help="a Python with torch (default: bench/.venv's if it "
                        "has torch, else the project's .venv from "
                        "scripts/setup.sh)")
    p.add_argument("--replot", metavar="JSON", default=None,
                   help="only draw the plot of an earlier run's JSON "
                        "(NAME.json -> NAME.png in --out, default beside "
                        "it), with a Python that has matplotlib")
    opts = p.parse_args()
    has_baseline = bool(opts.baseline_pipeline or opts.baseline_dyt_run)
    if opts.replot:
        with open(opts.replot) as f:
            results = json.load(f)["results"]
        out = opts.out or os.path.dirname(os.path.abspath(opts.replot))
        stem = os.path.splitext(os.path.basename(opts.replot))[0]
        os.makedirs(out, exist_ok=True)
        return 0 if plot(results, os.path.join(out, stem + ".png")) else 1
    if opts.torch_python is None:
        candidates = [os.path.join(here, ".venv", "bin", "python"),
                      os.path.join(root, ".venv", "bin", "python")]
        opts.torch_python = next(
            (c for c in candidates if torch_error(c) is None), candidates[0])
    if opts.quick and opts.shapes:
        p.error("--quick picks its own shape; drop it or --shapes")
    shapes = opts.shapes or SHAPES
    if opts.quick:
        shapes = [s for s in SHAPES if s[2] == "4096x4096"]
    iterations = 5 if opts.quick else opts.iterations

    dyt_run = os.path.join(opts.build, "bin", "dyt-run")
    dyt_opt = os.path.join(opts.build, "bin", "dyt-opt")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        iree = Iree(opts.iree_bin, dyt_opt, tmp)
        iree_available = iree.available()
        torch_failure = torch_error(opts.torch_python)
        peer = os.path.join(tmp, "norms")
        subprocess.run(["gcc", "-O3", "-march=native", "-ffast-math",
                        os.path.join(here, "peers", "norms.c"), "-o", peer,
                        "-lm"], check=True)
        for rows, cols, label in shapes:
            for dtype in DTYPES:
                paths = {}
                for op in OPS:
                    paths[op] = os.path.join(tmp, f"{op}.mlir")
                    with open(paths[op], "w") as f:
                        f.write(mlir_for(op, rows, cols, dtype))
                ours_paths = dict(paths)
                if opts.dynamic:
                    for op in OPS:
                        ours_paths[op] = os.path.join(tmp, f"{op}_dynamic.mlir")
                        with open(ours_paths[op], "w") as f:
                            f.write(mlir_for(op, rows, cols, dtype, True))
                # dyt-mlir and gcc (the close contenders) once per round, the
                # rounds interleaved, each timing a memcpy of the bytes it
                # writes after every run (copy_ratio: the median over runs of
                # memcpy time / kernel time). A burst of load from a neighbour
                # on a shared machine then slows both halves of a pair, and
                # lands in one round rather than in every run of one
                # contender. Figures: medians over rounds. IREE and PyTorch,
                # further behind, are timed once.
                who_all = ("ours", "gcc", "baseline")
                runs = {(op, who): [] for op in OPS for who in who_all}
                for _ in range(opts.rounds):
                    for op in OPS:
                        ours_cmd = [dyt_run, ours_paths[op], "-e", "f",
                                    "--random", "--bench", str(iterations),
                                    "--threads", "1", "--json"]
                        if opts.dynamic:
                            # x's two dims, then one per channel vector.
                            vectors = {"dyt": 2, "layer_norm": 2,
                                       "rms_norm": 1}[op]
                            ours_cmd.append("--random-dims=" + ",".join(
                                str(n) for n in [rows] + [cols] * (1 + vectors)))
                        runs[op, "ours"].append(run_json(ours_cmd))
                        if has_baseline:
                            runs[op, "baseline"].append(run_json(
                                [opts.baseline_dyt_run or dyt_run]
                                + ours_cmd[1:]
                                + (["--pipeline", opts.baseline_pipeline]
                                   if opts.baseline_pipeline else [])))
                        runs[op, "gcc"].append(run_json(
                            [peer, op, str(rows), str(cols), dtype,
                             str(iterations)]))

                def median(op, who, key):
                    values = sorted(r[key] for r in runs[op, who])
                    return values[len(values) // 2]
                for op in OPS:
                    ours = median(op, "ours", "median_s")
                    gcc = median(op, "gcc", "median_s")
                    memcpy = median(op, "ours", "copy_median_s")
                    row = {"op": op, "shape": label, "dtype": dtype,
                           "dynamic": opts.dynamic,
                           "memcpy_s": memcpy, "dyt_mlir_s": ours,
                           "copy_ratio": median(op, "ours", "copy_ratio"),
                           "gcc_s": gcc,
                           "gcc_copy_ratio": median(op, "gcc", "copy_ratio"),
                           "rounds": {"dyt_mlir": runs[op, "ours"],
                                      "gcc": runs[op, "gcc"]}}
                    if has_baseline:
                        row["baseline_pipeline"] = opts.baseline_pipeline
                        row["baseline_dyt_run"] = opts.baseline_dyt_run
                        row["baseline_s"] = median(op, "baseline", "median_s")
                        row["baseline_copy_ratio"] = median(op, "baseline",
                                                            "copy_ratio")
                        row["rounds"]["baseline"] = runs[op, "baseline"]
                    if iree_available:
                        row["iree_s"] = iree.measure(op, paths[op], rows, cols,
                                                     dtype, iterations)
                    if not torch_failure:
                        t = run_json([opts.torch_python,
                                      os.path.join(here, "peers", "torch_norms.py"),
                                      op, str(rows), str(cols), dtype,
                                      str(iterations)])
                        row["torch_eager_s"] = t["eager_s"]
                        row["torch_compile_s"] = t["compiled_s"]
                    results.append(row)
                    iree_text = (f"  iree {row['iree_s']*1e3:8.3f} ms"
                                 if "iree_s" in row else "")
                    print(f"{op:10} {label:10} {dtype:4}  memcpy {memcpy*1e3:8.3f} ms"
                          f"  dyt-mlir {ours*1e3:8.3f} ms  gcc {gcc*1e3:8.3f} ms"
                          + iree_text, file=sys.stderr)

    missing = unavailable_peers(iree_available, opts.iree_bin, torch_failure)

    def vs(r, key):
        return f"{r[key] / r['dyt_mlir_s']:.2f}x" if key in r else "n/a"

    baseline = has_baseline
    print("| op | shape | dtype | dyt-mlir / memcpy | "
          + ("baseline / memcpy | vs baseline | " if baseline else "")
          + "dyt-mlir vs gcc | vs IREE | vs torch eager | vs torch.compile | "
          "dyt-mlir ms | memcpy ms |")
    print("|---|---|---|---|" + ("---|---|" if baseline else "")
          + "---|---|---|---|---|---|")
    for r in results:
        ab = (f"{r['baseline_copy_ratio']:.2f} | {vs(r, 'baseline_s')} | "
              if baseline else "")
        shape = r['shape'] + (" (dyt-mlir: ?x?)" if r.get('dynamic') else "")
        print(f"| {r['op']} | {shape} | {r['dtype']} | "
              f"{r['copy_ratio']:.2f} | " + ab +
              f"{vs(r, 'gcc_s')} | "
              f"{vs(r, 'iree_s')} | {vs(r, 'torch_eager_s')} | "
              f"{vs(r, 'torch_compile_s')} | "
              f"{r['dyt_mlir_s'] * 1e3:.2f} | {r['memcpy_s'] * 1e3:.2f} |")
    for name, error in missing.items():
        print(f"\nPeer not measured: {name}: {error}")

    if opts.out:
        os.makedirs(opts.out, exist_ok=True)
        with open(os.path.join(opts.out, "cpu_norms.json"), "w") as f:
            json.dump({"results": results, "unavailable_peers": missing}, f,
                      indent=1)
        plot(results, os.path.join(opts.out, "cpu_norms.png"))


if __name__ == "__main__":
    sys.exit(main())
