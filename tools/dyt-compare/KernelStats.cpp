//===- KernelStats.cpp - Static cost of a function's linalg ops -----------===//

#include "KernelStats.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::dyt;

static bool isTranscendental(Operation *op) {
  return isa<math::TanhOp, math::ExpOp, math::Exp2Op, math::ExpM1Op,
             math::LogOp, math::Log1pOp, math::Log2Op, math::RsqrtOp,
             math::SqrtOp, math::ErfOp, math::ErfcOp, math::PowFOp,
             math::FPowIOp, math::SinOp, math::CosOp, math::TanOp>(op);
}

/// A float op that computes (not a constant, a conversion or a select).
static bool isFlop(Operation *op) {
  if (!isa<arith::ArithDialect, math::MathDialect>(op->getDialect()) ||
      op->getNumResults() != 1 || !isa<FloatType>(op->getResult(0).getType()))
    return false;
  return !isa<arith::ConstantOp, arith::ExtFOp, arith::TruncFOp,
              arith::SelectOp, arith::BitcastOp, arith::SIToFPOp,
              arith::UIToFPOp>(op);
}

/// Unset for a dynamic shape or a type without a bit width (index).
static std::optional<int64_t> getBytes(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  Type element = shaped ? shaped.getElementType() : type;
  if (!element.isIntOrFloat())
    return std::nullopt;
  if (!shaped)
    return (type.getIntOrFloatBitWidth() + 7) / 8;
  if (!shaped.hasStaticShape())
    return std::nullopt;
  return shaped.getNumElements() *
         ((shaped.getElementTypeBitWidth() + 7) / 8);
}

static void add(std::optional<int64_t> &total, std::optional<int64_t> term) {
  if (total && term)
    *total += *term;
  else
    total.reset();
}

KernelStats mlir::dyt::computeKernelStats(ArrayRef<Operation *> funcs) {
  KernelStats stats;
  for (Operation *func : funcs)
    func->walk([&](linalg::LinalgOp op) {
    if (isa<linalg::FillOp>(op))
      return;
    ++stats.kernels;
    if (op.getNumReductionLoops() > 0 &&
        !linalg::isaContractionOpInterface(op))
      ++stats.reductions;

    for (OpOperand *input : op.getDpsInputOperands())
      add(stats.bytes, getBytes(input->get().getType()));
    for (OpOperand &init : op.getDpsInitsMutable()) {
      std::optional<int64_t> bytes = getBytes(init.get().getType());
      add(stats.bytes, bytes);
      if (op.payloadUsesValueFromOperand(&init))
        add(stats.bytes, bytes);
    }

    std::optional<int64_t> domain = 1;
    for (int64_t range : op.getStaticLoopRanges())
      if (ShapedType::isDynamic(range))
        domain.reset();
      else if (domain)
        *domain *= range;
    int64_t flops = 0, transcendentals = 0;
    if (Block *body = op.getBlock())
      for (Operation &inner : *body) {
        flops += isFlop(&inner);
        transcendentals += isTranscendental(&inner);
      }
    if (!domain) {
      stats.flops.reset();
      stats.transcendentals.reset();
      return;
    }
    add(stats.flops, *domain * flops);
    add(stats.transcendentals, *domain * transcendentals);
    });
  return stats;
}
