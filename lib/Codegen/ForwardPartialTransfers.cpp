//===- ForwardPartialTransfers.cpp - dyt-forward-partial-transfers --------===//
//
// Forwards vectors through a transfer_write and a transfer_read of another
// size at the same position of a tensor (see the pass description in
// Passes.td): extract_strided_slice for a smaller read,
// insert_strided_slice for a larger one.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Passes.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTFORWARDPARTIALTRANSFERSPASS
#include "dyt/Codegen/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

/// Whether `op` moves a fixed-length vector of the tensor's rank to or from
/// the tensor at its indices as they are: identity map, no mask, every dim
/// in bounds. (Scalable sizes cannot be compared at compile time.)
bool isPlainTensorTransfer(VectorTransferOpInterface op) {
  auto tensor = dyn_cast<RankedTensorType>(op.getShapedType());
  return tensor && !op.getMask() && !op.getVectorType().isScalable() &&
         op.getVectorType().getRank() == tensor.getRank() &&
         op.getPermutationMap().isIdentity() &&
         llvm::all_of(llvm::seq<unsigned>(0, op.getVectorType().getRank()),
                      [&](unsigned d) { return op.isDimInBounds(d); });
}

/// The transfer_write that `read` reads the result of, at the same indices,
/// with the same element type, when both are plain tensor transfers.
vector::TransferWriteOp matchWriteAtSameIndices(vector::TransferReadOp read) {
  auto write = read.getBase().getDefiningOp<vector::TransferWriteOp>();
  if (!write || !isPlainTensorTransfer(read) || !isPlainTensorTransfer(write) ||
      read.getIndices() != write.getIndices() ||
      read.getVectorType().getElementType() !=
          write.getVectorType().getElementType())
    return {};
  return write;
}

enum class Extent { Smaller, Larger, Other };

/// How `read`'s shape compares with `written`'s in every dim (equal shapes,
/// which upstream folds, count as Other).
Extent compare(VectorType read, VectorType written) {
  if (read == written)
    return Extent::Other;
  bool le = true, ge = true;
  for (auto [r, w] : llvm::zip(read.getShape(), written.getShape())) {
    le &= r <= w;
    ge &= r >= w;
  }
  return le ? Extent::Smaller : ge ? Extent::Larger : Extent::Other;
}

/// read(write(v, t, I), I) with the read smaller: the leading part of v;
/// with the read larger: read(t, I) with v laid over its start (that read
/// of t then meets whatever wrote t, often a write of a vector of its own
/// size, which upstream forwards).
struct ForwardPartialTransfer : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    vector::TransferWriteOp write = matchWriteAtSameIndices(read);
    if (!write)
      return failure();
    VectorType type = read.getVectorType();
    SmallVector<int64_t> zeros(type.getRank(), 0), ones(type.getRank(), 1);
    switch (compare(type, write.getVectorType())) {
    case Extent::Smaller:
      rewriter.replaceOpWithNewOp<vector::ExtractStridedSliceOp>(
          read, write.getVector(), zeros, type.getShape(), ones);
      return success();
    case Extent::Larger: {
      // Reading t after a write into it that something else still uses
      // would make bufferization copy t.
      if (!write->hasOneUse())
        return failure();
      auto under = vector::TransferReadOp::create(
          rewriter, read.getLoc(), type, write.getBase(), read.getIndices(),
          read.getPermutationMapAttr(), read.getPadding(), /*mask=*/Value(),
          read.getInBoundsAttr());
      rewriter.replaceOpWithNewOp<vector::InsertStridedSliceOp>(
          read, write.getVector(), under, zeros, ones);
      return success();
    }
    case Extent::Other:
      return failure();
    }
    llvm_unreachable("every extent is handled");
  }
};

struct DytForwardPartialTransfersPass
    : dyt::impl::DytForwardPartialTransfersPassBase<
          DytForwardPartialTransfersPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ForwardPartialTransfer>(&getContext());
    // The full-size pairs these leave behind.
    vector::TransferReadOp::getCanonicalizationPatterns(patterns,
                                                        &getContext());
    vector::TransferWriteOp::getCanonicalizationPatterns(patterns,
                                                         &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
