//===- DytDialect.cpp - The dyt dialect ------------------------------------===//

#include "dyt/Dialect/Dyt/IR/DytDialect.h"
#include "dyt/Dialect/Dyt/IR/DytOps.h"

using namespace mlir;
using namespace mlir::dyt;

#include "dyt/Dialect/Dyt/IR/DytOpsDialect.cpp.inc"

void DytDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dyt/Dialect/Dyt/IR/DytOps.cpp.inc"
      >();
}
