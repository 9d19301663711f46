// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(convert-dyt-to-linalg,func.func(dyt-cpu-tile-and-fuse{vector-bits=512}),cse)" | FileCheck %s
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(convert-dyt-to-linalg,func.func(dyt-cpu-tile-and-fuse{vector-bits=512 align-row-heads=false}),cse)" | FileCheck %s --check-prefix=OFF
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(convert-dyt-to-linalg,func.func(dyt-cpu-tile-and-fuse{vector-bits=256}),cse)" | FileCheck %s --check-prefix=AVX2
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(convert-dyt-to-linalg,func.func(dyt-cpu-tile-and-fuse{vector-bits=256 streaming-stores=false}),cse)" | FileCheck %s --check-prefix=AVX2-CACHED
// 128-bit vectors (SSE, NEON: no masked stores) were not measured: nothing is split.
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(convert-dyt-to-linalg,func.func(dyt-cpu-tile-and-fuse{vector-bits=128}),cse)" | FileCheck %s --check-prefix=SSE --implicit-check-not="mod 16"

// Step 1b splits each row an scf.forall writes at its first 64-byte line:
// head [0, h) with h = (-rowStart) mod line, a static body of whole lines
// tiled as in step 2, and the rest. Negative cases leave the row alone.

// 771 f32 rows: row i starts at 771 * i, so its head is (-771 * i) mod 16.
// CHECK-DAG: #[[HEAD:.+]] = affine_map<()[s0] -> ((s0 * -771) mod 16)>
// CHECK-DAG: #[[REST_AT:.+]] = affine_map<()[s0] -> ((s0 * -771) mod 16 + 752)>
// The rest, 19 - h, as the simplifier writes it.
// CHECK-DAG: #[[REST_SIZE:.+]] = affine_map<()[s0] -> (s0 * 771 + ((s0 * -771) floordiv 16) * 16 + 19)>
// CHECK-LABEL: func.func @rms_norm_771
// CHECK: scf.forall (%[[I:.+]]) in (8)
// The row sums are not split: only the row's result is.
// CHECK: scf.for %{{.+}} = %c0 to %c768 step %c64 iter_args(%{{.+}} = %{{.+}}) -> (tensor<1x64xf32>)
// CHECK: %[[ROW:.+]] = tensor.extract_slice %{{.+}}[%[[I]], 0] [1, 771] [1, 1] : tensor<8x771xf32> to tensor<1x771xf32>
// CHECK: %[[H:.+]] = affine.apply #[[HEAD]]()[%[[I]]]
// CHECK: %[[HEAD_OUT:.+]] = tensor.extract_slice %[[ROW]][0, 0] [1, %[[H]]] [1, 1]
// CHECK: %[[HEAD_OP:.+]] = linalg.generic {{.+}} outs(%[[HEAD_OUT]] : tensor<1x?xf32>)
// CHECK: %[[WITH_HEAD:.+]] = tensor.insert_slice %[[HEAD_OP]] into %[[ROW]][0, 0] [1, %[[H]]]
// CHECK: %[[BODY:.+]] = tensor.extract_slice %[[WITH_HEAD]][0, %[[H]]] [1, 752] [1, 1] : tensor<1x771xf32> to tensor<1x752xf32>
// CHECK: %[[LOOP:.+]] = scf.for %{{.+}} = %c0 to %c704 step %c64 iter_args(%{{.+}} = %[[BODY]]) -> (tensor<1x752xf32>)
// CHECK: } -> tensor<1x64xf32>
// CHECK: } -> tensor<1x48xf32>
// CHECK: %[[WITH_BODY:.+]] = tensor.insert_slice %{{.+}} into %[[WITH_HEAD]][0, %[[H]]] [1, 752] [1, 1]
// CHECK: %[[R:.+]] = affine.apply #[[REST_AT]]()[%[[I]]]
// CHECK: %[[RS:.+]] = affine.apply #[[REST_SIZE]]()[%[[I]]]
// CHECK: %[[REST_OUT:.+]] = tensor.extract_slice %[[WITH_BODY]][0, %[[R]]] [1, %[[RS]]] [1, 1] : tensor<1x771xf32> to tensor<1x?xf32>
// CHECK-NOT: scf.for
// CHECK: %[[REST_OP:.+]] = linalg.generic {{.+}} outs(%[[REST_OUT]] : tensor<1x?xf32>)
// CHECK: %[[DONE:.+]] = tensor.insert_slice %[[REST_OP]] into %[[WITH_BODY]][0, %[[R]]]
// CHECK: tensor.parallel_insert_slice %[[DONE]] into %{{.+}}[%[[I]], 0] [1, 771] [1, 1]

// With 256-bit vectors (AVX2) only a row written after a reduction of the
// same iteration (a norm's output pass) is split, and only when the results
// stream: the body is tiled by 4 x 8 lanes, 752 = 23 * 32 + 16.
// AVX2-LABEL: func.func @rms_norm_771
// AVX2: scf.for %{{.+}} = %c0 to %c768 step %c32 iter_args(%{{.+}} = %{{.+}}) -> (tensor<1x32xf32>)
// AVX2: %[[H:.+]] = affine.apply #{{.+}}()[%{{.+}}]
// AVX2: } -> tensor<1x?xf32>
// AVX2: scf.for %{{.+}} = %c0 to %c736 step %c32 iter_args(%{{.+}} = %{{.+}}) -> (tensor<1x752xf32>)
// AVX2: } -> tensor<1x16xf32>
// AVX2: } -> tensor<1x?xf32>
// AVX2: scf.forall.in_parallel
// A DyT row has no reduction before it.
// AVX2-LABEL: func.func @dyt_3d
// AVX2-NOT: affine.apply
// AVX2: scf.forall.in_parallel

// SSE-LABEL: func.func @rms_norm_771
// AVX2-CACHED-NOT: mod 16
// AVX2-CACHED-LABEL: func.func @rms_norm_771
// AVX2-CACHED-NOT: affine.apply
// AVX2-CACHED: scf.forall.in_parallel

// OFF-NOT: mod 16
// OFF-LABEL: func.func @rms_norm_771
// OFF-NOT: affine.apply
// OFF: scf.for %{{.+}} = %c0 to %c768 step %c64 iter_args(%{{.+}} = %{{.+}}) -> (tensor<1x771xf32>)
// OFF: } -> tensor<1x3xf32>

func.func @rms_norm_771(%x: tensor<8x771xf32>, %g: tensor<771xf32>) -> tensor<8x771xf32> {
  %y = dyt.rms_norm %x gamma(%g : tensor<771xf32>) : tensor<8x771xf32> -> tensor<8x771xf32>
  return %y : tensor<8x771xf32>
}

// -----

// A row of a 3-D result starts at 500 * i + 100 * j; the simplifier writes
// its (-rowStart) mod 16 with a floordiv.
// CHECK-DAG: #[[HEAD3:.+]] = affine_map<()[s0, s1] -> (s0 * -500 - s1 * 100 - ((s0 * -125 - s1 * 25) floordiv 4) * 16)>
// CHECK-LABEL: func.func @dyt_3d
// CHECK: scf.forall (%[[I:.+]], %[[J:.+]]) in (%{{.+}}, 5)
// CHECK: %[[H:.+]] = affine.apply #[[HEAD3]]()[%[[I]], %[[J]]]
// CHECK: } -> tensor<1x1x?xf32>
// The 80-element body: one whole tile and a static 16, no loop, no mask.
// CHECK: } -> tensor<1x1x64xf32>
// CHECK: } -> tensor<1x1x16xf32>
// CHECK: } -> tensor<1x1x?xf32>
// CHECK: scf.forall.in_parallel

// OFF-LABEL: func.func @dyt_3d
// OFF-NOT: affine.apply
// OFF: scf.forall.in_parallel

func.func @dyt_3d(%x: tensor<?x5x100xf32>, %a: f32, %g: tensor<100xf32>, %b: tensor<100xf32>) -> tensor<?x5x100xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<100xf32>) beta(%b : tensor<100xf32>) : tensor<?x5x100xf32> -> tensor<?x5x100xf32>
  return %y : tensor<?x5x100xf32>
}

// -----

// 768 is a whole number of lines: every row starts on one.
// CHECK-LABEL: func.func @aligned_width
// CHECK-NOT: affine.apply
// CHECK: scf.for %{{.+}} = %c0 to %c768 step %c64
// CHECK-NOT: affine.apply
// CHECK: scf.forall.in_parallel

func.func @aligned_width(%x: tensor<8x768xf32>, %a: f32, %g: tensor<768xf32>, %b: tensor<768xf32>) -> tensor<8x768xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<768xf32>) beta(%b : tensor<768xf32>) : tensor<8x768xf32> -> tensor<8x768xf32>
  return %y : tensor<8x768xf32>
}

// -----

// 2-byte elements are left alone (measured: the split costs more there).
// CHECK-LABEL: func.func @bf16_rows
// CHECK-NOT: affine.apply
// CHECK: scf.for %{{.+}} = %c0 to %c768 step %c64
// CHECK-NOT: affine.apply
// CHECK: scf.forall.in_parallel

