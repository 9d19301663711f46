// RUN: dyt-opt %s -split-input-file -allow-unregistered-dialect --pass-pipeline="builtin.module(func.func(dyt-forward-partial-transfers))" | FileCheck %s
// RUN: dyt-opt %s -split-input-file -allow-unregistered-dialect --pass-pipeline="builtin.module(func.func(dyt-forward-partial-transfers))" | FileCheck %s --check-prefix=NEG

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

// -----

// The remainder loop of a row sum over a dynamic width, as dyt-cpu-vectorize
// and loop-invariant-subset-hoisting leave it: the accumulator written into
// a tensor before the loop, its first %n lanes read under a mask, updated
// and written back, the slice inserted into the tensor, and all 64 lanes
// read after the loop. Carried as the vector: the masked read is its
// leading lanes with the padding in the masked-off ones, the masked write
// a select laid over it, and no tensor, slice or transfer of it is left.
// CHECK-LABEL: func @dynamic_tail_loop
// CHECK-SAME:    (%[[X:.*]]: tensor<1x?xf32>, %[[ACC:.*]]: vector<1x64xf32>, %[[LB:.*]]: index, %[[UB:.*]]: index)
// CHECK-DAG:     %[[PAD:.*]] = arith.constant dense<0.000000e+00> : vector<1x63xf32>
// CHECK-NOT:     tensor.empty
// CHECK:         %[[SUM:.*]] = scf.for %{{.*}} = %[[LB]] to %[[UB]] step %{{.*}} iter_args(%[[V:.*]] = %[[ACC]]) -> (vector<1x64xf32>) {
// CHECK:           tensor.extract_slice %[[X]]
// CHECK:           %[[M:.*]] = vector.create_mask %{{.*}}, %{{.*}} : vector<1x63xi1>
// CHECK:           %[[X1:.*]] = vector.transfer_read %{{.*}}[%{{.*}}, %{{.*}}], %{{.*}}, %[[M]]
// CHECK:           %[[HEAD:.*]] = vector.extract_strided_slice %[[V]] {offsets = [0, 0], sizes = [1, 63], strides = [1, 1]} : vector<1x64xf32> to vector<1x63xf32>
// CHECK:           %[[OLD:.*]] = arith.select %[[M]], %[[HEAD]], %[[PAD]]
// CHECK:           %[[NEW:.*]] = arith.addf %[[OLD]], %[[X1]] : vector<1x63xf32>
// CHECK:           %[[KEPT:.*]] = arith.select %[[M]], %[[NEW]], %[[HEAD]]
// CHECK:           %[[ALL:.*]] = vector.insert_strided_slice %[[KEPT]], %[[V]] {offsets = [0, 0], strides = [1, 1]} : vector<1x63xf32> into vector<1x64xf32>
// CHECK:           scf.yield %[[ALL]] : vector<1x64xf32>
// CHECK:         }
// CHECK-NOT:     vector.transfer
// CHECK:         return %[[SUM]]
func.func @dynamic_tail_loop(%x: tensor<1x?xf32>, %acc: vector<1x64xf32>, %lb: index, %ub: index) -> vector<1x64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %pad = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x64xf32>
  %init = vector.transfer_write %acc, %e[%c0, %c0] {in_bounds = [true, true]} : vector<1x64xf32>, tensor<1x64xf32>
  %r = scf.for %j = %lb to %ub step %c64 iter_args(%t = %init) -> (tensor<1x64xf32>) {
    %n = affine.apply affine_map<(d0)[s0] -> (-d0 + s0)>(%j)[%ub]
    %xs = tensor.extract_slice %x[0, %j] [1, %n] [1, 1] : tensor<1x?xf32> to tensor<1x?xf32>
    %ts = tensor.extract_slice %t[0, 0] [1, %n] [1, 1] : tensor<1x64xf32> to tensor<1x?xf32>
    %m = vector.create_mask %c1, %n : vector<1x63xi1>
    %xv = vector.transfer_read %xs[%c0, %c0], %pad, %m {in_bounds = [true, true]} : tensor<1x?xf32>, vector<1x63xf32>
    %old = vector.transfer_read %ts[%c0, %c0], %pad, %m {in_bounds = [true, true]} : tensor<1x?xf32>, vector<1x63xf32>
    %new = arith.addf %old, %xv : vector<1x63xf32>
    %w = vector.transfer_write %new, %ts[%c0, %c0], %m {in_bounds = [true, true]} : vector<1x63xf32>, tensor<1x?xf32>
    %ins = tensor.insert_slice %w into %t[0, 0] [1, %n] [1, 1] : tensor<1x?xf32> into tensor<1x64xf32>
    scf.yield %ins : tensor<1x64xf32>
  }
  %all = vector.transfer_read %r[%c0, %c0], %pad {in_bounds = [true, true]} : tensor<1x64xf32>, vector<1x64xf32>
  return %all : vector<1x64xf32>
}

