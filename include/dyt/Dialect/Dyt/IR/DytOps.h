//===- DytOps.h - Operations of the dyt dialect -----------------*- C++ -*-===//

#ifndef DYT_DIALECT_DYT_IR_DYTOPS_H
#define DYT_DIALECT_DYT_IR_DYTOPS_H

// The generated classes use these without including them.
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"

#include "dyt/Dialect/Dyt/IR/DytDialect.h"

#define GET_OP_CLASSES
#include "dyt/Dialect/Dyt/IR/DytOps.h.inc"

namespace mlir {
namespace dyt {

/// The value of every element of `param` (a gamma or beta) when it is a
/// splat: a splat constant, or a `tensor.splat` of a float constant (the
/// form a splat of dynamic size takes).
std::optional<APFloat> getSplatParamValue(Value param);

/// A gamma or beta of `paramType` (1-d) whose every element is `value`, in
/// the form getSplatParamValue recognises: a dense constant when the size is
/// static, else a `tensor.splat` sized by dim `channelDim` of `input`.
Value createSplatParam(OpBuilder &builder, Location loc,
                       RankedTensorType paramType, Value input,
                       int64_t channelDim, double value);

} // namespace dyt
} // namespace mlir

#endif // DYT_DIALECT_DYT_IR_DYTOPS_H
