// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(dyt-cpu-pipeline{vector-bits=512})" --mlir-print-ir-after=dyt-cpu-lower-vectors 2>&1 >/dev/null | FileCheck %s

// A norm of a dynamic width. The row sums' last, partial tile is a loop of
// zero or one step with a masked load; its 64-lane accumulator is carried
// through that loop as a vector (dyt-forward-partial-transfers), so no row
// allocates a buffer for it or stores it under a mask and loads it back.
// The only allocation in the row loop nest would be that buffer: there is
// none, and the only masked stores are of the result's last tile. The row
// loop nest is there twice, versioned on the row stride (aligned streaming
// stores or cached ones): both copies are checked.
// CHECK-LABEL: IR Dump After DytCpuLowerVectorsPass
// CHECK:         func.func @rms_norm
// CHECK:         scf.forall
// CHECK-NOT:       memref.alloc
// CHECK:           %[[WHOLE:.*]] = scf.for {{.*}} -> (vector<64xf32>)
// CHECK-NOT:       vector.maskedstore
// CHECK:           %[[SUM:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[WHOLE]]) -> (vector<64xf32>)
// CHECK:             vector.maskedload {{.*}} : memref<1x?xf32, {{.*}}>, vector<63xi1>, vector<63xf32> into vector<63xf32>
// CHECK-NOT:         vector.maskedload
// CHECK-NOT:         vector.maskedstore
// CHECK:           vector.reduction <add>, %[[SUM]]
// CHECK-NOT:       memref.alloc
// CHECK:           vector.maskedstore {{.*}} : memref<1x?xf32, {{.*}}>, vector<63xi1>, vector<63xf32>
// CHECK:         } else {
// CHECK:         scf.forall
// CHECK-NOT:       memref.alloc
// CHECK:           %[[WHOLE:.*]] = scf.for {{.*}} -> (vector<64xf32>)
// CHECK-NOT:       vector.maskedstore
// CHECK:           %[[SUM:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[WHOLE]]) -> (vector<64xf32>)
// CHECK:             vector.maskedload {{.*}} : memref<1x?xf32, {{.*}}>, vector<63xi1>, vector<63xf32> into vector<63xf32>
// CHECK-NOT:         vector.maskedload
// CHECK-NOT:         vector.maskedstore
// CHECK:           vector.reduction <add>, %[[SUM]]
// CHECK-NOT:       memref.alloc
// CHECK:           vector.maskedstore {{.*}} : memref<1x?xf32, {{.*}}>, vector<63xi1>, vector<63xf32>
// CHECK:         return
func.func @rms_norm(%x: tensor<?x?xf32>, %g: tensor<?xf32>) -> tensor<?x?xf32> {
  %y = dyt.rms_norm %x gamma(%g : tensor<?xf32>) : tensor<?x?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// LayerNorm of bf16: two row sums (mean, then variance), each carried in a
// vector from its whole tiles through its remainder loop.
// CHECK-LABEL: IR Dump After DytCpuLowerVectorsPass
// CHECK:         func.func @layer_norm
// CHECK:         scf.forall
// CHECK-NOT:       memref.alloc
// CHECK:           %[[MEAN_WHOLE:.*]] = scf.for {{.*}} -> (vector<64xf32>)
// CHECK-NOT:       vector.maskedstore
// CHECK:           %[[MEAN:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[MEAN_WHOLE]]) -> (vector<64xf32>)
// CHECK-NOT:       vector.maskedstore
// CHECK:           vector.reduction <add>, %[[MEAN]]
// CHECK-NOT:       vector.maskedstore
// CHECK:           %[[VAR_WHOLE:.*]] = scf.for {{.*}} -> (vector<64xf32>)
// CHECK-NOT:       vector.maskedstore
// CHECK:           %[[VAR:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[VAR_WHOLE]]) -> (vector<64xf32>)
// CHECK-NOT:       vector.maskedstore
// CHECK:           vector.reduction <add>, %[[VAR]]
// CHECK-NOT:       memref.alloc
// CHECK:           vector.maskedstore {{.*}} : memref<1x?xbf16, {{.*}}>, vector<63xi1>, vector<63xbf16>
// CHECK:         } else {
// CHECK:         scf.forall
// CHECK-NOT:       memref.alloc
// CHECK:           %[[MEAN_WHOLE:.*]] = scf.for {{.*}} -> (vector<64xf32>)
// CHECK-NOT:       vector.maskedstore
// CHECK:           %[[MEAN:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[MEAN_WHOLE]]) -> (vector<64xf32>)
// CHECK-NOT:       vector.maskedstore
// CHECK:           vector.reduction <add>, %[[MEAN]]
// CHECK-NOT:       vector.maskedstore
// CHECK:           %[[VAR_WHOLE:.*]] = scf.for {{.*}} -> (vector<64xf32>)
// CHECK-NOT:       vector.maskedstore
// CHECK:           %[[VAR:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[VAR_WHOLE]]) -> (vector<64xf32>)
// CHECK-NOT:       vector.maskedstore
// CHECK:           vector.reduction <add>, %[[VAR]]
// CHECK-NOT:       memref.alloc
// CHECK:           vector.maskedstore {{.*}} : memref<1x?xbf16, {{.*}}>, vector<63xi1>, vector<63xbf16>
// CHECK:         return
func.func @layer_norm(%x: tensor<?x?xbf16>, %g: tensor<?xbf16>, %b: tensor<?xbf16>) -> tensor<?x?xbf16> {
  %y = dyt.layer_norm %x gamma(%g : tensor<?xbf16>) beta(%b : tensor<?xbf16>) : tensor<?x?xbf16> -> tensor<?x?xbf16>
  return %y : tensor<?x?xbf16>
}
