//===- ExpandBf16Conversions.cpp - dyt-expand-bf16-conversions -------------===//
//
// f32 <-> bf16 conversions as integer operations on the bits, for targets
// that have no conversion instruction (see the pass description).
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTEXPANDBF16CONVERSIONSPASS
#include "dyt/Codegen/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

struct DytExpandBf16ConversionsPass
    : dyt::impl::DytExpandBf16ConversionsPassBase<
          DytExpandBf16ConversionsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    arith::populateExpandBFloat16Patterns(patterns);
    // The patterns match bf16 extf/truncf and produce integer ops: one
    // sweep, no folding, nothing else touched.
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace
