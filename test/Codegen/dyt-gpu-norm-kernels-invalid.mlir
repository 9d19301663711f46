// RUN: dyt-opt %s --dyt-gpu-norm-kernels -verify-diagnostics -o /dev/null

// A call without the form dyt-gpu-outline-norms gives is an error.
func.func private @__dyt_gpu_rms_norm(memref<8xf32>, memref<8xf32>, memref<8xf32>) attributes {dyt.gpu_norm_kernel = "rms_norm"}
func.func @no_epsilon(%x: memref<8xf32>, %g: memref<8xf32>, %y: memref<8xf32>) {
  // expected-error @+1 {{'func.call' op is not a call from dyt-gpu-outline-norms}}
  call @__dyt_gpu_rms_norm(%x, %g, %y) : (memref<8xf32>, memref<8xf32>, memref<8xf32>) -> ()
  return
}

