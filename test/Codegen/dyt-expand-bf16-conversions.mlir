// RUN: dyt-opt %s -split-input-file --dyt-expand-bf16-conversions | FileCheck %s

// f32 -> bf16 rounds to nearest even on the bits (add 0x7fff plus the lowest
// kept bit) and gives NaN the quiet NaN 0x7fc0 (0x7fc00000 = 2143289344 before
// the narrowing); on a 1-D vector the narrowing is one shuffle of the high
// 16-bit halves, no shift and truncation per lane (odd i16 lanes: with no
// data layout the host's byte order is taken, and the hosts that run the
// tests are little-endian). bf16 -> f32 is a 16-bit shift. Vectors stay
// vectors: no call per element.
// CHECK-LABEL: func @vectors
// CHECK-SAME:    (%[[A:.*]]: vector<8xf32>, %[[B:.*]]: vector<8xbf16>)
// CHECK-NOT:     arith.truncf
// CHECK:         %[[BITS:.*]] = arith.bitcast %[[A]] : vector<8xf32> to vector<8xi32>
// CHECK-DAG:     arith.constant dense<32767> : vector<8xi32>
// CHECK:         %[[SUM:.*]] = arith.addi %[[BITS]], %{{.*}} : vector<8xi32>
// CHECK-DAG:     %[[NAN:.*]] = arith.cmpf une, %[[A]], %[[A]] : vector<8xf32>
// CHECK-DAG:     %[[QNAN:.*]] = arith.constant dense<2143289344> : vector<8xi32>
// CHECK:         %[[SEL:.*]] = arith.select %[[NAN]], %[[QNAN]], %[[SUM]] : vector<8xi1>, vector<8xi32>
// CHECK:         %[[HALVES:.*]] = vector.bitcast %[[SEL]] : vector<8xi32> to vector<16xi16>
// CHECK:         %[[HIGH:.*]] = vector.shuffle %[[HALVES]], %[[HALVES]] [1, 3, 5, 7, 9, 11, 13, 15] : vector<16xi16>, vector<16xi16>
// CHECK-NOT:     arith.trunci
// CHECK:         %[[T:.*]] = arith.bitcast %[[HIGH]] : vector<8xi16> to vector<8xbf16>
// CHECK:         %[[BB:.*]] = arith.bitcast %[[B]] : vector<8xbf16> to vector<8xi16>
// CHECK:         %[[WIDE:.*]] = arith.extui %[[BB]] : vector<8xi16> to vector<8xi32>
// CHECK:         %[[SHL:.*]] = arith.shli %[[WIDE]], %{{.*}} : vector<8xi32>
// CHECK:         %[[E:.*]] = arith.bitcast %[[SHL]] : vector<8xi32> to vector<8xf32>
// CHECK-NOT:     arith.extf
// CHECK:         return %[[T]], %[[E]]
func.func @vectors(%a: vector<8xf32>, %b: vector<8xbf16>) -> (vector<8xbf16>, vector<8xf32>) {
  %t = arith.truncf %a : vector<8xf32> to vector<8xbf16>
  %e = arith.extf %b : vector<8xbf16> to vector<8xf32>
  return %t, %e : vector<8xbf16>, vector<8xf32>
}

// -----

// The byte order comes from the data layout where it says one, whatever the
// host: on a big-endian target the high half of lane i is i16 lane 2i.
// CHECK-LABEL: func @big_endian
// CHECK:         %[[HALVES:.*]] = vector.bitcast %{{.*}} : vector<4xi32> to vector<8xi16>
// CHECK:         vector.shuffle %[[HALVES]], %[[HALVES]] [0, 2, 4, 6] : vector<8xi16>, vector<8xi16>
module attributes {dlti.dl_spec = #dlti.dl_spec<"dlti.endianness" = "big">} {
  func.func @big_endian(%a: vector<4xf32>) -> vector<4xbf16> {
    %t = arith.truncf %a : vector<4xf32> to vector<4xbf16>
    return %t : vector<4xbf16>
  }
}

// -----

// An explicit little-endian layout: odd lanes, as on the (little-endian)
// test hosts without one.
// CHECK-LABEL: func @little_endian
// CHECK:         vector.shuffle %{{.*}}, %{{.*}} [1, 3, 5, 7] : vector<8xi16>, vector<8xi16>
module attributes {dlti.dl_spec = #dlti.dl_spec<"dlti.endianness" = "little">} {
  func.func @little_endian(%a: vector<4xf32>) -> vector<4xbf16> {
    %t = arith.truncf %a : vector<4xf32> to vector<4xbf16>
    return %t : vector<4xbf16>
  }
}

// -----

// The spec of an enclosing op further out counts too (DataLayout::closest
// combines them): a nested module without one is big-endian here.
// CHECK-LABEL: func @nested_big_endian
// CHECK:         vector.shuffle %{{.*}}, %{{.*}} [0, 2, 4, 6] : vector<8xi16>, vector<8xi16>
module attributes {dlti.dl_spec = #dlti.dl_spec<"dlti.endianness" = "big">} {
  module {
    func.func @nested_big_endian(%a: vector<4xf32>) -> vector<4xbf16> {
      %t = arith.truncf %a : vector<4xf32> to vector<4xbf16>
      return %t : vector<4xbf16>
    }
  }
}

// -----

// Vectors of two or more dims (vector.shuffle permutes the leading dim only)
// and scalars take upstream's form: a shift and a truncation per lane.
// CHECK-LABEL: func @matrix
// CHECK:         %[[NARROW:.*]] = arith.trunci %{{.*}} : vector<2x4xi32> to vector<2x4xi16>
// CHECK:         %[[SEL:.*]] = arith.select %{{.*}}, %{{.*}}, %[[NARROW]] : vector<2x4xi1>, vector<2x4xi16>
// CHECK-NOT:     vector.shuffle
// CHECK-NOT:     arith.truncf
func.func @matrix(%a: vector<2x4xf32>) -> vector<2x4xbf16> {
  %t = arith.truncf %a : vector<2x4xf32> to vector<2x4xbf16>
  return %t : vector<2x4xbf16>
}

// -----

// CHECK-LABEL: func @scalar
// CHECK:         arith.bitcast %{{.*}} : f32 to i32
// CHECK:         arith.bitcast %{{.*}} : i16 to bf16
// CHECK-NOT:     arith.truncf
func.func @scalar(%a: f32) -> bf16 {
  %t = arith.truncf %a : f32 to bf16
  return %t : bf16
}

// -----

// Negative: conversions that do not involve bf16 are left to LLVM (f16 has
// F16C on every x86 the CPU pipeline targets; f64 -> f32 is one instruction).
// CHECK-LABEL: func @not_bf16
// CHECK-NEXT:    %[[H:.*]] = arith.truncf %{{.*}} : vector<8xf32> to vector<8xf16>
// CHECK-NEXT:    %[[F:.*]] = arith.truncf %{{.*}} : f64 to f32
// CHECK-NEXT:    %[[W:.*]] = arith.extf %{{.*}} : vector<8xf16> to vector<8xf32>
// CHECK-NEXT:    return %[[H]], %[[F]], %[[W]]
func.func @not_bf16(%a: vector<8xf32>, %d: f64, %h: vector<8xf16>) -> (vector<8xf16>, f32, vector<8xf32>) {
  %0 = arith.truncf %a : vector<8xf32> to vector<8xf16>
  %1 = arith.truncf %d : f64 to f32
  %2 = arith.extf %h : vector<8xf16> to vector<8xf32>
  return %0, %1, %2 : vector<8xf16>, f32, vector<8xf32>
}
