//===- CpuPipeline.h - From dyt/linalg on tensors to the LLVM dialect -*- C++ -*-===//

#ifndef DYT_PIPELINES_CPUPIPELINE_H
#define DYT_PIPELINES_CPUPIPELINE_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;

namespace dyt {

struct DytCpuPipelineOptions
    : public PassPipelineOptions<DytCpuPipelineOptions> {
  PassOptions::Option<unsigned> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Width of the target's vector registers in bits "
                     "(0: read from the host's CPU features)"),
      llvm::cl::init(0)};
  PassOptions::Option<bool> fuseMatmul{
      *this, "fuse-matmul",
      llvm::cl::desc("Run dyt-fuse-matmul: fold DyT's gamma/beta into "
                     "constant weights and fuse DyT and other elementwise "
                     "ops into the matmuls next to them"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> outlineWeightFolding{
      *this, "outline-weight-folding",
      llvm::cl::desc("Run dyt-outline-weight-folding first: for DyT -> "
                     "matmul with weights passed as arguments, add @F_fold_"
                     "weights (run once) and @F_folded (the fused hot path)"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> contractFloatOps{
      *this, "contract-float-ops",
      llvm::cl::desc("Let LLVM fuse multiplies and the adds that use them "
                     "into FMAs (dyt-contract-float-ops), as a C compiler "
                     "does by default; off for IR that relies on separate "
                     "roundings"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> fastTanh{
      *this, "fast-tanh",
      llvm::cl::desc("Vectorizable rational tanh instead of libm's tanhf "
                     "(error bound in docs/overview.md)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> streamingStores{
      *this, "streaming-stores",
      llvm::cl::desc("Write the function's results with non-temporal "
                     "stores (saves the read-for-ownership of each line; "
                     "turn off when the caller reads the results right away "
                     "and they fit in cache)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> peelPartialTiles{
      *this, "peel-partial-tiles",
      llvm::cl::desc("Peel the last, partial vector tile off each row loop "
                     "(widths the tile does not divide): the rest then run "
                     "without masks"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> alignRowHeads{
      *this, "align-row-heads",
      llvm::cl::desc("Split rows of widths that are not a multiple of a "
                     "cache line at their first line boundary, so that "
                     "their vector stores do not straddle lines and can "
                     "stream (4-byte elements and wider; with 256-bit "
                     "vectors only a norm's output rows)"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> prefetchDistance{
      *this, "prefetch-distance",
      llvm::cl::desc("Software prefetches this many bytes ahead of the "
                     "loads that stream through memory (dyt-cpu-prefetch; "
                     "0: none)"),
      llvm::cl::init(4096)};
  PassOptions::Option<bool> parallel{
      *this, "parallel",
      llvm::cl::desc("Run the outer (row / matmul block) loops on OpenMP "
                     "threads; the process then needs libomp"),
      llvm::cl::init(false)};
};

/// The fast CPU pipeline: matmul fusion, dyt lowering, elementwise fusion,
/// row-wise tiling
/// and fusion, vectorization to the host's vector width, bufferization,
/// vector and math lowering, and conversion to the LLVM dialect. Runs on a
/// builtin.module of func.func ops; functions keep their signatures, with
/// tensors turned into identity-layout memrefs.
void buildDytCpuPipeline(OpPassManager &pm,
                         const DytCpuPipelineOptions &options);

/// The reference pipeline for differential testing: the same lowering with
/// scalar loops, libm's tanhf and no fusion, tiling or vectorization.
void buildDytCpuReferencePipeline(OpPassManager &pm);

/// The first step of both pipelines: dyt ops and elementwise ops on tensors
/// to linalg, aggregate ops (softmax) decomposed. dyt-compare counts kernels
/// after it.
void addDytLoweringToLinalg(OpPassManager &pm);

/// Tensors to memrefs across function boundaries (identity layouts, so that
/// callers pass plain strided buffers), with ownership-based deallocation:
/// the bufferization of both the CPU and the NVVM pipelines.
void addDytBufferization(OpPassManager &pm);

/// Registers `dyt-cpu-pipeline` and `dyt-cpu-reference-pipeline`.
void registerDytCpuPipelines();

} // namespace dyt
} // namespace mlir

#endif // DYT_PIPELINES_CPUPIPELINE_H
