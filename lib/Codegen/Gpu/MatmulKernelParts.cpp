//===- MatmulKernelParts.cpp - What the matmul kernels share ----------------===//

#include "MatmulKernelParts.h"

#include "KernelBuilder.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::dyt;
using namespace mlir::dyt::gpu_kernels;

SmallVector<Value> MatmulProblem::loops(Value bi, Value mi, Value ni, Value ki,
                                        Value zero) const {
  linalg::LinalgOp op = match.contraction;
  SmallVector<Value> values(op.getNumLoops(), zero);
  if (match.batchDim >= 0)
    values[match.batchDim] = bi;
  values[match.mDim] = mi;
  values[match.nDim] = ni;
  values[match.kDim] = ki;
  return values;
}

MatmulProblem gpu_kernels::getMatmulProblem(OpBuilder &b,
                                            const MatmulMatch &match) {
  linalg::LinalgOp op = match.contraction;
  Location loc = op.getLoc();
  linalg::GenericOp epilogue = match.epilogue;
  b.setInsertionPoint(epilogue ? epilogue.getOperation() : op.getOperation());
  MatmulProblem problem{match, op.getDpsInitOperand(0)->get(), {}, {}, {}, {}};
  unsigned rank = cast<MemRefType>(problem.result.getType()).getRank();
  // The sizes come from a buffer that outlives the kernel: the product's
  // goes when the epilogue is fused into a fresh output.
  Value shaped =
      epilogue ? epilogue.getDpsInitOperand(0)->get() : problem.result;
  problem.batch = match.batchDim >= 0
                      ? memref::DimOp::create(b, loc, shaped, 0).getResult()
                      : indexConstant(b, loc, 1);
  problem.m = memref::DimOp::create(b, loc, shaped, rank - 2);
  problem.n = memref::DimOp::create(b, loc, shaped, rank - 1);
  // K from the first input that k indexes (the matcher checks there is one).
  AffineExpr k = getAffineDimExpr(match.kDim, b.getContext());
  for (OpOperand *input : op.getDpsInputOperands()) {
    std::optional<unsigned> position =
        op.getMatchingIndexingMap(input).getResultPosition(k);
    if (!position)
      continue;
    problem.k = memref::DimOp::create(b, loc, input->get(), *position);
    break;
  }
  return problem;
}

Value gpu_kernels::getStagedValue(Value operand) {
  while (auto ext = operand.getDefiningOp<arith::ExtFOp>())
    operand = ext.getIn();
  return operand;
}

namespace {

/// `value` of the body of `op` at the loop point `loops`: the ops it
/// depends on cloned, the inputs they read loaded (the matcher checked
/// that they are pure and read no output and no loop index).
Value evaluateInBody(OpBuilder &b, Location loc, linalg::LinalgOp op,
                     Value value, ValueRange loops) {
  Block *body = op.getBlock();
  // The ops of the body `value` depends on.
  DenseSet<Operation *> slice;
  SmallVector<Value> worklist{value};
  while (!worklist.empty()) {
    Operation *def = worklist.pop_back_val().getDefiningOp();
    if (def && def->getBlock() == body && slice.insert(def).second)
      llvm::append_range(worklist, def->getOperands());
  }
  IRMapping mapping;
  auto mapArguments = [&](ValueRange values) {
    for (Value v : values) {
      auto arg = dyn_cast<BlockArgument>(v);
      if (!arg || arg.getOwner() != body || mapping.contains(arg))
        continue;
      OpOperand *input = op.getMatchingOpOperand(arg);
      mapping.map(arg, memref::LoadOp::create(
                           b, loc, input->get(),
                           applySimpleIndexingMap(
                               b, loc, op.getMatchingIndexingMap(input),
                               loops)));
    }
  };
  mapArguments(value);
  for (Operation &inner : body->without_terminator()) {
    if (!slice.contains(&inner))
      continue;
    mapArguments(inner.getOperands());
    b.clone(inner, mapping);
  }
  return mapping.lookupOrDefault(value);
}

} // namespace

