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
// Which loads: 1-D vector loads (plain or masked) of a contiguous vector
// from a buffer with identity layout, directly or through the subviews and
// casts the tiling makes (a row, a 64-column slice of it), in an scf.for
// that moves the buffer's last index and inside loops that each move the
// address. Left alone: loads that an enclosing loop repeats (DyT's gamma,
// the same row for every row: in cache after the first), buffers no larger
// than the distance, and loops with a contraction in them (vector.contract,
// vector.outerproduct, vector.fma: bound by their FMAs; the CPU pipeline's
// matmul loads do not walk the contiguous dim along the k loop in any case,
// so this only guards other IR). When later loops of the same iteration read
// the same row again and the row is at most 256 KiB (a norm's second and
// third passes), only the first one prefetches it.
//
// The address: the load's element `distance` bytes further on in the
// buffer's flat (row-major) order, so that the end of one row prefetches the
// start of the next, clamped to the buffer's last element (its start when it
// is empty) so that no prefetch leaves the buffer. One prefetch per cache
// line the load covers. `distance` is at most 1 GiB, so that the index
// arithmetic cannot overflow.
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Passes.h"
#include "dyt/Codegen/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/LoopLikeInterface.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTCPUPREFETCHPASS
#include "dyt/Codegen/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

/// The largest distance accepted: far beyond any useful one, and small
/// enough that no index arithmetic on it overflows.
constexpr int64_t kMaxDistance = int64_t(1) << 30;

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
    if (cx && *cx == 0)
      return y;
    if (cy && *cy == 0)
      return x;
    return arith::AddIOp::create(b, loc, value(x), value(y)).getResult();
  }
  OpFoldResult mul(OpFoldResult x, OpFoldResult y) {
    std::optional<int64_t> cx = getConstantIntValue(x),
                           cy = getConstantIntValue(y);
    if (cx && cy)
      return b.getIndexAttr(*cx * *cy);
    if ((cx && *cx == 0) || (cy && *cy == 0))
      return b.getIndexAttr(0);
    if (cx && *cx == 1)
      return y;
    if (cy && *cy == 1)
      return x;
    return arith::MulIOp::create(b, loc, value(x), value(y)).getResult();
  }
};

/// A vector load that streams through a buffer, and the loop it streams in.
/// The buffer is the identity-layout root of the load's memref, which the
/// tiling reaches through subviews (a row, a 64-column slice of it).
struct Stream {
  Operation *load;
  VectorType type;
  ValueRange indices;
  /// The subviews and casts from the load's memref down to `root`.
  SmallVector<Operation *> views;
  Value root;
  /// For each dim of `root`: the values its index is computed from (the
  /// load's index and the views' dynamic offsets and strides).
  SmallVector<SmallVector<Value>> terms;
  scf::ForOp loop;
};

/// Carries per-dim values of the load's memref down the views to their
/// root: for each subview (load side first), a source dim's value is
/// `combine(offset, stride, value of the view dim it keeps)`, with no view
/// dim for a dim the subview drops. Casts keep the values. The one walk
/// behind the symbolic terms (which loops move an index) and the built
/// indices (where the prefetch goes).
template <typename T, typename Combine>
SmallVector<T> composeThroughViews(ArrayRef<Operation *> views,
                                   SmallVector<T> values, Combine combine) {
  for (Operation *op : views) {
    auto view = dyn_cast<memref::SubViewOp>(op);
    if (!view)
      continue;
    llvm::SmallBitVector dropped = view.getDroppedDims();
    SmallVector<T> source;
    unsigned next = 0;
    for (auto [dim, offset, stride] : llvm::enumerate(
             view.getMixedOffsets(), view.getMixedStrides()))
      source.push_back(combine(offset, stride,
                               dropped.test(dim)
                                   ? nullptr
                                   : &values[next++]));
    values = std::move(source);
  }
  return values;
}

