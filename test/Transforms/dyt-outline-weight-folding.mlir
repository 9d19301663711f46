// RUN: dyt-opt %s -split-input-file --dyt-outline-weight-folding | FileCheck %s
// RUN: dyt-opt %s -split-input-file --dyt-outline-weight-folding="fold-suffix=_prepare hot-suffix=_serve" | FileCheck %s --check-prefix=SUFFIX
// A second run adds nothing: the functions split before are known by the
// hot function's dyt.folded_from.
// RUN: dyt-opt %s -split-input-file --dyt-outline-weight-folding --dyt-outline-weight-folding | FileCheck %s

// DyT -> matmul with weight, gamma and beta passed as arguments: @ffn stays
// as it is; @ffn_fold_weights computes W' = diag(gamma) W and bias = beta W
// once; @ffn_folded takes x, alpha, W' and bias, and computes tanh(alpha x)
// times W' plus the bias (a DyT with gamma 1 and beta 0, which the lowering
// computes as the tanh alone).
// CHECK-LABEL: func.func @ffn(
// CHECK-SAME:      %{{.*}}: tensor<8x64xf32>, %{{.*}}: f32, %{{.*}}: tensor<64xf32>, %{{.*}}: tensor<64xf32>, %{{.*}}: tensor<64x96xf32>)
// CHECK:         dyt.dyt %{{.*}} gamma(%arg2 : tensor<64xf32>) beta(%arg3 : tensor<64xf32>)
// CHECK:         linalg.matmul ins(%{{.*}}, %arg4 :

// CHECK-LABEL: func.func @ffn_folded(
// CHECK-SAME:      %[[X:.*]]: tensor<8x64xf32>, %[[A:.*]]: f32, %[[W:.*]]: tensor<64x96xf32>, %[[BIAS:.*]]: tensor<96xf32>) -> tensor<8x96xf32>
// CHECK-SAME:      attributes {dyt.fold_weights = @ffn_fold_weights, dyt.folded_from = @ffn}
// CHECK-DAG:     %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<64xf32>
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<64xf32>
// CHECK:         %[[T:.*]] = dyt.dyt %[[X]] alpha(%[[A]] : f32) gamma(%[[ONE]] : tensor<64xf32>) beta(%[[ZERO]] : tensor<64xf32>)
// CHECK:         %[[FILL:.*]] = linalg.fill
// CHECK:         %[[INIT:.*]] = linalg.generic {{.*}} ins(%[[BIAS]] : tensor<96xf32>) outs(%[[FILL]] : tensor<8x96xf32>)
// CHECK:         linalg.matmul ins(%[[T]], %[[W]] : tensor<8x64xf32>, tensor<64x96xf32>) outs(%[[INIT]] : tensor<8x96xf32>)

// CHECK-NOT:   func.func @ffn_folded_0
// CHECK-LABEL: func.func @ffn_fold_weights(
// CHECK-SAME:      %[[G:.*]]: tensor<64xf32>, %[[B:.*]]: tensor<64xf32>, %[[WW:.*]]: tensor<64x96xf32>) -> (tensor<64x96xf32>, tensor<96xf32>)
// CHECK-NOT:     cf.assert
// CHECK:         %[[SCALED:.*]] = linalg.generic {indexing_maps = [#[[ID:.*]], #[[K:.*]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[WW]], %[[G]] : tensor<64x96xf32>, tensor<64xf32>)
// CHECK:           arith.mulf
// CHECK:         %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[K]], #{{.*}}], iterator_types = ["reduction", "parallel"]} ins(%[[WW]], %[[B]] : tensor<64x96xf32>, tensor<64xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK:         return %[[SCALED]], %[[SUM]] : tensor<64x96xf32>, tensor<96xf32>

