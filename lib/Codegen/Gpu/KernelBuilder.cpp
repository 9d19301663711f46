//===- KernelBuilder.cpp - Pieces every dyt GPU kernel is built from ------===//

#include "KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::dyt;
using namespace mlir::dyt::gpu_kernels;

Value gpu_kernels::indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

Value gpu_kernels::plus(OpBuilder &b, Location loc, Value value,
                        int64_t constant) {
  return arith::AddIOp::create(b, loc, value, indexConstant(b, loc, constant));
}

Value gpu_kernels::ceilDiv(OpBuilder &b, Location loc, Value a, Value d) {
  return b.createOrFold<arith::CeilDivUIOp>(loc, a, d);
}

Value gpu_kernels::minIndex(OpBuilder &b, Location loc, Value value,
                            int64_t bound) {
  return b.createOrFold<arith::MinUIOp>(loc, value,
                                        indexConstant(b, loc, bound));
}

RowBlockShape gpu_kernels::getRowBlockShape(OpBuilder &b, Location loc,
                                            Value vectorsPerRow) {
  // rowThreads = min(256, roundUp(max(vectors, 1), 32)); the block then holds
  // 256 / rowThreads rows: always at least 128 threads (rowThreads > 128
  // gives one row of rowThreads).
  // Folded as it is built: static sizes give constant block shapes, and
  // the generators' compile-time choices (cache the rows or not) see them.
  Value warp = indexConstant(b, loc, kWarpSize);
  Value atLeastOne = b.createOrFold<arith::MaxUIOp>(loc, vectorsPerRow,
                                                    indexConstant(b, loc, 1));
  Value warps = ceilDiv(b, loc, atLeastOne, warp);
  Value rowThreads = minIndex(
      b, loc, b.createOrFold<arith::MulIOp>(loc, warps, warp), kBlockThreads);
  Value rows = b.createOrFold<arith::DivUIOp>(
      loc, indexConstant(b, loc, kBlockThreads), rowThreads);
  return {rowThreads, rows};
}

int64_t gpu_kernels::getVectorWidth(int64_t elementBits, int64_t staticSize) {
  int64_t width = std::max<int64_t>(1, kAccessBits / elementBits);
  if (ShapedType::isDynamic(staticSize))
    return width;
  while (width > 1 && staticSize % width != 0)
    width /= 2;
  return width;
}

void gpu_kernels::emitForVectorWidths(
    OpBuilder &b, Location loc, Value size, int64_t width,
    function_ref<void(OpBuilder &, int64_t)> emit) {
  std::optional<int64_t> staticSize = getConstantIntValue(size);
  if (width == 1 || staticSize) {
    emit(b, width);
    return;
  }
  Value remainder =
      arith::RemUIOp::create(b, loc, size, indexConstant(b, loc, width));
  Value divisible =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, remainder,
                            indexConstant(b, loc, 0));
  auto ifOp = scf::IfOp::create(b, loc, divisible, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&ifOp.getThenRegion().front());
  emit(b, width);
  b.setInsertionPointToStart(&ifOp.getElseRegion().front());
  emit(b, 1);
}

gpu::LaunchOp gpu_kernels::createLaunch(
    OpBuilder &b, Location loc, Value gridX, Value gridY, Value blockX,
    Value blockY, Value dynamicSharedBytes, TypeRange workgroup,
    function_ref<void(OpBuilder &, Location, gpu::LaunchOp)> body,
    Value gridZ) {
  Value one = indexConstant(b, loc, 1);
  auto launch = gpu::LaunchOp::create(b, loc, gridX, gridY,
                                      gridZ ? gridZ : one, blockX,
                                      blockY, one, dynamicSharedBytes,
                                      /*asyncTokenType=*/nullptr,
                                      /*asyncDependencies=*/ValueRange(),
                                      workgroup);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&launch.getBody().front());
  body(b, loc, launch);
  b.setInsertionPointToEnd(&launch.getBody().front());
  gpu::TerminatorOp::create(b, loc);
  return launch;
}

void gpu_kernels::buildStridedLoop(
    OpBuilder &b, Location loc, Value first, Value upper, Value step,
    function_ref<void(OpBuilder &, Location, Value)> body) {
  // scf.for needs first <= upper to run zero times; scf.for with a lower
  // bound above the upper one runs zero times as well.
  scf::ForOp::create(b, loc, first, upper, step, ValueRange(),
                     [&](OpBuilder &nested, Location nestedLoc, Value iv,
                         ValueRange) {
                       body(nested, nestedLoc, iv);
                       scf::YieldOp::create(nested, nestedLoc);
                     });
}

