// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(convert-elementwise-to-linalg,func.func(dyt-fuse-matmul{vector-bits=512}),canonicalize)" | FileCheck %s

// Epilogue: matmul -> bias add -> residual add -> DyT is one loop nest. Each
// 8 x 32 register tile goes from the contraction through both adds and the
// DyT before it is inserted into the result; no tensor of the matmul's full
// size exists between the matmul and the DyT.
// CHECK-LABEL: func @epilogue
// CHECK-NOT:     tensor<64x80xf32>) -> tensor<64x80xf32>
// CHECK:         scf.for %{{.*}} = %c0 to %c64 step %c32
// CHECK:           scf.for %{{.*}} = %c0 to %c64 step %c8
// CHECK:             %[[MM:.*]] = linalg.contract {{.*}} -> tensor<8x32xf32>
// CHECK:             %[[BIAS:.*]] = linalg.generic {{.*}} ins(%[[MM]], %{{.*}} : tensor<8x32xf32>, tensor<8x32xf32>)
// CHECK:             %[[RES:.*]] = linalg.generic {{.*}} ins(%[[BIAS]], %{{.*}} : tensor<8x32xf32>, tensor<8x32xf32>)
// CHECK:             %[[Y:.*]] = dyt.dyt %[[RES]] {{.*}} : tensor<8x32xf32> -> tensor<8x32xf32>
// CHECK:             tensor.insert_slice %[[Y]]
func.func @epilogue(%x: tensor<64x96xf32>, %w: tensor<96x80xf32>, %bias: tensor<80xf32>, %res: tensor<64x80xf32>,
                    %alpha: f32, %g: tensor<80xf32>, %b: tensor<80xf32>) -> tensor<64x80xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x80xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<64x80xf32>) -> tensor<64x80xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<64x96xf32>, tensor<96x80xf32>) outs(%f : tensor<64x80xf32>) -> tensor<64x80xf32>
  %bb = linalg.broadcast ins(%bias : tensor<80xf32>) outs(%e : tensor<64x80xf32>) dimensions = [0]
  %s1 = arith.addf %mm, %bb : tensor<64x80xf32>
  %s2 = arith.addf %s1, %res : tensor<64x80xf32>
  %y = dyt.dyt %s2 alpha(%alpha : f32) gamma(%g : tensor<80xf32>) beta(%b : tensor<80xf32>) : tensor<64x80xf32> -> tensor<64x80xf32>
  return %y : tensor<64x80xf32>
}

// -----

// Prologue with a constant weight: gamma (2) is folded into the weight
// (0.25 -> 0.5) and beta (0.5) into a bias added to the init (0.5 * 0.25 *
// 96 = 12); the DyT left is tanh(alpha x), computed per block of rows inside
// the block loop (here one block of 300 rows: block-m is 256, so two).
// CHECK-LABEL: func @prologue_folded
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<5.000000e-01> : tensor<96x80xf32>
// CHECK-DAG:     %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<96xf32>
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<96xf32>
// CHECK-DAG:     arith.constant dense<1.200000e+01> : tensor<32xf32>
// CHECK:         tensor.pad %[[W]]
// CHECK:         scf.forall (%[[I:.*]]) = (0) to (300) step (256)
// CHECK:           %[[ROWS:.*]] = tensor.extract_slice %{{.*}}[%[[I]], 0]
// CHECK:           %[[T:.*]] = dyt.dyt %[[ROWS]] alpha(%{{.*}} : f32) gamma(%[[ONE]] : tensor<96xf32>) beta(%[[ZERO]] : tensor<96xf32>)
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               tensor.extract_slice %[[T]]
// CHECK:               linalg.contract
func.func @prologue_folded(%x: tensor<300x96xf32>, %alpha: f32) -> tensor<300x80xf32> {
  %g = arith.constant dense<2.0> : tensor<96xf32>
  %b = arith.constant dense<0.5> : tensor<96xf32>
  %w = arith.constant dense<0.25> : tensor<96x80xf32>
  %zero = arith.constant 0.0 : f32
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<96xf32>) beta(%b : tensor<96xf32>) : tensor<300x96xf32> -> tensor<300x96xf32>
  %e = tensor.empty() : tensor<300x80xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<300x80xf32>) -> tensor<300x80xf32>
  %mm = linalg.matmul ins(%y, %w : tensor<300x96xf32>, tensor<96x80xf32>) outs(%f : tensor<300x80xf32>) -> tensor<300x80xf32>
  return %mm : tensor<300x80xf32>
}

// -----

