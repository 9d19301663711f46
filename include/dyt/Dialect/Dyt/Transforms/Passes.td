//===- Passes.td - Transformations on dyt ops --------------*- tablegen -*-===//

#ifndef DYT_DIALECT_DYT_TRANSFORMS_PASSES_TD
#define DYT_DIALECT_DYT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def DytFuseMatmulPass
    : InterfacePass<"dyt-fuse-matmul", "::mlir::FunctionOpInterface"> {
  let summary = "Fuse DyT into the matmuls that feed it and that it feeds";
  let description = [{
    Where a norm must finish a reduction over a row before it can write
    anything, DyT is elementwise: it can run on a matmul's output tile while
    the tile is in registers, or on a matmul's input while it is loaded. On
    tensors, for `linalg.matmul`, `linalg.batch_matmul`, transposed-B
    matmuls (`x @ W^T`, as PyTorch's `Linear` computes) and contraction
    `linalg.generic`s, this pass:

    1. **Folds weights** (`fold-weights`): for `dyt(x) -> matmul` whose
       weight `W`, `gamma` and `beta` are constants and whose DyT channel
       dim is the contraction dim, `gamma * tanh(alpha x) + beta` times `W`
       is rewritten as `tanh(alpha x)` times `W' = diag(gamma) W`, plus the
       bias `beta W` added to the matmul's init. `W'` and the bias are
       computed at compile time (in double precision, rounded once to the
       weight's type); what is left of the DyT is its tanh.
    2. **Epilogue**: a chain `matmul -> [bias add] -> [residual add] -> dyt`
       (each op the only user of the one before, elementwise over the
       matmul's result) is tiled together with the matmul: every register
       tile of the result goes through the whole chain before it is stored,
       so the unnormalised result is never written to memory.
    3. **Prologue**: a DyT (or any elementwise op) whose only user is the
       matmul's left-hand input is computed inside the matmul's loop nest,
       once per block of `block-m` rows, on the rows that block reads. The
       normalised activation is never materialised whole.
    4. **One DyT, several matmuls** (Q, K and V projections): the DyT is
       computed once and materialised, not fused into each matmul. Fused,
       its tanh would be evaluated once per consumer; materialised, it costs
       one write and one read per consumer of an activation that, at
       Transformer sizes (197 x 768 f32 is 600 KB), stays in L2.

    The loop nest is the one `dyt-cpu-tile-and-fuse` gives a matmul on its
    own (see its description): blocks of `block-m` rows in an `scf.forall`,
    register tiles of `tile-m` x (`vectors-n` native vectors), the
    right-hand operand repacked into panels when `pack-rhs` is set.
    A matmul whose result has another user, or whose DyT runs along a dim
    other than the contraction dim, is left alone. For weights passed as
    arguments rather than constants, `dyt-outline-weight-folding` (run
    before this pass; `outline-weight-folding` in dyt-cpu-pipeline) moves
    the folding into a one-time function.
  }];
  let options = [
    Option<"foldWeights", "fold-weights", "bool", /*default=*/"true",
           "Fold a DyT's gamma and beta into constant weights">,
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"0",
           "Width of the target's vector registers in bits (0: the host's)">,
    Option<"blockM", "block-m", "unsigned", /*default=*/"256",
           "Rows of the result per scf.forall iteration">,
    Option<"tileM", "tile-m", "unsigned", /*default=*/"0",
           "Rows of a register tile (0: as many as the target's vector "
           "registers hold, at most 8)">,
    Option<"vectorsN", "vectors-n", "unsigned", /*default=*/"2",
           "Native vectors along N in a register tile">,
    Option<"packRhs", "pack-rhs", "bool", /*default=*/"true",
           "Repack the right-hand operand into register-tile-wide panels">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::dyt::DytDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def DytOutlineWeightFoldingPass
    : Pass<"dyt-outline-weight-folding", "::mlir::ModuleOp"> {
  let summary = "Fold DyT's gamma and beta into argument weights in a one-time function";
  let description = [{
    dyt-fuse-matmul folds a DyT's gamma and beta into the weight of the
    matmul the DyT feeds when the weight is a constant. Models served with
    their weights passed as arguments get the same hot path from this pass:
    the folding, `W' = diag(gamma) W` and `bias = beta W`, is done once, by a
    function of its own, and the hot function takes `W'` and `bias` instead.

    For each function `@f` with a `dyt(x; alpha, gamma, beta) -> matmul`
    whose DyT runs along the contraction dim, whose weight is a 2-d tensor
    ([K, N], or [N, K] for `x @ W^T`), and whose weight, gamma and beta are
    each an argument of `@f` or a constant (at least one an argument), the
    pass adds two functions and leaves `@f` as it is:

    - `@f_fold_weights` takes the arguments of `@f` the folding reads, in
      their order in `@f`, and returns, for each such matmul in program
      order, `W'` (the weight's type: f32 arithmetic, rounded once) and,
      unless beta is a constant zero (LLaMA), `bias` (a 1-d tensor of the
      matmul result's N size and element type, accumulated in f32).
    - `@f_folded` takes the arguments of `@f` minus those only the folding
      read, then the results of `@f_fold_weights` in the same order; it
      computes `tanh(alpha x)` times `W'` plus `bias`, which dyt-fuse-matmul
      then fuses into the matmul's loop nest. Its attributes
      `dyt.fold_weights` and `dyt.folded_from` name its folding function
      and `@f`; a second run of the pass leaves a function so named alone.

    `@f_folded(..., @f_fold_weights(...)...)` equals `@f(...)` up to the
    rounding of `W'` and `bias`. One DyT feeding several matmuls (Q, K, V)
    keeps one `tanh(alpha x)` for all of them. Names that are taken get a
    numeric suffix. Matmuls whose weight is neither an argument nor a
    constant (e.g. computed in `@f`), and those dyt-fuse-matmul folds at
    compile time (all constants), are left alone.
  }];
  let options = [
    Option<"foldSuffix", "fold-suffix", "std::string",
           /*default=*/"\"_fold_weights\"",
           "Suffix of the folding function's name">,
    Option<"hotSuffix", "hot-suffix", "std::string", /*default=*/"\"_folded\"",
           "Suffix of the hot function's name">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::dyt::DytDialect",
    "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def DytReplaceNormsPass : Pass<"dyt-replace-norms", "::mlir::ModuleOp"> {
  let summary = "Replace LayerNorm and RMSNorm with Dynamic Tanh";
  let description = [{
    Rewrites every `dyt.layer_norm` and `dyt.rms_norm` into `dyt.dyt`, as
    "Transformers without Normalization" does: the norm's `gamma` is kept,
    its `beta` too (zeros for RMSNorm, which the lowering then skips), its
    `epsilon` is dropped, and `alpha` is a new f32 scalar.

    alpha is `alpha` (0.5, the paper's default) unless the norm's role has
    a value of its own: `alpha-attn`, `alpha-ffn` and `alpha-final` give
    LLaMA-style per-role values (0.8 / 0.2 / 0.2 at 7B). The role is a
    `dyt.role` attribute on the norm ("attention", "ffn" or "final") when
    it has one; otherwise it is read from what the norm feeds:
    - attention: its output's projections meet in a contraction (Q K^T);
    - FFN: a projection's result reaches a contraction with a weight (an
      MLP's second matmul, SwiGLU's down projection);
    - final: neither (a head's projection, or the function's results).
    The projections are followed up to the next norm, so each norm of a
    pre-norm block gets its own sub-block's role. The new `dyt.dyt` carries
    the role as `dyt.role`.

    With `alpha-as-argument`, each DyT reads its alpha from a new trailing
    f32 argument of the function (alpha is learnable) whose argument
    attributes `dyt.alpha_init` and `dyt.role` give its initial value and
    role; otherwise alpha is a constant. A function with callers in the
    module keeps its signature: the pass fails on it with an error.

    Example (`alpha-attn=0.8 alpha-ffn=0.2`):

    ```mlir
    %n = dyt.rms_norm %x gamma(%g : tensor<64xf32>) : tensor<7x64xf32> -> tensor<7x64xf32>
    // (%n feeds the Q, K and V projections)
    // becomes
    %alpha = arith.constant 8.000000e-01 : f32
    %zero = arith.constant dense<0.000000e+00> : tensor<64xf32>
    %n = dyt.dyt %x alpha(%alpha : f32) gamma(%g : tensor<64xf32>)
                    beta(%zero : tensor<64xf32>) {dyt.role = "attention"}
                    : tensor<7x64xf32> -> tensor<7x64xf32>
    ```
  }];
  let options = [
    Option<"alpha", "alpha", "double", /*default=*/"0.5",
           "alpha of every DyT whose role has no value of its own">,
    Option<"alphaAttn", "alpha-attn", "double", /*default=*/"0.0",
           "alpha of the DyTs before attention (0: `alpha`)">,
    Option<"alphaFfn", "alpha-ffn", "double", /*default=*/"0.0",
           "alpha of the DyTs before an FFN (0: `alpha`)">,
    Option<"alphaFinal", "alpha-final", "double", /*default=*/"0.0",
           "alpha of the final DyT (0: `alpha`)">,
    Option<"alphaAsArgument", "alpha-as-argument", "bool",
           /*default=*/"false",
           "Read each alpha from a new function argument, not a constant">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::dyt::DytDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def DytRaiseNormsPass
    : InterfacePass<"dyt-raise-norms", "::mlir::FunctionOpInterface"> {
  let summary = "Recognise LayerNorm, RMSNorm and DyT written in primitive ops";
  let description = [{
    Replaces LayerNorm, RMSNorm and DyT written out in linalg-on-tensors
    ops, as torch-mlir's decompositions and `tosa-to-linalg` produce them,
    with `dyt.layer_norm`, `dyt.rms_norm` and `dyt.dyt`, so that
    dyt-replace-norms and dyt-fuse-matmul can work on them. The math is
    matched, not the packaging: one op per `linalg.generic` or several,
    row sums as a reduction generic or `linalg.reduce`, keepdim or
    `tensor.expand_shape`, gamma and beta read through a broadcasting
    indexing map or a unit-dim reshape, `extf`/`truncf` anywhere (f32, f16,
    bf16; statistics in f64 as torch-mlir computes the variance). With the
    reduction over the last dim `C` of `x`:
    - LayerNorm: `(x - mean(x)) * rsqrt(mean((x - mean(x))^2) + eps)`,
      times a per-channel `gamma`, plus a per-channel `beta`;
    - RMSNorm: `x * rsqrt(mean(x^2) + eps)` times a per-channel `gamma`;
    - DyT: `tanh(alpha * x) * gamma + beta`, `alpha` uniform (a scalar or a
      one-element tensor), `gamma` and `beta` per-channel along any one dim
      (the last, or dim 1 of NCHW activations, as ConvNeXt's `weight[:,
      None, None]`): the `dyt.dyt` gets that dim as its `axis`.
    `mean(v)` is `sum(v) / C` or `sum(v) * (1/C)`; `rsqrt(v)` may be written
    `1 / sqrt(v)`, and `a * rsqrt(v)` as `a / sqrt(v)`; squares are
    `v * v`, `fpowi(v, 2)` or `powf(v, 2.0)`. An absent `beta` becomes a
    zero splat and an absent `gamma` (a norm without affine part) a one
    splat. A parameter of another element type, or of shape `1x..xC`, is
    converted or collapsed (`1x..xC`, `Cx1x1`) to the 1-d tensor of the
    output's element type.
    Lookalikes are left alone: a reduction over another dim, a divisor that
    is not `C` (unbiased variance), epsilon added outside the square root or
    missing, a gamma that is not per-channel, a per-channel alpha. `C` must
    be static. The ops of a raised norm are erased once nothing else uses
    them; a statistic that is also used elsewhere keeps being computed.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::dyt::DytDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // DYT_DIALECT_DYT_TRANSFORMS_PASSES_TD
