//===- MatmulKernel.cpp - Contractions on the FMA units, with epilogue ------===//
//
// A block of 16 x 16 threads computes a tile-m x tile-n tile of C: each
// thread holds (tile-m / 16) x (tile-n / 16) f32 accumulators, rows
// ty + 16 i and columns tx + 16 j of the tile (so that 16 neighbouring
// threads store 16 neighbouring elements). K advances in tile-k deep
// slices of A and B staged in shared memory as f32; each operand element is
// read from global memory once per block. The epilogue op, when fused, runs
// on the accumulators and its result is the only store.
//
// This is the kernel for f32 operands (tensor cores would round them to
// tf32) and for targets without mma.sync; f16 and bf16 operands on sm_80 and
// later take MmaMatmulKernel.cpp.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "KernelBuilder.h"
#include "MatmulKernelParts.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::dyt;
using namespace mlir::dyt::gpu_kernels;

namespace {
constexpr int64_t kThreadsPerSide = 16; // 16 x 16 = kBlockThreads
} // namespace

void gpu_kernels::emitMatmulKernel(RewriterBase &rewriter,
                                   const MatmulMatch &match,
                                   MatmulTiles tiles) {
  OpBuilder &b = rewriter;
  OpBuilder::InsertionGuard guard(b);
  MatmulProblem problem = getMatmulProblem(b, match);
  Location loc = match.contraction->getLoc();
  auto workgroup =
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
  Type f32 = b.getF32Type();
  // Slices stored k-major: a thread's row (column) values for one k are
  // 16 apart, and the 16 threads of a half-warp read one row of the slice.
  auto lhsTileType =
      MemRefType::get({tiles.k, tiles.m}, f32, nullptr, workgroup);
  auto rhsTileType =
      MemRefType::get({tiles.k, tiles.n}, f32, nullptr, workgroup);
  int64_t rowsPerThread = tiles.m / kThreadsPerSide;
  int64_t colsPerThread = tiles.n / kThreadsPerSide;
  Value initValue;
  if (match.fill)
    initValue = extendToF32(b, loc, match.fillValue);

  createMatmulTileLaunch(
      b, loc, problem, tiles, kThreadsPerSide, kThreadsPerSide, lhsTileType,
      rhsTileType, [&](OpBuilder &b, Location loc, const MatmulTile &tile) {
        // Named locals, not a structured binding: C++17 lambdas cannot
        // capture those.
        gpu::LaunchOp launch = tile.launch;
        Value b0 = tile.b0, m0 = tile.m0, n0 = tile.n0, thread = tile.thread;
        Value lhsTile = tile.lhsTile, rhsTile = tile.rhsTile;
        Value tx = launch.getThreadIds().x, ty = launch.getThreadIds().y;
        Value zero = indexConstant(b, loc, 0);
        Value zeroF = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
        SmallVector<Value> init(rowsPerThread * colsPerThread,
                                initValue ? initValue : zeroF);
        auto kLoop = scf::ForOp::create(
            b, loc, zero, problem.k, indexConstant(b, loc, tiles.k), init,
            [&](OpBuilder &b, Location loc, Value k0, ValueRange acc) {
              stageOperandSlice(b, loc, problem,
                                {/*isLhs=*/true, lhsTile, /*kMajor=*/true,
                                 tiles.k, tiles.m},
                                thread, kBlockThreads, b0, m0, k0);
              stageOperandSlice(b, loc, problem,
                                {/*isLhs=*/false, rhsTile, /*kMajor=*/true,
                                 tiles.k, tiles.n},
                                thread, kBlockThreads, b0, n0, k0);
              gpu::BarrierOp::create(b, loc);
              SmallVector<Value> sums(acc.begin(), acc.end());
              for (int64_t kk = 0; kk < tiles.k; ++kk) {
                Value kkValue = indexConstant(b, loc, kk);
                // This thread's `count` values of slice row kk: columns
                // first, first + 16, ...
                auto sliceRow = [&](Value tile, Value first, int64_t count) {
                  SmallVector<Value> values;
                  for (int64_t i = 0; i < count; ++i)
                    values.push_back(memref::LoadOp::create(
                        b, loc, tile,
                        ValueRange{kkValue,
                                   arith::AddIOp::create(
                                       b, loc, first,
                                       indexConstant(b, loc,
                                                     i * kThreadsPerSide))}));
                  return values;
                };
                SmallVector<Value> as = sliceRow(lhsTile, ty, rowsPerThread);
                SmallVector<Value> bs = sliceRow(rhsTile, tx, colsPerThread);
                for (int64_t i = 0; i < rowsPerThread; ++i)
                  for (int64_t j = 0; j < colsPerThread; ++j) {
                    Value &sum = sums[i * colsPerThread + j];
                    sum = math::FmaOp::create(b, loc, as[i], bs[j], sum);
                  }
              }
              // The slices are overwritten by the next iteration.
              gpu::BarrierOp::create(b, loc);
              scf::YieldOp::create(b, loc, sums);
            });

        for (int64_t i = 0; i < rowsPerThread; ++i)
          for (int64_t j = 0; j < colsPerThread; ++j) {
            Value mi = arith::AddIOp::create(
                b, loc, m0,
                arith::AddIOp::create(
                    b, loc, ty, indexConstant(b, loc, i * kThreadsPerSide)));
            Value ni = arith::AddIOp::create(
                b, loc, n0,
                arith::AddIOp::create(
                    b, loc, tx, indexConstant(b, loc, j * kThreadsPerSide)));
            storeAccumulator(b, loc, problem,
                             kLoop.getResult(i * colsPerThread + j), b0, mi,
                             ni);
          }
      });
  eraseMatchedOps(rewriter, match);
}
