//===- NvvmPipeline.h - From dyt/linalg on tensors to PTX / cubin -*- C++ -*-===//

#ifndef DYT_PIPELINES_NVVMPIPELINE_H
#define DYT_PIPELINES_NVVMPIPELINE_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;

namespace dyt {

struct DytNvvmPipelineOptions
    : public PassPipelineOptions<DytNvvmPipelineOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip", llvm::cl::desc("The GPU's architecture (sm_XY)"),
      llvm::cl::init("sm_90")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX features (empty: the chip's first PTX ISA "
                     "version, e.g. +ptx78 for sm_90, +ptx80 for sm_90a)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> format{
      *this, "format",
      llvm::cl::desc("What gpu.binary holds: isa (PTX, compiled by the "
                     "driver at load), bin (cubin, by ptxas) or fatbin"),
      llvm::cl::init("isa")};
  PassOptions::Option<std::string> cudaPath{
      *this, "cuda-path",
      llvm::cl::desc("The CUDA toolkit: libdevice and ptxas (empty: "
                     "$CUDA_ROOT, $CUDA_HOME, $CUDA_PATH, else "
                     "/usr/local/cuda)"),
      llvm::cl::init("")};
  PassOptions::Option<bool> fastTanh{
      *this, "fast-tanh",
      llvm::cl::desc("Hardware tanh.approx.f32 (max rel. error ~2^-11) "
                     "instead of libdevice's __nv_tanhf"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> tensorCores{
      *this, "tensor-cores",
      llvm::cl::desc("f16 and bf16 contractions on tensor cores (mma.sync) "
                     "when `chip` has them for these types (sm_80 and "
                     "later); f32 ones always use the FMA kernel"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> matmulTileM{
      *this, "matmul-tile-m", llvm::cl::desc("See dyt-gpu-map-linalg tile-m"),
      llvm::cl::init(64)};
  PassOptions::Option<int64_t> matmulTileN{
      *this, "matmul-tile-n", llvm::cl::desc("See dyt-gpu-map-linalg tile-n"),
      llvm::cl::init(64)};
  PassOptions::Option<int64_t> matmulTileK{
      *this, "matmul-tile-k", llvm::cl::desc("See dyt-gpu-map-linalg tile-k"),
      llvm::cl::init(16)};
};

/// The NVIDIA pipeline: norms to row kernels, DyT and other elementwise ops
/// fused and lowered to linalg, bufferization, linalg to GPU kernels
/// (vectorized elementwise, shared-memory matmul on FMA units or tensor
/// cores with the epilogue fused),
/// the rest through upstream's parallel-loop mapping, host buffers on the
/// device, then upstream's NVVM lowering, with the kernels serialised into
/// a gpu.binary. Functions keep their signatures with tensors as
/// identity-layout memrefs, which must be device memory (16-byte aligned),
/// and return device buffers the caller frees with the runtime.
void buildDytNvvmPipeline(OpPassManager &pm,
                          const DytNvvmPipelineOptions &options);

/// The CUDA toolkit the pipeline uses when `cuda-path` is empty.
std::string getDefaultCudaPath();

/// Registers `dyt-nvvm-pipeline`.
void registerDytNvvmPipeline();

} // namespace dyt
} // namespace mlir

#endif // DYT_PIPELINES_NVVMPIPELINE_H