Value gpu_kernels::warpAllReduceSum(OpBuilder &b, Location loc, Value value) {
  for (int32_t offset = kWarpSize / 2; offset >= 1; offset /= 2) {
    auto shuffle = gpu::ShuffleOp::create(b, loc, value, offset, kWarpSize,
                                          gpu::ShuffleMode::XOR);
    value = arith::AddFOp::create(b, loc, value, shuffle.getShuffleResult());
  }
  return value;
}

SmallVector<Value> gpu_kernels::loadLanes(OpBuilder &b, Location loc,
                                          Value memref, ValueRange indices,
                                          int64_t width) {
  auto type = cast<MemRefType>(memref.getType());
  Type element = type.getElementType();
  if (width == 1)
    return {memref::LoadOp::create(b, loc, memref, indices)};
  auto vectorType = VectorType::get({width}, element);
  int64_t bytes = width * element.getIntOrFloatBitWidth() / 8;
  Value vector = vector::LoadOp::create(b, loc, vectorType, memref, indices,
                                        /*nontemporal=*/false,
                                        llvm::MaybeAlign(bytes));
  SmallVector<Value> lanes;
  for (int64_t lane = 0; lane < width; ++lane)
    lanes.push_back(vector::ExtractOp::create(b, loc, vector, lane));
  return lanes;
}

void gpu_kernels::storeLanes(OpBuilder &b, Location loc, ValueRange lanes,
                             Value memref, ValueRange indices) {
  if (lanes.size() == 1) {
    memref::StoreOp::create(b, loc, lanes.front(), memref, indices);
    return;
  }
  Type element = lanes.front().getType();
  auto vectorType =
      VectorType::get({static_cast<int64_t>(lanes.size())}, element);
  Value vector = vector::FromElementsOp::create(b, loc, vectorType, lanes);
  int64_t bytes = lanes.size() * element.getIntOrFloatBitWidth() / 8;
  vector::StoreOp::create(b, loc, vector, memref, indices,
                          /*nontemporal=*/false, llvm::MaybeAlign(bytes));
}

Value gpu_kernels::extendToF32(OpBuilder &b, Location loc, Value value) {
  if (value.getType().isF32())
    return value;
  return arith::ExtFOp::create(b, loc, b.getF32Type(), value);
}

Value gpu_kernels::truncateFromF32(OpBuilder &b, Location loc, Value value,
                                   Type type) {
  if (type == value.getType())
    return value;
  return arith::TruncFOp::create(b, loc, type, value);
}

bool gpu_kernels::hasVectorAlignedRows(MemRefType type, int64_t width) {
  if (width == 1 || type.getLayout().isIdentity())
    return true;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) || strides.empty() ||
      strides.back() != 1)
    return false;
  if (ShapedType::isDynamic(offset) || offset % width != 0)
    return false;
  for (int64_t stride : ArrayRef<int64_t>(strides).drop_back())
    if (ShapedType::isDynamic(stride) || stride % width != 0)
      return false;
  return true;
}

bool gpu_kernels::isSimpleIndexingMap(AffineMap map) {
  return llvm::all_of(map.getResults(), [](AffineExpr expr) {
    return isa<AffineDimExpr, AffineConstantExpr>(expr);
  });
}

SmallVector<Value> gpu_kernels::applySimpleIndexingMap(OpBuilder &b,
                                                       Location loc,
                                                       AffineMap map,
                                                       ValueRange loops) {
  SmallVector<Value> indices;
  for (AffineExpr expr : map.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr))
      indices.push_back(loops[dim.getPosition()]);
    else
      indices.push_back(indexConstant(
          b, loc, cast<AffineConstantExpr>(expr).getValue()));
  }
  return indices;
}

SmallVector<Value> gpu_kernels::inlineGenericBody(OpBuilder &b,
                                                  linalg::GenericOp generic,
                                                  ValueRange blockArgs,
                                                  ValueRange loops) {
  Block &body = generic.getRegion().front();
  IRMapping mapping;
  for (auto [arg, value] : llvm::zip_equal(body.getArguments(), blockArgs))
    if (value) // null: an argument the body does not read
      mapping.map(arg, value);
  for (Operation &op : body.without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(op)) {
      mapping.map(index.getResult(), loops[index.getDim()]);
      continue;
    }
    b.clone(op, mapping);
  }
  SmallVector<Value> results;
  for (Value yielded : body.getTerminator()->getOperands())
    results.push_back(mapping.lookupOrDefault(yielded));
  return results;
}
