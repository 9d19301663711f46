// RUN: dyt-opt %s -split-input-file --dyt-drop-conversion-fast-math | FileCheck %s
// Lowered to LLVM, the module translates to LLVM IR (without the pass the
// casts would carry #arith.fastmath, which mlir-translate rejects).
// RUN: dyt-opt %s -split-input-file --dyt-drop-conversion-fast-math --convert-to-llvm | FileCheck %s --check-prefix=LLVM --implicit-check-not=arith.fastmath
// RUN: dyt-opt %s --dyt-drop-conversion-fast-math --convert-to-llvm | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=IR
// The UPSTREAM prefix checks what MLIR 22 does without the pass; when it
// fails, upstream has fixed its lowering and the pass can go.
// RUN: dyt-opt %s --convert-to-llvm | FileCheck %s --check-prefix=UPSTREAM

// What arith-emulate-unsupported-floats makes of a bf16 addf with
// `contract`: the conversions lose their flags, the f32 add keeps them.
// CHECK-LABEL: func @emulated_add
// CHECK:         %[[A:.*]] = arith.extf %{{.*}} : vector<17xbf16> to vector<17xf32>
// CHECK:         %[[B:.*]] = arith.extf %{{.*}} : vector<17xbf16> to vector<17xf32>
// CHECK:         %[[S:.*]] = arith.addf %[[A]], %[[B]] fastmath<contract> : vector<17xf32>
// CHECK:         arith.truncf %[[S]] : vector<17xf32> to vector<17xbf16>
// LLVM-LABEL: llvm.func @emulated_add
// LLVM:         llvm.fpext
// LLVM:         llvm.fadd {{.*}} {fastmathFlags = #llvm.fastmath<contract>}
// LLVM:         llvm.fptrunc
// IR-LABEL: define <17 x bfloat> @emulated_add
// IR:         fpext <17 x bfloat>
// IR:         fadd contract <17 x float>
// IR:         fptrunc <17 x float>
// UPSTREAM-LABEL: llvm.func @emulated_add
// UPSTREAM:       llvm.fpext {{.*}} {fastmath = #arith.fastmath<contract>}
func.func @emulated_add(%x: vector<17xbf16>, %y: vector<17xbf16>) -> vector<17xbf16> {
  %a = arith.extf %x fastmath<contract> : vector<17xbf16> to vector<17xf32>
  %b = arith.extf %y fastmath<contract> : vector<17xbf16> to vector<17xf32>
  %s = arith.addf %a, %b fastmath<contract> : vector<17xf32>
  %t = arith.truncf %s fastmath<contract> : vector<17xf32> to vector<17xbf16>
  return %t : vector<17xbf16>
}

// -----

// Conversions without flags, and flags on other ops, are left as they are.
// CHECK-LABEL: func @untouched
// CHECK:         arith.extf %{{.*}} : f16 to f32
// CHECK:         arith.mulf %{{.*}} fastmath<fast> : f32
// CHECK:         arith.truncf %{{.*}} : f32 to f16
func.func @untouched(%x: f16, %y: f32) -> f16 {
  %a = arith.extf %x : f16 to f32
  %m = arith.mulf %a, %y fastmath<fast> : f32
  %t = arith.truncf %m : f32 to f16
  return %t : f16
}
