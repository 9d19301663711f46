//===- NormKernels.cpp - dyt-gpu-outline-norms, dyt-gpu-norm-kernels -------===//
//
// dyt.layer_norm / dyt.rms_norm -> one row-wise gpu.launch each, in two
// steps around bufferization:
//
//   dyt-gpu-outline-norms (tensors):
//     %x_buf = bufferization.to_buffer %x read_only     (and gamma, beta)
//     %y_buf = memref.alloc(...)
//     func.call @__dyt_gpu_layer_norm_0(%x_buf, %g_buf, %b_buf, %y_buf)
//     %y     = bufferization.to_tensor %y_buf restrict writable
//   dyt-gpu-norm-kernels (buffers): each such call -> the kernel.
//
// The kernel cannot be formed on tensors: ownership-based deallocation
// walks into gpu.launch bodies and rewrites their memref block arguments
// (the shared-memory attributions). A call to a bodiless declaration is
// opaque to bufferization and deallocation alike and keeps the norm's
// operands, its kind and its epsilon until the buffers are final.
//
// Rows are reduced by whole warps (shuffles) and the warps of a row through
// shared memory; a row read once from global memory is kept in dynamic
// shared memory for the passes after the first (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Gpu/Passes.h"

#include "KernelBuilder.h"
#include "dyt/Dialect/Dyt/IR/DytOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTGPUOUTLINENORMSPASS
#define GEN_PASS_DEF_DYTGPUNORMKERNELSPASS
#include "dyt/Codegen/Gpu/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;
using namespace mlir::dyt;
using namespace mlir::dyt::gpu_kernels;

namespace {

/// One f32 partial sum per warp of a block.
constexpr int64_t kPartialsBytes = kBlockThreads / kWarpSize * 4;

/// The attribute that marks a norm's declaration and names its kind.
constexpr StringLiteral kNormKernelAttr = "dyt.gpu_norm_kernel";
constexpr StringLiteral kEpsilonAttr = "dyt.epsilon";

/// What distinguishes the two norms.
struct NormDesc {
  bool subtractMean; // LayerNorm
  float epsilon;
};

Value f32Constant(OpBuilder &b, Location loc, float value) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
}

/// A read-only identity-layout buffer of a tensor.
Value toBuffer(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  auto memrefType = MemRefType::get(type.getShape(), type.getElementType());
  return bufferization::ToBufferOp::create(b, loc, memrefType, tensor,
                                           /*read_only=*/true);
}

/// `buffer` (identity layout) viewed as [rows, C]: leading dims collapsed,
/// a rank-1 buffer as one row.
Value viewAsRows(OpBuilder &b, Location loc, Value buffer) {
  auto type = cast<MemRefType>(buffer.getType());
  int64_t rank = type.getRank();
  if (rank == 2)
    return buffer;
  if (rank == 1) {
    OpFoldResult size = memref::getMixedSize(b, loc, buffer, 0);
    return memref::ExpandShapeOp::create(
        b, loc, ArrayRef<int64_t>{1, type.getDimSize(0)}, buffer,
        ArrayRef<ReassociationIndices>{{0, 1}},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), size});
  }
  ReassociationIndices leading;
  for (int64_t d = 0; d + 1 < rank; ++d)
    leading.push_back(d);
  return memref::CollapseShapeOp::create(
      b, loc, buffer,
      ArrayRef<ReassociationIndices>{leading, {rank - 1}});
}

/// The row's partial `value` (one per thread) summed over the row's warps:
/// shuffles within each warp, then the warps' sums through `partials`
/// (one f32 slot per warp of the block). Every thread of the row gets the
/// total. Barriers are reached by every thread of the block.
Value reduceAcrossRow(OpBuilder &b, Location loc, Value value,
                      Value partials, Value tx, Value ty, Value rowThreads) {
  Value warp = indexConstant(b, loc, kWarpSize);
  Value zero = indexConstant(b, loc, 0);
  Value one = indexConstant(b, loc, 1);
  Value warpSum = warpAllReduceSum(b, loc, value);
  Value warpsPerRow = arith::DivUIOp::create(b, loc, rowThreads, warp);
  Value rowFirstSlot = arith::MulIOp::create(b, loc, ty, warpsPerRow);
  Value slot = arith::AddIOp::create(
      b, loc, rowFirstSlot, arith::DivUIOp::create(b, loc, tx, warp));
  Value lane = arith::RemUIOp::create(b, loc, tx, warp);
  Value isLeader = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                         lane, zero);
  auto ifLeader = scf::IfOp::create(b, loc, isLeader);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&ifLeader.getThenRegion().front());
    memref::StoreOp::create(b, loc, warpSum, partials, slot);
  }
  gpu::BarrierOp::create(b, loc);
  auto sum = scf::ForOp::create(
      b, loc, zero, warpsPerRow, one, ValueRange{f32Constant(b, loc, 0)},
      [&](OpBuilder &nb, Location nloc, Value k, ValueRange acc) {
        Value index = arith::AddIOp::create(nb, nloc, rowFirstSlot, k);
        Value part = memref::LoadOp::create(nb, nloc, partials, index);
        scf::YieldOp::create(nb, nloc,
                             ValueRange{arith::AddFOp::create(
                                 nb, nloc, acc.front(), part)});
      });
  // The slots are written again by the next reduction.
  gpu::BarrierOp::create(b, loc);
  return sum.getResult(0);
}

