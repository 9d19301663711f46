//===- ApproximateTanh.cpp - dyt-approximate-tanh ---------------------------===//
//
// math.tanh -> upstream's rational approximation, applied to f32 scalars and
// vectors. libm's tanhf is a scalar call the vectorizer cannot see through;
// this is arithmetic it can. The approximation keeps NaN and -0 (its clamp
// selects on unordered compares and it returns the input for |x| < 4e-4); its
// error bound is measured and tested in unittests/Codegen.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTAPPROXIMATETANHPASS
#include "dyt/Codegen/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

struct DytApproximateTanhPass
    : dyt::impl::DytApproximateTanhPassBase<DytApproximateTanhPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populatePolynomialApproximateTanhPattern(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
