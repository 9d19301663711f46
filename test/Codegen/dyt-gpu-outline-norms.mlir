// RUN: dyt-opt %s --dyt-gpu-outline-norms | FileCheck %s

// Each norm becomes read-only buffers of its operands, a fresh result
// buffer, a call of a declaration of its kind (epsilon on the call) and the
// result as a tensor again. Declarations are not shared between norms.
// CHECK-DAG: func.func private @__dyt_gpu_layer_norm(memref<?x768xf32>, memref<768xf32>, memref<768xf32>, memref<?x768xf32>) attributes {dyt.gpu_norm_kernel = "layer_norm"}
// CHECK-DAG: func.func private @__dyt_gpu_rms_norm(memref<7xbf16>, memref<7xbf16>, memref<7xbf16>) attributes {dyt.gpu_norm_kernel = "rms_norm"}
// CHECK-DAG: func.func private @__dyt_gpu_rms_norm_0(memref<7xbf16>, memref<7xbf16>, memref<7xbf16>) attributes {dyt.gpu_norm_kernel = "rms_norm"}

// CHECK-LABEL: func.func @layer_norm(
// CHECK-SAME: %[[X:.*]]: tensor<?x768xf32>, %[[G:.*]]: tensor<768xf32>, %[[B:.*]]: tensor<768xf32>)
// CHECK: %[[XB:.*]] = bufferization.to_buffer %[[X]] read_only
// CHECK: %[[GB:.*]] = bufferization.to_buffer %[[G]] read_only
// CHECK: %[[BB:.*]] = bufferization.to_buffer %[[B]] read_only
// CHECK: %[[DIM:.*]] = memref.dim %[[XB]]
// CHECK: %[[Y:.*]] = memref.alloc(%[[DIM]]) : memref<?x768xf32>
// CHECK: call @__dyt_gpu_layer_norm(%[[XB]], %[[GB]], %[[BB]], %[[Y]]) {dyt.epsilon = 9.99999997E-7 : f32}
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[Y]] restrict writable
// CHECK: return %[[T]]
func.func @layer_norm(%x: tensor<?x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>) -> tensor<?x768xf32> {
  %y = dyt.layer_norm %x gamma(%g : tensor<768xf32>) beta(%b : tensor<768xf32>) epsilon = 1.0e-06 : tensor<?x768xf32> -> tensor<?x768xf32>
  return %y : tensor<?x768xf32>
}

// CHECK-LABEL: func.func @rms_norms(
// CHECK: call @__dyt_gpu_rms_norm(
// CHECK-SAME: {dyt.epsilon = 9.99999997E-7 : f32}
// CHECK: call @__dyt_gpu_rms_norm_0(
func.func @rms_norms(%x: tensor<7xbf16>, %g: tensor<7xbf16>) -> tensor<7xbf16> {
  %y = dyt.rms_norm %x gamma(%g : tensor<7xbf16>) : tensor<7xbf16> -> tensor<7xbf16>
  %z = dyt.rms_norm %y gamma(%g : tensor<7xbf16>) : tensor<7xbf16> -> tensor<7xbf16>
  return %z : tensor<7xbf16>
}

// Not a norm: DyT has no reduction and stays for convert-dyt-to-linalg.
// CHECK-LABEL: func.func @dyt(
// CHECK: dyt.dyt
// CHECK-NOT: call
func.func @dyt(%x: tensor<4x8xf32>, %a: f32, %g: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<8xf32>) beta(%b : tensor<8xf32>) : tensor<4x8xf32> -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
