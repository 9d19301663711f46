//===- TileAndFuse.cpp - dyt-cpu-tile-and-fuse ------------------------------===//
//
// Tiles linalg ops on tensors into loops whose innermost bodies fit the
// host's vector registers (see the pass description in Passes.td):
//   1. roots: row-wise `scf.forall` with producers fused (norms run per row
//      while it is in cache), or cache blocks and register tiles for
//      contractions (ContractionTiling.h);
//   1b. rows of odd widths split at their first cache line (align-row-heads);
//   2. inside: innermost loop by `unroll` vectors, or K by 1 for contractions.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Passes.h"
#include "dyt/Codegen/ContractionTiling.h"
#include "dyt/Codegen/Utils.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/Sequence.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTCPUTILEANDFUSEPASS
#include "dyt/Codegen/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;
using namespace mlir::dyt;

namespace {

using utils::IteratorType;

bool isTensorLinalgOp(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.hasPureTensorSemantics();
}

/// Whether some loop of `op` has a static trip count of 0: tiling such an
/// op divides by its size, so it is left to the scalar fallback (which runs
/// no iteration).
bool hasEmptyLoop(linalg::LinalgOp op) {
  return llvm::is_contained(op.getStaticLoopRanges(), 0);
}

/// Whether upstream's tiling can produce tiles of `op`'s results: each must
/// be indexed by a projected permutation of the loops. A keepdim reduction
/// as torch-mlir writes it, `(d0, d1, d2) -> (d0, d1, 0)`, is not; such ops
/// are left whole to the scalar fallback.
bool hasTileableResults(linalg::LinalgOp op) {
  return llvm::all_of(op.getDpsInitsMutable(), [&](OpOperand &init) {
    return op.getMatchingIndexingMap(&init).isProjectedPermutation();
  });
}

/// A producer worth fusing into its consumers' loops: a fill (free to
/// recompute), or a non-contraction linalg op all of whose users are
/// non-contraction linalg ops (so it is never needed whole) reading it
/// through maps that use each of their outer loops, and that reduces, if at
/// all, along its innermost loop only. A reduction over an outer loop (a
/// column sum) spans the rows a consumer is tiled into, as does a producer
/// its consumer broadcasts along the rows: fused, either would be
/// recomputed for every row.
bool isFusableProducer(Operation *op) {
  if (!isTensorLinalgOp(op) || isContraction(op))
    return false;
  if (isa<linalg::FillOp>(op))
    return true;
  auto linalgOp = cast<linalg::LinalgOp>(op);
  SmallVector<IteratorType> iterators = linalgOp.getIteratorTypesArray();
  if (op->use_empty() || hasEmptyLoop(linalgOp) ||
      !hasTileableResults(linalgOp) ||
      // (No loops: a 0-d op; drop_back() of nothing is undefined.)
      llvm::any_of(ArrayRef(iterators).drop_back(iterators.empty() ? 0 : 1),
                   [](IteratorType t) {
        return t == IteratorType::reduction;
      }))
    return false;
  return llvm::all_of(op->getUses(), [](OpOperand &use) {
    auto user = dyn_cast<linalg::LinalgOp>(use.getOwner());
    if (!user || !isTensorLinalgOp(user) || isContraction(user))
      return false;
    // Read through a map that ignores one of the user's outer (row-tiled)
    // loops, every row tile would need the same slice of it, and fusion would
    // recompute that slice per row: a channel vector like gamma is computed
    // once instead. (A loop of one iteration ignored is no broadcast.)
    AffineMap map = user.getMatchingIndexingMap(&use);
    SmallVector<int64_t> ranges = user.getStaticLoopRanges();
    for (unsigned loop = 0, e = user.getNumLoops(); loop + 1 < e; ++loop)
      if (!map.isFunctionOfDim(loop) && ranges[loop] != 1)
        return false;
    return true;
  });
}

/// Tile sizes of a non-contraction root: one row for ops whose loops are
/// parallel but the innermost, nothing otherwise.
std::optional<SmallVector<int64_t>> rootTileSizes(linalg::LinalgOp op) {
  unsigned numLoops = op.getNumLoops();
  if (numLoops < 2 || isContraction(op))
    return std::nullopt;
  SmallVector<IteratorType> iterators = op.getIteratorTypesArray();
  if (!llvm::all_of(ArrayRef(iterators).drop_back(), [](IteratorType t) {
        return t == IteratorType::parallel;
      }))
    return std::nullopt;
  SmallVector<int64_t> sizes(numLoops - 1, 1);
  sizes.push_back(0);
  return sizes;
}

SmallVector<OpFoldResult> asIndexAttrs(OpBuilder &b, ArrayRef<int64_t> sizes) {
  return llvm::map_to_vector(
      sizes, [&](int64_t s) -> OpFoldResult { return b.getIndexAttr(s); });
}

/// Step 0: fuses elementwise producers into their elementwise consumers
/// (e.g. DyT and a bias add become one loop), but only where nothing is
/// computed twice: the producer must cover the consumer's whole iteration
/// space (fusing a norm's per-row rsqrt would recompute it per element) and
/// have no other user (fusing a returned DyT into its consumer would
/// compute its tanh twice, which costs more than reading it back).
LogicalResult fuseElementwise(Operation *root) {
  RewritePatternSet patterns(root->getContext());
  linalg::populateElementwiseOpsFusionPatterns(
      patterns, [](OpOperand *fused) {
        auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
        auto producer = fused->get().getDefiningOp<linalg::LinalgOp>();
        if (!consumer || !producer || isContraction(producer))
          return false;
        if (llvm::any_of(producer->getUsers(), [&](Operation *user) {
              return user != consumer.getOperation();
            }))
          return false;
        AffineMap map = consumer.getMatchingIndexingMap(fused);
        return map.isPermutation() &&
               producer.getNumLoops() == consumer.getNumLoops();
      });
  return applyPatternsGreedily(root, std::move(patterns));
}

/// Step 0b: a 16-bit input that `op` reads through a broadcast (gamma or
/// beta of a bf16/f16 DyT or norm: the same channel vector for every row) and
/// only widens to f32 is widened once, by a linalg.generic of its own before
/// `op`, which then reads f32. Without a conversion instruction for 16-bit
/// floats (AVX2 has none for bf16) each widening is two vector instructions,
/// per element and per row; this way they run once per channel. Inputs read
/// at every point of the iteration space (the activation) are left alone:
/// widening them up front would only add a pass over memory.
void widenBroadcastInputs(RewriterBase &rewriter, linalg::GenericOp op) {
  for (OpOperand *input : op.getDpsInputOperands()) {
    auto type = dyn_cast<RankedTensorType>(input->get().getType());
    AffineMap map = op.getMatchingIndexingMap(input);
    if (!type || !isa<FloatType>(type.getElementType()) ||
        type.getElementTypeBitWidth() != 16 || !map.isProjectedPermutation())
      continue;
    // A broadcast: some loop the map ignores runs more than once (a loop of
    // one iteration, as in a [1, S, D] op reading an [S, D] input, is not;
    // dynamic ranges count as more). Each element is then read, and was
    // widened, once per iteration of those loops.
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    bool broadcast = llvm::any_of(
        llvm::seq<unsigned>(0, op.getNumLoops()), [&](unsigned loop) {
          return !map.isFunctionOfDim(loop) && ranges[loop] != 1;
        });
    if (!broadcast)
      continue;
    BlockArgument arg = op.getMatchingBlockArgument(input);
    Type wide;
    bool onlyWidened = !arg.use_empty() &&
                       llvm::all_of(arg.getUsers(), [&](Operation *user) {
      auto ext = dyn_cast<arith::ExtFOp>(user);
      if (!ext || (wide && ext.getType() != wide))
        return false;
      wide = ext.getType();
      return true;
    });
    if (!onlyWidened)
      continue;
    Location loc = input->get().getLoc();
    rewriter.setInsertionPoint(op);
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input->get());
    Value init = tensor::EmptyOp::create(rewriter, loc, sizes, wide);
    AffineMap identity = rewriter.getMultiDimIdentityMap(type.getRank());
    auto widened = linalg::GenericOp::create(
        rewriter, loc, init.getType(), ValueRange{input->get()},
        ValueRange{init}, ArrayRef<AffineMap>{identity, identity},
        SmallVector<IteratorType>(type.getRank(), IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value ext = arith::ExtFOp::create(b, l, wide, args[0]);
          linalg::YieldOp::create(b, l, ext);
        });
    rewriter.modifyOpInPlace(op, [&] {
      input->set(widened.getResult(0));
      arg.setType(wide);
    });
    for (Operation *ext : llvm::make_early_inc_range(arg.getUsers()))
      rewriter.replaceOp(ext, arg);
  }
}

