//===- DytOps.td - Operations of the dyt dialect -----------*- tablegen -*-===//
//
// Operand types are declared `AnyType` on purpose: the C++ verifiers check
// the exact contract (documented in each description) and name the operand
// and the offending sizes/types in their diagnostics, which ODS' generic
// "operand #N must be ..." messages cannot do.
//
//===----------------------------------------------------------------------===//

#ifndef DYT_DIALECT_DYT_IR_DYTOPS_TD
#define DYT_DIALECT_DYT_IR_DYTOPS_TD

include "dyt/Dialect/Dyt/IR/DytDialect.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/TilingInterface.td"

//===----------------------------------------------------------------------===//
// dyt.dyt
//===----------------------------------------------------------------------===//

def Dyt_DytOp : Dyt_Op<"dyt", [Pure,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>,
    DeclareOpInterfaceMethods<TilingInterface,
        ["getLoopIteratorTypes", "getIterationDomain",
         "getTiledImplementation", "getResultTilePosition",
         "generateResultTileValue"]>]> {
  let summary = "Dynamic Tanh: gamma[c] * tanh(alpha * x) + beta[c]";
  let description = [{
    Dynamic Tanh, the drop-in replacement for LayerNorm/RMSNorm of
    "Transformers without Normalization" (Zhu et al., CVPR 2025):

    ```
    y[..., c, ...] = gamma[c] * tanh(alpha * x[..., c, ...]) + beta[c]
    ```

    Operands, in this order:

    | operand | type |
    |---------|------|
    | `input` | ranked tensor without encoding, rank >= 1, static or dynamic dims, of `f32`, `f16` or `bf16` |
    | `alpha` | a float scalar, or a 0-d or 1-element 1-d tensor; element type `f32` or the input's element type |
    | `gamma` | 1-d tensor of the input's element type; size equal to the input's dim at `axis` |
    | `beta`  | 1-d tensor of the input's element type; size equal to the input's dim at `axis` |

    The result has the input's type. `axis` (default -1, the last dim;
    negative values count from the end) is the channel dim that `gamma` and
    `beta` run along: -1 for channels-last activations, 1 for NCHW ones as in
    ConvNeXt. `f16`/`bf16` inputs are computed in `f32` and rounded once.

    The paper's variants without `beta` (LLaMA) or without any affine part
    (DiT) are written with splat constants for `beta`/`gamma`; the lowering
    spends no work on a splat 0 `beta` or a splat 1 `gamma`. (Dropping the
    add of a +0 `beta` is exact except for the sign of a zero result: -0
    stays -0 where `-0 + 0` would give +0.)

    DyT is elementwise, so it implements `TilingInterface` with one parallel
    loop per input dim: `dyt-fuse-matmul` tiles it together with the matmul
    that feeds it or that it feeds, before it is lowered.

    Example:

    ```mlir
    %y = dyt.dyt %x alpha(%a : f32) gamma(%g : tensor<768xf32>)
                    beta(%b : tensor<768xf32>) : tensor<8x197x768xf32> -> tensor<8x197x768xf32>
    %z = dyt.dyt %x alpha(%a : tensor<1xf32>) gamma(%g : tensor<64xf32>)
                    beta(%b : tensor<64xf32>) axis = 1 : tensor<2x64x7x7xf32> -> tensor<2x64x7x7xf32>
    ```
  }];

  let arguments = (ins AnyType:$input, AnyType:$alpha, AnyType:$gamma,
                       AnyType:$beta,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs AnyType:$output);

  let assemblyFormat = [{
    $input `alpha` `(` $alpha `:` type($alpha) `)`
           `gamma` `(` $gamma `:` type($gamma) `)`
           `beta` `(` $beta `:` type($beta) `)`
           (`axis` `=` $axis^)? attr-dict `:` type($input) `->` type($output)
  }];

  let builders = [
    // The result type is the input's type.
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$alpha,
                   "::mlir::Value":$gamma, "::mlir::Value":$beta,
                   CArg<"int64_t", "-1">:$axis), [{
      build($_builder, $_state, input.getType(), input, alpha, gamma, beta,
            axis);
    }]>
  ];

  let extraClassDeclaration = [{
    /// The channel dim `axis` as a non-negative index into the input's shape.
    /// Only meaningful on a verified op.
    int64_t getChannelDim();
  }];

  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizeMethod = 1;
}