func.func @bf16_rows(%x: tensor<8x771xbf16>, %a: f32, %g: tensor<771xbf16>, %b: tensor<771xbf16>) -> tensor<8x771xbf16> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<771xbf16>) beta(%b : tensor<771xbf16>) : tensor<8x771xbf16> -> tensor<8x771xbf16>
  return %y : tensor<8x771xbf16>
}

// -----

// A dynamic width gives no static row start. (The maps of a chunk are
// printed before its function: the NOT covers them from the last label on.)
// CHECK-NOT: mod 16
// CHECK-LABEL: func.func @dynamic_width
// CHECK: scf.forall.in_parallel

func.func @dynamic_width(%x: tensor<8x?xf32>, %a: f32, %g: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<8x?xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<?xf32>) beta(%b : tensor<?xf32>) : tensor<8x?xf32> -> tensor<8x?xf32>
  return %y : tensor<8x?xf32>
}

// -----

// Under two lines there is no whole line after every possible head.
// CHECK-LABEL: func.func @narrower_than_a_line
// CHECK-NOT: affine.apply
// CHECK: } -> tensor<1x15xf32>
// CHECK-NOT: affine.apply
// CHECK: scf.forall.in_parallel

func.func @narrower_than_a_line(%x: tensor<8x15xf32>, %a: f32, %g: tensor<15xf32>, %b: tensor<15xf32>) -> tensor<8x15xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<15xf32>) beta(%b : tensor<15xf32>) : tensor<8x15xf32> -> tensor<8x15xf32>
  return %y : tensor<8x15xf32>
}

// -----

// Between one and two lines (20 f32) no head leaves a whole line after it.
// CHECK-LABEL: func.func @under_two_lines
// CHECK-NOT: affine.apply
// CHECK: } -> tensor<1x20xf32>
// CHECK-NOT: affine.apply
// CHECK: scf.forall.in_parallel

func.func @under_two_lines(%x: tensor<8x20xf32>, %a: f32, %g: tensor<20xf32>, %b: tensor<20xf32>) -> tensor<8x20xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<20xf32>) beta(%b : tensor<20xf32>) : tensor<8x20xf32> -> tensor<8x20xf32>
  return %y : tensor<8x20xf32>
}

// -----

// One row gets no scf.forall, and starts on a line anyway.
// CHECK-LABEL: func.func @single_row
// CHECK-NOT: affine.apply
// CHECK: scf.for %{{.+}} = %c0 to %c768 step %c64
// CHECK-NOT: affine.apply
// CHECK: return

func.func @single_row(%x: tensor<1x771xf32>, %a: f32, %g: tensor<771xf32>, %b: tensor<771xf32>) -> tensor<1x771xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<771xf32>) beta(%b : tensor<771xf32>) : tensor<1x771xf32> -> tensor<1x771xf32>
  return %y : tensor<1x771xf32>
}

// -----

// A forall written by hand, its op reading the init: split all the same.
// CHECK-LABEL: func.func @user_forall_reads_init
// CHECK: affine.apply
// CHECK: } -> tensor<1x?xf32>
// CHECK: } -> tensor<1x48xf32>
// CHECK: } -> tensor<1x?xf32>

#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @user_forall_reads_init(%x: tensor<8x771xf32>, %init: tensor<8x771xf32>) -> tensor<8x771xf32> {
  %r = scf.forall (%i) in (8) shared_outs(%o = %init) -> (tensor<8x771xf32>) {
    %in = tensor.extract_slice %x[%i, 0] [1, 771] [1, 1] : tensor<8x771xf32> to tensor<1x771xf32>
    %out = tensor.extract_slice %o[%i, 0] [1, 771] [1, 1] : tensor<8x771xf32> to tensor<1x771xf32>
    %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%in : tensor<1x771xf32>) outs(%out : tensor<1x771xf32>) {
    ^bb0(%a: f32, %b: f32):
      %t = arith.addf %a, %b : f32
      linalg.yield %t : f32
    } -> tensor<1x771xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %y into %o[%i, 0] [1, 771] [1, 1] : tensor<1x771xf32> into tensor<8x771xf32>
    }
  }
  return %r : tensor<8x771xf32>
}

// -----

// Tiles of two rows: one head would align only the first row.
// CHECK-NOT: mod 16
// CHECK-LABEL: func.func @two_row_tiles
// CHECK-NOT: affine.apply #{{.+}}()[%{{.+}}]
// CHECK: scf.for %{{.+}} = %c0 to %c2 step %c1
// CHECK-NOT: affine.apply #{{.+}}()[%{{.+}}]
// CHECK: scf.forall.in_parallel

