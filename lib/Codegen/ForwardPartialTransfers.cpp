//===- ForwardPartialTransfers.cpp - dyt-forward-partial-transfers --------===//
//
// Forwards vectors through a transfer_write and a transfer_read of another
// size at the same position of a tensor (see the pass description in
// Passes.td): extract_strided_slice for a smaller read,
// insert_strided_slice for a larger one; and carries in a vector a loop's
// accumulator tensor that each step updates in its first lanes under a mask.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
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

/// Whether every index of `op` is the constant 0.
bool hasZeroIndices(VectorTransferOpInterface op) {
  return llvm::all_of(op.getIndices(),
                      [](Value i) { return isZeroInteger(i); });
}

/// The most bits CarryAccumulatorInVector carries in a vector: twice the
/// 64-lane f32 accumulator of `dyt-cpu-tile-and-fuse`, 8 AVX-512 registers.
constexpr int64_t kMaxCarriedBits = 4096;

/// The pieces of a loop-carried accumulator that each step updates in its
/// first lanes through a tensor (see CarryAccumulatorInVector).
struct TensorAccumulator {
  unsigned index;                 // of the iter_arg
  vector::TransferWriteOp init;   // V written over all of the init tensor
  tensor::ExtractSliceOp slice;   // the first lanes, in the loop
  vector::TransferReadOp read;    // masked read of the slice
  vector::TransferWriteOp update; // masked write back, same mask
  tensor::InsertSliceOp insert;   // the slice put back, yielded
};

/// The one op of type `OpTy` among exactly two users of `v` whose other
/// user has type `OtherTy`, or null.
template <typename OpTy, typename OtherTy>
std::pair<OpTy, OtherTy> splitTwoUsers(Value v) {
  SmallVector<Operation *, 2> users(v.getUsers());
  if (users.size() != 2)
    return {};
  for (int first : {0, 1}) {
    auto a = dyn_cast<OpTy>(users[first]);
    auto b = dyn_cast<OtherTy>(users[1 - first]);
    if (a && b)
      return {a, b};
  }
  return {};
}

/// Matches iter_arg `index` of `loop` as a TensorAccumulator: initialised
/// by a plain write of a vector of the tensor's whole (static) shape, used
/// only through a zero-offset unit-stride slice that a masked read and a
/// masked write of the same vector type and the same create_mask (whose
/// sizes are the slice's) update, and the updated slice inserted back where
/// it came from and yielded.
std::optional<TensorAccumulator> matchAccumulator(scf::ForOp loop,
                                                  unsigned index) {
  TensorAccumulator acc;
  acc.index = index;
  acc.init = loop.getInitArgs()[index].getDefiningOp<vector::TransferWriteOp>();
  if (!acc.init || !isPlainTensorTransfer(acc.init) ||
      !hasZeroIndices(acc.init) ||
      acc.init.getVectorType().getShape() !=
          cast<RankedTensorType>(acc.init.getShapedType()).getShape())
    return std::nullopt;
  // A row's accumulator of a few registers. A larger vector carried through
  // the loop would live in spilled registers, no better than the buffer.
  VectorType whole = acc.init.getVectorType();
  if (whole.getRank() == 0 || !whole.getElementType().isIntOrFloat() ||
      whole.getNumElements() * whole.getElementTypeBitWidth() > kMaxCarriedBits)
    return std::nullopt;

  BlockArgument arg = loop.getRegionIterArgs()[index];
  std::tie(acc.slice, acc.insert) =
      splitTwoUsers<tensor::ExtractSliceOp, tensor::InsertSliceOp>(arg);
  // (A slice, a read or a write can take a tensor as its source or base
  // only; an insert_slice takes it as its source or its dest.)
  if (!acc.slice || acc.insert.getDest() != arg || !acc.slice.hasZeroOffset() ||
      !acc.slice.hasUnitStride() ||
      acc.slice.getType().getRank() != acc.slice.getSourceType().getRank() ||
      !acc.slice.isSameAs(acc.insert, isEqualConstantIntOrValue))
    return std::nullopt;

  std::tie(acc.read, acc.update) =
      splitTwoUsers<vector::TransferReadOp, vector::TransferWriteOp>(
          acc.slice.getResult());
  if (!acc.read || acc.insert.getSource() != acc.update.getResult() ||
      !acc.update->hasOneUse() || !acc.insert->hasOneUse() ||
      *acc.insert->getUsers().begin() != loop.getBody()->getTerminator() ||
      acc.insert->getUses().begin()->getOperandNumber() != index)
    return std::nullopt;

  // Lane-for-lane, the read and the write touch exactly the slice: the
  // same mask, made of the slice's sizes, identity maps, zero indices.
  VectorType type = acc.read.getVectorType();
  auto mask = acc.read.getMask()
                  ? acc.read.getMask().getDefiningOp<vector::CreateMaskOp>()
                  : vector::CreateMaskOp();
  if (!mask || acc.update.getMask() != acc.read.getMask() ||
      acc.update.getVectorType() != type || type.isScalable() ||
      type.getRank() != acc.slice.getType().getRank() ||
      !acc.read.getPermutationMap().isIdentity() ||
      !acc.update.getPermutationMap().isIdentity() ||
      !hasZeroIndices(acc.read) || !hasZeroIndices(acc.update) ||
      !llvm::all_of(
          llvm::zip(type.getShape(), whole.getShape()),
          [](auto rw) { return std::get<0>(rw) <= std::get<1>(rw); }) ||
      type.getElementType() != whole.getElementType())
    return std::nullopt;
  // The vector ops that replace them are built where the read and the write
  // were: the read's must dominate the write's.
  Block *body = loop.getBody();
  if (acc.read->getBlock() != body || acc.update->getBlock() != body ||
      !acc.read->isBeforeInBlock(acc.update))
    return std::nullopt;
  for (auto [maskSize, sliceSize] :
       llvm::zip_equal(mask.getOperands(), acc.slice.getMixedSizes()))
    if (!isEqualConstantIntOrValue(maskSize, sliceSize))
      return std::nullopt;
  return acc;
}

