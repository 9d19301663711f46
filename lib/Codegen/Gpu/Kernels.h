//===- Kernels.h - The kernel generators of dyt-gpu-map-linalg --*- C++ -*-===//

#ifndef DYT_LIB_CODEGEN_GPU_KERNELS_H
#define DYT_LIB_CODEGEN_GPU_KERNELS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir {
namespace dyt {
namespace gpu_kernels {

/// An all-parallel generic on buffers with identity output maps and simple
/// (dim / constant) input maps, of float or integer elements.
bool isElementwiseKernelCandidate(linalg::GenericOp generic);

/// Emits the kernel of an elementwise candidate before it (the caller
/// erases the op).
void emitElementwiseKernel(OpBuilder &b, linalg::GenericOp generic);

/// A contraction the matmul kernels compute: C[b?, m, n] (+)= sum_k
/// A[b?, m, k] * B[b?, k, n] over float buffers with simple maps, the
/// result map (b?, m, n) in that order. A and B are values of the op's body:
/// each computed from the inputs on its side (those of A do not depend on
/// n, those of B not on m), so that an elementwise op fused into the
/// contraction (DyT before a matmul) is computed as its operand is staged.
struct MatmulMatch {
  linalg::LinalgOp contraction;
  int64_t batchDim = -1, mDim, nDim, kDim; // loop positions
  /// The factors of the body's out + lhs * rhs.
  Value lhsValue, rhsValue;
  /// The fill of the result before the contraction (linalg.fill or its
  /// generic form), if any, and its value, which starts the accumulators.
  Operation *fill = nullptr;
  Value fillValue;
  /// The elementwise op applied to the result in registers (the result
  /// buffer is then dropped), if any, and which of its inputs reads it.
  linalg::GenericOp epilogue;
  unsigned epilogueInput = 0;
  /// The epilogue writes its result into the contraction's buffer.
  bool epilogueInPlace = false;
};

std::optional<MatmulMatch> matchMatmulKernel(linalg::LinalgOp op);

struct MatmulTiles {
  int64_t m, n, k;
};

/// Emits the SIMT kernel (f32 FMAs) before the contraction and erases what
/// it replaces (the contraction, its fill, the epilogue op and the result
/// buffer when fused).
void emitMatmulKernel(RewriterBase &rewriter, const MatmulMatch &match,
                      MatmulTiles tiles);

/// Whether the tensor-core kernel takes the contraction: A and B both f16
/// or both bf16 (f32 operands stay on the FMA units, which keep their
/// precision; tensor cores would round them to tf32).
bool canUseMmaSync(const MatmulMatch &match);

/// Emits the tensor-core kernel (mma.sync m16n8k16, sm_80 and later) like
/// emitMatmulKernel.
void emitMmaMatmulKernel(RewriterBase &rewriter, const MatmulMatch &match);

} // namespace gpu_kernels
} // namespace dyt
} // namespace mlir

#endif // DYT_LIB_CODEGEN_GPU_KERNELS_H
