//===- DecomposeAggregateOps.cpp - dyt-decompose-aggregate-ops -------------===//
//
// linalg.softmax (and any other AggregatedOpInterface op) into the linalg
// ops it is made of, before tiling (see the pass description).
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTDECOMPOSEAGGREGATEOPSPASS
#include "dyt/Codegen/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

struct DytDecomposeAggregateOpsPass
    : dyt::impl::DytDecomposeAggregateOpsPassBase<
          DytDecomposeAggregateOpsPass> {
  void runOnOperation() override {
    SmallVector<linalg::AggregatedOpInterface> ops;
    // On tensors only: upstream's decompositions build tensor ops (on a
    // bufferized softmax they would mix memrefs and tensors); a memref one
    // is left to dyt-check-lowered-to-llvm to report.
    getOperation()->walk([&](linalg::AggregatedOpInterface op) {
      if (auto dps = dyn_cast<DestinationStyleOpInterface>(op.getOperation());
          dps && dps.hasPureTensorSemantics())
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::AggregatedOpInterface op : ops) {
      rewriter.setInsertionPoint(op);
      FailureOr<SmallVector<Value>> results = op.decomposeOperation(rewriter);
      if (failed(results)) {
        op->emitError("could not be decomposed into linalg ops");
        return signalPassFailure();
      }
      rewriter.replaceOp(op, *results);
    }
  }
};

} // namespace
