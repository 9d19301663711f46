// dyt-run --device gpu (dyt-nvvm-pipeline, data in device memory) against
// NumPy float64 references, and against the CPU reference pipeline
// (--check). The functions are those the CPU runs in dyt-run-dyt.mlir,
// dyt-run-norms.mlir, dyt-run-matmul.mlir and dyt-run-fuse-matmul.mlir
// (every function of a file is compiled: each of them must go through
// dyt-nvvm-pipeline), and the two below.
// REQUIRES: cuda-gpu, ptxas, numpy
//
// DyT: channels last with an odd channel count, NCHW (axis = 1), dynamic
// dims, f16 and bf16, and inf / nan / +-1e30 among the inputs.
// RUN: %dyt_run_check %S/dyt-run-dyt.mlir -e channels_last --device gpu --ref dyt --arg 3x1001:f32 --arg scalar:f32 --arg 1001:f32 --arg 1001:f32 | FileCheck %s --check-prefix=CL
// RUN: %dyt_run_check %S/dyt-run-dyt.mlir -e nchw --device gpu --ref dyt --axis 1 --arg 2x64x7x7:f32 --arg 1:f32 --arg 64:f32 --arg 64:f32 | FileCheck %s --check-prefix=NCHW
// RUN: %dyt_run_check %S/dyt-run-dyt.mlir -e dynamic --device gpu --ref dyt --arg 5x3x7:f32 --arg scalar:f32 --arg 7:f32 --arg 7:f32 | FileCheck %s --check-prefix=DYN
// RUN: %dyt_run_check %S/dyt-run-dyt.mlir -e dynamic --device gpu --ref dyt --arg 64x3x1001:f32 --arg scalar:f32 --arg 1001:f32 --arg 1001:f32 | FileCheck %s --check-prefix=DYN
// RUN: %dyt_run_check %S/dyt-run-dyt.mlir -e half --device gpu --ref dyt --arg 4x1001:f16 --arg scalar:f16 --arg 1001:f16 --arg 1001:f16 | FileCheck %s --check-prefix=F16
// RUN: %dyt_run_check %S/dyt-run-dyt.mlir -e brain --device gpu --ref dyt --arg 2x3x768:bf16 --arg scalar:f32 --arg 768:bf16 --arg 768:bf16 | FileCheck %s --check-prefix=BF16
// RUN: %dyt_run_check %S/dyt-run-dyt.mlir -e special --device gpu --ref dyt --arg 4x33:f32:special --arg scalar:f32 --arg 33:f32 --arg 33:f32 | FileCheck %s --check-prefix=SPECIAL
// RUN: %dyt_run_check %S/dyt-run-dyt.mlir -e special --device gpu --ref dyt --arg 4x33:f32:wide --arg scalar:f32 --arg 33:f32 --arg 33:f32 | FileCheck %s --check-prefix=SPECIAL
//
// LayerNorm and RMSNorm: 1001, 7 and 1 channels, f32, f16 and bf16, dynamic.
// RUN: %dyt_run_check %S/dyt-run-norms.mlir -e ln --device gpu --ref layer_norm --arg 3x1001:f32 --arg 1001:f32 --arg 1001:f32 | FileCheck %s --check-prefix=LN
// RUN: %dyt_run_check %S/dyt-run-norms.mlir -e ln --device gpu --ref layer_norm --arg 2x1001:f32:offset --arg 1001:f32 --arg 1001:f32 | FileCheck %s --check-prefix=LN
// RUN: %dyt_run_check %S/dyt-run-norms.mlir -e ln_rank1 --device gpu --ref layer_norm --arg 7:f32 --arg 7:f32 --arg 7:f32 | FileCheck %s --check-prefix=LNR1
// RUN: %dyt_run_check %S/dyt-run-norms.mlir -e ln_dynamic --device gpu --ref layer_norm --arg 2x5x7:f32 --arg 7:f32 --arg 7:f32 | FileCheck %s --check-prefix=LN7
// RUN: %dyt_run_check %S/dyt-run-norms.mlir -e ln_dynamic --device gpu --ref layer_norm --arg 3x4x1:f32 --arg 1:f32 --arg 1:f32 | FileCheck %s --check-prefix=LN1
// RUN: %dyt_run_check %S/dyt-run-norms.mlir -e ln_bf16 --device gpu --ref layer_norm --arg 4x768:bf16 --arg 768:bf16 --arg 768:bf16 | FileCheck %s --check-prefix=LNB
// RUN: %dyt_run_check %S/dyt-run-norms.mlir -e ln_special --device gpu --ref layer_norm --arg 8x33:f32:special --arg 33:f32 --arg 33:f32 | FileCheck %s --check-prefix=LNS
// RUN: %dyt_run_check %S/dyt-run-norms.mlir -e rms_dynamic --device gpu --ref rms_norm --eps 1e-6 --arg 7x1001:f32 --arg 1001:f32 | FileCheck %s --check-prefix=RMS
// RUN: %dyt_run_check %S/dyt-run-norms.mlir -e rms_dynamic --device gpu --ref rms_norm --eps 1e-6 --arg 5x7:f32 --arg 7:f32 | FileCheck %s --check-prefix=RMS7
// RUN: %dyt_run_check %S/dyt-run-norms.mlir -e rms_dynamic --device gpu --ref rms_norm --eps 1e-6 --arg 37x1:f32 --arg 1:f32 | FileCheck %s --check-prefix=RMS1
// RUN: %dyt_run_check %S/dyt-run-norms.mlir -e rms_f16 --device gpu --ref rms_norm --eps 1e-6 --arg 3x1001:f16 --arg 1001:f16 | FileCheck %s --check-prefix=RMSH
// RUN: %dyt_run_check %s -e rms_bf16 --device gpu --ref rms_norm --eps 1e-6 --arg 3x1001:bf16 --arg 1001:bf16 | FileCheck %s --check-prefix=RMSB
//
// Matmuls: 64x300x257 with the DyT epilogue fused (dynamic M), bf16
// operands, x @ W^T with DyT after it, batch_matmul, DyT before a matmul.
// RUN: %dyt_run_check %S/dyt-run-fuse-matmul.mlir -e epilogue --device gpu --ref matmul_epilogue --arg 64x300:f32 --arg 300x257:f32 --arg 257:f32 --arg 64x257:f32 --arg scalar:f32 --arg 257:f32 --arg 257:f32 | FileCheck %s --check-prefix=EPI
// RUN: %dyt_run_check %S/dyt-run-fuse-matmul.mlir -e epilogue_bf16 --device gpu --ref matmul_epilogue --out-dtype f32 --arg 37x64:bf16 --arg 64x50:bf16 --arg 50:f32 --arg 37x50:f32 --arg scalar:f32 --arg 50:f32 --arg 50:f32 | FileCheck %s --check-prefix=EPIB
// RUN: %dyt_run_check %S/dyt-run-fuse-matmul.mlir -e linear_dyt --device gpu --ref matmul_transpose_b_dyt --arg 33x64:f32 --arg 19x64:f32 --arg scalar:f32 --arg 19:f32 --arg 19:f32 | FileCheck %s --check-prefix=TB
// RUN: %dyt_run_check %S/dyt-run-fuse-matmul.mlir -e prologue --device gpu --ref dyt_matmul --arg 64x300:f32 --arg scalar:f32 --arg 300:f32 --arg 300:f32 --arg 300x257:f32 | FileCheck %s --check-prefix=PRO
// RUN: %dyt_run_check %S/dyt-run-matmul.mlir -e matmul --device gpu --ref matmul --arg 37x129:f32 --arg 129x65:f32 | FileCheck %s --check-prefix=MM
// RUN: %dyt_run_check %S/dyt-run-matmul.mlir -e matmul_tb --device gpu --ref matmul_transpose_b --arg 19x64:f32 --arg 33x64:f32 | FileCheck %s --check-prefix=MMTB
// RUN: %dyt_run_check %S/dyt-run-matmul.mlir -e bmm --device gpu --ref batch_matmul --arg 3x9x17:f32 --arg 3x17x40:f32 | FileCheck %s --check-prefix=BMM
// Tensor cores (bf16 and f16 operands, f32 accumulators): dynamic odd
// sizes that cut every tile, a K that is not a multiple of the 32-deep
// slice, and an f16 batch_matmul against the CPU pipeline.
// RUN: %dyt_run_check %s -e tc_bf16 --device gpu --ref matmul --out-dtype f32 --arg 97x130:bf16 --arg 130x75:bf16 | FileCheck %s --check-prefix=TCB
// RUN: %dyt_run_check %s -e tc_bf16 --device gpu --ref matmul --out-dtype f32 --arg 1x7:bf16 --arg 7x1:bf16 | FileCheck %s --check-prefix=TCB1
// RUN: dyt-run %s -e tc_bmm_f16 --device gpu --random --check | FileCheck %s --check-prefix=TCH
// Rows that are multiples of 8 (cp.async staging, double buffered over 7
// slices, the last one partial; N cuts the second column tile; one slice
// of 16), x @ W^T (B staged [n][k], ldmatrix without .trans) with aligned
// K (a multiple of the slice or not) and odd K, and an aligned f16 batch.
// RUN: %dyt_run_check %s -e tc_bf16 --device gpu --ref matmul --out-dtype f32 --arg 80x200:bf16 --arg 200x136:bf16 | FileCheck %s --check-prefix=TCBA
// RUN: %dyt_run_check %s -e tc_bf16 --device gpu --ref matmul --out-dtype f32 --arg 64x16:bf16 --arg 16x64:bf16 | FileCheck %s --check-prefix=TCBK16
// RUN: %dyt_run_check %s -e tc_tb_bf16 --device gpu --ref matmul_transpose_b --out-dtype f32 --arg 80x256:bf16 --arg 136x256:bf16 | FileCheck %s --check-prefix=TCTB
// RUN: %dyt_run_check %s -e tc_tb_bf16 --device gpu --ref matmul_transpose_b --out-dtype f32 --arg 80x200:bf16 --arg 136x200:bf16 | FileCheck %s --check-prefix=TCTB
// RUN: %dyt_run_check %s -e tc_bmm_f16_dynamic --device gpu --ref batch_matmul --out-dtype f32 --arg 3x64x64:f16 --arg 3x64x64:f16 | FileCheck %s --check-prefix=TCHA
// RUN: %dyt_run_check %s -e tc_tb_bf16 --device gpu --ref matmul_transpose_b --out-dtype f32 --arg 33x70:bf16 --arg 19x70:bf16 | FileCheck %s --check-prefix=TCTB1
//
// Against the CPU reference pipeline on the same random inputs: several
// results (two norms of one input; three projections with constant
// weights, folded by dyt-fuse-matmul), and the hardware tanh through
// --pipeline (max. rel. error ~2^-11: wider tolerances; the chip is the
// pipeline's default, sm_90, which the test machine's H200 is).
// RUN: dyt-run %s -e two_norms --device gpu --random --check | FileCheck %s --check-prefix=CHECK2
// RUN: dyt-run %S/dyt-run-fuse-matmul.mlir -e qkv_constant_weights --device gpu --random --check | FileCheck %s --check-prefix=QKV
// A constant beta that lives in the kernel module (read with 128-bit loads).
// RUN: dyt-run %s -e constant_beta --device gpu --random --check | FileCheck %s --check-prefix=CBETA
// RUN: dyt-run %S/dyt-run-dyt.mlir -e channels_last --device gpu --random --check | FileCheck %s --check-prefix=CHECKCL
// RUN: dyt-run %S/dyt-run-dyt.mlir -e channels_last --device gpu --random --check --pipeline='dyt-nvvm-pipeline{fast-tanh=true}' --rtol 1e-2 --atol 1e-2 | FileCheck %s --check-prefix=CHECKCL
// A benchmark, with its device-to-device copy peer.
// RUN: dyt-run %S/dyt-run-dyt.mlir -e channels_last --device gpu --random --bench 5 --json | FileCheck %s --check-prefix=BENCH

