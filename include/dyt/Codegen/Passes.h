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

/// x86 CPU features that code for an x86 host must leave off (the JIT
/// clears them there): with AVX512-BF16 or AVX-NE-CONVERT, LLVM 22's x86 backend takes
/// bf16 vectors as legal and then stops the process ("Do not know how to
/// soft promote this operator's operand") on bf16 vectors of some odd
/// lengths (9, 17, 33 lanes) that are stored, shuffled, or live across
/// blocks, which its own optimiser creates from the i16 accesses we emit.
/// Without them it promotes bf16 to f32, which works for every length.
ArrayRef<StringRef> getHostFeaturesToDisable();

/// Whether code for the host converts f32 to bf16 in one instruction:
/// FEAT_BF16 on AArch64; never on x86, whose instructions for it
/// (AVX512-BF16, AVX-NE-CONVERT) are among getHostFeaturesToDisable().
bool hostHasBf16Conversion();

#define GEN_PASS_REGISTRATION
#include "dyt/Codegen/Passes.h.inc"

} // namespace dyt
} // namespace mlir

#endif // DYT_CODEGEN_PASSES_H