// -----

// The loop's tensor result used as a tensor: the carried vector is written
// after the loop into what the init was written into, and a second iter_arg
// rides along unchanged.
// CHECK-LABEL: func @tensor_result
// CHECK-SAME:    (%[[T:.*]]: tensor<1x8xf32>, %[[ACC:.*]]: vector<1x8xf32>, %[[N:.*]]: index, %[[I:.*]]: i32)
// CHECK:         %[[R:.*]]:2 = scf.for {{.*}} iter_args(%{{.*}} = %[[ACC]], %{{.*}} = %[[I]]) -> (vector<1x8xf32>, i32)
// CHECK-NOT:       tensor.
// CHECK:         }
// CHECK:         %[[W:.*]] = vector.transfer_write %[[R]]#0, %[[T]][%{{.*}}, %{{.*}}] {in_bounds = [true, true]} : vector<1x8xf32>, tensor<1x8xf32>
// CHECK:         return %[[W]], %[[R]]#1
func.func @tensor_result(%t: tensor<1x8xf32>, %acc: vector<1x8xf32>, %n: index, %i: i32) -> (tensor<1x8xf32>, i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = arith.constant 0.0 : f32
  %init = vector.transfer_write %acc, %t[%c0, %c0] {in_bounds = [true, true]} : vector<1x8xf32>, tensor<1x8xf32>
  %r:2 = scf.for %j = %c0 to %n step %c1 iter_args(%t2 = %init, %k = %i) -> (tensor<1x8xf32>, i32) {
    %ts = tensor.extract_slice %t2[0, 0] [1, %j] [1, 1] : tensor<1x8xf32> to tensor<1x?xf32>
    %m = vector.create_mask %c1, %j : vector<1x8xi1>
    %old = vector.transfer_read %ts[%c0, %c0], %pad, %m {in_bounds = [true, true]} : tensor<1x?xf32>, vector<1x8xf32>
    %new = arith.mulf %old, %old : vector<1x8xf32>
    %w = vector.transfer_write %new, %ts[%c0, %c0], %m {in_bounds = [true, true]} : vector<1x8xf32>, tensor<1x?xf32>
    %ins = tensor.insert_slice %w into %t2[0, 0] [1, %j] [1, 1] : tensor<1x?xf32> into tensor<1x8xf32>
    %k2 = arith.addi %k, %k : i32
    scf.yield %ins, %k2 : tensor<1x8xf32>, i32
  }
  return %r#0, %r#1 : tensor<1x8xf32>, i32
}

// -----

