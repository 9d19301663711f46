// The whole CPU pipeline, fast and reference, down to the LLVM dialect.
// RUN: dyt-opt %s --pass-pipeline="builtin.module(dyt-cpu-pipeline{vector-bits=512})" | FileCheck %s --check-prefix=FAST
// RUN: dyt-opt %s --pass-pipeline="builtin.module(dyt-cpu-pipeline{vector-bits=256})" | FileCheck %s --check-prefix=AVX2
// RUN: dyt-opt %s --pass-pipeline="builtin.module(dyt-cpu-pipeline{fast-tanh=false})" | FileCheck %s --check-prefix=LIBM
// RUN: dyt-opt %s --pass-pipeline="builtin.module(dyt-cpu-pipeline{parallel=true})" | FileCheck %s --check-prefix=OMP
// RUN: dyt-opt %s --dyt-cpu-reference-pipeline | FileCheck %s --check-prefix=REF
// RUN: dyt-opt %s --pass-pipeline="builtin.module(dyt-cpu-pipeline{vector-bits=256 contract-float-ops=false})" | FileCheck %s --check-prefix=NOCONTRACT --implicit-check-not=contract
// RUN: dyt-opt %s --pass-pipeline="builtin.module(dyt-cpu-pipeline{vector-bits=512 prefetch-distance=0})" | FileCheck %s --check-prefix=NOPREFETCH --implicit-check-not=llvm.intr.prefetch
// RUN: dyt-opt %s --pass-pipeline="builtin.module(dyt-cpu-pipeline{vector-bits=256})" --mlir-print-ir-after=buffer-loop-hoisting 2>&1 >/dev/null | FileCheck %s --check-prefix=HOIST

// Fast: 4 vectors of the target's width per step, the rational tanh (FMAs
// and one divide), nothing but the LLVM dialect left. x is prefetched 4 KiB
// ahead, once per cache line of the step (dyt-cpu-prefetch); gamma and beta
// are not.
// FAST-LABEL: llvm.func @dyt
// FAST-NOT:     llvm.intr.tanh
// FAST-COUNT-4: llvm.intr.prefetch
// FAST-NOT:     llvm.intr.prefetch
// NOPREFETCH-LABEL: llvm.func @dyt
// FAST:         llvm.intr.fma{{.*}}vector<64xf32>
// FAST:         llvm.fdiv{{.*}}vector<64xf32>
// FAST-NOT:     {{linalg|scf|vector|memref|math|arith}}.
// AVX2-LABEL: llvm.func @dyt
// gamma * tanh + beta may become one FMA (dyt-contract-float-ops); the
// tanh's own multiplies stay as written (its error bound is for them).
// AVX2:         llvm.fmul {{.*}} {fastmathFlags = #llvm.fastmath<contract>} : vector<32xf32>
// AVX2:         %[[Y2:.*]] = llvm.fmul %[[Y:.*]], %[[Y]] : vector<32xf32>
// AVX2:         llvm.intr.fma{{.*}}vector<32xf32>
// AVX2:         %[[T:.*]] = llvm.fdiv
// AVX2-NEXT:    %[[GT:.*]] = llvm.fmul %[[T]], %{{.*}} {fastmathFlags = #llvm.fastmath<contract>} : vector<32xf32>
// AVX2-NEXT:    llvm.fadd %[[GT]], %{{.*}} {fastmathFlags = #llvm.fastmath<contract>} : vector<32xf32>
// NOCONTRACT-LABEL: llvm.func @dyt
// NOCONTRACT:         llvm.fdiv
// NOCONTRACT-NEXT:    llvm.fmul
// NOCONTRACT-NEXT:    llvm.fadd
// LIBM-LABEL: llvm.func @dyt
// LIBM:         llvm.intr.tanh{{.*}}vector<
// OMP-LABEL: llvm.func @dyt
// OMP:         omp.parallel
// OMP:           omp.wsloop
// Reference: scalar loops and libm's tanh.
// REF-LABEL: llvm.func @dyt
// REF-NOT:     {{vector<|contract}}
// REF:         llvm.intr.tanh({{.*}}) : (f32) -> f32
func.func @dyt(%x: tensor<8x768xf32>, %a: f32, %g: tensor<768xf32>, %b: tensor<768xf32>) -> tensor<8x768xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<768xf32>) beta(%b : tensor<768xf32>) : tensor<8x768xf32> -> tensor<8x768xf32>
  return %y : tensor<8x768xf32>
}

// A norm: no allocation per row (the statistics stay in registers), a
// horizontal reduction per row. Two allocations before the first loop: the
// result, and bf16 gamma widened to f32 once (freed after the row loop).
// The sum of squares keeps a plain add: it is the reduction's loop-carried
// accumulator, and contracted its chain would wait for FMAs.
// AVX2-LABEL: llvm.func @rms_norm
// AVX2:         %[[SQ:.*]] = llvm.fmul %[[V:.*]], %[[V]] {fastmathFlags = #llvm.fastmath<contract>} : vector<32xf32>
// AVX2-NEXT:    llvm.fadd %{{.*}}, %[[SQ]] : vector<32xf32>
// FAST-LABEL: llvm.func @rms_norm
// FAST:         llvm.call @malloc
// FAST:         llvm.call @malloc
// FAST-NOT:     llvm.call @malloc
// FAST:         llvm.br
// FAST-NOT:     llvm.call @malloc
// FAST:         llvm.intr.vector.reduce.fadd
// FAST-NOT:     llvm.call @malloc
// FAST:         llvm.call @free
// FAST-NOT:     llvm.call @free
// FAST:         llvm.return
func.func @rms_norm(%x: tensor<?x4096xbf16>, %g: tensor<4096xbf16>) -> tensor<?x4096xbf16> {
  %y = dyt.rms_norm %x gamma(%g : tensor<4096xbf16>) : tensor<?x4096xbf16> -> tensor<?x4096xbf16>
  return %y : tensor<?x4096xbf16>
}

