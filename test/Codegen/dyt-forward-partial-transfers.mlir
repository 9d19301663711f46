// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-forward-partial-transfers))" | FileCheck %s
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(dyt-forward-partial-transfers))" | FileCheck %s --check-prefix=NEG

// The peeled last tile of a row sum, as dyt-cpu-vectorize and
// loop-invariant-subset-hoisting leave it: the 64-lane accumulator written
// into a tensor, its first 33 lanes read, updated and written back, and all
// 64 read for the reduction. Forwarded: an extract of the first lanes, an
// insert of the update, and no tensor left.
// CHECK-LABEL: func @peeled_tile
// CHECK-SAME:    (%[[ACC:.*]]: vector<1x64xf32>, %[[TAIL:.*]]: vector<1x33xf32>)
// CHECK-NOT:     vector.transfer
// CHECK-NOT:     tensor.empty
// CHECK:         %[[HEAD:.*]] = vector.extract_strided_slice %[[ACC]] {offsets = [0, 0], sizes = [1, 33], strides = [1, 1]} : vector<1x64xf32> to vector<1x33xf32>
// CHECK:         %[[SUM:.*]] = arith.addf %[[HEAD]], %[[TAIL]] : vector<1x33xf32>
// CHECK:         %[[ALL:.*]] = vector.insert_strided_slice %[[SUM]], %[[ACC]] {offsets = [0, 0], strides = [1, 1]} : vector<1x33xf32> into vector<1x64xf32>
// CHECK-NOT:     vector.transfer
// CHECK:         return %[[ALL]]
func.func @peeled_tile(%acc: vector<1x64xf32>, %tail: vector<1x33xf32>) -> vector<1x64xf32> {
  %c0 = arith.constant 0 : index
  %pad = ub.poison : f32
  %t = tensor.empty() : tensor<1x64xf32>
  %w = vector.transfer_write %acc, %t[%c0, %c0] {in_bounds = [true, true]} : vector<1x64xf32>, tensor<1x64xf32>
  %head = vector.transfer_read %w[%c0, %c0], %pad {in_bounds = [true, true]} : tensor<1x64xf32>, vector<1x33xf32>
  %sum = arith.addf %head, %tail : vector<1x33xf32>
  %w2 = vector.transfer_write %sum, %w[%c0, %c0] {in_bounds = [true, true]} : vector<1x33xf32>, tensor<1x64xf32>
  %all = vector.transfer_read %w2[%c0, %c0], %pad {in_bounds = [true, true]} : tensor<1x64xf32>, vector<1x64xf32>
  return %all : vector<1x64xf32>
}

// -----

// A larger read over a smaller write into a tensor of unknown contents:
// the tensor is still read, and the write laid over it.
// CHECK-LABEL: func @over_argument
// CHECK-SAME:    (%[[T:.*]]: tensor<4x64xf32>, %[[V:.*]]: vector<8xf32>, %[[I:.*]]: index)
// CHECK:         %[[UNDER:.*]] = vector.transfer_read %[[T]][%[[I]], %{{.*}}], %{{.*}} {in_bounds = [true, true]} : tensor<4x64xf32>, vector<1x64xf32>
// CHECK:         vector.insert_strided_slice %{{.*}}, %[[UNDER]] {offsets = [0, 0], strides = [1, 1]} : vector<1x8xf32> into vector<1x64xf32>
func.func @over_argument(%t: tensor<4x64xf32>, %v: vector<8xf32>, %i: index) -> vector<1x64xf32> {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %v2 = vector.shape_cast %v : vector<8xf32> to vector<1x8xf32>
  %w = vector.transfer_write %v2, %t[%i, %c0] {in_bounds = [true, true]} : vector<1x8xf32>, tensor<4x64xf32>
  %r = vector.transfer_read %w[%i, %c0], %pad {in_bounds = [true, true]} : tensor<4x64xf32>, vector<1x64xf32>
  return %r : vector<1x64xf32>
}

// -----

