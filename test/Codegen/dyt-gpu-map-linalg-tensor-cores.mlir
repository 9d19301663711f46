// dyt-gpu-map-linalg{tensor-cores=1}: f16 and bf16 contractions on tensor
// cores (MmaMatmulKernel.cpp); f32 and mixed operands keep the FMA kernel.
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-gpu-map-linalg{tensor-cores=1}),canonicalize,cse)" | FileCheck %s
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-gpu-map-linalg))" | FileCheck %s --check-prefix=OFF

// matmul (filled with 0) -> DyT epilogue, bf16 operands: one launch of 4
// warps per 64 x 64 tile; A staged [m][k], B [k][n], rows padded by 8.
// Lane l holds A rows l/4 (+8) at k = 2 (l%4) (+1, +8) as one 32-bit load,
// B at k = 2 (l%4) (+1, +8) of column l/4 as two loads, 2 x 4 m16n8k16
// products per 16 of k, 32 f32 accumulators; the epilogue runs on them.
// CHECK-LABEL: func.func @matmul_dyt_bf16(
// CHECK-NOT: memref.alloc
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c5, %{{.*}} = %c1, %{{.*}} = %c1) threads(%[[LANE:[a-z0-9]+]], %[[WARP:[a-z0-9]+]], %{{.*}}) in (%{{.*}} = %c32, %{{.*}} = %c4, %{{.*}} = %c1)
// CHECK-SAME: workgroup(%[[A:[a-z0-9]+]] : memref<64x40xbf16, #gpu.address_space<workgroup>>, %[[B:[a-z0-9]+]] : memref<32x72xbf16, #gpu.address_space<workgroup>>)
// CHECK: arith.divsi %{{.*}}, %c4
// CHECK: %[[LMOD4:[0-9]+]] = arith.remsi %[[LANE]], %c4
// CHECK: %[[T2:[0-9]+]] = arith.muli %{{.*}}, %c2 overflow<nsw>
// CHECK: %[[T2P8:[0-9]+]] = arith.addi %[[T2]], %c8
// CHECK: %[[T2P1:[0-9]+]] = arith.addi %[[T2]], %c1
// CHECK: scf.for %{{.*}} = %c0 to %c300 step %c32 iter_args({{.*}}) -> ({{(f32, )+}}f32)
// CHECK-COUNT-16: memref.store %{{.*}}, %[[A]][
// CHECK-COUNT-16: memref.store %{{.*}}, %[[B]][
// CHECK: gpu.barrier
// CHECK: vector.load %[[A]][%{{.*}}, %[[T2]]] {alignment = 4 : i64} : memref<64x40xbf16, #gpu.address_space<workgroup>>, vector<2xbf16>
// CHECK: vector.load %[[A]][%{{.*}}, %[[T2]]]
// CHECK: vector.load %[[A]][%{{.*}}, %[[T2P8]]]
// CHECK: vector.load %[[A]][%{{.*}}, %[[T2P8]]]
// CHECK: memref.load %[[B]][%[[T2]], %[[COL:[0-9]+]]]
// CHECK: memref.load %[[B]][%[[T2P1]], %[[COL]]]
// CHECK: vector.bitcast %{{.*}} : vector<2xbf16> to vector<1xi32>
// CHECK: memref.load %[[B]][%[[T2P8]], %[[COL]]]
// CHECK-COUNT-8: nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32)
// CHECK-COUNT-8: nvvm.mma.sync
// CHECK-NOT: nvvm.mma.sync
// CHECK: gpu.barrier
// CHECK: scf.yield
// CHECK: math.tanh
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: memref.store %{{.*}}, %arg4[
// CHECK-NOT: gpu.launch
// CHECK-NOT: linalg.
// CHECK-NOT: memref.alloc
// CHECK: return
// Without the option: the FMA kernel.
// OFF-LABEL: func.func @matmul_dyt_bf16(
// OFF-NOT: nvvm.mma.sync
// OFF: math.fma
// OFF-NOT: nvvm.mma.sync
// OFF: return
func.func @matmul_dyt_bf16(%x: memref<64x300xbf16>, %w: memref<300x257xbf16>, %a: f32, %g: memref<257xf32>, %y: memref<64x257xbf16>) {
  %c0 = arith.constant 0.0 : f32
  %m = memref.alloc() : memref<64x257xf32>
  linalg.fill ins(%c0 : f32) outs(%m : memref<64x257xf32>)
  linalg.matmul ins(%x, %w : memref<64x300xbf16>, memref<300x257xbf16>) outs(%m : memref<64x257xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%m, %g : memref<64x257xf32>, memref<257xf32>) outs(%y : memref<64x257xbf16>) {
  ^bb0(%in: f32, %gi: f32, %out: bf16):
    %0 = arith.mulf %a, %in : f32
    %1 = math.tanh %0 : f32
    %2 = arith.mulf %1, %gi : f32
    %3 = arith.truncf %2 : f32 to bf16
    linalg.yield %3 : bf16
  }
  memref.dealloc %m : memref<64x257xf32>
  return
}

// -----

// f16 batch_matmul without a fill (C += A B): f16 pairs go to mma.sync as
// vector<2xf16>; each accumulator adds the result's old value before the
// store; batches strided over the grid's z.
// CHECK-LABEL: func.func @accumulate_f16(
// CHECK: gpu.launch
// CHECK-SAME: workgroup(%{{.*}} : memref<64x40xf16, #gpu.address_space<workgroup>>, %{{.*}} : memref<32x72xf16, #gpu.address_space<workgroup>>)
// CHECK: nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {{.*}}shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (vector<2xf16>, vector<2xf16>, f32)
// CHECK: %[[OLD:[0-9]+]] = memref.load %arg2[
// CHECK: arith.addf %{{.*}}, %[[OLD]]
// CHECK: memref.store
// CHECK-NOT: gpu.launch
// CHECK: return
func.func @accumulate_f16(%x: memref<?x?x?xf16>, %w: memref<?x?x?xf16>, %y: memref<?x?x?xf32>) {
  linalg.batch_matmul ins(%x, %w : memref<?x?x?xf16>, memref<?x?x?xf16>) outs(%y : memref<?x?x?xf32>)
  return
}

// -----

// f32 operands stay on the FMA units (tensor cores would round them to
// tf32), and so do operands of two different types.
// CHECK-LABEL: func.func @f32(
// CHECK-NOT: nvvm.mma.sync
// CHECK: math.fma
// CHECK-LABEL: func.func @mixed(
// CHECK-NOT: nvvm.mma.sync
// CHECK: math.fma
// CHECK-NOT: nvvm.mma.sync
// CHECK: return
func.func @f32(%x: memref<64x64xf32>, %w: memref<64x64xf32>, %y: memref<64x64xf32>) {
  linalg.matmul ins(%x, %w : memref<64x64xf32>, memref<64x64xf32>) outs(%y : memref<64x64xf32>)
  return
}
func.func @mixed(%x: memref<64x64xbf16>, %w: memref<64x64xf16>, %y: memref<64x64xf32>) {
  linalg.matmul ins(%x, %w : memref<64x64xbf16>, memref<64x64xf16>) outs(%y : memref<64x64xf32>)
  return
}

// -----

// A bf16 DyT before the matmul, fused into the contraction: the DyT runs in
// f32 as A's slice is staged and its bf16 rounding is what the tile holds
// (the widening after it is the tensor core's).
// CHECK-LABEL: func.func @prologue_bf16(
// CHECK: gpu.launch {{.*}}workgroup(%[[A:[a-z0-9]+]] : memref<64x40xbf16, #gpu.address_space<workgroup>>, %{{.*}} : memref<32x72xbf16, #gpu.address_space<workgroup>>)
// CHECK: scf.if
// CHECK: memref.load %arg0[
// CHECK: arith.extf
// CHECK: math.tanh
// CHECK: %[[R:[0-9]+]] = arith.truncf %{{.*}} : f32 to bf16
// CHECK: scf.yield %[[R]] : bf16
// CHECK: memref.store %{{.*}}, %[[A]][
// CHECK: nvvm.mma.sync {{.*}}multiplicandAPtxType = #nvvm.mma_type<bf16>
// CHECK-NOT: linalg.
// CHECK: return
func.func @prologue_bf16(%x: memref<64x300xbf16>, %a: f32, %g: memref<300xf32>, %w: memref<300x257xbf16>, %y: memref<64x257xf32>) {
  %c0 = arith.constant 0.0 : f32
  linalg.fill ins(%c0 : f32) outs(%y : memref<64x257xf32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %g, %w : memref<64x300xbf16>, memref<300xf32>, memref<300x257xbf16>) outs(%y : memref<64x257xf32>) {
  ^bb0(%in: bf16, %gi: f32, %wi: bf16, %out: f32):
    %0 = arith.extf %in : bf16 to f32
    %1 = arith.mulf %a, %0 : f32
    %2 = math.tanh %1 : f32
    %3 = arith.mulf %2, %gi : f32
    %4 = arith.truncf %3 : f32 to bf16
    %5 = arith.extf %4 : bf16 to f32
    %6 = arith.extf %wi : bf16 to f32
    %7 = arith.mulf %5, %6 : f32
    %8 = arith.addf %out, %7 : f32
    linalg.yield %8 : f32
  }
  return
}

// -----

// Operands that are inputs read along a contiguous dim are staged 16 bytes
// per thread: one vector load where the vector is inside the operand and
// its rows are multiples of 8 elements (checked at run time for dynamic
// sizes), element by element with bounds checks otherwise. x's vector goes
// into A's k-contiguous tile as one store; W^T's (along k, its contiguous
// dim) into B's [k][n] tile lane by lane.
// CHECK-LABEL: func.func @staged_vectors(
// CHECK: arith.remui %{{.*}}, %c8 : index
// CHECK: scf.if
// CHECK-NEXT: vector.load %arg0[%{{.*}}, %{{.*}}] {alignment = 16 : i64} : memref<?x?xbf16>, vector<8xbf16>
// CHECK-NEXT: vector.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] {alignment = 16 : i64} : memref<64x40xbf16, #gpu.address_space<workgroup>>, vector<8xbf16>
// CHECK-NEXT: } else {
// CHECK-COUNT-8: memref.load %arg0
// CHECK: vector.load %arg1[%{{.*}}, %{{.*}}] {alignment = 16 : i64} : memref<?x?xbf16>, vector<8xbf16>
// CHECK-NEXT: vector.store %{{.*}} {alignment = 16 : i64} : memref<32x72xbf16, #gpu.address_space<workgroup>>, vector<8xbf16>
// CHECK: nvvm.mma.sync
// CHECK-LABEL: func.func @staged_transposed(
// CHECK: vector.load %arg1[%{{.*}}, %{{.*}}] {alignment = 16 : i64} : memref<?x?xbf16>, vector<8xbf16>
// CHECK-COUNT-8: memref.store %{{.*}} : memref<32x72xbf16, #gpu.address_space<workgroup>>
// CHECK: } else {
// CHECK: nvvm.mma.sync
func.func @staged_vectors(%x: memref<?x?xbf16>, %w: memref<?x?xbf16>, %y: memref<?x?xf32>) {
  %c0 = arith.constant 0.0 : f32
  linalg.fill ins(%c0 : f32) outs(%y : memref<?x?xf32>)
  linalg.matmul ins(%x, %w : memref<?x?xbf16>, memref<?x?xbf16>) outs(%y : memref<?x?xf32>)
  return
}
func.func @staged_transposed(%x: memref<?x?xbf16>, %w: memref<?x?xbf16>, %y: memref<?x?xf32>) {
  %c0 = arith.constant 0.0 : f32
  linalg.fill ins(%c0 : f32) outs(%y : memref<?x?xf32>)
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
    ins(%x, %w : memref<?x?xbf16>, memref<?x?xbf16>) outs(%y : memref<?x?xf32>)
  return
}
