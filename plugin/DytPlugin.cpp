//===- DytPlugin.cpp - The dyt dialect and passes as an mlir-opt plugin ----===//

#include "dyt/InitAllDyt.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

/// `--load-dialect-plugin`: the dyt dialect. The passes are registered here
/// too, so one flag is enough to run `--convert-dyt-to-linalg`.
extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Dyt", LLVM_VERSION_STRING,
          [](::mlir::DialectRegistry *registry) {
            ::mlir::dyt::registerDytDialects(*registry);
            ::mlir::dyt::registerDytPasses();
          }};
}

/// `--load-pass-plugin`: the dyt passes and pipelines.
extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "DytPasses", LLVM_VERSION_STRING,
          []() { ::mlir::dyt::registerDytPasses(); }};
}
