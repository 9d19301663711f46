#!/usr/bin/python3
"""Matmul and matmul+DyT on one CPU thread, every peer in the same run.

  /usr/bin/python3 bench/cpu_matmul.py [--iterations N] [--rounds R] [--out DIR]
                                       [--shapes 197x768x3072,...]

For each shape (M x K x N, f32) it measures:
  - numpy's matmul on OpenBLAS (Debian's python3-numpy with
    libopenblas0-pthread, OPENBLAS_NUM_THREADS=1): the throughput target;
  - our matmul (dyt-cpu-pipeline through dyt-run --bench);
  - matmul + DyT, fused by dyt-fuse-matmul (the default pipeline), also
    as pairs (dyt-run --bench-against: each matmul run followed by one of
    the fused function, the median of the pairs' ratios), which holds on a
    shared machine where separate series drift by several percent; the same
    pairs for matmul + LayerNorm and the DyT -> matmul prologue;
  - matmul + DyT, unfused (dyt-cpu-pipeline{fuse-matmul=false}), for contrast;
  - matmul + LayerNorm (a norm cannot be fused the same way);
  - DyT -> matmul (pre-norm, DyT along K): the DyT fused into the matmul's
    loop nest as a prologue (the default pipeline), and the hot path that
    dyt-outline-weight-folding gives weights passed as arguments
    (@f_folded: tanh(alpha x) times W' = diag(gamma) W, plus beta W; its
    one-time @f_fold_weights is timed too);
  - IREE llvm-cpu (bench/.venv from bench/setup_peers.sh) on the same linalg
    IR (after convert-dyt-to-linalg): matmul alone and matmul + DyT.
Weights are function arguments (repacked at run time, inside the timing);
a peer that cannot run is reported with its error. Results: a table on
stdout, DIR/cpu_matmul.json.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cpu_norms import iree_median, run_json  # noqa: E402

SHAPES = [(1024, 1024, 1024), (197, 768, 3072), (2048, 4096, 4096)]


def mlir_for(variant, m, k, n):
    a, b, c = (f"tensor<{m}x{k}xf32>", f"tensor<{k}x{n}xf32>",
               f"tensor<{m}x{n}xf32>")
    p = f"tensor<{n}xf32>"
    if variant == "dyt_matmul":
        q = f"tensor<{k}xf32>"
        return (f"func.func @f(%x: {a}, %al: f32, %g: {q}, %be: {q}, %b: {b}) -> {c} {{\n"
                f"  %z = arith.constant 0.0 : f32\n"
                f"  %a = dyt.dyt %x alpha(%al : f32) gamma(%g : {q}) "
                f"beta(%be : {q}) : {a} -> {a}\n"
                f"  %e = tensor.empty() : {c}\n"
                f"  %f = linalg.fill ins(%z : f32) outs(%e : {c}) -> {c}\n"
                f"  %r = linalg.matmul ins(%a, %b : {a}, {b}) outs(%f : {c}) -> {c}\n"
                f"  return %r : {c}\n}}\n")
    params = {"matmul": "", "matmul_dyt": f", %al: f32, %g: {p}, %be: {p}",
              "matmul_layer_norm": f", %g: {p}, %be: {p}"}[variant]
    body = (f"  %z = arith.constant 0.0 : f32\n"
            f"  %e = tensor.empty() : {c}\n"
            f"  %f = linalg.fill ins(%z : f32) outs(%e : {c}) -> {c}\n"
            f"  %r = linalg.matmul ins(%a, %b : {a}, {b}) outs(%f : {c}) -> {c}\n")
    if variant == "matmul_dyt":
        body += (f"  %y = dyt.dyt %r alpha(%al : f32) gamma(%g : {p}) "
                 f"beta(%be : {p}) : {c} -> {c}\n")
    elif variant == "matmul_layer_norm":
        body += (f"  %y = dyt.layer_norm %r gamma(%g : {p}) beta(%be : {p}) "
                 f": {c} -> {c}\n")
    result = "%r" if variant == "matmul" else "%y"
    return (f"func.func @f(%a: {a}, %b: {b}{params}) -> {c} {{\n{body}"
            f"  return {result} : {c}\n}}\n")


def pairwise(dyt_run, path, iterations, against):
    """@matmul's runs, each followed by one of @against (dyt-run
    --bench-against): the median over the pairs of against / matmul."""
    cmd = [dyt_run, path, "-e", "matmul", "--random", "--bench",
           str(iterations), "--threads", "1", "--json",
           f"--bench-against={against}"]
    return run_json(cmd)["against_ratio"]


def ours(dyt_run, path, iterations, pipeline=None, entry="f"):
    cmd = [dyt_run, path, "-e", entry, "--random", "--bench", str(iterations),
           "--threads", "1", "--json"]
    if pipeline:
        cmd.append(f"--pipeline={pipeline}")
    return run_json(cmd)["median_s"]


def numpy_matmul(m, k, n, iterations):
    code = (
        "import numpy as np, time, json\n"
        f"a = np.random.default_rng(0).standard_normal(({m}, {k}), np.float32)\n"
        f"b = np.random.default_rng(1).standard_normal(({k}, {n}), np.float32)\n"
        "a @ b\n"
        "t = []\n"
        f"for _ in range({iterations}):\n"
        "    s = time.perf_counter(); a @ b; t.append(time.perf_counter() - s)\n"
        "t.sort(); print(json.dumps({'median_s': t[len(t) // 2]}))\n")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    out = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True,
                         text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["median_s"]


def blas_library():
    """Which BLAS numpy's matmul runs on (the alternatives link)."""
    try:
        return os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    except OSError as error:
        return str(error)


