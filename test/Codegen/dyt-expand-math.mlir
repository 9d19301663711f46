// RUN: dyt-opt -split-input-file --dyt-expand-math %s | FileCheck %s

// f32 erf and erfc, scalar and vector: polynomial approximations (rational
// functions evaluated with math.fma, which LLVM lowers), no math.erf/erfc
// left; other math ops are untouched.
// CHECK-LABEL: func.func @erf_f32(
// CHECK-SAME:    %[[X:[^:]*]]: f32)
// CHECK-NOT:     math.erf
// CHECK:         math.fma
// CHECK-NOT:     math.erf
// CHECK:         return
func.func @erf_f32(%x: f32) -> f32 {
  %y = math.erf %x : f32
  return %y : f32
}

// -----

// CHECK-LABEL: func.func @erf_vector(
// CHECK-SAME:    %[[X:[^:]*]]: vector<8xf32>)
// CHECK-NOT:     math.erf
// CHECK:         math.fma {{.*}} : vector<8xf32>
// CHECK-NOT:     math.erf
// CHECK:         return {{.*}} : vector<8xf32>
func.func @erf_vector(%x: vector<8xf32>) -> vector<8xf32> {
  %y = math.erf %x : vector<8xf32>
  return %y : vector<8xf32>
}

// -----

// CHECK-LABEL: func.func @erfc_f32(
// CHECK-NOT:     math.erfc
// CHECK:         math.fma
// CHECK-NOT:     math.erfc
// CHECK:         return
func.func @erfc_f32(%x: f32) -> f32 {
  %y = math.erfc %x : f32
  return %y : f32
}

// -----

// CHECK-LABEL: func.func @erfc_vector(
// CHECK-NOT:     math.erfc
// CHECK:         math.fma {{.*}} : vector<4xf32>
// CHECK-NOT:     math.erfc
// CHECK:         return {{.*}} : vector<4xf32>
func.func @erfc_vector(%x: vector<4xf32>) -> vector<4xf32> {
  %y = math.erfc %x : vector<4xf32>
  return %y : vector<4xf32>
}

// -----

// 16-bit: computed in f32 between one extf and one truncf.
// CHECK-LABEL: func.func @erf_f16(
// CHECK-SAME:    %[[X:[^:]*]]: f16)
// CHECK:         %[[W:.*]] = arith.extf %[[X]] : f16 to f32
// CHECK-NOT:     math.erf
// CHECK:         %[[Y:.*]] = arith.truncf %{{.*}} : f32 to f16
// CHECK-NOT:     math.erf
// CHECK:         return %[[Y]] : f16
func.func @erf_f16(%x: f16) -> f16 {
  %y = math.erf %x : f16
  return %y : f16
}

// -----

// CHECK-LABEL: func.func @erf_bf16_vector(
// CHECK-SAME:    %[[X:[^:]*]]: vector<16xbf16>)
// CHECK:         %[[W:.*]] = arith.extf %[[X]] : vector<16xbf16> to vector<16xf32>
// CHECK-NOT:     math.erf
// CHECK:         %[[Y:.*]] = arith.truncf %{{.*}} : vector<16xf32> to vector<16xbf16>
// CHECK-NOT:     math.erf
// CHECK:         return %[[Y]] : vector<16xbf16>
func.func @erf_bf16_vector(%x: vector<16xbf16>) -> vector<16xbf16> {
  %y = math.erf %x : vector<16xbf16>
  return %y : vector<16xbf16>
}

// -----

// CHECK-LABEL: func.func @erfc_bf16(
// CHECK:         arith.extf %{{.*}} : bf16 to f32
// CHECK-NOT:     math.erfc
// CHECK:         arith.truncf %{{.*}} : f32 to bf16
func.func @erfc_bf16(%x: bf16) -> bf16 {
  %y = math.erfc %x : bf16
  return %y : bf16
}

// -----

// Ops with an LLVM lowering stay.
// CHECK-LABEL: func.func @exp_untouched(
// CHECK-SAME:    %[[X:[^:]*]]: f32, %[[V:[^:]*]]: vector<4xbf16>)
// CHECK-NEXT:    %[[A:.*]] = math.exp %[[X]] : f32
// CHECK-NEXT:    %[[B:.*]] = math.tanh %[[V]] : vector<4xbf16>
// CHECK-NEXT:    return %[[A]], %[[B]]
func.func @exp_untouched(%x: f32, %v: vector<4xbf16>) -> (f32, vector<4xbf16>) {
  %a = math.exp %x : f32
  %b = math.tanh %v : vector<4xbf16>
  return %a, %b : f32, vector<4xbf16>
}

// -----

// A vectorized fpowi (torch-mlir squares with fpowi(x, 2)) would lower to
// llvm.intr.powi with a vector exponent, which LLVM rejects: it is expanded
// into multiplications.
// CHECK-LABEL: func.func @fpowi_vector(
// CHECK-SAME:    %[[X:[^:]*]]: vector<8xf32>)
// CHECK-NOT:     math.fpowi
// CHECK:         %[[SQ:.*]] = arith.mulf %[[X]], %[[X]] : vector<8xf32>
// CHECK:         return %[[SQ]]
func.func @fpowi_vector(%x: vector<8xf32>) -> vector<8xf32> {
  %two = arith.constant dense<2> : vector<8xi64>
  %y = math.fpowi %x, %two : vector<8xf32>, vector<8xi64>
  return %y : vector<8xf32>
}
