// bf16 of odd widths through dyt-run on the CPU, against NumPy. On hosts
// with AVX512-BF16 or AVX-NE-CONVERT (Sapphire Rapids, Zen 4, ...) each of
// these stopped the JIT with LLVM's fatal error "Do not know how to soft
// promote this operator's operand" (bf16 vectors of 9, 17 or 33 lanes
// stored, shuffled or carried by a loop), before the JIT left those
// features off (getHostFeaturesToDisable). Elsewhere they check that bf16
// is promoted to f32 correctly.
// REQUIRES: numpy
// A bf16 matmul that accumulates in bf16, as linalg.matmul with a bf16
// output means: each partial sum rounded to bf16, hence the wider per-term
// tolerance (2^-8 of the magnitude per term).
// RUN: %dyt_run_check %s -e matmul_bf16_acc --ref matmul --matmul-rel 4e-3 --arg 33x40:bf16 --arg 40x17:bf16 | FileCheck %s --check-prefix=MM
// RUN: dyt-run %s -e matmul_bf16_acc --random --check | FileCheck %s --check-prefix=MMCHECK
// RUN: %dyt_run_check %s -e dyt_77 --ref dyt --arg 3x77:bf16 --arg scalar:f32 --arg 77:bf16 --arg 77:bf16 | FileCheck %s --check-prefix=DYT
// RUN: dyt-run %s -e add_17 --random --check | FileCheck %s --check-prefix=ADD
// RUN: dyt-run %s -e broadcast_9 --random --check | FileCheck %s --check-prefix=BCAST
// Its arithmetic reaches LLVM as f32 (arith-emulate-unsupported-floats):
// no bf16 multiply-add, which LLVM would widen and narrow around a
// __truncsfbf2 call per element.
// RUN: dyt-opt %s --dyt-cpu-pipeline | FileCheck %s --check-prefix=LLVM

// MM: OK matmul_bf16_acc: 561 elements (bf16)
// MMCHECK: check: result #0: 561 elements
// DYT: OK dyt_77: 231 elements (bf16)
// ADD: check: result #0: 85 elements
// BCAST: check: result #0: 36 elements
// LLVM-LABEL: llvm.func @matmul_bf16_acc(
// LLVM-NOT: llvm.intr.fmuladd{{.*}}bf16
// LLVM: llvm.return

func.func @matmul_bf16_acc(%a: tensor<33x40xbf16>, %b: tensor<40x17xbf16>) -> tensor<33x17xbf16> {
  %z = arith.constant 0.0 : bf16
  %e = tensor.empty() : tensor<33x17xbf16>
  %f = linalg.fill ins(%z : bf16) outs(%e : tensor<33x17xbf16>) -> tensor<33x17xbf16>
  %c = linalg.matmul ins(%a, %b : tensor<33x40xbf16>, tensor<40x17xbf16>) outs(%f : tensor<33x17xbf16>) -> tensor<33x17xbf16>
  return %c : tensor<33x17xbf16>
}
func.func @dyt_77(%x: tensor<3x77xbf16>, %a: f32, %g: tensor<77xbf16>, %b: tensor<77xbf16>) -> tensor<3x77xbf16> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<77xbf16>) beta(%b : tensor<77xbf16>) : tensor<3x77xbf16> -> tensor<3x77xbf16>
  return %y : tensor<3x77xbf16>
}
func.func @add_17(%x: tensor<5x17xbf16>, %y: tensor<5x17xbf16>) -> tensor<5x17xbf16> {
  %e = tensor.empty() : tensor<5x17xbf16>
  %r = linalg.add ins(%x, %y : tensor<5x17xbf16>, tensor<5x17xbf16>) outs(%e : tensor<5x17xbf16>) -> tensor<5x17xbf16>
  return %r : tensor<5x17xbf16>
}
func.func @broadcast_9(%x: tensor<9xbf16>) -> tensor<4x9xbf16> {
  %e = tensor.empty() : tensor<4x9xbf16>
  %r = linalg.broadcast ins(%x : tensor<9xbf16>) outs(%e : tensor<4x9xbf16>) dimensions = [0]
  return %r : tensor<4x9xbf16>
}
