// math.erf (expanded by dyt-expand-math) and linalg.softmax (decomposed by
// dyt-decompose-aggregate-ops) through dyt-run against Python's math.erf and
// a NumPy softmax, float64.
// REQUIRES: numpy
// RUN: %dyt_run_check %s -e erf_f32 --ref erf --arg 4x1000:f32:wide | FileCheck %s --check-prefix=ERF
// RUN: %dyt_run_check %s -e erf_f32 --ref erf --arg 4x1000:f32 | FileCheck %s --check-prefix=ERF
// RUN: %dyt_run_check %s -e erf_f32 --ref erf --arg 4x1000:f32:special | FileCheck %s --check-prefix=ERF
// RUN: %dyt_run_check %s -e erf_bf16 --ref erf --arg 3x77:bf16 | FileCheck %s --check-prefix=ERFB
// RUN: %dyt_run_check %s -e softmax --ref softmax --arg 5x129:f32 | FileCheck %s --check-prefix=SM
// RUN: %dyt_run_check %s -e softmax --ref softmax --arg 5x129:f32:wide | FileCheck %s --check-prefix=SM
// RUN: %dyt_run_check %s -e softmax_dim0 --ref softmax --axis 0 --arg 6x3x17:f32 | FileCheck %s --check-prefix=SM0

// ERF: OK erf_f32: 4000 elements (f32)
// ERFB: OK erf_bf16: 231 elements (bf16)
// SM: OK softmax: 645 elements (f32)
// SM0: OK softmax_dim0: 306 elements (f32)

#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @erf_f32(%x: tensor<4x1000xf32>) -> tensor<4x1000xf32> {
  %e = tensor.empty() : tensor<4x1000xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x1000xf32>) outs(%e : tensor<4x1000xf32>) {
  ^bb0(%in: f32, %o: f32):
    %r = math.erf %in : f32
    linalg.yield %r : f32
  } -> tensor<4x1000xf32>
  return %y : tensor<4x1000xf32>
}
func.func @erf_bf16(%x: tensor<3x77xbf16>) -> tensor<3x77xbf16> {
  %e = tensor.empty() : tensor<3x77xbf16>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<3x77xbf16>) outs(%e : tensor<3x77xbf16>) {
  ^bb0(%in: bf16, %o: bf16):
    %r = math.erf %in : bf16
    linalg.yield %r : bf16
  } -> tensor<3x77xbf16>
  return %y : tensor<3x77xbf16>
}
func.func @softmax(%x: tensor<5x129xf32>) -> tensor<5x129xf32> {
  %e = tensor.empty() : tensor<5x129xf32>
  %y = linalg.softmax dimension(1) ins(%x : tensor<5x129xf32>) outs(%e : tensor<5x129xf32>) -> tensor<5x129xf32>
  return %y : tensor<5x129xf32>
}
func.func @softmax_dim0(%x: tensor<6x3x17xf32>) -> tensor<6x3x17xf32> {
  %e = tensor.empty() : tensor<6x3x17xf32>
  %y = linalg.softmax dimension(0) ins(%x : tensor<6x3x17xf32>) outs(%e : tensor<6x3x17xf32>) -> tensor<6x3x17xf32>
  return %y : tensor<6x3x17xf32>
}
