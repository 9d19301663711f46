// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-cpu-lower-vectors))" | FileCheck %s

// A row tile: unit dims dropped (1-D masked load/store), the reduction
// lowered to a horizontal vector.reduction.
// CHECK-LABEL: func @row_sum
// CHECK:         vector.maskedload {{.*}} : memref<{{.*}}>, vector<64xi1>, vector<64xf32> into vector<64xf32>
// CHECK:         vector.reduction <add>, %{{.*}} : vector<64xf32> into f32
// CHECK-NOT:     vector.multi_reduction
// CHECK-NOT:     vector.transfer_read
func.func @row_sum(%x: memref<1x1000xf32>, %i: index, %n: index, %acc: vector<1xf32>) -> vector<1xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = arith.constant 0.0 : f32
  %m = vector.create_mask %c1, %n : vector<1x64xi1>
  %v = vector.transfer_read %x[%c0, %i], %pad, %m {in_bounds = [true, true]} : memref<1x1000xf32>, vector<1x64xf32>
  %s = vector.multi_reduction <add>, %v, %acc [1] : vector<1x64xf32> to vector<1xf32>
  return %s : vector<1xf32>
}

// -----

// A contraction becomes FMAs (outer products), no vector.contract left.
// CHECK-LABEL: func @contract
// CHECK-NOT:     vector.contract
// CHECK:         vector.fma
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (k, n)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @contract(%a: vector<4x1xf32>, %b: vector<1x16xf32>, %c: vector<4x16xf32>) -> vector<4x16xf32> {
  %r = vector.contract {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>}
      %a, %b, %c : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
  return %r : vector<4x16xf32>
}

// -----

