// RUN: dyt-opt %s --dyt-gpu-fast-tanh | FileCheck %s

// f32 tanh in a kernel (scalar or vector) -> llvm.intr.tanh with afn, which
// NVPTX selects as tanh.approx.f32.
// CHECK-LABEL: func.func @in_kernel(
// CHECK: gpu.launch
// CHECK: llvm.intr.tanh(%{{.*}}) {fastmathFlags = #llvm.fastmath<afn>} : (f32) -> f32
// CHECK: llvm.intr.tanh(%{{.*}}) {fastmathFlags = #llvm.fastmath<afn>} : (vector<4xf32>) -> vector<4xf32>
// CHECK-NOT: math.tanh
// CHECK: gpu.terminator
func.func @in_kernel(%x: f32, %v: vector<4xf32>, %y: memref<f32>, %w: memref<vector<4xf32>>) {
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %t = math.tanh %x : f32
    memref.store %t, %y[] : memref<f32>
    %u = math.tanh %v : vector<4xf32>
    memref.store %u, %w[] : memref<vector<4xf32>>
    gpu.terminator
  }
  return
}

// Left alone: tanh on the host, and 16-bit tanh (the pipelines compute
// 16-bit values in f32 by then).
// CHECK-LABEL: func.func @not_in_kernel(
// CHECK: math.tanh %{{.*}} : f32
// CHECK: gpu.launch
// CHECK: math.tanh %{{.*}} : f16
func.func @not_in_kernel(%x: f32, %h: f16, %y: memref<f16>) -> f32 {
  %t = math.tanh %x : f32
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %u = math.tanh %h : f16
    memref.store %u, %y[] : memref<f16>
    gpu.terminator
  }
  return %t : f32
}
