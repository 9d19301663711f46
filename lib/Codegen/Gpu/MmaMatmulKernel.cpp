//===- MmaMatmulKernel.cpp - f16/bf16 contractions on tensor cores --------===//
//
// A block of 4 warps computes a 64 x 64 tile of C, each warp a 32 x 32
// quarter of it as 2 x 4 warp-level products of shape m16n8k16
// (mma.sync.aligned.m16n8k16.row.col.f32.{f16,bf16}), accumulating in f32
// registers. K advances in 32-deep slices of A and B staged in shared
// memory in the operands' own element type, A as [m][k], B as [k][n] (x @ W)
// or [n][k] (x @ W^T): along the input's contiguous dim, so that a 16-byte
// vector is one cp.async. The slices are double buffered: the next ones are
// in flight while the tensor cores work on these. Fragments are read with
// ldmatrix (.trans for a [k][n] B). The epilogue and the stores are the
// SIMT kernel's, per accumulator (MatmulKernelParts.h).
//
// Which lane holds which accumulators is upstream's table for mma.sync
// (nvgpu::getLaneIdAndValueIdToOperandCoord, the layout of the PTX ISA's
// "Matrix Fragments for mma.m16n8k16"); ldmatrix's layout of A and B is the
// ISA's too, and .bf16 has the same fragment layout as .f16.
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
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
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
// Qualified: NVGPUDialect.h declares a kWarpSize of its own, globally.
constexpr int64_t kThreads = kWarpsM * kWarpsN * gpu_kernels::kWarpSize;
// Row padding of the shared tiles, in elements (16 bytes, so rows stay
// 16-byte aligned from the 16-byte aligned start that
// dyt-gpu-align-workgroup-buffers gives every shared buffer): A's rows of 40
// elements (and a [n][k] B's) are 20 banks apart, a [k][n] B's of 72 are 36,
// and the 8 rows of 16 bytes an ldmatrix phase reads fall in 8 different
// groups of 4 banks.
constexpr int64_t kPad = 8;

