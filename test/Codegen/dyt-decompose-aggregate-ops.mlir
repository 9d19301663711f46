// RUN: dyt-opt -split-input-file --pass-pipeline='builtin.module(func.func(dyt-decompose-aggregate-ops))' %s | FileCheck %s

// linalg.softmax becomes a max reduction, exp(x - max), a sum reduction and
// a division, all linalg.generic over the softmax's dim.
// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x16xf32>)
// CHECK-NOT:     linalg.softmax
// CHECK:         %[[MAXINIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK:         %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<2x16xf32>) outs(%[[MAXINIT]] : tensor<2xf32>)
// CHECK:           arith.maxnumf
// CHECK:         %[[EXP:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[MAX]] : tensor<2x16xf32>, tensor<2xf32>)
// CHECK:           %[[D:.*]] = arith.subf
// CHECK:           math.exp %[[D]]
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[SUMINIT:.*]] = linalg.fill ins(%[[ZERO]] : f32)
// CHECK:         %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[EXP]] : tensor<2x16xf32>) outs(%[[SUMINIT]] : tensor<2xf32>)
// CHECK:           arith.addf
// CHECK:         %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[EXP]], %[[SUM]] : tensor<2x16xf32>, tensor<2xf32>)
// CHECK:           arith.divf
// CHECK-NOT:     linalg.softmax
// CHECK:         return %[[Y]]
func.func @softmax(%x: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %e = tensor.empty() : tensor<2x16xf32>
  %y = linalg.softmax dimension(1) ins(%x : tensor<2x16xf32>) outs(%e : tensor<2x16xf32>) -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}

// -----

// Softmax over a leading dim of a rank-3 tensor.
// CHECK-LABEL: func.func @softmax_dim0(
// CHECK-NOT:     linalg.softmax
// CHECK:         linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "parallel"]
// CHECK:           arith.maxnumf
// CHECK:         math.exp
// CHECK:         linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "parallel"]
// CHECK:           arith.addf
// CHECK:         arith.divf
// CHECK-NOT:     linalg.softmax
func.func @softmax_dim0(%x: tensor<4x3x8xf32>) -> tensor<4x3x8xf32> {
  %e = tensor.empty() : tensor<4x3x8xf32>
  %y = linalg.softmax dimension(0) ins(%x : tensor<4x3x8xf32>) outs(%e : tensor<4x3x8xf32>) -> tensor<4x3x8xf32>
  return %y : tensor<4x3x8xf32>
}

// -----

// Without aggregate ops, nothing changes.
// CHECK-LABEL: func.func @no_aggregate(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x16xf32>)
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<2x16xf32>
// CHECK-NEXT:    %[[Y:.*]] = linalg.exp ins(%[[X]] : tensor<2x16xf32>) outs(%[[E]] : tensor<2x16xf32>) -> tensor<2x16xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @no_aggregate(%x: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %e = tensor.empty() : tensor<2x16xf32>
  %y = linalg.exp ins(%x : tensor<2x16xf32>) outs(%e : tensor<2x16xf32>) -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}

// -----

// A softmax on memrefs is left as it is: upstream's decomposition builds
// tensor ops (dyt-check-lowered-to-llvm reports it later in a pipeline).
// CHECK-LABEL: func.func @softmax_memref(
// CHECK:         linalg.softmax
func.func @softmax_memref(%x: memref<2x16xf32>, %y: memref<2x16xf32>) {
  linalg.softmax dimension(1) ins(%x : memref<2x16xf32>) outs(%y : memref<2x16xf32>)
  return
}
