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

#endif // DYT_DIALECT_DYT_IR_DYTOPS_H
