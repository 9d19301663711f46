// dyt.layer_norm and dyt.rms_norm through dyt-run against NumPy, float64.
// REQUIRES: numpy
// RUN: %dyt_run_check %s -e ln --ref layer_norm --arg 3x1001:f32 --arg 1001:f32 --arg 1001:f32 | FileCheck %s --check-prefix=LN
// RUN: %dyt_run_check %s -e ln --ref layer_norm --arg 2x1001:f32:offset --arg 1001:f32 --arg 1001:f32 | FileCheck %s --check-prefix=LN
// RUN: %dyt_run_check %s -e ln_rank1 --ref layer_norm --arg 7:f32 --arg 7:f32 --arg 7:f32 | FileCheck %s --check-prefix=LN1
// RUN: %dyt_run_check %s -e ln_dynamic --ref layer_norm --arg 2x5x13:f32 --arg 13:f32 --arg 13:f32 | FileCheck %s --check-prefix=LND
// RUN: %dyt_run_check %s -e ln_bf16 --ref layer_norm --arg 4x768:bf16 --arg 768:bf16 --arg 768:bf16 | FileCheck %s --check-prefix=LNB
// RUN: %dyt_run_check %s -e ln_special --ref layer_norm --arg 8x33:f32:special --arg 33:f32 --arg 33:f32 | FileCheck %s --check-prefix=LNS
// RUN: %dyt_run_check %s -e rms --ref rms_norm --eps 1e-6 --arg 7x4096:f32 --arg 4096:f32 | FileCheck %s --check-prefix=RMS
// RUN: %dyt_run_check %s -e rms_f16 --ref rms_norm --eps 1e-6 --arg 3x1001:f16 --arg 1001:f16 | FileCheck %s --check-prefix=RMSH
// RUN: %dyt_run_check %s -e rms_dynamic --ref rms_norm --eps 1e-6 --threads 2 --arg 37x1:f32 --arg 1:f32 | FileCheck %s --check-prefix=RMSD
// Dynamic widths with whole 64-lane tiles and a remainder (its row sums'
// accumulator carried through the remainder loop in registers), special
// values among them, and bf16.
// RUN: %dyt_run_check %s -e ln_dynamic --ref layer_norm --arg 2x3x771:f32 --arg 771:f32 --arg 771:f32 | FileCheck %s --check-prefix=LNDW
// RUN: %dyt_run_check %s -e ln_dynamic --ref layer_norm --arg 2x4x130:f32:special --arg 130:f32 --arg 130:f32 | FileCheck %s --check-prefix=LNDS
// RUN: %dyt_run_check %s -e ln_dynamic_bf16 --ref layer_norm --threads 2 --arg 5x771:bf16 --arg 771:bf16 --arg 771:bf16 | FileCheck %s --check-prefix=LNDB
// RUN: %dyt_run_check %s -e rms_dynamic --ref rms_norm --eps 1e-6 --threads 2 --arg 5x771:f32 --arg 771:f32 | FileCheck %s --check-prefix=RMSDW
// RUN: %dyt_run_check %s -e rms_dynamic --ref rms_norm --eps 1e-6 --arg 8x65:f32:special --arg 65:f32 | FileCheck %s --check-prefix=RMSDS
// RUN: %dyt_run_check %s -e rms_dynamic_bf16 --ref rms_norm --eps 1e-6 --arg 3x4099:bf16 --arg 4099:bf16 | FileCheck %s --check-prefix=RMSDB
// Static odd widths: rows are split at their first cache line
// (align-row-heads), every row's head of a different length; with threads,
// and special values. With 512-bit vectors and with 256-bit ones (where only
// a norm's output pass is split), whatever the host's width (any host runs
// both).
// RUN: %dyt_run_check %s -e rms_771 --ref rms_norm --eps 1e-6 --threads 2 --arg 17x771:f32 --arg 771:f32 | FileCheck %s --check-prefix=RMS771
// RUN: %dyt_run_check %s -e rms_771 --ref rms_norm --eps 1e-6 --threads 2 --pipeline 'dyt-cpu-pipeline{vector-bits=512}' --arg 17x771:f32 --arg 771:f32 | FileCheck %s --check-prefix=RMS771
// RUN: %dyt_run_check %s -e rms_771 --ref rms_norm --eps 1e-6 --pipeline 'dyt-cpu-pipeline{vector-bits=512}' --arg 16x771:f32:special --arg 771:f32 | FileCheck %s --check-prefix=RMS771S
// RUN: %dyt_run_check %s -e rms_771 --ref rms_norm --eps 1e-6 --threads 2 --pipeline 'dyt-cpu-pipeline{vector-bits=256}' --arg 17x771:f32 --arg 771:f32 | FileCheck %s --check-prefix=RMS771
// RUN: %dyt_run_check %s -e rms_771 --ref rms_norm --eps 1e-6 --pipeline 'dyt-cpu-pipeline{vector-bits=256}' --arg 16x771:f32:special --arg 771:f32 | FileCheck %s --check-prefix=RMS771S
// RUN: %dyt_run_check %s -e ln --ref layer_norm --threads 2 --pipeline 'dyt-cpu-pipeline{vector-bits=256}' --arg 9x1001:f32 --arg 1001:f32 --arg 1001:f32 | FileCheck %s --check-prefix=LN

// LN: OK ln: 
// LN1: OK ln_rank1: 7 elements
// LND: OK ln_dynamic: 130 elements
// LNB: OK ln_bf16: 3072 elements (bf16)
// LNS: OK ln_special: 264 elements
// RMS: OK rms: 28672 elements
// RMSH: OK rms_f16: 3003 elements (f16)
// RMSD: OK rms_dynamic: 37 elements
// LNDW: OK ln_dynamic: 4626 elements
// LNDS: OK ln_dynamic: 1040 elements
// LNDB: OK ln_dynamic_bf16: 3855 elements (bf16)
// RMSDW: OK rms_dynamic: 3855 elements
// RMSDS: OK rms_dynamic: 520 elements
// RMSDB: OK rms_dynamic_bf16: 12297 elements (bf16)
// RMS771: OK rms_771: 13107 elements
// RMS771S: OK rms_771: 12336 elements

func.func @ln(%x: tensor<?x1001xf32>, %g: tensor<1001xf32>, %b: tensor<1001xf32>) -> tensor<?x1001xf32> {
  %y = dyt.layer_norm %x gamma(%g : tensor<1001xf32>) beta(%b : tensor<1001xf32>) : tensor<?x1001xf32> -> tensor<?x1001xf32>
  return %y : tensor<?x1001xf32>
}
func.func @ln_rank1(%x: tensor<7xf32>, %g: tensor<7xf32>, %b: tensor<7xf32>) -> tensor<7xf32> {
  %y = dyt.layer_norm %x gamma(%g : tensor<7xf32>) beta(%b : tensor<7xf32>) : tensor<7xf32> -> tensor<7xf32>
  return %y : tensor<7xf32>
}
func.func @ln_dynamic(%x: tensor<?x?x?xf32>, %g: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?x?x?xf32> {
  %y = dyt.layer_norm %x gamma(%g : tensor<?xf32>) beta(%b : tensor<?xf32>) : tensor<?x?x?xf32> -> tensor<?x?x?xf32>
  return %y : tensor<?x?x?xf32>
}
func.func @ln_bf16(%x: tensor<4x768xbf16>, %g: tensor<768xbf16>, %b: tensor<768xbf16>) -> tensor<4x768xbf16> {
  %y = dyt.layer_norm %x gamma(%g : tensor<768xbf16>) beta(%b : tensor<768xbf16>) : tensor<4x768xbf16> -> tensor<4x768xbf16>
  return %y : tensor<4x768xbf16>
}
func.func @ln_special(%x: tensor<8x33xf32>, %g: tensor<33xf32>, %b: tensor<33xf32>) -> tensor<8x33xf32> {
  %y = dyt.layer_norm %x gamma(%g : tensor<33xf32>) beta(%b : tensor<33xf32>) : tensor<8x33xf32> -> tensor<8x33xf32>
  return %y : tensor<8x33xf32>
}
func.func @rms(%x: tensor<7x4096xf32>, %g: tensor<4096xf32>) -> tensor<7x4096xf32> {
  %y = dyt.rms_norm %x gamma(%g : tensor<4096xf32>) : tensor<7x4096xf32> -> tensor<7x4096xf32>
  return %y : tensor<7x4096xf32>
}
func.func @rms_f16(%x: tensor<3x1001xf16>, %g: tensor<1001xf16>) -> tensor<3x1001xf16> {
  %y = dyt.rms_norm %x gamma(%g : tensor<1001xf16>) : tensor<3x1001xf16> -> tensor<3x1001xf16>
  return %y : tensor<3x1001xf16>
}
func.func @rms_dynamic(%x: tensor<?x?xf32>, %g: tensor<?xf32>) -> tensor<?x?xf32> {
  %y = dyt.rms_norm %x gamma(%g : tensor<?xf32>) : tensor<?x?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
func.func @ln_dynamic_bf16(%x: tensor<?x?xbf16>, %g: tensor<?xbf16>, %b: tensor<?xbf16>) -> tensor<?x?xbf16> {
  %y = dyt.layer_norm %x gamma(%g : tensor<?xbf16>) beta(%b : tensor<?xbf16>) : tensor<?x?xbf16> -> tensor<?x?xbf16>
  return %y : tensor<?x?xbf16>
}
func.func @rms_dynamic_bf16(%x: tensor<?x?xbf16>, %g: tensor<?xbf16>) -> tensor<?x?xbf16> {
  %y = dyt.rms_norm %x gamma(%g : tensor<?xbf16>) : tensor<?x?xbf16> -> tensor<?x?xbf16>
  return %y : tensor<?x?xbf16>
}
func.func @rms_771(%x: tensor<?x771xf32>, %g: tensor<771xf32>) -> tensor<?x771xf32> {
  %y = dyt.rms_norm %x gamma(%g : tensor<771xf32>) : tensor<?x771xf32> -> tensor<?x771xf32>
  return %y : tensor<?x771xf32>
}