// CL: OK channels_last: 3003 elements (f32)
// NCHW: OK nchw: 6272 elements (f32)
// DYN: OK dynamic
// F16: OK half: 4004 elements (f16)
// BF16: OK brain: 4608 elements (bf16)
// SPECIAL: OK special: 132 elements
// LN: OK ln:
// LNR1: OK ln_rank1: 7 elements
// LN7: OK ln_dynamic: 70 elements
// LN1: OK ln_dynamic: 12 elements
// LNB: OK ln_bf16: 3072 elements (bf16)
// LNS: OK ln_special: 264 elements
// RMS: OK rms_dynamic: 7007 elements
// RMS7: OK rms_dynamic: 35 elements
// RMS1: OK rms_dynamic: 37 elements
// RMSH: OK rms_f16: 3003 elements (f16)
// RMSB: OK rms_bf16: 3003 elements (bf16)
// EPI: OK epilogue: 16448 elements
// EPIB: OK epilogue_bf16: 1850 elements
// TB: OK linear_dyt: 627 elements
// PRO: OK prologue: 16448 elements
// MM: OK matmul: 2405 elements
// MMTB: OK matmul_tb: 627 elements
// BMM: OK bmm: 1080 elements
// TCB: OK tc_bf16: 7275 elements
// TCB1: OK tc_bf16: 1 elements
// TCH: check: result #0: 4653 elements
// TCBA: OK tc_bf16: 10880 elements
// TCTB: OK tc_tb_bf16: 10880 elements
// TCTB1: OK tc_tb_bf16: 627 elements
// TCBK16: OK tc_bf16: 4096 elements
// TCHA: OK tc_bmm_f16_dynamic: 12288 elements
// CHECK2: check: result #0: 768 elements
// CHECK2: check: result #1: 768 elements
// QKV: check: result #0: 1200 elements
// QKV: check: result #2: 1200 elements
// CHECKCL: check: result #0: 3003 elements
// CBETA: check: result #0: 384 elements
// BENCH: bench: @channels_last: median {{[0-9.]+}} ms, min {{[0-9.]+}} ms over 5 runs, gpu (
// BENCH: bench: device-to-device copy of the 12012 result bytes: median {{[0-9.]+}} ms (copy/call {{[0-9.]+}})
// BENCH: {"function": "channels_last", "median_s": {{[0-9.e+-]+}}, "min_s": {{[0-9.e+-]+}}, "iterations": 5, "device": "gpu", "device_name": "{{.+}}", "copy_median_s": {{[0-9.e+-]+}}, "copy_ratio": {{[0-9.e+-]+}}}

