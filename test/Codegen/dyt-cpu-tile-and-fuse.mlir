// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(convert-dyt-to-linalg,func.func(dyt-cpu-tile-and-fuse{vector-bits=512 align-row-heads=false}),cse)" | FileCheck %s
// RUN: dyt-opt %s -split-input-file --pass-pipeline="builtin.module(convert-dyt-to-linalg,func.func(dyt-cpu-tile-and-fuse{vector-bits=512 align-row-heads=false peel-partial-tiles=false}),cse)" | FileCheck %s --check-prefix=NOPEEL

// LayerNorm: one scf.forall iteration per row, with both reductions, the
// row statistics and the normalisation fused inside it. Each inner loop
// steps by 4 vectors of 16 f32 lanes; a row sum accumulates lane-wise into a
// 64-wide tile and is reduced once after its loop (a partial reduction).
// Tile-and-fuse copies the mean's sum into both of its consumers; CSE
// merges the copies, leaving two passes over the row before the third.
// 64 does not divide 1000: each loop runs its 15 whole tiles (to 960), and
// the last 40 columns are peeled off into a tile of their own, which adds
// into the first 40 lanes of the accumulator before the reduction.
// CHECK-LABEL: func @layer_norm_rows
// CHECK-DAG:     %[[C64:.*]] = arith.constant 64 : index
// CHECK-DAG:     %[[C960:.*]] = arith.constant 960 : index
// CHECK-NOT:     linalg.generic
// CHECK:         scf.forall (%{{.*}}) in (32)
// CHECK:           %[[SUM:.*]] = scf.for %{{.*}} = %{{.*}} to %[[C960]] step %[[C64]] {{.*}} -> (tensor<1x64xf32>)
// CHECK:             linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%{{.*}} : tensor<1x64xf32>)
// CHECK:           %[[LANES:.*]] = tensor.extract_slice %[[SUM]][0, 0] [1, 40]
// CHECK:           %[[TAIL:.*]] = tensor.extract_slice %{{.*}}[0, 960] [1, 40]
// CHECK:           %[[PART:.*]] = linalg.generic {{.*}} ins(%[[TAIL]] : tensor<1x40xf32>) outs(%[[LANES]] : tensor<1x40xf32>)
// CHECK:           %[[ALL:.*]] = tensor.insert_slice %[[PART]] into %[[SUM]][0, 0] [1, 40]
// CHECK:           linalg.reduce ins(%[[ALL]] : tensor<1x64xf32>)
// CHECK:           %[[SQ:.*]] = scf.for %{{.*}} = %{{.*}} to %[[C960]] step %[[C64]] {{.*}} -> (tensor<1x64xf32>)
// CHECK:           %[[SQLANES:.*]] = tensor.extract_slice %[[SQ]][0, 0] [1, 40]
// CHECK:           %[[SQPART:.*]] = linalg.generic {{.*}} outs(%[[SQLANES]] : tensor<1x40xf32>)
// CHECK:           %[[SQALL:.*]] = tensor.insert_slice %[[SQPART]] into %[[SQ]][0, 0] [1, 40]
// CHECK:           linalg.reduce ins(%[[SQALL]] : tensor<1x64xf32>)
// CHECK:           math.rsqrt
// CHECK-NOT:       linalg.reduce
// CHECK:           %[[OUT:.*]] = scf.for %{{.*}} = %{{.*}} to %[[C960]] step %[[C64]] {{.*}} -> (tensor<1x1000xf32>)
// CHECK:             linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%{{.*}} : tensor<1x64xf32>,
// CHECK:           %[[LAST:.*]] = linalg.generic {{.*}} ins(%[[TAIL]], {{.*}} : tensor<1x40xf32>,
// CHECK:           tensor.insert_slice %[[LAST]] into %[[OUT]][0, 960] [1, 40]
// CHECK:           scf.forall.in_parallel
// CHECK-NOT:     linalg.generic
// CHECK:         return
// Without peeling, each loop runs to 1000 and its last tile is partial.
// NOPEEL-LABEL: func @layer_norm_rows
// NOPEEL:         %[[C64:.*]] = arith.constant 64 : index
// NOPEEL-NOT:     linalg.generic
// NOPEEL:         scf.forall (%{{.*}}) in (32)
// NOPEEL:           %[[SUM:.*]] = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C64]] {{.*}} -> (tensor<1x64xf32>)
// NOPEEL:             linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%{{.*}} : tensor<1x?xf32>)
// NOPEEL:           linalg.reduce ins(%[[SUM]] : tensor<1x64xf32>)
// NOPEEL:           %[[SQ:.*]] = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C64]] {{.*}} -> (tensor<1x64xf32>)
// NOPEEL:           linalg.reduce ins(%[[SQ]] : tensor<1x64xf32>)
// NOPEEL:           math.rsqrt
// NOPEEL-NOT:       linalg.reduce
// NOPEEL:           scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C64]] {{.*}} -> (tensor<1x1000xf32>)
// NOPEEL:             linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// NOPEEL-NOT:       linalg.generic
// NOPEEL:           scf.forall.in_parallel
func.func @layer_norm_rows(%x: tensor<32x1000xf32>, %g: tensor<1000xf32>, %b: tensor<1000xf32>) -> tensor<32x1000xf32> {
  %y = dyt.layer_norm %x gamma(%g : tensor<1000xf32>) beta(%b : tensor<1000xf32>) : tensor<32x1000xf32> -> tensor<32x1000xf32>
  return %y : tensor<32x1000xf32>
}

