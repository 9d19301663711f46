// DyT fused into matmuls by dyt-fuse-matmul (on in dyt-cpu-pipeline), run
// through dyt-run against NumPy float64 references, and against the unfused
// reference pipeline (--check) where the weights are constants.
// REQUIRES: numpy
// RUN: %dyt_run_check %s -e epilogue --ref matmul_epilogue --arg 64x300:f32 --arg 300x257:f32 --arg 257:f32 --arg 64x257:f32 --arg scalar:f32 --arg 257:f32 --arg 257:f32 | FileCheck %s --check-prefix=EPI
// RUN: %dyt_run_check %s -e epilogue --ref matmul_epilogue --threads 2 --arg 1x7:f32 --arg 7x1:f32 --arg 1:f32 --arg 1x1:f32 --arg scalar:f32 --arg 1:f32 --arg 1:f32 | FileCheck %s --check-prefix=EPI
// RUN: %dyt_run_check %s -e epilogue_bf16 --ref matmul_epilogue --out-dtype f32 --arg 37x64:bf16 --arg 64x50:bf16 --arg 50:f32 --arg 37x50:f32 --arg scalar:f32 --arg 50:f32 --arg 50:f32 | FileCheck %s --check-prefix=BF16
// RUN: %dyt_run_check %s -e linear_dyt --ref matmul_transpose_b_dyt --arg 33x64:f32 --arg 19x64:f32 --arg scalar:f32 --arg 19:f32 --arg 19:f32 | FileCheck %s --check-prefix=TB
// RUN: %dyt_run_check %s -e prologue --ref dyt_matmul --arg 64x300:f32 --arg scalar:f32 --arg 300:f32 --arg 300:f32 --arg 300x257:f32 | FileCheck %s --check-prefix=PRO
// RUN: %dyt_run_check %s -e prologue --ref dyt_matmul --arg 600x31:f32:special --arg scalar:f32 --arg 31:f32 --arg 31:f32 --arg 31x9:f32 | FileCheck %s --check-prefix=PROBIG
// RUN: dyt-run %s -e qkv_constant_weights --random --check | FileCheck %s --check-prefix=QKV

// EPI: OK epilogue:
// BF16: OK epilogue_bf16: 1850 elements
// TB: OK linear_dyt: 627 elements
// PRO: OK prologue: 16448 elements
// PROBIG: OK prologue: 5400 elements
// QKV: check: result #0: 1200 elements
// QKV: check: result #2: 1200 elements

// matmul (dynamic M) -> + bias -> + residual -> DyT.
func.func @epilogue(%x: tensor<?x?xf32>, %w: tensor<?x?xf32>, %bias: tensor<?xf32>, %res: tensor<?x?xf32>,
                    %alpha: f32, %g: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = tensor.dim %x, %c0 : tensor<?x?xf32>
  %n = tensor.dim %w, %c1 : tensor<?x?xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty(%m, %n) : tensor<?x?xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x?xf32>) -> tensor<?x?xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<?x?xf32>, tensor<?x?xf32>) outs(%f : tensor<?x?xf32>) -> tensor<?x?xf32>
  %bb = linalg.broadcast ins(%bias : tensor<?xf32>) outs(%e : tensor<?x?xf32>) dimensions = [0]
  %s1 = arith.addf %mm, %bb : tensor<?x?xf32>
  %s2 = arith.addf %s1, %res : tensor<?x?xf32>
  %y = dyt.dyt %s2 alpha(%alpha : f32) gamma(%g : tensor<?xf32>) beta(%b : tensor<?xf32>) : tensor<?x?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// bf16 operands, f32 accumulation and epilogue.
func.func @epilogue_bf16(%x: tensor<37x64xbf16>, %w: tensor<64x50xbf16>, %bias: tensor<50xf32>, %res: tensor<37x50xf32>,
                         %alpha: f32, %g: tensor<50xf32>, %b: tensor<50xf32>) -> tensor<37x50xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<37x50xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<37x50xf32>) -> tensor<37x50xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<37x64xbf16>, tensor<64x50xbf16>) outs(%f : tensor<37x50xf32>) -> tensor<37x50xf32>
  %bb = linalg.broadcast ins(%bias : tensor<50xf32>) outs(%e : tensor<37x50xf32>) dimensions = [0]
  %s1 = arith.addf %mm, %bb : tensor<37x50xf32>
  %s2 = arith.addf %s1, %res : tensor<37x50xf32>
  %y = dyt.dyt %s2 alpha(%alpha : f32) gamma(%g : tensor<50xf32>) beta(%b : tensor<50xf32>) : tensor<37x50xf32> -> tensor<37x50xf32>
  return %y : tensor<37x50xf32>
}

