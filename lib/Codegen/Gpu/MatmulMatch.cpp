//===- MatmulMatch.cpp - Which contractions the matmul kernels take ---------===//
//
// A contraction on float buffers with simple maps, and around it what the
// kernels absorb: the fill that starts the accumulators and the elementwise
// op applied to the result in registers.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "KernelBuilder.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;
using namespace mlir::dyt;
using namespace mlir::dyt::gpu_kernels;

namespace {
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