/// Step 1: tiles `root` in an scf.forall and fuses the producers in
/// `fusable` (decided before tiling starts: during fusion a producer's users
/// include the new slices, which would make it look unfusable).
LogicalResult tileRootAndFuse(RewriterBase &rewriter, linalg::LinalgOp root,
                              ArrayRef<int64_t> tileSizes,
                              const DenseSet<Operation *> &fusable) {
  scf::SCFTilingOptions tiling;
  tiling.setTileSizes(asIndexAttrs(rewriter, tileSizes))
      .setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (fusable.contains(producer.getOwner()))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  rewriter.setInsertionPoint(root);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(root.getOperation()), options);
  if (failed(result))
    return failure();
  for (auto [original, replacement] : result->replacements)
    rewriter.replaceAllUsesWith(original, replacement);
  return success();
}

/// The bytes of a cache line, the unit `align-row-heads` aligns rows to.
constexpr int64_t kCacheLineBytes = 64;

/// Replaces `op` by one op per part of its loop `dim`, each part an
/// (offset, size) of that loop, chained through the destination as
/// linalg::splitOp chains its two halves (which cannot give a part a static
/// size after one of dynamic size: it clamps every split point with a min).
/// Returns the parts' ops.
SmallVector<linalg::LinalgOp>
splitLoop(RewriterBase &rewriter, linalg::LinalgOp op, unsigned dim,
          ArrayRef<std::pair<OpFoldResult, OpFoldResult>> parts) {
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  auto tileable = cast<TilingInterface>(op.getOperation());
  Location loc = op.getLoc();
  SmallVector<Range> domain = tileable.getIterationDomain(rewriter);
  SmallVector<OpFoldResult> offsets, sizes;
  for (const Range &range : domain) {
    offsets.push_back(range.offset);
    sizes.push_back(range.size);
  }
  SmallVector<linalg::LinalgOp> partOps;
  for (auto [offset, size] : parts) {
    offsets[dim] = offset;
    sizes[dim] = size;
    // Each part reads the destination as the previous part left it.
    FailureOr<TilingResult> part =
        tileable.getTiledImplementation(rewriter, offsets, sizes);
    assert(succeeded(part) && part->tiledOps.size() == 1 &&
           "a linalg op tiles into one op");
    SmallVector<OpFoldResult> resultOffsets, resultSizes;
    LogicalResult position = tileable.getResultTilePosition(
        rewriter, 0, offsets, sizes, resultOffsets, resultSizes);
    assert(succeeded(position) && "a linalg op has result tile positions");
    (void)position;
    Value dest = op.getDpsInitOperand(0)->get();
    Value inserted = tensor::InsertSliceOp::create(
        rewriter, loc, part->tiledValues[0], dest, resultOffsets, resultSizes,
        SmallVector<OpFoldResult>(resultOffsets.size(),
                                  rewriter.getIndexAttr(1)));
    rewriter.modifyOpInPlace(
        op, [&] { op.getDpsInitOperand(0)->set(inserted); });
    partOps.push_back(cast<linalg::LinalgOp>(part->tiledOps[0]));
  }
  rewriter.replaceOp(op, op.getDpsInitOperand(0)->get());
  return partOps;
}

