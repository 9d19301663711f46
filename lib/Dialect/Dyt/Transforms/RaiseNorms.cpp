//===- RaiseNorms.cpp - dyt-raise-norms ------------------------------------===//
//
// LayerNorm, RMSNorm and DyT in primitive ops -> dyt ops. The matchers below
// are written against the per-element view of ElementwiseView.h, so they
// read as the formulas in the pass description.
//
//===----------------------------------------------------------------------===//

#include "dyt/Dialect/Dyt/Transforms/ElementwiseView.h"
#include "dyt/Dialect/Dyt/Transforms/Passes.h"

#include "dyt/Dialect/Dyt/IR/DytOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTRAISENORMSPASS
#include "dyt/Dialect/Dyt/Transforms/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;
using namespace mlir::dyt;

namespace {

using Kind = ElementNode::Kind;
enum class NormKind { LayerNorm, RMSNorm, Dyt };

/// What a match binds.
struct Bindings {
  Value x;
  /// DyT's alpha when it is a constant (possibly computed in a body).
  std::optional<double> alphaConstant;
  /// The dim gamma and beta run along: the last for the norms, any one for
  /// DyT (1 for NCHW activations, as in ConvNeXt).
  std::optional<unsigned> channelDim;
  double epsilon = 0.0;
  std::optional<ElementRef> gamma, beta, alpha;
};

/// Matches one root element against the formulas. Every `match*` returns
/// whether it matched; alternatives restore the bindings they tried.
class NormMatcher {
public:
  explicit NormMatcher(int64_t channels) : channels(channels) {}

  std::optional<std::pair<NormKind, Bindings>> match(const ElementRef &root) {
    for (NormKind kind :
         {NormKind::LayerNorm, NormKind::RMSNorm, NormKind::Dyt}) {
      b = Bindings();
      if (matchAffine(root, kind))
        return std::make_pair(kind, b);
    }
    return std::nullopt;
  }

private:
  int64_t channels;
  Bindings b;

  /// Runs `fn`, restoring the bindings when it fails.
  bool attempt(llvm::function_ref<bool()> fn) {
    Bindings saved = b;
    if (fn())
      return true;
    b = saved;
    return false;
  }

  ElementNode node(const ElementRef &ref) { return getNode(stripCasts(ref)); }

  /// A binary node of `kind` whose operands match `lhs` and `rhs` in either
  /// order when `commutes`.
  bool matchBinary(const ElementRef &ref, Kind kind,
                   llvm::function_ref<bool(const ElementRef &)> lhs,
                   llvm::function_ref<bool(const ElementRef &)> rhs,
                   bool commutes) {
    ElementNode n = node(ref);
    if (n.kind != kind)
      return false;
    if (attempt([&] { return lhs(n.operands[0]) && rhs(n.operands[1]); }))
      return true;
    return commutes &&
           attempt([&] { return lhs(n.operands[1]) && rhs(n.operands[0]); });
  }

  bool matchConstant(const ElementRef &ref, double &value) {
    ElementNode n = node(ref);
    if (n.kind != Kind::Constant)
      return false;
    value = n.constant;
    return true;
  }

  /// The norm's input: one whole tensor of the root's shape, the same one
  /// everywhere (up to widening casts: torch-mlir computes statistics of
  /// extf(x), in f64 for the variance).
  bool matchX(const ElementRef &ref) {
    ElementRef x = stripCasts(ref, /*widensOnly=*/true);
    if (!x.isWholeTensor())
      return false;
    if (!b.x)
      b.x = x.value;
    return b.x == x.value;
  }

  /// A tensor that varies along one dim only: the last for the norms, the
  /// same one for gamma and beta.
  bool matchPerChannel(const ElementRef &ref, std::optional<ElementRef> &slot,
                       NormKind kind) {
    ElementRef param = stripCasts(ref);
    if (!param.isTensor())
      return false;
    // Each index of the parameter is a root dim as it is, or 0: gamma[7 - c]
    // or gamma[c mod 4] vary along c too, but are not gamma[c].
    SmallVector<unsigned> varying;
    for (AffineExpr index : param.access.getResults()) {
      if (auto dim = dyn_cast<AffineDimExpr>(index))
        varying.push_back(dim.getPosition());
      else if (!isa<AffineConstantExpr>(index) ||
               cast<AffineConstantExpr>(index).getValue() != 0)
        return false;
    }
    unsigned rank = param.access.getNumDims();
    if (varying.size() != 1 ||
        (kind != NormKind::Dyt && varying[0] != rank - 1) ||
        (b.channelDim && *b.channelDim != varying[0]))
      return false;
    b.channelDim = varying[0];
    slot = param;
    return true;
  }

