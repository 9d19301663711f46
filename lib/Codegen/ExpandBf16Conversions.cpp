//===- ExpandBf16Conversions.cpp - dyt-expand-bf16-conversions -------------===//
//
// f32 <-> bf16 conversions as integer operations on the bits, for targets
// that have no conversion instruction (see the pass description).
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/DLTI/DLTI.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

#include "llvm/Support/SwapByteOrder.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTEXPANDBF16CONVERSIONSPASS
#include "dyt/Codegen/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

/// f32 -> bf16 on a 1-D vector: upstream's rounding (add 0x7fff plus the
/// lowest kept bit, NaN becomes the quiet NaN 0x7fc0), but narrowed by one
/// shuffle that keeps the high 16-bit half of every lane of the vector seen
/// as twice as many i16 lanes, where upstream shifts each lane right by 16
/// and truncates it. x86 has no single-instruction 32 -> 16 bit truncation
/// (vpmovdw is two micro-ops per register, then the halves are joined); the
/// shuffle is one instruction per two registers with AVX-512 (vpermt2w; with
/// AVX2 it is about as many as before). The NaN select moves before the
/// narrowing, on 32-bit lanes, where the NaN mask already is. Results are
/// bit-identical to upstream's.
/// The target's byte order: the `dlti.endianness` entry of the closest
/// data layout spec, or, where none says, the host's (the CPU pipelines
/// compile for the host). Never the host's alone: a dyt-opt run for another
/// target must not produce different IR on a different build machine.
bool isLittleEndianTarget(Operation *op) {
  auto endianness =
      dyn_cast_or_null<StringAttr>(DataLayout::closest(op).getEndianness());
  if (!endianness)
    return llvm::sys::IsLittleEndianHost;
  return endianness.getValue() != DLTIDialect::kDataLayoutEndiannessBig;
}

struct NarrowBf16ByShuffle : OpRewritePattern<arith::TruncFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::TruncFOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<VectorType>(op.getIn().getType());
    if (!type || type.getRank() != 1 || type.isScalable() ||
        !type.getElementType().isF32() ||
        !getElementTypeOrSelf(op.getType()).isBF16())
      return rewriter.notifyMatchFailure(op, "not a 1-D f32 -> bf16 vector");
    if (op.getRoundingmodeAttr())
      return rewriter.notifyMatchFailure(op, "default rounding mode only");
    Location loc = op.getLoc();
    int64_t lanes = type.getNumElements();
    auto i32s = VectorType::get({lanes}, rewriter.getI32Type());
    auto i16Pairs = VectorType::get({2 * lanes}, rewriter.getI16Type());
    auto splat = [&](uint32_t value) -> Value {
      return arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(i32s, rewriter.getI32IntegerAttr(value)));
    };
    Value bits = arith::BitcastOp::create(rewriter, loc, i32s, op.getIn());
    Value lowestKept = arith::AndIOp::create(
        rewriter, loc, arith::ShRUIOp::create(rewriter, loc, bits, splat(16)),
        splat(1));
    Value rounded = arith::AddIOp::create(
        rewriter, loc, bits,
        arith::AddIOp::create(rewriter, loc, lowestKept, splat(0x7fff)));
    Value isNan = arith::CmpFOp::create(
        rewriter, loc, arith::CmpFPredicate::UNE, op.getIn(), op.getIn());
    rounded = arith::SelectOp::create(rewriter, loc, isNan, splat(0x7fc00000),
                                      rounded);
    // Lane i's high half is i16 lane 2i + 1 on a little-endian target, 2i
    // on a big-endian one (vector.bitcast keeps the memory layout).
    int64_t high = isLittleEndianTarget(op) ? 1 : 0;
    SmallVector<int64_t> highHalves;
    for (int64_t lane = 0; lane < lanes; ++lane)
      highHalves.push_back(2 * lane + high);
    Value halves =
        vector::BitCastOp::create(rewriter, loc, i16Pairs, rounded);
    Value narrowed =
        vector::ShuffleOp::create(rewriter, loc, halves, halves, highHalves);
    rewriter.replaceOpWithNewOp<arith::BitcastOp>(op, op.getType(), narrowed);
    return success();
  }
};

struct DytExpandBf16ConversionsPass
    : dyt::impl::DytExpandBf16ConversionsPassBase<
          DytExpandBf16ConversionsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    // Ahead of upstream's truncf pattern, which takes what this one leaves
    // (scalars, n-D and scalable vectors).
    patterns.add<NarrowBf16ByShuffle>(&getContext(), /*benefit=*/2);
    arith::populateExpandBFloat16Patterns(patterns);
    // The patterns match bf16 extf/truncf and produce integer ops: one
    // sweep, no folding, nothing else touched.
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace
