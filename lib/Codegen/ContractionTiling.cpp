//===- ContractionTiling.cpp - Cache and register tiling of matmuls --------===//
//
// The loop nest, for C[M, N] = A[M, K] * B[K, N] (batch dims tiled by 1):
//
//   P = pack(B)                       P[j][k][i] = B[k][j * tileN + i], 0-padded
//   scf.forall m0 in M step blockM    one block of rows per thread
//     prologue(A[m0 : m0 + blockM])   computed once per block
//     scf.for n0 in N step tileN      one panel of P: K x tileN, contiguous
//       scf.for m1 step tileM         rows of the block, the panel stays in L1/L2
//         C_tile = A[m1, :] * P[n0 / tileN]   tileM x tileN accumulators
//         epilogue(C_tile)            while C_tile is in registers
//
// A panel of P is read by every register tile of a block, so it is loaded
// from memory once per block; unpacked, the same K x tileN columns of B are
// K short rows a full row of B apart, which alias in the caches whenever a
// row of B is a multiple of 4 KiB long.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/ContractionTiling.h"

#include "dyt/Codegen/Utils.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::dyt;

namespace {

/// Where the right-hand operand's K and N dims are: its map is a projected
/// permutation whose results are batch dims, then K and N in either order
/// (x @ W^T has W as [N, K]).
struct RhsLayout {
  unsigned operandIndex;
  unsigned rank;
  bool nBeforeK;
};

std::optional<RhsLayout>
getPackableRhs(linalg::LinalgOp op, const linalg::ContractionDimensions &dims) {
  if (dims.k.size() != 1 || dims.n.size() != 1)
    return std::nullopt;
  unsigned n = dims.n.front(), k = dims.k.front();
  for (OpOperand *operand : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(operand);
    auto type = dyn_cast<RankedTensorType>(operand->get().getType());
    if (!type || !map.isProjectedPermutation() || !map.isFunctionOfDim(n) ||
        !map.isFunctionOfDim(k) ||
        llvm::any_of(dims.m,
                     [&](unsigned m) { return map.isFunctionOfDim(m); }))
      continue;
    unsigned rank = map.getNumResults();
    std::optional<unsigned> nPos = map.getResultPosition(
        getAffineDimExpr(n, op.getContext()));
    std::optional<unsigned> kPos = map.getResultPosition(
        getAffineDimExpr(k, op.getContext()));
    // Batch dims first: the packed copy keeps them outermost.
    if (!nPos || !kPos || std::min(*nPos, *kPos) != rank - 2 ||
        std::max(*nPos, *kPos) != rank - 1)
      return std::nullopt;
    return RhsLayout{operand->getOperandNumber(), rank, *nPos < *kPos};
  }
  return std::nullopt;
}

/// P[batch..., N / tileN, K, tileN] from B[batch..., K, N] or
/// B[batch..., N, K]: zero-pad N to a multiple of tileN, split it, and move
/// the panel index in front of K.
Value packRhs(OpBuilder &b, Location loc, Value rhs, const RhsLayout &layout,
              int64_t tileN) {
  auto type = cast<RankedTensorType>(rhs.getType());
  unsigned rank = layout.rank;
  unsigned nPos = layout.nBeforeK ? rank - 2 : rank - 1;
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, rhs);
  AffineExpr d0 = b.getAffineDimExpr(0);
  OpFoldResult panels = affine::makeComposedFoldedAffineApply(
      b, loc, d0.ceilDiv(tileN), {sizes[nPos]});
  OpFoldResult paddedN = affine::makeComposedFoldedAffineApply(
      b, loc, d0.ceilDiv(tileN) * tileN, {sizes[nPos]});

  Value padded = rhs;
  std::optional<int64_t> staticN = getConstantIntValue(sizes[nPos]);
  if (!staticN || *staticN % tileN != 0) {
    SmallVector<OpFoldResult> low(rank, b.getIndexAttr(0));
    SmallVector<OpFoldResult> high(rank, b.getIndexAttr(0));
    high[nPos] = affine::makeComposedFoldedAffineApply(
        b, loc, d0.ceilDiv(tileN) * tileN - d0, {sizes[nPos]});
    SmallVector<int64_t> shape(type.getShape());
    shape[nPos] = getConstantIntValue(paddedN).value_or(ShapedType::kDynamic);
    Value zero = arith::ConstantOp::create(
        b, loc, b.getZeroAttr(type.getElementType()));
    padded = tensor::PadOp::create(b, loc, type.clone(shape), rhs, low, high,
                                   zero);
  }

