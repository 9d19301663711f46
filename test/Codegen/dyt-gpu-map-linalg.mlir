// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-gpu-map-linalg))" | FileCheck %s
// RUN: not dyt-opt %s --pass-pipeline="builtin.module(func.func(dyt-gpu-map-linalg{tile-m=40}))" 2>&1 | FileCheck %s --check-prefix=TILES
// TILES: error: dyt-gpu-map-linalg: tile-m (40) and tile-n (64) must be positive multiples of 16, and tile-m * tile-k and tile-n * tile-k (tile-k 16) multiples of 256

// Lowered DyT: 128-bit accesses, gamma and beta loaded once per thread
// outside the row loop, the row loop strided over the grid's y dim.
// CHECK-LABEL: func.func @dyt(
// CHECK: gpu.launch
// CHECK: scf.if
// CHECK: vector.load %arg2[%{{.*}}] {alignment = 16 : i64} : memref<768xf32>, vector<4xf32>
// CHECK: vector.load %arg3[%{{.*}}] {alignment = 16 : i64} : memref<768xf32>, vector<4xf32>
// CHECK: scf.for
// CHECK: vector.load %arg0[%{{.*}}, %{{.*}}] {alignment = 16 : i64} : memref<?x768xf32>, vector<4xf32>
// CHECK-COUNT-4: math.tanh
// CHECK: vector.store %{{.*}}, %arg4[%{{.*}}, %{{.*}}] {alignment = 16 : i64} : memref<?x768xf32>, vector<4xf32>
// CHECK-NOT: linalg.generic
func.func @dyt(%x: memref<?x768xf32>, %a: f32, %g: memref<768xf32>, %b: memref<768xf32>, %y: memref<?x768xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%x, %g, %b : memref<?x768xf32>, memref<768xf32>, memref<768xf32>) outs(%y : memref<?x768xf32>) {
  ^bb0(%in: f32, %gi: f32, %bi: f32, %out: f32):
    %0 = arith.mulf %a, %in : f32
    %1 = math.tanh %0 : f32
    %2 = arith.mulf %1, %gi : f32
    %3 = arith.addf %2, %bi : f32
    linalg.yield %3 : f32
  }
  return
}

// -----

// Odd row length (1001): scalar accesses. A per-row operand is loaded once
// per row; a transposed operand is gathered.
// CHECK-LABEL: func.func @odd(
// CHECK: gpu.launch
// CHECK-NOT: vector.load
// CHECK: scf.for
// CHECK: memref.load %arg1[%{{.*}}] : memref<3xf32>
// CHECK: memref.load %arg2[%{{.*}}, %{{.*}}] : memref<1001x3xf32>
// CHECK: memref.store
func.func @odd(%x: memref<3x1001xf32>, %r: memref<3xf32>, %t: memref<1001x3xf32>, %y: memref<3x1001xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%x, %r, %t : memref<3x1001xf32>, memref<3xf32>, memref<1001x3xf32>) outs(%y : memref<3x1001xf32>) {
  ^bb0(%in: f32, %ri: f32, %ti: f32, %out: f32):
    %0 = arith.addf %in, %ri : f32
    %1 = arith.mulf %0, %ti : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// A dynamic row length is checked on the host: vector kernel when it is a
// multiple of 8 bf16 values, scalar kernel otherwise.
// CHECK-LABEL: func.func @dynamic_bf16(
// CHECK: %[[REM:.*]] = arith.remui %{{.*}}, %c8
// CHECK: %[[DIV:.*]] = arith.cmpi eq, %[[REM]]
// CHECK: scf.if %[[DIV]] {
// CHECK: gpu.launch
// CHECK: vector.load {{.*}} vector<8xbf16>
// CHECK: } else {
// CHECK: gpu.launch
// CHECK-NOT: vector.load
// CHECK: memref.load
func.func @dynamic_bf16(%x: memref<?x?xbf16>, %y: memref<?x?xbf16>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<?x?xbf16>) outs(%y : memref<?x?xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %0 = arith.extf %in : bf16 to f32
    %1 = math.tanh %0 : f32
    %2 = arith.truncf %1 : f32 to bf16
    linalg.yield %2 : bf16
  }
  return
}

// -----