/// A loop-carried accumulator kept in a tensor because each step updates
/// only its first lanes under a mask (the dynamic-width remainder loop of a
/// row sum, `dyt-cpu-tile-and-fuse`): carried as the vector instead. The
/// masked read becomes the leading lanes of the vector with the padding in
/// the masked-off lanes, the masked write a select of the updated lanes
/// laid over the vector, and the loop's result the vector written where
/// the init was written. Left as a tensor, bufferization gives it a buffer:
/// an allocation and a masked round trip through memory for every row.
struct CarryAccumulatorInVector : OpRewritePattern<scf::ForOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(scf::ForOp loop,
                                PatternRewriter &rewriter) const override {
    std::optional<TensorAccumulator> acc;
    for (unsigned i = 0, e = loop.getNumRegionIterArgs(); i < e && !acc; ++i)
      acc = matchAccumulator(loop, i);
    if (!acc)
      return rewriter.notifyMatchFailure(loop, "no tensor accumulator");

    // The same loop with V in place of the tensor. Until the slice and the
    // insert that use the tensor's block argument are erased below, the
    // init tensor stands in for it, which keeps the IR typed.
    unsigned index = acc->index;
    SmallVector<Value> inits(loop.getInitArgs());
    inits[index] = acc->init.getVector();
    auto newLoop = scf::ForOp::create(
        rewriter, loop.getLoc(), loop.getLowerBound(), loop.getUpperBound(),
        loop.getStep(), inits, /*bodyBuilder=*/nullptr, loop.getUnsignedCmp());
    newLoop->setDiscardableAttrs(loop->getDiscardableAttrDictionary());
    Block *body = newLoop.getBody();
    SmallVector<Value> args(body->getArguments());
    Value carried = args[newLoop.getNumInductionVars() + index];
    args[newLoop.getNumInductionVars() + index] = acc->init.getResult();
    rewriter.mergeBlocks(loop.getBody(), body, args);

    VectorType type = acc->read.getVectorType();
    SmallVector<int64_t> zeros(type.getRank(), 0), ones(type.getRank(), 1);
    Value mask = acc->read.getMask();
    rewriter.setInsertionPoint(acc->read);
    Location loc = acc->read.getLoc();
    Value lanes = vector::ExtractStridedSliceOp::create(
        rewriter, loc, carried, zeros, type.getShape(), ones);
    Value padding = vector::BroadcastOp::create(rewriter, loc, type,
                                                acc->read.getPadding());
    rewriter.replaceOpWithNewOp<arith::SelectOp>(acc->read, mask, lanes,
                                                 padding);
    rewriter.setInsertionPoint(acc->update);
    loc = acc->update.getLoc();
    Value updated = arith::SelectOp::create(rewriter, loc, mask,
                                            acc->update.getVector(), lanes);
    Value next = vector::InsertStridedSliceOp::create(rewriter, loc, updated,
                                                      carried, zeros, ones);
    Operation *yield = body->getTerminator();
    rewriter.modifyOpInPlace(yield, [&] { yield->setOperand(index, next); });
    rewriter.eraseOp(acc->insert);
    rewriter.eraseOp(acc->update);
    rewriter.eraseOp(acc->slice);

    // The tensor the loop computed: the final vector written like the init.
    rewriter.setInsertionPointAfter(newLoop);
    SmallVector<Value> results(newLoop.getResults());
    results[index] =
        vector::TransferWriteOp::create(
            rewriter, acc->init.getLoc(), newLoop.getResult(index),
            acc->init.getBase(), acc->init.getIndices(),
            acc->init.getPermutationMapAttr(), acc->init.getInBoundsAttr())
            .getResult();
    rewriter.replaceOp(loop, results);
    return success();
  }
};

struct DytForwardPartialTransfersPass
    : dyt::impl::DytForwardPartialTransfersPassBase<
          DytForwardPartialTransfersPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ForwardPartialTransfer, CarryAccumulatorInVector>(
        &getContext());
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
