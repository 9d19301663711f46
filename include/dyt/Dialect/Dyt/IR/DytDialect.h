//===- DytDialect.h - The dyt dialect ---------------------------*- C++ -*-===//

#ifndef DYT_DIALECT_DYT_IR_DYTDIALECT_H
#define DYT_DIALECT_DYT_IR_DYTDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "dyt/Dialect/Dyt/IR/DytOpsDialect.h.inc"

#endif // DYT_DIALECT_DYT_IR_DYTDIALECT_H
