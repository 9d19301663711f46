//===- Alignment.cpp - Provable alignment of memref accesses ---------------===//

#include "dyt/Codegen/Alignment.h"
#include "dyt/Codegen/Utils.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/LoopLikeInterface.h"

#include <numeric>

using namespace mlir;
using namespace mlir::dyt;

namespace {

uint64_t mulDivisors(uint64_t a, uint64_t b) {
  if (a >= kAnyDivisor || b >= kAnyDivisor)
    return kAnyDivisor;
  // Past 2^62 only the power-of-two part matters to an alignment, and 2^62
  // divides it.
  if (a > kAnyDivisor / b)
    return kAnyDivisor;
  return a * b;
}

uint64_t gcdDivisors(uint64_t a, uint64_t b) {
  if (a >= kAnyDivisor)
    return b;
  if (b >= kAnyDivisor)
    return a;
  return std::gcd(a, b);
}

/// A divisor of `index * stride` given one of `index`; a dynamic stride is
/// taken to be a multiple of `dynamicStrideDivisor`.
uint64_t strideTerm(uint64_t indexDivisor, int64_t stride,
                    uint64_t dynamicStrideDivisor) {
  if (ShapedType::isDynamic(stride))
    return mulDivisors(indexDivisor, dynamicStrideDivisor);
  return mulDivisors(indexDivisor, std::abs(stride));
}

/// A divisor of a static or dynamic size, offset or bound.
uint64_t divisorOf(OpFoldResult ofr) {
  if (std::optional<int64_t> c = getConstantIntValue(ofr))
    return *c == 0 ? kAnyDivisor : uint64_t(std::abs(*c));
  return getKnownDivisor(cast<Value>(ofr));
}

/// gcd(lower bound, step) of `iv` when it is an induction variable of the
/// loop that owns it.
std::optional<uint64_t> inductionDivisor(BlockArgument iv) {
  auto loop = dyn_cast<LoopLikeOpInterface>(iv.getOwner()->getParentOp());
  if (!loop)
    return std::nullopt;
  std::optional<SmallVector<Value>> ivs = loop.getLoopInductionVars();
  std::optional<SmallVector<OpFoldResult>> lbs = loop.getLoopLowerBounds();
  std::optional<SmallVector<OpFoldResult>> steps = loop.getLoopSteps();
  if (!ivs || !lbs || !steps)
    return std::nullopt;
  for (auto [i, v] : llvm::enumerate(*ivs))
    if (v == iv)
      return gcdDivisors(divisorOf((*lbs)[i]), divisorOf((*steps)[i]));
  return std::nullopt;
}

/// The flat element offset of a view from its allocation as one affine
/// expression, values the walk does not look through becoming symbols.
/// Needed where the per-term divisors lose what only the sum shows: a row
/// of 771 f32 split at its first cache line (dyt-cpu-tile-and-fuse's
/// align-row-heads) starts its body at 771 * i + (-771 * i) mod 16, a
/// multiple of 16 whose two terms are not.
class FlatOffset {
public:
  explicit FlatOffset(MLIRContext *context) : context(context) {}

  /// A divisor of the flat offset of `memref`, 1 if the chain of views
  /// cannot be followed to an allocation with static strides.
  uint64_t divisor(Value memref) {
    std::optional<AffineExpr> offset = ofView(memref);
    if (!offset)
      return 1;
    int64_t divisor =
        simplifyAffineExpr(*offset, 0, symbols.size()).getLargestKnownDivisor();
    return divisor == 0 ? kAnyDivisor : uint64_t(std::abs(divisor));
  }

private:
  // Bounds the walk through affine.apply operands.
  static constexpr unsigned kMaxDepth = 8;

  AffineExpr ofIndex(Value value, unsigned depth) {
    APInt constant;
    if (matchPattern(value, m_ConstantInt(&constant)))
      return getAffineConstantExpr(constant.getSExtValue(), context);
    if (auto apply = value.getDefiningOp<affine::AffineApplyOp>();
        apply && depth < kMaxDepth) {
      AffineMap map = apply.getAffineMap();
      SmallVector<AffineExpr> dims, syms;
      for (auto [i, operand] : llvm::enumerate(apply.getMapOperands()))
        (i < map.getNumDims() ? dims : syms)
            .push_back(ofIndex(operand, depth + 1));
      return map.getResult(0).replaceDimsAndSymbols(dims, syms);
    }
    auto [it, inserted] = symbols.try_emplace(value, symbols.size());
    return getAffineSymbolExpr(it->second, context);
  }

  std::optional<AffineExpr> ofView(Value memref) {
    Operation *def = memref.getDefiningOp();
    if (isa_and_present<memref::AllocOp, memref::AllocaOp>(def))
      return getAffineConstantExpr(0, context);
    if (isa_and_present<memref::ExpandShapeOp, memref::CollapseShapeOp,
                        memref::CastOp>(def))
      return ofView(def->getOperand(0));
    auto subview = dyn_cast_if_present<memref::SubViewOp>(def);
    if (!subview)
      return std::nullopt;
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(subview.getSourceType().getStridesAndOffset(strides, offset)) ||
        llvm::any_of(strides, ShapedType::isDynamic))
      return std::nullopt;
    std::optional<AffineExpr> flat = ofView(subview.getSource());
    if (!flat)
      return std::nullopt;
    for (auto [o, stride] : llvm::zip(subview.getMixedOffsets(), strides)) {
      AffineExpr term = isa<Attribute>(o)
                            ? getAffineConstantExpr(*getConstantIntValue(o),
                                                    context)
                            : ofIndex(cast<Value>(o), 0);
      *flat = *flat + term * stride;
    }
    return flat;
  }

