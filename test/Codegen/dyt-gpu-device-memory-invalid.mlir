// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-gpu-device-memory))" -verify-diagnostics -o /dev/null
// RUN: not dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-gpu-device-memory{max-embedded-constant-bytes=-1}))" -o /dev/null 2>&1 | FileCheck %s --check-prefix=OPTION

// OPTION: error: dyt-gpu-device-memory: max-embedded-constant-bytes (-1) must not be negative

// The host cannot read device memory: a scalar it branches on, a linalg op
// left on the host, a copy between strided views.
func.func @host_branch(%a: memref<f32>) -> f32 {
  // expected-error @+1 {{'memref.load' op reads device memory on the host: its value is used outside the GPU kernels}}
  %alpha = memref.load %a[] : memref<f32>
  return %alpha : f32
}

// -----

func.func @host_linalg(%x: memref<8xf32>, %y: memref<8xf32>) {
  // expected-error @+1 {{'linalg.copy' op accesses a buffer on the host, where buffers are device memory; it was not mapped to a GPU kernel}}
  linalg.copy ins(%x : memref<8xf32>) outs(%y : memref<8xf32>)
  return
}

// -----

func.func @strided_copy(%x: memref<8x8xf32>, %y: memref<4x4xf32>) {
  %s = memref.subview %x[0, 0] [4, 4] [1, 1] : memref<8x8xf32> to memref<4x4xf32, strided<[8, 1]>>
  // expected-error @+1 {{'memref.copy' op copies between strided device buffers on the host; dyt-gpu-map-linalg should have made it a kernel}}
  memref.copy %s, %y : memref<4x4xf32, strided<[8, 1]>> to memref<4x4xf32>
  return
}
