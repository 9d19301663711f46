//===- Passes.h - NVIDIA GPU code generation passes -------------*- C++ -*-===//

#ifndef DYT_CODEGEN_GPU_PASSES_H
#define DYT_CODEGEN_GPU_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace dyt {

#define GEN_PASS_DECL
#include "dyt/Codegen/Gpu/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dyt/Codegen/Gpu/Passes.h.inc"

} // namespace dyt
} // namespace mlir

#endif // DYT_CODEGEN_GPU_PASSES_H
