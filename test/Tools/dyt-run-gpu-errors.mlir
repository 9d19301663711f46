// dyt-run --device gpu and dyt-compare --target nvvm --bench where no GPU
// can be used: the CUDA runtime's reason, exit 1, before anything is
// compiled; options that do not fit the device.
// UNSUPPORTED: cuda-gpu
// RUN: not dyt-run %s -e f --device gpu --random 2>&1 | FileCheck %s --check-prefix=NOGPU
// RUN: not dyt-run %s -e f --device gpu --random --output %t.npy 2>&1 | FileCheck %s --check-prefix=NOGPU
// RUN: not test -e %t.npy
// RUN: env DYT_CUDA_LIBRARY=%t/no-such-libcuda.so not dyt-run %s -e f --device gpu --random 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not dyt-run %s -e f --device gpu --threads 2 --random 2>&1 | FileCheck %s --check-prefix=THREADS
// RUN: not dyt-run %s -e f --device foo --random 2>&1 | FileCheck %s --check-prefix=DEVICE
// RUN: not dyt-compare %s -e f --target nvvm --bench 1 2>&1 | FileCheck %s --check-prefix=COMPARE

// NOGPU: dyt-run: error: --device gpu: {{cannot load the CUDA driver|cuInit|CUDA device}}
// MISSING: dyt-run: error: --device gpu: cannot load the CUDA driver named by DYT_CUDA_LIBRARY ({{.*}}no-such-libcuda.so
// THREADS: dyt-run: error: --threads does not apply to --device gpu
// DEVICE: dyt-run: error: unknown --device 'foo' (cpu or gpu)
// COMPARE: dyt-compare: error: --target nvvm --bench: {{cannot load the CUDA driver|cuInit|CUDA device}}

func.func @f(%x: tensor<2x8xf32>, %g: tensor<8xf32>) -> tensor<2x8xf32> {
  %y = dyt.layer_norm %x gamma(%g : tensor<8xf32>) beta(%g : tensor<8xf32>) : tensor<2x8xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