  /// sum(inner) / C or sum(inner) * (1 / C).
  bool matchMean(const ElementRef &ref,
                 llvm::function_ref<bool(const ElementRef &)> inner) {
    auto sum = [&](const ElementRef &r) {
      ElementNode n = node(r);
      return n.kind == Kind::Sum && inner(n.operands[0]);
    };
    double c;
    auto count = [&](const ElementRef &r) {
      return matchConstant(r, c) && c == static_cast<double>(channels);
    };
    auto reciprocal = [&](const ElementRef &r) {
      return matchConstant(r, c) &&
             std::abs(c * static_cast<double>(channels) - 1.0) < 1e-6;
    };
    return matchBinary(ref, Kind::Div, sum, count, false) ||
           matchBinary(ref, Kind::Mul, sum, reciprocal, true);
  }

  /// x - mean(x).
  bool matchCentered(const ElementRef &ref) {
    return matchBinary(
        ref, Kind::Sub, [&](const ElementRef &r) { return matchX(r); },
        [&](const ElementRef &r) {
          return matchMean(r, [&](const ElementRef &v) { return matchX(v); });
        },
        false);
  }

  /// What is normalised: x - mean(x) for LayerNorm, x for RMSNorm.
  bool matchBase(const ElementRef &ref, NormKind kind) {
    return kind == NormKind::LayerNorm ? matchCentered(ref) : matchX(ref);
  }

  /// base^2, as a square or a product of two matches.
  bool matchSquare(const ElementRef &ref, NormKind kind) {
    ElementNode n = node(ref);
    if (n.kind == Kind::Square)
      return matchBase(n.operands[0], kind);
    return n.kind == Kind::Mul && attempt([&] {
             return matchBase(n.operands[0], kind) &&
                    matchBase(n.operands[1], kind);
           });
  }

  /// mean(base^2) + eps, eps > 0.
  bool matchVariancePlusEpsilon(const ElementRef &ref, NormKind kind) {
    return matchBinary(
        ref, Kind::Add,
        [&](const ElementRef &r) {
          return matchMean(
              r, [&](const ElementRef &v) { return matchSquare(v, kind); });
        },
        [&](const ElementRef &r) {
          return matchConstant(r, b.epsilon) && b.epsilon > 0.0;
        },
        true);
  }

  bool matchSqrtOfVariance(const ElementRef &ref, NormKind kind) {
    ElementNode n = node(ref);
    return n.kind == Kind::Sqrt &&
           matchVariancePlusEpsilon(n.operands[0], kind);
  }

  /// rsqrt(v) or 1 / sqrt(v).
  bool matchRstd(const ElementRef &ref, NormKind kind) {
    ElementNode n = node(ref);
    if (n.kind == Kind::Rsqrt)
      return matchVariancePlusEpsilon(n.operands[0], kind);
    double one;
    return n.kind == Kind::Div && matchConstant(n.operands[0], one) &&
           one == 1.0 && matchSqrtOfVariance(n.operands[1], kind);
  }

  /// The normalised value (before gamma and beta).
  bool matchNormalized(const ElementRef &ref, NormKind kind) {
    auto base = [&](const ElementRef &r) { return matchBase(r, kind); };
    if (kind == NormKind::Dyt) {
      ElementNode n = node(ref);
      return n.kind == Kind::Tanh &&
             matchBinary(
                 n.operands[0], Kind::Mul,
                 [&](const ElementRef &r) { return matchAlpha(r); },
                 [&](const ElementRef &r) { return matchX(r); }, true);
    }
    return matchBinary(
               ref, Kind::Mul, base,
               [&](const ElementRef &r) { return matchRstd(r, kind); },
               true) ||
           matchBinary(
               ref, Kind::Div, base,
               [&](const ElementRef &r) {
                 return matchSqrtOfVariance(r, kind);
               },
               false);
  }

  /// A uniform alpha: a constant, or a value from outside any body (a
  /// scalar argument, a one-element tensor). A value computed inside another
  /// generic's body cannot be used outside it.
  bool matchAlpha(const ElementRef &ref) {
    ElementRef alpha = stripCasts(ref);
    ElementNode n = getNode(alpha);
    if (n.kind == Kind::Constant) {
      b.alphaConstant = n.constant;
      return true;
    }
    if (alpha.scope || !alpha.isUniform())
      return false;
    b.alpha = alpha;
    return true;
  }

