//===- AlignWorkgroupBuffers.cpp - dyt-gpu-align-workgroup-buffers --------===//
//
// Shared buffers are lowered to llvm.mlir.global in address space 3 with
// their element's alignment unless the attribution carries llvm.align; the
// kernels access 16-bit tiles in 32-bit pairs and rows in 128-bit vectors.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Gpu/Passes.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTGPUALIGNWORKGROUPBUFFERSPASS
#include "dyt/Codegen/Gpu/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

struct DytGpuAlignWorkgroupBuffersPass
    : dyt::impl::DytGpuAlignWorkgroupBuffersPassBase<
          DytGpuAlignWorkgroupBuffersPass> {
  using Base::Base;

  void runOnOperation() override {
    if (alignment <= 0 || !llvm::isPowerOf2_64(alignment)) {
      getOperation()->emitError()
          << "dyt-gpu-align-workgroup-buffers: alignment (" << int64_t(alignment)
          << ") must be a positive power of two";
      return signalPassFailure();
    }
    StringRef name = LLVM::LLVMDialect::getAlignAttrName();
    Builder b(&getContext());
    getOperation()->walk([&](gpu::GPUFuncOp func) {
      for (unsigned i = 0, e = func.getNumWorkgroupAttributions(); i < e;
           ++i) {
        auto current = dyn_cast_or_null<IntegerAttr>(
            func.getWorkgroupAttributionAttr(i, name));
        if (!current || current.getInt() < alignment)
          func.setWorkgroupAttributionAttr(i, name,
                                           b.getI64IntegerAttr(alignment));
      }
    });
  }
};

} // namespace