func.func @rms_bf16(%x: tensor<3x1001xbf16>, %g: tensor<1001xbf16>) -> tensor<3x1001xbf16> {
  %y = dyt.rms_norm %x gamma(%g : tensor<1001xbf16>) : tensor<3x1001xbf16> -> tensor<3x1001xbf16>
  return %y : tensor<3x1001xbf16>
}
func.func @two_norms(%x: tensor<8x96xf32>, %g: tensor<96xf32>, %b: tensor<96xf32>) -> (tensor<8x96xf32>, tensor<8x96xf32>) {
  %l = dyt.layer_norm %x gamma(%g : tensor<96xf32>) beta(%b : tensor<96xf32>) : tensor<8x96xf32> -> tensor<8x96xf32>
  %r = dyt.rms_norm %x gamma(%g : tensor<96xf32>) : tensor<8x96xf32> -> tensor<8x96xf32>
  return %l, %r : tensor<8x96xf32>, tensor<8x96xf32>
}
func.func @tc_bf16(%x: tensor<?x?xbf16>, %w: tensor<?x?xbf16>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = tensor.dim %x, %c0 : tensor<?x?xbf16>
  %n = tensor.dim %w, %c1 : tensor<?x?xbf16>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty(%m, %n) : tensor<?x?xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x?xf32>) -> tensor<?x?xf32>
  %y = linalg.matmul ins(%x, %w : tensor<?x?xbf16>, tensor<?x?xbf16>) outs(%f : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
func.func @tc_tb_bf16(%x: tensor<?x?xbf16>, %w: tensor<?x?xbf16>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<?x?xbf16>
  %n = tensor.dim %w, %c0 : tensor<?x?xbf16>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty(%m, %n) : tensor<?x?xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x?xf32>) -> tensor<?x?xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%x, %w : tensor<?x?xbf16>, tensor<?x?xbf16>) outs(%f : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
func.func @tc_bmm_f16_dynamic(%x: tensor<?x?x?xf16>, %w: tensor<?x?x?xf16>) -> tensor<?x?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %x, %c0 : tensor<?x?x?xf16>
  %m = tensor.dim %x, %c1 : tensor<?x?x?xf16>
  %n = tensor.dim %w, %c2 : tensor<?x?x?xf16>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty(%b, %m, %n) : tensor<?x?x?xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %y = linalg.batch_matmul ins(%x, %w : tensor<?x?x?xf16>, tensor<?x?x?xf16>) outs(%f : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  return %y : tensor<?x?x?xf32>
}
func.func @tc_bmm_f16(%x: tensor<3x33x70xf16>, %w: tensor<3x70x47xf16>) -> tensor<3x33x47xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x33x47xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3x33x47xf32>) -> tensor<3x33x47xf32>
  %y = linalg.batch_matmul ins(%x, %w : tensor<3x33x70xf16>, tensor<3x70x47xf16>) outs(%f : tensor<3x33x47xf32>) -> tensor<3x33x47xf32>
  return %y : tensor<3x33x47xf32>
}

func.func @constant_beta(%x: tensor<4x96xf32>, %a: f32, %g: tensor<96xf32>) -> tensor<4x96xf32> {
  %b = arith.constant dense<[-20.0, -19.5, -19.0, -18.5, -18.0, -17.5, -17.0, -16.5, -16.0, -15.5, -15.0, -14.5, -14.0, -13.5, -13.0, -12.5, -12.0, -11.5, -11.0, -10.5, -10.0, -9.5, -9.0, -8.5, -8.0, -7.5, -7.0, -6.5, -6.0, -5.5, -5.0, -4.5, -4.0, -3.5, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0, 10.5, 11.0, 11.5, 12.0, 12.5, 13.0, 13.5, 14.0, 14.5, 15.0, 15.5, 16.0, 16.5, 17.0, 17.5, 18.0, 18.5, 19.0, 19.5, 20.0, 20.5, 21.0, 21.5, 22.0, 22.5, 23.0, 23.5, 24.0, 24.5, 25.0, 25.5, 26.0, 26.5, 27.0, 27.5]> : tensor<96xf32>
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<96xf32>) beta(%b : tensor<96xf32>) : tensor<4x96xf32> -> tensor<4x96xf32>
  return %y : tensor<4x96xf32>
}
