//===- DytToLinalg.cpp - Lower the dyt dialect to linalg on tensors --------===//
//
// Each dyt op becomes linalg.generic ops on tensors:
//
//   dyt.dyt         one elementwise generic
//   dyt.rms_norm    sum(x^2) reduction -> rstd per row -> elementwise scaling
//   dyt.layer_norm  sum(x) reduction -> mean per row -> sum((x-mean)^2)
//                   reduction -> rstd per row -> elementwise normalisation
//
// The three share their last step, `round(core(x, row stats) * gamma + beta)`,
// so it is built by one helper (buildAffineElementwise). Statistics live in
// f32 tensors over the leading ("row") dims; 16-bit inputs are widened to f32
// inside each generic and the result is rounded once.
//
//===----------------------------------------------------------------------===//

#include "dyt/Conversion/DytToLinalg/DytToLinalg.h"

#include "dyt/Dialect/Dyt/IR/DytOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_CONVERTDYTTOLINALGPASS
#include "dyt/Conversion/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;
using namespace mlir::dyt;

namespace {

//===----------------------------------------------------------------------===//
// Scalar helpers
//===----------------------------------------------------------------------===//

Value toF32(OpBuilder &b, Location loc, Value v) {
  if (v.getType().isF32())
    return v;
  return arith::ExtFOp::create(b, loc, b.getF32Type(), v);
}

Value fromF32(OpBuilder &b, Location loc, Value v, Type elementType) {
  if (elementType.isF32())
    return v;
  return arith::TruncFOp::create(b, loc, elementType, v);
}

Value f32Constant(OpBuilder &b, Location loc, const APFloat &value) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value.convertToFloat()));
}

//===----------------------------------------------------------------------===//
// Per-channel parameters (gamma, beta)
//===----------------------------------------------------------------------===//

/// How gamma or beta enters the final elementwise generic. A splat constant
/// equal to the identity of its operation (1 for gamma's multiply, +-0 for
/// beta's add) costs nothing; any other splat is a scalar constant in the
/// body rather than a broadcast load; everything else is a tensor operand.
struct ChannelParam {
  enum class Kind { Identity, Scalar, Tensor };
  Kind kind = Kind::Identity;
  Value value; // The f32 constant (Scalar) or the 1-d tensor (Tensor).
};

/// Sizes the verifier could not compare (one side dynamic) are checked when
/// the program runs: a mismatch aborts with a message instead of reading
/// past the end of gamma or beta.
void assertChannelSize(OpBuilder &b, Location loc, Value param,
                       ArrayRef<OpFoldResult> inputSizes, int64_t channelDim,
                       StringRef message) {
  auto paramType = cast<RankedTensorType>(param.getType());
  OpFoldResult channel = inputSizes[channelDim];
  if (!paramType.isDynamicDim(0) && getConstantIntValue(channel))
    return;
  Value paramSize = tensor::DimOp::create(b, loc, param, 0);
  Value channelSize = getValueOrCreateConstantIndexOp(b, loc, channel);
  Value equal = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                      paramSize, channelSize);
  cf::AssertOp::create(b, loc, equal, message);
}

ChannelParam classifyChannelParam(OpBuilder &b, Location loc, Value param,
                                  bool isAdditive) {
  std::optional<APFloat> splat = getSplatParamValue(param);
  if (!splat)
    return {ChannelParam::Kind::Tensor, param};
  APFloat value = *splat;
  bool losesInfo = false;
  value.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven,
                &losesInfo); // Exact: f16/bf16 values are f32 values.
  bool isIdentity = isAdditive ? value.isZero() : value.isExactlyValue(1.0);
  if (isIdentity)
    return {ChannelParam::Kind::Identity, Value()};
  return {ChannelParam::Kind::Scalar, f32Constant(b, loc, value)};
}

//===----------------------------------------------------------------------===//
// linalg.generic builders
//===----------------------------------------------------------------------===//

/// Computes the normalised f32 value of one element from the widened input
/// element `x` and the row statistics (already f32).
using CoreFn =
    function_ref<Value(OpBuilder &, Location, Value x, ValueRange rowStats)>;

