// RUN: dyt-opt %s -split-input-file --dyt-approximate-tanh | FileCheck %s

// f32 scalars and vectors: arithmetic only (a clamp, an odd/even rational
// function and a select for tiny inputs), no math.tanh left.
// CHECK-LABEL: func @vector
// CHECK-NOT:     math.tanh
// CHECK:         arith.cmpf ult
// CHECK:         math.fma {{.*}} : vector<16xf32>
// CHECK:         arith.divf {{.*}} : vector<16xf32>
// CHECK:         arith.select
func.func @vector(%x: vector<16xf32>) -> vector<16xf32> {
  %t = math.tanh %x : vector<16xf32>
  return %t : vector<16xf32>
}

// -----

// CHECK-LABEL: func @scalar
// CHECK-NOT:     math.tanh
// CHECK:         arith.divf {{.*}} : f32
func.func @scalar(%x: f32) -> f32 {
  %t = math.tanh %x : f32
  return %t : f32
}

// -----

// Negative: f64 keeps libm's tanh (the approximation is an f32 one).
// CHECK-LABEL: func @f64
// CHECK:         math.tanh %{{.*}} : f64
func.func @f64(%x: f64) -> f64 {
  %t = math.tanh %x : f64
  return %t : f64
}