// A matmul: register-tiled FMAs on vectors, not scalar triple loops, and
// no prefetches (no load walks the contiguous dim along the k loop, and the
// loop is bound by its FMAs).
// FAST-LABEL: llvm.func @matmul
// FAST-NOT:     llvm.intr.prefetch
// FAST:         llvm.intr.fmuladd{{.*}}vector<32xf32>
// FAST-NOT:     llvm.intr.prefetch
// REF-LABEL: llvm.func @matmul
// REF-NOT:     vector<
func.func @matmul(%a: tensor<64x128xf32>, %b: tensor<128x96xf32>) -> tensor<64x96xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x96xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<64x96xf32>) -> tensor<64x96xf32>
  %c = linalg.matmul ins(%a, %b : tensor<64x128xf32>, tensor<128x96xf32>) outs(%f : tensor<64x96xf32>) -> tensor<64x96xf32>
  return %c : tensor<64x96xf32>
}

// A returned argument is cloned for the caller to own, and the clone lowers.
// FAST-LABEL: llvm.func @identity
// FAST-NOT:     unrealized_conversion_cast
// FAST:         llvm.return
// REF-LABEL: llvm.func @identity
// REF-NOT:     unrealized_conversion_cast
func.func @identity(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  return %x : tensor<?x8xf32>
}

// A matmul with a DyT epilogue: each register tile (6 x 16 on AVX2, and
// the 4-row remainder) accumulates into a small buffer of its own, which
// is allocated once, before the tile loops, not once per tile.
// HOIST-LABEL: func.func @matmul_dyt
// HOIST:         memref.alloc() {{.*}} : memref<6x16xf32>
// HOIST-NEXT:    memref.alloc() {{.*}} : memref<4x16xf32>
// HOIST-NEXT:    scf.for
// HOIST-NOT:     memref.alloc
// HOIST:         return
func.func @matmul_dyt(%a: tensor<64x128xf32>, %b: tensor<128x96xf32>, %al: f32, %g: tensor<96xf32>, %be: tensor<96xf32>) -> tensor<64x96xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x96xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<64x96xf32>) -> tensor<64x96xf32>
  %c = linalg.matmul ins(%a, %b : tensor<64x128xf32>, tensor<128x96xf32>) outs(%f : tensor<64x96xf32>) -> tensor<64x96xf32>
  %y = dyt.dyt %c alpha(%al : f32) gamma(%g : tensor<96xf32>) beta(%be : tensor<96xf32>) : tensor<64x96xf32> -> tensor<64x96xf32>
  return %y : tensor<64x96xf32>
}

// Two DyTs sharing bf16 gamma and beta: each is widened to f32 once for
// both (the two widenings dyt-cpu-tile-and-fuse makes are identical, and CSE
// keeps one). Four allocations: the two results and the two f32 copies.
// AVX2-LABEL: llvm.func @shared_gamma
// AVX2-COUNT-4: llvm.call @malloc
// AVX2-NOT:     llvm.call @malloc
// AVX2:         llvm.return
func.func @shared_gamma(%x: tensor<64x4096xbf16>, %y: tensor<64x4096xbf16>, %a: f32, %g: tensor<4096xbf16>, %b: tensor<4096xbf16>) -> (tensor<64x4096xbf16>, tensor<64x4096xbf16>) {
  %1 = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<4096xbf16>) beta(%b : tensor<4096xbf16>) : tensor<64x4096xbf16> -> tensor<64x4096xbf16>
  %2 = dyt.dyt %y alpha(%a : f32) gamma(%g : tensor<4096xbf16>) beta(%b : tensor<4096xbf16>) : tensor<64x4096xbf16> -> tensor<64x4096xbf16>
  return %1, %2 : tensor<64x4096xbf16>, tensor<64x4096xbf16>
}

// A norm of a width the 64-lane tile does not divide (1000 = 15 * 64 + 40):
// the peeled last tile of each row sum updates the accumulator's first 40
// lanes in registers (dyt-forward-partial-transfers), so the only
// allocation is the result's, before the row loop.
// FAST-LABEL: llvm.func @rms_norm_odd_width
// FAST:         llvm.call @malloc
// FAST-NOT:     llvm.call @malloc
// FAST:         llvm.intr.vector.reduce.fadd
// FAST-NOT:     llvm.call @malloc
// FAST:         llvm.return
func.func @rms_norm_odd_width(%x: tensor<8x1000xf32>, %g: tensor<1000xf32>) -> tensor<8x1000xf32> {
  %y = dyt.rms_norm %x gamma(%g : tensor<1000xf32>) : tensor<8x1000xf32> -> tensor<8x1000xf32>
  return %y : tensor<8x1000xf32>
}