void gpu_kernels::createMatmulTileLaunch(
    OpBuilder &b, Location loc, const MatmulProblem &problem,
    MatmulTiles tiles, int64_t blockX, int64_t blockY,
    MemRefType lhsTileType, MemRefType rhsTileType,
    function_ref<void(OpBuilder &, Location, const MatmulTile &)> body) {
  Value one = indexConstant(b, loc, 1);
  Value gridX = arith::MaxUIOp::create(
      b, loc, ceilDiv(b, loc, problem.n, indexConstant(b, loc, tiles.n)), one);
  Value gridY = arith::MaxUIOp::create(
      b, loc,
      minIndex(b, loc,
               ceilDiv(b, loc, problem.m, indexConstant(b, loc, tiles.m)),
               65535),
      one);
  Value gridZ = arith::MaxUIOp::create(
      b, loc, minIndex(b, loc, problem.batch, 65535), one);
  createLaunch(
      b, loc, gridX, gridY, indexConstant(b, loc, blockX),
      indexConstant(b, loc, blockY), Value(),
      TypeRange{lhsTileType, rhsTileType},
      [&](OpBuilder &b, Location loc, gpu::LaunchOp launch) {
        Value n0 = arith::MulIOp::create(b, loc, launch.getBlockIds().x,
                                         indexConstant(b, loc, tiles.n));
        Value thread = arith::AddIOp::create(
            b, loc,
            arith::MulIOp::create(b, loc, launch.getThreadIds().y,
                                  indexConstant(b, loc, blockX)),
            launch.getThreadIds().x);
        Value mTiles =
            ceilDiv(b, loc, problem.m, indexConstant(b, loc, tiles.m));
        // An empty batch runs nothing.
        buildStridedLoop(
            b, loc, launch.getBlockIds().z, problem.batch,
            launch.getGridSize().z, [&](OpBuilder &b, Location loc, Value b0) {
              buildStridedLoop(
                  b, loc, launch.getBlockIds().y, mTiles,
                  launch.getGridSize().y,
                  [&](OpBuilder &b, Location loc, Value mTile) {
                    Value m0 = arith::MulIOp::create(
                        b, loc, mTile, indexConstant(b, loc, tiles.m));
                    body(b, loc,
                         {launch, b0, m0, n0, thread,
                          launch.getWorkgroupAttributions()[0],
                          launch.getWorkgroupAttributions()[1]});
                  });
            });
      },
      gridZ);
}

namespace {

/// The input `value` is when it is an argument of `op`'s body for an input
/// on an identity-layout memref of `element`s whose last index is loop
/// `fastDim`: `width` consecutive values along that loop are then one
/// vector load (from a 16-byte aligned buffer, as every device buffer is,
/// when the row length is a multiple of `width`). Null otherwise.
OpOperand *getContiguousInput(linalg::LinalgOp op, Value value,
                              unsigned fastDim, Type element) {
  auto arg = dyn_cast<BlockArgument>(value);
  if (!arg || arg.getOwner() != op.getBlock())
    return nullptr;
  OpOperand *input = op.getMatchingOpOperand(arg);
  auto type = dyn_cast<MemRefType>(input->get().getType());
  if (!op.isDpsInput(input) || !type || type.getElementType() != element ||
      !type.getLayout().isIdentity() || type.getRank() == 0)
    return nullptr;
  AffineMap map = op.getMatchingIndexingMap(input);
  auto last = dyn_cast<AffineDimExpr>(map.getResults().back());
  if (!isSimpleIndexingMap(map) || !last || last.getPosition() != fastDim)
    return nullptr;
  return input;
}

/// The input an operand slice is loaded from 16 bytes at a time, and
/// whether along k: k or the column for B (x @ W or x @ W^T), k or the
/// row for A. Null (along k for A, along the column for B) when the operand
/// is not such an input.
std::pair<OpOperand *, bool> getStagedInput(const MatmulMatch &match,
                                            bool isLhs, Type element) {
  Value operand = isLhs ? match.lhsValue : match.rhsValue;
  if (!element.isF32())
    operand = getStagedValue(operand);
  unsigned columnDim = isLhs ? match.mDim : match.nDim;
  for (bool k : {isLhs, !isLhs})
    if (OpOperand *input = getContiguousInput(
            match.contraction, operand, k ? match.kDim : columnDim, element))
      return {input, k};
  return {nullptr, isLhs};
}

} // namespace

