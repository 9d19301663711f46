//===- Utils.h - Helpers shared by the CPU code generation passes -*- C++ -*-===//

#ifndef DYT_CODEGEN_UTILS_H
#define DYT_CODEGEN_UTILS_H

#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Support/LLVM.h"

namespace mlir {
class MLIRContext;
class Operation;

namespace dyt {

/// Every loaded dialect's and registered op's canonicalization patterns (what
/// the canonicalize pass applies), for passes that need canonical IR between
/// their own steps. Costly to build: do it once, in a pass's initialize().
FrozenRewritePatternSet getCanonicalizationPatterns(MLIRContext *context);

/// f32 lanes of a vector register of `vectorBits` bits (0: the host's).
unsigned f32LanesPerVector(unsigned vectorBits);

/// Whether `op` is a linalg op that implements a contraction (matmul,
/// batch_matmul, transposed forms, contraction generics).
bool isContraction(Operation *op);

} // namespace dyt
} // namespace mlir

#endif // DYT_CODEGEN_UTILS_H
