// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-gpu-device-memory))" | FileCheck %s
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-gpu-device-memory{max-embedded-constant-bytes=15}))" | FileCheck %s --check-prefix=SMALL

// Allocations, frees and copies on the host go through the GPU runtime.
// CHECK-LABEL: func.func @buffers(
// CHECK: %[[A:.*]] = gpu.alloc (%{{.*}}) : memref<?xf32>
// CHECK: gpu.memcpy %[[A]], %arg0 : memref<?xf32>, memref<?xf32>
// CHECK: gpu.dealloc %[[A]] : memref<?xf32>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.copy
func.func @buffers(%x: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  %a = memref.alloc(%n) : memref<?xf32>
  memref.copy %x, %a : memref<?xf32> to memref<?xf32>
  memref.dealloc %a : memref<?xf32>
  return
}

// -----

// A constant the kernel reads is copied to the device (freed before the
// return) when its global is not aligned for the kernels' 128-bit accesses,
// and a scalar read on the host whose value only the kernel uses moves into
// it.
memref.global "private" constant @gamma : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
// CHECK-LABEL: func.func @constant_and_scalar(
// CHECK: %[[G:.*]] = memref.get_global @gamma
// CHECK: %[[D:.*]] = gpu.alloc () : memref<4xf32>
// CHECK: gpu.memcpy %[[D]], %[[G]]
// CHECK-NOT: memref.load
// CHECK: gpu.launch
// CHECK: %[[ALPHA:.*]] = memref.load %arg1[] : memref<f32>
// CHECK: memref.load %[[D]]
// CHECK: arith.mulf %[[ALPHA]]
// CHECK: gpu.terminator
// CHECK: gpu.dealloc %[[D]]
// CHECK-NEXT: return
func.func @constant_and_scalar(%y: memref<4xf32>, %a: memref<f32>) {
  %g = memref.get_global @gamma : memref<4xf32>
  %alpha = memref.load %a[] : memref<f32>
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = memref.load %g[%tx] : memref<4xf32>
    %w = arith.mulf %alpha, %v : f32
    memref.store %w, %y[%tx] : memref<4xf32>
    gpu.terminator
  }
  return
}

// -----

// An alpha read in f16 and widened on the host: the load and the extf move
// into the kernel together.
// CHECK-LABEL: func.func @widened_scalar(
// CHECK-NOT: memref.load
// CHECK-NOT: arith.extf
// CHECK: gpu.launch
// CHECK: %[[H:.*]] = memref.load %arg1[%c0] : memref<1xf16>
// CHECK: %[[F:.*]] = arith.extf %[[H]] : f16 to f32
// CHECK: arith.mulf %[[F]]
func.func @widened_scalar(%y: memref<4xf32>, %a: memref<1xf16>) {
  %c0 = arith.constant 0 : index
  %h = memref.load %a[%c0] : memref<1xf16>
  %alpha = arith.extf %h : f16 to f32
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = memref.load %y[%tx] : memref<4xf32>
    %w = arith.mulf %alpha, %v : f32
    memref.store %w, %y[%tx] : memref<4xf32>
    gpu.terminator
  }
  return
}

// -----

// An aligned constant that only kernels read moves into each of them
// (outlining then copies the global into the kernel module): no device
// buffer, no copy per call. Above max-embedded-constant-bytes it is copied.
memref.global "private" constant @beta : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]> {alignment = 64 : i64}
// CHECK-LABEL: func.func @embedded(
// CHECK-NOT: gpu.alloc
// CHECK-NOT: gpu.memcpy
// CHECK: gpu.launch
// CHECK-NEXT: %[[G1:.*]] = memref.get_global @beta : memref<4xf32>
// CHECK: memref.load %[[G1]]
// CHECK: gpu.launch
// CHECK-NEXT: %[[G2:.*]] = memref.get_global @beta : memref<4xf32>
// CHECK: memref.load %[[G2]]
// CHECK-NOT: gpu.dealloc
// CHECK: return
// SMALL-LABEL: func.func @embedded(
// SMALL: %[[G:.*]] = memref.get_global @beta
// SMALL: %[[D:.*]] = gpu.alloc () : memref<4xf32>
// SMALL: gpu.memcpy %[[D]], %[[G]]
// SMALL: gpu.launch
// SMALL-NOT: memref.get_global
// SMALL: memref.load %[[D]]
// SMALL: gpu.dealloc %[[D]]
func.func @embedded(%y: memref<4xf32>) {
  %g = memref.get_global @beta : memref<4xf32>
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = memref.load %g[%tx] : memref<4xf32>
    memref.store %v, %y[%tx] : memref<4xf32>
    gpu.terminator
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = memref.load %g[%tx] : memref<4xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %y[%tx] : memref<4xf32>
    gpu.terminator
  }
  return
}

// -----

// A constant also used on the host (copied into a result) and a global that
// is not constant stay on the copy path.
memref.global "private" constant @shared : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]> {alignment = 64 : i64}
memref.global "private" @mutable : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]> {alignment = 64 : i64}
// CHECK-LABEL: func.func @not_embedded(
// CHECK: %[[S:.*]] = memref.get_global @shared
// CHECK: %[[DS:.*]] = gpu.alloc () : memref<4xf32>
// CHECK: gpu.memcpy %[[DS]], %[[S]]
// CHECK: %[[M:.*]] = memref.get_global @mutable
// CHECK: %[[DM:.*]] = gpu.alloc () : memref<4xf32>
// CHECK: gpu.memcpy %[[DM]], %[[M]]
// CHECK: gpu.memcpy %arg1, %[[DS]]
// CHECK: gpu.launch
// CHECK-NOT: memref.get_global
// CHECK: memref.load %[[DS]]
// CHECK: memref.load %[[DM]]
// CHECK: gpu.terminator
// CHECK-DAG: gpu.dealloc %[[DS]]
// CHECK-DAG: gpu.dealloc %[[DM]]
func.func @not_embedded(%y: memref<4xf32>, %z: memref<4xf32>) {
  %s = memref.get_global @shared : memref<4xf32>
  %m = memref.get_global @mutable : memref<4xf32>
  memref.copy %s, %z : memref<4xf32> to memref<4xf32>
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = memref.load %s[%tx] : memref<4xf32>
    %w = memref.load %m[%tx] : memref<4xf32>
    %u = arith.addf %v, %w : f32
    memref.store %u, %y[%tx] : memref<4xf32>
    gpu.terminator
  }
  return
}

// -----

// A kernel that writes a constant (undefined, but it stays in a per-call
// device copy) keeps the copy path.
memref.global "private" constant @written : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]> {alignment = 64 : i64}
// CHECK-LABEL: func.func @written_constant(
// CHECK: %[[W:.*]] = memref.get_global @written
// CHECK: %[[D:.*]] = gpu.alloc () : memref<4xf32>
// CHECK: gpu.memcpy %[[D]], %[[W]]
// CHECK: gpu.launch
// CHECK-NOT: memref.get_global
// CHECK: memref.store %{{.*}}, %[[D]]
func.func @written_constant(%y: memref<4xf32>) {
  %g = memref.get_global @written : memref<4xf32>
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = memref.load %y[%tx] : memref<4xf32>
    memref.store %v, %g[%tx] : memref<4xf32>
    gpu.terminator
  }
  return
}
