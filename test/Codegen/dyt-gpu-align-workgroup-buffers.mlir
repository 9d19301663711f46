// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(gpu.module(dyt-gpu-align-workgroup-buffers))" | FileCheck %s
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(gpu.module(dyt-gpu-align-workgroup-buffers{alignment=64}))" | FileCheck %s --check-prefix=A64
// RUN: not dyt-opt %s -split-input-file --pass-pipeline="builtin.module(gpu.module(dyt-gpu-align-workgroup-buffers{alignment=12}))" 2>&1 | FileCheck %s --check-prefix=BAD

// Every shared buffer gets 16 bytes (a bf16 tile would otherwise be 2-byte
// aligned); a larger alignment already there stays, a smaller one grows.
// CHECK-LABEL: gpu.func @tiles(
// CHECK-SAME: workgroup(%{{.*}} : memref<64x40xbf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}, %{{.*}} : memref<8xf32, #gpu.address_space<workgroup>> {llvm.align = 32 : i64}, %{{.*}} : memref<4xi8, #gpu.address_space<workgroup>> {llvm.align = 16 : i64})
// A64-LABEL: gpu.func @tiles(
// A64-SAME: {llvm.align = 64 : i64}, %{{.*}} : memref<8xf32, #gpu.address_space<workgroup>> {llvm.align = 64 : i64}, %{{.*}} : memref<4xi8, #gpu.address_space<workgroup>> {llvm.align = 64 : i64})
// BAD: error: dyt-gpu-align-workgroup-buffers: alignment (12) must be a positive power of two
module attributes {gpu.container_module} {
gpu.module @k {
  gpu.func @tiles(%c: memref<16xf32>) workgroup(%a : memref<64x40xbf16, #gpu.address_space<workgroup>>, %b : memref<8xf32, #gpu.address_space<workgroup>> {llvm.align = 32 : i64}, %d : memref<4xi8, #gpu.address_space<workgroup>> {llvm.align = 4 : i64}) kernel {
    gpu.return
  }
}
}

// -----

// A kernel without shared buffers is left as it is.
// CHECK-LABEL: gpu.func @none(
// CHECK-NOT: llvm.align
// CHECK: gpu.return
module attributes {gpu.container_module} {
gpu.module @k {
  gpu.func @none(%c: memref<16xf32>) kernel {
    gpu.return
  }
}
}
