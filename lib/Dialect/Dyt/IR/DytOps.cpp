//===- DytOps.cpp - Operations of the dyt dialect --------------------------===//
//
// Verifiers, folders and canonicalisations of dyt.dyt, dyt.layer_norm and
// dyt.rms_norm. The three ops share one contract for `input`, the result and
// the per-channel parameters, so the checks live in shared helpers and every
// diagnostic names the operand and the sizes/types involved.
//
//===----------------------------------------------------------------------===//

#include "dyt/Dialect/Dyt/IR/DytOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SmallString.h"

using namespace mlir;
using namespace mlir::dyt;

std::optional<APFloat> mlir::dyt::getSplatParamValue(Value param) {
  DenseFPElementsAttr attr;
  if (matchPattern(param, m_Constant(&attr)) && attr.isSplat())
    return attr.getSplatValue<APFloat>();
  FloatAttr scalar;
  if (auto splat = param.getDefiningOp<tensor::SplatOp>();
      splat && matchPattern(splat.getInput(), m_Constant(&scalar)))
    return scalar.getValue();
  return std::nullopt;
}

Value mlir::dyt::createSplatParam(OpBuilder &builder, Location loc,
                                  RankedTensorType paramType, Value input,
                                  int64_t channelDim, double value) {
  auto element = FloatAttr::get(paramType.getElementType(), value);
  if (paramType.hasStaticShape())
    return arith::ConstantOp::create(
        builder, loc, DenseElementsAttr::get(paramType, element));
  Value size = tensor::DimOp::create(builder, loc, input, channelDim);
  Value scalar = arith::ConstantOp::create(builder, loc, element);
  return tensor::SplatOp::create(builder, loc, scalar, paramType,
                                 ValueRange{size});
}

//===----------------------------------------------------------------------===//
// Shared verification helpers
//===----------------------------------------------------------------------===//

static bool isSupportedElementType(Type type) {
  return type.isF32() || type.isF16() || type.isBF16();
}

/// Checks the contract of `input`: a ranked tensor of rank >= 1 whose element
/// type is f32, f16 or bf16. Returns the tensor type, or null after emitting a
/// diagnostic.
static RankedTensorType verifyInputType(Operation *op, Type type) {
  auto tensorType = dyn_cast<TensorType>(type);
  if (!tensorType) {
    op->emitOpError() << "input must be a ranked tensor of f32, f16 or bf16, "
                         "got "
                      << type;
    return {};
  }
  auto ranked = dyn_cast<RankedTensorType>(tensorType);
  if (!ranked) {
    op->emitOpError() << "input must be a ranked tensor, got unranked "
                      << type;
    return {};
  }
  if (ranked.getRank() == 0) {
    op->emitOpError() << "input must have rank >= 1, got 0-d " << type;
    return {};
  }
  if (ranked.getEncoding()) {
    // A sparse or otherwise encoded tensor would need an encoding-aware
    // lowering; the dense one would silently drop the encoding.
    op->emitOpError() << "input must be a tensor without an encoding, got "
                      << type;
    return {};
  }
  if (!isSupportedElementType(ranked.getElementType())) {
    op->emitOpError() << "input element type must be f32, f16 or bf16, got "
                      << ranked.getElementType() << " (input type " << type
                      << ")";
    return {};
  }
  return ranked;
}

static LogicalResult verifyResultType(Operation *op, Type inputType) {
  Type resultType = op->getResult(0).getType();
  if (resultType != inputType)
    return op->emitOpError() << "result type " << resultType
                             << " must be the input type " << inputType;
  return success();
}

/// Checks a per-channel parameter (gamma or beta): a 1-d tensor of the
/// input's element type whose size is the input's dim `dim`. Dynamic sizes
/// on either side are accepted: they can only be checked at run time.
static LogicalResult verifyChannelParam(Operation *op, StringRef name,
                                        Type type, RankedTensorType inputType,
                                        int64_t dim, StringRef dimName) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked || ranked.getRank() != 1)
    return op->emitOpError() << name << " must be a 1-d tensor, got " << type;
  if (ranked.getElementType() != inputType.getElementType())
    return op->emitOpError()
           << name << " element type " << ranked.getElementType()
           << " must match the input element type "
           << inputType.getElementType();
  int64_t paramSize = ranked.getDimSize(0);
  int64_t channelSize = inputType.getDimSize(dim);
  if (!ShapedType::isDynamic(paramSize) &&
      !ShapedType::isDynamic(channelSize) && paramSize != channelSize)
    return op->emitOpError()
           << name << " size " << paramSize << " must match the input's "
           << dimName << " (dim " << dim << " of " << inputType << ") of size "
           << channelSize;
  return success();
}