// SUFFIX-LABEL: func.func @ffn_serve(
// SUFFIX-SAME:      attributes {dyt.fold_weights = @ffn_prepare, dyt.folded_from = @ffn}
// SUFFIX-LABEL: func.func @ffn_prepare(
func.func @ffn(%x: tensor<8x64xf32>, %alpha: f32, %g: tensor<64xf32>, %b: tensor<64xf32>, %w: tensor<64x96xf32>) -> tensor<8x96xf32> {
  %zero = arith.constant 0.0 : f32
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<64xf32>) beta(%b : tensor<64xf32>) : tensor<8x64xf32> -> tensor<8x64xf32>
  %e = tensor.empty() : tensor<8x96xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x96xf32>) -> tensor<8x96xf32>
  %mm = linalg.matmul ins(%y, %w : tensor<8x64xf32>, tensor<64x96xf32>) outs(%f : tensor<8x96xf32>) -> tensor<8x96xf32>
  return %mm : tensor<8x96xf32>
}

// -----

// x @ W^T (PyTorch's Linear), LLaMA-style: beta a constant zero, so the
// folding returns W' alone and the hot function adds no bias. W is [N, K]:
// gamma scales its columns.
// CHECK-LABEL: func.func @llama_folded(
// CHECK-SAME:      %{{.*}}: tensor<4x32xf32>, %{{.*}}: f32, %[[W:.*]]: tensor<16x32xf32>) -> tensor<4x16xf32>
// CHECK-NOT:     linalg.generic
// CHECK:         linalg.matmul {{.*}} ins(%{{.*}}, %[[W]] : tensor<4x32xf32>, tensor<16x32xf32>)
// CHECK-LABEL: func.func @llama_fold_weights(
// CHECK-SAME:      %[[G:.*]]: tensor<32xf32>, %[[WW:.*]]: tensor<16x32xf32>) -> tensor<16x32xf32>
// CHECK:         %[[SCALED:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[COLUMNS:.*]], #{{.*}}], {{.*}} ins(%[[WW]], %[[G]] :
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[SCALED]] : tensor<16x32xf32>
func.func @llama(%x: tensor<4x32xf32>, %alpha: f32, %g: tensor<32xf32>, %w: tensor<16x32xf32>) -> tensor<4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %b = arith.constant dense<0.0> : tensor<32xf32>
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<32xf32>) beta(%b : tensor<32xf32>) : tensor<4x32xf32> -> tensor<4x32xf32>
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %mm = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
          ins(%y, %w : tensor<4x32xf32>, tensor<16x32xf32>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %mm : tensor<4x16xf32>
}

// -----

// One DyT, three projections: one tanh(alpha x) for all three, one W' and
// bias per projection, in program order. The DyT's other user (a residual)
// keeps it, and gamma and beta with it.
// CHECK-LABEL: func.func @qkv_folded(
// CHECK-SAME:      %[[X:.*]]: tensor<4x32xf32>, %{{.*}}: f32, %[[G:.*]]: tensor<32xf32>, %[[B:.*]]: tensor<32xf32>,
// CHECK-SAME:      %[[WQ:.*]]: tensor<32x8xf32>, %[[BQ:.*]]: tensor<8xf32>, %[[WK:.*]]: tensor<32x8xf32>, %[[BK:.*]]: tensor<8xf32>, %[[WV:.*]]: tensor<32x8xf32>, %[[BV:.*]]: tensor<8xf32>)
// CHECK:         %[[Y:.*]] = dyt.dyt %[[X]] {{.*}} gamma(%[[G]] : tensor<32xf32>) beta(%[[B]] : tensor<32xf32>)
// CHECK:         %[[T:.*]] = dyt.dyt %[[X]]
// CHECK-NOT:     dyt.dyt
// CHECK:         linalg.matmul ins(%[[T]], %[[WQ]] :
// CHECK:         linalg.matmul ins(%[[T]], %[[WK]] :
// CHECK:         linalg.matmul ins(%[[T]], %[[WV]] :
// CHECK:         return {{.*}}, %[[Y]]
// CHECK-LABEL: func.func @qkv_fold_weights(
// CHECK-SAME:      -> (tensor<32x8xf32>, tensor<8xf32>, tensor<32x8xf32>, tensor<8xf32>, tensor<32x8xf32>, tensor<8xf32>)
func.func @qkv(%x: tensor<4x32xf32>, %alpha: f32, %g: tensor<32xf32>, %b: tensor<32xf32>,
               %wq: tensor<32x8xf32>, %wk: tensor<32x8xf32>, %wv: tensor<32x8xf32>)
    -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<32xf32>) beta(%b : tensor<32xf32>) : tensor<4x32xf32> -> tensor<4x32xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %q = linalg.matmul ins(%y, %wq : tensor<4x32xf32>, tensor<32x8xf32>) outs(%f : tensor<4x8xf32>) -> tensor<4x8xf32>
  %k = linalg.matmul ins(%y, %wk : tensor<4x32xf32>, tensor<32x8xf32>) outs(%f : tensor<4x8xf32>) -> tensor<4x8xf32>
  %v = linalg.matmul ins(%y, %wv : tensor<4x32xf32>, tensor<32x8xf32>) outs(%f : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %q, %k, %v, %y : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x32xf32>
}