bool gpu_kernels::isStagedAlongK(const MatmulMatch &match, bool isLhs,
                                 Type element) {
  return getStagedInput(match, isLhs, element).second;
}

void gpu_kernels::stageOperandSlice(OpBuilder &b, Location loc,
                                    const MatmulProblem &problem,
                                    const OperandSlice &slice, Value thread,
                                    int64_t threads, Value b0, Value c0,
                                    Value k0) {
  Value zero = indexConstant(b, loc, 0);
  const MatmulMatch &match = problem.match;
  Value bound = slice.isLhs ? problem.m : problem.n;
  auto tileType = cast<MemRefType>(slice.tile.getType());
  Type element = tileType.getElementType();
  Value operand = slice.isLhs ? match.lhsValue : match.rhsValue;
  if (!element.isF32())
    operand = getStagedValue(operand);
  Value zeroElement =
      arith::ConstantOp::create(b, loc, b.getFloatAttr(element, 0));
  auto loopsAt = [&](Value ki, Value ci) {
    return slice.isLhs ? problem.loops(b0, ci, zero, ki, zero)
                       : problem.loops(b0, zero, ci, ki, zero);
  };
  auto tileIndices = [&](Value kk, Value cc) {
    return slice.kMajor ? SmallVector<Value>{kk, cc}
                        : SmallVector<Value>{cc, kk};
  };
  // Element (kk, cc) of the slice: the operand's value, or 0 outside it.
  auto stageElement = [&](OpBuilder &b, Value kk, Value cc) {
    Value ki = arith::AddIOp::create(b, loc, k0, kk);
    Value ci = arith::AddIOp::create(b, loc, c0, cc);
    Value inside = arith::AndIOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, ki,
                              problem.k),
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, ci, bound));
    auto ifInside = scf::IfOp::create(b, loc, element, inside, true);
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(&ifInside.getThenRegion().front());
      Value v = evaluateInBody(b, loc, match.contraction, operand,
                               loopsAt(ki, ci));
      // The tile holds f32 (the FMA kernel) or the operand's own type.
      if (v.getType() != element) {
        assert(element.isF32() && "a 16-bit tile holds its operand's type");
        v = extendToF32(b, loc, v);
      }
      scf::YieldOp::create(b, loc, v);
      b.setInsertionPointToStart(&ifInside.getElseRegion().front());
      scf::YieldOp::create(b, loc, zeroElement);
    }
    memref::StoreOp::create(b, loc, ifInside.getResult(0), slice.tile,
                            tileIndices(kk, cc));
  };

  // 16 bytes per thread along the dim the operand's input is contiguous
  // in, when it is an input.
  int64_t elements = slice.depth * slice.width;
  int64_t width = kAccessBits / element.getIntOrFloatBitWidth();
  linalg::LinalgOp contraction = match.contraction;
  auto [input, alongK] = getStagedInput(match, slice.isLhs, element);
  int64_t fastExtent = alongK ? slice.depth : slice.width;
  if (!input || fastExtent % width != 0 ||
      (elements / width) % threads != 0) {
    for (int64_t q = 0; q < elements / threads; ++q) {
      Value e = arith::AddIOp::create(b, loc, thread,
                                      indexConstant(b, loc, q * threads));
      Value kk, cc;
      if (slice.isLhs) {
        kk = arith::RemUIOp::create(b, loc, e,
                                    indexConstant(b, loc, slice.depth));
        cc = arith::DivUIOp::create(b, loc, e,
                                    indexConstant(b, loc, slice.depth));
      } else {
        kk = arith::DivUIOp::create(b, loc, e,
                                    indexConstant(b, loc, slice.width));
        cc = arith::RemUIOp::create(b, loc, e,
                                    indexConstant(b, loc, slice.width));
      }
      stageElement(b, kk, cc);
    }
    return;
  }

  // A vector is aligned when the input's rows are (its last dim a multiple
  // of the width: every other stride is then one too).
  auto inputType = cast<MemRefType>(input->get().getType());
  Value rowLength = memref::DimOp::create(b, loc, input->get(),
                                          inputType.getRank() - 1);
  Value aligned = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq,
      arith::RemUIOp::create(b, loc, rowLength, indexConstant(b, loc, width)),
      zero);
  Value fastBound = alongK ? problem.k : bound;
  Value otherBound = alongK ? bound : problem.k;
  // The tile takes the vector as one store where its rows run along the
  // same dim and stay 16-byte aligned.
  bool vectorTileStore =
      slice.kMajor != alongK &&
      (tileType.getShape().back() * element.getIntOrFloatBitWidth()) %
          kAccessBits ==
      0;
  int64_t groupsPerRow = fastExtent / width;
  for (int64_t q = 0; q < elements / width / threads; ++q) {
    Value g = arith::AddIOp::create(b, loc, thread,
                                    indexConstant(b, loc, q * threads));
    Value fast = arith::MulIOp::create(
        b, loc,
        arith::RemUIOp::create(b, loc, g, indexConstant(b, loc, groupsPerRow)),
        indexConstant(b, loc, width));
    Value other =
        arith::DivUIOp::create(b, loc, g, indexConstant(b, loc, groupsPerRow));
    Value kk = alongK ? fast : other, cc = alongK ? other : fast;
    Value fastIndex = arith::AddIOp::create(b, loc, alongK ? k0 : c0, fast);
    Value otherIndex = arith::AddIOp::create(b, loc, alongK ? c0 : k0, other);
    Value full = arith::AndIOp::create(
        b, loc, aligned,
        arith::AndIOp::create(
            b, loc,
            arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::ule,
                arith::AddIOp::create(b, loc, fastIndex,
                                      indexConstant(b, loc, width)),
                fastBound),
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                  otherIndex, otherBound)));
    auto ifFull = scf::IfOp::create(b, loc, full, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&ifFull.getThenRegion().front());
    Value ki = alongK ? fastIndex : otherIndex;
    Value ci = alongK ? otherIndex : fastIndex;
    SmallVector<Value> inputIndices = applySimpleIndexingMap(
        b, loc, contraction.getMatchingIndexingMap(input), loopsAt(ki, ci));
    // The slice's (k, column) of the vector's lane `lane`.
    auto atLane = [&](OpBuilder &b, int64_t lane) -> std::pair<Value, Value> {
      if (lane == 0)
        return {kk, cc};
      return alongK ? std::pair{plus(b, loc, kk, lane), cc}
                    : std::pair{kk, plus(b, loc, cc, lane)};
    };
    // Only whole vectors are copied asynchronously: the else region (the
    // edges, unaligned rows) keeps its element by element stores, which the
    // barrier after the wait for the group makes visible as well.
    if (vectorTileStore && slice.asyncCopies) {
      nvgpu::DeviceAsyncCopyOp::create(
          b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()),
          slice.tile, tileIndices(kk, cc), input->get(), inputIndices,
          b.getIndexAttr(width), /*srcElements=*/Value(),
          /*bypassL1=*/b.getUnitAttr());
    } else {
      SmallVector<Value> lanes =
          loadLanes(b, loc, input->get(), inputIndices, width);
      if (vectorTileStore) {
        storeLanes(b, loc, lanes, slice.tile, tileIndices(kk, cc));
      } else {
        for (auto [lane, value] : llvm::enumerate(lanes)) {
          auto [laneK, laneC] = atLane(b, lane);
          memref::StoreOp::create(b, loc, value, slice.tile,
                                  tileIndices(laneK, laneC));
        }
      }
    }
    // At the edges, or on rows that are not aligned: element by element.
    b.setInsertionPointToStart(&ifFull.getElseRegion().front());
    for (int64_t lane = 0; lane < width; ++lane) {
      auto [laneK, laneC] = atLane(b, lane);
      stageElement(b, laneK, laneC);
    }
  }
}