static LogicalResult verifyEpsilon(Operation *op, const APFloat &epsilon) {
  if (epsilon.isNaN() || epsilon.isInfinity() || epsilon.isNegative() ||
      epsilon.isZero()) {
    SmallString<16> text;
    epsilon.toString(text);
    return op->emitOpError()
           << "epsilon must be a finite value > 0, got " << text;
  }
  return success();
}

/// The shared part of the norms' verifiers: input, result, gamma over the
/// last dim, and epsilon.
static RankedTensorType verifyNormCommon(Operation *op, Value input,
                                         Value gamma,
                                         const APFloat &epsilon) {
  RankedTensorType inputType = verifyInputType(op, input.getType());
  if (!inputType || failed(verifyResultType(op, inputType)) ||
      failed(verifyChannelParam(op, "gamma", gamma.getType(), inputType,
                                inputType.getRank() - 1, "last dim")) ||
      failed(verifyEpsilon(op, epsilon)))
    return {};
  return inputType;
}

/// Every op of the dialect returns a tensor of its input's shape.
static LogicalResult reifyInputShape(OpBuilder &builder, Operation *op,
                                     ReifiedRankedShapedTypeDims &shapes) {
  shapes.push_back(
      tensor::getMixedSizes(builder, op->getLoc(), op->getOperand(0)));
  return success();
}

//===----------------------------------------------------------------------===//
// DytOp
//===----------------------------------------------------------------------===//

int64_t DytOp::getChannelDim() {
  int64_t rank = cast<RankedTensorType>(getInput().getType()).getRank();
  auto axis = static_cast<int64_t>(getAxis()); // I64Attr unwraps as uint64_t.
  return axis < 0 ? axis + rank : axis;
}

LogicalResult DytOp::verify() {
  RankedTensorType inputType = verifyInputType(*this, getInput().getType());
  if (!inputType || failed(verifyResultType(*this, inputType)))
    return failure();

  int64_t rank = inputType.getRank();
  auto axis = static_cast<int64_t>(getAxis()); // I64Attr unwraps as uint64_t.
  if (axis < -rank || axis >= rank)
    return emitOpError() << "axis " << axis << " is out of range for an input "
                         << "of rank " << rank << " (expected " << -rank
                         << " <= axis < " << rank << ")";

  // alpha: a float scalar or a one-element tensor, f32 or the input's type.
  Type alphaType = getAlpha().getType();
  Type alphaElementType = alphaType;
  if (auto alphaTensor = dyn_cast<RankedTensorType>(alphaType)) {
    bool oneElement =
        alphaTensor.getRank() == 0 ||
        (alphaTensor.getRank() == 1 && alphaTensor.getDimSize(0) == 1);
    if (!oneElement)
      return emitOpError() << "alpha must be a scalar or a tensor with exactly "
                              "one element (0-d or 1-d of size 1), got "
                           << alphaType;
    alphaElementType = alphaTensor.getElementType();
  } else if (!isa<FloatType>(alphaType)) {
    return emitOpError() << "alpha must be a float scalar or a 0-d or "
                            "1-element 1-d tensor, got "
                         << alphaType;
  }
  Type inputElementType = inputType.getElementType();
  if (!alphaElementType.isF32() && alphaElementType != inputElementType)
    return emitOpError() << "alpha element type must be f32 or the input "
                            "element type "
                         << inputElementType << ", got " << alphaElementType;

  int64_t channelDim = axis < 0 ? axis + rank : axis;
  if (failed(verifyChannelParam(*this, "gamma", getGamma().getType(),
                                inputType, channelDim, "channel dim")) ||
      failed(verifyChannelParam(*this, "beta", getBeta().getType(), inputType,
                                channelDim, "channel dim")))
    return failure();
  return success();
}

