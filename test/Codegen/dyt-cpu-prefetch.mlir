// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-cpu-prefetch))" | FileCheck %s
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-cpu-prefetch{distance=8192}))" | FileCheck %s --check-prefix=FAR
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-cpu-prefetch{distance=0}))" | FileCheck %s --check-prefix=OFF

// DyT's loop nest: x streams (every row, every column), gamma is the same
// row for every row. x gets one prefetch per cache line of its 256-byte
// load, 4096 bytes (1024 f32) ahead in flat order, clamped to the last
// element; gamma gets none.
// CHECK-LABEL: func @elementwise_rows
// CHECK-DAG:     %[[LAST:.*]] = arith.constant 33554431 : index
// CHECK-DAG:     %[[FLAT:.*]] = memref.collapse_shape %[[X:.*]] {{\[\[}}0, 1]] : memref<8192x4096xf32> into memref<33554432xf32>
// CHECK:         scf.forall (%[[I:.*]]) in (8192)
// CHECK:           scf.for %[[J:.*]] =
// CHECK:             %[[ROW:.*]] = arith.muli %[[I]], %{{.*}} : index
// CHECK:             %[[LIN:.*]] = arith.addi %[[ROW]], %[[J]] : index
// CHECK:             %[[A0:.*]] = arith.addi %[[LIN]], %c1024 : index
// CHECK:             %[[P0:.*]] = arith.minsi %[[A0]], %[[LAST]] : index
// CHECK:             memref.prefetch %[[FLAT]][%[[P0]]], read, locality<3>, data : memref<33554432xf32>
// CHECK:             arith.addi %[[LIN]], %c1040
// CHECK:             memref.prefetch
// CHECK:             arith.addi %[[LIN]], %c1056
// CHECK:             memref.prefetch
// CHECK:             arith.addi %[[LIN]], %c1072
// CHECK:             memref.prefetch
// CHECK-NEXT:        vector.load %[[X]][%[[I]], %[[J]]]
// CHECK-NOT:         memref.prefetch
// CHECK:             vector.load %{{.*}}[%[[J]]] : memref<4096xf32>
// FAR-LABEL: func @elementwise_rows
// FAR:         arith.constant 2048 : index
// OFF-NOT:     memref.prefetch
func.func @elementwise_rows(%x: memref<8192x4096xf32>, %g: memref<4096xf32>) -> memref<8192x4096xf32> {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c4096 = arith.constant 4096 : index
  %y = memref.alloc() {alignment = 64 : i64} : memref<8192x4096xf32>
  scf.forall (%i) in (8192) {
    scf.for %j = %c0 to %c4096 step %c64 {
      %v = vector.load %x[%i, %j] : memref<8192x4096xf32>, vector<64xf32>
      %w = vector.load %g[%j] : memref<4096xf32>, vector<64xf32>
      %p = arith.mulf %v, %w : vector<64xf32>
      vector.store %p, %y[%i, %j] : memref<8192x4096xf32>, vector<64xf32>
    }
  }
  return %y : memref<8192x4096xf32>
}

// -----

// Dynamic sizes, a masked tail load, bf16: the flat size comes from
// memref.dim, and a 64-element bf16 load covers two lines (offsets in
// elements: 4096 / 2 and (4096 + 64) / 2).
// CHECK-LABEL: func @dynamic_bf16
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[R:.*]] = memref.dim %[[X:.*]], %[[C0]]
// CHECK-DAG:     %[[C:.*]] = memref.dim %[[X]], %[[C1]]
// CHECK:         %[[N:.*]] = arith.muli %[[R]], %[[C]] : index
// CHECK:         %[[LAST:.*]] = arith.addi %[[N]], %c-1 : index
// CHECK:         %[[FLAT:.*]] = memref.collapse_shape %[[X]] {{\[\[}}0, 1]] : memref<?x?xbf16> into memref<?xbf16>
// CHECK:         scf.for %[[I:[a-z0-9]+]] =
// CHECK:           scf.for %[[J:.*]] =
// CHECK:             %[[ROW:.*]] = arith.muli %[[I]], %[[C]] : index
// CHECK:             %[[LIN:.*]] = arith.addi %[[ROW]], %[[J]] : index
// CHECK:             arith.addi %[[LIN]], %c2048 : index
// CHECK:             memref.prefetch %[[FLAT]]
// CHECK:             arith.addi %[[LIN]], %c2080 : index
// CHECK:             memref.prefetch %[[FLAT]]
// CHECK-NOT:         memref.prefetch
// CHECK:             vector.maskedload %[[X]][%[[I]], %[[J]]]
func.func @dynamic_bf16(%x: memref<?x?xbf16>, %y: memref<?x?xbf16>, %rows: index, %cols: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %pad = arith.constant dense<0.0> : vector<64xbf16>
  scf.for %i = %c0 to %rows step %c1 {
    scf.for %j = %c0 to %cols step %c64 {
      %left = arith.subi %cols, %j : index
      %m = vector.create_mask %left : vector<64xi1>
      %v = vector.maskedload %x[%i, %j], %m, %pad : memref<?x?xbf16>, vector<64xi1>, vector<64xbf16> into vector<64xbf16>
      vector.maskedstore %y[%i, %j], %m, %v : memref<?x?xbf16>, vector<64xi1>, vector<64xbf16>
    }
  }
  return
}

// -----