//===----------------------------------------------------------------------===//
// dyt.layer_norm
//===----------------------------------------------------------------------===//

def Dyt_LayerNormOp : Dyt_Op<"layer_norm", [Pure,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>]> {
  let summary = "Layer normalisation over the last dimension";
  let description = [{
    ```
    mean = sum(x[..., :]) / C
    var  = sum((x[..., :] - mean)^2) / C          // biased variance
    y[..., c] = (x[..., c] - mean) * rsqrt(var + epsilon) * gamma[c] + beta[c]
    ```

    `input` is a ranked tensor (rank >= 1, static or dynamic dims) of `f32`,
    `f16` or `bf16`; `gamma` and `beta` are 1-d tensors of its element type
    whose size is the input's last dim `C`. The result has the input's type.
    Statistics are accumulated in `f32` whatever the element type.
    `epsilon` defaults to 1e-5 and must be > 0.

    ```mlir
    %y = dyt.layer_norm %x gamma(%g : tensor<768xf32>) beta(%b : tensor<768xf32>)
           : tensor<8x197x768xf32> -> tensor<8x197x768xf32>
    ```
  }];

  let arguments = (ins AnyType:$input, AnyType:$gamma, AnyType:$beta,
                       DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon);
  let results = (outs AnyType:$output);

  let assemblyFormat = [{
    $input `gamma` `(` $gamma `:` type($gamma) `)`
           `beta` `(` $beta `:` type($beta) `)`
           (`epsilon` `=` $epsilon^)? attr-dict `:` type($input) `->` type($output)
  }];

  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$gamma,
                   "::mlir::Value":$beta, CArg<"float", "1e-5f">:$epsilon), [{
      build($_builder, $_state, input.getType(), input, gamma, beta,
            ::llvm::APFloat(epsilon));
    }]>
  ];

  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// dyt.rms_norm
//===----------------------------------------------------------------------===//

def Dyt_RMSNormOp : Dyt_Op<"rms_norm", [Pure,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>]> {
  let summary = "Root-mean-square normalisation over the last dimension";
  let description = [{
    ```
    y[..., c] = x[..., c] * rsqrt(sum(x[..., :]^2) / C + epsilon) * gamma[c]
    ```

    `input` is a ranked tensor (rank >= 1, static or dynamic dims) of `f32`,
    `f16` or `bf16`; `gamma` is a 1-d tensor of its element type whose size
    is the input's last dim `C`. The result has the input's type. The sum of
    squares is accumulated in `f32`. `epsilon` defaults to 1e-6 and must be
    > 0.

    ```mlir
    %y = dyt.rms_norm %x gamma(%g : tensor<4096xf32>) epsilon = 1.0e-05
           : tensor<1x7x4096xf32> -> tensor<1x7x4096xf32>
    ```
  }];

  let arguments = (ins AnyType:$input, AnyType:$gamma,
                       DefaultValuedAttr<F32Attr, "1e-6f">:$epsilon);
  let results = (outs AnyType:$output);

  let assemblyFormat = [{
    $input `gamma` `(` $gamma `:` type($gamma) `)`
           (`epsilon` `=` $epsilon^)? attr-dict `:` type($input) `->` type($output)
  }];

  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$gamma,
                   CArg<"float", "1e-6f">:$epsilon), [{
      build($_builder, $_state, input.getType(), input, gamma,
            ::llvm::APFloat(epsilon));
    }]>
  ];

  let hasVerifier = 1;
}

#endif // DYT_DIALECT_DYT_IR_DYTOPS_TD