/// A map from the full iteration space of `rank` loops to the leading
/// `rank - 1` dims (the row of an element). For rank 1 that is the map to a
/// 0-d tensor, `(d0) -> ()` (which getMajorSubMap(0) would return as null).
AffineMap rowMap(MLIRContext *ctx, int64_t rank) {
  SmallVector<AffineExpr> leading;
  for (int64_t d = 0; d + 1 < rank; ++d)
    leading.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, /*symbolCount=*/0, leading, ctx);
}

/// A tensor.empty of the given sizes and element type.
Value emptyOf(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
              Type elementType) {
  return tensor::EmptyOp::create(b, loc, sizes, elementType);
}

/// out[i] = round(core(x[i], rowStats[row(i)]) * gamma[i_c] + beta[i_c]),
/// the last step of every lowering in this file.
Value buildAffineElementwise(OpBuilder &b, Location loc, Value input,
                             ArrayRef<OpFoldResult> sizes, int64_t channelDim,
                             ValueRange rowStats,
                             ChannelParam gamma, ChannelParam beta,
                             CoreFn core) {
  auto type = cast<RankedTensorType>(input.getType());
  MLIRContext *ctx = b.getContext();
  int64_t rank = type.getRank();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  AffineMap channel = AffineMap::get(rank, 0, b.getAffineDimExpr(channelDim));

  SmallVector<Value> inputs{input};
  SmallVector<AffineMap> maps{identity};
  for (Value stat : rowStats) {
    inputs.push_back(stat);
    maps.push_back(rowMap(ctx, rank));
  }
  for (const ChannelParam *param : {&gamma, &beta}) {
    if (param->kind != ChannelParam::Kind::Tensor)
      continue;
    inputs.push_back(param->value);
    maps.push_back(channel);
  }
  maps.push_back(identity);

  Type elementType = type.getElementType();
  Value init = emptyOf(b, loc, sizes, elementType);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value x = toF32(nb, nloc, args[0]);
        unsigned next = 1 + rowStats.size();
        Value y = core(nb, nloc, x, args.slice(1, rowStats.size()));
        // Tensor parameters come in the order they were added above.
        auto operandOf = [&](const ChannelParam &param) -> Value {
          if (param.kind == ChannelParam::Kind::Scalar)
            return param.value;
          return toF32(nb, nloc, args[next++]);
        };
        if (gamma.kind != ChannelParam::Kind::Identity)
          y = arith::MulFOp::create(nb, nloc, y, operandOf(gamma));
        if (beta.kind != ChannelParam::Kind::Identity)
          y = arith::AddFOp::create(nb, nloc, y, operandOf(beta));
        linalg::YieldOp::create(nb, nloc, fromF32(nb, nloc, y, elementType));
      });
  return generic.getResult(0);
}

/// acc[row] = sum over the last dim of term(x, rowStats[row]), in f32.
Value buildRowReduction(OpBuilder &b, Location loc, Value input,
                        ArrayRef<OpFoldResult> sizes, ValueRange rowStats,
                        CoreFn term) {
  auto type = cast<RankedTensorType>(input.getType());
  MLIRContext *ctx = b.getContext();
  int64_t rank = type.getRank();
  Type f32 = b.getF32Type();

  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  Value init = emptyOf(b, loc, sizes.drop_back(), f32);
  Value acc = linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{init})
                  .getResult(0);

  SmallVector<Value> inputs{input};
  SmallVector<AffineMap> maps{AffineMap::getMultiDimIdentityMap(rank, ctx)};
  for (Value stat : rowStats) {
    inputs.push_back(stat);
    maps.push_back(rowMap(ctx, rank));
  }
  maps.push_back(rowMap(ctx, rank));
  SmallVector<utils::IteratorType> iterators(rank - 1,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);

  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{acc.getType()}, inputs, ValueRange{acc}, maps,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value x = toF32(nb, nloc, args[0]);
        Value t = term(nb, nloc, x, args.slice(1, rowStats.size()));
        Value sum = arith::AddFOp::create(nb, nloc, args.back(), t);
        linalg::YieldOp::create(nb, nloc, sum);
      });
  return generic.getResult(0);
}