/// Step 1b (`align-row-heads`): where `op` writes a whole row of an
/// scf.forall's result whose width is not a multiple of a cache line (771
/// f32), most of the row's vector stores straddle two lines, and x86 pays
/// for each split store. `op` is split along the row into
///   head [0, h), h = (-rowStart) mod line: less than a line;
///   body [h, h + B), B = the most whole lines that fit after any head,
///        (W - (line - 1)) rounded down to lines: a static size, tiled in
///        step 2 as any row, every tile starting on a line;
///   rest [h + B, W): less than two lines.
/// Head and rest become one masked vector op each (their sizes are bounded
/// at compile time), no loop. Alignment assumes the result buffer starts
/// on a line, as bufferization's allocations do. The row's start is the
/// slice's flat offset, which needs every dim of the result but the
/// outermost static, and the slice must be one row (outer sizes 1). Only
/// results of 4-byte or wider elements: bf16 rows ran slower split in an
/// earlier session's measurement on a Xeon, not repeated since.
/// Returns the head and the rest, or nothing where `op` is not such a row.
SmallVector<linalg::LinalgOp> alignRowHead(RewriterBase &rewriter,
                                           linalg::LinalgOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumReductionLoops() != 0 ||
      op.getNumLoops() == 0)
    return {};
  OpOperand *init = op.getDpsInitOperand(0);
  if (!op.getMatchingIndexingMap(init).isIdentity())
    return {};
  auto slice = init->get().getDefiningOp<tensor::ExtractSliceOp>();
  auto sharedOut = slice ? dyn_cast<BlockArgument>(slice.getSource())
                         : BlockArgument();
  auto forall =
      sharedOut ? dyn_cast<scf::ForallOp>(sharedOut.getOwner()->getParentOp())
                : scf::ForallOp();
  if (!forall || !llvm::is_contained(forall.getRegionIterArgs(), sharedOut) ||
      !slice.hasUnitStride() ||
      slice.getSourceType().getRank() != slice.getResultType().getRank())
    return {};
  RankedTensorType rowsType = slice.getSourceType();
  ArrayRef<int64_t> shape = rowsType.getShape();
  int innermost = int(shape.size()) - 1;
  int64_t width = shape.back();
  Type elementType = rowsType.getElementType();
  if (!elementType.isIntOrFloat() ||
      elementType.getIntOrFloatBitWidth() % 8 != 0)
    return {};
  unsigned elementBytes = elementType.getIntOrFloatBitWidth() / 8;
  if (elementBytes < 4 || kCacheLineBytes % elementBytes != 0 ||
      ShapedType::isDynamic(width) ||
      llvm::any_of(shape.drop_front(), ShapedType::isDynamic))
    return {};
  int64_t line = kCacheLineBytes / elementBytes;
  // Under two lines wide, no whole line is left after every possible head.
  int64_t body = (width - (line - 1)) / line * line;
  if (width % line == 0 || body <= 0)
    return {};
  // One whole row: a tile of several rows would align only its first.
  SmallVector<OpFoldResult> sizes = slice.getMixedSizes();
  if (!isConstantIntValue(slice.getMixedOffsets()[innermost], 0) ||
      !isConstantIntValue(sizes[innermost], width) ||
      !llvm::all_of(ArrayRef(sizes).drop_back(), [](OpFoldResult size) {
        return isConstantIntValue(size, 1);
      }))
    return {};

  // rowStart = sum(offset[d] * stride[d]) over the outer dims, as affine
  // symbols; h = (-rowStart) mod line (affine's mod is never negative).
  MLIRContext *context = rewriter.getContext();
  AffineExpr rowStart = getAffineConstantExpr(0, context);
  int64_t stride = width;
  SmallVector<OpFoldResult> offsets = slice.getMixedOffsets();
  for (int d = innermost - 1; d >= 0; --d) {
    rowStart = rowStart + getAffineSymbolExpr(d, context) * stride;
    if (d > 0) // shape[0] may be dynamic; no stride needs it.
      stride *= shape[d];
  }
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  ArrayRef<OpFoldResult> outerOffsets = ArrayRef(offsets).drop_back();
  OpFoldResult head = affine::makeComposedFoldedAffineApply(
      rewriter, loc, AffineMap::get(0, innermost, (-rowStart) % line),
      outerOffsets);
  // A row known to start on a line (a single row at offset 0) needs no head.
  if (isConstantIntValue(head, 0))
    return {};
  AffineExpr h = getAffineSymbolExpr(0, context);
  OpFoldResult restOffset =
      affine::makeComposedFoldedAffineApply(rewriter, loc, h + body, {head});
  OpFoldResult restSize = affine::makeComposedFoldedAffineApply(
      rewriter, loc, width - body - h, {head});
  SmallVector<linalg::LinalgOp> parts =
      splitLoop(rewriter, op, innermost,
                {{rewriter.getIndexAttr(0), head},
                 {head, rewriter.getIndexAttr(body)},
                 {restOffset, restSize}});
  return {parts[0], parts[2]};
}