  // Split N into (panels, tileN).
  SmallVector<ReassociationIndices> reassociation;
  SmallVector<OpFoldResult> expandedSizes;
  for (unsigned dim = 0; dim < rank; ++dim) {
    if (dim == nPos) {
      reassociation.push_back({int64_t(expandedSizes.size()),
                               int64_t(expandedSizes.size()) + 1});
      expandedSizes.push_back(panels);
      expandedSizes.push_back(b.getIndexAttr(tileN));
      continue;
    }
    reassociation.push_back({int64_t(expandedSizes.size())});
    expandedSizes.push_back(sizes[dim]);
  }
  auto staticShape = [](ArrayRef<OpFoldResult> mixed) {
    return llvm::map_to_vector(mixed, [](OpFoldResult size) {
      return getConstantIntValue(size).value_or(ShapedType::kDynamic);
    });
  };
  Value expanded = tensor::ExpandShapeOp::create(
      b, loc, type.clone(staticShape(expandedSizes)), padded, reassociation,
      expandedSizes);

  // Transpose to [batch..., panels, K, tileN].
  unsigned batch = rank - 2;
  SmallVector<OpFoldResult> packedSizes(expandedSizes.begin(),
                                        expandedSizes.begin() + batch);
  OpFoldResult k = sizes[layout.nBeforeK ? rank - 1 : rank - 2];
  packedSizes.append({panels, k, b.getIndexAttr(tileN)});
  // Loops (batch..., j, k, i) read expanded[batch..., k, j, i] or
  // expanded[batch..., j, i, k].
  SmallVector<AffineExpr> read;
  for (unsigned dim = 0; dim < batch; ++dim)
    read.push_back(b.getAffineDimExpr(dim));
  AffineExpr j = b.getAffineDimExpr(batch), kk = b.getAffineDimExpr(batch + 1),
             i = b.getAffineDimExpr(batch + 2);
  if (layout.nBeforeK)
    read.append({j, i, kk});
  else
    read.append({kk, j, i});
  MLIRContext *context = b.getContext();
  SmallVector<AffineMap> maps = {
      AffineMap::get(rank + 1, 0, read, context),
      AffineMap::getMultiDimIdentityMap(rank + 1, context)};
  Value init = tensor::EmptyOp::create(b, loc, packedSizes,
                                       type.getElementType());
  auto transpose = linalg::GenericOp::create(
      b, loc, init.getType(), expanded, init, maps,
      SmallVector<utils::IteratorType>(rank + 1,
                                       utils::IteratorType::parallel),
      [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc, args[0]);
      });
  return transpose.getResult(0);
}

