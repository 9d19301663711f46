// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(llvm.func(dyt-llvm-half-memory-as-integers))" | FileCheck %s

// Stores of bf16 and f16 (vectors, scalars, masked) store the same bits as
// i16; alignment and the non-temporal flag are kept (LLVM's x86 backend
// streams only integer, f32 and f64 vectors).
// CHECK-LABEL: llvm.func @stores
// CHECK:         %[[B:.*]] = llvm.bitcast %arg0 : vector<32xbf16> to vector<32xi16>
// CHECK:         llvm.store %[[B]], %arg4 {alignment = 64 : i64, nontemporal} : vector<32xi16>, !llvm.ptr
// CHECK:         %[[H:.*]] = llvm.bitcast %arg1 : vector<32xf16> to vector<32xi16>
// CHECK:         llvm.store %[[H]], %arg4 : vector<32xi16>, !llvm.ptr
// CHECK:         %[[S:.*]] = llvm.bitcast %arg2 : bf16 to i16
// CHECK:         llvm.store %[[S]], %arg4 : i16, !llvm.ptr
// CHECK:         %[[M:.*]] = llvm.bitcast %arg0 : vector<32xbf16> to vector<32xi16>
// CHECK:         llvm.intr.masked.store %[[M]], %arg4, %arg3 {alignment = 2 : i32} : vector<32xi16>, vector<32xi1> into !llvm.ptr
llvm.func @stores(%b: vector<32xbf16>, %h: vector<32xf16>, %s: bf16, %mask: vector<32xi1>, %p: !llvm.ptr) {
  llvm.store %b, %p {alignment = 64 : i64, nontemporal} : vector<32xbf16>, !llvm.ptr
  llvm.store %h, %p : vector<32xf16>, !llvm.ptr
  llvm.store %s, %p : bf16, !llvm.ptr
  llvm.intr.masked.store %b, %p, %mask {alignment = 2 : i32} : vector<32xbf16>, vector<32xi1> into !llvm.ptr
  llvm.return
}

// -----

// Loads read i16 and give their users the bf16/f16 value back; a masked
// load's pass-through is cast the same way.
// CHECK-LABEL: llvm.func @loads
// CHECK:         %[[L:.*]] = llvm.load %arg0 {alignment = 2 : i64} : !llvm.ptr -> vector<16xi16>
// CHECK:         %[[LB:.*]] = llvm.bitcast %[[L]] : vector<16xi16> to vector<16xbf16>
// CHECK:         %[[PT:.*]] = llvm.bitcast %arg2 : vector<16xf16> to vector<16xi16>
// CHECK:         %[[ML:.*]] = llvm.intr.masked.load %arg0, %arg1, %[[PT]] {alignment = 2 : i32} : (!llvm.ptr, vector<16xi1>, vector<16xi16>) -> vector<16xi16>
// CHECK:         %[[MB:.*]] = llvm.bitcast %[[ML]] : vector<16xi16> to vector<16xf16>
// CHECK:         %[[SL:.*]] = llvm.load %arg0 : !llvm.ptr -> i16
// CHECK:         %[[SB:.*]] = llvm.bitcast %[[SL]] : i16 to bf16
// CHECK:         llvm.insertvalue %[[LB]]
// CHECK:         llvm.insertvalue %[[MB]]
// CHECK:         llvm.insertvalue %[[SB]]
llvm.func @loads(%p: !llvm.ptr, %mask: vector<16xi1>, %pass: vector<16xf16>) -> !llvm.struct<(vector<16xbf16>, vector<16xf16>, bf16)> {
  %0 = llvm.load %p {alignment = 2 : i64} : !llvm.ptr -> vector<16xbf16>
  %1 = llvm.intr.masked.load %p, %mask, %pass {alignment = 2 : i32} : (!llvm.ptr, vector<16xi1>, vector<16xf16>) -> vector<16xf16>
  %2 = llvm.load %p : !llvm.ptr -> bf16
  %u = llvm.mlir.poison : !llvm.struct<(vector<16xbf16>, vector<16xf16>, bf16)>
  %r0 = llvm.insertvalue %0, %u[0] : !llvm.struct<(vector<16xbf16>, vector<16xf16>, bf16)>
  %r1 = llvm.insertvalue %1, %r0[1] : !llvm.struct<(vector<16xbf16>, vector<16xf16>, bf16)>
  %r2 = llvm.insertvalue %2, %r1[2] : !llvm.struct<(vector<16xbf16>, vector<16xf16>, bf16)>
  llvm.return %r2 : !llvm.struct<(vector<16xbf16>, vector<16xf16>, bf16)>
}

// -----

// Negative: f32 and integer accesses are left as they are.
// CHECK-LABEL: llvm.func @left_alone
// CHECK-NOT:     llvm.bitcast
// CHECK:         llvm.store %arg0, %arg2 {nontemporal} : vector<16xf32>, !llvm.ptr
// CHECK:         llvm.store %arg1, %arg2 : vector<16xi16>, !llvm.ptr
// CHECK:         llvm.load %arg2 : !llvm.ptr -> f32
// CHECK-NOT:     llvm.bitcast
llvm.func @left_alone(%f: vector<16xf32>, %i: vector<16xi16>, %p: !llvm.ptr) -> f32 {
  llvm.store %f, %p {nontemporal} : vector<16xf32>, !llvm.ptr
  llvm.store %i, %p : vector<16xi16>, !llvm.ptr
  %0 = llvm.load %p : !llvm.ptr -> f32
  llvm.return %0 : f32
}
