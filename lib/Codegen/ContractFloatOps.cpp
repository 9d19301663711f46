//===- ContractFloatOps.cpp - dyt-contract-float-ops -----------------------===//
//
// The `contract` fast-math flag on every floating-point arith op: LLVM fuses
// fmul + fadd into an FMA only when both instructions allow it.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTCONTRACTFLOATOPSPASS
#include "dyt/Codegen/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

/// Whether `op`'s result is the next value of a loop-carried accumulator.
/// Fused into an FMA, such an add puts the multiply's latency on the
/// loop-carried chain: a reduction over a row of a norm, whose few
/// accumulators already wait on each other, gets slower (on Zen 3 an FMA
/// takes 4 cycles, an add 3, and the multiplies run on other pipes).
bool accumulatesAcrossIterations(Operation *op) {
  return llvm::any_of(op->getUsers(), [](Operation *user) {
    return isa<scf::YieldOp>(user) && isa<scf::ForOp>(user->getParentOp());
  });
}

struct DytContractFloatOpsPass
    : dyt::impl::DytContractFloatOpsPassBase<DytContractFloatOpsPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    getOperation()->walk([&](arith::ArithFastMathInterface op) {
      // math ops carry the same flags, but LLVM contracts only fmul + fadd.
      if (!isa<arith::ArithDialect>(op->getDialect()) ||
          accumulatesAcrossIterations(op))
        return;
      arith::FastMathFlags flags = arith::FastMathFlags::none;
      if (arith::FastMathFlagsAttr attr = op.getFastMathFlagsAttr())
        flags = attr.getValue();
      op->setAttr(op.getFastMathAttrName(),
                  arith::FastMathFlagsAttr::get(
                      context, flags | arith::FastMathFlags::contract));
    });
  }
};

} // namespace