// Negative: other indices, a mask, a transposing map, a dim out of bounds,
// and shapes neither smaller nor larger in every dim: the transfers stay.
// CHECK-LABEL: func @not_forwarded
// NEG-LABEL: func @not_forwarded
// NEG-NOT:     strided_slice
// NEG:         return
// CHECK-COUNT-5: vector.transfer_read
// CHECK:         return
func.func @not_forwarded(%t: tensor<8x64xf32>, %v: vector<1x64xf32>, %i: index, %j: index, %k: index, %m: vector<1x16xi1>, %u: vector<2x8xf32>, %s: vector<1x32xf32>, %sq: vector<8x8xf32>)
    -> (vector<1x16xf32>, vector<1x16xf32>, vector<4x4xf32>, vector<1x16xf32>, vector<4x4xf32>) {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %w = vector.transfer_write %v, %t[%i, %c0] {in_bounds = [true, true]} : vector<1x64xf32>, tensor<8x64xf32>
  %other = vector.transfer_read %w[%j, %c0], %pad {in_bounds = [true, true]} : tensor<8x64xf32>, vector<1x16xf32>
  %masked = vector.transfer_read %w[%i, %c0], %pad, %m {in_bounds = [true, true]} : tensor<8x64xf32>, vector<1x16xf32>
  %w4 = vector.transfer_write %sq, %t[%c0, %c0] {in_bounds = [true, true]} : vector<8x8xf32>, tensor<8x64xf32>
  %transposed = vector.transfer_read %w4[%c0, %c0], %pad {in_bounds = [true, true], permutation_map = affine_map<(d0, d1) -> (d1, d0)>} : tensor<8x64xf32>, vector<4x4xf32>
  %w3 = vector.transfer_write %s, %t[%i, %k] {in_bounds = [true, true]} : vector<1x32xf32>, tensor<8x64xf32>
  %unknown = vector.transfer_read %w3[%i, %k], %pad {in_bounds = [true, false]} : tensor<8x64xf32>, vector<1x16xf32>
  %w2 = vector.transfer_write %u, %t[%i, %c0] {in_bounds = [true, true]} : vector<2x8xf32>, tensor<8x64xf32>
  %crossed = vector.transfer_read %w2[%i, %c0], %pad {in_bounds = [true, true]} : tensor<8x64xf32>, vector<4x4xf32>
  return %other, %masked, %transposed, %unknown, %crossed : vector<1x16xf32>, vector<1x16xf32>, vector<4x4xf32>, vector<1x16xf32>, vector<4x4xf32>
}

// -----

// Negative, larger reads: at other indices, masked, of a write that is
// still used elsewhere (reading the tensor under it would cost a copy), and
// of scalable vectors (no size comparison at compile time).
// CHECK-LABEL: func @not_forwarded_larger
// NEG-LABEL: func @not_forwarded_larger
// NEG-NOT:     strided_slice
// NEG:         return
// CHECK-COUNT-4: vector.transfer_read
// CHECK:         return
func.func @not_forwarded_larger(%t: tensor<8x64xf32>, %v: vector<1x8xf32>, %i: index, %j: index, %m: vector<1x64xi1>, %sv: vector<1x[4]xf32>)
    -> (vector<1x64xf32>, vector<1x64xf32>, vector<1x64xf32>, tensor<8x64xf32>, vector<1x64xf32>) {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %w = vector.transfer_write %v, %t[%i, %c0] {in_bounds = [true, true]} : vector<1x8xf32>, tensor<8x64xf32>
  %other = vector.transfer_read %w[%j, %c0], %pad {in_bounds = [true, true]} : tensor<8x64xf32>, vector<1x64xf32>
  %masked = vector.transfer_read %w[%i, %c0], %pad, %m {in_bounds = [true, true]} : tensor<8x64xf32>, vector<1x64xf32>
  %w2 = vector.transfer_write %v, %t[%j, %c0] {in_bounds = [true, true]} : vector<1x8xf32>, tensor<8x64xf32>
  %shared = vector.transfer_read %w2[%j, %c0], %pad {in_bounds = [true, true]} : tensor<8x64xf32>, vector<1x64xf32>
  %w3 = vector.transfer_write %sv, %t[%i, %c0] {in_bounds = [true, true]} : vector<1x[4]xf32>, tensor<8x64xf32>
  %scalable = vector.transfer_read %w3[%i, %c0], %pad {in_bounds = [true, true]} : tensor<8x64xf32>, vector<1x64xf32>
  return %other, %masked, %shared, %w2, %scalable : vector<1x64xf32>, vector<1x64xf32>, vector<1x64xf32>, tensor<8x64xf32>, vector<1x64xf32>
}