// matmul (filled with 0) -> DyT epilogue into a fresh buffer: one kernel
// through shared memory; the product's buffer, its fill and the epilogue
// are gone.
// CHECK-LABEL: func.func @matmul_dyt(
// CHECK-NOT: memref.alloc
// CHECK: gpu.launch
// CHECK-SAME: workgroup(%{{.*}} : memref<16x64xf32, #gpu.address_space<workgroup>>, %{{.*}} : memref<16x64xf32, #gpu.address_space<workgroup>>)
// CHECK: scf.for
// CHECK: gpu.barrier
// CHECK-COUNT-16: math.fma
// CHECK: gpu.barrier
// CHECK: math.tanh
// CHECK: memref.store %{{.*}}, %arg5[
// CHECK-NOT: gpu.launch
// CHECK-NOT: linalg.
// CHECK-NOT: memref.alloc
// CHECK: return
func.func @matmul_dyt(%x: memref<64x300xf32>, %w: memref<300x257xf32>, %a: f32, %g: memref<257xf32>, %b: memref<257xf32>, %y: memref<64x257xf32>) {
  %c0 = arith.constant 0.0 : f32
  %m = memref.alloc() : memref<64x257xf32>
  linalg.fill ins(%c0 : f32) outs(%m : memref<64x257xf32>)
  linalg.matmul ins(%x, %w : memref<64x300xf32>, memref<300x257xf32>) outs(%m : memref<64x257xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%m, %g, %b : memref<64x257xf32>, memref<257xf32>, memref<257xf32>) outs(%y : memref<64x257xf32>) {
  ^bb0(%in: f32, %gi: f32, %bi: f32, %out: f32):
    %0 = arith.mulf %a, %in : f32
    %1 = math.tanh %0 : f32
    %2 = arith.mulf %1, %gi : f32
    %3 = arith.addf %2, %bi : f32
    linalg.yield %3 : f32
  }
  memref.dealloc %m : memref<64x257xf32>
  return
}

// -----

// In place (as bufferization writes dyt(matmul)): the buffer stays, it
// holds the result.
// CHECK-LABEL: func.func @matmul_dyt_in_place(
// CHECK: %[[M:.*]] = memref.alloc
// CHECK: gpu.launch
// CHECK: math.tanh
// CHECK: memref.store %{{.*}}, %[[M]][
// CHECK-NOT: gpu.launch
// CHECK: return %[[M]]
func.func @matmul_dyt_in_place(%x: memref<64x300xf32>, %w: memref<300x257xf32>, %a: memref<f32>) -> memref<64x257xf32> {
  %c0 = arith.constant 0.0 : f32
  %m = memref.alloc() : memref<64x257xf32>
  linalg.fill ins(%c0 : f32) outs(%m : memref<64x257xf32>)
  linalg.matmul ins(%x, %w : memref<64x300xf32>, memref<300x257xf32>) outs(%m : memref<64x257xf32>)
  %alpha = memref.load %a[] : memref<f32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%m : memref<64x257xf32>) outs(%m : memref<64x257xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.mulf %alpha, %in : f32
    %1 = math.tanh %0 : f32
    linalg.yield %1 : f32
  }
  return %m : memref<64x257xf32>
}

// -----

// Not fused: the product has another reader (it is returned too). The
// matmul and the epilogue are two kernels and the fill is folded into the
// first.
// CHECK-LABEL: func.func @product_read_twice(
// CHECK-NOT: linalg.fill
// CHECK: gpu.launch
// CHECK: math.fma
// CHECK: gpu.launch
// CHECK: math.tanh
// CHECK: return
func.func @product_read_twice(%x: memref<64x300xf32>, %w: memref<300x257xf32>, %y: memref<64x257xf32>) -> memref<64x257xf32> {
  %c0 = arith.constant 0.0 : f32
  %m = memref.alloc() : memref<64x257xf32>
  linalg.fill ins(%c0 : f32) outs(%m : memref<64x257xf32>)
  linalg.matmul ins(%x, %w : memref<64x300xf32>, memref<300x257xf32>) outs(%m : memref<64x257xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%m : memref<64x257xf32>) outs(%y : memref<64x257xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = math.tanh %in : f32
    linalg.yield %0 : f32
  }
  return %m : memref<64x257xf32>
}

// -----