/// Fills `stream.views`, `root` and `terms` from the load's memref and
/// indices; false when the chain does not end at an identity layout.
bool resolveRoot(Stream &stream, Value memref) {
  while (Operation *def = memref.getDefiningOp()) {
    if (auto cast = dyn_cast<memref::CastOp>(def))
      memref = cast.getSource();
    else if (auto view = dyn_cast<memref::SubViewOp>(def))
      memref = view.getSource();
    else
      break;
    stream.views.push_back(def);
  }
  stream.root = memref;
  auto rootType = cast<MemRefType>(memref.getType());
  if (rootType.getRank() == 0 || !rootType.getLayout().isIdentity())
    return false;
  SmallVector<SmallVector<Value>> terms;
  for (Value index : stream.indices)
    terms.push_back({index});
  stream.terms = composeThroughViews(
      stream.views, std::move(terms),
      [](OpFoldResult offset, OpFoldResult stride,
         const SmallVector<Value> *kept) {
        SmallVector<Value> t;
        if (auto v = dyn_cast<Value>(offset))
          t.push_back(v);
        if (!kept)
          return t;
        if (auto v = dyn_cast<Value>(stride))
          t.push_back(v);
        llvm::append_range(t, *kept);
        return t;
      });
  return true;
}

/// The load's indices into `stream.root`, built before the load.
SmallVector<OpFoldResult> buildRootIndices(const Stream &stream,
                                           IndexBuilder &ib) {
  return composeThroughViews(
      stream.views,
      SmallVector<OpFoldResult>(stream.indices.begin(), stream.indices.end()),
      [&](OpFoldResult offset, OpFoldResult stride, const OpFoldResult *kept) {
        OpFoldResult index = kept ? *kept : ib.b.getIndexAttr(0);
        return ib.add(offset, ib.mul(index, stride));
      });
}

