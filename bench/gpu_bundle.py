#!/usr/bin/env python3
"""A self-contained bundle of the GPU benchmarks and runtime tests, built here
and run on a GPU machine that has no LLVM 22 (the `device` tool's machines:
dyt-run needs libMLIR and libLLVM, over 250 MB, and a run carries 64 MiB).

  python3 bench/gpu_bundle.py [--build build] [--out build/gpu-bundle]
                              [--rows 8192 --cols 4096] [--matmul 4096x4096x4096]

Each case (DyT, LayerNorm, RMSNorm in f32 and bf16, DyT again with
fast-tanh and with constant gamma/beta (in the kernel module); matmul,
matmul + DyT and DyT + matmul in f32 and bf16, x @ W^T (linear) and
linear + DyT in bf16, matmul + DyT in bf16 with constant gamma/beta; then
odd shapes of each, see edge_cases) goes
through dyt-opt's dyt-nvvm-pipeline (PTX for sm_90), mlir-translate and llc
into an object, and all of them are linked with bench/gpu_bundle_driver.cpp into OUT/dyt-gpu-bench, whose only
library beside libc and libstdc++ is OUT/libdyt_cuda_runtime.so. OUT also gets
DytCudaRuntimeTests and run.sh, which on the GPU machine runs the runtime
tests that need a GPU (CudaGpuTest.*; the others use the fake driver at its
path in this build) and then every case, writing
JSON lines: each case checked against a host reference, then timed with CUDA
events against a device-to-device copy of the same result bytes.

  run.sh [ITERATIONS] [DIR-FOR-LOGS]

The binaries are built with this machine's toolchain: the GPU machine needs
glibc >= 2.34 and the libstdc++ of GCC >= 11 (what they reference), and a
CUDA driver for PTX 8.0 (CUDA 12 or later).
"""
import argparse
import os
import platform
import shutil
import stat
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from cpu_norms import mlir_for  # noqa: E402
from gpu_norms import dyt_matmul_mlir, matmul_mlir  # noqa: E402

LLVM = "/usr/lib/llvm-22/bin"
KINDS = {"dyt": "Kind::Dyt", "layer_norm": "Kind::LayerNorm",
         "rms_norm": "Kind::RmsNorm", "matmul": "Kind::Matmul",
         "matmul_dyt": "Kind::MatmulDyt", "dyt_matmul": "Kind::DytMatmul",
         "linear": "Kind::Linear", "linear_dyt": "Kind::LinearDyt"}
# The function types gpu_bundle_driver.cpp defines for each kind.
SIGNATURES = {"dyt": "DytSig", "layer_norm": "NormSig", "rms_norm": "RmsSig",
              "matmul": "MatmulSig", "matmul_dyt": "MatmulSig",
              "dyt_matmul": "MatmulSig", "linear": "MatmulSig",
              "linear_dyt": "MatmulSig"}


def constant_parameter(i, beta):
    """gamma or beta of channel i in the constant-parameter cases; the same
    formula as constantParameter in gpu_bundle_driver.cpp, exact in bf16."""
    return 0.0625 * ((i % 17) - 8) if beta else 0.5 + 0.125 * (i % 9)


def with_constant_parameters(source, channels, dtype):
    """`source` (a function taking %g and %b) with gamma and beta as dense
    constants instead: dyt-gpu-device-memory puts them in the kernel module,
    and the case checks that the kernels read them from there."""
    head, rest = source.split("{\n", 1)
    constants = ""
    for name, beta in (("gc", False), ("bc", True)):
        values = ", ".join(repr(constant_parameter(i, beta))
                           for i in range(channels))
        constants += (f"  %{name} = arith.constant dense<[{values}]> : "
                      f"tensor<{channels}x{dtype}>\n")
    rest = rest.replace("gamma(%g :", "gamma(%gc :").replace(
        "beta(%b :", "beta(%bc :")
    return f"{head}{{\n{constants}{rest}"


