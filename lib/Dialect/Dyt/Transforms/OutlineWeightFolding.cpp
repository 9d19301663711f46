//===- OutlineWeightFolding.cpp - dyt-outline-weight-folding ---------------===//
//
// Splits the folding of a DyT's gamma and beta into the argument weights of
// the matmuls it feeds off into a one-time function, and gives the hot path
// a function that takes the folded weights (see the pass description).
//
//===----------------------------------------------------------------------===//

#include "dyt/Dialect/Dyt/Transforms/Passes.h"
#include "dyt/Dialect/Dyt/Transforms/WeightFolding.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/BitVector.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTOUTLINEWEIGHTFOLDINGPASS
#include "dyt/Dialect/Dyt/Transforms/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;
using namespace mlir::dyt;

namespace {

/// On the hot function: its folding function, and the function it was split
/// from (which a second run of the pass then leaves alone).
constexpr StringLiteral kFoldWeights = "dyt.fold_weights";
constexpr StringLiteral kFoldedFrom = "dyt.folded_from";

/// Whether `value` is an argument of `func`'s body.
bool isArgumentOf(Value value, func::FuncOp func) {
  auto arg = dyn_cast<BlockArgument>(value);
  return arg && arg.getOwner() == &func.front();
}

/// A DyT -> matmul whose weight, gamma and beta are arguments of `func` or
/// constants, at least one an argument: what this pass folds.
FailureOr<DytMatmul> matchArgumentFolding(RewriterBase &rewriter,
                                          linalg::LinalgOp op,
                                          func::FuncOp func) {
  FailureOr<DytMatmul> m = matchDytMatmul(rewriter, op);
  if (failed(m))
    return failure();
  Value parts[] = {m->weight(), m->dyt.getGamma(), m->dyt.getBeta()};
  auto foldable = [&](Value v) {
    return isArgumentOf(v, func) || matchPattern(v, m_Constant());
  };
  if (!llvm::all_of(parts, foldable) ||
      !llvm::any_of(parts, [&](Value v) { return isArgumentOf(v, func); }))
    return rewriter.notifyMatchFailure(
        op, "weight, gamma and beta are not arguments and constants");
  if (!isa<FloatType>(getElementTypeOrSelf(m->weight().getType())))
    return rewriter.notifyMatchFailure(op, "weight is not a float tensor");
  return m;
}

SmallVector<DytMatmul> collectFoldings(func::FuncOp func) {
  IRRewriter rewriter(func.getContext());
  SmallVector<DytMatmul> foldings;
  func.walk([&](linalg::LinalgOp op) {
    if (FailureOr<DytMatmul> m = matchArgumentFolding(rewriter, op, func);
        succeeded(m))
      foldings.push_back(*m);
  });
  return foldings;
}

/// f32 unless either type is f64: the precision the folding computes in.
Type getComputeType(Type a, Type b) {
  MLIRContext *context = a.getContext();
  if (a.isF64() || b.isF64())
    return Float64Type::get(context);
  return Float32Type::get(context);
}

/// `value` as a float of type `to` (extf, truncf, or itself).
Value convertFloat(OpBuilder &b, Location loc, Value value, Type to) {
  return convertScalarToDtype(b, loc, value, to, /*isUnsignedCast=*/false);
}

/// Aborts the program with `message` unless `param` (gamma or beta) has as
/// many elements as `weight` has along `kPos`, when the types leave it open:
/// the DyT's lowering checks its parameters against its input the same way.
void assertSizeAlongK(OpBuilder &b, Location loc, Value param, Value weight,
                      unsigned kPos, StringRef message) {
  auto paramType = cast<RankedTensorType>(param.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  if (!paramType.isDynamicDim(0) && !weightType.isDynamicDim(kPos))
    return;
  Value paramSize = tensor::DimOp::create(b, loc, param, 0);
  Value kSize = tensor::DimOp::create(b, loc, weight, kPos);
  Value equal = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                      paramSize, kSize);
  cf::AssertOp::create(b, loc, equal, message);
}

/// The folding of one matmul's weight, in the folding function.
struct FoldedWeights {
  Value weight;
  Value bias; // null when beta is a constant zero
};

FoldedWeights emitFolding(OpBuilder &b, Location loc, DytMatmul m,
                          Value weight, Value gamma, Value beta) {
  MLIRContext *context = b.getContext();
  auto weightType = cast<RankedTensorType>(weight.getType());
  Type weightElement = weightType.getElementType();
  unsigned kPos = m.kFirst ? 0 : 1, nPos = m.kFirst ? 1 : 0;
  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, context);
  AffineMap alongK = AffineMap::get(2, 0, getAffineDimExpr(kPos, context));
  AffineMap alongN = AffineMap::get(2, 0, getAffineDimExpr(nPos, context));

