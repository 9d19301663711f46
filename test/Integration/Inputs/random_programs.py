#!/usr/bin/env python3
"""Differential testing: random valid programs through dyt-run --check.

    random_programs.py --dyt-run build/bin/dyt-run [--seed 1] [--count 24]
    random_programs.py --dyt-run build/bin/dyt-run --soak [--minutes 30]

Each program is one @forward: a chain of 1-4 steps over dyt.dyt (any axis),
dyt.layer_norm, dyt.rms_norm, linalg.matmul (rank 2, f32) and elementwise
arith/math ops on tensors, on an input of random rank 1-4 with sizes that
include 0, 1, odd and large ones, some dims dynamic ('?'), in f32, f16 or
bf16. Inputs are .npy files (random data of the concrete sizes); dyt-run
compiles the program with dyt-cpu-pipeline and dyt-cpu-reference-pipeline
and compares the two (--check). A failing program is kept (printed, and
written to --keep DIR) with the command that reproduces it. Exits 1 if any
program failed. stdlib + numpy only.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

NP = {"f32": np.float32, "f16": np.float16, "bf16": np.float32}
SIZES_SMALL = [1, 2, 3, 5, 7, 8, 16, 17, 31, 64]
SIZES_LARGE = [127, 256, 1000, 1031, 4096]


def ttype(shape, dyn, et):
    dims = ["?" if d else str(s) for s, d in zip(shape, dyn)]
    return "tensor<" + "x".join(dims + [et]) + ">"


class Program:
    def __init__(self, rng):
        self.rng = rng
        self.args = []      # (name, type string, np array)
        self.lines = []
        self.counter = 0
        self.has_matmul = False
        # A norm over a short row of computed values can see a row of nearly
        # equal values: 1/std amplifies the last-bit differences of the fast
        # tanh (or reassociated sums) before it (seed 1139 of the soak run:
        # LayerNorm of 2 elements after tanh and LayerNorm). Not a
        # miscompile; such programs get a looser tolerance.
        self.ill_conditioned = False
        self.steps = []

    def fresh(self):
        self.counter += 1
        return "%v" + str(self.counter)

    def arg(self, type_str, array):
        name = "%a" + str(len(self.args))
        self.args.append((name, type_str, array))
        return name

    def data(self, shape, et, low=-2.0, high=2.0):
        return self.rng_np.uniform(low, high, size=shape).astype(NP[et])


def random_shape(rng):
    rank = rng.randint(1, 4)
    # Keep the total small enough for a quick run; one dim may be large.
    shape = [rng.choice(SIZES_SMALL) for _ in range(rank)]
    if rng.random() < 0.3:
        shape[rng.randrange(rank)] = rng.choice(SIZES_LARGE)
    if rng.random() < 0.08:
        shape[rng.randrange(rank)] = 0
    while int(np.prod(shape)) > 300_000:
        i = max(range(rank), key=lambda k: shape[k])
        shape[i] = max(1, shape[i] // 4)
    dyn = [rng.random() < 0.3 for _ in range(rank)]
    return shape, dyn


def generate(seed):
    rng = random.Random(seed)
    p = Program(rng)
    p.rng_np = np.random.default_rng(seed)
    et = rng.choice(["f32", "f32", "f16", "bf16"])
    shape, dyn = random_shape(rng)
    cur = p.arg(ttype(shape, dyn, et), p.data(shape, et))
    for _ in range(rng.randint(1, 4)):
        kinds = ["dyt", "dyt", "layer_norm", "rms_norm", "unary", "binary"]
        if len(shape) == 2 and et == "f32":
            kinds += ["matmul", "matmul"]
        kind = rng.choice(kinds)
        cur_t = ttype(shape, dyn, et)
        out = p.fresh()
        p.steps.append(kind)
        if kind == "dyt":
            axis = rng.randrange(len(shape))
            c = shape[axis]
            # gamma/beta: the channel's size, dynamic when the input's is.
            gdyn = dyn[axis] and rng.random() < 0.7
            gt = ttype([c], [gdyn], et)
            alpha_t = rng.choice(["f32", "tensor<1xf32>"])
            alpha = p.arg(alpha_t, np.array(rng.uniform(0.1, 2.0),
                          np.float32).reshape(() if alpha_t == "f32" else (1,)))
            g = p.arg(gt, p.data([c], et, 0.5, 1.5))
            b = p.arg(gt, p.data([c], et, -0.5, 0.5))
            axis_attr = ""
            if axis != len(shape) - 1 or rng.random() < 0.2:
                axis_attr = " axis = %d" % (axis if rng.random() < 0.5
                                           else axis - len(shape))
            p.lines.append(
                f"{out} = dyt.dyt {cur} alpha({alpha} : {alpha_t}) "
                f"gamma({g} : {gt}) beta({b} : {gt}){axis_attr} : "
                f"{cur_t} -> {cur_t}")
        elif kind in ("layer_norm", "rms_norm"):
            c = shape[-1]
            if len(p.steps) > 1 and c < 16:
                p.ill_conditioned = True
            gt = ttype([c], [dyn[-1] and rng.random() < 0.7], et)
            g = p.arg(gt, p.data([c], et, 0.5, 1.5))
            eps = rng.choice(["", " epsilon = 1.0e-05", " epsilon = 1.0e-03"])
            if kind == "layer_norm":
                b = p.arg(gt, p.data([c], et, -0.5, 0.5))
                p.lines.append(
                    f"{out} = dyt.layer_norm {cur} gamma({g} : {gt}) "
                    f"beta({b} : {gt}){eps} : {cur_t} -> {cur_t}")
            else:
                p.lines.append(
                    f"{out} = dyt.rms_norm {cur} gamma({g} : {gt}){eps} : "
                    f"{cur_t} -> {cur_t}")
        elif kind == "unary":
            op = rng.choice(["math.tanh", "arith.negf", "math.absf"])
            p.lines.append(f"{out} = {op} {cur} : {cur_t}")
        elif kind == "binary":
            op = rng.choice(["arith.addf", "arith.mulf", "arith.subf"])
            other = p.arg(cur_t, p.data(shape, et))
            p.lines.append(f"{out} = {op} {cur}, {other} : {cur_t}")
        else:  # matmul: [M, K] x [K, N]
            p.has_matmul = True
            m, k = shape
            n = rng.choice(SIZES_SMALL + [96, 130])
            ndyn = rng.random() < 0.3
            wt = ttype([k, n], [dyn[1], ndyn], et)
            w = p.arg(wt, p.data([k, n], et, -1.0, 1.0))
            new_shape, new_dyn = [m, n], [dyn[0], ndyn]
            rt = ttype(new_shape, new_dyn, et)
            dims = []
            if dyn[0]:
                c0, d0 = p.fresh(), p.fresh()
                p.lines.append(f"{c0} = arith.constant 0 : index")
                p.lines.append(f"{d0} = tensor.dim {cur}, {c0} : {cur_t}")
                dims.append(d0)
            if ndyn:
                c1, d1 = p.fresh(), p.fresh()
                p.lines.append(f"{c1} = arith.constant 1 : index")
                p.lines.append(f"{d1} = tensor.dim {w}, {c1} : {wt}")
                dims.append(d1)
            zero, empty, fill = p.fresh(), p.fresh(), p.fresh()
            p.lines.append(f"{zero} = arith.constant 0.0 : f32")
            p.lines.append(f"{empty} = tensor.empty({', '.join(dims)}) : {rt}")
            p.lines.append(f"{fill} = linalg.fill ins({zero} : f32) "
                           f"outs({empty} : {rt}) -> {rt}")
            p.lines.append(f"{out} = linalg.matmul ins({cur}, {w} : {cur_t}, "
                           f"{wt}) outs({fill} : {rt}) -> {rt}")
            shape, dyn = new_shape, new_dyn
        cur = out
    res_t = ttype(shape, dyn, et)
    params = ", ".join(f"{n}: {t}" for n, t, _ in p.args)
    body = "\n".join("  " + l for l in p.lines)
    text = (f"// seed {seed}: {et}, steps {' -> '.join(p.steps)}\n"
            f"func.func @forward({params}) -> {res_t} {{\n{body}\n"
            f"  return {cur} : {res_t}\n}}\n")
    return text, [a for _, _, a in p.args], p.has_matmul, p.ill_conditioned


def run_one(dyt_run, seed, workdir, keep, pipeline=None):
    text, arrays, has_matmul, ill_conditioned = generate(seed)
    d = os.path.join(workdir, str(seed))
    os.makedirs(d, exist_ok=True)
    mlir = os.path.join(d, "program.mlir")
    with open(mlir, "w") as f:
        f.write(text)
    cmd = [dyt_run, mlir, "-e", "forward", "--threads", "1", "--check"]
    if pipeline:
        cmd += ["--pipeline", pipeline]
    for i, a in enumerate(arrays):
        path = os.path.join(d, f"arg{i}.npy")
        np.save(path, a)
        cmd += ["--input", path]
    if ill_conditioned:
        cmd += ["--rtol", "5e-2", "--atol", "5e-2"]  # >= every default
    elif has_matmul:
        # A reassociated dot product of K terms differs from the sequential
        # one by ~K ulps of its largest partial sum, not of the result.
        cmd += ["--atol", "1e-3"]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        ok = p.returncode == 0 and "check: result #0" in p.stdout
        log = p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        ok, log = False, "timed out after 300 s"
    if not ok:
        sys.stdout.write(f"FAIL seed {seed}\n{text}{log[-3000:]}\n"
                         f"reproduce: {' '.join(cmd)}\n")
        if keep:
            import shutil
            dest = os.path.join(keep, f"seed-{seed}")
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(d, dest)
            sys.stdout.write(f"kept in {dest}\n")
    else:
        import shutil
        shutil.rmtree(d, ignore_errors=True)
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dyt-run", default=shutil.which("dyt-run"),
                    help="default: dyt-run on PATH (lit puts build/bin there)")
    ap.add_argument("--seed", type=int, default=1,
                    help="first seed; program i uses seed+i")
    ap.add_argument("--count", type=int, default=24)
    ap.add_argument("--soak", action="store_true",
                    help="run programs until --minutes have passed")
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--keep", help="copy failing programs and inputs here")
    ap.add_argument("--pipeline", default=None,
                    help="dyt-run --pipeline for the fast side, e.g. "
                         "'dyt-cpu-pipeline{vector-bits=512}' (what an "
                         "AVX-512 host compiles, run here too)")
    ap.add_argument("--print", action="store_true",
                    help="print the program of --seed and exit")
    args = ap.parse_args()
    if args.print:
        sys.stdout.write(generate(args.seed)[0])
        return 0
    failed = total = 0
    deadline = time.time() + args.minutes * 60
    with tempfile.TemporaryDirectory() as workdir:
        seed = args.seed
        while (time.time() < deadline) if args.soak else (total < args.count):
            total += 1
            if not run_one(args.dyt_run, seed, workdir, args.keep,
                           args.pipeline):
                failed += 1
            seed += 1
    print(f"random programs: {total - failed} of {total} agree "
          f"(seeds {args.seed}..{seed - 1}), {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
