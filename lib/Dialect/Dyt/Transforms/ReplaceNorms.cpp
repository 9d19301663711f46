//===- ReplaceNorms.cpp - dyt-replace-norms --------------------------------===//
//
// LayerNorm / RMSNorm -> Dynamic Tanh, with alpha per role of the norm (see
// the pass description and NormRoles.h).
//
//===----------------------------------------------------------------------===//

#include "dyt/Dialect/Dyt/Transforms/NormRoles.h"
#include "dyt/Dialect/Dyt/Transforms/Passes.h"

#include "dyt/Dialect/Dyt/IR/DytOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/SymbolTable.h"

#include <cmath>

namespace mlir {
namespace dyt {
#define GEN_PASS_DEF_DYTREPLACENORMSPASS
#include "dyt/Dialect/Dyt/Transforms/Passes.h.inc"
} // namespace dyt
} // namespace mlir

using namespace mlir;
using namespace mlir::dyt;

namespace {

constexpr StringLiteral kAlphaInitAttrName = "dyt.alpha_init";

struct DytReplaceNormsPass
    : public dyt::impl::DytReplaceNormsPassBase<DytReplaceNormsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (!std::isfinite(alpha) || alpha == 0.0 || !std::isfinite(alphaAttn) ||
        !std::isfinite(alphaFfn) || !std::isfinite(alphaFinal)) {
      emitError(getOperation().getLoc())
          << "dyt-replace-norms: alpha values must be finite and `alpha` "
             "non-zero (got alpha="
          << alpha << ", alpha-attn=" << alphaAttn << ", alpha-ffn="
          << alphaFfn << ", alpha-final=" << alphaFinal << ")";
      return signalPassFailure();
    }
    ModuleOp module = getOperation();
    SmallVector<FunctionOpInterface> funcs;
    module.walk([&](FunctionOpInterface func) {
      if (!func.isExternal())
        funcs.push_back(func);
    });
    for (FunctionOpInterface func : funcs)
      if (failed(replaceNorms(func, module)))
        return signalPassFailure();
  }

private:
  double alphaFor(NormRole role) const {
    double perRole = role == NormRole::Attention ? alphaAttn
                     : role == NormRole::Ffn     ? alphaFfn
                                                 : alphaFinal;
    return perRole != 0.0 ? perRole : alpha;
  }

  FailureOr<NormRole> getRole(Operation *norm) const {
    Attribute attr = norm->getAttr(kRoleAttrName);
    if (!attr)
      return inferNormRole(norm);
    auto name = dyn_cast<StringAttr>(attr);
    std::optional<NormRole> role =
        name ? parseNormRole(name.getValue()) : std::nullopt;
    if (!role)
      return norm->emitError()
             << "'" << kRoleAttrName
             << "' must be \"attention\", \"ffn\" or \"final\", got " << attr;
    return *role;
  }

  LogicalResult replaceNorms(FunctionOpInterface func, ModuleOp module) {
    // Roles first: they are read from the IR the rewrites change.
    SmallVector<std::pair<Operation *, NormRole>> norms;
    WalkResult walk = func.walk([&](Operation *op) {
      if (!isa<LayerNormOp, RMSNormOp>(op))
        return WalkResult::advance();
      FailureOr<NormRole> role = getRole(op);
      if (failed(role))
        return WalkResult::interrupt();
      norms.emplace_back(op, *role);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();
    if (norms.empty())
      return success();
    if (alphaAsArgument &&
        !SymbolTable::symbolKnownUseEmpty(func.getOperation(), module))
      return func.emitError()
             << "alpha-as-argument would add arguments to '"
             << SymbolTable::getSymbolName(func).getValue()
             << "', which is called in this module";

    OpBuilder builder(func.getContext());
    Type f32 = builder.getF32Type();
    for (auto [norm, role] : norms) {
      Location loc = norm->getLoc();
      double value = alphaFor(role);
      StringAttr roleName = builder.getStringAttr(stringifyNormRole(role));
      Value alphaValue;
      if (alphaAsArgument) {
        NamedAttribute attrs[] = {
            builder.getNamedAttr(kAlphaInitAttrName,
                                 builder.getF32FloatAttr(value)),
            builder.getNamedAttr(kRoleAttrName, roleName)};
        unsigned index = func.getNumArguments();
        if (failed(func.insertArgument(index, f32,
                                       builder.getDictionaryAttr(attrs), loc)))
          return failure();
        alphaValue = func.getArgument(index);
      }
      builder.setInsertionPoint(norm);
      if (!alphaValue)
        alphaValue = arith::ConstantOp::create(builder, loc,
                                               builder.getF32FloatAttr(value));
      Value input = norm->getOperand(0);
      Value gamma = norm->getOperand(1);
      Value beta;
      if (auto layerNorm = dyn_cast<LayerNormOp>(norm))
        beta = layerNorm.getBeta();
      else
        beta = createSplatParam(
            builder, loc, cast<RankedTensorType>(gamma.getType()), input,
            cast<RankedTensorType>(input.getType()).getRank() - 1, 0.0);
      auto dyt = DytOp::create(builder, loc, input, alphaValue, gamma, beta);
      dyt->setAttr(kRoleAttrName, roleName);
      norm->getResult(0).replaceAllUsesWith(dyt.getResult());
      norm->erase();
    }
    return success();
  }
};

} // namespace
