//===- Passes.h - CPU code generation passes --------------------*- C++ -*-===//

#ifndef DYT_CODEGEN_PASSES_H
#define DYT_CODEGEN_PASSES_H

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace dyt {

#define GEN_PASS_DECL
#include "dyt/Codegen/Passes.h.inc"

/// The width in bits of the host's widest vector registers, read from the
/// host's CPU features (never hard-coded): 512 with AVX-512, 256 with AVX,
/// 128 otherwise.
unsigned getHostVectorBits();

/// Whether the host converts f32 to bf16 in one instruction (AVX512-BF16 or
/// AVX-NE-CONVERT on x86, FEAT_BF16 on AArch64).
bool hostHasBf16Conversion();

#define GEN_PASS_REGISTRATION
#include "dyt/Codegen/Passes.h.inc"

} // namespace dyt
} // namespace mlir

#endif // DYT_CODEGEN_PASSES_H
