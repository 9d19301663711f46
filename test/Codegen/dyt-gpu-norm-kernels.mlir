// RUN: dyt-opt %s -split-input-file --dyt-gpu-norm-kernels | FileCheck %s
// RUN: dyt-opt %s -split-input-file --dyt-gpu-norm-kernels="max-row-cache-bytes=1024" | FileCheck %s --check-prefix=NOCACHE

// LayerNorm over 768 f32 channels: one kernel, 192 threads on the row (6
// warps, 4 floats each), the row kept in dynamic shared memory (3 KiB),
// three passes (sum, squared deviations, normalisation) with the warp and
// block reductions between them; the declaration is gone.
// CHECK-NOT: __dyt_gpu_layer_norm
// CHECK-LABEL: func.func @layer_norm(
// CHECK-NOT: scf.if
// CHECK: gpu.launch
// CHECK-SAME: threads(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}} = %c192{{.*}}, %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}})
// The partial sums share the dynamic shared memory with the rows (first
// 32 bytes), not a separate buffer the cache would overlap.
// CHECK-SAME: dynamic_shared_memory_size %{{[^ ]*}} {
// CHECK: %[[RAW:.*]] = gpu.dynamic_shared_memory
// CHECK: memref.view %[[RAW]][%c0{{.*}}][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<8xf32, #gpu.address_space<workgroup>>
// CHECK: %[[CACHE:.*]] = memref.view %[[RAW]][%c32{{.*}}][%{{.*}}, %{{.*}}] : memref<?xi8, #gpu.address_space<workgroup>> to memref<?x?xf32, #gpu.address_space<workgroup>>
// CHECK: vector.load %arg0[{{.*}}] {alignment = 16 : i64} : memref<?x768xf32>, vector<4xf32>
// CHECK: vector.store %{{.*}}, %[[CACHE]]
// CHECK-COUNT-5: gpu.shuffle xor
// CHECK: gpu.barrier
// CHECK: vector.load %[[CACHE]]
// CHECK-COUNT-5: gpu.shuffle xor
// CHECK: math.rsqrt
// CHECK: vector.load %[[CACHE]]
// CHECK: vector.load %arg1
// CHECK: vector.load %arg2
// CHECK: vector.store %{{.*}}, %arg3
// NOCACHE-LABEL: func.func @layer_norm(
// NOCACHE: workgroup(%{{.*}} : memref<8xf32, #gpu.address_space<workgroup>>)
// NOCACHE-NOT: gpu.dynamic_shared_memory
// NOCACHE-COUNT-3: vector.load %arg0
func.func private @__dyt_gpu_layer_norm(memref<?x768xf32>, memref<768xf32>, memref<768xf32>, memref<?x768xf32>) attributes {dyt.gpu_norm_kernel = "layer_norm"}
func.func @layer_norm(%x: memref<?x768xf32>, %g: memref<768xf32>, %b: memref<768xf32>, %y: memref<?x768xf32>) {
  call @__dyt_gpu_layer_norm(%x, %g, %b, %y) {dyt.epsilon = 1.0e-05 : f32} : (memref<?x768xf32>, memref<768xf32>, memref<768xf32>, memref<?x768xf32>) -> ()
  return
}

// -----

// RMSNorm of a dynamic row length: vector or scalar kernel chosen on the
// host, and cached or not; one pass fewer than LayerNorm.
// CHECK-LABEL: func.func @rms_norm(
// CHECK: arith.remui
// CHECK: scf.if
// CHECK: scf.if
// CHECK: gpu.launch
// CHECK: vector.load {{.*}} vector<8xbf16>
// CHECK: arith.extf
// CHECK: gpu.shuffle xor
// CHECK: math.rsqrt
// CHECK: arith.truncf
// CHECK: } else {
// CHECK: gpu.launch
func.func private @__dyt_gpu_rms_norm(memref<?x?xbf16>, memref<?xbf16>, memref<?x?xbf16>) attributes {dyt.gpu_norm_kernel = "rms_norm"}
func.func @rms_norm(%x: memref<?x?xbf16>, %g: memref<?xbf16>, %y: memref<?x?xbf16>) {
  call @__dyt_gpu_rms_norm(%x, %g, %y) {dyt.epsilon = 1.0e-06 : f32} : (memref<?x?xbf16>, memref<?xbf16>, memref<?x?xbf16>) -> ()
  return
}

// -----

// Unmarked functions and calls are not touched.
// CHECK-LABEL: func.func @other(
// CHECK: call @helper
// CHECK-NOT: gpu.launch
func.func private @helper(memref<8xf32>)
func.func @other(%x: memref<8xf32>) {
  call @helper(%x) : (memref<8xf32>) -> ()
  return
}