// -----

// Dynamic sizes: gamma 1 and beta 0 are tensor.splats of the input's
// channel count; sizes read from W are read from W', so W is not passed to
// the hot function; the folding checks gamma's and beta's sizes against K
// when the program runs.
// CHECK-LABEL: func.func @dynamic_folded(
// CHECK-SAME:      %[[X:.*]]: tensor<?x?xf32>, %[[A:.*]]: f32, %[[W:.*]]: tensor<?x?xf32>, %[[BIAS:.*]]: tensor<?xf32>)
// CHECK:         tensor.dim %[[W]], %c1
// CHECK:         %[[K:.*]] = tensor.dim %[[X]], %c1
// CHECK:         %[[ONE:.*]] = tensor.splat %{{.*}}[%[[K]]] : tensor<?xf32>
// CHECK:         dyt.dyt %[[X]] alpha(%[[A]] : f32) gamma(%[[ONE]] : tensor<?xf32>)
// CHECK-LABEL: func.func @dynamic_fold_weights(
// CHECK:         cf.assert %{{.*}}, "dyt-outline-weight-folding: gamma's size differs from the weight's K"
// CHECK:         cf.assert %{{.*}}, "dyt-outline-weight-folding: beta's size differs from the weight's K"
func.func @dynamic(%x: tensor<?x?xf32>, %alpha: f32, %g: tensor<?xf32>, %b: tensor<?xf32>, %w: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = tensor.dim %x, %c0 : tensor<?x?xf32>
  %n = tensor.dim %w, %c1 : tensor<?x?xf32>
  %zero = arith.constant 0.0 : f32
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<?xf32>) beta(%b : tensor<?xf32>) : tensor<?x?xf32> -> tensor<?x?xf32>
  %e = tensor.empty(%m, %n) : tensor<?x?xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x?xf32>) -> tensor<?x?xf32>
  %mm = linalg.matmul ins(%y, %w : tensor<?x?xf32>, tensor<?x?xf32>) outs(%f : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %mm : tensor<?x?xf32>
}

// -----

// A constant gamma and beta with an argument weight: the constants are
// copied into the folding function. bf16 weight and parameters: W' is
// computed in f32 and rounded once to bf16; the bias is accumulated in f32,
// the matmul's result type. A name that is taken gets a suffix.
// CHECK-LABEL: func.func @mixed_folded_0(
// CHECK-SAME:      %{{.*}}: tensor<4x16xbf16>, %{{.*}}: f32, %{{.*}}: tensor<16x8xbf16>, %{{.*}}: tensor<8xf32>)
// CHECK-LABEL: func.func @mixed_fold_weights(
// CHECK-SAME:      %[[W:.*]]: tensor<16x8xbf16>) -> (tensor<16x8xbf16>, tensor<8xf32>)
// CHECK-DAG:     arith.constant dense<2.000000e+00> : tensor<16xbf16>
// CHECK-DAG:     arith.constant dense<5.000000e-01> : tensor<16xbf16>
// CHECK:         linalg.generic
// CHECK:           arith.extf %{{.*}} : bf16 to f32
// CHECK:           arith.extf %{{.*}} : bf16 to f32
// CHECK:           arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK:           arith.truncf %{{.*}} : f32 to bf16
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<8xf32>)
func.func @mixed(%x: tensor<4x16xbf16>, %alpha: f32, %w: tensor<16x8xbf16>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %g = arith.constant dense<2.0> : tensor<16xbf16>
  %b = arith.constant dense<0.5> : tensor<16xbf16>
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<16xbf16>) beta(%b : tensor<16xbf16>) : tensor<4x16xbf16> -> tensor<4x16xbf16>
  %e = tensor.empty() : tensor<4x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %mm = linalg.matmul ins(%y, %w : tensor<4x16xbf16>, tensor<16x8xbf16>) outs(%f : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %mm : tensor<4x8xf32>
}
func.func private @mixed_folded()

