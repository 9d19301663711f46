//===- NormRoles.h - What a norm feeds in a Transformer ---------*- C++ -*-===//
//
// LLaMA-style DyT models use one alpha per role of the norm it replaces
// (attention 0.8 / FFN 0.2 / final 0.2 at 7B in the paper). The role is
// read off the IR from what the norm's output flows into, so front-end IR
// needs no annotation; a `dyt.role` attribute on the norm overrides it.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_DIALECT_DYT_TRANSFORMS_NORMROLES_H
#define DYT_DIALECT_DYT_TRANSFORMS_NORMROLES_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringRef.h"

namespace mlir {
namespace dyt {

enum class NormRole { Attention, Ffn, Final };

/// The attribute that names a norm's (or a DyT's) role: "attention", "ffn"
/// or "final".
constexpr llvm::StringLiteral kRoleAttrName = "dyt.role";

llvm::StringRef stringifyNormRole(NormRole role);
std::optional<NormRole> parseNormRole(llvm::StringRef name);

/// The role of `norm` (a dyt.layer_norm, dyt.rms_norm or dyt.dyt) inferred
/// from what its output flows into. The contractions that read the norm's
/// output (through anything but another contraction or norm) are its
/// projections. Among the contractions their results reach next (again
/// through anything but a contraction or a norm):
/// - one with two inputs from the projections (Q K^T, scores V), or with
///   one and an activation (cross-attention's K) makes it an attention norm;
/// - else one with an input from the projections and a weight (computed
///   without contractions: an MLP's second matmul, SwiGLU's down
///   projection) makes it an FFN norm;
/// - else (a head's projection, or nothing, then the results) it is final.
NormRole inferNormRole(Operation *norm);

} // namespace dyt
} // namespace mlir

#endif // DYT_DIALECT_DYT_TRANSFORMS_NORMROLES_H
