//===- DropConversionFastMath.cpp - dyt-drop-conversion-fast-math ---------===//
//
// Removes the fast-math flags of arith.extf and arith.truncf.
//
// Why: arith-emulate-unsupported-floats gives the conversions it creates the
// flags of the op it widens (a bf16 addf with `contract` becomes extf,
// addf, truncf, all three with `contract`). MLIR 22's arith-to-llvm lowering
// copies them onto llvm.fpext / llvm.fptrunc unchanged, as a discardable
// `fastmath = #arith.fastmath<...>` attribute: the LLVM dialect's casts have
// no fast-math flags, and mlir-translate rejects the attribute of a dialect
// the module no longer uses. Only hosts whose bf16 conversions stay native
// (dyt-expand-bf16-conversions does not run: AArch64 with FEAT_BF16) keep
// such conversions to that point. The flags permit no rewrite of a
// conversion that LLVM makes, so dropping them changes no code.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTDROPCONVERSIONFASTMATHPASS
#include "dyt/Codegen/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

struct DytDropConversionFastMathPass
    : dyt::impl::DytDropConversionFastMathPassBase<
          DytDropConversionFastMathPass> {
  void runOnOperation() override {
    getOperation()->walk([](Operation *op) {
      if (auto ext = dyn_cast<arith::ExtFOp>(op))
        ext.removeFastmathAttr();
      else if (auto trunc = dyn_cast<arith::TruncFOp>(op))
        trunc.removeFastmathAttr();
    });
  }
};

} // namespace