/// In a row's thread: `sum over v = tx, tx + rowThreads, ... < vectors` of
/// term(lanes of vector v), or 0 for a thread past the last row.
Value sumOverRow(OpBuilder &b, Location loc, Value active, Value tx,
                 Value rowThreads, Value vectors,
                 function_ref<Value(OpBuilder &, Location, Value, Value)>
                     term) {
  auto ifActive = scf::IfOp::create(b, loc, b.getF32Type(), active,
                                    /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&ifActive.getThenRegion().front());
  auto loop = scf::ForOp::create(
      b, loc, tx, vectors, rowThreads, ValueRange{f32Constant(b, loc, 0)},
      [&](OpBuilder &nb, Location nloc, Value v, ValueRange acc) {
        scf::YieldOp::create(nb, nloc, ValueRange{term(nb, nloc, v,
                                                       acc.front())});
      });
  scf::YieldOp::create(b, loc, loop.getResults());
  b.setInsertionPointToStart(&ifActive.getElseRegion().front());
  scf::YieldOp::create(b, loc, ValueRange{f32Constant(b, loc, 0)});
  return ifActive.getResult(0);
}

/// Emits the launch for one vector `width` and caching choice.
/// The host values a norm's launch is built from, computed once for both
/// the cached and the uncached kernel: a row of `vectors` vector-wide work
/// items, the block shape, and the dynamic shared memory (the partial sums,
/// then the block's rows) the cached kernel takes.
struct NormGeometry {
  Value rows, channels, vectors;
  RowBlockShape shape;
  Value cacheBytes;
};

