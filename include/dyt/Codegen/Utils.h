//===- Utils.h - Helpers shared by the CPU code generation passes -*- C++ -*-===//

#ifndef DYT_CODEGEN_UTILS_H
#define DYT_CODEGEN_UTILS_H

#include "mlir/Support/LLVM.h"

namespace mlir {
class Operation;

namespace dyt {

/// Runs every loaded dialect's and registered op's canonicalization patterns
/// over `root` (what the canonicalize pass does), for passes that need
/// canonical IR between their own steps.
LogicalResult canonicalizeNested(Operation *root);

/// f32 lanes of a vector register of `vectorBits` bits (0: the host's).
unsigned f32LanesPerVector(unsigned vectorBits);

/// Whether `op` is a linalg op that implements a contraction (matmul,
/// batch_matmul, transposed forms, contraction generics).
bool isContraction(Operation *op);

} // namespace dyt
} // namespace mlir

#endif // DYT_CODEGEN_UTILS_H
