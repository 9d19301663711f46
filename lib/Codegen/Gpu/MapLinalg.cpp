//===- MapLinalg.cpp - dyt-gpu-map-linalg -----------------------------------===//
//
// Linalg ops on device buffers -> one gpu.launch each (the generators are in
// ElementwiseKernel.cpp, MatmulKernel.cpp and MmaMatmulKernel.cpp). Contractions go first: they
// take their fill and epilogue ops with them.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Gpu/Passes.h"

#include "KernelBuilder.h"
#include "Kernels.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
// For the pass's dependent dialects only: it declares a global kWarpSize.
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTGPUMAPLINALGPASS
#include "dyt/Codegen/Gpu/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;
using namespace mlir::dyt;
using namespace mlir::dyt::gpu_kernels;

namespace {

/// `generic` with its trailing loops merged into one when every operand
/// treats them as one contiguous dim or does not use them (NCHW DyT: H and
/// W, which gamma does not index), so that the kernel's rows are long
/// (H * W rather than W) and the threads of a warp have work. Upstream's
/// collapseOpIterationDims does the rewrite (reshaping the operands, which
/// must have identity layouts, and rewriting linalg.index).
linalg::GenericOp collapseTrailingLoops(RewriterBase &rewriter,
                                        linalg::GenericOp generic) {
  int64_t numLoops = generic.getNumLoops();
  if (numLoops < 2)
    return generic;
  for (OpOperand &operand : generic->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (type && !type.getLayout().isIdentity())
      return generic;
  }
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  for (int64_t first = 0; first + 1 < numLoops; ++first) {
    ReassociationIndices trailing =
        llvm::to_vector(llvm::seq<int64_t>(first, numLoops));
    if (!linalg::areDimSequencesPreserved(maps, {trailing}))
      continue;
    rewriter.setInsertionPoint(generic);
    FailureOr<linalg::CollapseResult> collapsed =
        linalg::collapseOpIterationDims(generic, {trailing}, rewriter);
    if (failed(collapsed))
      return generic;
    rewriter.eraseOp(generic);
    return cast<linalg::GenericOp>(collapsed->collapsedOp.getOperation());
  }
  return generic;
}

struct DytGpuMapLinalgPass
    : dyt::impl::DytGpuMapLinalgPassBase<DytGpuMapLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    // Each thread holds (m / 16) x (n / 16) accumulators and the 256
    // threads stage the k x m and k x n slices in whole rounds.
    if (tileM <= 0 || tileN <= 0 || tileK <= 0 || tileM % 16 != 0 ||
        tileN % 16 != 0 || (tileM * tileK) % kBlockThreads != 0 ||
        (tileN * tileK) % kBlockThreads != 0) {
      getOperation()->emitError()
          << "dyt-gpu-map-linalg: tile-m (" << int64_t(tileM) << ") and tile-n ("
          << int64_t(tileN) << ") must be positive multiples of 16, and tile-m * "
          << "tile-k and tile-n * tile-k (tile-k " << int64_t(tileK)
          << ") multiples of " << kBlockThreads;
      return signalPassFailure();
    }
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::LinalgOp> contractions;
    getOperation()->walk([&](linalg::LinalgOp op) {
      // Contractions, and contractions with elementwise ops fused into
      // their operands: matchMatmulKernel decides.
      if (!op->getParentOfType<gpu::LaunchOp>() &&
          op.getNumReductionLoops() == 1)
        contractions.push_back(op);
    });
    for (linalg::LinalgOp op : contractions)
      if (std::optional<MatmulMatch> match = matchMatmulKernel(op)) {
        if (tensorCores && canUseMmaSync(*match))
          emitMmaMatmulKernel(rewriter, *match);
        else
          emitMatmulKernel(rewriter, *match, {tileM, tileN, tileK});
      }

    // A copy between strided views (an inserted slice) is a kernel too;
    // dyt-gpu-device-memory turns contiguous ones into gpu.memcpy.
    SmallVector<memref::CopyOp> copies;
    getOperation()->walk([&](memref::CopyOp copy) {
      auto source = dyn_cast<MemRefType>(copy.getSource().getType());
      auto target = dyn_cast<MemRefType>(copy.getTarget().getType());
      if (!copy->getParentOfType<gpu::LaunchOp>() && source && target &&
          (!source.getLayout().isIdentity() ||
           !target.getLayout().isIdentity()))
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies) {
      rewriter.setInsertionPoint(copy);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                  copy.getTarget());
    }

    SmallVector<linalg::LinalgOp> others;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (!op->getParentOfType<gpu::LaunchOp>())
        others.push_back(op);
    });
    for (linalg::LinalgOp op : others) {
      if (!op.hasPureBufferSemantics())
        continue;
      auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
      // Reductions stay as they are for the generic mapping.
      if (!generic && op.getNumParallelLoops() != op.getNumLoops())
        continue;
      if (!generic) {
        // Fills, copies, transposes, broadcasts and named elementwise ops
        // are generics with simple maps.
        rewriter.setInsertionPoint(op);
        FailureOr<linalg::GenericOp> generalized =
            linalg::generalizeNamedOp(rewriter, op);
        if (failed(generalized))
          continue;
        generic = *generalized;
      }
      if (!isElementwiseKernelCandidate(generic))
        continue;
      generic = collapseTrailingLoops(rewriter, generic);
      emitElementwiseKernel(rewriter, generic);
      rewriter.eraseOp(generic);
    }

    // What has no parallel loop at all (a 0-d op, a reduction to a scalar)
    // has nothing for upstream's parallel-loop mapping either: it runs on
    // one GPU thread, as the loops it lowers to, rather than on the host
    // over device memory.
    SmallVector<linalg::LinalgOp> serial;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (!op->getParentOfType<gpu::LaunchOp>() &&
          op.hasPureBufferSemantics() && op.getNumParallelLoops() == 0)
        serial.push_back(op);
    });
    for (linalg::LinalgOp op : serial) {
      rewriter.setInsertionPoint(op);
      Location loc = op.getLoc();
      Value one = indexConstant(rewriter, loc, 1);
      createLaunch(rewriter, loc, one, one, one, one, Value(), TypeRange(),
                   [&](OpBuilder &, Location, gpu::LaunchOp launch) {
                     op->moveBefore(&launch.getBody().front(),
                                    launch.getBody().front().end());
                   });
    }
  }
};

} // namespace
