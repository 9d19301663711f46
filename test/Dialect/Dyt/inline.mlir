// Functions holding dyt ops inline like any other (front ends emit one
// function per layer).
// RUN: dyt-opt %s -inline | FileCheck %s

// CHECK-LABEL: func @block
// CHECK-NOT:     call
// CHECK:         dyt.rms_norm
// CHECK:         dyt.dyt
// CHECK-NOT:     call
func.func private @norm(%x: tensor<4x8xf32>, %g: tensor<8xf32>) -> tensor<4x8xf32> {
  %y = dyt.rms_norm %x gamma(%g : tensor<8xf32>) : tensor<4x8xf32> -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
func.func private @tanh(%x: tensor<4x8xf32>, %a: f32, %g: tensor<8xf32>) -> tensor<4x8xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<8xf32>) beta(%g : tensor<8xf32>) : tensor<4x8xf32> -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
func.func @block(%x: tensor<4x8xf32>, %a: f32, %g: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = call @norm(%x, %g) : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %1 = call @tanh(%0, %a, %g) : (tensor<4x8xf32>, f32, tensor<8xf32>) -> tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}
