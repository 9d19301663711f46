// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-cpu-vectorize))" | FileCheck %s
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-cpu-vectorize{max-vector-elements=32}))" | FileCheck %s --check-prefix=SMALL

// A remainder tile (affine.min) is vectorized to the tile's bound with a
// mask; the tanh body becomes vector arithmetic.
// CHECK-LABEL: func @masked_tile
// CHECK:         %[[N:.*]] = affine.min
// CHECK:         %[[M:.*]] = vector.create_mask %{{.*}}, %[[N]] : vector<1x64xi1>
// CHECK:         %[[V:.*]] = vector.transfer_read {{.*}}, %[[M]] {{.*}} : tensor<{{.*}}>, vector<1x64xf32>
// CHECK:         %[[T:.*]] = math.tanh %[[V]] : vector<1x64xf32>
// CHECK:         vector.transfer_write %[[T]], {{.*}}, %[[M]]
// CHECK-NOT:     linalg.generic
// SMALL-LABEL: func @masked_tile
// SMALL:         linalg.generic
// SMALL-NOT:     vector.transfer_read
#id = affine_map<(d0, d1) -> (d0, d1)>
#min = affine_map<(d0) -> (-d0 + 1000, 64)>
func.func @masked_tile(%x: tensor<1x1000xf32>, %out: tensor<1x1000xf32>, %i: index) -> tensor<1x?xf32> {
  %n = affine.min #min(%i)
  %xs = tensor.extract_slice %x[0, %i] [1, %n] [1, 1] : tensor<1x1000xf32> to tensor<1x?xf32>
  %os = tensor.extract_slice %out[0, %i] [1, %n] [1, 1] : tensor<1x1000xf32> to tensor<1x?xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%xs : tensor<1x?xf32>) outs(%os : tensor<1x?xf32>) {
  ^bb0(%v: f32, %o: f32):
    %t = math.tanh %v : f32
    linalg.yield %t : f32
  } -> tensor<1x?xf32>
  return %y : tensor<1x?xf32>
}

// -----

// A static tile needs no mask; a row reduction becomes a multi_reduction.
// CHECK-LABEL: func @static_reduction
// CHECK-NOT:     vector.create_mask
// CHECK:         vector.transfer_read {{.*}} : tensor<1x64xf32>, vector<1x64xf32>
// CHECK:         vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<1x64xf32> to vector<1xf32>
#in = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @static_reduction(%x: tensor<1x64xf32>, %acc: tensor<1xf32>) -> tensor<1xf32> {
  %s = linalg.generic {indexing_maps = [#in, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<1x64xf32>) outs(%acc : tensor<1xf32>) {
  ^bb0(%v: f32, %a: f32):
    %r = arith.addf %v, %a : f32
    linalg.yield %r : f32
  } -> tensor<1xf32>
  return %s : tensor<1xf32>
}

// -----

// Negative: a dynamic size without a constant upper bound is left alone
// (the scalar fallback runs it).
// CHECK-LABEL: func @unbounded
// CHECK:         linalg.generic
// CHECK-NOT:     vector.
#id = affine_map<(d0) -> (d0)>
func.func @unbounded(%x: tensor<?xf32>) -> tensor<?xf32> {
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf32>) outs(%x : tensor<?xf32>) {
  ^bb0(%v: f32, %o: f32):
    %t = math.tanh %v : f32
    linalg.yield %t : f32
  } -> tensor<?xf32>
  return %y : tensor<?xf32>
}