/// out[row] = fn(stat[row]) over an f32 tensor of row statistics; `sizes`
/// are the input's, whose leading dims are the rows.
Value buildRowMap(OpBuilder &b, Location loc, Value stat,
                  ArrayRef<OpFoldResult> sizes,
                  function_ref<Value(OpBuilder &, Location, Value)> fn) {
  auto type = cast<RankedTensorType>(stat.getType());
  AffineMap identity =
      AffineMap::getMultiDimIdentityMap(type.getRank(), b.getContext());
  Value init = emptyOf(b, loc, sizes.drop_back(), type.getElementType());
  SmallVector<utils::IteratorType> iterators(type.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, ValueRange{stat}, ValueRange{init},
      ArrayRef<AffineMap>{identity, identity}, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, fn(nb, nloc, args[0]));
      });
  return generic.getResult(0);
}

/// The number of elements in a row (the last dim), as an f32 scalar.
Value rowLength(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes) {
  OpFoldResult size = sizes.back();
  if (std::optional<int64_t> known = getConstantIntValue(size))
    return arith::ConstantOp::create(
        b, loc, b.getF32FloatAttr(static_cast<float>(*known)));
  Value asInt = arith::IndexCastUIOp::create(b, loc, b.getI64Type(),
                                             cast<Value>(size));
  return arith::UIToFPOp::create(b, loc, b.getF32Type(), asInt);
}

