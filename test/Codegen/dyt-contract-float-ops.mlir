// RUN: dyt-opt %s -split-input-file --dyt-contract-float-ops | FileCheck %s

// DyT's affine tail: the multiply and the add both get `contract`, so LLVM
// fuses them into one FMA; flags an op already has are kept.
// CHECK-LABEL: func @affine
// CHECK:         arith.mulf %{{.*}}, %{{.*}} fastmath<contract> : vector<8xf32>
// CHECK:         arith.mulf %{{.*}}, %{{.*}} fastmath<contract> : vector<8xf32>
// CHECK:         arith.addf %{{.*}}, %{{.*}} fastmath<nnan,contract> : vector<8xf32>
// CHECK:         arith.subf %{{.*}}, %{{.*}} fastmath<contract> : f32
func.func @affine(%x: vector<8xf32>, %a: vector<8xf32>, %g: vector<8xf32>,
                  %b: vector<8xf32>, %s: f32) -> (vector<8xf32>, f32) {
  %ax = arith.mulf %a, %x : vector<8xf32>
  %t = math.tanh %ax : vector<8xf32>
  %gt = arith.mulf %g, %t : vector<8xf32>
  %y = arith.addf %gt, %b fastmath<nnan> : vector<8xf32>
  %d = arith.subf %s, %s : f32
  return %y, %d : vector<8xf32>, f32
}

// -----

// A reduction's accumulator is left alone: fused, the multiply's latency
// would join the loop-carried chain. The multiply itself is marked (it is
// no accumulator), but LLVM fuses only when both ops allow it.
// CHECK-LABEL: func @sum_of_squares
// CHECK:         scf.for
// CHECK:           %[[SQ:.*]] = arith.mulf %{{.*}}, %{{.*}} fastmath<contract> : vector<8xf32>
// CHECK:           %[[ACC:.*]] = arith.addf %{{.*}}, %[[SQ]] : vector<8xf32>
// CHECK-NEXT:      scf.yield %[[ACC]]
func.func @sum_of_squares(%m: memref<64xf32>) -> vector<8xf32> {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant dense<0.0> : vector<8xf32>
  %r = scf.for %i = %c0 to %c64 step %c8 iter_args(%acc = %zero) -> vector<8xf32> {
    %v = vector.load %m[%i] : memref<64xf32>, vector<8xf32>
    %sq = arith.mulf %v, %v : vector<8xf32>
    %next = arith.addf %acc, %sq : vector<8xf32>
    scf.yield %next : vector<8xf32>
  }
  return %r : vector<8xf32>
}

// -----

// Nothing else can become an FMA: integer ops, divides, compares,
// conversions and math ops are left as they are.
// CHECK-LABEL: func @untouched
// CHECK-NOT:     contract
// CHECK:         arith.addi %{{.*}}, %{{.*}} : i32
// CHECK-NOT:     contract
// CHECK:         arith.divf %{{.*}}, %{{.*}} : f32
// CHECK-NOT:     contract
// CHECK:         arith.cmpf olt, %{{.*}}, %{{.*}} : f32
// CHECK-NOT:     contract
// CHECK:         arith.extf %{{.*}} : f16 to f32
// CHECK-NOT:     contract
// CHECK:         math.fma %{{.*}}, %{{.*}}, %{{.*}} : f32
// CHECK-NOT:     contract
// CHECK:         math.tanh %{{.*}} : f32
// CHECK-NOT:     contract
// CHECK:         return
func.func @untouched(%i: i32, %x: f32, %h: f16) -> (i32, f32, i1, f32, f32, f32) {
  %j = arith.addi %i, %i : i32
  %q = arith.divf %x, %x : f32
  %c = arith.cmpf olt, %x, %q : f32
  %w = arith.extf %h : f16 to f32
  %f = math.fma %x, %x, %x : f32
  %t = math.tanh %x : f32
  return %j, %q, %c, %w, %f, %t : i32, f32, i1, f32, f32, f32
}
