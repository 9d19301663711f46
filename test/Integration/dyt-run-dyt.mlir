// dyt.dyt through dyt-run (the fast CPU pipeline) against NumPy, float64.
// REQUIRES: numpy
// RUN: %dyt_run_check %s -e channels_last --ref dyt --arg 3x1001:f32 --arg scalar:f32 --arg 1001:f32 --arg 1001:f32 | FileCheck %s --check-prefix=CL
// RUN: %dyt_run_check %s -e nchw --ref dyt --axis 1 --arg 2x64x7x7:f32 --arg 1:f32 --arg 64:f32 --arg 64:f32 | FileCheck %s --check-prefix=NCHW
// RUN: %dyt_run_check %s -e rank1 --ref dyt --arg 7:f32 --arg scalar:f32 --arg 7:f32 --arg 7:f32 | FileCheck %s --check-prefix=R1
// RUN: %dyt_run_check %s -e one --ref dyt --arg 1x1:f32 --arg scalar:f32 --arg 1:f32 --arg 1:f32 | FileCheck %s --check-prefix=ONE
// RUN: %dyt_run_check %s -e dynamic --ref dyt --arg 5x3x7:f32 --arg scalar:f32 --arg 7:f32 --arg 7:f32 | FileCheck %s --check-prefix=DYN
// RUN: %dyt_run_check %s -e half --ref dyt --arg 4x1001:f16 --arg scalar:f16 --arg 1001:f16 --arg 1001:f16 | FileCheck %s --check-prefix=F16
// RUN: %dyt_run_check %s -e brain --ref dyt --arg 2x3x768:bf16 --arg scalar:f32 --arg 768:bf16 --arg 768:bf16 | FileCheck %s --check-prefix=BF16
// RUN: %dyt_run_check %s -e special --ref dyt --arg 4x33:f32:special --arg scalar:f32 --arg 33:f32 --arg 33:f32 | FileCheck %s --check-prefix=SPECIAL
// RUN: %dyt_run_check %s -e special --ref dyt --arg 4x33:f32:wide --arg scalar:f32 --arg 33:f32 --arg 33:f32 | FileCheck %s --check-prefix=SPECIAL
// RUN: %dyt_run_check %s -e dynamic --ref dyt --threads 2 --arg 64x3x100:f32 --arg scalar:f32 --arg 100:f32 --arg 100:f32 | FileCheck %s --check-prefix=DYN
// Rows of 771 f32 split at their first cache line (align-row-heads, with
// 512-bit vectors), their starts computed from two row indices.
// RUN: %dyt_run_check %s -e rows_3d --ref dyt --threads 2 --pipeline 'dyt-cpu-pipeline{vector-bits=512}' --arg 3x7x771:f32 --arg scalar:f32 --arg 771:f32 --arg 771:f32 | FileCheck %s --check-prefix=R3D

// CL: OK channels_last: 3003 elements (f32)
// NCHW: OK nchw: 6272 elements (f32)
// R1: OK rank1: 7 elements
// ONE: OK one: 1 elements
// DYN: OK dynamic
// F16: OK half: 4004 elements (f16)
// BF16: OK brain: 4608 elements (bf16)
// SPECIAL: OK special: 132 elements
// R3D: OK rows_3d: 16191 elements

func.func @channels_last(%x: tensor<3x1001xf32>, %a: f32, %g: tensor<1001xf32>, %b: tensor<1001xf32>) -> tensor<3x1001xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<1001xf32>) beta(%b : tensor<1001xf32>) : tensor<3x1001xf32> -> tensor<3x1001xf32>
  return %y : tensor<3x1001xf32>
}
func.func @nchw(%x: tensor<2x64x7x7xf32>, %a: tensor<1xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<2x64x7x7xf32> {
  %y = dyt.dyt %x alpha(%a : tensor<1xf32>) gamma(%g : tensor<64xf32>) beta(%b : tensor<64xf32>) axis = 1 : tensor<2x64x7x7xf32> -> tensor<2x64x7x7xf32>
  return %y : tensor<2x64x7x7xf32>
}
func.func @rank1(%x: tensor<7xf32>, %a: f32, %g: tensor<7xf32>, %b: tensor<7xf32>) -> tensor<7xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<7xf32>) beta(%b : tensor<7xf32>) : tensor<7xf32> -> tensor<7xf32>
  return %y : tensor<7xf32>
}
func.func @one(%x: tensor<1x1xf32>, %a: f32, %g: tensor<1xf32>, %b: tensor<1xf32>) -> tensor<1x1xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<1xf32>) beta(%b : tensor<1xf32>) : tensor<1x1xf32> -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
func.func @dynamic(%x: tensor<?x?x?xf32>, %a: f32, %g: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?x?x?xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<?xf32>) beta(%b : tensor<?xf32>) : tensor<?x?x?xf32> -> tensor<?x?x?xf32>
  return %y : tensor<?x?x?xf32>
}
func.func @half(%x: tensor<4x1001xf16>, %a: f16, %g: tensor<1001xf16>, %b: tensor<1001xf16>) -> tensor<4x1001xf16> {
  %y = dyt.dyt %x alpha(%a : f16) gamma(%g : tensor<1001xf16>) beta(%b : tensor<1001xf16>) : tensor<4x1001xf16> -> tensor<4x1001xf16>
  return %y : tensor<4x1001xf16>
}
func.func @brain(%x: tensor<2x3x768xbf16>, %a: f32, %g: tensor<768xbf16>, %b: tensor<768xbf16>) -> tensor<2x3x768xbf16> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<768xbf16>) beta(%b : tensor<768xbf16>) : tensor<2x3x768xbf16> -> tensor<2x3x768xbf16>
  return %y : tensor<2x3x768xbf16>
}
func.func @special(%x: tensor<4x33xf32>, %a: f32, %g: tensor<33xf32>, %b: tensor<33xf32>) -> tensor<4x33xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<33xf32>) beta(%b : tensor<33xf32>) : tensor<4x33xf32> -> tensor<4x33xf32>
  return %y : tensor<4x33xf32>
}
func.func @rows_3d(%x: tensor<?x7x771xf32>, %a: f32, %g: tensor<771xf32>, %b: tensor<771xf32>) -> tensor<?x7x771xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<771xf32>) beta(%b : tensor<771xf32>) : tensor<?x7x771xf32> -> tensor<?x7x771xf32>
  return %y : tensor<?x7x771xf32>
}
