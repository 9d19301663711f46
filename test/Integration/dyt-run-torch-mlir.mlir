// IR exactly as torch-mlir emits it (not raised) runs through the default
// dyt-cpu-pipeline and agrees with dyt-cpu-reference-pipeline: keepdim row
// reductions written `(d0, d1, d2) -> (d0, d1, 0)` (which the tiling leaves
// whole), `math.fpowi` squares (expanded by dyt-expand-math once vectorized),
// variance in f64, f16/bf16 chains and dense_resource parameters.
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/layernorm_f32_params.mlir -e main --random --check | FileCheck %s
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/layernorm_bf16_args.mlir -e main --random --check | FileCheck %s
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/llama_rmsnorm_f32_params.mlir -e main --random --check | FileCheck %s
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/llama_rmsnorm_bf16_params.mlir -e main --random --check | FileCheck %s
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/llama_rmsnorm_f32_args.tosa-linalg.mlir -e main --random --check | FileCheck %s
// RUN: dyt-run %S/../Transforms/Inputs/torch-mlir/dyt_f16_params.mlir -e main --random --check | FileCheck %s

// CHECK: check: result #0: 320 elements, max abs difference
