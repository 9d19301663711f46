//===- ContractionTiling.h - Cache and register tiling of matmuls -*- C++ -*-===//
//
// One tiling strategy for every contraction the CPU pipeline compiles, shared
// by dyt-cpu-tile-and-fuse (a matmul on its own) and dyt-fuse-matmul (a matmul
// with the DyT/elementwise ops fused before and after it).
//
//===----------------------------------------------------------------------===//

#ifndef DYT_CODEGEN_CONTRACTIONTILING_H
#define DYT_CODEGEN_CONTRACTIONTILING_H

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir {
namespace dyt {

struct ContractionTilingOptions {
  /// Rows of the output (innermost M dim) per `scf.forall` iteration: the
  /// unit of work of a thread, and of a prologue computed once per block.
  int64_t blockM = 256;
  /// The register tile: rows, and columns in elements.
  int64_t tileM = 8;
  int64_t tileN = 32;
  /// Repack the right-hand operand into `tileN`-wide column panels.
  bool packRhs = true;
};

/// A contraction and the ops tiled together with it.
struct ContractionGroup {
  linalg::LinalgOp contraction;
  /// The op whose iteration space is tiled: the contraction itself, or the
  /// last op of an elementwise chain that consumes it (an epilogue), whose
  /// loops are the contraction's result dims in order.
  TilingInterface root;
  /// Producers fused into the block loop: the epilogue ops before `root`,
  /// the producer of the contraction's init (a fill, a broadcast bias) and
  /// a prologue computing one of the contraction's inputs.
  llvm::DenseSet<Operation *> fused;
};

/// Whether `op` is a contraction this strategy tiles: one innermost M, N and
/// K dim each at least (batch and outer dims get tiles of 1).
bool isTileableContraction(Operation *op);

/// Tiles `group`:
///   scf.forall over batch/outer dims (1) and `blockM` rows of M
///     [the prologue, the init producer: computed once per block]
///     scf.for over N by `tileN`, then M by `tileM`   (register tiles)
///       contraction tile over the whole K, then the epilogue on its result.
/// With `packRhs`, the right-hand operand B (K x N, or N x K as in x @ W^T)
/// is first copied into panels P[N/tileN][K][tileN] (zero-padded), and each
/// register tile reads its panel, contiguous in memory, instead of tileN
/// columns of B strided by a row: a constant B is repacked at compile time.
LogicalResult tileContractionGroup(RewriterBase &rewriter,
                                   const ContractionGroup &group,
                                   const ContractionTilingOptions &options);

} // namespace dyt
} // namespace mlir

#endif // DYT_CODEGEN_CONTRACTIONTILING_H
