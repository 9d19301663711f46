// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-cpu-prefetch))" | FileCheck %s
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-cpu-prefetch{distance=8192}))" | FileCheck %s --check-prefix=FAR
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-cpu-prefetch{distance=0}))" | FileCheck %s --check-prefix=OFF
// RUN: not dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-cpu-prefetch{distance=-64}))" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-cpu-prefetch{distance=1073741825}))" 2>&1 | FileCheck %s --check-prefix=HUGE

// NEGATIVE: error: dyt-cpu-prefetch: distance must be between 0 and 1073741824 bytes, got -64
// HUGE: error: dyt-cpu-prefetch: distance must be between 0 and 1073741824 bytes, got 1073741825
// OFF-NOT: memref.prefetch

// DyT's loop nest: x streams (every row, every column), gamma is the same
// row for every row. x gets one prefetch per cache line of its 256-byte
// load, 4096 bytes (1024 f32) ahead in flat order, each clamped to the last
// element; gamma gets none.
// CHECK-LABEL: func @elementwise_rows
// CHECK-DAG:     %[[LAST:.*]] = arith.constant 33554431 : index
// CHECK-DAG:     %[[FLAT:.*]] = memref.collapse_shape %[[X:.*]] {{\[\[}}0, 1]] : memref<8192x4096xf32> into memref<33554432xf32>
// CHECK:         scf.forall (%[[I:.*]]) in (8192)
// CHECK:           scf.for %[[J:[a-z0-9]+]] =
// CHECK:             %[[C4096:.*]] = arith.constant 4096 : index
// CHECK-NEXT:        %[[ROW:.*]] = arith.muli %[[I]], %[[C4096]] : index
// CHECK-NEXT:        %[[LIN:.*]] = arith.addi %[[ROW]], %[[J]] : index
// CHECK-NEXT:        %[[D0:.*]] = arith.constant 1024 : index
// CHECK-NEXT:        %[[A0:.*]] = arith.addi %[[LIN]], %[[D0]] : index
// CHECK-NEXT:        %[[P0:.*]] = arith.minsi %[[A0]], %[[LAST]] : index
// CHECK-NEXT:        memref.prefetch %[[FLAT]][%[[P0]]], read, locality<3>, data : memref<33554432xf32>
// CHECK-NEXT:        %[[D1:.*]] = arith.constant 1040 : index
// CHECK-NEXT:        %[[A1:.*]] = arith.addi %[[LIN]], %[[D1]] : index
// CHECK-NEXT:        %[[P1:.*]] = arith.minsi %[[A1]], %[[LAST]] : index
// CHECK-NEXT:        memref.prefetch %[[FLAT]][%[[P1]]]
// CHECK-NEXT:        %[[D2:.*]] = arith.constant 1056 : index
// CHECK-NEXT:        %[[A2:.*]] = arith.addi %[[LIN]], %[[D2]] : index
// CHECK-NEXT:        %[[P2:.*]] = arith.minsi %[[A2]], %[[LAST]] : index
// CHECK-NEXT:        memref.prefetch %[[FLAT]][%[[P2]]]
// CHECK-NEXT:        %[[D3:.*]] = arith.constant 1072 : index
// CHECK-NEXT:        %[[A3:.*]] = arith.addi %[[LIN]], %[[D3]] : index
// CHECK-NEXT:        %[[P3:.*]] = arith.minsi %[[A3]], %[[LAST]] : index
// CHECK-NEXT:        memref.prefetch %[[FLAT]][%[[P3]]]
// CHECK-NEXT:        vector.load %[[X]][%[[I]], %[[J]]]
// CHECK-NEXT:        vector.load %{{.*}}[%[[J]]] : memref<4096xf32>
// CHECK-NOT:         memref.prefetch
// CHECK:         return
// FAR-LABEL: func @elementwise_rows
// FAR:         %[[LIN:.*]] = arith.addi
// FAR-NEXT:    %[[D0:.*]] = arith.constant 2048 : index
// FAR-NEXT:    arith.addi %[[LIN]], %[[D0]] : index
// FAR-NEXT:    arith.minsi
// FAR-NEXT:    memref.prefetch
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

