//===- DytDialect.cpp - The dyt dialect ------------------------------------===//

#include "dyt/Dialect/Dyt/IR/DytDialect.h"
#include "dyt/Dialect/Dyt/IR/DytOps.h"

#include "mlir/Transforms/InliningUtils.h"

using namespace mlir;
using namespace mlir::dyt;

#include "dyt/Dialect/Dyt/IR/DytOpsDialect.cpp.inc"

namespace {
/// Every dyt op is pure and has no regions: a function holding one can be
/// inlined (front ends emit one function per layer).
struct DytInlinerInterface : public DialectInlinerInterface {
  using DialectInlinerInterface::DialectInlinerInterface;
  bool isLegalToInline(Operation *, Region *, bool, IRMapping &) const final {
    return true;
  }
};
} // namespace

void DytDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dyt/Dialect/Dyt/IR/DytOps.cpp.inc"
      >();
  addInterfaces<DytInlinerInterface>();
}