  /// normalized * gamma, normalized * gamma + beta, or (not for DyT, whose
  /// bare tanh(alpha x) is too common to be one) normalized alone.
  bool matchAffine(const ElementRef &root, NormKind kind) {
    auto scaled = [&](const ElementRef &r) {
      return matchBinary(
          r, Kind::Mul,
          [&](const ElementRef &v) { return matchNormalized(v, kind); },
          [&](const ElementRef &v) {
            return matchPerChannel(v, b.gamma, kind);
          },
          true);
    };
    if (matchBinary(
            root, Kind::Add, scaled,
            [&](const ElementRef &v) {
              return matchPerChannel(v, b.beta, kind);
            },
            true))
      return kind != NormKind::RMSNorm;
    if (attempt([&] { return scaled(root); }))
      return true;
    return kind != NormKind::Dyt &&
           attempt([&] { return matchNormalized(root, kind); });
  }
};

/// `value` converted to `elementType` (extf/truncf on the tensor).
Value convertElementType(OpBuilder &builder, Location loc, Value value,
                         Type elementType) {
  auto type = cast<ShapedType>(value.getType());
  Type from = type.getElementType();
  if (from == elementType)
    return value;
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = elementType.getIntOrFloatBitWidth();
  if (fromWidth == toWidth) // f16 <-> bf16: through f32, exact both ways.
    value = convertElementType(builder, loc, value, builder.getF32Type());
  Type to = type.clone(elementType);
  if (fromWidth < toWidth)
    return arith::ExtFOp::create(builder, loc, to, value);
  return arith::TruncFOp::create(builder, loc, to, value);
}

/// The element type a norm of `x` whose result is read as `result` is
/// computed in: the wider of the two, f32 for f16 against bf16. Rounding to
/// the narrower type then happens where the original rounds, not before the
/// norm (an f32 LayerNorm followed by `.to(bf16)` normalises f32 values).
Type getComputeType(Type x, Type result) {
  if (x == result)
    return x;
  unsigned xWidth = x.getIntOrFloatBitWidth();
  unsigned resultWidth = result.getIntOrFloatBitWidth();
  if (xWidth == resultWidth)
    return Float32Type::get(x.getContext());
  return xWidth > resultWidth ? x : result;
}

/// A per-channel or uniform tensor as a parameter of `elementType`: a
/// `1x..xC` (or `1x..x1`, `Cx1x1`) tensor is collapsed to 1-d first; a 0-d
/// alpha stays as it is.
Value getParam(OpBuilder &builder, Location loc, const ElementRef &ref,
               Type elementType) {
  Value value = ref.value;
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() >= 2) {
    ReassociationIndices all =
        llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
    value = tensor::CollapseShapeOp::create(
        builder, loc, value, ArrayRef<ReassociationIndices>{all});
  }
  return convertElementType(builder, loc, value, elementType);
}

/// Whether `ref` has the shape of a parameter: `channels` elements (one for
/// a uniform alpha) with at most one dim that is not 1 (a 1-d gamma,
/// `1x1xC`, or `Cx1x1` for NCHW).
bool hasParamShape(const ElementRef &ref, int64_t channels) {
  auto type = dyn_cast<RankedTensorType>(ref.value.getType());
  if (!type || !type.hasStaticShape())
    return false;
  int64_t expected = ref.isUniform() ? 1 : channels;
  return type.getNumElements() == expected &&
         llvm::count_if(type.getShape(), [](int64_t d) { return d != 1; }) <=
             1;
}

