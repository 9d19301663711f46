//===- MatmulKernel.cpp - Contractions through shared memory, with epilogue
//===//
//
// A block of 16 x 16 threads computes a tile-m x tile-n tile of C: each
// thread holds (tile-m / 16) x (tile-n / 16) f32 accumulators, rows
// ty + 16 i and columns tx + 16 j of the tile (so that 16 neighbouring
// threads store 16 neighbouring elements). K advances in tile-k deep
// slices of A and B staged in shared memory; each operand element is read
// from global memory once per block. The epilogue op, when fused, runs on
// the accumulators and its result is the only store.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "KernelBuilder.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;
using namespace mlir::dyt;
using namespace mlir::dyt::gpu_kernels;

namespace {

constexpr int64_t kThreadsPerSide = 16; // 16 x 16 = kBlockThreads

/// A buffer of f32 or narrower floats: the kernel accumulates in f32.
bool isFloatBuffer(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  return type && isa<FloatType>(type.getElementType()) &&
         type.getElementType().getIntOrFloatBitWidth() <= 32;
}


/// The float value `op` fills `buffer` with: a linalg.fill, or a generic
/// without inputs that yields a value from outside its body.
Value getFillValue(Operation *op, Value buffer) {
  if (auto fill = dyn_cast<linalg::FillOp>(op))
    return fill.getDpsInitOperand(0)->get() == buffer ? fill.value() : Value();
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumDpsInputs() != 0 ||
      generic.getNumDpsInits() != 1 ||
      generic.getDpsInitOperand(0)->get() != buffer ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
           .isIdentity())
    return Value();
  Value yielded = generic.getRegion().front().getTerminator()->getOperand(0);
  if (yielded.getParentRegion() == &generic.getRegion())
    return Value();
  return yielded;
}


/// Whether `generic` writes `buffer` in place without reading its old value.
bool overwritesInPlace(linalg::GenericOp generic, Value buffer) {
  for (OpOperand &init : generic.getDpsInitsMutable())
    if (init.get() == buffer)
      return !generic.payloadUsesValueFromOperand(&init);
  return false;
}

/// The fill, contraction and epilogue of a fresh result buffer. Every user
/// of the buffer must be in the contraction's block and be one of: the fill
/// before the contraction, the contraction, the epilogue after it, a
/// dealloc after those, or, when the epilogue overwrites the buffer in place
/// (as bufferization makes `dyt(matmul)`), anything after the epilogue,
/// which then sees the epilogue's result.
void matchResultUsers(MatmulMatch &match) {
  Operation *op = match.contraction;
  Value result = match.contraction.getDpsInitOperand(0)->get();
  Value lhs = match.contraction.getDpsInputOperand(0)->get();
  Value rhs = match.contraction.getDpsInputOperand(1)->get();
  if (!result.getDefiningOp<memref::AllocOp>())
    return;
  Block *block = op->getBlock();
  // The first users after the contraction, in order.
  Operation *fill = nullptr;
  Value fillValue;
  linalg::GenericOp epilogue;
  SmallVector<Operation *> users(result.getUsers().begin(),
                                 result.getUsers().end());
  for (Operation *user : users)
    if (user->getBlock() != block)
      return;
  llvm::sort(users,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  // Before the contraction: at most a fill, which starts the accumulators.
  for (Operation *user : users) {
    if (!user->isBeforeInBlock(op))
      break;
    Value value = getFillValue(user, result);
    if (!value || fill || !isa<FloatType>(value.getType()))
      return; // another writer or reader before: no folding
    fill = user;
    fillValue = value;
  }
  match.fill = fill;
  match.fillValue = fillValue;
  // After it: the epilogue, then a dealloc or, when the epilogue
  // overwrites the buffer, anything.
  bool inPlace = false;
  for (Operation *user : users) {
    if (user == op || user->isBeforeInBlock(op))
      continue;
    if (!epilogue) {
      epilogue = dyn_cast<linalg::GenericOp>(user);
      if (!epilogue)
        return;
      inPlace = overwritesInPlace(epilogue, result);
      continue;
    }
    if (!inPlace && !isa<memref::DeallocOp>(user))
      return; // another reader or writer: no fusion
  }
  // Fusing drops the product's store, so it must not depend on what the
  // buffer held: only a filled result is fused.
  if (!fill || !epilogue || !isElementwiseKernelCandidate(epilogue))
    return;
  auto resultType = cast<MemRefType>(result.getType());
  // The epilogue runs over the result's iteration space and reads the
  // product once, with the identity map.
  if (epilogue.getNumLoops() != resultType.getRank())
    return;
  std::optional<unsigned> input;
  for (OpOperand *operand : epilogue.getDpsInputOperands()) {
    if (operand->get() != result)
      continue;
    if (input || !epilogue.getMatchingIndexingMap(operand).isIdentity())
      return;
    input = operand->getOperandNumber();
  }
  if (!input)
    return;
  // The fused kernel runs where the epilogue is (its body may use values
  // defined after the contraction): nothing in between may write memory.
  for (Operation *between = op->getNextNode(); between != epilogue;
       between = between->getNextNode()) {
    if (isMemoryEffectFree(between))
      continue;
    auto effects = dyn_cast<MemoryEffectOpInterface>(between);
    SmallVector<MemoryEffects::EffectInstance> instances;
    if (effects)
      effects.getEffects(instances);
    if (!effects || llvm::any_of(instances, [](auto &effect) {
          return !isa<MemoryEffects::Read, MemoryEffects::Allocate>(
              effect.getEffect());
        }))
      return;
  }
  // Each output is the product's buffer (in place) or a buffer that is not
  // (a view of) an operand: the fused kernel stores tiles while other
  // blocks still read the operands, so an output the contraction reads
  // (x += x @ W) would race. Distinct function arguments are taken not to
  // overlap, as everywhere in MLIR.
  for (OpOperand &init : epilogue.getDpsInitsMutable()) {
    auto type = cast<MemRefType>(init.get().getType());
    if (type.getShape() != resultType.getShape() ||
        (init.get() == result && !inPlace))
      return;
    if (init.get() == result)
      continue;
    Value base = memref::skipViewLikeOps(cast<MemrefValue>(init.get()));
    if (base == memref::skipViewLikeOps(cast<MemrefValue>(lhs)) || base == memref::skipViewLikeOps(cast<MemrefValue>(rhs)) ||
        !(isa<BlockArgument>(base) || base.getDefiningOp<memref::AllocOp>()))
      return;
  }
  match.epilogue = epilogue;
  match.epilogueInput = *input;
  match.epilogueInPlace = inPlace;
}

} // namespace

std::optional<MatmulMatch> gpu_kernels::matchMatmulKernel(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || !linalg::isaContractionOpInterface(op))
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1 || dims->batch.size() > 1 ||
      op.getNumLoops() != 3 + dims->batch.size())
    return std::nullopt;
  for (OpOperand &operand : op->getOpOperands())
    if (!isFloatBuffer(operand.get()) ||
        !isSimpleIndexingMap(op.getMatchingIndexingMap(&operand)))
      return std::nullopt;
  MatmulMatch match;
  match.contraction = op;
  match.mDim = dims->m.front();
  match.nDim = dims->n.front();
  match.kDim = dims->k.front();
  if (!dims->batch.empty())
    match.batchDim = dims->batch.front();
  // The result is indexed (batch?, m, n), in that order.
  SmallVector<AffineExpr> expected;
  MLIRContext *context = op.getContext();
  if (match.batchDim >= 0)
    expected.push_back(getAffineDimExpr(match.batchDim, context));
  expected.push_back(getAffineDimExpr(match.mDim, context));
  expected.push_back(getAffineDimExpr(match.nDim, context));
  if (op.getMatchingIndexingMap(op.getDpsInitOperand(0)).getResults() !=
      ArrayRef<AffineExpr>(expected))
    return std::nullopt;
  matchResultUsers(match);
  return match;
}

