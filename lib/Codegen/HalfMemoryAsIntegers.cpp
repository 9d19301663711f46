//===- HalfMemoryAsIntegers.cpp - dyt-llvm-half-memory-as-integers ---------===//
//
// Loads and stores of bf16/f16 values become loads and stores of i16 values
// of the same bits (see the pass description for what LLVM's x86 backend
// does with the originals).
//
//===----------------------------------------------------------------------===//

#include "dyt/Codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTLLVMHALFMEMORYASINTEGERSPASS
#include "dyt/Codegen/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;

namespace {

/// The i16 type (or vector of i16) of the same shape as `type` when it is
/// bf16 or f16 or a vector of them; null otherwise.
Type getIntegerTwin(Type type) {
  Type element = getElementTypeOrSelf(type);
  if (!isa<BFloat16Type, Float16Type>(element))
    return nullptr;
  Type i16 = IntegerType::get(type.getContext(), 16);
  if (auto vector = dyn_cast<VectorType>(type))
    return vector.clone(i16);
  return i16;
}

/// Makes `operand` (a bf16/f16 value) the same bits as `twin`.
void bitcastOperand(OpOperand &operand, Type twin) {
  OpBuilder b(operand.getOwner());
  operand.set(LLVM::BitcastOp::create(b, operand.getOwner()->getLoc(), twin,
                                      operand.get()));
}

/// Gives `result` (a bf16/f16 value) the type `twin` and its users a
/// bitcast back to the original type.
void bitcastResult(Value result, Type twin) {
  Type original = result.getType();
  result.setType(twin);
  OpBuilder b(result.getContext());
  b.setInsertionPointAfterValue(result);
  auto cast = LLVM::BitcastOp::create(b, result.getLoc(), original, result);
  result.replaceAllUsesExcept(cast.getResult(), cast);
}

/// An insertelement or extractelement `op` of a bf16/f16 lane at a run-time
/// `position` on i16 lanes instead: LLVM moves such a lane through memory,
/// a promoted bf16 with a __truncsfbf2 call, an i16 as it is. At a constant
/// position LLVM keeps the lane in registers, and there the bf16 form lets
/// it fuse the widening that usually follows (bf16 matmuls were 6-9% slower
/// with i16 lanes everywhere), so those are left alone.
void moveLaneAsInteger(Operation *op, Value position) {
  Type twin = getIntegerTwin(op->getResult(0).getType());
  if (!twin || matchPattern(position, m_Constant()))
    return;
  for (OpOperand &operand : op->getOpOperands())
    if (Type operandTwin = getIntegerTwin(operand.get().getType()))
      bitcastOperand(operand, operandTwin);
  bitcastResult(op->getResult(0), twin);
}

/// Block arguments (phis) of bf16/f16 type outside the entry block become
/// their i16 twins, with bitcasts on every value a branch forwards to them
/// and for their users. Blocks reached by a terminator that does not say
/// what it forwards are left alone.
void retypeBlockArguments(LLVM::LLVMFuncOp func) {
  if (func.getBody().empty())
    return;
  DenseSet<Block *> opaque;
  func.walk([&](Operation *op) {
    if (!op->hasTrait<OpTrait::IsTerminator>() ||
        isa<BranchOpInterface>(op))
      return;
    for (Block *successor : op->getSuccessors())
      opaque.insert(successor);
  });
  SmallVector<BlockArgument> arguments;
  for (Block &block : llvm::drop_begin(func.getBody()))
    if (!opaque.contains(&block))
      for (BlockArgument argument : block.getArguments())
        if (getIntegerTwin(argument.getType()))
          arguments.push_back(argument);
  if (arguments.empty())
    return;
  DenseSet<BlockArgument> retyped(arguments.begin(), arguments.end());
  func.walk([&](BranchOpInterface branch) {
    for (unsigned i = 0, e = branch->getNumSuccessors(); i < e; ++i) {
      Block *successor = branch->getSuccessor(i);
      SuccessorOperands operands = branch.getSuccessorOperands(i);
      MutableOperandRange forwarded = operands.getMutableForwardedOperands();
      for (unsigned j = 0, n = forwarded.size(); j < n; ++j) {
        BlockArgument argument =
            successor->getArgument(operands.getProducedOperandCount() + j);
        if (retyped.contains(argument))
          bitcastOperand(forwarded[j], getIntegerTwin(argument.getType()));
      }
    }
  });
  for (BlockArgument argument : arguments)
    bitcastResult(argument, getIntegerTwin(argument.getType()));
}

struct DytLLVMHalfMemoryAsIntegersPass
    : dyt::impl::DytLLVMHalfMemoryAsIntegersPassBase<
          DytLLVMHalfMemoryAsIntegersPass> {
  void runOnOperation() override {
    getOperation().walk([](Operation *op) {
      if (auto load = dyn_cast<LLVM::LoadOp>(op)) {
        if (Type twin = getIntegerTwin(load.getType()))
          bitcastResult(load.getResult(), twin);
      } else if (auto load = dyn_cast<LLVM::MaskedLoadOp>(op)) {
        if (Type twin = getIntegerTwin(load.getType())) {
          for (OpOperand &passThru : load.getPassThruMutable())
            bitcastOperand(passThru, twin);
          bitcastResult(load.getResult(), twin);
        }
      } else if (auto store = dyn_cast<LLVM::StoreOp>(op)) {
        if (Type twin = getIntegerTwin(store.getValue().getType()))
          bitcastOperand(store.getValueMutable(), twin);
      } else if (auto store = dyn_cast<LLVM::MaskedStoreOp>(op)) {
        if (Type twin = getIntegerTwin(store.getValue().getType()))
          bitcastOperand(store.getValueMutable(), twin);
      } else if (auto insert = dyn_cast<LLVM::InsertElementOp>(op)) {
        moveLaneAsInteger(op, insert.getPosition());
      } else if (auto extract = dyn_cast<LLVM::ExtractElementOp>(op)) {
        moveLaneAsInteger(op, extract.getPosition());
      }
    });
    retypeBlockArguments(getOperation());
    // A value loaded and stored again is now i16 -> bf16 -> i16: use the
    // i16. Left to LLVM, a chain that crosses blocks would be legalised
    // through f32 on targets that promote bf16, conversions and all.
    SmallVector<LLVM::BitcastOp> casts;
    getOperation().walk([&](LLVM::BitcastOp cast) {
      casts.push_back(cast);
      auto source = cast.getArg().getDefiningOp<LLVM::BitcastOp>();
      if (source && source.getArg().getType() == cast.getType())
        cast.replaceAllUsesWith(source.getArg());
    });
    // Users before the casts they use, so that a chain goes at once.
    for (LLVM::BitcastOp cast : llvm::reverse(casts))
      if (cast.use_empty())
        cast.erase();
  }
};

} // namespace