/// Makes the register tile `tile` read its panel of `packed` instead of its
/// slice of `rhs`. The slice's N offset is a multiple of tileN: the register
/// loop starts at 0 (N is not tiled by the block loop) and steps by tileN.
LogicalResult usePackedRhs(RewriterBase &rewriter, linalg::LinalgOp tile,
                           Value rhs, Value packed, const RhsLayout &layout,
                           int64_t tileN) {
  OpOperand &operand = tile->getOpOperand(layout.operandIndex);
  unsigned rank = layout.rank;
  Location loc = tile.getLoc();
  rewriter.setInsertionPoint(tile);

  // Offsets of the tile in `rhs`, summed along its chain of slices.
  SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
  AffineExpr d0 = rewriter.getAffineDimExpr(0),
             d1 = rewriter.getAffineDimExpr(1);
  for (Value value = operand.get(); value != rhs;) {
    auto slice = value.getDefiningOp<tensor::ExtractSliceOp>();
    if (!slice || !slice.hasUnitStride() ||
        slice.getSourceType().getRank() != int64_t(rank) ||
        slice.getType().getRank() != int64_t(rank))
      return failure();
    for (auto [offset, sliceOffset] :
         llvm::zip(offsets, slice.getMixedOffsets()))
      offset = affine::makeComposedFoldedAffineApply(rewriter, loc, d0 + d1,
                                                     {offset, sliceOffset});
    value = slice.getSource();
  }
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(rewriter, loc, operand.get());
  unsigned nPos = layout.nBeforeK ? rank - 2 : rank - 1;
  unsigned kPos = layout.nBeforeK ? rank - 1 : rank - 2;

  // packed[batch..., n / tileN, k : k + K, 0 : N], without the unit panel dim.
  SmallVector<OpFoldResult> packedOffsets(offsets.begin(),
                                          offsets.begin() + rank - 2);
  // The offset is a non-negative multiple of tileN: an unsigned division
  // is a shift, where affine's floordiv lowers to a signed division with
  // selects that LLVM does not hoist out of the K loop.
  if (std::optional<int64_t> n = getConstantIntValue(offsets[nPos]))
    packedOffsets.push_back(rewriter.getIndexAttr(*n / tileN));
  else
    packedOffsets.push_back(
        arith::DivUIOp::create(
            rewriter, loc,
            getValueOrCreateConstantIndexOp(rewriter, loc, offsets[nPos]),
            arith::ConstantIndexOp::create(rewriter, loc, tileN))
            .getResult());
  packedOffsets.append({offsets[kPos], rewriter.getIndexAttr(0)});
  SmallVector<OpFoldResult> packedSizes(sizes.begin(), sizes.begin() + rank - 2);
  packedSizes.append({rewriter.getIndexAttr(1), sizes[kPos], sizes[nPos]});
  SmallVector<OpFoldResult> strides(rank + 1, rewriter.getIndexAttr(1));
  auto operandType = cast<RankedTensorType>(operand.get().getType());
  SmallVector<int64_t> shape(operandType.getShape().take_front(rank - 2));
  shape.append({operandType.getDimSize(kPos), operandType.getDimSize(nPos)});
  Value panel = tensor::ExtractSliceOp::create(
      rewriter, loc, operandType.clone(shape), packed, packedOffsets,
      packedSizes, strides);

  // The panel is laid out [K, N]; a transposed B's map swaps to match.
  SmallVector<AffineMap> maps = tile.getIndexingMapsArray();
  if (layout.nBeforeK) {
    AffineMap map = maps[layout.operandIndex];
    SmallVector<AffineExpr> results(map.getResults());
    std::swap(results[rank - 2], results[rank - 1]);
    maps[layout.operandIndex] =
        AffineMap::get(map.getNumDims(), 0, results, map.getContext());
  }
  SmallVector<Value> operands(tile->getOperands());
  operands[layout.operandIndex] = panel;
  replaceWithContractOp(rewriter, tile, operands, maps);
  return success();
}

SmallVector<OpFoldResult> asIndexAttrs(OpBuilder &b, ArrayRef<int64_t> sizes) {
  return llvm::map_to_vector(
      sizes, [&](int64_t s) -> OpFoldResult { return b.getIndexAttr(s); });
}

FailureOr<scf::SCFTileAndFuseResult>
tileAndFuse(RewriterBase &rewriter, TilingInterface root,
            ArrayRef<int64_t> sizes, ArrayRef<int64_t> interchange,
            scf::SCFTilingOptions::LoopType loopType,
            std::function<bool(Operation *)> fuse) {
  scf::SCFTilingOptions tiling;
  tiling.setTileSizes(asIndexAttrs(rewriter, sizes))
      .setInterchange(interchange)
      .setLoopType(loopType);
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (fuse(producer.getOwner()))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  rewriter.setInsertionPoint(root);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(rewriter, root, options);
  if (failed(result))
    return failure();
  for (auto [original, replacement] : result->replacements)
    rewriter.replaceAllUsesWith(original, replacement);
  return result;
}

/// Whether `op` feeds an input (not the init) of a contraction: a prologue,
/// computed once per block rather than once per register tile.
bool feedsContractionInput(Operation *op) {
  return llvm::any_of(op->getUses(), [](OpOperand &use) {
    auto user = dyn_cast<linalg::LinalgOp>(use.getOwner());
    return user && isContraction(user) && !user.isDpsInit(&use);
  });
}

} // namespace

bool mlir::dyt::isTileableContraction(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics() || !isContraction(op) ||
      op->getNumResults() != 1)
    return false;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(linalgOp);
  return succeeded(dims) && !dims->m.empty() && !dims->n.empty() &&
         !dims->k.empty();
}