// What the tiling makes of an odd width: a row subview per row, a masked
// load from a 64-column slice of it at [0, 0]. The prefetch address is the
// load's element in the root buffer (row * 1001 + column) plus the
// distance.
// CHECK-LABEL: func @through_subviews
// CHECK-DAG:     %[[LAST:.*]] = arith.constant 1000999 : index
// CHECK-DAG:     %[[FLAT:.*]] = memref.collapse_shape %[[X:[a-z0-9]+]] {{\[\[}}0, 1]]
// CHECK:         scf.forall (%[[I:.*]]) in (1000)
// CHECK:           scf.for %[[J:[a-z0-9]+]] =
// CHECK:             %[[C1001:.*]] = arith.constant 1001 : index
// CHECK-NEXT:        %[[ROW:.*]] = arith.muli %[[I]], %[[C1001]] : index
// CHECK-NEXT:        %[[LIN:.*]] = arith.addi %[[ROW]], %[[J]] : index
// CHECK-NEXT:        %[[D0:.*]] = arith.constant 1024 : index
// CHECK-NEXT:        %[[A0:.*]] = arith.addi %[[LIN]], %[[D0]] : index
// CHECK-NEXT:        %[[P0:.*]] = arith.minsi %[[A0]], %[[LAST]] : index
// CHECK-NEXT:        memref.prefetch %[[FLAT]][%[[P0]]]
// CHECK-COUNT-3:     memref.prefetch %[[FLAT]]
// CHECK-NEXT:        vector.maskedload
// CHECK-NOT:         memref.prefetch
// CHECK:             vector.load %{{.*}}[%[[J]]]
// CHECK-NOT:         memref.prefetch
// CHECK:         return
func.func @through_subviews(%x: memref<1000x1001xf32>, %y: memref<1000x1001xf32>, %g: memref<1001xf32>) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c1001 = arith.constant 1001 : index
  %pad = arith.constant dense<0.0> : vector<64xf32>
  scf.forall (%i) in (1000) {
    %row = memref.subview %x[%i, 0] [1, 1001] [1, 1] : memref<1000x1001xf32> to memref<1x1001xf32, strided<[1001, 1], offset: ?>>
    %out = memref.subview %y[%i, 0] [1, 1001] [1, 1] : memref<1000x1001xf32> to memref<1001xf32, strided<[1], offset: ?>>
    scf.for %j = %c0 to %c1001 step %c64 {
      %n = affine.min affine_map<(d0) -> (-d0 + 1001, 64)>(%j)
      %slice = memref.subview %row[0, %j] [1, %n] [1, 1] : memref<1x1001xf32, strided<[1001, 1], offset: ?>> to memref<1x?xf32, strided<[1001, 1], offset: ?>>
      %m = vector.create_mask %n : vector<64xi1>
      %v = vector.maskedload %slice[%c0, %c0], %m, %pad : memref<1x?xf32, strided<[1001, 1], offset: ?>>, vector<64xi1>, vector<64xf32> into vector<64xf32>
      %w = vector.load %g[%j] : memref<1001xf32>, vector<64xf32>
      %p = arith.mulf %v, %w : vector<64xf32>
      vector.maskedstore %out[%j], %m, %p : memref<1001xf32, strided<[1], offset: ?>>, vector<64xi1>, vector<64xf32>
    }
  }
  return
}

// -----