void gpu_kernels::storeAccumulator(OpBuilder &b, Location loc,
                                   const MatmulProblem &problem, Value sum,
                                   Value b0, Value mi, Value ni) {
  const MatmulMatch &match = problem.match;
  Value inside = arith::AndIOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, mi, problem.m),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, ni, problem.n));
  auto ifInside = scf::IfOp::create(b, loc, inside);
  OpBuilder::InsertionGuard g(b);
  b.setInsertionPointToStart(&ifInside.getThenRegion().front());
  SmallVector<Value> resultIndices;
  if (match.batchDim >= 0)
    resultIndices.push_back(b0);
  resultIndices.append({mi, ni});
  if (!match.fill) // C += A B: the result's current value
    sum = arith::AddFOp::create(
        b, loc, sum,
        extendToF32(b, loc,
                    memref::LoadOp::create(b, loc, problem.result,
                                           resultIndices)));
  Value value = truncateFromF32(
      b, loc, sum, cast<MemRefType>(problem.result.getType()).getElementType());
  if (!match.epilogue) {
    memref::StoreOp::create(b, loc, value, problem.result, resultIndices);
    return;
  }
  // The epilogue at (b?, m, n): its loops are the result's dims.
  linalg::GenericOp epilogue = match.epilogue;
  SmallVector<Value> args;
  for (OpOperand &operand : epilogue->getOpOperands()) {
    if (operand.getOperandNumber() == match.epilogueInput) {
      args.push_back(value);
      continue;
    }
    if (!isa<MemRefType>(operand.get().getType())) {
      args.push_back(operand.get());
      continue;
    }
    if (epilogue.isDpsInit(&operand) &&
        !epilogue.payloadUsesValueFromOperand(&operand)) {
      args.push_back(Value());
      continue;
    }
    args.push_back(memref::LoadOp::create(
        b, loc, operand.get(),
        applySimpleIndexingMap(b, loc, epilogue.getMatchingIndexingMap(&operand),
                               resultIndices)));
  }
  for (auto [init, yielded] :
       llvm::zip_equal(epilogue.getDpsInitsMutable(),
                       inlineGenericBody(b, epilogue, args, resultIndices)))
    memref::StoreOp::create(b, loc, yielded, init.get(), resultIndices);
}

void gpu_kernels::eraseMatchedOps(RewriterBase &rewriter,
                                  const MatmulMatch &match) {
  linalg::LinalgOp op = match.contraction;
  Value result = op.getDpsInitOperand(0)->get();
  if (match.fill)
    rewriter.eraseOp(match.fill);
  rewriter.eraseOp(match.contraction);
  if (!match.epilogue)
    return;
  rewriter.eraseOp(match.epilogue);
  // The unnormalised product is never stored: its buffer goes, unless the
  // epilogue's result lives in it.
  if (match.epilogueInPlace)
    return;
  Operation *alloc = result.getDefiningOp();
  for (Operation *user : llvm::make_early_inc_range(result.getUsers()))
    rewriter.eraseOp(user);
  rewriter.eraseOp(alloc);
}
