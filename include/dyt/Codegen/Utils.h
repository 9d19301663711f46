//===- Utils.h - Helpers shared by the CPU code generation passes -*- C++ -*-===//

#ifndef DYT_CODEGEN_UTILS_H
#define DYT_CODEGEN_UTILS_H

#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>

namespace mlir {
class AffineMap;
class MLIRContext;
class Operation;
class RewriterBase;
class ValueRange;
namespace linalg {
class LinalgOp;
} // namespace linalg

namespace dyt {

/// Every loaded dialect's and registered op's canonicalization patterns (what
/// the canonicalize pass applies), for passes that need canonical IR between
/// their own steps. Costly to build: do it once, in a pass's initialize().
FrozenRewritePatternSet getCanonicalizationPatterns(MLIRContext *context);

/// The CPU cache line in bytes (x86 and most Arm cores): the widest
/// streaming store's alignment, and the unit of a prefetch.
constexpr int64_t kCacheLineBytes = 64;

/// Bytes of one element of `type` (a shaped type's element type, or the
/// type itself; at least 1, for i1).
int64_t getElementBytes(Type type);

/// f32 lanes of a vector register of `vectorBits` bits (0: the host's).
unsigned f32LanesPerVector(unsigned vectorBits);

/// Rows of a matmul register tile of `vectorsN` vectors of `vectorBits`
/// bits (0: the host's) per row: `requested` when non-zero, else as many as
/// fit in the target's vector registers (32 with AVX-512 or on AArch64, 16
/// with AVX2/SSE) next to one vector of B per column vector and one
/// broadcast of A, at most 8. AVX2 gets 6 (12 accumulators, 2 + 1 operand
/// registers): with 8, the 16 accumulators alone fill the register file
/// and every step spills (1.8x slower at 197x768x3072 on a Zen core).
unsigned getMatmulTileM(unsigned requested, unsigned vectorBits,
                        unsigned vectorsN);

/// Whether `op` is a linalg op that implements a contraction (matmul,
/// batch_matmul, transposed forms, contraction generics).
bool isContraction(Operation *op);

/// Replaces `op`, a contraction (see isContraction) with two inputs and one
/// init, by a `linalg.contract` of `operands` (inputs, then init) indexed by
/// `maps`: the form the vectorizer turns into one vector.contract, i.e. FMAs,
/// where a contraction `linalg.generic` becomes a multiply and a reduction.
linalg::LinalgOp replaceWithContractOp(RewriterBase &rewriter,
                                       linalg::LinalgOp op,
                                       ValueRange operands,
                                       ArrayRef<AffineMap> maps);

} // namespace dyt
} // namespace mlir

#endif // DYT_CODEGEN_UTILS_H