// x @ W^T (PyTorch's Linear) -> DyT.
func.func @linear_dyt(%x: tensor<33x64xf32>, %w: tensor<19x64xf32>, %alpha: f32, %g: tensor<19xf32>, %b: tensor<19xf32>) -> tensor<33x19xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<33x19xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<33x19xf32>) -> tensor<33x19xf32>
  %mm = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
          ins(%x, %w : tensor<33x64xf32>, tensor<19x64xf32>) outs(%f : tensor<33x19xf32>) -> tensor<33x19xf32>
  %y = dyt.dyt %mm alpha(%alpha : f32) gamma(%g : tensor<19xf32>) beta(%b : tensor<19xf32>) : tensor<33x19xf32> -> tensor<33x19xf32>
  return %y : tensor<33x19xf32>
}

// DyT (dynamic M) -> matmul with the weight as an argument: the DyT is
// computed per block of rows inside the matmul's loop nest.
func.func @prologue(%x: tensor<?x?xf32>, %alpha: f32, %g: tensor<?xf32>, %b: tensor<?xf32>, %w: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = tensor.dim %x, %c0 : tensor<?x?xf32>
  %n = tensor.dim %w, %c1 : tensor<?x?xf32>
  %zero = arith.constant 0.0 : f32
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<?xf32>) beta(%b : tensor<?xf32>) : tensor<?x?xf32> -> tensor<?x?xf32>
  %e = tensor.empty(%m, %n) : tensor<?x?xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x?xf32>) -> tensor<?x?xf32>
  %mm = linalg.matmul ins(%y, %w : tensor<?x?xf32>, tensor<?x?xf32>) outs(%f : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %mm : tensor<?x?xf32>
}

// One DyT feeding three projections with constant weights: gamma and beta
// folded into each weight and bias at compile time, checked against the
// reference pipeline (which folds nothing).
func.func @qkv_constant_weights(%x: tensor<40x24xf32>, %alpha: f32) -> (tensor<40x30xf32>, tensor<40x30xf32>, tensor<40x30xf32>) {
  %g = arith.constant dense<[0.5, 1.5, -2.0, 0.25, 1.0, 3.0, -0.75, 2.5, 0.1, -1.25, 0.8, 1.2, 0.5, 1.5, -2.0, 0.25, 1.0, 3.0, -0.75, 2.5, 0.1, -1.25, 0.8, 1.2]> : tensor<24xf32>
  %b = arith.constant dense<[0.1, -0.2, 0.3, 0.0, 0.5, -0.6, 0.7, 0.05, -0.9, 1.0, 0.0, 0.2, -0.1, 0.2, -0.3, 0.4, 0.0, 0.6, -0.7, 0.8, 0.9, -1.0, 0.3, 0.0]> : tensor<24xf32>
  %wq = arith.constant dense<0.125> : tensor<24x30xf32>
  %wk = arith.constant dense<-0.5> : tensor<24x30xf32>
  %wv = arith.constant dense<2.0> : tensor<24x30xf32>
  %zero = arith.constant 0.0 : f32
  %y = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<24xf32>) beta(%b : tensor<24xf32>) : tensor<40x24xf32> -> tensor<40x24xf32>
  %e = tensor.empty() : tensor<40x30xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<40x30xf32>) -> tensor<40x30xf32>
  %q = linalg.matmul ins(%y, %wq : tensor<40x24xf32>, tensor<24x30xf32>) outs(%f : tensor<40x30xf32>) -> tensor<40x30xf32>
  %k = linalg.matmul ins(%y, %wk : tensor<40x24xf32>, tensor<24x30xf32>) outs(%f : tensor<40x30xf32>) -> tensor<40x30xf32>
  %v = linalg.matmul ins(%y, %wv : tensor<40x24xf32>, tensor<24x30xf32>) outs(%f : tensor<40x30xf32>) -> tensor<40x30xf32>
  return %q, %k, %v : tensor<40x30xf32>, tensor<40x30xf32>, tensor<40x30xf32>
}