// Negative: a mask other than the slice's sizes (lanes the slice does not
// hold), a write under another mask, a slice at an offset, the tensor used
// elsewhere in the loop, and an init the write does not cover: each loop
// keeps its tensor.
// CHECK-LABEL: func @not_carried
// NEG-LABEL: func @not_carried
// NEG-NOT:     strided_slice
// NEG:         return
// CHECK-COUNT-5: tensor.insert_slice
// CHECK:         return
func.func @not_carried(%acc: vector<1x8xf32>, %n: index, %k: index, %m2: vector<1x8xi1>, %arg: tensor<1x16xf32>)
    -> (tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8xf32>
  %init = vector.transfer_write %acc, %e[%c0, %c0] {in_bounds = [true, true]} : vector<1x8xf32>, tensor<1x8xf32>
  %wrong_mask = scf.for %j = %c0 to %n step %c1 iter_args(%t = %init) -> (tensor<1x8xf32>) {
    %ts = tensor.extract_slice %t[0, 0] [1, %j] [1, 1] : tensor<1x8xf32> to tensor<1x?xf32>
    %m = vector.create_mask %c1, %k : vector<1x8xi1>
    %old = vector.transfer_read %ts[%c0, %c0], %pad, %m {in_bounds = [true, false]} : tensor<1x?xf32>, vector<1x8xf32>
    %w = vector.transfer_write %old, %ts[%c0, %c0], %m {in_bounds = [true, false]} : vector<1x8xf32>, tensor<1x?xf32>
    %ins = tensor.insert_slice %w into %t[0, 0] [1, %j] [1, 1] : tensor<1x?xf32> into tensor<1x8xf32>
    scf.yield %ins : tensor<1x8xf32>
  }
  %two_masks = scf.for %j = %c0 to %n step %c1 iter_args(%t = %init) -> (tensor<1x8xf32>) {
    %ts = tensor.extract_slice %t[0, 0] [1, %j] [1, 1] : tensor<1x8xf32> to tensor<1x?xf32>
    %m = vector.create_mask %c1, %j : vector<1x8xi1>
    %old = vector.transfer_read %ts[%c0, %c0], %pad, %m {in_bounds = [true, true]} : tensor<1x?xf32>, vector<1x8xf32>
    %w = vector.transfer_write %old, %ts[%c0, %c0], %m2 {in_bounds = [true, true]} : vector<1x8xf32>, tensor<1x?xf32>
    %ins = tensor.insert_slice %w into %t[0, 0] [1, %j] [1, 1] : tensor<1x?xf32> into tensor<1x8xf32>
    scf.yield %ins : tensor<1x8xf32>
  }
  %offset = scf.for %j = %c0 to %n step %c1 iter_args(%t = %init) -> (tensor<1x8xf32>) {
    %ts = tensor.extract_slice %t[0, %k] [1, %j] [1, 1] : tensor<1x8xf32> to tensor<1x?xf32>
    %m = vector.create_mask %c1, %j : vector<1x8xi1>
    %old = vector.transfer_read %ts[%c0, %c0], %pad, %m {in_bounds = [true, true]} : tensor<1x?xf32>, vector<1x8xf32>
    %w = vector.transfer_write %old, %ts[%c0, %c0], %m {in_bounds = [true, true]} : vector<1x8xf32>, tensor<1x?xf32>
    %ins = tensor.insert_slice %w into %t[0, %k] [1, %j] [1, 1] : tensor<1x?xf32> into tensor<1x8xf32>
    scf.yield %ins : tensor<1x8xf32>
  }
  %shared = scf.for %j = %c0 to %n step %c1 iter_args(%t = %init) -> (tensor<1x8xf32>) {
    "test.use"(%t) : (tensor<1x8xf32>) -> ()
    %ts = tensor.extract_slice %t[0, 0] [1, %j] [1, 1] : tensor<1x8xf32> to tensor<1x?xf32>
    %m = vector.create_mask %c1, %j : vector<1x8xi1>
    %old = vector.transfer_read %ts[%c0, %c0], %pad, %m {in_bounds = [true, true]} : tensor<1x?xf32>, vector<1x8xf32>
    %w = vector.transfer_write %old, %ts[%c0, %c0], %m {in_bounds = [true, true]} : vector<1x8xf32>, tensor<1x?xf32>
    %ins = tensor.insert_slice %w into %t[0, 0] [1, %j] [1, 1] : tensor<1x?xf32> into tensor<1x8xf32>
    scf.yield %ins : tensor<1x8xf32>
  }
  %init16 = vector.transfer_write %acc, %arg[%c0, %c0] {in_bounds = [true, true]} : vector<1x8xf32>, tensor<1x16xf32>
  %partial_init = scf.for %j = %c0 to %n step %c1 iter_args(%t = %init16) -> (tensor<1x16xf32>) {
    %ts = tensor.extract_slice %t[0, 0] [1, %j] [1, 1] : tensor<1x16xf32> to tensor<1x?xf32>
    %m = vector.create_mask %c1, %j : vector<1x8xi1>
    %old = vector.transfer_read %ts[%c0, %c0], %pad, %m {in_bounds = [true, true]} : tensor<1x?xf32>, vector<1x8xf32>
    %w = vector.transfer_write %old, %ts[%c0, %c0], %m {in_bounds = [true, true]} : vector<1x8xf32>, tensor<1x?xf32>
    %ins = tensor.insert_slice %w into %t[0, 0] [1, %j] [1, 1] : tensor<1x?xf32> into tensor<1x16xf32>
    scf.yield %ins : tensor<1x16xf32>
  }
  return %wrong_mask, %two_masks, %offset, %shared, %partial_init : tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x16xf32>
}