// Not fused: the epilogue reads the product transposed (DyT along the
// reduction side would be the same: not the identity map).
// CHECK-LABEL: func.func @transposed_epilogue(
// CHECK: gpu.launch
// CHECK: math.fma
// CHECK: gpu.launch
// CHECK: math.tanh
func.func @transposed_epilogue(%x: memref<64x300xf32>, %w: memref<300x64xf32>, %y: memref<64x64xf32>) {
  %c0 = arith.constant 0.0 : f32
  %m = memref.alloc() : memref<64x64xf32>
  linalg.fill ins(%c0 : f32) outs(%m : memref<64x64xf32>)
  linalg.matmul ins(%x, %w : memref<64x300xf32>, memref<300x64xf32>) outs(%m : memref<64x64xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%m : memref<64x64xf32>) outs(%y : memref<64x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = math.tanh %in : f32
    linalg.yield %0 : f32
  }
  memref.dealloc %m : memref<64x64xf32>
  return
}

// -----

// DyT before a matmul, as linalg-fuse-elementwise-ops leaves it: one
// contraction generic whose left factor is DyT(x) (x, gamma, beta indexed
// by m and k only). The DyT is computed as A's slice is staged, 0 outside
// the operand (not DyT(0) = beta): one kernel, no DyT buffer.
// CHECK-LABEL: func.func @prologue(
// CHECK-NOT: memref.alloc
// CHECK: gpu.launch
// CHECK: scf.for
// CHECK: scf.if
// CHECK: memref.load %arg0[
// CHECK: math.tanh
// CHECK: memref.load %arg2[
// CHECK: memref.load %arg3[
// CHECK: scf.yield
// CHECK: } else {
// CHECK: scf.yield %cst
// CHECK: memref.store %{{.*}}, %{{.*}}[{{.*}}] : memref<16x64xf32, #gpu.address_space<workgroup>>
// CHECK: gpu.barrier
// CHECK-COUNT-16: math.fma
// CHECK: gpu.barrier
// CHECK: memref.store %{{.*}}, %arg5[
// CHECK-NOT: gpu.launch
// CHECK-NOT: linalg.
// CHECK: return
func.func @prologue(%x: memref<64x300xf32>, %a: f32, %g: memref<300xf32>, %b: memref<300xf32>, %w: memref<300x257xf32>, %y: memref<64x257xf32>) {
  %c0 = arith.constant 0.0 : f32
  linalg.fill ins(%c0 : f32) outs(%y : memref<64x257xf32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k)>, affine_map<(m, n, k) -> (k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %g, %b, %w : memref<64x300xf32>, memref<300xf32>, memref<300xf32>, memref<300x257xf32>) outs(%y : memref<64x257xf32>) {
  ^bb0(%in: f32, %gi: f32, %bi: f32, %wi: f32, %out: f32):
    %0 = arith.mulf %a, %in : f32
    %1 = math.tanh %0 : f32
    %2 = arith.mulf %1, %gi : f32
    %3 = arith.addf %2, %bi : f32
    %4 = arith.mulf %3, %wi : f32
    %5 = arith.addf %out, %4 : f32
    linalg.yield %5 : f32
  }
  return
}

// -----

