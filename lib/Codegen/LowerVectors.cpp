//===- LowerVectors.cpp - dyt-cpu-lower-vectors -----------------------------===//
//
// After bufferization, brings the vector ops of the CPU pipeline down to what
// convert-vector-to-llvm turns into plain (masked) loads, stores, FMAs and
// horizontal reductions: unit dims dropped (a tile of one row is a 1-D
// vector), masks and multi-reductions lowered, contractions lowered to
// outer products (a broadcast of A times a vector of B per step: FMAs).
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/NontemporalStores.h"
#include "dyt/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTCPULOWERVECTORSPASS
#include "dyt/Codegen/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

struct DytCpuLowerVectorsPass
    : dyt::impl::DytCpuLowerVectorsPassBase<DytCpuLowerVectorsPass> {
  using Base::Base;

  void runOnOperation() override {
    // A function with a contraction is bound by its FMAs, not by the bytes
    // it stores: non-temporal stores buy nothing there, and tile stores LLVM
    // cannot prove 64-byte aligned are split into scalar movnti.
    bool computeBound = false;
    getOperation().walk([&](vector::ContractionOp) { computeBound = true; });
    Operation *func = getOperation();
    // Each stage is its own greedy application: patterns of different
    // stages would rewrite each other's output.
    auto stage = [&](function_ref<void(RewritePatternSet &)> populate) {
      RewritePatternSet patterns(&getContext());
      populate(patterns);
      return applyPatternsGreedily(func, std::move(patterns));
    };
    // 0. vector.mask regions hold exactly one op: turn them into masked
    //    transfers before any other pattern rewrites inside them.
    // 1. Contractions without leading unit dims to outer products, while
    //    their shapes are otherwise intact.
    // 2. Unit dims away: a tile of one row becomes a 1-D vector. On its own:
    //    mixed with the lowerings below, leading-unit-dim removal and
    //    multi-reduction lowering rewrite each other's output forever.
    // 3. Multi-reductions and outer products lowered, masked transfers to
    //    masked loads/stores.
    if (failed(stage([](RewritePatternSet &patterns) {
          vector::populateVectorMaskLoweringPatternsForSideEffectingOps(
              patterns);
          vector::populateVectorMaskOpLoweringPatterns(patterns);
        })) ||
        // A batch_matmul tile's contraction has a unit batch dim, which
        // the outer-product lowering does not take; the generic lowering
        // that would unroll it instead rejects 16-bit operands with f32
        // accumulators. Without the unit dims it is a plain matmul.
        failed(stage([](RewritePatternSet &patterns) {
          vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
        })) ||
        failed(stage([](RewritePatternSet &patterns) {
          vector::populateVectorContractLoweringPatterns(
              patterns, vector::VectorContractLowering::OuterProduct);
          vector::populateVectorTransferPermutationMapLoweringPatterns(
              patterns);
        })) ||
        failed(stage([](RewritePatternSet &patterns) {
          vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
          vector::populateVectorTransferDropUnitDimsPatterns(patterns);
          vector::populateDropUnitDimWithShapeCastPatterns(patterns);
          vector::populateVectorToVectorCanonicalizationPatterns(patterns);
        })) ||
        failed(stage([](RewritePatternSet &patterns) {
          vector::populateVectorMultiReductionLoweringPatterns(
              patterns, vector::VectorMultiReductionLowering::InnerReduction);
          vector::populateVectorOuterProductLoweringPatterns(patterns);
          vector::populateVectorMaskOpLoweringPatterns(patterns);
          vector::populateVectorTransferLoweringPatterns(
              patterns, /*maxTransferRank=*/1);
          vector::populateVectorShapeCastLoweringPatterns(patterns);
          vector::populateVectorBroadcastLoweringPatterns(patterns);
          vector::populateVectorToVectorCanonicalizationPatterns(patterns);
        })))
      return signalPassFailure();
    if (nontemporalResultStores && !computeBound)
      dyt::markResultStoresNontemporal(getOperation());
  }
};

} // namespace
