//===- ContractFloatOps.cpp - dyt-contract-float-ops -----------------------===//
//
// The `contract` fast-math flag on arith.mulf/addf/subf, except an add that
// is a loop's accumulator: LLVM fuses fmul + fadd into an FMA only when both
// instructions allow it.
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

/// Whether `op`'s result is the next value of a loop-carried accumulator:
/// yielded by an scf.for directly (what the vectorized reductions of the CPU
/// pipeline are). An accumulator updated through an scf.if or in an
/// scf.while is not recognised; it is contracted, which costs latency, not
/// correctness.
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
      // Only a multiply and an add or subtract can become an FMA; the flag
      // on anything else (compares, conversions, divides, math ops) would
      // be noise on the LLVM side.
      if (!isa<arith::MulFOp, arith::AddFOp, arith::SubFOp>(op) ||
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