#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @two_row_tiles(%x: tensor<8x771xf32>, %init: tensor<8x771xf32>) -> tensor<8x771xf32> {
  %r = scf.forall (%i) = (0) to (8) step (2) shared_outs(%o = %init) -> (tensor<8x771xf32>) {
    %in = tensor.extract_slice %x[%i, 0] [2, 771] [1, 1] : tensor<8x771xf32> to tensor<2x771xf32>
    %out = tensor.extract_slice %o[%i, 0] [2, 771] [1, 1] : tensor<8x771xf32> to tensor<2x771xf32>
    %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%in : tensor<2x771xf32>) outs(%out : tensor<2x771xf32>) {
    ^bb0(%a: f32, %b: f32):
      %t = arith.addf %a, %b : f32
      linalg.yield %t : f32
    } -> tensor<2x771xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %y into %o[%i, 0] [2, 771] [1, 1] : tensor<2x771xf32> into tensor<8x771xf32>
    }
  }
  return %r : tensor<8x771xf32>
}

// -----

// A hand-written forall whose row op reads the forall's own row sum: split
// with 256-bit vectors too.
// AVX2-LABEL: func.func @after_own_reduction
// AVX2: scf.for %{{.+}} = %c0 to %c768 step %c32 iter_args(%{{.+}} = %{{.+}}) -> (tensor<1x32xf32>)
// AVX2: affine.apply
// AVX2: } -> tensor<1x?xf32>
// AVX2: } -> tensor<1x16xf32>
// AVX2: } -> tensor<1x?xf32>
// AVX2: scf.forall.in_parallel

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @after_own_reduction(%x: tensor<8x771xf32>, %init: tensor<8x771xf32>) -> tensor<8x771xf32> {
  %zero = arith.constant 0.0 : f32
  %r = scf.forall (%i) in (8) shared_outs(%o = %init) -> (tensor<8x771xf32>) {
    %in = tensor.extract_slice %x[%i, 0] [1, 771] [1, 1] : tensor<8x771xf32> to tensor<1x771xf32>
    %e = tensor.empty() : tensor<1xf32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1xf32>) -> tensor<1xf32>
    %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%in : tensor<1x771xf32>) outs(%z : tensor<1xf32>) {
    ^bb0(%a: f32, %acc: f32):
      %t = arith.addf %a, %acc : f32
      linalg.yield %t : f32
    } -> tensor<1xf32>
    %out = tensor.extract_slice %o[%i, 0] [1, 771] [1, 1] : tensor<8x771xf32> to tensor<1x771xf32>
    %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%in, %sum : tensor<1x771xf32>, tensor<1xf32>) outs(%out : tensor<1x771xf32>) {
    ^bb0(%a: f32, %s: f32, %b: f32):
      %d = arith.subf %a, %s : f32
      %t = arith.addf %d, %b : f32
      linalg.yield %t : f32
    } -> tensor<1x771xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %y into %o[%i, 0] [1, 771] [1, 1] : tensor<1x771xf32> into tensor<8x771xf32>
    }
  }
  return %r : tensor<8x771xf32>
}

// -----

// The same row op reading sums computed before the forall (in a loop of
// their own): not a reduction of the same iteration, so not split with
// 256-bit vectors (with 512 it is).
// AVX2-NOT: mod 16
// AVX2-LABEL: func.func @after_earlier_reduction
// AVX2: scf.forall
// AVX2: scf.forall
// AVX2-NOT: affine.apply
// AVX2: scf.forall.in_parallel
// CHECK-LABEL: func.func @after_earlier_reduction
// CHECK: affine.apply
// CHECK: } -> tensor<1x?xf32>

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @after_earlier_reduction(%x: tensor<8x771xf32>, %init: tensor<8x771xf32>) -> tensor<8x771xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<8xf32>) -> tensor<8xf32>
  %sums = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<8x771xf32>) outs(%z : tensor<8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %t = arith.addf %a, %acc : f32
    linalg.yield %t : f32
  } -> tensor<8xf32>
  %r = scf.forall (%i) in (8) shared_outs(%o = %init) -> (tensor<8x771xf32>) {
    %in = tensor.extract_slice %x[%i, 0] [1, 771] [1, 1] : tensor<8x771xf32> to tensor<1x771xf32>
    %sum = tensor.extract_slice %sums[%i] [1] [1] : tensor<8xf32> to tensor<1xf32>
    %out = tensor.extract_slice %o[%i, 0] [1, 771] [1, 1] : tensor<8x771xf32> to tensor<1x771xf32>
    %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%in, %sum : tensor<1x771xf32>, tensor<1xf32>) outs(%out : tensor<1x771xf32>) {
    ^bb0(%a: f32, %s: f32, %b: f32):
      %d = arith.subf %a, %s : f32
      %t = arith.addf %d, %b : f32
      linalg.yield %t : f32
    } -> tensor<1x771xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %y into %o[%i, 0] [1, 771] [1, 1] : tensor<1x771xf32> into tensor<8x771xf32>
    }
  }
  return %r : tensor<8x771xf32>
}

