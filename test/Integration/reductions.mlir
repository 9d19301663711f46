// Reductions the partial-reduction tiling does not cover still compile
// (full-reduction tiling, or the scalar fallback) and match the reference
// pipeline, without diagnostics.
// RUN: dyt-run %s -e rowmax --random --check 2>&1 | FileCheck %s --check-prefix=MAX
// RUN: dyt-run %s -e weird --random --check 2>&1 | FileCheck %s --check-prefix=WEIRD
// MAX-NOT: error
// MAX: check: result #0: 5 elements
// WEIRD-NOT: error
// WEIRD: check: result #0: 5 elements

func.func @rowmax(%x: tensor<5x300xf32>) -> tensor<5xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<5xf32>
  %i = linalg.fill ins(%ninf : f32) outs(%e : tensor<5xf32>) -> tensor<5xf32>
  %m = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<5x300xf32>) outs(%i : tensor<5xf32>) {
  ^bb0(%v: f32, %a: f32):
    %r = arith.maximumf %v, %a : f32
    linalg.yield %r : f32
  } -> tensor<5xf32>
  return %m : tensor<5xf32>
}
func.func @weird(%x: tensor<5x300xf32>) -> tensor<5xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5xf32>
  %i = linalg.fill ins(%zero : f32) outs(%e : tensor<5xf32>) -> tensor<5xf32>
  %m = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<5x300xf32>) outs(%i : tensor<5xf32>) {
  ^bb0(%v: f32, %a: f32):
    %h = arith.mulf %a, %a : f32
    %r = arith.addf %v, %h : f32
    linalg.yield %r : f32
  } -> tensor<5xf32>
  return %m : tensor<5xf32>
}