std::optional<Stream> asStream(Operation *op) {
  Stream stream;
  stream.load = op;
  Value memref;
  auto read = [&](auto load) {
    memref = load.getBase();
    stream.indices = load.getIndices();
    stream.type = load.getVectorType();
  };
  if (auto load = dyn_cast<vector::LoadOp>(op))
    read(load);
  else if (auto load = dyn_cast<vector::MaskedLoadOp>(op))
    read(load);
  else
    return std::nullopt;
  auto memrefType = cast<MemRefType>(memref.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  // The vector must be contiguous in memory: the innermost stride is 1.
  if (memrefType.getRank() == 0 || stream.type.getRank() != 1 ||
      !memrefType.getElementType().isIntOrFloat() ||
      failed(memrefType.getStridesAndOffset(strides, offset)) ||
      strides.back() != 1 || !resolveRoot(stream, memref))
    return std::nullopt;
  auto innermost = op->getParentOfType<LoopLikeOpInterface>();
  stream.loop = dyn_cast_or_null<scf::ForOp>(innermost.getOperation());
  if (!stream.loop || hasContraction(stream.loop))
    return std::nullopt;
  auto movedBy = [](ArrayRef<Value> terms, Operation *loop) {
    return llvm::any_of(terms, [&](Value v) { return dependsOn(v, loop); });
  };
  // The innermost loop walks the contiguous dim of the buffer...
  if (!movedBy(stream.terms.back(), stream.loop))
    return std::nullopt;
  // ...and every enclosing loop moves the address; otherwise an outer loop
  // rereads the same data, which its first iteration left in cache.
  for (Operation *loop = stream.loop; loop;
       loop = loop->getParentOfType<LoopLikeOpInterface>())
    if (llvm::none_of(stream.terms, [&](ArrayRef<Value> terms) {
          return movedBy(terms, loop);
        }))
      return std::nullopt;
  return stream;
}

/// The flat (1-D, row-major) view of an identity-layout buffer and the index
/// its prefetches are clamped to (its last element; 0 when it is empty),
/// created once per buffer where it is defined.
struct FlatView {
  Value memref;
  Value lastIndex;
  SmallVector<OpFoldResult> sizes;
};

FlatView createFlatView(Value root) {
  OpBuilder b(root.getContext());
  b.setInsertionPointAfterValue(root);
  IndexBuilder ib{b, root.getLoc()};
  FlatView view;
  view.sizes = memref::getMixedSizes(b, ib.loc, root);
  OpFoldResult total = b.getIndexAttr(1);
  for (OpFoldResult size : view.sizes)
    total = ib.mul(total, size);
  if (std::optional<int64_t> count = getConstantIntValue(total)) {
    view.lastIndex =
        ib.value(b.getIndexAttr(std::max<int64_t>(*count - 1, 0)));
  } else {
    Value last = ib.value(ib.add(total, b.getIndexAttr(-1)));
    view.lastIndex = arith::MaxSIOp::create(b, ib.loc, last,
                                            ib.value(b.getIndexAttr(0)));
  }
  view.memref = root;
  if (int64_t rank = view.sizes.size(); rank > 1) {
    ReassociationIndices all = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    view.memref = memref::CollapseShapeOp::create(b, ib.loc, root, {all});
  }
  return view;
}

void prefetchAhead(const Stream &stream, const FlatView &view,
                   int64_t distanceBytes) {
  OpBuilder b(stream.load);
  IndexBuilder ib{b, stream.load->getLoc()};
  SmallVector<OpFoldResult> indices = buildRootIndices(stream, ib);
  OpFoldResult linear = indices.front();
  for (auto [index, size] :
       llvm::zip(ArrayRef(indices).drop_front(), ArrayRef(view.sizes).drop_front()))
    linear = ib.add(ib.mul(linear, size), index);
  int64_t elementBytes = dyt::getElementBytes(stream.type);
  int64_t loadBytes = stream.type.getNumElements() * elementBytes;
  for (int64_t offset = 0; offset < loadBytes; offset += dyt::kCacheLineBytes) {
    Value ahead = ib.value(ib.add(
        linear, b.getIndexAttr((distanceBytes + offset) / elementBytes)));
    Value clamped = arith::MinSIOp::create(b, ib.loc, ahead, view.lastIndex);
    memref::PrefetchOp::create(b, ib.loc, view.memref, clamped,
                               /*isWrite=*/false, /*localityHint=*/3,
                               /*isDataCache=*/true);
  }
}

/// Rows up to this size stay in cache (L2) between the passes a norm makes
/// over them, so only the first pass prefetches them.
constexpr int64_t kRowReuseBytes = 256 * 1024;

/// The static size in bytes of `root`'s innermost dim, or of the whole of
/// it; nullopt when dynamic.
std::optional<int64_t> staticBytes(Value root, bool innermostOnly) {
  auto type = cast<MemRefType>(root.getType());
  ArrayRef<int64_t> shape = type.getShape();
  if (innermostOnly)
    shape = shape.take_back();
  if (ShapedType::isDynamicShape(shape))
    return std::nullopt;
  return ShapedType::getNumElements(shape) * dyt::getElementBytes(type);
}

struct DytCpuPrefetchPass
    : dyt::impl::DytCpuPrefetchPassBase<DytCpuPrefetchPass> {
  using Base::Base;

  void runOnOperation() override {
    int64_t bytes = distance;
    if (bytes < 0 || bytes > kMaxDistance) {
      getOperation()->emitError()
          << "dyt-cpu-prefetch: distance must be between 0 and "
          << kMaxDistance << " bytes, got " << bytes;
      return signalPassFailure();
    }
    if (bytes == 0)
      return;
    SmallVector<Stream> streams;
    getOperation()->walk([&](Operation *op) {
      std::optional<Stream> stream = asStream(op);
      if (!stream)
        return;
      // A buffer no larger than the distance: every prefetch would land on
      // its last line.
      std::optional<int64_t> size =
          staticBytes(stream->root, /*innermostOnly=*/false);
      if (!size || *size > bytes)
        streams.push_back(std::move(*stream));
    });
    // The loop that first reads each row (root buffer, outer indices) in a
    // block of loops. A later sibling loop finds a small row in cache.
    struct Row {
      Value root;
      Block *block;
      ArrayRef<SmallVector<Value>> outerTerms;
      Operation *loop;
    };
    SmallVector<Row> firstReaders;
    llvm::DenseMap<Value, FlatView> views;
    for (const Stream &stream : streams) {
      std::optional<int64_t> rowBytes =
          staticBytes(stream.root, /*innermostOnly=*/true);
      if (rowBytes && *rowBytes <= kRowReuseBytes) {
        Row row{stream.root, stream.loop->getBlock(),
                ArrayRef(stream.terms).drop_back(), stream.loop};
        auto earlier = llvm::find_if(firstReaders, [&](const Row &other) {
          return other.root == row.root && other.block == row.block &&
                 other.outerTerms == row.outerTerms;
        });
        if (earlier != firstReaders.end() && earlier->loop != row.loop)
          continue;
        if (earlier == firstReaders.end())
          firstReaders.push_back(row);
      }
      auto [it, inserted] = views.try_emplace(stream.root);
      if (inserted)
        it->second = createFlatView(stream.root);
      prefetchAhead(stream, it->second, bytes);
    }
  }
};

} // namespace