void emitNormLaunch(OpBuilder &b, Location loc, const NormDesc &norm,
                    Value x, Value gamma, Value beta, Value y,
                    const NormGeometry &geometry, int64_t width,
                    bool cacheRows) {
  Type elementType = cast<MemRefType>(x.getType()).getElementType();
  Value rows = geometry.rows, channels = geometry.channels;
  Value vectors = geometry.vectors;
  const RowBlockShape &shape = geometry.shape;
  Value rowGroups = ceilDiv(b, loc, rows, shape.rowsPerBlock);
  // At least one block (an empty input launches a block with no active
  // row), at most 65536: rows are strided over the grid.
  Value grid = arith::MaxUIOp::create(b, loc, minIndex(b, loc, rowGroups, 65536),
                                      indexConstant(b, loc, 1));
  auto workgroup = gpu::AddressSpaceAttr::get(b.getContext(),
                                              gpu::AddressSpace::Workgroup);
  auto partialsType = MemRefType::get({kBlockThreads / kWarpSize},
                                      b.getF32Type(), nullptr, workgroup);
  // With the row cache, the partial sums live at the start of the dynamic
  // shared memory and the rows after them: MLIR 22 lowers
  // gpu.dynamic_shared_memory to a zero-sized *static* .shared variable,
  // which ptxas places before any other static one, so a separate
  // attribution would overlap the cache.
  Value dynamicBytes;
  if (cacheRows)
    dynamicBytes = arith::IndexCastOp::create(b, loc, b.getI32Type(),
                                              geometry.cacheBytes);
  float epsilon = norm.epsilon;
  bool subtractMean = norm.subtractMean;

  createLaunch(
      b, loc, grid, indexConstant(b, loc, 1), shape.rowThreads,
      shape.rowsPerBlock, dynamicBytes,
      cacheRows ? TypeRange() : TypeRange{partialsType},
      [&](OpBuilder &b, Location loc, gpu::LaunchOp launch) {
        Value tx = launch.getThreadIds().x, ty = launch.getThreadIds().y;
        Value rowThreads = launch.getBlockSize().x;
        // The width as a kernel constant (not a kernel argument).
        Value kernelWidth = indexConstant(b, loc, width);
        Value rowsPerBlock = launch.getBlockSize().y;
        Value partials, cache;
        if (cacheRows) {
          auto bytesType = MemRefType::get({ShapedType::kDynamic},
                                           b.getI8Type(), nullptr, workgroup);
          Value raw = gpu::DynamicSharedMemoryOp::create(b, loc, bytesType);
          partials = memref::ViewOp::create(b, loc, partialsType, raw,
                                            indexConstant(b, loc, 0),
                                            ValueRange());
          auto cacheType =
              MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic},
                              elementType, nullptr, workgroup);
          // 32 bytes in: the rows stay 16-byte aligned.
          cache = memref::ViewOp::create(
              b, loc, cacheType, raw, indexConstant(b, loc, kPartialsBytes),
              ValueRange{rowsPerBlock, channels});
        } else {
          partials = launch.getWorkgroupAttributions().front();
        }
        Value groups = ceilDiv(b, loc, rows, rowsPerBlock);
        Value channelsF32 = arith::UIToFPOp::create(
            b, loc, b.getF32Type(),
            arith::IndexCastUIOp::create(b, loc, b.getI64Type(), channels));
        buildStridedLoop(
            b, loc, launch.getBlockIds().x, groups, launch.getGridSize().x,
            [&](OpBuilder &b, Location loc, Value group) {
              Value row = arith::AddIOp::create(
                  b, loc, arith::MulIOp::create(b, loc, group, rowsPerBlock),
                  ty);
              Value active = arith::CmpIOp::create(
                  b, loc, arith::CmpIPredicate::ult, row, rows);
              auto column = [&](OpBuilder &b, Location loc, Value v) {
                return arith::MulIOp::create(b, loc, v, kernelWidth);
              };
              // Where the later passes read the row from.
              auto loadRow = [&](OpBuilder &b, Location loc, Value v) {
                Value c = column(b, loc, v);
                SmallVector<Value> lanes =
                    cache ? loadLanes(b, loc, cache, {ty, c}, width)
                          : loadLanes(b, loc, x, {row, c}, width);
                for (Value &lane : lanes)
                  lane = extendToF32(b, loc, lane);
                return lanes;
              };

              // Pass 1 (from global memory): sum (LayerNorm) or sum of
              // squares (RMSNorm), keeping the row on chip.
              Value first = sumOverRow(
                  b, loc, active, tx, rowThreads, vectors,
                  [&](OpBuilder &b, Location loc, Value v, Value acc) {
                    Value c = column(b, loc, v);
                    SmallVector<Value> lanes =
                        loadLanes(b, loc, x, {row, c}, width);
                    if (cache)
                      storeLanes(b, loc, lanes, cache, {ty, c});
                    for (Value lane : lanes) {
                      Value f = extendToF32(b, loc, lane);
                      Value t = subtractMean
                                    ? f
                                    : arith::MulFOp::create(b, loc, f, f);
                      acc = arith::AddFOp::create(b, loc, acc, t);
                    }
                    return acc;
                  });
              Value total = reduceAcrossRow(b, loc, first, partials, tx, ty,
                                            rowThreads);
              Value mean, meanSquare;
              if (subtractMean) {
                mean = arith::DivFOp::create(b, loc, total, channelsF32);
                // Pass 2: the biased variance around the mean (two-pass
                // form: no cancellation as in E[x^2] - E[x]^2).
                Value deviations = sumOverRow(
                    b, loc, active, tx, rowThreads, vectors,
                    [&](OpBuilder &b, Location loc, Value v, Value acc) {
                      for (Value f : loadRow(b, loc, v)) {
                        Value d = arith::SubFOp::create(b, loc, f, mean);
                        acc = arith::AddFOp::create(
                            b, loc, acc, arith::MulFOp::create(b, loc, d, d));
                      }
                      return acc;
                    });
                meanSquare = arith::DivFOp::create(
                    b, loc,
                    reduceAcrossRow(b, loc, deviations, partials, tx, ty,
                                    rowThreads),
                    channelsF32);
              } else {
                meanSquare = arith::DivFOp::create(b, loc, total, channelsF32);
              }
              Value rstd = math::RsqrtOp::create(
                  b, loc,
                  arith::AddFOp::create(b, loc, meanSquare,
                                        f32Constant(b, loc, epsilon)));

              // Last pass: normalise and store, one vector at a time.
              auto ifActive = scf::IfOp::create(b, loc, active);
              OpBuilder::InsertionGuard guard(b);
              b.setInsertionPointToStart(&ifActive.getThenRegion().front());
              buildStridedLoop(
                  b, loc, tx, vectors, rowThreads,
                  [&](OpBuilder &b, Location loc, Value v) {
                    Value c = column(b, loc, v);
                    SmallVector<Value> xs = loadRow(b, loc, v);
                    SmallVector<Value> gs = loadLanes(b, loc, gamma, {c}, width);
                    SmallVector<Value> bs;
                    if (beta)
                      bs = loadLanes(b, loc, beta, {c}, width);
                    SmallVector<Value> ys;
                    for (int64_t lane = 0; lane < width; ++lane) {
                      Value centred =
                          subtractMean
                              ? arith::SubFOp::create(b, loc, xs[lane], mean)
                                    .getResult()
                              : xs[lane];
                      Value scaled = arith::MulFOp::create(
                          b, loc,
                          arith::MulFOp::create(b, loc, centred, rstd),
                          extendToF32(b, loc, gs[lane]));
                      if (beta)
                        scaled = arith::AddFOp::create(
                            b, loc, scaled, extendToF32(b, loc, bs[lane]));
                      ys.push_back(
                          truncateFromF32(b, loc, scaled, elementType));
                    }
                    storeLanes(b, loc, ys, y, {row, c});
                  });
            });
      });
}

