//===- ExpandMath.cpp - dyt-expand-math ------------------------------------===//
//
// The math ops without an LLVM lowering, as arithmetic (see the pass
// description).
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTEXPANDMATHPASS
#include "dyt/Codegen/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

/// A 16-bit `OpTy` computed in f32 and rounded once: upstream's
/// approximations are written for f32 only.
template <typename OpTy>
struct ComputeInF32 : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    Type element = getElementTypeOrSelf(type);
    if (!element.isF16() && !element.isBF16())
      return rewriter.notifyMatchFailure(op, "not a 16-bit float");
    Type wide = rewriter.getF32Type();
    if (auto shaped = dyn_cast<ShapedType>(type))
      wide = shaped.clone(wide);
    Location loc = op.getLoc();
    Value input = arith::ExtFOp::create(rewriter, loc, wide, op.getOperand());
    Value result = OpTy::create(rewriter, loc, input, op.getFastmath());
    rewriter.replaceOpWithNewOp<arith::TruncFOp>(op, type, result);
    return success();
  }
};

struct DytExpandMathPass
    : dyt::impl::DytExpandMathPassBase<DytExpandMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ComputeInF32<math::ErfOp>, ComputeInF32<math::ErfcOp>>(
        &getContext());
    populatePolynomialApproximateErfPattern(patterns);
    populatePolynomialApproximateErfcPattern(patterns);
    // llvm.intr.powi takes a scalar exponent; a vectorized fpowi has a
    // vector one (torch-mlir squares with fpowi(x, 2)).
    math::populateExpansionPatterns(patterns, {"fpowi"});
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