void gpu_kernels::emitMatmulKernel(RewriterBase &rewriter,
                                   const MatmulMatch &match,
                                   MatmulTiles tiles) {
  linalg::LinalgOp op = match.contraction;
  Location loc = op.getLoc();
  OpBuilder &b = rewriter;
  OpBuilder::InsertionGuard guard(b);
  linalg::GenericOp fusedEpilogue = match.epilogue;
  b.setInsertionPoint(fusedEpilogue ? fusedEpilogue.getOperation()
                                    : op.getOperation());
  bool batched = match.batchDim >= 0;
  Value lhs = op.getDpsInputOperand(0)->get();
  Value rhs = op.getDpsInputOperand(1)->get();
  Value result = op.getDpsInitOperand(0)->get();
  AffineMap lhsMap = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
  AffineMap rhsMap = op.getMatchingIndexingMap(op.getDpsInputOperand(1));
  auto resultType = cast<MemRefType>(result.getType());

  unsigned rank = resultType.getRank();
  // The sizes come from a buffer that outlives the kernel: the product's
  // goes when the epilogue is fused into a fresh output.
  Value shaped =
      fusedEpilogue ? fusedEpilogue.getDpsInitOperand(0)->get() : result;
  Value batch = batched ? memref::DimOp::create(b, loc, shaped, 0).getResult()
                        : indexConstant(b, loc, 1);
  Value m = memref::DimOp::create(b, loc, shaped, rank - 2);
  Value n = memref::DimOp::create(b, loc, shaped, rank - 1);
  Value k =
      memref::DimOp::create(b, loc, lhs, *lhsMap.getResultPosition(getAffineDimExpr(match.kDim, b.getContext())));

  Value gridX = arith::MaxUIOp::create(
      b, loc, ceilDiv(b, loc, n, indexConstant(b, loc, tiles.n)),
      indexConstant(b, loc, 1));
  Value gridY = arith::MaxUIOp::create(
      b, loc,
      minIndex(b, loc, ceilDiv(b, loc, m, indexConstant(b, loc, tiles.m)),
               65535),
      indexConstant(b, loc, 1));
  Value gridZ = arith::MaxUIOp::create(b, loc, minIndex(b, loc, batch, 65535),
                                       indexConstant(b, loc, 1));
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

  createLaunch(
      b, loc, gridX, gridY, indexConstant(b, loc, kThreadsPerSide),
      indexConstant(b, loc, kThreadsPerSide), Value(),
      TypeRange{lhsTileType, rhsTileType},
      [&](OpBuilder &b, Location loc, gpu::LaunchOp launch) {
        Value lhsTile = launch.getWorkgroupAttributions()[0];
        Value rhsTile = launch.getWorkgroupAttributions()[1];
        Value tx = launch.getThreadIds().x, ty = launch.getThreadIds().y;
        Value zero = indexConstant(b, loc, 0);
        Value side = indexConstant(b, loc, kThreadsPerSide);
        Value thread = arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, ty, side), tx);
        Value n0 = arith::MulIOp::create(b, loc, launch.getBlockIds().x,
                                         indexConstant(b, loc, tiles.n));
        Value zeroF = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));

        // Batches and row tiles are strided over the grid's z and y dims
        // (at most 65535 blocks each): the trip counts are the same for
        // every thread of a block, so all of them reach the barriers, and an
        // empty batch runs nothing.
        Value mTiles = ceilDiv(b, loc, m, indexConstant(b, loc, tiles.m));
        buildStridedLoop(
            b, loc, launch.getBlockIds().z, batch, launch.getGridSize().z,
            [&](OpBuilder &b, Location loc, Value b0) {
              buildStridedLoop(
                  b, loc, launch.getBlockIds().y, mTiles,
                  launch.getGridSize().y,
                  [&](OpBuilder &b, Location loc, Value mTile) {
                    Value m0 = arith::MulIOp::create(
                        b, loc, mTile, indexConstant(b, loc, tiles.m));

                    // Loop indices of the contraction for (b, m, n, k).
                    auto loops = [&](Value bi, Value mi, Value ni, Value ki) {
                      SmallVector<Value> values(op.getNumLoops(), zero);
                      if (batched)
                        values[match.batchDim] = bi;
                      values[match.mDim] = mi;
                      values[match.nDim] = ni;
                      values[match.kDim] = ki;
                      return values;
                    };
                    // Stages rows x cols of `operand` (k-major in the tile)
                    // with every thread loading rows * cols / 256 elements, 0
                    // outside the operand.
                    auto stage = [&](OpBuilder &b, Location loc, Value k0,
                                     bool isLhs) {
                      int64_t cols = isLhs ? tiles.m : tiles.n;
                      int64_t elements = tiles.k * cols;
                      for (int64_t q = 0; q < elements / kBlockThreads; ++q) {
                        Value e = arith::AddIOp::create(
                            b, loc, thread,
                            indexConstant(b, loc, q * kBlockThreads));
                        // A is read along k (its contiguous dim for x @ W), B
                        // along n.
                        Value kk, cc;
                        if (isLhs) {
                          kk = arith::RemUIOp::create(
                              b, loc, e, indexConstant(b, loc, tiles.k));
                          cc = arith::DivUIOp::create(
                              b, loc, e, indexConstant(b, loc, tiles.k));
                        } else {
                          kk = arith::DivUIOp::create(
                              b, loc, e, indexConstant(b, loc, cols));
                          cc = arith::RemUIOp::create(
                              b, loc, e, indexConstant(b, loc, cols));
                        }
                        Value ki = arith::AddIOp::create(b, loc, k0, kk);
                        Value ci =
                            arith::AddIOp::create(b, loc, isLhs ? m0 : n0, cc);
                        Value inside = arith::AndIOp::create(
                            b, loc,
                            arith::CmpIOp::create(
                                b, loc, arith::CmpIPredicate::ult, ki, k),
                            arith::CmpIOp::create(b, loc,
                                                  arith::CmpIPredicate::ult, ci,
                                                  isLhs ? m : n));
                        auto ifInside =
                            scf::IfOp::create(b, loc, f32, inside, true);
                        {
                          OpBuilder::InsertionGuard g(b);
                          b.setInsertionPointToStart(
                              &ifInside.getThenRegion().front());
                          SmallVector<Value> indices = applySimpleIndexingMap(
                              b, loc, isLhs ? lhsMap : rhsMap,
                              isLhs ? loops(b0, ci, zero, ki)
                                    : loops(b0, zero, ci, ki));
                          Value v = memref::LoadOp::create(
                              b, loc, isLhs ? lhs : rhs, indices);
                          scf::YieldOp::create(b, loc, extendToF32(b, loc, v));
                          b.setInsertionPointToStart(
                              &ifInside.getElseRegion().front());
                          scf::YieldOp::create(b, loc, zeroF);
                        }
                        memref::StoreOp::create(b, loc, ifInside.getResult(0),
                                                isLhs ? lhsTile : rhsTile,
                                                ValueRange{kk, cc});
                      }
                    };

                    SmallVector<Value> init(rowsPerThread * colsPerThread,
                                            initValue ? initValue : zeroF);
                    auto kLoop = scf::ForOp::create(
                        b, loc, zero, k, indexConstant(b, loc, tiles.k), init,
                        [&](OpBuilder &b, Location loc, Value k0,
                            ValueRange acc) {
                          stage(b, loc, k0, /*isLhs=*/true);
                          stage(b, loc, k0, /*isLhs=*/false);
                          gpu::BarrierOp::create(b, loc);
                          SmallVector<Value> sums(acc.begin(), acc.end());
                          for (int64_t kk = 0; kk < tiles.k; ++kk) {
                            Value kkValue = indexConstant(b, loc, kk);
                            // This thread's `count` values of slice row kk:
                            // columns first, first + 16, ...
                            auto sliceRow = [&](Value tile, Value first,
                                                int64_t count) {
                              SmallVector<Value> values;
                              for (int64_t i = 0; i < count; ++i)
                                values.push_back(memref::LoadOp::create(
                                    b, loc, tile,
                                    ValueRange{kkValue,
                                               arith::AddIOp::create(
                                                   b, loc, first,
                                                   indexConstant(
                                                       b, loc,
                                                       i * kThreadsPerSide))}));
                              return values;
                            };
                            SmallVector<Value> as =
                                sliceRow(lhsTile, ty, rowsPerThread);
                            SmallVector<Value> bs =
                                sliceRow(rhsTile, tx, colsPerThread);
                            for (int64_t i = 0; i < rowsPerThread; ++i)
                              for (int64_t j = 0; j < colsPerThread; ++j) {
                                Value &sum = sums[i * colsPerThread + j];
                                sum = math::FmaOp::create(b, loc, as[i], bs[j],
                                                          sum);
                              }
                          }
                          // The slices are overwritten by the next iteration.
                          gpu::BarrierOp::create(b, loc);
                          scf::YieldOp::create(b, loc, sums);
                        });

                    Type resultElement = resultType.getElementType();
                    for (int64_t i = 0; i < rowsPerThread; ++i) {
                      for (int64_t j = 0; j < colsPerThread; ++j) {
                        Value mi = arith::AddIOp::create(
                            b, loc, m0,
                            arith::AddIOp::create(
                                b, loc, ty,
                                indexConstant(b, loc, i * kThreadsPerSide)));
                        Value ni = arith::AddIOp::create(
                            b, loc, n0,
                            arith::AddIOp::create(
                                b, loc, tx,
                                indexConstant(b, loc, j * kThreadsPerSide)));
                        Value inside = arith::AndIOp::create(
                            b, loc,
                            arith::CmpIOp::create(
                                b, loc, arith::CmpIPredicate::ult, mi, m),
                            arith::CmpIOp::create(
                                b, loc, arith::CmpIPredicate::ult, ni, n));
                        auto ifInside = scf::IfOp::create(b, loc, inside);
                        OpBuilder::InsertionGuard g(b);
                        b.setInsertionPointToStart(
                            &ifInside.getThenRegion().front());
                        SmallVector<Value> resultIndices;
                        if (batched)
                          resultIndices.push_back(b0);
                        resultIndices.append({mi, ni});
                        Value sum = kLoop.getResult(i * colsPerThread + j);
                        if (!match.fill) // C += A B: the result's current value
                          sum = arith::AddFOp::create(
                              b, loc, sum,
                              extendToF32(b, loc,
                                          memref::LoadOp::create(
                                              b, loc, result, resultIndices)));
                        Value value =
                            truncateFromF32(b, loc, sum, resultElement);
                        if (!match.epilogue) {
                          memref::StoreOp::create(b, loc, value, result,
                                                  resultIndices);
                          continue;
                        }
                        // The epilogue at (b?, m, n): its loops are the
                        // result's dims.
                        linalg::GenericOp epilogue = match.epilogue;
                        SmallVector<Value> args;
                        for (OpOperand &operand : epilogue->getOpOperands()) {
                          if (operand.getOperandNumber() ==
                              match.epilogueInput) {
                            args.push_back(value);
                            continue;
                          }
                          bool isInit = epilogue.isDpsInit(&operand);
                          if (!isa<MemRefType>(operand.get().getType())) {
                            args.push_back(operand.get());
                            continue;
                          }
                          if (isInit &&
                              !epilogue.payloadUsesValueFromOperand(&operand)) {
                            args.push_back(Value());
                            continue;
                          }
                          args.push_back(memref::LoadOp::create(
                              b, loc, operand.get(),
                              applySimpleIndexingMap(
                                  b, loc,
                                  epilogue.getMatchingIndexingMap(&operand),
                                  resultIndices)));
                        }
                        for (auto [init, yielded] : llvm::zip_equal(
                                 epilogue.getDpsInitsMutable(),
                                 inlineGenericBody(b, epilogue, args,
                                                   resultIndices)))
                          memref::StoreOp::create(b, loc, yielded, init.get(),
                                                  resultIndices);
                      }
                    }
                  }); // row tiles
            });       // batches
      },
      gridZ);

  if (match.fill)
    rewriter.eraseOp(match.fill);
  rewriter.eraseOp(op);
  if (match.epilogue) {
    rewriter.eraseOp(match.epilogue);
    // The unnormalised product is never stored: its buffer goes, unless
    // the epilogue's result lives in it.
    if (!match.epilogueInPlace) {
      Operation *alloc = result.getDefiningOp();
      for (Operation *user : llvm::make_early_inc_range(result.getUsers()))
        rewriter.eraseOp(user);
      rewriter.eraseOp(alloc);
    }
  }
}
