//===- NontemporalStores.cpp - Streaming stores of a kernel's results -----===//
//
// A kernel's output is written once and not read back by it: streaming it
// past the caches saves the read-for-ownership of every line. x86 streams
// only aligned vectors, though: LLVM writes an NT store it cannot prove
// 16-byte aligned as 8-byte movnti, which into unaligned rows is slower
// than cached stores. So each store into a returned buffer is
//   - streamed, with its alignment, where that is at least 16 bytes;
//   - streamed under a run-time check where only dynamic strides stand in
//     the way: the loop nest holding it is versioned on the strides being
//     multiples of a 64-byte line (rows of ?x4096 f32 stream, rows of
//     ?x4001 take the cached copy);
//   - streamed without an alignment where the buffer's own alignment is
//     unknown (a function argument, an allocation without `alignment`);
//   - left cached otherwise, where 16 bytes cannot be proven (rows of a
//     static odd width such as 4001 f32).
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/NontemporalStores.h"

#include "dyt/Codegen/Alignment.h"
#include "dyt/Codegen/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;

namespace {

/// The least alignment at which x86 streams a vector (movntps of 16 bytes).
constexpr uint64_t kMinStreamingAlignment = 16;

/// An op of the function body to version: the allocations whose strides
/// the check is on, and the stores that stream in the checked copy, with
/// the alignment they have there.
struct CheckedStreams {
  llvm::SetVector<memref::AllocOp> roots;
  SmallVector<std::pair<vector::StoreOp, uint64_t>> stores;
};

/// The buffer a memref value views, through subviews, casts and the like.
Value viewRoot(Value memref) {
  while (auto view = memref.getDefiningOp<ViewLikeOpInterface>())
    memref = view.getViewSource();
  return memref;
}

/// Whether every stride that is dynamic in `to` is dynamic in `from` too: a
/// cast may forget a static stride (4001 becoming `?`), which a check of the
/// allocation's dynamic strides would then not cover.
bool keepsStaticStrides(MemRefType from, MemRefType to) {
  SmallVector<int64_t> fromStrides, toStrides;
  int64_t offset;
  if (failed(from.getStridesAndOffset(fromStrides, offset)) ||
      failed(to.getStridesAndOffset(toStrides, offset)) ||
      fromStrides.size() != toStrides.size())
    return false;
  for (auto [f, t] : llvm::zip(fromStrides, toStrides))
    if (ShapedType::isDynamic(t) && !ShapedType::isDynamic(f))
      return false;
  return true;
}

/// The identity-layout allocation `memref` views, if the views in between
/// only select and collapse (subviews with static strides, casts that keep
/// static strides static, collapse_shape): then each dynamic stride of
/// `memref` is one of the allocation's dynamic strides times a constant,
/// and a check of the allocation's strides covers it.
memref::AllocOp stridePreservingRoot(Value memref) {
  while (Operation *def = memref.getDefiningOp()) {
    if (auto subview = dyn_cast<memref::SubViewOp>(def)) {
      if (llvm::any_of(subview.getStaticStrides(), ShapedType::isDynamic))
        return {};
      memref = subview.getSource();
    } else if (auto cast = dyn_cast<memref::CastOp>(def)) {
      auto from = dyn_cast<MemRefType>(cast.getSource().getType());
      auto to = dyn_cast<MemRefType>(cast.getType());
      if (!from || !to || !keepsStaticStrides(from, to))
        return {};
      memref = cast.getSource();
    } else if (isa<memref::CollapseShapeOp>(def)) {
      // A collapsed dim's stride is its group's innermost source stride.
      memref = def->getOperand(0);
    } else {
      auto alloc = dyn_cast<memref::AllocOp>(def);
      if (alloc && alloc.getType().getLayout().isIdentity())
        return alloc;
      return {};
    }
  }
  return {};
}

bool hasStaticStrides(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset)) &&
         llvm::none_of(strides, ShapedType::isDynamic);
}

/// Elements per 64-byte line: the multiple the run-time check asks of the
/// dynamic strides, so that every row starts on a line.
uint64_t elementsPerLine(MemRefType type) {
  return std::max<int64_t>(1,
                           dyt::kCacheLineBytes / dyt::getElementBytes(type));
}

void setStreaming(vector::StoreOp store, uint64_t alignment) {
  store.setNontemporal(true);
  if (alignment > uint64_t(dyt::getElementBytes(store.getMemRefType())))
    store.setAlignment(alignment);
}