/// Whether `value` is returned by its function, directly or through casts
/// and reshapes: its buffer is one whose stores stream (NontemporalStores).
bool isReturned(Value value) {
  SmallVector<Value> worklist{value};
  while (!worklist.empty()) {
    for (Operation *user : worklist.pop_back_val().getUsers()) {
      if (user->hasTrait<OpTrait::ReturnLike>() &&
          isa<FunctionOpInterface>(user->getParentOp()))
        return true;
      if (isa<tensor::CastOp, tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
              user))
        worklist.push_back(user->getResult(0));
    }
  }
  return false;
}

/// Step 1b's rule for vectors narrower than a line: whether `op`, in
/// `forall`, is a row pass bound by its stores, which the split lets
/// stream: a norm's output pass. That is, `op`
///   - reads a value that a reduction (not a contraction) computes in the
///     same iteration: the row is in cache, read by the reduction;
///   - has no math-dialect op in its body: a tanh or an exp (a norm followed
///     by tanh, a softmax) makes it bound by its arithmetic, as DyT is;
///   - writes a result of `forall` that the function returns: the stores
///     into other buffers do not stream.
bool isStoreBoundRowPass(linalg::LinalgOp op, scf::ForallOp forall) {
  if (op.getNumDpsInits() != 1)
    return false;
  auto slice =
      op.getDpsInitOperand(0)->get().getDefiningOp<tensor::ExtractSliceOp>();
  auto sharedOut = slice ? dyn_cast<BlockArgument>(slice.getSource())
                         : BlockArgument();
  // (ForallOp's LoopLikeOpInterface::getTiedLoopResult gives a null result
  // for its shared_outs in MLIR 22: its own accessors are used instead.)
  if (!sharedOut || sharedOut.getOwner()->getParentOp() != forall ||
      !llvm::is_contained(forall.getRegionIterArgs(), sharedOut) ||
      !isReturned(forall.getTiedOpResult(forall.getTiedOpOperand(sharedOut))))
    return false;
  bool computesMath = op.getBlock()
                          ->walk([](Operation *inner) {
                            return isa<math::MathDialect>(inner->getDialect())
                                       ? WalkResult::interrupt()
                                       : WalkResult::advance();
                          })
                          .wasInterrupted();
  if (computesMath)
    return false;
  BackwardSliceOptions options;
  // The forall's and enclosing ops' block arguments lead nowhere inside it.
  options.omitBlockArguments = true;
  // Values the op's body captures from the forall count as its operands.
  options.omitUsesFromAbove = false;
  options.filter = [&](Operation *producer) {
    return forall->isProperAncestor(producer);
  };
  SetVector<Operation *> producers;
  // Fails only on IR with a value that is neither a result nor an argument.
  if (failed(getBackwardSlice(op.getOperation(), &producers, options)))
    return false;
  return llvm::any_of(producers, [](Operation *producer) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(producer);
    return linalgOp && !isContraction(linalgOp) &&
           linalgOp.getNumReductionLoops() > 0;
  });
}

