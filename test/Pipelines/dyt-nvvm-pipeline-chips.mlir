// dyt-nvvm-pipeline's PTX version for each chip: the default is the chip's
// first (what llc picks when given none), for every processor LLVM's NVPTX
// backend has; an older explicit one is an error, not LLVM's fatal error
// that ends the process.
// RUN: %python %S/Inputs/check_chip_ptx.py --llc llc --dyt-opt dyt-opt %s | FileCheck %s
// RUN: not dyt-opt %s --dyt-nvvm-pipeline="chip=sm_90 features=+ptx70" 2>&1 | FileCheck %s --check-prefix=OLD
// RUN: not dyt-opt %s --dyt-nvvm-pipeline="chip=sm_91" 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// A sample of llc's list (the script compares all of them).
// CHECK-DAG: sm_75 6.3
// CHECK-DAG: sm_80 7.0
// CHECK-DAG: sm_90 7.8
// CHECK-DAG: sm_90a 8.0
// CHECK-DAG: sm_100f 8.8

// OLD: error: 'gpu.module' op target #nvvm.target<O = 3, chip = "sm_90", features = "+ptx70">: PTX ISA 7.0 (+ptx70) does not have sm_90, which needs PTX ISA 7.8 (+ptx78) or later
// OLD-NOT: LLVM ERROR
// UNKNOWN: error: 'gpu.module' op target #nvvm.target<O = 3, chip = "sm_91">: chip 'sm_91' is not a processor of LLVM's NVPTX backend

func.func @dyt(%x: tensor<4x64xf32>, %a: f32, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<4x64xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<64xf32>) beta(%b : tensor<64xf32>) : tensor<4x64xf32> -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
