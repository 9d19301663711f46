//===- MmaMatmulKernel.cpp - f16/bf16 contractions on tensor cores --------===//
//
// A block of 4 warps computes a 64 x 64 tile of C, each warp a 32 x 32
// quarter of it as 2 x 4 warp-level products of shape m16n8k16
// (mma.sync.aligned.m16n8k16.row.col.f32.{f16,bf16}), accumulating in f32
// registers. K advances in 32-deep slices of A and B staged in shared
// memory in the operands' own element type: A as [m][k], so that the two
// elements of an A register are one 32-bit load, B as [k][n], as it is read
// from x @ W. The epilogue and the stores are the SIMT kernel's, per
// accumulator (MatmulKernelParts.h).
//
// Which lane holds which elements of A, B and the accumulators is upstream's
// table for mma.sync (nvgpu::getLaneIdAndValueIdToOperandCoord, the layout
// of the PTX ISA's "Matrix Fragments for mma.m16n8k16"), used with f16
// types: the ISA gives .bf16 the same fragment layout as .f16, and upstream
// has no bf16 entry.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "KernelBuilder.h"
#include "MatmulKernelParts.h"
#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/Utils/MMAUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::dyt;
using namespace mlir::dyt::gpu_kernels;

namespace {

constexpr int64_t kMmaM = 16, kMmaN = 8, kMmaK = 16;
constexpr int64_t kWarpsM = 2, kWarpsN = 2; // warps of a block
constexpr int64_t kWarpTilesM = 2, kWarpTilesN = 4; // mma tiles of a warp
constexpr int64_t kTileM = kWarpsM * kWarpTilesM * kMmaM; // 64
constexpr int64_t kTileN = kWarpsN * kWarpTilesN * kMmaN; // 64
constexpr int64_t kTileK = 2 * kMmaK;                     // 32
constexpr int64_t kThreads = kWarpsM * kWarpsN * kWarpSize;
// Row padding of the shared tiles, in elements (16 bytes, so rows stay
// 16-byte aligned from the 16-byte aligned start that
// dyt-gpu-align-workgroup-buffers gives every shared buffer): A's rows of 40
// elements are 20 banks apart, and the 8 rows a fragment load touches fall
// in 8 different groups of 4 banks.
constexpr int64_t kPad = 8;

/// The (row, col) of value `valueId` of this lane's fragment of a
/// warp-level operand `shape` with role `role` (rows x cols as mma.sync
/// sees it: A is m x k, B is n x k, C is m x n).
std::pair<Value, Value> getFragmentCoord(OpBuilder &b, Location loc,
                                         Value lane, ArrayRef<int64_t> shape,
                                         nvgpu::MatMulOperandRole role,
                                         int64_t valueId) {
  Type element = role == nvgpu::MatMulOperandRole::C
                     ? Type(b.getF32Type())
                     : Type(b.getF16Type());
  nvgpu::WarpMatrixInfo info{VectorType::get(shape, element), role};
  FailureOr<AffineMap> map =
      nvgpu::getLaneIdAndValueIdToOperandCoord(b, loc, info);
  assert(succeeded(map) && "mma.sync has a layout for f16 and f32");
  Value id = indexConstant(b, loc, valueId);
  return {affine::expandAffineExpr(b, loc, map->getResult(0), {lane, id}, {}),
          affine::expandAffineExpr(b, loc, map->getResult(1), {lane, id}, {})};
}

/// A pair of 16-bit operand elements as one mma.sync register: bf16 pairs
/// go as i32, f16 pairs as vector<2xf16>.
Value toRegister(OpBuilder &b, Location loc, Value pair) {
  auto type = cast<VectorType>(pair.getType());
  if (type.getElementType().isF16())
    return pair;
  Value word = vector::BitCastOp::create(
      b, loc, VectorType::get({1}, b.getI32Type()), pair);
  return vector::ExtractOp::create(b, loc, word, 0);
}

} // namespace

bool gpu_kernels::canUseMmaSync(const MatmulMatch &match) {
  Type lhs = getStagedValue(match.lhsValue).getType();
  Type rhs = getStagedValue(match.rhsValue).getType();
  return lhs == rhs && (lhs.isF16() || lhs.isBF16());
}

