// Matmuls through dyt-run (register-tiled, vectorized) against NumPy.
// REQUIRES: numpy
// RUN: %dyt_run_check %s -e matmul --ref matmul --arg 37x129:f32 --arg 129x65:f32 | FileCheck %s --check-prefix=MM
// RUN: %dyt_run_check %s -e matmul --ref matmul --threads 2 --arg 64x300:f32 --arg 300x257:f32 | FileCheck %s --check-prefix=MM
// RUN: %dyt_run_check %s -e matmul_tb --ref matmul_transpose_b --arg 19x64:f32 --arg 33x64:f32 | FileCheck %s --check-prefix=TB
// RUN: %dyt_run_check %s -e bmm --ref batch_matmul --arg 3x9x17:f32 --arg 3x17x40:f32 | FileCheck %s --check-prefix=BMM
// 16-bit operands accumulated in f32 (the lowering of a batch tile's
// contraction failed on them).
// RUN: %dyt_run_check %s -e bmm_f16 --ref batch_matmul --out-dtype f32 --arg 3x33x70:f16 --arg 3x70x47:f16 | FileCheck %s --check-prefix=BMMH
// RUN: %dyt_run_check %s -e bmm_bf16 --ref batch_matmul --out-dtype f32 --arg 2x9x17:bf16 --arg 2x17x40:bf16 | FileCheck %s --check-prefix=BMMB
// RUN: %dyt_run_check %s -e dyt_then_matmul --ref dyt_matmul --arg 17x64:f32 --arg scalar:f32 --arg 64:f32 --arg 64:f32 --arg 64x50:f32 | FileCheck %s --check-prefix=DM

// MM: OK matmul:
// TB: OK matmul_tb: 627 elements
// BMM: OK bmm: 1080 elements
// BMMH: OK bmm_f16: 4653 elements
// BMMB: OK bmm_bf16: 720 elements
// DM: OK dyt_then_matmul: 850 elements

func.func @matmul(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = tensor.dim %a, %c0 : tensor<?x?xf32>
  %n = tensor.dim %b, %c1 : tensor<?x?xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty(%m, %n) : tensor<?x?xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x?xf32>) -> tensor<?x?xf32>
  %r = linalg.matmul ins(%a, %b : tensor<?x?xf32>, tensor<?x?xf32>) outs(%f : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}
// x @ W^T, as PyTorch's Linear computes it.
func.func @matmul_tb(%a: tensor<19x64xf32>, %b: tensor<33x64xf32>) -> tensor<19x33xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<19x33xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<19x33xf32>) -> tensor<19x33xf32>
  %r = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%a, %b : tensor<19x64xf32>, tensor<33x64xf32>) outs(%f : tensor<19x33xf32>) -> tensor<19x33xf32>
  return %r : tensor<19x33xf32>
}
func.func @bmm(%a: tensor<3x9x17xf32>, %b: tensor<3x17x40xf32>) -> tensor<3x9x40xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x9x40xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3x9x40xf32>) -> tensor<3x9x40xf32>
  %r = linalg.batch_matmul ins(%a, %b : tensor<3x9x17xf32>, tensor<3x17x40xf32>) outs(%f : tensor<3x9x40xf32>) -> tensor<3x9x40xf32>
  return %r : tensor<3x9x40xf32>
}
func.func @dyt_then_matmul(%x: tensor<17x64xf32>, %a: f32, %g: tensor<64xf32>, %b: tensor<64xf32>, %w: tensor<64x50xf32>) -> tensor<17x50xf32> {
  %n = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<64xf32>) beta(%b : tensor<64xf32>) : tensor<17x64xf32> -> tensor<17x64xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<17x50xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<17x50xf32>) -> tensor<17x50xf32>
  %r = linalg.matmul ins(%n, %w : tensor<17x64xf32>, tensor<64x50xf32>) outs(%f : tensor<17x50xf32>) -> tensor<17x50xf32>
  return %r : tensor<17x50xf32>
}

func.func @bmm_f16(%a: tensor<3x33x70xf16>, %b: tensor<3x70x47xf16>) -> tensor<3x33x47xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x33x47xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3x33x47xf32>) -> tensor<3x33x47xf32>
  %r = linalg.batch_matmul ins(%a, %b : tensor<3x33x70xf16>, tensor<3x70x47xf16>) outs(%f : tensor<3x33x47xf32>) -> tensor<3x33x47xf32>
  return %r : tensor<3x33x47xf32>
}
func.func @bmm_bf16(%a: tensor<2x9x17xbf16>, %b: tensor<2x17x40xbf16>) -> tensor<2x9x40xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x9x40xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x9x40xf32>) -> tensor<2x9x40xf32>
  %r = linalg.batch_matmul ins(%a, %b : tensor<2x9x17xbf16>, tensor<2x17x40xbf16>) outs(%f : tensor<2x9x40xf32>) -> tensor<2x9x40xf32>
  return %r : tensor<2x9x40xf32>
}