// A norm's three passes over one row: only the first loop prefetches; the
// row is in cache for the other two.
// CHECK-LABEL: func @three_passes
// CHECK:         scf.for
// CHECK:           memref.prefetch
// CHECK:           vector.load
// CHECK:         scf.for
// CHECK-NOT:       memref.prefetch
// CHECK:           vector.load
// CHECK:         scf.for
// CHECK-NOT:       memref.prefetch
// CHECK:           vector.load
// CHECK:         return
func.func @three_passes(%x: memref<64x512xf32>, %y: memref<64x512xf32>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c512 = arith.constant 512 : index
  %zero = arith.constant dense<0.0> : vector<16xf32>
  scf.forall (%i) in (64) {
    %s = scf.for %j = %c0 to %c512 step %c16 iter_args(%acc = %zero) -> vector<16xf32> {
      %v = vector.load %x[%i, %j] : memref<64x512xf32>, vector<16xf32>
      %a = arith.addf %acc, %v : vector<16xf32>
      scf.yield %a : vector<16xf32>
    }
    %q = scf.for %j = %c0 to %c512 step %c16 iter_args(%acc = %s) -> vector<16xf32> {
      %v = vector.load %x[%i, %j] : memref<64x512xf32>, vector<16xf32>
      %a = arith.mulf %acc, %v : vector<16xf32>
      scf.yield %a : vector<16xf32>
    }
    scf.for %j = %c0 to %c512 step %c16 {
      %v = vector.load %x[%i, %j] : memref<64x512xf32>, vector<16xf32>
      %a = arith.subf %v, %q : vector<16xf32>
      vector.store %a, %y[%i, %j] : memref<64x512xf32>, vector<16xf32>
    }
  }
  return
}

// -----

// A 1-D stream needs no flat view.
// CHECK-LABEL: func @one_dim
// CHECK-SAME:    %[[X:[a-z0-9]+]]: memref<?xf32>
// CHECK:         %[[N:.*]] = memref.dim %[[X]]
// CHECK:         %[[LAST:.*]] = arith.addi %[[N]], %c-1
// CHECK-NOT:     memref.collapse_shape
// CHECK:         scf.for %[[J:.*]] =
// CHECK:           %[[A:.*]] = arith.addi %[[J]], %c1024 : index
// CHECK:           %[[P:.*]] = arith.minsi %[[A]], %[[LAST]]
// CHECK:           memref.prefetch %[[X]][%[[P]]]
// CHECK-NOT:       memref.prefetch
// CHECK:           vector.load %[[X]][%[[J]]]
func.func @one_dim(%x: memref<?xf32>, %y: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  scf.for %j = %c0 to %n step %c16 {
    %v = vector.load %x[%j] : memref<?xf32>, vector<16xf32>
    vector.store %v, %y[%j] : memref<?xf32>, vector<16xf32>
  }
  return
}

// -----

// Left alone: a loop with a contraction's FMAs (compute-bound), a load
// through a strided view, a column walk (the loop moves the first index, not
// the contiguous one), and a load outside any loop.
// CHECK-LABEL: func @not_streams
// CHECK-NOT:     memref.prefetch
// CHECK-NOT:     memref.collapse_shape
// CHECK:         return
func.func @not_streams(%a: memref<128x256xf32>, %s: memref<128x256xf32, strided<[512, 1]>>,
                       %acc: vector<16xf32>, %b: vector<16xf32>) -> vector<16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %r = scf.for %k = %c0 to %c256 step %c16 iter_args(%c = %acc) -> vector<16xf32> {
    %v = vector.load %a[%c0, %k] : memref<128x256xf32>, vector<16xf32>
    %f = vector.fma %v, %b, %c : vector<16xf32>
    scf.yield %f : vector<16xf32>
  }
  %t = scf.for %k = %c0 to %c256 step %c16 iter_args(%c = %r) -> vector<16xf32> {
    %v = vector.load %s[%c1, %k] : memref<128x256xf32, strided<[512, 1]>>, vector<16xf32>
    %f = arith.addf %v, %c : vector<16xf32>
    scf.yield %f : vector<16xf32>
  }
  %u = scf.for %i = %c0 to %c128 step %c1 iter_args(%c = %t) -> vector<16xf32> {
    %v = vector.load %a[%i, %c0] : memref<128x256xf32>, vector<16xf32>
    %f = arith.addf %v, %c : vector<16xf32>
    scf.yield %f : vector<16xf32>
  }
  %w = vector.load %a[%c1, %c16] : memref<128x256xf32>, vector<16xf32>
  %z = arith.addf %u, %w : vector<16xf32>
  return %z : vector<16xf32>
}

// -----

// A row of a triangle: the inner loop starts where the outer index is, so
// the 1-D load moves with both loops and streams.
// CHECK-LABEL: func @triangle
// CHECK:         scf.for %[[I:[a-z0-9]+]] =
// CHECK:           scf.for %[[J:[a-z0-9]+]] = %[[I]] to
// CHECK:             memref.prefetch
// CHECK:             vector.load %{{.*}}[%[[J]]]
func.func @triangle(%x: memref<4096xf32>, %acc: vector<16xf32>) -> vector<16xf32> {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c4096 = arith.constant 4096 : index
  %r = scf.for %i = %c0 to %c4096 step %c16 iter_args(%a = %acc) -> vector<16xf32> {
    %s = scf.for %j = %i to %c4096 step %c16 iter_args(%b = %a) -> vector<16xf32> {
      %v = vector.load %x[%j] : memref<4096xf32>, vector<16xf32>
      %t = arith.addf %b, %v : vector<16xf32>
      scf.yield %t : vector<16xf32>
    }
    scf.yield %s : vector<16xf32>
  }
  return %r : vector<16xf32>
}
