// dyt-gpu-map-linalg{tensor-cores=1}: f16 and bf16 contractions on tensor
// cores (MmaMatmulKernel.cpp); f32 and mixed operands keep the FMA kernel.
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-gpu-map-linalg{tensor-cores=1}),canonicalize,cse)" | FileCheck %s
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-gpu-map-linalg))" | FileCheck %s --check-prefix=OFF

// matmul (filled with 0) -> DyT epilogue, bf16 operands: one launch of 4
// warps per 64 x 64 tile; A staged [m][k], B [k][n], rows padded by 8, two
// stages of each. Slice 0 is staged (element by element here: 300 is not a
// multiple of 8) and committed before the k loop; each iteration waits for
// its slice's group, passes the one barrier, stages and commits the next
// slice into the other stage when there is one, and multiplies this stage;
// a barrier after the loop, before the next tile's slice 0. ldmatrix .x4
// takes lane l's row l % 16 and column 8 (l / 16) of a 16 x 16 block: A's
// at rows warpRow (+16), whose four registers are a0..a3 in order, B's
// (.trans) at columns warpCol (+16), registers 0, 1 for the first n8 tile
// and 2, 3 for the second; for each 16 of the slice's k, 2 x 4 m16n8k16
// products, 32 f32 accumulators; the epilogue runs on them.
// CHECK-LABEL: func.func @matmul_dyt_bf16(
// CHECK-NOT: memref.alloc
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c5, %{{.*}} = %c1, %{{.*}} = %c1) threads(%[[LANE:[a-z0-9]+]], %[[WARP:[a-z0-9]+]], %{{.*}}) in (%{{.*}} = %c32, %{{.*}} = %c4, %{{.*}} = %c1)
// CHECK-SAME: workgroup(%[[A:[a-z0-9]+]] : memref<2x64x40xbf16, #gpu.address_space<workgroup>>, %[[B:[a-z0-9]+]] : memref<2x32x72xbf16, #gpu.address_space<workgroup>>)
// CHECK: %[[WDIV:[0-9]+]] = arith.divui %[[WARP]], %c2
// CHECK-NEXT: %[[WROW:[0-9]+]] = arith.muli %[[WDIV]], %c32
// CHECK-NEXT: %[[WREM:[0-9]+]] = arith.remui %[[WARP]], %c2
// CHECK-NEXT: %[[WCOL:[0-9]+]] = arith.muli %[[WREM]], %c32
// CHECK: %[[BROW:[0-9]+]] = arith.remui %[[LANE]], %c16 : index
// CHECK: %[[LDIV16:[0-9]+]] = arith.divui %[[LANE]], %c16 : index
// CHECK: %[[BCOL:[0-9]+]] = arith.muli %[[LDIV16]], %c8 : index
// CHECK: %[[A0:[a-z0-9_]+]] = memref.subview %[[A]][0, 0, 0] [1, 64, 40] [1, 1, 1]
// CHECK-COUNT-16: memref.store %{{.*}}, %[[A0]][
// CHECK: %[[B0:[a-z0-9_]+]] = memref.subview %[[B]][0, 0, 0] [1, 32, 72] [1, 1, 1]
// CHECK-COUNT-16: memref.store %{{.*}}, %[[B0]][
// CHECK-NEXT: nvvm.cp.async.commit.group
// CHECK-NEXT: scf.for %[[K:[a-z0-9]+]] = %c0 to %c300 step %c32 iter_args({{.*}}) -> ({{(f32, )+}}f32)
// CHECK-NEXT: %[[KS:[0-9]+]] = arith.divui %[[K]], %c32
// CHECK-NEXT: %[[STAGE:[0-9]+]] = arith.andi %[[KS]], %c1
// CHECK-NEXT: nvvm.cp.async.wait.group 0
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: %[[NEXTK:[0-9]+]] = arith.addi %[[K]], %c32
// CHECK-NEXT: %[[MORE:[0-9]+]] = arith.cmpi ult, %[[NEXTK]], %c300
// CHECK-NEXT: scf.if %[[MORE]] {
// CHECK-NEXT: %[[OTHER:[0-9]+]] = arith.xori %[[STAGE]], %c1
// CHECK-NEXT: %[[A1:[a-z0-9_]+]] = memref.subview %[[A]][%[[OTHER]], 0, 0] [1, 64, 40] [1, 1, 1]
// CHECK-COUNT-16: memref.store %{{.*}}, %[[A1]][
// CHECK: %[[B1:[a-z0-9_]+]] = memref.subview %[[B]][%[[OTHER]], 0, 0] [1, 32, 72] [1, 1, 1]
// CHECK-COUNT-16: memref.store %{{.*}}, %[[B1]][
// CHECK-NEXT: nvvm.cp.async.commit.group
// CHECK-NEXT: }
// CHECK-NEXT: %[[AS:[a-z0-9_]+]] = memref.subview %[[A]][%[[STAGE]], 0, 0] [1, 64, 40] [1, 1, 1]
// CHECK-NEXT: %[[BS:[a-z0-9_]+]] = memref.subview %[[B]][%[[STAGE]], 0, 0] [1, 32, 72] [1, 1, 1]
// CHECK-NEXT: %[[AR:[0-9]+]] = arith.addi %[[WROW]], %[[BROW]]
// CHECK-NEXT: %[[FA:[0-9]+]] = nvgpu.ldmatrix %[[AS]][%[[AR]], %[[BCOL]]] {numTiles = 4 : i32, transpose = false} : memref<64x40xbf16, strided<[40, 1], offset: ?>, #gpu.address_space<workgroup>> -> vector<4x2xbf16>
// CHECK-NEXT: vector.extract %[[FA]][0] : vector<2xbf16> from vector<4x2xbf16>
// CHECK-NEXT: vector.bitcast %{{.*}} : vector<2xbf16> to vector<1xi32>
// CHECK-NEXT: %[[RA0:[0-9]+]] = vector.extract %{{.*}}[0] : i32
// CHECK-NEXT: vector.extract %[[FA]][1]
// CHECK-NEXT: vector.bitcast
// CHECK-NEXT: %[[RA1:[0-9]+]] = vector.extract %{{.*}}[0] : i32
// CHECK-NEXT: vector.extract %[[FA]][2]
// CHECK-NEXT: vector.bitcast
// CHECK-NEXT: %[[RA2:[0-9]+]] = vector.extract %{{.*}}[0] : i32
// CHECK-NEXT: vector.extract %[[FA]][3]
// CHECK-NEXT: vector.bitcast
// CHECK-NEXT: %[[RA3:[0-9]+]] = vector.extract %{{.*}}[0] : i32
// CHECK-NEXT: %[[AR16:[0-9]+]] = arith.addi %[[WROW]], %c16
// CHECK-NEXT: %[[AR1:[0-9]+]] = arith.addi %[[AR16]], %[[BROW]]
// CHECK-NEXT: nvgpu.ldmatrix %[[AS]][%[[AR1]], %[[BCOL]]] {numTiles = 4 : i32, transpose = false}
// CHECK: %[[BC:[0-9]+]] = arith.addi %[[WCOL]], %[[BCOL]]
// CHECK-NEXT: %[[FB:[0-9]+]] = nvgpu.ldmatrix %[[BS]][%[[BROW]], %[[BC]]] {numTiles = 4 : i32, transpose = true} : memref<32x72xbf16, strided<[72, 1], offset: ?>, #gpu.address_space<workgroup>> -> vector<4x2xbf16>
// CHECK-NEXT: vector.extract %[[FB]][0]
// CHECK-NEXT: vector.bitcast
// CHECK-NEXT: %[[RB0:[0-9]+]] = vector.extract %{{.*}}[0] : i32
// CHECK-NEXT: vector.extract %[[FB]][1]
// CHECK-NEXT: vector.bitcast
// CHECK-NEXT: %[[RB1:[0-9]+]] = vector.extract %{{.*}}[0] : i32
// CHECK-NEXT: vector.extract %[[FB]][2]
// CHECK-NEXT: vector.bitcast
// CHECK-NEXT: %[[RB2:[0-9]+]] = vector.extract %{{.*}}[0] : i32
// CHECK-NEXT: vector.extract %[[FB]][3]
// CHECK-NEXT: vector.bitcast
// CHECK-NEXT: %[[RB3:[0-9]+]] = vector.extract %{{.*}}[0] : i32
// CHECK-NEXT: %[[BC16:[0-9]+]] = arith.addi %[[WCOL]], %c16
// CHECK-NEXT: %[[BC1:[0-9]+]] = arith.addi %[[BC16]], %[[BCOL]]
// CHECK-NEXT: nvgpu.ldmatrix %[[BS]][%[[BROW]], %[[BC1]]] {numTiles = 4 : i32, transpose = true}
// CHECK: nvvm.mma.sync A[%[[RA0]], %[[RA1]], %[[RA2]], %[[RA3]]]  B[%[[RB0]], %[[RB1]]]  C[{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32)
// CHECK: nvvm.mma.sync A[%[[RA0]], %[[RA1]], %[[RA2]], %[[RA3]]]  B[%[[RB2]], %[[RB3]]]
// CHECK-COUNT-6: nvvm.mma.sync
// The second 16 of the slice's k.
// CHECK: %[[AK16:[0-9]+]] = arith.addi %[[BCOL]], %c16
// CHECK-NEXT: nvgpu.ldmatrix %[[AS]][%[[AR]], %[[AK16]]] {numTiles = 4 : i32, transpose = false}
// CHECK: %[[BK16:[0-9]+]] = arith.addi %[[BROW]], %c16
// CHECK-NEXT: nvgpu.ldmatrix %[[BS]][%[[BK16]], %[[BC]]] {numTiles = 4 : i32, transpose = true}
// CHECK-COUNT-8: nvvm.mma.sync
// CHECK-NOT: nvvm.mma.sync
// CHECK-NOT: gpu.barrier
// CHECK: scf.yield
// CHECK-NEXT: }
// CHECK-NEXT: gpu.barrier
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
// CHECK-SAME: workgroup(%{{.*}} : memref<2x64x40xf16, #gpu.address_space<workgroup>>, %{{.*}} : memref<2x32x72xf16, #gpu.address_space<workgroup>>)
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
// CHECK: gpu.launch {{.*}}workgroup(%[[A:[a-z0-9]+]] : memref<2x64x40xbf16, #gpu.address_space<workgroup>>, %{{.*}} : memref<2x32x72xbf16, #gpu.address_space<workgroup>>)
// CHECK: %[[A0:[a-z0-9_]+]] = memref.subview %[[A]][0, 0, 0]
// CHECK: scf.if
// CHECK: memref.load %arg0[
// CHECK: arith.extf
// CHECK: math.tanh
// CHECK: %[[R:[0-9]+]] = arith.truncf %{{.*}} : f32 to bf16
// CHECK: scf.yield %[[R]] : bf16
// CHECK: memref.store %{{.*}}, %[[A0]][
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
// per thread: one cp.async (nvgpu.device_async_copy, 16 bytes, L1 bypassed)
// into the tile where the vector is inside the operand and its rows are
// multiples of 8 elements (checked at run time for dynamic sizes), element
// by element with bounds checks otherwise. x goes along k into A's [m][k]
// tile, W along n into B's [k][n] (read by ldmatrix .trans); no operand
// passes through registers on its way to shared memory.
// CHECK-LABEL: func.func @staged_vectors(
// CHECK: workgroup(%{{.*}} : memref<2x64x40xbf16, #gpu.address_space<workgroup>>, %{{.*}} : memref<2x32x72xbf16, #gpu.address_space<workgroup>>)
// CHECK-NOT: vector.load %arg
// CHECK: arith.remui %{{.*}}, %c8 : index
// CHECK: scf.if
// CHECK-NEXT: nvgpu.device_async_copy %arg0[%{{.*}}, %{{.*}}], %{{.*}}[%{{.*}}, %{{.*}}], 8 {bypassL1} : memref<?x?xbf16> to memref<64x40xbf16, strided<[40, 1], offset: ?>, #gpu.address_space<workgroup>>
// CHECK-NEXT: } else {
// CHECK-COUNT-8: memref.load %arg0
// CHECK: nvgpu.device_async_copy %arg1[%{{.*}}, %{{.*}}], %{{.*}}[%{{.*}}, %{{.*}}], 8 {bypassL1} : memref<?x?xbf16> to memref<32x72xbf16, strided<[72, 1], offset: ?>, #gpu.address_space<workgroup>>
// CHECK: nvvm.cp.async.commit.group
// CHECK-NEXT: scf.for
// CHECK: nvvm.cp.async.wait.group 0
// CHECK-NEXT: gpu.barrier
// CHECK: scf.if
// CHECK: nvgpu.device_async_copy %arg0
// CHECK: nvgpu.device_async_copy %arg1
// CHECK: nvvm.cp.async.commit.group
// CHECK-NEXT: }
// CHECK: nvgpu.ldmatrix %{{.*}} {numTiles = 4 : i32, transpose = true} : memref<32x72xbf16
// CHECK: nvvm.mma.sync
// CHECK-NOT: vector.load %arg
// CHECK-LABEL: func.func @staged_transposed(
// x @ W^T (PyTorch's Linear): W^T runs along k, so B is staged [n][k] (rows
// padded as A's), also by cp.async, and read by ldmatrix without .trans:
// of the four 8 x 8 matrices, the block's left quarters are b0 of the two
// n8 tiles and its right ones b1, so registers 0 and 2 feed the first
// product, 1 and 3 the second.
// CHECK: workgroup(%{{.*}} : memref<2x64x40xbf16, #gpu.address_space<workgroup>>, %[[B:[a-z0-9]+]] : memref<2x64x40xbf16, #gpu.address_space<workgroup>>)
// CHECK-NOT: vector.load %arg
// CHECK: nvgpu.device_async_copy %arg1[%{{.*}}, %{{.*}}], %{{.*}}[%{{.*}}, %{{.*}}], 8 {bypassL1} : memref<?x?xbf16> to memref<64x40xbf16, strided<[40, 1], offset: ?>, #gpu.address_space<workgroup>>
// CHECK: nvvm.cp.async.wait.group 0
// CHECK: nvvm.cp.async.commit.group
// CHECK-NEXT: }
// CHECK: %[[BS:[a-z0-9_]+]] = memref.subview %[[B]][
// CHECK-COUNT-2: nvgpu.ldmatrix %{{.*}} {numTiles = 4 : i32, transpose = false}
// CHECK: %[[FB:[0-9]+]] = nvgpu.ldmatrix %[[BS]][%{{.*}}, %{{.*}}] {numTiles = 4 : i32, transpose = false}
// CHECK-NEXT: vector.extract %[[FB]][0]
// CHECK-NEXT: vector.bitcast
// CHECK-NEXT: %[[R0:[0-9]+]] = vector.extract %{{.*}}[0] : i32
// CHECK-NEXT: vector.extract %[[FB]][1]
// CHECK-NEXT: vector.bitcast
// CHECK-NEXT: %[[R1:[0-9]+]] = vector.extract %{{.*}}[0] : i32
// CHECK-NEXT: vector.extract %[[FB]][2]
// CHECK-NEXT: vector.bitcast
// CHECK-NEXT: %[[R2:[0-9]+]] = vector.extract %{{.*}}[0] : i32
// CHECK-NEXT: vector.extract %[[FB]][3]
// CHECK-NEXT: vector.bitcast
// CHECK-NEXT: %[[R3:[0-9]+]] = vector.extract %{{.*}}[0] : i32
// CHECK: nvgpu.ldmatrix %[[BS]]
// CHECK: nvvm.mma.sync A[{{.*}}] B[%[[R0]], %[[R2]]]
// CHECK: nvvm.mma.sync A[{{.*}}] B[%[[R1]], %[[R3]]]
// CHECK-NOT: vector.load %arg
// CHECK: return
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