// -----

// A norm whose result feeds a matmul, not the function's result: its row
// stores do not stream, so with 256-bit vectors it is not split.
// AVX2-NOT: mod 16
// AVX2-LABEL: func.func @norm_into_matmul
// AVX2-NOT: affine.apply
// AVX2: linalg.contract
// CHECK-LABEL: func.func @norm_into_matmul
// CHECK: affine.apply
// CHECK: } -> tensor<1x?xf32>

func.func @norm_into_matmul(%x: tensor<8x771xf32>, %g: tensor<771xf32>, %w: tensor<771x16xf32>) -> tensor<8x16xf32> {
  %y = dyt.rms_norm %x gamma(%g : tensor<771xf32>) : tensor<8x771xf32> -> tensor<8x771xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x16xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  %m = linalg.matmul ins(%y, %w : tensor<8x771xf32>, tensor<771x16xf32>) outs(%z : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %m : tensor<8x16xf32>
}

// -----

// A LayerNorm followed by DyT: the tanh is fused into the norm's output
// pass, which is then bound by its arithmetic, as DyT is: with 256-bit
// vectors it is not split.
// AVX2-NOT: mod 16
// AVX2-LABEL: func.func @norm_then_dyt
// AVX2-NOT: affine.apply
// AVX2: scf.forall.in_parallel
// CHECK-LABEL: func.func @norm_then_dyt
// CHECK: affine.apply
// CHECK: } -> tensor<1x?xf32>

func.func @norm_then_dyt(%x: tensor<8x771xf32>, %g: tensor<771xf32>, %b: tensor<771xf32>, %a: f32) -> tensor<8x771xf32> {
  %y = dyt.layer_norm %x gamma(%g : tensor<771xf32>) beta(%b : tensor<771xf32>) : tensor<8x771xf32> -> tensor<8x771xf32>
  %t = dyt.dyt %y alpha(%a : f32) gamma(%g : tensor<771xf32>) beta(%b : tensor<771xf32>) : tensor<8x771xf32> -> tensor<8x771xf32>
  return %t : tensor<8x771xf32>
}

// -----

// The row sum reaches the row op through a value its body captures.
// AVX2-LABEL: func.func @captured_reduction
// AVX2: affine.apply
// AVX2: } -> tensor<1x?xf32>
// AVX2: } -> tensor<1x16xf32>
// AVX2: } -> tensor<1x?xf32>

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @captured_reduction(%x: tensor<8x771xf32>, %init: tensor<8x771xf32>) -> tensor<8x771xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %r = scf.forall (%i) in (8) shared_outs(%o = %init) -> (tensor<8x771xf32>) {
    %in = tensor.extract_slice %x[%i, 0] [1, 771] [1, 1] : tensor<8x771xf32> to tensor<1x771xf32>
    %e = tensor.empty() : tensor<1xf32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1xf32>) -> tensor<1xf32>
    %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%in : tensor<1x771xf32>) outs(%z : tensor<1xf32>) {
    ^bb0(%a: f32, %acc: f32):
      %t = arith.addf %a, %acc : f32
      linalg.yield %t : f32
    } -> tensor<1xf32>
    %s = tensor.extract %sum[%c0] : tensor<1xf32>
    %out = tensor.extract_slice %o[%i, 0] [1, 771] [1, 1] : tensor<8x771xf32> to tensor<1x771xf32>
    %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%in : tensor<1x771xf32>) outs(%out : tensor<1x771xf32>) {
    ^bb0(%a: f32, %b: f32):
      %d = arith.subf %a, %s : f32
      %t = arith.addf %d, %b : f32
      linalg.yield %t : f32
    } -> tensor<1x771xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %y into %o[%i, 0] [1, 771] [1, 1] : tensor<1x771xf32> into tensor<8x771xf32>
    }
  }
  return %r : tensor<8x771xf32>
}