// -----

// DyT followed by a bias add: fused into one elementwise loop nest.
// CHECK-LABEL: func @dyt_then_bias
// CHECK:         scf.forall
// CHECK:           scf.for
// CHECK:             linalg.generic
// CHECK:               math.tanh
// CHECK:               arith.addf
// CHECK:               arith.addf
// CHECK-NOT:     linalg.generic
#id = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>
func.func @dyt_then_bias(%x: tensor<8x768xf32>, %a: f32, %g: tensor<768xf32>, %b: tensor<768xf32>) -> tensor<8x768xf32> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<768xf32>) beta(%b : tensor<768xf32>) : tensor<8x768xf32> -> tensor<8x768xf32>
  %e = tensor.empty() : tensor<8x768xf32>
  %z = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y, %b : tensor<8x768xf32>, tensor<768xf32>) outs(%e : tensor<8x768xf32>) {
  ^bb0(%v: f32, %w: f32, %o: f32):
    %s = arith.addf %v, %w : f32
    linalg.yield %s : f32
  } -> tensor<8x768xf32>
  return %z : tensor<8x768xf32>
}

// -----

// A matmul is tiled for the caches and registers. B is first repacked into
// panels one register tile (2 vectors of 16 lanes) wide, P[N/32][K][32];
// then, per block of up to 256 rows (here one block, so no forall is left),
// register tiles of 8 x 32: N outer, M inner, the fill fused, K stepped one
// at a time over the tile's panel.
// CHECK-LABEL: func @matmul
// CHECK:         %[[PANELS:.*]] = scf.for {{.*}} -> (tensor<3x128x32xf32>)
// CHECK:         scf.for %{{.*}} = %c0 to %c96 step %c32
// CHECK:           scf.for %{{.*}} = %c0 to %c64 step %c8
// CHECK:             linalg.fill
// CHECK:             tensor.extract_slice %[[PANELS]][%{{.*}}, 0, 0] [1, 128, 32] [1, 1, 1] : tensor<3x128x32xf32> to tensor<128x32xf32>
// CHECK:             scf.for %{{.*}} = %c0 to %c128 step %c1
// CHECK:               linalg.contract {{.*}} ins(%{{.*}}, %{{.*}} : tensor<8x1xf32>, tensor<1x32xf32>) outs(%{{.*}} : tensor<8x32xf32>)
func.func @matmul(%a: tensor<64x128xf32>, %b: tensor<128x96xf32>) -> tensor<64x96xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x96xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<64x96xf32>) -> tensor<64x96xf32>
  %c = linalg.matmul ins(%a, %b : tensor<64x128xf32>, tensor<128x96xf32>) outs(%f : tensor<64x96xf32>) -> tensor<64x96xf32>
  return %c : tensor<64x96xf32>
}

// -----

