//===- ElementwiseKernel.cpp - All-parallel linalg ops as vector kernels ---===//
//
// The iteration space is seen as rows (every loop but the last) of L
// elements (the last loop). A thread owns `width` consecutive elements of a
// row, fixed for its lifetime, and walks rows strided over the grid's y
// dim; that makes the column-only operands (DyT's gamma and beta, a bias)
// one load per thread and the row-only ones one load per row.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "KernelBuilder.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/AffineExpr.h"

using namespace mlir;
using namespace mlir::dyt;
using namespace mlir::dyt::gpu_kernels;

namespace {

/// How the kernel reads one input of the generic.
enum class Access {
  Scalar,     // not a buffer: the value itself
  Contiguous, // last result is the last loop: `width` lanes in one access
  Broadcast,  // does not use the last loop: one value for every lane
  Gather,     // uses the last loop elsewhere (a transpose): a load per lane
};

struct InputPlan {
  Access access;
  bool usesRow = false; // depends on a loop other than the last
};

InputPlan planInput(linalg::GenericOp generic, OpOperand &operand) {
  if (!isa<MemRefType>(operand.get().getType()))
    return {Access::Scalar};
  AffineMap map = generic.getMatchingIndexingMap(&operand);
  unsigned last = generic.getNumLoops() - 1;
  InputPlan plan;
  for (unsigned d = 0; d < last; ++d)
    plan.usesRow |= map.isFunctionOfDim(d);
  if (!map.isFunctionOfDim(last)) {
    plan.access = Access::Broadcast;
    return plan;
  }
  bool lastIsLast = map.getNumResults() > 0 &&
                    map.getResults().back() == getAffineDimExpr(
                                                   last, map.getContext());
  unsigned uses = llvm::count(map.getResults(),
                              getAffineDimExpr(last, map.getContext()));
  plan.access = lastIsLast && uses == 1 ? Access::Contiguous : Access::Gather;
  return plan;
}

/// Emits the kernel for one vector width.
void emitWithWidth(OpBuilder &b, Location loc, linalg::GenericOp generic,
                   ArrayRef<Value> sizes, Value rows, int64_t width) {
  unsigned numLoops = generic.getNumLoops();
  unsigned last = numLoops - 1;
  Value lastSize = sizes[last];
  Value widthValue = indexConstant(b, loc, width);
  Value vectors = b.createOrFold<arith::DivUIOp>(loc, lastSize, widthValue);
  RowBlockShape shape = getRowBlockShape(b, loc, vectors);
  Value gridX = ceilDiv(b, loc, arith::MaxUIOp::create(
                                    b, loc, vectors, indexConstant(b, loc, 1)),
                        shape.rowThreads);
  Value gridY = arith::MaxUIOp::create(
      b, loc,
      minIndex(b, loc, ceilDiv(b, loc, rows, shape.rowsPerBlock), 65535),
      indexConstant(b, loc, 1));
  SmallVector<InputPlan> plans;
  for (OpOperand *input : generic.getDpsInputOperands())
    plans.push_back(planInput(generic, *input));

  createLaunch(
      b, loc, gridX, gridY, shape.rowThreads, shape.rowsPerBlock, Value(),
      TypeRange(), [&](OpBuilder &b, Location loc, gpu::LaunchOp launch) {
        Value v = arith::AddIOp::create(
            b, loc,
            arith::MulIOp::create(b, loc, launch.getBlockIds().x,
                                  launch.getBlockSize().x),
            launch.getThreadIds().x);
        Value inRow = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                            v, vectors);
        auto ifInRow = scf::IfOp::create(b, loc, inRow);
        b.setInsertionPointToStart(&ifInRow.getThenRegion().front());
        // The width as a kernel constant (not a kernel argument).
        Value column =
            arith::MulIOp::create(b, loc, v, indexConstant(b, loc, width));
        SmallVector<Value> laneColumns;
        for (int64_t lane = 0; lane < width; ++lane)
          laneColumns.push_back(
              lane == 0 ? column
                        : arith::AddIOp::create(b, loc, column,
                                                indexConstant(b, loc, lane))
                              .getResult());

        // Loop indices of lane `lane` given the row's outer indices.
        auto loopsOf = [&](ArrayRef<Value> outer, int64_t lane) {
          SmallVector<Value> loops(outer.begin(), outer.end());
          loops.push_back(laneColumns[lane]);
          return loops;
        };
        // The lanes of input `i` for a row (outer indices).
        auto loadInput = [&](OpBuilder &b, Location loc, unsigned i,
                             ArrayRef<Value> outer) -> SmallVector<Value> {
          OpOperand *operand = generic.getDpsInputOperand(i);
          Value value = operand->get();
          AffineMap map = generic.getMatchingIndexingMap(operand);
          switch (plans[i].access) {
          case Access::Scalar:
            return SmallVector<Value>(width, value);
          case Access::Broadcast: {
            Value scalar = memref::LoadOp::create(
                b, loc, value,
                applySimpleIndexingMap(b, loc, map, loopsOf(outer, 0)));
            return SmallVector<Value>(width, scalar);
          }
          case Access::Contiguous:
            return loadLanes(
                b, loc, value,
                applySimpleIndexingMap(b, loc, map, loopsOf(outer, 0)), width);
          case Access::Gather: {
            SmallVector<Value> lanes;
            for (int64_t lane = 0; lane < width; ++lane)
              lanes.push_back(memref::LoadOp::create(
                  b, loc, value,
                  applySimpleIndexingMap(b, loc, map, loopsOf(outer, lane))));
            return lanes;
          }
          }
          llvm_unreachable("unknown access");
        };

        // Inputs that do not depend on the row: loaded once per thread.
        SmallVector<SmallVector<Value>> hoisted(plans.size());
        SmallVector<Value> noOuter(last, Value());
        for (auto [i, plan] : llvm::enumerate(plans))
          if (!plan.usesRow)
            hoisted[i] = loadInput(b, loc, i, noOuter);

        Value firstRow = arith::AddIOp::create(
            b, loc,
            arith::MulIOp::create(b, loc, launch.getBlockIds().y,
                                  launch.getBlockSize().y),
            launch.getThreadIds().y);
        Value rowStep = arith::MulIOp::create(b, loc, launch.getGridSize().y,
                                              launch.getBlockSize().y);
        buildStridedLoop(
            b, loc, firstRow, rows, rowStep,
            [&](OpBuilder &b, Location loc, Value row) {
              // The row's outer indices, innermost varying fastest.
              SmallVector<Value> outer(last);
              Value rest = row;
              for (unsigned d = last; d-- > 0;) {
                outer[d] = d == 0 ? rest
                                  : arith::RemUIOp::create(b, loc, rest,
                                                           sizes[d])
                                        .getResult();
                if (d > 0)
                  rest = arith::DivUIOp::create(b, loc, rest, sizes[d]);
              }
              SmallVector<SmallVector<Value>> inputs(plans.size());
              for (auto [i, plan] : llvm::enumerate(plans))
                inputs[i] = plan.usesRow ? loadInput(b, loc, i, outer)
                                         : hoisted[i];
              SmallVector<SmallVector<Value>> outputs;
              for (OpOperand &init : generic.getDpsInitsMutable()) {
                // Only an op that reads its output (an in-place update)
                // loads it.
                if (generic.payloadUsesValueFromOperand(&init))
                  outputs.push_back(loadLanes(
                      b, loc, init.get(),
                      applySimpleIndexingMap(
                          b, loc, generic.getMatchingIndexingMap(&init),
                          loopsOf(outer, 0)),
                      width));
                else
                  outputs.push_back({});
              }
              SmallVector<SmallVector<Value>> results(generic.getNumDpsInits());
              for (int64_t lane = 0; lane < width; ++lane) {
                SmallVector<Value> args;
                for (auto &lanes : inputs)
                  args.push_back(lanes[lane]);
                // An output the body does not read gets no value.
                for (auto &lanes : outputs)
                  args.push_back(lanes.empty() ? Value() : lanes[lane]);
                for (auto [o, value] : llvm::enumerate(inlineGenericBody(
                         b, generic, args, loopsOf(outer, lane))))
                  results[o].push_back(value);
              }
              for (auto [o, init] :
                   llvm::enumerate(generic.getDpsInitsMutable()))
                storeLanes(b, loc, results[o], init.get(),
                           applySimpleIndexingMap(
                               b, loc, generic.getMatchingIndexingMap(&init),
                               loopsOf(outer, 0)));
            });
      });
}

} // namespace

