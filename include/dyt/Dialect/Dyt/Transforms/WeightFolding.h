//===- WeightFolding.h - DyT's gamma and beta folded into weights -*- C++ -*-===//
//
// matmul(dyt(x; alpha, gamma, beta), W), with the DyT's channel dim the
// contraction dim K, equals matmul(tanh(alpha x), diag(gamma) W) + beta W.
// dyt-fuse-matmul folds constant weights at compile time;
// dyt-outline-weight-folding emits the folding of weights passed as
// arguments as a function of its own. Both match and rewrite through these.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_DIALECT_DYT_TRANSFORMS_WEIGHTFOLDING_H
#define DYT_DIALECT_DYT_TRANSFORMS_WEIGHTFOLDING_H

#include "dyt/Dialect/Dyt/IR/DytOps.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace dyt {

/// The operands of a 2-input contraction with one M, N and K dim: the input
/// indexed by M and K (lhs) and the one indexed by K and N (rhs).
struct MatmulOperands {
  OpOperand *lhs = nullptr, *rhs = nullptr;
  unsigned m, n, k;
};

std::optional<MatmulOperands> getMatmulOperands(linalg::LinalgOp op);

/// A matmul whose left-hand input is a DyT along K and whose weight is a
/// 2-d tensor [K, N] (`kFirst`) or [N, K] (x @ W^T).
struct DytMatmul {
  linalg::LinalgOp matmul;
  MatmulOperands operands;
  DytOp dyt;
  bool kFirst;

  Value weight() const { return operands.rhs->get(); }
};

/// Matches `op` as a DytMatmul whose gamma and beta are not already 1 and 0;
/// failures are reported through `rewriter.notifyMatchFailure`.
FailureOr<DytMatmul> matchDytMatmul(RewriterBase &rewriter,
                                    linalg::LinalgOp op);

/// Whether `value` is a constant splat of `expected`.
bool isSplat(Value value, double expected);

/// Rewrites `m.matmul` to read tanh(alpha x) (a DyT with gamma 1 and beta 0,
/// shared by every matmul of the same DyT) and `foldedWeight` instead of W,
/// and, when `bias` (a 1-d tensor of the result's N size and element type)
/// is given, to accumulate onto its init plus the broadcast bias.
void rewriteWithFoldedWeight(RewriterBase &rewriter, DytMatmul m,
                             Value foldedWeight, Value bias);

} // namespace dyt
} // namespace mlir

#endif // DYT_DIALECT_DYT_TRANSFORMS_WEIGHTFOLDING_H
