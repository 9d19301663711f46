//===- Passes.h - Transformations on dyt ops --------------------*- C++ -*-===//

#ifndef DYT_DIALECT_DYT_TRANSFORMS_PASSES_H
#define DYT_DIALECT_DYT_TRANSFORMS_PASSES_H

#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace dyt {

#define GEN_PASS_DECL
#include "dyt/Dialect/Dyt/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dyt/Dialect/Dyt/Transforms/Passes.h.inc"

} // namespace dyt
} // namespace mlir

#endif // DYT_DIALECT_DYT_TRANSFORMS_PASSES_H