// -----

// Two accumulators in one loop, each carried: a 2-D one whose read is
// smaller in both dims (a 2-D mask), with a padding that is not zero, and a
// 1-D integer one read out of bounds (masked lanes only, so in_bounds does
// not matter).
// CHECK-LABEL: func @two_accumulators
// CHECK-SAME:    (%[[A:.*]]: vector<4x16xf32>, %[[B:.*]]: vector<8xi32>, %[[N:.*]]: index, %[[R:.*]]: index, %[[P:.*]]: f32)
// CHECK-NOT:     tensor.empty
// CHECK:         %[[L:.*]]:2 = scf.for {{.*}} iter_args(%[[VA:.*]] = %[[A]], %[[VB:.*]] = %[[B]]) -> (vector<4x16xf32>, vector<8xi32>)
// CHECK-NOT:       tensor.
// CHECK-DAG:       %[[MA:.*]] = vector.create_mask %[[R]], %{{.*}} : vector<2x8xi1>
// CHECK-DAG:       %[[HA:.*]] = vector.extract_strided_slice %[[VA]] {offsets = [0, 0], sizes = [2, 8], strides = [1, 1]} : vector<4x16xf32> to vector<2x8xf32>
// CHECK-DAG:       %[[PA:.*]] = vector.broadcast %[[P]] : f32 to vector<2x8xf32>
// CHECK-DAG:       %[[OA:.*]] = arith.select %[[MA]], %[[HA]], %[[PA]] : vector<2x8xi1>, vector<2x8xf32>
// CHECK-DAG:       %[[NA:.*]] = arith.mulf %[[OA]], %[[OA]] : vector<2x8xf32>
// CHECK-DAG:       %[[KA:.*]] = arith.select %[[MA]], %[[NA]], %[[HA]] : vector<2x8xi1>, vector<2x8xf32>
// CHECK-DAG:       %[[YA:.*]] = vector.insert_strided_slice %[[KA]], %[[VA]] {offsets = [0, 0], strides = [1, 1]} : vector<2x8xf32> into vector<4x16xf32>
// CHECK-DAG:       %[[MB:.*]] = vector.create_mask %{{.*}} : vector<8xi1>
// CHECK-DAG:       %[[OB:.*]] = arith.select %[[MB]], %[[VB]], %{{.*}} : vector<8xi1>, vector<8xi32>
// CHECK-DAG:       %[[NB:.*]] = arith.addi %[[OB]], %[[OB]] : vector<8xi32>
// CHECK-DAG:       %[[KB:.*]] = arith.select %[[MB]], %[[NB]], %[[VB]] : vector<8xi1>, vector<8xi32>
// CHECK:           scf.yield %[[YA]], %[[KB]] : vector<4x16xf32>, vector<8xi32>
// CHECK:         }
// CHECK:         return %[[L]]#0, %[[L]]#1
func.func @two_accumulators(%a: vector<4x16xf32>, %b: vector<8xi32>, %n: index, %r: index, %p: f32) -> (vector<4x16xf32>, vector<8xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0 : i32
  %ea = tensor.empty() : tensor<4x16xf32>
  %eb = tensor.empty() : tensor<8xi32>
  %ia = vector.transfer_write %a, %ea[%c0, %c0] {in_bounds = [true, true]} : vector<4x16xf32>, tensor<4x16xf32>
  %ib = vector.transfer_write %b, %eb[%c0] {in_bounds = [true]} : vector<8xi32>, tensor<8xi32>
  %l:2 = scf.for %j = %c0 to %n step %c1 iter_args(%ta = %ia, %tb = %ib) -> (tensor<4x16xf32>, tensor<8xi32>) {
    %sa = tensor.extract_slice %ta[0, 0] [%r, %j] [1, 1] : tensor<4x16xf32> to tensor<?x?xf32>
    %ma = vector.create_mask %r, %j : vector<2x8xi1>
    %oa = vector.transfer_read %sa[%c0, %c0], %p, %ma : tensor<?x?xf32>, vector<2x8xf32>
    %na = arith.mulf %oa, %oa : vector<2x8xf32>
    %wa = vector.transfer_write %na, %sa[%c0, %c0], %ma : vector<2x8xf32>, tensor<?x?xf32>
    %ya = tensor.insert_slice %wa into %ta[0, 0] [%r, %j] [1, 1] : tensor<?x?xf32> into tensor<4x16xf32>
    %sb = tensor.extract_slice %tb[0] [%j] [1] : tensor<8xi32> to tensor<?xi32>
    %mb = vector.create_mask %j : vector<8xi1>
    %ob = vector.transfer_read %sb[%c0], %zero, %mb {in_bounds = [false]} : tensor<?xi32>, vector<8xi32>
    %nb = arith.addi %ob, %ob : vector<8xi32>
    %wb = vector.transfer_write %nb, %sb[%c0], %mb {in_bounds = [false]} : vector<8xi32>, tensor<?xi32>
    %yb = tensor.insert_slice %wb into %tb[0] [%j] [1] : tensor<?xi32> into tensor<8xi32>
    scf.yield %ya, %yb : tensor<4x16xf32>, tensor<8xi32>
  }
  %ra = vector.transfer_read %l#0[%c0, %c0], %p {in_bounds = [true, true]} : tensor<4x16xf32>, vector<4x16xf32>
  %rb = vector.transfer_read %l#1[%c0], %zero {in_bounds = [true]} : tensor<8xi32>, vector<8xi32>
  return %ra, %rb : vector<4x16xf32>, vector<8xi32>
}

