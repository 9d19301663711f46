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

// -----

// A lane of bf16/f16 at a run-time position (insertelement,
// extractelement) is moved as i16: LLVM moves it through memory, and a
// promoted bf16 went through f32 with a __truncsfbf2 call. A chain from a
// load to a store is integer from end to end once the bitcast pairs
// cancel. At a constant position (and in shuffles) the lane stays bf16:
// LLVM keeps it in registers, and fuses the widening that usually follows.
// CHECK-LABEL: llvm.func @lane_moves
// CHECK:         %[[S:.*]] = llvm.load %arg0 : !llvm.ptr -> vector<1xi16>
// CHECK:         %[[E:.*]] = llvm.extractelement %[[S]][%arg2 : i64] : vector<1xi16>
// CHECK:         %[[P:.*]] = llvm.bitcast %{{.*}} : vector<8xbf16> to vector<8xi16>
// CHECK:         %[[I:.*]] = llvm.insertelement %[[E]], %[[P]][%arg2 : i64] : vector<8xi16>
// CHECK:         %[[IB:.*]] = llvm.bitcast %[[I]] : vector<8xi16> to vector<8xbf16>
// CHECK:         llvm.store %[[I]], %arg1 : vector<8xi16>, !llvm.ptr
// CHECK:         %[[C:.*]] = llvm.insertelement %{{.*}}, %[[IB]][%{{.*}} : i64] : vector<8xbf16>
// CHECK:         %[[SH:.*]] = llvm.shufflevector %[[C]], %[[C]] [1, 0, 3, 2, 5, 4, 7, 6] : vector<8xbf16>
// CHECK:         %[[SHI:.*]] = llvm.bitcast %[[SH]] : vector<8xbf16> to vector<8xi16>
// CHECK:         llvm.store %[[SHI]], %arg1 : vector<8xi16>, !llvm.ptr
// CHECK:         llvm.return
llvm.func @lane_moves(%p: !llvm.ptr, %q: !llvm.ptr, %i: i64, %s: bf16) {
  %l = llvm.load %p : !llvm.ptr -> vector<1xbf16>
  %e = llvm.extractelement %l[%i : i64] : vector<1xbf16>
  %u = llvm.mlir.poison : vector<8xbf16>
  %v = llvm.insertelement %e, %u[%i : i64] : vector<8xbf16>
  llvm.store %v, %q : vector<8xbf16>, !llvm.ptr
  %c3 = llvm.mlir.constant(3 : i64) : i64
  %c = llvm.insertelement %s, %v[%c3 : i64] : vector<8xbf16>
  %w = llvm.shufflevector %c, %c [1, 0, 3, 2, 5, 4, 7, 6] : vector<8xbf16>
  llvm.store %w, %q : vector<8xbf16>, !llvm.ptr
  llvm.return
}

// -----

// A bf16 vector carried around a loop (a phi) is carried as i16: LLVM
// legalises a value that crosses blocks on its own, through f32 where bf16
// is promoted. Every branch forwarding to the block casts its value (both
// edges of the cond_br); the entry block's arguments (the function's) stay.
// The f16 value computed on (an fadd) keeps its type where it is used.
// CHECK-LABEL: llvm.func @loop_carried
// CHECK-SAME:    (%[[X:.*]]: vector<32xbf16>, %{{.*}}: vector<4xf16>,
// CHECK:         %[[XI:.*]] = llvm.bitcast %[[X]] : vector<32xbf16> to vector<32xi16>
// CHECK:         llvm.br ^bb1(%{{.*}}, %[[XI]], %{{.*}} : i64, vector<32xi16>, vector<4xi16>)
// CHECK:       ^bb1(%{{.*}}: i64, %[[V:.*]]: vector<32xi16>, %[[H:.*]]: vector<4xi16>):
// CHECK:         %[[HF:.*]] = llvm.bitcast %[[H]] : vector<4xi16> to vector<4xf16>
// CHECK:         %[[L:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i16
// CHECK:         %[[N:.*]] = llvm.insertelement %[[L]], %[[V]][%{{.*}} : i64] : vector<32xi16>
// CHECK:         %[[SUM:.*]] = llvm.fadd %[[HF]], %[[HF]] : vector<4xf16>
// CHECK:         %[[SUMI:.*]] = llvm.bitcast %[[SUM]] : vector<4xf16> to vector<4xi16>
// CHECK:         llvm.cond_br %{{.*}}, ^bb1(%{{.*}}, %[[N]], %[[SUMI]] : i64, vector<32xi16>, vector<4xi16>), ^bb2(%[[N]] : vector<32xi16>)
// CHECK:       ^bb2(%[[R:.*]]: vector<32xi16>):
// CHECK:         llvm.store %[[R]], %{{.*}} : vector<32xi16>, !llvm.ptr
llvm.func @loop_carried(%x: vector<32xbf16>, %h: vector<4xf16>, %p: !llvm.ptr, %n: i64) {
  %c0 = llvm.mlir.constant(0 : i64) : i64
  %c1 = llvm.mlir.constant(1 : i64) : i64
  llvm.br ^bb1(%c0, %x, %h : i64, vector<32xbf16>, vector<4xf16>)
^bb1(%i: i64, %v: vector<32xbf16>, %a: vector<4xf16>):
  %s = llvm.load %p : !llvm.ptr -> bf16
  %w = llvm.insertelement %s, %v[%i : i64] : vector<32xbf16>
  %b = llvm.fadd %a, %a : vector<4xf16>
  %next = llvm.add %i, %c1 : i64
  %more = llvm.icmp "slt" %next, %n : i64
  llvm.cond_br %more, ^bb1(%next, %w, %b : i64, vector<32xbf16>, vector<4xf16>), ^bb2(%w : vector<32xbf16>)
^bb2(%r: vector<32xbf16>):
  llvm.store %r, %p : vector<32xbf16>, !llvm.ptr
  llvm.return
}

// -----

// Negative: f32 lane moves and f32 block arguments are left as they are.
// CHECK-LABEL: llvm.func @f32_left_alone
// CHECK-NOT:     llvm.bitcast
// CHECK:       ^bb1(%{{.*}}: vector<8xf32>):
// CHECK:         llvm.insertelement %{{.*}}, %{{.*}}[%{{.*}} : i64] : vector<8xf32>
// CHECK-NOT:     llvm.bitcast
llvm.func @f32_left_alone(%x: vector<8xf32>, %s: f32, %i: i64, %p: !llvm.ptr) {
  llvm.br ^bb1(%x : vector<8xf32>)
^bb1(%v: vector<8xf32>):
  %w = llvm.insertelement %s, %v[%i : i64] : vector<8xf32>
  llvm.store %w, %p : vector<8xf32>, !llvm.ptr
  llvm.return
}