/// Step 2: tiles `op` by `tileSizes` in scf.for loops. A reduction along the
/// innermost loop (a norm's row sums) is tiled as a partial reduction: the
/// loop adds each tile into a tile-sized accumulator, lane by lane, and one
/// reduction of that accumulator follows the loop. Reducing every tile to a
/// scalar instead would put a horizontal reduction on the loop-carried
/// dependency of every step.
///
/// With `peel`, the innermost loop's last, partial tile is peeled off (see
/// `peel-partial-tiles` in Passes.td).
LogicalResult tileInner(RewriterBase &rewriter, linalg::LinalgOp op,
                        ArrayRef<int64_t> tileSizes, bool partialReduction,
                        bool peel) {
  scf::SCFTilingOptions tiling;
  SmallVector<int64_t> sizes(tileSizes);
  unsigned innermost = op.getNumLoops() - 1;
  if (partialReduction) {
    // Partial reductions tile only the reduction loop; inside a row loop
    // the others have size 1 anyway.
    for (unsigned loop = 0; loop < innermost; ++loop)
      sizes[loop] = 0;
    tiling.setReductionTilingStrategy(
        ReductionTilingStrategy::PartialReductionOuterReduction);
    tiling.setReductionDims({innermost});
  }
  tiling.setTileSizes(asIndexAttrs(rewriter, sizes));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), tiling);
  if (failed(result))
    return failure();
  rewriter.replaceOp(op, result->replacements);
  if (peel && !result->loops.empty())
    if (auto loop = dyn_cast<scf::ForOp>(result->loops.back().getOperation())) {
      // Fails, leaving the loop as it is, where the step divides the trip
      // count (no partial tile) or is 1 (every tile is whole).
      scf::ForOp remainder;
      (void)scf::peelForLoopAndSimplifyBounds(rewriter, loop, remainder);
    }
  return success();
}