// One DyT feeding the Q, K and V projections (x @ W^T, constant weights):
// each weight gets gamma folded in, and the remaining tanh is computed once,
// before the three loop nests, not once inside each.
// CHECK-LABEL: func @qkv
// CHECK:         %[[T:.*]] = dyt.dyt %{{.*}} : tensor<16x64xf32> -> tensor<16x64xf32>
// CHECK-NOT:     dyt.dyt
// CHECK-COUNT-3: tensor.extract_slice %[[T]]
// CHECK-NOT:     dyt.dyt
func.func @qkv(%x: tensor<16x64xf32>, %alpha: f32) -> (tensor<16x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>) {
  %g = arith.constant dense<3.0> : tensor<64xf32>
  %b = arith.constant dense<0.0> : tensor<64xf32>
  %wq = arith.constant dense<1.0> : tensor<32x64xf32>
  %wk = arith.constant dense<2.0> : tensor<32x64xf32>
  %wv = arith.constant dense<4.0> : tensor<32x64xf32>
  %zero = arith.constant 0.0 : f32
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<64xf32>) beta(%b : tensor<64xf32>) : tensor<16x64xf32> -> tensor<16x64xf32>
  %e = tensor.empty() : tensor<16x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<16x32xf32>) -> tensor<16x32xf32>
  %q = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%y, %wq : tensor<16x64xf32>, tensor<32x64xf32>) outs(%f : tensor<16x32xf32>) -> tensor<16x32xf32>
  %k = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%y, %wk : tensor<16x64xf32>, tensor<32x64xf32>) outs(%f : tensor<16x32xf32>) -> tensor<16x32xf32>
  %v = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%y, %wv : tensor<16x64xf32>, tensor<32x64xf32>) outs(%f : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %q, %k, %v : tensor<16x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>
}

// -----

// Negative: the matmul's result is also returned, so the DyT is not fused
// into its loop nest (the unnormalised result must be written anyway); the
// DyT stays a separate op on the whole result.
// CHECK-LABEL: func @result_has_another_user
// CHECK-NOT:     dyt.dyt
// CHECK:         linalg.contract
// CHECK-NOT:     dyt.dyt {{.*}} : tensor<8x
// CHECK:         %[[Y:.*]] = dyt.dyt %{{.*}} : tensor<16x48xf32> -> tensor<16x48xf32>
// CHECK:         return %{{.*}}, %[[Y]]
func.func @result_has_another_user(%x: tensor<16x64xf32>, %w: tensor<64x48xf32>, %alpha: f32, %g: tensor<48xf32>, %b: tensor<48xf32>)
    -> (tensor<16x48xf32>, tensor<16x48xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x48xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<16x48xf32>) -> tensor<16x48xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<16x64xf32>, tensor<64x48xf32>) outs(%f : tensor<16x48xf32>) -> tensor<16x48xf32>
  %y = dyt.dyt %mm alpha(%alpha : f32) gamma(%g : tensor<48xf32>) beta(%b : tensor<48xf32>) : tensor<16x48xf32> -> tensor<16x48xf32>
  return %mm, %y : tensor<16x48xf32>, tensor<16x48xf32>
}

// -----

// Negative: a DyT along the rows (axis 0, the M dim) of the matmul's input
// scales rows, not the contraction dim K: its gamma cannot be folded into
// the weight, which stays as it is (1.0, not gamma * 1.0).
// CHECK-LABEL: func @dyt_not_along_k
// CHECK:         arith.constant dense<1.000000e+00> : tensor<64x48xf32>
// CHECK:         dyt.dyt %{{.*}} gamma(%{{.*}} : tensor<16xf32>) beta(%{{.*}} : tensor<16xf32>) axis = 0
func.func @dyt_not_along_k(%x: tensor<16x64xf32>, %alpha: f32) -> tensor<16x48xf32> {
  %g = arith.constant dense<3.0> : tensor<16xf32>
  %b = arith.constant dense<1.0> : tensor<16xf32>
  %w = arith.constant dense<1.0> : tensor<64x48xf32>
  %zero = arith.constant 0.0 : f32
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<16xf32>) beta(%b : tensor<16xf32>) axis = 0 : tensor<16x64xf32> -> tensor<16x64xf32>
  %e = tensor.empty() : tensor<16x48xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<16x48xf32>) -> tensor<16x48xf32>
  %mm = linalg.matmul ins(%y, %w : tensor<16x64xf32>, tensor<64x48xf32>) outs(%f : tensor<16x48xf32>) -> tensor<16x48xf32>
  return %mm : tensor<16x48xf32>
}