// Dynamic sizes, bf16, the rank-reduced row view the tiling makes: the
// flat size comes from memref.dim, the clamp from max(size - 1, 0) (an
// empty buffer's prefetches go to its start), and a 64-element bf16 load
// covers two lines (offsets in elements: 4096 / 2 and (4096 + 64) / 2).
// Wider than 256 KiB or dynamic rows are prefetched by every loop over
// them: they may not stay in cache between two passes.
// CHECK-LABEL: func @dynamic_bf16
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[R:.*]] = memref.dim %[[X:[a-z0-9]+]], %[[C0]]
// CHECK-DAG:     %[[C:.*]] = memref.dim %[[X]], %[[C1]]
// CHECK:         %[[N:.*]] = arith.muli %[[R]], %[[C]] : index
// CHECK-NEXT:    %[[M1:.*]] = arith.constant -1 : index
// CHECK-NEXT:    %[[NM1:.*]] = arith.addi %[[N]], %[[M1]] : index
// CHECK-NEXT:    %[[Z:.*]] = arith.constant 0 : index
// CHECK-NEXT:    %[[LAST:.*]] = arith.maxsi %[[NM1]], %[[Z]] : index
// CHECK:         %[[FLAT:.*]] = memref.collapse_shape %[[X]] {{\[\[}}0, 1]] : memref<?x?xbf16> into memref<?xbf16>
// CHECK:         scf.for %[[I:[a-z0-9]+]] =
// CHECK:           scf.for %[[J:[a-z0-9]+]] =
// CHECK:             %[[ROW:.*]] = arith.muli %[[I]], %[[C]] : index
// CHECK-NEXT:        %[[LIN:.*]] = arith.addi %[[ROW]], %[[J]] : index
// CHECK-NEXT:        %[[D0:.*]] = arith.constant 2048 : index
// CHECK-NEXT:        %[[A0:.*]] = arith.addi %[[LIN]], %[[D0]] : index
// CHECK-NEXT:        %[[P0:.*]] = arith.minsi %[[A0]], %[[LAST]] : index
// CHECK-NEXT:        memref.prefetch %[[FLAT]][%[[P0]]]
// CHECK-NEXT:        %[[D1:.*]] = arith.constant 2080 : index
// CHECK-NEXT:        %[[A1:.*]] = arith.addi %[[LIN]], %[[D1]] : index
// CHECK-NEXT:        %[[P1:.*]] = arith.minsi %[[A1]], %[[LAST]] : index
// CHECK-NEXT:        memref.prefetch %[[FLAT]][%[[P1]]]
// CHECK-NEXT:        vector.maskedload
// CHECK:           scf.for
// CHECK-COUNT-2:     memref.prefetch %[[FLAT]]
// CHECK-NEXT:        vector.maskedload
func.func @dynamic_bf16(%x: memref<?x?xbf16>, %y: memref<?x?xbf16>, %rows: index, %cols: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %pad = arith.constant dense<0.0> : vector<64xbf16>
  scf.for %i = %c0 to %rows step %c1 {
    %row = memref.subview %x[%i, 0] [1, %cols] [1, 1] : memref<?x?xbf16> to memref<?xbf16, strided<[1], offset: ?>>
    %s = scf.for %j = %c0 to %cols step %c64 iter_args(%acc = %pad) -> vector<64xbf16> {
      %left = arith.subi %cols, %j : index
      %m = vector.create_mask %left : vector<64xi1>
      %v = vector.maskedload %row[%j], %m, %pad : memref<?xbf16, strided<[1], offset: ?>>, vector<64xi1>, vector<64xbf16> into vector<64xbf16>
      %a = arith.addf %acc, %v : vector<64xbf16>
      scf.yield %a : vector<64xbf16>
    }
    scf.for %j = %c0 to %cols step %c64 {
      %left = arith.subi %cols, %j : index
      %m = vector.create_mask %left : vector<64xi1>
      %v = vector.maskedload %row[%j], %m, %pad : memref<?xbf16, strided<[1], offset: ?>>, vector<64xi1>, vector<64xbf16> into vector<64xbf16>
      %a = arith.addf %s, %v : vector<64xbf16>
      vector.maskedstore %y[%i, %j], %m, %a : memref<?x?xbf16>, vector<64xi1>, vector<64xbf16>
    }
  }
  return
}

// -----

// A norm's three passes over one row of 2 KiB: only the first loop
// prefetches; the row is in cache for the other two.
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