/// Emits the kernels of a norm on buffers `x` (input), `gamma`, `beta`
/// (LayerNorm only), `y` (result, the input's shape) before the builder's
/// insertion point.
void emitNormKernels(OpBuilder &b, Location loc, const NormDesc &norm,
                     Value xBuffer, Value gamma, Value beta, Value yBuffer,
                     int64_t maxRowCacheBytes) {
  auto type = cast<MemRefType>(xBuffer.getType());
  Type elementType = type.getElementType();
  int64_t elementBytes = elementType.getIntOrFloatBitWidth() / 8;
  Value x = viewAsRows(b, loc, xBuffer);
  Value y = viewAsRows(b, loc, yBuffer);
  NormGeometry geometry;
  geometry.rows = b.createOrFold<memref::DimOp>(loc, x, 0);
  geometry.channels = b.createOrFold<memref::DimOp>(loc, x, 1);
  Value channels = geometry.channels;
  int64_t maxWidth =
      getVectorWidth(elementType.getIntOrFloatBitWidth(), type.getShape().back());

  emitForVectorWidths(b, loc, channels, maxWidth, [&](OpBuilder &b,
                                                      int64_t width) {
    // Cache the rows when a block's rows fit (checked on the host when C
    // is dynamic; a 256-wide block holds 256 / rowThreads rows).
    geometry.vectors = b.createOrFold<arith::DivUIOp>(
        loc, channels, indexConstant(b, loc, width));
    geometry.shape = getRowBlockShape(b, loc, geometry.vectors);
    geometry.cacheBytes = b.createOrFold<arith::AddIOp>(
        loc,
        b.createOrFold<arith::MulIOp>(
            loc,
            b.createOrFold<arith::MulIOp>(loc, geometry.shape.rowsPerBlock,
                                          channels),
            indexConstant(b, loc, elementBytes)),
        indexConstant(b, loc, kPartialsBytes));
    Value fits = b.createOrFold<arith::CmpIOp>(
        loc, arith::CmpIPredicate::ule, geometry.cacheBytes,
        indexConstant(b, loc, maxRowCacheBytes));
    if (std::optional<int64_t> known = getConstantIntValue(fits)) {
      emitNormLaunch(b, loc, norm, x, gamma, beta, y, geometry, width,
                     *known != 0);
      return;
    }
    auto ifFits = scf::IfOp::create(b, loc, fits, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&ifFits.getThenRegion().front());
    emitNormLaunch(b, loc, norm, x, gamma, beta, y, geometry, width, true);
    b.setInsertionPointToStart(&ifFits.getElseRegion().front());
    emitNormLaunch(b, loc, norm, x, gamma, beta, y, geometry, width, false);
  });
}

