//===- VerifyNvvmTargets.cpp - dyt-gpu-verify-nvvm-targets ----------------===//
//
// Runs before serialisation because LLVM's NVPTX backend reports a PTX
// version older than the chip with a fatal error that ends the process
// (dyt-opt, or a user's compiler with our passes in it), not a diagnostic.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Gpu/NvptxTarget.h"
#include "dyt/Codegen/Gpu/Passes.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTGPUVERIFYNVVMTARGETSPASS
#include "dyt/Codegen/Gpu/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

struct DytGpuVerifyNvvmTargetsPass
    : dyt::impl::DytGpuVerifyNvvmTargetsPassBase<
          DytGpuVerifyNvvmTargetsPass> {
  using Base::Base;

  void runOnOperation() override {
    dyt::NvptxRequirements required{minPtx, minSm,
                                    why.empty() ? StringRef("min-ptx / min-sm")
                                                : StringRef(why)};
    gpu::GPUModuleOp module = getOperation();
    ArrayAttr targets = module.getTargetsAttr();
    if (!targets)
      return;
    bool failedAny = false;
    for (Attribute attr : targets) {
      auto target = dyn_cast<NVVM::NVVMTargetAttr>(attr);
      if (!target)
        continue;
      failedAny |= failed(dyt::verifyNvptxTarget(
          target.getChip(), target.getFeatures(), required, [&] {
            return module.emitOpError() << "target " << target << ": ";
          }));
    }
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
