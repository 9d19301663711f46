//===- Vectorize.cpp - dyt-cpu-vectorize ------------------------------------===//
//
// Vectorizes each linalg op to vectors of its loops' constant upper bounds:
// after dyt-cpu-tile-and-fuse every op's innermost range is at most one
// vector tile (affine.min(tile, size - iv) for a remainder or a dynamic
// size), so the bound is the tile and a mask covers the difference.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Passes.h"
#include "dyt/Codegen/Utils.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTCPUVECTORIZEPASS
#include "dyt/Codegen/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

/// The constant upper bound of each loop of `op` (read from the operand dim
/// the loop indexes directly), or nullopt where there is none.
std::optional<SmallVector<int64_t>> loopUpperBounds(linalg::LinalgOp op) {
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  if (llvm::is_contained(bounds, 0))
    return std::nullopt; // Nothing to compute; no zero-sized vectors.
  for (auto [loop, bound] : llvm::enumerate(bounds)) {
    if (!ShapedType::isDynamic(bound))
      continue;
    Value operand;
    unsigned operandDim;
    if (failed(op.mapIterationSpaceDimToOperandDim(loop, operand, operandDim)))
      return std::nullopt;
    FailureOr<int64_t> upper = ValueBoundsConstraintSet::computeConstantBound(
        presburger::BoundType::UB, {operand, static_cast<int64_t>(operandDim)},
        /*stopCondition=*/nullptr, /*closedUB=*/true);
    if (failed(upper) || *upper <= 0)
      return std::nullopt;
    bound = *upper;
  }
  return bounds;
}

struct DytCpuVectorizePass
    : dyt::impl::DytCpuVectorizePassBase<DytCpuVectorizePass> {
  using Base::Base;

  void runOnOperation() override {
    FunctionOpInterface func = getOperation();
    IRRewriter rewriter(&getContext());

    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics())
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops) {
      if (isa<linalg::GenericOp>(op) && dyt::isContraction(op) &&
          op->getNumOperands() == 3)
        op = dyt::replaceWithContractOp(rewriter, op, op->getOperands(),
                                        op.getIndexingMapsArray());
      std::optional<SmallVector<int64_t>> sizes = loopUpperBounds(op);
      if (!sizes)
        continue;
      int64_t elements = 1;
      for (int64_t size : *sizes)
        elements *= size;
      // Fixed-width vectors: every dim non-scalable, spelled out (an empty
      // list is not treated as all-false everywhere in the vectorizer).
      SmallVector<bool> scalable(sizes->size(), false);
      if (elements > maxVectorElements ||
          failed(linalg::vectorizeOpPrecondition(op, *sizes, scalable)))
        continue; // Left for the scalar fallback (convert-linalg-to-loops).
      rewriter.setInsertionPoint(op);
      // A contraction becomes one vector.contract, which dyt-cpu-lower-vectors
      // turns into outer products, i.e. FMAs (mul + reduce would leave LLVM
      // a separate multiply and add it may not contract). Not for a 0-d
      // accumulator (linalg.dot), which vector.contract cannot take.
      FailureOr<linalg::VectorizationResult> result = linalg::vectorize(
          rewriter, op, *sizes, scalable, /*vectorizeNDExtract=*/false,
          /*flatten1DDepthwiseConv=*/false,
          /*assumeDynamicDimsMatchVecSizes=*/false,
          /*createNamedContraction=*/dyt::isContraction(op) &&
              op.getRank(op.getDpsInitOperand(0)) > 0);
      if (failed(result))
        continue;
      rewriter.replaceOp(op, result->replacements);
    }

    // Read vectors straight from the tensors the tiles were sliced from,
    // give masked transfers their mask as an operand (a vector.mask region
    // must hold one op, which later passes such as buffer deallocation do
    // not respect), and tidy up what vectorization left.
    RewritePatternSet patterns(&getContext());
    vector::populateVectorMaskLoweringPatternsForSideEffectingOps(patterns);
    tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
    vector::TransferReadOp::getCanonicalizationPatterns(patterns,
                                                        &getContext());
    vector::TransferWriteOp::getCanonicalizationPatterns(patterns,
                                                         &getContext());
    tensor::populateFoldTensorEmptyPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
