// RUN: dyt-opt -split-input-file -verify-diagnostics --dyt-check-lowered-to-llvm %s | FileCheck %s

// Everything is llvm: the module passes unchanged.
// CHECK-LABEL: llvm.func @lowered(
// CHECK:         llvm.fadd
// CHECK:         llvm.return
module {
  llvm.func @lowered(%x: f32) -> f32 {
    %y = llvm.fadd %x, %x : f32
    llvm.return %y : f32
  }
}

// -----

module {
  llvm.func @math_left(%x: f32) -> f32 {
    // expected-error @+1 {{'math.cbrt' was not lowered to the LLVM dialect}}
    %y = math.cbrt %x : f32
    llvm.return %y : f32
  }
}

// -----

module {
  llvm.func @cast_left(%x: i64) -> i64 {
    // expected-error @+1 {{'builtin.unrealized_conversion_cast' was not lowered to the LLVM dialect}}
    %i = builtin.unrealized_conversion_cast %x : i64 to index
    // expected-error @+1 {{'builtin.unrealized_conversion_cast' was not lowered to the LLVM dialect}}
    %y = builtin.unrealized_conversion_cast %i : index to i64
    llvm.return %y : i64
  }
}

// -----

// Every leftover is reported, including a func.func around llvm ops.
// expected-error @+1 {{'func.func' was not lowered to the LLVM dialect}}
func.func @not_llvm_func(%x: f32) -> f32 {
  // expected-error @+1 {{'func.return' was not lowered to the LLVM dialect}}
  return %x : f32
}
