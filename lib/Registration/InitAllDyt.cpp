//===- InitAllDyt.cpp - The one registration point for every tool ----------===//

#include "dyt/InitAllDyt.h"

#include "dyt/Codegen/Gpu/Passes.h"
#include "dyt/Codegen/Passes.h"
#include "dyt/Conversion/Passes.h"
#include "dyt/Dialect/Dyt/IR/DytDialect.h"
#include "dyt/Dialect/Dyt/Transforms/Passes.h"
#include "dyt/Pipelines/CpuPipeline.h"
#include "dyt/Pipelines/NvvmPipeline.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void mlir::dyt::registerDytDialects(DialectRegistry &registry) {
  registry.insert<DytDialect>();
}

void mlir::dyt::registerDytPasses() {
  registerDytTransformsPasses();
  registerDytConversionPasses();
  registerDytCodegenPasses();
  registerDytGpuCodegenPasses();
  registerDytCpuPipelines();
  registerDytNvvmPipeline();
}

void mlir::dyt::registerAllDialectsAndExtensions(DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  // convert-to-llvm and friends find their patterns through extensions.
  mlir::registerAllExtensions(registry);
  // What the JIT (dyt-run) needs to translate the LLVM dialect to LLVM IR.
  mlir::registerAllToLLVMIRTranslations(registry);
  registerDytDialects(registry);
}

void mlir::dyt::registerAllPasses() {
  mlir::registerAllPasses();
  registerDytPasses();
}
