//===- dyt-opt.cpp - mlir-opt with the dyt dialect and passes --------------===//
//
// The mlir-opt driver with every upstream dialect, extension and pass plus
// this project's, registered through dyt/InitAllDyt.h.
//
//===----------------------------------------------------------------------===//

#include "dyt/InitAllDyt.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::dyt::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::dyt::registerAllDialectsAndExtensions(registry);
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "dyt-mlir optimizer driver\n", registry));
}