// -----

// Negative: each insert yielded for the other iter_arg, a read at another
// index than the slice's start, the write before the read, and an
// accumulator of more than 4096 bits (it would be spilled): each loop keeps
// its tensors.
// CHECK-LABEL: func @not_carried_either
// NEG-LABEL: func @not_carried_either
// NEG-NOT:     strided_slice
// NEG:         return
// CHECK-COUNT-5: tensor.insert_slice
// CHECK:         return
func.func @not_carried_either(%acc: vector<1x8xf32>, %big: vector<1x256xf32>, %n: index)
    -> (tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x256xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8xf32>
  %init = vector.transfer_write %acc, %e[%c0, %c0] {in_bounds = [true, true]} : vector<1x8xf32>, tensor<1x8xf32>
  %swapped:2 = scf.for %j = %c0 to %n step %c1 iter_args(%t = %init, %u = %init) -> (tensor<1x8xf32>, tensor<1x8xf32>) {
    %ts = tensor.extract_slice %t[0, 0] [1, %j] [1, 1] : tensor<1x8xf32> to tensor<1x?xf32>
    %m = vector.create_mask %c1, %j : vector<1x8xi1>
    %old = vector.transfer_read %ts[%c0, %c0], %pad, %m {in_bounds = [true, true]} : tensor<1x?xf32>, vector<1x8xf32>
    %new = arith.mulf %old, %old : vector<1x8xf32>
    %w = vector.transfer_write %new, %ts[%c0, %c0], %m {in_bounds = [true, true]} : vector<1x8xf32>, tensor<1x?xf32>
    %ins = tensor.insert_slice %w into %t[0, 0] [1, %j] [1, 1] : tensor<1x?xf32> into tensor<1x8xf32>
    %us = tensor.extract_slice %u[0, 0] [1, %j] [1, 1] : tensor<1x8xf32> to tensor<1x?xf32>
    %uold = vector.transfer_read %us[%c0, %c0], %pad, %m {in_bounds = [true, true]} : tensor<1x?xf32>, vector<1x8xf32>
    %unew = arith.addf %uold, %uold : vector<1x8xf32>
    %uw = vector.transfer_write %unew, %us[%c0, %c0], %m {in_bounds = [true, true]} : vector<1x8xf32>, tensor<1x?xf32>
    %uins = tensor.insert_slice %uw into %u[0, 0] [1, %j] [1, 1] : tensor<1x?xf32> into tensor<1x8xf32>
    scf.yield %uins, %ins : tensor<1x8xf32>, tensor<1x8xf32>
  }
  %shifted = scf.for %j = %c0 to %n step %c1 iter_args(%t = %init) -> (tensor<1x8xf32>) {
    %ts = tensor.extract_slice %t[0, 0] [1, %j] [1, 1] : tensor<1x8xf32> to tensor<1x?xf32>
    %m = vector.create_mask %c1, %j : vector<1x8xi1>
    %old = vector.transfer_read %ts[%c0, %c1], %pad, %m : tensor<1x?xf32>, vector<1x8xf32>
    %w = vector.transfer_write %old, %ts[%c0, %c0], %m : vector<1x8xf32>, tensor<1x?xf32>
    %ins = tensor.insert_slice %w into %t[0, 0] [1, %j] [1, 1] : tensor<1x?xf32> into tensor<1x8xf32>
    scf.yield %ins : tensor<1x8xf32>
  }
  %write_first = scf.for %j = %c0 to %n step %c1 iter_args(%t = %init) -> (tensor<1x8xf32>) {
    %ts = tensor.extract_slice %t[0, 0] [1, %j] [1, 1] : tensor<1x8xf32> to tensor<1x?xf32>
    %m = vector.create_mask %c1, %j : vector<1x8xi1>
    %w = vector.transfer_write %acc, %ts[%c0, %c0], %m {in_bounds = [true, true]} : vector<1x8xf32>, tensor<1x?xf32>
    %old = vector.transfer_read %ts[%c0, %c0], %pad, %m {in_bounds = [true, true]} : tensor<1x?xf32>, vector<1x8xf32>
    "test.use"(%old) : (vector<1x8xf32>) -> ()
    %ins = tensor.insert_slice %w into %t[0, 0] [1, %j] [1, 1] : tensor<1x?xf32> into tensor<1x8xf32>
    scf.yield %ins : tensor<1x8xf32>
  }
  %eb = tensor.empty() : tensor<1x256xf32>
  %initb = vector.transfer_write %big, %eb[%c0, %c0] {in_bounds = [true, true]} : vector<1x256xf32>, tensor<1x256xf32>
  %too_big = scf.for %j = %c0 to %n step %c1 iter_args(%t = %initb) -> (tensor<1x256xf32>) {
    %ts = tensor.extract_slice %t[0, 0] [1, %j] [1, 1] : tensor<1x256xf32> to tensor<1x?xf32>
    %m = vector.create_mask %c1, %j : vector<1x8xi1>
    %old = vector.transfer_read %ts[%c0, %c0], %pad, %m {in_bounds = [true, true]} : tensor<1x?xf32>, vector<1x8xf32>
    %w = vector.transfer_write %old, %ts[%c0, %c0], %m {in_bounds = [true, true]} : vector<1x8xf32>, tensor<1x?xf32>
    %ins = tensor.insert_slice %w into %t[0, 0] [1, %j] [1, 1] : tensor<1x?xf32> into tensor<1x256xf32>
    scf.yield %ins : tensor<1x256xf32>
  }
  return %swapped#0, %shifted, %write_first, %swapped#1, %too_big : tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x256xf32>
}