LogicalResult
mlir::dyt::tileContractionGroup(RewriterBase &rewriter,
                                const ContractionGroup &group,
                                const ContractionTilingOptions &options) {
  linalg::LinalgOp contraction = group.contraction;
  TilingInterface root = group.root;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(contraction);
  if (!isTileableContraction(contraction) || failed(dims))
    return failure();
  unsigned mLoop = dims->m.back(), nLoop = dims->n.back();

  // The root's loops: the contraction's own, or its result dims in order.
  bool rootIsContraction = root.getOperation() == contraction;
  AffineMap resultMap =
      contraction.getIndexingMapMatchingResult(contraction->getResult(0));
  unsigned numRootLoops = root.getLoopIteratorTypes().size();
  auto contractionLoop = [&](unsigned rootLoop) {
    return rootIsContraction ? rootLoop : resultMap.getDimPosition(rootLoop);
  };
  if (!rootIsContraction && numRootLoops != resultMap.getNumResults())
    return failure();

  SmallVector<int64_t> blockSizes(numRootLoops, 1), registerSizes;
  unsigned mRoot = 0, nRoot = 0;
  for (unsigned loop = 0; loop < numRootLoops; ++loop) {
    unsigned c = contractionLoop(loop);
    if (c == mLoop)
      mRoot = loop, blockSizes[loop] = options.blockM;
    else if (c == nLoop || llvm::is_contained(dims->k, c))
      blockSizes[loop] = 0;
    registerSizes.push_back(c == mLoop   ? options.tileM
                            : c == nLoop ? options.tileN
                                         : 0);
    if (c == nLoop)
      nRoot = loop;
  }
  // Register tiles: N outer, M inner, so that one panel serves a block.
  SmallVector<int64_t> interchange =
      llvm::to_vector(llvm::seq<int64_t>(0, numRootLoops));
  if (mRoot < nRoot)
    std::swap(interchange[mRoot], interchange[nRoot]);

  std::optional<RhsLayout> rhsLayout;
  Value rhs, packed;
  if (options.packRhs && (rhsLayout = getPackableRhs(contraction, *dims))) {
    rhs = contraction->getOperand(rhsLayout->operandIndex);
    rewriter.setInsertionPoint(contraction);
    packed = packRhs(rewriter, contraction.getLoc(), rhs, *rhsLayout,
                     options.tileN);
  }

  // Block loop: everything in the group.
  Operation *contractionOp = contraction.getOperation();
  FailureOr<scf::SCFTileAndFuseResult> block = tileAndFuse(
      rewriter, root, blockSizes, {},
      scf::SCFTilingOptions::LoopType::ForallOp, [&](Operation *producer) {
        return producer == contractionOp || group.fused.contains(producer);
      });
  if (failed(block))
    return failure();
  auto blockRoot = cast<TilingInterface>(block->tiledAndFusedOps.front());

  // Register tiles: the contraction and whatever is computed per tile, not
  // the prologue.
  FailureOr<scf::SCFTileAndFuseResult> tiles = tileAndFuse(
      rewriter, blockRoot, registerSizes, interchange,
      scf::SCFTilingOptions::LoopType::ForOp, [&](Operation *producer) {
        return isContraction(producer) || !feedsContractionInput(producer);
      });
  if (failed(tiles))
    return failure();
  if (packed) {
    auto tile = llvm::find_if(tiles->tiledAndFusedOps, isContraction);
    if (tile == tiles->tiledAndFusedOps.end() ||
        failed(usePackedRhs(rewriter, cast<linalg::LinalgOp>(*tile), rhs,
                            packed, *rhsLayout, options.tileN)))
      return failure();
  }
  // Peel the last, partial register tile off each loop: the others then
  // have static sizes and vectorize without masks (a masked contraction
  // lowers to far slower code). Innermost first, so that the outer loop's
  // peeled copy holds an already peeled inner loop.
  for (LoopLikeOpInterface loop : llvm::reverse(tiles->loops)) {
    scf::ForOp partial;
    (void)scf::peelForLoopAndSimplifyBounds(
        rewriter, cast<scf::ForOp>(loop.getOperation()), partial);
  }
  return success();
}
