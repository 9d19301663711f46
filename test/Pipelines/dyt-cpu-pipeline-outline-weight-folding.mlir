// dyt-cpu-pipeline{outline-weight-folding}: the module keeps @ffn and gains
// @ffn_fold_weights and @ffn_folded, all three compiled to LLVM; the hot
// function's DyT is its tanh alone (no gamma multiply, no beta add: a
// rational tanh's one divide), fused into the matmul (its FMAs).
// RUN: dyt-opt %s --pass-pipeline="builtin.module(dyt-cpu-pipeline{outline-weight-folding vector-bits=512})" | FileCheck %s
// RUN: dyt-opt %s --pass-pipeline="builtin.module(dyt-cpu-pipeline{vector-bits=512})" | FileCheck %s --check-prefix=OFF

// CHECK-LABEL: llvm.func @ffn(
// CHECK-LABEL: llvm.func @ffn_folded(
// CHECK-NOT:     llvm.func
// CHECK:         llvm.fdiv
// CHECK-NOT:     llvm.func
// CHECK:         llvm.intr.fmuladd{{.*}}vector<32xf32>
// CHECK-LABEL: llvm.func @ffn_fold_weights(
// OFF-NOT:     _fold
func.func @ffn(%x: tensor<64x256xf32>, %alpha: f32, %g: tensor<256xf32>, %b: tensor<256xf32>, %w: tensor<256x128xf32>) -> tensor<64x128xf32> {
  %zero = arith.constant 0.0 : f32
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<256xf32>) beta(%b : tensor<256xf32>) : tensor<64x256xf32> -> tensor<64x256xf32>
  %e = tensor.empty() : tensor<64x128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<64x128xf32>) -> tensor<64x128xf32>
  %mm = linalg.matmul ins(%y, %w : tensor<64x256xf32>, tensor<256x128xf32>) outs(%f : tensor<64x128xf32>) -> tensor<64x128xf32>
  return %mm : tensor<64x128xf32>
}
