// dyt-nvvm-pipeline's PTX version for each chip: the default is the chip's
// first (what llc picks when given none), or 6.0 (the warp shuffles of the
// norm kernels) where that is older, for every processor LLVM's NVPTX
// backend has, on a DyT, a LayerNorm and a matmul; chips older than sm_30
// are rejected. An older explicit version is an error, not LLVM's fatal
// error that ends the process.
// RUN: %python %S/Inputs/check_chip_ptx.py --llc llc --dyt-opt dyt-opt %s | FileCheck %s
// RUN: not dyt-opt %s --dyt-nvvm-pipeline="chip=sm_90 features=+ptx70" 2>&1 | FileCheck %s --check-prefix=OLD
// RUN: not dyt-opt %s --dyt-nvvm-pipeline="chip=sm_91" 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// A sample of llc's list (the script compares all of them).
// CHECK-DAG: sm_21 rejected
// CHECK-DAG: sm_30 6.0
// CHECK-DAG: sm_62 6.0
// CHECK-DAG: sm_72 6.1
// CHECK-DAG: sm_75 6.3
// CHECK-DAG: sm_80 7.0
// CHECK-DAG: sm_90 7.8
// CHECK-DAG: sm_90a 8.0
// CHECK-DAG: sm_100f 8.8

// OLD: error: 'gpu.module' op target #nvvm.target<O = 3, chip = "sm_90", features = "+ptx70">: PTX ISA 7.0 (+ptx70) does not have sm_90, which needs PTX ISA 7.8 (+ptx78) or later
// OLD-NOT: LLVM ERROR
// RUN: not dyt-opt %s --dyt-nvvm-pipeline="chip=sm_70 fast-tanh=1" 2>&1 | FileCheck %s --check-prefix=FAST
// RUN: not dyt-opt %s --dyt-nvvm-pipeline="chip=sm_60 features=+ptx50" 2>&1 | FileCheck %s --check-prefix=PTX50
// FAST: error: 'gpu.module' op target #nvvm.target<O = 3, chip = "sm_70", features = "+ptx60">: chip 'sm_70' is older than sm_75, the oldest these kernels are built for (warp shuffles, and tanh.approx.f32 for fast-tanh)
// FAST-NOT: LLVM ERROR
// PTX50: error: 'gpu.module' op target #nvvm.target<O = 3, chip = "sm_60", features = "+ptx50">: PTX ISA 5.0 is older than 6.0, the oldest these kernels are built for (warp shuffles)
// PTX50-NOT: LLVM ERROR
// UNKNOWN: error: 'gpu.module' op target #nvvm.target<O = 3, chip = "sm_91">: chip 'sm_91' is not a processor of LLVM's NVPTX backend

func.func @dyt(%x: tensor<4x64xf32>, %a: f32, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<4x64xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<64xf32>) beta(%b : tensor<64xf32>) : tensor<4x64xf32> -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

func.func @layer_norm(%x: tensor<5x96xf32>, %g: tensor<96xf32>, %b: tensor<96xf32>) -> tensor<5x96xf32> {
  %y = dyt.layer_norm %x gamma(%g : tensor<96xf32>) beta(%b : tensor<96xf32>) : tensor<5x96xf32> -> tensor<5x96xf32>
  return %y : tensor<5x96xf32>
}

func.func @matmul(%x: tensor<37x64xbf16>, %w: tensor<64x50xbf16>) -> tensor<37x50xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<37x50xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<37x50xf32>) -> tensor<37x50xf32>
  %r = linalg.matmul ins(%x, %w : tensor<37x64xbf16>, tensor<64x50xbf16>) outs(%f : tensor<37x50xf32>) -> tensor<37x50xf32>
  return %r : tensor<37x50xf32>
}
