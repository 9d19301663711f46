// bench/gpu_bundle.py: the GPU benchmarks compiled ahead of time, for GPU
// machines without LLVM 22 (dyt-run needs libMLIR and libLLVM there).
// REQUIRES: fake-cuda-driver, ptxas
// The driver is built with the host compiler, uninstrumented: it cannot load
// an ASan build's runtime library.
// UNSUPPORTED: asan
// RUN: rm -rf %t && mkdir -p %t
//
// The cases through dyt-nvvm-pipeline: the bundle builds, needs nothing of
// LLVM, and runs on the fake driver, where the kernels launch as no-ops, so
// every check fails (the host references see that nothing was computed) and
// the run exits 1; timing and the copy peer still run.
// RUN: %gpu_bundle --out %t/gpu --rows 64 --cols 96 --matmul 37x64x50 | FileCheck %s --check-prefix=BUILD
// RUN: ldd %t/gpu/dyt-gpu-bench | FileCheck %s --check-prefix=LIBS --implicit-check-not=MLIR --implicit-check-not=LLVM
// RUN: env DYT_CUDA_LIBRARY=%fake_cuda_driver not %t/gpu/dyt-gpu-bench 2 | FileCheck %s --check-prefix=GPU
//
// The same cases through dyt-cpu-pipeline, on the fake driver's host memory:
// every result matches the driver's references (the driver and its
// references tested on real results).
// RUN: %gpu_bundle --cpu --out %t/cpu --rows 64 --cols 96 --matmul 37x64x50
// RUN: env DYT_CUDA_LIBRARY=%fake_cuda_driver %t/cpu/dyt-gpu-bench 2 | FileCheck %s --check-prefix=CPU
// The run script: the runtime tests that need a GPU and the cases, logs
// where asked.
// RUN: env DYT_CUDA_LIBRARY=%fake_cuda_driver %t/cpu/run.sh 2 %t/logs > %t/run.out
// RUN: FileCheck %s --check-prefix=LOGS < %t/logs/runtime-tests.txt
// RUN: FileCheck %s --check-prefix=CPU < %t/logs/gpu-bench.jsonl

// BUILD: 38 cases

// LIBS: libdyt_cuda_runtime.so

// GPU: {"device_name": "dyt fake CUDA device", "compute_capability": 90}
// GPU: {"case": "dyt_f32", "kind": "dyt", "dtype": "f32", "fast_tanh": false, "m": 64, "k": 0, "n": 96, "iterations": 2, "median_s": 0.00025, {{.*}}"copy_median_s": 0.00025, "copy_ratio": 1, "check": "FAIL", {{.*}}"error": "element (0, 0): 0.000000 vs {{.*}} (host reference)"}
// GPU: {"case": "matmul_dyt", {{.*}}"check": "FAIL"

// CPU: "device_name": "dyt fake CUDA device"
// CPU: {"case": "dyt_f32", {{.*}}"check": "pass"
// CPU: {"case": "layer_norm_f32", {{.*}}"check": "pass"
// CPU: {"case": "rms_norm_f32", {{.*}}"check": "pass"
// CPU: {"case": "dyt_bf16", {{.*}}"check": "pass"
// CPU: {"case": "layer_norm_bf16", {{.*}}"check": "pass"
// CPU: {"case": "rms_norm_bf16", {{.*}}"check": "pass"
// CPU: {"case": "dyt_f32_fast_tanh", {{.*}}"check": "pass"
// CPU: {"case": "dyt_f32_constant_parameters", {{.*}}"check": "pass"
// CPU: {"case": "dyt_bf16_constant_parameters", {{.*}}"check": "pass"
// CPU: {"case": "matmul", "kind": "matmul", "dtype": "f32", "fast_tanh": false, "m": 37, "k": 64, "n": 50, {{.*}}"check": "pass"
// CPU: {"case": "matmul_dyt", {{.*}}"check": "pass"
// CPU: {"case": "dyt_matmul", "kind": "dyt_matmul", "dtype": "f32", {{.*}}"check": "pass"
// CPU: {"case": "matmul_bf16", "kind": "matmul", "dtype": "bf16", {{.*}}"check": "pass"
// CPU: {"case": "matmul_dyt_bf16", {{.*}}"check": "pass"
// CPU: {"case": "dyt_matmul_bf16", {{.*}}"check": "pass"
// CPU: {"case": "linear_bf16", "kind": "linear", "dtype": "bf16", "fast_tanh": false, "m": 37, "k": 64, "n": 50, {{.*}}"check": "pass"
// CPU: {"case": "linear_dyt_bf16", "kind": "linear_dyt", {{.*}}"check": "pass"
// CPU: {"case": "matmul_dyt_bf16_constant_parameters", {{.*}}"check": "pass"
// CPU: {"case": "dyt_f32_3x1001", "kind": "dyt", "dtype": "f32", "fast_tanh": false, "m": 3, "k": 0, "n": 1001, {{.*}}"check": "pass"
// CPU: {"case": "rms_norm_f32_37x1", {{.*}}"check": "pass"
// CPU: {"case": "matmul_bf16_97x130x75", "kind": "matmul", "dtype": "bf16", "fast_tanh": false, "m": 97, "k": 130, "n": 75, {{.*}}"check": "pass"
// CPU: {"case": "dyt_matmul_bf16_37x100x50", {{.*}}"check": "pass"
// CPU: {"case": "linear_bf16_40x72x56", {{.*}}"check": "pass"
// CPU: {"case": "linear_bf16_33x70x19", {{.*}}"check": "pass"
// CPU: {"case": "linear_f32_40x72x56", {{.*}}"check": "pass"
// CPU: {"case": "linear_dyt_bf16_37x64x50", {{.*}}"check": "pass"
// CPU-NOT: FAIL

// On the fake driver the GPU cases of the runtime tests run (and some fail:
// it cannot load a kernel); on a GPU they are the point.
// LOGS: Google Test filter = CudaGpuTest.*