bool gpu_kernels::isElementwiseKernelCandidate(linalg::GenericOp generic) {
  if (!generic.hasPureBufferSemantics() || generic.getNumLoops() == 0 ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return false;
  for (OpOperand &operand : generic->getOpOperands()) {
    if (!isa<MemRefType>(operand.get().getType()))
      continue;
    AffineMap map = generic.getMatchingIndexingMap(&operand);
    if (!isSimpleIndexingMap(map))
      return false;
    if (generic.isDpsInit(&operand) && !map.isIdentity())
      return false;
  }
  // Every op of the body must be clonable into a kernel as it is.
  for (Operation &op : generic.getRegion().front().without_terminator())
    if (op.getNumRegions() != 0)
      return false;
  return true;
}

void gpu_kernels::emitElementwiseKernel(OpBuilder &b,
                                        linalg::GenericOp generic) {
  Location loc = generic.getLoc();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(generic);
  // The loop sizes are the first output's dims (identity map).
  Value output = generic.getDpsInitOperand(0)->get();
  auto outputType = cast<MemRefType>(output.getType());
  unsigned numLoops = generic.getNumLoops();
  SmallVector<Value> sizes;
  for (unsigned d = 0; d < numLoops; ++d)
    sizes.push_back(b.createOrFold<memref::DimOp>(loc, output, d));
  Value rows = indexConstant(b, loc, 1);
  for (unsigned d = 0; d + 1 < numLoops; ++d)
    rows = b.createOrFold<arith::MulIOp>(loc, rows, sizes[d]);

  // The widest vector every contiguous access can take.
  SmallVector<MemRefType> contiguous;
  for (OpOperand &operand : generic->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (type && (generic.isDpsInit(&operand) ||
                 planInput(generic, operand).access == Access::Contiguous))
      contiguous.push_back(type);
  }
  int64_t bits = 8;
  bool vectorizable = true;
  for (MemRefType type : contiguous) {
    // Sub-byte elements (i1) are a byte each in memory, but LLVM packs a
    // vector of them into bits: scalar accesses only.
    Type element = type.getElementType();
    vectorizable &= element.isIntOrFloat() &&
                    element.getIntOrFloatBitWidth() % 8 == 0;
    if (vectorizable)
      bits = std::max<int64_t>(bits, element.getIntOrFloatBitWidth());
  }
  int64_t width = vectorizable
                      ? getVectorWidth(bits, outputType.getShape().back())
                      : 1;
  if (llvm::any_of(contiguous, [&](MemRefType type) {
        return !hasVectorAlignedRows(type, width);
      }))
    width = 1;
  emitForVectorWidths(b, loc, sizes.back(), width,
                      [&](OpBuilder &b, int64_t w) {
                        emitWithWidth(b, loc, generic, sizes, rows, w);
                      });
}
