//===- ApproximateTanh.cpp - dyt-approximate-tanh ---------------------------===//
//
// math.tanh on f32 scalars and vectors -> arithmetic the vectorizer can see
// through (libm's tanhf is a scalar call):
//
//   y = clamp(x, -9, 9)
//   tanh(x) ~= (y + y*y^2 * P(y^2)) / (1 + y^2 * Q(y^2))
//
// with P of degree 5 and Q of degree 2 in y^2: the 13/6-degree rational
// function of Eigen (and of upstream's populatePolynomialApproximateTanh-
// Pattern), divided through by its leading numerator coefficient so both
// leading terms are exactly 1, and its coefficients then moved by a few ulp
// each to minimise the largest error against glibc's tanhf
// (scripts/tanh_coefficients.c reproduces them).
//
// Why not upstream's pattern: it keeps the function's leading coefficients
// (whose ratio is 0.99999987, not 1) and so needs a select that returns x for
// |x| < 4e-4, three more vector instructions per vector on a loop that has
// ~20. On AVX2 (16 registers, 14 constants) that select is also what makes
// the unrolled DyT loop spill; without it DyT f32 at 4096x4096 went from
// 0.78-0.92 to 0.96-1.02 of memcpy's speed on a Zen 3 core. Here tiny inputs
// need no special case: y^2 * P vanishes next to y, and 1 + y^2 * Q rounds
// to 1, so tanh(x) = x exactly, subnormals and -0 included.
//
// Special values: the clamp compares unordered, so NaN passes through it
// and stays NaN; +-inf and every |x| >= 9 become +-9, where the function
// rounds to exactly +-1 (as tanhf does from |x| = 9.01). Every operation is
// odd in y, so tanh(-x) = -tanh(x) bit for bit. (-0 stays -0 because the
// numerator is fma(-0 * 0, P, -0) = -0 and the denominator is >= 1: all of
// Q's coefficients are positive. Keep them so when re-tuning.) The error bound (5 ulp,
// measured over all 2^32 inputs) is asserted in unittests/Codegen.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/bit.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTAPPROXIMATETANHPASS
#include "dyt/Codegen/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

// Bit patterns, so that the tuned values survive any decimal round trip.
constexpr uint32_t kClampBits = 0x41100000; // 9.0
// P(u) = p1 + p2 u + ... + p6 u^5, highest degree first.
constexpr uint32_t kNumerator[] = {0xa97e141b, 0x2e33c43c, 0xb2970b2e,
                                   0x372f9d90, 0x3b46f949, 0x3e0559d9};
// Q(u) = q1 + q2 u + q3 u^2, highest degree first.
constexpr uint32_t kDenominator[] = {0x39806160, 0x3cc66ed2, 0x3eed578b};

struct RationalTanh : OpRewritePattern<math::TanhOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(math::TanhOp op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!getElementTypeOrSelf(type).isF32())
      return rewriter.notifyMatchFailure(op, "the approximation is f32's");
    if (!isa<FloatType, VectorType>(type))
      return rewriter.notifyMatchFailure(op, "f32 scalars and vectors only");
    Location loc = op.getLoc();
    auto constant = [&](uint32_t bits) -> Value {
      TypedAttr value = rewriter.getF32FloatAttr(llvm::bit_cast<float>(bits));
      if (auto vectorType = dyn_cast<VectorType>(type))
        value = DenseElementsAttr::get(vectorType, value);
      return arith::ConstantOp::create(rewriter, loc, value);
    };
    auto fma = [&](Value a, Value b, Value c) -> Value {
      return math::FmaOp::create(rewriter, loc, a, b, c);
    };
    auto horner = [&](ArrayRef<uint32_t> coefficients, Value u) {
      Value acc = constant(coefficients.front());
      for (uint32_t c : coefficients.drop_front())
        acc = fma(u, acc, constant(c));
      return acc;
    };

    Value x = op.getOperand();
    Value hi = constant(kClampBits);
    Value lo = constant(kClampBits | 0x80000000u);
    Value below = arith::CmpFOp::create(rewriter, loc,
                                        arith::CmpFPredicate::ULT, x, hi);
    Value y = arith::SelectOp::create(rewriter, loc, below, x, hi);
    Value above = arith::CmpFOp::create(rewriter, loc,
                                        arith::CmpFPredicate::UGT, y, lo);
    y = arith::SelectOp::create(rewriter, loc, above, y, lo);

    Value y2 = arith::MulFOp::create(rewriter, loc, y, y);
    Value y3 = arith::MulFOp::create(rewriter, loc, y, y2);
    Value numerator = fma(y3, horner(kNumerator, y2), y);
    Value denominator =
        fma(y2, horner(kDenominator, y2), constant(0x3f800000 /*1.0*/));
    rewriter.replaceOpWithNewOp<arith::DivFOp>(op, numerator, denominator);
    return success();
  }
};

struct DytApproximateTanhPass
    : dyt::impl::DytApproximateTanhPassBase<DytApproximateTanhPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<RationalTanh>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
