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
  SmallVector<OpOperand *> inputs = match.contraction.getDpsInputOperands();
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
    if (llvm::any_of(inputs, [&](OpOperand *input) {
          return base ==
                 memref::skipViewLikeOps(cast<MemrefValue>(input->get()));
        }) ||
        !(isa<BlockArgument>(base) || base.getDefiningOp<memref::AllocOp>()))
      return;
  }
  match.epilogue = epilogue;
  match.epilogueInput = *input;
  match.epilogueInPlace = inPlace;
}

/// The loops that `value`, computed in the body of `op`, depends on through
/// the inputs it reads; none when it reads the output, a loop index or
/// anything with memory effects (the kernels recompute it per element).
std::optional<llvm::SmallBitVector> getLoopsRead(linalg::LinalgOp op,
                                                 Value value) {
  llvm::SmallBitVector loops(op.getNumLoops());
  Block *body = op.getBlock();
  SmallVector<Value> worklist{value};
  DenseSet<Value> seen;
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    if (!seen.insert(v).second)
      continue;
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (arg.getOwner() != body)
        continue; // from outside the op
      OpOperand *operand = op.getMatchingOpOperand(arg);
      if (op.isDpsInit(operand))
        return std::nullopt;
      for (AffineExpr result :
           op.getMatchingIndexingMap(operand).getResults())
        if (auto dim = dyn_cast<AffineDimExpr>(result))
          loops.set(dim.getPosition());
      continue;
    }
    Operation *def = v.getDefiningOp();
    if (def->getBlock() != body)
      continue; // defined outside the op
    if (isa<linalg::IndexOp>(def) || !isPure(def) || def->getNumRegions())
      return std::nullopt;
    llvm::append_range(worklist, def->getOperands());
  }
  return loops;
}

} // namespace

std::optional<MatmulMatch> gpu_kernels::matchMatmulKernel(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() < 1 ||
      op.getNumDpsInits() != 1 || op.getNumReductionLoops() != 1 ||
      (op.getNumLoops() != 3 && op.getNumLoops() != 4))
    return std::nullopt;
  for (OpOperand &operand : op->getOpOperands())
    if (!isFloatBuffer(operand.get()) ||
        !isSimpleIndexingMap(op.getMatchingIndexingMap(&operand)))
      return std::nullopt;
  MatmulMatch match;
  match.contraction = op;
  // The result is indexed (batch?, m, n) by the parallel loops; k is the
  // reduction.
  AffineMap resultMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (!resultMap.isProjectedPermutation() ||
      resultMap.getNumResults() != op.getNumLoops() - 1)
    return std::nullopt;
  SmallVector<unsigned> dims;
  for (AffineExpr result : resultMap.getResults())
    dims.push_back(cast<AffineDimExpr>(result).getPosition());
  SmallVector<unsigned> reductions;
  op.getReductionDims(reductions);
  match.kDim = reductions.front();
  if (llvm::is_contained(dims, unsigned(match.kDim)))
    return std::nullopt;
  if (dims.size() == 3)
    match.batchDim = dims[0];
  match.mDim = dims[dims.size() - 2];
  match.nDim = dims.back();

  // An input that is (a view of) the result would be read while blocks
  // store their tiles, and after its fill was folded away.
  Value resultBase = memref::skipViewLikeOps(
      cast<MemrefValue>(op.getDpsInitOperand(0)->get()));
  for (OpOperand *input : op.getDpsInputOperands())
    if (memref::skipViewLikeOps(cast<MemrefValue>(input->get())) ==
        resultBase)
      return std::nullopt;
  // The body: out + lhs * rhs, lhs computed from inputs that do not depend
  // on n (A, or DyT(A) fused into it by elementwise fusion), rhs from
  // inputs that do not depend on m. The kernels evaluate only those two
  // slices, so nothing else in the body may have an effect.
  Block *body = op.getBlock();
  for (Operation &inner : body->without_terminator())
    if (!isPure(&inner) || inner.getNumRegions())
      return std::nullopt;
  Value out = op.getMatchingBlockArgument(op.getDpsInitOperand(0));
  auto add = body->getTerminator()->getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add || add->getBlock() != body || !out.hasOneUse())
    return std::nullopt;
  Value product = add.getLhs() == out   ? add.getRhs()
                  : add.getRhs() == out ? add.getLhs()
                                        : Value();
  auto mul = product ? product.getDefiningOp<arith::MulFOp>() : nullptr;
  if (!mul || mul->getBlock() != body)
    return std::nullopt;
  std::optional<llvm::SmallBitVector> lhsLoops =
      getLoopsRead(op, mul.getLhs());
  std::optional<llvm::SmallBitVector> rhsLoops =
      getLoopsRead(op, mul.getRhs());
  if (!lhsLoops || !rhsLoops)
    return std::nullopt;
  auto reads = [](const llvm::SmallBitVector &loops, int64_t dim) {
    return loops.test(dim);
  };
  if (!reads(*lhsLoops, match.nDim) && !reads(*rhsLoops, match.mDim)) {
    match.lhsValue = mul.getLhs();
    match.rhsValue = mul.getRhs();
  } else if (!reads(*rhsLoops, match.nDim) && !reads(*lhsLoops, match.mDim)) {
    match.lhsValue = mul.getRhs();
    match.rhsValue = mul.getLhs();
  } else {
    return std::nullopt;
  }
  // K's size is read from an input that k indexes.
  if (!llvm::any_of(op.getDpsInputOperands(), [&](OpOperand *input) {
        return op.getMatchingIndexingMap(input).isFunctionOfDim(match.kDim);
      }))
    return std::nullopt;
  matchResultUsers(match);
  return match;
}
