//===- CheckLoweredToLLVM.cpp - dyt-check-lowered-to-llvm ------------------===//
//
// Reports, at its location, every op the lowering to LLVM left behind (see
// the pass description).
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTCHECKLOWEREDTOLLVMPASS
#include "dyt/Codegen/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

struct DytCheckLoweredToLLVMPass
    : dyt::impl::DytCheckLoweredToLLVMPassBase<DytCheckLoweredToLLVMPass> {
  void runOnOperation() override {
    bool leftOver = false;
    getOperation()->walk([&](Operation *op) {
      // A serialised GPU module and its launches are translated to LLVM IR
      // as they are (module load and kernel launch runtime calls).
      if (isa<ModuleOp, gpu::BinaryOp, gpu::LaunchFuncOp>(op) ||
          isa<LLVM::LLVMDialect, omp::OpenMPDialect>(op->getDialect()))
        return;
      op->emitError() << "'" << op->getName()
                      << "' was not lowered to the LLVM dialect";
      leftOver = true;
    });
    if (leftOver)
      signalPassFailure();
  }
};

} // namespace
