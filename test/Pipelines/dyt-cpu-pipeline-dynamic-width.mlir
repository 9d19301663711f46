// RUN: dyt-opt %s --pass-pipeline="builtin.module(dyt-cpu-pipeline{vector-bits=512})" --mlir-print-ir-after=dyt-cpu-lower-vectors 2>&1 >/dev/null | FileCheck %s
// RUN: dyt-opt %s --pass-pipeline="builtin.module(dyt-cpu-pipeline{vector-bits=512 peel-partial-tiles=false})" --mlir-print-ir-after=dyt-cpu-lower-vectors 2>&1 >/dev/null | FileCheck %s --check-prefix=NOPEEL --implicit-check-not=nontemporal --implicit-check-not=scf.if
// RUN: dyt-opt %s --pass-pipeline="builtin.module(dyt-cpu-pipeline{vector-bits=512 streaming-stores=false})" --mlir-print-ir-after=dyt-cpu-lower-vectors 2>&1 >/dev/null | FileCheck %s --check-prefix=CACHED --implicit-check-not=nontemporal --implicit-check-not=scf.if

// DyT of a dynamic width. Each row's loop runs whole tiles of 64 lanes
// without masks, and one peeled remainder loop with them. The row loop nest
// exists twice: if the row stride is a multiple of 16 f32 (a 64-byte line),
// the whole tiles stream with 64-byte aligned stores; else they are cached
// (rows of ?x4001 would make every streaming store unaligned).
// CHECK-LABEL: IR Dump After DytCpuLowerVectorsPass
// CHECK:         %{{.*}}, %{{.*}}, %{{.*}}:2, %[[STRIDES:.*]]:2 = memref.extract_strided_metadata
// CHECK:         arith.remui %[[STRIDES]]#0
// CHECK:         scf.if
// CHECK:           scf.forall
// CHECK:             scf.for
// CHECK:               vector.store {{.*}} {alignment = 64 : i64, nontemporal = true} : {{.*}}, vector<64xf32>
// CHECK:             scf.for
// CHECK:               vector.maskedstore
// CHECK:         } else {
// CHECK:           scf.forall
// CHECK:             scf.for
// CHECK-NOT:           nontemporal
// CHECK:               vector.store {{.*}} : {{.*}}, vector<64xf32>
// CHECK:             scf.for
// CHECK:               vector.maskedstore
// CHECK-NOT:     nontemporal
// CHECK:         return

// Without peeling every tile is masked: no unmasked store, so nothing to
// stream and nothing to version.
// NOPEEL-LABEL: IR Dump After DytCpuLowerVectorsPass
// NOPEEL:         vector.maskedstore
// NOPEEL-NOT:     vector.store {{.*}} : {{.*}}, vector<64xf32>
// NOPEEL:         return

// Without streaming stores there is nothing to version either.
// CACHED-LABEL: IR Dump After DytCpuLowerVectorsPass
// CACHED:         vector.store {{.*}} : {{.*}}, vector<64xf32>
// CACHED:         vector.maskedstore
// CACHED:         return
func.func @dyt(%x: tensor<?x?xf32>, %a: f32, %g: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?x?xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<?xf32>) beta(%b : tensor<?xf32>) : tensor<?x?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
