//===- DytDialect.td - The dyt dialect ---------------------*- tablegen -*-===//
//
// The dyt dialect: Dynamic Tanh (Zhu et al., "Transformers without
// Normalization", CVPR 2025) and the normalisation layers it replaces.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_DIALECT_DYT_IR_DYTDIALECT_TD
#define DYT_DIALECT_DYT_IR_DYTDIALECT_TD

include "mlir/IR/OpBase.td"

def Dyt_Dialect : Dialect {
  let name = "dyt";
  let cppNamespace = "::mlir::dyt";
  let summary = "Dynamic Tanh and the normalisation layers it replaces";
  let description = [{
    The `dyt` dialect models the per-token normalisation layers of a
    Transformer at the level a front end sees them:

    * `dyt.dyt`: Dynamic Tanh, `y = gamma[c] * tanh(alpha * x) + beta[c]`,
      an elementwise op with no reduction;
    * `dyt.layer_norm` and `dyt.rms_norm`: the norms DyT replaces, each with
      a reduction over the last dimension.

    All ops work on ranked tensors of `f32`, `f16` or `bf16` with static or
    dynamic dimensions. 16-bit inputs are computed in `f32` and rounded once.
    `convert-dyt-to-linalg` lowers every op of the dialect to upstream
    `linalg`, `tensor`, `arith` and `math` ops.
  }];
  // The canonicalizer materialises scalar alpha constants (arith) and shape
  // reification creates `tensor.dim` ops (tensor).
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

class Dyt_Op<string mnemonic, list<Trait> traits = []>
    : Op<Dyt_Dialect, mnemonic, traits>;

#endif // DYT_DIALECT_DYT_IR_DYTDIALECT_TD