void gpu_kernels::emitMmaMatmulKernel(RewriterBase &rewriter,
                                      const MatmulMatch &match) {
  assert(canUseMmaSync(match) && "tensor cores take f16 or bf16 operands");
  OpBuilder &b = rewriter;
  OpBuilder::InsertionGuard guard(b);
  MatmulProblem problem = getMatmulProblem(b, match);
  Location loc = match.contraction->getLoc();
  MLIRContext *context = b.getContext();
  Type element = getStagedValue(match.lhsValue).getType();
  auto workgroup =
      gpu::AddressSpaceAttr::get(context, gpu::AddressSpace::Workgroup);
  auto lhsTileType = MemRefType::get({kTileM, kTileK + kPad}, element,
                                     nullptr, workgroup);
  auto rhsTileType = MemRefType::get({kTileK, kTileN + kPad}, element,
                                     nullptr, workgroup);
  NVVM::MMATypes ptxType =
      element.isF16() ? NVVM::MMATypes::f16 : NVVM::MMATypes::bf16;
  Type f32 = b.getF32Type();
  auto accumulatorType = LLVM::LLVMStructType::getLiteral(
      context, SmallVector<Type>(4, f32));
  Value initValue;
  if (match.fill)
    initValue = extendToF32(b, loc, match.fillValue);
  constexpr int64_t kAccumulators = kWarpTilesM * kWarpTilesN * 4;

  createMatmulTileLaunch(
      b, loc, problem, {kTileM, kTileN, kTileK}, kWarpSize, kWarpsM * kWarpsN,
      lhsTileType, rhsTileType,
      [&](OpBuilder &b, Location loc, const MatmulTile &tile) {
        // Named locals, not a structured binding: C++17 lambdas cannot
        // capture those.
        gpu::LaunchOp launch = tile.launch;
        Value b0 = tile.b0, m0 = tile.m0, n0 = tile.n0, thread = tile.thread;
        Value lhsTile = tile.lhsTile, rhsTile = tile.rhsTile;
        Value lane = launch.getThreadIds().x, warp = launch.getThreadIds().y;
        Value zero = indexConstant(b, loc, 0);
        // This warp's quarter of the block's tile.
        Value warpRow = arith::MulIOp::create(
            b, loc,
            arith::DivUIOp::create(b, loc, warp, indexConstant(b, loc, kWarpsN)),
            indexConstant(b, loc, kWarpTilesM * kMmaM));
        Value warpCol = arith::MulIOp::create(
            b, loc,
            arith::RemUIOp::create(b, loc, warp, indexConstant(b, loc, kWarpsN)),
            indexConstant(b, loc, kWarpTilesN * kMmaN));
        // The fragment coordinates depend on the lane only: computed per
        // tile, outside the k loop.
        SmallVector<std::pair<Value, Value>> aCoords, bCoords, cCoords;
        for (int64_t r = 0; r < 4; ++r)
          aCoords.push_back(getFragmentCoord(b, loc, lane, {kMmaM, kMmaK},
                                             nvgpu::MatMulOperandRole::A,
                                             2 * r));
        for (int64_t r = 0; r < 2; ++r)
          bCoords.push_back(getFragmentCoord(b, loc, lane, {kMmaN, kMmaK},
                                             nvgpu::MatMulOperandRole::B,
                                             2 * r));
        for (int64_t v = 0; v < 4; ++v)
          cCoords.push_back(getFragmentCoord(b, loc, lane, {kMmaM, kMmaN},
                                             nvgpu::MatMulOperandRole::C, v));

        Value zeroF = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
        SmallVector<Value> init(kAccumulators, initValue ? initValue : zeroF);
        auto kLoop = scf::ForOp::create(
            b, loc, zero, problem.k, indexConstant(b, loc, kTileK), init,
            [&](OpBuilder &b, Location loc, Value k0, ValueRange acc) {
              stageOperandSlice(b, loc, problem,
                                {/*isLhs=*/true, lhsTile, /*kMajor=*/false,
                                 kTileK, kTileM},
                                thread, kThreads, b0, m0, k0);
              stageOperandSlice(b, loc, problem,
                                {/*isLhs=*/false, rhsTile, /*kMajor=*/true,
                                 kTileK, kTileN},
                                thread, kThreads, b0, n0, k0);
              gpu::BarrierOp::create(b, loc);
              SmallVector<Value> sums(acc.begin(), acc.end());
              auto pairType = VectorType::get({2}, element);
              for (int64_t ks = 0; ks < kTileK; ks += kMmaK) {
                // A's registers: two elements adjacent along k, one load.
                SmallVector<SmallVector<Value>> aFragments;
                for (int64_t tm = 0; tm < kWarpTilesM; ++tm) {
                  SmallVector<Value> registers;
                  for (auto [row, col] : aCoords) {
                    Value pair = vector::LoadOp::create(
                        b, loc, pairType, lhsTile,
                        ValueRange{arith::AddIOp::create(
                                       b, loc, warpRow,
                                       plus(b, loc, row, tm * kMmaM)),
                                   plus(b, loc, col, ks)},
                        /*nontemporal=*/false, llvm::MaybeAlign(4));
                    registers.push_back(toRegister(b, loc, pair));
                  }
                  aFragments.push_back(registers);
                }
                // B's registers: two elements adjacent along k, which is
                // the tile's row: two loads.
                SmallVector<SmallVector<Value>> bFragments;
                for (int64_t tn = 0; tn < kWarpTilesN; ++tn) {
                  SmallVector<Value> registers;
                  for (auto [col, row] : bCoords) {
                    Value column = arith::AddIOp::create(
                        b, loc, warpCol, plus(b, loc, col, tn * kMmaN));
                    Value first = plus(b, loc, row, ks);
                    Value second = plus(b, loc, first, 1);
                    Value pair = vector::FromElementsOp::create(
                        b, loc, pairType,
                        ValueRange{memref::LoadOp::create(
                                       b, loc, rhsTile,
                                       ValueRange{first, column}),
                                   memref::LoadOp::create(
                                       b, loc, rhsTile,
                                       ValueRange{second, column})});
                    registers.push_back(toRegister(b, loc, pair));
                  }
                  bFragments.push_back(registers);
                }
                for (int64_t tm = 0; tm < kWarpTilesM; ++tm)
                  for (int64_t tn = 0; tn < kWarpTilesN; ++tn) {
                    MutableArrayRef<Value> c =
                        MutableArrayRef<Value>(sums).slice(
                            (tm * kWarpTilesN + tn) * 4, 4);
                    auto mma = NVVM::MmaOp::create(
                        b, loc, accumulatorType, aFragments[tm],
                        bFragments[tn], c, {kMmaM, kMmaN, kMmaK},
                        /*b1Op=*/std::nullopt, /*intOverflow=*/std::nullopt,
                        std::array<NVVM::MMATypes, 2>{ptxType, ptxType},
                        std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                                       NVVM::MMALayout::col});
                    for (int64_t v = 0; v < 4; ++v)
                      c[v] = LLVM::ExtractValueOp::create(b, loc, mma, v);
                  }
              }
              // The slices are overwritten by the next iteration.
              gpu::BarrierOp::create(b, loc);
              scf::YieldOp::create(b, loc, sums);
            });

        for (int64_t tm = 0; tm < kWarpTilesM; ++tm)
          for (int64_t tn = 0; tn < kWarpTilesN; ++tn)
            for (int64_t v = 0; v < 4; ++v) {
              auto [row, col] = cCoords[v];
              Value mi = arith::AddIOp::create(
                  b, loc, m0,
                  plus(b, loc, arith::AddIOp::create(b, loc, warpRow, row),
                       tm * kMmaM));
              Value ni = arith::AddIOp::create(
                  b, loc, n0,
                  plus(b, loc, arith::AddIOp::create(b, loc, warpCol, col),
                       tn * kMmaN));
              storeAccumulator(b, loc, problem,
                               kLoop.getResult((tm * kWarpTilesN + tn) * 4 + v),
                               b0, mi, ni);
            }
      });
  eraseMatchedOps(rewriter, match);
}