/// Whether `op` reduces along its innermost loop only, into one result: the
/// shape partial-reduction tiling applies to.
bool isInnermostReduction(linalg::LinalgOp op) {
  unsigned numLoops = op.getNumLoops();
  // linalg.index in a partial reduction's tile would see tile-local indices.
  return !isContraction(op) && numLoops > 0 && !op.hasIndexSemantics() &&
         op.getIteratorTypesArray()[numLoops - 1] == IteratorType::reduction &&
         op.getNumReductionLoops() == 1 && op->getNumResults() == 1;
}

/// Inner tile sizes: K by 1 for contractions (the register block is already
/// in place); `vectorTile` along the innermost loop and 1 elsewhere for the
/// rest.
SmallVector<int64_t> innerTileSizes(linalg::LinalgOp op, int64_t vectorTile) {
  unsigned numLoops = op.getNumLoops();
  if (isContraction(op)) {
    SmallVector<int64_t> sizes(numLoops, 0);
    FailureOr<linalg::ContractionDimensions> dims =
        linalg::inferContractionDims(op);
    if (succeeded(dims))
      for (unsigned k : dims->k)
        sizes[k] = 1;
    return sizes;
  }
  SmallVector<int64_t> sizes(numLoops, 1);
  if (numLoops)
    sizes.back() = vectorTile;
  return sizes;
}

