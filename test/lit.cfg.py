# -*- Python -*-
# lit configuration of the dyt-mlir regression suite.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "DYT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.dyt_obj_root, "test")
config.excludes = ["Inputs", "CMakeLists.txt", "README.md", "lit.cfg.py",
                   "lit.site.cfg.py"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%shlibext", config.llvm_shlib_ext))
config.substitutions.append(
    ("%dyt_plugin",
     os.path.join(config.dyt_lib_dir, "DytPlugin" + config.llvm_shlib_ext)))
# The runtime libraries mlir-runner loads for printing from JIT-ed code.
config.substitutions.append(
    ("%mlir_runner_utils",
     os.path.join(config.llvm_lib_dir,
                  "libmlir_runner_utils" + config.llvm_shlib_ext)))
config.substitutions.append(
    ("%mlir_c_runner_utils",
     os.path.join(config.llvm_lib_dir,
                  "libmlir_c_runner_utils" + config.llvm_shlib_ext)))

# Integration tests check dyt-run against NumPy references: Debian's python3
# with python3-numpy (scripts/setup.sh installs both).
import shutil
import subprocess

python = shutil.which("python3", path="/usr/bin") or "python3"
if subprocess.call([python, "-c", "import numpy"], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL) == 0:
    config.available_features.add("numpy")
config.substitutions.append(("%python", python))
config.substitutions.append(
    ("%dyt_run_check",
     python + " " + os.path.join(config.test_source_root, "Integration",
                                 "Inputs", "dyt_run_check.py")
     + " --dyt-run " + os.path.join(config.dyt_tools_dir, "dyt-run")))
# Transformer blocks of examples/ against a NumPy model of the block.
config.substitutions.append(
    ("%block_reference",
     python + " " + os.path.join(config.test_source_root, "Examples",
                                 "Inputs", "block_reference.py")
     + " --dyt-run " + os.path.join(config.dyt_tools_dir, "dyt-run")
     + " --dyt-opt " + os.path.join(config.dyt_tools_dir, "dyt-opt")))

# Fuzz regressions (test/Fuzz): replay a crasher through dyt-opt.
config.substitutions.append(
    ("%fuzz_replay",
     python + " " + os.path.join(config.test_source_root, "Fuzz", "Inputs",
                                 "replay.py")
     + " --dyt-opt " + os.path.join(config.dyt_tools_dir, "dyt-opt")))

# NVVM tests: ptxas assembles the PTX of dyt-nvvm-pipeline (feature
# "ptxas"); GPU execution tests need a CUDA driver and a device (feature
# "cuda-gpu"). Both are reported when missing, not silently skipped.
ptxas = shutil.which("ptxas") or shutil.which("ptxas", path="/usr/local/cuda/bin")
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
else:
    lit_config.note("no CUDA toolkit (ptxas): the PTX assembly tests are "
                    "skipped")
config.substitutions.append(
    ("%extract_ptx",
     python + " " + os.path.join(config.test_source_root, "Pipelines",
                                 "Inputs", "extract_ptx.py")))


def _has_cuda_gpu():
    import ctypes
    try:
        cuda = ctypes.CDLL(os.environ.get("DYT_CUDA_LIBRARY", "libcuda.so.1"))
    except OSError:
        return False
    count = ctypes.c_int(0)
    return (cuda.cuInit(0) == 0 and
            cuda.cuDeviceGetCount(ctypes.byref(count)) == 0 and count.value > 0)


if _has_cuda_gpu():
    config.available_features.add("cuda-gpu")
else:
    lit_config.note("no CUDA driver or GPU: the GPU execution tests "
                    "(REQUIRES: cuda-gpu) are skipped")
config.substitutions.append(
    ("%cuda_runtime",
     os.path.join(config.dyt_lib_dir, "libdyt_cuda_runtime" + config.llvm_shlib_ext)))
# The libcuda stand-in of the runtime's unit tests (host memory, kernels as
# no-ops, 0.25 ms per event), for the host side of GPU runs without a GPU
# (DYT_CUDA_LIBRARY=%fake_cuda_driver). Built with the unit tests.
fake_cuda_driver = os.path.join(config.dyt_obj_root, "unittests", "Runtime",
                                "libDytFakeCudaDriver" + config.llvm_shlib_ext)
if os.path.exists(fake_cuda_driver):
    config.available_features.add("fake-cuda-driver")
    config.substitutions.append(("%fake_cuda_driver", fake_cuda_driver))
# bench/gpu_bundle.py on this build: the GPU benchmarks compiled ahead of
# time for machines without LLVM.
config.substitutions.append(
    ("%gpu_bundle",
     python + " " + os.path.join(os.path.dirname(config.test_source_root),
                                 "bench", "gpu_bundle.py")
     + " --build " + config.dyt_obj_root))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])

# ASan + UBSan build (-DDYT_SANITIZE=ON): the runtime options it needs.
import sys
sys.path.insert(0, os.path.dirname(__file__))
import lit_sanitizers
lit_sanitizers.configure(config)
llvm_config.use_default_substitutions()
# `not` and `count` at the start of a RUN line are found through PATH.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.dyt_tools_dir, append_path=True)

# Our tools first, then LLVM's (mlir-opt and mlir-runner are Debian's own:
# tests that use them check that our output is plain upstream MLIR).
tool_dirs = [config.dyt_tools_dir, config.llvm_tools_dir]
tools = [
    "dyt-opt",
    "dyt-run",
    "dyt-compare",
    # Under the sanitizer build, stock mlir-opt preloads the ASan runtime so
    # that it can load our instrumented plugin.
    ToolSubst("mlir-opt", unresolved="fatal",
              command=(lit_sanitizers.preload(config)
                       + os.path.join(config.llvm_tools_dir, "mlir-opt"))
              if config.dyt_sanitize else None),
    ToolSubst("mlir-runner", unresolved="fatal"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)