/// Replaces the norm `op` (with tensor operands `operands`: input, gamma
/// [, beta]) by buffers and a call to a fresh declaration of its kind.
void outlineNorm(RewriterBase &rewriter, Operation *op, StringRef kind,
                 ValueRange operands, float epsilon, SymbolTable &symbols) {
  Location loc = op->getLoc();
  OpBuilder &b = rewriter;
  auto type = cast<RankedTensorType>(operands.front().getType());
  SmallVector<Value> buffers;
  for (Value operand : operands)
    buffers.push_back(toBuffer(b, loc, operand));
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dynamicSizes.push_back(memref::DimOp::create(b, loc, buffers.front(), d));
  auto resultType = MemRefType::get(type.getShape(), type.getElementType());
  Value result = memref::AllocOp::create(b, loc, resultType, dynamicSizes);
  buffers.push_back(result);

  auto module = op->getParentOfType<ModuleOp>();
  OpBuilder moduleBuilder = OpBuilder::atBlockBegin(module.getBody());
  auto declaration = func::FuncOp::create(
      moduleBuilder, loc, ("__dyt_gpu_" + kind).str(),
      b.getFunctionType(ValueRange(buffers).getTypes(), {}));
  declaration.setPrivate();
  declaration->setAttr(kNormKernelAttr, b.getStringAttr(kind));
  symbols.insert(declaration); // renames on collision: _0, _1, ...
  auto call = func::CallOp::create(b, loc, declaration, buffers);
  call->setAttr(kEpsilonAttr, b.getF32FloatAttr(epsilon));
  Value tensor = bufferization::ToTensorOp::create(
      b, loc, type, result, /*restrict=*/true, /*writable=*/true);
  rewriter.replaceOp(op, tensor);
}

struct DytGpuOutlineNormsPass
    : dyt::impl::DytGpuOutlineNormsPassBase<DytGpuOutlineNormsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<Operation *> norms;
    module.walk([&](Operation *op) {
      if (isa<LayerNormOp, RMSNormOp>(op))
        norms.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : norms) {
      rewriter.setInsertionPoint(op);
      if (auto ln = dyn_cast<LayerNormOp>(op))
        outlineNorm(rewriter, op, "layer_norm",
                    {ln.getInput(), ln.getGamma(), ln.getBeta()},
                    ln.getEpsilon().convertToFloat(), symbols);
      else if (auto rms = dyn_cast<RMSNormOp>(op))
        outlineNorm(rewriter, op, "rms_norm", {rms.getInput(), rms.getGamma()},
                    rms.getEpsilon().convertToFloat(), symbols);
    }
  }
};

struct DytGpuNormKernelsPass
    : dyt::impl::DytGpuNormKernelsPassBase<DytGpuNormKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> declarations;
    for (auto func : module.getOps<func::FuncOp>())
      if (func->hasAttr(kNormKernelAttr))
        declarations.push_back(func);
    IRRewriter rewriter(&getContext());
    bool failedAny = false;
    for (func::FuncOp declaration : declarations) {
      StringRef kind =
          declaration->getAttrOfType<StringAttr>(kNormKernelAttr).getValue();
      std::optional<SymbolTable::UseRange> uses =
          declaration.getSymbolUses(module);
      for (const SymbolTable::SymbolUse &use : *uses) {
        auto call = dyn_cast<func::CallOp>(use.getUser());
        auto epsilon =
            call ? call->getAttrOfType<FloatAttr>(kEpsilonAttr) : FloatAttr();
        bool layerNorm = kind == "layer_norm";
        unsigned operands = layerNorm ? 4 : 3;
        if (!call || !epsilon || call.getNumOperands() != operands ||
            (kind != "layer_norm" && kind != "rms_norm")) {
          use.getUser()->emitOpError("is not a call from dyt-gpu-outline-norms");
          failedAny = true;
          continue;
        }
        rewriter.setInsertionPoint(call);
        NormDesc norm{layerNorm, static_cast<float>(epsilon.getValueAsDouble())};
        emitNormKernels(rewriter, call.getLoc(), norm, call.getOperand(0),
                        call.getOperand(1),
                        layerNorm ? call.getOperand(2) : Value(),
                        call.getOperands().back(), maxRowCacheBytes);
        rewriter.eraseOp(call);
      }
      if (declaration.symbolKnownUseEmpty(module))
        rewriter.eraseOp(declaration);
    }
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