/// The run-time condition under which checked stores into `roots` have
/// their alignment: every dynamic stride of each root is a multiple of a
/// line.
Value buildStrideCheck(OpBuilder &builder, Location loc,
                       ArrayRef<memref::AllocOp> roots) {
  Value all = arith::ConstantIntOp::create(builder, loc, 1, 1);
  for (memref::AllocOp root : roots) {
    MemRefType type = root.getType();
    SmallVector<int64_t> strides;
    int64_t offset;
    (void)type.getStridesAndOffset(strides, offset);
    auto metadata =
        memref::ExtractStridedMetadataOp::create(builder, loc, root);
    Value line = arith::ConstantIndexOp::create(
        builder, loc, int64_t(elementsPerLine(type)));
    Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
    for (auto [stride, value] : llvm::zip(strides, metadata.getStrides())) {
      if (!ShapedType::isDynamic(stride))
        continue;
      Value rem = arith::RemUIOp::create(builder, loc, value, line);
      Value ok = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::eq,
                                       rem, zero);
      all = arith::AndIOp::create(builder, loc, all, ok);
    }
  }
  return all;
}

/// Replaces `op` by `scf.if cond { clone of op, its checked stores
/// streaming } else { op }`.
void versionOnStrides(Operation *op, const CheckedStreams &streams) {
  OpBuilder builder(op);
  Location loc = op->getLoc();
  Value cond = buildStrideCheck(builder, loc, streams.roots.getArrayRef());
  auto ifOp = scf::IfOp::create(builder, loc, op->getResultTypes(), cond,
                                /*withElseRegion=*/true);
  for (auto [result, replacement] :
       llvm::zip(op->getResults(), ifOp.getResults()))
    result.replaceAllUsesWith(replacement);
  Block *thenBlock = ifOp.thenBlock(), *elseBlock = ifOp.elseBlock();
  builder.setInsertionPointToStart(thenBlock);
  IRMapping mapping;
  Operation *checked = builder.clone(*op, mapping);
  op->moveBefore(elseBlock, elseBlock->begin());
  // scf.if has built yields only if it has no results.
  if (op->getNumResults()) {
    builder.setInsertionPointToEnd(thenBlock);
    scf::YieldOp::create(builder, loc, checked->getResults());
    builder.setInsertionPointToEnd(elseBlock);
    scf::YieldOp::create(builder, loc, op->getResults());
  }

  for (auto [store, alignment] : streams.stores)
    setStreaming(cast<vector::StoreOp>(mapping.lookup(store.getOperation())),
                 alignment);
}

} // namespace

void mlir::dyt::markResultStoresNontemporal(FunctionOpInterface func) {
  llvm::SmallPtrSet<Value, 4> results, read;
  func.walk([&](Operation *op) {
    if (op->hasTrait<OpTrait::ReturnLike>() && op->getParentOp() == func)
      for (Value value : op->getOperands())
        if (isa<MemRefType>(value.getType()))
          results.insert(viewRoot(value));
    // Anything that reads memory through a memref operand counts as a read
    // of that buffer (loads, masked loads, copies, calls).
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    for (Value operand : op->getOperands()) {
      if (!isa<MemRefType>(operand.getType()))
        continue;
      if (!effects || effects.getEffectOnValue<MemoryEffects::Read>(operand))
        read.insert(viewRoot(operand));
    }
  });
  // The ops of the function's body that hold stores to stream under the
  // check, with the buffers the check is on.
  llvm::MapVector<Operation *, CheckedStreams> toVersion;
  Block &body = func.getFunctionBody().front();
  func.walk([&](vector::StoreOp store) {
    Value root = viewRoot(store.getBase());
    if (!results.contains(root) || read.contains(root))
      return;
    Value base = store.getBase();
    uint64_t alignment = dyt::inferAccessAlignment(base, store.getIndices(),
                                                   dyt::kCacheLineBytes);
    if (alignment >= kMinStreamingAlignment)
      return setStreaming(store, alignment);
    // Nothing known of the buffer's own alignment (a function argument):
    // LLVM's movnti into it is as good a guess as any.
    if (dyt::inferBaseAlignment(base) < kMinStreamingAlignment)
      return setStreaming(store, alignment);
    // Known base and static strides: no check at run time can help; the
    // offsets and indices are not provably aligned (rows of 4001 f32).
    if (hasStaticStrides(store.getMemRefType()))
      return;
    memref::AllocOp alloc = stridePreservingRoot(base);
    Operation *top = body.findAncestorOpInBlock(*store);
    // An allocation without dynamic strides would make the check `true`;
    // the check reads the allocation's strides before `top`.
    if (!alloc || hasStaticStrides(alloc.getType()) || !top || top == store ||
        alloc->getBlock() != &body || !alloc->isBeforeInBlock(top))
      return;
    uint64_t checked = dyt::inferAccessAlignment(
        base, store.getIndices(), dyt::kCacheLineBytes,
        elementsPerLine(alloc.getType()));
    if (checked < kMinStreamingAlignment)
      return;
    CheckedStreams &streams = toVersion[top];
    streams.roots.insert(alloc);
    streams.stores.emplace_back(store, checked);
  });
  for (auto &[op, streams] : toVersion)
    versionOnStrides(op, streams);
}
