//===- FastTanh.cpp - dyt-gpu-fast-tanh -------------------------------------===//
//
// math.tanh (f32) in kernels -> llvm.intr.tanh {afn}: NVPTX selects the
// approximate-function form as tanh.approx.f32, one MUFU instruction,
// where libdevice's __nv_tanhf costs about 20.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Gpu/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTGPUFASTTANHPASS
#include "dyt/Codegen/Gpu/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

struct DytGpuFastTanhPass
    : dyt::impl::DytGpuFastTanhPassBase<DytGpuFastTanhPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<math::TanhOp> tanhs;
    getOperation()->walk([&](math::TanhOp op) {
      bool inKernel = op->getParentOfType<gpu::LaunchOp>() ||
                      op->getParentOfType<gpu::GPUFuncOp>();
      if (inKernel && getElementTypeOrSelf(op.getType()).isF32())
        tanhs.push_back(op);
    });
    auto afn = LLVM::FastmathFlagsAttr::get(&getContext(),
                                            LLVM::FastmathFlags::afn);
    for (math::TanhOp op : tanhs) {
      rewriter.setInsertionPoint(op);
      rewriter.replaceOpWithNewOp<LLVM::TanhOp>(op, op.getType(),
                                                op.getOperand(), afn);
    }
  }
};

} // namespace