/// rstd[row] = rsqrt(sum[row] / n + epsilon)
Value buildReciprocalStdDev(OpBuilder &b, Location loc, Value sums,
                            ArrayRef<OpFoldResult> sizes, Value n, Value eps) {
  return buildRowMap(b, loc, sums, sizes, [&](OpBuilder &nb, Location nloc, Value s) {
    Value mean = arith::DivFOp::create(nb, nloc, s, n);
    Value shifted = arith::AddFOp::create(nb, nloc, mean, eps);
    return math::RsqrtOp::create(nb, nloc, shifted).getResult();
  });
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

/// The patterns need no type conversion, so they are plain rewrite patterns:
/// usable in a dialect conversion, the greedy driver or a transform script.
/// They match only ops that verify (so a caller that disabled verification
/// gets a match failure, not a crash).
struct DytOpLowering : OpRewritePattern<DytOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DytOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(op.verify()))
      return rewriter.notifyMatchFailure(op, "op does not verify");
    Location loc = op.getLoc();
    // alpha is read once, outside the loop nest, and widened to f32.
    Value alpha = op.getAlpha();
    if (auto alphaType = dyn_cast<RankedTensorType>(alpha.getType())) {
      SmallVector<Value> indices;
      if (alphaType.getRank() == 1)
        indices.push_back(arith::ConstantIndexOp::create(rewriter, loc, 0));
      alpha = tensor::ExtractOp::create(rewriter, loc, alpha, indices);
    }
    alpha = toF32(rewriter, loc, alpha);

    ChannelParam gamma = classifyChannelParam(rewriter, loc, op.getGamma(),
                                              /*isAdditive=*/false);
    ChannelParam beta = classifyChannelParam(rewriter, loc, op.getBeta(),
                                             /*isAdditive=*/true);
    Value input = op.getInput();
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, input);
    for (auto [param, name] :
         {std::pair(gamma, "gamma"), std::pair(beta, "beta")})
      if (param.kind == ChannelParam::Kind::Tensor)
        assertChannelSize(rewriter, loc, param.value, sizes,
                          op.getChannelDim(),
                          std::string("dyt.dyt: ") + name +
                              " size differs from the input's channel dim");
    Value result = buildAffineElementwise(
        rewriter, loc, input, sizes, op.getChannelDim(), ValueRange{},
        gamma, beta, [&](OpBuilder &b, Location l, Value x, ValueRange) {
          Value scaled = arith::MulFOp::create(b, l, alpha, x);
          return math::TanhOp::create(b, l, scaled).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The lowering both norms share. RMSNorm is LayerNorm without the centring
/// and the shift:
///   [mean = sum(x) / n]                        (centred only)
///   rstd = rsqrt(sum((x [- mean])^2) / n + eps)
///   y    = (x [- mean]) * rstd * gamma [+ beta]
/// LayerNorm takes two passes over each row, the mean and then the squared
/// deviations from it: E[x^2] - E[x]^2 would save one but cancels
/// catastrophically when |mean| >> stddev, which activations do have.
Value lowerNorm(OpBuilder &b, Location loc, Value input, Value gammaValue,
                Value betaValue, const APFloat &epsilon) {
  bool centred = betaValue != nullptr;
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, input);
  auto inputType = cast<RankedTensorType>(input.getType());
  ChannelParam gamma =
      classifyChannelParam(b, loc, gammaValue, /*isAdditive=*/false);
  ChannelParam beta; // Identity: RMSNorm has no shift.
  if (centred)
    beta = classifyChannelParam(b, loc, betaValue, /*isAdditive=*/true);
  StringRef opName = centred ? "dyt.layer_norm" : "dyt.rms_norm";
  for (auto [param, name] : {std::pair(gamma, "gamma"), std::pair(beta, "beta")})
    if (param.kind == ChannelParam::Kind::Tensor)
      assertChannelSize(b, loc, param.value, sizes, inputType.getRank() - 1,
                        (opName + ": " + name +
                         " size differs from the input's last dim")
                            .str());
  Value n = rowLength(b, loc, sizes);
  Value eps = f32Constant(b, loc, epsilon);

  SmallVector<Value> stats;
  if (centred) {
    Value sums = buildRowReduction(
        b, loc, input, sizes, ValueRange{},
        [](OpBuilder &, Location, Value x, ValueRange) { return x; });
    stats.push_back(buildRowMap(b, loc, sums, sizes,
                                [&](OpBuilder &nb, Location l, Value s) {
                                  return arith::DivFOp::create(nb, l, s, n)
                                      .getResult();
                                }));
  }
  // x - mean for LayerNorm, x for RMSNorm; `rowStats` starts with the mean.
  auto centre = [centred](OpBuilder &nb, Location l, Value x,
                          ValueRange rowStats) -> Value {
    return centred ? arith::SubFOp::create(nb, l, x, rowStats[0]).getResult()
                   : x;
  };
  Value squares = buildRowReduction(
      b, loc, input, sizes, stats,
      [&](OpBuilder &nb, Location l, Value x, ValueRange rowStats) {
        Value d = centre(nb, l, x, rowStats);
        return arith::MulFOp::create(nb, l, d, d).getResult();
      });
  stats.push_back(buildReciprocalStdDev(b, loc, squares, sizes, n, eps));

  auto type = cast<RankedTensorType>(input.getType());
  return buildAffineElementwise(
      b, loc, input, sizes, type.getRank() - 1, stats, gamma, beta,
      [&](OpBuilder &nb, Location l, Value x, ValueRange rowStats) {
        Value centredX = centre(nb, l, x, rowStats);
        return arith::MulFOp::create(nb, l, centredX, rowStats.back())
            .getResult();
      });
}

template <typename NormOp>
struct NormOpLowering : OpRewritePattern<NormOp> {
  using OpRewritePattern<NormOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(NormOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(op.verify()))
      return rewriter.notifyMatchFailure(op, "op does not verify");
    Value beta; // RMSNorm has no shift.
    if constexpr (std::is_same_v<NormOp, LayerNormOp>)
      beta = op.getBeta();
    rewriter.replaceOp(op, lowerNorm(rewriter, op.getLoc(), op.getInput(),
                                     op.getGamma(), beta, op.getEpsilon()));
    return success();
  }
};

struct ConvertDytToLinalgPass
    : dyt::impl::ConvertDytToLinalgPassBase<ConvertDytToLinalgPass> {
  void runOnOperation() override {
    ConversionTarget target(getContext());
    configureDytToLinalgConversionTarget(target);
    RewritePatternSet patterns(&getContext());
    populateDytToLinalgConversionPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::dyt::populateDytToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<DytOpLowering, NormOpLowering<LayerNormOp>,
               NormOpLowering<RMSNormOp>>(
      patterns.getContext());
}

void mlir::dyt::configureDytToLinalgConversionTarget(
    ConversionTarget &target) {
  target.addIllegalDialect<DytDialect>();
  target.addLegalDialect<arith::ArithDialect, cf::ControlFlowDialect,
                         linalg::LinalgDialect, math::MathDialect,
                         tensor::TensorDialect>();
}
