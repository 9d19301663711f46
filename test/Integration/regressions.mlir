// Cases a review found the CPU pipeline or dyt-run getting wrong (now fixed):
// results sharing a buffer (use after free), linalg.index in a reduction
// (partial-reduction tiling), a matmul accumulating into an argument (inputs
// overwritten), static zero-size dims, linalg.dot (0-d accumulator), a
// strided slice returned (memrefCopy), a reduction combiner without a
// neutral element, a column reduction feeding a row-tiled consumer.
// Each runs the fast pipeline against the reference one on the same inputs.
// RUN: dyt-run %s -e uaf --random --check 2>&1 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %s -e index --random --check 2>&1 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %s -e mminit --random --check 2>&1 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %s -e zero --random --check 2>&1 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %s -e zerok --random --check 2>&1 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %s -e dot --random --check 2>&1 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %s -e slice --random --check 2>&1 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %s -e subred --random --check 2>&1 | FileCheck %s --check-prefix=OK
// RUN: dyt-run %s -e colnorm --random --check 2>&1 | FileCheck %s --check-prefix=OK
// OK-NOT: error
// OK: check: result #0

func.func @uaf(%x: tensor<12x70xf32>, %y: tensor<12x70xf32>) -> (tensor<12x70xf32>, tensor<12x70xf32>) {
  %z = arith.addf %x, %y : tensor<12x70xf32>
  return %z, %z : tensor<12x70xf32>, tensor<12x70xf32>
}
func.func @index(%x: tensor<5x200xf32>) -> tensor<5xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<5xf32>) -> tensor<5xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<5x200xf32>) outs(%f : tensor<5xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %j = linalg.index 1 : index
    %ji = arith.index_cast %j : index to i32
    %jf = arith.sitofp %ji : i32 to f32
    %p = arith.mulf %a, %jf : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<5xf32>
  return %r : tensor<5xf32>
}
func.func @mminit(%a: tensor<13x17xf32>, %b: tensor<17x35xf32>, %c: tensor<13x35xf32>) -> tensor<13x35xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<13x17xf32>, tensor<17x35xf32>) outs(%c : tensor<13x35xf32>) -> tensor<13x35xf32>
  return %r : tensor<13x35xf32>
}
func.func @zero(%x: tensor<3x0xf32>, %g: tensor<0xf32>, %b: tensor<0xf32>) -> tensor<3x0xf32> {
  %y = dyt.layer_norm %x gamma(%g : tensor<0xf32>) beta(%b : tensor<0xf32>) : tensor<3x0xf32> -> tensor<3x0xf32>
  return %y : tensor<3x0xf32>
}
func.func @zerok(%a: tensor<9x0xf32>, %b: tensor<0x5xf32>) -> tensor<9x5xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<9x5xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<9x5xf32>) -> tensor<9x5xf32>
  %r = linalg.matmul ins(%a, %b : tensor<9x0xf32>, tensor<0x5xf32>) outs(%f : tensor<9x5xf32>) -> tensor<9x5xf32>
  return %r : tensor<9x5xf32>
}
func.func @dot(%a: tensor<33xf32>, %b: tensor<33xf32>) -> tensor<f32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %r = linalg.dot ins(%a, %b : tensor<33xf32>, tensor<33xf32>) outs(%f : tensor<f32>) -> tensor<f32>
  return %r : tensor<f32>
}
func.func @slice(%x: tensor<4x8xf32>) -> tensor<2x4xf32> {
  %s = tensor.extract_slice %x[1, 1] [2, 4] [1, 1] : tensor<4x8xf32> to tensor<2x4xf32>
  return %s : tensor<2x4xf32>
}
func.func @subred(%x: tensor<5x300xf32>) -> tensor<5xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5xf32>
  %i = linalg.fill ins(%zero : f32) outs(%e : tensor<5xf32>) -> tensor<5xf32>
  %m = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<5x300xf32>) outs(%i : tensor<5xf32>) {
  ^bb0(%v: f32, %a: f32):
    %r = arith.subf %a, %v : f32
    linalg.yield %r : f32
  } -> tensor<5xf32>
  return %m : tensor<5xf32>
}
func.func @colnorm(%x: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256xf32>
  %i = linalg.fill ins(%zero : f32) outs(%e : tensor<256xf32>) -> tensor<256xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<256x256xf32>) outs(%i : tensor<256xf32>) {
  ^bb0(%v: f32, %a: f32):
    %r = arith.addf %a, %v : f32
    linalg.yield %r : f32
  } -> tensor<256xf32>
  %o = tensor.empty() : tensor<256x256xf32>
  %n = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : tensor<256x256xf32>, tensor<256xf32>) outs(%o : tensor<256x256xf32>) {
  ^bb0(%v: f32, %c: f32, %out: f32):
    %r = arith.divf %v, %c : f32
    linalg.yield %r : f32
  } -> tensor<256x256xf32>
  return %n : tensor<256x256xf32>
}