/// The (row, col) in the m16n8 product of accumulator `valueId` of this
/// lane.
std::pair<Value, Value> getAccumulatorCoord(OpBuilder &b, Location loc,
                                            Value lane, int64_t valueId) {
  nvgpu::WarpMatrixInfo info{
      VectorType::get({kMmaM, kMmaN}, b.getF32Type()),
      nvgpu::MatMulOperandRole::C};
  FailureOr<AffineMap> map =
      nvgpu::getLaneIdAndValueIdToOperandCoord(b, loc, info);
  assert(succeeded(map) && "mma.sync has a layout for f32 accumulators");
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
  // Two stages of each: double buffering.
  auto lhsTileType = MemRefType::get({2, kTileM, kTileK + kPad}, element,
                                     nullptr, workgroup);
  // B as [k][n] (x @ W), or as [n][k] when its input runs along k
  // (x @ W^T, PyTorch's Linear): either way a staged vector is one store.
  bool rhsKMajor = !isStagedAlongK(match, /*isLhs=*/false, element);
  auto rhsTileType =
      rhsKMajor ? MemRefType::get({2, kTileK, kTileN + kPad}, element,
                                  nullptr, workgroup)
                : MemRefType::get({2, kTileN, kTileK + kPad}, element,
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
      b, loc, problem, {kTileM, kTileN, kTileK}, gpu_kernels::kWarpSize,
      kWarpsM * kWarpsN, lhsTileType, rhsTileType,
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
        // The accumulators' coordinates depend on the lane only: computed
        // per tile, outside the k loop.
        SmallVector<std::pair<Value, Value>> cCoords;
        for (int64_t v = 0; v < 4; ++v)
          cCoords.push_back(getAccumulatorCoord(b, loc, lane, v));
        // ldmatrix .x4 loads four 8 x 8 matrices, lanes 8i to 8i + 7
        // giving the rows of matrix i: with lane l at row l % 16 and column
        // 8 (l / 16) of a 16 x 16 block, the matrices are its (top, left),
        // (bottom, left), (top, right), (bottom, right) quarters. Lane l
        // receives, of each, row l / 4 at columns 2 (l % 4) and 2 (l % 4) + 1
        // (with .trans: column l / 4 at rows 2 (l % 4), + 1). For A (rows m,
        // columns k) these are a0..a3 of mma.m16n8k16; for B as staged (rows
        // k, columns n), transposed, b0 and b1 of two n8 tiles side by side.
        Value blockRow = arith::RemUIOp::create(b, loc, lane,
                                                indexConstant(b, loc, 16));
        Value blockCol = arith::MulIOp::create(
            b, loc,
            arith::DivUIOp::create(b, loc, lane, indexConstant(b, loc, 16)),
            indexConstant(b, loc, 8));
        auto loadFragments = [&](OpBuilder &b, Location loc, Value tile,
                                 Value row, Value col, bool transpose) {
          auto type = VectorType::get({4, 2}, element);
          Value matrices = nvgpu::LdMatrixOp::create(
              b, loc, type, tile,
              ValueRange{arith::AddIOp::create(b, loc, row, blockRow),
                         arith::AddIOp::create(b, loc, col, blockCol)},
              transpose, /*numTiles=*/4);
          SmallVector<Value> registers;
          for (int64_t i = 0; i < 4; ++i)
            registers.push_back(toRegister(
                b, loc, vector::ExtractOp::create(b, loc, matrices, i)));
          return registers;
        };

        // Stage `stage` of the two double-buffered shared tiles.
        auto stageOf = [&](OpBuilder &b, Location loc, Value tile,
                           Value stage) -> Value {
          auto type = cast<MemRefType>(tile.getType());
          SmallVector<OpFoldResult> offsets{stage, b.getIndexAttr(0),
                                            b.getIndexAttr(0)};
          SmallVector<OpFoldResult> sizes{b.getIndexAttr(1),
                                          b.getIndexAttr(type.getDimSize(1)),
                                          b.getIndexAttr(type.getDimSize(2))};
          SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
          MemRefType view = memref::SubViewOp::inferRankReducedResultType(
              type.getShape().drop_front(), type, offsets, sizes, strides);
          return memref::SubViewOp::create(b, loc, view, tile, offsets, sizes,
                                           strides);
        };
        // The slices from k0 on into `stage`: whole 16-byte vectors of the
        // inputs by cp.async, the rest (edges, a DyT prologue's computed A)
        // by plain stores.
        auto stageSlices = [&](OpBuilder &b, Location loc, Value k0,
                               Value stage) {
          stageOperandSlice(b, loc, problem,
                            {/*isLhs=*/true, stageOf(b, loc, lhsTile, stage),
                             /*kMajor=*/false, kTileK, kTileM,
                             /*asyncCopies=*/true},
                            thread, kThreads, b0, m0, k0);
          stageOperandSlice(b, loc, problem,
                            {/*isLhs=*/false, stageOf(b, loc, rhsTile, stage),
                             rhsKMajor, kTileK, kTileN,
                             /*asyncCopies=*/true},
                            thread, kThreads, b0, n0, k0);
        };

        // Double buffering, one barrier per slice: slice i is in stage
        // i & 1, its copies one cp.async group. Iteration i waits for that
        // group (the only one in flight), and the barrier then makes every
        // thread's copies and stores of slice i visible and, every thread
        // being done with slice i - 1, frees the other stage for slice
        // i + 1, whose copies are in flight while the tensor cores work on
        // slice i.
        Value one = indexConstant(b, loc, 1);
        stageSlices(b, loc, zero, zero);
        NVVM::CpAsyncCommitGroupOp::create(b, loc);
        Value zeroF = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
        SmallVector<Value> init(kAccumulators, initValue ? initValue : zeroF);
        auto kLoop = scf::ForOp::create(
            b, loc, zero, problem.k, indexConstant(b, loc, kTileK), init,
            [&](OpBuilder &b, Location loc, Value k0, ValueRange acc) {
              Value stage = arith::AndIOp::create(
                  b, loc,
                  arith::DivUIOp::create(b, loc, k0,
                                         indexConstant(b, loc, kTileK)),
                  one);
              NVVM::CpAsyncWaitGroupOp::create(b, loc, 0);
              gpu::BarrierOp::create(b, loc);
              Value nextK = plus(b, loc, k0, kTileK);
              // The same condition in every thread of the block.
              auto ifMore = scf::IfOp::create(
                  b, loc,
                  arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                        nextK, problem.k),
                  /*withElseRegion=*/false);
              {
                OpBuilder::InsertionGuard g(b);
                b.setInsertionPointToStart(ifMore.thenBlock());
                stageSlices(b, loc, nextK,
                            arith::XOrIOp::create(b, loc, stage, one));
                NVVM::CpAsyncCommitGroupOp::create(b, loc);
              }
              Value lhsSlice = stageOf(b, loc, lhsTile, stage);
              Value rhsSlice = stageOf(b, loc, rhsTile, stage);
              SmallVector<Value> sums(acc.begin(), acc.end());
              for (int64_t ks = 0; ks < kTileK; ks += kMmaK) {
                Value kRow = indexConstant(b, loc, ks);
                SmallVector<SmallVector<Value>> aFragments;
                for (int64_t tm = 0; tm < kWarpTilesM; ++tm)
                  aFragments.push_back(loadFragments(
                      b, loc, lhsSlice, plus(b, loc, warpRow, tm * kMmaM),
                      kRow, /*transpose=*/false));
                SmallVector<SmallVector<Value>> bFragments;
                for (int64_t tn = 0; tn < kWarpTilesN; tn += 2) {
                  Value nCol = plus(b, loc, warpCol, tn * kMmaN);
                  if (rhsKMajor) {
                    SmallVector<Value> r = loadFragments(
                        b, loc, rhsSlice, kRow, nCol, /*transpose=*/true);
                    bFragments.push_back({r[0], r[1]});
                    bFragments.push_back({r[2], r[3]});
                  } else {
                    // Rows n, columns k: the block's left quarters are b0
                    // of the two n8 tiles, its right ones b1.
                    SmallVector<Value> r = loadFragments(
                        b, loc, rhsSlice, nCol, kRow, /*transpose=*/false);
                    bFragments.push_back({r[0], r[2]});
                    bFragments.push_back({r[1], r[3]});
                  }
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
              scf::YieldOp::create(b, loc, sums);
            });
        // The next output tile stages its slice 0 into stage 0, which the
        // last iteration may have read.
        gpu::BarrierOp::create(b, loc);

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