def cases(rows, cols, matmul):
    """(name, kind, dtype, fast_tanh, constant_parameters, (m, k, n), MLIR
    of @f)."""
    for dtype in ("f32", "bf16"):
        for op in ("dyt", "layer_norm", "rms_norm"):
            yield (f"{op}_{dtype}", op, dtype, False, False, (rows, 0, cols),
                   mlir_for(op, rows, cols, dtype))
    yield ("dyt_f32_fast_tanh", "dyt", "f32", True, False, (rows, 0, cols),
           mlir_for("dyt", rows, cols, "f32"))
    for dtype in ("f32", "bf16"):
        yield (f"dyt_{dtype}_constant_parameters", "dyt", dtype, False, True,
               (rows, 0, cols),
               with_constant_parameters(mlir_for("dyt", rows, cols, dtype),
                                        cols, dtype))
    m, k, n = matmul
    # f32 on the FMA kernel, bf16 on tensor cores.
    for dtype in ("f32", "bf16"):
        suffix = "" if dtype == "f32" else "_bf16"
        yield (f"matmul{suffix}", "matmul", dtype, False, False, (m, k, n),
               matmul_mlir(m, k, n, False, dtype))
        yield (f"matmul_dyt{suffix}", "matmul_dyt", dtype, False, False,
               (m, k, n), matmul_mlir(m, k, n, True, dtype))
        yield (f"dyt_matmul{suffix}", "dyt_matmul", dtype, False, False,
               (m, k, n), dyt_matmul_mlir(m, k, n, dtype))
    # x @ W^T (PyTorch's Linear; W staged [n][k] on the tensor cores).
    for kind in ("linear", "linear_dyt"):
        yield (f"{kind}_bf16", kind, "bf16", False, False, (m, k, n),
               matmul_mlir(m, k, n, kind == "linear_dyt", "bf16",
                           transpose_b=True))
    # The epilogue's gamma and beta from the kernel module.
    yield ("matmul_dyt_bf16_constant_parameters", "matmul_dyt", "bf16", False,
           True, (m, k, n),
           with_constant_parameters(matmul_mlir(m, k, n, True, "bf16"), n,
                                    "bf16"))
    yield from edge_cases()


def edge_cases():
    """Odd shapes, checked on every element (timed too, but small): rows
    that are not a multiple of the vector width (the scalar kernels), one
    channel, matmuls that cut every tile (element-by-element staging, or
    16-byte staging where rows are multiples of 8) and a K that is not a
    multiple of the tensor-core kernel's 32-deep slice; what test/Integration/
    dyt-run-gpu.mlir checks where LLVM is installed, for a GPU machine that
    only has this bundle."""
    for op, rows, cols, dtype in (("dyt", 3, 1001, "f32"),
                                  ("dyt", 3, 1001, "bf16"),
                                  ("dyt", 5, 7, "f32"),
                                  ("layer_norm", 3, 1001, "f32"),
                                  ("layer_norm", 4, 1001, "bf16"),
                                  ("layer_norm", 3, 1, "f32"),
                                  ("rms_norm", 37, 1, "f32"),
                                  ("rms_norm", 3, 1001, "bf16")):
        yield (f"{op}_{dtype}_{rows}x{cols}", op, dtype, False, False,
               (rows, 0, cols), mlir_for(op, rows, cols, dtype))
    for kind, (m, k, n), dtype in (("matmul", (97, 130, 75), "f32"),
                                   ("matmul", (97, 130, 75), "bf16"),
                                   ("matmul", (1, 7, 1), "bf16"),
                                   # 16-byte staging with partial tiles.
                                   ("matmul", (40, 72, 56), "bf16"),
                                   ("matmul", (40, 72, 56), "f32"),
                                   ("matmul_dyt", (37, 64, 50), "bf16"),
                                   ("dyt_matmul", (64, 300, 257), "f32"),
                                   ("dyt_matmul", (37, 100, 50), "bf16"),
                                   ("linear", (40, 72, 56), "bf16"),
                                   ("linear", (33, 70, 19), "bf16"),
                                   ("linear", (40, 72, 56), "f32"),
                                   ("linear_dyt", (37, 64, 50), "bf16")):
        source = (dyt_matmul_mlir(m, k, n, dtype) if kind == "dyt_matmul"
                  else matmul_mlir(m, k, n, kind.endswith("_dyt"), dtype,
                                   transpose_b=kind.startswith("linear")))
        yield (f"{kind}_{dtype}_{m}x{k}x{n}", kind, dtype, False, False,
               (m, k, n), source)


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"gpu_bundle.py: {' '.join(cmd)} failed:\n{out.stdout}"
                 f"{out.stderr}")


