//===- Passes.td - Conversions out of the dyt dialect ------*- tablegen -*-===//

#ifndef DYT_CONVERSION_PASSES_TD
#define DYT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertDytToLinalgPass : Pass<"convert-dyt-to-linalg"> {
  let summary = "Lower dyt.dyt, dyt.layer_norm and dyt.rms_norm to linalg on "
                "tensors";
  let description = [{
    Rewrites every op of the `dyt` dialect into upstream `linalg`, `tensor`,
    `arith` and `math` ops on tensors; the output is accepted by stock
    `mlir-opt`. Static and dynamic shapes and f32/f16/bf16 are supported;
    16-bit values are widened to f32, computed there, and rounded once.

    * `dyt.dyt` becomes one elementwise `linalg.generic`: `input` with the
      identity map, `gamma`/`beta` with a broadcast map along `axis`, and
      `alpha` read once outside the loop. Splat-constant parameters become
      scalar constants in the body, and a splat 1 `gamma` or splat 0 `beta`
      costs nothing: no multiply by one, no add of zero.
    * `dyt.layer_norm` becomes a sum reduction, a mean, a second reduction
      over the squared deviations (the two-pass form, which does not lose
      precision to cancellation as `E[x^2] - E[x]^2` does), a reciprocal
      standard deviation, and an elementwise normalisation; statistics are
      `f32` tensors over the leading dims.
    * `dyt.rms_norm` becomes a sum-of-squares reduction, a reciprocal root
      mean square, and an elementwise scaling.

    Where the verifier could not compare the size of `gamma`/`beta` with the
    input's channel dim (one of them dynamic), a `cf.assert` checks it at run
    time: a mismatch stops the program with a message instead of reading
    past the end of the parameter.

    The pass has no anchor: it runs on any op, so it can be nested anywhere
    in a pipeline.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // DYT_CONVERSION_PASSES_TD