// -----

// Negative: nothing here is folded into a function of its own, and no
// function is added.
// - the weight is computed in the function (a transpose of an argument);
// - weight, gamma and beta are all constants (dyt-fuse-matmul folds those
//   at compile time);
// - the DyT runs along M, not along the contraction dim;
// - a batch_matmul's weight is 3-d;
// - gamma is a constant 1 and beta a constant 0: nothing to fold.
// CHECK-LABEL: func.func @computed_weight(
// CHECK-NOT:     _fold
// CHECK-LABEL: func.func @constant_weight(
// CHECK-NOT:     _fold
// CHECK-LABEL: func.func @along_m(
// CHECK-NOT:     _fold
// CHECK-LABEL: func.func @batched(
// CHECK-NOT:     _fold
// CHECK-LABEL: func.func @identity_params(
// CHECK-NOT:     _fold
func.func @computed_weight(%x: tensor<4x16xf32>, %alpha: f32, %g: tensor<16xf32>, %b: tensor<16xf32>, %wt: tensor<8x16xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<16xf32>) beta(%b : tensor<16xf32>) : tensor<4x16xf32> -> tensor<4x16xf32>
  %we = tensor.empty() : tensor<16x8xf32>
  %w = linalg.transpose ins(%wt : tensor<8x16xf32>) outs(%we : tensor<16x8xf32>) permutation = [1, 0]
  %e = tensor.empty() : tensor<4x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %mm = linalg.matmul ins(%y, %w : tensor<4x16xf32>, tensor<16x8xf32>) outs(%f : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %mm : tensor<4x8xf32>
}
func.func @constant_weight(%x: tensor<4x16xf32>, %alpha: f32) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %g = arith.constant dense<2.0> : tensor<16xf32>
  %b = arith.constant dense<0.5> : tensor<16xf32>
  %w = arith.constant dense<0.25> : tensor<16x8xf32>
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<16xf32>) beta(%b : tensor<16xf32>) : tensor<4x16xf32> -> tensor<4x16xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %mm = linalg.matmul ins(%y, %w : tensor<4x16xf32>, tensor<16x8xf32>) outs(%f : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %mm : tensor<4x8xf32>
}
func.func @along_m(%x: tensor<16x16xf32>, %alpha: f32, %g: tensor<16xf32>, %b: tensor<16xf32>, %w: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %zero = arith.constant 0.0 : f32
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<16xf32>) beta(%b : tensor<16xf32>) axis = 0 : tensor<16x16xf32> -> tensor<16x16xf32>
  %e = tensor.empty() : tensor<16x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
  %mm = linalg.matmul ins(%y, %w : tensor<16x16xf32>, tensor<16x8xf32>) outs(%f : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %mm : tensor<16x8xf32>
}
func.func @batched(%x: tensor<2x4x16xf32>, %alpha: f32, %g: tensor<16xf32>, %b: tensor<16xf32>, %w: tensor<2x16x8xf32>) -> tensor<2x4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<16xf32>) beta(%b : tensor<16xf32>) : tensor<2x4x16xf32> -> tensor<2x4x16xf32>
  %e = tensor.empty() : tensor<2x4x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %mm = linalg.batch_matmul ins(%y, %w : tensor<2x4x16xf32>, tensor<2x16x8xf32>) outs(%f : tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return %mm : tensor<2x4x8xf32>
}
func.func @identity_params(%x: tensor<4x16xf32>, %alpha: f32, %w: tensor<16x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %g = arith.constant dense<1.0> : tensor<16xf32>
  %b = arith.constant dense<0.0> : tensor<16xf32>
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<16xf32>) beta(%b : tensor<16xf32>) : tensor<4x16xf32> -> tensor<4x16xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %mm = linalg.matmul ins(%y, %w : tensor<4x16xf32>, tensor<16x8xf32>) outs(%f : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %mm : tensor<4x8xf32>
}
