//===- FuseMatmul.cpp - dyt-fuse-matmul ------------------------------------===//
//
// Folds a DyT's gamma and beta into the constant weights of the matmuls it
// feeds, then tiles every matmul together with its elementwise epilogue and
// its single-use elementwise prologue (see the pass description).
//
//===----------------------------------------------------------------------===//

#include "dyt/Dialect/Dyt/Transforms/Passes.h"
#include "dyt/Dialect/Dyt/Transforms/WeightFolding.h"

#include "dyt/Codegen/ContractionTiling.h"
#include "dyt/Codegen/Passes.h"
#include "dyt/Codegen/Utils.h"
#include "dyt/Dialect/Dyt/IR/DytOps.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTFUSEMATMULPASS
#include "dyt/Dialect/Dyt/Transforms/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;
using namespace mlir::dyt;

namespace {

//===----------------------------------------------------------------------===//
// Weight folding
//===----------------------------------------------------------------------===//

SmallVector<double> toDoubles(DenseFPElementsAttr attr) {
  return llvm::map_to_vector(attr.getValues<APFloat>(), [](APFloat value) {
    bool lost;
    value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
    return value.convertToDouble();
  });
}

DenseElementsAttr fromDoubles(ShapedType type, ArrayRef<double> values) {
  const llvm::fltSemantics &semantics =
      cast<FloatType>(type.getElementType()).getFloatSemantics();
  SmallVector<APFloat> rounded = llvm::map_to_vector(values, [&](double v) {
    APFloat value(v);
    bool lost;
    value.convert(semantics, APFloat::rmNearestTiesToEven, &lost);
    return value;
  });
  return DenseElementsAttr::get(type, rounded);
}

/// matmul(dyt(x; alpha, gamma, beta), W) with constant W, gamma and beta,
/// the DyT's channel dim being the contraction dim K:
///   = matmul(dyt(x; alpha, 1, 0), diag(gamma) W) + beta W,
/// with diag(gamma) W and beta W computed here in double precision and
/// rounded once to the weight's and the result's element types.
struct FoldDytIntoConstantWeights
    : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<DytMatmul> m = matchDytMatmul(rewriter, op);
    if (failed(m))
      return failure();
    DenseFPElementsAttr weight, gamma, beta;
    if (!matchPattern(m->weight(), m_Constant(&weight)) ||
        !matchPattern(m->dyt.getGamma(), m_Constant(&gamma)) ||
        !matchPattern(m->dyt.getBeta(), m_Constant(&beta)))
      return rewriter.notifyMatchFailure(op, "weight, gamma or beta not constant");

    auto weightType = cast<RankedTensorType>(weight.getType());
    int64_t kSize = weightType.getDimSize(m->kFirst ? 0 : 1);
    int64_t nSize = weightType.getDimSize(m->kFirst ? 1 : 0);
    SmallVector<double> w = toDoubles(weight), g = toDoubles(gamma),
                        b = toDoubles(beta);
    if (g.size() == 1)
      g.assign(kSize, g[0]);
    if (b.size() == 1)
      b.assign(kSize, b[0]);
    SmallVector<double> folded(w.size()), bias(nSize, 0.0);
    for (int64_t k = 0; k < kSize; ++k)
      for (int64_t n = 0; n < nSize; ++n) {
        int64_t index = m->kFirst ? k * nSize + n : n * kSize + k;
        folded[index] = w[index] * g[k];
        bias[n] += b[k] * w[index];
      }

    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    Value newWeight = arith::ConstantOp::create(
        rewriter, loc, fromDoubles(weightType, folded));
    Value biasValue;
    if (llvm::any_of(b, [](double v) { return v != 0.0; })) {
      auto biasType = RankedTensorType::get(
          {nSize}, getElementTypeOrSelf(op.getDpsInits()[0].getType()));
      biasValue =
          arith::ConstantOp::create(rewriter, loc, fromDoubles(biasType, bias));
    }
    rewriteWithFoldedWeight(rewriter, *m, newWeight, biasValue);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Fusion groups
//===----------------------------------------------------------------------===//

/// An op that maps each element of its inputs to one element of its result,
/// over all of its loops: a DyT, or an all-parallel linalg op with one result
/// and identity result map.
bool isElementwise(Operation *op) {
  if (isa<DytOp>(op))
    return true;
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.hasPureTensorSemantics() &&
         !isContraction(op) && op->getNumResults() == 1 &&
         linalgOp.getNumLoops() == linalgOp.getNumParallelLoops() &&
         linalgOp.getIndexingMapMatchingResult(op->getResult(0)).isIdentity();
}

/// Whether `user` consumes `value` elementwise, element for element.
bool consumesElementwise(Operation *user, Value value) {
  if (!isElementwise(user))
    return false;
  if (auto dyt = dyn_cast<DytOp>(user))
    return dyt.getInput() == value;
  auto linalgOp = cast<linalg::LinalgOp>(user);
  return llvm::all_of(user->getOpOperands(), [&](OpOperand &operand) {
    return operand.get() != value ||
           linalgOp.getMatchingIndexingMap(&operand).isIdentity();
  });
}

/// Whether all uses of `value` are in one op (convert-elementwise-to-linalg
/// makes an add's first operand also its init: two uses, one user).
bool hasSingleUser(Value value) {
  return llvm::all_equal(value.getUsers());
}

/// Elementwise producers of `op`'s operands whose only user is `op`: the
/// broadcast of a bias, a fill, a prologue. Tiled with `op`, nothing in them
/// is computed twice.
void addSingleUseProducers(Operation *op, ArrayRef<Value> operands,
                           DenseSet<Operation *> &fused) {
  for (Value operand : operands) {
    Operation *producer = operand.getDefiningOp();
    if (!producer || producer->use_empty() ||
        !llvm::all_of(producer->getResults(), hasSingleUser) ||
        *producer->getUsers().begin() != op ||
        !(isElementwise(producer) || isa<linalg::FillOp>(producer)))
      continue;
    fused.insert(producer);
    if (auto dps = dyn_cast<DestinationStyleOpInterface>(producer))
      addSingleUseProducers(
          producer, llvm::to_vector(dps.getDpsInits()), fused);
  }
}

/// Gives each init of `op` that its payload never reads a fresh
/// tensor.empty. convert-elementwise-to-linalg makes an add's first operand
/// its init too; fused through both uses, the matmul feeding the add would
/// be computed twice per tile.
void dropUnreadInits(RewriterBase &rewriter, Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp)
    return;
  for (OpOperand &init : linalgOp.getDpsInitsMutable()) {
    if (linalgOp.payloadUsesValueFromOperand(&init) ||
        init.get().getDefiningOp<tensor::EmptyOp>())
      continue;
    rewriter.setInsertionPoint(op);
    Value empty = tensor::EmptyOp::create(
        rewriter, op->getLoc(),
        tensor::getMixedSizes(rewriter, op->getLoc(), init.get()),
        getElementTypeOrSelf(init.get().getType()));
    rewriter.modifyOpInPlace(op, [&] { init.set(empty); });
  }
}