struct DytRaiseNormsPass
    : public dyt::impl::DytRaiseNormsPassBase<DytRaiseNormsPass> {
  void runOnOperation() override {
    FunctionOpInterface func = getOperation();
    // (op, result number): an erased op's results must not be touched.
    SmallVector<std::pair<Operation *, unsigned>> candidates;
    func.walk([&](Operation *op) {
      if (isa<linalg::GenericOp>(op) ||
          OpTrait::hasElementwiseMappableTraits(op))
        for (Value result : op->getResults())
          if (auto type = dyn_cast<RankedTensorType>(result.getType());
              type && type.getRank() >= 1 &&
              (type.getElementType().isF32() || type.getElementType().isF16() ||
               type.getElementType().isBF16()))
            candidates.emplace_back(op, cast<OpResult>(result).getResultNumber());
    });
    // Last first: the outermost match (with beta) before its parts.
    DenseSet<Operation *> erased;
    IRRewriter rewriter(&getContext());
    for (auto [rootOp, resultNumber] : llvm::reverse(candidates)) {
      if (erased.contains(rootOp))
        continue;
      Value root = rootOp->getResult(resultNumber);
      auto type = cast<RankedTensorType>(root.getType());
      // The norms' divisor; a dynamic one matches no constant.
      NormMatcher matcher(type.getShape().back());
      auto match = matcher.match(getRootRef(root));
      if (!match || !isValid(*match, type))
        continue;
      rewriter.setInsertionPoint(rootOp);
      Value raised = build(rewriter, rootOp->getLoc(), match->first,
                           match->second, type);
      rewriter.replaceAllUsesWith(root, raised);
      eraseDeadChain(rewriter, rootOp, erased);
    }
  }

  /// The bindings describe a norm of the root's type.
  static bool isValid(const std::pair<NormKind, Bindings> &match,
                      RankedTensorType type) {
    const Bindings &b = match.second;
    auto xType = cast<RankedTensorType>(b.x.getType());
    if (xType.getShape() != type.getShape())
      return false;
    unsigned channelDim = b.channelDim.value_or(type.getRank() - 1);
    if (type.isDynamicDim(channelDim))
      return false;
    int64_t channels = type.getShape()[channelDim];
    for (const std::optional<ElementRef> &param : {b.gamma, b.beta})
      if (param && !hasParamShape(*param, channels))
        return false;
    if (b.alpha && b.alpha->isTensor() && !hasParamShape(*b.alpha, channels))
      return false;
    if (b.alpha && !b.alpha->isTensor() &&
        !isa<FloatType>(b.alpha->value.getType()))
      return false;
    return true;
  }

  /// The raised op, computed in getComputeType's type, converted to
  /// `type`'s element type.
  static Value build(OpBuilder &builder, Location loc, NormKind kind,
                     const Bindings &b, RankedTensorType type) {
    Type element = getComputeType(
        cast<RankedTensorType>(b.x.getType()).getElementType(),
        type.getElementType());
    Value x = convertElementType(builder, loc, b.x, element);
    return convertElementType(builder, loc,
                              buildNorm(builder, loc, kind, b, x, type),
                              type.getElementType());
  }

  /// The norm of `x` (of `type`'s shape, in the compute type).
  static Value buildNorm(OpBuilder &builder, Location loc, NormKind kind,
                         const Bindings &b, Value x, RankedTensorType type) {
    Type element = cast<RankedTensorType>(x.getType()).getElementType();
    unsigned channelDim = b.channelDim.value_or(type.getRank() - 1);
    auto paramType =
        RankedTensorType::get({type.getShape()[channelDim]}, element);
    auto param = [&](const std::optional<ElementRef> &ref, double absent) {
      if (ref)
        return getParam(builder, loc, *ref, element);
      return createSplatParam(builder, loc, paramType, x, channelDim, absent);
    };
    Value gamma = param(b.gamma, 1.0);
    if (kind == NormKind::RMSNorm)
      return RMSNormOp::create(builder, loc, x, gamma, b.epsilon);
    Value beta = param(b.beta, 0.0);
    if (kind == NormKind::LayerNorm)
      return LayerNormOp::create(builder, loc, x, gamma, beta, b.epsilon);
    Value alpha;
    if (b.alphaConstant) {
      alpha = arith::ConstantOp::create(
          builder, loc, builder.getF32FloatAttr(*b.alphaConstant));
    } else if (b.alpha->isTensor()) {
      alpha = getParam(builder, loc, *b.alpha, element);
    } else if (alpha = b.alpha->value;
               alpha.getType() != element && !alpha.getType().isF32()) {
      // dyt.dyt takes an f32 alpha or one of the input's type.
      Type f32 = builder.getF32Type();
      if (alpha.getType().getIntOrFloatBitWidth() > 32)
        alpha = arith::TruncFOp::create(builder, loc, f32, alpha);
      else
        alpha = arith::ExtFOp::create(builder, loc, f32, alpha);
    }
    // axis is -1 when it names the last dim (the canonical form).
    int64_t axis = channelDim + 1 == type.getRank() ? int64_t(-1)
                                                    : int64_t(channelDim);
    return DytOp::create(builder, loc, x, alpha, gamma, beta, axis);
  }

  /// Erases `op` and, transitively, the ops only it used; records them and
  /// the ops nested in them (candidates too) in `erased`.
  static void eraseDeadChain(RewriterBase &rewriter, Operation *op,
                             DenseSet<Operation *> &erased) {
    SmallVector<Operation *> worklist = {op};
    while (!worklist.empty()) {
      Operation *dead = worklist.pop_back_val();
      if (erased.contains(dead) || !isOpTriviallyDead(dead))
        continue;
      for (Value operand : dead->getOperands())
        if (Operation *def = operand.getDefiningOp())
          worklist.push_back(def);
      dead->walk([&](Operation *nested) { erased.insert(nested); });
      rewriter.eraseOp(dead);
    }
  }
};

} // namespace