// x @ W^T with odd sizes: W [40, 16] is zero-padded to 64 rows and packed
// into panels [2][16][32] that hold W^T; the register loops over M (20) and
// N (40) are peeled, so full tiles have static sizes and only the last one
// of each loop is partial (single iterations fold away).
// CHECK-LABEL: func @matmul_transpose_b_odd
// CHECK:         tensor.pad %{{.*}} low[0, 0] high[24, 0]
// CHECK:         tensor.expand_shape {{.*}} into tensor<2x32x16xf32>
// CHECK:         scf.for {{.*}} -> (tensor<2x16x32xf32>)
// CHECK:         scf.for %{{.*}} = %c0 to %c16 step %c8
// CHECK:           linalg.contract {{.*}} : tensor<8x1xf32>, tensor<1x32xf32>) outs(%{{.*}} : tensor<8x32xf32>)
// CHECK:         linalg.contract {{.*}} : tensor<4x1xf32>, tensor<1x32xf32>) outs(%{{.*}} : tensor<4x32xf32>)
// CHECK:         scf.for %{{.*}} = %c0 to %c16 step %c8
// CHECK:           linalg.contract {{.*}} : tensor<8x1xf32>, tensor<1x8xf32>) outs(%{{.*}} : tensor<8x8xf32>)
// CHECK:         linalg.contract {{.*}} : tensor<4x1xf32>, tensor<1x8xf32>) outs(%{{.*}} : tensor<4x8xf32>)
func.func @matmul_transpose_b_odd(%x: tensor<20x16xf32>, %w: tensor<40x16xf32>) -> tensor<20x40xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<20x40xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<20x40xf32>) -> tensor<20x40xf32>
  %c = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%x, %w : tensor<20x16xf32>, tensor<40x16xf32>) outs(%f : tensor<20x40xf32>) -> tensor<20x40xf32>
  return %c : tensor<20x40xf32>
}

// -----

// Negative: a producer with a use outside the fusion group (here: returned)
// is not fused into its consumer's loop; it is a root of its own.
// CHECK-LABEL: func @shared_producer
// CHECK:         %[[T:.*]] = scf.forall
// CHECK:           math.tanh
// CHECK:         %[[U:.*]] = scf.forall
// CHECK-NOT:       math.tanh
// CHECK:           arith.mulf
// CHECK:         return %[[U]], %[[T]]
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @shared_producer(%x: tensor<4x64xf32>) -> (tensor<4x64xf32>, tensor<4x64xf32>) {
  %e = tensor.empty() : tensor<4x64xf32>
  %t = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x64xf32>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.tanh %v : f32
    linalg.yield %r : f32
  } -> tensor<4x64xf32>
  %u = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%t : tensor<4x64xf32>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.mulf %v, %v : f32
    linalg.yield %r : f32
  } -> tensor<4x64xf32>
  return %u, %t : tensor<4x64xf32>, tensor<4x64xf32>
}

// -----

// Negative: a reduction over a leading dim cannot be split into rows; it is
// only tiled along its innermost loop.
// CHECK-LABEL: func @column_sum
// CHECK-NOT:     scf.forall
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             linalg.generic
#in = affine_map<(d0, d1) -> (d0, d1)>
#out = affine_map<(d0, d1) -> (d1)>
func.func @column_sum(%x: tensor<16x256xf32>, %init: tensor<256xf32>) -> tensor<256xf32> {
  %s = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<16x256xf32>) outs(%init : tensor<256xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %r = arith.addf %v, %acc : f32
    linalg.yield %r : f32
  } -> tensor<256xf32>
  return %s : tensor<256xf32>
}

// -----