struct DytCpuTileAndFusePass
    : dyt::impl::DytCpuTileAndFusePassBase<DytCpuTileAndFusePass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    canonicalization = getCanonicalizationPatterns(context);
    return success();
  }

  void runOnOperation() override {
    FunctionOpInterface func = getOperation();
    IRRewriter rewriter(&getContext());
    int64_t lanes = f32LanesPerVector(vectorBits);

    if (failed(fuseElementwise(func)))
      return signalPassFailure();
    SmallVector<linalg::GenericOp> generics;
    func.walk([&](linalg::GenericOp op) {
      if (op.hasPureTensorSemantics() && !isContraction(op) &&
          !op->getParentOfType<LoopLikeOpInterface>())
        generics.push_back(op);
    });
    for (linalg::GenericOp op : generics)
      widenBroadcastInputs(rewriter, op);

    // Step 1. Roots, last first, so that a root's producers are still whole
    // when it fuses them.
    SmallVector<linalg::LinalgOp> roots;
    DenseSet<Operation *> fusable;
    func.walk([&](linalg::LinalgOp op) {
      // Ops in loops are already tiled (by dyt-fuse-matmul, or by the user).
      if (!isTensorLinalgOp(op) || op->getParentOfType<LoopLikeOpInterface>())
        return;
      if (isFusableProducer(op))
        fusable.insert(op);
      else
        roots.push_back(op);
    });
    ContractionTilingOptions contractionTiling;
    contractionTiling.blockM = matmulBlockM;
    contractionTiling.tileM =
        getMatmulTileM(matmulTileM, vectorBits, matmulVectorsN);
    contractionTiling.tileN = lanes * matmulVectorsN;
    contractionTiling.packRhs = packMatmulRhs;
    for (linalg::LinalgOp root : llvm::reverse(roots)) {
      // An op that cannot be tiled this way (valid IR this strategy does
      // not cover) is left for step 2 or the scalar fallback.
      if (hasEmptyLoop(root) || !hasTileableResults(root))
        continue;
      if (isTileableContraction(root)) {
        ContractionGroup group{root, cast<TilingInterface>(*root), {}};
        for (Value init : root.getDpsInits())
          if (Operation *producer = init.getDefiningOp();
              producer && fusable.contains(producer))
            group.fused.insert(producer);
        (void)tileContractionGroup(rewriter, group, contractionTiling);
        continue;
      }
      if (std::optional<SmallVector<int64_t>> sizes = rootTileSizes(root))
        (void)tileRootAndFuse(rewriter, root, *sizes, fusable);
    }
    // The fused producers' originals are dead now; static tile shapes fold.
    if (failed(applyPatternsGreedily(func, canonicalization)))
      return signalPassFailure();

    // Step 1b. Row stores aligned to cache lines. Where a native vector is
    // a whole line (AVX-512), every store of an unaligned row straddles two
    // lines and masked stores are native: every such row is split. With
    // 256-bit vectors only every other store straddles and head and rest
    // become AVX2 vmaskmovps: on a Zen 3 the split slowed every op down
    // without streaming stores, and DyT (bound by its tanh's arithmetic)
    // with them, but sped up the norms' output passes, which read their row
    // from cache and are bound by their stores, once the body streams
    // (docs/performance.md). So 256-bit vectors split only such passes
    // (isStoreBoundRowPass), and only when results stream. 128-bit vectors
    // (NEON, SSE: no masked stores) were not measured: not split.
    DenseSet<Operation *> rowEnds;
    bool lineVectors = lanes * 4 >= kCacheLineBytes;
    bool halfLineVectors = lanes * 4 * 2 == kCacheLineBytes;
    if (alignRowHeads && (lineVectors || (halfLineVectors && streamingStores))) {
      SmallVector<linalg::LinalgOp> rows;
      func.walk([&](linalg::LinalgOp op) {
        auto forall = dyn_cast_or_null<scf::ForallOp>(op->getParentOp());
        if (forall && isTensorLinalgOp(op) && !isContraction(op) &&
            (lineVectors || isStoreBoundRowPass(op, forall)))
          rows.push_back(op);
      });
      for (linalg::LinalgOp op : rows)
        for (linalg::LinalgOp part : alignRowHead(rewriter, op))
          rowEnds.insert(part);
    }

    // Step 2. Every linalg op, in or out of the loops above.
    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp op) {
      if (isTensorLinalgOp(op) && !hasEmptyLoop(op) && hasTileableResults(op))
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops) {
      // A row's head and rest are shorter than two lines: one masked
      // vector op each, no loop.
      if (rowEnds.contains(op))
        continue;
      SmallVector<int64_t> sizes = innerTileSizes(op, lanes * unroll);
      // Nothing to do when every loop already fits its tile.
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      bool fits = llvm::all_of(llvm::zip(ranges, sizes), [](auto pair) {
        auto [range, size] = pair;
        return size == 0 || (!ShapedType::isDynamic(range) && range <= size);
      });
      if (fits)
        continue;
      // Partial reduction where the combiner allows it (it needs a neutral
      // element), else the full reduction, else leave the op to the scalar
      // fallback: valid IR never fails the pass.
      if (isInnermostReduction(op)) {
        // A speculative attempt: upstream reports a combiner it cannot
        // split as an error, which is no error here.
        ScopedDiagnosticHandler quiet(&getContext(),
                                      [](Diagnostic &) { return success(); });
        if (succeeded(tileInner(rewriter, op, sizes, /*partialReduction=*/true,
                                  peelPartialTiles)))
          continue;
      }
      (void)tileInner(rewriter, op, sizes, /*partialReduction=*/false,
                      peelPartialTiles);
    }
    if (failed(applyPatternsGreedily(func, canonicalization)))
      return signalPassFailure();
  }

  FrozenRewritePatternSet canonicalization;
};

} // namespace