/// Canonical axis: -1 (the default, elided when printed) when it names the
/// last dim, a non-negative index otherwise, so that equal ops print equal.
OpFoldResult DytOp::fold(FoldAdaptor) {
  int64_t rank = cast<RankedTensorType>(getInput().getType()).getRank();
  int64_t channelDim = getChannelDim();
  int64_t canonical = channelDim == rank - 1 ? -1 : channelDim;
  if (canonical == static_cast<int64_t>(getAxis()))
    return {};
  setAxis(canonical);
  return getResult();
}

/// A constant one-element alpha tensor becomes a scalar constant: one form for
/// the lowering and later passes to match, and no tensor.extract at run time.
/// dyt(cast(x : static -> dynamic)) -> cast(dyt(x)), and the same for gamma
/// and beta: tiling leaves such casts, and static shapes are what lets the
/// vectorizer drop masks.
static LogicalResult foldCastsIntoDyt(DytOp op, PatternRewriter &rewriter) {
  auto castSource = [](Value value) {
    auto cast = value.getDefiningOp<tensor::CastOp>();
    return cast && tensor::canFoldIntoConsumerOp(cast) ? cast.getSource()
                                                       : value;
  };
  Value input = castSource(op.getInput());
  Value gamma = castSource(op.getGamma());
  Value beta = castSource(op.getBeta());
  if (input == op.getInput() && gamma == op.getGamma() &&
      beta == op.getBeta())
    return failure();
  // Sizes that a static type now contradicts would no longer verify; leave
  // such (already wrong at run time) programs as they are.
  int64_t channel = op.getChannelDim();
  int64_t channelSize =
      cast<RankedTensorType>(input.getType()).getDimSize(channel);
  for (Value param : {gamma, beta}) {
    int64_t size = cast<RankedTensorType>(param.getType()).getDimSize(0);
    if (!ShapedType::isDynamic(size) && !ShapedType::isDynamic(channelSize) &&
        size != channelSize)
      return failure();
  }
  Value result = DytOp::create(rewriter, op.getLoc(), input, op.getAlpha(),
                               gamma, beta, op.getAxis());
  if (result.getType() != op.getType())
    result = tensor::CastOp::create(rewriter, op.getLoc(), op.getType(), result);
  rewriter.replaceOp(op, result);
  return success();
}

LogicalResult DytOp::canonicalize(DytOp op, PatternRewriter &rewriter) {
  if (succeeded(foldCastsIntoDyt(op, rewriter)))
    return success();
  auto alphaType = dyn_cast<RankedTensorType>(op.getAlpha().getType());
  DenseFPElementsAttr value;
  if (!alphaType || !matchPattern(op.getAlpha(), m_Constant(&value)))
    return failure();
  auto scalar = arith::ConstantOp::create(
      rewriter, op.getAlpha().getLoc(),
      rewriter.getFloatAttr(alphaType.getElementType(),
                            *value.value_begin<APFloat>()));
  rewriter.modifyOpInPlace(op, [&] { op.getAlphaMutable().assign(scalar); });
  return success();
}

LogicalResult
DytOp::reifyResultShapes(OpBuilder &builder,
                         ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  return reifyInputShape(builder, *this, reifiedReturnShapes);
}

//===----------------------------------------------------------------------===//
// LayerNormOp
//===----------------------------------------------------------------------===//

LogicalResult LayerNormOp::verify() {
  RankedTensorType inputType =
      verifyNormCommon(*this, getInput(), getGamma(), getEpsilon());
  if (!inputType)
    return failure();
  return verifyChannelParam(*this, "beta", getBeta().getType(), inputType,
                            inputType.getRank() - 1, "last dim");
}

LogicalResult LayerNormOp::reifyResultShapes(
    OpBuilder &builder, ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  return reifyInputShape(builder, *this, reifiedReturnShapes);
}

//===----------------------------------------------------------------------===//
// RMSNormOp
//===----------------------------------------------------------------------===//

LogicalResult RMSNormOp::verify() {
  return success(
      verifyNormCommon(*this, getInput(), getGamma(), getEpsilon()) !=
      nullptr);
}

LogicalResult RMSNormOp::reifyResultShapes(
    OpBuilder &builder, ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  return reifyInputShape(builder, *this, reifiedReturnShapes);
}

#define GET_OP_CLASSES
#include "dyt/Dialect/Dyt/IR/DytOps.cpp.inc"
