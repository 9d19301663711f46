//===- NvvmPipeline.cpp - dyt-nvvm-pipeline ----------------------------------===//

#include "dyt/Pipelines/NvvmPipeline.h"

#include "dyt/Codegen/Gpu/NvptxTarget.h"
#include "dyt/Codegen/Gpu/Passes.h"
#include "dyt/Codegen/Passes.h"
#include "dyt/Pipelines/CpuPipeline.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVM/NVVM/Utils.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"


using namespace mlir;

std::string mlir::dyt::getDefaultCudaPath() {
  // Upstream's lookup ($CUDA_ROOT, $CUDA_HOME, $CUDA_PATH, then the path
  // MLIR was configured with, which Debian's build leaves empty).
  StringRef path = NVVM::getCUDAToolkitPath();
  return path.empty() ? std::string("/usr/local/cuda") : path.str();
}

namespace {

/// Upstream's gpu-lower-to-nvvm-pipeline, with the CUDA toolkit named
/// instead of looked up in the environment: libdevice (which math ops in
/// kernels call) and ptxas (format=bin/fatbin) come from `cuda-path`.
void addLoweringToNVVM(OpPassManager &pm,
                       const dyt::DytNvvmPipelineOptions &options) {
  std::string cudaPath = options.cudaPath.empty() ? dyt::getDefaultCudaPath()
                                                  : std::string(options.cudaPath);
  pm.addPass(createConvertNVGPUToNVVMPass());
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertNVVMToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  // The norm and reduction kernels' warp shuffles (shfl.sync) need sm_30
  // and PTX 6.0, the hardware tanh sm_75.
  constexpr unsigned kMinPtx = 60;
  target.features = options.features.empty()
                        ? dyt::getDefaultPtxFeatures(options.chip, kMinPtx)
                        : std::string(options.features);
  target.optLevel = 3;
  pm.addPass(createGpuNVVMAttachTarget(target));
  // Before anything reaches the NVPTX backend, which aborts on a PTX
  // version older than the chip.
  dyt::DytGpuVerifyNvvmTargetsPassOptions required;
  required.minPtx = kMinPtx;
  required.minSm = options.fastTanh ? 75 : 30;
  required.why = options.fastTanh
                     ? "warp shuffles, and tanh.approx.f32 for fast-tanh"
                     : "warp shuffles";
  pm.addNestedPass<gpu::GPUModuleOp>(
      dyt::createDytGpuVerifyNvvmTargetsPass(required));
  pm.addPass(createLowerAffinePass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  ConvertGpuOpsToNVVMOpsOptions kernels;
  kernels.indexBitwidth = 64;
  pm.addNestedPass<gpu::GPUModuleOp>(createConvertGpuOpsToNVVMOps(kernels));
  pm.addNestedPass<gpu::GPUModuleOp>(createCanonicalizerPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createCSEPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createReconcileUnrealizedCastsPass());

  pm.addPass(createGpuToLLVMConversionPass());
  GpuModuleToBinaryPassOptions binary;
  binary.toolkitPath = cudaPath;
  binary.compilationTarget = options.format;
  pm.addPass(createGpuModuleToBinaryPass(binary));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

} // namespace

void mlir::dyt::buildDytNvvmPipeline(OpPassManager &pm,
                                     const DytNvvmPipelineOptions &options) {
  // Norms become kernels while they are still ops; everything else goes
  // through linalg, where DyT fuses with its elementwise neighbours.
  pm.addPass(createDytGpuOutlineNormsPass());
  addDytLoweringToLinalg(pm);
  // Broadcasts, fills and named elementwise ops as generics fuse with
  // their neighbours (a bias broadcast into the add and DyT after it).
  pm.addPass(createLinalgGeneralizeNamedOpsPass());
  pm.addPass(createLinalgElementwiseOpFusionPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  addDytBufferization(pm);

  // Shared memory per block: 227 KiB on sm_90, 163 on sm_80, 99 on
  // sm_86/89, 64 on sm_75; keep the row cache well inside it.
  DytGpuNormKernelsPassOptions norms;
  norms.maxRowCacheBytes =
      dyt::getSmVersion(options.chip) >= 80 ? 96 * 1024 : 32 * 1024;
  pm.addPass(createDytGpuNormKernelsPass(norms));
  DytGpuMapLinalgPassOptions mapping;
  mapping.tileM = options.matmulTileM;
  mapping.tileN = options.matmulTileN;
  mapping.tileK = options.matmulTileK;
  // mma.sync m16n8k16 with f16/bf16 operands and f32 accumulators is sm_80's.
  mapping.tensorCores =
      options.tensorCores && dyt::getSmVersion(options.chip) >= 80;
  pm.addNestedPass<func::FuncOp>(createDytGpuMapLinalgPass(mapping));
  // What has no kernel of ours (reductions other than the norms, ...):
  // upstream's mapping, 256 threads along the outermost loop.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(
      createParallelLoopTilingPass({256}, /*noMinMaxBounds=*/true));
  pm.addNestedPass<func::FuncOp>(createGpuMapParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createDytGpuDeviceMemoryPass());
  if (options.fastTanh)
    pm.addPass(createDytGpuFastTanhPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // One stream per call, the ops ordered by tokens: gpu-to-llvm lowers
  // allocations and copies only in their async form.
  pm.addPass(createGpuKernelOutliningPass());
  // Outlining copies the constants kernels read into their modules; the
  // host's copies of those only kernels use are dead.
  pm.addPass(createSymbolDCEPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createDytGpuAlignWorkgroupBuffersPass());
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());

  addLoweringToNVVM(pm, options);
  pm.addPass(createDytCheckLoweredToLLVMPass());
}

void mlir::dyt::registerDytNvvmPipeline() {
  PassPipelineRegistration<DytNvvmPipelineOptions>(
      "dyt-nvvm-pipeline",
      "From func + dyt/linalg/tensor/arith/math on tensors to host code in "
      "the LLVM dialect and NVVM kernels serialised in a gpu.binary",
      buildDytNvvmPipeline);
}
