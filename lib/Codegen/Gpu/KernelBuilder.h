//===- KernelBuilder.h - Pieces every dyt GPU kernel is built from -*- C++ -*-===//
//
// The norm, elementwise and matmul kernels share their launch geometry,
// their vector accesses and their reductions; these helpers hold them so that
// the three generators differ only in what they compute.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_LIB_CODEGEN_GPU_KERNELBUILDER_H
#define DYT_LIB_CODEGEN_GPU_KERNELBUILDER_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

namespace mlir {
namespace dyt {
namespace gpu_kernels {

/// Threads of every block we launch (8 warps): enough to hide latency with
/// a few blocks per SM, few enough that a block's rows stay small.
constexpr int64_t kBlockThreads = 256;
constexpr int64_t kWarpSize = 32;
/// Widest global access per thread: ld.global.v4.f32 / v8 of 16-bit values.
constexpr int64_t kAccessBits = 128;

Value indexConstant(OpBuilder &b, Location loc, int64_t value);
/// value + constant, for index values.
Value plus(OpBuilder &b, Location loc, Value value, int64_t constant);
Value ceilDiv(OpBuilder &b, Location loc, Value a, Value d);

/// How a block covers rows of `vectorsPerRow` work items: `rowThreads`
/// threads along a row (whole warps, at most the block) and `rowsPerBlock`
/// rows side by side, so that short rows still fill a 256-thread block.
/// Computed on the host; folds to constants for static sizes.
struct RowBlockShape {
  Value rowThreads, rowsPerBlock;
};
RowBlockShape getRowBlockShape(OpBuilder &b, Location loc,
                               Value vectorsPerRow);

/// The widest power-of-two vector of `elementBits`-bit elements that fits
/// kAccessBits and divides `staticSize` (every size when it is dynamic: the
/// host checks it, see emitForVectorWidths).
int64_t getVectorWidth(int64_t elementBits, int64_t staticSize);

/// Calls emit(width) for `width`, the vector width of a loop of `size`
/// elements: directly when `size` is static (width already divides it) or
/// width is 1, else in an scf.if on the host that takes the vector kernel
/// when `size` is a multiple of `width` and a scalar one otherwise.
void emitForVectorWidths(OpBuilder &b, Location loc, Value size,
                         int64_t width,
                         function_ref<void(OpBuilder &, int64_t)> emit);

/// Creates a gpu.launch of (gridX, gridY, 1) blocks of (blockX, blockY, 1)
/// threads with `workgroup` static shared buffers and `dynamicSharedBytes`
/// (i32 or null), and builds its body with `body`; adds the terminator.
gpu::LaunchOp
createLaunch(OpBuilder &b, Location loc, Value gridX, Value gridY,
             Value blockX, Value blockY, Value dynamicSharedBytes,
             TypeRange workgroup,
             function_ref<void(OpBuilder &, Location, gpu::LaunchOp)> body,
             Value gridZ = Value());

/// `min(value, bound)` for index values.
Value minIndex(OpBuilder &b, Location loc, Value value, int64_t bound);

/// A grid-stride loop `for (i = first; i < upper; i += step)` whose body
/// gets the induction variable.
void buildStridedLoop(OpBuilder &b, Location loc, Value first, Value upper,
                      Value step,
                      function_ref<void(OpBuilder &, Location, Value)> body);

/// Sum over the 32 lanes of a warp by butterfly shuffles (shfl.sync.bfly):
/// every lane gets the total.
Value warpAllReduceSum(OpBuilder &b, Location loc, Value value);

/// `width` consecutive elements of `memref` from `indices` on (the last
/// index advancing) as scalars: one vector.load aligned to its size (the
/// caller proves the alignment), or one memref.load when width is 1.
SmallVector<Value> loadLanes(OpBuilder &b, Location loc, Value memref,
                             ValueRange indices, int64_t width);
/// The store that matches loadLanes.
void storeLanes(OpBuilder &b, Location loc, ValueRange lanes, Value memref,
                ValueRange indices);

/// The operand indices `map` (dim and constant results only, see
/// isSimpleIndexingMap) gives for the loop indices `loops`.
SmallVector<Value> applySimpleIndexingMap(OpBuilder &b, Location loc,
                                          AffineMap map, ValueRange loops);
/// Whether every result of `map` is a loop dim or a constant.
bool isSimpleIndexingMap(AffineMap map);

/// Clones the body of `generic` at the builder's insertion point for one
/// point of its iteration space: `blockArgs` are the values of its block
/// arguments (inputs then outputs; null for one the body does not
/// read), `loops` the loop indices that
/// linalg.index reads. Returns the yielded values.
SmallVector<Value> inlineGenericBody(OpBuilder &b, linalg::GenericOp generic,
                                     ValueRange blockArgs, ValueRange loops);

/// f32 <-> a float element type (no-ops for f32).
Value extendToF32(OpBuilder &b, Location loc, Value value);
Value truncateFromF32(OpBuilder &b, Location loc, Value value, Type type);

/// Whether every access to `memref` that advances its last index by whole
/// vectors of `width` elements, from multiples of `width`, is aligned to
/// the vector: the last stride is 1 and the offset and every other stride
/// are static multiples of `width` (identity layouts are).
bool hasVectorAlignedRows(MemRefType type, int64_t width);

} // namespace gpu_kernels
} // namespace dyt
} // namespace mlir

#endif // DYT_LIB_CODEGEN_GPU_KERNELBUILDER_H