def iree(bin_dir, dyt_opt, tmp, variant, path, m, k, n, iterations):
    import numpy as np
    compile_ = os.path.join(bin_dir, "iree-compile")
    bench = os.path.join(bin_dir, "iree-benchmark-module")
    if not (os.access(compile_, os.X_OK) and os.access(bench, os.X_OK)):
        raise RuntimeError(f"iree-compile / iree-benchmark-module not found in "
                           f"{bin_dir} (run bench/setup_peers.sh)")
    linalg = os.path.join(tmp, f"{variant}.linalg.mlir")
    vmfb = os.path.join(tmp, f"{variant}.vmfb")
    subprocess.run([dyt_opt, path, "--convert-dyt-to-linalg", "-o", linalg],
                   check=True)
    subprocess.run([compile_, "--iree-hal-target-device=local",
                    "--iree-hal-local-target-device-backends=llvm-cpu",
                    "--iree-llvmcpu-target-cpu=host", linalg, "-o", vmfb],
                   check=True)
    rng = np.random.default_rng(0)

    def tensor(name, shape):
        file = os.path.join(tmp, f"{name}.bin")
        rng.standard_normal(shape).astype(np.float32).tofile(file)
        return f"--input={'x'.join(map(str, shape))}xf32=@{file}"

    inputs = [tensor("a", (m, k)), tensor("b", (k, n))]
    if variant == "matmul_dyt":
        inputs += ["--input=0.5", tensor("g", (n,)), tensor("be", (n,))]
    return iree_median(bench, vmfb, inputs, iterations)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    p = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--build", default=os.path.join(root, "build"))
    p.add_argument("--iree-bin", default=os.path.join(here, ".venv", "bin"))
    p.add_argument("--out", default=os.path.join(here, "results"))
    p.add_argument("--rounds", type=int, default=3,
                   help="interleaved rounds of every contender (median)")
    p.add_argument("--shapes", default=None,
                   help="only these MxKxN, comma-separated")
    opts = p.parse_args()
    dyt_run = os.path.join(opts.build, "bin", "dyt-run")
    dyt_opt = os.path.join(opts.build, "bin", "dyt-opt")

    results, errors = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        shapes = SHAPES
        if opts.shapes:
            shapes = [tuple(map(int, x.split("x"))) for x in opts.shapes.split(",")]
        for m, k, n in shapes:
            row = {"shape": f"{m}x{k}x{n}", "gflop": 2 * m * k * n / 1e9}
            # Fewer runs of the largest shape keep the whole run in minutes.
            its = max(2, opts.iterations // 2) if m * k * n > 2 ** 32 else opts.iterations
            paths = {}
            for variant in ("matmul", "matmul_dyt", "matmul_layer_norm"):
                paths[variant] = os.path.join(tmp, f"{variant}.mlir")
                with open(paths[variant], "w") as f:
                    f.write(mlir_for(variant, m, k, n))
            prenorm = os.path.join(tmp, "dyt_matmul.mlir")
            with open(prenorm, "w") as f:
                f.write(mlir_for("dyt_matmul", m, k, n))
            folded = os.path.join(tmp, "dyt_matmul_folded.mlir")
            subprocess.run([dyt_opt, prenorm, "--dyt-outline-weight-folding",
                            "-o", folded], check=True)
            # The ratios to the matmul alone, also pair by pair in one
            # process: one module with every variant, renamed.
            pairs = os.path.join(tmp, "pairs.mlir")
            with open(pairs, "w") as f:
                for variant in ("matmul", "matmul_dyt", "matmul_layer_norm",
                                "dyt_matmul"):
                    f.write(mlir_for(variant, m, k, n).replace(
                        "func.func @f(", f"func.func @{variant}(", 1))
            contenders = {
                "openblas_s": lambda: numpy_matmul(m, k, n, its),
                "matmul_s": lambda: ours(dyt_run, paths["matmul"], its),
                "matmul_dyt_fused_s": lambda: ours(dyt_run, paths["matmul_dyt"],
                                                   its),
                "matmul_dyt_unfused_s": lambda: ours(
                    dyt_run, paths["matmul_dyt"], its,
                    "dyt-cpu-pipeline{fuse-matmul=false}"),
                "matmul_layer_norm_s": lambda: ours(
                    dyt_run, paths["matmul_layer_norm"], its),
                "dyt_matmul_prologue_s": lambda: ours(dyt_run, prenorm, its),
                "dyt_matmul_folded_s": lambda: ours(dyt_run, folded, its,
                                                    entry="f_folded"),
                "fold_weights_s": lambda: ours(dyt_run, folded, its,
                                               entry="f_fold_weights"),
                "pair_fused_ratio": lambda: pairwise(dyt_run, pairs, its,
                                                     "matmul_dyt"),
                "pair_layer_norm_ratio": lambda: pairwise(
                    dyt_run, pairs, its, "matmul_layer_norm"),
                "pair_prologue_ratio": lambda: pairwise(dyt_run, pairs, its,
                                                        "dyt_matmul"),
            }
            # Each contender's median of `its` runs, taken once per round with
            # the rounds interleaved: a burst of load from a neighbour on a
            # shared machine then lands in one round of every contender, not
            # in all the runs of one; the figure is the median over rounds.
            per_round = {key: [] for key in contenders}
            for _ in range(opts.rounds):
                for key, measure in contenders.items():
                    per_round[key].append(measure())
            for key, times in per_round.items():
                row[key] = sorted(times)[len(times) // 2]
            row["rounds"] = per_round
            for variant in ("matmul", "matmul_dyt"):
                try:
                    row[f"iree_{variant}_s"] = iree(
                        opts.iree_bin, dyt_opt, tmp, variant, paths[variant],
                        m, k, n, its)
                except (RuntimeError, subprocess.CalledProcessError) as error:
                    errors["IREE llvm-cpu"] = str(error).splitlines()[0]
            results.append(row)
            print(json.dumps(row), file=sys.stderr)

    print(f"numpy BLAS: {blas_library()}")
    print("| M x K x N | ours / OpenBLAS (throughput) | matmul+DyT fused / matmul "
          "(pairs) | matmul+DyT fused / matmul | unfused / matmul "
          "| matmul+LayerNorm / matmul (pairs) | IREE matmul / ours "
          "| IREE matmul+DyT / ours fused | DyT->matmul prologue / matmul "
          "(pairs) | DyT->matmul folded hot path / matmul "
          "| one-time folding / matmul |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        def ratio(a, b):
            return f"{r[a] / r[b]:.2f}" if a in r and b in r else "n/a"
        print(f"| {r['shape']} | {ratio('openblas_s', 'matmul_s')} "
              f"| {r['pair_fused_ratio']:.2f} "
              f"| {ratio('matmul_dyt_fused_s', 'matmul_s')} "
              f"| {ratio('matmul_dyt_unfused_s', 'matmul_s')} "
              f"| {r['pair_layer_norm_ratio']:.2f} "
              f"| {ratio('iree_matmul_s', 'matmul_s')} "
              f"| {ratio('iree_matmul_dyt_s', 'matmul_dyt_fused_s')} "
              f"| {r['pair_prologue_ratio']:.2f} "
              f"| {ratio('dyt_matmul_folded_s', 'matmul_s')} "
              f"| {ratio('fold_weights_s', 'matmul_s')} |")
    for peer, error in errors.items():
        print(f"{peer}: not measured: {error}")
    os.makedirs(opts.out, exist_ok=True)
    with open(os.path.join(opts.out, "cpu_matmul.json"), "w") as f:
        json.dump({"date": time.strftime("%Y-%m-%d"), "blas": blas_library(),
                   "results": results, "unavailable": errors}, f, indent=1)


if __name__ == "__main__":
    main()