// A batch_matmul tile: a unit batch dim and f16 operands into f32
// accumulators. The unit dim goes first, then it is a plain contraction:
// widened operands and FMAs, no vector.contract left (before, neither
// lowering took it, and the LLVM conversion failed).
// CHECK-LABEL: func @batched_mixed
// CHECK-NOT:     vector.contract
// CHECK:         arith.extf {{.*}} to vector<16xf32>
// CHECK:         vector.fma {{.*}} : vector<16xf32>
// CHECK-NOT:     vector.contract
#ba = affine_map<(b, m, n, k) -> (b, m, k)>
#bb = affine_map<(b, m, n, k) -> (b, k, n)>
#bc = affine_map<(b, m, n, k) -> (b, m, n)>
func.func @batched_mixed(%a: vector<1x4x1xf16>, %b: vector<1x1x16xf16>, %c: vector<1x4x16xf32>) -> vector<1x4x16xf32> {
  %r = vector.contract {indexing_maps = [#ba, #bb, #bc], iterator_types = ["parallel", "parallel", "parallel", "reduction"], kind = #vector.kind<add>}
      %a, %b, %c : vector<1x4x1xf16>, vector<1x1x16xf16> into vector<1x4x16xf32>
  return %r : vector<1x4x16xf32>
}

// -----

// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-cpu-lower-vectors{nontemporal-result-stores=true}))" | FileCheck %s --check-prefix=NT
// Stores into the returned buffer (through a subview) stream past the cache;
// stores into a scratch buffer the function reads back do not.
// NT-LABEL: func @streaming
// NT:         vector.store %{{.*}}, %[[TMP:.*]][%{{.*}}] : memref<64xf32>, vector<16xf32>
// NT-NOT:     nontemporal
// NT:         vector.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] {nontemporal = true} : memref<1x64xf32, strided<[64, 1], offset: ?>>, vector<16xf32>
// CHECK-LABEL: func @streaming
// CHECK-NOT:     nontemporal
func.func @streaming(%v: vector<16xf32>, %i: index) -> memref<4x64xf32> {
  %c0 = arith.constant 0 : index
  %out = memref.alloc() : memref<4x64xf32>
  %tmp = memref.alloc() : memref<64xf32>
  vector.store %v, %tmp[%c0] : memref<64xf32>, vector<16xf32>
  %w = vector.load %tmp[%c0] : memref<64xf32>, vector<16xf32>
  %row = memref.subview %out[%i, 0] [1, 64] [1, 1] : memref<4x64xf32> to memref<1x64xf32, strided<[64, 1], offset: ?>>
  vector.store %w, %row[%c0, %c0] : memref<1x64xf32, strided<[64, 1], offset: ?>>, vector<16xf32>
  memref.dealloc %tmp : memref<64xf32>
  return %out : memref<4x64xf32>
}

// -----

// A returned buffer that the function also reads back (an accumulator) keeps
// cached stores.
// NT-LABEL: func @returned_and_read
// NT-NOT:     nontemporal
// NT:         return
func.func @returned_and_read(%v: vector<16xf32>) -> memref<64xf32> {
  %c0 = arith.constant 0 : index
  %acc = memref.alloc() : memref<64xf32>
  vector.store %v, %acc[%c0] : memref<64xf32>, vector<16xf32>
  %w = vector.load %acc[%c0] : memref<64xf32>, vector<16xf32>
  %s = arith.addf %w, %v : vector<16xf32>
  vector.store %s, %acc[%c0] : memref<64xf32>, vector<16xf32>
  return %acc : memref<64xf32>
}

// -----

// Streaming stores carry the alignment the IR proves: a 64-byte aligned
// allocation, rows of 1024 f32 (4096 bytes) picked by a forall index, and a
// column loop that starts at 0 and steps by 64 elements: every store address
// is a multiple of 64 bytes (x86 streams only aligned vectors).
// NT-LABEL: func @aligned_rows
// NT:         vector.store {{.*}} {alignment = 64 : i64, nontemporal = true} : memref<1x1024xf32, strided<[1024, 1], offset: ?>>, vector<64xf32>
func.func @aligned_rows(%v: vector<64xf32>) -> memref<8x1024xf32> {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c1024 = arith.constant 1024 : index
  %out = memref.alloc() {alignment = 64 : i64} : memref<8x1024xf32>
  scf.forall (%r) in (8) {
    %row = memref.subview %out[%r, 0] [1, 1024] [1, 1] : memref<8x1024xf32> to memref<1x1024xf32, strided<[1024, 1], offset: ?>>
    scf.for %j = %c0 to %c1024 step %c64 {
      vector.store %v, %row[%c0, %j] : memref<1x1024xf32, strided<[1024, 1], offset: ?>>, vector<64xf32>
    }
  }
  return %out : memref<8x1024xf32>
}

// -----

// A row of 771 f32 split at its first cache line (align-row-heads): its body
// starts at 771 * r + (-771 * r) mod 16 elements, a multiple of 16 that only
// the sum shows (771 * r and the head alone are not), so the body streams
// with 64-byte alignment. Negative: a body one element past that line start
// keeps cached stores.
// NT-LABEL: func @row_body_after_head
// NT:         vector.store {{.*}} {alignment = 64 : i64, nontemporal = true} : memref<1x752xf32, strided<[771, 1], offset: ?>>, vector<64xf32>
// NT:         vector.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : memref<1x751xf32, strided<[771, 1], offset: ?>>, vector<64xf32>
func.func @row_body_after_head(%v: vector<64xf32>) -> (memref<8x771xf32>, memref<8x771xf32>) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c704 = arith.constant 704 : index
  %out = memref.alloc() {alignment = 64 : i64} : memref<8x771xf32>
  %off = memref.alloc() {alignment = 64 : i64} : memref<8x771xf32>
  scf.forall (%r) in (8) {
    %row = memref.subview %out[%r, 0] [1, 771] [1, 1] : memref<8x771xf32> to memref<1x771xf32, strided<[771, 1], offset: ?>>
    %h = affine.apply affine_map<()[s0] -> ((s0 * -771) mod 16)>()[%r]
    %body = memref.subview %row[0, %h] [1, 752] [1, 1] : memref<1x771xf32, strided<[771, 1], offset: ?>> to memref<1x752xf32, strided<[771, 1], offset: ?>>
    scf.for %j = %c0 to %c704 step %c64 {
      vector.store %v, %body[%c0, %j] : memref<1x752xf32, strided<[771, 1], offset: ?>>, vector<64xf32>
    }
    %row2 = memref.subview %off[%r, 0] [1, 771] [1, 1] : memref<8x771xf32> to memref<1x771xf32, strided<[771, 1], offset: ?>>
    %h1 = affine.apply affine_map<()[s0] -> ((s0 * -771) mod 16 + 1)>()[%r]
    %body2 = memref.subview %row2[0, %h1] [1, 751] [1, 1] : memref<1x771xf32, strided<[771, 1], offset: ?>> to memref<1x751xf32, strided<[771, 1], offset: ?>>
    scf.for %j = %c0 to %c64 step %c64 {
      vector.store %v, %body2[%c0, %j] : memref<1x751xf32, strided<[771, 1], offset: ?>>, vector<64xf32>
    }
  }
  return %out, %off : memref<8x771xf32>, memref<8x771xf32>
}

// -----

// Negative: rows of 1001 elements (row r starts at 4004 * r bytes: only the
// element's own 4-byte alignment, in a 64-byte aligned buffer of static
// strides: not provably 16-byte aligned, so cached stores rather than a
// movnti series), a column
// loop stepping by 4 elements (16 bytes), and an allocation aligned to 16
// bytes only: the alignment claimed is what each of them allows.
// NT-LABEL: func @partly_aligned
// NT:         vector.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : memref<1x1001xf32
// NT:         vector.store {{.*}} {alignment = 16 : i64, nontemporal = true} : memref<1024xf32>
// NT:         vector.store {{.*}} {alignment = 16 : i64, nontemporal = true} : memref<256xf32>
func.func @partly_aligned(%v: vector<16xf32>, %n: index) -> (memref<8x1001xf32>, memref<1024xf32>, memref<256xf32>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %c1000 = arith.constant 1000 : index
  %odd = memref.alloc() {alignment = 64 : i64} : memref<8x1001xf32>
  %flat = memref.alloc() {alignment = 64 : i64} : memref<1024xf32>
  %small = memref.alloc() {alignment = 16 : i64} : memref<256xf32>
  scf.forall (%r) in (8) {
    %row = memref.subview %odd[%r, 0] [1, 1001] [1, 1] : memref<8x1001xf32> to memref<1x1001xf32, strided<[1001, 1], offset: ?>>
    vector.store %v, %row[%c0, %c0] : memref<1x1001xf32, strided<[1001, 1], offset: ?>>, vector<16xf32>
  }
  scf.for %j = %c0 to %c1000 step %c4 {
    vector.store %v, %flat[%j] : memref<1024xf32>, vector<16xf32>
  }
  scf.for %j = %c0 to %c64 step %c64 {
    vector.store %v, %small[%j] : memref<256xf32>, vector<16xf32>
  }
  return %odd, %flat, %small : memref<8x1001xf32>, memref<1024xf32>, memref<256xf32>
}

// -----

// Dynamic strides: rows of %n elements may be aligned at run time. The
// forall is versioned on the row stride being a multiple of a 64-byte line
// (16 f32): that copy streams, with the alignment that then holds; the
// other keeps cached stores.
// NT-LABEL: func @dynamic_rows
// NT:         %{{.*}}, %{{.*}}, %{{.*}}:2, %[[STRIDES:.*]]:2 = memref.extract_strided_metadata %{{.*}} : memref<?x?xf32>
// NT:         %[[LINE:.*]] = arith.constant 16 : index
// NT:         %[[REM:.*]] = arith.remui %[[STRIDES]]#0, %[[LINE]] : index
// NT:         %[[OK:.*]] = arith.cmpi eq, %[[REM]], %{{.*}} : index
// NT:         %[[COND:.*]] = arith.andi %{{.*}}, %[[OK]] : i1
// NT:         scf.if %[[COND]] {
// NT:           scf.forall
// NT:             vector.store {{.*}} {alignment = 64 : i64, nontemporal = true} : memref<1x?xf32
// NT:         } else {
// NT:           scf.forall
// NT-NOT:         nontemporal
// NT:             vector.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : memref<1x?xf32
// NT-NOT:         nontemporal
// NT:         return
func.func @dynamic_rows(%v: vector<16xf32>, %rows: index, %n: index) -> memref<?x?xf32> {
  %c0 = arith.constant 0 : index
  %out = memref.alloc(%rows, %n) {alignment = 64 : i64} : memref<?x?xf32>
  scf.forall (%r) in (%rows) {
    %row = memref.subview %out[%r, 0] [1, %n] [1, 1] : memref<?x?xf32> to memref<1x?xf32, strided<[?, 1], offset: ?>>
    vector.store %v, %row[%c0, %c0] : memref<1x?xf32, strided<[?, 1], offset: ?>>, vector<16xf32>
  }
  return %out : memref<?x?xf32>
}

// -----

// A versioned loop with results: both copies yield them, and the function
// returns the scf.if's. bf16 rows need a multiple of 32 elements.
// NT-LABEL: func @dynamic_rows_with_results
// NT:         memref.extract_strided_metadata
// NT:         arith.constant 32 : index
// NT:         %[[R:.*]] = scf.if %{{.*}} -> (index) {
// NT:           %[[A:.*]] = scf.for {{.*}} -> (index)
// NT:             vector.store {{.*}} {alignment = 64 : i64, nontemporal = true} : memref<1x?xbf16
// NT:           scf.yield %[[A]] : index
// NT:         } else {
// NT:           %[[B:.*]] = scf.for {{.*}} -> (index)
// NT:             vector.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : memref<1x?xbf16
// NT:           scf.yield %[[B]] : index
// NT:         return %{{.*}}, %[[R]] :
func.func @dynamic_rows_with_results(%v: vector<32xbf16>, %rows: index, %n: index) -> (memref<?x?xbf16>, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %out = memref.alloc(%rows, %n) {alignment = 64 : i64} : memref<?x?xbf16>
  %count = scf.for %r = %c0 to %rows step %c1 iter_args(%acc = %c0) -> (index) {
    %row = memref.subview %out[%r, 0] [1, %n] [1, 1] : memref<?x?xbf16> to memref<1x?xbf16, strided<[?, 1], offset: ?>>
    vector.store %v, %row[%c0, %c0] : memref<1x?xbf16, strided<[?, 1], offset: ?>>, vector<32xbf16>
    %next = arith.addi %acc, %c1 : index
    scf.yield %next : index
  }
  return %out, %count : memref<?x?xbf16>, index
}

// -----

// Negative: dynamic strides, but a column index with no known divisor (%j)
// leaves the store unaligned even with aligned rows; and a cast that forgets
// the static row stride of 4001 must not let the check (on the allocation's
// dynamic strides: none) vouch for it. Neither is versioned nor streamed.
// NT-LABEL: func @dynamic_rows_unaligned
// NT-NOT:     scf.if
// NT-NOT:     nontemporal
// NT:         return
func.func @dynamic_rows_unaligned(%v: vector<16xf32>, %rows: index, %n: index, %j: index) -> (memref<?x?xf32>, memref<8x4001xf32>) {
  %c0 = arith.constant 0 : index
  %out = memref.alloc(%rows, %n) {alignment = 64 : i64} : memref<?x?xf32>
  scf.forall (%r) in (%rows) {
    %row = memref.subview %out[%r, 0] [1, %n] [1, 1] : memref<?x?xf32> to memref<1x?xf32, strided<[?, 1], offset: ?>>
    vector.store %v, %row[%c0, %j] : memref<1x?xf32, strided<[?, 1], offset: ?>>, vector<16xf32>
  }
  %odd = memref.alloc() {alignment = 64 : i64} : memref<8x4001xf32>
  %forgot = memref.cast %odd : memref<8x4001xf32> to memref<8x4001xf32, strided<[?, 1]>>
  scf.forall (%r) in (8) {
    %row = memref.subview %forgot[%r, 0] [1, 4001] [1, 1] : memref<8x4001xf32, strided<[?, 1]>> to memref<1x4001xf32, strided<[?, 1], offset: ?>>
    vector.store %v, %row[%c0, %c0] : memref<1x4001xf32, strided<[?, 1], offset: ?>>, vector<16xf32>
  }
  return %out, %odd : memref<?x?xf32>, memref<8x4001xf32>
}
