//===- CpuPipeline.cpp - dyt-cpu-pipeline and its reference twin -----------===//

#include "dyt/Pipelines/CpuPipeline.h"

#include "dyt/Codegen/Passes.h"
#include "dyt/Conversion/Passes.h"
#include "dyt/Dialect/Dyt/Transforms/Passes.h"
#include "mlir/Conversion/ConvertToLLVM/ToLLVMPass.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace {

/// From scf/memref/arith/math/vector to the LLVM dialect.
void addLoweringToLLVM(OpPassManager &pm, bool reassociateReductions) {
  pm.addPass(dyt::createDytExpandMathPass());
  // x86 has no bf16 arithmetic: LLVM would promote each op to f32 and
  // narrow its result with a __truncsfbf2 call per element (a bf16
  // matmul's llvm.fmuladd on 17 lanes: 17 calls). The op in f32 with its
  // result rounded to bf16 keeps the rounding, and the roundings are then
  // ours, expanded below into integer ops where the host has no
  // instruction for them.
  arith::ArithEmulateUnsupportedFloatsOptions bf16;
  bf16.sourceTypeStrs = {"bf16"};
  pm.addPass(arith::createArithEmulateUnsupportedFloats(bf16));
  pm.addPass(dyt::createDytDropConversionFastMathPass());
  if (!dyt::hostHasBf16Conversion())
    pm.addPass(dyt::createDytExpandBf16ConversionsPass());
  pm.addPass(createConvertVectorToSCFPass(
      VectorTransferToSCFOptions().enableFullUnroll()));
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  ConvertVectorToLLVMPassOptions vectorOptions;
  vectorOptions.reassociateFPReductions = reassociateReductions;
  pm.addPass(createConvertVectorToLLVMPass(vectorOptions));
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addNestedPass<LLVM::LLVMFuncOp>(dyt::createDytLLVMHalfMemoryAsIntegersPass());
  pm.addPass(dyt::createDytCheckLoweredToLLVMPass());
}

} // namespace

/// Tensors to memrefs across function boundaries, with identity layouts so
/// that callers (dyt-run, the C interface) pass plain strided buffers.
void mlir::dyt::addDytBufferization(OpPassManager &pm) {
  // A tile computed into a fresh tensor and inserted into the result is
  // computed into the result's slice instead: no buffer and copy per tile.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizePassOptions options;
  options.bufferizeFunctionBoundaries = true;
  options.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(options));
  // A matmul register tile with an epilogue accumulates into a small buffer
  // of its own; allocated in the tile loop, that is a malloc and a free per
  // tile (6% of a 197x768x3072 matmul). Hoisted out of the sequential loops
  // (never out of an scf.forall: each thread keeps its own), it is one.
  pm.addNestedPass<func::FuncOp>(
      bufferization::createBufferLoopHoistingPass());
  bufferization::buildBufferDeallocationPipeline(pm);
  // Deallocation clones a buffer the caller must own (e.g. a returned
  // argument); clones become an allocation and a copy.
  pm.addPass(createConvertBufferizationToMemRefPass());
}

/// dyt ops and elementwise arith/math ops on tensors to linalg.
void mlir::dyt::addDytLoweringToLinalg(OpPassManager &pm) {
  pm.addPass(dyt::createConvertDytToLinalgPass());
  pm.addPass(createConvertElementwiseToLinalgPass());
  pm.addNestedPass<func::FuncOp>(dyt::createDytDecomposeAggregateOpsPass());
}

void mlir::dyt::buildDytCpuPipeline(OpPassManager &pm,
                                    const DytCpuPipelineOptions &options) {
  if (options.outlineWeightFolding)
    pm.addPass(createDytOutlineWeightFoldingPass());
  if (options.fuseMatmul) {
    // Bias and residual adds written as arith ops on tensors become linalg
    // first, so that they can join a matmul's epilogue.
    pm.addPass(createConvertElementwiseToLinalgPass());
    DytFuseMatmulPassOptions fusion;
    fusion.vectorBits = options.vectorBits;
    pm.addNestedPass<func::FuncOp>(createDytFuseMatmulPass(fusion));
  }
  addDytLoweringToLinalg(pm);
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  DytCpuTileAndFusePassOptions tiling;
  tiling.vectorBits = options.vectorBits;
  tiling.peelPartialTiles = options.peelPartialTiles;
  tiling.alignRowHeads = options.alignRowHeads;
  tiling.streamingStores = options.streamingStores;
  pm.addNestedPass<func::FuncOp>(createDytCpuTileAndFusePass(tiling));
  pm.addNestedPass<func::FuncOp>(createDytCpuVectorizePass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // A reduction's accumulator: read and written once per loop, not per step.
  pm.addPass(createLoopInvariantSubsetHoistingPass());
  // A peeled tile's update of an accumulator's first lanes stays in
  // registers too (no buffer per row).
  pm.addNestedPass<func::FuncOp>(createDytForwardPartialTransfersPass());
  // Row statistics written to a one-element tensor and read straight back
  // fold to the value: no buffer, no allocation per row.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  addDytBufferization(pm);
  // Whatever the vectorizer declined still runs, as scalar loops.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  DytCpuLowerVectorsPassOptions vectorLowering;
  vectorLowering.nontemporalResultStores = options.streamingStores;
  pm.addNestedPass<func::FuncOp>(createDytCpuLowerVectorsPass(vectorLowering));
  if (options.prefetchDistance != 0) {
    DytCpuPrefetchPassOptions prefetch;
    prefetch.distance = options.prefetchDistance;
    pm.addNestedPass<func::FuncOp>(createDytCpuPrefetchPass(prefetch));
  }
  // Before the tanh is expanded: its error bound holds for its arithmetic
  // as written, not for a contraction LLVM might choose.
  if (options.contractFloatOps)
    pm.addPass(createDytContractFloatOpsPass());
  if (options.fastTanh)
    pm.addPass(createDytApproximateTanhPass());
  if (options.parallel) {
    pm.addNestedPass<func::FuncOp>(createForallToParallelLoopPass());
    pm.addPass(createConvertSCFToOpenMPPass());
  } else {
    pm.addNestedPass<func::FuncOp>(createForallToForLoopPass());
  }
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  addLoweringToLLVM(pm, /*reassociateReductions=*/true);
}

void mlir::dyt::buildDytCpuReferencePipeline(OpPassManager &pm) {
  addDytLoweringToLinalg(pm);
  addDytBufferization(pm);
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  addLoweringToLLVM(pm, /*reassociateReductions=*/false);
}

void mlir::dyt::registerDytCpuPipelines() {
  PassPipelineRegistration<DytCpuPipelineOptions>(
      "dyt-cpu-pipeline",
      "From func + dyt/linalg/tensor/arith/math on tensors to the LLVM "
      "dialect: fused, tiled and vectorized for the host CPU",
      buildDytCpuPipeline);
  PassPipelineRegistration<>(
      "dyt-cpu-reference-pipeline",
      "The same lowering as scalar loops with libm's tanhf and no fusion: the "
      "reference that dyt-run --check compares the fast pipeline against",
      buildDytCpuReferencePipeline);
}