  MLIRContext *context;
  llvm::DenseMap<Value, unsigned> symbols;
};

} // namespace

uint64_t mlir::dyt::getKnownDivisor(Value value) {
  APInt constant;
  if (matchPattern(value, m_ConstantInt(&constant))) {
    if (constant.isZero())
      return kAnyDivisor;
    return constant.abs().getLimitedValue(kAnyDivisor);
  }
  if (auto iv = dyn_cast<BlockArgument>(value))
    return inductionDivisor(iv).value_or(1);
  Operation *op = value.getDefiningOp();
  if (isa<arith::AddIOp, arith::SubIOp>(op))
    return gcdDivisors(getKnownDivisor(op->getOperand(0)),
                       getKnownDivisor(op->getOperand(1)));
  if (isa<arith::MulIOp>(op))
    return mulDivisors(getKnownDivisor(op->getOperand(0)),
                       getKnownDivisor(op->getOperand(1)));
  if (auto shl = dyn_cast<arith::ShLIOp>(op)) {
    APInt shift;
    if (matchPattern(shl.getRhs(), m_ConstantInt(&shift)) &&
        shift.ult(62))
      return mulDivisors(getKnownDivisor(shl.getLhs()),
                         uint64_t(1) << shift.getZExtValue());
    return 1;
  }
  if (isa<arith::IndexCastOp, arith::IndexCastUIOp>(op))
    return getKnownDivisor(op->getOperand(0));
  return 1;
}

namespace {

/// Where a memref's offset (in elements, from its allocation's aligned
/// pointer) stands: a divisor of it and the allocation's byte alignment.
struct ViewAlignment {
  uint64_t offsetDivisor;
  uint64_t baseAlignment;
};

ViewAlignment getViewAlignment(Value memref, uint64_t dynamicStrideDivisor) {
  auto type = cast<MemRefType>(memref.getType());
  uint64_t bytes = uint64_t(getElementBytes(type));
  Operation *def = memref.getDefiningOp();
  if (auto alloc = dyn_cast_if_present<memref::AllocOp>(def))
    return {kAnyDivisor, alloc.getAlignment().value_or(bytes)};
  if (auto alloca = dyn_cast_if_present<memref::AllocaOp>(def))
    return {kAnyDivisor, alloca.getAlignment().value_or(bytes)};
  // Reshapes and casts keep the offset and the buffer.
  if (isa_and_present<memref::ExpandShapeOp, memref::CollapseShapeOp,
                      memref::CastOp>(def))
    return getViewAlignment(def->getOperand(0), dynamicStrideDivisor);
  if (auto subview = dyn_cast_if_present<memref::SubViewOp>(def)) {
    ViewAlignment source =
        getViewAlignment(subview.getSource(), dynamicStrideDivisor);
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(subview.getSourceType().getStridesAndOffset(strides, offset)))
      return {1, source.baseAlignment};
    uint64_t divisor = source.offsetDivisor;
    for (auto [o, stride] : llvm::zip(subview.getMixedOffsets(), strides))
      divisor = gcdDivisors(
          divisor, strideTerm(divisorOf(o), stride, dynamicStrideDivisor));
    return {divisor, source.baseAlignment};
  }
  // Anything else (a function argument, a call's result): its static
  // offset, on a base aligned to the element.
  SmallVector<int64_t> strides;
  int64_t offset;
  if (succeeded(type.getStridesAndOffset(strides, offset)) &&
      !ShapedType::isDynamic(offset))
    return {offset == 0 ? kAnyDivisor : uint64_t(std::abs(offset)), bytes};
  return {1, bytes};
}

} // namespace

uint64_t mlir::dyt::inferBaseAlignment(Value memref) {
  return getViewAlignment(memref, /*dynamicStrideDivisor=*/1).baseAlignment;
}

uint64_t mlir::dyt::inferAccessAlignment(Value memref, ValueRange indices,
                                         uint64_t cap,
                                         uint64_t dynamicStrideDivisor) {
  auto type = cast<MemRefType>(memref.getType());
  uint64_t element = uint64_t(getElementBytes(type));
  ViewAlignment view = getViewAlignment(memref, dynamicStrideDivisor);
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return element;
  // Both divide the view's offset, so the larger does too.
  uint64_t divisor = std::max(view.offsetDivisor,
                              FlatOffset(memref.getContext()).divisor(memref));
  for (auto [index, stride] : llvm::zip(indices, strides))
    divisor = gcdDivisors(divisor, strideTerm(getKnownDivisor(index), stride,
                                              dynamicStrideDivisor));
  uint64_t bytes = mulDivisors(divisor, element);
  // The largest power of two dividing the byte offset, bounded by the
  // allocation's alignment and the cap.
  uint64_t alignment = bytes >= kAnyDivisor ? cap : (bytes & -bytes);
  alignment = std::min({alignment, view.baseAlignment, cap});
  return std::max(alignment, element);
}
