// Weights passed as arguments, folded by the functions that
// dyt-outline-weight-folding emits: @F_fold_weights runs once on the weights,
// gamma and beta, @F_folded runs on the activation and the folded weights,
// and the result is checked against NumPy's float64 DyT -> matmul on the
// original arguments.
// REQUIRES: numpy
// RUN: dyt-opt %s --dyt-outline-weight-folding -o %t.mlir
// RUN: %dyt_run_check %t.mlir -e ffn_folded --ref dyt_matmul --fold ffn_fold_weights:2,3,4:2 --hot-args 0,1 --arg 64x300:f32 --arg scalar:f32 --arg 300:f32 --arg 300:f32 --arg 300x257:f32 | FileCheck %s --check-prefix=FFN
// RUN: %dyt_run_check %t.mlir -e ffn_folded --ref dyt_matmul --threads 2 --fold ffn_fold_weights:2,3,4:2 --hot-args 0,1 --arg 1x7:f32 --arg scalar:f32 --arg 7:f32 --arg 7:f32 --arg 7x1:f32 | FileCheck %s --check-prefix=TINY
// RUN: %dyt_run_check %t.mlir -e ffn_folded --ref dyt_matmul --fold ffn_fold_weights:2,3,4:2 --hot-args 0,1 --arg 600x31:f32:special --arg scalar:f32 --arg 31:f32 --arg 31:f32 --arg 31x9:f32 | FileCheck %s --check-prefix=SPECIAL
// RUN: %dyt_run_check %t.mlir -e linear_folded --ref dyt_matmul_transpose_b --fold linear_fold_weights:2,3,4:2 --hot-args 0,1 --arg 33x64:f32 --arg scalar:f32 --arg 64:f32 --arg 64:f32 --arg 19x64:f32 | FileCheck %s --check-prefix=LINEAR
// RUN: %dyt_run_check %t.mlir -e llama_folded --ref dyt_no_beta_matmul_transpose_b --fold llama_fold_weights:2,3:1 --hot-args 0,1 --arg 17x128:f32 --arg scalar:f32 --arg 128:f32 --arg 45x128:f32 | FileCheck %s --check-prefix=LLAMA
// RUN: %dyt_run_check %t.mlir -e ffn_bf16_folded --ref dyt_matmul --out-dtype f32 --matmul-rel 2e-3 --fold ffn_bf16_fold_weights:2,3,4:2 --hot-args 0,1 --arg 37x64:bf16 --arg scalar:f32 --arg 64:bf16 --arg 64:bf16 --arg 64x50:bf16 | FileCheck %s --check-prefix=BF16
// RUN: %dyt_run_check %t.mlir -e qkv_folded --ref dyt_qkv_sum --fold qkv_fold_weights:2,3,4,5,6:6 --hot-args 0,1 --arg 20x96:f32 --arg scalar:f32 --arg 96:f32 --arg 96:f32 --arg 96x40:f32 --arg 96x40:f32 --arg 96x40:f32 | FileCheck %s --check-prefix=QKV

// FFN: OK ffn_folded: 16448 elements
// TINY: OK ffn_folded: 1 elements
// SPECIAL: OK ffn_folded: 5400 elements
// LINEAR: OK linear_folded: 627 elements
// LLAMA: OK llama_folded: 765 elements
// BF16: OK ffn_bf16_folded: 1850 elements
// QKV: OK qkv_folded: 800 elements

// Dynamic M, K and N.
func.func @ffn(%x: tensor<?x?xf32>, %alpha: f32, %g: tensor<?xf32>, %b: tensor<?xf32>, %w: tensor<?x?xf32>) -> tensor<?x?xf32> {
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

// x @ W^T, PyTorch's Linear layout.
func.func @linear(%x: tensor<33x64xf32>, %alpha: f32, %g: tensor<64xf32>, %b: tensor<64xf32>, %w: tensor<19x64xf32>) -> tensor<33x19xf32> {
  %zero = arith.constant 0.0 : f32
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<64xf32>) beta(%b : tensor<64xf32>) : tensor<33x64xf32> -> tensor<33x64xf32>
  %e = tensor.empty() : tensor<33x19xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<33x19xf32>) -> tensor<33x19xf32>
  %mm = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
          ins(%y, %w : tensor<33x64xf32>, tensor<19x64xf32>) outs(%f : tensor<33x19xf32>) -> tensor<33x19xf32>
  return %mm : tensor<33x19xf32>
}

// LLaMA-style: no beta (a constant zero), so the folding returns W' only.
func.func @llama(%x: tensor<17x128xf32>, %alpha: f32, %g: tensor<128xf32>, %w: tensor<45x128xf32>) -> tensor<17x45xf32> {
  %zero = arith.constant 0.0 : f32
  %b = arith.constant dense<0.0> : tensor<128xf32>
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<128xf32>) beta(%b : tensor<128xf32>) : tensor<17x128xf32> -> tensor<17x128xf32>
  %e = tensor.empty() : tensor<17x45xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<17x45xf32>) -> tensor<17x45xf32>
  %mm = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
          ins(%y, %w : tensor<17x128xf32>, tensor<45x128xf32>) outs(%f : tensor<17x45xf32>) -> tensor<17x45xf32>
  return %mm : tensor<17x45xf32>
}

// bf16 activation, parameters and weight; f32 accumulation and result.
func.func @ffn_bf16(%x: tensor<37x64xbf16>, %alpha: f32, %g: tensor<64xbf16>, %b: tensor<64xbf16>, %w: tensor<64x50xbf16>) -> tensor<37x50xf32> {
  %zero = arith.constant 0.0 : f32
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<64xbf16>) beta(%b : tensor<64xbf16>) : tensor<37x64xbf16> -> tensor<37x64xbf16>
  %e = tensor.empty() : tensor<37x50xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<37x50xf32>) -> tensor<37x50xf32>
  %mm = linalg.matmul ins(%y, %w : tensor<37x64xbf16>, tensor<64x50xbf16>) outs(%f : tensor<37x50xf32>) -> tensor<37x50xf32>
  return %mm : tensor<37x50xf32>
}

// One DyT, three projections (summed so that one result checks all three).
func.func @qkv(%x: tensor<20x96xf32>, %alpha: f32, %g: tensor<96xf32>, %b: tensor<96xf32>,
               %wq: tensor<96x40xf32>, %wk: tensor<96x40xf32>, %wv: tensor<96x40xf32>) -> tensor<20x40xf32> {
  %zero = arith.constant 0.0 : f32
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<96xf32>) beta(%b : tensor<96xf32>) : tensor<20x96xf32> -> tensor<20x96xf32>
  %e = tensor.empty() : tensor<20x40xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<20x40xf32>) -> tensor<20x40xf32>
  %q = linalg.matmul ins(%y, %wq : tensor<20x96xf32>, tensor<96x40xf32>) outs(%f : tensor<20x40xf32>) -> tensor<20x40xf32>
  %k = linalg.matmul ins(%y, %wk : tensor<20x96xf32>, tensor<96x40xf32>) outs(%f : tensor<20x40xf32>) -> tensor<20x40xf32>
  %v = linalg.matmul ins(%y, %wv : tensor<20x96xf32>, tensor<96x40xf32>) outs(%f : tensor<20x40xf32>) -> tensor<20x40xf32>
  %qk = arith.addf %q, %k : tensor<20x40xf32>
  %s = arith.addf %qk, %v : tensor<20x40xf32>
  return %s : tensor<20x40xf32>
}