// A constant right factor (a splat weight folded by dyt-fuse-matmul): B's
// slice is the constant inside the operand's bounds.
// CHECK-LABEL: func.func @constant_weight(
// CHECK: %[[W:.*]] = arith.constant 1.250000e-01 : f32
// CHECK: gpu.launch
// CHECK: memref.load %arg0[
// CHECK: scf.yield %[[W]] : f32
// CHECK: math.fma
// CHECK-NOT: linalg.
// CHECK: return
func.func @constant_weight(%x: memref<40x24xf32>, %y: memref<40x30xf32>) {
  %w = arith.constant 1.25e-01 : f32
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x : memref<40x24xf32>) outs(%y : memref<40x30xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.mulf %in, %w : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// Not a matmul kernel: a factor that depends on m and n (x[m, k] * s[n]
// times w[k, n] reads n on both sides), a body that is not out + a * b, and
// a factor that reads a loop index; upstream's mapping takes them.
// CHECK-LABEL: func.func @both_sides(
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
// CHECK-LABEL: func.func @not_multiply_add(
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
// CHECK-LABEL: func.func @reads_index(
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
// Nor a body with an op that has an effect (the kernels evaluate only the
// two factors), or an input that is the result buffer (read while tiles are
// stored, and after its fill would be folded away: only the fill's kernel).
// CHECK-LABEL: func.func @side_effect(
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
// CHECK-LABEL: func.func @reads_result(
// CHECK: gpu.launch
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
func.func @both_sides(%x: memref<8x16xf32>, %s: memref<4xf32>, %w: memref<16x4xf32>, %y: memref<8x4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %s, %w : memref<8x16xf32>, memref<4xf32>, memref<16x4xf32>) outs(%y : memref<8x4xf32>) {
  ^bb0(%in: f32, %si: f32, %wi: f32, %out: f32):
    %0 = arith.mulf %in, %si : f32
    %1 = arith.mulf %0, %wi : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  }
  return
}
func.func @not_multiply_add(%x: memref<8x16xf32>, %w: memref<16x4xf32>, %y: memref<8x4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<8x16xf32>, memref<16x4xf32>) outs(%y : memref<8x4xf32>) {
  ^bb0(%in: f32, %wi: f32, %out: f32):
    %0 = arith.addf %in, %wi : f32
    %1 = arith.maximumf %out, %0 : f32
    linalg.yield %1 : f32
  }
  return
}
func.func @reads_index(%x: memref<8x16xf32>, %w: memref<16x4xf32>, %y: memref<8x4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<8x16xf32>, memref<16x4xf32>) outs(%y : memref<8x4xf32>) {
  ^bb0(%in: f32, %wi: f32, %out: f32):
    %i = linalg.index 2 : index
    %ii = arith.index_cast %i : index to i32
    %fi = arith.sitofp %ii : i32 to f32
    %0 = arith.mulf %in, %fi : f32
    %1 = arith.mulf %0, %wi : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  }
  return
}
func.func @side_effect(%x: memref<8x16xf32>, %w: memref<16x4xf32>, %y: memref<8x4xf32>, %log: memref<8x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<8x16xf32>, memref<16x4xf32>) outs(%y : memref<8x4xf32>) {
  ^bb0(%in: f32, %wi: f32, %out: f32):
    %m = linalg.index 0 : index
    %k = linalg.index 2 : index
    memref.store %in, %log[%m, %k] : memref<8x16xf32>
    %0 = arith.mulf %in, %wi : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  }
  return
}
func.func @reads_result(%x: memref<16x16xf32>, %w: memref<16x16xf32>, %z: memref<16x16xf32>) {
  %c1 = arith.constant 1.0 : f32
  %y = memref.alloc() : memref<16x16xf32>
  linalg.fill ins(%c1 : f32) outs(%y : memref<16x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (0, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %y, %w : memref<16x16xf32>, memref<16x16xf32>, memref<16x16xf32>) outs(%y : memref<16x16xf32>) {
  ^bb0(%in: f32, %s: f32, %wi: f32, %out: f32):
    %0 = arith.mulf %in, %s : f32
    %1 = arith.mulf %0, %wi : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  }
  memref.copy %y, %z : memref<16x16xf32> to memref<16x16xf32>
  return
}

// -----

// Left alone: a reduction with a parallel loop (for upstream's mapping)
// and ops on tensors.
// CHECK-LABEL: func.func @reduction(
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
func.func @reduction(%x: memref<8x16xf32>, %y: memref<8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<8x16xf32>) outs(%y : memref<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.addf %in, %out : f32
    linalg.yield %0 : f32
  }
  return
}
// CHECK-LABEL: func.func @tensors(
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
func.func @tensors(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%x : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %1 = math.tanh %in : f32
    linalg.yield %1 : f32
  } -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// i1 is a byte per element in memory but bits in an LLVM vector: scalar
// accesses.
// CHECK-LABEL: func.func @compare(
// CHECK: gpu.launch
// CHECK-NOT: vector.load
// CHECK: memref.store %{{.*}} : memref<?xi1>
func.func @compare(%x: memref<?x64xf32>, %y: memref<?x64xi1>) {
  %c0 = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<?x64xf32>) outs(%y : memref<?x64xi1>) {
  ^bb0(%in: f32, %out: i1):
    %0 = arith.cmpf olt, %in, %c0 : f32
    linalg.yield %0 : i1
  }
  return
}

// -----

