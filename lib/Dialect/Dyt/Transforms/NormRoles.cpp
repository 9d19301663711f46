//===- NormRoles.cpp - What a norm feeds in a Transformer -----------------===//

#include "dyt/Dialect/Dyt/Transforms/NormRoles.h"

#include "dyt/Dialect/Dyt/IR/DytOps.h"
#include "mlir/Analysis/SliceAnalysis.h"
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
/// through ops that are neither contractions nor norms (reshapes, casts, a
/// split of a fused QKV weight's result is found at the next step).
static SetVector<Operation *> findProjections(Operation *norm) {
  SetVector<Operation *> projections;
  SmallVector<Value> worklist(norm->getResults());
  DenseSet<Operation *> visited;
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (isNorm(user) || !visited.insert(user).second)
        continue;
      if (isContraction(user)) {
        auto linalgOp = cast<linalg::LinalgOp>(user);
        if (linalgOp.isDpsInput(&use))
          projections.insert(user);
        continue;
      }
      llvm::append_range(worklist, user->getResults());
    }
  }
  return projections;
}

NormRole mlir::dyt::inferNormRole(Operation *norm) {
  SetVector<Operation *> projections = findProjections(norm);
  // Everything computed from the projections before the next norm: a norm
  // starts the next sub-block, whose contractions are not this norm's.
  SetVector<Operation *> downstream(projections.begin(), projections.end());
  ForwardSliceOptions options;
  options.filter = [](Operation *op) { return !isNorm(op); };
  for (Operation *projection : projections)
    getForwardSlice(projection, &downstream, options);

  bool feedsWeightedContraction = false;
  for (Operation *op : downstream) {
    if (projections.contains(op) || !isContraction(op))
      continue;
    auto linalgOp = cast<linalg::LinalgOp>(op);
    unsigned fromNorm = llvm::count_if(
        linalgOp.getDpsInputs(), [&](Value input) {
          Operation *def = input.getDefiningOp();
          return def && downstream.contains(def);
        });
    if (fromNorm >= 2)
      return NormRole::Attention;
    feedsWeightedContraction |= fromNorm == 1;
  }
  return feedsWeightedContraction ? NormRole::Ffn : NormRole::Final;
}