ContractionGroup buildGroup(RewriterBase &rewriter,
                            linalg::LinalgOp contraction) {
  ContractionGroup group{contraction, cast<TilingInterface>(*contraction), {}};
  // Epilogue: follow single uses through elementwise consumers.
  Value value = contraction->getResult(0);
  while (!value.use_empty() && hasSingleUser(value)) {
    Operation *user = *value.getUsers().begin();
    if (isElementwise(user))
      dropUnreadInits(rewriter, user);
    if (!consumesElementwise(user, value) ||
        !isa<TilingInterface>(user))
      break;
    if (group.root.getOperation() != contraction)
      group.fused.insert(group.root);
    group.root = cast<TilingInterface>(user);
    // The epilogue's other operands (a broadcast bias, a residual) are read
    // per tile; producers used by nothing else are computed per tile too.
    SmallVector<Value> others;
    for (Value operand : user->getOperands())
      if (operand != value)
        others.push_back(operand);
    addSingleUseProducers(user, others, group.fused);
    value = user->getResult(0);
  }
  // Prologue and init: single-use elementwise producers of the init and of
  // the inputs indexed by M, which a block reads only its own rows of (a
  // producer of B would be recomputed whole for every block).
  unsigned m = linalg::inferContractionDims(contraction)->m.back();
  SmallVector<Value> operands(contraction.getDpsInits());
  for (OpOperand *input : contraction.getDpsInputOperands())
    if (contraction.getMatchingIndexingMap(input).isFunctionOfDim(m))
      operands.push_back(input->get());
  addSingleUseProducers(contraction, operands, group.fused);
  return group;
}

struct DytFuseMatmulPass
    : dyt::impl::DytFuseMatmulPassBase<DytFuseMatmulPass> {
  using Base::Base;

  void runOnOperation() override {
    FunctionOpInterface func = getOperation();
    MLIRContext *context = &getContext();
    if (foldWeights) {
      RewritePatternSet patterns(context);
      patterns.add<FoldDytIntoConstantWeights>(context);
      if (failed(applyPatternsGreedily(func, std::move(patterns))))
        return signalPassFailure();
    }

    ContractionTilingOptions options;
    options.blockM = blockM;
    options.tileM = getMatmulTileM(tileM, vectorBits, vectorsN);
    options.tileN = f32LanesPerVector(vectorBits) * vectorsN;
    options.packRhs = packRhs;
    SmallVector<linalg::LinalgOp> contractions;
    func.walk([&](linalg::LinalgOp op) {
      if (isTileableContraction(op) &&
          !op->getParentOfType<LoopLikeOpInterface>() &&
          !llvm::is_contained(op.getStaticLoopRanges(), 0))
        contractions.push_back(op);
    });
    IRRewriter rewriter(context);
    for (linalg::LinalgOp contraction : contractions)
      (void)tileContractionGroup(rewriter, buildGroup(rewriter, contraction),
                                 options);

    // The originals of what was fused are dead now.
    if (failed(applyPatternsGreedily(func, RewritePatternSet(context))))
      return signalPassFailure();
  }
};

} // namespace
