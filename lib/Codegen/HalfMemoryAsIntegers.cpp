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
      }
    });
    // A value loaded and stored again is now i16 -> bf16 -> i16: use the
    // i16. Left to LLVM, a chain that crosses blocks would be legalised
    // through f32 on targets that promote bf16, conversions and all.
    getOperation().walk([](LLVM::BitcastOp cast) {
      auto source = cast.getArg().getDefiningOp<LLVM::BitcastOp>();
      if (source && source.getArg().getType() == cast.getType())
        cast.replaceAllUsesWith(source.getArg());
      if (cast.use_empty())
        cast.erase();
    });
  }
};

} // namespace