// A 1-D stream needs no flat view. Two loops over the two halves of a
// 64 MiB buffer both prefetch: its "row" is far larger than a cache.
// CHECK-LABEL: func @halves
// CHECK-SAME:    %[[X:[a-z0-9]+]]: memref<16777216xf32>
// CHECK-NOT:     memref.collapse_shape
// CHECK:         scf.for %[[J:[a-z0-9]+]] =
// CHECK:           %[[D:.*]] = arith.constant 1024 : index
// CHECK-NEXT:      %[[A:.*]] = arith.addi %[[J]], %[[D]] : index
// CHECK-NEXT:      %[[P:.*]] = arith.minsi %[[A]], %{{.*}}
// CHECK-NEXT:      memref.prefetch %[[X]][%[[P]]]
// CHECK-NEXT:      vector.load %[[X]][%[[J]]]
// CHECK:         scf.for
// CHECK:           memref.prefetch %[[X]]
// CHECK-NEXT:      vector.load %[[X]]
func.func @halves(%x: memref<16777216xf32>, %y: memref<16777216xf32>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %half = arith.constant 8388608 : index
  %end = arith.constant 16777216 : index
  scf.for %j = %c0 to %half step %c16 {
    %v = vector.load %x[%j] : memref<16777216xf32>, vector<16xf32>
    vector.store %v, %y[%j] : memref<16777216xf32>, vector<16xf32>
  }
  scf.for %j = %half to %end step %c16 {
    %v = vector.load %x[%j] : memref<16777216xf32>, vector<16xf32>
    vector.store %v, %y[%j] : memref<16777216xf32>, vector<16xf32>
  }
  return
}

// -----

// Rows laid end to end in a 1-D buffer: the inner loop's bounds move with
// the outer loop, so its load moves with both.
// CHECK-LABEL: func @flat_rows
// CHECK:         scf.for %[[I:[a-z0-9]+]] =
// CHECK:           scf.for %[[J:[a-z0-9]+]] =
// CHECK:             memref.prefetch
// CHECK-NEXT:        vector.load %{{.*}}[%[[J]]]
func.func @flat_rows(%x: memref<?xf32>, %rows: index, %acc: vector<16xf32>) -> vector<16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c4096 = arith.constant 4096 : index
  %r = scf.for %i = %c0 to %rows step %c1 iter_args(%a = %acc) -> vector<16xf32> {
    %start = arith.muli %i, %c4096 : index
    %stop = arith.addi %start, %c4096 : index
    %s = scf.for %j = %start to %stop step %c16 iter_args(%b = %a) -> vector<16xf32> {
      %v = vector.load %x[%j] : memref<?xf32>, vector<16xf32>
      %t = arith.addf %b, %v : vector<16xf32>
      scf.yield %t : vector<16xf32>
    }
    scf.yield %s : vector<16xf32>
  }
  return %r : vector<16xf32>
}

// -----

// Left alone: a loop with a contraction's FMAs (compute-bound), a strided
// buffer, a column walk (the loop moves the first index, not the
// contiguous one), a load outside any loop, and a buffer no larger than the
// distance (every prefetch would land on its last line).
// CHECK-LABEL: func @not_streams
// CHECK-NOT:     memref.prefetch
// CHECK-NOT:     memref.collapse_shape
// CHECK:         return
func.func @not_streams(%a: memref<128x256xf32>, %s: memref<128x256xf32, strided<[512, 1]>>,
                       %small: memref<1024xf32>, %acc: vector<16xf32>, %b: vector<16xf32>) -> vector<16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %c1024 = arith.constant 1024 : index
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
  %q = scf.for %k = %c0 to %c1024 step %c16 iter_args(%c = %u) -> vector<16xf32> {
    %v = vector.load %small[%k] : memref<1024xf32>, vector<16xf32>
    %f = arith.addf %v, %c : vector<16xf32>
    scf.yield %f : vector<16xf32>
  }
  %w = vector.load %a[%c1, %c16] : memref<128x256xf32>, vector<16xf32>
  %z = arith.addf %q, %w : vector<16xf32>
  return %z : vector<16xf32>
}
