//===- Prefetch.cpp - dyt-cpu-prefetch ------------------------------------===//
//
// Software prefetches `distance` bytes ahead of the vector loads that stream
// through memory.
//
// Why: one core keeps only so many cache misses in flight, and the hardware
// prefetchers follow the demand loads. A loop that does arithmetic between
// its loads (DyT's tanh: ~20 vector instructions per vector) issues them
// later, and reads memory at well below the rate of a copy. Measured on an
// AVX-512 Xeon with a C loop of the same instructions over 128 MiB: DyT
// 0.70 ns per element without prefetches, 0.53-0.55 with them 4-8 KiB ahead,
// a memcpy 0.62.
//
// Which loads: 1-D vector loads (plain or masked) from an identity-layout
// memref, in an scf.for whose induction variable moves the last index, and
// whose address depends on every loop around it. A load that some enclosing
// loop does not move (DyT's gamma, the same row for every row) reads data
// already in cache. A loop with a contraction in it (vector.contract,
// vector.outerproduct, vector.fma) is bound by its FMAs and is left alone.
// When later loops of the same iteration read the same row again (a norm's
// second and third passes over it), only the first one prefetches.
//
// The address: the load's element `distance` bytes further on in the
// buffer's flat (row-major) order, so that the end of one row prefetches the
// start of the next, clamped to the buffer's last element so that no
// prefetch leaves the buffer. One prefetch per cache line the load covers.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/LoopLikeInterface.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTCPUPREFETCHPASS
#include "dyt/Codegen/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

/// The line size of the caches the prefetches fill (x86, and most Arm
/// cores; on a core with 128-byte lines every other prefetch is redundant).
constexpr int64_t kCacheLineBytes = 64;

/// Whether `value` can differ between iterations of `loop`: it is one of
/// the loop's block arguments (induction variables, loop-carried values), or
/// is computed from one inside the loop (through op results, and through the
/// block arguments of nested regions, whose values come from their op's
/// operands: a nested loop's induction variable moves with `loop` only if
/// its bounds do).
bool dependsOn(Value value, Operation *loop) {
  SmallVector<Value> worklist{value};
  llvm::SmallPtrSet<void *, 16> seen;
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    if (!seen.insert(v.getAsOpaquePointer()).second)
      continue;
    Operation *owner = isa<BlockArgument>(v)
                           ? v.getParentRegion()->getParentOp()
                           : v.getDefiningOp();
    if (owner == loop && isa<BlockArgument>(v))
      return true;
    // Defined outside the loop (or a function argument): loop invariant.
    if (!owner || !loop->isProperAncestor(owner))
      continue;
    llvm::append_range(worklist, owner->getOperands());
  }
  return false;
}

/// Whether `loop`'s body contains the arithmetic of a contraction, at one of
/// the stages of its lowering.
bool hasContraction(Operation *loop) {
  return loop
      ->walk([](Operation *op) {
        return isa<vector::ContractionOp, vector::OuterProductOp,
                   vector::FMAOp>(op)
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}

/// A vector load that streams through its buffer, and the loop it streams in.
struct Stream {
  Operation *load;
  Value base;
  SmallVector<Value> indices;
  VectorType type;
  scf::ForOp loop;
};

std::optional<Stream> asStream(Operation *op) {
  Stream stream;
  stream.load = op;
  if (auto load = dyn_cast<vector::LoadOp>(op)) {
    stream.base = load.getBase();
    stream.indices = llvm::to_vector(load.getIndices());
    stream.type = load.getVectorType();
  } else if (auto load = dyn_cast<vector::MaskedLoadOp>(op)) {
    stream.base = load.getBase();
    stream.indices = llvm::to_vector(load.getIndices());
    stream.type = load.getVectorType();
  } else {
    return std::nullopt;
  }
  auto memrefType = cast<MemRefType>(stream.base.getType());
  if (memrefType.getRank() == 0 || !memrefType.getLayout().isIdentity() ||
      stream.type.getRank() != 1 ||
      !memrefType.getElementType().isIntOrFloat())
    return std::nullopt;
  auto innermost = op->getParentOfType<LoopLikeOpInterface>();
  stream.loop = dyn_cast_or_null<scf::ForOp>(innermost.getOperation());
  if (!stream.loop || hasContraction(stream.loop))
    return std::nullopt;
  if (!dependsOn(stream.indices.back(), stream.loop))
    return std::nullopt;
  // Every enclosing loop must move the address; otherwise an outer loop
  // rereads the same data, which the first iteration left in cache.
  for (Operation *loop = stream.loop; loop;
       loop = loop->getParentOfType<LoopLikeOpInterface>()) {
    auto moves = [&](Value v) { return dependsOn(v, loop); };
    if (!moves(stream.base) && llvm::none_of(stream.indices, moves))
      return std::nullopt;
  }
  return stream;
}

/// Index arithmetic on values that may be constants: folded when both are,
/// one arith op otherwise.
struct IndexBuilder {
  OpBuilder &b;
  Location loc;

  Value value(OpFoldResult v) {
    return getValueOrCreateConstantIndexOp(b, loc, v);
  }
  OpFoldResult add(OpFoldResult x, OpFoldResult y) {
    std::optional<int64_t> cx = getConstantIntValue(x),
                           cy = getConstantIntValue(y);
    if (cx && cy)
      return b.getIndexAttr(*cx + *cy);
    if (cy && *cy == 0)
      return x;
    return arith::AddIOp::create(b, loc, value(x), value(y)).getResult();
  }
  OpFoldResult mul(OpFoldResult x, OpFoldResult y) {
    std::optional<int64_t> cx = getConstantIntValue(x),
                           cy = getConstantIntValue(y);
    if (cx && cy)
      return b.getIndexAttr(*cx * *cy);
    if (cx && *cx == 1)
      return y;
    if (cy && *cy == 1)
      return x;
    return arith::MulIOp::create(b, loc, value(x), value(y)).getResult();
  }
};

/// The flat (1-D, row-major) view of an identity-layout buffer and the index
/// of its last element, created once per buffer where it is defined.
struct FlatView {
  Value memref;
  Value lastIndex;
  SmallVector<OpFoldResult> sizes;
};

FlatView createFlatView(Value base) {
  OpBuilder b(base.getContext());
  b.setInsertionPointAfterValue(base);
  IndexBuilder ib{b, base.getLoc()};
  FlatView view;
  view.sizes = memref::getMixedSizes(b, ib.loc, base);
  OpFoldResult total = b.getIndexAttr(1);
  for (OpFoldResult size : view.sizes)
    total = ib.mul(total, size);
  view.lastIndex = ib.value(ib.add(total, b.getIndexAttr(-1)));
  view.memref = base;
  if (int64_t rank = view.sizes.size(); rank > 1) {
    ReassociationIndices all = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    view.memref = memref::CollapseShapeOp::create(b, ib.loc, base, {all});
  }
  return view;
}

void prefetchAhead(const Stream &stream, const FlatView &view,
                   int64_t distanceBytes) {
  OpBuilder b(stream.load);
  IndexBuilder ib{b, stream.load->getLoc()};
  OpFoldResult linear = stream.indices.front();
  for (auto [index, size] : llvm::zip(ArrayRef(stream.indices).drop_front(),
                                      ArrayRef(view.sizes).drop_front()))
    linear = ib.add(ib.mul(linear, size), index);
  int64_t elementBytes =
      std::max<int64_t>(1, stream.type.getElementTypeBitWidth() / 8);
  int64_t loadBytes = stream.type.getNumElements() * elementBytes;
  for (int64_t offset = 0; offset < loadBytes; offset += kCacheLineBytes) {
    Value ahead = ib.value(ib.add(
        linear, b.getIndexAttr((distanceBytes + offset) / elementBytes)));
    Value clamped = arith::MinSIOp::create(b, ib.loc, ahead, view.lastIndex);
    memref::PrefetchOp::create(b, ib.loc, view.memref, clamped,
                               /*isWrite=*/false, /*localityHint=*/3,
                               /*isDataCache=*/true);
  }
}

struct DytCpuPrefetchPass
    : dyt::impl::DytCpuPrefetchPassBase<DytCpuPrefetchPass> {
  using Base::Base;

  void runOnOperation() override {
    if (distance == 0)
      return;
    SmallVector<Stream> streams;
    getOperation()->walk([&](Operation *op) {
      if (std::optional<Stream> stream = asStream(op))
        streams.push_back(std::move(*stream));
    });
    // The loop that first reads each (buffer, outer indices) in a block of
    // loops; a later sibling loop finds the lines in cache.
    struct Row {
      Value base;
      Block *block;
      SmallVector<Value> outerIndices;
      Operation *loop;
    };
    SmallVector<Row> firstReaders;
    llvm::DenseMap<Value, FlatView> views;
    for (const Stream &stream : streams) {
      Row row{stream.base, stream.loop->getBlock(),
              llvm::to_vector(ArrayRef(stream.indices).drop_back()),
              stream.loop};
      auto earlier = llvm::find_if(firstReaders, [&](const Row &other) {
        return other.base == row.base && other.block == row.block &&
               other.outerIndices == row.outerIndices;
      });
      if (earlier != firstReaders.end() && earlier->loop != row.loop)
        continue;
      if (earlier == firstReaders.end())
        firstReaders.push_back(row);
      auto [it, inserted] = views.try_emplace(stream.base);
      if (inserted)
        it->second = createFlatView(stream.base);
      prefetchAhead(stream, it->second, distance);
    }
  }
};

} // namespace
