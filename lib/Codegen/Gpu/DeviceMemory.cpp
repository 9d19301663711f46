//===- DeviceMemory.cpp - dyt-gpu-device-memory -----------------------------===//
//
// After the kernels are formed, the host code only allocates, copies and
// launches: its buffers are device memory (the caller passes device
// pointers), so allocations and copies go through the GPU runtime, the
// constants a kernel reads are copied to the device, a scalar read whose
// value only kernels use moves into them, and any other host access to a
// buffer is reported instead of compiled into a read of device memory from
// the CPU.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Gpu/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTGPUDEVICEMEMORYPASS
#include "dyt/Codegen/Gpu/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

bool onHost(Operation *op) { return !op->getParentOfType<gpu::LaunchOp>(); }

/// Moves `load` into each kernel that uses its value; fails when some use
/// is on the host.
LogicalResult sinkIntoKernels(RewriterBase &rewriter, memref::LoadOp load) {
  llvm::SetVector<gpu::LaunchOp> launches;
  for (Operation *user : load->getUsers()) {
    auto launch = user->getParentOfType<gpu::LaunchOp>();
    if (!launch)
      return failure();
    launches.insert(launch);
  }
  for (gpu::LaunchOp launch : launches) {
    rewriter.setInsertionPointToStart(&launch.getBody().front());
    Operation *clone = rewriter.clone(*load);
    rewriter.replaceUsesWithIf(load.getResult(), clone->getResult(0),
                               [&](OpOperand &use) {
                                 return launch->isProperAncestor(
                                     use.getOwner());
                               });
  }
  rewriter.eraseOp(load);
  return success();
}

/// Whether `op` reads or writes the data of a buffer (not just its
/// descriptor, as memref.dim does, nor its lifetime).
bool accessesBufferData(Operation *op) {
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return false;
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  return llvm::any_of(instances, [](const MemoryEffects::EffectInstance &e) {
    return isa<MemoryEffects::Read, MemoryEffects::Write>(e.getEffect()) &&
           e.getValue() && isa<BaseMemRefType>(e.getValue().getType());
  });
}

struct DytGpuDeviceMemoryPass
    : dyt::impl::DytGpuDeviceMemoryPassBase<DytGpuDeviceMemoryPass> {
  void runOnOperation() override {
    FunctionOpInterface func = getOperation();
    IRRewriter rewriter(&getContext());
    SmallVector<Operation *> hostOps;
    func->walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<gpu::LaunchOp>(op))
        return WalkResult::skip();
      hostOps.push_back(op);
      return WalkResult::advance();
    });

    SmallVector<Value> deviceConstants;
    bool failedAny = false;
    for (Operation *op : hostOps) {
      Location loc = op->getLoc();
      rewriter.setInsertionPoint(op);
      if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
        auto device = gpu::AllocOp::create(
            rewriter, loc, alloc.getType(), /*asyncToken=*/Type(),
            ValueRange(), alloc.getDynamicSizes(), alloc.getSymbolOperands(),
            /*hostShared=*/false);
        rewriter.replaceOp(alloc, device.getMemref());
      } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
        gpu::DeallocOp::create(rewriter, loc, Type(), ValueRange(),
                               dealloc.getMemref());
        rewriter.eraseOp(dealloc);
      } else if (auto copy = dyn_cast<memref::CopyOp>(op)) {
        auto sourceType = cast<MemRefType>(copy.getSource().getType());
        auto targetType = cast<MemRefType>(copy.getTarget().getType());
        if (!sourceType.getLayout().isIdentity() ||
            !targetType.getLayout().isIdentity()) {
          copy.emitOpError("copies between strided device buffers on the "
                           "host; dyt-gpu-map-linalg should have made it a "
                           "kernel");
          failedAny = true;
          continue;
        }
        gpu::MemcpyOp::create(rewriter, loc, Type(), ValueRange(),
                              copy.getTarget(), copy.getSource());
        rewriter.eraseOp(copy);
      } else if (auto global = dyn_cast<memref::GetGlobalOp>(op)) {
        // The constant lives in host memory: kernels read a device copy.
        auto type = cast<MemRefType>(global.getType());
        rewriter.setInsertionPointAfter(global);
        auto device = gpu::AllocOp::create(rewriter, loc, type, Type(),
                                           ValueRange(), ValueRange(),
                                           ValueRange(), false);
        auto memcpy = gpu::MemcpyOp::create(rewriter, loc, Type(),
                                            ValueRange(), device.getMemref(),
                                            global.getResult());
        rewriter.replaceAllUsesExcept(global.getResult(), device.getMemref(),
                                      memcpy);
        deviceConstants.push_back(device.getMemref());
      } else if (auto load = dyn_cast<memref::LoadOp>(op)) {
        if (failed(sinkIntoKernels(rewriter, load))) {
          load.emitOpError("reads device memory on the host: its value is "
                           "used outside the GPU kernels");
          failedAny = true;
        }
      } else if (!isa<gpu::GPUDialect>(op->getDialect()) &&
                 accessesBufferData(op)) {
        op->emitOpError("accesses a buffer on the host, where buffers are "
                        "device memory; it was not mapped to a GPU kernel");
        failedAny = true;
      }
    }
    if (failedAny)
      return signalPassFailure();

    // Device copies of constants live until the function returns.
    if (!deviceConstants.empty())
      func->walk([&](Operation *op) {
        if (!op->hasTrait<OpTrait::ReturnLike>() ||
            op->getParentOp() != func.getOperation())
          return;
        rewriter.setInsertionPoint(op);
        for (Value buffer : deviceConstants)
          gpu::DeallocOp::create(rewriter, op->getLoc(), Type(), ValueRange(),
                                 buffer);
      });
  }
};

} // namespace