// A keepdim row sum as torch-mlir writes it: its result is indexed
// `(d0, d1) -> (d0, 0)`, which upstream's tiling cannot tile. It is left
// whole (no error), and its consumer is still tiled by rows.
// CHECK-LABEL: func.func @keepdim_sum
// CHECK:         %[[SUM:.*]] = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      outs(%{{.*}} : tensor<5x1xf32>)
// CHECK:         scf.forall
// CHECK:           tensor.extract_slice %[[SUM]]
// CHECK:         return
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#keep = affine_map<(d0, d1) -> (d0, 0)>
func.func @keepdim_sum(%x: tensor<5x100xf32>) -> tensor<5x100xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<5x1xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e1 : tensor<5x1xf32>) -> tensor<5x1xf32>
  %sum = linalg.generic {indexing_maps = [#id2, #keep], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<5x100xf32>) outs(%init : tensor<5x1xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<5x1xf32>
  %e2 = tensor.empty() : tensor<5x100xf32>
  %y = linalg.generic {indexing_maps = [#id2, #keep, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %sum : tensor<5x100xf32>, tensor<5x1xf32>) outs(%e2 : tensor<5x100xf32>) {
  ^bb0(%in: f32, %s: f32, %out: f32):
    %d = arith.subf %in, %s : f32
    linalg.yield %d : f32
  } -> tensor<5x100xf32>
  return %y : tensor<5x100xf32>
}

// -----

// RMSNorm of a rank-1 input: its statistics op has no loops at all (0-d).
// Deciding whether it fuses must not look at the iterator before the last
// of none (drop_back() of an empty list: UBSan caught it).
// CHECK-LABEL: func.func @rms_norm_rank1
// CHECK:         math.rsqrt
func.func @rms_norm_rank1(%x: tensor<1031xf32>, %g: tensor<1031xf32>) -> tensor<1031xf32> {
  %y = dyt.rms_norm %x gamma(%g : tensor<1031xf32>) : tensor<1031xf32> -> tensor<1031xf32>
  return %y : tensor<1031xf32>
}

// -----

// bf16 gamma and beta, the same channel vectors for every row, are widened
// to f32 once, before the row loop (which then reads f32), instead of once
// per element and row; the widening is not fused back into the row loop.
// The activation, read once per element, is widened in place.
// CHECK-LABEL: func @dyt_bf16_channels_widened_once
// CHECK-SAME:    (%[[X:.*]]: tensor<8x768xbf16>, %{{.*}}: f32, %[[G:.*]]: tensor<768xbf16>, %[[B:.*]]: tensor<768xbf16>)
// CHECK:         %[[GW:.*]] = scf.for {{.*}} -> (tensor<768xf32>)
// CHECK:           tensor.extract_slice %[[G]]
// CHECK:           linalg.generic
// CHECK:             arith.extf %{{.*}} : bf16 to f32
// CHECK:         %[[BW:.*]] = scf.for {{.*}} -> (tensor<768xf32>)
// CHECK:           tensor.extract_slice %[[B]]
// CHECK:         scf.forall
// CHECK:           scf.for
// CHECK-DAG:         tensor.extract_slice %[[GW]]
// CHECK-DAG:         tensor.extract_slice %[[BW]]
// CHECK:             linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x64xbf16>, tensor<64xf32>, tensor<64xf32>)
// CHECK-NEXT:        ^bb0(%{{.*}}: bf16, %{{.*}}: f32, %{{.*}}: f32, %{{.*}}: bf16):
// CHECK-COUNT-1:       arith.extf
// CHECK-NOT:           arith.extf
// CHECK:               linalg.yield
func.func @dyt_bf16_channels_widened_once(%x: tensor<8x768xbf16>, %a: f32, %g: tensor<768xbf16>, %b: tensor<768xbf16>) -> tensor<8x768xbf16> {
  %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<768xbf16>) beta(%b : tensor<768xbf16>) : tensor<8x768xbf16> -> tensor<8x768xbf16>
  return %y : tensor<8x768xbf16>
}

// -----

// Negative: a 16-bit broadcast input with a use other than its widening
// (here compared as bf16) is read as it is.
// CHECK-LABEL: func @bf16_channel_used_narrow
// CHECK-NOT:     linalg.generic
// CHECK:         scf.forall
// CHECK:             linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x64xf32>, tensor<64xbf16>)
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#chan = affine_map<(d0, d1) -> (d1)>
func.func @bf16_channel_used_narrow(%x: tensor<8x768xf32>, %s: tensor<768xbf16>) -> tensor<8x768xf32> {
  %e = tensor.empty() : tensor<8x768xf32>
  %z = linalg.generic {indexing_maps = [#id2, #chan, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : tensor<8x768xf32>, tensor<768xbf16>) outs(%e : tensor<8x768xf32>) {
  ^bb0(%v: f32, %w: bf16, %o: f32):
    %zero = arith.constant 0.0 : bf16
    %neg = arith.cmpf olt, %w, %zero : bf16
    %wide = arith.extf %w : bf16 to f32
    %m = arith.mulf %v, %wide : f32
    %r = arith.select %neg, %v, %m : f32
    linalg.yield %r : f32
  } -> tensor<8x768xf32>
  return %z : tensor<8x768xf32>
}

// -----

// A producer that its consumer reads through a broadcast along the row
// loop (a computed channel vector) would be recomputed for every row if it
// were fused; it runs once, before the row loop.
// CHECK-LABEL: func @broadcast_producer_not_fused
// CHECK:         %[[S:.*]] = scf.for {{.*}} -> (tensor<768xf32>)
// CHECK:           math.exp
// CHECK:         scf.forall
// CHECK-NOT:       math.exp
// CHECK:             tensor.extract_slice %[[S]]
// CHECK:           scf.forall.in_parallel
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#chan = affine_map<(d0, d1) -> (d1)>
func.func @broadcast_producer_not_fused(%x: tensor<8x768xf32>, %g: tensor<768xf32>) -> tensor<8x768xf32> {
  %e1 = tensor.empty() : tensor<768xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%g : tensor<768xf32>) outs(%e1 : tensor<768xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<768xf32>
  %e = tensor.empty() : tensor<8x768xf32>
  %z = linalg.generic {indexing_maps = [#id2, #chan, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : tensor<8x768xf32>, tensor<768xf32>) outs(%e : tensor<8x768xf32>) {
  ^bb0(%v: f32, %w: f32, %o: f32):
    %m = arith.mulf %v, %w : f32
    linalg.yield %m : f32
  } -> tensor<8x768xf32>
  return %z : tensor<8x768xf32>
}

// -----

// RMSNorm with a dynamic row count and a gamma of dynamic size: the
// widening copy takes gamma's size at run time.
// CHECK-LABEL: func @rms_norm_bf16_dynamic_gamma
// CHECK-SAME:    (%[[X:.*]]: tensor<?x?xbf16>, %[[G:.*]]: tensor<?xbf16>)
// CHECK:         %[[N:.*]] = tensor.dim %[[G]], %{{.*}} : tensor<?xbf16>
// CHECK:         tensor.empty(%[[N]]) : tensor<?xf32>
// CHECK:         %[[SPLIT:.*]] = affine.apply #{{.*}}()[%[[N]]]
// CHECK:         %[[WHOLE:.*]] = scf.for %{{.*}} = %{{.*}} to %[[SPLIT]] step {{.*}} -> (tensor<?xf32>)
// CHECK:           arith.extf %{{.*}} : bf16 to f32
// CHECK:         %[[GW:.*]] = scf.for %{{.*}} = %[[SPLIT]] to %[[N]] step {{.*}} iter_args(%{{.*}} = %[[WHOLE]]) -> (tensor<?xf32>)
// CHECK:           arith.extf %{{.*}} : bf16 to f32
// CHECK:         scf.forall
// CHECK:           tensor.extract_slice %[[GW]]
func.func @rms_norm_bf16_dynamic_gamma(%x: tensor<?x?xbf16>, %g: tensor<?xbf16>) -> tensor<?x?xbf16> {
  %y = dyt.rms_norm %x gamma(%g : tensor<?xbf16>) : tensor<?x?xbf16> -> tensor<?x?xbf16>
  return %y : tensor<?x?xbf16>
}

// -----

// Negative: a [1, S, D] op reading [S, D] inputs ignores only a loop of
// one iteration, so it broadcasts nothing: its bf16 input %w, read once per
// element, is widened in place (a widened copy would be one more pass over
// memory), and the [S, D] producer (exp) is fused into the row loop.
// CHECK-LABEL: func @batch_one_is_no_broadcast
// CHECK-NOT:     linalg.generic
// CHECK:         scf.forall
// CHECK:             linalg.generic {{.*}} ins(%{{.*}} : tensor<1x64xf32>)
// CHECK:               math.exp
// CHECK:             linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x1x64xf32>, tensor<1x64xf32>, tensor<1x64xbf16>)
// CHECK:               arith.extf %{{.*}} : bf16 to f32
func.func @batch_one_is_no_broadcast(%x: tensor<1x8x768xf32>, %m: tensor<8x768xf32>, %w: tensor<8x768xbf16>) -> tensor<1x8x768xf32> {
  %e2 = tensor.empty() : tensor<8x768xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%m : tensor<8x768xf32>) outs(%e2 : tensor<8x768xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<8x768xf32>
  %e = tensor.empty() : tensor<1x8x768xf32>
  %z = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %p, %w : tensor<1x8x768xf32>, tensor<8x768xf32>, tensor<8x768xbf16>) outs(%e : tensor<1x8x768xf32>) {
  ^bb0(%v: f32, %q: f32, %b: bf16, %o: f32):
    %bw = arith.extf %b : bf16 to f32
    %s = arith.mulf %v, %bw : f32
    %t = arith.addf %s, %q : f32
    linalg.yield %t : f32
  } -> tensor<1x8x768xf32>
  return %z : tensor<1x8x768xf32>
}