def main():
    root = os.path.dirname(here)
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", default=os.path.join(root, "build"))
    p.add_argument("--out", default=None, help="default: BUILD/gpu-bundle")
    p.add_argument("--rows", type=int, default=8192)
    p.add_argument("--cols", type=int, default=4096)
    p.add_argument("--matmul", default="4096x4096x4096", help="MxKxN")
    p.add_argument("--cpu", action="store_true",
                   help="the same cases through dyt-cpu-pipeline (a test of "
                        "the driver and its references, with the runtime's "
                        "fake CUDA driver as DYT_CUDA_LIBRARY)")
    opts = p.parse_args()
    out = opts.out or os.path.join(opts.build, "gpu-bundle")
    objects = os.path.join(out, "obj")
    os.makedirs(objects, exist_ok=True)
    dyt_opt = os.path.join(opts.build, "bin", "dyt-opt")
    matmul = tuple(int(v) for v in opts.matmul.split("x"))

    table, declarations, paths = [], [], []
    for name, kind, dtype, fast_tanh, constants, (m, k, n), source in cases(
            opts.rows, opts.cols, matmul):
        # The C interface (_mlir_ciface_NAME) takes and returns descriptors
        # by pointer: callable from C++ whatever the ABI of the struct.
        source = source.replace("func.func @f(", f"func.func @{name}(", 1)
        head, rest = source.split("{\n", 1)
        source = f"{head}attributes {{llvm.emit_c_interface}} {{\n{rest}"
        base = os.path.join(objects, name)
        with open(base + ".mlir", "w") as f:
            f.write(source)
        if opts.cpu:
            pipeline = "dyt-cpu-pipeline"
        else:
            pipeline = "dyt-nvvm-pipeline" + ("{fast-tanh=true}" if fast_tanh
                                              else "")
        run([dyt_opt, base + ".mlir", f"--pass-pipeline=builtin.module({pipeline})",
             "-o", base + ".llvm.mlir"])
        run([os.path.join(LLVM, "mlir-translate"), "--mlir-to-llvmir",
             base + ".llvm.mlir", "-o", base + ".ll"])
        run([os.path.join(LLVM, "llc"), "-O3", "-filetype=obj",
             "-relocation-model=pic",
             # What dyt-run's JIT does (getHostFeaturesToDisable): LLVM's x86
             # backend crashes on some bf16 vectors with these features.
             *(["-mcpu=native"] if opts.cpu else []),
             *(["-mattr=-avx512bf16,-avxneconvert"]
               if opts.cpu and platform.machine() in ("x86_64", "AMD64")
               else []),
             base + ".ll", "-o", base + ".o"])
        paths.append(base + ".o")
        declarations.append(f'extern "C" {SIGNATURES[kind]} _mlir_ciface_{name};')
        table.append(f'    {{"{name}", {KINDS[kind]}, {str(dtype == "bf16").lower()}, '
                     f'{str(fast_tanh).lower()}, {str(constants).lower()}, '
                     f'{m}, {k}, {n}, '
                     f'reinterpret_cast<void *>(&_mlir_ciface_{name})}},')
    with open(os.path.join(objects, "cases.inc"), "w") as f:
        f.write("// Generated by bench/gpu_bundle.py.\n"
                "} // namespace\n" + "\n".join(declarations) +
                "\nnamespace {\nconst Case kCases[] = {\n" + "\n".join(table) +
                "\n};\n")

    # The CPU pipeline's strided copies call MLIR's C runner utilities.
    llvm_lib = os.path.join(os.path.dirname(LLVM), "lib")
    cpu_libraries = ([os.path.join(llvm_lib, "libmlir_c_runner_utils.so"),
                      f"-Wl,-rpath,{llvm_lib}"] if opts.cpu else [])
    runtime = os.path.join(opts.build, "lib", "libdyt_cuda_runtime.so")
    shutil.copy2(runtime, out)
    run(["g++", "-O2", "-std=c++17", *(["-DDYT_BUNDLE_CPU"] if opts.cpu else []),
         "-I", os.path.join(root, "include"),
         "-I", objects, os.path.join(here, "gpu_bundle_driver.cpp"),
         os.path.join(root, "lib", "Runtime", "FloatConversions.cpp"), *paths,
         "-L", out, "-ldyt_cuda_runtime", "-Wl,-rpath,$ORIGIN",
         *cpu_libraries, "-o", os.path.join(out, "dyt-gpu-bench")])
    tests = os.path.join(opts.build, "unittests", "DytCudaRuntimeTests")
    shutil.copy2(tests, out)
    script = os.path.join(out, "run.sh")
    with open(script, "w") as f:
        f.write("#!/bin/sh\n"
                "# Generated by bench/gpu_bundle.py: the runtime tests, then "
                "every case (JSON lines).\n"
                "# run.sh [ITERATIONS] [DIR-FOR-LOGS]\n"
                'here="$(cd "$(dirname "$0")" && pwd)"\n'
                'logs="${2:-.}"\n'
                'mkdir -p "$logs"\n'
                'nvidia-smi -L 2>&1 | tee "$logs/nvidia-smi.txt"\n'
                # The other cases run on the fake driver, at its build path.
                'LD_LIBRARY_PATH="$here" "$here/DytCudaRuntimeTests" '
                "--gtest_filter='CudaGpuTest.*' 2>&1 | "
                'tee "$logs/runtime-tests.txt"\n'
                '"$here/dyt-gpu-bench" "${1:-50}" | tee "$logs/gpu-bench.jsonl"\n')
    os.chmod(script, os.stat(script).st_mode | stat.S_IXUSR | stat.S_IXGRP |
             stat.S_IXOTH)
    shutil.rmtree(objects)
    size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    print(f"{out}: {len(table)} cases, {size / 2**20:.1f} MiB "
          f"(run there: {out}/run.sh [ITERATIONS] [LOGDIR])")


if __name__ == "__main__":
    main()
