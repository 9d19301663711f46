//===- DeviceMemory.cpp - dyt-gpu-device-memory -----------------------------===//
//
// After the kernels are formed, the host code only allocates, copies and
// launches: its buffers are device memory (the caller passes device
// pointers), so allocations and copies go through the GPU runtime, the
// constants a kernel reads move into the kernel module (or are copied to the
// device), a scalar read whose value only kernels use moves into them, and
// any other host access to a buffer is reported instead of compiled into a
// read of device memory from the CPU.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Gpu/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
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

/// Collects into `chain` (in program order, after `load`) the host ops
/// computing from the loaded value up to its uses in kernels: pure ops
/// without regions in the load's block (an alpha widened from f16 on the
/// host). Fails when a value of the chain is used on the host otherwise.
LogicalResult collectHostChain(memref::LoadOp load,
                               llvm::SetVector<Operation *> &chain) {
  SmallVector<Value> worklist{load.getResult()};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (Operation *user : value.getUsers()) {
      if (user->getParentOfType<gpu::LaunchOp>())
        continue;
      if (user->getBlock() != load->getBlock() || user->getNumRegions() ||
          user->getNumResults() == 0 ||
          user->hasTrait<OpTrait::IsTerminator>() || !isPure(user))
        return failure();
      if (chain.insert(user))
        worklist.append(user->result_begin(), user->result_end());
    }
  }
  SmallVector<Operation *> ordered = chain.takeVector();
  llvm::sort(ordered, [](Operation *a, Operation *b) {
    return a->isBeforeInBlock(b);
  });
  chain.insert(ordered.begin(), ordered.end());
  return success();
}

/// Moves `root` and `chain` (the host ops that compute from it, see
/// collectHostChain) into each kernel that uses their values.
void sinkIntoKernels(RewriterBase &rewriter, Operation *root,
                     const llvm::SetVector<Operation *> &chain) {
  SmallVector<Operation *> sunk{root};
  sunk.append(chain.begin(), chain.end());
  llvm::SetVector<gpu::LaunchOp> launches;
  for (Operation *op : sunk)
    for (Operation *user : op->getUsers())
      if (auto launch = user->getParentOfType<gpu::LaunchOp>())
        launches.insert(launch);
  for (gpu::LaunchOp launch : launches) {
    rewriter.setInsertionPointToStart(&launch.getBody().front());
    IRMapping mapping;
    for (Operation *op : sunk) {
      Operation *clone = rewriter.clone(*op, mapping);
      for (auto [from, to] : llvm::zip(op->getResults(), clone->getResults()))
        rewriter.replaceUsesWithIf(from, to, [&](OpOperand &use) {
          return launch->isProperAncestor(use.getOwner());
        });
    }
  }
  for (Operation *op : llvm::reverse(sunk))
    rewriter.eraseOp(op);
}

/// The alignment every kernel may assume of a buffer: device allocations
/// have 256, and the widest access is 128 bits.
constexpr int64_t kKernelBufferAlignment = 16;

/// Whether the constant `get` reads can live in the kernel module: only
/// kernels use it, none writes it (a store into a constant is undefined,
/// but into a per-call device copy it at least stays in that call), and its
/// global is an initialized constant of identity layout that is aligned for
/// the kernels' vector accesses and at most `maxBytes`.
bool canEmbedInKernels(memref::GetGlobalOp get, int64_t maxBytes) {
  auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
      get, get.getNameAttr());
  if (!global || !global.getConstant() || global.isExternal() ||
      global.isUninitialized() ||
      global.getAlignment().value_or(0) < kKernelBufferAlignment)
    return false;
  MemRefType type = global.getType();
  Type element = type.getElementType();
  if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
      !element.isIntOrFloat())
    return false;
  uint64_t bytes = static_cast<uint64_t>(type.getNumElements()) *
                   llvm::divideCeil(element.getIntOrFloatBitWidth(), 8);
  if (bytes > static_cast<uint64_t>(maxBytes))
    return false;
  return llvm::all_of(get->getUsers(), [&](Operation *user) {
    auto effects = dyn_cast<MemoryEffectOpInterface>(user);
    return user->getParentOfType<gpu::LaunchOp>() &&
           !(effects &&
             effects.getEffectOnValue<MemoryEffects::Write>(get.getResult()));
  });
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
  using Base::Base;

  void runOnOperation() override {
    FunctionOpInterface func = getOperation();
    if (maxEmbeddedConstantBytes < 0) {
      func->emitError() << "dyt-gpu-device-memory: max-embedded-constant-bytes ("
                        << int64_t(maxEmbeddedConstantBytes)
                        << ") must not be negative";
      return signalPassFailure();
    }
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
    llvm::SmallPtrSet<Operation *, 8> erased;
    for (Operation *op : hostOps) {
      if (erased.contains(op))
        continue;
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
      } else if (auto global = dyn_cast<memref::GetGlobalOp>(op);
                 global &&
                 canEmbedInKernels(global, maxEmbeddedConstantBytes)) {
        // Kernels read the global from their own module, which
        // gpu-kernel-outlining gives a copy of it: the data reaches the
        // device with the module, once, instead of on every call.
        sinkIntoKernels(rewriter, global, {});
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
        // The chain of pure ops moves with the load: none of them is
        // visited again.
        llvm::SetVector<Operation *> chain;
        if (failed(collectHostChain(load, chain))) {
          load.emitOpError("reads device memory on the host: its value is "
                           "used outside the GPU kernels");
          failedAny = true;
          continue;
        }
        erased.insert(chain.begin(), chain.end());
        sinkIntoKernels(rewriter, load, chain);
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
