// The host side of dyt-run --device gpu and dyt-compare --target nvvm
// --bench, without a GPU: the CUDA driver is the runtime's unit-test
// stand-in (host memory, kernels launch as no-ops, each event 0.25 ms after
// the one before). So what is checked is what does not depend on kernels:
// arguments copied to device buffers and results back (functions that only
// copy), dynamic result shapes, a scalar result beside tensors, the CUDA
// event timing and its copy peer, a CUDA runtime error failing the run, and
// --check comparing the GPU's results with the CPU reference pipeline's.
// REQUIRES: fake-cuda-driver, ptxas, numpy
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.arange(12, dtype=np.float32).reshape(3, 4)); np.save('%t/s.npy', np.float32(2.5)); np.save('%t/huge.npy', np.int64(2**39))"
// RUN: env DYT_CUDA_LIBRARY=%fake_cuda_driver dyt-run %s -e copies --device gpu --input %t/x.npy --input %t/s.npy --output %t/a.npy --output %t/b.npy --output %t/c.npy --check | FileCheck %s --check-prefix=COPIES
// RUN: %python -c "import numpy as np; x = np.load('%t/x.npy'); a, b, c = (np.load('%t/' + n + '.npy') for n in 'abc'); assert (a == x).all() and (b == x.reshape(-1)).all() and c.shape == () and c == 2.5, (a, b, c); print('round trip', a.shape, b.shape, c)" | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: env DYT_CUDA_LIBRARY=%fake_cuda_driver dyt-run %s -e copies --device gpu --input %t/x.npy --input %t/s.npy --bench 3 --json | FileCheck %s --check-prefix=BENCH
// RUN: env DYT_CUDA_LIBRARY=%fake_cuda_driver dyt-run %s -e scalar --device gpu --input %t/s.npy --bench 2 --json | FileCheck %s --check-prefix=NOCOPY
// RUN: env DYT_CUDA_LIBRARY=%fake_cuda_driver not dyt-run %s -e alloc --device gpu --input %t/huge.npy --output %t/huge-out.npy 2>&1 | FileCheck %s --check-prefix=RUNTIME
// RUN: not test -e %t/huge-out.npy
// RUN: env DYT_CUDA_LIBRARY=%fake_cuda_driver not dyt-run %s -e norm --device gpu --random --check 2>&1 | FileCheck %s --check-prefix=CHECKFAIL
// RUN: env DYT_CUDA_LIBRARY=%fake_cuda_driver dyt-compare %s -e norm --target nvvm --bench 2 --json | FileCheck %s --check-prefix=COMPARE

// COPIES: check: result #0: 12 elements, max abs difference 0
// COPIES: check: result #1: 12 elements, max abs difference 0
// COPIES: check: result #2: 1 elements, max abs difference 0
// ROUNDTRIP: round trip (3, 4) (12,) 2.5

// Each call and each copy between two events: 0.25 ms on the fake clock.
// BENCH: bench: @copies: median 0.250000 ms, min 0.250000 ms over 3 runs, gpu (dyt fake CUDA device)
// BENCH: bench: device-to-device copy of the 96 result bytes: median 0.250000 ms (copy/call 1.000)
// BENCH: {"function": "copies", "median_s": 0.00025, "min_s": 0.00025, "iterations": 3, "device": "gpu", "device_name": "dyt fake CUDA device", "copy_median_s": 0.00025, "copy_ratio": 1}
// No tensor result, nothing to copy.
// NOCOPY: {"function": "scalar", {{.*}}"device": "gpu", "device_name": "dyt fake CUDA device", "copy_median_s": null, "copy_ratio": null}

// 2 TiB of result: more than the fake device has.
// RUNTIME: dyt-run: error: calling @alloc failed: cuMemAlloc{{(Async)?}}: CUDA_ERROR_OUT_OF_MEMORY (out of memory)

// The kernels did nothing, which the CPU reference tells.
// CHECKFAIL: dyt-run: check failed: result #0 element 0: {{.*}} (gpu) vs {{.*}} (reference)

// With --bench the JIT's run of the pipeline also counts the kernels (one
// run per variant, not two).
// COMPARE: "target": "nvvm", "variants": [{"name": "norm", {{.*}}"kernel_launches": 1, "kernel_code_bytes": {{[1-9][0-9]*}}, "median_s": 0.00025}, {"name": "dyt", {{.*}}"kernel_launches": 1, "kernel_code_bytes": {{[1-9][0-9]*}}, "median_s": 0.00025}]}

func.func @copies(%x: tensor<?x?xf32>, %s: f32) -> (tensor<?x?xf32>, tensor<?xf32>, f32) {
  %c = tensor.collapse_shape %x [[0, 1]] : tensor<?x?xf32> into tensor<?xf32>
  return %x, %c, %s : tensor<?x?xf32>, tensor<?xf32>, f32
}
func.func @scalar(%s: f32) -> f32 {
  return %s : f32
}
func.func @alloc(%n: i64) -> tensor<?xf32> {
  %i = arith.index_cast %n : i64 to index
  %one = arith.constant 1.0 : f32
  %e = tensor.empty(%i) : tensor<?xf32>
  %f = linalg.fill ins(%one : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  return %f : tensor<?xf32>
}
func.func @norm(%x: tensor<4x96xf32>, %g: tensor<96xf32>, %b: tensor<96xf32>) -> tensor<4x96xf32> {
  %y = dyt.layer_norm %x gamma(%g : tensor<96xf32>) beta(%b : tensor<96xf32>) : tensor<4x96xf32> -> tensor<4x96xf32>
  return %y : tensor<4x96xf32>
}