// batch_matmul: batches and row tiles strided over the grid's z and y dims
// (capped at 65535 blocks), so a batch of 0 runs no iteration.
// CHECK-LABEL: func.func @batched(
// CHECK: %[[B:[a-z0-9_]+]] = memref.dim %arg2, %c0
// CHECK: arith.minui %[[B]], %c65535{{.*}}
// CHECK: gpu.launch blocks(%{{[a-z0-9_]+}}, %{{[a-z0-9_]+}}, %[[BZ:[a-z0-9_]+]]) in
// CHECK: scf.for %{{.*}} = %[[BZ]] to %[[B]] step
// CHECK: scf.for
// CHECK: gpu.barrier
func.func @batched(%x: memref<?x64x64xf32>, %w: memref<?x64x64xf32>, %y: memref<?x64x64xf32>) {
  linalg.batch_matmul ins(%x, %w : memref<?x64x64xf32>, memref<?x64x64xf32>) outs(%y : memref<?x64x64xf32>)
  return
}

// -----

// Not fused: the epilogue writes the matmul's left operand (x += x @ W);
// other blocks would still be reading it.
// CHECK-LABEL: func.func @writes_operand(
// CHECK: gpu.launch
// CHECK: math.fma
// CHECK: gpu.launch
// CHECK: arith.addf
func.func @writes_operand(%x: memref<64x64xf32>, %w: memref<64x64xf32>) {
  %c0 = arith.constant 0.0 : f32
  %m = memref.alloc() : memref<64x64xf32>
  linalg.fill ins(%c0 : f32) outs(%m : memref<64x64xf32>)
  linalg.matmul ins(%x, %w : memref<64x64xf32>, memref<64x64xf32>) outs(%m : memref<64x64xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%m : memref<64x64xf32>) outs(%x : memref<64x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.addf %in, %out : f32
    linalg.yield %0 : f32
  }
  memref.dealloc %m : memref<64x64xf32>
  return
}

// -----

// f64 is not accumulated in f32: left for the generic mapping.
// CHECK-LABEL: func.func @double(
// CHECK-NOT: gpu.launch
// CHECK: linalg.matmul
func.func @double(%x: memref<8x8xf64>, %w: memref<8x8xf64>, %y: memref<8x8xf64>) {
  linalg.matmul ins(%x, %w : memref<8x8xf64>, memref<8x8xf64>) outs(%y : memref<8x8xf64>)
  return
}

// -----

// No parallel loop (a reduction to a scalar, a 0-d op): one GPU thread runs
// it, not the host.
// CHECK-LABEL: func.func @sum(
// CHECK: gpu.launch blocks(%{{.*}}) in (%{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}) threads(%{{.*}}) in (%{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}})
// CHECK-NEXT: linalg.generic
// CHECK: gpu.terminator
func.func @sum(%x: memref<16xf32>, %y: memref<f32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%x : memref<16xf32>) outs(%y : memref<f32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.addf %in, %out : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

// NCHW DyT (gamma along C): H and W are one row of 7 x 8 = 56 elements, so
// rows are long enough for vectors and whole warps; gamma is read per row.
// CHECK-LABEL: func.func @nchw(
// CHECK: memref.collapse_shape %arg0 {{\[}}[0], [1], [2, 3]] : memref<2x64x7x8xf32> into memref<2x64x56xf32>
// CHECK: gpu.launch
// CHECK: scf.for
// CHECK-DAG: memref.load %arg1[%{{.*}}] : memref<64xf32>
// CHECK-DAG: vector.load %{{.*}} : memref<2x64x56xf32>, vector<4xf32>
func.func @nchw(%x: memref<2x64x7x8xf32>, %g: memref<64xf32>, %y: memref<2x64x7x8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %g : memref<2x64x7x8xf32>, memref<64xf32>) outs(%y : memref<2x64x7x8xf32>) {
  ^bb0(%in: f32, %gi: f32, %out: f32):
    %0 = math.tanh %in : f32
    %1 = arith.mulf %0, %gi : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// Same-shape operands collapse to one row: a flat vector kernel.
// CHECK-LABEL: func.func @flat(
// CHECK: memref.collapse_shape %arg0 {{\[}}[0, 1, 2]] : memref<3x5x8xf32> into memref<120xf32>
// CHECK: gpu.launch
// CHECK: vector.load %{{.*}} : memref<120xf32>, vector<4xf32>
func.func @flat(%x: memref<3x5x8xf32>, %y: memref<3x5x8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : memref<3x5x8xf32>) outs(%y : memref<3x5x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = math.tanh %in : f32
    linalg.yield %0 : f32
  }
  return
}
