//===- WeightFolding.cpp - DyT's gamma and beta folded into weights --------===//

#include "dyt/Dialect/Dyt/Transforms/WeightFolding.h"

#include "dyt/Codegen/ContractionTiling.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::dyt;

std::optional<MatmulOperands> mlir::dyt::getMatmulOperands(linalg::LinalgOp op) {
  if (!isTileableContraction(op) || op.getNumDpsInputs() != 2)
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (dims->m.size() != 1 || dims->n.size() != 1 || dims->k.size() != 1)
    return std::nullopt;
  MatmulOperands result{nullptr, nullptr, dims->m[0], dims->n[0], dims->k[0]};
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (map.isFunctionOfDim(result.m))
      result.lhs = input;
    else if (map.isFunctionOfDim(result.n))
      result.rhs = input;
  }
  if (!result.lhs || !result.rhs)
    return std::nullopt;
  return result;
}

bool mlir::dyt::isSplat(Value value, double expected) {
  std::optional<APFloat> splat = getSplatParamValue(value);
  if (!splat)
    return false;
  bool lost;
  splat->convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
  return splat->convertToDouble() == expected;
}

FailureOr<DytMatmul> mlir::dyt::matchDytMatmul(RewriterBase &rewriter,
                                               linalg::LinalgOp op) {
  std::optional<MatmulOperands> operands = getMatmulOperands(op);
  if (!operands)
    return rewriter.notifyMatchFailure(op, "not a single M/N/K contraction");
  auto dyt = operands->lhs->get().getDefiningOp<DytOp>();
  if (!dyt)
    return rewriter.notifyMatchFailure(op, "left-hand input is not a DyT");
  AffineMap lhsMap = op.getMatchingIndexingMap(operands->lhs);
  AffineMap rhsMap = op.getMatchingIndexingMap(operands->rhs);
  if (lhsMap.getDimPosition(dyt.getChannelDim()) != operands->k)
    return rewriter.notifyMatchFailure(op, "DyT channel dim is not K");
  if (isSplat(dyt.getGamma(), 1.0) && isSplat(dyt.getBeta(), 0.0))
    return rewriter.notifyMatchFailure(op, "nothing to fold");
  if (rhsMap.getNumResults() != 2)
    return rewriter.notifyMatchFailure(op, "weight is not a 2-d tensor");
  bool kFirst = rhsMap.getDimPosition(0) == operands->k;
  return DytMatmul{op, *operands, dyt, kFirst};
}

namespace {

/// tanh(alpha x) as a DyT with splat gamma = 1 and beta = 0, which the
/// lowering computes without a multiply or an add. One per DyT, shared by
/// every matmul it feeds.
Value getPlainDyt(RewriterBase &rewriter, DytOp dyt, Operation *matmul) {
  for (Operation *user : dyt.getInput().getUsers())
    if (auto other = dyn_cast<DytOp>(user);
        other && other != dyt && other.getAlpha() == dyt.getAlpha() &&
        other.getChannelDim() == dyt.getChannelDim() &&
        isSplat(other.getGamma(), 1.0) && isSplat(other.getBeta(), 0.0) &&
        other->getBlock() == matmul->getBlock() &&
        other->isBeforeInBlock(matmul))
      return other.getResult();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointAfter(dyt);
  auto paramType = cast<RankedTensorType>(dyt.getGamma().getType());
  Location loc = dyt.getLoc();
  auto splat = [&](double value) {
    return createSplatParam(rewriter, loc, paramType, dyt.getInput(),
                            dyt.getChannelDim(), value);
  };
  Value one = splat(1.0), zero = splat(0.0);
  return DytOp::create(rewriter, loc, dyt.getInput(), dyt.getAlpha(), one,
                       zero, dyt.getChannelDim())
      .getResult();
}

/// init + broadcast(bias) along the result's N dim.
Value addBias(RewriterBase &rewriter, DytMatmul m, Value init,
              Value bias) {
  linalg::LinalgOp op = m.matmul;
  auto initType = cast<RankedTensorType>(init.getType());
  AffineMap resultMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  std::optional<unsigned> nPos = resultMap.getResultPosition(
      getAffineDimExpr(m.operands.n, op.getContext()));
  unsigned rank = initType.getRank();
  MLIRContext *context = op.getContext();
  SmallVector<AffineMap> maps = {
      AffineMap::get(rank, 0, getAffineDimExpr(*nPos, context)),
      AffineMap::getMultiDimIdentityMap(rank, context)};
  return linalg::GenericOp::create(
             rewriter, op.getLoc(), initType, bias, init, maps,
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [](OpBuilder &b, Location nestedLoc, ValueRange args) {
               Value sum =
                   arith::AddFOp::create(b, nestedLoc, args[1], args[0]);
               linalg::YieldOp::create(b, nestedLoc, sum);
             })
      .getResult(0);
}

} // namespace

void mlir::dyt::rewriteWithFoldedWeight(RewriterBase &rewriter,
                                        DytMatmul m,
                                        Value foldedWeight, Value bias) {
  Value plain = getPlainDyt(rewriter, m.dyt, m.matmul);
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(m.matmul);
  Value init = m.matmul.getDpsInits()[0];
  if (bias)
    init = addBias(rewriter, m, init, bias);
  rewriter.modifyOpInPlace(m.matmul, [&] {
    m.operands.lhs->set(plain);
    m.operands.rhs->set(foldedWeight);
    m.matmul.getDpsInitsMutable()[0].set(init);
  });
}
