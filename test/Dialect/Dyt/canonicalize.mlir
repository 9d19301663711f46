// RUN: dyt-opt %s -canonicalize -split-input-file | FileCheck %s

// A constant one-element alpha tensor becomes a scalar constant.
// CHECK-LABEL: func @alpha_tensor_to_scalar
// CHECK-DAG:     %[[A:.*]] = arith.constant 8.000000e-01 : f32
// CHECK-DAG:     %[[H:.*]] = arith.constant 1.999510e-01 : f16
// CHECK:         dyt.dyt %{{.*}} alpha(%[[A]] : f32)
// CHECK:         dyt.dyt %{{.*}} alpha(%[[H]] : f16)
// CHECK-NOT:     tensor<1xf32>
func.func @alpha_tensor_to_scalar(%x: tensor<4x8xf32>, %y: tensor<4x8xf16>, %g: tensor<8xf32>, %h: tensor<8xf16>) -> (tensor<4x8xf32>, tensor<4x8xf16>) {
  %a = arith.constant dense<0.8> : tensor<1xf32>
  %a0 = arith.constant dense<0.2> : tensor<f16>
  %0 = dyt.dyt %x alpha(%a : tensor<1xf32>) gamma(%g : tensor<8xf32>) beta(%g : tensor<8xf32>) : tensor<4x8xf32> -> tensor<4x8xf32>
  %1 = dyt.dyt %y alpha(%a0 : tensor<f16>) gamma(%h : tensor<8xf16>) beta(%h : tensor<8xf16>) : tensor<4x8xf16> -> tensor<4x8xf16>
  return %0, %1 : tensor<4x8xf32>, tensor<4x8xf16>
}

// -----

// A non-constant alpha tensor is left alone.
// CHECK-LABEL: func @alpha_argument_kept
// CHECK:         dyt.dyt %{{.*}} alpha(%{{.*}} : tensor<1xf32>)
func.func @alpha_argument_kept(%x: tensor<4x8xf32>, %a: tensor<1xf32>, %g: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = dyt.dyt %x alpha(%a : tensor<1xf32>) gamma(%g : tensor<8xf32>) beta(%g : tensor<8xf32>) : tensor<4x8xf32> -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// The axis is canonical: -1 (elided) for the last dim, non-negative otherwise.
// CHECK-LABEL: func @axis_normalisation
// CHECK:         dyt.dyt {{.*}} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// CHECK:         dyt.dyt {{.*}} axis = 1 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// CHECK:         dyt.dyt {{.*}} axis = 1 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
func.func @axis_normalisation(%x: tensor<2x3x4xf32>, %a: f32, %g4: tensor<4xf32>, %g3: tensor<3xf32>)
    -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %0 = dyt.dyt %x alpha(%a : f32) gamma(%g4 : tensor<4xf32>) beta(%g4 : tensor<4xf32>) axis = 2 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %1 = dyt.dyt %x alpha(%a : f32) gamma(%g3 : tensor<3xf32>) beta(%g3 : tensor<3xf32>) axis = -2 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %2 = dyt.dyt %x alpha(%a : f32) gamma(%g3 : tensor<3xf32>) beta(%g3 : tensor<3xf32>) axis = 1 : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return %0, %1, %2 : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// -----

// The ops are pure: unused results are erased. Once the axis spellings agree
// the two DyTs are the same op, which is what lets CSE merge them.
// CHECK-LABEL: func @dead_and_duplicate
// CHECK:         %[[D0:.*]] = dyt.dyt %arg0 alpha(%arg1 : f32) gamma(%arg2 : tensor<3xf32>) beta(%arg2 : tensor<3xf32>) : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT:    %[[D1:.*]] = dyt.dyt %arg0 alpha(%arg1 : f32) gamma(%arg2 : tensor<3xf32>) beta(%arg2 : tensor<3xf32>) : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT:    return %[[D0]], %[[D1]]
func.func @dead_and_duplicate(%x: tensor<2x3xf32>, %a: f32, %g: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<3xf32>) beta(%g : tensor<3xf32>) : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<3xf32>) beta(%g : tensor<3xf32>) axis = 1 : tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = dyt.layer_norm %x gamma(%g : tensor<3xf32>) beta(%g : tensor<3xf32>) : tensor<2x3xf32> -> tensor<2x3xf32>
  %3 = dyt.rms_norm %x gamma(%g : tensor<3xf32>) : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}