  assertSizeAlongK(b, loc, gamma, weight, kPos,
                   "dyt-outline-weight-folding: gamma's size differs from "
                   "the weight's K");
  // W'[k, n] = gamma[k] * W[k, n], computed in f32 and rounded once.
  Type gammaElement = getElementTypeOrSelf(gamma.getType());
  Type scaleType = getComputeType(weightElement, gammaElement);
  Value empty = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, weight), weightElement);
  Value folded =
      linalg::GenericOp::create(
          b, loc, weightType, ValueRange{weight, gamma}, empty,
          ArrayRef<AffineMap>{identity, alongK, identity},
          SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value product = arith::MulFOp::create(
                nb, nl, convertFloat(nb, nl, args[0], scaleType),
                convertFloat(nb, nl, args[1], scaleType));
            linalg::YieldOp::create(
                nb, nl, convertFloat(nb, nl, product, weightElement));
          })
          .getResult(0);
  if (isSplat(m.dyt.getBeta(), 0.0))
    return {folded, nullptr};

  assertSizeAlongK(b, loc, beta, weight, kPos,
                   "dyt-outline-weight-folding: beta's size differs from "
                   "the weight's K");
  // bias[n] = sum_k beta[k] * W[k, n], accumulated in f32.
  Type resultElement = getElementTypeOrSelf(m.matmul.getDpsInits()[0]);
  Type accType = getComputeType(
      getComputeType(weightElement, getElementTypeOrSelf(beta.getType())),
      resultElement);
  OpFoldResult nSize = tensor::getMixedSize(b, loc, weight, nPos);
  Value accEmpty = tensor::EmptyOp::create(b, loc, {nSize}, accType);
  Value zero =
      arith::ConstantOp::create(b, loc, accType, b.getFloatAttr(accType, 0.0));
  Value acc =
      linalg::FillOp::create(b, loc, zero, accEmpty).getResult(0);
  SmallVector<utils::IteratorType> iterators(2, utils::IteratorType::parallel);
  iterators[kPos] = utils::IteratorType::reduction;
  Value sum =
      linalg::GenericOp::create(
          b, loc, acc.getType(), ValueRange{weight, beta}, acc,
          ArrayRef<AffineMap>{identity, alongK, alongN}, iterators,
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value product = arith::MulFOp::create(
                nb, nl, convertFloat(nb, nl, args[0], accType),
                convertFloat(nb, nl, args[1], accType));
            Value total = arith::AddFOp::create(nb, nl, args[2], product);
            linalg::YieldOp::create(nb, nl, total);
          })
          .getResult(0);
  if (accType == resultElement)
    return {folded, sum};
  Value biasEmpty = tensor::EmptyOp::create(b, loc, {nSize}, resultElement);
  AffineMap id1 = AffineMap::getMultiDimIdentityMap(1, context);
  Value bias =
      linalg::GenericOp::create(
          b, loc, biasEmpty.getType(), sum, biasEmpty,
          ArrayRef<AffineMap>{id1, id1},
          SmallVector<utils::IteratorType>(1, utils::IteratorType::parallel),
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            linalg::YieldOp::create(
                nb, nl, convertFloat(nb, nl, args[0], resultElement));
          })
          .getResult(0);
  return {folded, bias};
}

