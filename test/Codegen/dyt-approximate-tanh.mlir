// RUN: dyt-opt %s -split-input-file --dyt-approximate-tanh | FileCheck %s

// f32 vectors: a clamp to [-9, 9] with unordered compares (NaN passes
// through), then (y + y^3 P(y^2)) / (1 + y^2 Q(y^2)) with fmas, and nothing
// after the divide: tiny inputs need no select of their own.
// CHECK-LABEL: func @vector
// CHECK-SAME:    (%[[X:.*]]: vector<16xf32>)
// CHECK-NOT:     math.tanh
// CHECK-DAG:     %[[ONE:.*]] = arith.constant dense<1.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[HI:.*]] = arith.constant dense<9.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[LO:.*]] = arith.constant dense<-9.000000e+00> : vector<16xf32>
// CHECK:         %[[B:.*]] = arith.cmpf ult, %[[X]], %[[HI]] : vector<16xf32>
// CHECK:         %[[Y0:.*]] = arith.select %[[B]], %[[X]], %[[HI]]
// CHECK:         %[[A:.*]] = arith.cmpf ugt, %[[Y0]], %[[LO]] : vector<16xf32>
// CHECK:         %[[Y:.*]] = arith.select %[[A]], %[[Y0]], %[[LO]]
// CHECK:         %[[Y2:.*]] = arith.mulf %[[Y]], %[[Y]] : vector<16xf32>
// CHECK:         %[[Y3:.*]] = arith.mulf %[[Y]], %[[Y2]] : vector<16xf32>
// CHECK-COUNT-5: math.fma %[[Y2]], {{.*}} : vector<16xf32>
// CHECK:         %[[P:.*]] = math.fma %[[Y3]], %{{.*}}, %[[Y]] : vector<16xf32>
// CHECK-COUNT-2: math.fma %[[Y2]], {{.*}} : vector<16xf32>
// CHECK:         %[[Q:.*]] = math.fma %[[Y2]], %{{.*}}, %[[ONE]] : vector<16xf32>
// CHECK:         %[[T:.*]] = arith.divf %[[P]], %[[Q]] : vector<16xf32>
// CHECK-NEXT:    return %[[T]]
func.func @vector(%x: vector<16xf32>) -> vector<16xf32> {
  %t = math.tanh %x : vector<16xf32>
  return %t : vector<16xf32>
}

// -----

// CHECK-LABEL: func @scalar
// CHECK-NOT:     math.tanh
// CHECK:         arith.cmpf ult, %{{.*}}, %{{.*}} : f32
// CHECK:         arith.divf {{.*}} : f32
// CHECK-NEXT:    return
func.func @scalar(%x: f32) -> f32 {
  %t = math.tanh %x : f32
  return %t : f32
}

// -----

// Negative: f64 keeps libm's tanh (the approximation is an f32 one), and so
// does f16 (the DyT lowering widens to f32 before its tanh; a bare f16 tanh
// is left to the math lowering, which widens it).
// CHECK-LABEL: func @f64
// CHECK:         math.tanh %{{.*}} : f64
func.func @f64(%x: f64) -> f64 {
  %t = math.tanh %x : f64
  return %t : f64
}

// CHECK-LABEL: func @f16
// CHECK:         math.tanh %{{.*}} : vector<8xf16>
func.func @f16(%x: vector<8xf16>) -> vector<8xf16> {
  %t = math.tanh %x : vector<8xf16>
  return %t : vector<8xf16>
}

// Negative: on tensors (before vectorization) the op is left as it is; the
// pipeline runs this pass on vectors and scalars.
// CHECK-LABEL: func @tensor
// CHECK:         math.tanh %{{.*}} : tensor<4xf32>
func.func @tensor(%x: tensor<4xf32>) -> tensor<4xf32> {
  %t = math.tanh %x : tensor<4xf32>
  return %t : tensor<4xf32>
}
