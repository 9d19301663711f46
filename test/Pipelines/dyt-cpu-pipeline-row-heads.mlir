// align-row-heads through the whole pipeline: the stores it is for. A row of
// 771 f32 split at its first line has a masked head, a body whose stores are
// aligned to the line and stream, and a masked rest. With 256-bit vectors
// only a norm's output pass is split, and only when results stream.
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(dyt-cpu-pipeline{vector-bits=256})" --mlir-print-ir-after=dyt-cpu-lower-vectors 2>&1 >/dev/null | FileCheck %s --check-prefixes=CHECK,AVX2
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(dyt-cpu-pipeline{vector-bits=512})" --mlir-print-ir-after=dyt-cpu-lower-vectors 2>&1 >/dev/null | FileCheck %s --check-prefixes=CHECK,AVX512
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(dyt-cpu-pipeline{vector-bits=256 streaming-stores=false})" --mlir-print-ir-after=dyt-cpu-lower-vectors 2>&1 >/dev/null | FileCheck %s --check-prefix=CACHED --implicit-check-not=nontemporal --implicit-check-not=vector.maskedstore

// CHECK-LABEL: func.func @rms_771
// CHECK: vector.maskedstore %{{.+}} : memref<1x?xf32, strided<[771, 1], offset: ?>>, vector<15xi1>, vector<15xf32>
// AVX2: scf.for %{{.+}} = %c0 to %c736 step %c32
// AVX2: vector.store %{{.+}} {alignment = 64 : i64, nontemporal = true} : memref<1x752xf32, strided<[771, 1], offset: ?>>, vector<32xf32>
// AVX2: vector.store %{{.+}} {alignment = 64 : i64, nontemporal = true} : memref<1x752xf32, strided<[771, 1], offset: ?>>, vector<16xf32>
// AVX512: scf.for %{{.+}} = %c0 to %c704 step %c64
// AVX512: vector.store %{{.+}} {alignment = 64 : i64, nontemporal = true} : memref<1x752xf32, strided<[771, 1], offset: ?>>, vector<64xf32>
// AVX512: vector.store %{{.+}} {alignment = 64 : i64, nontemporal = true} : memref<1x752xf32, strided<[771, 1], offset: ?>>, vector<48xf32>
// CHECK: vector.maskedstore %{{.+}} : memref<1x?xf32, strided<[771, 1], offset: ?>>, vector<19xi1>, vector<19xf32>
// CACHED-LABEL: func.func @rms_771
// CACHED: vector.store %{{.+}} : memref<1x771xf32, strided<[771, 1], offset: ?>>, vector<32xf32>
// CACHED: vector.store %{{.+}} : memref<1x771xf32, strided<[771, 1], offset: ?>>, vector<3xf32>
func.func @rms_771(%x: tensor<8x771xf32>, %g: tensor<771xf32>) -> tensor<8x771xf32> {
  %y = dyt.rms_norm %x gamma(%g : tensor<771xf32>) : tensor<8x771xf32> -> tensor<8x771xf32>
  return %y : tensor<8x771xf32>
}

// -----

// DyT with 256-bit vectors: not split, its unaligned row stores cached.
// CHECK-LABEL: func.func @dyt_771
// AVX2-NOT: vector.maskedstore
// AVX2-NOT: nontemporal
// AVX2: vector.store %{{.+}} : memref<1x771xf32, strided<[771, 1], offset: ?>>, vector<32xf32>
// AVX2-NOT: nontemporal
// AVX2: vector.store %{{.+}} : memref<1x771xf32, strided<[771, 1], offset: ?>>, vector<3xf32>
// AVX512: vector.maskedstore
// AVX512: vector.store %{{.+}} {alignment = 64 : i64, nontemporal = true} : memref<1x752xf32, strided<[771, 1], offset: ?>>, vector<64xf32>
// AVX512: vector.maskedstore
// CACHED-LABEL: func.func @dyt_771
func.func @dyt_771(%x: tensor<8x771xf32>, %a: f32, %g: tensor<771xf32>, %b: tensor<771xf32>) -> tensor<8x771xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<771xf32>) beta(%b : tensor<771xf32>) : tensor<8x771xf32> -> tensor<8x771xf32>
  return %y : tensor<8x771xf32>
}
