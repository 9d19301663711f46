//===- NormRoles.cpp - What a norm feeds in a Transformer -----------------===//

#include "dyt/Dialect/Dyt/Transforms/NormRoles.h"

#include "dyt/Dialect/Dyt/IR/DytOps.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::dyt;

StringRef mlir::dyt::stringifyNormRole(NormRole role) {
  switch (role) {
  case NormRole::Attention:
    return "attention";
  case NormRole::Ffn:
    return "ffn";
  case NormRole::Final:
    return "final";
  }
  llvm_unreachable("unknown norm role");
}

std::optional<NormRole> mlir::dyt::parseNormRole(StringRef name) {
  return llvm::StringSwitch<std::optional<NormRole>>(name)
      .Case("attention", NormRole::Attention)
      .Case("ffn", NormRole::Ffn)
      .Case("final", NormRole::Final)
      .Default(std::nullopt);
}

static bool isNorm(Operation *op) {
  return isa<DytOp, LayerNormOp, RMSNormOp>(op);
}

static bool isContraction(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && linalg::isaContractionOpInterface(linalgOp);
}

/// The contractions that read `norm`'s output as an input, directly or
/// through ops that are neither contractions nor norms (reshapes, casts).
static SetVector<Operation *> findProjections(Operation *norm) {
  SetVector<Operation *> projections;
  SmallVector<Value> worklist(norm->getResults());
  DenseSet<Operation *> visited;
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      // A contraction is a projection when it reads the value as an input,
      // whichever use of it is seen first (it may also be its init).
      if (isContraction(user)) {
        if (cast<linalg::LinalgOp>(user).isDpsInput(&use))
          projections.insert(user);
        continue;
      }
      if (isNorm(user) || !visited.insert(user).second)
        continue;
      llvm::append_range(worklist, user->getResults());
    }
  }
  return projections;
}

/// Whether `value` is computed without any contraction (a weight, possibly
/// transposed or reshaped), as opposed to an activation.
static bool isWeightLike(Value value) {
  SmallVector<Value> worklist = {value};
  DenseSet<Operation *> visited;
  while (!worklist.empty()) {
    Operation *def = worklist.pop_back_val().getDefiningOp();
    if (!def || !visited.insert(def).second)
      continue;
    if (isContraction(def))
      return false;
    llvm::append_range(worklist, def->getOperands());
  }
  return true;
}

NormRole mlir::dyt::inferNormRole(Operation *norm) {
  SetVector<Operation *> projections = findProjections(norm);
  // The ops computed from the projections' results, and the contractions
  // those reach first (through anything but a contraction or a norm): the
  // next matmuls of this sub-block, not those of the blocks after it.
  DenseSet<Operation *> computed(projections.begin(), projections.end());
  SetVector<Operation *> reached;
  SmallVector<Value> worklist;
  for (Operation *projection : projections)
    llvm::append_range(worklist, projection->getResults());
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (Operation *user : value.getUsers()) {
      if (isNorm(user))
        continue;
      if (isContraction(user)) {
        reached.insert(user);
        continue;
      }
      if (computed.insert(user).second)
        llvm::append_range(worklist, user->getResults());
    }
  }

  bool feedsWeightedContraction = false;
  for (Operation *op : reached) {
    unsigned fromNorm = 0;
    bool withActivation = false;
    for (Value input : cast<linalg::LinalgOp>(op).getDpsInputs()) {
      Operation *def = input.getDefiningOp();
      if (def && computed.contains(def))
        ++fromNorm;
      else if (!isWeightLike(input))
        withActivation = true;
    }
    // Q K^T (both from this norm), or cross-attention's Q K^T (K from an
    // encoder's projection): attention.
    if (fromNorm >= 2 || (fromNorm == 1 && withActivation))
      return NormRole::Attention;
    feedsWeightedContraction |= fromNorm == 1;
  }
  return feedsWeightedContraction ? NormRole::Ffn : NormRole::Final;
}
