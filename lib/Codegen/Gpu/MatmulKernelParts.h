//===- MatmulKernelParts.h - What the matmul kernels share ------*- C++ -*-===//
//
// The SIMT kernel (MatmulKernel.cpp) and the tensor-core kernel
// (MmaMatmulKernel.cpp) differ in how a block multiplies the slices it has
// staged in shared memory. Everything around that is here: the problem's
// sizes, the grid of output tiles, the staging of operand slices, the store
// of an accumulator (with the fused epilogue) and the clean-up.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_LIB_CODEGEN_GPU_MATMULKERNELPARTS_H
#define DYT_LIB_CODEGEN_GPU_MATMULKERNELPARTS_H

#include "Kernels.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace dyt {
namespace gpu_kernels {

/// The operands of a matched contraction and its sizes, read on the host
/// where the kernel is launched.
struct MatmulProblem {
  const MatmulMatch &match;
  Value result;
  Value batch, m, n, k;

  /// The contraction's loop indices for (batch, m, n, k); `zero` for the
  /// batch when there is none.
  SmallVector<Value> loops(Value bi, Value mi, Value ni, Value ki,
                           Value zero) const;
};

/// Reads the problem at the kernel's place: before the epilogue when one is
/// fused (its body may use values defined after the contraction), else
/// before the contraction. Leaves the builder there.
MatmulProblem getMatmulProblem(OpBuilder &b, const MatmulMatch &match);

/// Where a block is, for the body of createMatmulTileLaunch.
struct MatmulTile {
  gpu::LaunchOp launch;
  Value b0, m0, n0; // the batch, the tile's first row and column
  Value thread;     // the thread's linear id in the block
  Value lhsTile, rhsTile; // the two shared buffers
};

/// Launches one block of blockX x blockY threads per tiles.m x tiles.n
/// output tile (n tiles along the grid's x; row tiles and batches strided
/// over y and z, at most 65535 blocks each, with trip counts that are the
/// same for every thread of a block, so all of them reach the barriers),
/// with the shared buffers `lhsTileType` and `rhsTileType`, and builds the
/// body for each tile.
void createMatmulTileLaunch(
    OpBuilder &b, Location loc, const MatmulProblem &problem,
    MatmulTiles tiles, int64_t blockX, int64_t blockY,
    MemRefType lhsTileType, MemRefType rhsTileType,
    function_ref<void(OpBuilder &, Location, const MatmulTile &)> body);

/// A slice of one operand in shared memory: `depth` (k) x `width` (m or n)
/// elements of `tile`, at tile[k][c] when `kMajor`, else at tile[c][k].
struct OperandSlice {
  bool isLhs;
  Value tile;
  bool kMajor;
  int64_t depth, width;
  /// The 16-byte vectors that go into the tile as one store are copied by
  /// cp.async (nvgpu.device_async_copy, sm_80 and later) instead of through
  /// registers; the caller commits them as a group and waits for it.
  bool asyncCopies = false;
};

/// Stages the slice of the operand from (k0, c0) on (c0 the first row of A
/// or column of B) with `threads` threads (`thread` this one's linear id),
/// each computing depth * width / threads elements (the operand's value in
/// the contraction's body, its inputs loaded); 0 outside the operand.
/// When the operand is an input read along k or along the slice's column
/// (its contiguous dim), each thread loads 16 bytes of it at a time
/// (consecutive threads, consecutive vectors) where a vector lies inside
/// the operand and its rows are a multiple of the vector; otherwise, and at
/// the edges, element by element, consecutive threads taking consecutive k
/// for A and consecutive columns for B (the contiguous dims of x @ W). The
/// tile's element type is f32 (values are widened) or that of
/// getStagedValue.
void stageOperandSlice(OpBuilder &b, Location loc,
                       const MatmulProblem &problem, const OperandSlice &slice,
                       Value thread, int64_t threads, Value b0, Value c0,
                       Value k0);

/// Whether stageOperandSlice loads the operand (A when `isLhs`, else B)
/// into a tile of `element`s along k, its input's contiguous dim (x @ W^T's
/// B): a tile whose rows run along k then takes each vector as one store.
bool isStagedAlongK(const MatmulMatch &match, bool isLhs, Type element);

/// What a 16-bit tile stores of an operand: its value in the body without
/// the widening to the accumulator's type (the extf of linalg.matmul's body
/// on bf16 operands, or after a DyT that rounds to bf16).
Value getStagedValue(Value operand);

/// The store of one f32 accumulator at (b0, mi, ni), inside the result
/// only: plus the result's current value when nothing filled it (C += A B),
/// through the fused epilogue when there is one.
void storeAccumulator(OpBuilder &b, Location loc, const MatmulProblem &problem,
                      Value sum, Value b0, Value mi, Value ni);

/// Erases what the kernel replaced: the contraction, its fill, the fused
/// epilogue and the product's buffer unless the epilogue writes into it.
void eraseMatchedOps(RewriterBase &rewriter, const MatmulMatch &match);

} // namespace gpu_kernels
} // namespace dyt
} // namespace mlir

#endif // DYT_LIB_CODEGEN_GPU_MATMULKERNELPARTS_H