struct DytOutlineWeightFoldingPass
    : dyt::impl::DytOutlineWeightFoldingPassBase<DytOutlineWeightFoldingPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    // Only the functions that were there, and not twice: the ones added are
    // not revisited, nor are functions a previous run already split.
    DenseSet<StringAttr> done;
    for (auto func : module.getOps<func::FuncOp>())
      if (auto from = func->getAttrOfType<FlatSymbolRefAttr>(kFoldedFrom))
        done.insert(from.getAttr());
    SmallVector<func::FuncOp> funcs;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal() && !done.contains(func.getSymNameAttr()) &&
          !collectFoldings(func).empty())
        funcs.push_back(func);
    for (func::FuncOp func : funcs)
      outline(func, symbols);
  }

  void outline(func::FuncOp func, SymbolTable &symbols) {
    MLIRContext *context = &getContext();
    Location loc = func.getLoc();
    OpBuilder b(context);

    // The hot function starts as a copy of @f.
    auto hot = cast<func::FuncOp>(func->clone());
    hot.setSymName((func.getSymName() + hotSuffix).str());
    symbols.insert(hot, std::next(Block::iterator(func)));
    SmallVector<DytMatmul> foldings = collectFoldings(hot);

    // The folding function takes the arguments the folding reads, in their
    // order; constants among weight, gamma and beta are copied into it.
    Block &hotBody = hot.front();
    llvm::BitVector read(hot.getNumArguments());
    for (DytMatmul m : foldings)
      for (Value v : {m.weight(), m.dyt.getGamma(), m.dyt.getBeta()})
        if (isArgumentOf(v, hot))
          read.set(cast<BlockArgument>(v).getArgNumber());
    SmallVector<Type> foldInputs;
    for (unsigned i : read.set_bits())
      foldInputs.push_back(hot.getArgumentTypes()[i]);
    auto fold = func::FuncOp::create(
        b, loc, (func.getSymName() + foldSuffix).str(),
        FunctionType::get(context, foldInputs, {}));
    symbols.insert(fold, std::next(Block::iterator(hot)));
    Block *foldBody = fold.addEntryBlock();
    IRMapping mapping;
    for (auto [i, index] : llvm::enumerate(read.set_bits()))
      mapping.map(hotBody.getArgument(index), foldBody->getArgument(i));
    b.setInsertionPointToStart(foldBody);
    auto lookup = [&](Value v) -> Value {
      if (Value mapped = mapping.lookupOrNull(v))
        return mapped;
      Operation *constant = b.clone(*v.getDefiningOp(), mapping);
      return constant->getResult(0);
    };

    // Each matmul's W' (and bias) becomes a result of the folding function
    // and an argument of the hot one.
    SmallVector<Value> foldResults;
    IRRewriter rewriter(context);
    SmallVector<DytOp> dyts;
    for (DytMatmul m : foldings) {
      FoldedWeights folded =
          emitFolding(b, m.matmul.getLoc(), m, lookup(m.weight()),
                      lookup(m.dyt.getGamma()), lookup(m.dyt.getBeta()));
      Value weightArg = addArgument(hot, folded.weight.getType(), m);
      Value biasArg =
          folded.bias ? addArgument(hot, folded.bias.getType(), m) : Value();
      // W' has W's shape: sizes read from W (for the result's N, say) are
      // read from W' instead, so that W itself need not be passed.
      for (OpOperand &use : llvm::make_early_inc_range(m.weight().getUses()))
        if (auto dim = dyn_cast<tensor::DimOp>(use.getOwner()))
          rewriter.modifyOpInPlace(dim, [&] { use.set(weightArg); });
      foldResults.push_back(folded.weight);
      if (folded.bias)
        foldResults.push_back(folded.bias);
      rewriteWithFoldedWeight(rewriter, m, weightArg, biasArg);
      if (!llvm::is_contained(dyts, m.dyt))
        dyts.push_back(m.dyt);
    }
    func::ReturnOp::create(b, loc, foldResults);
    fold.setFunctionType(FunctionType::get(
        context, foldInputs, ValueRange(foldResults).getTypes()));

    // What only the folding read leaves the hot function.
    for (DytOp dyt : dyts)
      if (dyt->use_empty())
        rewriter.eraseOp(dyt);
    llvm::BitVector dead(hot.getNumArguments());
    for (unsigned i : read.set_bits())
      if (hotBody.getArgument(i).use_empty())
        dead.set(i);
    if (failed(hot.eraseArguments(dead))) {
      hot.emitError("cannot drop the arguments only the folding reads");
      return signalPassFailure();
    }
    hot->setAttr(kFoldWeights, FlatSymbolRefAttr::get(fold));
    hot->setAttr(kFoldedFrom, FlatSymbolRefAttr::get(func));
  }

  /// Appends an argument of `type` to `hot`, located at the matmul.
  static Value addArgument(func::FuncOp hot, Type type, DytMatmul m) {
    unsigned index = hot.getNumArguments();
    (void)hot.insertArgument(index, type, DictionaryAttr(),
                             m.matmul.getLoc());
    return hot.getArgument(index);
  }
};

} // namespace
